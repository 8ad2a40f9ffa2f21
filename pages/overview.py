import streamlit as st

st.title("Enterprise 2.0 readiness")

"""Readiness dashboard: the router. Run with ``streamlit run app.py``."""

import streamlit as st

st.set_page_config(page_title="E2.0 readiness", page_icon=":material/hub:", layout="wide")

st.navigation([st.Page("pages/overview.py", title="Overview", icon=":material/home:")]).run()

"""Overview: what the tool does, the 2009 starting point, and where to start."""

import streamlit as st

from pages.shared.boundary import through_router
from pages.shared.drafts import offer_to_resume
from readiness.views.overview import starting_point

through_router()

st.title("Enterprise 2.0 readiness", anchor=False)
offer_to_resume(None)
st.markdown(
    "How ready is your organization for wikis, blogs, microblogs and social networks behind "
    "the firewall, and how fast can their use grow?\n\n"
    "1. **Assess** readiness on three dimensions (grassroots activity, support, tooling) "
    "and get a stage, the weakest link and advice tied to your answers.\n"
    "2. **Project** adoption with doubling, logistic and Bass curves, from literature values "
    "or from your readiness scores and your own history.\n"
    "3. **Compare** divisions, survey respondents and repeated assessments over time."
)

with st.container(border=True):
    st.header("The starting point", anchor=False)
    figures = starting_point()
    columns = st.columns(len(figures))
    for column, figure in zip(columns, figures, strict=True):
        column.metric(
            f"Organizations deploying E2.0 tools, {figure.year}",
            figure.value,
            help=figure.provenance,
        )
    st.caption(
        "Market level: share of organizations deploying social tools behind the firewall "
        "(AIIM Industry Watch, May 2009, 789 respondents). Twice as many as the year before: "
        "if that kept doubling, every organization would deploy by 2011. The growth scenarios "
        "page shows why S-curves are the better bet, and which levers raise the growth rate."
    )

st.header("Where to start", anchor=False)
with st.container(horizontal=True):
    st.page_link(
        "pages/questionnaire.py", label="Fill in the questionnaire", icon=":material/edit_note:"
    )
    st.page_link(
        "pages/survey.py", label="Upload a respondents survey", icon=":material/upload_file:"
    )
    st.page_link("pages/growth.py", label="Explore growth scenarios", icon=":material/trending_up:")
    st.page_link("pages/saved.py", label="Open a saved assessment", icon=":material/inventory_2:")

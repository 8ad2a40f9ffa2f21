"""Readiness dashboard: the router. Run with ``streamlit run app.py``.

Pages are the scripts in ``pages/``; the glue they share is ``pages/shared/``. Per-session state
(answers, profile) lives in widget keys kept for the session (``pages/shared/session.py``). Every
page first makes sure it runs through this router, and an unexpected error in a page is caught at
the boundary (both in ``pages/shared/boundary.py``): a short message with a reference, the
traceback in the log. With ``[auth]`` configured in ``.streamlit/secrets.toml`` nobody reaches a
page before signing in and being given a role by the access file (``pages/shared/auth.py``).
"""

import streamlit as st

from pages.shared.auth import gate, return_to_kept_page, sign_in_configured
from pages.shared.boundary import run_page

# An emoji page icon: the browser draws it from an inline SVG, so no request leaves the app's
# origin (a ":material/..." icon is fetched from a font CDN; tests/e2e/test_offline.py checks every
# request). An image file would be read through NumPy and Pillow on the first run of every server
# process, delaying the first page.
PAGE_ICON = "\N{CHART WITH UPWARDS TREND}"
st.set_page_config(page_title="E2.0 readiness", page_icon=PAGE_ICON, layout="wide")

PAGES = [
    st.Page(
        "pages/overview.py",
        title="Overview",
        icon=":material/home:",
        default=True,
        help="What the tool does, the 2009 AIIM starting point, and where to start.",
    ),
    st.Page(
        "pages/questionnaire.py",
        title="Questionnaire",
        icon=":material/edit_note:",
        help="Answer the readiness questions per dimension; answers are kept as a draft.",
    ),
    st.Page(
        "pages/results.py",
        title="Results",
        icon=":material/insights:",
        help="Readiness index, stage, weakest link, organization model and advice.",
    ),
    st.Page(
        "pages/survey.py",
        title="Survey upload",
        icon=":material/upload_file:",
        help="Score a respondents CSV per division, with agreement and row-level errors.",
    ),
    st.Page(
        "pages/growth.py",
        title="Growth scenarios",
        icon=":material/trending_up:",
        help="Doubling, logistic and Bass adoption curves; the link reproduces the view.",
    ),
    st.Page(
        "pages/measured.py",
        title="Measured adoption",
        icon=":material/monitoring:",
        help="Usage exports in: monthly active share per division with fitted curves.",
    ),
    st.Page(
        "pages/compare.py",
        title="Compare",
        icon=":material/compare_arrows:",
        help="Several assessments or divisions side by side, with a table of differences.",
    ),
    st.Page(
        "pages/saved.py",
        title="Saved assessments",
        icon=":material/inventory_2:",
        help="Open, export, report on, import or delete saved assessments.",
    ),
    st.Page(
        "pages/evidence.py",
        title="Evidence",
        icon=":material/science:",
        help="Survey and measured adoption together: scale quality, drivers, levers tested.",
    ),
    # Last: on a 1,400-pixel screen the pages before it keep their place in the navigation's row
    # (this one joins Evidence in its overflow menu)
    st.Page(
        "pages/plan.py",
        title="Plan",
        icon=":material/event_note:",
        help="Dated actions, their projected effect, whether they worked, and survey waves.",
    ),
]

# Sign-in first (when configured): until then the sign-in or "no access" page is drawn instead of
# the page the address names, with the navigation hidden. Signed in, a deep link opened before
# sign-in is where the person lands (st.login itself returns to the root).
blocked = gate()
navigation = st.navigation(PAGES, position="top" if blocked is None else "hidden")
if blocked is not None:
    blocked(navigation)
else:  # an unexpected error in a page is a short message with a reference, logged in full
    if sign_in_configured():
        return_to_kept_page(navigation, PAGES)
    run_page(navigation)

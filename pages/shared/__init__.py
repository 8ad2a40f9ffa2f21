"""The Streamlit glue the dashboard's pages share, one module per concern.

- ``boundary``: an unexpected error becomes a short message with a reference, and every page
  makes sure it runs through app.py's router;
- ``auth``: who is using the dashboard (sign-in, the role from the access file) and what stands
  in for the app until someone is let in;
- ``session``: the core data, this session's answers, scores and projection, and the assessment
  store acting as this session's user;
- ``drafts``: what the questionnaire shows (a draft or a saved assessment) kept in the address
  bar, the questionnaire's buttons, and a draft left behind in this browser offered again;
- ``display``: charts with alt text and a PNG download, tables of user text with a formula-safe
  CSV, problems shown as literal text;
- ``widgets``: the questionnaire's fields and the growth sliders.

Nothing here is a page: Streamlit's legacy page scan reads only the files directly in ``pages/``,
and app.py's ``st.navigation`` names the pages.
"""

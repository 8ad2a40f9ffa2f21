"""The presentation layer: one module per dashboard page, each turning core results into what
that page draws (frames, Vega-Lite specs, captions, widget values), and re-exporting the core
names the page needs. Views never import each other and the core never imports views; a page
imports Streamlit, its own view and the glue in ``pages/shared/``. No Streamlit here either:
pages draw, views prepare.
"""

"""The presentation layer: one module per dashboard page, each turning core results into what
that page draws (frames, Vega-Lite specs, captions, widget values). Views never import each
other and the core never imports views; a page imports its own view (and the widget glue its
questionnaire view defines). No Streamlit here either: pages draw, views prepare.
"""

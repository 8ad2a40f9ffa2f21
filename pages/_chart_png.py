"""PNG downloads of the pages' main charts: the chart the page draws, rendered by
``readiness.chart_render`` (vl-convert, no browser) only when its button is clicked."""

from __future__ import annotations

from typing import Any

import streamlit as st

from pages._app_state import show_chart

#: The image's width in pixels before scaling, for charts that take their page's width.
PNG_WIDTH = 720


def _png(chart: Any) -> bytes:
    """``chart`` as the page draws it, with data frames as rows and a width of its own."""
    import pandas as pd
    from altair.utils import sanitize_pandas_dataframe

    from readiness.chart_render import chart_png  # vl-convert loads on the first click

    spec = dict(chart) if isinstance(chart, dict) else chart.to_dict()
    datasets = spec.get("datasets") or {}
    spec["datasets"] = {
        name: sanitize_pandas_dataframe(rows).to_dict("records")
        if isinstance(rows, pd.DataFrame)
        else rows
        for name, rows in datasets.items()
    }
    if spec.get("width", "container") == "container" and ("layer" in spec or "mark" in spec):
        spec["width"] = PNG_WIDTH  # on the page, a single chart fills its column
    return chart_png(spec)


def png_button(chart: Any, file_name: str) -> None:
    """A "PNG" download of ``chart`` (an Altair chart or a Vega-Lite dict), drawn on click."""
    st.download_button(
        "PNG",
        lambda: _png(chart),  # slow to render: only when clicked, not on every run
        file_name,
        "image/png",
        key=f"png_{file_name.removesuffix('.png')}",
        on_click="ignore",
        icon=":material/image:",
        help="This chart as an image, for slides and documents.",
    )


def show_chart_with_png(chart: Any, file_name: str) -> None:
    """The chart (with its description as alt text) and its PNG download under it."""
    show_chart(chart)
    png_button(chart, file_name)

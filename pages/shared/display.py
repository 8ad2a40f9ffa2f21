"""What the pages draw the same way: charts with their description as alt text and a PNG
download, tables of user text with a formula-safe CSV, and problems as literal text.

A PNG is rendered by ``readiness.chart_render`` (vl-convert, no browser) only when its button is
clicked. The core is imported where it is used, so a page that draws none of these loads none of
it (see ``pages/shared/session.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import streamlit as st

from readiness.errors import InputError
from readiness.safe_output import frame_to_csv, literal_block

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "PNG_WIDTH",
    "InputError",
    "png_button",
    "problems_shown",
    "show_chart",
    "show_chart_with_png",
    "show_problems",
    "show_spec",
    "show_table",
]

#: The image's width in pixels before scaling, for charts that take their page's width.
PNG_WIDTH = 720


def show_chart(chart: Any, key: str | None = None) -> None:
    """Draw an Altair chart from ``readiness.charts`` with its description as alt text."""
    from readiness.charts import for_display

    spec_only, text = for_display(chart)
    st.altair_chart(spec_only, alt=text, key=key)


def show_spec(spec: dict[str, Any], text: str) -> None:
    """Draw a Vega-Lite dict (named datasets, stable layout) with ``text`` as alt text."""
    st.vega_lite_chart(spec=spec, alt=text)


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


def show_problems(error: InputError, title: str = "Please check the input") -> None:
    """An InputError's lines (which quote cells, file and field names) shown literally."""
    st.error(literal_block(error.problems), icon=":material/error:", title=title)


@contextmanager
def problems_shown(title: str) -> Iterator[None]:
    """Bad input in the block becomes its problems under ``title`` instead of a traceback; the
    rest of the block is skipped."""
    try:
        yield
    except InputError as error:
        show_problems(error, title=title)


def show_table(
    frame: pd.DataFrame,
    file_name: str,
    *,
    key: str,
    on_download: Callable[[], None] | None = None,
    **options: Any,
) -> None:
    """A table of user text with a formula-safe CSV download (no index). The toolbar's own
    download writes raw cells: ``client.disableDataExport`` (.streamlit/config.toml) hides it.
    ``on_download`` runs when the CSV is made, before it (the audit log records exports)."""

    def data() -> str:  # written when clicked (on the download thread), not on every run
        if on_download is not None:
            on_download()
        return frame_to_csv(frame)

    st.dataframe(frame, key=key, **options)
    st.download_button(
        "CSV",
        data,
        file_name,
        "text/csv",
        key=f"{key}_csv",
        on_click="ignore",
        icon=":material/download:",
    )

"""The dashboard's Altair charts as static images, rendered offline by vl-convert (no browser).

:func:`chart_svg` gives inline SVG for the HTML report: the chart's own description becomes its
accessible name and ``<title>``, Vega's per-mark ARIA labels are turned off (they would repeat
every data value, user text included, in attributes), the XML namespace declarations go (inline
SVG in HTML needs none) and a drawing that refers to anything outside itself (an image, a link,
a font or style import) is refused. :func:`chart_png` gives a PNG for a download button.
"""

from __future__ import annotations

import html
import re
from typing import Any

import vl_convert as vlc

#: Vega's ARIA labels off: the description is the chart's one accessible name. Room at the sides:
#: text is measured here with the renderer's fonts, drawn by the viewer with its own (wider ones
#: would be cut at the edge of the drawing).
_CONFIG: dict[str, Any] = {
    "aria": False,
    "padding": {"left": 24, "right": 32, "top": 5, "bottom": 5},
}
_OPENING = re.compile(r"<svg\b[^>]*>")
_SIZE = re.compile(r'\b(width|height|viewBox)="([^"]*)"')
#: Every tag of the drawing (text is escaped, so each ``<`` starts a tag): its name, attributes.
_TAG = re.compile(r"<([A-Za-z][\w:-]*)([^>]*)>")
#: Elements and attributes that make a browser fetch or run something from inside a drawing
#: (``url(#clip0)``, a clip path of the drawing itself, is allowed).
_FETCHING_TAGS = {"image", "feimage", "use", "a", "script", "foreignobject", "style"}
_FETCHING_ATTRIBUTE = re.compile(r"(\bhref|\bsrc)\s*=|url\((?!\s*['\"]?#)", re.I)


class ChartRenderError(ValueError):
    """vl-convert produced a drawing that is not self-contained."""


def _spec(chart: Any) -> dict[str, Any]:
    spec = chart if isinstance(chart, dict) else chart.to_dict()
    return dict(spec)


def chart_svg(chart: Any) -> str:
    """``chart`` (an Altair chart or a Vega-Lite dict) as one self-contained inline ``<svg>``."""
    spec = _spec(chart)
    drawing = vlc.vegalite_to_svg(spec, config=_CONFIG)
    opening = _OPENING.match(drawing)
    if opening is None:
        raise ChartRenderError("the chart renderer returned no <svg> element")
    body = drawing[opening.end() :]
    if any(
        name.lower() in _FETCHING_TAGS or _FETCHING_ATTRIBUTE.search(attributes)
        for name, attributes in _TAG.findall(body)
    ):
        raise ChartRenderError("the rendered chart refers to something outside itself")
    size = " ".join(f'{name}="{value}"' for name, value in _SIZE.findall(opening.group(0)))
    description = spec.get("description")
    label = html.escape(description if isinstance(description, str) else "Chart", quote=True)
    return f'<svg role="img" {size} aria-label="{label}"><title>{label}</title>{body}'


def chart_png(chart: Any, scale: float = 2.0) -> bytes:
    """``chart`` as a PNG image (``scale`` 2: sharp on high-density screens and in slides)."""
    return bytes(vlc.vegalite_to_png(_spec(chart), scale=scale))

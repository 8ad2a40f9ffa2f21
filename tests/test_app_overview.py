"""Overview page (AppTest): the AIIM starting point and where to start."""

from __future__ import annotations

import pytest
from app_harness import ROOT, metric, open_page

pytestmark = pytest.mark.usefixtures("store_url")


def test_the_overview_shows_the_aiim_figures_with_their_years() -> None:
    at = open_page()
    assert metric(at, "Organizations deploying E2.0 tools, 2008") == "about 12.5%"
    assert metric(at, "Organizations deploying E2.0 tools, 2009") == "25%"
    assert "Market level" in at.caption[0].value


def test_the_overview_links_to_where_to_start() -> None:
    at = open_page()
    assert {link.proto.page for link in at.page_link} == {
        "questionnaire",
        "survey",
        "growth",
        "saved",
    }


def test_the_server_keeps_its_protections_on() -> None:
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server = config["server"]
    assert server["enableXsrfProtection"] is True
    assert server["enableCORS"] is True
    assert server["enableStaticServing"] is False
    assert server["maxUploadSize"] <= 20
    assert config["browser"]["gatherUsageStats"] is False


def test_the_page_icon_is_an_emoji_drawn_inline_not_an_icon_font_or_an_image_file() -> None:
    """A ":material/..." page icon is fetched from a font CDN (tests/e2e/test_offline.py checks
    every request in a browser); an image file is read through NumPy and Pillow before the first
    page is drawn. Streamlit sends an emoji as text, drawn by the browser from an inline SVG."""
    import ast

    from streamlit.commands.page_config import _get_favicon_string

    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "st.set_page_config"
    ]
    assert len(calls) == 1
    (icon,) = [k.value for k in calls[0].keywords if k.arg == "page_icon"]
    assert ast.unparse(icon) == "PAGE_ICON"
    (value,) = [
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "PAGE_ICON"
    ]
    assert _get_favicon_string(value) == f"emoji:{value}"


def test_the_theme_keeps_text_and_captions_readable() -> None:
    import tomllib

    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))[
        "theme"
    ]

    def contrast(color: str, background: str = "#ffffff") -> float:
        def luminance(hex_color: str) -> float:
            channels = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
            linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
            return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

        high, low = sorted([luminance(color), luminance(background)], reverse=True)
        return (high + 0.05) / (low + 0.05)

    def faded(color: str, alpha: float) -> str:  # how Streamlit draws captions: 60% of the text
        return "#" + "".join(
            f"{round(alpha * int(color[i : i + 2], 16) + (1 - alpha) * 255):02x}" for i in (1, 3, 5)
        )

    assert contrast(faded(theme["textColor"], 0.6)) >= 4.5
    assert contrast(faded(theme["codeTextColor"], 0.6)) >= 4.5
    assert contrast(theme["primaryColor"]) >= 4.5
    assert all(contrast(color) >= 4.5 for color in theme["chartCategoricalColors"])

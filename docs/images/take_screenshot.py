"""Take the README's picture: the Growth scenarios page of one filled assessment, in Chromium.

Run from the checkout: ``.venv/bin/python docs/images/take_screenshot.py``. It starts the
dashboard on a free port with a store of its own (one assessment imported through the command
line), opens that assessment's Growth scenarios page and writes ``docs/images/growth.png``,
cropped from the page's title to the bottom of its chart and reduced to a small palette so the
file stays small.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))  # the server the benchmarks and browser tests share

from streamlit_server import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402

OUTPUT = Path(__file__).with_name("growth.png")
ANSWERS = {
    "gr_active_share": 12,
    "gr_projects": 3,
    "su_evangelists": 2,
    "su_local_support_share": 30,
    "su_lead": "joint",
    "to_slates": ["search", "links", "authoring", "signals"],
    "to_access_share": 90,
    "cx_org_model": "coordinated",
}
AGREE, DISAGREE = 4, 2


def assessment() -> dict[str, object]:
    """A filled assessment: agreement everywhere except a weaker support dimension."""
    readiness = str(Path(sys.executable).parent / "readiness")
    template = json.loads(
        subprocess.run(
            [readiness, "template", "--format", "json"], check=True, capture_output=True
        ).stdout
    )
    answers = template["answers"]
    for item in answers:
        answers[item] = ANSWERS.get(item, DISAGREE if item.startswith("su_") else AGREE)
    template["organization"] = "Northwind"
    return dict(template)


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        filled = home / "northwind.json"
        filled.write_text(json.dumps(assessment()), encoding="utf-8")
        database = f"sqlite:///{home / 'readiness.db'}"
        readiness = str(Path(sys.executable).parent / "readiness")
        subprocess.run(
            [readiness, "assessments", "--database", database, "import", str(filled)], check=True
        )
        with streamlit_server(ROOT / "app.py", home, cwd=ROOT) as server, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 1800})
            page.goto(f"{server.url}/growth?assessment=1")
            page.get_by_role("heading", name="Growth scenarios").wait_for(timeout=60_000)
            page.wait_for_selector('[data-testid="stVegaLiteChart"]', timeout=60_000)
            page.wait_for_selector(
                '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000
            )
            # the chart's last frame; Streamlit scrolls inside the page, so the viewport is made
            # tall enough to hold the chart
            page.wait_for_timeout(1_000)
            title = box(page.get_by_role("heading", name="Growth scenarios"))
            chart = box(page.locator('[data-testid="stVegaLiteChart"]').first)
            main = box(page.get_by_test_id("stMain"))
            top = title["y"] - 16
            clip: Any = {
                "x": main["x"],
                "y": top,
                "width": main["width"],
                "height": chart["y"] + chart["height"] + 16 - top,
            }
            page.screenshot(path=str(home / "full.png"), full_page=True, clip=clip)
            browser.close()
        shrink(home / "full.png", OUTPUT)
    print(f"{OUTPUT.relative_to(ROOT)}: {OUTPUT.stat().st_size // 1024} KB")


def box(locator: Any) -> Any:
    """Where ``locator`` is drawn (it must be drawn)."""
    drawn = locator.bounding_box()
    if drawn is None:
        raise RuntimeError(f"{locator} is not drawn")
    return drawn


def shrink(source: Path, target: Path) -> None:
    """Keep 64 colours: a page of flat colours looks the same and the file is a fraction."""
    from PIL import Image

    with Image.open(source) as image:
        palette = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
        palette.save(target, optimize=True)


if __name__ == "__main__":
    main()

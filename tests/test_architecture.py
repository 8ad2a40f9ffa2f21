"""The shape of the project: the core stays free of Streamlit, pages stay thin."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "src" / "readiness"
# Numerical work and SQL belong below the pages: a page or its glue never imports these
BELOW_THE_PAGES = {"scipy", "numpy", "sqlalchemy", "duckdb", "alembic", "psycopg"}


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_core_module_imports_streamlit() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in CORE.rglob("*.py")
        if "streamlit" in _imported_modules(path)
    ]
    assert offenders == []


def test_importing_every_core_module_does_not_load_streamlit() -> None:
    modules = sorted(
        ".".join(path.relative_to(ROOT / "src").with_suffix("").parts)
        for path in CORE.rglob("*.py")
        if path.name != "__main__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name.removesuffix('.__init__'))\n"
        "print('streamlit' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_no_code_manipulates_sys_path() -> None:
    sources = [*CORE.rglob("*.py"), ROOT / "app.py", *(ROOT / "pages").glob("*.py")]
    offenders = [
        str(p.relative_to(ROOT)) for p in sources if "sys.path" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_pages_hold_no_numerical_work_and_no_sql() -> None:
    """Pages and their shared glue draw; scoring, curve maths and the store's SQL live in the core
    (there is no line limit: size follows from that)."""
    sql = ("SELECT ", "INSERT ", "UPDATE ", "DELETE ", "CREATE TABLE")
    offenders = {}
    for path in (ROOT / "pages").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        found = sorted(_imported_modules(path) & BELOW_THE_PAGES)
        found += [word.strip() for word in sql if word in text]
        if found:
            offenders[path.name] = found
    assert offenders == {}


def test_no_page_lets_markup_through_as_html() -> None:
    """User text (organization names, CSV cells) must never reach an HTML-rendering call."""
    scripts = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *CORE.rglob("*.py")]
    offenders = [
        f"{path.relative_to(ROOT)}: {marker}"
        for path in scripts
        for marker in ("unsafe_allow_html=True", "st.html(", "components.v1.html(")
        if marker in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


VIEWS = CORE / "views"


def _readiness_imports(path: Path) -> set[str]:
    """Full names of the readiness modules ``path`` imports (``from readiness.x import y`` and
    ``import readiness.x``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("readiness"))
        elif (
            isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("readiness")
        ):
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def test_the_core_never_imports_the_views() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(n for n in _readiness_imports(path) if ".views" in n)
        for path in CORE.rglob("*.py")
        if VIEWS not in path.parents
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def _other_views(paths: list[Path]) -> dict[str, list[str]]:
    """Per file, the views it imports other than the one named like it (``views/x.py`` or
    ``pages/x.py`` may import ``readiness.views.x`` only)."""
    offenders = {}
    for path in paths:
        own = f"readiness.views.{path.stem}"
        others = sorted(
            n
            for n in _readiness_imports(path)
            if n.startswith("readiness.views.") and not n.startswith(own)
        )
        if others:
            offenders[path.name] = others
    return offenders


def test_views_never_import_each_other() -> None:
    assert _other_views(list(VIEWS.glob("*.py"))) == {}


def test_a_page_imports_no_view_but_its_own() -> None:
    pages = [p for p in (ROOT / "pages").glob("[!_]*.py") if p.name != "__init__.py"]
    assert _other_views(pages) == {}


def test_the_slider_to_chart_path_calls_into_no_module_twice() -> None:
    """A slider move: the page calls the growth view once; the view calls each core module
    once (scenarios, what the chart tells, the chart) and nothing calls back into a view."""
    import collections
    import datetime as dt

    from readiness.organization import organization_projection
    from readiness.views.growth import GROWTH_DEFAULTS, growth_view

    projection = organization_projection(
        {"grassroots": 49.0, "support": 22.0, "tooling": 72.0},
        {"gr_active_share": 12},
        dt.date(2026, 11, 30),
    )
    names = {"grassroots": "Grassroots", "support": "Support", "tooling": "Tooling"}
    moved = {**GROWTH_DEFAULTS, "q": 0.5}
    growth_view(GROWTH_DEFAULTS, projection, None, True, names)  # caches warm, as on a server
    from_view: collections.Counter[str] = collections.Counter()
    into_views: list[str] = []

    def watch(frame: Any, event: str, _arg: Any) -> None:
        if event != "call" or frame.f_back is None:
            return
        callee = str(frame.f_globals.get("__name__", ""))
        caller = str(frame.f_back.f_globals.get("__name__", ""))
        if caller == callee:
            return
        if caller == "readiness.views.growth" and callee.startswith("readiness."):
            from_view[callee] += 1
        elif callee.startswith("readiness.views") and caller.startswith("readiness."):
            into_views.append(f"{caller} -> {callee}")

    sys.setprofile(watch)
    try:
        view = growth_view(moved, projection, None, True, names)
    finally:
        sys.setprofile(None)
    assert view.spec is not None
    assert from_view
    assert {module: n for module, n in from_view.items() if n > 1} == {}
    assert into_views == []
    # and the page makes one call for it
    page = (ROOT / "pages" / "growth.py").read_text(encoding="utf-8")
    assert page.count("growth_view(") == 1


def test_every_page_first_makes_sure_the_router_runs_it() -> None:
    """``through_router()`` is each page script's first statement after its imports (a page run
    alone on a fresh server would otherwise skip the page config, the sign-in gate and the error
    boundary; tests/test_app_routing.py)."""
    unrouted = []
    for path in sorted((ROOT / "pages").glob("[!_]*.py")):
        body = ast.parse(path.read_text(encoding="utf-8")).body
        statements = [
            node
            for node in body
            if not isinstance(node, ast.Import | ast.ImportFrom)
            and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
        ]
        first = ast.unparse(statements[0]) if statements else ""
        if first != "through_router()":
            unrouted.append(f"{path.name}: {first[:40]}")
    assert unrouted == []

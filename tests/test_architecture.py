"""The shape of the project: the core stays free of Streamlit; pages import Streamlit, their own
view and the shared glue (``pages/shared/``), and neither pages nor glue do numerical work or
SQL. There is no line limit: size follows from that."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "src" / "readiness"
PAGES = ROOT / "pages"
GLUE = PAGES / "shared"
#: The page scripts app.py routes to (the files directly in pages/).
PAGE_SCRIPTS = sorted(p for p in PAGES.glob("*.py") if p.name != "__init__.py")
#: Everything under pages/: the page scripts and the glue they share.
PAGES_AND_GLUE = sorted(PAGES.rglob("*.py"))
# Numerical work and SQL belong below the pages: a page or its glue never imports these
BELOW_THE_PAGES = {"scipy", "numpy", "sqlalchemy", "duckdb", "alembic", "psycopg"}
# Curve models, fitting and projections: a page or its glue asks a view or the core for results
CURVE_MATHS = ("readiness.fitting", "readiness.usage.forecast", "math")


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
    sources = [*CORE.rglob("*.py"), ROOT / "app.py", *PAGES_AND_GLUE]
    offenders = [
        str(p.relative_to(ROOT)) for p in sources if "sys.path" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_pages_and_their_glue_hold_no_numerical_work_and_no_sql() -> None:
    """Pages and their shared glue draw; scoring, curve maths and the store's SQL live in the core
    (there is no line limit: size follows from that)."""
    assert GLUE / "session.py" in PAGES_AND_GLUE  # the glue is scanned too
    sql = ("SELECT ", "INSERT ", "UPDATE ", "DELETE ", "CREATE TABLE")
    offenders = {}
    for path in PAGES_AND_GLUE:
        text = path.read_text(encoding="utf-8")
        found = sorted(_imported_modules(path) & BELOW_THE_PAGES)
        found += [word.strip() for word in sql if word in text]
        if found:
            offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}


def test_no_curve_maths_in_pages_or_their_glue() -> None:
    """Curves are fitted and projected in the core; a page draws what its view made of them."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name
            for name in _full_imports(path)
            if any(name == m or name.startswith(f"{m}.") for m in CURVE_MATHS)
        )
        for path in PAGES_AND_GLUE
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_page_lets_markup_through_as_html() -> None:
    """User text (organization names, CSV cells) must never reach an HTML-rendering call."""
    scripts = [ROOT / "app.py", *PAGES_AND_GLUE, *CORE.rglob("*.py")]
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


def _full_imports(path: Path) -> set[str]:
    """Full names of the modules ``path`` imports (``from a.b import c``: ``a.b``)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(f"{package}.")


def test_a_page_imports_streamlit_its_own_view_and_the_shared_glue_only() -> None:
    """No page imports the core, another page's view or the standard library: what a page needs
    from them its view prepares, or the glue provides."""
    assert len(PAGE_SCRIPTS) >= 8
    offenders = {}
    for path in PAGE_SCRIPTS:
        own = f"readiness.views.{path.stem}"
        others = sorted(
            name
            for name in _full_imports(path)
            if not any(_within(name, a) for a in ("__future__", "streamlit", own, "pages.shared"))
        )
        if others:
            offenders[path.name] = others
    assert offenders == {}


def test_the_router_imports_streamlit_and_the_shared_glue_only() -> None:
    imported = _full_imports(ROOT / "app.py")
    assert "pages.shared.boundary" in imported
    allowed = ("streamlit", "pages.shared")
    assert {n for n in imported if not any(_within(n, a) for a in allowed)} == set()


def test_the_glue_is_not_a_page() -> None:
    """Streamlit's legacy page scan reads the files directly in pages/ only, and app.py routes to
    page scripts only: the glue lives in its package below."""
    assert (GLUE / "__init__.py").exists()
    router = (ROOT / "app.py").read_text(encoding="utf-8")
    routed = set(re.findall(r'st\.Page\(\s*"(pages/[^"]+)"', router))
    assert routed == {str(p.relative_to(ROOT)) for p in PAGE_SCRIPTS}


def test_the_custom_components_scripts_are_beside_the_glue_that_loads_them() -> None:
    """The cookie components (draft memory, sign-in return) read their script by path."""
    loaded = {
        (path, name)
        for path in GLUE.glob("*.py")
        for name in re.findall(
            r'Path\(__file__\)\.parent / "([\w.]+\.js)"', path.read_text(encoding="utf-8")
        )
    }
    assert {name for _, name in loaded} == {"draft_memory.js", "sign_in_return.js"}
    assert all((path.parent / name).is_file() for path, name in loaded)


def test_the_first_page_loads_no_heavy_library() -> None:
    """The router and the Overview (the page a new visitor waits for first) import nothing that
    loads pandas, Altair, SciPy or SQLAlchemy: the glue imports the core where it is used."""
    imports = [
        ast.unparse(node)
        for script in (ROOT / "app.py", PAGES / "overview.py")
        for node in ast.parse(script.read_text(encoding="utf-8")).body
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    code = "\n".join(
        [
            *imports,
            "import sys",
            "heavy = ('pandas', 'altair', 'scipy', 'numpy', 'sqlalchemy', 'duckdb')",
            "print(sorted(m for m in heavy if m in sys.modules))",
        ]
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"


def test_the_slider_to_chart_path_does_no_work_twice() -> None:
    """A slider move: the page calls the growth view once; the view calls each core function
    at most once (scenarios, milestones, curves, the chart: no work done twice) and nothing
    calls back into a view. The wording module (readiness.story) only formats, so its calls are
    not counted."""
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
        if callee == "readiness.story":
            return
        if caller == "readiness.views.growth" and callee.startswith("readiness."):
            from_view[f"{callee}.{frame.f_code.co_name}"] += 1
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
    page = (PAGES / "growth.py").read_text(encoding="utf-8")
    assert page.count("growth_view(") == 1


def test_every_page_first_makes_sure_the_router_runs_it() -> None:
    """``through_router()`` is each page script's first statement after its imports (a page run
    alone on a fresh server would otherwise skip the page config, the sign-in gate and the error
    boundary; tests/test_app_routing.py)."""
    unrouted = []
    for path in PAGE_SCRIPTS:
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

"""The core's import graph: no import cycles, and opening the store loads nothing it does not need.

The graph
    One node per module under ``src/readiness``. Every ``import`` and ``from ... import`` is an
    edge, at module level and inside functions alike: an import deferred into a function still
    needs the other module when it runs, so a cycle closed lazily is still a cycle. Imports under
    ``if TYPE_CHECKING:`` are left out (they never run). ``from package import name`` is an edge to
    the module ``package.name`` when there is one, else to ``package``.

Packages
    Importing ``a.b.c`` runs the packages ``a`` and ``a.b`` first, so it is an edge to each of them
    too. Edges from a module to its own packages (written or not) are left out: a package's
    ``__init__`` runs before any of its modules whichever is imported, and one that re-exports its
    modules, or lends them a name, would otherwise be a cycle with each. Nothing across packages is
    lost: a module outside ``a`` importing anything inside it is an edge to ``a``, so a cycle that
    leaves a package and comes back into it is still found, and so is a cycle among a package's
    own modules.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "readiness"


@dataclass(frozen=True)
class Edge:
    """``source`` imports ``target`` at ``where`` (file:line)."""

    source: str
    target: str
    where: str


def module_names(root: Path, package: str) -> dict[str, Path]:
    """Every module of ``package`` under ``root`` by dotted name (a package by its ``__init__``)."""
    names = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement under ``node``, in functions too, skipping ``if TYPE_CHECKING:``
    bodies (their ``else`` runs)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                yield from _imports_of(other)
            continue
        yield from _imports_of(child)


def _imports_of(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    yield from _imports(node)


def _ancestors(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts))]


def import_edges(root: Path, package: str) -> list[Edge]:
    """The edges between ``package``'s modules (see the module docstring for the rules)."""
    modules = module_names(root, package)
    edges = []
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        own = set(_ancestors(name))
        for statement in _imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(statement, ast.Import):
                targets = [alias.name for alias in statement.names]
            else:
                base = statement.module or ""
                if statement.level:
                    anchor = name.split(".")
                    anchor = anchor[: len(anchor) - statement.level + (1 if is_package else 0)]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in statement.names:
                    submodule = f"{base}.{alias.name}"
                    targets.append(submodule if submodule in modules else base)
            where = f"{path.relative_to(root)}:{statement.lineno}"
            for target in targets:
                if target not in modules:
                    continue  # another library, or a name that is no module
                for reached in [*_ancestors(target), target]:
                    if reached != name and reached in modules and reached not in own:
                        edges.append(Edge(name, reached, where))
    return edges


def strongly_connected(nodes: list[str], edges: list[Edge]) -> list[list[str]]:
    """Tarjan's strongly connected components of the graph, each sorted."""
    following: dict[str, list[str]] = {node: [] for node in nodes}
    for edge in edges:
        following[edge.source].append(edge.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in following[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            components.append(sorted(component))

    for node in nodes:
        if node not in index:
            visit(node)
    return components


def describe_cycle(component: list[str], edges: list[Edge]) -> str:
    """One shortest cycle through the component's first module, each step with its import line,
    and the component's members."""
    inside = [edge for edge in edges if edge.source in component and edge.target in component]
    start = component[0]
    came_by: dict[str, Edge] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for edge in inside:
            if edge.source == node and edge.target not in came_by:
                came_by[edge.target] = edge
                queue.append(edge.target)
        if start in came_by:
            break
    steps = []
    node = start
    while True:
        edge = came_by[node]
        steps.append(f"  {edge.source} -> {edge.target}  ({edge.where})")
        node = edge.source
        if node == start:
            break
    return "\n".join([f"cycle among {', '.join(component)}:", *reversed(steps)])


def cycles(root: Path, package: str) -> list[str]:
    """A readable description of every import cycle in ``package`` (none: empty)."""
    edges = import_edges(root, package)
    nodes = sorted(module_names(root, package))
    return [
        describe_cycle(component, edges)
        for component in strongly_connected(nodes, edges)
        if len(component) > 1
    ]


def test_the_core_has_no_import_cycles() -> None:
    found = cycles(SOURCE, PACKAGE)
    assert not found, "import cycles (a lazy import counts):\n" + "\n".join(found)


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_a_cycle_closed_inside_a_function_is_found_and_a_type_only_import_is_not(
    tmp_path: Path,
) -> None:
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.b import f\n",
            "pkg/b.py": "def f():\n    from pkg import a\n    return a\n",
            "pkg/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg.a\n",
            "pkg/d.py": "import pkg.c\n",
        },
    )
    found = cycles(tmp_path, "pkg")
    assert len(found) == 1
    assert "cycle among pkg.a, pkg.b" in found[0]
    assert "pkg/b.py:2" in found[0]


def test_a_package_reexporting_its_modules_is_no_cycle_but_a_detour_through_it_is(
    tmp_path: Path,
) -> None:
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/store/__init__.py": "from pkg.store.audit import log\n",
            "pkg/store/audit.py": "from pkg.store.records import Row\nfrom pkg.access import may\n",
            "pkg/store/records.py": "from pkg.store import log\nclass Row: ...\n",
            "pkg/access.py": "may = 1\n",
            "pkg/other.py": "from . import access\n",
        },
    )
    assert cycles(tmp_path, "pkg") == []
    # access importing a module of the store runs the store's __init__, which imports access
    (tmp_path / "pkg/access.py").write_text("from pkg.store.records import Row\nmay = 1\n")
    found = cycles(tmp_path, "pkg")
    assert len(found) == 1
    assert "pkg.access -> pkg.store  (pkg/access.py:1)" in found[0]


def _loaded_after(statement: str) -> set[str]:
    """The modules loaded by a fresh interpreter running ``statement``."""
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(result.stdout))


@pytest.fixture(scope="module")
def loaded_by_store() -> set[str]:
    return _loaded_after("import readiness.store")


@pytest.mark.parametrize("library", ["scipy", "streamlit"])
def test_opening_the_store_loads_no_scipy_and_no_streamlit(
    loaded_by_store: set[str], library: str
) -> None:
    assert {name for name in loaded_by_store if name.split(".")[0] == library} == set()


def test_the_store_does_not_load_the_export(loaded_by_store: set[str]) -> None:
    assert "readiness.store" in loaded_by_store
    assert "readiness.export" not in loaded_by_store

"""pynet's import graph, read from the source (every import statement, those
inside functions too): the engine never imports the page's backend
(pynet.page), and no module imports itself through others (no cycle)."""

from __future__ import annotations

import ast
from pathlib import Path

PYNET = Path(__file__).resolve().parents[2] / "pynet"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PYNET.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph() -> dict[str, set[str]]:
    """module -> the pynet modules its import statements name."""
    files = {module_name(p): p for p in PYNET.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[:len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([base] if base else []))
                # "from pkg import x": x is a module when pkg.x is one, else a name in pkg
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in files else base
                           for a in node.names]
            else:
                continue
            edges.update(t for t in targets if t in files and t != name)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_graph_sees_the_imports_it_should():
    # the reader itself: a relative import, a "from . import module", one in a function
    graph = import_graph()
    assert "pynet.passes" in graph["pynet.trace"]
    assert "pynet.page.settings" in graph["pynet.page.data"]
    assert "pynet.page.requests" in graph["pynet.facade"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_engine_never_imports_the_page():
    graph = import_graph()
    wrong = {m: sorted(e for e in edges if e == "pynet.page" or e.startswith("pynet.page."))
             for m, edges in graph.items()
             if not m.startswith("pynet.page") and m != "pynet.facade"}
    assert {m: e for m, e in wrong.items() if e} == {}


def test_no_import_cycle_in_pynet():
    assert cycles(import_graph()) == []

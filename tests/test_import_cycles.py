"""No import cycles anywhere under ``annotator/`` (imports made only for type checking count
too: they tie modules together just the same when read or moved)."""

from __future__ import annotations

import sys

import grimp

ALLOWED_CYCLES: list[frozenset[str]] = []


def import_cycles(graph: grimp.ImportGraph) -> list[frozenset[str]]:
    """The graph's strongly connected components of more than one module (Tarjan), each a set
    of modules that all reach one another through imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for module in sorted(graph.modules):
            if module not in index:
                visit(module)
    finally:
        sys.setrecursionlimit(limit)
    return found


def test_the_package_has_no_import_cycles() -> None:
    graph = grimp.build_graph("annotator", cache_dir=None)
    cycles = [sorted(c) for c in import_cycles(graph) if c not in ALLOWED_CYCLES]
    assert cycles == [], f"import cycles: {cycles}"


def test_a_cycle_is_found() -> None:
    graph = grimp.ImportGraph()
    for module in ("pkg", "pkg.a", "pkg.b", "pkg.c", "pkg.d"):
        graph.add_module(module)
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.c")
    graph.add_import(importer="pkg.c", imported="pkg.a")
    graph.add_import(importer="pkg.c", imported="pkg.d")
    assert import_cycles(graph) == [frozenset({"pkg.a", "pkg.b", "pkg.c"})]

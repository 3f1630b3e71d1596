"""The Library is composed of services that share one Store and never import the facade back
(the mixins did, a five-file import cycle)."""

from __future__ import annotations

import ast
from pathlib import Path

import annotator.core.library as library_module
from annotator.core.library import Library

CORE = Path(library_module.__file__).parent


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_no_core_module_imports_the_facade() -> None:
    offenders = sorted(
        str(p.relative_to(CORE)) for p in CORE.rglob("*.py")
        if p.name != "library.py" and "annotator.core.library" in _imports(p)
    )
    assert offenders == []


def test_every_facade_method_reaches_its_service(tmp_path: Path) -> None:
    """Each name the Library lends from a service resolves, on an open project, to that
    service's bound method (a typo in the composition would only show when called)."""
    with Library.create(tmp_path / "p.annotator") as library:
        lent = [name for name, value in vars(Library).items() if type(value).__name__ == "_Via"]
        assert len(lent) > 50
        for name in lent:
            method = getattr(library, name)
            assert method.__name__ == name and method.__self__ is not library

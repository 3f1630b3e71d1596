"""The layers stay apart: the core imports without Qt; the GUI and CLI never reach the store."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "annotator"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def files_under(*parts: str) -> list[Path]:
    return sorted(PACKAGE.joinpath(*parts).rglob("*.py"))


def test_only_core_imports_sqlalchemy_whoosh_and_alembic() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "core":
            continue
        bad = imported_modules(path) & {"sqlalchemy", "whoosh", "alembic"}
        if bad:
            offenders.append(f"{rel}: {sorted(bad)}")
    assert offenders == []


def test_core_importers_export_never_import_qt() -> None:
    offenders = []
    for part in ("core", "importers", "export"):
        for path in files_under(part):
            if "PySide6" in imported_modules(path):
                offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


def test_core_importers_export_import_with_pyside6_absent() -> None:
    """Import every module of the Qt-free layers in a process where PySide6 cannot load."""
    script = r"""
import importlib, pkgutil, sys
class NoQt:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6.") or name == "shiboken6":
            raise ImportError("PySide6 is blocked in this test")
        return None
sys.meta_path.insert(0, NoQt())
import annotator
for pkg in ("annotator.core", "annotator.importers", "annotator.export"):
    module = importlib.import_module(pkg)
    for info in pkgutil.walk_packages(module.__path__, pkg + "."):
        if ".migrations" in info.name:
            continue  # Alembic loads these itself with a live connection
        importlib.import_module(info.name)
import annotator.cli  # the CLI must not need Qt either
assert "PySide6" not in sys.modules
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"

"""What the import contracts cannot see: modules loaded at run time (importlib, plugins). Every
module of the Qt-free layers, and the CLI, imports in a process where PySide6 cannot load."""

from __future__ import annotations

import subprocess
import sys


def test_core_importers_export_and_cli_import_with_pyside6_absent() -> None:
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

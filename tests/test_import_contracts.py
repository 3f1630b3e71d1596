"""The import contracts in pyproject.toml hold, and really fail when broken: each case below
copies the package to a temporary folder, adds one forbidden import, and runs ``lint-imports``
with the project's own configuration on the copy. (scripts/test runs the same command on the
real tree before pytest; this proves that a broken layer makes it fail.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# (module file to edit, the forbidden line added, the contract expected to break)
BROKEN = [
    ("core/text.py", "import PySide6", "Qt stays out of core, importers and export"),
    ("export/errors.py", "from annotator.gui import settings",
     "Layers: gui | cli above export | importers above core"),
    ("core/colours.py", "import annotator.importers", "Layers: gui | cli above export | importers above core"),
    ("importers/base.py", "import annotator.core.library",
     "Importers load no database, search engine or migrations"),
    ("gui/offsets.py", "import sqlalchemy", "Only core imports sqlalchemy, whoosh and alembic"),
    ("cli/_common.py", "from annotator.core._search import index",
     "Outside core, nothing reaches the store or the search engine"),
    ("cli/project_option.py", "import PySide6.QtCore", "The CLI needs no Qt"),
]


def lint_imports(package_parent: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=package_parent, env=env, capture_output=True, text=True, timeout=120,
    )


def test_the_real_tree_keeps_every_contract() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("path", "line", "contract"), BROKEN, ids=[case[0] for case in BROKEN])
def test_a_forbidden_import_breaks_its_contract(tmp_path: Path, path: str, line: str, contract: str) -> None:
    shutil.copytree(ROOT / "annotator", tmp_path / "annotator",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    target = tmp_path / "annotator" / path
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0, f"{line!r} in {path} broke no contract:\n{result.stdout}"
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, result.stdout


def test_scripts_test_runs_every_check_before_pytest() -> None:
    script = (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    checks = [script.index(f"\ncheck {name} ") for name in ("ruff", "mypy", "import-contracts")]
    assert checks == sorted(checks) and checks[-1] < script.index("-m pytest")

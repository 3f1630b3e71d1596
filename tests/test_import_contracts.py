"""The import contracts in pyproject.toml hold, and really fail when broken: the package is
copied to a temporary folder, one forbidden import per contract is added, and ``lint-imports``
runs with the project's own configuration on the copy (one run for all: each contract must
report its own violation). scripts/test runs the same command on the real tree before pytest,
so a broken layer fails it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# (module file to edit, the forbidden line added, the contract it breaks, the import reported)
BROKEN = [
    ("core/text.py", "import PySide6", "Qt stays out of core, importers and export",
     "annotator.core.text -> PySide6"),
    ("export/errors.py", "from annotator.gui import settings",
     "Layers: gui | cli above export | importers above core", "annotator.export.errors -> annotator.gui.settings"),
    ("core/colours.py", "import annotator.importers", "Layers: gui | cli above export | importers above core",
     "annotator.core.colours -> annotator.importers"),
    ("importers/base.py", "import annotator.core.library",
     "Importers load no database, search engine or migrations", "annotator.importers.base -> annotator.core.library"),
    ("gui/offsets.py", "import sqlalchemy", "Only core imports sqlalchemy, whoosh and alembic",
     "annotator.gui.offsets -> sqlalchemy"),
    ("cli/_common.py", "from annotator.core._search import index",
     "Outside core, nothing reaches the store or the search engine", "annotator.cli._common -> annotator.core._search"),
    ("cli/project_option.py", "import PySide6.QtCore", "The CLI needs no Qt",
     "annotator.cli.project_option -> PySide6"),
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


def test_each_contract_reports_a_forbidden_import(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "annotator", tmp_path / "annotator",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for path, line, _contract, _reported in BROKEN:
        target = tmp_path / "annotator" / path
        target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout
    broken = result.stdout.split("Broken contracts", 1)[-1]
    starts = sorted({broken.find(contract) for *_, contract, _reported in BROKEN} | {len(broken)})
    for path, line, contract, reported in BROKEN:
        start = broken.find(contract)
        assert start >= 0, f"{line!r} in {path} did not break {contract!r}:\n{result.stdout}"
        section = broken[start : starts[starts.index(start) + 1]]
        assert reported in section, f"{contract!r} did not report {reported!r}:\n{result.stdout}"


def test_scripts_test_runs_every_check_before_pytest() -> None:
    script = (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    checks = [script.index(f"\ncheck {name} ") for name in ("ruff", "mypy", "import-contracts")]
    assert checks == sorted(checks) and checks[-1] < script.index("-m pytest")

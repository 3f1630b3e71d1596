"""scripts/run and scripts/test share one install stamp: after either has set up .venv, the
other does not reinstall (a test install serves the app too), and a change to the build files
does reinstall. Played on a copy of the scripts with a stand-in for .venv's python that only
logs what pip was asked to do, and a dpkg-query that reports every system package present."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FAKE_PYTHON = """#!/bin/sh
echo "$*" >> "$(dirname "$0")/../pip.log"
"""
FAKE_DPKG_QUERY = """#!/bin/sh
printf 'install ok installed'
"""


def _executable(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "scripts", repo / "scripts")
    for name in ("pyproject.toml", "setup.py"):
        shutil.copyfile(ROOT / name, repo / name)
    _executable(repo / ".venv" / "bin" / "python", FAKE_PYTHON)
    _executable(tmp_path / "bin" / "dpkg-query", FAKE_DPKG_QUERY)
    return repo


def setup(repo: Path, *args: str) -> list[str]:
    """Run scripts/setup; the pip installs it asked for."""
    log = repo / ".venv" / "pip.log"
    log.unlink(missing_ok=True)
    env = {**os.environ, "PATH": f"{repo.parent / 'bin'}:{os.environ['PATH']}"}
    subprocess.run(["bash", "scripts/setup", *args], cwd=repo, env=env, check=True,
                   capture_output=True, text=True)
    calls = log.read_text().splitlines() if log.exists() else []
    return [c for c in calls if "install" in c and "-e" in c.split()]


def test_run_after_test_and_test_after_run_do_not_reinstall(checkout: Path) -> None:
    assert setup(checkout, "--test") == ["-m pip install -q -e .[test]"]
    assert setup(checkout) == []           # scripts/run after scripts/test
    assert setup(checkout, "--test") == []  # and scripts/test again
    assert setup(checkout) == []


def test_the_app_install_is_topped_up_with_the_test_tools_once(checkout: Path) -> None:
    assert setup(checkout) == ["-m pip install -q -e ."]
    assert setup(checkout, "--test") == ["-m pip install -q -e .[test]"]
    assert setup(checkout) == [] and setup(checkout, "--test") == []


@pytest.mark.parametrize("changed", ["pyproject.toml", "setup.py"])
def test_a_change_to_the_build_files_reinstalls_once_keeping_the_test_tools(
    checkout: Path, changed: str
) -> None:
    setup(checkout, "--test")
    with (checkout / changed).open("a") as f:
        f.write("\n# changed\n")
    assert setup(checkout) == ["-m pip install -q -e .[test]"]
    assert setup(checkout, "--test") == []


def test_both_scripts_set_up_through_scripts_setup() -> None:
    assert "\nscripts/setup\n" in (ROOT / "scripts" / "run").read_text()
    assert "scripts/setup --test" in (ROOT / "scripts" / "test").read_text()

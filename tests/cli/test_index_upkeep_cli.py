"""A search index that is behind, damaged or missing, seen from the command line (subprocesses,
as scripts run it): writing commands and ``search`` repair it when they can take the project,
``search`` says in one line when it cannot (the app holds the project), and no traceback ever
reaches stderr."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core.library import INDEX_DIR, Library
from tests.cli.test_cli_foundation import cli

# A project whose process died after committing documents but before the index caught up.
KILLED_IMPORT = """
import os, sys
from annotator.core.library import Library
from annotator.core.text import normalise_text
from annotator.core.extracted import Extracted
library = Library.open(sys.argv[1])
# A kill loses what is still queued for the index; dropping the updates makes that certain
# (a real kill races the writer thread, which sometimes catches up first).
library._store.apply_index = lambda update: None
for i in range(3):
    library.add_document(Extracted(text=normalise_text(f"Late tariff story {i}."), format="txt",
                                   title=f"Late {i}"))
os._exit(0)  # killed: the queued index updates never reach the disk
"""


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "Upkeep.annotator"
    with Library.create(folder) as library:
        for i in range(4):
            library.add_document(_extracted(f"Steel tariff story number {i}.", f"Story {i}"))
    return folder


def _extracted(text: str, title: str) -> object:
    from annotator.core.extracted import Extracted
    from annotator.core.text import normalise_text

    return Extracted(text=normalise_text(text), format="txt", title=title)


def _kill_an_import(project: Path) -> None:
    subprocess.run([sys.executable, "-c", KILLED_IMPORT, str(project)], check=True,
                   env={**os.environ}, timeout=120)
    # The queued updates were lost: the index lacks the three new documents.
    check = cli("check", project=project)
    assert check.returncode == 1 and "database 7" in check.stdout, check.stdout


def _damage(project: Path) -> None:
    for segment in (project / INDEX_DIR).glob("*.trm"):
        segment.write_bytes(b"\x00garbage" * 64)


def _assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "File \"" not in result.stderr, result.stderr


def test_search_after_a_killed_import_rebuilds_and_finds_everything(project: Path) -> None:
    _kill_an_import(project)
    result = cli("search", "tariff", "--limit", "50", project=project)
    assert result.returncode == 0, result.stderr
    assert "search index was out of date; rebuilt (7 documents)" in result.stderr
    assert len(result.stdout.splitlines()) == 7
    _assert_no_traceback(result)
    assert cli("check", project=project).returncode == 0


def test_a_writing_command_repairs_a_stale_index(project: Path) -> None:
    _kill_an_import(project)
    result = cli("doc-edit", "1", "--title", "Renamed", project=project)
    assert result.returncode == 0, result.stderr
    assert "rebuilt (7 documents)" in result.stderr
    check = cli("check", project=project)
    assert check.returncode == 0, check.stdout
    assert "Renamed" in cli("search", "title:renamed", project=project).stdout


def test_search_while_the_app_holds_the_project_warns_in_one_line(project: Path) -> None:
    _kill_an_import(project)
    with Library.open(project):  # this process is "the app": it holds the project lock
        result = cli("search", "tariff", "--limit", "50", project=project)
    assert result.returncode == 0
    notes = [line for line in result.stderr.splitlines() if "out of date" in line]
    assert len(notes) == 1
    assert "results may be incomplete: run `annotator reindex` or open the project in the app" in notes[0]
    assert "database 7" in notes[0]
    assert 4 <= len(result.stdout.splitlines()) < 7  # what the index has
    _assert_no_traceback(result)


def test_damaged_index_is_rebuilt_by_search_without_a_traceback(project: Path) -> None:
    _damage(project)
    result = cli("search", "tariff", project=project)
    assert result.returncode == 0, result.stderr
    assert "rebuilt (4 documents)" in result.stderr
    assert len(result.stdout.splitlines()) == 4
    _assert_no_traceback(result)


def test_damaged_index_while_locked_says_so_in_one_line(project: Path) -> None:
    with Library.open(project):
        _damage(project)
        result = cli("search", "tariff", project=project)
    assert result.returncode == 0
    _assert_no_traceback(result)
    assert "being rebuilt" not in result.stderr  # the CLI rebuilds nothing here
    assert sum("out of date" in line for line in result.stderr.splitlines()) == 1
    assert "damaged" in result.stderr
    assert len(result.stderr.splitlines()) <= 3  # the note, the hit count, nothing else


def test_missing_index_folder_is_rebuilt_by_search(project: Path) -> None:
    shutil.rmtree(project / INDEX_DIR)
    result = cli("search", "tariff", project=project)
    assert result.returncode == 0, result.stderr
    assert "rebuilt (4 documents)" in result.stderr
    assert "4 of 4 hits" in result.stderr


def test_debug_shows_what_the_quiet_default_hides(project: Path) -> None:
    with Library.open(project):
        _damage(project)
        quiet = cli("search", "tariff", project=project)
        loud = cli("--debug", "search", "tariff", project=project)
    assert "search index at" not in quiet.stderr
    assert "search index at" in loud.stderr

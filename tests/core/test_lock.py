"""A second writer gets a clear error naming the other process, not a corrupted project."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from annotator.core.errors import ProjectLocked
from annotator.core.library import Library


def _open_in_child(folder: Path, readonly: bool = False) -> subprocess.CompletedProcess[str]:
    script = textwrap.dedent(
        f"""
        from annotator.core.library import Library
        from annotator.core.errors import ProjectLocked
        try:
            lib = Library.open({str(folder)!r}, readonly={readonly!r})
        except ProjectLocked as exc:
            print("LOCKED", exc)
        else:
            print("OPEN", len(lib.documents()))
            lib.close()
        """
    )
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)


def test_second_process_writer_is_refused_with_the_pid(tmp_path: Path) -> None:
    import os

    folder = tmp_path / "p.annotator"
    with Library.create(folder):
        result = _open_in_child(folder)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"LOCKED project is open in another window (pid {os.getpid()})"
        # readers (CLI listings while the GUI runs) still work
        assert _open_in_child(folder, readonly=True).stdout.strip() == "OPEN 0"
    assert _open_in_child(folder).stdout.strip() == "OPEN 0"


def test_second_writer_in_the_same_process_is_refused(tmp_path: Path) -> None:
    with Library.create(tmp_path / "p.annotator"):
        with pytest.raises(ProjectLocked):
            Library.open(tmp_path / "p.annotator")


def test_lock_is_released_when_open_fails(tmp_path: Path) -> None:
    folder = tmp_path / "p.annotator"
    Library.create(folder).close()
    (folder / "project.sqlite").write_bytes(b"garbage that is not a database" * 10)
    with pytest.raises(Exception, match="project.sqlite"):
        Library.open(folder)
    (folder / "project.sqlite").unlink()
    for extra in folder.glob("project.sqlite-*"):
        extra.unlink()
    with pytest.raises(Exception, match="not an Annotator project"):
        Library.open(folder)

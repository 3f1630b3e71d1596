"""The CLI never costs the researcher data: a project it cannot trust is refused with a
message naming the file, and a command that fails writes nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.cli.test_cli_foundation import SAMPLE_TXT, cli


def _imported(tmp_path: Path) -> Path:
    folder = tmp_path / "Trade Talks.annotator"
    assert cli("init", str(folder)).returncode == 0
    assert cli("import", str(SAMPLE_TXT), project=folder).returncode == 0
    return folder


def test_writing_command_on_an_empty_database_keeps_every_source(tmp_path: Path) -> None:
    folder = _imported(tmp_path)
    sources = sorted(p.name for p in (folder / "sources").iterdir())
    assert sources
    for db_file in folder.glob("project.sqlite*"):
        db_file.write_bytes(b"") if db_file.name == "project.sqlite" else db_file.unlink()
    result = cli("import", str(SAMPLE_TXT), project=folder)
    assert result.returncode == 1
    assert "project.sqlite is empty (0 bytes) but the project holds 1 source file" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (folder / "sources").iterdir()) == sources
    assert (folder / "project.sqlite").stat().st_size == 0


def test_database_from_a_newer_version_is_named_for_reads_and_writes(tmp_path: Path) -> None:
    folder = _imported(tmp_path)
    with sqlite3.connect(folder / "project.sqlite") as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00dfeed'")
    conn.close()
    for args in (("docs",), ("doc-edit", "1", "--title", "New")):
        result = cli(*args, project=folder)
        assert result.returncode == 1, args
        assert "made by a newer version of Annotator" in result.stderr
        assert "Traceback" not in result.stderr and "needs an upgrade" not in result.stderr
    with sqlite3.connect(folder / "project.sqlite") as conn:
        assert conn.execute("SELECT title FROM documents").fetchone()[0] != "New"
    conn.close()


def test_a_failed_tag_command_creates_no_tag(tmp_path: Path) -> None:
    folder = _imported(tmp_path)
    result = cli("tag", "1", "--span", "5:99999", "--actor", "Ghost Actor", "--tag",
                 "mood:eerie", project=folder)
    assert result.returncode == 1
    assert "span 5:99999 is not inside the text" in result.stderr
    assert cli("tags", "--json", project=folder).stdout.strip() == "[]"
    assert cli("highlights", "--json", project=folder).stdout.strip() == "[]"


def test_unlisted_sources_are_moved_aside_with_a_note(tmp_path: Path) -> None:
    folder = _imported(tmp_path)
    stray = folder / "sources" / "00009 killed import.pdf"
    stray.write_bytes(b"%PDF-1.4")
    result = cli("doc-edit", "1", "--title", "Renamed", project=folder)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"annotator: note: 1 file in sources/ that no document lists moved to "
        f"{folder / 'orphaned-sources'}"]
    assert (folder / "orphaned-sources" / stray.name).read_bytes() == b"%PDF-1.4"

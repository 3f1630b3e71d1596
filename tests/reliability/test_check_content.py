"""Fault 7: `check` sees silent damage (a flipped byte in a quote or a date, a changed
original), names it, and offers the newest backup that passes; `--repair` fixes what is safe."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command

from annotator.core._db.engine import alembic_config, make_engine
from annotator.core.library import Library
from tests.cli.test_cli_foundation import cli
from tests.core.helpers import add_text, new_library

TEXT = ("The minister said further retaliation was possible. Ottawa weighed counter "
        "retaliation against steel duties, and others wanted calm.")


def _project(tmp_path: Path) -> Path:
    with new_library(tmp_path) as library:
        add_text(library, TEXT, title="Retaliation")
        start = TEXT.index("er retaliation")
        library.add_highlight(1, start, start + len("er retaliation"))
        library.backup()
        return library.folder


def _checkpoint(folder: Path) -> Path:
    db = folder / "project.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db


def _flip_in_row(db: Path, needle: bytes, replacement: bytes, changed: str) -> None:
    """Overwrite the occurrence of ``needle`` in the file that ``changed`` (a query) shows,
    as a bad sector or a damaged sync would: no SQL, no trigger."""
    data = bytearray(db.read_bytes())
    before = _query(db, changed)
    at = -1
    while (at := data.find(needle, at + 1)) != -1:
        trial = bytearray(data)
        trial[at:at + len(needle)] = replacement
        db.write_bytes(bytes(trial))
        if _query(db, changed) != before:
            return
    db.write_bytes(bytes(data))
    raise AssertionError(f"no occurrence of {needle!r} changes {changed}")


def _query(db: Path, sql: str) -> object:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_a_flipped_byte_in_a_quote_is_found_and_a_backup_offered(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    db = _checkpoint(folder)
    _flip_in_row(db, b"er retaliation", b"ermretaliation", "SELECT text FROM highlights")
    assert _query(db, "PRAGMA integrity_check") == [("ok",)]  # SQLite sees nothing wrong
    result = cli("check", project=folder)
    assert result.returncode == 1
    assert "damaged: 1 highlight(s) changed on disk" in result.stdout
    assert "quote text that is not at their offsets: highlight 1" in result.stdout
    assert "restore: the newest backup that passes is project-" in result.stdout
    name = result.stdout.split("`annotator restore ")[1].split("`")[0]
    assert cli("restore", name, project=folder).returncode == 0
    assert cli("check", project=folder).returncode == 0


def test_a_flipped_byte_in_a_date_is_found(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    db = _checkpoint(folder)
    created = _query(db, "SELECT created FROM highlights")[0][0]  # type: ignore[index]
    year = created[:4].encode()
    _flip_in_row(db, year + b"-", b"1" + year[1:] + b"-", "SELECT created FROM highlights")
    result = cli("check", project=folder)
    assert result.returncode == 1
    assert "damaged: 1 highlight(s) changed on disk" in result.stdout


def test_a_changed_original_is_found(tmp_path: Path) -> None:
    folder = tmp_path / "P.annotator"
    assert cli("init", str(folder)).returncode == 0
    article = tmp_path / "article.txt"
    article.write_text(TEXT)
    assert cli("import", str(article), project=folder).returncode == 0
    (stored,) = (folder / "sources").iterdir()
    stored.write_text(TEXT.replace("minister", "ministry"))
    result = cli("check", project=folder)
    assert result.returncode == 1 and "original(s) in sources/ changed since import" in result.stdout
    stored.unlink()
    result = cli("check", project=folder)
    assert "original(s) missing from sources/" in result.stdout


def test_repair_fixes_what_is_safe(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    (folder / "index.rebuilding").mkdir()
    conn = sqlite3.connect(folder / "project.sqlite")
    conn.execute("UPDATE documents SET title = 'Edited by hand'")
    conn.commit()
    conn.close()
    before = cli("check", project=folder)
    assert before.returncode == 1
    assert "repairable: 1 row(s) were changed outside Annotator" in before.stdout
    assert "leftover file(s)" in before.stdout and "stale" in before.stdout
    repaired = cli("check", "--repair", project=folder)
    assert "repaired: accepted 1 row(s) changed outside Annotator" in repaired.stdout
    assert "repaired: rebuilt the search index" in repaired.stdout
    assert repaired.returncode == 0, repaired.stdout
    assert not (folder / "index.rebuilding").exists()
    assert cli("check", project=folder).returncode == 0


def test_upgrading_an_older_project_computes_checksums_after_a_backup(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    engine = make_engine(folder / "project.sqlite")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    engine.dispose()
    for backup in (folder / "backups").iterdir():
        backup.unlink()
    with Library.open(folder) as library:
        report = library.verify_content()
        assert report.ok, report
        assert report.rows_verified == 2 and report.originals_verified == 0
        assert [b.reason for b in library.backups()] == ["before-upgrade"]


def test_checks_pass_on_a_busy_project(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        for n in range(5):
            add_text(library, f"Story {n}: " + TEXT, title=f"S{n}")
            library.add_highlight(n + 1, 10, 20, note=f"note {n}")
        library.update_document(2, title="Renamed")
        library.delete_documents([3])
        report = library.verify_content()
    assert report.ok, report
    assert report.quotes_verified == 4 and report.rows_verified == 4 + 4 + 4

"""Backups: made on open (daily), before bulk operations and restores, rotated, listed and
restored from the command line; each copy is one self-contained file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from annotator.core import backups
from annotator.core.library import Library
from tests.cli.test_cli_foundation import SAMPLE_TXT, cli
from tests.core.helpers import add_text, new_library


def _library_with_work(tmp_path: Path) -> Library:
    library = new_library(tmp_path)
    add_text(library, "Steel and aluminium tariffs were discussed at length.", title="One")
    add_text(library, "Dairy quotas came up again in the second round.", title="Two")
    library.add_highlight(1, 0, 5)
    return library


def test_a_backup_is_a_standalone_copy_with_its_counts(tmp_path: Path) -> None:
    with _library_with_work(tmp_path) as library:
        info = library.backup()
        library.add_highlight(2, 0, 5)  # later work is not in the copy
    assert info.path.parent == library.folder / "backups"
    assert (info.documents, info.highlights, info.reason) == (2, 1, "manual")
    assert not Path(f"{info.path}-wal").exists()
    conn = sqlite3.connect(info.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_open_backs_up_at_most_daily_and_rotation_keeps_n(tmp_path: Path) -> None:
    library = _library_with_work(tmp_path)
    folder = library.folder
    library.set_meta_value(backups.KEEP_META_KEY, "3")
    library.close()
    with Library.open(folder):
        pass
    daily = [b for b in backups.list_backups(folder) if b.reason == "daily"]
    assert len(daily) == 1
    with Library.open(folder) as again:  # the same day: no second copy
        assert [b.reason for b in again.backups()] == ["daily"]
        made = [again.backup() for _ in range(4)]
        kept = again.backups()
    assert len(kept) == 3
    assert [b.path for b in kept] == [b.path for b in reversed(made[1:])]


def test_deleting_documents_and_merging_tags_back_up_first(tmp_path: Path) -> None:
    with _library_with_work(tmp_path) as library:
        library.delete_documents([2])
        assert [b.reason for b in library.backups()] == ["before-delete"]
        assert library.backups()[0].documents == 2
        library.delete_documents([1])  # within the quarter hour: no second copy
        assert len(library.backups()) == 1


def test_cli_backup_list_and_restore_round_trip(tmp_path: Path) -> None:
    folder = tmp_path / "P.annotator"
    assert cli("init", str(folder)).returncode == 0
    assert cli("import", str(SAMPLE_TXT), project=folder).returncode == 0
    assert cli("tag", "1", "--span", "0:5", "--topic", "first", project=folder).returncode == 0
    outside = tmp_path / "copy.sqlite"
    made = cli("backup", "--to", str(outside), project=folder)
    assert made.returncode == 0 and outside.is_file(), made.stderr
    assert cli("backup", project=folder).returncode == 0
    assert cli("tag", "1", "--span", "6:9", "--topic", "second", project=folder).returncode == 0
    listed = json.loads(cli("backups", "--json", project=folder).stdout)
    assert {"path", "created", "size", "documents", "highlights"} <= set(listed[0])
    assert [b["created"] for b in listed] == sorted((b["created"] for b in listed), reverse=True)
    manual = next(b for b in listed if b["reason"] == "manual")
    assert manual["highlights"] == 1
    restored = cli("restore", manual["name"], project=folder)
    assert restored.returncode == 0, restored.stderr
    assert "restored" in restored.stdout
    highlights = json.loads(cli("highlights", "--json", project=folder).stdout)
    assert [h["topics"] for h in highlights] == [["first"]]
    safety = [b for b in json.loads(cli("backups", "--json", project=folder).stdout)
              if b["reason"] == "before-restore"]
    assert len(safety) == 1 and safety[0]["highlights"] == 2
    assert cli("check", project=folder).returncode == 0
    by_path = cli("restore", str(outside), project=folder)
    assert by_path.returncode == 0, by_path.stderr
    missing = cli("restore", "no-such-backup", project=folder)
    assert missing.returncode == 1 and "no backup 'no-such-backup'" in missing.stderr


def test_restore_refuses_a_file_that_is_not_a_project_database(tmp_path: Path) -> None:
    with _library_with_work(tmp_path) as library:
        folder = library.folder
    bogus = tmp_path / "notes.sqlite"
    conn = sqlite3.connect(bogus)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    result = cli("restore", str(bogus), project=folder)
    assert result.returncode == 1
    assert "not an Annotator project database" in result.stderr
    with Library.open(folder) as library:
        assert library.counts()["documents"] == 2


def test_restore_works_when_the_database_is_damaged_and_keeps_its_bytes(tmp_path: Path) -> None:
    with _library_with_work(tmp_path) as library:
        folder = library.folder
        good = library.backup()
    db = folder / "project.sqlite"
    damaged = b"\x00garbage" * 512 + db.read_bytes()[4096:]
    db.write_bytes(damaged)
    assert cli("highlights", project=folder).returncode == 1
    result = cli("restore", good.name, project=folder)
    assert result.returncode == 0, result.stderr
    kept = [b for b in backups.list_backups(folder) if b.reason == "before-restore-damaged"]
    assert len(kept) == 1 and kept[0].path.read_bytes() == damaged
    assert cli("check", project=folder).returncode == 0
    assert json.loads(cli("highlights", "--json", project=folder).stdout)[0]["id"] == 1

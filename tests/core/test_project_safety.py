"""A project whose database is empty, missing, another program's or a newer Annotator's is
refused with the file's name, and nothing in the folder is changed; files the database does
not list are moved aside, never deleted."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.core.errors import ProjectError
from annotator.core.extracted import Extracted
from annotator.core.library import Library


def _project_with_original(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "Trade Talks.annotator"
    src = tmp_path / "brief.txt"
    src.write_text("Ottawa and Washington resumed talks on tariffs.", encoding="utf-8")
    with Library.create(folder) as library:
        doc = library.add_document(Extracted(text=src.read_text(), format="txt"), original=src)
        copy = library.original_path(doc.id)
    assert copy is not None and copy.is_file()
    return folder, copy


def _folder_state(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and p.name != "project.lock"}


@pytest.mark.parametrize("readonly", [False, True])
def test_empty_database_over_a_library_is_refused(tmp_path: Path, readonly: bool) -> None:
    folder, copy = _project_with_original(tmp_path)
    (folder / "project.sqlite").write_bytes(b"")
    for leftover in folder.glob("project.sqlite-*"):
        leftover.unlink()
    before = _folder_state(folder)
    with pytest.raises(ProjectError, match=r"project\.sqlite is empty \(0 bytes\) but the "
                       r"project holds 1 source file and a search index: refusing"):
        Library.open(folder, readonly=readonly)
    assert _folder_state(folder) == before
    assert copy.is_file() and not (folder / "orphaned-sources").exists()


def test_database_without_tables_over_a_library_is_refused(tmp_path: Path) -> None:
    folder, copy = _project_with_original(tmp_path)
    db = folder / "project.sqlite"
    db.unlink()
    for leftover in folder.glob("project.sqlite-*"):
        leftover.unlink()
    sqlite3.connect(db).execute("PRAGMA user_version=0").connection.commit()
    with pytest.raises(ProjectError, match="holds no tables but the project holds 1 source file"):
        Library.open(folder)
    assert copy.is_file()


def test_missing_database_over_a_library_is_not_recreated(tmp_path: Path) -> None:
    folder, copy = _project_with_original(tmp_path)
    for db_file in folder.glob("project.sqlite*"):
        db_file.unlink()
    with pytest.raises(ProjectError, match=r"project\.sqlite is missing but the project holds"):
        Library.create(folder)
    assert not (folder / "project.sqlite").exists()
    assert copy.is_file()


def test_empty_database_file_alone_becomes_a_project(tmp_path: Path) -> None:
    folder = tmp_path / "p.annotator"
    folder.mkdir()
    (folder / "project.sqlite").write_bytes(b"")
    with Library.open(folder) as library:
        assert {c.name for c in library.categories()} >= {"actor", "topic"}


def test_empty_database_alone_is_refused_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "p.annotator"
    folder.mkdir()
    (folder / "project.sqlite").write_bytes(b"")
    with pytest.raises(ProjectError, match="is empty; open the project for writing once"):
        Library.open(folder, readonly=True)


@pytest.mark.parametrize("with_sources", [False, True])
def test_another_programs_database_is_refused_and_not_changed(
    tmp_path: Path, with_sources: bool
) -> None:
    folder = tmp_path / "p.annotator"
    folder.mkdir()
    if with_sources:
        (folder / "sources").mkdir()
        (folder / "sources" / "00001 kept.pdf").write_bytes(b"%PDF")
    db = folder / "project.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)")
        conn.execute("INSERT INTO photos (path) VALUES ('beach.jpg')")
    conn.close()
    before = db.read_bytes()
    for readonly in (False, True):
        with pytest.raises(ProjectError, match=r"project\.sqlite is not an Annotator database "
                           r"\(it holds other tables: photos\); refusing to change it"):
            Library.open(folder, readonly=readonly)
    assert db.read_bytes() == before
    if with_sources:
        assert (folder / "sources" / "00001 kept.pdf").is_file()


def test_another_alembic_programs_database_is_not_taken_for_a_newer_annotator(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "p.annotator"
    folder.mkdir()
    with sqlite3.connect(folder / "project.sqlite") as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.execute("INSERT INTO alembic_version VALUES ('ae1027a6acf')")
        conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY)")
    conn.close()
    with pytest.raises(ProjectError, match="is not an Annotator database"):
        Library.open(folder)


@pytest.mark.parametrize("readonly", [False, True])
def test_database_from_a_newer_version_is_refused(tmp_path: Path, readonly: bool) -> None:
    folder, copy = _project_with_original(tmp_path)
    db = folder / "project.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0042'")
    conn.close()
    with pytest.raises(ProjectError, match=r"made by a newer version of Annotator \(schema 0042"):
        Library.open(folder, readonly=readonly)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0042",)
    conn.close()
    assert list(folder.glob("*before-upgrade*")) == []
    assert copy.is_file()


def test_files_the_database_does_not_list_are_moved_aside_not_deleted(tmp_path: Path) -> None:
    """As after restoring an older backup of project.sqlite: later imports' originals are
    unlisted, and must survive."""
    folder, copy = _project_with_original(tmp_path)
    later = folder / "sources" / "00002 later report.pdf"
    later.write_bytes(b"%PDF-1.7 later")
    (folder / "orphaned-sources").mkdir()
    (folder / "orphaned-sources" / "00002 later report.pdf").write_bytes(b"earlier orphan")
    with Library.open(folder) as library:
        moved = folder / "orphaned-sources" / "00002 later report (2).pdf"
        assert library.orphaned_sources == [moved]
        assert library.open_note == (
            f"1 file in sources/ that no document lists moved to {folder / 'orphaned-sources'}")
        assert library.original_path(1) == copy
    assert copy.is_file() and not later.exists()
    assert moved.read_bytes() == b"%PDF-1.7 later"
    assert (folder / "orphaned-sources" / "00002 later report.pdf").read_bytes() == b"earlier orphan"

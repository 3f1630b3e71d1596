"""Project folders: creation, layout on disk, broken folders get clear messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import ProjectError, ReadOnlyProject
from annotator.core.library import Library
from tests.core.helpers import add_text


def test_project_folder_layout(tmp_path: Path) -> None:
    src = tmp_path / "brief.txt"
    src.write_text("Ottawa and Washington resumed talks on tariffs.", encoding="utf-8")
    with Library.create(tmp_path / "Trade Talks.annotator") as library:
        from annotator.core.extracted import Extracted

        doc = library.add_document(
            Extracted(text="Ottawa and Washington resumed talks on tariffs.", format="txt"),
            original=src,
        )
        assert library.name == "Trade Talks"
        assert doc.title == "brief"
        copy = library.original_path(doc.id)
        assert copy is not None and copy.read_bytes() == src.read_bytes()
        assert copy.parent == tmp_path / "Trade Talks.annotator" / "sources"
    assert (tmp_path / "Trade Talks.annotator" / "project.sqlite").is_file()
    assert (tmp_path / "Trade Talks.annotator" / "index").is_dir()


def test_create_refuses_an_existing_project(tmp_path: Path) -> None:
    Library.create(tmp_path / "p").close()
    with pytest.raises(ProjectError, match="already holds a project"):
        Library.create(tmp_path / "p")


def test_open_missing_or_foreign_folder(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="does not exist"):
        Library.open(tmp_path / "nowhere")
    (tmp_path / "photos").mkdir()
    with pytest.raises(ProjectError, match="not an Annotator project"):
        Library.open(tmp_path / "photos")


def test_damaged_database_is_named_and_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "p.annotator"
    Library.create(folder).close()
    db = folder / "project.sqlite"
    db.write_bytes(b"\x00" * 4096)
    with pytest.raises(ProjectError, match=r"project\.sqlite is damaged or not a database"):
        Library.open(folder)
    assert db.read_bytes() == b"\x00" * 4096


def test_read_only_open_refuses_writes(tmp_path: Path) -> None:
    folder = tmp_path / "p.annotator"
    with Library.create(folder) as library:
        add_text(library, "Some text about NORAD.")
    with Library.open(folder, readonly=True) as reader:
        assert [d.title for d in reader.documents()] == ["Doc"]
        with pytest.raises(ReadOnlyProject):
            reader.create_tag("Carney", "actor")


def test_orphan_copies_from_a_killed_import_are_moved_aside_on_open(tmp_path: Path) -> None:
    folder = tmp_path / "p.annotator"
    Library.create(folder).close()
    (folder / "sources").mkdir(exist_ok=True)
    orphan = folder / "sources" / "00007 half-imported.pdf"
    orphan.write_bytes(b"%PDF-1.4 partial")
    with Library.open(folder) as library:
        moved = folder / "orphaned-sources" / "00007 half-imported.pdf"
        assert library.orphaned_sources == [moved]
    assert not orphan.exists()
    assert moved.read_bytes() == b"%PDF-1.4 partial"


def test_default_project_follows_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.paths import default_project_dir

    monkeypatch.setenv("ANNOTATOR_PROJECT", str(tmp_path / "Env.annotator"))
    assert default_project_dir() == tmp_path / "Env.annotator"
    monkeypatch.delenv("ANNOTATOR_PROJECT")
    assert default_project_dir().name == "My Project.annotator"
    import os

    assert default_project_dir().is_relative_to(os.environ["XDG_DATA_HOME"])

"""``check`` catches what counts and generation miss: edits made in the SQLite file behind
Annotator's back (content fingerprint) and flipped bytes inside index files (``--deep``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.core.library import DB_NAME, INDEX_DIR, Library
from tests.cli.test_cli_foundation import cli
from tests.core.helpers import add_text, new_library

EDITS = {
    "note": "UPDATE notes SET text = 'fellow up' WHERE text = 'follow up'",
    "tag name": "UPDATE tags SET name = 'Mark Karney' WHERE name = 'Mark Carney'",
    "title": "UPDATE documents SET title = 'Steel tariff' WHERE title = 'Steel tariffs'",
    "author": "UPDATE documents SET author = 'Jane Hoekstrb' WHERE author = 'Jane Hoekstra'",
    "tag link": "UPDATE highlight_tags SET tag_id = (SELECT max(id) FROM tags)",
}


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    library = new_library(tmp_path)
    try:
        doc = add_text(library, "Carney answers the steel tariffs with retaliation.",
                       title="Steel tariffs", author="Jane Hoekstra")
        carney = library.create_tag("Mark Carney", "actor")
        library.create_tag("Tariffs", "topic")
        library.add_highlight(doc.id, 0, 6, tag_ids=[carney.id], note="follow up")
        assert library.check()[0]
    finally:
        library.close()
    return library.folder


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_count_preserving_edits_behind_the_back_are_detected(project: Path, edit: str) -> None:
    with sqlite3.connect(project / DB_NAME) as db:
        assert db.execute(EDITS[edit]).rowcount == 1
    with Library.open(project, readonly=True) as library:
        ok, message = library.check()
    assert not ok and "edited outside Annotator" in message
    with Library.open(project) as library:
        library.reindex()
        assert library.check() == (True, "index and database agree: 1 documents, 1 highlights")


def test_edits_through_the_library_keep_the_fingerprint_current(project: Path) -> None:
    with Library.open(project) as library:
        hl = library.highlights()[0]
        library.set_highlight_note(hl.id, "follow up soon")
        library.set_document_note(hl.document_id, "check the figures")
        library.update_document(hl.document_id, title="Renamed")
        tag = library.create_tag("Ottawa", "actor")
        library.add_highlight(hl.document_id, 7, 14, tag_ids=[tag.id])
    with Library.open(project, readonly=True) as library:
        assert library.check()[0], library.check()[1]


def _flip_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    for i in range(middle, min(middle + 8, len(data))):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def test_check_deep_finds_flipped_bytes_in_postings_and_reindex_repairs(tmp_path: Path) -> None:
    library = new_library(tmp_path)
    try:
        for i in range(40):
            add_text(library, f"Story {i} on steel tariffs, retaliation and duties, part {i}.")
        library.reindex()  # one segment
    finally:
        library.close()
    folder = library.folder
    (segment,) = (folder / INDEX_DIR).glob("*.pst")
    _flip_middle(segment)
    shallow = cli("check", project=folder)
    deep = cli("check", "--deep", project=folder)
    assert shallow.returncode == 0  # counts and meta still read fine
    assert deep.returncode == 1 and "damaged" in deep.stdout, deep.stdout
    assert len(deep.stdout.splitlines()) == 1 and "Traceback" not in deep.stderr
    assert cli("reindex", project=folder).returncode == 0
    again = cli("check", "--deep", project=folder)
    assert again.returncode == 0 and again.stdout.startswith("index and database agree: 40 documents")

"""Through the Library: the index follows every edit, and an edit made to the database behind
its back (or a lost index) is reported by check() and repaired by reindex()."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from annotator.core.library import Library
from tests.core.helpers import add_text, new_library

TEXT = "Prime Minister Mark Carney said Canada is ready for retaliation on steel tariffs."


def _project(tmp_path: Path) -> tuple[Path, int]:
    with new_library(tmp_path) as library:
        doc = add_text(library, TEXT, title="Steel")
        add_text(library, "NORAD radar upgrade news.", title="NORAD")
        carney = library.create_tag("Mark Carney", "actor")
        start = TEXT.index("Canada")
        library.add_highlight(doc.id, start, len(TEXT), tag_ids=[carney.id], note="follow up")
        library.reindex()
        folder = library.folder
    return folder, doc.id


def test_edits_are_searchable_at_once(tmp_path: Path) -> None:
    folder, doc_id = _project(tmp_path)
    with Library.open(folder) as library:
        assert library.check()[0]
        (highlight,) = library.highlights(doc_id)
        library.set_highlight_note(highlight.id, "compare with the June figures")
        assert {h.kind for h in library.search("note:june").hits} == {"note"}
        assert library.search("note:follow").hits == ()
        library.delete_highlights([highlight.id])
        assert library.search('actor:"Mark Carney"').hits == ()
        assert library.check()[0]


def test_database_edited_behind_the_index_is_stale_until_reindexed(tmp_path: Path) -> None:
    folder, _ = _project(tmp_path)
    with sqlite3.connect(folder / "project.sqlite") as conn:
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("DELETE FROM notes")
        conn.execute("DELETE FROM highlights")
    with Library.open(folder) as library:
        ok, message = library.check()
        assert not ok and "highlights" in message
        library.reindex()
        assert library.check()[0]
        assert library.search("in:highlights retaliation").hits == ()


def test_lost_or_corrupted_index_is_reported_and_rebuilt(tmp_path: Path) -> None:
    folder, _ = _project(tmp_path)
    shutil.rmtree(folder / "index")
    with Library.open(folder) as library:
        library.reindex()
        assert library.check()[0]
    for segment in (folder / "index").glob("MAIN_*"):
        if "WRITELOCK" not in segment.name:
            segment.write_bytes(b"\x00" * 64)
    with Library.open(folder) as library:
        ok, message = library.check()
        assert not ok and "damaged" in message
        library.reindex()
        assert library.check()[0]
        assert library.search("retaliation").total == 2

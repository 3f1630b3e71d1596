"""Library-level index upkeep: hits on records the database lost are dropped, and
``refresh_index`` rebuilds only an index that is not current."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.core.library import DB_NAME
from tests.core.helpers import add_text, new_library


def test_hits_whose_records_are_gone_from_the_database_are_dropped(tmp_path: Path) -> None:
    library = new_library(tmp_path)
    try:
        kept = add_text(library, "Steel tariffs rise again.", title="Kept")
        gone = add_text(library, "Aluminium tariffs fall.", title="Gone")
        hl = library.add_highlight(kept.id, 0, 5)
        library.add_highlight(gone.id, 0, 9)
        assert library.search("tariffs OR steel OR aluminium").total == 4
        with sqlite3.connect(library.folder / DB_NAME) as db:  # behind the index's back
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("DELETE FROM documents WHERE id = ?", (gone.id,))
        results = library.search("tariffs OR steel OR aluminium")
        assert {(h.document_id, h.highlight_id) for h in results.hits} == {
            (kept.id, None), (kept.id, hl.id)
        }
        assert results.total == 2
    finally:
        library.close()


def test_refresh_index_rebuilds_only_when_needed(tmp_path: Path) -> None:
    library = new_library(tmp_path)
    try:
        add_text(library, "Steel tariffs rise again.")
        assert library.refresh_index() is None
        with sqlite3.connect(library.folder / DB_NAME) as db:
            db.execute("UPDATE meta SET value = value + 5 WHERE key = 'generation'")
        problem = library.refresh_index()
        assert problem is not None and "generation" in problem
        assert library.index_problem() is None
    finally:
        library.close()


def test_document_hits_in_paged_sources_carry_the_page_of_the_first_match(tmp_path: Path) -> None:
    from annotator.core.extracted import Extracted
    from annotator.core.text import normalise_text

    pages = ["Page one is about budgets.\n", "Page two mentions tariffs first.\n",
             "Page three: tariffs again.\n"]
    text = "".join(pages)
    bounds, start = [], 0
    for page in pages:
        bounds.append((start, start + len(page)))
        start += len(page)
    library = new_library(tmp_path)
    try:
        pdf = library.add_document(Extracted(text=normalise_text(text), format="pdf",
                                             title="Paged", pages=tuple(bounds)))
        add_text(library, "Unpaged tariffs.", title="Plain")
        hits = {h.title: h for h in library.search("tariffs").hits if h.kind == "document"}
        assert hits["Paged"].page == 2 and hits["Paged"].document_id == pdf.id
        assert hits["Plain"].page is None
        assert library.search("budgets").hits[0].page == 1
        assert library.search("title:paged").hits[0].page is None  # no match in the text
    finally:
        library.close()

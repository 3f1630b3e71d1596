"""The reader's document text is kept explicitly (``document_text(keep=True)``) so tagging
quotes from it without reading it back, and a deleted document is forgotten: SQLite may give
the next import its id."""

from __future__ import annotations

from pathlib import Path

from tests.core.helpers import add_text, new_library


def test_tagging_quotes_the_kept_text_and_only_what_was_kept(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        doc = add_text(library, "Alpha beta gamma delta.")
        assert library._store.texts.get(doc.id) is None
        library.document_text(doc.id)  # a plain read keeps nothing
        assert library._store.texts.get(doc.id) is None
        assert library.document_text(doc.id, keep=True) == "Alpha beta gamma delta."
        assert library._store.texts.get(doc.id) is not None
        made = library.add_highlight(doc.id, 6, 10)
        assert made.text == "beta" == library.highlight(made.id).text


def test_a_deleted_documents_kept_text_never_quotes_for_the_document_that_takes_its_id(
        tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        old = add_text(library, "Old words here, kept by the reader.")
        library.document_text(old.id, keep=True)
        library.delete_documents([old.id])
        assert library._store.texts.get(old.id) is None
        new = add_text(library, "Entirely different text.")
        assert new.id == old.id  # SQLite reused the id
        made = library.add_highlight(new.id, 0, 8)
        assert made.text == "Entirely"


def test_the_cache_keeps_the_reader_document_and_the_one_before(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        docs = [add_text(library, f"Text number {i} here.", title=f"D{i}") for i in range(3)]
        for doc in docs:
            library.document_text(doc.id, keep=True)
        kept = [d.id for d in docs if library._store.texts.get(d.id) is not None]
        assert kept == [docs[1].id, docs[2].id]
        # A paged document's page map is kept once a write parsed it.
        library.add_highlight(docs[2].id, 0, 4)
        known = library._store.texts.get(docs[2].id)
        assert known is not None and known.page_map == ()


def test_undo_snapshots_are_read_in_the_deleting_transaction(tmp_path: Path) -> None:
    """``Store.read`` inside a write is the writing session: what undo keeps is what the
    transaction deletes, whatever another thread commits meanwhile."""
    with new_library(tmp_path) as library:
        store = library._store
        with store.write() as writing, store.read() as reading:
            assert reading is writing
        with store.read() as outside:
            assert outside is not writing

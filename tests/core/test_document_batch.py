"""``Library.add_documents``: many documents in one write, each succeeding or failing alone,
ids in item order, the returned documents what reading them back gives."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from annotator.core.errors import DuplicateDocument, InvalidInput
from annotator.core.extracted import Extracted, NewDocument
from annotator.core.library import Library
from annotator.core.original_copy import stage_copy


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    lib = Library.create(tmp_path / "p.annotator")
    try:
        yield lib
    finally:
        lib.close()


def _file(folder: Path, name: str, text: str) -> tuple[Path, Extracted]:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path, Extracted(text=text, format="txt", title=name.split(".")[0],
                           original_bytes=text.encode())


def test_batch_stores_in_item_order_and_each_failure_stays_its_own(
    library: Library, tmp_path: Path
) -> None:
    earlier = library.add_document(Extracted(text="Already here: the dairy quota memo.",
                                             format="txt", title="memo"))
    a, a_text = _file(tmp_path / "in", "a.txt", "Carney met Trump in Ottawa.")
    b, b_text = _file(tmp_path / "in", "b.txt", "Tariffs on steel came first.")
    again, again_text = _file(tmp_path / "in", "again.txt", "Carney met Trump in Ottawa.")
    empty, empty_text = _file(tmp_path / "in", "empty.txt", "   ")
    dup, dup_text = _file(tmp_path / "in", "dup.txt", "Already here: the dairy quota memo.")
    noted = Extracted(text="A garbled page.", format="pdf", title="scan",
                      published=date(2025, 3, 1), pages=((0, 15),), note="Text layer garbled.")
    results = library.add_documents([
        NewDocument(a_text, a), NewDocument(empty_text, empty), NewDocument(b_text, b),
        NewDocument(again_text, again), NewDocument(dup_text, dup), NewDocument(noted),
    ])
    stored_a, no_text, stored_b, same_as_a, already, scan = results
    assert isinstance(no_text, InvalidInput)
    assert isinstance(same_as_a, DuplicateDocument) and same_as_a.existing_id == stored_a.id
    assert isinstance(already, DuplicateDocument) and already.existing_id == earlier.id
    assert [stored_a.id, stored_b.id, scan.id] == [earlier.id + 1, earlier.id + 2, earlier.id + 3]
    # What came back is what reading it back gives.
    for document in (stored_a, stored_b, scan):
        assert library.document(document.id) == document
    assert library.document_text(stored_b.id) == "Tariffs on steel came first."
    assert sorted(p.name for p in (library.folder / "sources").iterdir()) == [
        f"{stored_a.id:05d} a.txt", f"{stored_b.id:05d} b.txt"]
    assert library.search("steel").total == 1
    assert library.search("garbled").total == 1  # the note is indexed with its document


def test_a_copy_that_cannot_be_written_fails_its_item_alone(
    library: Library, tmp_path: Path
) -> None:
    a, a_text = _file(tmp_path / "in", "a.txt", "First memo on NORAD.")
    gone, gone_text = _file(tmp_path / "in", "gone.txt", "Second memo on dairy.")
    c, c_text = _file(tmp_path / "in", "c.txt", "Third memo on lumber.")
    gone.unlink()
    # No bytes kept and the file vanished: its copy cannot be written.
    gone_text = Extracted(text=gone_text.text, format="txt", title="gone")
    first, failed, third = library.add_documents([
        NewDocument(a_text, a), NewDocument(gone_text, gone), NewDocument(c_text, c)])
    assert isinstance(failed, InvalidInput) and "vanished" in str(failed)
    assert [d.title for d in library.documents()] == ["a", "c"]
    assert {first.id, third.id} == {d.id for d in library.documents()}
    assert sorted(p.name for p in (library.folder / "sources").iterdir()) == [
        f"{first.id:05d} a.txt", f"{third.id:05d} c.txt"]


def test_staged_copies_are_renamed_into_place_and_leftovers_removed(
    library: Library, tmp_path: Path
) -> None:
    a, a_text = _file(tmp_path / "in", "a.txt", "Staged memo on tariffs.")
    b, b_text = _file(tmp_path / "in", "b.txt", "Staged memo on tariffs.")  # a duplicate
    folder = library.staging_folder()
    assert folder is not None
    staged_a = stage_copy(folder, a, a.read_bytes())
    staged_b = stage_copy(folder, b, b.read_bytes())
    stored, duplicate = library.add_documents([
        NewDocument(a_text, a, staged_copy=staged_a), NewDocument(b_text, b, staged_copy=staged_b)])
    assert isinstance(duplicate, DuplicateDocument)
    assert sorted(p.name for p in folder.iterdir()) == [f"{stored.id:05d} a.txt"]
    assert (folder / f"{stored.id:05d} a.txt").read_bytes() == a.read_bytes()

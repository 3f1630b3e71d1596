"""Every Library write describes itself: one ``Changes`` built where it writes, published to
subscribers and to ``collect_changes`` on the writing thread. The GUI's undo commands only
forward these, so what is checked here is what every pane is told."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from annotator.core.changes import Changes
from annotator.core.library import Library
from annotator.core.models import TagRef
from tests.core.helpers import add_text, new_library

TEXT = "Carney met Trump in Ottawa. Tariffs on steel were the first topic. Then dairy."


@pytest.fixture()
def library(tmp_path: Path) -> Iterator[Library]:
    library = new_library(tmp_path)
    yield library
    library.close()


def one_change(library: Library, write: Callable[[], Any]) -> tuple[Any, Changes]:
    """What ``write()`` returned and the single Changes it published."""
    with library.collect_changes() as collected:
        result = write()
    assert collected.writes == 1
    return result, collected.changes


def test_tagging_a_passage_names_it_and_carries_it_as_written_with_its_documents_count(library: Library) -> None:
    doc = add_text(library, TEXT)
    carney = library.create_tag("Mark Carney", "actor")
    made, changes = one_change(library, lambda: library.add_highlight(doc.id, 0, 6, tag_ids=[carney.id], note="who"))
    assert changes.highlights == {made.id} and changes.documents == {doc.id}
    assert changes.tags == {carney.id} and changes.notes
    assert changes.fresh_rows() == {made.id: made} and made == library.highlight(made.id)
    assert changes.counts() == {doc.id: 1}
    assert not changes.same_highlight_counts and not changes.codebook


def test_retagging_names_only_the_tags_that_came_or_went(library: Library) -> None:
    doc = add_text(library, TEXT)
    a, b, c = (library.create_tag(n, "topic") for n in ("steel", "dairy", "trade"))
    h = library.add_highlight(doc.id, 28, 60, tag_ids=[a.id, b.id])
    written, changes = one_change(library, lambda: library.set_highlight_tags(h.id, [b.id, c.id]))
    assert changes.tags == {a.id, c.id}
    assert changes.same_highlight_counts and changes.fresh_rows() == {h.id: written}
    assert [t.id for t in written.tags] == sorted([b.id, c.id], key=lambda i: library.tag(i).name)


def test_deleting_and_restoring_highlights_report_the_new_counts(library: Library) -> None:
    doc = add_text(library, TEXT)
    tag = library.create_tag("steel", "topic")
    h = library.add_highlight(doc.id, 28, 60, tag_ids=[tag.id])
    gone, deleted = one_change(library, lambda: library.delete_highlights([h.id]))
    assert deleted.highlights == {h.id} and deleted.tags == {tag.id}
    assert deleted.fresh_rows() == {} and deleted.counts() == {doc.id: 0}
    _, restored = one_change(library, lambda: library.restore_highlights(gone))
    assert restored.highlights == {h.id} and restored.counts() == {doc.id: 1}
    assert restored.fresh_rows() is None  # a tag may have gone meanwhile: views read it


def test_recolouring_a_tag_hands_over_its_new_ref_and_names_no_highlight(library: Library) -> None:
    doc = add_text(library, TEXT)
    tag = library.create_tag("steel", "topic")
    library.add_highlight(doc.id, 28, 60, tag_ids=[tag.id])
    _, changes = one_change(library, lambda: library.update_tag(tag.id, colour="#123456"))
    assert changes.codebook and changes.tags == {tag.id} and not changes.highlights
    assert changes.tag_refs == (TagRef(tag.id, "steel", "topic", "#123456"),)


def test_deleting_and_merging_tags_name_the_highlights_whose_paint_follows(library: Library) -> None:
    doc = add_text(library, TEXT)
    steel, metal = library.create_tag("steel", "topic"), library.create_tag("metal", "topic")
    h = library.add_highlight(doc.id, 28, 60, tag_ids=[metal.id])
    record, merged = one_change(library, lambda: library.merge_tags([metal.id], steel.id))
    assert merged.tags == {steel.id, metal.id} and merged.highlights == {h.id}
    assert merged.documents == {doc.id} and merged.codebook
    _, undone = one_change(library, lambda: library.undo_merge(record))
    assert undone.highlights == {h.id} and undone.tags == {steel.id, metal.id}
    _, deleted = one_change(library, lambda: library.delete_tag(metal.id))
    assert deleted.highlights == {h.id} and deleted.documents == {doc.id}


def test_document_writes_say_documents_came_or_went(library: Library) -> None:
    doc, added = one_change(library, lambda: add_text(library, TEXT))
    assert added.documents == {doc.id} and added.documents_added_or_removed
    h = library.add_highlight(doc.id, 0, 6)
    snapshots, deleted = one_change(library, lambda: library.delete_documents([doc.id]))
    assert deleted.documents_added_or_removed and deleted.highlights == {h.id}
    _, restored = one_change(library, lambda: library.restore_document(snapshots[0]))
    assert restored.documents == {doc.id} and restored.documents_added_or_removed
    _, edited = one_change(library, lambda: library.update_document(doc.id, title="New"))
    assert edited.documents == {doc.id} and not edited.documents_added_or_removed
    _, noted = one_change(library, lambda: library.set_document_note(doc.id, "memo"))
    assert noted.documents == {doc.id} and noted.notes


def test_codebook_and_saved_search_writes_say_so(library: Library) -> None:
    _, added = one_change(library, lambda: library.add_category("stance"))
    assert added.codebook
    _, saved = one_change(library, lambda: library.save_search("steel", "steel"))
    assert saved.saved_searches and not saved.codebook


def test_several_writes_merge_into_one_and_other_threads_writes_stay_out(library: Library) -> None:
    doc = add_text(library, TEXT)
    a, b = library.create_tag("steel", "topic"), library.create_tag("dairy", "topic")
    seen: list[Changes] = []
    stop = library.subscribe(seen.append)
    with library.collect_changes() as collected:
        first = library.add_highlight(doc.id, 28, 60, tag_ids=[a.id])
        worker = threading.Thread(target=lambda: library.create_tag("trade", "topic"))
        worker.start()
        worker.join()
        second = library.add_highlight(doc.id, 68, 73, tag_ids=[b.id])
    stop()
    library.create_tag("after", "topic")
    assert collected.writes == 2 and not collected.changes.codebook
    assert collected.changes.highlights == {first.id, second.id}
    assert collected.changes.fresh_rows() == {first.id: first, second.id: second}
    assert collected.changes.counts() == {doc.id: 2}
    assert len(seen) == 3 and seen[1].codebook  # subscribers hear every thread, until stopped


def test_a_failed_write_publishes_nothing(library: Library) -> None:
    doc = add_text(library, TEXT)
    with library.collect_changes() as collected, pytest.raises(Exception, match="not inside"):
        library.add_highlight(doc.id, 5, 5000)
    assert collected.writes == 0 and collected.changes == Changes()

"""Two threads writing at once (the GUI thread and a background import) never see "index is
locked"; updates are queued and committed in order; apply() does not wait for the commit."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from annotator.core._search.index import SearchIndex
from annotator.core._search.records import IndexedDocument, IndexedHighlight, IndexedTag, IndexUpdate


def _doc(doc_id: int) -> IndexedDocument:
    return IndexedDocument(doc_id, f"Doc {doc_id}", "", "", date(2025, 1, 1), "txt", f"body words {doc_id}")


def _highlight(hl_id: int, doc_id: int, word: str) -> IndexedHighlight:
    return IndexedHighlight(hl_id, doc_id, f"Doc {doc_id}", None, "txt", 0, 4, f"quote {word}", None,
                            (IndexedTag("topic", word),), None, None)


def test_concurrent_writers_all_land(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    index.rebuild([_doc(1), _doc(2)], [], generation=1)
    generations = iter(range(2, 1000))
    lock = threading.Lock()
    errors: list[BaseException] = []

    def writer(first_id: int, doc_id: int) -> None:
        try:
            for i in range(30):
                with lock:
                    generation = next(generations)
                index.apply(IndexUpdate(generation, upsert_highlights=(
                    _highlight(first_id + i, doc_id, "alpha"),)))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(100, 1)), threading.Thread(target=writer, args=(500, 2))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    status = index.status()
    assert (status.healthy, status.generation, status.documents, status.highlights) == (True, 61, 2, 60)
    assert index.search("topic:alpha", limit=100).total == 60
    index.close()


def test_generation_never_goes_backwards_when_updates_arrive_out_of_order(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    index.rebuild([_doc(1)], [], generation=1)
    index.apply(IndexUpdate(5, upsert_highlights=(_highlight(10, 1, "late"),)))
    index.apply(IndexUpdate(4, upsert_highlights=(_highlight(11, 1, "early"),)))
    status = index.status()
    assert status.generation == 5 and status.highlights == 2
    index.close()


def test_a_search_right_after_apply_sees_the_update(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    index.rebuild([_doc(1)], [], generation=1)
    for i in range(10):
        index.apply(IndexUpdate(2 + i, upsert_highlights=(_highlight(10 + i, 1, f"word{i}"),)))
        assert index.search(f"topic:word{i}").total == 1
    index.close()


def test_many_small_commits_are_merged_and_stay_correct(tmp_path: Path) -> None:
    from annotator.core._search import update_queue

    index = SearchIndex(tmp_path / "index")
    index.rebuild([_doc(1)], [], generation=1)
    original = update_queue.IDLE_BEFORE_HOUSEKEEPING_S
    update_queue.IDLE_BEFORE_HOUSEKEEPING_S = 0.0  # merge whenever idle
    try:
        for i in range(40):
            index.apply(IndexUpdate(2 + i, upsert_highlights=(_highlight(10 + i % 7, 1, "beta"),)))
            index.flush()
    finally:
        update_queue.IDLE_BEFORE_HOUSEKEEPING_S = original
    status = index.status()
    assert (status.generation, status.highlights) == (41, 7)
    assert index.search("topic:beta", limit=50).total == 7
    index.close()


def test_two_process_rebuild_gives_the_same_index(tmp_path: Path) -> None:
    from tests.core.test_search_corpus import DOCUMENTS, HIGHLIGHTS

    one = SearchIndex(tmp_path / "one")
    one.rebuild(DOCUMENTS, HIGHLIGHTS, generation=3, procs=1)
    two = SearchIndex(tmp_path / "two")
    two.rebuild(DOCUMENTS, HIGHLIGHTS, generation=3, procs=2)
    assert one.status() == two.status()
    for query in ("negotiat*", 'actor:"Mark Carney"', "published:2025", "in:notes", '"trade war"'):
        hits_one = {(h.kind, h.document_id, h.highlight_id) for h in one.search(query).hits}
        hits_two = {(h.kind, h.document_id, h.highlight_id) for h in two.search(query).hits}
        assert hits_one == hits_two and hits_one
    one.close()
    two.close()

"""Small highlight updates are staged in memory: the very next search sees them before any disk
commit, they replace (never duplicate) older copies on disk or staged earlier, and they reach
the disk when edits pause, when status() or close() asks, or before an update that cannot be
staged. A process that dies first leaves the index one generation behind, which check()
reports and reindex() repairs, as for any other stale index."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest
from whoosh import index as windex

from annotator.core._search import update_queue
from annotator.core._search.index import SearchIndex
from annotator.core._search.records import IndexedDocument, IndexedHighlight, IndexedTag, IndexUpdate
from annotator.core.library import Library
from tests.core.helpers import add_text, new_library


def _doc(doc_id: int, body: str = "body words") -> IndexedDocument:
    return IndexedDocument(doc_id, f"Doc {doc_id}", "", "", date(2025, 1, 1), "txt", body)


def _highlight(hl_id: int, doc_id: int, quote: str, actor: str = "Mark Carney") -> IndexedHighlight:
    return IndexedHighlight(hl_id, doc_id, f"Doc {doc_id}", None, "txt", 0, len(quote), quote, None,
                            (IndexedTag("actor", actor),), None, None)


def _on_disk(folder: Path, uid: str) -> bool:
    """Whether the committed index (what another process opening it would read) has ``uid``.
    False while a commit is replacing the table of contents this open found (it is deleted
    between the listing and the open when the idle writer commits at that moment)."""
    try:
        ix = windex.open_dir(str(folder), readonly=True)
        try:
            with ix.searcher() as searcher:
                return searcher.document(uid=uid) is not None
        finally:
            ix.close()
    except FileNotFoundError:
        return False


@pytest.fixture
def no_idle_commits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Staged updates stay staged for the length of a test unless it asks for a commit."""
    monkeypatch.setattr(update_queue, "IDLE_BEFORE_HOUSEKEEPING_S", 600.0)


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    idx = SearchIndex(tmp_path / "index")
    idx.rebuild([_doc(1), _doc(2)], [], generation=1)
    yield idx
    idx.close()


def _ids(idx: SearchIndex, query: str) -> list[int | None]:
    results = idx.search(query, limit=100)
    assert results.total == len(results.hits)
    return sorted(h.highlight_id for h in results.hits)


@pytest.mark.usefixtures("no_idle_commits")
def test_a_staged_update_is_searchable_before_it_reaches_the_disk(index: SearchIndex, tmp_path: Path) -> None:
    index.apply(IndexUpdate(2, upsert_highlights=(_highlight(10, 1, "alpha steel"),)))
    assert _ids(index, "in:highlights alpha") == [10]
    assert not _on_disk(tmp_path / "index", "h10")
    index.commit_all()
    assert _on_disk(tmp_path / "index", "h10")
    assert _ids(index, "in:highlights alpha") == [10]
    assert index.status().generation == 2


@pytest.mark.usefixtures("no_idle_commits")
def test_updating_a_staged_highlight_again_keeps_one_record(index: SearchIndex) -> None:
    for generation, word in enumerate(("alpha", "bravo", "charlie"), start=2):
        index.apply(IndexUpdate(generation, upsert_highlights=(_highlight(10, 1, f"{word} steel"),)))
        assert _ids(index, "in:highlights steel") == [10]
    assert _ids(index, "in:highlights alpha") == []
    assert _ids(index, "in:highlights charlie") == [10]
    status = index.status()  # commits the three staged updates in one batch
    assert (status.generation, status.highlights) == (4, 1)
    assert _ids(index, "in:highlights steel") == [10]


@pytest.mark.usefixtures("no_idle_commits")
def test_a_staged_update_hides_the_copy_on_disk(index: SearchIndex) -> None:
    index.apply(IndexUpdate(2, upsert_highlights=(_highlight(10, 1, "alpha steel"),
                                                  _highlight(11, 2, "alpha iron"))))
    index.commit_all()
    index.apply(IndexUpdate(3, upsert_highlights=(_highlight(10, 1, "bravo steel", "Justin Trudeau"),)))
    assert _ids(index, "in:highlights alpha") == [11]
    assert _ids(index, "in:highlights bravo") == [10]
    assert _ids(index, 'actor:"Mark Carney"') == [11]
    assert _ids(index, 'actor:"Justin Trudeau"') == [10]
    index.apply(IndexUpdate(4, delete_highlights=(11,)))
    assert _ids(index, "in:highlights alpha") == []
    assert _ids(index, "in:highlights steel OR iron") == [10]
    status = index.status()
    assert (status.generation, status.highlights) == (4, 1)


@pytest.mark.usefixtures("no_idle_commits")
def test_a_document_update_commits_the_staged_ones_first(index: SearchIndex, tmp_path: Path) -> None:
    index.apply(IndexUpdate(2, upsert_highlights=(_highlight(10, 1, "alpha"), _highlight(11, 2, "alpha"))))
    index.apply(IndexUpdate(3, delete_documents=(1,)))  # takes highlight 10 with it
    index.apply(IndexUpdate(4, upsert_documents=(_doc(3, "alpha body"),)))
    assert _ids(index, "in:highlights alpha") == [11]
    assert index.search("in:documents alpha").total == 1
    assert _on_disk(tmp_path / "index", "h11")  # the document updates went to disk, in order
    status = index.status()
    assert (status.generation, status.documents, status.highlights) == (4, 2, 1)


def test_staged_updates_reach_the_disk_when_edits_pause(
    index: SearchIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(update_queue, "IDLE_BEFORE_HOUSEKEEPING_S", 0.05)
    index.apply(IndexUpdate(2, upsert_highlights=(_highlight(10, 1, "alpha"),)))
    assert _ids(index, "in:highlights alpha") == [10]
    deadline = time.monotonic() + 30  # a liveness bound, not a speed check
    while not _on_disk(tmp_path / "index", "h10"):
        assert time.monotonic() < deadline, "the idle writer never committed the staged update"
        time.sleep(0.05)


@pytest.mark.usefixtures("no_idle_commits")
def test_close_commits_staged_updates(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    first = SearchIndex(folder)
    first.rebuild([_doc(1)], [], generation=1)
    first.apply(IndexUpdate(2, upsert_highlights=(_highlight(10, 1, "alpha"),)))
    first.apply(IndexUpdate(3, upsert_highlights=(_highlight(10, 1, "bravo"),)))
    assert _ids(first, "in:highlights bravo") == [10]
    first.close()
    again = SearchIndex(folder)
    try:
        status = again.status()
        assert (status.healthy, status.generation, status.highlights) == (True, 3, 1)
        assert _ids(again, "in:highlights bravo") == [10]
        assert _ids(again, "in:highlights alpha") == []
    finally:
        again.close()


@pytest.mark.usefixtures("no_idle_commits")
def test_staged_updates_newer_than_a_rebuild_survive_its_swap(index: SearchIndex) -> None:
    index.apply(IndexUpdate(2, upsert_highlights=(_highlight(10, 1, "alpha"),)))
    assert _ids(index, "in:highlights alpha") == [10]
    # A rebuild from a snapshot taken before that edit (generation 1): the edit is replayed.
    index.rebuild([_doc(1), _doc(2)], [], generation=1)
    assert _ids(index, "in:highlights alpha") == [10]
    status = index.status()
    assert (status.generation, status.highlights) == (2, 1)


_CRASH = textwrap.dedent(
    """
    import os, sys
    from annotator.core._search import update_queue
    from annotator.core.library import Library
    update_queue.IDLE_BEFORE_HOUSEKEEPING_S = {idle}
    if {mid_commit}:
        import whoosh.index
        def die(*args, **kwargs):  # segment files written, the TOC naming them not yet
            os._exit(0)
        whoosh.index.TOC.write = die
    library = Library.open(sys.argv[1])
    doc = library.documents()[0]
    hl = library.add_highlight(doc.id, 0, 5, note="qzfreshword")
    assert [h.highlight_id for h in library.search("note:qzfreshword").hits] == [hl.id]
    if {mid_commit}:
        library.index_status()  # asks for the commit, which dies half-way
    os._exit(0)  # no close(): the process is killed with the update only staged
    """
)


@pytest.mark.parametrize("mid_commit", [False, True], ids=["staged", "mid-commit"])
def test_a_process_killed_before_the_commit_leaves_a_stale_index_that_reindex_repairs(
    tmp_path: Path, mid_commit: bool
) -> None:
    with new_library(tmp_path) as library:
        add_text(library, "Prime Minister Mark Carney spoke about steel.", title="Steel")
        folder = library.folder
    script = _CRASH.format(idle=600.0, mid_commit=mid_commit)
    subprocess.run([sys.executable, "-c", script, str(folder)], check=True, timeout=120,
                   cwd=Path(__file__).resolve().parents[2])
    with Library.open(folder) as library:
        ok, message = library.check()
        assert not ok and "generation" in message
        assert not library.index_is_current()
        library.reindex()
        assert library.check()[0]
        assert len(library.search("note:qzfreshword").hits) == 1


@pytest.mark.usefixtures("no_idle_commits")
def test_leading_wildcards_find_words_staged_committed_and_merged(index: SearchIndex) -> None:
    """A leading wildcard's words are kept per segment in memory: new words must be found
    while staged, after their commit into a new segment, and gone once deleted."""
    index.apply(IndexUpdate(2, upsert_highlights=(_highlight(10, 1, "alpha zzkarzz"),)))
    assert _ids(index, "in:highlights *kar*") == [10]  # staged, in memory
    index.commit_all()
    assert _ids(index, "in:highlights *kar*") == [10]  # committed: a new segment
    index.apply(IndexUpdate(3, upsert_highlights=(_highlight(11, 2, "bravo qqkarqq"),)))
    assert _ids(index, "in:highlights *kar*") == [10, 11]
    index.commit_all()
    assert _ids(index, "in:highlights *kar*") == [10, 11]
    index.apply(IndexUpdate(4, delete_highlights=(10,)))
    assert _ids(index, "in:highlights *kar*") == [11]
    index.commit_all()
    assert _ids(index, "in:highlights *kar*") == [11]
    assert _ids(index, "in:highlights *zzk*") == []

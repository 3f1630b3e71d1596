"""The index is a cache: a missing, damaged or stale one is reported by status() and rebuilt;
a cancelled rebuild keeps the old index; edits made during a rebuild are not lost."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from annotator.core._search.index import SearchIndex
from annotator.core._search.records import IndexUpdate
from annotator.core.errors import Cancelled, ReadOnlyProject
from annotator.core.progress import CancelToken, Progress
from tests.core.test_search_corpus import DOC4, DOCUMENTS, HIGHLIGHTS, build_corpus_index


def test_missing_folder_opens_and_reports_missing(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    status = index.status()
    assert (status.exists, status.healthy, status.generation) == (False, False, None)
    assert index.search("radar").hits == ()
    assert index.search("radar").warnings  # says the index is being built
    assert index.apply(IndexUpdate(generation=1, upsert_documents=(DOC4,))) is False
    index.close()


def test_deleted_index_folder_is_reported_and_rebuilt(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "index"
    build_corpus_index(folder).close()
    shutil.rmtree(folder)
    index = SearchIndex(folder)
    assert not index.status().exists
    index.rebuild(DOCUMENTS, HIGHLIGHTS, generation=9)
    status = index.status()
    assert (status.healthy, status.generation, status.documents, status.highlights) == (True, 9, 4, 4)
    assert {h.document_id for h in index.search("in:documents radar").hits} == {2}
    index.close()


def _segment_files(folder: Path) -> list[Path]:
    """Every segment data file (compound .seg or one file per part), not the TOC or lock."""
    return sorted(
        p for p in folder.iterdir()
        if p.name.startswith("MAIN_") and "WRITELOCK" not in p.name and p.stat().st_size
    )


@pytest.mark.parametrize("damage", ["garbage", "truncate", "delete_toc"])
def test_corrupted_segment_is_unhealthy_and_rebuild_fixes_it(tmp_path: Path, damage: str) -> None:
    folder = tmp_path / "index"
    build_corpus_index(folder).close()
    if damage == "delete_toc":
        for toc in folder.glob("*.toc"):
            toc.write_bytes(b"not a toc")
    else:
        for seg in _segment_files(folder):
            size = seg.stat().st_size
            seg.write_bytes(b"\x00garbage" * (size // 8) if damage == "garbage" else seg.read_bytes()[: size // 3])
    index = SearchIndex(folder)  # must not raise
    status = index.status()
    assert status.exists and not status.healthy and status.error
    index.search("radar")  # no traceback either: the result explains
    index.rebuild(DOCUMENTS, HIGHLIGHTS, generation=3)
    status = index.status()
    assert (status.healthy, status.generation, status.documents) == (True, 3, 4)
    assert index.apply(IndexUpdate(generation=4, delete_documents=(4,))) is True
    assert index.status().documents == 3
    index.close()


def test_index_from_another_schema_version_is_unhealthy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.core._search import index_files

    folder = tmp_path / "index"
    build_corpus_index(folder).close()
    monkeypatch.setattr(index_files, "SCHEMA_VERSION", index_files.SCHEMA_VERSION + 1)
    index = SearchIndex(folder)
    assert not index.status().healthy
    index.close()


def test_cancelled_rebuild_keeps_the_old_index(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    index = build_corpus_index(folder, generation=5)
    token = CancelToken()
    many = [DOC4.__class__(**{**_fields(DOC4), "id": 100 + i}) for i in range(400)]

    def cancel_soon(progress: Progress) -> None:
        if progress.done >= 100:
            token.cancel()

    with pytest.raises(Cancelled):
        index.rebuild(many, [], generation=6, progress=cancel_soon, cancel=token)
    status = index.status()
    assert (status.healthy, status.generation, status.documents) == (True, 5, 4)
    assert not folder.with_name("index.rebuilding").exists()
    index.close()


def test_progress_reports_reach_the_total(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    many = [DOC4.__class__(**{**_fields(DOC4), "id": 100 + i}) for i in range(250)]
    seen: list[Progress] = []
    index.rebuild(many, [], generation=1, total=250, progress=seen.append)
    assert seen and seen[-1].done == 250 and seen[-1].total == 250
    assert [p.done for p in seen] == sorted(p.done for p in seen)
    index.close()


def test_updates_during_a_rebuild_are_replayed_into_the_new_index(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    index = build_corpus_index(folder, generation=5)
    started = threading.Event()
    proceed = threading.Event()

    def slow_documents():  # the snapshot the rebuild reads was taken at generation 6
        started.set()
        proceed.wait(10)
        yield from DOCUMENTS

    worker = threading.Thread(
        target=lambda: index.rebuild(slow_documents(), HIGHLIGHTS, generation=6)
    )
    worker.start()
    assert started.wait(10)
    # An edit made while the rebuild runs: searchable at once in the old index…
    assert index.apply(IndexUpdate(generation=7, delete_documents=(2,)))
    assert index.search("in:documents radar").hits == ()
    proceed.set()
    worker.join(10)
    # …and still there after the swap, though the snapshot had document 2.
    status = index.status()
    assert (status.generation, status.documents, status.highlights) == (7, 3, 3)
    assert index.search("in:documents radar").hits == ()
    index.close()


def test_readonly_index_searches_but_refuses_writes(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    build_corpus_index(folder).close()
    index = SearchIndex(folder, readonly=True)
    assert index.status().healthy
    assert index.search("radar").total == 2
    with pytest.raises(ReadOnlyProject):
        index.apply(IndexUpdate(generation=8))
    with pytest.raises(ReadOnlyProject):
        index.rebuild([], [], generation=8)
    index.close()


def _fields(record: object) -> dict[str, object]:
    from dataclasses import fields

    return {f.name: getattr(record, f.name) for f in fields(record)}  # type: ignore[arg-type]

"""Posting blocks are written with pickle protocol 5 (bytes stored as bytes), and indexes
written with Whoosh's own protocol 2 still read the same."""

from __future__ import annotations

import pickle
import zlib
from pathlib import Path

import pytest
from whoosh.codec import whoosh3

from annotator.core._search import block_pickles
from tests.core.test_search_corpus import build_corpus_index


def _first_block_protocol(folder: Path) -> int:
    from annotator.core._search.index import SearchIndex

    index = SearchIndex(folder)
    try:
        with index._search_lock:
            searcher = index._current_searcher()
            assert searcher is not None
            matcher = searcher.reader().postings("text", "tariff")
            matcher = getattr(matcher, "child", matcher)
            raw = matcher._postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
            data = zlib.decompress(raw) if matcher._compression else raw
            assert data[:1] == pickle.PROTO
            return data[1]
    finally:
        index.close()


def test_blocks_are_written_with_protocol_5(tmp_path: Path) -> None:
    build_corpus_index(tmp_path / "index").close()
    assert _first_block_protocol(tmp_path / "index") == block_pickles.PROTOCOL == 5


def test_an_index_written_with_protocol_2_searches_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = build_corpus_index(tmp_path / "new")
    monkeypatch.setattr(whoosh3, "dumps", lambda obj, protocol=2: pickle.dumps(obj, 2))
    old = build_corpus_index(tmp_path / "old")
    monkeypatch.undo()
    try:
        for query in ('"steel tariffs"', "tariff AND retaliation", "negotiat*", "trade -steel"):
            a, b = fresh.search(query), old.search(query)
            assert [(h.highlight_id, h.document_id, h.snippet) for h in a.hits] == [
                (h.highlight_id, h.document_id, h.snippet) for h in b.hits
            ]
            assert a.total == b.total
    finally:
        fresh.close()
        old.close()
    assert _first_block_protocol(tmp_path / "old") == 2

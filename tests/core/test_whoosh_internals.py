"""Each Whoosh internal the search engine reads (``annotator.core._search.whoosh_internals``)
still means what it meant in Whoosh 2.7.5: every function is checked against the stock call it
replaces. A failure here after a Whoosh upgrade names the function to revisit."""

from __future__ import annotations

import pickle
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import whoosh
from whoosh import query as wq
from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher
from whoosh.index import FileIndex
from whoosh.reading import SegmentReader
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from annotator.core._search import index_files, whoosh_internals
from annotator.core._search.index import SearchIndex
from annotator.core._search.records import IndexUpdate
from annotator.core._search.whoosh_internals import (
    PICKLE_PROTOCOL,
    decode_positions_many,
    decode_postings,
    field_length_bytes,
    index_segments,
    numeric_range_terms,
    read_toc,
    reader_with_deletions,
    segment_hiding,
    weight_length_score,
    wildcard_literal_prefix,
    wildcard_regex,
)
from tests.core.test_search_corpus import DOCUMENTS, HIGHLIGHTS, build_corpus_index

UPGRADE = "Whoosh changed an internal the search engine relies on: revisit whoosh_internals."
WORDS = ("tariff", "steel", "carney", "the", "retaliation")


def changed(function: str) -> str:
    return f"{UPGRADE} ({function}; written for Whoosh 2.7.5, running {whoosh.versionstring()})"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FileIndex]:
    folder = tmp_path_factory.mktemp("internals") / "index"
    build_corpus_index(folder).close()
    ix = index_files.open_index(folder, readonly=True)
    yield ix
    ix.close()


@pytest.fixture
def searcher(index: FileIndex) -> Iterator[Searcher]:
    with index.searcher() as opened:
        yield opened


def leaves(searcher: Searcher) -> list[SegmentReader]:
    return [reader for reader, _offset in searcher.reader().leaf_readers()]


def stock_walk(matcher: object) -> tuple[list[int], list[float], list[bytes]]:
    ids, weights, values = [], [], []
    while matcher.is_active():  # type: ignore[attr-defined]
        ids.append(matcher.id())  # type: ignore[attr-defined]
        weights.append(matcher.weight())  # type: ignore[attr-defined]
        values.append(matcher.value())  # type: ignore[attr-defined]
        matcher.next()  # type: ignore[attr-defined]
    return ids, weights, values


def postings(reader: SegmentReader, word: str) -> object:
    matcher = reader.postings("text", word)
    return getattr(matcher, "child", matcher)  # deletions wrap it in a FilterMatcher


def test_the_pinned_whoosh_is_running() -> None:
    assert whoosh.versionstring() == "2.7.5", changed("the pin in pyproject.toml")


def test_decode_postings_reads_what_the_stock_walk_reads(searcher: Searcher) -> None:
    fast_path = 0
    for reader in leaves(searcher):
        for word in WORDS:
            if ("text", word) not in reader:
                continue
            fast_path += type(postings(reader, word)) is W3LeafMatcher
            decoded = decode_postings(postings(reader, word), positions=True)
            assert decoded == stock_walk(postings(reader, word)), changed(f"decode_postings on {word!r}")
            ids, weights, values = decode_postings(postings(reader, word), positions=False)
            assert (ids, weights, values) == (decoded[0], decoded[1], []), changed("decode_postings")
    assert fast_path, changed("decode_postings: posting lists are no longer W3LeafMatcher blocks")


def test_decode_positions_many_matches_the_format(searcher: Searcher) -> None:
    fmt = searcher.schema["text"].format
    for reader in leaves(searcher):
        ids, _weights, values = stock_walk(postings(reader, "tariff"))
        encoded = dict(zip(ids, values))
        fast = [list(p) for p in decode_positions_many(encoded, ids)]
        assert fast == [list(fmt.decode_positions(encoded[d])) for d in ids], changed("decode_positions_many")


def test_weight_length_score_scores_as_the_scorer_does(searcher: Searcher) -> None:
    context = searcher.context()
    for reader in leaves(searcher):
        lengths = field_length_bytes(reader, "text")
        assert lengths is not None, changed("field_length_bytes: no length column")
        sub = Searcher(reader, closereader=False)
        for word in WORDS:
            if ("text", word) not in reader:
                continue
            btext = sub.schema["text"].to_bytes(word)
            scorer = context.weighting.scorer(sub, "text", btext)
            score = weight_length_score(scorer)
            assert score is not None, changed("weight_length_score: BM25F is no WeightLengthScorer")
            matcher = reader.postings("text", btext, scorer=scorer)
            while matcher.is_active():
                expected = scorer.score(matcher)
                ours = score(matcher.weight(), byte_to_length(lengths[matcher.id()]))
                assert ours == pytest.approx(expected), changed("weight_length_score")
                matcher.next()


def test_field_length_bytes_are_the_stored_lengths(searcher: Searcher) -> None:
    for reader in leaves(searcher):
        for fieldname in ("text", "title"):
            lengths = field_length_bytes(reader, fieldname)
            assert lengths is not None, changed(f"field_length_bytes on {fieldname}")
            # The column ends at the last document holding the field (callers check the length).
            assert 0 < len(lengths) <= reader.doc_count_all(), changed("field_length_bytes")
            for docnum in range(reader.doc_count_all()):
                stock = reader.doc_field_length(docnum, fieldname)
                ours = byte_to_length(lengths[docnum]) if docnum < len(lengths) else 0
                assert (ours or None) == (stock or None), changed(f"field_length_bytes, document {docnum}")


def test_wildcard_prefix_and_pattern() -> None:
    assert wildcard_literal_prefix(wq.Wildcard("text", "tar*f")) == "tar", changed("wildcard_literal_prefix")
    assert wildcard_literal_prefix(wq.Wildcard("text", "*ar")) == "", changed("wildcard_literal_prefix")
    assert wildcard_literal_prefix(wq.Wildcard("text", "t?riff")) == "t", changed("wildcard_literal_prefix")
    pattern = re.compile(wildcard_regex(wq.Wildcard("text", "*ar?ff")))
    assert pattern.match("tariff") and not pattern.match("tariffs"), changed("wildcard_regex")


def test_numeric_range_terms_find_the_range_documents(searcher: Searcher) -> None:
    for low, high in ((None, None), (20250101, 20251231), (20250614, 20250614), (1, 2)):
        q = wq.NumericRange("published", low, high)
        for reader in leaves(searcher):
            sub = Searcher(reader, closereader=False)
            stock = set(q.matcher(sub, sub.context()).all_ids()) if q.estimate_size(reader) else set()
            ours: set[int] = set()
            for fieldname, btext in numeric_range_terms(q, reader):
                ours.update(reader.postings(fieldname, btext).all_ids())
            live = {d for d in ours if not reader.is_deleted(d)}
            assert live == {d for d in stock if not reader.is_deleted(d)}, changed(f"numeric_range_terms {low}-{high}")


def test_read_toc_and_segments_name_the_open_segments(index: FileIndex) -> None:
    toc = read_toc(index)
    with index.reader() as reader:
        stock = [leaf.segment().segment_id() for leaf, _offset in reader.leaf_readers()]
    assert [s.segment_id() for s in toc.segments] == stock, changed("read_toc")
    assert toc.generation == index.latest_generation(), changed("read_toc")
    assert [s.segment_id() for s in index_segments(index)] == stock, changed("index_segments")


def test_reader_with_deletions_sees_a_later_deletion(tmp_path: Path) -> None:
    search_index = build_corpus_index(tmp_path / "index")
    search_index.close()
    ix = index_files.open_index(tmp_path / "index", readonly=False)
    try:
        before = read_toc(ix)
        old = SegmentReader(ix.storage, before.schema, before.segments[0], generation=before.generation)
        try:
            doomed = set(old.postings("doc", "1").all_ids())
            assert doomed and not old.has_deletions()
            index_files.write_updates(ix, [IndexUpdate(generation=8, delete_documents=(1,))], 8)
            after = read_toc(ix)
            segment = next(s for s in after.segments if s.segment_id() == before.segments[0].segment_id())
            view = reader_with_deletions(old, segment)
            fresh = SegmentReader(ix.storage, after.schema, segment, generation=after.generation)
            try:
                # The document's records, and the meta record the commit replaced.
                assert doomed < fresh.deleted_docs_set, changed("reader_with_deletions")
                assert view.deleted_docs_set == fresh.deleted_docs_set, changed("reader_with_deletions")
                assert all(view.is_deleted(d) for d in doomed), changed("reader_with_deletions")
                assert not old.has_deletions(), changed("reader_with_deletions changed the original reader")
            finally:
                fresh.close()
        finally:
            old.close()
    finally:
        ix.close()


def test_segment_hiding_hides_in_a_copy(searcher: Searcher) -> None:
    reader = leaves(searcher)[0]
    segment = reader.segment()
    hidden = segment_hiding(segment, [0, 1])
    assert {0, 1} <= set(hidden.deleted_docs()), changed("segment_hiding")
    assert not segment.is_deleted(0), changed("segment_hiding changed the shared segment")
    view = reader_with_deletions(reader, hidden)
    assert view.is_deleted(0) and view.is_deleted(1) and not reader.is_deleted(0), changed("segment_hiding")


# -- the writer's pickle protocol --------------------------------------------------------------------


def first_block_protocol(folder: Path) -> int:
    ix = index_files.open_index(folder, readonly=True)
    try:
        with ix.reader() as reader:
            leaf = next(r for r, _ in reader.leaf_readers() if ("text", "tariff") in r)
            matcher = postings(leaf, "tariff")
            assert type(matcher) is W3LeafMatcher, changed("W3LeafMatcher")
            raw = matcher._postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
            data = zlib.decompress(raw) if matcher._compression else raw
            assert data[:1] == pickle.PROTO
            return data[1]
    finally:
        ix.close()


def test_our_writers_pickle_blocks_with_protocol_5_and_whoosh_is_not_patched(tmp_path: Path) -> None:
    build_corpus_index(tmp_path / "index").close()
    assert first_block_protocol(tmp_path / "index") == PICKLE_PROTOCOL == 5, changed("WriterCodec")
    assert whoosh3.dumps is pickle.dumps, "Whoosh's codec module must not be patched"


def test_segments_record_the_stock_codec(index: FileIndex) -> None:
    assert all(type(s.codec()) is W3Codec for s in read_toc(index).segments), (
        "the TOC must not pickle WriterCodec: reading may never depend on our writer class"
    )


def test_an_index_written_with_protocol_2_searches_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = build_corpus_index(tmp_path / "new")
    monkeypatch.setattr(index_files, "WriterCodec", W3Codec)  # Whoosh's own writer: protocol 2
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
    assert first_block_protocol(tmp_path / "old") == 2


def test_multi_process_writers_use_the_writer_codec(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    try:
        index.rebuild(DOCUMENTS, HIGHLIGHTS, generation=1, procs=2)
    finally:
        index.close()
    assert first_block_protocol(tmp_path / "index") == PICKLE_PROTOCOL


def test_a_codec_function_without_dumps_is_refused() -> None:
    with pytest.raises(RuntimeError, match="no longer pickles"):
        whoosh_internals._pickling_with(W3Codec.__init__, 5)

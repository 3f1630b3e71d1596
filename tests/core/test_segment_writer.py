"""Our segment writer (``whoosh_internals.GroupingSegmentWriter`` over ``term_pool.TermPool``)
writes the segment Whoosh's own ``SegmentWriter`` writes from the same records, byte for
byte: in one go, with its buffer spilled to run files, through segment merges, in worker
processes, and with another codec."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as windex
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import TEXT
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from annotator.core._search import index_files
from annotator.core._search.index import SearchIndex
from annotator.core._search.records import IndexedDocument, IndexedHighlight, IndexedTag
from annotator.core._search.schema import build_schema, document_fields, highlight_fields
from annotator.core._search.term_pool import TermPool
from annotator.core._search.text_field import AnalysedText
from annotator.core._search.whoosh_internals import (
    GroupingSegmentWriter,
    WriterCodec,
    _with_globals,
    index_segments,
    open_writer,
)

_WORDS = (
    "trade tariffs steel aluminium retaliation negotiations Carney Ottawa Washington defence "
    "NORAD radar fisheries quotas Québec Montréal U.S 3.5 the of and to minister ministers "
    "negotiated negotiator talks difficult officials said would continue Canada ready stay "
    "Brussels commissioner Hoekstra warned nobody prefers over budget deficit pipeline energy"
).split()
_TAGS = (
    IndexedTag("actor", "Mark Carney", ("PM Carney",)),
    IndexedTag("actor", "Wopke Hoekstra"),
    IndexedTag("topic", "Tariffs"),
    IndexedTag("topic", "Continental defence"),
    IndexedTag("stance", "hawkish"),
)


def corpus(documents: int = 120, seed: int = 3) -> list[dict[str, Any]]:
    """Records whose common words have several blocks of postings (over 128 documents)."""
    rng = random.Random(seed)

    def words(n: int) -> str:
        return " ".join(rng.choice(_WORDS) for _ in range(n))

    docs: list[IndexedDocument] = []
    highlights: list[IndexedHighlight] = []
    for i in range(1, documents + 1):
        body = words(rng.randint(5, 300))
        doc = IndexedDocument(
            id=i, title=words(5), author=rng.choice(("Jane Smith", "", "Ana Müller")),
            source=rng.choice(("https://www.example.com/a/b", "", "C:/files/memo.pdf")),
            published=rng.choice((None, date(2025, 1 + i % 12, 1 + i % 28))),
            format=rng.choice(("html", "pdf")), body=body, note=rng.choice((None, words(4))),
        )
        docs.append(doc)
        for j in range(rng.randint(0, 4)):
            quote = words(rng.randint(1, 30))
            page = rng.choice((None, rng.randint(1, 40)))
            highlights.append(IndexedHighlight(
                id=i * 10 + j, document_id=i, document_title=doc.title,
                published=doc.published, format=doc.format, start=j, end=j + len(quote),
                quote=quote, note=rng.choice((None, words(6))),
                tags=tuple(rng.sample(_TAGS, rng.randint(0, 3))), page=page,
                page_end=page, document_author=doc.author,
            ))
    return [*map(document_fields, docs), *map(highlight_fields, highlights)]


def segment_files(folder: Path) -> dict[str, bytes]:
    """The index's segment files by what follows the segment name, and their bytes."""
    files = {}
    for path in folder.iterdir():
        if path.name.startswith("_MAIN_") or path.name.endswith("LOCK"):
            continue  # the TOC names the segment (a random id) and pickles the schema
        files[path.name.split(".", 1)[1]] = path.read_bytes()
    assert "pst" in files and "trm" in files
    return files


def build(folder: Path, writer: Callable[..., Any], batches: Iterable[list[dict[str, Any]]],
          codec: Any = None, **options: Any) -> dict[str, bytes]:
    folder.mkdir(parents=True)
    ix = windex.create_in(str(folder), build_schema())
    for batch in batches:
        w = writer(ix, codec=codec or WriterCodec(), compound=False, **options)
        for fields in batch:
            w.add_document(**fields)
        w.commit(merge=False)
    return segment_files(folder)


@pytest.mark.parametrize("limitmb", [128, 0.05], ids=["in memory", "spilled to runs"])
def test_a_segment_is_the_stock_segment_byte_for_byte(tmp_path: Path, limitmb: float) -> None:
    records = corpus()
    stock = build(tmp_path / "stock", SegmentWriter, [records], limitmb=limitmb)
    ours = build(tmp_path / "ours", GroupingSegmentWriter, [records], limitmb=limitmb)
    assert ours.keys() == stock.keys()
    for part in stock:
        assert ours[part] == stock[part], part


def test_with_another_codec_the_postings_are_written_the_stock_way(tmp_path: Path) -> None:
    records = corpus(40)
    stock = build(tmp_path / "stock", SegmentWriter, [records], codec=W3Codec())
    ours = build(tmp_path / "ours", GroupingSegmentWriter, [records], codec=W3Codec())
    assert ours == stock


def test_a_merge_of_segments_with_deletions_is_the_stock_merge(tmp_path: Path) -> None:
    records = corpus(90)
    batches = [records[:100], records[100:180], records[180:]]

    def merged(folder: Path, writer: Callable[..., Any]) -> dict[str, bytes]:
        build(folder, writer, batches)
        ix = index_files.open_index(folder, readonly=False)
        w = writer(ix, codec=WriterCodec(), compound=False)
        for uid in ("d5", "d77", "h121", "d40"):
            w.delete_by_term("uid", uid)
        w.commit(optimize=True)
        assert len(index_segments(ix)) == 1
        for path in folder.iterdir():
            if not any(path.name.startswith(seg.segment_id()) for seg in index_segments(ix)):
                if not path.name.startswith("_MAIN_"):
                    path.unlink()
        return segment_files(folder)

    assert merged(tmp_path / "ours", GroupingSegmentWriter) == merged(tmp_path / "stock", SegmentWriter)


def test_worker_processes_write_what_one_process_writes(tmp_path: Path) -> None:
    records = corpus(60)
    documents = [r for r in records if r["kind"] == "document"]

    def searched(folder: Path, procs: int) -> list[list[tuple[str, float]]]:
        folder.mkdir()
        ix = windex.create_in(str(folder), build_schema())
        w = open_writer(ix, procs=procs, codec=WriterCodec(), compound=False)
        for fields in records:
            w.add_document(**fields)
        w.commit()
        ix = index_files.open_index(folder, readonly=True)
        if procs > 1:
            assert len(index_segments(ix)) == procs  # one segment per worker, none merged
        with ix.searcher() as searcher:
            return [sorted((hit["uid"], round(hit.score, 4)) for hit in
                           searcher.find("text", word, limit=None))
                    for word in ("tariffs", "steel", "negotiations", "québec", "u.s")]

    assert searched(tmp_path / "one", 1) == searched(tmp_path / "two", 2)
    assert documents


def test_the_rebuild_searches_the_same_with_one_or_two_processes(tmp_path: Path) -> None:
    from tests.core.test_search_corpus import DOCUMENTS, HIGHLIGHTS

    results = []
    for procs in (1, 2):
        index = SearchIndex(tmp_path / f"index{procs}")
        try:
            index.rebuild(DOCUMENTS, HIGHLIGHTS, generation=1, procs=procs)
            found = index.search('tariff OR "steel tariffs" OR negotiat*')
            results.append([(h.highlight_id, h.document_id) for h in found.hits])
        finally:
            index.close()
    assert results[0] == results[1] and results[0]


def test_postings_added_out_of_document_order_come_out_sorted(tmp_path: Path) -> None:
    pool = TermPool(FileStorage(str(tmp_path)), limitmb=1)
    for docnum in (5, 2, 9):
        pool.add(("text", b"steel", docnum, float(docnum), bytes([docnum])))
    pool.add(("text", b"alpha", 3, 1.0, None))
    assert [(key, list(ids), list(weights), values) for key, ids, weights, values in pool.terms()] == [
        (("text", b"alpha"), [3], [1.0], [b""]),
        (("text", b"steel"), [2, 5, 9], [2.0, 5.0, 9.0], [b"\x02", b"\x05", b"\x09"]),
    ]


def test_spilled_runs_are_merged_in_order_and_removed(tmp_path: Path) -> None:
    storage = FileStorage(str(tmp_path))
    pool = TermPool(storage, limitmb=1)
    pool.add(("text", b"b", 0, 1.0, b"x"))
    pool.save()
    pool.add(("text", b"a", 1, 1.0, b"y"))
    pool.add(("text", b"b", 1, 2.0, b"z"))
    pool.save()
    pool.add(("tags", b"c", 2, 1.0, b""))
    assert len(list(storage.list())) == 2
    assert pool.fieldnames == {"text", "tags"}
    assert list(pool.iter_postings()) == [
        ("tags", b"c", 2, 1.0, b""),
        ("text", b"a", 1, 1.0, b"y"),
        ("text", b"b", 0, 1.0, b"x"),
        ("text", b"b", 1, 2.0, b"z"),
    ]
    pool.cleanup()
    assert list(storage.list()) == []


def test_a_whoosh_function_without_the_named_global_is_refused() -> None:
    with pytest.raises(RuntimeError, match="no longer uses SegmentWriter"):
        _with_globals(W3Codec.__init__, SegmentWriter=GroupingSegmentWriter)


def test_the_one_pass_analysis_writes_the_stock_segment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = corpus(60)
    ours = build(tmp_path / "ours", GroupingSegmentWriter, [records])
    monkeypatch.setattr(AnalysedText, "index", TEXT.index)  # the analysers' generator chains
    stock = build(tmp_path / "stock", SegmentWriter, [records])
    assert ours == stock


def test_boosted_records_write_the_stock_segment(tmp_path: Path) -> None:
    records = corpus(50)
    for i, fields in enumerate(records):
        if i % 3 == 0:
            fields["_boost"] = 2.5
        if i % 4 == 0:
            fields["_text_boost"] = 0.5
    stock = build(tmp_path / "stock", SegmentWriter, [records])
    ours = build(tmp_path / "ours", GroupingSegmentWriter, [records])
    assert ours == stock

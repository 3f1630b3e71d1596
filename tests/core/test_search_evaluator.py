"""The set-based evaluator against Whoosh's own matchers on a generated corpus: the same
documents, the same top hits in the same order with the same scores, across segments and
deletions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from random import Random

import pytest
from whoosh import query as wq
from whoosh.formats import Positions

from annotator.core._search import evaluator
from annotator.core._search.index import SearchIndex
from annotator.core._search.query_compiler import QueryCompiler
from annotator.core._search.query_syntax import parse
from annotator.core._search.records import IndexedDocument, IndexedHighlight, IndexedTag, IndexUpdate

WORDS = (
    "trade tariff tariffs steel aluminum negotiation negotiations negotiated retaliation "
    "border defence radar minister ministers talks deal deals market markets quota duties "
    "election coalition reporters told said united states canada ottawa brussels"
).split()
TAGS = (
    IndexedTag("actor", "Mark Carney", ("Carney",)),
    IndexedTag("actor", "Wopke Hoekstra"),
    IndexedTag("topic", "Tariffs"),
    IndexedTag("stance", "hawkish"),
)


def _text(rng: Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)) + "."


def _corpus(seed: int) -> tuple[list[IndexedDocument], list[IndexedHighlight]]:
    rng = Random(seed)
    documents = [
        IndexedDocument(
            id=i, title=_text(rng, 4), author=rng.choice(["Jane Smith", "Bob Jones"]), source="x",
            published=date(2024, 1, 1) + timedelta(days=rng.randrange(600)),
            format=rng.choice(["pdf", "html"]), body=_text(rng, rng.randrange(5, 80)),
            note=_text(rng, 5) if rng.random() < 0.2 else None,
        )
        for i in range(1, 121)
    ]
    highlights = []
    for i in range(1, 301):
        doc = rng.choice(documents)
        highlights.append(IndexedHighlight(
            id=i, document_id=doc.id, document_title=doc.title, published=doc.published,
            format=doc.format, start=0, end=10, quote=_text(rng, rng.randrange(2, 15)),
            note=_text(rng, 4) if rng.random() < 0.3 else None,
            tags=tuple(rng.sample(TAGS, rng.randrange(0, 3))),
            page=rng.randrange(1, 9), page_end=None,
        ))
    return documents, highlights


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    documents, highlights = _corpus(11)
    index = SearchIndex(Path(tmp_path_factory.mktemp("evaluator")) / "index")
    index.rebuild(documents[:60], highlights[:150], generation=1, procs=1)
    # More segments, and records replaced or deleted in earlier ones.
    index.apply(IndexUpdate(2, upsert_documents=tuple(documents[60:]),
                            upsert_highlights=tuple(highlights[150:])))
    index.apply(IndexUpdate(3, upsert_highlights=tuple(highlights[:20]),
                            delete_highlights=tuple(range(40, 60)), delete_documents=(5, 6)))
    index.flush()
    yield index
    index.close()


QUERIES = [
    "trade", "tariff", "steel aluminum", "minister talks deal", '"told reporters"',
    '"united states canada"', '"steel steel"', "trade OR tariff", "trade -tariff", "-trade",
    "(steel OR aluminum) -canada market", "negotiat*", "negotation~", "actor:carney",
    'actor:"Mark Carney" trade', "topic:tariffs", "stance:hawkish deal", "title:trade",
    "author:smith", "note:election", "in:notes trade", "in:documents steel", "in:highlights quota",
    "published:[2024-03-01 to 2024-06-30] trade", "published:2025", "page:[2 to 4] border",
    "format:pdf radar", "tag:tariffs OR actor:hoekstra", "NOT (trade OR tariff)",
    "deal AND (quota OR duties) AND NOT election", "zzzznothing", "trade zzzznothing",
    "*ar*", "*tion", "tar?ff", "t*s", "*ation* steel", "quota OR *ist*", "*zzq*", "title:*ar*",
    "tarif~", "negotation~2 OR steel", "ta*",
]


@pytest.mark.parametrize("text", QUERIES)
def test_evaluator_matches_whoosh(
    index: SearchIndex, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Whoosh scores an OR of many terms (a prefix's expansion) as constants on indexes under
    # 5,000 records and as sums above; the evaluator always sums, as Whoosh does at our sizes.
    monkeypatch.setattr(wq.Or, "matcher_type", wq.Or.DEFAULT_MATCHER)
    index.flush()
    with index._search_lock:
        searcher = index._current_searcher()
        assert searcher is not None
        assert len(searcher.reader().leaf_readers()) > 1
        reader = searcher.reader()
        compiled = QueryCompiler(["stance"], lambda f, t: (f, t) in reader).compile(parse(text).tree)
        assert compiled.query is not None
        expected = searcher.search(compiled.query, limit=20, optimize=False)
        everything = set(searcher.docs_for_query(compiled.query))
        top, total = evaluator.search(searcher, compiled.query, 20)
    assert total == len(everything)
    assert [d for d, _ in top] == [hit.docnum for hit in expected]
    assert [s for _, s in top] == pytest.approx([hit.score for hit in expected], rel=1e-12)
    assert {d for d, _ in top} <= everything


def test_phrase_position_check_fast_and_slow_paths_agree() -> None:
    rng = Random(5)
    fmt = Positions()
    docs = list(range(300))
    lists = [
        {d: sorted(rng.sample(range(40), rng.randrange(1, 6))) for d in docs} for _ in range(3)
    ]
    encoded = [{d: fmt.encode(p) for d, p in positions.items()} for positions in lists]
    expected = {
        d for d in docs
        if any(p + 1 in lists[1][d] and p + 2 in lists[2][d] for p in lists[0][d])
    }
    assert 0 < len(expected) < len(docs)
    assert evaluator._adjacent(docs, encoded, fmt.decode_positions) == expected
    assert evaluator._adjacent_fast(docs, encoded) == expected
    # Whoosh accepts values stored without pickle's final stop byte; the fast path defers.
    stripped = [{d: v[:-1] for d, v in values.items()} for values in encoded]
    assert evaluator._adjacent_fast(docs, stripped) is None
    assert evaluator._adjacent(docs, stripped, fmt.decode_positions) == expected

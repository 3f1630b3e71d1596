"""Every field and operator of the search language, against the known corpus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.core._search.index import SearchIndex
from annotator.core.errors import InvalidQuery
from annotator.core.search_results import SearchResults
from tests.core.test_search_corpus import TEXTS, build_corpus_index


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    idx = build_corpus_index(tmp_path_factory.mktemp("search") / "index")
    yield idx
    idx.close()


def run(index: SearchIndex, query: str) -> SearchResults:
    return index.search(query, limit=50, document_text=TEXTS.__getitem__)


def found(index: SearchIndex, query: str) -> set[str]:
    """Hits as d<doc id> for documents, h<highlight id> for highlights, n… for note hits."""
    result = run(index, query)
    assert result.total == len(result.hits)
    out = set()
    for hit in result.hits:
        if hit.kind == "document":
            out.add(f"d{hit.document_id}")
        elif hit.kind == "highlight":
            out.add(f"h{hit.highlight_id}")
        else:
            out.add(f"n{hit.highlight_id}" if hit.highlight_id else f"nd{hit.document_id}")
    return out


CASES = [
    # words: stemmed, case and accent folded
    ("negotiation", {"d1", "d2", "d3", "h10", "h20", "h30"}),
    ("NEGOTIATIONS", {"d1", "d2", "d3", "h10", "h20", "h30"}),
    ("francois", {"d1"}),
    ("François", {"d1"}),
    ("fisheries", {"d4"}),
    # prefix over unstemmed words: negotiat* finds negotiations/negotiated/negotiator
    ("negotiat*", {"d1", "d2", "d3", "h10", "h20", "h30"}),
    ("negotiato*", {"d2"}),
    ("modernis*", {"d2", "h20"}),
    ("neg*ti?tor", {"d2"}),
    # fuzzy
    ("Hoekstr~", {"d3", "h30"}),
    ("Hoeksta~", {"d3", "h30"}),
    ("Hoekztro~2", {"d3", "h30"}),
    # phrases keep word order
    ('"steel tariffs"', {"d1", "h11"}),
    ('"tariffs steel"', set()),
    ('"trade war"', {"d3", "h30"}),
    # boolean operators; implicit AND
    ("retaliation steel", {"d1", "h11"}),
    ("retaliation AND steel", {"d1", "h11"}),
    ("retaliation && steel", {"d1", "h11"}),
    # radar is only in highlight 20's note: a note hit
    ("radar OR fisheries", {"d2", "d4", "n20"}),
    ("radar || fisheries", {"d2", "d4", "n20"}),
    # highlight 10 is tagged Tariffs: tag names count for bare words
    ("tariffs NOT steel", {"d3", "h10", "h30"}),
    ("tariffs -steel", {"d3", "h10", "h30"}),
    ("(radar OR fisheries) NOT memo", {"d2", "n20"}),
    ("NOT negotiation NOT fisheries", {"h11"}),
    # OR binds tighter than AND
    ("canada retaliation OR radar", {"d1", "h11"}),
    # fields: tags
    ("actor:Carney", {"h10"}),
    ('actor:"Mark Carney"', {"h10"}),
    ('actor:"PM Carney"', {"h10"}),
    ('actor:"Carney Mark"', set()),
    ("actor:Hoekstra", {"h30"}),
    ("actor:(Hoekstra OR Trudeau)", {"h20", "h30"}),
    ("topic:tariff", {"h10", "h11", "h30"}),
    ('topic:"continental defence"', {"h20"}),
    ("tag:hawkish", {"h10"}),
    ("tag:Trudeau", {"h20"}),
    ("stance:hawkish", {"h10"}),
    ("tag:stance:hawkish", {"h10"}),
    ("STANCE:Hawkish", {"h10"}),
    ("actor:Carn*", {"h10"}),
    ("actor:Carney topic:tariffs retaliation", set()),
    ("actor:Carney topic:tariffs negotiations", {"h10"}),
    # fields: metadata
    ("title:NORAD", {"d2", "h20"}),
    ('title:"trade war"', {"d3", "h30"}),
    ("author:smith", {"d1", "h10", "h11"}),
    ("author:muller", {"d3", "h30"}),
    ("format:pdf", {"d2", "h20"}),
    ("format:DOCX", {"d4"}),
    ("page:2", {"h20"}),
    ("page:3", {"h20"}),
    ("page:[4 to 8]", {"h30"}),
    ("page:1-2", {"h20"}),
    ("page:>5", {"h30"}),
    # notes
    ("note:follow", {"nd1", "n20"}),
    ('note:"follow up"', {"nd1", "n20"}),
    ("follow", {"nd1", "n20"}),
    ("in:notes", {"nd1", "n10", "n20"}),
    ("in:notes radar", {"n20"}),
    # published dates
    ("published:2025", {"d1", "d2", "h10", "h11", "h20"}),
    ("published:2025-06", {"d1", "h10", "h11"}),
    ("published:2025-06-14", {"d1", "h10", "h11"}),
    ("published:2025-06-15", set()),
    ("published:[2025-06-01 to 2025-06-30]", {"d1", "h10", "h11"}),
    ("published:[2024-12-01 TO 2025-06-14]", {"d1", "d3", "h10", "h11", "h30"}),
    ("published:[2025-07 to]", {"d2", "h20"}),
    ("published:>=2025-07", {"d2", "h20"}),
    ("published:<2025", {"d3", "h30"}),
    ("published:>2025-06 in:documents", {"d2"}),
    # scopes
    ("in:documents tariffs", {"d1", "d3"}),
    ("in:highlights tariffs", {"h10", "h11", "h30"}),
    ("tariffs in:highlights", {"h10", "h11", "h30"}),
]


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[c[0] for c in CASES])
def test_query_finds_exactly(index: SearchIndex, query: str, expected: set[str]) -> None:
    assert found(index, query) == expected
    assert run(index, query).warnings == ()


def test_bare_word_does_not_return_every_highlight_of_a_matching_title(index: SearchIndex) -> None:
    assert found(index, "modernisation") == {"d2", "h20"}
    assert found(index, "European") == {"d3"}


def test_tag_names_and_aliases_match_bare_words_too(index: SearchIndex) -> None:
    assert "h10" in found(index, "hawkish")


def test_category_known_to_the_database_but_unused_is_not_unknown(index: SearchIndex) -> None:
    result = index.search("region:arctic", categories=["region"])
    assert result.hits == () and result.warnings == ()


def test_hits_carry_title_tags_page_and_published(index: SearchIndex) -> None:
    result = run(index, "ottawa in:highlights")
    (hit,) = result.hits
    assert (hit.kind, hit.document_id, hit.highlight_id) == ("highlight", 2, 20)
    assert hit.title == "NORAD modernisation enters a new phase"
    assert hit.page == 2
    assert set(hit.tags) == {"actor:Justin Trudeau", "topic:Continental defence"}
    assert hit.published is not None and hit.published.isoformat() == "2025-07-02"
    assert hit.score > 0


def test_limit_caps_hits_but_total_counts_all(index: SearchIndex) -> None:
    result = index.search("negotiation", limit=2, document_text=TEXTS.__getitem__)
    assert len(result.hits) == 2
    assert result.total == 6
    assert result.elapsed_ms >= 0


def test_empty_query_says_there_is_nothing_to_search_for(index: SearchIndex) -> None:
    for text in ("", "   ", "()", '""'):
        with pytest.raises(InvalidQuery, match="Nothing to search for"):
            index.search(text)


def test_us_and_may_are_searchable_words(tmp_path: Path) -> None:
    from datetime import date

    from annotator.core._search.records import IndexedDocument

    idx = SearchIndex(tmp_path / "index")
    body = "Talks with the US resume in May."
    idx.rebuild([IndexedDocument(1, "T", "", "", date(2025, 5, 1), "txt", body)], [], generation=1)
    assert idx.search("US").total == 1
    assert idx.search('"the US resume"').total == 1
    assert idx.search("may").total == 1
    assert idx.search("(canada OR talks) NOT us").total == 0
    idx.close()


def test_titles_rank_document_above_body_only_matches(index: SearchIndex) -> None:
    hits = run(index, "in:documents norad").hits
    assert hits[0].document_id == 2

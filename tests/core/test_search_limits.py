"""Queries at the edges of what the parser and the index can take: deep nesting, runs of NOT,
numbers beyond what the index stores, silly fuzzy distances. None may raise anything but
InvalidQuery, and none may leave the index marked as damaged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.core._search import evaluator
from annotator.core._search.index import SearchIndex
from annotator.core._search.query_syntax import MAX_DEPTH
from annotator.core._search.records import IndexUpdate
from annotator.core.errors import InvalidQuery
from tests.core.test_search_corpus import DOCUMENTS, HIGHLIGHTS, TEXTS, build_corpus_index


@pytest.fixture()
def index(tmp_path: Path) -> Iterator[SearchIndex]:
    idx = build_corpus_index(tmp_path / "index")
    yield idx
    idx.close()


def ids(index: SearchIndex, query: str) -> set[int]:
    return {h.highlight_id or h.document_id for h in index.search(query, document_text=TEXTS.__getitem__).hits}


def test_deep_parentheses_are_refused_with_a_short_reason(index: SearchIndex) -> None:
    with pytest.raises(InvalidQuery) as err:
        index.search("(" * 250 + "radar" + ")" * 250)
    assert "nested" in str(err.value) and len(str(err.value)) < 200
    with pytest.raises(InvalidQuery):
        index.search("actor:(" * 250 + "x")
    assert index.status().healthy


def test_nesting_up_to_the_limit_still_runs(index: SearchIndex) -> None:
    query = "(" * MAX_DEPTH + "radar" + ")" * MAX_DEPTH
    assert ids(index, query) == ids(index, "radar") != set()


def test_runs_of_not_fold_without_recursing(index: SearchIndex) -> None:
    assert ids(index, "NOT " * 1000 + "radar") == ids(index, "radar")
    assert ids(index, "NOT " * 999 + "radar") == ids(index, "NOT radar")
    assert ids(index, "actor:" + "NOT " * 3000 + "Trudeau") == ids(index, "actor:Trudeau")
    assert index.search("tag:" * 2000 + "x").total == 0  # tag:tag:… chains do not recurse either


@pytest.mark.parametrize("query", ["page:3000000000", "page:[1 to 3000000000]", "page:>2147483647"])
def test_page_numbers_beyond_the_index_are_invalid_and_leave_it_healthy(
    index: SearchIndex, query: str
) -> None:
    with pytest.raises(InvalidQuery) as err:
        index.search(query)
    assert "page numbers go up to" in str(err.value)
    assert index.status().healthy
    update = IndexUpdate(generation=8, upsert_documents=(DOCUMENTS[0],))
    assert index.apply(update) is True  # still indexing edits
    assert index.status().generation == 8


def test_a_query_time_failure_does_not_poison_the_index(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fails(*_args: object) -> None:
        raise ValueError("Numeric field value out of range")

    index.apply(IndexUpdate(generation=8, upsert_highlights=(HIGHLIGHTS[0],)))  # staged in memory
    index.flush()
    monkeypatch.setattr(evaluator, "search", fails)
    with pytest.raises(InvalidQuery) as err:
        index.search("radar")
    assert "cannot be run" in str(err.value)
    monkeypatch.undo()
    assert index.status().healthy and index.status().error is None
    assert index.apply(IndexUpdate(generation=9, upsert_documents=(DOCUMENTS[0],))) is True
    assert ids(index, "radar")


def test_huge_fuzzy_distance_is_clamped_with_a_note(index: SearchIndex) -> None:
    for query in ("radar~99999999999", "radar~" + "9" * 5000):
        result = index.search(query, document_text=TEXTS.__getitem__)
        assert {h.highlight_id or h.document_id for h in result.hits} == ids(index, "radar~2")
        assert any("up to 2" in w for w in result.warnings)
    assert ids(index, "radar~0") == ids(index, "radar")


@pytest.mark.parametrize("query", ['""', "()", 'actor:""', "", "   ", "~~", "( )"])
def test_empty_queries_all_say_nothing_to_search_for(index: SearchIndex, query: str) -> None:
    with pytest.raises(InvalidQuery) as err:
        index.search(query)
    assert str(err.value) == "Nothing to search for."


def test_nothing_left_after_repairs_does_not_claim_the_repairs(index: SearchIndex) -> None:
    with pytest.raises(InvalidQuery) as err:
        index.search(")(")
    message = str(err.value)
    assert message.startswith("Nothing to search for:")
    assert "ignored" not in message and "closed at the end" not in message


def test_unknown_field_with_nothing_searchable_does_not_claim_it_searched(index: SearchIndex) -> None:
    with pytest.raises(InvalidQuery) as err:
        index.search("unknownfield:the")
    assert "searched as plain words" not in str(err.value)
    assert "Unknown field “unknownfield:”" in str(err.value)
    result = index.search("unknownfield:radar", document_text=TEXTS.__getitem__)
    assert any("“radar” was searched as plain words" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("backwards", "forwards"),
    [("published:[2026 to 2025]", "published:[2025 to 2026]"), ("page:[20 to 1]", "page:[1 to 20]"),
     ("published:[2025-06-30 to 2025-06-01]", "published:[2025-06-01 to 2025-06-30]")],
)
def test_a_reversed_range_is_swapped_with_a_note(index: SearchIndex, backwards: str, forwards: str) -> None:
    result = index.search(backwards, document_text=TEXTS.__getitem__)
    assert any("runs backwards" in w for w in result.warnings)
    assert ids(index, backwards) == ids(index, forwards)

"""Malformed queries never raise a traceback: they run what can run and say what was ignored,
or raise InvalidQuery with a short explanation when nothing meaningful is left."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core._search.index import SearchIndex
from annotator.core.errors import InvalidQuery
from tests.core.test_search_corpus import TEXTS, build_corpus_index


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    idx = build_corpus_index(tmp_path_factory.mktemp("malformed") / "index")
    yield idx
    idx.close()


REPAIRED = [
    # (query, a word the warning must contain, what still runs)
    ('"steel tariffs', "quote", {1, 11}),
    ("(radar OR fisheries", "(", {2, 4, 20}),
    ("radar)", ")", {2, 20}),
    ("radar AND", "AND", {2, 20}),
    ("OR radar", "OR", {2, 20}),
    ("radar NOT", "NOT", {2, 20}),
    ("colour:radar", "Unknown field", {2, 20}),  # the value is searched as plain words
    ("published:2025-13 radar", "not a date", {2, 20}),
    ("published:2025-02-30 radar", "not a date", {2, 20}),
    ("published:[2025-06 to soon] radar", "not a date", {2, 20}),
    ("page:twelve radar", "page number", {2, 20}),
    ("in:everywhere radar", "scope", {2, 20}),
    ("actor: Trudeau", "", {20}),  # a space after the colon is forgiven
    ("radar actor:", "needs a value", {2, 20}),
    ("[2025 to 2026] radar", "needs a field", {2, 20}),
    ("the radar", "", {2, 20}),
]


@pytest.mark.parametrize(("query", "warning", "ids"), REPAIRED, ids=[r[0] for r in REPAIRED])
def test_repaired_queries_run_and_explain(
    index: SearchIndex, query: str, warning: str, ids: set[int]
) -> None:
    result = index.search(query, document_text=TEXTS.__getitem__)
    got = {h.highlight_id or h.document_id for h in result.hits}
    assert got == ids
    if warning:
        assert any(warning in w for w in result.warnings), result.warnings
        assert all(len(w) < 200 for w in result.warnings)


@pytest.mark.parametrize(
    "query",
    ["AND", "OR", "NOT", "AND OR NOT", ")", "-", "actor:", "published:yesterday", "the",
     "x*", "*", "in:nowhere", "[a to b]", "page:", "format:*"],
)
def test_nothing_meaningful_raises_invalid_query_with_a_reason(index: SearchIndex, query: str) -> None:
    with pytest.raises(InvalidQuery) as err:
        index.search(query)
    message = str(err.value)
    assert message and "\n" not in message and len(message) < 300


QUERY_ALPHABET = st.sampled_from(
    list('abc ()"[]:*~-?') + ["AND", "OR", "NOT", "actor:", "published:", "page:", "in:", "2025",
                              "-06", " to ", "radar", "tariff", "“", "”", "\\", "&&", "||", "é"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(QUERY_ALPHABET, max_size=12).map("".join))
def test_any_input_either_runs_or_raises_invalid_query(index: SearchIndex, query: str) -> None:
    try:
        result = index.search(query, document_text=TEXTS.__getitem__)
    except InvalidQuery as err:
        assert str(err)
        return
    assert result.total >= len(result.hits)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=40))
def test_arbitrary_unicode_never_raises_anything_else(index: SearchIndex, query: str) -> None:
    try:
        index.search(query)
    except InvalidQuery:
        pass


def test_a_line_break_in_a_query_never_breaks_the_one_line_message(tmp_path) -> None:
    # Found by the query fuzz (tests/reliability/test_fuzz.py): '"\n0'.
    from annotator.core.errors import InvalidQuery
    from annotator.core.library import Library

    with Library.create(tmp_path / "Q.annotator") as library:
        try:
            library.search('"\n0')
        except InvalidQuery as exc:
            assert "\n" not in str(exc) and "0" in str(exc)
        else:
            raise AssertionError("a query with nothing to search for must be refused")

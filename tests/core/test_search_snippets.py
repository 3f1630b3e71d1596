"""Snippets mark matched words with «…»; spans point at the match in the document text."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from annotator.core._search.index import SearchIndex
from annotator.core._search.snippets import make_snippet
from annotator.core.search_results import Hit, snippet_html, snippet_plain
from tests.core.test_search_corpus import DOC1, HL11, TEXTS, build_corpus_index


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    idx = build_corpus_index(tmp_path_factory.mktemp("snippets") / "index")
    yield idx
    idx.close()


def only(index: SearchIndex, query: str) -> Hit:
    hits = index.search(query, document_text=TEXTS.__getitem__).hits
    assert len(hits) == 1, hits
    return hits[0]


def test_document_hit_marks_stemmed_forms_and_spans_the_first_match(index: SearchIndex) -> None:
    hit = only(index, "in:documents retaliate")
    assert "«retaliation»" in hit.snippet
    assert hit.start is not None and hit.end is not None
    assert TEXTS[1][hit.start : hit.end] == "retaliation"
    assert hit.matches[0] == (hit.start, hit.end)


def test_prefix_and_fuzzy_matches_are_marked(index: SearchIndex) -> None:
    assert "«negotiator»" in only(index, "in:documents negotiato*").snippet
    hit = only(index, "in:documents Hoekstr~")
    assert "«Hoekstra»" in hit.snippet
    assert TEXTS[3][hit.start : hit.end] == "Hoekstra"  # type: ignore[index]


def test_phrase_is_marked_as_one_run(index: SearchIndex) -> None:
    hit = only(index, 'in:documents "steel tariffs"')
    assert "«steel tariffs»" in hit.snippet


def test_accented_text_is_marked_for_an_unaccented_query(index: SearchIndex) -> None:
    hit = only(index, "in:documents francois")
    assert "«François»" in hit.snippet
    assert TEXTS[1][hit.start : hit.end] == "François"  # type: ignore[index]


def test_excluded_words_are_not_marked(index: SearchIndex) -> None:
    hit = only(index, "in:documents retaliation NOT fisheries")
    assert "«" in hit.snippet and "«fisheries»" not in hit.snippet


def test_highlight_hit_shows_its_quote_and_selects_its_span(index: SearchIndex) -> None:
    hit = only(index, "in:highlights steel")
    assert (hit.kind, hit.highlight_id) == ("highlight", 11)
    assert (hit.start, hit.end) == (HL11.start, HL11.end)
    assert snippet_plain(hit.snippet) == HL11.quote
    (match,) = hit.matches
    assert DOC1.body[match[0] : match[1]] == "steel"


def test_note_hit_shows_the_note(index: SearchIndex) -> None:
    hit = only(index, "note:trade")
    assert (hit.kind, hit.document_id, hit.highlight_id) == ("note", 1, None)
    assert hit.snippet == "Follow up with the «trade» desk"
    assert hit.start is None


def test_metadata_only_match_gives_the_opening_words(index: SearchIndex) -> None:
    hit = only(index, "in:documents format:docx")
    assert hit.snippet.startswith("A short memo")
    assert hit.start is None and "«" not in hit.snippet


def test_without_document_text_a_document_hit_has_an_empty_snippet(index: SearchIndex) -> None:
    (hit,) = index.search("in:documents fisheries").hits
    assert hit.snippet == "" and hit.start is None


def test_long_text_is_cut_around_the_match_with_ellipses() -> None:
    text = "word " * 200 + "needle " + "word " * 200
    start = text.index("needle")
    snippet = make_snippet(text, [(start, start + 6)])
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "«needle»" in snippet and len(snippet) < 260


def test_literal_guillemets_in_the_text_cannot_be_mistaken_for_marks() -> None:
    text = "He said «no» to the deal"
    start = text.index("deal")
    assert make_snippet(text, [(start, start + 4)]) == "He said ‹no› to the «deal»"


def test_snippet_html_escapes_and_bolds() -> None:
    assert snippet_html("a <b> & «c»") == "a &lt;b&gt; &amp; <b>c</b>"

"""A phrase is marked as one match in snippets and matches, not word by word."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.core.library import Library
from annotator.core.search_results import Hit
from tests.core.helpers import add_text, new_library

TEXT = ("The Minister of Finance spoke. A trade war looms, finance officials said; "
        "the war on trade is not a trade deal. Another trade war warning came later.")


@pytest.fixture()
def library(tmp_path: Path) -> Iterator[Library]:
    lib = new_library(tmp_path)
    add_text(lib, TEXT, title="Budget")
    yield lib
    lib.close()


def document_hit(library: Library, query: str) -> Hit:
    (hit,) = [h for h in library.search(query).hits if h.kind == "document"]
    return hit


def marked(hit: Hit) -> list[str]:
    return [TEXT[a:b] for a, b in hit.matches]


def test_a_phrase_is_one_match_and_one_mark(library: Library) -> None:
    hit = document_hit(library, '"trade war"')
    assert marked(hit) == ["trade war", "trade war"]  # not "war on trade", not "trade deal"
    assert "«trade war»" in hit.snippet
    assert "«trade» deal" not in hit.snippet and "«war» on" not in hit.snippet
    assert (hit.start, hit.end) == hit.matches[0]


def test_stop_words_inside_a_phrase_belong_to_it(library: Library) -> None:
    hit = document_hit(library, '"minister of finance"')
    assert marked(hit) == ["Minister of Finance"]  # the later lone "finance" is not marked
    assert hit.snippet.startswith("The «Minister of Finance» spoke.")


def test_words_and_phrases_together(library: Library) -> None:
    hit = document_hit(library, 'deal "trade war"')
    assert marked(hit) == ["trade war", "deal", "trade war"]

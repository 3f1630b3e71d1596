"""Plain words find a document by its author and source; ``author:`` takes a phrase; an
index built before author and source were searchable is rebuilt."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.core._search import index_files
from annotator.core._search.schema import meta_fields
from annotator.core.library import Library
from tests.core.helpers import add_text, new_library


@pytest.fixture()
def library(tmp_path: Path) -> Iterator[Library]:
    lib = new_library(tmp_path)
    add_text(lib, "Ottawa answers the steel tariffs.", title="Steel", author="Jane Hoekstra",
             source="https://www.nytimes.com/2025/06/steel-retaliation.html")
    add_text(lib, "Jane met Hoekstra in Ottawa.", title="Meeting", author="Hoekstra, Piet")
    yield lib
    lib.close()


def titles(library: Library, query: str) -> set[str]:
    return {h.title for h in library.search(query).hits}


def test_plain_words_search_the_author_and_the_source(library: Library) -> None:
    assert titles(library, "Piet") == {"Meeting"}
    assert titles(library, "nytimes") == {"Steel"}
    assert titles(library, "Hoekstra") == {"Steel", "Meeting"}


def test_author_takes_a_phrase(library: Library) -> None:
    assert titles(library, 'author:"Jane Hoekstra"') == {"Steel"}
    assert titles(library, 'author:"Hoekstra Jane"') == set()
    assert titles(library, "author:Hoekstra") == {"Steel", "Meeting"}
    assert titles(library, "source:nytimes") == {"Steel"}


def test_author_edits_are_searchable(library: Library) -> None:
    doc = next(d for d in library.documents() if d.title == "Meeting")
    library.update_document(doc.id, author="Marie Curie")
    assert titles(library, "Curie") == {"Meeting"}
    assert titles(library, "Piet") == set()


def test_an_index_of_the_previous_schema_version_is_rebuilt(tmp_path: Path) -> None:
    with new_library(tmp_path) as lib:
        add_text(lib, "Ottawa answers.", title="Meeting", author="Hoekstra, Piet")
        generation = lib.index_status().generation
        folder = lib.folder
    ix = index_files.open_index(folder / "index", readonly=False)
    try:
        writer = ix.writer()
        writer.update_document(**meta_fields(generation, index_files.SCHEMA_VERSION - 1))
        writer.commit()
    finally:
        ix.close()
    with Library.open(folder) as lib:
        assert lib.index_problem() == "search index was built by another version of Annotator"
        assert lib.check()[1].endswith("run `annotator reindex`")
        assert lib.refresh_index() is not None
        assert lib.index_problem() is None
        assert titles(lib, "Piet") == {"Meeting"}

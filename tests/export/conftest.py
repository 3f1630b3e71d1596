"""A small project with hostile content shared by the export tests (never imports Qt)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

import pytest

from annotator.core.extracted import Extracted
from annotator.core.library import Library
from annotator.core.models import Highlight

HYPERLINK = '=HYPERLINK("http://x","y")'
HOSTILE = 'He said, "no"; then\nleft\tquickly 🌍 العربية עברית'
LONG_NOTE = ('a "long", note;\n' * 4000) + "end 🎉"

# Document 1: unpaged article with hostile passages.
TEXT_1 = (
    "Opening words of the first article about trade. "
    f"{HYPERLINK} appears here. "
    f"{HOSTILE} and more. "
    "The minister Mark Carney spoke about tariffs and the dairy sector at length today. "
    "Closing remarks."
)
# Document 2: a "PDF" of two pages, (0, 100) and (100, 250).
TEXT_2 = ("Page one text about the border and tariffs. " * 3)[:100] + (
    "Page two text continues here with Ford and dairy. " * 3
)[:150]
TEXT_3 = "An undated note about Carney and nothing else of interest, written by hand."


@dataclass
class Sample:
    """The open project and its highlights; the texts are class attributes so test modules
    need not import this conftest."""

    HYPERLINK: ClassVar[str] = HYPERLINK
    HOSTILE: ClassVar[str] = HOSTILE
    LONG_NOTE: ClassVar[str] = LONG_NOTE
    TEXT_1: ClassVar[str] = TEXT_1
    TEXT_2: ClassVar[str] = TEXT_2
    TEXT_3: ClassVar[str] = TEXT_3

    library: Library
    doc1: int
    doc2: int
    doc3: int
    hyperlink: Highlight
    hostile: Highlight
    carney: Highlight  # actor Carney, topics tariffs + dairy, stance:hawkish
    paged_cross: Highlight  # doc 2, crosses from page 1 to page 2; actor Ford
    paged_one: Highlight  # doc 2, page 2 only; topic dairy
    undated: Highlight  # doc 3; actor Carney
    untagged: Highlight  # doc 1, no tags, a very long note


def _span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sample]:
    """Built once per test module: tests read it and write only their own files."""
    library = Library.create(tmp_path_factory.mktemp("export") / "p.annotator")
    d1 = library.add_document(Extracted(
        text=TEXT_1, format="html", title='Trade, “war” & tariffs', author="Ana Díaz",
        published=date(2025, 6, 14), source="https://example.org/a?x=1,2"))
    d2 = library.add_document(Extracted(
        text=TEXT_2, format="pdf", title="Border report", author="J. Smith",
        published=date(2025, 7, 1), pages=((0, 100), (100, 250))))
    d3 = library.add_document(Extracted(text=TEXT_3, format="txt", title="Undated"))
    carney = library.create_tag("Carney", "actor", aliases=["Mark Carney"])
    ford = library.create_tag("Ford", "actor")
    tariffs = library.create_tag("tariffs", "topic")
    dairy = library.create_tag("dairy", "topic")
    hawkish = library.create_tag("hawkish", "stance")

    def add(doc: int, span: tuple[int, int], tags: list[int], note: str | None = None) -> Highlight:
        return library.add_highlight(doc, span[0], span[1], tag_ids=tags, note=note)

    sample = Sample(
        library=library,
        doc1=d1.id,
        doc2=d2.id,
        doc3=d3.id,
        carney=add(d1.id, _span(TEXT_1, "Mark Carney spoke about tariffs and the dairy sector"),
                   [carney.id, tariffs.id, dairy.id, hawkish.id], note=HOSTILE),
        hyperlink=add(d1.id, _span(TEXT_1, HYPERLINK), [tariffs.id], note="@SUM(A1)"),
        hostile=add(d1.id, _span(TEXT_1, HOSTILE), [ford.id], note='quote " and, comma'),
        untagged=add(d1.id, _span(TEXT_1, "Closing remarks."), [], note=LONG_NOTE),
        paged_cross=add(d2.id, (90, 110), [ford.id]),
        paged_one=add(d2.id, (120, 160), [dairy.id]),
        undated=add(d3.id, _span(TEXT_3, "Carney"), [carney.id]),
    )
    library.reindex()
    try:
        yield sample
    finally:
        library.close()

"""``Library.first_documents``: the first rows of the document list in the Library pane's
orders, read without the others, must be exactly where the whole list sorted would start."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from annotator.core.document_listing import ORDERS
from annotator.core.errors import InvalidInput
from annotator.core.extracted import Extracted
from annotator.core.library import Library
from annotator.core.models import Document

from .helpers import new_library

# Titles differing only in ASCII case, repeated dates and counts (ties keep import order),
# missing dates (before every date; last when descending) and formats of mixed case.
ROWS = [
    ("beta report", "Zed", date(2024, 5, 1), "html", 2),
    ("Alpha memo", "adams", None, "PDF", 0),
    ("alpha Memo", "Baker", date(2024, 5, 1), "txt", 3),
    ("Gamma", "", date(2019, 1, 9), "html", 2),
    ("delta", "carter", None, "md", 0),
    ("Beta Report", "zed", date(2030, 12, 31), "docx", 1),
    ("epsilon", "Adams", date(2024, 5, 1), "pdf", 3),
]


def pane_key(doc: Document, order: str) -> Any:
    """The Library pane's own sort key (``gui.models.document_table._sort_key``)."""
    if order == "published":
        return (doc.published or date.min).toordinal()
    if order == "highlights":
        return doc.highlight_count
    return {"title": doc.title, "author": doc.author, "format": doc.format.upper()}[order].casefold()


@pytest.fixture()
def library(tmp_path: Path) -> Library:
    lib = new_library(tmp_path)
    for n, (title, author, published, fmt, highlights) in enumerate(ROWS):
        doc = lib.add_document(Extracted(text=f"Document number {n} says something. " * 5, format=fmt,
                                         title=title, author=author, published=published))
        for h in range(highlights):
            lib.add_highlight(doc.id, h * 10, h * 10 + 5)
    return lib


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("descending", [False, True])
def test_first_documents_start_the_whole_list_sorted_stably(library: Library, order: str, descending: bool) -> None:
    everything = sorted(library.documents(), key=lambda d: pane_key(d, order), reverse=descending)
    for limit in (1, 3, len(ROWS), len(ROWS) + 5):
        first = library.first_documents(order, descending=descending, limit=limit)
        assert [d.id for d in first] == [d.id for d in everything[:limit]], (order, descending, limit)
    # Whole documents, as ``documents()`` gives them (counts and all).
    assert library.first_documents(order, descending=descending, limit=2) == everything[:2]
    library.close()


def test_first_documents_refuses_an_unknown_order(library: Library) -> None:
    with pytest.raises(InvalidInput, match="cannot be ordered by 'colour'"):
        library.first_documents("colour")
    assert library.first_documents("title", limit=0) == []
    library.close()


def test_first_rows_count_and_order_only_the_coders_shown(tmp_path: Path) -> None:
    library = new_library(tmp_path)
    ids = []
    for title in ("one", "two"):
        ids.append(library.add_document(Extracted(title=title, text=f"Some words to tag in {title}.", format="txt")).id)
    for who, doc, n in (("ann", ids[0], 1), ("bob", ids[1], 3)):
        library._store.user = who
        for i in range(n):
            library.add_highlight(doc, i, i + 2)
    library.set_visible_coders({"ann"})
    first = library.first_documents("highlights", descending=True, limit=1)
    assert [(d.title, d.highlight_count) for d in first] == [("one", 1)]
    assert {d.title: d.highlight_count for d in library.documents()} == {"one": 1, "two": 0}

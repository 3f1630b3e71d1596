"""The first rows of the document list in a given order, read without the others: a window
opening a project of 20,000 documents paints its Library pane from these and reads the
whole list after it is shown (reading every document took longer than the rest of the start)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from annotator.core._db.schema import DocumentRow, HighlightRow
from annotator.core.documents import read_documents
from annotator.core.errors import InvalidInput
from annotator.core.models import Document
from annotator.core.store import Store

# The orders the Library pane sorts by. Text compares case-insensitively as the pane's
# ``casefold`` does for ASCII; SQLite's lower() leaves other letters alone, so two titles
# differing only in a non-ASCII capital may swap places once the pane has read the whole list.
_HIGHLIGHT_COUNT = (select(func.count()).where(HighlightRow.document_id == DocumentRow.id)
                    .correlate(DocumentRow).scalar_subquery())


def _highlight_count(coders: frozenset[str] | None) -> Any:
    """The shown coders' highlights in a document, as the pane counts them."""
    if coders is None:
        return _HIGHLIGHT_COUNT
    return (select(func.count()).where(HighlightRow.document_id == DocumentRow.id,
                                       HighlightRow.author.in_(sorted(coders)))
            .correlate(DocumentRow).scalar_subquery())
_KEYS: dict[str, Any] = {
    "title": func.lower(DocumentRow.title),
    "author": func.lower(DocumentRow.author),
    "published": DocumentRow.published,
    "format": func.lower(DocumentRow.format),
    "highlights": _HIGHLIGHT_COUNT,
}
ORDERS = tuple(_KEYS)


class DocumentListing:
    def __init__(self, store: Store) -> None:
        self._store = store

    def first_documents(self, order: str, *, descending: bool = False, limit: int = 100) -> list[Document]:
        """The first ``limit`` documents sorted by ``order`` (one of ``ORDERS``), as the whole
        list sorted stably would start: ties keep import order, and a missing date comes before
        every date (last when descending)."""
        key = _KEYS.get(order)
        if key is None:
            raise InvalidInput(f"documents cannot be ordered by {order!r}: use one of {', '.join(ORDERS)}")
        coders = self._store.shown_coders
        if order == "highlights":
            key = _highlight_count(coders)
        sort = key.desc().nulls_last() if descending else key.asc().nulls_first()
        with self._store.read() as s:
            ids = list(s.scalars(select(DocumentRow.id).order_by(sort, DocumentRow.id).limit(max(limit, 0))))
            by_id = {doc.id: doc for doc in read_documents(s, ids, coders=coders)}
        return [by_id[i] for i in ids if i in by_id]

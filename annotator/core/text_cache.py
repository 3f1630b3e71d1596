"""Texts and page maps of the documents being read, kept so tagging never reads them back.

SQLite walks a long text from its start for ``substr`` and for any column stored after it
(4 ms near the end of 1.2 M characters); a tagging click quotes from the reader's document.
A document's text and page map never change while its id lives, so an entry stays right until
the document is deleted (SQLite may give a later import that id): ``forget`` is called then.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from annotator.core.models import PageSpan

_KEPT = 2  # the reader's document, and the one it showed before


@dataclass(frozen=True)
class KnownText:
    text: str
    page_map: tuple[PageSpan, ...] | None  # None until a write parsed it


class TextCache:
    """Filled by ``Library.document_text``, read by the highlight writes, emptied of a document
    by its deletion. Thread-safe: the reader fills it on the GUI thread while a background job
    may delete documents."""

    def __init__(self) -> None:
        self._entries: OrderedDict[int, KnownText] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, document_id: int) -> KnownText | None:
        with self._lock:
            return self._entries.get(document_id)

    def keep(self, document_id: int, text: str) -> None:
        with self._lock:
            known = self._entries.pop(document_id, None)
            self._entries[document_id] = known if known is not None and known.text == text \
                else KnownText(text, None)
            while len(self._entries) > _KEPT:
                self._entries.popitem(last=False)

    def keep_page_map(self, document_id: int, page_map: tuple[PageSpan, ...]) -> None:
        """Remember the parsed page map of a document whose text is kept (else nothing)."""
        with self._lock:
            known = self._entries.get(document_id)
            if known is not None:
                self._entries[document_id] = KnownText(known.text, page_map)

    def forget(self, document_ids: Iterable[int]) -> None:
        with self._lock:
            for document_id in document_ids:
                self._entries.pop(document_id, None)

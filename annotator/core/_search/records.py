"""What the Library hands the index: flat, frozen records built from database rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class IndexedTag:
    category: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IndexedDocument:
    id: int
    title: str
    author: str
    source: str
    published: date | None
    format: str
    body: str
    note: str | None = None  # the note on the whole document


@dataclass(frozen=True, slots=True)
class IndexedHighlight:
    id: int
    document_id: int
    document_title: str
    published: date | None
    format: str
    start: int
    end: int
    quote: str
    note: str | None
    tags: tuple[IndexedTag, ...]
    page: int | None
    page_end: int | None
    document_author: str = ""  # lets `author:` find passages, not only whole documents


@dataclass(frozen=True)
class IndexUpdate:
    """One user action's worth of index changes, applied in one writer commit."""

    generation: int
    upsert_documents: tuple[IndexedDocument, ...] = field(default=())
    delete_documents: tuple[int, ...] = field(default=())  # also drops their highlights
    upsert_highlights: tuple[IndexedHighlight, ...] = field(default=())
    delete_highlights: tuple[int, ...] = field(default=())

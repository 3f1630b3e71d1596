"""Plain, frozen values the Library hands to callers. No ORM objects ever leave the core.

Offsets are Unicode code points into the stored plain text, half-open ``[start, end)``,
as REFI-QDA counts them. Pages are 1-based.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import NamedTuple

ACTOR = "actor"
TOPIC = "topic"
BUILTIN_CATEGORIES = (ACTOR, TOPIC)


@dataclass(frozen=True, slots=True)
class PageSpan:
    """Page ``number`` (1-based) covers ``text[start:end]``."""

    number: int
    start: int
    end: int


def page_at(page_map: tuple[PageSpan, ...], offset: int) -> int | None:
    """The page holding character ``offset``, or None for an unpaged source."""
    if not page_map:
        return None
    lo, hi = 0, len(page_map) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if page_map[mid].start <= offset:
            lo = mid
        else:
            hi = mid - 1
    return page_map[lo].number


@lru_cache(maxsize=64)
def page_map_of(raw: str) -> tuple[PageSpan, ...]:
    # Cached by the stored text (the spans are frozen): every read of a highlight of a long
    # paged document parsed its whole page map, a third of re-reading one highlight.
    if not raw or raw == "[]":  # most sources are unpaged: skip the JSON parser
        return ()
    spans = json.loads(raw)
    return tuple(PageSpan(i + 1, int(s), int(e)) for i, (s, e) in enumerate(spans))


@dataclass(frozen=True, slots=True)
class Document:
    """A document's metadata; its text comes from ``Library.document_text``."""

    id: int
    title: str
    author: str
    source: str
    published: date | None
    imported_at: datetime
    format: str
    sha256: str
    language: str | None
    original_name: str
    stored_file: str | None  # path relative to the project folder, under sources/
    characters: int
    page_map: tuple[PageSpan, ...] = ()
    site_name: str = ""
    url: str = ""
    highlight_count: int = 0
    note: str | None = None

    @property
    def pages(self) -> int:
        return len(self.page_map)


@dataclass(frozen=True, slots=True)
class Category:
    name: str  # key used in queries and exports: "actor", "topic", "stance"…
    label: str  # shown in the GUI: "Actors", "Topics", "Stance"
    builtin: bool


@dataclass(frozen=True, slots=True)
class Tag:
    id: int
    name: str
    category: str
    colour: str  # "#rrggbb"
    parent_id: int | None = None
    description: str = ""
    aliases: tuple[str, ...] = ()
    highlight_count: int = 0

    @property
    def label(self) -> str:
        """``category:name``, the form used in exports for non-builtin categories."""
        return f"{self.category}:{self.name}"


@dataclass(frozen=True, slots=True)
class TagRef:
    """The part of a tag a highlight needs to be shown and exported."""

    id: int
    name: str
    category: str
    colour: str


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """The part of a document an export row cites; ``Library.document_summaries`` reads these
    for a whole project far faster than full ``Document`` models."""

    id: int
    title: str
    author: str
    source: str
    published: date | None
    characters: int


class ExcerptRecord(NamedTuple):
    """A highlight as bulk readers (CSV export) need it: flat, cheap to make by the hundred
    thousand. ``tag_ids`` are ordered by category then name, as ``Highlight.tags`` are;
    ``created``/``modified`` are ISO 8601 to the second (``2026-05-01T09:30:00``)."""

    id: int
    document_id: int
    start: int
    end: int
    text: str
    note: str | None
    tag_ids: tuple[int, ...]
    created: str
    modified: str
    page: int | None
    page_end: int | None
    author: str = ""  # the coder who made the highlight


@dataclass(frozen=True, slots=True)
class Highlight:
    id: int
    document_id: int
    start: int
    end: int
    text: str
    tags: tuple[TagRef, ...]
    note: str | None
    created: datetime
    modified: datetime
    author: str  # the coder who made it
    page: int | None = None
    page_end: int | None = None
    note_author: str = ""  # the coder who wrote ``note`` ("" without a note)
    # The optimistic check: the version a change made, and its coder (``core.edit_check``).
    version: int = 1
    modified_by: str = ""

    @property
    def reading_key(self) -> tuple[int, int, int, int]:
        """Reading order, as ``Library.highlights`` lists them: document, start, end, id."""
        return (self.document_id, self.start, self.end, self.id)

    @property
    def actors(self) -> list[str]:
        return [t.name for t in self.tags if t.category == ACTOR]

    @property
    def topics(self) -> list[str]:
        return [t.name for t in self.tags if t.category == TOPIC]

    @property
    def other_tags(self) -> list[str]:
        return [f"{t.category}:{t.name}" for t in self.tags if t.category not in BUILTIN_CATEGORIES]

    @property
    def tag_ids(self) -> frozenset[int]:
        return frozenset(t.id for t in self.tags)


@dataclass(frozen=True)
class DocumentSnapshot:
    """Everything deleting a document removes, so undo can put it back with the same ids."""

    document: Document
    text: str
    highlights: tuple[Highlight, ...]
    note: str | None


@dataclass(frozen=True)
class TagSnapshot:
    """A tag and the highlights it was on, so undoing a delete or merge restores both."""

    tag: Tag
    highlight_ids: tuple[int, ...] = field(default=())
    child_ids: tuple[int, ...] = field(default=())  # sub-tags, put back under it on restore


@dataclass(frozen=True, slots=True)
class Coder:
    """A coder of the project (a highlight's or note's ``author``) and how much they coded."""

    name: str
    highlights: int
    notes: int


@dataclass(frozen=True, slots=True)
class SavedSearch:
    id: int
    name: str
    query: str


@dataclass(frozen=True, slots=True)
class Mention:
    """An occurrence of a tag's name or alias that no highlight with that tag covers yet."""

    document_id: int
    document_title: str
    start: int
    end: int
    text: str
    context_before: str
    context_after: str

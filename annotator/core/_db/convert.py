"""Rows to frozen models and index records. Sessions never leave the core; these copies do."""

from __future__ import annotations

import json
from typing import Any

from annotator.core._db.schema import DocumentRow, HighlightRow, TagRow
from annotator.core._search.records import IndexedDocument, IndexedHighlight, IndexedTag
from annotator.core.models import Document, PageSpan, Tag, page_at, page_map_of


def document(row: DocumentRow, *, highlight_count: int = 0, note: str | None = None) -> Document:
    return Document(
        id=row.id,
        title=row.title,
        author=row.author,
        source=row.source,
        published=row.published,
        imported_at=row.imported_at,
        format=row.format,
        sha256=row.sha256,
        language=row.language,
        original_name=row.original_name,
        stored_file=row.stored_file,
        characters=row.characters,
        page_map=page_map_of(row.page_map),
        site_name=row.site_name,
        url=row.url,
        highlight_count=highlight_count,
        note=note,
    )


def aliases_of(row: TagRow) -> tuple[str, ...]:
    return tuple(json.loads(row.aliases or "[]"))


def tag(row: TagRow, *, highlight_count: int = 0) -> Tag:
    return Tag(
        id=row.id,
        name=row.name,
        category=row.category,
        colour=row.colour,
        parent_id=row.parent_id,
        description=row.description,
        aliases=aliases_of(row),
        highlight_count=highlight_count,
    )


def indexed_document(row: DocumentRow, note: str | None) -> IndexedDocument:
    return IndexedDocument(
        id=row.id,
        title=row.title,
        author=row.author,
        source=row.source,
        published=row.published,
        format=row.format,
        body=row.text,
        note=note,
    )


def indexed_highlight(
    row: HighlightRow, doc: DocumentRow | Any, page_map: tuple[PageSpan, ...]
) -> IndexedHighlight:
    """``doc`` is a DocumentRow or any row with id, title, author, published and format."""
    return IndexedHighlight(
        id=row.id,
        document_id=row.document_id,
        document_title=doc.title,
        published=doc.published,
        format=doc.format,
        start=row.start,
        end=row.end,
        quote=row.text,
        note=row.note.text if row.note is not None else None,
        tags=tuple(IndexedTag(t.category, t.name, aliases_of(t)) for t in row.tags),
        page=page_at(page_map, row.start),
        page_end=page_at(page_map, row.end - 1),
        document_author=doc.author,
    )

"""Highlight index records and tag lookups read with plain SQL inside a writing transaction.

Building one highlight's index record through the ORM (expire everything, reload the row,
select-in its tags and note, load the document) cost several milliseconds of Python on every
tag or note edit, a third of the time until the user's click returned. These are the same
reads as flat rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session

from annotator.core._db import removals
from annotator.core._db.convert import indexed_document, page_map_of
from annotator.core._db.schema import (
    DocumentRow,
    HighlightRow,
    NoteRow,
    documents_table,
    highlight_tags,
    highlights_table,
    notes_table,
    tags_table,
)
from annotator.core._search.records import IndexedHighlight, IndexedTag, IndexUpdate
from annotator.core.changes import Changes
from annotator.core.errors import NotFound, RemovedMeanwhile
from annotator.core.models import page_at

_BATCH = 500  # ids per IN (...) list

_h = highlights_table
_d = documents_table
_n = notes_table
_t = tags_table


def tag_rows(conn: Connection, tag_ids: Sequence[int]) -> list[Any]:
    """Rows (id, name, category, colour, aliases) of these tags in the order a highlight lists
    them (category, then name); NotFound names the first id given that does not exist."""
    ids = list(dict.fromkeys(tag_ids))
    if not ids:
        return []
    # Locked (PostgreSQL ``FOR KEY SHARE``) until the write commits: a coder deleting or
    # merging one of these tags waits for this tagging to land, or this tagging waits for the
    # deletion and is refused with who did it (``removals``), never linked to a deleted tag.
    rows = {
        r.id: r
        for r in conn.execute(
            select(_t.c.id, _t.c.name, _t.c.category, _t.c.colour, _t.c.aliases)
            .where(_t.c.id.in_(ids)).order_by(_t.c.id).with_for_update(read=True, key_share=True)
        )
    }
    for tag_id in ids:
        if tag_id not in rows:
            raise tag_gone(conn, tag_id)
    return sorted(rows.values(), key=lambda r: (r.category, r.name))


def tag_gone(conn: Connection, tag_id: int) -> NotFound:
    """The error for a tag that is not there: who deleted or merged it when that is known."""
    gone = removals.explain(conn, removals.TAG, tag_id)
    if gone is None:
        return NotFound(f"no tag {tag_id}")
    sentence, coder = gone
    return RemovedMeanwhile(f"{sentence}; nothing was saved", coder=coder,
                            refresh=Changes(tags=frozenset({tag_id}), codebook=True))


def indexed_tag(row: Any) -> IndexedTag:
    return IndexedTag(row.category, row.name, tuple(json.loads(row.aliases or "[]")))


def indexed_highlights(s: Session, highlight_ids: Sequence[int]) -> tuple[IndexedHighlight, ...]:
    """Index records of these highlights as the transaction sees them now."""
    s.flush()  # whatever the ORM still holds back must be visible to the reads below
    conn = s.connection()
    ids = list(dict.fromkeys(highlight_ids))
    records: list[IndexedHighlight] = []
    pages: dict[int, tuple] = {}
    for at in range(0, len(ids), _BATCH):
        chunk = ids[at : at + _BATCH]
        notes = dict(
            conn.execute(select(_n.c.highlight_id, _n.c.text).where(_n.c.highlight_id.in_(chunk))).all()
        )
        tags: dict[int, list[IndexedTag]] = {}
        for row in conn.execute(
            select(highlight_tags.c.highlight_id, _t.c.category, _t.c.name, _t.c.aliases)
            .join(_t, _t.c.id == highlight_tags.c.tag_id)
            .where(highlight_tags.c.highlight_id.in_(chunk))
            .order_by(_t.c.category, _t.c.name)
        ):
            tags.setdefault(row.highlight_id, []).append(indexed_tag(row))
        for r in conn.execute(
            select(_h.c.id, _h.c.document_id, _h.c.start, _h.c.end, _h.c.text, _d.c.title,
                   _d.c.author, _d.c.published, _d.c.format, _d.c.page_map)
            .join(_d, _d.c.id == _h.c.document_id)
            .where(_h.c.id.in_(chunk))
        ):
            if r.document_id not in pages:
                pages[r.document_id] = page_map_of(r.page_map)
            records.append(
                highlight_record(r.id, r.document_id, r.start, r.end, r.text, notes.get(r.id),
                                 tuple(tags.get(r.id, ())), r, pages[r.document_id])
            )
    return tuple(records)


def highlight_record(
    highlight_id: int, document_id: int, start: int, end: int, quote: str, note: str | None,
    tags: tuple[IndexedTag, ...], doc: Any, page_map: tuple,
) -> IndexedHighlight:
    """``doc`` is any row with the document's title, author, published and format."""
    return IndexedHighlight(
        id=highlight_id, document_id=document_id, document_title=doc.title,
        published=doc.published, format=doc.format, start=start, end=end, quote=quote,
        note=note, tags=tags, page=page_at(page_map, start), page_end=page_at(page_map, end - 1),
        document_author=doc.author,
    )


_DOCUMENTS_OF = select(_h.c.document_id).where(_h.c.id.in_(bindparam("ids", expanding=True))).distinct()


def documents_of(conn: Connection, highlight_ids: Iterable[int]) -> frozenset[int]:
    """The documents holding these highlights (ids that do not exist are skipped)."""
    ids = list(dict.fromkeys(highlight_ids))
    found: set[int] = set()
    for at in range(0, len(ids), _BATCH):
        found.update(conn.execute(_DOCUMENTS_OF, {"ids": ids[at:at + _BATCH]}).scalars())
    return frozenset(found)


def document_update(s: Session, row: DocumentRow, generation: int) -> IndexUpdate:
    """Index records of a document and all its highlights, read inside the writing transaction."""
    note = s.scalar(
        select(NoteRow.text).where(NoteRow.document_id == row.id, NoteRow.highlight_id.is_(None))
    )
    ids = s.scalars(select(HighlightRow.id).where(HighlightRow.document_id == row.id)).all()
    return IndexUpdate(
        generation=generation,
        upsert_documents=(indexed_document(row, note),),
        upsert_highlights=indexed_highlights(s, ids),
    )

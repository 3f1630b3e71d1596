"""Bulk reading of highlights as flat records on SQLite, through the DB-API cursor.

``Library.highlights`` builds a full ``Highlight`` (tag objects, parsed timestamps) per row,
which is right for the reader and the panes but made a 100,000-excerpt CSV export spend half
its time building objects the writer took apart again. This reads the same rows through
SQLite's own cursor, a batch of documents at a time, in SQLite's dialect (``GLOB``,
``group_concat``, timestamps re-cut in SQL), and hands out ``ExcerptRecord`` tuples. Other
engines read the same records through SQLAlchemy (``annotator.core.excerpts``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from annotator.core._db import convert
from annotator.core.models import DocumentSummary, ExcerptRecord, page_at

DOCUMENTS_PER_BATCH = 500  # documents per read: bounds memory and stays under SQLite's
IDS_PER_QUERY = 900  # bound-parameter limit (999 on older builds) together with the tag ids


def document_summaries(db: sqlite3.Connection, document_ids: Iterable[int] | None) -> list[DocumentSummary]:
    select = "SELECT id, title, author, source, published, characters FROM documents"
    if document_ids is None:
        rows = db.execute(f"{select} ORDER BY id").fetchall()
    else:
        ids = sorted(set(document_ids))
        rows = []
        for at in range(0, len(ids), IDS_PER_QUERY):
            chunk = ids[at : at + IDS_PER_QUERY]
            rows += db.execute(f"{select} WHERE id IN ({_marks(len(chunk))}) ORDER BY id",
                               chunk).fetchall()
    day = date.fromisoformat
    return [DocumentSummary(i, t, a, src, day(p) if p else None, n)
            for i, t, a, src, p, n in rows]


def excerpt_batches(
    db: sqlite3.Connection,
    document_ids: Iterable[int] | None,
    tags: list[int] | None,
    wanted_ids: set[int] | None,
    coders: list[str] | None = None,
) -> Iterator[list[ExcerptRecord]]:
    """``tags``: only highlights carrying any of these (None: all; at most IDS_PER_QUERY);
    ``coders``: only highlights these coders made (None: every coder's)."""
    rank = {tid: i for i, (tid,) in enumerate(
        db.execute("SELECT id FROM tags ORDER BY category, name, id"))}
    documents = _documents_in_order(db, document_ids, tags, wanted_ids, coders)
    tag_order: dict[str, tuple[int, ...]] = {}
    for at in range(0, len(documents), DOCUMENTS_PER_BATCH):
        yield _read_batch(db, documents[at : at + DOCUMENTS_PER_BATCH], tags, tag_order, rank,
                          coders)


def _marks(count: int) -> str:
    return ",".join("?" * count)


def _tag_condition(tags: list[int] | None, coders: list[str] | None) -> str:
    """The SQL after ``WHERE …`` for these tags and coders; its parameters are ``_params``."""
    sql = ""
    if tags is not None:
        sql += (f" AND h.id IN (SELECT highlight_id FROM highlight_tags"
                f" WHERE tag_id IN ({_marks(len(tags))}))")
    if coders is not None:
        sql += f" AND h.author IN ({_marks(len(coders))})"
    return sql


def _params(tags: list[int] | None, coders: list[str] | None) -> list[object]:
    return [*(tags or ()), *(coders or ())]


def _documents_in_order(
    db: sqlite3.Connection,
    document_ids: Iterable[int] | None,
    tags: list[int] | None,
    wanted_ids: set[int] | None,
    coders: list[str] | None,
) -> list[int]:
    """Ids of the documents that hold at least one wanted highlight, ascending."""
    tag_params = _params(tags, coders)
    if wanted_ids is not None:
        ids = sorted(wanted_ids)
        found: set[int] = set()
        for at in range(0, len(ids), IDS_PER_QUERY):
            chunk = ids[at : at + IDS_PER_QUERY]
            found.update(d for (d,) in db.execute(
                f"SELECT DISTINCT document_id FROM highlights h WHERE h.id IN ({_marks(len(chunk))})"
                + _tag_condition(tags, coders), [*chunk, *tag_params]))
    else:
        found = {d for (d,) in db.execute(
            "SELECT DISTINCT document_id FROM highlights h WHERE 1" + _tag_condition(tags, coders),
            tag_params)}
    if document_ids is not None:
        found &= set(document_ids)
    return sorted(found)


# Timestamps are stored by SQLAlchemy as ``YYYY-MM-DD HH:MM:SS[.ffffff]``; SQLite re-cuts
# them to ISO 8601 seconds in C (NULL for any other form, which Python then parses).
_STAMP = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*'"
_ISO = "substr({0}, 1, 10) || 'T' || substr({0}, 12, 8)"
_SELECT = (
    'SELECT h.id, h.document_id, h.start, h."end", h.text,'
    " (SELECT text FROM notes n WHERE n.highlight_id = h.id),"
    " (SELECT group_concat(tag_id) FROM highlight_tags ht WHERE ht.highlight_id = h.id),"
    f" CASE WHEN h.created GLOB {_STAMP} THEN {_ISO.format('h.created')} END,"
    # '' when never modified, the common case: no second string per row.
    f" CASE WHEN h.modified = h.created THEN ''"
    f" WHEN h.modified GLOB {_STAMP} THEN {_ISO.format('h.modified')} END,"
    " h.created, h.modified, h.author FROM highlights h"
)


def _read_batch(
    db: sqlite3.Connection,
    documents: list[int],
    tags: list[int] | None,
    tag_order: dict[str, tuple[int, ...]],
    rank: dict[int, int],
    coders: list[str] | None,
) -> list[ExcerptRecord]:
    marks = _marks(len(documents))
    rows = db.execute(
        f"{_SELECT} WHERE h.document_id IN ({marks}){_tag_condition(tags, coders)}"
        ' ORDER BY h.document_id, h.start, h."end", h.id', [*documents, *_params(tags, coders)]
    ).fetchall()
    if not rows:
        return []
    page_maps = {
        doc_id: convert.page_map_of(raw)
        for doc_id, raw in db.execute(
            f"SELECT id, page_map FROM documents WHERE id IN ({marks})"
            " AND page_map NOT IN ('', '[]')", documents)
    }
    # ``tuple.__new__`` skips the NamedTuple's Python-level constructor: 100,000 calls.
    make, record = tuple.__new__, ExcerptRecord
    out = []
    for hid, doc_id, start, end, text, note, tag_list, made, changed, created, modified, author in rows:
        if tag_list is None:
            tag_ids: tuple[int, ...] = ()
        else:
            tag_ids = tag_order.get(tag_list) or _order_tags(tag_list, tag_order, rank)
        if made is None:
            made = iso_seconds(created)
        if changed is None:
            changed = iso_seconds(modified)
        page_map = page_maps.get(doc_id)
        out.append(make(record, (
            hid, doc_id, start, end, text, note, tag_ids, made, changed or made,
            page_at(page_map, start) if page_map else None,
            page_at(page_map, end - 1) if page_map else None, author,
        )))
    return out


def _order_tags(
    tag_list: str, tag_order: dict[str, tuple[int, ...]], rank: dict[int, int]
) -> tuple[int, ...]:
    """``"12,3"`` from ``group_concat`` as ids in category-then-name order, remembered: a
    project has few distinct tag combinations."""
    ordered = tuple(sorted(map(int, tag_list.split(",")), key=rank.__getitem__))
    tag_order[tag_list] = ordered
    return ordered


def iso_seconds(stored: str) -> str:
    """SQLAlchemy keeps timestamps as ``YYYY-MM-DD HH:MM:SS[.ffffff]``: re-cut the text
    rather than parse 100,000 datetimes; anything else goes through ``fromisoformat``."""
    if len(stored) >= 19 and stored[10] == " " and stored[4] == "-" and stored[16] == ":":
        return f"{stored[:10]}T{stored[11:19]}"
    return datetime.fromisoformat(stored).isoformat(timespec="seconds")

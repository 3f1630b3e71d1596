"""Bulk reading of highlights as flat records on SQLite, through the DB-API cursor.

``Library.highlights`` builds a full ``Highlight`` (tag objects, parsed timestamps) per row,
which is right for the reader and the panes but made a 100,000-excerpt CSV export spend half
its time building objects the writer took apart again. This reads the same rows through
SQLite's own cursor, a batch of documents at a time, in SQLite's dialect (``GLOB``,
``group_concat``, timestamps re-cut in SQL), and hands out ``ExcerptRecord`` tuples. Other
engines read the same records through SQLAlchemy (``annotator.core.excerpts``).
"""

from __future__ import annotations

import json
import sqlite3
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path

from annotator.core.models import DocumentSummary, ExcerptRecord

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
    rank = tag_rank(db)
    documents = [d for d, _ in document_counts(db, document_ids, tags, wanted_ids, coders)]
    tag_order: dict[str, tuple[int, ...]] = {}
    for at in range(0, len(documents), DOCUMENTS_PER_BATCH):
        yield read_batch(db, documents[at : at + DOCUMENTS_PER_BATCH], tags, tag_order, rank,
                         coders)


def database_file(db: sqlite3.Connection) -> Path | None:
    """The file of the connection's main database; None in memory (no file another process
    could open)."""
    files = [row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main"]
    return Path(files[0]) if files and files[0] else None


def tag_rank(db: sqlite3.Connection) -> dict[int, int]:
    """Each tag id's place in the order records list their tags: category, then name."""
    return {tid: i for i, (tid,) in enumerate(
        db.execute("SELECT id FROM tags ORDER BY category, name, id"))}


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


def document_counts(
    db: sqlite3.Connection,
    document_ids: Iterable[int] | None,
    tags: list[int] | None,
    wanted_ids: set[int] | None,
    coders: list[str] | None,
) -> list[tuple[int, int]]:
    """``(document id, wanted highlights)`` of the documents that hold at least one, ascending
    by id."""
    tag_params = _params(tags, coders)
    counts: dict[int, int] = {}
    if wanted_ids is not None:
        ids = sorted(wanted_ids)
        for at in range(0, len(ids), IDS_PER_QUERY):
            chunk = ids[at : at + IDS_PER_QUERY]
            for d, n in db.execute(
                    f"SELECT document_id, count(*) FROM highlights h WHERE h.id IN"
                    f" ({_marks(len(chunk))}){_tag_condition(tags, coders)} GROUP BY document_id",
                    [*chunk, *tag_params]):
                counts[d] = counts.get(d, 0) + n
    else:
        counts = dict(db.execute(
            "SELECT document_id, count(*) FROM highlights h WHERE 1"
            f"{_tag_condition(tags, coders)} GROUP BY document_id", tag_params).fetchall())
    if document_ids is not None:
        wanted = set(document_ids)
        return sorted((d, n) for d, n in counts.items() if d in wanted)
    return sorted(counts.items())


# Timestamps are stored by SQLAlchemy as ``YYYY-MM-DD HH:MM:SS[.ffffff]``; SQLite re-cuts
# them to ISO 8601 seconds in C (NULL for any other form, which Python then parses).
_STAMP = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*'"
_ISO = "substr({0}, 1, 10) || 'T' || substr({0}, 12, 8)"
_SELECT = (
    'SELECT h.id, h.document_id, h.start, h."end", h.text, n.text,'
    " (SELECT group_concat(tag_id) FROM highlight_tags ht WHERE ht.highlight_id = h.id),"
    f" CASE WHEN h.created GLOB {_STAMP} THEN {_ISO.format('h.created')} END,"
    # '' when never modified, the common case: no second string per row.
    f" CASE WHEN h.modified = h.created THEN ''"
    f" WHEN h.modified GLOB {_STAMP} THEN {_ISO.format('h.modified')} END,"
    # A join, not a subquery per row, for the note (notes.highlight_id is unique); the raw
    # timestamps are read only for the rare rows SQLite could not re-cut (``_raw_stamps``).
    " h.author FROM highlights h LEFT JOIN notes n ON n.highlight_id = h.id"
)


def read_batch(
    db: sqlite3.Connection,
    documents: list[int],
    tags: list[int] | None,
    tag_order: dict[str, tuple[int, ...]],
    rank: dict[int, int],
    coders: list[str] | None,
) -> list[ExcerptRecord]:
    """The wanted highlights of ``documents`` in reading order; ``tag_order`` remembers the
    tag combinations seen (shared by the calls of one export), ``rank`` is ``tag_rank``."""
    marks = _marks(len(documents))
    rows = db.execute(
        f"{_SELECT} WHERE h.document_id IN ({marks}){_tag_condition(tags, coders)}"
        ' ORDER BY h.document_id, h.start, h."end", h.id', [*documents, *_params(tags, coders)]
    ).fetchall()
    if not rows:
        return []
    # Each paged document's page starts: page n starts at starts[n - 1] (``page_map_of``
    # numbers the spans in order), so a page is a bisection in C, not a ``PageSpan`` search.
    page_starts = {
        doc_id: [int(span[0]) for span in json.loads(raw)]
        for doc_id, raw in db.execute(
            f"SELECT id, page_map FROM documents WHERE id IN ({marks})"
            " AND page_map NOT IN ('', '[]')", documents)
    }
    # ``tuple.__new__`` skips the NamedTuple's Python-level constructor: 100,000 calls.
    make, record = tuple.__new__, ExcerptRecord
    out: list[ExcerptRecord] = []
    odd: list[int] = []  # rows whose timestamps SQLite did not re-cut
    for hid, doc_id, start, end, text, note, tag_list, made, changed, author in rows:
        if tag_list is None:
            tag_ids: tuple[int, ...] = ()
        else:
            tag_ids = tag_order.get(tag_list) or _order_tags(tag_list, tag_order, rank)
        if made is None or changed is None:
            odd.append(len(out))
        starts = page_starts.get(doc_id)
        out.append(make(record, (
            hid, doc_id, start, end, text, note, tag_ids, made, changed or made,
            (bisect_right(starts, start) or 1) if starts else None,
            (bisect_right(starts, end - 1) or 1) if starts else None, author,
        )))
    if odd:
        _raw_stamps(db, out, odd)
    return out


def _raw_stamps(db: sqlite3.Connection, out: list[ExcerptRecord], odd: list[int]) -> None:
    """Put Python-parsed timestamps into the records at ``odd`` (stored in a form other than
    SQLAlchemy's, which only data written by other tools has)."""
    for at in range(0, len(odd), IDS_PER_QUERY):
        chunk = odd[at : at + IDS_PER_QUERY]
        stamps = dict((hid, (created, modified)) for hid, created, modified in db.execute(
            f"SELECT id, created, modified FROM highlights WHERE id IN ({_marks(len(chunk))})",
            [out[i].id for i in chunk]))
        for i in chunk:
            created, modified = stamps[out[i].id]
            made = iso_seconds(created)
            out[i] = out[i]._replace(
                created=made, modified=made if modified == created else iso_seconds(modified))


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

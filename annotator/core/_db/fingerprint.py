"""A cheap fingerprint of everything the search index holds, computed in SQL.

The index records it with each commit and rebuild; ``Library.check`` compares it with the
database's, so an edit made behind Annotator's back (a note, a tag name, a title changed in
the SQLite file directly) shows as a stale index even though counts and generation agree.
Per table, each row's indexed columns are mixed into a number and the numbers summed, so the
order of rows does not matter. Numbers are mixed by SQL arithmetic; free text (titles, notes,
tag names) through a CRC-32 function, a Python call per value, which is why quotes (cut from
the immutable document text by their span) count by length and span only, and document bodies
not at all. About 0.1 s for 100,000 highlights with 200,000 tag links.
"""

from __future__ import annotations

import hashlib
import sqlite3
import zlib

_P = 2147483647  # keeps every row's number small enough that sums never overflow

# (table, the SQL for one row's number); "h(x)" is the CRC-32 of x's text.
_ROWS = (
    ("documents", "h(title || '\x1f' || author || '\x1f' || source || '\x1f' || "
                  "coalesce(published, '') || '\x1f' || format || '\x1f' || sha256) + id * 7919"),
    ("highlights", f"(id * 1000003 + document_id * 7919 + start * 131 + \"end\" * 31 "
                   f"+ length(text)) % {_P}"),
    ("notes", "h(text) + (id * 7919 + document_id * 131 + coalesce(highlight_id, 0) * 31) "
              f"% {_P}"),
    ("tags", "h(name || '\x1f' || category || '\x1f' || aliases) + id * 7919"),
    ("highlight_tags", f"(highlight_id * 1000003 + tag_id * 7919 + highlight_id * tag_id) % {_P}"),
)


def _crc(value: object) -> int:
    return zlib.crc32(str(value).encode()) if value is not None else 0


def content_fingerprint(db: sqlite3.Connection) -> str:
    """A short hex digest that changes when any indexed column of any row changes."""
    db.create_function("h", 1, _crc, deterministic=True)
    parts = []
    for table, row in _ROWS:
        count, total = db.execute(
            f"SELECT count(*), coalesce(sum({row}), 0) FROM {table}"
        ).fetchone()
        parts.append(f"{table}:{count}:{total}")
    return hashlib.blake2b("|".join(parts).encode(), digest_size=8).hexdigest()

"""Everything that speaks one database's own dialect, so a second backend is one file away.

The rest of core writes SQL through SQLAlchemy Core and the ORM with portable types. What
cannot be said portably, or is only fast when said in SQLite's own words, lives here, each
with the portable form used on any other engine:

- connection PRAGMAs (foreign keys, WAL, busy timeout): SQLite only;
- ``StampText``: a stored timestamp as ``YYYY-MM-DD HH:MM:SS`` text, parsed by the C
  ``fromisoformat`` instead of SQLAlchemy's per-value processing;
- ``Utf8Bytes``: a text column as UTF-8 bytes, searched without decoding it;
- ``content_fingerprint``: CRC-32 summed in SQL through a Python function SQLite calls;
  elsewhere the same numbers summed in Python over the rows;
- the copy of a project's ``project.sqlite`` before an upgrade (its first check is in
  ``sqlite_file``).

The fast readers for SQLite (raw DB-API SQL) live beside it: excerpts in ``sqlite_excerpts``,
the search command's reads in ``sqlite_search_reads``.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import zlib
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, Engine, LargeBinary, String, event, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from annotator.core._db import row_digests
from annotator.core._db.schema import (
    documents_table,
    highlight_tags,
    highlights_table,
    notes_table,
    tags_table,
)


def is_sqlite(bind: Connection | Engine) -> bool:
    return bind.dialect.name == "sqlite"


# ----------------------------------------------------------------- connections
# FULL: SQLite syncs the write-ahead log at every commit, so a highlight confirmed on screen
# survives a power cut or an OS crash, not only a killed app. Measured (bench/durability_bench.py,
# docs/reliability.md) it adds about a millisecond to a tag on this machine's disk.
# ANNOTATOR_SQLITE_SYNCHRONOUS=NORMAL is for the benchmark's comparison only.
SYNCHRONOUS = "NORMAL" if os.environ.get("ANNOTATOR_SQLITE_SYNCHRONOUS") == "NORMAL" else "FULL"


def set_sqlite_pragmas(engine: Engine, *, readonly: bool) -> None:
    """Foreign keys are off in SQLite unless set on every connection (STACK.md); the row
    checksum functions (``row_digests``) are registered on each connection too."""

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        cur = dbapi_conn.cursor()
        if not readonly:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
        cur.execute("PRAGMA busy_timeout=15000")
        cur.close()
        row_digests.register(dbapi_conn)


def sqlite_connection(conn: Connection) -> sqlite3.Connection:
    """The DB-API connection under a SQLite ``Connection``, for SQL only SQLite speaks."""
    return cast(sqlite3.Connection, conn.connection.driver_connection)


def backup_sqlite_file(db_path: Path, backup: Path) -> None:
    """A consistent copy of a live database (SQLite's online backup)."""
    with sqlite3.connect(db_path) as src, sqlite3.connect(backup) as dst:
        src.backup(dst)


# ----------------------------------------------------------------- expressions
class StampText(FunctionElement[str]):
    """A DateTime column as ``YYYY-MM-DD HH:MM:SS[.ffffff]`` text (no per-value processing)."""

    type = String()
    inherit_cache = True
    name = "stamp_text"


class Utf8Bytes(FunctionElement[bytes]):
    """A text column as its UTF-8 bytes."""

    type = LargeBinary()
    inherit_cache = True
    name = "utf8_bytes"


def _spelled(function: type[FunctionElement[Any]], *, default: str, sqlite: str) -> None:
    """How ``function(x)`` is written in SQL: ``sqlite`` there, ``default`` elsewhere."""

    def writer(form: str) -> Any:
        def write(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> str:
            return form.format(compiler.process(element.clauses, **kw))
        return write

    compiles(function)(writer(default))
    compiles(function, "sqlite")(writer(sqlite))


_spelled(StampText, default="CAST({} AS VARCHAR)", sqlite="{}")  # SQLite stores that text already
_spelled(Utf8Bytes, default="convert_to({}, 'UTF8')", sqlite="CAST({} AS BLOB)")


def stamp_text(column: Any) -> ColumnElement[str]:
    return StampText(column)


def utf8_bytes(column: Any) -> ColumnElement[bytes]:
    return Utf8Bytes(column)


# ----------------------------------------------------------------- content fingerprint
# A cheap fingerprint of everything the search index holds. The index records it with each
# commit and rebuild; ``Library.check`` compares it with the database's, so an edit made behind
# Annotator's back (a note, a tag name, a title changed in the file directly) shows as a stale
# index even though counts and generation agree. Per table, each row's indexed columns are
# mixed into a number and the numbers summed, so the order of rows does not matter. Free text
# through CRC-32; quotes (cut from the immutable document text by their span) count by length
# and span only, document bodies not at all. About 0.1 s for 100,000 highlights in SQLite.
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


def _digest(parts: list[str]) -> str:
    return hashlib.blake2b("|".join(parts).encode(), digest_size=8).hexdigest()


def content_fingerprint(conn: Connection) -> str:
    """A short hex digest that changes when any indexed column of any row changes."""
    if not is_sqlite(conn):
        return _portable_fingerprint(conn)
    db = sqlite_connection(conn)
    db.create_function("h", 1, _crc, deterministic=True)
    parts = []
    for table, row in _ROWS:
        count, total = db.execute(
            f"SELECT count(*), coalesce(sum({row}), 0) FROM {table}"
        ).fetchone()
        parts.append(f"{table}:{count}:{total}")
    return _digest(parts)


def _portable_fingerprint(conn: Connection) -> str:
    """The same digest's idea on any engine: the row numbers summed in Python."""
    d, h, n, t = documents_table, highlights_table, notes_table, tags_table
    sep = "\x1f"

    def text_of(*values: object) -> int:
        return _crc(sep.join("" if v is None else str(v) for v in values))

    tables: list[tuple[str, Any, Any]] = [
        ("documents", select(d.c.id, d.c.title, d.c.author, d.c.source, d.c.published, d.c.format,
                             d.c.sha256),
         lambda r: text_of(*r[1:]) + r[0] * 7919),
        ("highlights", select(h.c.id, h.c.document_id, h.c.start, h.c.end, h.c.text),
         lambda r: (r[0] * 1000003 + r[1] * 7919 + r[2] * 131 + r[3] * 31 + len(r[4])) % _P),
        ("notes", select(n.c.id, n.c.document_id, n.c.highlight_id, n.c.text),
         lambda r: _crc(r[3]) + (r[0] * 7919 + r[1] * 131 + (r[2] or 0) * 31) % _P),
        ("tags", select(t.c.id, t.c.name, t.c.category, t.c.aliases),
         lambda r: text_of(*r[1:]) + r[0] * 7919),
        ("highlight_tags", select(highlight_tags.c.highlight_id, highlight_tags.c.tag_id),
         lambda r: (r[0] * 1000003 + r[1] * 7919 + r[0] * r[1]) % _P),
    ]
    parts = []
    for name, query, number in tables:
        count = total = 0
        for row in conn.execute(query):
            count += 1
            total += number(row)
        parts.append(f"{name}:{count}:{total}")
    return _digest(parts)

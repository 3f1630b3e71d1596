"""PostgreSQL-only SQL for coders working at once (advisory locks), and what a driver error
means (the server is gone, or another coder won a race). SQLite's SQL lives in ``dialect``,
the change log's in ``postgres``.

Coders write at the same time only on PostgreSQL: a local SQLite project has one writer, so
every function here does nothing there.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

# SQLSTATE classes and codes (PostgreSQL appendix A) that mean the server or the connection is
# gone, as opposed to a statement the server refused.
_CONNECTION_CLASS = "08"
_SERVER_GOING = frozenset({"57P01", "57P02", "57P03"})  # terminated, crash shutdown, starting up
_RACE = frozenset({"40001", "40P01"})  # serialization failure, deadlock: another writer won
_UNIQUE = "23505"
_FOREIGN_KEY = "23503"


def is_postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def lock_tag_name(conn: Connection, category: str, name: str) -> None:
    """Hold, until this transaction ends, the right to create or rename a tag to ``name`` in
    ``category``: two coders typing the same new tag at once get one tag, the second finding
    the first's (case and spacing ignored, as tag lookup does)."""
    if not is_postgres(conn):
        return
    key = f"annotator-tag:{category.casefold()}:{' '.join(name.split()).casefold()}"
    conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key})


def sqlstate(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", exc)
    return getattr(orig, "sqlstate", None)


def is_connection_lost(exc: BaseException) -> bool:
    """True when ``exc`` (SQLAlchemy's or psycopg's) says the server cannot be reached or the
    connection broke, rather than that a statement failed."""
    orig = getattr(exc, "orig", exc)
    if type(orig).__module__.split(".")[0] != "psycopg":
        return False
    if getattr(exc, "connection_invalidated", False):
        return True
    import psycopg

    if not isinstance(orig, (psycopg.OperationalError, psycopg.InterfaceError)):
        return False
    code = sqlstate(orig)
    return code is None or code.startswith(_CONNECTION_CLASS) or code in _SERVER_GOING


def is_race(exc: BaseException) -> bool:
    """Another coder's transaction collided with this one (the server rolled this one back)."""
    code = sqlstate(exc)
    return code in _RACE or code in (_UNIQUE, _FOREIGN_KEY) and \
        type(getattr(exc, "orig", exc)).__module__.split(".")[0] == "psycopg"


def server_detail(exc: BaseException) -> str:
    """The server's or libpq's own words, first line, without the SQL."""
    orig = getattr(exc, "orig", exc)
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    return lines[0] if lines else type(orig).__name__

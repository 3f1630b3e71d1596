"""The first look at a project's ``project.sqlite``: SQLite's own integrity check, the tables
it holds and its schema revision, through plain ``sqlite3`` (no engine, no SQLAlchemy) and
without changing the file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.core.errors import ProjectError

SQLITE_HEADER = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database file


def connect_readonly(db_path: Path, *, timeout: float = 15.0) -> sqlite3.Connection:
    """A connection that cannot write, whatever SQL runs on it (``mode=ro``), in autocommit
    mode: the caller says ``BEGIN`` when several reads must see one state of the file."""
    return sqlite3.connect(f"file:{db_path.as_posix()}?mode=ro", uri=True, timeout=timeout,
                           isolation_level=None)


def inspect_connection(conn: sqlite3.Connection) -> tuple[set[str], str | None]:
    """The table names and Alembic revision of the database ``conn`` reads, after SQLite's
    quick check; ``ProjectError`` (without the file's name) when it is damaged."""
    result = conn.execute("PRAGMA quick_check").fetchone()
    if result and result[0] != "ok":
        raise ProjectError(f"is damaged: {result[0]}")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    revision = None
    if "alembic_version" in tables:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
    return tables, revision


def inspect_sqlite_file(db_path: Path) -> tuple[set[str], str | None]:
    """The database file's table names and Alembic revision, after SQLite's own integrity
    check; ``ProjectError`` naming the file when it is damaged or not a database."""
    try:
        conn = connect_readonly(db_path)
        try:
            return inspect_connection(conn)
        finally:
            conn.close()
    except ProjectError as exc:
        raise ProjectError(f"{db_path} {exc}") from exc
    except (sqlite3.DatabaseError, UnicodeDecodeError, ValueError) as exc:
        raise ProjectError(f"{db_path} is damaged or not a database: {exc}") from exc

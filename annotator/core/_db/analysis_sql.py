"""The connection the analysis counts (``core.analysis``, ``core.paragraphs``) run their SQL on.

That SQL is written once, in SQLite's words, and runs on SQLite's own DB-API connection: each
count is one grouped statement, and SQLite's ``json_each`` passes a list of thousands of ids
as one parameter. On PostgreSQL (team projects) ``PostgresAnalysisDb`` runs the same
statements after saying SQLite's few idioms in PostgreSQL's:

- ``x IN (SELECT value FROM json_each(:p))`` reads the same JSON parameter through
  ``json_array_elements_text``, compared as ``bigint`` for id columns and as text otherwise
  (a date column then compares by its ISO text, as SQLite stores it);
- ``name COLLATE NOCASE`` becomes ``lower(name)``; ``INDEXED BY`` hints are dropped;
- ``?`` and ``:name`` parameters become psycopg's ``%s`` and ``%(name)s``;
- the read-only projects' TEMP copy of ``paragraphs``.

Everything else in those statements (CTEs ``AS MATERIALIZED``, ``GROUP BY 1, 2``,
``CAST(x AS TEXT)``) is said the same way by both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from sqlalchemy import Connection

from annotator.core._db.dialect import is_sqlite, sqlite_connection


class Rows(Protocol):
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class AnalysisDb(Protocol):
    """What ``core.analysis`` needs of a connection: ``sqlite3.Connection`` has it."""

    def execute(self, sql: str, parameters: Sequence[Any] | Mapping[str, Any] = ..., /) -> Any: ...
    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> Any: ...


_IN_JSON = re.compile(r'([\w."]+) IN \(SELECT value FROM json_each\((:\w+|\?)\)\)')
_NOCASE = re.compile(r"([\w.\"]+) COLLATE NOCASE")
_INDEXED_BY = re.compile(r" INDEXED BY \w+")
# Quoted text and names pass untouched; ``::`` is a cast, not a parameter.
_TOKENS = re.compile(r"""('(?:[^']|'')*')|("(?:[^"]|"")*")|(::)|:(\w+)|(\?)|(%)""")


def _json_member(match: re.Match[str]) -> str:
    expr, param = match.group(1), match.group(2)
    column = expr.rsplit(".", 1)[-1].strip('"')
    elements = f"json_array_elements_text(CAST({param} AS json))"
    if column == "id" or column.endswith("_id"):
        return f"{expr} IN (SELECT CAST(value AS bigint) FROM {elements})"
    return f"CAST({expr} AS text) IN (SELECT value FROM {elements})"


def _parameter(match: re.Match[str]) -> str:
    if match.group(1):  # psycopg reads ``%`` as a placeholder even inside a literal
        return match.group(1).replace("%", "%%")
    if match.group(4):
        return f"%({match.group(4)})s"
    if match.group(5):
        return "%s"
    if match.group(6):
        return "%%"
    return match.group(0)


def postgres_sql(sql: str) -> str:
    """SQLite-worded analysis SQL said in PostgreSQL's words (module docstring)."""
    sql = _IN_JSON.sub(_json_member, sql)
    sql = _NOCASE.sub(r"lower(\1)", sql)
    sql = _INDEXED_BY.sub("", sql)
    return _TOKENS.sub(_parameter, sql)


class PostgresAnalysisDb:
    """The analysis SQL on a PostgreSQL connection (psycopg 3 under SQLAlchemy)."""

    postgres = True

    def __init__(self, conn: Connection) -> None:
        self._raw: Any = conn.connection.driver_connection

    def execute(self, sql: str, parameters: Sequence[Any] | Mapping[str, Any] = (), /) -> Any:
        cursor = self._raw.cursor()
        # Always with parameters (maybe none), so psycopg reads every ``%%`` as ``%``.
        cursor.execute(postgres_sql(sql), parameters)
        return cursor

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> Any:
        cursor = self._raw.cursor()
        cursor.executemany(postgres_sql(sql), list(parameters))
        return cursor


def analysis_db(conn: Connection) -> AnalysisDb:
    if is_sqlite(conn):
        return sqlite_connection(conn)
    return PostgresAnalysisDb(conn)


def is_postgres(db: AnalysisDb) -> bool:
    return bool(getattr(db, "postgres", False))


@contextmanager
def temporary_paragraphs(db: AnalysisDb) -> Iterator[None]:
    """A TEMP ``paragraphs`` table shadowing the stored one for this connection (a read-only
    project computes the spans it lacks there), dropped afterwards."""
    if is_postgres(db):
        exists = db.execute("SELECT to_regclass('pg_temp.paragraphs')").fetchone()[0]
        if exists is None:
            # The source name is resolved before the TEMP table exists: the stored one.
            db.execute("CREATE TEMP TABLE paragraphs AS SELECT * FROM paragraphs")
        drop = "DROP TABLE IF EXISTS pg_temp.paragraphs"
    else:
        if not db.execute("SELECT 1 FROM sqlite_temp_master WHERE name = 'paragraphs'").fetchone():
            db.execute("CREATE TEMP TABLE paragraphs AS SELECT * FROM main.paragraphs")
            db.execute("CREATE INDEX temp.ix_temp_paragraphs ON paragraphs (document_id, number)")
        drop = "DROP TABLE IF EXISTS temp.paragraphs"
    try:
        yield
    finally:
        db.execute(drop)

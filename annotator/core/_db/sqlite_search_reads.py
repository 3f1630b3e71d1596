"""What a search reads from a local project's database, in SQLite's words over plain
``sqlite3``, for the search command's quick path (``core.quick_search``).

``annotator search`` is a whole process that scripts run again and again; importing
SQLAlchemy alone took 0.2-0.3 s of the 0.5 s it may take (issue 13), while the reads a search
needs take a few milliseconds. Each function here says which Library read it stands for;
tests/core/test_quick_search.py holds the two paths to the same answers, and the quick path is
only taken on a database at the current schema (``schema_head``), so a migration that changes
these tables fails those tests rather than a user's search.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator

from annotator.core.errors import NotFound

IDS_PER_QUERY = 900  # SQLite's bound-parameter limit (999 on older builds)


def generation(db: sqlite3.Connection) -> int:
    """``Store.generation``: the counter the search index is compared against."""
    row = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    return int(row[0]) if row else 0


def counts(db: sqlite3.Connection) -> tuple[int, int]:
    """(documents, highlights): the two of ``Documents.counts`` the index holds."""
    docs, highlights = db.execute(
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM highlights)").fetchone()
    return int(docs or 0), int(highlights or 0)


def meta_value(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def category_names(db: sqlite3.Connection) -> list[str]:
    """The names of ``Codebook.categories``, in their order."""
    return [name for (name,) in db.execute("SELECT name FROM categories ORDER BY position, name")]


class VariableField:
    """A user variable as ``_search.query_compiler.VariableField`` (``DatabaseVariable``)."""

    def __init__(self, db: sqlite3.Connection, name: str, type_: str) -> None:
        self._db, self.name, self.type = db, name, type_

    def documents_where(self, keep: Callable[[str], bool]) -> Collection[int]:
        """``variables.documents_where``: the test runs once per distinct value."""
        values = [v for (v,) in self._db.execute(
            "SELECT DISTINCT value FROM document_variables WHERE name = ?", (self.name,))]
        chosen = [v for v in values if keep(v)]
        found: set[int] = set()
        for at in range(0, len(chosen), IDS_PER_QUERY):
            chunk = chosen[at : at + IDS_PER_QUERY]
            found.update(i for (i,) in self._db.execute(
                f"SELECT document_id FROM document_variables WHERE name = ? AND value IN "
                f"({_marks(len(chunk))})", (self.name, *chunk)))
        return found


def variable_fields(db: sqlite3.Connection) -> dict[str, VariableField]:
    """``variable_search.variable_fields``: the user's variables by name (the built-ins are
    not in the table; they are search fields of their own)."""
    return {name: VariableField(db, name, type_)
            for name, type_ in db.execute("SELECT name, type FROM variables")}


def document_text(db: sqlite3.Connection, document_id: int) -> str:
    """``Documents.document_text``."""
    row = db.execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()
    if row is None:
        raise NotFound(f"no document {document_id}")
    return str(row[0])


def document_texts(db: sqlite3.Connection, document_ids: Iterable[int]) -> Iterator[tuple[int, str]]:
    """``Documents.document_texts``."""
    ids = list(dict.fromkeys(document_ids))
    for at in range(0, len(ids), IDS_PER_QUERY):
        chunk = ids[at : at + IDS_PER_QUERY]
        yield from db.execute(
            f"SELECT id, text FROM documents WHERE id IN ({_marks(len(chunk))})", chunk)


def pairs(db: sqlite3.Connection, table: str, column: str, ids: list[int]) -> Iterator[tuple[int, str]]:
    """(id, ``column``) of the rows of ``table`` (documents or highlights) whose id is in
    ``ids``: what ``Search._checked_against_database`` looks up."""
    if table not in ("documents", "highlights") or not column.isidentifier():
        raise ValueError(f"not a lookup the search makes: {table}.{column}")
    for at in range(0, len(ids), IDS_PER_QUERY):
        chunk = ids[at : at + IDS_PER_QUERY]
        yield from db.execute(
            f"SELECT id, {column} FROM {table} WHERE id IN ({_marks(len(chunk))})", chunk)


def _marks(count: int) -> str:
    return ",".join("?" * count)

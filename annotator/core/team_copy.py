"""Copying a whole project between a local folder and a team server: ``annotator publish``
(local → server) and ``annotator clone`` (server → a local single-user copy).

Every table of the schema is copied row for row with its ids, so every reference (a highlight's
document, a tag's parent, a note's highlight, a variable's values) stays what it was; tables
only one side keeps (row checksums, the change log) start afresh on the target. Originals go
from ``sources/`` into the database or back out to ``sources/``. The copy is one transaction on
the target: a failure leaves it as it was.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Row, Select, Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from annotator.core._db import postgres_roles
from annotator.core._db.schema import Base, DocumentRow, OriginalRow
from annotator.core.changes import Changes
from annotator.core.errors import ProjectError
from annotator.core.original_copy import store_original
from annotator.core.store import Store

log = logging.getLogger(__name__)

# Kept per database, never copied: checksums are re-made by the target's own writes, the
# change log (t_log) tells clients of one server what changed there, and originals are
# copied by ``_copy_originals`` whichever side keeps them as files.
NOT_COPIED = frozenset({"row_checksums", "checksum_dirty", "change_log", "originals",
                        "alembic_version"})
# What a new project holds before anything is copied into it (built-in categories, its
# generation and identity): replaced by the source's.
REPLACED = ("meta", "categories")
# The tables whose rows say a project holds work; a target with any of them is refused.
CONTENT = ("documents", "tags", "highlights", "notes", "variables", "saved_searches")
BATCH = 500


@dataclass
class CopySummary:
    rows: dict[str, int] = field(default_factory=dict)
    originals: int = 0
    missing_originals: list[str] = field(default_factory=list)

    def line(self) -> str:
        r = self.rows
        text = (f"{r.get('documents', 0)} documents, {r.get('highlights', 0)} highlights, "
                f"{r.get('tags', 0)} tags, {r.get('notes', 0)} notes, "
                f"{r.get('variables', 0)} variables, {self.originals} originals")
        if self.missing_originals:
            text += f" ({len(self.missing_originals)} original(s) missing: " \
                    f"{', '.join(self.missing_originals[:3])})"
        return text


def copy_project(source: Store, target: Store) -> CopySummary:
    """Copy everything of ``source`` into the empty project ``target`` (see module doc).
    The caller rebuilds ``target``'s search index afterwards."""
    summary = CopySummary()
    written: list[Path] = []
    try:
        with source.read() as src, target.write() as dst:
            _refuse_content(dst.connection(), target)
            conn = dst.connection()
            for name in REPLACED:
                conn.execute(delete(Base.metadata.tables[name]))
            for table in Base.metadata.sorted_tables:
                if table.name not in NOT_COPIED:
                    summary.rows[table.name] = _copy_table(src.connection(), conn, table)
            _copy_originals(source, src, target, dst, summary, written)
            if postgres_roles.is_postgresql(conn):
                postgres_roles.reset_sequences(conn)
            target.next_generation(dst)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    target.publish(Changes(documents_added_or_removed=True, notes=True))
    return summary


def _refuse_content(conn: Connection, target: Store) -> None:
    for name in CONTENT:
        if conn.execute(select(func.count()).select_from(Base.metadata.tables[name])).scalar():
            raise ProjectError(f"the target project ({target.folder}) already holds {name}; "
                               "copy into an empty one")


def _copy_table(source: Connection, target: Connection, table: Table) -> int:
    """All rows with their ids; a column naming a row of its own table (a tag's parent) is
    filled in after every row is there."""
    own = [c for c in table.columns if any(fk.column.table is table for fk in c.foreign_keys)]
    keys = [c for c in table.primary_key.columns]
    count = 0
    for rows in _batches(source, select(table)):
        values = [dict(row._mapping) for row in rows]
        if own:
            values = [{**v, **{c.name: None for c in own}} for v in values]
        target.execute(insert(table), values)
        count += len(values)
    if own and keys:
        for rows in _batches(source, select(*keys, *own).where(
                *[c.isnot(None) for c in own])):
            for row in rows:
                m = row._mapping
                target.execute(update(table).where(*[k == m[k.name] for k in keys])
                               .values({c.name: m[c.name] for c in own}))
    return count


def _batches(conn: Connection, query: Select[Any]) -> Iterator[list[Row[Any]]]:
    result = conn.execution_options(yield_per=BATCH).execute(query)
    for part in result.partitions():
        yield list(part)


def _copy_originals(source: Store, src: Session, target: Store, dst: Session,
                    summary: CopySummary, written: list[Path]) -> None:
    reader = _database_reader(src) if source.originals_in_database else _file_reader(source)
    documents = src.execute(select(DocumentRow.id, DocumentRow.stored_file)
                            .where(DocumentRow.stored_file.isnot(None))).all()
    for document_id, stored in documents:
        if stored is None:
            continue
        data = reader(document_id, stored)
        if data is None:
            summary.missing_originals.append(stored)
            dst.execute(update(DocumentRow).where(DocumentRow.id == document_id)
                        .values(stored_file=None))
            continue
        if target.originals_in_database:
            dst.add(OriginalRow(document_id=document_id, data=data,
                                sha256=hashlib.sha256(data).hexdigest()))
        else:
            path = target.folder / stored
            store_original(path, path, data)
            written.append(path)
        summary.originals += 1
    dst.flush()


def _database_reader(session: Session) -> Callable[[int, str], bytes | None]:
    def read(document_id: int, _stored: str) -> bytes | None:
        return session.scalar(select(OriginalRow.data).where(OriginalRow.document_id == document_id))
    return read


def _file_reader(store: Store) -> Callable[[int, str], bytes | None]:
    def read(_document_id: int, stored: str) -> bytes | None:
        try:
            return (store.folder / stored).read_bytes()
        except OSError as exc:
            log.warning("original %s not copied: %s", stored, exc)
            return None
    return read

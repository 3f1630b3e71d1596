"""Per-row checksums of what a researcher cannot re-create: document texts and metadata,
quotes and their spans, notes, and the stored originals' bytes.

Triggers (plain SQL, so they fire for every program that writes the file) list each inserted or
updated row in ``checksum_dirty``; at the end of every Annotator write transaction ``seal``
hashes the listed rows into ``row_checksums``. A row changed by a flipped bit on disk, a damaged
sync, or a bad sector fires no trigger, so its checksum no longer matches and ``check`` names
it. A row changed deliberately with SQL is listed as dirty until the next write seals it.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from pathlib import Path

DIGEST_FUNCTION = "annotator_digest"
SOURCE_KIND = "source"

# (table, the columns hashed, in order). The digest covers every column a silent change of
# which would mislead: text and spans, dates, titles.
COVERED: dict[str, tuple[str, ...]] = {
    "documents": ("title", "author", "source", "published", "imported_at", "format", "sha256",
                  "text", "characters", "page_map", "stored_file"),
    "highlights": ("document_id", "start", '"end"', "text", "author", "created", "modified"),
    "notes": ("document_id", "highlight_id", "text", "created", "modified"),
}


def digest(*values: object) -> str:
    h = hashlib.blake2b(digest_size=12)
    for value in values:
        h.update(b"\x00" if value is None else b"\x01" + str(value).encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()


def register(connection: sqlite3.Connection) -> None:
    connection.create_function(DIGEST_FUNCTION, -1, digest, deterministic=True)


def file_digest(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


def row_expression(table: str) -> str:
    return f"{DIGEST_FUNCTION}({', '.join(COVERED[table])})"


def trigger_sql() -> list[str]:
    statements = []
    for table in COVERED:
        for event in ("INSERT", "UPDATE"):
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS trg_{table}_{event.lower()}_checksum AFTER {event} "
                f"ON {table} BEGIN INSERT OR IGNORE INTO checksum_dirty (kind, row_id) "
                f"VALUES ('{table}', NEW.id); END"
            )
        kinds = f"('{table}', '{SOURCE_KIND}')" if table == "documents" else f"('{table}')"
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS trg_{table}_delete_checksum AFTER DELETE ON {table} "
            f"BEGIN DELETE FROM row_checksums WHERE kind IN {kinds} AND row_id = OLD.id; "
            f"DELETE FROM checksum_dirty WHERE kind = '{table}' AND row_id = OLD.id; END"
        )
    return statements


def drop_trigger_sql() -> list[str]:
    names = [f"trg_{t}_{e}_checksum" for t in COVERED for e in ("insert", "update", "delete")]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in names]


def seal(connection: sqlite3.Connection, folder: Path | None) -> None:
    """Hash the rows listed as dirty (inside the caller's transaction) and empty the list.
    A document's original gets its file checksum once, when first seen with a stored file."""
    dirty = connection.execute("SELECT 1 FROM checksum_dirty LIMIT 1").fetchone()
    if dirty is None:
        return
    for table in COVERED:
        connection.execute(
            f"INSERT OR REPLACE INTO row_checksums (kind, row_id, digest) "
            f"SELECT '{table}', id, {row_expression(table)} FROM {table} "
            f"WHERE id IN (SELECT row_id FROM checksum_dirty WHERE kind = '{table}')"
        )
    if folder is not None:
        new_files = connection.execute(
            "SELECT d.id, d.stored_file FROM documents d WHERE d.stored_file IS NOT NULL "
            "AND d.id IN (SELECT row_id FROM checksum_dirty WHERE kind = 'documents') "
            "AND NOT EXISTS (SELECT 1 FROM row_checksums c WHERE c.kind = ? AND c.row_id = d.id)",
            (SOURCE_KIND,),
        ).fetchall()
        record_files(connection, folder, new_files)
    connection.execute("DELETE FROM checksum_dirty")


def record_files(connection: sqlite3.Connection, folder: Path,
                 files: Iterable[tuple[int, str]]) -> None:
    for document_id, stored in files:
        value = file_digest(folder / stored)
        if value is not None:
            connection.execute(
                "INSERT OR REPLACE INTO row_checksums (kind, row_id, digest) VALUES (?, ?, ?)",
                (SOURCE_KIND, document_id, value),
            )


def seal_all(connection: sqlite3.Connection, folder: Path | None) -> None:
    """Checksum every row (an upgrade of a project made before checksums)."""
    for table in COVERED:
        connection.execute(f"INSERT OR IGNORE INTO checksum_dirty (kind, row_id) "
                           f"SELECT '{table}', id FROM {table}")
    seal(connection, folder)
    if folder is not None:
        files = connection.execute(
            "SELECT id, stored_file FROM documents WHERE stored_file IS NOT NULL AND id NOT IN "
            "(SELECT row_id FROM row_checksums WHERE kind = ?)", (SOURCE_KIND,)).fetchall()
        record_files(connection, folder, files)

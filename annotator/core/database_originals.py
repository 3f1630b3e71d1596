"""A team project's originals, kept in the database (``originals`` table) because its
researchers share no ``sources/`` folder.

``documents.stored_file`` names the same ``sources/NNNNN name`` a local project would use; in
a team project that path is this client's cached copy, written from the database when
something asks for the file (open original, exports, the undo of a delete) and checked
against the stored hash before it is trusted.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.core._db.row_digests import file_digest
from annotator.core._db.schema import OriginalRow
from annotator.core.errors import InvalidInput
from annotator.core.original_copy import store_original, stored_name
from annotator.core.project_folder import SOURCES_DIR
from annotator.core.store import Store


def keep_in_database(session: Session, document_id: int, original: Path,
                     data: bytes | None) -> str:
    """Store the original's bytes (``data``, else read once now) with the document; returns
    the ``stored_file`` name its local copy gets."""
    if data is None:
        try:
            data = original.read_bytes()
        except FileNotFoundError as exc:
            raise InvalidInput("file vanished before it could be copied") from exc
    session.add(OriginalRow(document_id=document_id, data=data,
                            sha256=hashlib.sha256(data).hexdigest()))
    return f"{SOURCES_DIR}/{stored_name(document_id, original.name)}"


def put_back(session: Session, document_id: int, copy: Path) -> None:
    """Undo of a delete: the original again from the local copy kept in the trash."""
    try:
        data = copy.read_bytes()
    except OSError:
        return  # the copy is gone: the document comes back without its original
    session.add(OriginalRow(document_id=document_id, data=data,
                            sha256=hashlib.sha256(data).hexdigest()))


def local_copy(store: Store, document_id: int, stored_file: str) -> Path | None:
    """This client's copy of the original, written from the database when it is missing or
    differs from the stored bytes; None when the database holds no original."""
    path = store.folder / stored_file
    with store.read() as s:
        expected = s.scalar(select(OriginalRow.sha256).where(OriginalRow.document_id == document_id))
        if expected is None:
            return None
        if path.is_file() and file_digest(path) == expected:
            return path
        data = s.scalar(select(OriginalRow.data).where(OriginalRow.document_id == document_id))
    if data is None:
        return None
    store_original(path, path, data)
    return path


def original_bytes(store: Store, document_id: int) -> bytes | None:
    with store.read() as s:
        return s.scalar(select(OriginalRow.data).where(OriginalRow.document_id == document_id))

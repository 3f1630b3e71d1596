"""The project's own identity: a UUID that exchange formats (REFI-QDA) derive their GUIDs from,
so exporting the same project twice gives every code, source and selection the same GUID.

Kept in the ``meta`` table under ``project_uuid``: a new project draws a random one when it is
created. A project made before this existed gets one derived
from facts that never change once written (its first document's text hash and import time;
for a project without documents, its folder's path), and a writable project stores it at once.
Deriving instead of drawing a random value means a read-only export (``annotator export`` opens
the project read-only, so it works while the app has it open) gives the same GUIDs as a later
export that stores the identity.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from annotator.core._db.schema import DocumentRow, MetaRow

META_KEY = "project_uuid"
# Fixed namespace for the derivation; changing it would change every exported GUID.
_NAMESPACE = uuid.UUID("6f1c2a4e-5b0d-5e8a-9c3f-7d2e1b4a8c60")


def project_uuid(engine: Engine, folder: Path, *, store: bool) -> uuid.UUID:
    """The stored identity, or the derived one (written to ``meta`` when ``store``)."""
    with Session(engine) as s:
        row = s.get(MetaRow, META_KEY)
        if row is not None:
            try:
                return uuid.UUID(row.value)
            except ValueError:
                pass  # a damaged value: derive again (and repair it when writable)
        first = s.execute(
            select(DocumentRow.sha256, DocumentRow.imported_at).order_by(DocumentRow.id).limit(1)
        ).first()
    seed = f"document:{first[0]}:{first[1].isoformat()}" if first else f"folder:{folder.resolve()}"
    value = uuid.uuid5(_NAMESPACE, seed)
    if store:
        with Session(engine) as s, s.begin():
            row = s.get(MetaRow, META_KEY)
            if row is None:
                s.add(MetaRow(key=META_KEY, value=str(value)))
            else:
                row.value = str(value)
    return value


def store_new_identity(engine: Engine) -> None:
    """Give a newly created project a random identity of its own."""
    with Session(engine) as s, s.begin():
        if s.get(MetaRow, META_KEY) is None:
            s.add(MetaRow(key=META_KEY, value=str(uuid.uuid4())))

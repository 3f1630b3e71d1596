"""Alembic environment: always run in-process on a connection handed over by the Library."""

from __future__ import annotations

from alembic import context

from annotator.core._db.schema import Base, use_dialect

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached when someone runs `alembic` by hand
    raise RuntimeError("run migrations through annotator.core._db.engine.upgrade")

use_dialect(connection.dialect.name)
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
)
with context.begin_transaction():
    context.run_migrations()

"""row checksums: per-row digests of texts, quotes, notes and originals, kept by triggers

Revision ID: i14_checksums
Revises: 0001
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import cast

import sqlalchemy as sa
from alembic import op

from annotator.core._db import row_digests

revision = 'i14_checksums'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'row_checksums',
        sa.Column('kind', sa.String(), nullable=False),
        sa.Column('row_id', sa.Integer(), nullable=False),
        sa.Column('digest', sa.String(), nullable=False),
        sa.PrimaryKeyConstraint('kind', 'row_id', name=op.f('pk_row_checksums')),
    )
    op.create_table(
        'checksum_dirty',
        sa.Column('kind', sa.String(), nullable=False),
        sa.Column('row_id', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('kind', 'row_id', name=op.f('pk_checksum_dirty')),
    )
    if op.get_bind().dialect.name != "sqlite":
        # The checksums are kept by SQLite triggers calling a Python function on the file's
        # own connection; a server database (a team project) has its own page checksums and
        # backups, and its tables stay empty.
        return
    for statement in row_digests.trigger_sql():
        op.execute(statement)
    # Rows of a project made before checksums get theirs now (and its originals, when the
    # database sits in its project folder).
    raw = cast(sqlite3.Connection, op.get_bind().connection.driver_connection)
    row_digests.register(raw)
    database = raw.execute("PRAGMA database_list").fetchone()[2]
    folder = Path(database).parent if database else None
    row_digests.seal_all(raw, folder)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in row_digests.drop_trigger_sql():
            op.execute(statement)
    op.drop_table('checksum_dirty')
    op.drop_table('row_checksums')

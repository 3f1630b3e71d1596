"""notes record their coder

Revision ID: i17_coder
Revises: i15_vars

Every note names the coder who wrote it (``notes.author``), as highlights already do. A note
written before this revision gets its highlight's author (the coder it was written for in a
single-coder project); a document note gets "" (unknown).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'i17_coder'
down_revision = 'i15_vars'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('author', sa.String(), nullable=False, server_default=''))
    # Plain SQL both SQLite and PostgreSQL run: a correlated subquery, no UPDATE … FROM.
    op.execute(
        "UPDATE notes SET author = COALESCE((SELECT h.author FROM highlights h"
        " WHERE h.id = notes.highlight_id), '') WHERE highlight_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.drop_column('author')

"""originals kept in the database (team projects: no shared drive for sources/)

Revision ID: i17_server
Revises: i17_log
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'i17_server'
down_revision = 'i17_log'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Created on both backends so one schema serves both; a local project keeps its originals
    # under sources/ and leaves this table empty.
    op.create_table('originals',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_originals_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', name=op.f('pk_originals'))
    )


def downgrade() -> None:
    op.drop_table('originals')

"""highlight versions for the optimistic check, and who removed a highlight or tag

Revision ID: i17_occ
Revises: i17_coder
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'i17_occ'
down_revision = 'i17_coder'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('highlights', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('modified_by', sa.String(), server_default='', nullable=False))
    op.create_table('removals',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('row_id', sa.Integer(), nullable=False),
    sa.Column('removed_by', sa.String(), nullable=False),
    sa.Column('removed_at', sa.DateTime(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'row_id', name=op.f('pk_removals'))
    )


def downgrade() -> None:
    op.drop_table('removals')
    with op.batch_alter_table('highlights', schema=None) as batch_op:
        batch_op.drop_column('modified_by')
        batch_op.drop_column('version')

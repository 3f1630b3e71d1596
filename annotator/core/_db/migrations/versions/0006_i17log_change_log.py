"""change log: what every write touched, for the other clients of a team project

Revision ID: i17_log
Revises: i17_occ
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from annotator.core._db import postgres

revision = 'i17_log'
down_revision = 'i17_occ'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('change_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('xact', sa.BigInteger(), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('coder', sa.String(), nullable=False),
    sa.Column('client', sa.String(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('action', sa.String(length=8), nullable=False),
    sa.Column('documents', sa.Text(), nullable=False),
    sa.Column('highlights', sa.Text(), nullable=False),
    sa.Column('tags', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_log'))
    )
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_log_xact'), ['xact'], unique=False)
    # Only a shared database logs its writes (see _db.postgres): a local project has one writer.
    if op.get_bind().dialect.name == 'postgresql':
        postgres.install_triggers(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for statement in postgres.drop_trigger_sql():
            op.execute(statement)
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_log_xact'))
    op.drop_table('change_log')

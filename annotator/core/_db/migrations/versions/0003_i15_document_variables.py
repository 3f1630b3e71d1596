"""document variables and paragraph spans

Revision ID: i15_vars
Revises: i14_checksums
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'i15_vars'
down_revision = 'i14_checksums'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('variables',
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('choices', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_variables'))
    )
    op.create_table('document_variables',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_variables_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['name'], ['variables.name'], name=op.f('fk_document_variables_name_variables'), onupdate='CASCADE', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', 'name', name=op.f('pk_document_variables'))
    )
    with op.batch_alter_table('document_variables', schema=None) as batch_op:
        batch_op.create_index('ix_document_variables_name_value', ['name', 'value'], unique=False)
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index('ix_documents_id_published', ['id', 'published'], unique=False)
    with op.batch_alter_table('highlights', schema=None) as batch_op:
        batch_op.create_index('ix_highlights_document_span', ['document_id', 'start', 'end'],
                              unique=False)
    op.create_table('paragraphs',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_paragraphs_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', 'number', name=op.f('pk_paragraphs'))
    )


def downgrade() -> None:
    op.drop_table('paragraphs')
    with op.batch_alter_table('highlights', schema=None) as batch_op:
        batch_op.drop_index('ix_highlights_document_span')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index('ix_documents_id_published')
    with op.batch_alter_table('document_variables', schema=None) as batch_op:
        batch_op.drop_index('ix_document_variables_name_value')
    op.drop_table('document_variables')
    op.drop_table('variables')

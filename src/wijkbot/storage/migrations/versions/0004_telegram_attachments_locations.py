"""attachments (photos, PDF) with their message and case; shared locations on cases; split-message progress
in the outbox; an index to find a resident's recent messages

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-24 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'attachments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=True),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('file_name', sa.String(length=200), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name='fk_attachments_message_id_messages'),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name='fk_attachments_case_id_cases'),
        sa.PrimaryKeyConstraint('id', name='pk_attachments'),
    )
    op.create_index('ix_attachments_case', 'attachments', ['case_id'])
    op.create_index('ix_attachments_message', 'attachments', ['message_id'])
    with op.batch_alter_table('cases') as batch:
        batch.add_column(sa.Column('latitude', sa.Float(), nullable=True))
        batch.add_column(sa.Column('longitude', sa.Float(), nullable=True))
    with op.batch_alter_table('outbox') as batch:
        batch.add_column(sa.Column('parts_sent', sa.Integer(), server_default='0', nullable=False))
    op.create_index('ix_messages_contact', 'messages', ['contact_id', 'created_at'])


def downgrade() -> None:
    op.drop_index('ix_messages_contact', table_name='messages')
    with op.batch_alter_table('outbox') as batch:
        batch.drop_column('parts_sent')
    with op.batch_alter_table('cases') as batch:
        batch.drop_column('longitude')
        batch.drop_column('latitude')
    op.drop_index('ix_attachments_message', table_name='attachments')
    op.drop_index('ix_attachments_case', table_name='attachments')
    op.drop_table('attachments')

"""the term paused while waiting on the resident, escalation level, the outcome wish after /stop, surveys

Revision ID: 0008
Revises: 0004
Create Date: 2026-11-30 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('contacts') as batch:
        batch.add_column(sa.Column('wants_outcome', sa.Boolean(), server_default='0', nullable=False))
    with op.batch_alter_table('cases') as batch:
        batch.add_column(sa.Column('waiting_since', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('paused_days', sa.Integer(), server_default='0', nullable=False))
        batch.add_column(sa.Column('escalation_level', sa.Integer(), server_default='0', nullable=False))
    op.create_table(
        'surveys',
        sa.Column('token', sa.String(length=40), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('score', sa.Integer(), nullable=True),
        sa.Column('solved', sa.Boolean(), nullable=True),
        sa.Column('why', sa.Text(), nullable=True),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name='fk_surveys_case_id_cases'),
        sa.PrimaryKeyConstraint('token', name='pk_surveys'),
    )
    op.create_index('ix_surveys_case', 'surveys', ['case_id'])


def downgrade() -> None:
    op.drop_index('ix_surveys_case', table_name='surveys')
    op.drop_table('surveys')
    with op.batch_alter_table('cases') as batch:
        batch.drop_column('escalation_level')
        batch.drop_column('paused_days')
        batch.drop_column('waiting_since')
    with op.batch_alter_table('contacts') as batch:
        batch.drop_column('wants_outcome')

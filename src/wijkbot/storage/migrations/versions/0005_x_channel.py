"""the X channel: polling cursors, monthly request budget, channel state

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-24 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'x_cursors',
        sa.Column('stream', sa.String(length=20), nullable=False),
        sa.Column('since_id', sa.String(length=30), nullable=True),
        sa.Column('pending_newest_id', sa.String(length=30), nullable=True),
        sa.Column('pagination_token', sa.String(length=500), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('stream', name='pk_x_cursors'),
    )
    op.create_table(
        'x_usage',
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('reads', sa.Integer(), server_default='0', nullable=False),
        sa.Column('writes', sa.Integer(), server_default='0', nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('month', name='pk_x_usage'),
    )
    op.create_table(
        'x_status',
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('warned_month', sa.String(length=7), nullable=True),
        sa.PrimaryKeyConstraint('channel', name='pk_x_status'),
    )


def downgrade() -> None:
    op.drop_table('x_status')
    op.drop_table('x_usage')
    op.drop_table('x_cursors')

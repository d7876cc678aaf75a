"""the archive of weekly digests per wijk, with the claim that makes the scheduled send happen once

Revision ID: 0006
Revises: 0002
Create Date: 2026-11-24 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'digests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('wijk', sa.String(length=100), nullable=False),
        sa.Column('week', sa.String(length=8), nullable=False),
        sa.Column('lang', sa.String(length=10), server_default='nl', nullable=False),
        sa.Column('generated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('html', sa.Text(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('recipients', sa.Integer(), server_default='0', nullable=False),
        sa.Column('sends', sa.Integer(), server_default='0', nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id', name='pk_digests'),
        sa.UniqueConstraint('wijk', 'week', name='uq_digests_wijk_week'),
    )


def downgrade() -> None:
    op.drop_table('digests')

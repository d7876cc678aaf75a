"""each model knows the imported history it learned from; the corrections it saw, by their newest event

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL on both: the one history stored before this migration, and the models trained on it.
    with op.batch_alter_table('training_examples') as batch:
        batch.add_column(sa.Column('history_id', sa.Integer(), nullable=True))
        batch.create_index('ix_training_examples_history', ['rules_name', 'history_id'])
    with op.batch_alter_table('routing_models') as batch:
        batch.add_column(sa.Column('history_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('corrections_until', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('routing_models') as batch:
        batch.drop_column('corrections_until')
        batch.drop_column('history_id')
    with op.batch_alter_table('training_examples') as batch:
        batch.drop_index('ix_training_examples_history')
        batch.drop_column('history_id')

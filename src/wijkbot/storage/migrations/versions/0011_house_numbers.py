"""cases.house_number: the house number given with the street, so two places on one street are no duplicates

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL for the cases before: an unknown number is no difference, so they link as before
    with op.batch_alter_table('cases') as batch:
        batch.add_column(sa.Column('house_number', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('cases') as batch:
        batch.drop_column('house_number')

"""messages.body_masked: the text as readers who do not handle the case see it, for their search

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from wijkbot.domain.quotes import mask_contact

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

_BATCH = 1000


def upgrade() -> None:
    with op.batch_alter_table('messages') as batch:
        batch.add_column(sa.Column('body_masked', sa.Text(), nullable=True))
    # The messages stored before: masked here, in batches, so a search never falls back to the raw text.
    conn = op.get_bind()
    messages = sa.table('messages', sa.column('id', sa.Integer), sa.column('body', sa.Text),
                        sa.column('body_masked', sa.Text))
    after = 0
    while True:
        rows = conn.execute(sa.select(messages.c.id, messages.c.body).where(messages.c.id > after)
                            .order_by(messages.c.id).limit(_BATCH)).all()
        if not rows:
            break
        conn.execute(sa.update(messages).where(messages.c.id == sa.bindparam('b_id'))
                     .values(body_masked=sa.bindparam('b_masked')),
                     [{'b_id': row.id, 'b_masked': mask_contact(row.body or '')} for row in rows])
        after = rows[-1].id


def downgrade() -> None:
    with op.batch_alter_table('messages') as batch:
        batch.drop_column('body_masked')

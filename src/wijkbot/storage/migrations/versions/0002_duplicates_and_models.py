"""duplicate links between cases; learned routing models and their training examples in the database

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 00:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cases') as batch:
        batch.add_column(sa.Column('duplicate_of', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_cases_duplicate_of', 'cases', ['duplicate_of'], ['id'])
        batch.create_index('ix_cases_duplicate_of', ['duplicate_of'])
    op.create_table(
        'routing_models',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('rules_name', sa.String(length=100), nullable=False),
        sa.Column('examples', sa.Integer(), nullable=False),
        sa.Column('corrections', sa.Integer(), server_default='0', nullable=False),
        sa.Column('source', sa.String(length=200), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('active', sa.Boolean(), server_default='0', nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_routing_models_active', 'routing_models', ['rules_name', 'active'])
    op.create_table(
        'training_examples',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('rules_name', sa.String(length=100), nullable=False),
        sa.Column('line', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('street', sa.String(length=200), nullable=True),
        sa.Column('pc4', sa.String(length=10), nullable=True),
        sa.Column('town', sa.String(length=100), nullable=True),
        sa.Column('category', sa.String(length=100), nullable=True),
        sa.Column('department', sa.String(length=100), nullable=True),
        sa.Column('team', sa.String(length=100), nullable=True),
        sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_training_examples_rules', 'training_examples', ['rules_name'])


def downgrade() -> None:
    op.drop_index('ix_training_examples_rules', table_name='training_examples')
    op.drop_table('training_examples')
    op.drop_index('ix_routing_models_active', table_name='routing_models')
    op.drop_table('routing_models')
    with op.batch_alter_table('cases') as batch:
        batch.drop_index('ix_cases_duplicate_of')
        batch.drop_constraint('fk_cases_duplicate_of', type_='foreignkey')
        batch.drop_column('duplicate_of')

"""the shared inbox: accounts, extra roles, password links, login failures, case views, helpers, mentions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'accounts',
        sa.Column('officer_id', sa.Integer(), nullable=False),
        sa.Column('password_hash', sa.String(length=200), nullable=True),
        sa.Column('active', sa.Boolean(), server_default='1', nullable=False),
        sa.Column('session_epoch', sa.Integer(), server_default='0', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('password_set_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name='fk_accounts_officer_id_officers', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('officer_id', name='pk_accounts'),
    )
    op.create_table(
        'officer_roles',
        sa.Column('officer_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name='fk_officer_roles_officer_id_officers', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('officer_id', 'role', name='pk_officer_roles'),
    )
    op.create_table(
        'password_links',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('officer_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name='fk_password_links_officer_id_officers', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('token_hash', name='pk_password_links'),
    )
    op.create_table(
        'login_failures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('email', sa.String(length=320), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_login_failures'),
    )
    op.create_index('ix_login_failures_email', 'login_failures', ['email', 'at'])
    op.create_index('ix_login_failures_address', 'login_failures', ['address', 'at'])
    op.create_table(
        'case_views',
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('officer_id', sa.Integer(), nullable=False),
        sa.Column('since', sa.DateTime(timezone=True), nullable=False),
        sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name='fk_case_views_case_id_cases', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name='fk_case_views_officer_id_officers', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('case_id', 'officer_id', name='pk_case_views'),
    )
    op.create_table(
        'case_helpers',
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('officer_id', sa.Integer(), nullable=False),
        sa.Column('invited_by', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name='fk_case_helpers_case_id_cases', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name='fk_case_helpers_officer_id_officers', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['invited_by'], ['officers.id'], name='fk_case_helpers_invited_by_officers'),
        sa.PrimaryKeyConstraint('case_id', 'officer_id', name='pk_case_helpers'),
    )
    op.create_index('ix_case_helpers_officer', 'case_helpers', ['officer_id'])
    op.create_table(
        'note_mentions',
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('officer_id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name='fk_note_mentions_message_id_messages', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name='fk_note_mentions_officer_id_officers', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name='fk_note_mentions_case_id_cases', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('message_id', 'officer_id', name='pk_note_mentions'),
    )
    op.create_index('ix_note_mentions_officer', 'note_mentions', ['officer_id'])


def downgrade() -> None:
    op.drop_index('ix_note_mentions_officer', table_name='note_mentions')
    op.drop_table('note_mentions')
    op.drop_index('ix_case_helpers_officer', table_name='case_helpers')
    op.drop_table('case_helpers')
    op.drop_table('case_views')
    op.drop_index('ix_login_failures_address', table_name='login_failures')
    op.drop_index('ix_login_failures_email', table_name='login_failures')
    op.drop_table('login_failures')
    op.drop_table('password_links')
    op.drop_table('officer_roles')
    op.drop_table('accounts')

"""People's notifications: each account's choices (kinds, digest hour, proven e-mail address), its inbox, the e-mails
the worker sends and each attempt, and the people's scan state

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-14
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import app.types


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notification_scan_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scanned_day', sa.Date(), nullable=False),
    sa.Column('scanned_at', app.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('calendar_signature', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('audience_signature', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_scan_state'))
    )
    op.create_table('notification_emails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('dedupe_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('notification_id', sa.Integer(), nullable=True),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('text_body', sa.Text(), nullable=False),
    sa.Column('html_body', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempt_count', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', app.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lease_token', sa.Integer(), nullable=False),
    sa.Column('claimed_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('last_code', sa.Integer(), nullable=True),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('created_at', app.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', app.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_notification_emails_account_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_emails')),
    sa.UniqueConstraint('account_id', 'dedupe_key', name=op.f('uq_notification_emails_account_id_dedupe_key')),
    sa.UniqueConstraint('public_id', name=op.f('uq_notification_emails_public_id'))
    )
    with op.batch_alter_table('notification_emails', schema=None) as batch_op:
        batch_op.create_index('ix_notification_emails_due', ['next_attempt_at', 'id'], unique=False, postgresql_where=sa.text("status IN ('pending', 'sending')"), sqlite_where=sa.text("status IN ('pending', 'sending')"))
        batch_op.create_index('ix_notification_emails_notification_id', ['notification_id'], unique=False)

    op.create_table('notification_preferences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('mode', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('updated_at', app.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_notification_preferences_account_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_preferences')),
    sa.UniqueConstraint('account_id', 'kind', name=op.f('uq_notification_preferences_account_id_kind'))
    )
    op.create_table('notification_settings',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('digest_hour', sa.Integer(), nullable=False),
    sa.Column('verified_email', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('verified_at', app.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('verify_token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('verify_address', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('verify_expires_at', app.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', app.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_notification_settings_account_id_accounts')),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_notification_settings'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('event_type', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('dedupe_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('indicator_id', sa.Integer(), nullable=True),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('link', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('created_at', app.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('held', sa.Boolean(), nullable=False),
    sa.Column('digest_due_at', app.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('shown_at', app.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', app.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_notifications_account_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('account_id', 'dedupe_key', name=op.f('uq_notifications_account_id_dedupe_key'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_account_id_read_at', ['account_id', 'read_at'], unique=False)
        batch_op.create_index('ix_notifications_account_id_shown_at', ['account_id', 'shown_at', 'id'], unique=False)
        batch_op.create_index('ix_notifications_held_digest_due_at', ['held', 'digest_due_at'], unique=False)

    op.create_table('notification_email_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email_id', sa.Integer(), nullable=False),
    sa.Column('attempted_at', app.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('success', sa.Boolean(), nullable=False),
    sa.Column('code', sa.Integer(), nullable=True),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('latency_ms', sa.Integer(), nullable=False),
    sa.Column('worker', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.ForeignKeyConstraint(['email_id'], ['notification_emails.id'], name=op.f('fk_notification_email_attempts_email_id_notification_emails')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_email_attempts'))
    )
    with op.batch_alter_table('notification_email_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_notification_email_attempts_email_id_id', ['email_id', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('notification_email_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_email_attempts_email_id_id')

    op.drop_table('notification_email_attempts')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_held_digest_due_at')
        batch_op.drop_index('ix_notifications_account_id_shown_at')
        batch_op.drop_index('ix_notifications_account_id_read_at')

    op.drop_table('notifications')
    op.drop_table('notification_settings')
    op.drop_table('notification_preferences')
    with op.batch_alter_table('notification_emails', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_emails_notification_id')
        batch_op.drop_index('ix_notification_emails_due', postgresql_where=sa.text("status IN ('pending', 'sending')"), sqlite_where=sa.text("status IN ('pending', 'sending')"))

    op.drop_table('notification_emails')
    op.drop_table('notification_scan_state')

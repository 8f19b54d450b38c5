"""lighter alert rows: no foreign keys on alert rows, digest entries grouped by their scan instead of marked

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 22:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('alert_digest_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_alert_digest_entries_endpoint_id_message_id')
        batch_op.drop_constraint('fk_alert_digest_entries_message_id_webhook_messages', type_='foreignkey')
        batch_op.drop_constraint('fk_alert_digest_entries_task_id_tasks', type_='foreignkey')
        batch_op.drop_constraint('fk_alert_digest_entries_endpoint_id_webhook_endpoints', type_='foreignkey')
        batch_op.drop_column('message_id')
        batch_op.create_index('ix_alert_digest_entries_created_at', ['created_at'], unique=False)
    with op.batch_alter_table('webhook_messages', schema=None) as batch_op:
        batch_op.drop_constraint('fk_webhook_messages_task_id_tasks', type_='foreignkey')
        batch_op.drop_constraint('fk_webhook_messages_endpoint_id_webhook_endpoints', type_='foreignkey')


def downgrade() -> None:
    with op.batch_alter_table('webhook_messages', schema=None) as batch_op:
        batch_op.create_foreign_key('fk_webhook_messages_endpoint_id_webhook_endpoints', 'webhook_endpoints',
                                    ['endpoint_id'], ['id'])
        batch_op.create_foreign_key('fk_webhook_messages_task_id_tasks', 'tasks', ['task_id'], ['id'])
    with op.batch_alter_table('alert_digest_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_alert_digest_entries_created_at')
        batch_op.add_column(sa.Column('message_id', sa.Integer(), nullable=True))
    # The previous release takes an entry without its message for one not yet sent: link each to the digest that
    # carried it (same subscription, kind and time), or every old entry would be sent again.
    op.execute("""
        UPDATE alert_digest_entries SET message_id = (
            SELECT max(m.id) FROM webhook_messages m
            WHERE m.endpoint_id = alert_digest_entries.endpoint_id AND m.event_type = alert_digest_entries.event_type
              AND m.created_at = alert_digest_entries.created_at AND m.dedupe_key LIKE 'digest:%')
    """)
    with op.batch_alter_table('alert_digest_entries', schema=None) as batch_op:
        batch_op.create_foreign_key('fk_alert_digest_entries_endpoint_id_webhook_endpoints', 'webhook_endpoints',
                                    ['endpoint_id'], ['id'])
        batch_op.create_foreign_key('fk_alert_digest_entries_task_id_tasks', 'tasks', ['task_id'], ['id'])
        batch_op.create_foreign_key('fk_alert_digest_entries_message_id_webhook_messages', 'webhook_messages',
                                    ['message_id'], ['id'])
        batch_op.create_index('ix_alert_digest_entries_endpoint_id_message_id', ['endpoint_id', 'message_id'],
                              unique=False)

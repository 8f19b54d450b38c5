"""Request ids in the journal, the webhook messages and their attempts; the worker that holds a message's claim

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("task_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request_id", sa.String(length=100), nullable=True))
    with op.batch_alter_table("webhook_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request_id", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=100), nullable=True))
    with op.batch_alter_table("webhook_attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request_id", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("webhook_attempts", schema=None) as batch_op:
        batch_op.drop_column("request_id")
    with op.batch_alter_table("webhook_messages", schema=None) as batch_op:
        batch_op.drop_column("claimed_by")
        batch_op.drop_column("request_id")
    with op.batch_alter_table("task_events", schema=None) as batch_op:
        batch_op.drop_column("request_id")

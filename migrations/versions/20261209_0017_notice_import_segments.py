"""A notice import keeps the notice's pieces and their fates (task, not_task, unread)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-09
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notice_imports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("segments", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("notice_imports", schema=None) as batch_op:
        batch_op.drop_column("segments")

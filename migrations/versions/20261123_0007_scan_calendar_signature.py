"""the deadline scan remembers the calendar it used

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 23:20:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('alert_scan_state', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_signature', sqlmodel.sql.sqltypes.AutoString(length=64),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('alert_scan_state', schema=None) as batch_op:
        batch_op.drop_column('calendar_signature')

"""calendar_state without built_at: the deadline scan compares calendar signatures, not times

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24 00:20:00
"""
from alembic import op
import sqlalchemy as sa
import app.types


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('calendar_state', schema=None) as batch_op:
        batch_op.drop_column('built_at')


def downgrade() -> None:
    with op.batch_alter_table('calendar_state', schema=None) as batch_op:
        batch_op.add_column(sa.Column('built_at', app.types.UTCDateTime(timezone=True), nullable=False,
                                      server_default=sa.func.current_timestamp()))

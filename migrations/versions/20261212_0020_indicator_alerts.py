"""Indicator alerts: the digest entries of `indicator.off_track`, `indicator.no_data` and `indicator.achieved`

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-12
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import app.types


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('alert_indicator_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('endpoint_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('event_type', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('dedupe_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('created_at', app.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_indicator_entries')),
    sa.UniqueConstraint('endpoint_id', 'dedupe_key', name=op.f('uq_alert_indicator_entries_endpoint_id_dedupe_key'))
    )


def downgrade() -> None:
    op.drop_table('alert_indicator_entries')

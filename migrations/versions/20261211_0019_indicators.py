"""Indicators ("chỉ tiêu"): targets per period, append-only measurements, the tasks that serve them

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-11
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import app.types


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('indicators',
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('unit', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('comparator', sa.String(length=2), nullable=False),
    sa.Column('group_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('source_directive_id', sa.Integer(), nullable=True),
    sa.Column('source_document', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('reporting_agency_id', sa.Integer(), nullable=False),
    sa.Column('frequency', sa.String(length=20), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contributing_agency_ids', sa.JSON(), nullable=False),
    sa.Column('created_at', app.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_agency_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_agency_id'], ['agencies.id'], name=op.f('fk_indicators_created_by_agency_id_agencies')),
    sa.ForeignKeyConstraint(['reporting_agency_id'], ['agencies.id'], name=op.f('fk_indicators_reporting_agency_id_agencies')),
    sa.ForeignKeyConstraint(['source_directive_id'], ['directives.id'], name=op.f('fk_indicators_source_directive_id_directives')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators')),
    sa.UniqueConstraint('code', name=op.f('uq_indicators_code'))
    )
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicators_reporting_agency_id'), ['reporting_agency_id'], unique=False)

    op.create_table('indicator_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('baseline_value', sa.Float(), nullable=False),
    sa.Column('baseline_on', sa.Date(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('set_at', app.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('set_by_agency_id', sa.Integer(), nullable=True),
    sa.Column('set_by_account_id', sa.Integer(), nullable=True),
    sa.Column('replaced_at', app.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_indicator_targets_indicator_id_indicators')),
    sa.ForeignKeyConstraint(['set_by_account_id'], ['accounts.id'], name=op.f('fk_indicator_targets_set_by_account_id_accounts')),
    sa.ForeignKeyConstraint(['set_by_agency_id'], ['agencies.id'], name=op.f('fk_indicator_targets_set_by_agency_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_targets'))
    )
    with op.batch_alter_table('indicator_targets', schema=None) as batch_op:
        batch_op.create_index('ix_indicator_targets_indicator_id_period', ['indicator_id', 'period'], unique=False)

    op.create_table('indicator_tasks',
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_indicator_tasks_indicator_id_indicators')),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_indicator_tasks_task_id_tasks')),
    sa.PrimaryKeyConstraint('indicator_id', 'task_id', name=op.f('pk_indicator_tasks'))
    )
    with op.batch_alter_table('indicator_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_tasks_task_id'), ['task_id'], unique=False)

    op.create_table('indicator_measurements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('numerator', sa.Float(), nullable=True),
    sa.Column('denominator', sa.Float(), nullable=True),
    sa.Column('official', sa.Boolean(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('evidence_url', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', app.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_agency_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_token_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_account_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_indicator_measurements_indicator_id_indicators')),
    sa.ForeignKeyConstraint(['recorded_by_account_id'], ['accounts.id'], name=op.f('fk_indicator_measurements_recorded_by_account_id_accounts')),
    sa.ForeignKeyConstraint(['recorded_by_agency_id'], ['agencies.id'], name=op.f('fk_indicator_measurements_recorded_by_agency_id_agencies')),
    sa.ForeignKeyConstraint(['recorded_by_token_id'], ['api_tokens.id'], name=op.f('fk_indicator_measurements_recorded_by_token_id_api_tokens')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['indicator_measurements.id'], name=op.f('fk_indicator_measurements_supersedes_id_indicator_measurements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_measurements'))
    )
    with op.batch_alter_table('indicator_measurements', schema=None) as batch_op:
        batch_op.create_index('ix_indicator_measurements_indicator_id_period', ['indicator_id', 'period'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('indicator_measurements', schema=None) as batch_op:
        batch_op.drop_index('ix_indicator_measurements_indicator_id_period')

    op.drop_table('indicator_measurements')
    with op.batch_alter_table('indicator_tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_tasks_task_id'))

    op.drop_table('indicator_tasks')
    with op.batch_alter_table('indicator_targets', schema=None) as batch_op:
        batch_op.drop_index('ix_indicator_targets_indicator_id_period')

    op.drop_table('indicator_targets')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicators_reporting_agency_id'))

    op.drop_table('indicators')

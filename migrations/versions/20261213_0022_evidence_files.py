"""Evidence files attached to progress and completion reports: a row per upload (the file itself is kept by its
SHA-256 outside the database, app/tasks/evidence_store.py), `task_event_id` the report that carries it

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-13
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import app.types


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('evidence_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('task_event_id', sa.Integer(), nullable=True),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('media_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', app.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by_agency_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_by_token_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_by_account_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_evidence_files_task_id_tasks')),
    sa.ForeignKeyConstraint(['task_event_id'], ['task_events.id'], name=op.f('fk_evidence_files_task_event_id_task_events')),
    sa.ForeignKeyConstraint(['uploaded_by_account_id'], ['accounts.id'], name=op.f('fk_evidence_files_uploaded_by_account_id_accounts')),
    sa.ForeignKeyConstraint(['uploaded_by_agency_id'], ['agencies.id'], name=op.f('fk_evidence_files_uploaded_by_agency_id_agencies')),
    sa.ForeignKeyConstraint(['uploaded_by_token_id'], ['api_tokens.id'], name=op.f('fk_evidence_files_uploaded_by_token_id_api_tokens')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_files'))
    )
    with op.batch_alter_table('evidence_files', schema=None) as batch_op:
        batch_op.create_index('ix_evidence_files_task_id', ['task_id', 'task_event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_files_sha256'), ['sha256'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('evidence_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_files_sha256'))
        batch_op.drop_index('ix_evidence_files_task_id')

    op.drop_table('evidence_files')

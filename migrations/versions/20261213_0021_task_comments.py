"""A task's thread: comments, the secretariat's requests for an explanation and the lead agency's answers
(reminders need no table: they are journal rows, `reminded`)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-13
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import app.types


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('task_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', app.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('author_agency_id', sa.Integer(), nullable=True),
    sa.Column('author_token_id', sa.Integer(), nullable=True),
    sa.Column('author_account_id', sa.Integer(), nullable=True),
    sa.Column('answers_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', app.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answer_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answers_id'], ['task_comments.id'], name=op.f('fk_task_comments_answers_id_task_comments')),
    sa.ForeignKeyConstraint(['author_account_id'], ['accounts.id'], name=op.f('fk_task_comments_author_account_id_accounts')),
    sa.ForeignKeyConstraint(['author_agency_id'], ['agencies.id'], name=op.f('fk_task_comments_author_agency_id_agencies')),
    sa.ForeignKeyConstraint(['author_token_id'], ['api_tokens.id'], name=op.f('fk_task_comments_author_token_id_api_tokens')),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_task_comments_task_id_tasks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_comments'))
    )
    with op.batch_alter_table('task_comments', schema=None) as batch_op:
        batch_op.create_index('ix_task_comments_open_requests', ['task_id'], unique=False, postgresql_where=sa.text("kind = 'explanation_request' AND answered_at IS NULL"), sqlite_where=sa.text("kind = 'explanation_request' AND answered_at IS NULL"))
        batch_op.create_index('ix_task_comments_task_id_id', ['task_id', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('task_comments', schema=None) as batch_op:
        batch_op.drop_index('ix_task_comments_task_id_id')
        batch_op.drop_index('ix_task_comments_open_requests', postgresql_where=sa.text("kind = 'explanation_request' AND answered_at IS NULL"), sqlite_where=sa.text("kind = 'explanation_request' AND answered_at IS NULL"))

    op.drop_table('task_comments')

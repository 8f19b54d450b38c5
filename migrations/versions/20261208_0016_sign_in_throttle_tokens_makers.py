"""Sign-in attempts reserved before the password is checked (success unknown while in flight), the browser that made
them and their release by a sign-in or an unlock; the warning a person gets about others' wrong passwords; who made
each API token and when it was last used

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.alter_column("success", existing_type=sa.Boolean(), nullable=True)
        batch_op.add_column(sa.Column("device_hash", sa.String(length=64), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("released", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("warn_since", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_by_account_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key("fk_api_tokens_created_by_account_id_accounts", "accounts",
                                    ["created_by_account_id"], ["id"])
        batch_op.create_index("ix_api_tokens_created_by_account_id", ["created_by_account_id"])


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index("ix_api_tokens_created_by_account_id")
        batch_op.drop_constraint("fk_api_tokens_created_by_account_id_accounts", type_="foreignkey")
        batch_op.drop_column("last_used_at")
        batch_op.drop_column("created_by_account_id")
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.drop_column("warn_since")
    op.execute("DELETE FROM login_attempts WHERE success IS NULL")
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.drop_column("released")
        batch_op.drop_column("device_hash")
        batch_op.alter_column("success", existing_type=sa.Boolean(), nullable=False)

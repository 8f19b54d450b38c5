"""An approval's granted deadline (it may be shorter than asked); document settings per agency (an agency's export
is headed and signed as that agency); a page's form sent twice makes one thing (idempotency keys per account)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("extension_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("approved_deadline_on", sa.Date(), nullable=True))
    # Requests approved before: they granted the date asked.
    op.execute("UPDATE extension_requests SET approved_deadline_on = requested_deadline_on "
               "WHERE status = 'approved' AND kind = 'extend'")
    with op.batch_alter_table("report_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agency_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_report_settings_agency_id_agencies", "agencies", ["agency_id"], ["id"])
        batch_op.create_unique_constraint("uq_report_settings_agency_id", ["agency_id"])
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.alter_column("token_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("account_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_idempotency_records_account_id_accounts", "accounts", ["account_id"], ["id"])
        batch_op.create_unique_constraint("uq_idempotency_records_account_id_key", ["account_id", "key"])


def downgrade() -> None:
    op.execute("DELETE FROM idempotency_records WHERE token_id IS NULL")
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.drop_constraint("uq_idempotency_records_account_id_key", type_="unique")
        batch_op.drop_constraint("fk_idempotency_records_account_id_accounts", type_="foreignkey")
        batch_op.drop_column("account_id")
        batch_op.alter_column("token_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("report_settings", schema=None) as batch_op:
        batch_op.drop_constraint("uq_report_settings_agency_id", type_="unique")
        batch_op.drop_constraint("fk_report_settings_agency_id_agencies", type_="foreignkey")
        batch_op.drop_column("agency_id")
    with op.batch_alter_table("extension_requests", schema=None) as batch_op:
        batch_op.drop_column("approved_deadline_on")

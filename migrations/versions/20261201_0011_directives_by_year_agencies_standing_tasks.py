"""Directives named by number and year, with a journal and a version; agencies that change (parent, aliases,
successor); standing tasks (a reporting cadence)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import app.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("directives", schema=None) as batch_op:
        batch_op.add_column(sa.Column("issued_year", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("updated_at", app.types.UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE directives SET updated_at = created_at")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE directives SET issued_year = EXTRACT(YEAR FROM issued_on)::int")
    else:
        op.execute("UPDATE directives SET issued_year = CAST(strftime('%Y', issued_on) AS INTEGER)")
    with op.batch_alter_table("directives", schema=None) as batch_op:
        batch_op.alter_column("issued_year", nullable=False)
        batch_op.alter_column("updated_at", nullable=False)
        batch_op.alter_column("version", server_default=None)
        batch_op.drop_constraint("uq_directives_number", type_="unique")
        batch_op.create_unique_constraint("uq_directives_number_issued_year", ["number", "issued_year"])

    op.create_table(
        "directive_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("directive_id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", app.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_token_id", sa.Integer(), nullable=True),
        sa.Column("actor_agency_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["actor_agency_id"], ["agencies.id"],
                                name=op.f("fk_directive_events_actor_agency_id_agencies")),
        sa.ForeignKeyConstraint(["actor_token_id"], ["api_tokens.id"],
                                name=op.f("fk_directive_events_actor_token_id_api_tokens")),
        sa.ForeignKeyConstraint(["directive_id"], ["directives.id"],
                                name=op.f("fk_directive_events_directive_id_directives")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directive_events")),
    )
    op.create_index("ix_directive_events_directive_id_occurred_at", "directive_events",
                    ["directive_id", "occurred_at"])

    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("aliases", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("merged_on", sa.Date(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_agencies_parent_id_agencies"), "agencies", ["parent_id"], ["id"])
        batch_op.create_foreign_key(op.f("fk_agencies_merged_into_id_agencies"), "agencies", ["merged_into_id"],
                                    ["id"])
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.alter_column("aliases", server_default=None)

    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reporting_cadence", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_column("reporting_cadence")
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_agencies_merged_into_id_agencies"), type_="foreignkey")
        batch_op.drop_constraint(op.f("fk_agencies_parent_id_agencies"), type_="foreignkey")
        batch_op.drop_column("merged_on")
        batch_op.drop_column("merged_into_id")
        batch_op.drop_column("aliases")
        batch_op.drop_column("parent_id")
    op.drop_index("ix_directive_events_directive_id_occurred_at", table_name="directive_events")
    op.drop_table("directive_events")
    with op.batch_alter_table("directives", schema=None) as batch_op:
        batch_op.drop_constraint("uq_directives_number_issued_year", type_="unique")
        batch_op.create_unique_constraint("uq_directives_number", ["number"])
        batch_op.drop_column("updated_at")
        batch_op.drop_column("version")
        batch_op.drop_column("issued_year")

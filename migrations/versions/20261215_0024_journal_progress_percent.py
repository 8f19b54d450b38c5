"""The journal keeps the task's progress after each event, as it keeps its status and deadline: a webhook body (or a
person's notification) rendered after the task has moved on says the figures of its own event

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-15
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

_BATCH = 5000


def upgrade() -> None:
    with op.batch_alter_table("task_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("progress_percent", sa.Integer(), server_default="0", nullable=False))
    _backfill(op.get_bind())


def _backfill(connection) -> None:
    """The progress after each row already journaled, as the workflow set it then: a report's own figure, a completion
    sent back to the last progress reported before it (at most 99), anything else unchanged; 0 until the first report.
    In the order the rows were written (a task's writes hold its lock), not by occurred_at, which the seed and a
    merge's effective day set back. Only the rows whose figure is not 0 are written."""
    rows = connection.execute(sa.text("SELECT id, task_id, kind, data FROM task_events ORDER BY task_id, id"))
    updates: list[dict] = []
    task_id, percent, last_reported = None, 0, 0
    for row_id, row_task, kind, data in rows:
        if row_task != task_id:
            task_id, percent, last_reported = row_task, 0, 0
        if isinstance(data, str):
            data = json.loads(data)
        data = data or {}
        if kind in ("progress_reported", "completion_reported"):
            percent = int(data.get("progress_percent") or 0)
            if kind == "progress_reported":
                last_reported = percent
        elif kind == "completion_rejected":
            percent = min(last_reported, 99)
        if percent:
            updates.append({"row_id": row_id, "percent": percent})
    statement = sa.text("UPDATE task_events SET progress_percent = :percent WHERE id = :row_id")
    for start in range(0, len(updates), _BATCH):
        connection.execute(statement, updates[start:start + _BATCH])


def downgrade() -> None:
    with op.batch_alter_table("task_events", schema=None) as batch_op:
        batch_op.drop_column("progress_percent")

"""The one outbox of webhook messages: the only code that writes `webhook_messages`.

- Journal entries come queued by the journal itself (app/tasks/journal.py owns that queue); the delivery worker turns
  each into one message per matching subscription (app/webhooks/service.py, `fan_out`) through `enqueue`.
- Deadline alerts are raised in SQL by the deadline watch (`enqueue_selected`), digests, `endpoint.disabled` notices
  and pings as rows (`enqueue`).

Every message is unique per (subscription, dedupe key): whatever produces it twice (a retried tick, a replica, a
fan-out repeated after a crash) adds nothing the second time.
"""

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from app.responses import dumps
from app.webhooks.models import MessageStatus, WebhookMessage


def new_message_id() -> str:
    return "msg_" + secrets.token_hex(12)


def message_row(*, endpoint_id: int, event_type: str, dedupe_key: str, now: datetime, task_id: int | None = None,
                payload: dict | None = None, request_id: str | None = None, **extra) -> dict[str, Any]:
    return {"public_id": new_message_id(), "endpoint_id": endpoint_id, "event_type": str(event_type),
            "dedupe_key": dedupe_key, "task_id": task_id,
            "payload": dumps(payload).decode() if payload else None,
            "status": MessageStatus.pending, "attempt_count": 0, "next_attempt_at": now, "lease_token": 0,
            "created_at": now, "alert_deadline_on": None, "request_id": request_id} | extra


def _insert(session: Session):
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def enqueue(session: Session, rows: list[dict[str, Any]]) -> int:
    """Queues messages (made with `message_row`); a row whose (endpoint, dedupe key) exists already is skipped,
    never doubled, even when several workers insert the same one at the same moment."""
    if not rows:
        return 0
    statement = _insert(session)(WebhookMessage).on_conflict_do_nothing(index_elements=["endpoint_id", "dedupe_key"])
    return max(session.connection().execution_options(preserve_rowcount=True).execute(statement, rows).rowcount, 0)


def enqueue_selected(session: Session, selection, names: list[str], *, returning: bool):
    """Queues the messages a SELECT yields (the deadline watch: tasks x windows x subscriptions, in one statement),
    skipping those already there. Returns the rows inserted (endpoint, task, type, key) or only their number."""
    return insert_selected(session, WebhookMessage, selection, names, returning=returning)


def insert_selected(session: Session, table, selection, names: list[str], *, returning: bool):
    statement = _insert(session)(table).from_select(names, selection)
    statement = statement.on_conflict_do_nothing(index_elements=["endpoint_id", "dedupe_key"])
    if returning:
        statement = statement.returning(table.endpoint_id, table.task_id, table.event_type, table.dedupe_key)
        return [tuple(row) for row in session.connection().execute(statement)]
    # SQLAlchemy reports no rowcount for an INSERT unless asked to keep it.
    return max(session.connection().execution_options(preserve_rowcount=True).execute(statement).rowcount, 0)

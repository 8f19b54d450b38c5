"""The journal: one append-only row per change of a task, written in the change's transaction. Each row keeps the
task's reportable state after the event (status, deadline in force, completion date, lead agency, progress), so any
past day is answered from the journal alone, and what an edit changes is in its row (before and after), so the task
as it stood after any row can be told (`tasks_after`). Each row is queued for the webhook subscribers in the same
transaction: the journal owns that queue (`QueuedTaskEvent`); the delivery worker claims from it
(app/webhooks/service.py: fan_out)."""

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, delete, func, insert
from sqlalchemy import select as select_
from sqlmodel import Session, select

from app.access.principal import Principal
from app.config import get_settings
from app.observability import context as request_context
from app.tasks.models import QueuedTaskEvent, Task, TaskEvent
from app.tasks.status import JournalKind, TaskStatus
from app.tasks.timing import end_of_day_utc

_COLUMNS = ("task_id", "occurred_at", "kind", "from_status", "to_status", "note", "data", "deadline_on",
            "completed_on", "lead_agency_id", "progress_percent", "actor_token_id", "actor_agency_id",
            "actor_account_id", "request_id")
# Every value a bound parameter of its column's type, so the statement also runs inside a CTE (_write_and_enqueue).
_INSERT_EVENT = insert(TaskEvent.__table__).values(
    **{name: bindparam(name, type_=TaskEvent.__table__.c[name].type) for name in _COLUMNS}
).returning(TaskEvent.__table__.c.id)


def record(*, session: Session, task, kind: JournalKind, now: datetime, principal: Principal,
           from_status: str | None, note: str | None = None, data: dict[str, Any] | None = None) -> int:
    """Appends the event after the task (an ORM object or a row) as it now stands, and queues it for the webhooks.
    Returns the journal row's id.

    Plain INSERTs (no ORM object to track: nothing reads the event back in the same session). Pending ORM changes
    are flushed first, so the task row is written before its event, as the unit of work would order them."""
    session.flush()
    event_id = _write_and_enqueue(session, _INSERT_EVENT, {
        "task_id": task.id, "occurred_at": now, "kind": kind.value, "from_status": from_status,
        "to_status": task.status, "note": note, "data": data, "deadline_on": task.deadline_on,
        "completed_on": task.completed_on, "lead_agency_id": task.lead_agency_id,
        "progress_percent": task.progress_percent,
        "actor_token_id": principal.token_id,
        "actor_agency_id": principal.agency_id,
        "actor_account_id": principal.account_id,
        "request_id": request_context.request_id(),
    })
    session.info["tasks_changed"] = True  # list totals are forgotten once this commits (app/tasks/listing.py)
    return event_id


def history(*, session: Session, task_id: int, limit: int | None = None,
            after: tuple[datetime, int] | None = None) -> list[TaskEvent]:
    """Oldest first; `limit` rows at most, those after the row (occurred_at, id) `after`."""
    statement = select(TaskEvent).where(TaskEvent.task_id == task_id)
    if after is not None:
        moment, last_id = after
        statement = statement.where((TaskEvent.occurred_at > moment)
                                    | ((TaskEvent.occurred_at == moment) & (TaskEvent.id > last_id)))
    statement = statement.order_by(TaskEvent.occurred_at, TaskEvent.id)
    return list(session.exec(statement if limit is None else statement.limit(limit)))


@dataclass(frozen=True)
class TaskAfter:
    """A task as it stood right after one journal row: what the webhook bodies and people's notifications of that
    row say, however the task has moved on since."""

    id: int
    directive_id: int
    clause_ref: str | None
    title: str
    objective: str
    accountable_official: str
    deliverable_type: str
    deliverable_description: str
    expected_result: str
    priority: bool
    coordinating_agency_ids: list[int]
    original_deadline_on: date
    reporting_cadence: str | None
    # The row's own columns.
    status: str
    deadline_on: date
    completed_on: date | None
    lead_agency_id: int
    progress_percent: int


_EDITED = ("clause_ref", "title", "objective", "accountable_official", "deliverable_type", "deliverable_description",
           "expected_result", "priority", "coordinating_agency_ids")
# The rows that change what is in _EDITED, each keeping the values it replaced (`data.before`).
_EDITS = (JournalKind.updated.value, JournalKind.reassigned.value)


def tasks_after(*, session: Session, rows: list[TaskEvent], tasks: dict[int, Task]) -> dict[int, TaskAfter]:
    """Each journal row's task as it stood right after the row, by row id: its status, deadline, completion date,
    lead agency and progress from the row itself; what only an edit changes (the title, the official, priority...)
    from the task as it stands now with every later edit undone (the values each kept as `before`)."""
    if not rows:
        return {}
    # In the order the rows were written (their ids: a task's writes hold its lock), which is the order of the
    # states they recorded; a row's occurred_at may be set back (the seed, a merge's effective day).
    edits: dict[int, list[TaskEvent]] = {}
    for edit in session.scalars(select_(TaskEvent).where(
            TaskEvent.task_id.in_({row.task_id for row in rows}), TaskEvent.kind.in_(_EDITS),
            TaskEvent.id > min(row.id for row in rows)).order_by(TaskEvent.id.desc())):
        edits.setdefault(edit.task_id, []).append(edit)
    after: dict[int, TaskAfter] = {}
    for row in rows:
        task = tasks[row.task_id]
        values = {field: getattr(task, field) for field in _EDITED}
        for edit in edits.get(row.task_id, ()):  # the last written first
            if edit.id <= row.id:
                break
            values |= {k: v for k, v in ((edit.data or {}).get("before") or {}).items() if k in _EDITED}
        after[row.id] = TaskAfter(
            id=task.id, directive_id=task.directive_id, original_deadline_on=task.original_deadline_on,
            reporting_cadence=task.reporting_cadence, status=row.to_status, deadline_on=row.deadline_on,
            completed_on=row.completed_on, lead_agency_id=row.lead_agency_id, progress_percent=row.progress_percent,
            **values)
    return after


def states_as_of(*, as_of: date, directive_ids: tuple[int, ...] | None = None, lead_agency_id: int | None = None,
                 task_ids=None):
    """Each task's last journal entry up to the end of `as_of` (local time): its status, deadline in force,
    completion date and lead agency on that day. Tasks created later, withdrawn ones, and those removed as recorded by
    mistake (at any date: they should never have been counted) do not appear. `task_ids`: a subquery of the tasks
    to look at."""
    cutoff = end_of_day_utc(as_of, get_settings().tz)
    ranked = select_(
        TaskEvent.task_id, TaskEvent.to_status, TaskEvent.deadline_on, TaskEvent.completed_on,
        TaskEvent.lead_agency_id,
        func.row_number().over(partition_by=TaskEvent.task_id,
                               order_by=(TaskEvent.occurred_at.desc(), TaskEvent.id.desc())).label("rank"),
    ).where(TaskEvent.occurred_at < cutoff, TaskEvent.task_id.not_in(_REMOVED_TASKS))
    if directive_ids is not None:
        ranked = ranked.join(Task, Task.id == TaskEvent.task_id).where(Task.directive_id.in_(directive_ids))
    if task_ids is not None:
        ranked = ranked.where(TaskEvent.task_id.in_(task_ids))
    ranked = ranked.subquery("ranked")
    state = select_(ranked).where(ranked.c.rank == 1, ranked.c.to_status != TaskStatus.withdrawn)
    if lead_agency_id is not None:
        state = state.where(ranked.c.lead_agency_id == lead_agency_id)
    return state.subquery("state")


_REMOVED_TASKS = select_(Task.id).where(Task.status == TaskStatus.removed.value)


# ---------------------------------------------------------------- the journal's queue for the subscribers

_QUEUE_EVENT = insert(QueuedTaskEvent.__table__)


def _enqueue_task_event(session: Session, task_event_id: int) -> None:
    session.connection().execute(_QUEUE_EVENT, {"task_event_id": task_event_id})


@lru_cache(maxsize=4)
def _written_and_queued(insert_event):
    """Built once per journal statement: SQLAlchemy memoizes a statement's cache key on the object, so a statement
    rebuilt for every write paid for its key again (about 25 µs of a progress report)."""
    event = insert_event.cte("event")
    return _QUEUE_EVENT.from_select(["task_event_id"], select_(event.c.id)).returning(
        QueuedTaskEvent.__table__.c.task_event_id)


def _write_and_enqueue(session: Session, insert_event, values: dict[str, Any]) -> int:
    """Runs the journal's `INSERT ... RETURNING id` and queues the new row for the subscribers. On PostgreSQL in one
    statement (`WITH event AS (INSERT ...) INSERT INTO webhook_outbox SELECT id FROM event`): the busiest write, the
    progress report, pays no extra round trip for its event (measured: about 9 % of its throughput)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        event_id = connection.execute(_written_and_queued(insert_event), values).scalar_one()
    else:
        event_id = connection.execute(insert_event, values).scalar_one()
        _enqueue_task_event(session, event_id)
    request_context.journal_written(event_id)  # the answer's X-Journal-Id
    return event_id


def claim_task_events(session: Session, limit: int) -> list[tuple[int, int]]:
    """(outbox id, journal id) of queued entries, oldest first, locked so that several workers never take the same
    one (SKIP LOCKED on PostgreSQL; SQLite has one writer at a time)."""
    return [tuple(row) for row in session.execute(
        select_(QueuedTaskEvent.id, QueuedTaskEvent.task_event_id).order_by(QueuedTaskEvent.id).limit(limit)
        .with_for_update(skip_locked=True))]


def drop_task_events(session: Session, outbox_ids: list[int]) -> None:
    session.execute(delete(QueuedTaskEvent).where(QueuedTaskEvent.id.in_(outbox_ids)))


def queue_backlog(session: Session) -> tuple[int, datetime | None]:
    """How many journal rows wait to be fanned out, and when the oldest of them happened (the operator's metrics)."""
    count, oldest = session.execute(
        select_(func.count(QueuedTaskEvent.id), func.min(TaskEvent.occurred_at))
        .join(TaskEvent, TaskEvent.id == QueuedTaskEvent.task_event_id)).one()
    return count, oldest

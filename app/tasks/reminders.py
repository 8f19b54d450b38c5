"""Reminders ("đôn đốc"): the secretariat chases the lead agency of a task, with an optional note, at most once per task
per local day (app/clock.py) unless forced with a reason; one task, or many at once (the tasks ticked on the list, or
every task its filters show), each skipped one named with why. A reminder is a journal row (`reminded`, its note in
the row's note) and so a webhook event, `task.reminded`, through the journal's outbox like every other change; the
task itself does not change (its version, ETag and "last report" stay). Which tasks are chased: `status.CHASED`
(a completion reported waits on the secretariat, not on the agency)."""

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from app import clock, messages
from app.access import policy
from app.access.policy import Action
from app.access.principal import Principal
from app.agencies import service as agency_service
from app.clock import utcnow
from app.config import get_settings
from app.errors import ApiError, FieldProblem, InvalidInput, not_found
from app.tasks import journal, listing, rules, status
from app.tasks.models import Task, TaskEvent
from app.tasks.schemas import ReminderBulk, ReminderCreate
from app.tasks.service import get_task
from app.tasks.status import JournalKind
from app.tasks.timing import end_of_day_utc
from app.types import instant

MAX_AT_ONCE = 500  # tasks one bulk reminder may name; a filter matching more is refused (narrow it)


def _today_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The local day of `now` as UTC instants [start, end)."""
    day, tz = clock.local_day(now), get_settings().tz
    return end_of_day_utc(day - timedelta(days=1), tz), end_of_day_utc(day, tz)


def reminded_today(*, session: Session, task_ids, now: datetime | None = None) -> dict[int, datetime]:
    """When each of these tasks was last reminded today (local day); tasks not reminded today are left out."""
    ids = list(task_ids)
    if not ids:
        return {}
    start, end = _today_bounds(now or utcnow())
    rows = session.exec(select(TaskEvent.task_id, func.max(TaskEvent.occurred_at)).where(
        TaskEvent.task_id.in_(ids), TaskEvent.kind == JournalKind.reminded.value, TaskEvent.occurred_at >= start,
        TaskEvent.occurred_at < end).group_by(TaskEvent.task_id)).all()
    return {task_id: at for task_id, at in rows}


def _checked(reminder: ReminderCreate) -> tuple[str | None, str | None]:
    """The note and the reason to force, as kept; a force without its reason is refused at its field."""
    if reminder.force and rules.blank(reminder.force_reason):
        raise InvalidInput([FieldProblem.of("force_reason", "force_reason_required", type="missing")])
    note = (reminder.note or "").strip() or None
    return note, (reminder.force_reason or "").strip() or None


def _remind(session: Session, task: Task, *, principal: Principal, reminder: ReminderCreate, now: datetime,
            last: datetime | None) -> dict:
    if task.status not in status.CHASED:
        raise ApiError.of(409, "not_remindable", code="not_remindable", extra={"current_status": task.status},
                          status=task.status, status_vi=messages.status_vi(task.status))
    if last is not None and not reminder.force:
        raise ApiError.of(409, "already_reminded", code="already_reminded", extra={"reminded_at": instant(last)},
                          time=last.astimezone(get_settings().tz).strftime("%H:%M"))
    note, reason = _checked(reminder)
    forced = last is not None
    journal_id = journal.record(session=session, task=task, kind=JournalKind.reminded, now=now, principal=principal,
                                from_status=task.status, note=note,
                                data={"note": note, "forced": forced, "force_reason": reason if forced else None})
    lead = agency_service.refs(session=session, agency_ids={task.lead_agency_id})[task.lead_agency_id]
    return {"task_id": task.id, "title": task.title, "journal_id": journal_id, "reminded_at": now,
            "lead_agency": lead, "note": note, "forced": forced, "force_reason": reason if forced else None}


def remind(*, session: Session, task_id: int, reminder: ReminderCreate, principal: Principal,
           now: datetime | None = None) -> dict:
    """One task's lead agency reminded: 409 when it was already today (unless forced with a reason) or when the task
    is not chased (a completion reported, a closed task)."""
    now = now or utcnow()
    policy.require(principal, Action.remind_task)
    _checked(reminder)
    task = get_task(session=session, task_id=task_id, for_update=True)
    last = reminded_today(session=session, task_ids=[task.id], now=now).get(task.id)
    return _remind(session, task, principal=principal, reminder=reminder, now=now, last=last)


def remind_many(*, session: Session, task_ids: list[int], reminder: ReminderCreate, principal: Principal,
                now: datetime | None = None) -> dict[str, list[dict]]:
    """Each task's lead agency reminded, in the order given; a task that cannot be (reminded today already and not
    forced, not chased, not found) is skipped and said, never silently: {"reminded": [...], "skipped": [...]}."""
    now = now or utcnow()
    policy.require(principal, Action.remind_task)
    _checked(reminder)
    ids = list(dict.fromkeys(task_ids))
    if not ids:
        raise InvalidInput([FieldProblem.of("task_ids", "no_task_chosen")])
    if len(ids) > MAX_AT_ONCE:
        raise InvalidInput([FieldProblem.of("task_ids", "too_many_to_remind", count=len(ids), limit=MAX_AT_ONCE)])
    # Locked in id order, as every writer locks tasks, so two bulk reminders never wait on each other in a circle.
    tasks = {task.id: task for task in session.exec(
        select(Task).where(Task.id.in_(ids)).order_by(Task.id).with_for_update()
        .execution_options(populate_existing=True))}
    last = reminded_today(session=session, task_ids=tasks, now=now)
    reminded, skipped = [], []
    for task_id in ids:
        task = tasks.get(task_id)
        try:
            if task is None:
                raise not_found("task")
            reminded.append(_remind(session, task, principal=principal, reminder=reminder, now=now,
                                    last=last.get(task_id)))
        except ApiError as refused:
            skipped.append({"task_id": task_id, "title": task.title if task else None, "code": refused.code,
                            "message": refused.message, "message_vi": refused.message_vi,
                            "reminded_at": last.get(task_id) if refused.code == "already_reminded" else None})
    return {"reminded": reminded, "skipped": skipped}


def remind_listed(*, session: Session, filters: listing.TaskFilters, reminder: ReminderCreate,
                  principal: Principal, now: datetime | None = None) -> dict[str, list[dict]]:
    """Every task the list shows with these filters (GET /tasks, the page's filtered list), in its order."""
    policy.require(principal, Action.remind_task)
    _checked(reminder)
    ids, total = listing.matching_ids(session=session, filters=filters, limit=MAX_AT_ONCE, now=now)
    if total > MAX_AT_ONCE:
        raise InvalidInput([FieldProblem.of("filters", "too_many_to_remind", count=total, limit=MAX_AT_ONCE)])
    if not ids:
        return {"reminded": [], "skipped": []}
    return remind_many(session=session, task_ids=ids, reminder=reminder, principal=principal, now=now)


def remind_bulk(*, session: Session, bulk: ReminderBulk, principal: Principal,
                now: datetime | None = None) -> dict[str, list[dict]]:
    """POST /tasks/reminders: the tasks named (`task_ids`) or listed by `filters`, one or the other."""
    policy.require(principal, Action.remind_task)
    if bulk.task_ids is None and bulk.filters is None:
        raise InvalidInput([FieldProblem.of("task_ids", "reminder_targets_missing", type="missing")])
    if bulk.task_ids is not None and bulk.filters is not None:
        raise InvalidInput([FieldProblem.of("task_ids", "reminder_targets_both")])
    reminder = ReminderCreate(note=bulk.note, force=bulk.force, force_reason=bulk.force_reason)
    if bulk.task_ids is not None:
        return remind_many(session=session, task_ids=bulk.task_ids, reminder=reminder, principal=principal, now=now)
    wanted = bulk.filters.model_dump(exclude={"lead_agency_code"})
    if bulk.filters.lead_agency_code is not None:
        wanted["lead_agency_id"] = agency_service.id_for_code(session=session, code=bulk.filters.lead_agency_code)
    return remind_listed(session=session, filters=listing.TaskFilters(**wanted), reminder=reminder,
                         principal=principal, now=now)

"""GET /tasks: filters, accent-insensitive search, deadline-ordered cursor pages and their total.

Measured fast path (bench/api.py): the statements are built once per combination of filters and run as plain rows;
a page's total rides along with the page as a subquery and is then reused for a couple of seconds."""

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Date, and_, bindparam, case, event, exists, func, or_, text
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from app import clock, pagination
from app.access import policy
from app.access.policy import Action, Relation
from app.access.principal import Principal
from app.agencies.models import Agency
from app.cache import TtlCache
from app.calendar import service as calendar_service
from app.calendar.models import EffectiveDay
from app.config import get_settings
from app.directives.models import Directive
from app.tasks import journal, timing
from app.tasks.models import READ_COLUMNS, ExtensionRequest, ExtensionStatus, Task, TaskComment
from app.tasks.status import OPEN_SQL, OPEN_VALUES, TaskStatus
from app.tasks.timing import Timing, TimingGroup, timings_of
from app.text import fold
from app.types import UTCDateTime


@dataclass
class TaskFilters:
    lead_agency_id: int | None = None
    directive_id: int | None = None
    meeting_date: date | None = None  # the directives of a meeting day
    status: TaskStatus | None = None
    timing: Timing | TimingGroup | None = None
    deadline_before: date | None = None
    deadline_after: date | None = None
    priority: bool | None = None
    q: str | None = None
    awaiting: str | None = None  # "acceptance" (completion reported), "decision" (a pending request) or
    # "explanation" (an explanation asked of the lead agency, not yet answered)
    updated_before: datetime | None = None  # open tasks untouched since (no report for a while)


def exportable_lead_agency(principal: Principal, lead_agency_id: int | None) -> int | None:
    """The lead agency whose tasks a file may hold (Action.export_tasks), for every export of tasks alike — the
    list's CSV and XLSX, the completion list (API, report page, `roviec export`): the secretariat and observers any
    (None: every agency's); an agency its own, asked for or not (None: its own), another's is refused (403).
    Reading is not taking away: everyone still reads every task (PRODUCT.md)."""
    if policy.allows(principal, Action.export_tasks):
        return lead_agency_id
    if lead_agency_id is None:
        lead_agency_id = principal.agency_id
    policy.require(principal, Action.export_tasks,
                   relation=Relation.lead if lead_agency_id == principal.agency_id else Relation.other)
    return lead_agency_id


# Timing judged on the working calendar, as ranges of the indexed stored deadline (see app/tasks/timing.py). The
# open-status test is SQL text so that both planners match the partial index ix_tasks_open_deadline_on against it
# (a literal-rendered parameter would also be rendered again at every execution).
_TIMING_CONDITIONS = timing.sql_conditions(
    status=Task.status, deadline_on=Task.deadline_on, completed_on=Task.completed_on,
    effective_on=sa_select(EffectiveDay.effective_on).where(EffectiveDay.day == Task.deadline_on).scalar_subquery(),
    not_overdue_from=bindparam("today", type_=Date), due_soon_until=bindparam("soon", type_=Date),
    cadence=Task.reporting_cadence, is_open=text(OPEN_SQL))
_FILTER_CONDITIONS = {
    "lead_agency_id": Task.lead_agency_id == bindparam("lead_agency_id"),
    "directive_id": Task.directive_id == bindparam("directive_id"),
    "meeting_date": Task.directive_id.in_(sa_select(Directive.id).where(
        Directive.meeting_date == bindparam("meeting_date", type_=Date))),
    "status": Task.status == bindparam("status"),
    "priority": Task.priority == bindparam("priority"),
    "deadline_before": Task.deadline_on <= bindparam("deadline_before", type_=Date),
    "deadline_after": Task.deadline_on >= bindparam("deadline_after", type_=Date),
    "updated_before": and_(text(OPEN_SQL), Task.updated_at < bindparam("updated_before", type_=UTCDateTime)),
}


# A task removed as recorded by mistake is listed only when asked for by its status.
_NOT_REMOVED = Task.status != TaskStatus.removed.value


def _timing_condition(conditions: dict, value: Timing | TimingGroup):
    timings = timings_of(value)
    return conditions[timings[0]] if len(timings) == 1 else or_(*(conditions[t] for t in timings))


# The secretariat's queues: completions to accept, requests to decide, explanations asked and not yet answered.
_AWAITING_CONDITIONS = {
    "acceptance": Task.status == TaskStatus.reported_done.value,
    "decision": exists().where(ExtensionRequest.task_id == Task.id,
                               ExtensionRequest.status == ExtensionStatus.pending.value),
    # Literals, so that both planners use the partial index of open requests.
    "explanation": exists().where(TaskComment.task_id == Task.id, text(
        "task_comments.kind = 'explanation_request' AND task_comments.answered_at IS NULL")),
}
AWAITING = tuple(_AWAITING_CONDITIONS)


def _conditions(timing_filter, filtered: tuple[str, ...], words: int, awaiting: str | None) -> list:
    conditions = [_FILTER_CONDITIONS[name] for name in filtered]
    if "status" not in filtered and timing_filter != Timing.removed:
        conditions.append(_NOT_REMOVED)
    if timing_filter is not None:
        conditions.append(_timing_condition(_TIMING_CONDITIONS, timing_filter))
    if awaiting is not None:
        conditions.append(_AWAITING_CONDITIONS[awaiting])
    conditions += [Task.search_text.like(bindparam(f"word_{i}"), escape="\\") for i in range(words)]
    return conditions


@lru_cache(maxsize=512)
def _list_statements(timing_filter: Timing | None, filtered: tuple[str, ...], words: int, after_cursor: bool,
                     awaiting: str | None = None):
    """The page statement with and without the total, and the count alone, for one combination of filters, built
    once (building a SELECT of every column costs more than SQLite takes to run it); values are bound parameters."""
    conditions = _conditions(timing_filter, filtered, words, awaiting)
    count = sa_select(func.count()).select_from(Task).where(*conditions)
    if after_cursor:
        after_deadline, after_id = bindparam("after_deadline", type_=Date), bindparam("after_id")
        conditions.append(or_(Task.deadline_on > after_deadline,
                              and_(Task.deadline_on == after_deadline, Task.id > after_id)))

    def page(*columns):
        return sa_select(*columns).where(*conditions).order_by(Task.deadline_on, Task.id).limit(bindparam("page_size"))

    return page(*READ_COLUMNS, count.scalar_subquery().label("total")), page(*READ_COLUMNS), count


# List totals: (filters, their values) -> total. Counting thousands of matching tasks costs more than the page
# itself, so a total is reused for ROVIEC_LIST_TOTAL_CACHE_SECONDS. Every task write committed by this process
# clears them (a client sees its own writes at once); another process's writes show within the TTL.
_totals: TtlCache[tuple, int] = TtlCache(lambda: get_settings().list_total_cache_seconds)
# Bumped after every committed task write: a count that ran across one is not kept (it may predate the write).
_totals_generation = 0


@event.listens_for(OrmSession, "after_commit")
def _forget_totals(session: OrmSession) -> None:
    global _totals_generation
    if session.info.pop("tasks_changed", False):
        _totals_generation += 1
        _totals.forget()


def generation() -> int:
    """Goes up after every task write this process commits: caches of task figures compare it."""
    return _totals_generation


def list_tasks(*, session: Session, filters: TaskFilters, limit: int, cursor: str | None,
               now: datetime | None = None) -> tuple[list, str | None, int]:
    today = clock.today(now)
    params, filtered, words = _params(session, filters, today)
    totals_key = (filters.timing, filters.awaiting, *sorted(params.items()))
    generation = _totals_generation
    total = _totals.get(totals_key, generation=generation)
    params["page_size"] = limit + 1
    if cursor:
        params["after_deadline"], params["after_id"] = pagination.decode_day_and_id(cursor)
    page_and_total, page, count = _list_statements(filters.timing, filtered, words, bool(cursor),
                                                   filters.awaiting)
    connection = session.connection()
    if total is not None:
        tasks = connection.execute(page, params).all()
    else:
        # The total rides along with the page as an uncorrelated subquery; an empty page needs it on its own.
        tasks = connection.execute(page_and_total, params).all()
        total = tasks[0].total if tasks else connection.execute(count, params).scalar_one()
        if generation == _totals_generation:
            _totals.put(totals_key, total, generation=generation)
    next_cursor = (pagination.encode_day_and_id(tasks[limit - 1].deadline_on, tasks[limit - 1].id)
                   if len(tasks) > limit else None)
    return tasks[:limit], next_cursor, total


def matching_ids(*, session: Session, filters: TaskFilters, limit: int,
                 now: datetime | None = None) -> tuple[list[int], int]:
    """The ids of the tasks the list shows with these filters (today), in its order, at most `limit`, and how many
    match (a bulk action on "every task listed": app/tasks/reminders.py)."""
    params, filtered, words = _params(session, filters, clock.today(now))
    conditions = _conditions(filters.timing, filtered, words, filters.awaiting)
    connection = session.connection()
    total = connection.execute(sa_select(func.count()).select_from(Task).where(*conditions), params).scalar_one()
    ids = connection.execute(sa_select(Task.id).where(*conditions).order_by(Task.deadline_on, Task.id).limit(limit),
                             params).scalars().all()
    return list(ids), total


# ---------------------------------------------------------------- the pages' list: sorted, numbered pages, any day

_OPEN_FIRST = case((text(OPEN_SQL), 0), else_=1)
_STATUS_ORDER = case({s.value: i for i, s in enumerate(TaskStatus)}, value=Task.status, else_=len(TaskStatus))
_TIMING_ORDER = case(*((condition, i) for i, condition in enumerate(_TIMING_CONDITIONS[t] for t in (
    Timing.overdue, Timing.due_soon, Timing.in_time, Timing.standing_late, Timing.standing, Timing.completed_late,
    Timing.completed_on_time, Timing.withdrawn))), else_=9)
def _agency_name(lead_agency_id):
    return sa_select(Agency.name).where(Agency.id == lead_agency_id).scalar_subquery()



_DIRECTIVE_DAY = sa_select(Directive.issued_on).where(Directive.id == Task.directive_id).scalar_subquery()
# Sort keys the page offers (column -> keys); the default puts open tasks first, nearest deadline first.
ORDERS = {
    "deadline": (_OPEN_FIRST, Task.deadline_on),
    "timing": (_TIMING_ORDER, Task.deadline_on),
    "title": (Task.title,),
    "agency": (_agency_name(Task.lead_agency_id), Task.deadline_on),
    "status": (_STATUS_ORDER, Task.deadline_on),
    "directive": (_DIRECTIVE_DAY, Task.deadline_on),
}


@dataclass
class Page:
    rows: list
    total: int
    number: int  # 1-based
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def _params(session: Session, filters: TaskFilters, today: date) -> tuple[dict[str, Any], tuple[str, ...], int]:
    params: dict[str, Any] = {name: getattr(filters, name) for name in _FILTER_CONDITIONS
                              if getattr(filters, name) is not None}
    filtered = tuple(sorted(params))
    words = fold(filters.q or "").split()
    for i, word in enumerate(words):
        params[f"word_{i}"] = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    day = timing.bounds(calendar=calendar_service.get_calendar(session=session), today=today,
                        due_soon_days=get_settings().due_soon_days)
    params |= {"today": day.not_overdue_from, "soon": day.due_soon_until}
    return params, filtered, len(words)


def list_page(*, session: Session, filters: TaskFilters, order: str = "deadline", descending: bool = False,
              number: int = 1, size: int = 50, now: datetime | None = None) -> Page:
    """A numbered page of the list in the order a person chose (the pages' list: "Trang trước", "Trang sau", sortable
    columns), as it stands today."""
    today = clock.today(now)
    params, filtered, words = _params(session, filters, today)
    conditions = _conditions(filters.timing, filtered, words, filters.awaiting)
    keys = [key.desc() if descending else key for key in ORDERS.get(order, ORDERS["deadline"])]
    statement = sa_select(*READ_COLUMNS).where(*conditions).order_by(*keys, Task.id).limit(size)
    connection = session.connection()
    total = connection.execute(sa_select(func.count()).select_from(Task).where(*conditions), params).scalar_one()
    number = min(max(number, 1), max(1, -(-total // size)))
    rows = connection.execute(statement.offset((number - 1) * size), params).all()
    return Page(rows, total, number, size)


def list_page_as_of(*, session: Session, filters: TaskFilters, as_of: date, order: str = "deadline",
                    descending: bool = False, number: int = 1, size: int = 50) -> Page:
    """The same list as it stood at the end of a past day, read from the journal as the report grid reads it: each
    task's status, deadline in force, completion date and lead agency on that day, judged on that day. So a figure of
    the grid as of that day links to exactly the tasks it counts."""
    directive_ids = None
    if filters.directive_id is not None:
        directive_ids = (filters.directive_id,)
    state = journal.states_as_of(as_of=as_of, directive_ids=directive_ids, lead_agency_id=filters.lead_agency_id)
    day = timing.bounds(calendar=calendar_service.get_calendar(session=session), today=as_of,
                        due_soon_days=get_settings().due_soon_days)
    conditions_by_timing = timing.sql_conditions(
        status=state.c.to_status, deadline_on=state.c.deadline_on, completed_on=state.c.completed_on,
        effective_on=sa_select(EffectiveDay.effective_on).where(EffectiveDay.day == state.c.deadline_on)
        .scalar_subquery(), not_overdue_from=day.not_overdue_from, due_soon_until=day.due_soon_until,
        cadence=Task.reporting_cadence)
    conditions = []
    if filters.meeting_date is not None:
        conditions.append(Task.directive_id.in_(sa_select(Directive.id).where(
            Directive.meeting_date == filters.meeting_date)))
    if filters.status is not None:
        conditions.append(state.c.to_status == filters.status.value)
    if filters.timing is not None:
        conditions.append(_timing_condition(conditions_by_timing, filters.timing))
    if filters.priority is not None:
        conditions.append(Task.priority == filters.priority)
    if filters.deadline_before is not None:
        conditions.append(state.c.deadline_on <= filters.deadline_before)
    if filters.deadline_after is not None:
        conditions.append(state.c.deadline_on >= filters.deadline_after)
    for word in fold(filters.q or "").split():
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(Task.search_text.like(f"%{escaped}%", escape="\\"))
    as_then = {"status": state.c.to_status, "deadline_on": state.c.deadline_on, "completed_on": state.c.completed_on,
               "lead_agency_id": state.c.lead_agency_id}
    columns = [as_then[c.name].label(c.name) if c.name in as_then else c for c in READ_COLUMNS]
    joined = state.join(Task, Task.id == state.c.task_id)
    open_first = case((state.c.to_status.in_(OPEN_VALUES), 0), else_=1)
    keys = {"deadline": (open_first, state.c.deadline_on), "title": (Task.title,),
            "agency": (_agency_name(state.c.lead_agency_id), state.c.deadline_on),
            "status": (case({s.value: i for i, s in enumerate(TaskStatus)}, value=state.c.to_status),
                       state.c.deadline_on),
            "directive": (_DIRECTIVE_DAY, state.c.deadline_on)}.get(order) or (open_first, state.c.deadline_on)
    keys = [key.desc() if descending else key for key in keys]
    total = session.execute(sa_select(func.count()).select_from(joined).where(*conditions)).scalar_one()
    number = min(max(number, 1), max(1, -(-total // size)))
    rows = session.execute(sa_select(*columns).select_from(joined).where(*conditions)
                           .order_by(*keys, Task.id).limit(size).offset((number - 1) * size)).all()
    return Page(rows, total, number, size)


def count_by_timing(*, session: Session, today: date) -> dict[str, int]:
    """Every task by its timing today (the operator's gauge `roviec_tasks`): one pass over the tasks, the same
    conditions the list filters by."""
    judged = case(*((condition, timing_value.value) for timing_value, condition in _TIMING_CONDITIONS.items()),
                  else_="unjudged")
    day = timing.bounds(calendar=calendar_service.get_calendar(session=session), today=today,
                        due_soon_days=get_settings().due_soon_days)
    per_task = sa_select(judged.label("timing")).select_from(Task).subquery("judged")
    rows = session.connection().execute(
        sa_select(per_task.c.timing, func.count()).group_by(per_task.c.timing),
        {"today": day.not_overdue_from, "soon": day.due_soon_until})
    return {name: count for name, count in rows}

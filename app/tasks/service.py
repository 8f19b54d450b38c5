import base64
import binascii
import json
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Date, and_, bindparam, event, func, insert, literal_column, or_, update
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from app.agencies import service as agency_service
from app.agencies.models import Agency
from app.auth.models import Role
from app.auth.schemas import Principal
from app.calendar import service as calendar_service
from app.calendar.models import EffectiveDay
from app.config import get_settings
from app.directives import service as directive_service
from app.directives.models import Directive
from app.errors import ApiError, FieldProblem, InvalidInput, forbidden, not_found
from app.tasks.deadlines import ACCEPTED_FORMS_TEXT, DeadlineFormatError, parse_deadline
from app.tasks.models import (
    OPEN_STATUSES,
    DeliverableType,
    ExtensionKind,
    ExtensionRequest,
    ExtensionStatus,
    Task,
    TaskEvent,
    TaskStatus,
)
from app.tasks.schemas import (
    ExtensionDecision,
    ExtensionRequestCreate,
    ProgressReport,
    TaskCreate,
    TaskUpdate,
)
from app.tasks.timing import Timing, local_today
from app.text import fold, shown
from app.types import MAX_ID, utcnow

# The seven "rõ": field -> (Vietnamese, English).
SEVEN_RO = {
    "objective": ("rõ mục tiêu", "clear objective"),
    "lead_agency_id": ("rõ người (cơ quan chủ trì)", "clear owner (lead agency)"),
    "title": ("rõ việc", "clear work"),
    "deadline": ("rõ thời gian (thời hạn)", "clear deadline"),
    "accountable_official": ("rõ trách nhiệm (người chịu trách nhiệm)", "clear responsibility (accountable official)"),
    "deliverable_type": ("rõ sản phẩm (loại sản phẩm)", "clear deliverable (type)"),
    "deliverable_description": ("rõ sản phẩm (mô tả sản phẩm)", "clear deliverable (description)"),
    "expected_result": ("rõ kết quả", "clear result"),
}
MIN_LENGTH = {"objective": 15, "title": 15, "accountable_official": 5, "deliverable_description": 15,
              "expected_result": 15}

# Next statuses reachable from each status, and the call that reaches them.
TRANSITIONS: dict[TaskStatus, dict[TaskStatus, str]] = {
    TaskStatus.new: {TaskStatus.in_progress: "POST /progress", TaskStatus.reported_done: "POST /progress",
                     TaskStatus.withdrawn: "approved withdrawal request"},
    TaskStatus.in_progress: {TaskStatus.in_progress: "POST /progress", TaskStatus.reported_done: "POST /progress",
                             TaskStatus.withdrawn: "approved withdrawal request"},
    TaskStatus.reported_done: {TaskStatus.completed: "POST /accept", TaskStatus.in_progress: "POST /reject",
                               TaskStatus.withdrawn: "approved withdrawal request"},
    TaskStatus.completed: {},
    TaskStatus.withdrawn: {},
}


def _now(now: datetime | None) -> datetime:
    return now or utcnow()


def _today(now: datetime) -> date:
    return local_today(get_settings().tz, now)


def _missing(field: str) -> FieldProblem:
    vi, en = SEVEN_RO[field]
    return FieldProblem(field, f"missing: {en}", f"thiếu {vi}", type="seven_ro_missing")


def _vague(field: str, reason: str, reason_vi: str) -> FieldProblem:
    vi, en = SEVEN_RO[field]
    return FieldProblem(field, f"{en} is too vague: {reason}", f"{vi} chưa rõ: {reason_vi}", type="seven_ro_vague")


def _blank(value: str | None) -> bool:
    return value is None or not shown(value)


def _check_texts(values: dict[str, Any], problems: list[FieldProblem]) -> None:
    for field, minimum in MIN_LENGTH.items():
        if field not in values:
            continue
        value = values[field]
        if _blank(value):
            problems.append(_missing(field))
        elif len(shown(value)) < minimum:
            problems.append(_vague(field, f"at least {minimum} characters", f"cần ít nhất {minimum} ký tự"))
    description = values.get("deliverable_description")
    deliverable_names = {fold(t.value) for t in DeliverableType} | {"san pham", "van ban", "tai lieu"}
    if not _blank(description) and fold(description).rstrip(". ") in deliverable_names:
        problems.append(_vague("deliverable_description", "say which document or system, not only its type",
                               "cần nêu cụ thể văn bản/hệ thống nào, không chỉ loại sản phẩm"))
    title, result = values.get("title"), values.get("expected_result")
    if not _blank(title) and not _blank(result) and fold(result).rstrip(". ") in fold(title):
        problems.append(_vague("expected_result", "it repeats the work; state how completion is judged",
                               "nhắc lại nội dung nhiệm vụ; cần nêu tiêu chí đánh giá hoàn thành"))


def _check_agencies(session: Session, *, lead_agency_id: int | None, coordinating: list[int],
                   check_lead: bool, problems: list[FieldProblem]) -> None:
    if check_lead:
        lead = agency_service.get(session=session, agency_id=lead_agency_id) if lead_agency_id is not None else None
        if lead_agency_id is None:
            problems.append(_missing("lead_agency_id"))
        elif lead is None or not lead.active:
            problems.append(FieldProblem("lead_agency_id", "no such active agency",
                                         "không có cơ quan đang hoạt động với mã này"))
    if coordinating:
        found = agency_service.by_ids(session=session, agency_ids=set(coordinating))
        unknown = sorted(set(coordinating) - set(found))
        if unknown:
            problems.append(FieldProblem("coordinating_agency_ids", f"unknown agencies {unknown}",
                                         f"không có cơ quan {unknown}"))
        if lead_agency_id is not None and lead_agency_id in coordinating:
            problems.append(FieldProblem("coordinating_agency_ids",
                                         "the lead agency cannot also coordinate (one lead per task)",
                                         "cơ quan chủ trì không đồng thời là cơ quan phối hợp"))


def _parse_deadline_field(field: str, wording: str | None, problems: list[FieldProblem],
                          not_before: date, not_before_label: tuple[str, str], *, working_days_from: date | None,
                          calendar) -> date | None:
    if _blank(wording):
        problems.append(_missing(field) if field in SEVEN_RO else FieldProblem(
            field, "required", "bắt buộc"))
        return None
    try:
        parsed = parse_deadline(wording, working_days_from=working_days_from, calendar=calendar)
    except DeadlineFormatError:
        problems.append(FieldProblem(field, f"unreadable deadline; accepted forms: {ACCEPTED_FORMS_TEXT}",
                                     f"không đọc được thời hạn; các dạng được chấp nhận: {ACCEPTED_FORMS_TEXT}",
                                     type="deadline_format"))
        return None
    if parsed < not_before:
        en, vi = not_before_label
        problems.append(FieldProblem(field, f"the deadline {parsed.isoformat()} is before {en}",
                                     f"thời hạn {parsed:%d/%m/%Y} trước {vi}", type="deadline_past"))
        return None
    return parsed


def _search_text(task: Task, directive: Directive, lead: Agency) -> str:
    parts = [task.title, task.objective, task.clause_ref or "", directive.number, lead.name, lead.short_name,
             lead.code, task.deliverable_description, task.accountable_official]
    return fold(" ".join(parts))


_INSERT_EVENT = insert(TaskEvent.__table__)


def journal(*, session: Session, task, kind: str, now: datetime, principal: Principal | None,
            from_status: str | None, note: str | None = None, data: dict[str, Any] | None = None) -> None:
    """Appends the event to the journal, after the task (an ORM object or a row) as it now stands.

    One plain INSERT (no ORM object to track: nothing reads the event back in the same session). Pending ORM
    changes are flushed first, so the task row is written before its event, as the unit of work would order them."""
    session.flush()
    session.connection().execute(_INSERT_EVENT, {
        "task_id": task.id, "occurred_at": now, "kind": kind, "from_status": from_status, "to_status": task.status,
        "note": note, "data": data, "deadline_on": task.deadline_on, "completed_on": task.completed_on,
        "lead_agency_id": task.lead_agency_id,
        "actor_token_id": principal.token_id if principal else None,
        "actor_agency_id": principal.agency_id if principal else None,
    })
    session.info["tasks_changed"] = True  # list totals are forgotten once this commits


def _touch(task: Task, now: datetime) -> None:
    task.version += 1
    task.updated_at = now


# ---------------------------------------------------------------- create / read / update


def create_task(*, session: Session, task_in: TaskCreate, principal: Principal | None,
                now: datetime | None = None) -> Task:
    now = _now(now)
    problems: list[FieldProblem] = []
    values = task_in.model_dump()
    directive = directive_service.get(session=session, directive_id=task_in.directive_id)
    if directive is None:
        problems.append(FieldProblem("directive_id", "no such directive", "không có văn bản chỉ đạo này"))
    if task_in.deliverable_type is None:
        problems.append(_missing("deliverable_type"))
    _check_texts(values, problems)
    _check_agencies(session, lead_agency_id=task_in.lead_agency_id, coordinating=task_in.coordinating_agency_ids,
                    check_lead=True, problems=problems)
    deadline_on = _parse_deadline_field("deadline", task_in.deadline, problems, _today(now),
                                        ("today", "ngày hôm nay"),
                                        working_days_from=directive.issued_on if directive else None,
                                        calendar=calendar_service.get_calendar(session=session))
    if task_in.external_ref and session.exec(select(Task.id).where(Task.external_ref == task_in.external_ref)).first():
        problems.append(FieldProblem("external_ref", "another task already has this reference",
                                     "đã có nhiệm vụ khác với mã tham chiếu này", type="duplicate"))
    if problems:
        raise InvalidInput(problems)

    task = Task(
        directive_id=directive.id, external_ref=task_in.external_ref, clause_ref=task_in.clause_ref,
        title=task_in.title.strip(),
        objective=task_in.objective.strip(), lead_agency_id=task_in.lead_agency_id,
        accountable_official=task_in.accountable_official.strip(), deliverable_type=task_in.deliverable_type,
        deliverable_description=task_in.deliverable_description.strip(),
        expected_result=task_in.expected_result.strip(), priority=task_in.priority,
        coordinating_agency_ids=list(dict.fromkeys(task_in.coordinating_agency_ids)),
        deadline_text=task_in.deadline.strip(), deadline_on=deadline_on, original_deadline_on=deadline_on,
        status=TaskStatus.new, created_at=now, updated_at=now, search_text="",
    )
    lead = agency_service.get(session=session, agency_id=task.lead_agency_id)
    task.search_text = _search_text(task, directive, lead)
    try:
        with session.begin_nested():
            session.add(task)
            session.flush()
    except IntegrityError as exc:  # the same external_ref created concurrently
        raise InvalidInput([FieldProblem("external_ref", "another task already has this reference",
                                         "đã có nhiệm vụ khác với mã tham chiếu này", type="duplicate")]) from exc
    journal(session=session, task=task, kind="created", now=now, principal=principal, from_status=None,
            data={"deadline_text": task.deadline_text})
    session.flush()
    return task


def get_task(*, session: Session, task_id: int, for_update: bool = False) -> Task:
    statement = select(Task).where(Task.id == task_id)
    if for_update:
        # A locked read must see the row as it stands, even if this session holds an older copy of the task
        # (report_progress writes with a plain UPDATE that the identity map does not see).
        statement = statement.with_for_update().execution_options(populate_existing=True)
    task = session.exec(statement).first()
    if task is None:
        raise not_found("task", "nhiệm vụ")
    return task


# What a read answers: every column but search_text (long, and only ever matched against).
_READ_COLUMNS = [column for column in Task.__table__.c if column.name != "search_text"]
# Built once: constructing a 24-column SELECT costs more than running it.
_TASK_BY_ID = sa_select(*_READ_COLUMNS).where(Task.__table__.c.id == bindparam("task_id"))


def get_task_row(*, session: Session, task_id: int):
    """The task as a plain row: the read path needs no ORM identity or change tracking."""
    row = session.connection().execute(_TASK_BY_ID, {"task_id": task_id}).first()
    if row is None:
        raise not_found("task", "nhiệm vụ")
    return row


def etag(task) -> str:
    return f'"{task.id}-{task.version}"'


def update_task(*, session: Session, task_id: int, task_in: TaskUpdate, principal: Principal,
                if_match: str | None, now: datetime | None = None) -> Task:
    now = _now(now)
    if not if_match:
        raise ApiError(428, "If-Match header required: send the ETag from GET /tasks/{id}",
                       "Cần header If-Match với ETag lấy từ GET /tasks/{id}", code="precondition_required")
    task = get_task(session=session, task_id=task_id, for_update=True)
    if etag(task) not in {tag.strip().removeprefix("W/") for tag in if_match.split(",")} and if_match != "*":
        raise ApiError(412, "The task changed since you read it; GET it again and retry",
                       "Nhiệm vụ đã thay đổi kể từ lần đọc; hãy tải lại và thử lại", code="precondition_failed",
                       extra={"current_etag": etag(task)}, headers={"ETag": etag(task)})
    changes = task_in.model_dump(exclude_unset=True)
    problems: list[FieldProblem] = []
    if not changes:
        return task
    for field in ("deliverable_type", "priority", "coordinating_agency_ids"):
        if field in changes and changes[field] is None:
            problems.append(_missing(field) if field in SEVEN_RO else FieldProblem(field, "may not be null",
                                                                                  "không được để trống"))
    _check_texts({field: changes.get(field, getattr(task, field)) for field in MIN_LENGTH}, problems)
    coordinating = changes.get("coordinating_agency_ids")
    _check_agencies(session, lead_agency_id=changes.get("lead_agency_id", task.lead_agency_id),
                    coordinating=task.coordinating_agency_ids if coordinating is None else coordinating,
                    check_lead="lead_agency_id" in changes, problems=problems)
    if problems:
        raise InvalidInput(problems)

    if coordinating is not None:
        changes["coordinating_agency_ids"] = list(dict.fromkeys(coordinating))
    before = {field: _jsonable(getattr(task, field)) for field in changes}
    for field, value in changes.items():
        setattr(task, field, value.strip() if isinstance(value, str) else value)
    directive = directive_service.get(session=session, directive_id=task.directive_id)
    lead = agency_service.get(session=session, agency_id=task.lead_agency_id)
    task.search_text = _search_text(task, directive, lead)
    _touch(task, now)
    session.add(task)
    journal(session=session, task=task, kind="updated", now=now, principal=principal, from_status=task.status,
            data={"before": before, "after": {k: _jsonable(v) for k, v in changes.items()}})
    session.flush()
    return task


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


# ---------------------------------------------------------------- listing


@dataclass
class TaskFilters:
    lead_agency_id: int | None = None
    directive_id: int | None = None
    status: TaskStatus | None = None
    timing: Timing | None = None
    deadline_before: date | None = None
    deadline_after: date | None = None
    priority: bool | None = None
    q: str | None = None


# Written into the SQL as literals so that both planners can match the partial index ix_tasks_open_deadline_on; as
# SQL text rather than a literal-rendered parameter, which SQLAlchemy would render again at every execution.
_OPEN = Task.status.in_([literal_column(f"'{s.value}'") for s in OPEN_STATUSES])


# Timing is judged on the working calendar, yet stays a range on the indexed stored deadline: "today" is the first
# stored deadline that still ends today or later, "soon" the last one that ends within the due-soon days.
_TODAY, _SOON = bindparam("today", type_=Date), bindparam("soon", type_=Date)
_COMPLETED = Task.status == TaskStatus.completed
_EFFECTIVE = sa_select(EffectiveDay.effective_on).where(EffectiveDay.day == Task.deadline_on).scalar_subquery()
_TIMING_CONDITIONS = {
    Timing.overdue: and_(_OPEN, Task.deadline_on < _TODAY),
    Timing.due_soon: and_(_OPEN, Task.deadline_on >= _TODAY, Task.deadline_on <= _SOON),
    Timing.in_time: and_(_OPEN, Task.deadline_on > _SOON),
    Timing.completed_on_time: and_(_COMPLETED, Task.completed_on <= _EFFECTIVE),
    Timing.completed_late: and_(_COMPLETED, Task.completed_on > _EFFECTIVE),
    Timing.withdrawn: Task.status == TaskStatus.withdrawn,
}
_FILTER_CONDITIONS = {
    "lead_agency_id": Task.lead_agency_id == bindparam("lead_agency_id"),
    "directive_id": Task.directive_id == bindparam("directive_id"),
    "status": Task.status == bindparam("status"),
    "priority": Task.priority == bindparam("priority"),
    "deadline_before": Task.deadline_on <= bindparam("deadline_before", type_=Date),
    "deadline_after": Task.deadline_on >= bindparam("deadline_after", type_=Date),
}


@lru_cache(maxsize=512)
def _list_statements(timing: Timing | None, filtered: tuple[str, ...], words: int, after_cursor: bool):
    """The page statement with and without the total, and the count alone, for one combination of filters, built
    once (building a SELECT of every column costs more than SQLite takes to run it); values are bound parameters."""
    conditions = [_FILTER_CONDITIONS[name] for name in filtered]
    if timing is not None:
        conditions.append(_TIMING_CONDITIONS[timing])
    conditions += [Task.search_text.like(bindparam(f"word_{i}"), escape="\\") for i in range(words)]
    count = sa_select(func.count()).select_from(Task).where(*conditions)
    if after_cursor:
        after_deadline, after_id = bindparam("after_deadline", type_=Date), bindparam("after_id")
        conditions.append(or_(Task.deadline_on > after_deadline,
                              and_(Task.deadline_on == after_deadline, Task.id > after_id)))

    def page(*columns):
        return sa_select(*columns).where(*conditions).order_by(Task.deadline_on, Task.id).limit(bindparam("page_size"))

    return page(*_READ_COLUMNS, count.scalar_subquery().label("total")), page(*_READ_COLUMNS), count


# List totals: (filters, their values) -> (total, monotonic expiry). Counting thousands of matching tasks costs
# more than the page itself, so a total is reused for ROVIEC_LIST_TOTAL_CACHE_SECONDS. Every task write committed
# by this process clears them (a client sees its own writes at once); another process's writes show within the TTL.
_totals: dict[tuple, tuple[int, float]] = {}
# Bumped after every committed task write: a count that ran across one is not kept (it may predate the write).
_totals_generation = 0


@event.listens_for(OrmSession, "after_commit")
def _forget_totals(session: OrmSession) -> None:
    global _totals_generation
    if session.info.pop("tasks_changed", False):
        _totals_generation += 1
        _totals.clear()


def encode_cursor(task) -> str:
    raw = json.dumps([task.deadline_on.isoformat(), task.id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[date, int]:
    try:
        deadline_text, task_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(task_id, int) or not 0 <= task_id <= MAX_ID:
            raise ValueError("id out of range")
        return date.fromisoformat(deadline_text), task_id
    except (ValueError, TypeError, binascii.Error) as exc:
        raise InvalidInput([FieldProblem("cursor", "not a cursor this API returned",
                                         "con trỏ phân trang không hợp lệ")]) from exc


def list_tasks(*, session: Session, filters: TaskFilters, limit: int, cursor: str | None,
               now: datetime | None = None) -> tuple[list, str | None, int]:
    today = _today(_now(now))
    params: dict[str, Any] = {name: getattr(filters, name) for name in _FILTER_CONDITIONS
                              if getattr(filters, name) is not None}
    filtered = tuple(sorted(params))
    words = fold(filters.q or "").split()
    for i, word in enumerate(words):
        params[f"word_{i}"] = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    calendar = calendar_service.get_calendar(session=session)
    soon = today + timedelta(days=get_settings().due_soon_days)
    params |= {"today": calendar.earliest_deadline_ending_on_or_after(today),
               "soon": calendar.latest_deadline_ending_on_or_before(soon)}
    totals_key = (filters.timing, *sorted(params.items()))
    generation, cached = _totals_generation, _totals.get(totals_key)
    total = cached[0] if cached is not None and cached[1] > time.monotonic() else None
    params["page_size"] = limit + 1
    if cursor:
        params["after_deadline"], params["after_id"] = decode_cursor(cursor)
    page_and_total, page, count = _list_statements(filters.timing, filtered, len(words), bool(cursor))
    connection = session.connection()
    if total is not None:
        tasks = connection.execute(page, params).all()
    else:
        # The total rides along with the page as an uncorrelated subquery; an empty page needs it on its own.
        tasks = connection.execute(page_and_total, params).all()
        total = tasks[0].total if tasks else connection.execute(count, params).scalar_one()
        ttl = get_settings().list_total_cache_seconds
        if ttl > 0 and generation == _totals_generation:
            if len(_totals) >= 10_000:
                _totals.clear()
            _totals[totals_key] = (total, time.monotonic() + ttl)
    next_cursor = encode_cursor(tasks[limit - 1]) if len(tasks) > limit else None
    return tasks[:limit], next_cursor, total


# ---------------------------------------------------------------- workflow


def _transition_conflict(task: Task, wanted: str) -> ApiError:
    allowed = [{"status": status.value, "via": via} for status, via in TRANSITIONS[TaskStatus(task.status)].items()]
    return ApiError(
        409, f"Cannot move a task from '{task.status}' to '{wanted}'",
        f"Không thể chuyển nhiệm vụ từ trạng thái '{task.status}' sang '{wanted}'",
        code="illegal_transition", extra={"current_status": task.status, "allowed_transitions": allowed},
    )


def _require_lead_or_secretariat(task: Task, principal: Principal) -> None:
    if principal.role == Role.secretariat:
        return
    if principal.role == Role.agency and principal.agency_id == task.lead_agency_id:
        return
    raise forbidden("Only the lead agency of this task or the secretariat may do this",
                    "Chỉ cơ quan chủ trì nhiệm vụ này hoặc Tổ giúp việc được thực hiện thao tác này")


def _require_secretariat(principal: Principal) -> None:
    if principal.role != Role.secretariat:
        raise forbidden("Only the secretariat may do this", "Chỉ Tổ giúp việc được thực hiện thao tác này")


# A progress report locks the task and reads what its rules look at; its UPDATE moves the version on and brings
# the task back as the API shows it.
_LOCK_FOR_PROGRESS = sa_select(Task.id, Task.status, Task.lead_agency_id, Task.directive_id).where(
    Task.id == bindparam("task_id")).with_for_update()
_UPDATE_PROGRESS = (update(Task.__table__).where(Task.__table__.c.id == bindparam("task_id"))
                    .values(version=Task.__table__.c.version + 1).returning(*_READ_COLUMNS))


def report_progress(*, session: Session, task_id: int, report: ProgressReport, principal: Principal,
                    now: datetime | None = None):
    """Returns the task as a row. The busiest write, so it works on rows with plain statements (locked SELECT,
    UPDATE ... RETURNING, journal INSERT): the ORM unit of work cost more than the round trips."""
    now = _now(now)
    task = session.connection().execute(_LOCK_FOR_PROGRESS, {"task_id": task_id}).first()
    if task is None:
        raise not_found("task", "nhiệm vụ")
    _require_lead_or_secretariat(task, principal)
    if TRANSITIONS[TaskStatus(task.status)].get(TaskStatus(report.status)) != "POST /progress":
        raise _transition_conflict(task, report.status)
    problems: list[FieldProblem] = []
    completed_on = None
    if report.status == TaskStatus.reported_done:
        if report.evidence is None:
            problems.append(FieldProblem("evidence", "required when reporting completion: document number, date, URL",
                                         "bắt buộc khi báo cáo hoàn thành: số, ngày văn bản, đường dẫn",
                                         type="missing"))
        else:
            completed_on = report.completed_on or report.evidence.document_date
            issued_on = directive_service.get(session=session, directive_id=task.directive_id).issued_on
            if completed_on > _today(now) or report.evidence.document_date > _today(now):
                problems.append(FieldProblem("completed_on", "cannot be in the future",
                                             "không được là ngày trong tương lai"))
            elif completed_on < issued_on:
                problems.append(FieldProblem("completed_on", f"cannot be before the directive ({issued_on})",
                                             f"không được trước ngày ban hành văn bản giao ({issued_on:%d/%m/%Y})"))
        if report.progress_percent != 100:
            problems.append(FieldProblem("progress_percent", "must be 100 when reporting completion",
                                         "phải là 100 khi báo cáo hoàn thành"))
    elif report.completed_on is not None:
        problems.append(FieldProblem("completed_on", "only for status reported_done",
                                     "chỉ dùng khi báo cáo hoàn thành (reported_done)"))
    if problems:
        raise InvalidInput(problems)

    from_status = task.status
    evidence = report.evidence.model_dump(mode="json") if report.evidence else None
    changes = {"status": report.status, "progress_percent": report.progress_percent, "latest_note": report.note,
               "updated_at": now}
    if report.status == TaskStatus.reported_done:
        changes |= {"completed_on": completed_on, "evidence": evidence}
    task = session.connection().execute(_UPDATE_PROGRESS, {"task_id": task.id, **changes}).one()
    kind = "completion_reported" if task.status == TaskStatus.reported_done else "progress_reported"
    journal(session=session, task=task, kind=kind, now=now, principal=principal, from_status=from_status,
            note=report.note, data={"progress_percent": report.progress_percent, "evidence": evidence,
                                    "completed_on": _jsonable(completed_on)})
    return task


def review_completion(*, session: Session, task_id: int, accept: bool, note: str | None, principal: Principal,
                      now: datetime | None = None) -> Task:
    now = _now(now)
    _require_secretariat(principal)
    task = get_task(session=session, task_id=task_id, for_update=True)
    wanted = TaskStatus.completed if accept else TaskStatus.in_progress
    if task.status != TaskStatus.reported_done:
        raise _transition_conflict(task, wanted)
    from_status = task.status
    task.status = wanted
    if not accept:
        task.completed_on = None
        task.evidence = None
    if note:
        task.latest_note = note
    _touch(task, now)
    session.add(task)
    journal(session=session, task=task, kind="completion_accepted" if accept else "completion_rejected",
            now=now, principal=principal, from_status=from_status, note=note)
    session.flush()
    return task


def request_extension(*, session: Session, task_id: int, request_in: ExtensionRequestCreate, principal: Principal,
                      now: datetime | None = None) -> ExtensionRequest:
    now = _now(now)
    task = get_task(session=session, task_id=task_id, for_update=True)
    _require_lead_or_secretariat(task, principal)
    extendable = (TaskStatus.new, TaskStatus.in_progress)
    if task.status not in (extendable if request_in.kind == ExtensionKind.extend else OPEN_STATUSES):
        raise ApiError(409, f"A task in status '{task.status}' cannot be extended or withdrawn",
                       f"Nhiệm vụ ở trạng thái '{task.status}' không thể điều chỉnh thời hạn hoặc rút",
                       code="illegal_transition", extra={"current_status": task.status, "allowed_transitions": []})
    pending = session.exec(select(ExtensionRequest).where(ExtensionRequest.task_id == task.id,
                                                          ExtensionRequest.status == ExtensionStatus.pending)).first()
    if pending is not None:
        raise ApiError(409, "This task already has a pending request; wait for its decision",
                       "Nhiệm vụ đã có đề nghị đang chờ quyết định", code="pending_request_exists",
                       extra={"pending_request_id": pending.id})
    problems: list[FieldProblem] = []
    if request_in.reason.strip() == "":
        problems.append(FieldProblem("reason", "required", "bắt buộc nêu lý do"))
    requested_on = None
    if request_in.kind == ExtensionKind.extend:
        later_than = max(task.deadline_on + timedelta(days=1), _today(now))
        requested_on = _parse_deadline_field(
            "requested_deadline", request_in.requested_deadline, problems, later_than,
            ("the day after the current deadline, and today", "ngày sau thời hạn hiện tại và ngày hôm nay"),
            working_days_from=_today(now), calendar=calendar_service.get_calendar(session=session))
    elif request_in.requested_deadline:
        problems.append(FieldProblem("requested_deadline", "not used for a withdrawal",
                                     "không dùng cho đề nghị rút nhiệm vụ"))
    if problems:
        raise InvalidInput(problems)
    request = ExtensionRequest(
        task_id=task.id, kind=request_in.kind, reason=request_in.reason.strip(),
        requested_deadline_text=request_in.requested_deadline.strip() if requested_on else None,
        requested_deadline_on=requested_on, previous_deadline_on=task.deadline_on,
        requested_by_token_id=principal.token_id, requested_by_agency_id=principal.agency_id, requested_at=now,
    )
    session.add(request)
    _touch(task, now)
    session.add(task)
    session.flush()
    journal(session=session, task=task, kind="extension_requested", now=now, principal=principal,
            from_status=task.status, note=request.reason,
            data={"request_id": request.id, "kind": request.kind, "requested_deadline_on": _jsonable(requested_on),
                  "requested_deadline_text": request.requested_deadline_text})
    return request


def decide_extension(*, session: Session, request_id: int, decision: ExtensionDecision, principal: Principal,
                     now: datetime | None = None) -> tuple[ExtensionRequest, Task]:
    now = _now(now)
    _require_secretariat(principal)
    request = session.exec(select(ExtensionRequest).where(ExtensionRequest.id == request_id)
                           .with_for_update()).first()
    if request is None:
        raise not_found("extension request", "đề nghị điều chỉnh")
    if request.status != ExtensionStatus.pending:
        raise ApiError(409, f"This request was already {request.status}",
                       f"Đề nghị này đã được quyết định ({request.status})",
                       code="already_decided", extra={"status": request.status})
    task = get_task(session=session, task_id=request.task_id, for_update=True)
    approved = decision.decision == "approved"
    still_open = (TaskStatus.new, TaskStatus.in_progress) if request.kind == ExtensionKind.extend else OPEN_STATUSES
    if approved and task.status not in still_open:
        wanted = TaskStatus.withdrawn if request.kind == ExtensionKind.withdraw else task.status
        raise _transition_conflict(task, wanted)
    request.status = ExtensionStatus.approved if approved else ExtensionStatus.rejected
    request.decided_at = now
    request.decided_by_token_id = principal.token_id
    request.decision_note = decision.note
    session.add(request)
    from_status = task.status
    data: dict[str, Any] = {"request_id": request.id, "kind": request.kind, "decision": decision.decision}
    if approved and request.kind == ExtensionKind.extend:
        data |= {"from_deadline_on": task.deadline_on.isoformat(),
                 "to_deadline_on": request.requested_deadline_on.isoformat()}
        task.deadline_on = request.requested_deadline_on
        task.deadline_text = request.requested_deadline_text
    elif approved:
        task.status = TaskStatus.withdrawn
    _touch(task, now)
    session.add(task)
    kind = "extension_rejected" if not approved else (
        "deadline_extended" if request.kind == ExtensionKind.extend else "withdrawn")
    journal(session=session, task=task, kind=kind, now=now, principal=principal, from_status=from_status,
            note=decision.note, data=data)
    session.flush()
    return request, task


def history(*, session: Session, task_id: int) -> list[TaskEvent]:
    get_task(session=session, task_id=task_id)
    return list(session.exec(select(TaskEvent).where(TaskEvent.task_id == task_id)
                             .order_by(TaskEvent.occurred_at, TaskEvent.id)))

"""Tasks: create, read, edit. The rules a task's content keeps are in rules.py, the journal in journal.py, the list in
listing.py and the workflow in workflow.py."""

from datetime import date, datetime

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.agencies import service as agency_service
from app.auth import policy
from app.auth.policy import Action
from app.auth.schemas import Principal
from app.calendar import service as calendar_service
from app.config import get_settings
from app.directives import service as directive_service
from app.errors import ApiError, FieldProblem, InvalidInput, not_found
from app.tasks import journal, rules
from app.tasks.journal import jsonable
from app.tasks.models import READ_COLUMNS, Task
from app.tasks.schemas import TaskCreate, TaskUpdate
from app.tasks.status import JournalKind, TaskStatus
from app.tasks.timing import local_today
from app.types import utcnow


def _today(now: datetime) -> date:
    return local_today(get_settings().tz, now)


def touch(task: Task, now: datetime) -> None:
    task.version += 1
    task.updated_at = now


def _duplicate_reference() -> InvalidInput:
    return InvalidInput([FieldProblem("external_ref", "another task already has this reference",
                                      "đã có nhiệm vụ khác với mã tham chiếu này", type="duplicate")])


def create_task(*, session: Session, task_in: TaskCreate, principal: Principal | None,
                now: datetime | None = None) -> Task:
    """`principal` None: the seed loader, which acts as the secretariat without a token."""
    now = now or utcnow()
    if principal is not None:
        policy.require(principal, Action.create_task)
    problems: list[FieldProblem] = []
    values = task_in.model_dump()
    directive = directive_service.get(session=session, directive_id=task_in.directive_id)
    if directive is None:
        problems.append(FieldProblem("directive_id", "no such directive", "không có văn bản chỉ đạo này"))
    if task_in.deliverable_type is None:
        problems.append(rules.missing("deliverable_type"))
    rules.check_texts(values, problems)
    rules.check_agencies(session, lead_agency_id=task_in.lead_agency_id, coordinating=task_in.coordinating_agency_ids,
                         check_lead=True, problems=problems)
    deadline_on = rules.parse_deadline_field("deadline", task_in.deadline, problems, _today(now),
                                             ("today", "ngày hôm nay"),
                                             working_days_from=directive.issued_on if directive else None,
                                             calendar=calendar_service.get_calendar(session=session))
    if task_in.external_ref and session.exec(select(Task.id).where(Task.external_ref == task_in.external_ref)).first():
        problems.extend(_duplicate_reference().problems)
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
    task.search_text = rules.search_text(task, directive, lead)
    try:
        with session.begin_nested():
            session.add(task)
            session.flush()
    except IntegrityError as exc:  # the same external_ref created concurrently
        raise _duplicate_reference() from exc
    journal.record(session=session, task=task, kind=JournalKind.created, now=now, principal=principal,
                   from_status=None, data={"deadline_text": task.deadline_text})
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


# Built once: constructing a 24-column SELECT costs more than running it.
_TASK_BY_ID = sa_select(*READ_COLUMNS).where(Task.__table__.c.id == bindparam("task_id"))


def get_task_row(*, session: Session, task_id: int):
    """The task as a plain row: the read path needs no ORM identity or change tracking."""
    row = session.connection().execute(_TASK_BY_ID, {"task_id": task_id}).first()
    if row is None:
        raise not_found("task", "nhiệm vụ")
    return row


def etag(task) -> str:
    return f'"{task.id}-{task.version}"'


def stale(task) -> ApiError:
    return ApiError(412, "The task changed since you read it; GET it again and retry",
                    "Nhiệm vụ đã thay đổi kể từ lần đọc; hãy tải lại và thử lại", code="precondition_failed",
                    extra={"current_etag": etag(task), "current_version": task.version}, headers={"ETag": etag(task)})


def update_task(*, session: Session, task_id: int, task_in: TaskUpdate, principal: Principal,
                expected_version: int | None, now: datetime | None = None) -> Task:
    """`expected_version`: the version the editor read (from If-Match, or the edit form). None: 428."""
    now = now or utcnow()
    policy.require(principal, Action.edit_task)
    if expected_version is None:
        raise ApiError(428, "If-Match header required: send the ETag from GET /tasks/{id}",
                       "Cần header If-Match với ETag lấy từ GET /tasks/{id}", code="precondition_required")
    task = get_task(session=session, task_id=task_id, for_update=True)
    if task.version != expected_version:
        raise stale(task)
    changes = task_in.model_dump(exclude_unset=True)
    problems: list[FieldProblem] = []
    if not changes:
        return task
    for field in ("deliverable_type", "priority", "coordinating_agency_ids"):
        if field in changes and changes[field] is None:
            problems.append(rules.missing(field) if field in rules.SEVEN_RO else FieldProblem(
                field, "may not be null", "không được để trống"))
    rules.check_texts({field: changes.get(field, getattr(task, field)) for field in rules.MIN_LENGTH}, problems)
    coordinating = changes.get("coordinating_agency_ids")
    rules.check_agencies(session, lead_agency_id=changes.get("lead_agency_id", task.lead_agency_id),
                         coordinating=task.coordinating_agency_ids if coordinating is None else coordinating,
                         check_lead="lead_agency_id" in changes, problems=problems)
    if problems:
        raise InvalidInput(problems)

    if coordinating is not None:
        changes["coordinating_agency_ids"] = list(dict.fromkeys(coordinating))
    before = {field: jsonable(getattr(task, field)) for field in changes}
    for field, value in changes.items():
        setattr(task, field, value.strip() if isinstance(value, str) else value)
    directive = directive_service.get(session=session, directive_id=task.directive_id)
    lead = agency_service.get(session=session, agency_id=task.lead_agency_id)
    task.search_text = rules.search_text(task, directive, lead)
    touch(task, now)
    session.add(task)
    journal.record(session=session, task=task, kind=JournalKind.updated, now=now, principal=principal,
                   from_status=task.status,
                   data={"before": before, "after": {k: jsonable(v) for k, v in changes.items()}})
    session.flush()
    return task


def history(*, session: Session, task_id: int):
    get_task_row(session=session, task_id=task_id)
    return journal.history(session=session, task_id=task_id)

"""Tasks: create, read, edit. The rules a task's content keeps are in rules.py, the journal in journal.py, the list in
listing.py and the workflow in workflow.py."""

from datetime import date, datetime

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app import clock, pagination
from app.access import policy
from app.access.policy import Action
from app.access.principal import Principal
from app.agencies import service as agency_service
from app.auth import accounts
from app.calendar import service as calendar_service
from app.clock import utcnow
from app.directives import service as directive_service
from app.errors import ApiError, FieldProblem, InvalidInput, not_found
from app.tasks import journal, rules
from app.tasks.deadlines import period_end
from app.tasks.models import READ_COLUMNS, Task
from app.tasks.schemas import TaskCreate, TaskUpdate
from app.tasks.status import OPEN_VALUES, JournalKind, TaskStatus
from app.types import jsonable


def _today(now: datetime) -> date:
    return clock.local_day(now)


def touch(task: Task, now: datetime) -> None:
    task.version += 1
    task.updated_at = now


def _duplicate_reference() -> InvalidInput:
    return InvalidInput([FieldProblem.of("external_ref", "external_ref_taken", type="duplicate")])


def create_task(*, session: Session, task_in: TaskCreate, principal: Principal,
                now: datetime | None = None, origin: dict | None = None) -> Task:
    """`principal` None: the seed loader, which acts as the secretariat without a token. `origin`: where the task
    came from (a notice import and the span of its text), kept in the journal."""
    now = now or utcnow()
    policy.require(principal, Action.create_task)
    problems: list[FieldProblem] = []
    values = task_in.model_dump()
    directive = directive_service.get(session=session, directive_id=task_in.directive_id)
    if directive is None:
        problems.append(FieldProblem.of("directive_id", "no_directive"))
    if task_in.deliverable_type is None:
        problems.append(rules.missing("deliverable_type"))
    rules.check_texts(values, problems)
    rules.check_agencies(session, lead_agency_id=task_in.lead_agency_id, coordinating=task_in.coordinating_agency_ids,
                         check_lead=True, problems=problems)
    standing, cadence = rules.standing_task(task_in.deadline, task_in.reporting_cadence, problems)
    if standing:
        # No deadline: when the first periodic report is due (the end of the current period).
        deadline_on = period_end(cadence, _today(now))
    else:
        today = _today(now)
        not_before, too_early = today, ("deadline_in_past", {"today": today})
        if directive is not None and directive.issued_on > not_before:
            not_before, too_early = directive.issued_on, ("deadline_before_directive",
                                                          {"issued_on": directive.issued_on})
        deadline_on = rules.parse_deadline_field("deadline", task_in.deadline, problems, not_before, too_early,
                                                 working_days_from=directive.issued_on if directive else None,
                                                 calendar=calendar_service.get_calendar(session=session))
    if task_in.external_ref and session.exec(select(Task.id).where(Task.external_ref == task_in.external_ref)).first():
        problems.extend(_duplicate_reference().problems)
    lead = agency_service.get(session=session, agency_id=task_in.lead_agency_id) if task_in.lead_agency_id else None
    official = rules.accountable_official(task_in.accountable_official, lead, problems)
    if problems:
        raise InvalidInput(rules.in_order(problems))

    task = Task(
        directive_id=directive.id, external_ref=task_in.external_ref, clause_ref=task_in.clause_ref,
        title=task_in.title.strip(),
        objective=task_in.objective.strip(), lead_agency_id=task_in.lead_agency_id,
        accountable_official=official, deliverable_type=task_in.deliverable_type,
        deliverable_description=task_in.deliverable_description.strip(),
        expected_result=task_in.expected_result.strip(), priority=task_in.priority,
        coordinating_agency_ids=list(dict.fromkeys(task_in.coordinating_agency_ids)),
        deadline_text=task_in.deadline.strip(), deadline_on=deadline_on, original_deadline_on=deadline_on,
        reporting_cadence=cadence,
        status=TaskStatus.new, created_at=now, updated_at=now, search_text="",
    )
    task.search_text = rules.search_text(task, directive, lead)
    try:
        with session.begin_nested():
            session.add(task)
            session.flush()
    except IntegrityError as exc:  # the same external_ref created concurrently
        raise _duplicate_reference() from exc
    data = {"deadline_text": task.deadline_text} | ({"origin": origin} if origin else {})
    journal.record(session=session, task=task, kind=JournalKind.created, now=now, principal=principal,
                   from_status=None, data=data)
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
        raise not_found("task")
    return task


# Built once: constructing a 24-column SELECT costs more than running it.
_TASK_BY_ID = sa_select(*READ_COLUMNS).where(Task.__table__.c.id == bindparam("task_id"))


def get_task_row(*, session: Session, task_id: int):
    """The task as a plain row: the read path needs no ORM identity or change tracking."""
    row = session.connection().execute(_TASK_BY_ID, {"task_id": task_id}).first()
    if row is None:
        raise not_found("task")
    return row


def etag(task) -> str:
    return f'"{task.id}-{task.version}"'


def stale(task) -> ApiError:
    return ApiError.of(412, "task_changed", code="precondition_failed", headers={"ETag": etag(task)},
                       extra={"current_etag": etag(task), "current_version": task.version})


def check_version(task, expected_version: int | None) -> None:
    """The If-Match rule of every write on a task: a version named (from If-Match, or a form) must be the current
    one, else 412 with the current ETag. Whether a write may name none is the write's own choice: an edit may not
    (428), a progress report may (agencies report without reading the task first)."""
    if expected_version is not None and task.version != expected_version:
        raise stale(task)


def update_task(*, session: Session, task_id: int, task_in: TaskUpdate, principal: Principal,
                expected_version: int | None, now: datetime | None = None) -> Task:
    """`expected_version`: the version the editor read (from If-Match, or the edit form). None: 428."""
    now = now or utcnow()
    policy.require(principal, Action.edit_task)
    if expected_version is None:
        raise ApiError.of(428, "if_match_required", code="precondition_required", path="/tasks/{id}")
    task = get_task(session=session, task_id=task_id, for_update=True)
    check_version(task, expected_version)
    # A field sent with the value it already has is no change: a PATCH that changes nothing writes nothing.
    changes = {field: value for field, value in task_in.model_dump(exclude_unset=True).items()
               if (value.strip() if isinstance(value, str) else value) != getattr(task, field)}
    problems: list[FieldProblem] = []
    if not changes:
        return task
    for field in ("deliverable_type", "priority", "coordinating_agency_ids"):
        if field in changes and changes[field] is None:
            problems.append(rules.missing(field) if field in rules.SEVEN_RO else FieldProblem.of(field, "not_null"))
    rules.check_texts({field: changes.get(field, getattr(task, field)) for field in rules.MIN_LENGTH}, problems)
    coordinating = changes.get("coordinating_agency_ids")
    rules.check_agencies(session, lead_agency_id=changes.get("lead_agency_id", task.lead_agency_id),
                         coordinating=task.coordinating_agency_ids if coordinating is None else coordinating,
                         check_lead="lead_agency_id" in changes, problems=problems)
    if "accountable_official" in changes or "lead_agency_id" in changes:
        lead = agency_service.get(session=session, agency_id=changes.get("lead_agency_id", task.lead_agency_id))
        official = rules.accountable_official(changes.get("accountable_official", task.accountable_official), lead,
                                              problems)
        if official != task.accountable_official:
            changes["accountable_official"] = official
    if problems:
        raise InvalidInput(rules.in_order(problems))

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


def history_public(*, session: Session, task_id: int) -> list[dict]:
    """The whole journal as people read it (the task's page): who (the person and agency, or the agency's software),
    when, what. The caller has found the task (a 404 otherwise)."""
    return _events_public(session, journal.history(session=session, task_id=task_id))


def history_page(*, session: Session, task_id: int, limit: int, cursor: str | None) -> tuple[list[dict], str | None]:
    """A page of it, oldest first, after the cursor's row (the API)."""
    after = pagination.decode_moment_and_id(cursor) if cursor else None
    events, next_cursor = pagination.page_of(
        journal.history(session=session, task_id=task_id, limit=limit + 1, after=after), limit,
        lambda e: pagination.encode_moment_and_id(e.occurred_at, e.id))
    return _events_public(session, events), next_cursor


def _events_public(session: Session, events: list) -> list[dict]:
    agencies = agency_service.refs(session=session, agency_ids={e.actor_agency_id for e in events} - {None})
    people = accounts.display_names(session=session, account_ids={e.actor_account_id for e in events} - {None})
    return [{**event.model_dump(), "actor_agency": agencies.get(event.actor_agency_id),
             "actor": people.get(event.actor_account_id)} for event in events]


def open_tasks_led_by(*, session: Session, agency_id: int) -> int:
    return len(session.exec(select(Task.id).where(Task.lead_agency_id == agency_id,
                                                  Task.status.in_(OPEN_VALUES))).all())

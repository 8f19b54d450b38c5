"""The workflow: progress and completion reports, the secretariat's review, extension and withdrawal requests and
their decisions. Every status change goes through the status machine (app/tasks/status.py), every permission through
the policy table (app/access/policy.py), every change into the journal."""

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from app import clock, messages
from app.access import policy
from app.access.policy import Action
from app.access.principal import Principal
from app.calendar import service as calendar_service
from app.clock import utcnow
from app.directives import service as directive_service
from app.errors import ApiError, FieldProblem, InvalidInput, not_found
from app.tasks import evidence as evidence_files
from app.tasks import journal, rules, status
from app.tasks.deadlines import period_end
from app.tasks.models import READ_COLUMNS, ExtensionKind, ExtensionRequest, ExtensionStatus, Task, TaskEvent
from app.tasks.schemas import ExtensionDecision, ExtensionRequestCreate, ProgressReport
from app.tasks.service import check_version, get_task, touch
from app.tasks.status import JournalKind, Move, TaskStatus
from app.types import jsonable


def _today(now: datetime) -> date:
    return clock.local_day(now)


# A progress report locks the task and reads what its rules look at; its UPDATE moves the version on and brings
# the task back as the API shows it.
_LOCK_FOR_PROGRESS = sa_select(Task.id, Task.version, Task.status, Task.lead_agency_id, Task.coordinating_agency_ids,
                               Task.directive_id, Task.deadline_on, Task.reporting_cadence).where(
    Task.id == bindparam("task_id")).with_for_update()
_UPDATE_PROGRESS = (update(Task.__table__).where(Task.__table__.c.id == bindparam("task_id"))
                    .values(version=Task.__table__.c.version + 1).returning(*READ_COLUMNS))


def report_progress(*, session: Session, task_id: int, report: ProgressReport, principal: Principal,
                    now: datetime | None = None, expected_version: int | None = None):
    """Returns the task as a row. `expected_version`: the version the reporter read (If-Match), if it names one
    (app/tasks/service.py: check_version). The busiest write, so it works on rows with plain statements (locked
    SELECT, UPDATE ... RETURNING, journal INSERT): the ORM unit of work cost more than the round trips."""
    now = now or utcnow()
    task = session.connection().execute(_LOCK_FOR_PROGRESS, {"task_id": task_id}).first()
    if task is None:
        raise not_found("task")
    policy.require(principal, Action.report_progress, task)
    check_version(task, expected_version)
    step = Move.report_done if report.status == TaskStatus.reported_done else Move.progress
    target = status.move(task.status, step)
    problems: list[FieldProblem] = []
    completed_on = None
    if step == Move.report_done:
        if report.evidence is None:
            problems.append(FieldProblem.of("evidence", "evidence_required", type="missing"))
        else:
            completed_on = report.completed_on or report.evidence.document_date
            issued_on = directive_service.get(session=session, directive_id=task.directive_id).issued_on
            if report.evidence.document_date > _today(now):
                problems.append(FieldProblem.of("evidence.document_date", "completed_in_future"))
            elif completed_on > _today(now):
                problems.append(FieldProblem.of("completed_on", "completed_in_future"))
            elif completed_on < issued_on:
                problems.append(FieldProblem.of("completed_on", "completed_before_directive", issued_on=issued_on))
        if report.progress_percent != 100:
            problems.append(FieldProblem.of("progress_percent", "done_needs_100"))
    elif report.completed_on is not None:
        problems.append(FieldProblem.of("completed_on", "completed_on_only_when_done"))
    files = []
    if report.file_ids:
        try:
            files = evidence_files.attachable(session=session, task_id=task.id, principal=principal,
                                              file_ids=report.file_ids)
        except InvalidInput as refused:
            problems += refused.problems
    if problems:
        raise InvalidInput(problems)

    from_status = task.status
    evidence = report.evidence.model_dump(mode="json") if report.evidence else None
    changes = {"status": target, "progress_percent": report.progress_percent, "latest_note": report.note,
               "updated_at": now}
    if step == Move.report_done:
        changes |= {"completed_on": completed_on, "evidence": evidence}
    elif task.reporting_cadence is not None:
        # A standing task's report covers the period due on its deadline_on, so the next is due at the end of the
        # following period; an agency reporting after missing several periods is brought up to date, owing the next
        # report at the end of the current period (the missed ones stay in the journal); a second report within a
        # period it has already reported for moves nothing.
        current = period_end(task.reporting_cadence, _today(now))
        if task.deadline_on <= current:
            changes["deadline_on"] = max(period_end(task.reporting_cadence, task.deadline_on + timedelta(days=1)),
                                         current)
    task = session.connection().execute(_UPDATE_PROGRESS, {"task_id": task.id, **changes}).one()
    journal.record(session=session, task=task, kind=status.KIND_OF_MOVE[step], now=now, principal=principal,
                   from_status=from_status, note=report.note,
                   data={"progress_percent": report.progress_percent, "evidence": evidence,
                         "completed_on": jsonable(completed_on)}
                   | ({"files": evidence_files.journaled(session, files)} if files else {}))
    evidence_files.attach(session=session, task_id=task.id, files=files)
    return task


def review_completion(*, session: Session, task_id: int, accept: bool, note: str | None, principal: Principal,
                      now: datetime | None = None) -> Task:
    now = now or utcnow()
    policy.require(principal, Action.review_completion)
    task = get_task(session=session, task_id=task_id, for_update=True)
    step = Move.accept if accept else Move.reject
    target = status.move(task.status, step)
    if not accept and rules.blank(note):  # the agency must learn what is missing
        raise InvalidInput([FieldProblem.of("note", "reason_to_send_back")])
    from_status = task.status
    task.status = target
    if not accept:
        task.completed_on = None
        task.evidence = None
        # No longer done: back to the progress last reported before the completion report.
        task.progress_percent = _progress_before_completion(session, task.id)
    if note:
        task.latest_note = note
    touch(task, now)
    session.add(task)
    journal.record(session=session, task=task, kind=status.KIND_OF_MOVE[step], now=now, principal=principal,
                   from_status=from_status, note=note)
    session.flush()
    return task


def _progress_before_completion(session: Session, task_id: int) -> int:
    last = session.exec(select(TaskEvent.data).where(TaskEvent.task_id == task_id,
                                                     TaskEvent.kind == JournalKind.progress_reported)
                        .order_by(TaskEvent.occurred_at.desc(), TaskEvent.id.desc())).first()
    return min(int((last or {}).get("progress_percent") or 0), 99)


def _pending_request(session: Session, task_id: int) -> ExtensionRequest | None:
    return session.exec(select(ExtensionRequest).where(ExtensionRequest.task_id == task_id,
                                                       ExtensionRequest.status == ExtensionStatus.pending)).first()


def request_extension(*, session: Session, task_id: int, request_in: ExtensionRequestCreate, principal: Principal,
                      now: datetime | None = None) -> ExtensionRequest:
    now = now or utcnow()
    task = get_task(session=session, task_id=task_id, for_update=True)
    policy.require(principal, Action.request_extension, task)
    allowed = status.EXTENDABLE if request_in.kind == ExtensionKind.extend else status.OPEN
    if request_in.kind == ExtensionKind.extend and task.reporting_cadence is not None:
        raise InvalidInput([FieldProblem.of("kind", "standing_not_extendable", type="standing_task")])
    if task.status not in allowed:
        raise ApiError.of(409, "not_extendable", code="illegal_transition",
                          extra={"current_status": task.status, "allowed_transitions": []},
                          status=task.status, status_vi=messages.status_vi(task.status))
    pending = _pending_request(session, task.id)
    if pending is not None:
        raise ApiError.of(409, "pending_request_exists", code="pending_request_exists",
                          extra={"pending_request_id": pending.id})
    problems: list[FieldProblem] = []
    if request_in.reason.strip() == "":
        problems.append(FieldProblem.of("reason", "reason_required"))
    requested_on = None
    if request_in.kind == ExtensionKind.extend:
        later_than = max(task.deadline_on + timedelta(days=1), _today(now))
        requested_on = rules.parse_deadline_field(
            "requested_deadline", request_in.requested_deadline, problems, later_than,
            ("requested_deadline_too_early", {"current": task.deadline_on}),
            working_days_from=_today(now), calendar=calendar_service.get_calendar(session=session))
    elif request_in.requested_deadline:
        problems.append(FieldProblem.of("requested_deadline", "requested_deadline_for_withdrawal"))
    if problems:
        raise InvalidInput(problems)
    request = ExtensionRequest(
        task_id=task.id, kind=request_in.kind, reason=request_in.reason.strip(),
        requested_deadline_text=request_in.requested_deadline.strip() if requested_on else None,
        requested_deadline_on=requested_on, previous_deadline_on=task.deadline_on,
        requested_by_token_id=principal.token_id, requested_by_agency_id=principal.agency_id, requested_at=now,
    )
    session.add(request)
    touch(task, now)
    session.add(task)
    session.flush()
    journal.record(session=session, task=task, kind=JournalKind.extension_requested, now=now, principal=principal,
                   from_status=task.status, note=request.reason,
                   data={"request_id": request.id, "kind": request.kind,
                         "requested_deadline_on": jsonable(requested_on),
                         "requested_deadline_text": request.requested_deadline_text})
    return request


def decide_extension(*, session: Session, request_id: int, decision: ExtensionDecision, principal: Principal,
                     now: datetime | None = None) -> tuple[ExtensionRequest, Task]:
    now = now or utcnow()
    policy.require(principal, Action.decide_extension)
    request = session.exec(select(ExtensionRequest).where(ExtensionRequest.id == request_id)
                           .with_for_update()).first()
    if request is None:
        raise not_found("extension_request")
    if request.status != ExtensionStatus.pending:
        raise ApiError.of(409, "already_decided", code="already_decided", extra={"status": request.status},
                          status=request.status, status_vi=messages.DECISION_VI.get(request.status, request.status))
    task = get_task(session=session, task_id=request.task_id, for_update=True)
    approved = decision.decision == "approved"
    if not approved and rules.blank(decision.note):  # the agency must learn why
        raise InvalidInput([FieldProblem.of("note", "reason_to_refuse")])
    withdraw = request.kind == ExtensionKind.withdraw
    if approved and task.status not in (status.OPEN if withdraw else status.EXTENDABLE):
        raise status.conflict(task.status, TaskStatus.withdrawn if withdraw else task.status)
    granted = _granted_deadline(session, request, task, decision, approved and not withdraw, now)
    request.status = ExtensionStatus.approved if approved else ExtensionStatus.rejected
    request.decided_at = now
    request.decided_by_token_id = principal.token_id
    request.decision_note = decision.note
    session.add(request)
    from_status = task.status
    data: dict[str, Any] = {"request_id": request.id, "kind": request.kind, "decision": decision.decision}
    if not approved:
        kind = JournalKind.extension_rejected
    elif withdraw:
        task.status = status.move(task.status, Move.withdraw)
        kind = JournalKind.withdrawn
    else:
        data |= {"from_deadline_on": task.deadline_on.isoformat(), "to_deadline_on": granted.isoformat(),
                 "requested_deadline_on": request.requested_deadline_on.isoformat()}
        request.approved_deadline_on = granted
        task.deadline_on = granted
        task.deadline_text = (request.requested_deadline_text if granted == request.requested_deadline_on
                              else decision.approved_deadline.strip())
        kind = JournalKind.deadline_extended
    touch(task, now)
    session.add(task)
    journal.record(session=session, task=task, kind=kind, now=now, principal=principal, from_status=from_status,
                   note=decision.note, data=data)
    session.flush()
    return request, task


def _granted_deadline(session: Session, request: ExtensionRequest, task: Task, decision: ExtensionDecision,
                      extending: bool, now: datetime) -> date | None:
    """The deadline an approval grants: the date asked, or a shorter one the secretariat names (after the current
    deadline, not in the past, not after the date asked)."""
    wording = (decision.approved_deadline or "").strip()
    if not wording:
        return request.requested_deadline_on if extending else None
    problems: list[FieldProblem] = []
    if not extending:
        raise InvalidInput([FieldProblem.of("approved_deadline", "approved_deadline_for_rejection")])
    later_than = max(task.deadline_on + timedelta(days=1), _today(now))
    granted = rules.parse_deadline_field(
        "approved_deadline", wording, problems, later_than,
        ("approved_deadline_too_early", {"current": task.deadline_on}),
        working_days_from=_today(now), calendar=calendar_service.get_calendar(session=session))
    if granted is not None and granted > request.requested_deadline_on:
        problems.append(FieldProblem.of("approved_deadline", "approved_deadline_too_late", day=granted,
                                        requested=request.requested_deadline_on))
    if problems:
        raise InvalidInput(problems)
    return granted


def removal_refusal(*, task_status: str, events: list) -> tuple[str, str] | None:
    """Why a task may not be removed (English, Vietnamese), or None: only a task still new, on which nobody has
    reported or asked anything, can be taken out as recorded by mistake; after that it is withdrawn, on a request."""
    kinds = {e.kind if hasattr(e, "kind") else e["kind"] for e in events}
    if task_status != TaskStatus.new or kinds & _REPORTED:
        what = ("reports or requests", "đã có báo cáo hoặc đề nghị") if task_status in (
            TaskStatus.new, TaskStatus.in_progress, TaskStatus.reported_done) else (
            f"status {task_status}", f"đã ở trạng thái «{messages.status_vi(task_status)}»")
        return what
    return None


_REPORTED = {JournalKind.progress_reported, JournalKind.completion_reported, JournalKind.extension_requested}


def remove_task(*, session: Session, task_id: int, reason: str, principal: Principal,
                now: datetime | None = None) -> Task:
    """Takes out a task recorded by mistake (a duplicate, a misread clause), journaled with the reason. Refused once
    anyone has reported on it or asked for anything (409): such a task is withdrawn, on a request."""
    now = now or utcnow()
    policy.require(principal, Action.remove_task)
    task = get_task(session=session, task_id=task_id, for_update=True)
    if rules.blank(reason):
        raise InvalidInput([FieldProblem.of("reason", "reason_required")])
    events = session.exec(select(TaskEvent.kind).where(TaskEvent.task_id == task.id)).all()
    refused = removal_refusal(task_status=task.status, events=[{"kind": kind} for kind in events])
    if refused is not None:
        raise ApiError.of(409, "not_removable", code="illegal_transition",
                          extra={"current_status": task.status, "allowed_transitions": status.allowed_moves(
                              task.status)}, what_en=refused[0], what_vi=refused[1])
    from_status = task.status
    task.status = status.move(task.status, Move.remove)
    touch(task, now)
    session.add(task)
    journal.record(session=session, task=task, kind=JournalKind.removed, now=now, principal=principal,
                   from_status=from_status, note=reason.strip())
    session.flush()
    return task

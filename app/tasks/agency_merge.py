"""Merging an agency into its successor (the 1/3/2025 reorganisation: TT&TT into KH&CN, KH&ĐT into Tài chính, ...):
its open tasks move to the successor with a journal entry each, its history keeps its name, its code keeps
resolving (to it, with `merged_into`). In tasks/, not agencies/, because it moves tasks: agencies stay below tasks."""

from datetime import datetime

from sqlmodel import Session, select

from app import clock
from app.access import policy
from app.access.policy import Action
from app.access.principal import Principal
from app.agencies import service as agency_service
from app.agencies.models import Agency
from app.agencies.schemas import AgencyMerge
from app.clock import utcnow
from app.directives import service as directive_service
from app.errors import ApiError, FieldProblem, InvalidInput
from app.tasks import journal, rules
from app.tasks import service as task_service
from app.tasks.models import Task
from app.tasks.status import OPEN_VALUES, JournalKind


def _successor(session: Session, merge_in: AgencyMerge) -> Agency:
    if merge_in.successor_code is None and merge_in.successor_id is None:
        raise InvalidInput([FieldProblem.of("successor_code", "successor_missing")])
    successor = (agency_service.get_by_code(session=session, code=merge_in.successor_code) if merge_in.successor_code
                 else agency_service.get(session=session, agency_id=merge_in.successor_id))
    if successor is None:
        raise InvalidInput([FieldProblem.of("successor_code", "no_successor")])
    return successor


def merge(*, session: Session, key: str, merge_in: AgencyMerge, principal: Principal,
          now: datetime | None = None) -> dict:
    now = now or utcnow()
    policy.require(principal, Action.manage_agencies)
    agency = agency_service.find(session=session, key=key)
    successor = _successor(session, merge_in)
    today = clock.local_day(now)
    effective_on = merge_in.effective_on or today
    problems = []
    if successor.id == agency.id:
        problems.append(FieldProblem.of("successor_code", "merge_into_itself"))
    elif not successor.active:
        problems.append(FieldProblem.of("successor_code", "successor_inactive", name=successor.name))
    if effective_on > today:
        problems.append(FieldProblem.of("effective_on", "merger_in_future"))
    if problems:
        raise InvalidInput(problems)
    if agency.merged_into_id is not None:
        raise ApiError.of(409, "already_merged", code="already_merged", name=agency.name)
    # Journaled when recorded: a report as of any earlier day still shows the agency that led the task then.
    moved, recoordinated = reassign_agency(
        session=session, from_agency_id=agency.id, to_agency_id=successor.id, principal=principal, now=now,
        note=f"{agency.name} sáp nhập vào {successor.name} từ ngày {effective_on:%d/%m/%Y}")
    agency_service.mark_merged(session=session, agency=agency, successor=successor, effective_on=effective_on)
    return {"agency": agency_service.public(session=session, agency=agency),
            "successor": agency_service.refs(session=session, agency_ids={successor.id})[successor.id],
            "tasks_moved": moved, "tasks_recoordinated": recoordinated}


def deactivate(*, session: Session, key: str, principal: Principal) -> Agency:
    agency = agency_service.find(session=session, key=key)
    return agency_service.deactivate(session=session, key=key, principal=principal,
                              open_tasks=task_service.open_tasks_led_by(session=session, agency_id=agency.id))


def reassign_agency(*, session: Session, from_agency_id: int, to_agency_id: int, principal: Principal,
                    now: datetime, note: str) -> tuple[int, int]:
    """An agency merged into its successor: every open task it leads moves to the successor, and the successor takes
    its place among coordinating agencies; each change is journaled (`reassigned`). Closed tasks keep the agency
    they had. Returns (tasks moved, tasks re-coordinated)."""
    candidates = session.exec(select(Task.id, Task.lead_agency_id, Task.coordinating_agency_ids)
                              .where(Task.status.in_(OPEN_VALUES))).all()
    affected = [task_id for task_id, lead, coordinating in candidates
                if lead == from_agency_id or from_agency_id in (coordinating or [])]
    moved = recoordinated = 0
    lead_agency = agency_service.get(session=session, agency_id=to_agency_id)
    for task_id in affected:
        task = task_service.get_task(session=session, task_id=task_id, for_update=True)
        before = {"lead_agency_id": task.lead_agency_id, "coordinating_agency_ids": list(task.coordinating_agency_ids)}
        if task.lead_agency_id == from_agency_id:
            task.lead_agency_id = to_agency_id
            moved += 1
        if from_agency_id in task.coordinating_agency_ids:
            replaced = [to_agency_id if a == from_agency_id else a for a in task.coordinating_agency_ids]
            task.coordinating_agency_ids = [a for a in dict.fromkeys(replaced) if a != task.lead_agency_id]
            recoordinated += 1
        directive = directive_service.get(session=session, directive_id=task.directive_id)
        task.search_text = rules.search_text(task, directive, lead_agency if task.lead_agency_id == to_agency_id
                                             else agency_service.get(session=session, agency_id=task.lead_agency_id))
        task_service.touch(task, now)
        session.add(task)
        journal.record(session=session, task=task, kind=JournalKind.reassigned, now=now, principal=principal,
                       from_status=task.status, note=note,
                       data={"before": before, "after": {"lead_agency_id": task.lead_agency_id,
                                                         "coordinating_agency_ids": task.coordinating_agency_ids}})
    session.flush()
    return moved, recoordinated

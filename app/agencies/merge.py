"""Merging an agency into its successor (the 1/3/2025 reorganisation: TT&TT into KH&CN, KH&ĐT into Tài chính, ...):
its open tasks move to the successor with a journal entry each, its history keeps its name, its code keeps
resolving (to it, with `merged_into`). Kept apart from service.py because it writes tasks."""

from datetime import datetime

from sqlmodel import Session

from app import clock
from app.access import policy
from app.access.policy import Action
from app.access.principal import Principal
from app.agencies import service
from app.agencies.models import Agency
from app.agencies.schemas import AgencyMerge
from app.clock import utcnow
from app.errors import ApiError, FieldProblem, InvalidInput
from app.tasks import service as task_service


def _successor(session: Session, merge_in: AgencyMerge) -> Agency:
    if merge_in.successor_code is None and merge_in.successor_id is None:
        raise InvalidInput([FieldProblem.of("successor_code", "successor_missing")])
    successor = (service.get_by_code(session=session, code=merge_in.successor_code) if merge_in.successor_code
                 else service.get(session=session, agency_id=merge_in.successor_id))
    if successor is None:
        raise InvalidInput([FieldProblem.of("successor_code", "no_successor")])
    return successor


def merge(*, session: Session, key: str, merge_in: AgencyMerge, principal: Principal,
          now: datetime | None = None) -> dict:
    now = now or utcnow()
    policy.require(principal, Action.manage_agencies)
    agency = service.find(session=session, key=key)
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
    moved, recoordinated = task_service.reassign_agency(
        session=session, from_agency_id=agency.id, to_agency_id=successor.id, principal=principal, now=now,
        note=f"{agency.name} sáp nhập vào {successor.name} từ ngày {effective_on:%d/%m/%Y}")
    service.mark_merged(session=session, agency=agency, successor=successor, effective_on=effective_on)
    return {"agency": service.public(session=session, agency=agency),
            "successor": service.refs(session=session, agency_ids={successor.id})[successor.id],
            "tasks_moved": moved, "tasks_recoordinated": recoordinated}


def deactivate(*, session: Session, key: str, principal: Principal) -> Agency:
    agency = service.find(session=session, key=key)
    return service.deactivate(session=session, key=key, principal=principal,
                              open_tasks=task_service.open_tasks_led_by(session=session, agency_id=agency.id))

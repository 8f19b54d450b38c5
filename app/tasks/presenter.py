"""Turns stored tasks into what the API answers, loading their agencies and directives in one query each."""

from datetime import date

from sqlmodel import Session, select

from app.agencies import service as agency_service
from app.agencies.models import Agency
from app.directives.models import Directive
from app.tasks import service
from app.tasks.models import Task


def _agency_ref(agency: Agency) -> dict:
    return {"id": agency.id, "code": agency.code, "name": agency.name, "short_name": agency.short_name}


def agency_refs(*, session: Session, agency_ids: set[int]) -> dict[int, dict]:
    return {a_id: _agency_ref(a) for a_id, a in agency_service.by_ids(session=session, agency_ids=agency_ids).items()}


def present(*, session: Session, tasks: list[Task], today: date) -> list[dict]:
    if not tasks:
        return []
    coordinating = service.coordinating_ids(session=session, task_ids=[t.id for t in tasks])
    agency_ids = {t.lead_agency_id for t in tasks} | {a for ids in coordinating.values() for a in ids}
    agencies = agency_service.by_ids(session=session, agency_ids=agency_ids)
    directive_ids = {t.directive_id for t in tasks}
    directives = {d.id: d for d in session.exec(select(Directive).where(Directive.id.in_(directive_ids)))}
    result = []
    for task in tasks:
        timing, days_overdue = service.timing_of(task, today)
        directive = directives[task.directive_id]
        result.append({
            "id": task.id,
            "external_ref": task.external_ref,
            "directive_id": task.directive_id,
            "directive": {"id": directive.id, "number": directive.number, "issued_on": directive.issued_on},
            "clause_ref": task.clause_ref,
            "title": task.title,
            "objective": task.objective,
            "lead_agency_id": task.lead_agency_id,
            "lead_agency": _agency_ref(agencies[task.lead_agency_id]),
            "coordinating_agencies": [_agency_ref(agencies[a]) for a in coordinating.get(task.id, [])],
            "accountable_official": task.accountable_official,
            "deadline_text": task.deadline_text,
            "deadline_on": task.deadline_on,
            "original_deadline_on": task.original_deadline_on,
            "deliverable_type": task.deliverable_type,
            "deliverable_description": task.deliverable_description,
            "expected_result": task.expected_result,
            "priority": task.priority,
            "status": task.status,
            "progress_percent": task.progress_percent,
            "latest_note": task.latest_note,
            "completed_on": task.completed_on,
            "evidence": task.evidence,
            "timing": timing,
            "days_overdue": days_overdue,
            "version": task.version,
            "created_at": task.created_at,
            "updated_at": task.updated_at,
        })
    return result

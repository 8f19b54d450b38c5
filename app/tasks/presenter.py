"""Turns stored tasks (ORM objects or table rows) into what the API answers."""

from datetime import date

from sqlmodel import Session

from app.agencies import service as agency_service
from app.config import get_settings
from app.directives import service as directive_service
from app.tasks.timing import classify

FIELDS = (
    "id", "external_ref", "directive_id", "clause_ref", "title", "objective", "lead_agency_id",
    "coordinating_agency_ids", "accountable_official", "deadline_text", "deadline_on", "original_deadline_on",
    "deliverable_type", "deliverable_description", "expected_result", "priority", "status", "progress_percent",
    "latest_note", "completed_on", "evidence", "version", "created_at", "updated_at",
)


def present(*, session: Session, tasks: list, today: date) -> list[dict]:
    if not tasks:
        return []
    agency_ids = {t.lead_agency_id for t in tasks} | {a for t in tasks for a in t.coordinating_agency_ids}
    agencies = agency_service.refs(session=session, agency_ids=agency_ids)
    directives = directive_service.summaries(session=session, directive_ids={t.directive_id for t in tasks})
    due_soon_days = get_settings().due_soon_days
    result = []
    for task in tasks:
        if hasattr(task, "_mapping"):  # a table row: the mapping is much cheaper than 25 attribute reads
            body = dict(task._mapping)
            body.pop("total", None)
        else:
            body = {f: getattr(task, f) for f in FIELDS}
        body["timing"], body["days_overdue"] = classify(
            status=task.status, deadline_on=task.deadline_on, completed_on=task.completed_on, today=today,
            due_soon_days=due_soon_days)
        body["directive"] = directives[task.directive_id]
        body["lead_agency"] = agencies[task.lead_agency_id]
        body["coordinating_agencies"] = [agencies[a] for a in task.coordinating_agency_ids]
        result.append(body)
    return result

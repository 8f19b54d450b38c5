"""Turns stored tasks (ORM objects or table rows) into what the API answers."""

from datetime import date

from sqlmodel import Session

from app.agencies import service as agency_service
from app.calendar import service as calendar_service
from app.config import get_settings
from app.directives import service as directive_service
from app.tasks.timing import classify

FIELDS = (
    "id", "external_ref", "directive_id", "clause_ref", "title", "objective", "lead_agency_id",
    "coordinating_agency_ids", "accountable_official", "deadline_text", "deadline_on", "original_deadline_on",
    "reporting_cadence",
    "deliverable_type", "deliverable_description", "expected_result", "priority", "status", "progress_percent",
    "latest_note", "completed_on", "evidence", "version", "created_at", "updated_at",
)


def _bodies(tasks: list) -> list[dict]:
    if hasattr(tasks[0], "_fields"):  # table rows: zip with their column names, read once for the whole page
        names = tasks[0]._fields
        return [dict(zip(names, task, strict=True)) for task in tasks]
    return [{f: getattr(task, f) for f in FIELDS} for task in tasks]


def present(*, session: Session, tasks: list, today: date) -> list[dict]:
    if not tasks:
        return []
    bodies = _bodies(tasks)
    agency_ids = {b["lead_agency_id"] for b in bodies} | {a for b in bodies for a in b["coordinating_agency_ids"]}
    agencies = agency_service.refs(session=session, agency_ids=agency_ids)
    directives = directive_service.summaries(session=session, directive_ids={b["directive_id"] for b in bodies})
    due_soon_days = get_settings().due_soon_days
    calendar = calendar_service.get_calendar(session=session)
    for body in bodies:
        body.pop("total", None)
        # Judged against the day the deadline really ends: a deadline on a day off moves to the next working day.
        effective = calendar.effective(body["deadline_on"])
        body["effective_deadline_on"] = effective
        body["timing"], body["days_overdue"] = classify(
            status=body["status"], deadline_on=effective, completed_on=body["completed_on"], today=today,
            due_soon_days=due_soon_days, standing=body["reporting_cadence"] is not None)
        body["directive"] = directives[body["directive_id"]]
        body["lead_agency"] = agencies[body["lead_agency_id"]]
        body["coordinating_agencies"] = [agencies[a] for a in body["coordinating_agency_ids"]]
    return bodies

"""Turns stored tasks (ORM objects or table rows) into what the API answers."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from app import clock
from app.access import policy
from app.access.policy import Action
from app.access.principal import Principal
from app.agencies import service as agency_service
from app.calendar import service as calendar_service
from app.config import get_settings
from app.directives import service as directive_service
from app.tasks import rules, status, workflow
from app.tasks.models import ExtensionKind, ExtensionStatus
from app.tasks.status import JournalKind, Move, TaskStatus
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


@dataclass(frozen=True)
class NextActions:
    """What one person may do next on one task: each is a form of the task's page, offered only when the service
    would take it."""

    progress: bool = False  # report progress or completion
    request_kinds: tuple[str, ...] = ()  # the requests they may make: extend, withdraw (none while one is pending)
    decide: dict | None = None  # the pending request they may decide
    approve: bool = False  # ... and whether it may still be approved (else only rejected)
    review: bool = False  # accept or send back a reported completion
    edit: bool = False
    remove: bool = False  # take out as recorded by mistake
    official_update: str | None = None  # the accountable official reworded for the agency a merger moved it to
    comment: bool = False  # write in the task's thread
    explain: bool = False  # ... asking the lead agency for an explanation
    answerable: tuple[int, ...] = ()  # the open requests for an explanation they may answer
    remind: bool = False  # chase the lead agency ("đôn đốc")
    reminded_today: datetime | None = None  # when the task was last reminded today: another needs a reason

    @property
    def forms(self) -> frozenset[str]:
        """The names of the forms offered (as the page and its posts name them)."""
        offered = {"progress": self.progress, "request": bool(self.request_kinds), "decision": self.decide is not None,
                   "review": self.review, "edit": self.edit, "remove": self.remove,
                   "official": self.official_update is not None, "comment": self.comment,
                   "answer": bool(self.answerable), "remind": self.remind}
        return frozenset(name for name, shown in offered.items() if shown)


def next_actions(*, principal: Principal, task: dict, requests: list[dict], history: list[dict],
                 agency_names: dict[int, str]) -> NextActions:
    """What this person may do next on this task, from the policy table and the status machine: the forms its page
    offers, so that a page never offers a form the service would refuse. Computed here once; the page only shows
    what it is given."""
    current = TaskStatus(task["status"])
    pending = next((r for r in requests if r["status"] == ExtensionStatus.pending), None)
    standing = task["reporting_cadence"] is not None
    kinds = []
    if pending is None and policy.allows(principal, Action.request_extension, task):
        if current in status.EXTENDABLE and not standing:
            kinds.append(ExtensionKind.extend.value)
        if current in status.OPEN:
            kinds.append(ExtensionKind.withdraw.value)
    decide = pending if pending is not None and policy.allows(principal, Action.decide_extension) else None
    approvable = decide is not None and current in (
        status.OPEN if decide["kind"] == ExtensionKind.withdraw else status.EXTENDABLE)
    removable = policy.allows(principal, Action.remove_task) and workflow.removal_refusal(
        task_status=current, events=history) is None
    official = None
    if policy.allows(principal, Action.edit_task) and current not in status.FINAL:
        former = [agency_names[e["data"]["before"]["lead_agency_id"]] for e in history
                  if e["kind"] == JournalKind.reassigned and (e.get("data") or {}).get("before")
                  and e["data"]["before"].get("lead_agency_id") in agency_names]
        official = rules.official_after_reassignment(task["accountable_official"], former, task["lead_agency"]["name"])
    moves = status.TRANSITIONS[current]
    said = current != TaskStatus.removed  # nothing more is written on a task removed as recorded by mistake
    asked = [e["data"]["comment_id"] for e in history if e["kind"] == JournalKind.explanation_requested]
    answered = {(e.get("data") or {}).get("answers_id") for e in history
                if e["kind"] == JournalKind.explanation_answered}
    today = clock.today()
    at = [e["occurred_at"] if isinstance(e["occurred_at"], datetime) else datetime.fromisoformat(e["occurred_at"])
          for e in history if e["kind"] == JournalKind.reminded]  # rows, or the API's history read as JSON
    reminded = [moment for moment in at if clock.local_day(moment) == today]
    return NextActions(
        progress=Move.progress in moves and policy.allows(principal, Action.report_progress, task),
        request_kinds=tuple(kinds),
        decide=decide,
        approve=approvable,
        review=Move.accept in moves and policy.allows(principal, Action.review_completion),
        edit=current not in status.FINAL and policy.allows(principal, Action.edit_task),
        remove=removable,
        official_update=official,
        comment=said and policy.allows(principal, Action.comment_task, task),
        explain=said and policy.allows(principal, Action.comment_task, task)
        and policy.allows(principal, Action.request_explanation, task),
        answerable=tuple(i for i in asked if i not in answered)
        if said and policy.allows(principal, Action.answer_explanation, task) else (),
        remind=current in status.CHASED and policy.allows(principal, Action.remind_task, task),
        reminded_today=max(reminded, default=None),
    )

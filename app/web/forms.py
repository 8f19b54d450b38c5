"""What the pages' forms post, read into the values the services take: one model per form, each the API's schema
for the same call (its field names, its refusals), read from the strings a browser posts (dd/mm/yyyy dates, a
ticked box, a multiple choice). A page handler parses its form model, calls the same service the API calls, and
renders the answer. The seven-"rõ" task form is read the same way under a directive, on a task and in an import's
review."""

from typing import Any, Self

from pydantic import BaseModel, ValidationError

from app import messages
from app.directives.schemas import DirectiveCreate, DirectiveUpdate
from app.errors import FieldProblem, InvalidInput
from app.reports import service as report_service
from app.tasks.schemas import (
    Evidence,
    ExtensionDecision,
    ExtensionRequestCreate,
    ProgressReport,
    ReviewDecision,
    TaskCreate,
    TaskUpdate,
)
from app.types import id_from
from app.web.common import as_int, as_iso, from_validation, read_day

TASK_TEXT_FIELDS = ("title", "objective", "accountable_official", "deliverable_description", "expected_result",
                    "clause_ref")


def ids(form: dict, name: str) -> list[int]:
    """The ids ticked in a multiple choice (agencies, directives): anything else posted is ignored."""
    return [value for value in map(id_from, form["_lists"].get(name, [])) if value is not None]


class PageForm(BaseModel):
    """A form of the pages as the API schema it inherits: `posted` reads the browser's strings into that schema's
    values, and the schema's own validation refuses them, field by field, in the API's words."""

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    @classmethod
    def of(cls, form: dict[str, Any], **from_address: Any) -> Self:
        """The form read and checked (a pydantic ValidationError otherwise); `from_address`: what the page's address
        gives (the directive a task is given under)."""
        return cls.model_validate(cls.posted(form) | from_address)


def _task_values(form: dict[str, Any], *, empty_text: str | None = None) -> dict[str, Any]:
    """The seven "rõ" as typed; a field left empty is `empty_text` (refused as missing, never kept)."""
    values: dict[str, Any] = {f: form.get(f) or empty_text for f in TASK_TEXT_FIELDS}
    return values | {"deliverable_type": form.get("deliverable_type") or None,
                     "lead_agency_id": as_int(form.get("lead_agency_id")),
                     "coordinating_agency_ids": ids(form, "coordinating_agency_ids"),
                     "priority": form.get("priority") == "1"}


class TaskCreateForm(PageForm, TaskCreate):
    """A directive page's "Giao nhiệm vụ": POST /tasks."""

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        return _task_values(form) | {"deadline": form.get("deadline") or None}


EDIT_FIELDS = (*TASK_TEXT_FIELDS, "deliverable_type", "lead_agency_id", "coordinating_agency_ids", "priority")


class TaskEditForm(PageForm, TaskUpdate):
    """A task page's "Sửa nhiệm vụ": PATCH /tasks/{id} with only what the person changed, each field against the
    value the form showed (`was-…`). A save after a stale edit then applies their changes and leaves what someone
    else saved meanwhile in the fields they did not touch."""

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        return edited(form)


def edited(form: dict[str, Any]) -> dict[str, Any]:
    values = _task_values(form, empty_text="")
    shown = _task_values({f: form.get(f"was-{f}", "") for f in EDIT_FIELDS if f != "coordinating_agency_ids"}
                         | {"_lists": {"coordinating_agency_ids": [a for a in form.get(
                             "was-coordinating_agency_ids", "").split(",") if a]}}, empty_text="")

    def same(a, b) -> bool:
        return (sorted(a) if isinstance(a, list) else a) == (sorted(b) if isinstance(b, list) else b)

    return {f: v for f, v in values.items() if not same(v, shown[f])}


def version_of(form: dict[str, Any]) -> int | None:
    """The version of what the form showed (the If-Match of the API): an edit over a newer one is refused (412)."""
    return as_int(form.get("version"))


class ProgressForm(PageForm, ProgressReport):
    """A task page's "Báo cáo tiến độ hoặc hoàn thành": POST /tasks/{id}/progress. A completion needs its document:
    when "Đã hoàn thành" is chosen, the evidence's number and date are required fields, and each says so."""

    @classmethod
    def of(cls, form: dict[str, Any], **from_address: Any) -> Self:
        done = form.get("status") == "reported_done"
        problems: list[FieldProblem] = []
        evidence = None
        if done:
            try:
                evidence = Evidence(document_number=form.get("document_number", ""),
                                    document_date=as_iso(form.get("document_date")), url=form.get("url") or None)
            except ValidationError as error:
                for problem in from_validation(error).problems:
                    if problem.type == "missing":
                        problem.msg_vi = messages.EVIDENCE_REQUIRED_VI
                    problems.append(problem)
        try:
            report = super().of(form, **from_address)
        except ValidationError as error:
            problems += from_validation(error).problems
        if problems:
            raise InvalidInput(problems)
        return report.model_copy(update={"evidence": evidence})

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        done = form.get("status") == "reported_done"
        return {"status": "reported_done" if done else "in_progress",
                "progress_percent": 100 if done else (form.get("progress_percent") or 0), "note": form.get("note", ""),
                "evidence": None, "completed_on": as_iso(form.get("completed_on")) if done else None}


class ExtensionRequestForm(PageForm, ExtensionRequestCreate):
    """A task page's request to extend or withdraw: POST /tasks/{id}/extension-requests."""

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        return {"kind": form.get("kind") or "extend", "requested_deadline": form.get("requested_deadline") or None,
                "reason": form.get("reason", "")}


class ExtensionDecisionForm(PageForm, ExtensionDecision):
    """A task page's decision on a pending request: POST /extension-requests/{id}/decision (a date granted only with
    an approval)."""

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        approved = form.get("decision") == "approved"
        return {"decision": form.get("decision", ""), "note": form.get("note") or None,
                "approved_deadline": (form.get("approved_deadline") or None) if approved else None}


class ReviewForm(PageForm, ReviewDecision):
    """A task page's acceptance of a reported completion, or its return: POST /tasks/{id}/accept or /reject."""

    accept: bool = False

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        return {"accept": form.get("decision") == "accept", "note": form.get("note") or None}


class DirectiveForm(PageForm, DirectiveCreate):
    """The directives page's "Ghi nhận văn bản": POST /directives; its correction checks the same (a correction
    keeps every field of the header: none left empty) and sends it as PATCH /directives/{id} (`as_update`)."""

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        return {k: form.get(k) for k in ("number", "title", "meeting_name", "issuer")} | {
            "issued_on": as_iso(form.get("issued_on")), "meeting_date": as_iso(form.get("meeting_date"))}

    @classmethod
    def as_update(cls, form: dict[str, Any]) -> DirectiveUpdate:
        cls.of(form)
        return DirectiveUpdate(**cls.posted(form))


SCOPE_FIELDS = ("directive_id", "meeting_date", "as_of")


def report_scope(params: dict[str, str], today) -> tuple[dict[str, str], dict[str, Any], dict[str, list[str]]]:
    """A report's scope as typed in a page's address (a directive, or a meeting day, as of a day): the values to
    show back as typed, the values read, and the problems by field. A date that is not one, or a day to come, is
    refused and shown, never quietly replaced by today."""
    typed = {name: params[name].strip() for name in SCOPE_FIELDS if params.get(name, "").strip()}
    problems: list[FieldProblem] = []
    days: dict[str, Any] = {}
    for name in ("meeting_date", "as_of"):
        try:
            days[name] = read_day(typed.get(name), name)
        except InvalidInput as error:
            problems += error.problems
    if days.get("as_of") is not None:
        try:
            report_service.report_day(as_of=days["as_of"], today=today)
        except InvalidInput as error:
            problems += error.problems
    directive_id = typed.get("directive_id")
    if directive_id is not None and as_int(directive_id) is None:
        problems.append(FieldProblem.of("directive_id", "no_directive", location="query"))
    read = {"directive_id": as_int(directive_id), "meeting_date": days.get("meeting_date"),
            "as_of": days.get("as_of") or today}
    return typed, read, by_field(problems)


def by_field(problems: list[FieldProblem]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in problems:
        found.setdefault(problem.field or "_form", []).append(problem.msg_vi)
    return found

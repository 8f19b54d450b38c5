"""What the pages' forms send, read into the values the services take: one model per form. A posted form is a
`PageForm`, the API's schema for the same call where the API has one (its field names, its refusals), read from the
strings a browser posts (dd/mm/yyyy dates, a ticked box, a multiple choice); the account forms, which no API call has,
are read as typed for app/auth/accounts.py to refuse. A form sent in a page's address (a report's scope, the task
list's filters) is a `QueryForm`: each value it does not offer refused at its field, never quietly replaced. A page
handler parses its form model, calls the same service the API calls, and renders the answer. The seven-"rõ" task
form is read the same way under a directive, on a task and in an import's review."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, ClassVar, Literal, Self

from pydantic import BaseModel, ValidationError, field_validator

from app import messages
from app.access.principal import Principal
from app.calendar.schemas import CalendarDayCreate
from app.clock import utcnow
from app.directives.schemas import DirectiveCreate, DirectiveUpdate
from app.errors import FieldProblem, InvalidInput, invalid
from app.imports.schemas import CommitOptions, DirectiveHeaderUpdate, DraftUpdate
from app.indicators.judgement import Status as IndicatorStatus
from app.indicators.schemas import IndicatorCreate, MeasurementCreate, TargetCreate
from app.reports import service as report_service
from app.reports.schemas import DocumentSettings
from app.tasks import listing, rules
from app.tasks.schemas import (
    CommentCreate,
    Evidence,
    ExplanationAnswer,
    ExtensionDecision,
    ExtensionRequestCreate,
    ProgressReport,
    ReminderCreate,
    ReviewDecision,
    TaskCreate,
    TaskRemoval,
    TaskUpdate,
)
from app.tasks.status import TaskStatus
from app.tasks.timing import Timing, TimingGroup, parse_timing
from app.types import id_from
from app.web.common import as_int, as_iso, from_validation, read_day
from app.webhooks.schemas import WebhookCreate, WebhookUpdate

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


class TaskOfficialForm(PageForm, TaskUpdate):
    """A task page's rewording of the accountable official for the agency a task moved to by a merger, as the page
    suggests it: PATCH /tasks/{id} with that field alone."""

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        return {"accountable_official": form.get("accountable_official") or None}


def _written(refusal: Callable[[], Exception]):
    """A text left blank refused in the service's own words (`refusal`, e.g. `lambda: invalid("reason_required")`)
    before the schema's length rule."""
    def check(value: Any) -> Any:
        if isinstance(value, str) and rules.blank(value):
            raise refusal()
        return value
    return check


class TaskRemovalForm(PageForm, TaskRemoval):
    """A task page's removal of a task recorded by mistake: POST /tasks/{id}/remove, with its reason. A reason left
    empty is refused in the service's words ("bắt buộc nêu lý do")."""

    _reason_given = field_validator("reason", mode="before")(_written(lambda: invalid("reason_required")))

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        return {"reason": form.get("reason", "")}


class CommentForm(PageForm, CommentCreate):
    """A task page's "Ý kiến": POST /tasks/{id}/comments, asking the lead agency for an explanation when ticked (the
    box is the secretariat's). An empty comment is refused in the service's words ("bắt buộc")."""

    _comment_given = field_validator("comment", mode="before")(_written(lambda: invalid("comment_required")))

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        return {"comment": form.get("comment", ""), "asks_explanation": form.get("asks_explanation") == "1"}


class ExplanationAnswerForm(PageForm, ExplanationAnswer):
    """A task page's answer to a request for an explanation: POST /tasks/{id}/comments/{request}/answer."""

    _answer_given = field_validator("comment", mode="before")(_written(lambda: invalid("answer_required")))

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        return {"comment": form.get("comment", "")}


class ReminderForm(PageForm, ReminderCreate):
    """"Đôn đốc" on a task page and on the task list: POST /tasks/{id}/reminders, /tasks/reminders. A second one the
    same day is sent only with "gửi lại" and its reason (refused at that field by the service otherwise)."""

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        return {"note": form.get("note") or None, "force": form.get("force") == "1",
                "force_reason": form.get("force_reason") or None}


# ---------------------------------------------------------------- subscriptions


def _subscription_values(form: dict[str, Any]) -> dict[str, Any]:
    return {"url": form.get("url", ""), "description": form.get("description", ""),
            "event_types": form["_lists"].get("event_types", []), "lead_agency_ids": ids(form, "lead_agency_ids"),
            "directive_ids": ids(form, "directive_ids"), "priority_only": form.get("priority_only") == "1",
            "digest": form.get("digest") == "1"}


class SubscriptionForm(PageForm, WebhookCreate):
    """The subscriptions page's "Tạo đăng ký": POST /webhooks ("all": every lead agency's tasks, for an agency)."""

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        return _subscription_values(form) | {"all_lead_agencies": form.get("all") == "1"}


class SubscriptionUpdateForm(PageForm, WebhookUpdate):
    """A subscription page's "Lưu": PATCH /webhooks/{id} with every field the form shows (a box left unticked is
    False: the filter taken off, the subscription switched off)."""

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        return _subscription_values(form) | {"active": form.get("active") == "1"}


# ---------------------------------------------------------------- accounts and one's own password
# The API has no call for these (the CLI's `roviec account …` and these pages call app/auth/accounts.py): each form
# is read as typed, and the service refuses it, field by field, in its words.


class AccountForm(PageForm):
    """The accounts page's "Tạo tài khoản": `accounts.create` (its password generated, shown once)."""

    username: str = ""
    full_name: str = ""
    agency_code: str = ""
    role: str = ""
    job_title: str = ""
    email: str | None = None

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        return {name: form.get(name, "") for name in ("username", "full_name", "agency_code", "job_title")} | {
            "role": form.get("role") or "", "email": form.get("email") or None}


class AccountActiveForm(PageForm):
    """An account's "Khóa" or "Mở lại" (its address says which): `accounts.set_active`."""

    active: bool

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        return {}


class AccountPasswordForm(PageForm):
    """An account's "Cấp mật khẩu mới", for someone else: `accounts.set_password`. Nothing is typed: the password is
    generated, shown once (one's own needs the current one: `OwnPasswordForm`)."""

    password: None = None

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        return {}


class AccountUnlockForm(PageForm):
    """An account's "Mở khóa đăng nhập": `accounts.unlock` (the wrong passwords counted against it stop counting)."""

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        return {}


class OwnPasswordForm(PageForm):
    """One's own account page's "Đổi mật khẩu": `accounts.change_own_password`, which refuses a field left empty, the
    current password wrong, the new one typed differently the second time, a weak one."""

    current_password: str = ""
    new_password: str = ""
    new_password_again: str = ""

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        return {name: form.get(name, "") for name in ("current_password", "new_password", "new_password_again")}


# ---------------------------------------------------------------- an import's review


class ImportHeaderForm(PageForm, DirectiveHeaderUpdate):
    """An import's review, the notice's header (fields `h-…`): PATCH /imports/{id}. Only the fields shown."""

    FIELDS: ClassVar[tuple[str, ...]] = ("number", "issued_on", "title", "meeting_name", "meeting_date", "issuer")

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        values = {k: form.get(f"h-{k}") or None for k in cls.FIELDS if f"h-{k}" in form}
        for k in ("issued_on", "meeting_date"):
            if k in values:
                values[k] = as_iso(values[k])
        return values


class ImportDraftForm(PageForm, DraftUpdate):
    """An import's review, one draft's fields (`d{n}-…`): PATCH /imports/{id}/drafts/{n}. A field left empty clears
    what the reader put there; "use the suggestion" takes the official the reader suggested."""

    TEXTS: ClassVar[tuple[str, ...]] = ("title", "objective", "accountable_official", "deadline",
                                        "deliverable_description", "expected_result", "clause_ref")

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        raise TypeError("a draft's fields are read with ImportDraftForm.of_draft")

    @classmethod
    def of_draft(cls, form: dict[str, Any], n: int, suggestion: str | None) -> dict[str, Any]:
        """The draft's changes as the service takes them, every field shown (an empty one as None)."""
        p = f"d{n}-"
        values: dict[str, Any] = {k: form.get(p + k) or None for k in cls.TEXTS}
        values |= {"deliverable_type": form.get(p + "deliverable_type") or None,
                   "lead_agency_id": as_int(form.get(p + "lead_agency_id")),
                   "coordinating_agency_ids": ids(form, p + "coordinating_agency_ids"),
                   "priority": form.get(p + "priority") == "1"}
        if form.get(p + "use_suggestion") == "1" and suggestion:
            values["accountable_official"] = suggestion
        return cls.model_validate(values).model_dump(mode="json", include=set(values))


class ImportCommitForm(PageForm, CommitOptions):
    """An import's review, "Giao tất cả": POST /imports/{id}/commit, with the officer's word on pieces unread."""

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        return {"confirm_unread": form.get("confirm_unread") == "1"}


# ---------------------------------------------------------------- the calendar, the report's settings


class CalendarDayForm(PageForm, CalendarDayCreate):
    """The calendar page's correction of a day (a holiday, a working day): POST /calendar/days."""

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        return {"day": as_iso(form.get("day")), "kind": form.get("kind") or None, "reason": form.get("reason", "")}


SETTINGS_TEXT_FIELDS = ("parent_body", "issuing_body", "symbol", "place", "signer_authority", "signer_position",
                        "signer_name")


class DocumentSettingsForm(PageForm, DocumentSettings):
    """The report page's letterhead of the reports one makes: PUT /reports/settings (the recipients one a
    line)."""

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        return {name: form.get(name, "") for name in SETTINGS_TEXT_FIELDS} | {
            "recipients": [line.strip() for line in (form.get("recipients") or "").splitlines() if line.strip()]}


EXPORT_LIMITS = (("number", 50), ("signer_name", 100), ("signer_position", 200))


class ReportExportForm(PageForm):
    """The report page's download form: this export's number, date, signer and position over the stored settings
    (what GET /reports/completion takes as `number`, `issued_on`, `signer_name`, `signer_position`). A date that
    is not one, or before the day the figures run to, is refused, never dropped from the document; so is a text too
    long for its place."""

    number: str = ""
    issued_on: date | None = None
    signer_name: str = ""
    signer_position: str = ""

    @classmethod
    def of(cls, form: dict[str, Any], *, as_of: date, today: date) -> Self:
        problems: list[FieldProblem] = []
        issued_on = None
        try:
            issued_on = read_day(form.get("issued_on"), "issued_on")
            report_service.report_day(as_of=as_of, today=today, issued_on=issued_on)
        except InvalidInput as error:
            problems += [p for p in error.problems if p.field != "as_of"]  # the scope's own refusal
        for name, limit in EXPORT_LIMITS:
            if len(form.get(name, "")) > limit:
                problems.append(FieldProblem.of(name, "text_too_long_for", limit=limit))
        if problems:
            raise InvalidInput(problems)
        return cls.model_validate(cls.posted(form) | {"issued_on": issued_on})

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        return {name: form.get(name, "") for name, _ in EXPORT_LIMITS}


# ---------------------------------------------------------------- forms sent in the address (GET)


class QueryForm(BaseModel):
    """A form a page sends in its address (a report's scope, the list's filters): read from the strings typed, each
    value that is not one the form offers refused at its field (a date that is not one, a value no list offers, a
    reversed range, a day to come), never quietly replaced or dropped. `read` answers the values read (a refused one
    at its default, for the page shown around the refusal), what was typed (to show back and keep in links) and the
    problems by field."""

    FIELDS: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def typed(cls, params: dict[str, str]) -> dict[str, str]:
        return {name: params[name].strip() for name in cls.FIELDS if params.get(name, "").strip()}

    @classmethod
    def checked(cls, typed: dict[str, str], **context: Any) -> tuple[dict[str, Any], list[FieldProblem]]:
        raise NotImplementedError

    @classmethod
    def read(cls, params: dict[str, str], **context: Any) -> tuple[Self, dict[str, str], dict[str, list[str]]]:
        typed = cls.typed(params)
        values, problems = cls.checked(typed, **context)
        return cls.model_validate(values), typed, by_field(problems)


def _days(typed: dict[str, str], names: tuple[str, ...], today: date, problems: list[FieldProblem]) -> dict[str, Any]:
    """The dates typed (None: left empty; a date that is not one refused), the day figures run to (`as_of`) never
    after today."""
    days: dict[str, Any] = {}
    for name in names:
        days[name] = None
        try:
            days[name] = read_day(typed.get(name), name)
        except InvalidInput as error:
            problems += error.problems
    if days.get("as_of") is not None:
        try:
            report_service.report_day(as_of=days["as_of"], today=today)
        except InvalidInput as error:
            problems += error.problems
    return days


class ReportScopeForm(QueryForm):
    """A report's scope as typed in a page's address (the report page, the dashboard): a directive, or a meeting
    day, as of a day (default today; a date that is not one, or a day to come, is refused and shown, never quietly
    replaced by today). A lead agency comes only from a link (the grid's): an id, else all."""

    FIELDS = ("directive_id", "meeting_date", "as_of")

    directive_id: int | None = None
    meeting_date: date | None = None
    as_of: date
    lead_agency_id: int | None = None

    @classmethod
    def read(cls, params: dict[str, str], **context: Any) -> tuple[Self, dict[str, str], dict[str, list[str]]]:
        scope, typed, problems = super().read(params, **context)
        return scope.model_copy(update={"lead_agency_id": as_int(params.get("lead_agency_id"))}), typed, problems

    @classmethod
    def checked(cls, typed: dict[str, str], *, today: date) -> tuple[dict[str, Any], list[FieldProblem]]:
        problems: list[FieldProblem] = []
        days = _days(typed, ("meeting_date", "as_of"), today, problems)
        directive_id = typed.get("directive_id")
        if directive_id is not None and as_int(directive_id) is None:
            problems.append(FieldProblem.of("directive_id", "no_directive", location="query"))
        return {"directive_id": as_int(directive_id), "meeting_date": days["meeting_date"],
                "as_of": days["as_of"] or today}, problems


AWAITING = listing.AWAITING


class TaskListQuery(QueryForm):
    """The task list's filters as typed in its address (the list, its CSV and XLSX): a value no list offers (an
    address typed or cut short) is refused, never quietly read as "all"; so is a date that is not one, a reversed
    deadline range, a day to come."""

    FIELDS = ("directive_id", "meeting_date", "lead_agency_id", "status", "timing", "priority", "deadline_after",
              "deadline_before", "q", "awaiting", "as_of", "mine", "quiet_days")

    directive_id: int | None = None
    meeting_date: date | None = None
    lead_agency_id: int | None = None
    status: TaskStatus | None = None
    timing: Timing | TimingGroup | None = None
    priority: bool | None = None
    deadline_after: date | None = None
    deadline_before: date | None = None
    q: str | None = None
    awaiting: Literal["acceptance", "decision", "explanation"] | None = None
    as_of: date | None = None
    mine: bool = False
    quiet_days: int | None = None

    @classmethod
    def typed(cls, params: dict[str, str]) -> dict[str, str]:
        """As the address has them, in its order (the links keep them so)."""
        return {k: v.strip() for k, v in params.items() if k in cls.FIELDS and v.strip()}

    @classmethod
    def checked(cls, typed: dict[str, str], *, today: date) -> tuple[dict[str, Any], list[FieldProblem]]:
        problems: list[FieldProblem] = []
        days = _days(typed, ("deadline_after", "deadline_before", "meeting_date", "as_of"), today, problems)
        choices = {"timing": parse_timing(typed.get("timing")) is not None,
                   "status": typed.get("status") in TaskStatus.__members__,
                   "lead_agency_id": as_int(typed.get("lead_agency_id")) is not None,
                   "directive_id": as_int(typed.get("directive_id")) is not None,
                   "priority": typed.get("priority") in ("0", "1"),
                   "awaiting": typed.get("awaiting") in AWAITING,
                   "quiet_days": as_int(typed.get("quiet_days")) is not None}
        problems += [FieldProblem.of(name, "not_a_choice", location="query") for name, ok in choices.items()
                     if name in typed and not ok]
        if days["deadline_after"] and days["deadline_before"] and days["deadline_after"] > days["deadline_before"]:
            problems.append(FieldProblem.of("deadline_before", "range_reversed", location="query",
                                            first=days["deadline_after"]))
        return days | {
            "directive_id": as_int(typed.get("directive_id")), "lead_agency_id": as_int(typed.get("lead_agency_id")),
            "status": TaskStatus(typed["status"]) if choices["status"] else None,
            "timing": parse_timing(typed.get("timing")),
            "priority": {"1": True, "0": False}.get(typed.get("priority", "")),
            "q": typed.get("q", "")[:200].replace("\x00", "") or None,
            "awaiting": typed.get("awaiting") if choices["awaiting"] else None, "mine": typed.get("mine") == "1",
            "quiet_days": as_int(typed.get("quiet_days"))}, problems

    def filters(self, principal: Principal) -> listing.TaskFilters:
        """What the list service takes: "mine" is the reader's own agency's tasks; `quiet_days` the open tasks nobody
        has touched for that many days."""
        quiet = self.quiet_days
        return listing.TaskFilters(
            directive_id=self.directive_id, lead_agency_id=principal.agency_id if self.mine else self.lead_agency_id,
            meeting_date=self.meeting_date, status=self.status, timing=self.timing, priority=self.priority,
            deadline_after=self.deadline_after, deadline_before=self.deadline_before, q=self.q, awaiting=self.awaiting,
            updated_before=utcnow() - timedelta(days=quiet) if quiet else None)

    def past_day(self, today: date) -> date | None:
        """The past day the list is asked as of (None: today)."""
        return self.as_of if self.as_of is not None and self.as_of < today else None


class IndicatorBoardQuery(QueryForm):
    """The indicators board's filters in its address: a group, a status, a reporting agency, as of a day (a value no
    list offers, a date that is not one or a day to come refused at its field)."""

    FIELDS = ("group", "status", "agency_id", "as_of")

    # A headline's figure links to exactly the indicators it counts: "behind" is off track or missed.
    GROUPS: ClassVar[dict[str, frozenset[str]]] = {"behind": frozenset({"off_track", "missed"})}

    group: str | None = None
    statuses: frozenset[str] | None = None
    agency_id: int | None = None
    as_of: date

    @classmethod
    def checked(cls, typed: dict[str, str], *, today: date) -> tuple[dict[str, Any], list[FieldProblem]]:
        problems: list[FieldProblem] = []
        days = _days(typed, ("as_of",), today, problems)
        status = typed.get("status")
        choices = {"status": status in IndicatorStatus.__members__ or status in cls.GROUPS,
                   "agency_id": as_int(typed.get("agency_id")) is not None}
        problems += [FieldProblem.of(name, "not_a_choice", location="query") for name, ok in choices.items()
                     if name in typed and not ok]
        return {"group": typed.get("group", "")[:100] or None,
                "statuses": (cls.GROUPS.get(status) or frozenset({status})) if choices["status"] else None,
                "agency_id": as_int(typed.get("agency_id")), "as_of": days["as_of"] or today}, problems


def _number(text: Any) -> Any:
    """A number as a Vietnamese page types it ("87,08", "4.543", "1.234,5") or as the API writes it ("87.08"); the
    text unchanged when it is none of these, for the schema to refuse at its field."""
    if not isinstance(text, str) or not text.strip():
        return None
    raw = text.strip().replace(" ", "").replace("\u00a0", "").removesuffix("%")
    if "," in raw:  # Vietnamese: dots group thousands, the comma is the decimal mark
        raw = raw.replace(".", "").replace(",", ".")
    elif raw.count(".") > 1 or (raw.count(".") == 1 and len(raw.split(".")[1]) == 3 and raw.split(".")[0].isdigit()
                                and raw.split(".")[0] != "0"):
        raw = raw.replace(".", "")  # 4.543: a thousands dot, as pages write numbers
    return raw


class MeasurementForm(PageForm, MeasurementCreate):
    """An indicator page's "Cập nhật số liệu": POST /indicators/{id}/measurements."""

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        return {"period": form.get("period") or None, "value": _number(form.get("value")),
                "numerator": _number(form.get("numerator")), "denominator": _number(form.get("denominator")),
                "official": form.get("official") == "1", "source": form.get("source", ""),
                "evidence_url": form.get("evidence_url") or None, "note": form.get("note") or None,
                "supersedes_id": as_int(form.get("supersedes_id")) if form.get("supersedes_id") else None}


class TargetForm(PageForm, TargetCreate):
    """An indicator page's "Đặt chỉ tiêu": POST /indicators/{id}/targets."""

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        return {"period": form.get("period") or None, "value": _number(form.get("value")),
                "baseline_value": _number(form.get("baseline_value")),
                "baseline_on": as_iso(form.get("baseline_on")) or None, "note": form.get("note") or None}


class IndicatorForm(PageForm, IndicatorCreate):
    """The board's "Thêm chỉ tiêu": POST /indicators."""

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        return {"code": form.get("code") or None, "name": form.get("name") or None, "unit": form.get("unit", ""),
                "kind": form.get("kind") or None, "direction": form.get("direction") or "increase",
                "comparator": form.get("comparator") or ">=", "group_name": form.get("group_name", ""),
                "source_directive_id": as_int(form.get("source_directive_id")),
                "source_document": form.get("source_document", ""),
                "reporting_agency_id": as_int(form.get("reporting_agency_id")),
                "frequency": form.get("frequency") or None,
                "contributing_agency_ids": ids(form, "contributing_agency_ids")}


def by_field(problems: list[FieldProblem]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in problems:
        found.setdefault(problem.field or "_form", []).append(problem.msg_vi)
    return found


# ---------------------------------------------------------------- one's notifications


class NotificationChoicesForm(PageForm):
    """"Tài khoản của tôi"'s "Cách nhận thông báo": `notifications.update_preferences` (each kind's mode, posted as
    `mode_<kind>`, and the digest's hour), refused by the service field by field."""

    modes: dict[str, str] = {}
    digest_hour: int | None = None

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        hour = form.get("digest_hour")
        return {"modes": {name.removeprefix("mode_"): value for name, value in form.items()
                          if name.startswith("mode_") and isinstance(value, str)},
                "digest_hour": None if not hour else (as_int(hour) if as_int(hour) is not None else -1)}


class EmailAddressForm(PageForm):
    """"Tài khoản của tôi"'s "Địa chỉ thư điện tử": `notifications.set_address` (used once proven by its link)."""

    email: str = ""

    @classmethod
    def posted(cls, form: dict[str, Any]) -> dict[str, Any]:
        return {"email": form.get("email") or ""}

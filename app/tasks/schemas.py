from datetime import date
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, create_model

from app.agencies.schemas import AgencyRef, NamedAgency
from app.tasks.models import (
    CommentKind,
    DeliverableType,
    ExtensionKind,
    ExtensionStatus,
    ReportingCadence,
    TaskBase,
    TaskStatus,
)
from app.tasks.status import JournalKind
from app.tasks.timing import Timing, TimingGroup
from app.types import FIRST_DAY, LAST_DAY, ChangedFields, Id, Instant, NoNul


class TaskCreate(NoNul):
    """Every "rõ" is optional here so that the service can name all the missing ones in one 422."""

    model_config = ConfigDict(extra="forbid")

    directive_id: Id
    external_ref: str | None = Field(default=None, max_length=100)
    clause_ref: str | None = Field(default=None, max_length=100)
    title: str | None = Field(default=None, max_length=1000)
    objective: str | None = Field(default=None, max_length=2000)
    lead_agency_id: Id | None = None
    coordinating_agency_ids: list[Id] = Field(default_factory=list, max_length=50)
    accountable_official: str | None = Field(default=None, max_length=300)
    deadline: str | None = Field(default=None, max_length=200,
                                 description="'31/12/2027', 'tháng 8/2027', 'quý III/2027', '6 tháng đầu năm 2027', "
                                             "'năm 2027', 'trong 30 ngày' (from the directive's date); a standing "
                                             "task: 'thường xuyên', 'hằng quý', 'hằng tháng', 'hằng năm'")
    reporting_cadence: ReportingCadence | None = Field(
        default=None, description="a standing task's periodic reports (default quarterly for 'thường xuyên')")
    deliverable_type: DeliverableType | None = None
    deliverable_description: str | None = Field(default=None, max_length=2000)
    expected_result: str | None = Field(default=None, max_length=2000)
    priority: bool = False


class TaskUpdate(NoNul):
    """Secretariat edits. The deadline is not here: it moves only by an approved extension request."""

    model_config = ConfigDict(extra="forbid")

    clause_ref: str | None = Field(default=None, max_length=100)
    title: str | None = Field(default=None, max_length=1000)
    objective: str | None = Field(default=None, max_length=2000)
    lead_agency_id: Id | None = None
    coordinating_agency_ids: list[Id] | None = Field(default=None, max_length=50)
    accountable_official: str | None = Field(default=None, max_length=300)
    deliverable_type: DeliverableType | None = None
    deliverable_description: str | None = Field(default=None, max_length=2000)
    expected_result: str | None = Field(default=None, max_length=2000)
    priority: bool | None = None


class Evidence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document_number: str = Field(min_length=1, max_length=100)
    document_date: date
    url: HttpUrl | None = None


class ProgressReport(NoNul):
    model_config = ConfigDict(extra="forbid")

    status: Literal["in_progress", "reported_done"]
    progress_percent: int = Field(ge=0, le=100)
    note: str = Field(min_length=1, max_length=5000)
    evidence: Evidence | None = None
    completed_on: date | None = Field(default=None, description="defaults to the evidence date")
    file_ids: list[Id] = Field(default_factory=list, max_length=100, description=(
        "evidence files uploaded to the task first (POST /tasks/{id}/files, by the reporter's agency, attached to no "
        "report yet) that this report carries: the journal row lists them"))


class ReviewDecision(NoNul):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, max_length=5000)


class ExtensionRequestCreate(NoNul):
    model_config = ConfigDict(extra="forbid")

    kind: ExtensionKind = ExtensionKind.extend
    requested_deadline: str | None = Field(default=None, max_length=200)
    reason: str = Field(min_length=1, max_length=5000)


class ExtensionDecision(NoNul):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["approved", "rejected"]
    note: str | None = Field(default=None, max_length=5000)
    approved_deadline: str | None = Field(
        default=None, max_length=200,
        description="approving an extension for less than was asked: the deadline granted, in any deadline wording "
                    "(after the current deadline, not in the past, not after the date requested); left out, the date "
                    "requested")


class TaskRemoval(NoNul):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=5000, description="why the task was recorded by mistake")


class DirectiveSummary(BaseModel):
    id: int
    number: str
    issued_on: date
    reference: str = Field(description='number and year: "128/TB-VPCP (2022)"')


class EvidencePublic(BaseModel):
    """The document a completion report names, as the task and its journal keep it."""

    document_number: str
    document_date: date
    url: str | None = None


class JournaledFile(BaseModel):
    """An evidence file as a report's journal row keeps it (`data.files`)."""

    id: int
    name: str = Field(description="as sent, without any folder")
    size: int = Field(description="bytes")
    media_type: str = Field(description="read from the content: application/pdf, the DOCX and XLSX types, image/png, "
                                        "image/jpeg")
    sha256: str
    uploaded_at: Instant
    uploaded_by: str | None = Field(description='the person ("Nguyễn Văn A — Bộ Tài chính") or the agency')
    uploaded_by_agency_id: int | None
    download_url: str


class EvidenceFilePublic(JournaledFile):
    task_id: int
    report_event_id: int | None = Field(description="the journal row of the report that carries it; null: uploaded, "
                                                    "not yet named by a report (seen by its agency only)")


class EvidenceFileList(BaseModel):
    items: list[EvidenceFilePublic]


class TaskPublic(TaskBase):
    id: int
    external_ref: str | None
    directive: DirectiveSummary
    lead_agency: AgencyRef
    coordinating_agency_ids: list[int]
    coordinating_agencies: list[AgencyRef]
    deadline_text: str
    deadline_on: date = Field(description="the deadline in force; for a standing task, when its next periodic report "
                                          "is due")
    reporting_cadence: ReportingCadence | None = Field(description="standing tasks only (no deadline): monthly, "
                                                                   "quarterly or yearly reports")
    effective_deadline_on: date = Field(description="deadline_on, or the next working day when it falls on a day off "
                                                    "(Civil Code Art. 148); timing and days_overdue follow it")
    original_deadline_on: date
    status: TaskStatus
    progress_percent: int
    latest_note: str | None
    completed_on: date | None
    evidence: EvidencePublic | None = Field(description="the document a completion report named (until the report is "
                                                        "sent back)")
    timing: Timing
    days_overdue: int
    version: int
    created_at: Instant
    updated_at: Instant


class TaskDetail(TaskPublic):
    """One task as GET /tasks/{id} answers it: with the evidence files its reports carry."""

    files: list[EvidenceFilePublic] = Field(description="the evidence files its reports carry, newest report first")


class TaskPage(BaseModel):
    items: list[TaskPublic]
    next_cursor: str | None
    total: int


# ---------------------------------------------------------------- the journal (GET /tasks/{id}/history)


class JournalData(BaseModel):
    """What a journal row keeps in `data`: the keys below, and any other a row holds is answered as kept (a row is
    never rewritten by its reading)."""

    model_config = ConfigDict(extra="allow")


class TaskFields(ChangedFields):
    """Fields of a task before or after a change."""

    clause_ref: str | None = None
    title: str | None = None
    objective: str | None = None
    lead_agency_id: int | None = None
    coordinating_agency_ids: list[int] | None = None
    accountable_official: str | None = None
    deliverable_type: DeliverableType | None = None
    deliverable_description: str | None = None
    expected_result: str | None = None
    priority: bool | None = None


class TaskChange(JournalData):
    """`updated` (the secretariat's edit) and `reassigned` (the lead agency merged into its successor)."""

    before: TaskFields
    after: TaskFields


class SourceSpan(BaseModel):
    start: int
    end: int


class ImportOrigin(JournalData):
    """A task made from a notice read by the importer (`POST /imports/{id}/commit`)."""

    import_id: int
    draft: int = Field(description="the draft's number in the import")
    source: SourceSpan = Field(description="where in the notice's text the draft came from")
    from_segment: int | None = None
    unread_segments: list[int] | None = Field(default=None, description="segments left unread at the commit")
    unread_confirmed: bool | None = None


class TaskCreated(JournalData):
    deadline_text: str
    origin: ImportOrigin | None = None


class ReportData(JournalData):
    """`progress_reported` and `completion_reported`."""

    progress_percent: int
    evidence: EvidencePublic | None
    completed_on: date | None
    files: list[JournaledFile] = Field(default_factory=list, description="the evidence files the report carries")


class ExtensionAsked(JournalData):
    request_id: int
    kind: ExtensionKind
    requested_deadline_on: date | None
    requested_deadline_text: str | None


class ExtensionDecided(JournalData):
    """`deadline_extended` (with the deadlines), `extension_rejected`, `withdrawn`."""

    request_id: int
    kind: ExtensionKind
    decision: Literal["approved", "rejected"]
    from_deadline_on: date | None = None
    to_deadline_on: date | None = None
    requested_deadline_on: date | None = None


class CommentOfEvent(JournalData):
    """`commented`, `explanation_requested`, `explanation_answered`: the text is the row's `note`."""

    comment_id: int
    comment_kind: CommentKind
    author_agency: NamedAgency | None
    answers_id: int | None = None


class ReminderOfEvent(JournalData):
    note: str | None
    forced: bool
    force_reason: str | None


class _TaskEventBase(BaseModel):
    id: int
    occurred_at: Instant
    from_status: TaskStatus | None
    to_status: TaskStatus
    note: str | None
    actor_token_id: int | None
    actor_account_id: int | None = None
    actor: str | None = Field(default=None, description='the person, "Nguyễn Văn A — Bộ Tài chính", for a change '
                                                       "made on the web pages")
    actor_agency: AgencyRef | None
    deadline_on: date
    progress_percent: int = Field(description="the task's progress after the event")


# What each kind of journal row carries in `data` (None: nothing beyond the row itself).
DATA_OF_KIND: dict[JournalKind, type[BaseModel] | None] = {
    JournalKind.created: TaskCreated, JournalKind.updated: TaskChange,
    JournalKind.progress_reported: ReportData, JournalKind.completion_reported: ReportData,
    JournalKind.completion_accepted: None, JournalKind.completion_rejected: None,
    JournalKind.extension_requested: ExtensionAsked, JournalKind.deadline_extended: ExtensionDecided,
    JournalKind.extension_rejected: ExtensionDecided, JournalKind.withdrawn: ExtensionDecided,
    JournalKind.reassigned: TaskChange, JournalKind.removed: None,
    JournalKind.commented: CommentOfEvent, JournalKind.explanation_requested: CommentOfEvent,
    JournalKind.explanation_answered: CommentOfEvent, JournalKind.reminded: ReminderOfEvent,
}


def _event_of(kind: JournalKind, data: type[BaseModel] | None) -> type[BaseModel]:
    name = "TaskEvent" + "".join(part.title() for part in kind.value.split("_"))
    return create_model(name, __base__=_TaskEventBase, __doc__=f"A journal row of kind `{kind.value}`.",
                        kind=(Literal[kind.value], ...), data=(data if data is not None else None, ...))


# One journal row, told apart by `kind`.
TASK_EVENTS = tuple(_event_of(kind, data) for kind, data in DATA_OF_KIND.items())
TaskEventPublic = Annotated[Union[TASK_EVENTS], Field(discriminator="kind")]  # noqa: UP007


class TaskEventPage(BaseModel):
    items: list[TaskEventPublic]
    next_cursor: str | None


class RequestTask(BaseModel):
    id: int
    title: str
    status: TaskStatus
    deadline_on: date
    lead_agency: AgencyRef
    directive: DirectiveSummary


class ExtensionRequestPublic(BaseModel):
    id: int
    task_id: int
    kind: ExtensionKind
    requested_deadline_text: str | None
    requested_deadline_on: date | None
    approved_deadline_on: date | None = Field(default=None, description="the deadline granted, when an extension "
                                                                        "was approved (it may be shorter than asked)")
    previous_deadline_on: date
    reason: str
    status: ExtensionStatus
    requested_by_agency_id: int | None
    requested_at: Instant
    decided_at: Instant | None
    decision_note: str | None
    task: RequestTask


class ExtensionRequestPage(BaseModel):
    items: list[ExtensionRequestPublic]
    next_cursor: str | None


# ---------------------------------------------------------------- a task's thread (app/tasks/comments.py)


class CommentCreate(NoNul):
    model_config = ConfigDict(extra="forbid")

    comment: str = Field(min_length=1, max_length=2000)
    asks_explanation: bool = Field(default=False, description="the secretariat asks the lead agency to explain "
                                                              "(\"yêu cầu giải trình\"): open until the lead answers")


class ExplanationAnswer(NoNul):
    model_config = ConfigDict(extra="forbid")

    comment: str = Field(min_length=1, max_length=2000, description="the explanation")


class CommentPublic(BaseModel):
    id: int
    task_id: int
    kind: CommentKind = Field(description="comment, explanation_request or explanation_answer")
    comment: str
    created_at: Instant
    author: str | None = Field(default=None, description='the person, "Nguyễn Văn A — Bộ Tài chính", when written '
                                                        "on the web pages")
    author_agency: AgencyRef | None
    answers_id: int | None = Field(default=None, description="an answer: the request it answers")
    explanation_status: Literal["open", "answered"] | None = Field(
        default=None, description="a request: open until the lead agency answers it")
    answered_at: Instant | None = None
    answer_id: int | None = None


class CommentPage(BaseModel):
    items: list[CommentPublic]
    next_cursor: str | None


# ---------------------------------------------------------------- reminders ("đôn đốc", app/tasks/reminders.py)


class ReminderCreate(NoNul):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, max_length=2000, description="what the lead agency is told besides")
    force: bool = Field(default=False, description="remind again a task already reminded today (with force_reason)")
    force_reason: str | None = Field(default=None, max_length=2000)


class ReminderFilters(NoNul):
    """The filters of GET /tasks: the tasks that list shows are reminded."""

    model_config = ConfigDict(extra="forbid")

    lead_agency_id: Id | None = None
    lead_agency_code: str | None = Field(default=None, max_length=20)
    directive_id: Id | None = None
    meeting_date: date | None = Field(default=None, ge=FIRST_DAY, le=LAST_DAY)
    status: TaskStatus | None = None
    timing: Timing | TimingGroup | None = None
    deadline_before: date | None = Field(default=None, ge=FIRST_DAY, le=LAST_DAY)
    deadline_after: date | None = Field(default=None, ge=FIRST_DAY, le=LAST_DAY)
    priority: bool | None = None
    q: str | None = Field(default=None, max_length=200)
    awaiting: Literal["acceptance", "decision", "explanation"] | None = None


class ReminderBulk(ReminderCreate):
    task_ids: list[Id] | None = Field(default=None, min_length=1, max_length=500)
    filters: ReminderFilters | None = Field(default=None, description="the tasks GET /tasks lists with these filters")


class ReminderPublic(BaseModel):
    task_id: int
    title: str
    journal_id: int
    reminded_at: Instant
    lead_agency: AgencyRef
    note: str | None
    forced: bool = Field(description="sent although the task was reminded earlier the same day")
    force_reason: str | None


class ReminderSkip(BaseModel):
    task_id: int
    title: str | None
    code: Literal["already_reminded", "not_remindable", "not_found"]
    message: str
    message_vi: str
    reminded_at: Instant | None = Field(default=None, description="already_reminded: when, today")


class ReminderBulkResult(BaseModel):
    reminded: list[ReminderPublic]
    skipped: list[ReminderSkip]

"""What a subscriber receives, event type by event type: the body `{"type", "timestamp", "data"}` as pydantic models,
for the OpenAPI document (its `webhooks` section and the message log's `payload`). The bodies are written by
app/webhooks/payloads.py, app/alerts/service.py and app/alerts/indicators.py; the test suite checks every body its
receiver gets against these models' schemas, so what is written here is what is sent."""

from datetime import date
from typing import Annotated, Literal, Union

from pydantic import BaseModel, Field, create_model

from app.agencies.schemas import NamedAgency
from app.indicators.judgement import Comparator, Direction, Frequency, Kind, Status
from app.tasks.models import CommentKind, ExtensionKind, ReportingCadence
from app.tasks.status import JournalKind, TaskStatus
from app.tasks.timing import Timing
from app.types import Instant
from app.webhooks.models import PING, EventType


class DirectiveOfTask(BaseModel):
    id: int
    number: str
    issued_on: date


class WebhookTask(BaseModel):
    """The task as it stood after the event (an alert: on the day it is sent), `timing` and `days_overdue` judged
    on that day against the deadline's effective day, and `text`, one ready-to-post Vietnamese line."""

    task_id: int
    title: str
    directive: DirectiveOfTask
    lead_agency: NamedAgency
    accountable_official: str
    deadline_on: date = Field(description="the deadline in force (a standing task: its next periodic report)")
    effective_deadline_on: date = Field(description="the next working day when the deadline falls on a day off")
    original_deadline_on: date
    reporting_cadence: ReportingCadence | None
    status: TaskStatus
    timing: Timing
    days_overdue: int
    priority: bool
    progress_percent: int
    completed_on: date | None
    url: str = Field(description="the task's page, what a person opens from a chat message or an e-mail")
    api_url: str = Field(description="the task in the API")
    text: str = Field(description="one ready-to-post Vietnamese line")


class JournalEntryOfEvent(BaseModel):
    """The journal row the event is (GET /tasks/{id}/history)."""

    journal_id: int
    kind: JournalKind
    from_status: TaskStatus | None
    note: str | None = Field(description="the row's note (a comment's or a reminder's text), at most 2,000 "
                                         "characters")
    occurred_at: Instant


class WebhookTaskChange(WebhookTask):
    event: JournalEntryOfEvent


class ExtensionOfEvent(BaseModel):
    request_id: int
    kind: ExtensionKind
    requested_deadline_on: date | None = None
    decision: Literal["approved", "rejected"] | None = Field(default=None, description="task.extension_decided")
    from_deadline_on: date | None = Field(default=None, description="an approved extension: the deadline before")
    to_deadline_on: date | None = Field(default=None, description="an approved extension: the deadline granted")


class WebhookExtensionChange(WebhookTaskChange):
    extension: ExtensionOfEvent


class CommentOfWebhook(BaseModel):
    id: int
    kind: CommentKind
    text: str | None
    author_agency: NamedAgency | None = Field(description="null: the secretariat's operator")
    answers_id: int | None = Field(description="an answer: the request for an explanation it answers")


class WebhookCommentChange(WebhookTaskChange):
    comment: CommentOfWebhook


class ReminderOfWebhook(BaseModel):
    note: str | None
    forced: bool = Field(description="sent although the task was reminded earlier the same day")
    force_reason: str | None


class WebhookReminderChange(WebhookTaskChange):
    reminder: ReminderOfWebhook


class AlertWindow(BaseModel):
    kind: Literal[EventType.task_due_soon, EventType.task_due_today, EventType.task_overdue,
                  EventType.task_escalated]
    window: str = Field(description="the alert's key: once per task, deadline and window")
    days: int = Field(description="days left (task.due_soon) or past the effective deadline")


class WebhookTaskAlert(WebhookTask):
    alert: AlertWindow


class WebhookTaskDigest(BaseModel):
    """A digest subscription's alerts of one kind from one scan, in one message."""

    digest: Literal[True]
    count: int = Field(description="the alerts of this kind the scan raised for the subscription")
    truncated: bool = Field(description="more than the 100 tasks listed")
    tasks: list[WebhookTask]
    text: str


class IndicatorOfAlert(BaseModel):
    id: int
    code: str
    name: str
    unit: str
    kind: Kind
    direction: Direction
    comparator: Comparator
    frequency: Frequency
    group_name: str
    source_directive_id: int | None
    reporting_agency: NamedAgency
    url: str
    api_url: str


class TargetOfAlert(BaseModel):
    id: int
    period: str
    starts_on: date
    ends_on: date
    value: float
    baseline_value: float
    baseline_on: date


class ReadingOfAlert(BaseModel):
    id: int
    period: str
    value: float
    numerator: float | None
    denominator: float | None
    official: bool
    recorded_at: Instant


class WebhookIndicator(BaseModel):
    """The indicator judged on `as_of` against the target it is alerted for."""

    indicator: IndicatorOfAlert
    status: Status
    as_of: date
    target: TargetOfAlert
    latest: ReadingOfAlert | None
    task_ids: list[int]
    text: str


class IndicatorAlertKey(BaseModel):
    kind: Literal[EventType.indicator_off_track, EventType.indicator_no_data, EventType.indicator_achieved]
    period: str
    key: str = Field(description="once per subscription, indicator, target period and kind")


class WebhookIndicatorAlert(WebhookIndicator):
    alert: IndicatorAlertKey


class WebhookIndicatorDigest(BaseModel):
    digest: Literal[True]
    count: int
    truncated: bool = Field(description="more than the 100 indicators listed")
    indicators: list[WebhookIndicator]
    text: str


class WebhookEndpointDisabled(BaseModel):
    endpoint_id: int
    url: str
    owner_agency: NamedAgency
    reason: str
    text: str


class WebhookPing(BaseModel):
    endpoint_id: int
    text: str


_TASK_ALERT = Union[WebhookTaskAlert, WebhookTaskDigest]  # noqa: UP007
_INDICATOR_ALERT = Union[WebhookIndicatorAlert, WebhookIndicatorDigest]  # noqa: UP007

# Every event type: its data, and what it means (English, then Vietnamese).
EVENTS: dict[str, tuple[object, str]] = {
    EventType.task_created: (WebhookTaskChange, "A task was recorded. Nhiệm vụ mới được giao."),
    EventType.task_updated: (WebhookTaskChange, "The secretariat edited a task. Nhiệm vụ được cập nhật."),
    EventType.task_progress_reported: (WebhookTaskChange, "A progress or completion report (`event.kind`). Cơ quan "
                                                          "chủ trì báo cáo tiến độ hoặc báo cáo hoàn thành."),
    EventType.task_completed: (WebhookTaskChange, "A reported completion was accepted. Nhiệm vụ đã hoàn thành."),
    EventType.task_reopened: (WebhookTaskChange, "A reported completion was sent back. Kết quả chưa được chấp nhận, "
                                                 "nhiệm vụ tiếp tục thực hiện."),
    EventType.task_extension_requested: (WebhookExtensionChange, "An extension or a withdrawal was asked for. Đề "
                                                                 "nghị gia hạn hoặc rút nhiệm vụ."),
    EventType.task_extension_decided: (WebhookExtensionChange, "A request was decided: extended, rejected or "
                                                               "withdrawn. Đề nghị đã được quyết định."),
    EventType.task_removed: (WebhookTaskChange, "A task recorded by mistake was taken out: stop tracking it. "
                                                "Nhiệm vụ bị xóa vì giao nhầm."),
    EventType.task_commented: (WebhookCommentChange, "A comment in the task's thread. Ý kiến trao đổi về nhiệm vụ."),
    EventType.task_explanation_requested: (WebhookCommentChange, "The secretariat asks the lead agency to explain. "
                                                                 "Yêu cầu giải trình."),
    EventType.task_explanation_answered: (WebhookCommentChange, "The lead agency's explanation, closing the request. "
                                                                "Cơ quan chủ trì giải trình."),
    EventType.task_reminded: (WebhookReminderChange, "The secretariat reminds the lead agency. Đôn đốc thực hiện "
                                                     "nhiệm vụ."),
    EventType.task_due_soon: (_TASK_ALERT, "The deadline is near (the subscription's windows, e.g. 7, 3 and 1 days "
                                           "left). Nhiệm vụ sắp đến hạn."),
    EventType.task_due_today: (_TASK_ALERT, "The deadline is today. Nhiệm vụ đến hạn hôm nay."),
    EventType.task_overdue: (_TASK_ALERT, "The deadline has passed (repeated every few days). Nhiệm vụ quá hạn."),
    EventType.task_escalated: (_TASK_ALERT, "Long overdue: for the accountable official. Quá hạn cần chỉ đạo xử lý."),
    EventType.task_overdue_resolved: (WebhookTask, "A task the subscription was told was overdue is completed or "
                                                   "withdrawn. Nhiệm vụ từng quá hạn đã được xử lý."),
    EventType.indicator_off_track: (_INDICATOR_ALERT, "An indicator is off track for its target. Chỉ tiêu không "
                                                      "đạt tiến độ."),
    EventType.indicator_no_data: (_INDICATOR_ALERT, "No value was reported for an indicator. Chỉ tiêu chưa có số "
                                                    "liệu."),
    EventType.indicator_achieved: (_INDICATOR_ALERT, "An indicator reached its target. Chỉ tiêu đã đạt."),
    EventType.endpoint_disabled: (WebhookEndpointDisabled, "A subscription of the agency was switched off (410, or "
                                                           "no success for 5 days). Webhook đã bị tắt."),
    PING: (WebhookPing, "Sent only by POST /webhooks/{id}/test. Kiểm tra kết nối."),
}


def _name(event_type: str) -> str:
    return "".join(part.title() for part in event_type.replace(".", "_").split("_")) + "Webhook"


def _envelope(event_type: str, data: object, description: str) -> type[BaseModel]:
    return create_model(
        _name(event_type), __doc__=description,
        type=(Literal[event_type], ...),  # noqa: UP007
        timestamp=(Instant, Field(description="when it happened: the journal row's time, or the scan's")),
        data=(data, ...))


PAYLOADS: dict[str, type[BaseModel]] = {str(t): _envelope(str(t), data, text) for t, (data, text) in EVENTS.items()}
# Any body, told apart by `type`.
WebhookPayload = Annotated[Union[tuple(PAYLOADS.values())], Field(discriminator="type")]  # noqa: UP007

"""Every table, imported in one place for Alembic."""

from app.agencies.models import Agency
from app.alerts.models import AlertDigestEntry, AlertScanState, IndicatorDigestEntry
from app.auth.models import Account, ApiToken, LoginAttempt, WebSession
from app.calendar.models import CalendarDay, CalendarState, EffectiveDay
from app.directives.models import Directive, DirectiveEvent
from app.idempotency import IdempotencyRecord
from app.imports.models import NoticeImport
from app.indicators.models import Indicator, IndicatorMeasurement, IndicatorTarget, IndicatorTask
from app.notifications.models import (
    EmailAttempt,
    EmailMessage,
    Notification,
    NotificationPreference,
    NotificationScanState,
    NotificationSettings,
)
from app.reports.models import ReportSettings
from app.tasks.evidence import EvidenceFile
from app.tasks.models import ExtensionRequest, QueuedTaskEvent, Task, TaskComment, TaskEvent
from app.webhooks.models import (
    WebhookAttempt,
    WebhookEndpoint,
    WebhookEndpointFilter,
    WebhookMessage,
)

__all__ = [
    "Account", "AlertDigestEntry", "AlertScanState", "Agency", "ApiToken", "CalendarDay", "CalendarState",
    "Directive", "DirectiveEvent", "EffectiveDay", "ExtensionRequest", "IdempotencyRecord", "Indicator",
    "IndicatorDigestEntry", "IndicatorMeasurement", "IndicatorTarget", "IndicatorTask", "LoginAttempt",
    "NoticeImport", "QueuedTaskEvent", "ReportSettings", "Task", "TaskEvent", "WebSession", "WebhookAttempt",
    "WebhookEndpoint", "WebhookEndpointFilter", "WebhookMessage", "TaskComment",
    "EvidenceFile",
    "EmailAttempt", "EmailMessage", "Notification", "NotificationPreference", "NotificationScanState",
    "NotificationSettings",
]

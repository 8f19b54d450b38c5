"""Every table, imported in one place for Alembic."""

from app.agencies.models import Agency
from app.auth.models import ApiToken
from app.directives.models import Directive
from app.tasks.models import ExtensionRequest, IdempotencyRecord, Task, TaskEvent
from app.webhooks.models import WebhookAttempt, WebhookEndpoint, WebhookMessage, WebhookOutbox

__all__ = ["Agency", "ApiToken", "Directive", "ExtensionRequest", "IdempotencyRecord", "Task", "TaskEvent",
           "WebhookAttempt", "WebhookEndpoint", "WebhookMessage", "WebhookOutbox"]

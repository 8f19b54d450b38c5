from datetime import datetime

from fastapi import APIRouter

from app import concurrency
from app.alerts import service
from app.alerts.schemas import AlertPreview
from app.auth.dependencies import CurrentPrincipal
from app.auth.models import Role
from app.config import get_settings
from app.db import open_session
from app.errors import FieldProblem, InvalidInput
from app.types import utcnow
from app.webhooks import service as webhook_service

router = APIRouter(prefix="/alerts", tags=["alerts"])


@router.get("/preview", response_model=AlertPreview)
async def preview_alerts(principal: CurrentPrincipal, as_of: datetime | None = None):
    """What the deadline scan would raise at `as_of` (default now), per subscription (yours; the secretariat's:
    all), without sending or keeping anything. Windows already alerted are not repeated."""
    if as_of is not None and as_of.tzinfo is None:
        raise InvalidInput([FieldProblem("as_of", "give a time zone, e.g. 2026-11-23T08:00:00+07:00",
                                         "cần ghi múi giờ, ví dụ 2026-11-23T08:00:00+07:00")])
    moment = as_of or utcnow()

    def run() -> list[dict]:
        with open_session(write=True) as session:
            visible = None if principal.role == Role.secretariat else {
                e.id for e in webhook_service.list_endpoints(session=session, principal=principal)}
            try:
                return service.preview(session=session, now=moment, settings=get_settings(), endpoint_ids=visible)
            finally:
                session.rollback()

    return {"as_of": moment, "subscriptions": await concurrency.run_heavy(run)}

from datetime import datetime

from fastapi import APIRouter

from app import concurrency
from app.alerts import service
from app.alerts.schemas import AlertPreview
from app.auth.dependencies import CurrentPrincipal
from app.auth.models import Role
from app.config import get_settings
from app.types import check_moment, utcnow
from app.webhooks import service as webhook_service

router = APIRouter(prefix="/alerts", tags=["alerts"])


@router.get("/preview", response_model=AlertPreview)
async def preview_alerts(principal: CurrentPrincipal, as_of: datetime | None = None):
    """What the deadline scan would raise at `as_of` (default now), per subscription (yours; the secretariat's:
    all), without sending or keeping anything. Windows already alerted are not repeated."""
    if as_of is not None:
        check_moment("as_of", as_of)
    moment = as_of or utcnow()

    def run(session) -> list[dict]:
        # A write session because the preview runs the real scan; it is never committed, so nothing is kept.
        visible = None if principal.role == Role.secretariat else {
            e.id for e in webhook_service.list_endpoints(session=session, principal=principal)}
        return service.preview(session=session, now=moment, settings=get_settings(), endpoint_ids=visible)

    return {"as_of": moment, "subscriptions": await concurrency.run_heavy_in_session(run, write=True)}

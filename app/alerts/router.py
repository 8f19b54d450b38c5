from datetime import datetime

from fastapi import APIRouter

from app import unit_of_work
from app.alerts import service
from app.alerts.schemas import AlertPreview
from app.auth.dependencies import CurrentPrincipal
from app.clock import utcnow
from app.config import get_settings
from app.types import check_moment

router = APIRouter(prefix="/alerts", tags=["alerts"])


@router.get("/preview", response_model=AlertPreview)
async def preview_alerts(principal: CurrentPrincipal, as_of: datetime | None = None):
    """What the deadline scan would raise at `as_of` (default now), per subscription (yours; the secretariat's:
    all), without sending or keeping anything. Windows already alerted are not repeated."""
    if as_of is not None:
        check_moment("as_of", as_of)
    moment = as_of or utcnow()
    # The preview runs the real scan in a write transaction that is always rolled back: nothing is kept.
    subscriptions = await unit_of_work.heavy(
        lambda session: service.preview(session=session, now=moment, settings=get_settings(), principal=principal),
        dry_run=True)
    return {"as_of": moment, "subscriptions": subscriptions}

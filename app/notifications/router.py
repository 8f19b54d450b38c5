from typing import Annotated

from fastapi import APIRouter, Query

from app import unit_of_work
from app.auth.dependencies import CurrentPrincipal
from app.notifications import service
from app.notifications.schemas import MarkedRead, NotificationPage, NotificationPublic, Preferences, PreferencesUpdate
from app.types import PathId

router = APIRouter(prefix="/me", tags=["notifications"])


@router.get("/notifications", response_model=NotificationPage)
async def list_notifications(principal: CurrentPrincipal, unread: bool = False,
                             limit: Annotated[int, Query(ge=1, le=200)] = 50, cursor: str | None = None):
    """The caller's inbox, newest first: the signed-in person's, or, for an API token, the person who made it on their
    account page."""
    def read(session):
        account = service.account_of(session=session, principal=principal)
        items, next_cursor = service.inbox(session=session, account=account, unread_only=unread, limit=limit,
                                           cursor=cursor)
        return {"items": items, "next_cursor": next_cursor,
                "unread": service.unread_count(session=session, account_id=account.id)}

    return await unit_of_work.read(read)


@router.post("/notifications/read", response_model=MarkedRead)
async def mark_all_read(principal: CurrentPrincipal):
    """Marks every notification of the caller's inbox read; answers how many were."""
    return await unit_of_work.write(lambda session: {"marked": service.mark_all_read(
        session=session, account=service.account_of(session=session, principal=principal))})


@router.post("/notifications/{notification_id}/read", response_model=NotificationPublic)
async def mark_read(notification_id: PathId, principal: CurrentPrincipal):
    """Marks one notification read."""
    return await unit_of_work.write(lambda session: service.mark_read(
        session=session, account=service.account_of(session=session, principal=principal),
        notification_id=notification_id))


@router.get("/notification-preferences", response_model=Preferences)
async def get_preferences(principal: CurrentPrincipal):
    """What the caller receives, kind by kind (immediate, in the daily digest, or not at all), the digest's hour and
    the e-mail address."""
    return await unit_of_work.read(lambda session: service.preferences(
        session=session, account=service.account_of(session=session, principal=principal)))


@router.put("/notification-preferences", response_model=Preferences)
async def put_preferences(body: PreferencesUpdate, principal: CurrentPrincipal):
    """Changes what is sent: kinds (`{"overdue": "digest"}`), the digest's hour, the e-mail address (a new one is
    used once proven by the link sent to it)."""
    def write(session):
        account = service.account_of(session=session, principal=principal)
        service.update_preferences(session=session, account=account, modes=body.kinds, digest_hour=body.digest_hour)
        if body.email is not None and body.email.strip() != (account.email or ""):
            service.set_address(session=session, account=account, address=body.email)
        return service.preferences(session=session, account=account)

    return await unit_of_work.write(write)

from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from app.auth import service
from app.auth.schemas import Principal
from app.db import get_session, get_write_session
from app.errors import ApiError, forbidden

ReadSession = Annotated[Session, Depends(get_session)]
WriteSession = Annotated[Session, Depends(get_write_session)]


def current_principal(request: Request, session: ReadSession) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise ApiError(401, "Missing bearer token", "Thiếu mã truy cập (Authorization: Bearer ...)",
                       code="unauthorized", headers={"WWW-Authenticate": "Bearer"})
    principal = service.authenticate(session=session, raw_token=raw.strip())
    # The read transaction ends here so that the endpoint's own session starts a fresh one.
    session.rollback()
    if principal is None:
        raise ApiError(401, "Invalid or revoked token", "Mã truy cập không hợp lệ hoặc đã bị thu hồi",
                       code="unauthorized", headers={"WWW-Authenticate": "Bearer"})
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_secretariat(principal: Principal) -> None:
    if not principal.is_secretariat:
        raise forbidden("Only the secretariat may do this", "Chỉ Tổ giúp việc (thư ký) được thực hiện thao tác này")


def require_writer(principal: Principal) -> None:
    if principal.role == "observer":
        raise forbidden("Observers have read-only access", "Người theo dõi chỉ có quyền xem")

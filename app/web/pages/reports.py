"""Pages: reports."""


from fastapi import APIRouter, Request
from pydantic import ValidationError

from app import unit_of_work
from app.directives import service as directive_service
from app.errors import ApiError, InvalidInput
from app.reports import export as report_export
from app.reports import router as report_router
from app.reports import service as report_service
from app.reports.schemas import DocumentSettings
from app.web import service
from app.web.common import as_day, as_int, form_of, from_validation, redirect, render, require_user

router = APIRouter(include_in_schema=False)

# ---------------------------------------------------------------- reports


@router.get("/reports")
async def report_page(request: Request, directive_id: str | None = None, meeting_date: str | None = None,
                      as_of: str | None = None, lead_agency_id: str | None = None):
    user = await require_user(request)
    day = as_day(as_of) or service.today()

    def read(session):
        scope = report_service.resolve_scope(session=session, principal=user.principal,
                                             directive_id=as_int(directive_id), meeting_date=as_day(meeting_date),
                                             lead_agency_id=as_int(lead_agency_id))
        return {"scope": scope, "directives": directive_service.list_directives(session=session)}

    view = await unit_of_work.heavy(read)
    view["report"], view["rows"] = await unit_of_work.heavy_call(report_export.page_view, view["scope"], day)
    view["settings"] = await unit_of_work.read(lambda session: report_service.document_settings(session=session))
    return render(request, "report.html", user, as_of=day, directive_id=as_int(directive_id),
                  meeting_date=as_day(meeting_date), **view)


@router.get("/reports/download")
async def report_download(request: Request, format: str = "xlsx", directive_id: str | None = None,  # noqa: A002
                          meeting_date: str | None = None, as_of: str | None = None,
                          lead_agency_id: str | None = None, number: str | None = None,
                          issued_on: str | None = None, signer_name: str | None = None,
                          signer_position: str | None = None):
    user = await require_user(request)
    if format not in report_export.FORMATS:
        raise ApiError.of(404, "no_such_format", code="not_found")
    day = as_day(as_of) or service.today()
    scope = await unit_of_work.heavy(lambda session: report_service.resolve_scope(
        session=session, principal=user.principal, directive_id=as_int(directive_id), meeting_date=as_day(meeting_date),
        lead_agency_id=as_int(lead_agency_id)))
    return await report_router.completion_download(scope, day, format, {
        "number": (number or "")[:50], "issued_on": as_day(issued_on), "signer_name": (signer_name or "")[:100],
        "signer_position": (signer_position or "")[:200]})


@router.post("/reports/settings")
async def report_settings_save(request: Request):
    user = await require_user(request)
    form = await form_of(request, user)
    values = {k: form.get(k, "") for k in ("parent_body", "issuing_body", "symbol", "place", "signer_authority",
                                           "signer_position", "signer_name")}
    values["recipients"] = [line.strip() for line in (form.get("recipients") or "").splitlines() if line.strip()]
    try:
        settings_in = DocumentSettings(**values)
        await unit_of_work.write(lambda session: report_service.save_document_settings(
            session=session, principal=user.principal, settings_in=settings_in))
    except (InvalidInput, ValidationError) as error:
        error = error if isinstance(error, InvalidInput) else from_validation(error)
        raise ApiError(422, error.message, error.message_vi, code="validation_error") from error
    return redirect("/reports", "Đã lưu thông tin văn bản báo cáo.")


"""Pages: the report as of a day (the sentence, the grid, the list to print), its files, and the letterhead of the
reports the signed-in person makes (the secretariat's, or an agency's own)."""

from fastapi import APIRouter, Request
from pydantic import ValidationError

from app import unit_of_work
from app.directives import service as directive_service
from app.errors import ApiError, InvalidInput
from app.reports import export as report_export
from app.reports import service as report_service
from app.reports.download import completion_download
from app.web import service
from app.web.common import SignedInUser, form_of, redirect, refusal, render
from app.web.forms import DocumentSettingsForm, ReportExportForm, ReportScopeForm, by_field

router = APIRouter(include_in_schema=False)

DOWNLOAD_FIELDS = ("number", "issued_on", "signer_name", "signer_position")
SETTINGS_FIELDS = frozenset({"parent_body", "issuing_body", "symbol", "place", "signer_authority", "signer_position",
                             "signer_name", "recipients"})


async def _report_page(request: Request, user, params: dict[str, str], *, status_code: int = 200,
                       errors: dict | None = None, form: dict | None = None, open_form: str | None = None):
    scope, typed, scope_errors = ReportScopeForm.read(params, today=service.today())
    view: dict = {"report": None, "rows": []}

    def read(session):
        found = {"directives": directive_service.list_directives(session=session),
                 "settings": report_service.document_settings(session=session, principal=user.principal)}
        if not scope_errors:
            try:
                found["resolved"] = report_service.resolve_scope(
                    session=session, principal=user.principal, directive_id=scope.directive_id,
                    meeting_date=scope.meeting_date, lead_agency_id=scope.lead_agency_id)
            except InvalidInput as error:
                found["scope_errors"] = by_field(error.problems)
        return found

    view |= await unit_of_work.heavy(read)
    scope_errors |= view.pop("scope_errors", {})
    if not scope_errors:
        view["report"], view["rows"] = await unit_of_work.heavy_call(report_export.page_view, view["resolved"],
                                                                     scope.as_of)
    errors = errors or {}
    return render(request, "report.html", user, status_code=422 if scope_errors and status_code == 200 else status_code,
                  scope=typed, scope_errors=scope_errors, as_of=scope.as_of, lead_agency_id=scope.lead_agency_id,
                  errors=errors, form=form or {}, open_form=open_form, **view)


@router.get("/reports")
async def report_page(request: Request, user: SignedInUser):
    return await _report_page(request, user, dict(request.query_params))


@router.get("/reports/download")
async def report_download(request: Request, user: SignedInUser):
    """A file of the report as a link asks for it (scope, day, format), headed and signed with the stored document
    settings of whoever downloads it. Nothing of the document itself is read from the address: a link someone sends
    cannot make a report signed by whoever they wrote (this export's number, date and signer are posted from the
    report page, below)."""
    return await _download(request, user, dict(request.query_params), overrides=False)


@router.post("/reports/download")
async def report_download_posted(request: Request, user: SignedInUser):
    """The report page's download form (its CSRF token checked): this export's number, date, signer and position
    over the stored settings. A report's own date is read as typed: one that is not a date, or before the day its
    figures run to, is refused on the page (with what was typed), never dropped from the document."""
    form = await form_of(request, user)
    return await _download(request, user, {k: v for k, v in form.items() if isinstance(v, str)}, overrides=True)


async def _download(request: Request, user, params: dict[str, str], *, overrides: bool):
    fmt = params.get("format", "xlsx")
    if fmt not in report_export.FORMATS:
        raise ApiError.of(404, "no_such_format", code="not_found")
    scope_in, _, scope_errors = ReportScopeForm.read(params, today=service.today())
    export_in, errors = None, {}
    if overrides:
        try:
            export_in = ReportExportForm.of(params, as_of=scope_in.as_of, today=service.today())
        except InvalidInput as error:
            errors = by_field(error.problems)
    if scope_errors or errors:
        # A link's document fields are not even put back in the form: only what the person typed and posted is.
        return await _report_page(request, user, params, status_code=422, errors=errors,
                                  form={k: params.get(k, "") for k in DOWNLOAD_FIELDS} if overrides else {},
                                  open_form="download")
    scope = await unit_of_work.heavy(lambda session: report_service.resolve_scope(
        session=session, principal=user.principal, directive_id=scope_in.directive_id,
        meeting_date=scope_in.meeting_date, lead_agency_id=scope_in.lead_agency_id))
    this_export = export_in.model_dump() if export_in is not None else {}
    return await completion_download(scope, scope_in.as_of, fmt, this_export, user.principal)


@router.post("/reports/settings")
async def report_settings_save(request: Request, user: SignedInUser):
    form = await form_of(request, user)
    try:
        settings_in = DocumentSettingsForm.of(form)
        await unit_of_work.write(lambda session: report_service.save_document_settings(
            session=session, principal=user.principal, settings_in=settings_in))
    except (ApiError, ValidationError) as error:
        status, errors = refusal(error, fields=SETTINGS_FIELDS)
        return await _report_page(request, user, dict(request.query_params), status_code=status, errors=errors,
                                  form=form, open_form="settings")
    return redirect("/reports", "Đã lưu thông tin văn bản báo cáo.", request=request, user=user)

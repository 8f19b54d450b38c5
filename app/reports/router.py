from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app import clock, openapi, unit_of_work
from app.agencies import service as agency_service
from app.auth.dependencies import CurrentPrincipal
from app.reports import export, formats, service
from app.reports.download import completion_download
from app.reports.schemas import AgencyScore, DocumentSettings, IndicatorReport, Summary
from app.types import QueryDay, QueryId

router = APIRouter(prefix="/reports", tags=["reports"])


def _today() -> date:
    return clock.today()


@router.get("/summary", response_model=Summary)
async def report_summary(principal: CurrentPrincipal, directive_id: QueryId = None, as_of: QueryDay = None):
    """The grid as it stood at the end of `as_of` (default: today, and never after it), read from the journal."""
    day = service.report_day(as_of=as_of, today=_today())
    return await unit_of_work.heavy(lambda session: service.summary_of(
        session=session, principal=principal, as_of=day, directive_id=directive_id))


@router.get("/completion", response_class=Response, responses=openapi.download(
    (f.media_type for f in export.FORMATS.values()),
    "the list as a file of the `format` asked for (an attachment, named after the directive and the day)"))
async def completion_list(principal: CurrentPrincipal, directive_id: QueryId = None, meeting_date: QueryDay = None,
                          lead_agency_id: QueryId = None, as_of: QueryDay = None,
                          format: Annotated[export.FormatName, Query(
                              description="csv-excel: the CSV with semicolons, for Excel on a Vietnamese Windows")]
                          = "xlsx",  # noqa: A002
                          lead_agency_code: Annotated[str | None, Query(max_length=20)] = None,
                          number: Annotated[str | None, Query(max_length=50, description="this report's number, "
                                                              "e.g. 15/BC-TGV (default: a blank)")] = None,
                          issued_on: Annotated[QueryDay, Query(description="this report's date (default: a blank)")]
                          = None,
                          signer_name: Annotated[str | None, Query(max_length=100)] = None,
                          signer_position: Annotated[str | None, Query(max_length=200)] = None,
                          signer_authority: Annotated[str | None, Query(max_length=200)] = None):
    """The pre-meeting completion list as it stood at the end of `as_of` (default today), read from the journal:
    title, summary sentence and grid, then the tasks grouped by lead agency, agencies with overdue tasks first.
    Scope: one directive, or every directive of a meeting day, or everything; optionally one lead agency (an agency
    token always gets only its own tasks). `as_of` is never after today, and the report's date never before it."""
    as_of = service.report_day(as_of=as_of, today=_today(), issued_on=issued_on)
    scope = await unit_of_work.heavy(lambda session: service.resolve_scope(
        session=session, principal=principal, directive_id=directive_id, meeting_date=meeting_date,
        lead_agency_id=lead_agency_id if lead_agency_code is None else agency_service.id_for_code(
            session=session, code=lead_agency_code)))
    return await completion_download(scope, as_of, format, {
        "number": number, "issued_on": issued_on, "signer_name": signer_name, "signer_position": signer_position,
        "signer_authority": signer_authority}, principal)


@router.get("/indicators", response_model=IndicatorReport, responses=openapi.download(
    ["text/csv"], "the section as JSON, or with `format=csv` the table alone as a file (UTF-8 with BOM)",
    octets=False))
async def indicator_report(principal: CurrentPrincipal, as_of: QueryDay = None, directive_id: QueryId = None,
                           group: Annotated[str | None, Query(max_length=100, description="e.g. Chính quyền số")]
                           = None,
                           agency_id: Annotated[QueryId, Query(description="the reporting agency")] = None,
                           format: Literal["json", "csv"] = "json"):  # noqa: A002
    """The indicators section ("Chỉ tiêu") of the reports alone, as of the end of `as_of` (default today, never
    after it): the indicators of the directive (its own and those serving its tasks; none given: all), each with the
    target judged against, the latest value and the status, plain numbers and the words the documents print."""
    day = service.report_day(as_of=as_of, today=_today())
    directive, section = await unit_of_work.heavy(lambda session: service.indicator_section_of(
        session=session, principal=principal, as_of=day, directive_id=directive_id, group=group,
        agency_id=agency_id))
    if format == "csv":
        name = export.filename(service.ReportScope(directives=[directive] if directive else None), day, "csv",
                               start="chi-tieu", everything="tat-ca")
        return Response(formats.indicators_csv(section), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    return {**section.as_dict(), "directive": directive.model_dump() if directive else None}


@router.get("/settings", response_model=DocumentSettings)
async def document_settings(principal: CurrentPrincipal):
    """The document settings the caller's exports carry (NĐ 30/2020: issuing body and its parent, symbol, place,
    signer, Nơi nhận): the secretariat's, or the caller's own agency's (made from its name until it sets them); an
    export may override the number, the date and the signer."""
    return await unit_of_work.read(lambda session: service.document_settings(session=session, principal=principal))


@router.put("/settings", response_model=DocumentSettings)
async def save_document_settings(settings_in: DocumentSettings, principal: CurrentPrincipal):
    """Set them once: the secretariat for its reports, an agency for its own (the number and the date belong to each
    export and are not kept)."""
    return await unit_of_work.write(lambda session: service.save_document_settings(
        session=session, principal=principal, settings_in=settings_in))


@router.get("/agencies", response_model=list[AgencyScore])
async def agency_scoreboard(principal: CurrentPrincipal, as_of: QueryDay = None, directive_id: QueryId = None,
                            meeting_date: QueryDay = None,
                            sort: Literal["overdue", "completion_rate", "average_days_overdue", "tasks",
                                          "name"] = "overdue",
                            order: Literal["asc", "desc"] = "desc"):
    """Per lead agency as of the end of `as_of`: tasks, completed on time / late, in time, overdue, completion rate
    and the average days overdue of its overdue tasks ("bảng xếp hạng"), sorted as asked."""
    day = service.report_day(as_of=as_of, today=_today())
    return await unit_of_work.heavy(lambda session: service.scoreboard_of(
        session=session, principal=principal, as_of=day, directive_id=directive_id, meeting_date=meeting_date,
        sort=sort, descending=order == "desc"))

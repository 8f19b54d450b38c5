import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import FileResponse, StreamingResponse
from starlette.background import BackgroundTask

from app import concurrency
from app.agencies import service as agency_service
from app.auth.dependencies import CurrentPrincipal
from app.auth.models import Role
from app.auth.schemas import Principal
from app.config import get_settings
from app.db import open_session, open_snapshot_session
from app.directives import service as directive_service
from app.errors import FieldProblem, InvalidInput, forbidden
from app.reports import completion, formats, service
from app.reports.schemas import AgencyScore, Summary
from app.tasks.timing import local_today
from app.types import QueryDay, QueryId, utcnow

router = APIRouter(prefix="/reports", tags=["reports"])


def _summary(directive_id: int | None, as_of: date | None) -> dict:
    with open_session() as session:
        directive = None
        if directive_id is not None:
            directive = directive_service.get(session=session, directive_id=directive_id)
            if directive is None:
                raise InvalidInput([FieldProblem("directive_id", "no such directive", "không có văn bản chỉ đạo này")])
        as_of = as_of or local_today(get_settings().tz, utcnow())
        return service.summary(session=session, as_of=as_of, directive=directive)


@router.get("/summary", response_model=Summary)
async def report_summary(_principal: CurrentPrincipal, directive_id: QueryId = None, as_of: QueryDay = None):
    """The grid as it stood at the end of `as_of` (default: today), read from the journal."""
    return await concurrency.run_heavy(_summary, directive_id, as_of)


def _scope(session, principal: Principal, directive_id, meeting_date, lead_agency_id) -> tuple:
    """The directives and the lead agency a report covers; an agency sees only its own tasks."""
    if principal.role == Role.agency:
        if lead_agency_id not in (None, principal.agency_id):
            raise forbidden("An agency exports only the tasks it leads",
                            "Cơ quan chỉ được xuất danh sách nhiệm vụ do mình chủ trì")
        lead_agency_id = principal.agency_id
    problems = []
    directives = None
    if directive_id is not None:
        directive = directive_service.get(session=session, directive_id=directive_id)
        directives = [directive] if directive else []
        if not directives:
            problems.append(FieldProblem("directive_id", "no such directive", "không có văn bản chỉ đạo này"))
    elif meeting_date is not None:
        directives = directive_service.by_meeting_date(session=session, meeting_date=meeting_date)
        if not directives:
            problems.append(FieldProblem("meeting_date", "no directive records a meeting on this day",
                                         "không có văn bản chỉ đạo nào của phiên họp ngày này"))
    if lead_agency_id is not None and agency_service.get(session=session, agency_id=lead_agency_id) is None:
        problems.append(FieldProblem("lead_agency_id", "no such agency", "không có cơ quan này"))
    if problems:
        raise InvalidInput(problems)
    return directives, lead_agency_id


def _filename(directives, as_of: date, extension: str) -> str:
    what = directives[0].number if directives and len(directives) == 1 else "nhiem-vu"
    slug = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in what).strip("-")
    return f"tinh-hinh-thuc-hien-{slug}-{as_of.isoformat()}.{extension}"


@router.get("/completion", responses={200: {"content": {t: {} for t in formats.MEDIA_TYPES.values()}}})
async def completion_list(principal: CurrentPrincipal, directive_id: QueryId = None, meeting_date: QueryDay = None,
                          lead_agency_id: QueryId = None, as_of: QueryDay = None,
                          format: Literal["csv", "xlsx", "docx", "pdf"] = "xlsx"):  # noqa: A002
    """The pre-meeting completion list as it stood at the end of `as_of` (default today), read from the journal:
    title, summary sentence and grid, then the tasks grouped by lead agency, agencies with overdue tasks first.
    Scope: one directive, or every directive of a meeting day, or everything; optionally one lead agency (an agency
    token always gets only its own tasks)."""
    as_of = as_of or local_today(get_settings().tz, utcnow())

    directives, lead = await concurrency.run_heavy_in_session(
        lambda session: _scope(session, principal, directive_id, meeting_date, lead_agency_id))
    filename = _filename(directives, as_of, format)
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}

    def report_in(session):
        # The summary and the rows come from one snapshot, so they always agree.
        return completion.build(session=session, as_of=as_of, directives=directives, meeting_date=meeting_date,
                                lead_agency_id=lead)

    if format == "csv":
        def stream():
            with open_snapshot_session() as session:
                report = report_in(session)
                yield from formats.csv_chunks(report, completion.rows(session=session, report=report),
                                              formats.default_document_settings(report))

        return StreamingResponse(stream(), media_type=formats.MEDIA_TYPES["csv"], headers=headers)
    writer = {"xlsx": formats.write_xlsx, "docx": formats.write_docx, "pdf": formats.write_pdf}[format]
    folder = Path(tempfile.mkdtemp(prefix="roviec-export-"))
    path = folder / filename

    def write() -> None:
        with open_snapshot_session() as session:
            report = report_in(session)
            writer(report, completion.rows(session=session, report=report), path,
                   formats.default_document_settings(report))

    try:
        await concurrency.run_heavy(write)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(path, media_type=formats.MEDIA_TYPES[format], headers=headers,
                        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))


@router.get("/agencies", response_model=list[AgencyScore])
async def agency_scoreboard(principal: CurrentPrincipal, as_of: QueryDay = None, directive_id: QueryId = None,
                            meeting_date: QueryDay = None,
                            sort: Literal["overdue", "completion_rate", "average_days_overdue", "tasks",
                                          "name"] = "overdue",
                            order: Literal["asc", "desc"] = "desc"):
    """Per lead agency as of the end of `as_of`: tasks, completed on time / late, in time, overdue, completion rate
    and the average days overdue of its overdue tasks ("bảng xếp hạng"), sorted as asked."""
    as_of = as_of or local_today(get_settings().tz, utcnow())

    def compute(session):
        directives, _ = _scope(session, principal, directive_id, meeting_date, None)
        scope = service.Scope(directive_ids=tuple(d.id for d in directives) if directives is not None else None)
        return service.scoreboard(session=session, as_of=as_of, scope=scope, sort=sort, descending=order == "desc")

    return await concurrency.run_heavy_in_session(compute)

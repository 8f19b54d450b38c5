"""Pages: tasks."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from app import unit_of_work
from app.errors import ApiError, InvalidInput
from app.reports import export as report_export
from app.tasks import listing, presenter, queues, workflow
from app.tasks import service as task_service
from app.tasks.schemas import (
    Evidence,
    ExtensionDecision,
    ExtensionRequestCreate,
    ProgressReport,
    TaskUpdate,
)
from app.tasks.status import TaskStatus
from app.tasks.timing import Timing
from app.web import list_export, service
from app.web.common import as_day, as_int, as_iso, form_of, problems_by_field, redirect, render, require_user
from app.web.forms import TASK_TEXT_FIELDS

router = APIRouter(include_in_schema=False)

# ---------------------------------------------------------------- tasks

LIST_FILTERS = ("directive_id", "lead_agency_id", "status", "timing", "priority", "deadline_after",
                "deadline_before", "q", "awaiting")


def _filters(params: dict[str, str]) -> tuple[listing.TaskFilters, dict[str, str]]:
    kept = {k: v for k, v in params.items() if k in LIST_FILTERS and v}
    filters = listing.TaskFilters(
        directive_id=as_int(kept.get("directive_id")), lead_agency_id=as_int(kept.get("lead_agency_id")),
        status=TaskStatus(kept["status"]) if kept.get("status") in TaskStatus.__members__ else None,
        timing=Timing(kept["timing"]) if kept.get("timing") in Timing.__members__ else None,
        priority={"1": True, "0": False}.get(kept.get("priority", "")),
        deadline_after=as_day(kept.get("deadline_after")), deadline_before=as_day(kept.get("deadline_before")),
        q=kept.get("q", "")[:200].replace("\x00", "") or None,
        awaiting=kept.get("awaiting") if kept.get("awaiting") in ("acceptance", "decision") else None)
    return filters, kept


@router.get("/tasks")
async def task_list(request: Request):
    user = await require_user(request)
    params = dict(request.query_params)
    filters, kept = _filters(params)
    cursor = params.get("cursor")

    def read(session):
        try:
            page = service.tasks(session, filters, cursor=cursor)
        except InvalidInput:
            page = service.tasks(session, filters)
        return page, service.agency_choices(session, active_only=False), service.directive_choices(session)

    page, agencies, directives = await unit_of_work.read(read)
    query = urlencode(kept)
    return render(request, "tasks.html", user, page=page, filters=kept, agencies=agencies, directives=directives,
                  query=query, first_page=not cursor)


@router.get("/tasks/export.{fmt}")
async def task_list_export(request: Request, fmt: str):
    """The current filter of the list as CSV or XLSX."""
    await require_user(request)
    if fmt not in ("csv", "xlsx"):
        raise ApiError.of(404, "no_such_format", code="not_found")
    filters, _ = _filters(dict(request.query_params))
    content = await unit_of_work.heavy(lambda session: list_export.build(session, filters, fmt))
    media = report_export.FORMATS[fmt].media_type
    return Response(content, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="danh-sach-nhiem-vu-{service.today()}.'
                                                    f'{fmt}"'})


def _task_view(session, task_id: int) -> dict:
    row = task_service.get_task_row(session=session, task_id=task_id)
    task = presenter.present(session=session, tasks=[row], today=service.today())[0]
    requests = queues.list_requests(session=session, status=None, lead_agency_id=None, directive_id=None,
                                    limit=200, cursor=None, task_id=task_id)[0]
    return {"task": task, "history": task_service.history_public(session=session, task_id=task_id),
            "requests": requests, "pending": next((r for r in requests if r["status"] == "pending"), None),
            "agencies": service.agency_choices(session)}


async def _task_page(request: Request, user, task_id: int, *, status_code: int = 200, errors=None, form=None,
                     open_form: str | None = None, notice: str | None = None, stale: bool = False):
    view = await unit_of_work.read(lambda session: _task_view(session, task_id))
    return render(request, "task.html", user, status_code=status_code, errors=errors or {}, form=form or {},
                  open_form=open_form, notice=notice or request.query_params.get("ok"), stale=stale, **view)


@router.get("/tasks/{task_id}")
async def task_page(request: Request, task_id: int):
    user = await require_user(request)
    return await _task_page(request, user, task_id)


async def _task_action(request: Request, task_id: int, name: str, work: Callable[[Any, dict], Any],
                       done: str) -> Response:
    """A form on the task page: the work runs in one unit of work; a refusal shows the page again with the field
    errors in place (422), the reason (409) or 403."""
    user = await require_user(request)
    form = await form_of(request, user)
    try:
        await unit_of_work.write(lambda session: work(session, form | {"_principal": user.principal}))
    except (InvalidInput, ValidationError) as error:
        return await _task_page(request, user, task_id, status_code=422, errors=problems_by_field(error),
                                form=form, open_form=name)
    except ApiError as error:
        if error.status_code == 412:
            return await _task_page(request, user, task_id, status_code=412, form={}, open_form=name, stale=True,
                                    notice=error.message_vi)
        if error.status_code in (403, 409):
            return await _task_page(request, user, task_id, status_code=error.status_code, form=form,
                                    open_form=name, notice=error.message_vi)
        raise
    return redirect(f"/tasks/{task_id}", done)


@router.post("/tasks/{task_id}/progress")
async def task_progress(request: Request, task_id: int):
    def work(session, form):
        done = form.get("status") == "reported_done"
        evidence = None
        if done:
            evidence = Evidence(document_number=form.get("document_number", ""),
                                document_date=as_iso(form.get("document_date")), url=form.get("url") or None)
        report = ProgressReport(status="reported_done" if done else "in_progress",
                                progress_percent=100 if done else (form.get("progress_percent") or 0),
                                note=form.get("note", ""), evidence=evidence,
                                completed_on=as_iso(form.get("completed_on")))
        workflow.report_progress(session=session, task_id=task_id, report=report, principal=form["_principal"])

    return await _task_action(request, task_id, "progress", work, "Đã ghi nhận báo cáo.")


@router.post("/tasks/{task_id}/review")
async def task_review(request: Request, task_id: int):
    def work(session, form):
        workflow.review_completion(session=session, task_id=task_id, accept=form.get("decision") == "accept",
                                   note=form.get("note") or None, principal=form["_principal"])

    return await _task_action(request, task_id, "review", work, "Đã ghi nhận quyết định.")


@router.post("/tasks/{task_id}/request")
async def task_request(request: Request, task_id: int):
    def work(session, form):
        request_in = ExtensionRequestCreate(kind=form.get("kind") or "extend",
                                            requested_deadline=form.get("requested_deadline") or None,
                                            reason=form.get("reason", ""))
        workflow.request_extension(session=session, task_id=task_id, request_in=request_in,
                                   principal=form["_principal"])

    return await _task_action(request, task_id, "request", work, "Đã gửi đề nghị.")


@router.post("/tasks/{task_id}/requests/{request_id}/decision")
async def task_request_decision(request: Request, task_id: int, request_id: int):
    def work(session, form):
        workflow.decide_extension(session=session, request_id=request_id, principal=form["_principal"],
                                  decision=ExtensionDecision(decision=form.get("decision", ""),
                                                             note=form.get("note") or None))

    return await _task_action(request, task_id, "decision", work, "Đã quyết định đề nghị.")


@router.post("/tasks/{task_id}/edit")
async def task_edit(request: Request, task_id: int):
    def work(session, form):
        changes: dict[str, Any] = {f: form[f] for f in TASK_TEXT_FIELDS if f in form}
        if form.get("deliverable_type"):
            changes["deliverable_type"] = form["deliverable_type"]
        if form.get("lead_agency_id"):
            changes["lead_agency_id"] = as_int(form["lead_agency_id"])
        changes["coordinating_agency_ids"] = [int(a) for a in form["_lists"].get("coordinating_agency_ids", [])
                                              if a.isdigit()]
        changes["priority"] = form.get("priority") == "1"
        task_service.update_task(session=session, task_id=task_id, task_in=TaskUpdate(**changes),
                                 principal=form["_principal"], expected_version=as_int(form.get("version")))

    return await _task_action(request, task_id, "edit", work, "Đã lưu nhiệm vụ.")


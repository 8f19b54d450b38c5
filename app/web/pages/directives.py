"""Pages: directives."""

from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError

from app import unit_of_work
from app.directives import service as directive_service
from app.directives.schemas import DirectiveCreate
from app.errors import InvalidInput
from app.reports import service as report_service
from app.tasks import listing
from app.tasks import service as task_service
from app.tasks.schemas import (
    TaskCreate,
)
from app.web import service
from app.web.common import as_int, as_iso, form_of, problems_by_field, redirect, render, require_user
from app.web.forms import TASK_TEXT_FIELDS

router = APIRouter(include_in_schema=False)

# ---------------------------------------------------------------- directives


@router.get("/directives")
async def directive_list(request: Request):
    user = await require_user(request)

    def read(session):
        found = directive_service.list_directives(session=session)
        grids = {d.id: report_service.grid_of(session=session, scope=report_service.ReportScope(directives=[d]),
                                              as_of=service.today())["overall"] for d in found}
        return found, grids

    found, grids = await unit_of_work.read(read)
    return render(request, "directives.html", user, directives=found, grids=grids, form={}, errors={},
                  notice=request.query_params.get("ok"))


@router.post("/directives")
async def directive_create(request: Request):
    user = await require_user(request)
    form = await form_of(request, user)
    try:
        values = {k: form.get(k) for k in ("number", "title", "meeting_name", "issuer")}
        directive_in = DirectiveCreate(**values, issued_on=as_iso(form.get("issued_on")),
                                       meeting_date=as_iso(form.get("meeting_date")))
        made = await unit_of_work.write(lambda session: directive_service.create(
            session=session, directive_in=directive_in, principal=user.principal))
    except (InvalidInput, ValidationError) as error:
        found = await unit_of_work.read(lambda session: directive_service.list_directives(session=session))
        return render(request, "directives.html", user, status_code=422, directives=found, grids={}, form=form,
                      errors=problems_by_field(error), open_form="directive")
    service.forget_choices()
    return redirect(f"/directives/{made.id}", f"Đã ghi nhận văn bản {made.reference}.")


async def _directive_page(request: Request, user, directive_id: int, *, status_code: int = 200, errors=None,
                          form=None):
    def read(session):
        directive = directive_service.get_or_404(session=session, directive_id=directive_id)
        scope = report_service.ReportScope(directives=[directive])
        return {"directive": directive,
                "grid": report_service.grid_of(session=session, scope=scope, as_of=service.today()),
                "page": service.tasks(session, listing.TaskFilters(directive_id=directive_id), limit=200),
                "agencies": service.agency_choices(session)}

    view = await unit_of_work.read(read)
    return render(request, "directive.html", user, status_code=status_code, errors=errors or {}, form=form or {},
                  notice=request.query_params.get("ok"), **view)


@router.get("/directives/{directive_id}")
async def directive_page(request: Request, directive_id: int):
    user = await require_user(request)
    return await _directive_page(request, user, directive_id)


@router.post("/directives/{directive_id}/tasks")
async def directive_add_task(request: Request, directive_id: int):
    user = await require_user(request)
    form = await form_of(request, user)
    values: dict[str, Any] = {f: form.get(f) or None for f in (*TASK_TEXT_FIELDS, "deadline", "deliverable_type")}
    values |= {"directive_id": directive_id, "lead_agency_id": as_int(form.get("lead_agency_id")),
               "coordinating_agency_ids": [int(a) for a in form["_lists"].get("coordinating_agency_ids", [])
                                           if a.isdigit()],
               "priority": form.get("priority") == "1"}
    try:
        task = await unit_of_work.write(lambda session: task_service.create_task(
            session=session, task_in=TaskCreate(**values), principal=user.principal))
    except (InvalidInput, ValidationError) as error:
        return await _directive_page(request, user, directive_id, status_code=422, errors=problems_by_field(error),
                                     form=form)
    return redirect(f"/tasks/{task.id}", "Đã giao nhiệm vụ.")


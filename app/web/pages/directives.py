"""Pages: the directives with their grids, recording and correcting one, and giving a task under it."""


from fastapi import APIRouter, Request
from pydantic import ValidationError

from app import unit_of_work
from app.directives import service as directive_service
from app.errors import ApiError
from app.reports import service as report_service
from app.tasks import listing
from app.tasks import service as task_service
from app.types import PathId
from app.web import service
from app.web.common import SignedInUser, form_of, redirect, refusal, render
from app.web.forms import TASK_TEXT_FIELDS, DirectiveForm, TaskCreateForm, version_of

router = APIRouter(include_in_schema=False)

DIRECTIVE_FIELDS = frozenset({"number", "title", "issued_on", "meeting_name", "meeting_date", "issuer"})
TASK_FIELDS = frozenset({*TASK_TEXT_FIELDS, "deadline", "deliverable_type", "lead_agency_id",
                         "coordinating_agency_ids", "priority"})


async def _list_page(request: Request, user, *, status_code: int = 200, errors=None, form=None):
    def read(session):
        found = directive_service.list_directives(session=session)
        grids = {d.id: report_service.grid_of(session=session, scope=report_service.ReportScope(directives=[d]),
                                              as_of=service.today())["overall"] for d in found}
        return found, grids

    found, grids = await unit_of_work.read(read)
    return render(request, "directives.html", user, status_code=status_code, directives=found, grids=grids,
                  form=form or {}, errors=errors or {}, open_form="directive" if errors else None)


@router.get("/directives")
async def directive_list(request: Request, user: SignedInUser):
    return await _list_page(request, user)


@router.post("/directives")
async def directive_create(request: Request, user: SignedInUser):
    form = await form_of(request, user)
    try:
        directive_in = DirectiveForm.of(form)
        made = await unit_of_work.write(lambda session: directive_service.create(
            session=session, directive_in=directive_in, principal=user.principal))
    except (ApiError, ValidationError) as error:
        status, errors = refusal(error, fields=DIRECTIVE_FIELDS)
        return await _list_page(request, user, status_code=status, errors=errors, form=form)
    service.forget_choices()
    return redirect(f"/directives/{made.id}", f"Đã ghi nhận văn bản {made.reference}.", request=request, user=user)


async def _directive_page(request: Request, user, directive_id: int, *, status_code: int = 200, errors=None,
                          form=None, open_form: str | None = None):
    def read(session):
        directive = directive_service.get_or_404(session=session, directive_id=directive_id)
        scope = report_service.ReportScope(directives=[directive])
        return {"directive": directive,
                "grid": report_service.grid_of(session=session, scope=scope, as_of=service.today()),
                "page": service.tasks(session, listing.TaskFilters(directive_id=directive_id), limit=200),
                "agencies": service.agency_choices(session)}

    view = await unit_of_work.read(read)
    return render(request, "directive.html", user, status_code=status_code, errors=errors or {}, form=form or {},
                  open_form=open_form, today=service.today(), **view)


@router.get("/directives/{directive_id}")
async def directive_page(request: Request, directive_id: PathId, user: SignedInUser):
    return await _directive_page(request, user, directive_id)


@router.post("/directives/{directive_id}/edit")
async def directive_edit(request: Request, directive_id: PathId, user: SignedInUser):
    """A correction of the directive's header (number, dates, meeting), as PATCH /directives/{id} makes it."""
    form = await form_of(request, user)
    try:
        directive_in = DirectiveForm.as_update(form)
        await unit_of_work.write(lambda session: directive_service.update(
            session=session, directive_id=directive_id, directive_in=directive_in, principal=user.principal,
            expected_version=version_of(form)))
    except (ApiError, ValidationError) as error:
        status, errors = refusal(error, fields=DIRECTIVE_FIELDS)
        return await _directive_page(request, user, directive_id, status_code=status, errors=errors, form=form,
                                     open_form="directive")
    service.forget_choices()
    return redirect(f"/directives/{directive_id}", "Đã lưu văn bản.", request=request, user=user)


@router.post("/directives/{directive_id}/tasks")
async def directive_add_task(request: Request, directive_id: PathId, user: SignedInUser):
    form = await form_of(request, user)
    try:
        task_in = TaskCreateForm.of(form, directive_id=directive_id)
        task = await unit_of_work.write(lambda session: task_service.create_task(
            session=session, task_in=task_in, principal=user.principal))
    except (ApiError, ValidationError) as error:
        status, errors = refusal(error, fields=TASK_FIELDS)
        return await _directive_page(request, user, directive_id, status_code=status, errors=errors, form=form,
                                     open_form="task")
    return redirect(f"/tasks/{task.id}", "Đã giao nhiệm vụ.", request=request, user=user)

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import Response

from app import concurrency
from app.agencies import service as agency_service
from app.auth.dependencies import CurrentPrincipal, ReadSession, require_secretariat, require_writer
from app.config import get_settings
from app.responses import json_response
from app.tasks import idempotency, presenter, service
from app.tasks.models import TaskStatus
from app.tasks.schemas import (
    ExtensionDecision,
    ExtensionRequestCreate,
    ExtensionRequestPublic,
    ProgressReport,
    ReviewDecision,
    TaskCreate,
    TaskEventPublic,
    TaskPage,
    TaskPublic,
    TaskUpdate,
)
from app.tasks.timing import Timing, local_today
from app.types import PathId, QueryDay, QueryId, utcnow

router = APIRouter(tags=["tasks"])
# Endpoints hand the whole unit of work to concurrency.run_in_session, which opens and closes the session where the
# work runs (see app/concurrency.py): a write transaction never outlives the function that opened it.

IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]


def _today() -> date:
    return local_today(get_settings().tz, utcnow())


def _one(session, task) -> dict:
    return presenter.present(session=session, tasks=[task], today=_today())[0]


def _task_response(session, task, status_code: int = 200) -> tuple[int, dict, dict[str, str]]:
    return status_code, _one(session, task), {"ETag": service.etag(task)}


async def _idempotent_write(request: Request, principal, key: str | None, body, write) -> Response:
    """Runs `write(session)` -> (status, body, headers) in one transaction, at most once per Idempotency-Key."""
    # Only a request with a key is ever compared with another (and parsing the URL costs a little every time).
    request_fingerprint = idempotency.fingerprint("POST", request.url.path, body) if key is not None else None
    return await concurrency.run_in_session(
        lambda session: idempotency.run(session=session, principal=principal, key=key, action=lambda: write(session),
                                        request_fingerprint=request_fingerprint),
        write=True)


@router.post("/tasks", status_code=201, response_model=TaskPublic)
async def create_task(task_in: TaskCreate, request: Request, principal: CurrentPrincipal,
                idempotency_key: IdempotencyKey = None):
    require_secretariat(principal)

    def write(session):
        task = service.create_task(session=session, task_in=task_in, principal=principal)
        return _task_response(session, task, 201)

    return await _idempotent_write(request, principal, idempotency_key, task_in, write)


@router.get("/tasks", response_model=TaskPage)
async def list_tasks(
    _principal: CurrentPrincipal,
    lead_agency_id: QueryId = None,
    directive_id: QueryId = None,
    status: TaskStatus | None = None,
    timing: Timing | None = None,
    deadline_before: QueryDay = None,
    deadline_after: QueryDay = None,
    priority: bool | None = None,
    q: Annotated[str | None, Query(max_length=200, pattern=r"^[^\x00]*$")] = None,  # no NUL, on either database
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
):
    filters = service.TaskFilters(lead_agency_id=lead_agency_id, directive_id=directive_id, status=status,
                                  timing=timing, deadline_before=deadline_before, deadline_after=deadline_after,
                                  priority=priority, q=q)

    def read(session) -> Response:
        tasks, next_cursor, total = service.list_tasks(session=session, filters=filters, limit=limit, cursor=cursor)
        items = presenter.present(session=session, tasks=tasks, today=_today())
        return json_response({"items": items, "next_cursor": next_cursor, "total": total})

    return await concurrency.run_in_session(read)


@router.get("/tasks/{task_id}", response_model=TaskPublic)
async def get_task(task_id: PathId, _principal: CurrentPrincipal,
                   if_none_match: Annotated[str | None, Header()] = None):
    def read(session) -> Response:
        task = service.get_task_row(session=session, task_id=task_id)
        tag = service.etag(task)
        if if_none_match and tag in {t.strip().removeprefix("W/") for t in if_none_match.split(",")}:
            return Response(status_code=304, headers={"ETag": tag})
        return json_response(_one(session, task), headers={"ETag": tag})

    return await concurrency.run_in_session(read)


@router.patch("/tasks/{task_id}", response_model=TaskPublic)
async def update_task(task_id: PathId, task_in: TaskUpdate, principal: CurrentPrincipal,
                      if_match: Annotated[str | None, Header()] = None):
    require_secretariat(principal)

    def write(session) -> Response:
        task = service.update_task(session=session, task_id=task_id, task_in=task_in, principal=principal,
                                   if_match=if_match)
        _, body, headers = _task_response(session, task)
        session.commit()
        return json_response(body, headers=headers)

    return await concurrency.run_in_session(write, write=True)


@router.post("/tasks/{task_id}/progress", response_model=TaskPublic)
async def report_progress(task_id: PathId, report: ProgressReport, request: Request, principal: CurrentPrincipal,
                    idempotency_key: IdempotencyKey = None):
    require_writer(principal)

    def write(session):
        task = service.report_progress(session=session, task_id=task_id, report=report, principal=principal)
        return _task_response(session, task)

    return await _idempotent_write(request, principal, idempotency_key, report, write)


async def _review(task_id: int, decision: ReviewDecision | None, principal, accept: bool) -> Response:
    require_secretariat(principal)

    def write(session) -> Response:
        task = service.review_completion(session=session, task_id=task_id, accept=accept,
                                         note=decision.note if decision else None, principal=principal)
        _, body, headers = _task_response(session, task)
        session.commit()
        return json_response(body, headers=headers)

    return await concurrency.run_in_session(write, write=True)


@router.post("/tasks/{task_id}/accept", response_model=TaskPublic)
async def accept_completion(task_id: PathId, principal: CurrentPrincipal, decision: ReviewDecision | None = None):
    return await _review(task_id, decision, principal, accept=True)


@router.post("/tasks/{task_id}/reject", response_model=TaskPublic)
async def reject_completion(task_id: PathId, principal: CurrentPrincipal, decision: ReviewDecision | None = None):
    return await _review(task_id, decision, principal, accept=False)


def _extension_public(extension) -> dict:
    return ExtensionRequestPublic.model_validate(extension, from_attributes=True).model_dump(mode="json")


@router.post("/tasks/{task_id}/extension-requests", status_code=201, response_model=ExtensionRequestPublic)
async def request_extension(task_id: PathId, request_in: ExtensionRequestCreate, request: Request,
                      principal: CurrentPrincipal, idempotency_key: IdempotencyKey = None):
    require_writer(principal)

    def write(session):
        extension = service.request_extension(session=session, task_id=task_id, request_in=request_in,
                                              principal=principal)
        return 201, _extension_public(extension), {}

    return await _idempotent_write(request, principal, idempotency_key, request_in, write)


@router.post("/extension-requests/{request_id}/decision", response_model=ExtensionRequestPublic)
async def decide_extension(request_id: PathId, decision: ExtensionDecision, principal: CurrentPrincipal):
    require_secretariat(principal)

    def write(session) -> Response:
        extension, _task = service.decide_extension(session=session, request_id=request_id, decision=decision,
                                                    principal=principal)
        session.commit()
        return json_response(_extension_public(extension))

    return await concurrency.run_in_session(write, write=True)


@router.get("/tasks/{task_id}/history", response_model=list[TaskEventPublic])
def task_history(task_id: PathId, session: ReadSession, _principal: CurrentPrincipal):
    events = service.history(session=session, task_id=task_id)
    agencies = agency_service.refs(session=session, agency_ids={e.actor_agency_id for e in events} - {None})
    return [
        {**event.model_dump(), "actor_agency": agencies.get(event.actor_agency_id)}
        for event in events
    ]


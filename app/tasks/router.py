"""The tasks API: each route turns HTTP into one service call inside the unit of work (app/unit_of_work.py)."""

from datetime import date
from typing import Annotated, Literal

import anyio.to_thread
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import FileResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import clock, idempotency, openapi, pagination, unit_of_work
from app.agencies import service as agency_service
from app.auth.dependencies import CurrentPrincipal
from app.errors import FieldProblem, InvalidInput
from app.http import created, if_match_version
from app.responses import json_response
from app.tasks import comments, evidence, evidence_store, listing, presenter, queues, reminders, service, workflow
from app.tasks.models import ExtensionStatus
from app.tasks.schemas import (
    CommentCreate,
    CommentPage,
    CommentPublic,
    EvidenceFileList,
    ExplanationAnswer,
    ExtensionDecision,
    ExtensionRequestCreate,
    ExtensionRequestPage,
    ExtensionRequestPublic,
    ProgressReport,
    ReminderBulk,
    ReminderBulkResult,
    ReminderCreate,
    ReminderPublic,
    ReviewDecision,
    TaskCreate,
    TaskDetail,
    TaskEventPage,
    TaskPage,
    TaskPublic,
    TaskRemoval,
    TaskUpdate,
)
from app.tasks.status import TaskStatus
from app.tasks.timing import Timing, TimingGroup
from app.types import PathId, QueryDay, QueryId

router = APIRouter(tags=["tasks"])

IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]


def _today() -> date:
    return clock.today()


def _one(session, task) -> dict:
    return presenter.present(session=session, tasks=[task], today=_today())[0]


def _task_answer(session, task, status_code: int = 200) -> tuple[int, dict, dict[str, str]]:
    return status_code, _one(session, task), {"ETag": service.etag(task)}


def _response(answer: unit_of_work.Answer) -> Response:
    return Response(answer.content, status_code=answer.status_code, headers=answer.headers,
                    media_type="application/json")


async def _write_once(request: Request, principal, key: str | None, body, work) -> Response:
    # Only a request with a key is ever compared with another (and parsing the URL costs a little every time).
    fingerprint = idempotency.fingerprint("POST", request.url.path, body) if key is not None else None
    return _response(await unit_of_work.write_once(work, principal=principal, key=key, fingerprint=fingerprint))


@router.post("/tasks", status_code=201, response_model=TaskPublic, openapi_extra=created("/tasks/{id}"))
async def create_task(task_in: TaskCreate, request: Request, principal: CurrentPrincipal,
                      idempotency_key: IdempotencyKey = None):
    """Secretariat: a task with all seven "rõ" (one 422 names every one missing or vague). Answers the task with its
    `ETag` and `Location`; honours `Idempotency-Key`."""
    def work(session):
        return _task_answer(session, service.create_task(session=session, task_in=task_in, principal=principal), 201)

    return await _write_once(request, principal, idempotency_key, task_in, work)


@router.get("/tasks", response_model=TaskPage)
async def list_tasks(
    _principal: CurrentPrincipal,
    lead_agency_id: QueryId = None,
    directive_id: QueryId = None,
    status: TaskStatus | None = None,
    timing: Annotated[Timing | TimingGroup | None,
                      Query(description="a timing, or a figure of the report grid (completed, not_completed, "
                                        "within_deadline, counted, on_schedule, behind, any_standing)")] = None,
    meeting_date: Annotated[QueryDay, Query(description="the tasks of the directives of a meeting day")] = None,
    deadline_before: QueryDay = None,
    deadline_after: QueryDay = None,
    priority: bool | None = None,
    q: Annotated[str | None, Query(max_length=200, pattern=r"^[^\x00]*$")] = None,  # no NUL, on either database
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    lead_agency_code: Annotated[str | None, Query(max_length=20)] = None,
    awaiting: Annotated[Literal["acceptance", "decision", "explanation"] | None,
                        Query(description="the secretariat's queues: completions reported and awaiting acceptance, "
                                          "tasks with a request awaiting a decision, or with an explanation asked "
                                          "and not yet answered")] = None,
):
    """Tasks in deadline order. `lead_agency_code` is the same filter as `lead_agency_id`, by code. A task removed
    as recorded by mistake is listed only with `status=removed`."""
    filters = listing.TaskFilters(lead_agency_id=lead_agency_id, directive_id=directive_id, status=status,
                                  timing=timing, meeting_date=meeting_date, deadline_before=deadline_before,
                                  deadline_after=deadline_after,
                                  priority=priority, q=q, awaiting=awaiting)

    def read(session) -> Response:
        if lead_agency_code is not None:
            filters.lead_agency_id = agency_service.id_for_code(session=session, code=lead_agency_code)
        tasks, next_cursor, total = listing.list_tasks(session=session, filters=filters, limit=limit, cursor=cursor)
        items = presenter.present(session=session, tasks=tasks, today=_today())
        return json_response({"items": items, "next_cursor": next_cursor, "total": total})

    return await unit_of_work.read(read)


@router.get("/tasks/{task_id}", response_model=TaskDetail)
async def get_task(task_id: PathId, _principal: CurrentPrincipal,
                   if_none_match: Annotated[str | None, Header()] = None):
    """One task with the evidence files its reports carry, and its `ETag`; `If-None-Match` with the current ETag
    gives 304."""
    def read(session) -> Response:
        task = service.get_task_row(session=session, task_id=task_id)
        tag = service.etag(task)
        if if_none_match and tag in {t.strip().removeprefix("W/") for t in if_none_match.split(",")}:
            return Response(status_code=304, headers={"ETag": tag})
        body = _one(session, task) | {"files": evidence.listed(session=session, task_id=task_id,
                                                                 principal=_principal, pending=False)}
        return json_response(body, headers={"ETag": tag})

    return await unit_of_work.read(read)


@router.patch("/tasks/{task_id}", response_model=TaskPublic)
async def update_task(task_id: PathId, task_in: TaskUpdate, principal: CurrentPrincipal,
                      if_match: Annotated[str | None, Header()] = None):
    """Secretariat: edit a task (`If-Match` with its ETag required: missing or `*` → 428, stale or weak → 412). The
    deadline moves only by an approved extension. A change that changes nothing writes nothing."""
    def work(session) -> Response:
        task = service.update_task(session=session, task_id=task_id, task_in=task_in, principal=principal,
                                   expected_version=if_match_version(str(task_id), if_match))
        _, body, headers = _task_answer(session, task)
        return json_response(body, headers=headers)

    return await unit_of_work.write(work)


@router.post("/tasks/{task_id}/progress", response_model=TaskPublic)
async def report_progress(task_id: PathId, report: ProgressReport, request: Request, principal: CurrentPrincipal,
                          idempotency_key: IdempotencyKey = None,
                          if_match: Annotated[str | None, Header()] = None):
    """The lead agency (or the secretariat): a progress report, or a completion report (`reported_done` with its
    evidence) that the secretariat then accepts or sends back. `If-Match` is optional: agencies report without
    reading the task first, and a report without it is taken as it comes; with the ETag of `GET /tasks/{id}`, a report
    made over a version that is no longer current is refused (412, the current one in `current_etag` and the `ETag`
    header), as `PATCH /tasks/{id}` refuses it (a weak ETag never matches; `*` is any version). The answer's `ETag` is
    the task's new version. Honours `Idempotency-Key` (a retry gets the first answer back, whatever its
    `If-Match`)."""
    def work(session):
        return _task_answer(session, workflow.report_progress(
            session=session, task_id=task_id, report=report, principal=principal,
            expected_version=if_match_version(str(task_id), if_match)))

    return await _write_once(request, principal, idempotency_key, report, work)


async def _review(task_id: int, decision: ReviewDecision | None, principal, accept: bool) -> Response:
    def work(session) -> Response:
        task = workflow.review_completion(session=session, task_id=task_id, accept=accept,
                                          note=decision.note if decision else None, principal=principal)
        _, body, headers = _task_answer(session, task)
        return json_response(body, headers=headers)

    return await unit_of_work.write(work)


@router.post("/tasks/{task_id}/accept", response_model=TaskPublic)
async def accept_completion(task_id: PathId, principal: CurrentPrincipal, decision: ReviewDecision | None = None):
    """Secretariat: accept a reported completion (→ `completed`)."""
    return await _review(task_id, decision, principal, accept=True)


@router.post("/tasks/{task_id}/reject", response_model=TaskPublic)
async def reject_completion(task_id: PathId, principal: CurrentPrincipal, decision: ReviewDecision | None = None):
    """Secretariat: send a reported completion back (→ `in_progress`), saying why in `note`."""
    return await _review(task_id, decision, principal, accept=False)


def _extension_public(session, extension) -> dict:
    return ExtensionRequestPublic.model_validate(queues.get_request(session=session, request_id=extension.id)
                                                 ).model_dump(mode="json")


@router.post("/tasks/{task_id}/extension-requests", status_code=201, response_model=ExtensionRequestPublic,
             openapi_extra=created("/extension-requests/{id}"))
async def request_extension(task_id: PathId, request_in: ExtensionRequestCreate, request: Request,
                            principal: CurrentPrincipal, idempotency_key: IdempotencyKey = None):
    """The lead agency (or the secretariat): ask for a later deadline (`extend`) or to withdraw the task
    (`withdraw`); one pending request per task. Honours `Idempotency-Key`."""
    def work(session):
        extension = workflow.request_extension(session=session, task_id=task_id, request_in=request_in,
                                               principal=principal)
        return 201, _extension_public(session, extension), {}

    return await _write_once(request, principal, idempotency_key, request_in, work)


@router.post("/extension-requests/{request_id}/decision", response_model=ExtensionRequestPublic)
async def decide_extension(request_id: PathId, decision: ExtensionDecision, principal: CurrentPrincipal):
    """Secretariat: approve (possibly granting less time than asked, `approved_deadline`) or reject a pending
    request."""
    def work(session) -> Response:
        extension, _task = workflow.decide_extension(session=session, request_id=request_id, decision=decision,
                                                     principal=principal)
        return json_response(_extension_public(session, extension))

    return await unit_of_work.write(work)


@router.post("/tasks/{task_id}/remove", response_model=TaskPublic)
async def remove_task(task_id: PathId, removal: TaskRemoval, principal: CurrentPrincipal):
    """Secretariat: take out a task recorded by mistake (a duplicate, a misread clause), journaled with the reason.
    It leaves every list, report and alert (it stays readable here, with status `removed`). Refused (409) once
    anyone has reported on it or asked for anything: such a task is withdrawn, on a request."""
    def work(session) -> Response:
        task = workflow.remove_task(session=session, task_id=task_id, reason=removal.reason, principal=principal)
        _, body, headers = _task_answer(session, task)
        return json_response(body, headers=headers)

    return await unit_of_work.write(work)


@router.get("/extension-requests", response_model=ExtensionRequestPage)
async def list_extension_requests(
    _principal: CurrentPrincipal, status: ExtensionStatus | None = None, task_id: QueryId = None,
    lead_agency_id: QueryId = None, directive_id: QueryId = None,
    lead_agency_code: Annotated[str | None, Query(max_length=20)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50, cursor: Annotated[str | None, Query(max_length=40)] = None,
):
    """Extension and withdrawal requests, oldest first: `status=pending` is the secretariat's queue, `task_id` one
    task's requests (as its page shows them)."""
    def read(session) -> dict:
        lead = lead_agency_id if lead_agency_code is None else agency_service.id_for_code(session=session,
                                                                                        code=lead_agency_code)
        items, next_cursor = queues.list_requests(session=session, status=status, task_id=task_id,
                                                  lead_agency_id=lead, directive_id=directive_id, limit=limit,
                                                  cursor=cursor)
        return {"items": items, "next_cursor": next_cursor}

    return await unit_of_work.read(read)


@router.get("/extension-requests/{request_id}", response_model=ExtensionRequestPublic)
async def get_extension_request(request_id: PathId, _principal: CurrentPrincipal):
    """One extension or withdrawal request, with its task."""
    return await unit_of_work.read(lambda session: queues.get_request(session=session, request_id=request_id))


@router.get("/tasks/{task_id}/history", response_model=TaskEventPage)
async def task_history(task_id: PathId, _principal: CurrentPrincipal, limit: pagination.Limit = 50,
                       cursor: pagination.Cursor = None):
    """The task's journal, oldest first, a page at a time as `GET /tasks` pages (`{"items", "next_cursor"}`): every
    change with who made it, when, the status before and after, what it carried (`data`, by `kind`), and the task's
    deadline and progress after it."""
    def read(session) -> dict:
        service.get_task_row(session=session, task_id=task_id)  # 404 for a task that does not exist
        items, next_cursor = service.history_page(session=session, task_id=task_id, limit=limit, cursor=cursor)
        return {"items": items, "next_cursor": next_cursor}

    return await unit_of_work.read(read)


# ---------------------------------------------------------------- evidence files

_FILES_UPLOAD = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "properties": {"file": {
        "type": "array", "items": {"type": "string", "format": "binary"},
        "description": "one or more files, each a part named `file`: PDF, DOCX, XLSX, PNG or JPEG, recognised by "
                       "their content"}}}}}}}


@router.post("/tasks/{task_id}/files", status_code=201, response_model=EvidenceFileList,
             openapi_extra=_FILES_UPLOAD | created("/tasks/{task_id}/files"))
async def upload_files(task_id: PathId, request: Request, principal: CurrentPrincipal):
    """Whoever may report on the task (the secretariat, the lead agency): upload evidence files (multipart, each a
    part named `file`), then name their ids in the report (`file_ids` of `POST /tasks/{id}/progress`). Until a report
    names them only the uploader's agency sees them. Each file at most `ROVIEC_EVIDENCE_MAX_BYTES` (413), at most
    `ROVIEC_EVIDENCE_MAX_FILES` of them and `ROVIEC_EVIDENCE_MAX_TOTAL_BYTES` together (a larger body: 413 before it
    is read); a file that is empty or whose content is not a PDF, DOCX, XLSX, PNG or JPEG, whatever its name: 422 at
    `file`. Any refusal keeps none of the files. The same content sent again is kept once (by SHA-256)."""
    await unit_of_work.read(lambda session: evidence.may_upload(session=session, task_id=task_id,
                                                                principal=principal))
    try:
        form = await request.form()
    except StarletteHTTPException as exc:
        if exc.status_code != 400:  # a body past its limit as it streams in (app/http.py: BodyTooLarge): its 413
            raise
        raise InvalidInput([FieldProblem.of("file", "evidence_upload_unreadable")]) from exc  # not a readable form
    try:
        uploads = [value for value in form.getlist("file") if not isinstance(value, str)]
        if not uploads:
            raise InvalidInput([FieldProblem.of("file", "evidence_upload_missing")])
        kept = await anyio.to_thread.run_sync(evidence.keep_uploads, uploads, "file")
    finally:
        await form.close()

    def work(session) -> Response:
        rows = evidence.record_uploads(session=session, task_id=task_id, principal=principal, files=kept)
        return json_response({"items": evidence.listed_rows(session, rows)}, status_code=201)

    return await unit_of_work.write(work)


@router.get("/tasks/{task_id}/files", response_model=EvidenceFileList)
async def task_files(task_id: PathId, principal: CurrentPrincipal):
    """The task's evidence files: those its reports carry, newest report first, then the caller's agency's own
    uploads that no report names yet (`report_event_id` null)."""
    def read(session) -> dict:
        service.get_task_row(session=session, task_id=task_id)  # 404 for a task that does not exist
        return {"items": evidence.listed(session=session, task_id=task_id, principal=principal)}

    return await unit_of_work.read(read)


@router.get("/files/{file_id}", response_class=FileResponse, responses=openapi.download(
    evidence_store.TYPES, "the file, as an attachment, under the type read from its content"))
async def download_file(file_id: PathId, principal: CurrentPrincipal):
    """An evidence file, to whoever may read its task: `Content-Disposition: attachment` (the name in RFC 5987's
    `filename*`), the type read from its content when it was uploaded, `X-Content-Type-Options: nosniff`, its SHA-256
    as the ETag. A file no report names yet: its uploader's agency only (404 to others)."""
    row = await unit_of_work.read(lambda session: evidence.for_download(session=session, file_id=file_id,
                                                                        principal=principal))
    return evidence.file_response(row)
# ---------------------------------------------------------------- a task's thread and reminders ("đôn đốc")


@router.get("/tasks/{task_id}/comments", response_model=CommentPage)
async def list_comments(task_id: PathId, _principal: CurrentPrincipal,
                        limit: Annotated[int, Query(ge=1, le=200)] = 50,
                        cursor: Annotated[str | None, Query(max_length=40)] = None):
    """The task's thread, oldest first: comments, requests for an explanation (open or answered) and answers.
    Everyone who reads the task reads it."""
    def read(session) -> dict:
        service.get_task_row(session=session, task_id=task_id)  # 404 for a task that does not exist
        items, next_cursor = comments.list_comments(session=session, task_id=task_id, limit=limit, cursor=cursor)
        return {"items": items, "next_cursor": next_cursor}

    return await unit_of_work.read(read)


@router.get("/tasks/{task_id}/comments/{comment_id}", response_model=CommentPublic)
async def get_comment(task_id: PathId, comment_id: PathId, _principal: CurrentPrincipal):
    """One entry of the task's thread (where `Location` points once it is written)."""
    return await unit_of_work.read(lambda session: comments.get_comment(session=session, task_id=task_id,
                                                                        comment_id=comment_id))


@router.post("/tasks/{task_id}/comments", status_code=201, response_model=CommentPublic,
             openapi_extra=created("/tasks/{task_id}/comments/{id}"))
async def add_comment(task_id: PathId, comment_in: CommentCreate, request: Request, principal: CurrentPrincipal,
                      idempotency_key: IdempotencyKey = None):
    """The secretariat, the lead and the coordinating agencies comment (anyone else 403); the secretariat's comment
    may ask the lead agency for an explanation (`asks_explanation`), open until answered. Journaled: the event
    `task.commented`, or `task.explanation_requested`. Honours `Idempotency-Key`."""
    def work(session):
        made = comments.add_comment(session=session, task_id=task_id, text=comment_in.comment,
                                    asks_explanation=comment_in.asks_explanation, principal=principal)
        return 201, comments.public(session, [made])[0], {}

    return await _write_once(request, principal, idempotency_key, comment_in, work)


@router.post("/tasks/{task_id}/comments/{comment_id}/answer", status_code=201, response_model=CommentPublic,
             openapi_extra=created("/tasks/{task_id}/comments/{id}"))
async def answer_explanation(task_id: PathId, comment_id: PathId, answer: ExplanationAnswer, request: Request,
                             principal: CurrentPrincipal, idempotency_key: IdempotencyKey = None):
    """The lead agency answers a request for an explanation: a comment that closes it (409 once answered, or for a
    comment that asks nothing). Journaled: the event `task.explanation_answered`. Honours `Idempotency-Key`."""
    def work(session):
        made = comments.answer_explanation(session=session, task_id=task_id, comment_id=comment_id,
                                           text=answer.comment, principal=principal)
        return 201, comments.public(session, [made])[0], {}

    return await _write_once(request, principal, idempotency_key, answer, work)


@router.post("/tasks/reminders", response_model=ReminderBulkResult)
async def remind_many(bulk: ReminderBulk, request: Request, principal: CurrentPrincipal,
                      idempotency_key: IdempotencyKey = None):
    """The secretariat reminds the lead agencies of many tasks at once: `task_ids`, or every task `GET /tasks`
    lists with `filters` (at most 500). Each task at most once a day unless `force` with `force_reason`; every task
    not reminded is in `skipped` with why (`already_reminded`, `not_remindable`, `not_found`). Honours
    `Idempotency-Key`."""
    def work(session):
        done = reminders.remind_bulk(session=session, bulk=bulk, principal=principal)
        return 200, ReminderBulkResult.model_validate(done).model_dump(mode="json"), {}

    return await _write_once(request, principal, idempotency_key, bulk, work)


@router.post("/tasks/{task_id}/reminders", status_code=201, response_model=ReminderPublic,
             openapi_extra=created("/tasks/{task_id}/history"))
async def remind(task_id: PathId, reminder: ReminderCreate, request: Request, principal: CurrentPrincipal,
                 idempotency_key: IdempotencyKey = None):
    """The secretariat reminds the task's lead agency ("đôn đốc"), with an optional `note`: at most once a day (the
    day in the service's time zone); another the same day is refused (409 `already_reminded`) unless `force` with a
    `force_reason`. Only a task not yet reported done (409 `not_remindable`). Journaled: the event `task.reminded`.
    Honours `Idempotency-Key`."""
    def work(session):
        done = reminders.remind(session=session, task_id=task_id, reminder=reminder, principal=principal)
        return 201, ReminderPublic.model_validate(done).model_dump(mode="json"), {}

    return await _write_once(request, principal, idempotency_key, reminder, work)

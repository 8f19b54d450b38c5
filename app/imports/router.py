from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from app import unit_of_work
from app.auth.dependencies import CurrentPrincipal
from app.errors import FieldProblem, InvalidInput
from app.http import created
from app.imports import sandbox, service
from app.imports.schemas import CommitOptions, DirectiveHeaderUpdate, DraftUpdate, ImportPublic
from app.types import PathId

router = APIRouter(prefix="/imports", tags=["imports"])

_UPLOAD = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"type": "object", "required": ["text"], "properties": {
        "text": {"type": "string", "description": "the notice, pasted"}}}},
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary", "description": ".txt, .docx or a PDF with text"}}}}}}}


@router.post("", status_code=201, response_model=ImportPublic, openapi_extra=_UPLOAD | created("/imports/{id}"))
async def create_import(request: Request, principal: CurrentPrincipal):
    """Secretariat: read a conclusion notice ("Thông báo kết luận") into draft tasks to review. A JSON body
    `{"text": "..."}` or a multipart upload of a .txt, .docx or text .pdf (10 MB at most). The notice is read in a
    process of its own, within a time, memory and work limit: a file past one is a 422 on `file` ("too complex to
    read"); when every reader stays busy, a 503 with Retry-After."""
    kind = request.headers.get("content-type", "")
    kwargs: dict[str, Any]
    if kind.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise InvalidInput([FieldProblem.of("file", "upload_field_missing")])
        kwargs = {"content": await upload.read(), "filename": upload.filename or "",
                  "content_type": upload.content_type}
    else:
        try:
            body = await request.json()
        except ValueError as exc:
            raise InvalidInput([FieldProblem.of("body", "body_not_json_or_upload")]) from exc
        if not isinstance(body, dict) or not isinstance(body.get("text"), str) or set(body) - {"text"}:
            raise InvalidInput([FieldProblem.of("text", "text_not_string")])
        kwargs = {"text": body["text"]}
    try:
        reading = await service.read_notice(principal=principal, **kwargs, disconnected=request.is_disconnected)
    except sandbox.ClientGone:
        return Response(status_code=499)  # nobody reads it: the client closed the connection
    answer = await unit_of_work.write(lambda session: service.create(
        session=session, principal=principal, reading=reading, filename=kwargs.get("filename", "")))
    return JSONResponse(ImportPublic.model_validate(answer).model_dump(mode="json"), status_code=201)


@router.get("/{import_id}", response_model=ImportPublic)
async def get_import(import_id: PathId, principal: CurrentPrincipal):
    """An import as read: the directive's header, the drafts, the segments of the notice, and its state."""
    return await unit_of_work.read(lambda session: service.get(session=session, principal=principal,
                                                               import_id=import_id))


@router.patch("/{import_id}", response_model=ImportPublic)
async def update_import_header(import_id: PathId, header: DirectiveHeaderUpdate, principal: CurrentPrincipal):
    """Correct the directive's header as read (number, dates, title, meeting, issuer)."""
    return await unit_of_work.write(lambda session: service.update_header(
        session=session, principal=principal, import_id=import_id, changes=header.model_dump(exclude_unset=True,
                                                                                             mode="json")))


@router.patch("/{import_id}/drafts/{n}", response_model=ImportPublic)
async def update_draft(import_id: PathId, n: PathId, draft: DraftUpdate, principal: CurrentPrincipal):
    """Edit a draft (any field), skip it (`skip`), or split it into one draft per agency (`split_into`)."""
    return await unit_of_work.write(lambda session: service.update_draft(
        session=session, principal=principal, import_id=import_id, n=n,
        changes=draft.model_dump(exclude_unset=True)))


@router.post("/{import_id}/segments/{index}/draft", response_model=ImportPublic)
async def draft_from_segment(import_id: PathId, index: int, principal: CurrentPrincipal):
    """Make a draft from a segment of the notice (an `unread` one, most often): its text as the work, the first
    agency it names as lead and the others offered, the deadline it writes; the segment then counts as read."""
    return await unit_of_work.write(lambda session: service.draft_from_segment(
        session=session, principal=principal, import_id=import_id, index=index))


@router.post("/{import_id}/commit", response_model=ImportPublic)
async def commit_import(import_id: PathId, principal: CurrentPrincipal, options: CommitOptions | None = None):
    """Create the directive (or use the one with that number and year) and every kept draft as a task, all or
    nothing; a second commit creates nothing more. While a segment is still `unread` it is a 422 on
    `confirm_unread` unless the body says `{"confirm_unread": true}`; the tasks' journal origin keeps that answer."""
    confirm = bool(options and options.confirm_unread)
    return await unit_of_work.write(lambda session: service.commit(session=session, principal=principal,
                                                                   import_id=import_id, confirm_unread=confirm))


@router.post("/{import_id}/discard", response_model=ImportPublic)
async def discard_import(import_id: PathId, principal: CurrentPrincipal):
    """Set aside an import nobody will commit (a wrong file, a notice read twice): it stays listed, marked, and can
    no longer be edited or committed."""
    return await unit_of_work.write(lambda session: service.discard(session=session, principal=principal,
                                                                    import_id=import_id))

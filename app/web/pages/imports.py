"""Pages: imports."""

from typing import Any

from fastapi import APIRouter, Request

from app import unit_of_work
from app.errors import ApiError, InvalidInput
from app.imports import service as import_service
from app.web import service
from app.web.common import as_int, as_iso, form_of, problems_by_field, redirect, render, require_user

router = APIRouter(include_in_schema=False)

# ---------------------------------------------------------------- notice imports (Nhập thông báo)


def _notice_pieces(text: str, drafts: list[dict]) -> tuple[list[tuple[str, int | None]], dict[int, int]]:
    """The notice's text cut into pieces, each a draft's source (with its span number) or the text between; and, per
    draft, the span it points to (drafts split from one clause share one)."""
    spans: list[tuple[int, int]] = []
    of_draft: dict[int, int] = {}
    for draft in sorted(drafts, key=lambda d: (d["source"]["start"], d["n"])):
        span = (draft["source"]["start"], draft["source"]["end"])
        if span in spans:
            of_draft[draft["n"]] = spans.index(span)
        elif not spans or span[0] >= spans[-1][1]:
            spans.append(span)
            of_draft[draft["n"]] = len(spans) - 1
    pieces, cursor = [], 0
    for index, (start, end) in enumerate(spans):
        pieces.append((text[cursor:start], None))
        pieces.append((text[start:end], index))
        cursor = end
    pieces.append((text[cursor:], None))
    return pieces, of_draft


async def _import_page(request: Request, user, import_id: int, *, status_code: int = 200, errors=None,
                       editing: int | None = None, form=None, notice: str | None = None):
    def read(session):
        found = import_service.get(session=session, principal=user.principal, import_id=import_id)
        return found, service.agency_choices(session)

    found, agencies = await unit_of_work.read(read)
    pieces, of_draft = _notice_pieces(found["text"], found["drafts"])
    return render(request, "import.html", user, status_code=status_code, record=found, pieces=pieces,
                  of_draft=of_draft, agencies=agencies, errors=errors or {}, editing=editing, form=form or {},
                  notice=notice or request.query_params.get("ok"))


@router.get("/imports")
async def imports_page(request: Request):
    user = await require_user(request)
    found = await unit_of_work.read(lambda session: import_service.listed(session=session, principal=user.principal))
    return render(request, "imports.html", user, imports=found, errors={}, form={})


@router.post("/imports")
async def import_create(request: Request):
    user = await require_user(request)
    form = await form_of(request, user)
    upload = form.get("file")
    kwargs: dict[str, Any]
    if upload is not None and not isinstance(upload, str) and upload.filename:
        kwargs = {"content": await upload.read(), "filename": upload.filename, "content_type": upload.content_type}
    else:
        kwargs = {"text": form.get("text") or ""}
    try:
        made = await unit_of_work.write(lambda session: import_service.create(session=session,
                                                                               principal=user.principal, **kwargs))
    except ApiError as error:
        found = await unit_of_work.read(lambda session: import_service.listed(session=session,
                                                                              principal=user.principal))
        errors = problems_by_field(error) if isinstance(error, InvalidInput) else {"file": [error.message_vi]}
        if "file" in errors and "text" not in errors and "content" not in kwargs:
            errors["text"] = errors.pop("file")
        return render(request, "imports.html", user, status_code=error.status_code, imports=found, errors=errors,
                      form={"text": kwargs.get("text", "")})
    return redirect(f"/imports/{made['id']}", f"Đã đọc {len(made['drafts'])} nhiệm vụ từ thông báo; hãy rà soát.")


@router.get("/imports/{import_id}")
async def import_page(request: Request, import_id: int):
    user = await require_user(request)
    return await _import_page(request, user, import_id)


@router.post("/imports/{import_id}/drafts/{n}")
async def import_draft_save(request: Request, import_id: int, n: int):
    user = await require_user(request)
    form = await form_of(request, user)
    action = form.get("action", "save")
    if action == "skip":
        changes: dict[str, Any] = {"skip": True}
    elif action == "keep":
        changes = {"skip": False}
    elif action == "split":
        changes = {"split_into": [int(a) for a in form["_lists"].get("split_into", []) if a.isdigit()]}
    else:
        changes = {f: form.get(f) or None for f in ("title", "objective", "accountable_official", "deadline",
                                                    "deliverable_description", "expected_result", "clause_ref")}
        changes["deliverable_type"] = form.get("deliverable_type") or None
        changes["lead_agency_id"] = as_int(form.get("lead_agency_id"))
        changes["coordinating_agency_ids"] = [int(a) for a in form["_lists"].get("coordinating_agency_ids", [])
                                              if a.isdigit()]
        changes["priority"] = form.get("priority") == "1"
        if form.get("use_suggestion") == "1" and form.get("suggestion"):
            changes["accountable_official"] = form["suggestion"]
    try:
        await unit_of_work.write(lambda session: import_service.update_draft(
            session=session, principal=user.principal, import_id=import_id, n=n, changes=changes))
    except InvalidInput as error:
        return await _import_page(request, user, import_id, status_code=422, errors=problems_by_field(error),
                                  editing=n, form=form)
    return redirect(f"/imports/{import_id}#draft-{n}", f"Đã lưu dự thảo {n}.")


@router.post("/imports/{import_id}/header")
async def import_header_save(request: Request, import_id: int):
    user = await require_user(request)
    form = await form_of(request, user)
    changes = {k: form.get(k) or None for k in ("number", "title", "meeting_name", "issuer")}
    changes |= {k: as_iso(form.get(k)) for k in ("issued_on", "meeting_date")}
    await unit_of_work.write(lambda session: import_service.update_header(
        session=session, principal=user.principal, import_id=import_id, changes=changes))
    return redirect(f"/imports/{import_id}", "Đã lưu thông tin văn bản.")


@router.post("/imports/{import_id}/commit")
async def import_commit(request: Request, import_id: int):
    user = await require_user(request)
    await form_of(request, user)
    try:
        done = await unit_of_work.write(lambda session: import_service.commit(
            session=session, principal=user.principal, import_id=import_id))
    except InvalidInput as error:
        return await _import_page(request, user, import_id, status_code=422, errors=problems_by_field(error),
                                  notice="Chưa giao được: còn dự thảo thiếu “rõ”, xem các mục đánh dấu.")
    service.forget_choices()
    return redirect(f"/directives/{done['directive_id']}",
                    f"Đã giao {sum(1 for d in done['drafts'] if d.get('task_id'))} nhiệm vụ.")


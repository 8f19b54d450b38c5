"""Pages: reading a conclusion notice into draft tasks, reviewing them all in one form (nothing typed is lost
when one part is saved), and giving them at once; a notice read twice is not given twice."""

import hashlib
import re
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError

from app import messages, unit_of_work
from app.config import get_settings
from app.errors import ApiError, FieldProblem, InvalidInput
from app.imports import sandbox
from app.imports import service as import_service
from app.types import PathId
from app.web import service
from app.web.common import (
    SignedInUser,
    as_int,
    form_of,
    from_validation,
    problems_by_field,
    redirect,
    refusal,
    render,
    submit_once,
)
from app.web.format import vn_date
from app.web.forms import ImportCommitForm, ImportDraftForm, ImportHeaderForm, ids

router = APIRouter(include_in_schema=False)

def _notice_pieces(text: str, drafts: list[dict],
                   segments: list[dict] = ()) -> tuple[list[tuple[str, int | None, dict | None]], dict[int, int]]:
    """The notice's text cut into pieces, each a draft's source (with its span number), a segment that made no draft
    (with its fate), or the text between; and, per draft, the span it points to (drafts split from one clause share
    one)."""
    spans: list[tuple[int, int]] = []
    of_draft: dict[int, int] = {}
    for draft in sorted(drafts, key=lambda d: (d["source"]["start"], d["n"])):
        span = (draft["source"]["start"], draft["source"]["end"])
        if span in spans:
            of_draft[draft["n"]] = spans.index(span)
        elif not spans or span[0] >= spans[-1][1]:
            spans.append(span)
            of_draft[draft["n"]] = len(spans) - 1
    pieces: list[tuple[str, int | None, dict | None]] = []
    cursor = 0
    for index, (start, end) in enumerate(spans + [(len(text), len(text))]):
        pieces += _between(text, cursor, start, segments)
        if index < len(spans):
            pieces.append((text[start:end], index, None))
        cursor = end
    return [p for p in pieces if p[0] or p[1] is not None], of_draft


def _between(text: str, a: int, b: int, segments) -> list[tuple[str, None, dict | None]]:
    """The text between two drafts' sources, its segments (not tasks, unread) marked by their fate."""
    out: list[tuple[str, None, dict | None]] = []
    cursor = a
    for segment in segments:
        if segment["fate"] == "task" and not segment.get("by_officer") or not (a <= segment["start"]
                                                                               and segment["end"] <= b):
            continue
        out.append((text[cursor:segment["start"]], None, None))
        out.append((text[segment["start"]:segment["end"]], None, segment))
        cursor = segment["end"]
    out.append((text[cursor:b], None, None))
    return out


def segment_counts(record: dict) -> dict[str, int]:
    """For the top of the review: the pieces that assign work (read or not), the drafts, those still unread."""
    segments = record.get("segments") or []
    tasks = sum(1 for g in segments if g["fate"] == "task")
    return {"assigning": tasks + record.get("unread", 0), "drafts": len(record["drafts"]),
            "unread": record.get("unread", 0), "not_task": sum(1 for g in segments if g["fate"] == "not_task")}


HEADER = ImportHeaderForm.FIELDS
DRAFT_TEXTS = ImportDraftForm.TEXTS


def review_values(record: dict) -> dict[str, Any]:
    """The review form's fields as the import holds them: the header's as `h-…`, each draft's as `d{n}-…`."""
    values: dict[str, Any] = {f"h-{k}": record["directive"].get(k) or "" for k in HEADER}
    for k in ("issued_on", "meeting_date"):
        values[f"h-{k}"] = vn_date(record["directive"].get(k))
    for d in record["drafts"]:
        p = f"d{d['n']}-"
        values |= {p + k: d.get(k) or "" for k in DRAFT_TEXTS if k != "deadline"}
        values[p + "deadline"] = d.get("deadline_text") or ""
        values[p + "lead_agency_id"] = str(d["lead_agency"]["id"]) if (d.get("lead_agency") or {}).get("id") else ""
        values[p + "coordinating_agency_ids"] = [str(a["id"]) for a in d.get("coordinating_agencies") or []
                                                 if a.get("id")]
        values[p + "deliverable_type"] = d.get("deliverable_type") or ""
        values[p + "priority"] = bool(d.get("priority"))
    return values


def _form_field(field: str) -> str:
    """A service's name for a field of the review (drafts.3.objective, directive.title) as the form names it."""
    if field.startswith("drafts."):
        parts = field.split(".")
        return f"d{parts[1]}-{parts[2]}" if len(parts) > 2 else "_form"
    if field.startswith("directive."):
        return "h-" + field.split(".")[1]
    return field


def _prefixed(error: InvalidInput, prefix: str) -> list[FieldProblem]:
    return [FieldProblem(prefix + (p.field or "_form"), p.msg, p.msg_vi, type=p.type) for p in error.problems]


async def _import_page(request: Request, user, import_id: int, *, status_code: int = 200, errors=None, form=None,
                       notice: str | None = None):
    def read(session):
        found = import_service.get(session=session, principal=user.principal, import_id=import_id)
        return found, service.agency_choices(session)

    found, agencies = await unit_of_work.read(read)
    pieces, of_draft = _notice_pieces(found["text"], found["drafts"], found.get("segments") or [])
    values = form if form else review_values(found)
    return render(request, "import.html", user, status_code=status_code, record=found, pieces=pieces,
                  of_draft=of_draft, agencies=agencies, errors=errors or {}, form=values,
                  notice=notice, counts=segment_counts(found))


@router.get("/imports")
async def imports_page(request: Request, user: SignedInUser):
    found = await unit_of_work.read(lambda session: import_service.listed(session=session, principal=user.principal))
    return render(request, "imports.html", user, imports=found, errors={}, form={}, max_megabytes=_max_megabytes())


def _max_megabytes() -> str:
    return messages.vn_number(get_settings().import_max_bytes // 1_000_000)


@router.post("/imports")
async def import_create(request: Request, user: SignedInUser):
    form = await form_of(request, user)
    upload = form.get("file")
    kwargs: dict[str, Any]
    if upload is not None and not isinstance(upload, str) and upload.filename:
        kwargs = {"content": await upload.read(), "filename": upload.filename, "content_type": upload.content_type}
        digest = hashlib.sha256(kwargs["content"]).hexdigest()
        form = {k: v for k, v in form.items() if k != "file"} | {"file_digest": digest}
    else:
        kwargs = {"text": form.get("text") or ""}
    made: dict = {}

    def create(session) -> str:
        made["import"] = import_service.create(session=session, principal=user.principal, reading=reading,
                                               filename=kwargs.get("filename", ""))
        return f"/imports/{made['import']['id']}"

    try:
        # Read first, in its own process and with no session open; only then the short write.
        reading = await import_service.read_notice(principal=user.principal, **kwargs,
                                                   disconnected=request.is_disconnected)
        location, replayed = await submit_once(user, form, create)
    except sandbox.ClientGone:
        return Response(status_code=499)  # nobody reads it: the browser closed the connection
    except ApiError as error:
        found = await unit_of_work.read(lambda session: import_service.listed(session=session,
                                                                              principal=user.principal))
        errors = problems_by_field(error) if isinstance(error, InvalidInput) else {"file": [error.message_vi]}
        if "file" in errors and "text" not in errors and "content" not in kwargs:
            errors["text"] = errors.pop("file")
        page = render(request, "imports.html", user, status_code=error.status_code, imports=found, errors=errors,
                      form={"text": kwargs.get("text", "")}, max_megabytes=_max_megabytes())
        page.headers.update(error.headers or {})  # a 503's Retry-After
        return page
    if replayed:
        return redirect(location, "Thông báo này đã được đọc ở lần gửi trước; đây là bản đang rà soát.",
                        request=request, user=user)
    return redirect(location, f"Đã đọc {len(made['import']['drafts'])} nhiệm vụ từ thông báo; hãy rà soát.",
                    request=request, user=user)


@router.get("/imports/{import_id}")
async def import_page(request: Request, import_id: PathId, user: SignedInUser):
    return await _import_page(request, user, import_id)


def _save_all(session, principal, import_id: int, form: dict) -> None:
    """Every field of the review as typed, header and drafts, saved in one unit of work: all or nothing, every
    problem named at its field."""
    record = import_service.get(session=session, principal=principal, import_id=import_id)
    problems: list[FieldProblem] = []
    try:  # the same reading of the header as PATCH /imports/{id}: a date that is not one is refused
        header = ImportHeaderForm.of(form).model_dump(exclude_unset=True, mode="json")
        if header:
            import_service.update_header(session=session, principal=principal, import_id=import_id, changes=header)
    except ValidationError as error:
        problems += _prefixed(from_validation(error), "h-")
    except InvalidInput as error:
        problems += _prefixed(error, "h-")
    for draft in record["drafts"]:
        p = f"d{draft['n']}-"
        if p + "title" not in form:  # not shown for editing (skipped, or given already)
            continue
        try:
            changes = ImportDraftForm.of_draft(form, draft["n"], draft.get("suggested_accountable_official"))
            import_service.update_draft(session=session, principal=principal, import_id=import_id, n=draft["n"],
                                        changes=changes)
        except ValidationError as error:
            problems += _prefixed(from_validation(error), p)
        except InvalidInput as error:
            problems += _prefixed(error, p)
    if problems:
        raise InvalidInput(problems)


@router.post("/imports/{import_id}/review")
async def import_review(request: Request, import_id: PathId, user: SignedInUser):
    """The review form: "Lưu tất cả" saves every field; skipping, keeping, splitting a draft or giving every task
    save every field first, so an edit made elsewhere on the page is never lost."""
    form = await form_of(request, user)
    action, _, target = form.get("action", "save").partition(":")
    n = as_int(target)
    try:
        await unit_of_work.write(lambda session: _save_all(session, user.principal, import_id, form))
    except (ApiError, ValidationError) as error:
        status, errors = refusal(error)
        return await _import_page(request, user, import_id, status_code=status, errors=errors, form=form)
    changes = {"skip": {"skip": True}, "keep": {"skip": False},
               "split": {"split_into": ids(form, f"d{n}-split_into")}}.get(action)
    if action == "segment" and n is not None:
        # A draft from a piece no rule read: its text as the work, the agencies it names offered as lead.
        made = await unit_of_work.write(lambda session: import_service.draft_from_segment(
            session=session, principal=user.principal, import_id=import_id, index=n))
        new_n = made["drafts"][-1]["n"]
        return redirect(f"/imports/{import_id}#draft-{new_n}", messages.IMPORT_DRAFT_FROM_SEGMENT.format(n=new_n),
                        request=request, user=user)
    try:
        if changes is not None and n is not None:
            await unit_of_work.write(lambda session: import_service.update_draft(
                session=session, principal=user.principal, import_id=import_id, n=n, changes=changes))
        elif action == "commit":
            # Pieces still unread are given up only on the officer's word, which each task's journal keeps.
            confirmed = ImportCommitForm.of(form).confirm_unread
            done = await unit_of_work.write(lambda session: import_service.commit(
                session=session, principal=user.principal, import_id=import_id, confirm_unread=confirmed))
            service.forget_choices()
            return redirect(f"/directives/{done['directive_id']}",
                            f"Đã giao {sum(1 for d in done['drafts'] if d.get('task_id'))} nhiệm vụ.",
                            request=request, user=user)
    except (ApiError, ValidationError) as error:
        status, errors = refusal(error)
        errors = {(_form_field(k) if action == "commit" else f"d{n}-{k}" if k != "_form" else k):
                  [re.sub(r"^dự thảo \d+: ", "", message) for message in found] for k, found in errors.items()}
        if action == "commit" and set(errors) == {"confirm_unread"}:
            unread = len(errors["confirm_unread"]) and (await unit_of_work.read(lambda session: import_service.get(
                session=session, principal=user.principal, import_id=import_id)))["unread"]
            errors = {"confirm_unread": [messages.IMPORT_UNREAD_CONFIRM.format(count=unread)]}
        elif action == "commit":
            errors = {"_form": [messages.IMPORT_NOT_GIVEN]} | errors
        return await _import_page(request, user, import_id, status_code=status, errors=errors, form=form)
    anchor = f"#draft-{n}" if n is not None else ""
    done = {"save": "Đã lưu tất cả.", "skip": f"Đã bỏ qua dự thảo {n}.", "keep": f"Dự thảo {n} sẽ được giao.",
            "split": f"Đã tách dự thảo {n}."}.get(action, "Đã lưu tất cả.")
    return redirect(f"/imports/{import_id}{anchor}", done, request=request, user=user)


@router.post("/imports/{import_id}/discard")
async def import_discard(request: Request, import_id: PathId, user: SignedInUser):
    await form_of(request, user)
    await unit_of_work.write(lambda session: import_service.discard(session=session, principal=user.principal,
                                                                     import_id=import_id))
    return redirect("/imports", "Đã hủy bản nhập; bản nhập vẫn có trong danh sách, không giao nhiệm vụ nào.",
                    request=request, user=user)

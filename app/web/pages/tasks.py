"""Pages: the task list (filters, sortable columns, numbered pages, any past day) and a task's page with the forms
its reader may use (report, ask, decide, accept, edit, remove)."""

from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlencode

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from app import messages, unit_of_work
from app.access import policy
from app.access.policy import Action
from app.agencies import service as agency_service
from app.errors import ApiError, FieldProblem, InvalidInput
from app.reports import export as report_export
from app.tasks import comments, evidence, listing, presenter, queues, reminders, workflow
from app.tasks import service as task_service
from app.tasks.schemas import ReminderBulkResult
from app.types import PathId
from app.web import list_export, service
from app.web.common import SignedInUser, as_int, form_of, made_once, redirect, refusal, render, submit_once
from app.web.forms import (
    TASK_TEXT_FIELDS,
    CommentForm,
    ExplanationAnswerForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    ProgressForm,
    ReminderForm,
    ReviewForm,
    TaskEditForm,
    TaskListQuery,
    TaskOfficialForm,
    TaskRemovalForm,
    edited,
    ids,
    version_of,
)

router = APIRouter(include_in_schema=False)

# ---------------------------------------------------------------- the list

SORTS = {"title": "Nhiệm vụ", "agency": "Cơ quan chủ trì", "deadline": "Thời hạn", "timing": "Tình trạng",
         "status": "Trạng thái", "directive": "Văn bản"}


def _page(session, filters: listing.TaskFilters, as_of: date | None, order: str, descending: bool, number: int,
          size: int = service.PAGE_SIZE) -> dict[str, Any]:
    if as_of is None:
        found = listing.list_page(session=session, filters=filters, order=order, descending=descending,
                                  number=number, size=size)
    else:
        found = listing.list_page_as_of(session=session, filters=filters, as_of=as_of, order=order,
                                        descending=descending, number=number, size=size)
    return {"items": presenter.present(session=session, tasks=found.rows, today=as_of or service.today()),
            "total": found.total, "number": found.number, "pages": found.pages}


@router.get("/tasks")
async def task_list(request: Request, user: SignedInUser):
    return await _task_list_page(request, user)


async def _task_list_page(request: Request, user, *, status_code: int | None = None, remind_errors=None,
                          form=None) -> Response:
    """The list; with the reminder form ("Đôn đốc") for whoever may remind, on today's list (a refused reminder
    shows it again, open, with what was ticked and typed)."""
    params = dict(request.query_params)
    today = service.today()
    query, kept, errors = TaskListQuery.read(params, today=today)
    filters, as_of = query.filters(user.principal), query.past_day(today)
    order = params.get("sort") if params.get("sort") in SORTS else "deadline"
    descending = params.get("order") == "desc"
    number = as_int(params.get("page")) or 1
    remindable = not errors and as_of is None and policy.allows(user.principal, Action.remind_task)

    def read(session):
        page = None if errors else _page(session, filters, as_of, order, descending, number)
        reminded = reminders.reminded_today(session=session, task_ids=[t["id"] for t in page["items"]]) if (
            remindable and page) else {}
        return page, reminded, service.agency_choices(session, active_only=False), service.directive_choices(session)

    page, reminded, agencies, directives = await unit_of_work.read(read)
    query = urlencode(kept)
    sorting = urlencode(kept | ({"sort": order} if order != "deadline" else {})
                        | ({"order": "desc"} if descending else {}))
    here = urlencode(kept | ({"sort": order} if order != "deadline" else {}) | ({"order": "desc"} if descending else {})
                     | ({"page": str(page["number"])} if page and page["number"] > 1 else {}))
    return render(request, "tasks.html", user, status_code=status_code or (422 if errors else 200), page=page,
                  filters=kept, errors=errors, agencies=agencies, directives=directives, query=query, sorting=sorting,
                  order=order, descending=descending, sorts=SORTS, as_of=as_of,
                  # Whoever answers only for its own tasks (an agency) is offered them at one click.
                  can_mine=policy.answers_only_for_its_own_tasks(user.principal) or kept.get("mine") == "1",
                  remindable=remindable and bool(page and page["total"]), reminded=reminded, here=here,
                  remind_errors=remind_errors or {}, form=form or {})


@router.post("/tasks/reminders")
async def task_list_remind(request: Request, user: SignedInUser):
    """"Đôn đốc" from the list: the tasks ticked, or (the button "tất cả") every task its filters show — the filters
    are the address's, as on the list. Made at most once per submission; the outcome is a page of its own: each task
    reminded, each skipped with why."""
    form = await form_of(request, user)
    today = service.today()
    query, kept, errors = TaskListQuery.read(dict(request.query_params), today=today)
    if errors or query.past_day(today):  # a forged address: the list says what is wrong with it
        return await _task_list_page(request, user)
    filters = query.filters(user.principal)
    everything = form.get("scope") == "all"

    def work(session) -> dict:
        reminder = ReminderForm.of(form)
        if everything:
            done = reminders.remind_listed(session=session, filters=filters, reminder=reminder,
                                           principal=user.principal)
        else:
            done = reminders.remind_many(session=session, task_ids=ids(form, "task_ids"), reminder=reminder,
                                         principal=user.principal)
        return ReminderBulkResult.model_validate(done).model_dump(mode="json")

    try:
        outcome, replayed = await made_once(user, form, work)
    except (ApiError, ValidationError) as error:
        status, problems = refusal(error, fields=FORMS["remind"])
        return await _task_list_page(request, user, status_code=status, remind_errors=problems, form=form)
    back = "/tasks?" + urlencode(kept) if kept else "/tasks"
    return render(request, "reminders.html", user, outcome=ReminderBulkResult.model_validate(outcome), back=back,
                  notice=messages.REMINDERS_SENT_TWICE if replayed else None)


@router.get("/tasks/export.{fmt}")
async def task_list_export(request: Request, fmt: str, user: SignedInUser):
    """The list as it is filtered and sorted on the page, as CSV or XLSX: for an agency, the tasks it leads among
    them (Action.export_tasks; another agency's asked for: 403)."""
    if fmt not in ("csv", "xlsx"):
        raise ApiError.of(404, "no_such_format", code="not_found")
    params = dict(request.query_params)
    today = service.today()
    query, _, errors = TaskListQuery.read(params, today=today)
    filters, as_of = query.filters(user.principal), query.past_day(today)
    if errors:
        raise InvalidInput([FieldProblem(name, "", message, location="query") for name, found in errors.items()
                            for message in found])
    order = params.get("sort") if params.get("sort") in SORTS else "deadline"
    descending = params.get("order") == "desc"
    # What may be taken away is the export rule's (an agency: the tasks it leads), whatever the filter shows.
    filters.lead_agency_id = listing.exportable_lead_agency(user.principal, filters.lead_agency_id)

    def pages(session):
        number = 1
        while True:
            page = _page(session, filters, as_of, order, descending, number, size=500)
            yield from page["items"]
            if number >= page["pages"] or number * 500 >= list_export.MAX_ROWS:
                return
            number += 1

    content = await unit_of_work.heavy(lambda session: list_export.build(pages(session), fmt, as_of))
    media = report_export.FORMATS[fmt].media_type
    name = f"danh-sach-nhiem-vu-tinh-den-{as_of}" if as_of else f"danh-sach-nhiem-vu-{service.today()}"
    return Response(content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


# ---------------------------------------------------------------- a task's page and its forms

# The fields each form shows (a problem about anything else is shown at the form's top) and the service's names
# for them.
FORMS: dict[str, frozenset[str]] = {
    "progress": frozenset({"status", "progress_percent", "note", "document_number", "document_date", "url",
                           "completed_on", "files"}),
    "request": frozenset({"kind", "requested_deadline", "reason"}),
    "decision": frozenset({"approved_deadline", "note"}),
    "review": frozenset({"note"}),
    "edit": frozenset({*TASK_TEXT_FIELDS, "lead_agency_id", "coordinating_agency_ids", "deliverable_type",
                       "priority"}),
    "remove": frozenset({"reason"}),
    "official": frozenset(),
    "comment": frozenset({"comment", "asks_explanation"}),
    "answer": frozenset({"comment"}),
    "remind": frozenset({"note", "force", "force_reason"}),
}
ALIASES = {"evidence": ("document_number", "document_date"), "evidence.document_number": ("document_number",),
           "evidence.document_date": ("document_date",), "evidence.url": ("url",)}


def _task_view(session, user, task_id: int) -> dict:
    row = task_service.get_task_row(session=session, task_id=task_id)
    task = presenter.present(session=session, tasks=[row], today=service.today())[0]
    requests = queues.list_requests(session=session, status=None, lead_agency_id=None, directive_id=None,
                                    limit=200, cursor=None, task_id=task_id)[0]
    history = task_service.history_public(session=session, task_id=task_id)
    former = {(e.get("data") or {}).get("before", {}).get("lead_agency_id") for e in history} - {None}
    names = {a: ref["name"] for a, ref in agency_service.refs(session=session, agency_ids=former).items()}
    return {"task": task, "history": history, "requests": requests, "agencies": service.agency_choices(session),
            "files": evidence.listed(session=session, task_id=task_id, principal=user.principal, pending=False),
            "evidence_help": evidence.limits_vi(),
            "indicators": service.indicators_of_task(session, user.principal, task_id),
            "comments": comments.list_comments(session=session, task_id=task_id, limit=500, cursor=None)[0],
            "actions": presenter.next_actions(principal=user.principal, task=task, requests=requests,
                                              history=history, agency_names=names)}


async def _task_page(request: Request, user, task_id: int, *, status_code: int = 200, errors=None, form=None,
                     open_form: str | None = None, stale: bool = False, answering: int | None = None):
    view = await unit_of_work.read(lambda session: _task_view(session, user, task_id))
    return render(request, "task.html", user, status_code=status_code, errors=errors or {}, form=form or {},
                  open_form=open_form, stale=stale, answering=answering, **view)


@router.get("/tasks/{task_id}")
async def task_page(request: Request, task_id: PathId, user: SignedInUser):
    return await _task_page(request, user, task_id)


async def _task_action(request: Request, user, task_id: int, name: str, work: Callable[[Any, dict], Any],
                       done: str, prepare: Callable[[dict], Any] | None = None,
                       files_field: str | None = None) -> Response:
    """A form on the task page: the work runs in one unit of work; a refusal shows the page again with that form
    open, what was typed in it, and each problem at its field (422) or at the form's top (403, 409). A stale edit
    (412: someone saved first) keeps what was typed beside the values now in force. `prepare` (awaited first, with
    the form) does what must not hold a transaction (keeping uploaded files); files chosen in `files_field` cannot be
    put back into a page, so a refusal says, at that field, to choose them again."""
    form = await form_of(request, user)
    chosen = bool(files_field and evidence.chosen(form["_lists"].get(files_field, [])))
    try:
        if prepare is not None:
            await prepare(form)
        await unit_of_work.write(lambda session: work(session, form | {"_principal": user.principal}))
    except (ApiError, ValidationError) as error:
        status, errors = refusal(error, fields=FORMS[name], aliases=ALIASES)
        if chosen:
            if status == 413 and "_form" in errors:  # a file over its limit: said at the field
                errors[files_field] = errors.pop("_form")
            errors.setdefault(files_field, []).append(messages.EVIDENCE_CHOOSE_AGAIN_VI)
        if status == 412:
            errors = {"_form": [messages.TASK_STALE_PAGE]}
            if name == "edit":
                form = await unit_of_work.read(lambda session: _over_current(session, task_id, form))
        return await _task_page(request, user, task_id, status_code=status, errors=errors, form=form,
                                open_form=name, stale=status == 412)
    return redirect(f"/tasks/{task_id}", done, request=request, user=user)


def _over_current(session, task_id: int, form: dict) -> dict:
    """A stale edit's form again: the values now in force, with the fields the person changed as they typed them."""
    row = task_service.get_task_row(session=session, task_id=task_id)
    current: dict[str, Any] = {f: getattr(row, f) or "" for f in TASK_TEXT_FIELDS}
    current |= {"deliverable_type": row.deliverable_type, "lead_agency_id": str(row.lead_agency_id),
                "priority": "1" if row.priority else ""}
    lists = {"coordinating_agency_ids": [str(a) for a in row.coordinating_agency_ids]}
    changed = edited(form)
    for field in changed:
        if field == "coordinating_agency_ids":
            lists[field] = form["_lists"].get(field, [])
        else:
            current[field] = form.get(field, "")
    return current | {"_lists": lists, "_changed": sorted(changed)}


@router.post("/tasks/{task_id}/progress")
async def task_progress(request: Request, task_id: PathId, user: SignedInUser):
    """The report, with its evidence files when some are chosen (a multipart form): the form is checked first, then
    the files are kept (outside any transaction), then their rows and the report are written in one unit of work."""
    kept: list = []

    async def prepare(form):
        ProgressForm.of(form)  # a report refused anyway keeps no file
        uploads = evidence.chosen(form["_lists"].get("files", []))
        if uploads:
            await unit_of_work.read(lambda session: evidence.may_upload(session=session, task_id=task_id,
                                                                        principal=user.principal))
            kept[:] = await anyio.to_thread.run_sync(evidence.keep_uploads, uploads, "files")

    def work(session, form):
        report = ProgressForm.of(form)
        if kept:
            rows = evidence.record_uploads(session=session, task_id=task_id, principal=form["_principal"], files=kept)
            report = report.model_copy(update={"file_ids": [row.id for row in rows]})
        workflow.report_progress(session=session, task_id=task_id, report=report, principal=form["_principal"])

    return await _task_action(request, user, task_id, "progress", work, "Đã ghi nhận báo cáo.", prepare=prepare,
                              files_field="files")


@router.get("/files/{file_id}")
async def evidence_file(file_id: PathId, user: SignedInUser):
    """An evidence file, for whoever may read its task (the same rule as GET /api/v1/files/{id})."""
    row = await unit_of_work.read(lambda session: evidence.for_download(session=session, file_id=file_id,
                                                                        principal=user.principal))
    return evidence.file_response(row)


@router.post("/tasks/{task_id}/review")
async def task_review(request: Request, task_id: PathId, user: SignedInUser):
    def work(session, form):
        review = ReviewForm.of(form)
        workflow.review_completion(session=session, task_id=task_id, accept=review.accept, note=review.note,
                                   principal=form["_principal"])

    return await _task_action(request, user, task_id, "review", work, "Đã ghi nhận quyết định.")


@router.post("/tasks/{task_id}/request")
async def task_request(request: Request, task_id: PathId, user: SignedInUser):
    def work(session, form):
        workflow.request_extension(session=session, task_id=task_id, request_in=ExtensionRequestForm.of(form),
                                   principal=form["_principal"])

    return await _task_action(request, user, task_id, "request", work, "Đã gửi đề nghị.")


@router.post("/tasks/{task_id}/requests/{request_id}/decision")
async def task_request_decision(request: Request, task_id: PathId, request_id: PathId, user: SignedInUser):
    def work(session, form):
        workflow.decide_extension(session=session, request_id=request_id, principal=form["_principal"],
                                  decision=ExtensionDecisionForm.of(form))

    return await _task_action(request, user, task_id, "decision", work, "Đã quyết định đề nghị.")


@router.post("/tasks/{task_id}/edit")
async def task_edit(request: Request, task_id: PathId, user: SignedInUser):
    def work(session, form):
        task_service.update_task(session=session, task_id=task_id, task_in=TaskEditForm.of(form),
                                 principal=form["_principal"], expected_version=version_of(form))

    return await _task_action(request, user, task_id, "edit", work, "Đã lưu nhiệm vụ.")


@router.post("/tasks/{task_id}/official")
async def task_official(request: Request, task_id: PathId, user: SignedInUser):
    """The accountable official reworded for the agency a task moved to by a merger, as the page suggests it."""
    def work(session, form):
        task_service.update_task(session=session, task_id=task_id,
                                 task_in=TaskOfficialForm.of(form),
                                 principal=form["_principal"], expected_version=version_of(form))

    return await _task_action(request, user, task_id, "official", work, "Đã cập nhật người chịu trách nhiệm.")


@router.post("/tasks/{task_id}/remove")
async def task_remove(request: Request, task_id: PathId, user: SignedInUser):
    def work(session, form):
        workflow.remove_task(session=session, task_id=task_id, reason=TaskRemovalForm.of(form).reason,
                             principal=form["_principal"])

    return await _task_action(request, user, task_id, "remove", work, "Đã xóa nhiệm vụ giao nhầm.")



# ---------------------------------------------------------------- a task's thread and its reminder


async def _task_once(request: Request, user, task_id: int, name: str, work: Callable[[Any, dict], str], done: str,
                     again: str, answering: int | None = None) -> Response:
    """A task page's form that makes something (a comment, an answer, a reminder): made at most once per submission
    (`submit_once`: a double click, a refresh or the back button sends nothing twice, and says so); `work` returns
    the address to show it at. A refusal shows the page again as `_task_action` does."""
    form = await form_of(request, user)
    try:
        location, replayed = await submit_once(user, form, lambda session: work(
            session, form | {"_principal": user.principal}))
    except (ApiError, ValidationError) as error:
        status, errors = refusal(error, fields=FORMS[name])
        return await _task_page(request, user, task_id, status_code=status, errors=errors, form=form,
                                open_form=name, answering=answering)
    return redirect(location, again if replayed else done, request=request, user=user)


@router.post("/tasks/{task_id}/comments")
async def task_comment(request: Request, task_id: PathId, user: SignedInUser):
    def work(session, form) -> str:
        comment_in = CommentForm.of(form)
        made = comments.add_comment(session=session, task_id=task_id, text=comment_in.comment,
                                    asks_explanation=comment_in.asks_explanation, principal=form["_principal"])
        return f"/tasks/{task_id}#comment-{made.id}"

    return await _task_once(request, user, task_id, "comment", work, "Đã gửi ý kiến.", messages.COMMENT_SENT_TWICE)


@router.post("/tasks/{task_id}/comments/{comment_id}/answer")
async def task_answer(request: Request, task_id: PathId, comment_id: PathId, user: SignedInUser):
    def work(session, form) -> str:
        made = comments.answer_explanation(session=session, task_id=task_id, comment_id=comment_id,
                                           text=ExplanationAnswerForm.of(form).comment, principal=form["_principal"])
        return f"/tasks/{task_id}#comment-{made.id}"

    return await _task_once(request, user, task_id, "answer", work, "Đã gửi giải trình.",
                            messages.COMMENT_SENT_TWICE, answering=comment_id)


@router.post("/tasks/{task_id}/remind")
async def task_remind(request: Request, task_id: PathId, user: SignedInUser):
    def work(session, form) -> str:
        reminders.remind(session=session, task_id=task_id, reminder=ReminderForm.of(form),
                         principal=form["_principal"])
        return f"/tasks/{task_id}"

    return await _task_once(request, user, task_id, "remind", work, "Đã đôn đốc cơ quan chủ trì.",
                            messages.REMINDERS_SENT_TWICE)

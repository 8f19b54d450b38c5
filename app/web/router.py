"""The web pages: each route turns a form or a link into one call of the same services the API uses, inside the unit
of work, and renders the answer (or the refusal, field by field) in Vietnamese. Forms work without JavaScript."""

import asyncio
import secrets
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from app import messages, unit_of_work
from app.auth import accounts, policy
from app.auth import service as auth_service
from app.auth import sessions as web_sessions
from app.auth.policy import Action
from app.calendar import service as calendar_service
from app.calendar.schemas import CalendarDayCreate
from app.config import get_settings
from app.directives import service as directive_service
from app.directives.schemas import DirectiveCreate
from app.errors import ApiError, FieldProblem, InvalidInput
from app.imports import service as import_service
from app.reports import export as report_export
from app.reports import router as report_router
from app.reports import service as report_service
from app.reports.schemas import DocumentSettings
from app.tasks import listing, presenter, queues, workflow
from app.tasks import service as task_service
from app.tasks.deadlines import ACCEPTED_FORMS
from app.tasks.models import DeliverableType
from app.tasks.schemas import (
    Evidence,
    ExtensionDecision,
    ExtensionRequestCreate,
    ProgressReport,
    TaskCreate,
    TaskUpdate,
)
from app.tasks.status import TaskStatus
from app.tasks.timing import Timing
from app.web import format as web_format
from app.web import list_export, service
from app.webhooks import delivery
from app.webhooks import service as webhook_service
from app.webhooks.schemas import WebhookCreate, WebhookUpdate

HERE = Path(__file__).parent
COOKIE = "rv_session"
LOGIN_COOKIE = "rv_login"  # the sign-in form's CSRF token, before there is a session
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.filters.update(web_format.FILTERS)
templates.env.globals.update(messages=messages, Timing=Timing, TaskStatus=TaskStatus, Action=Action,
                             DeliverableType=DeliverableType, ACCEPTED_FORMS=ACCEPTED_FORMS)
router = APIRouter(include_in_schema=False)


# ---------------------------------------------------------------- plumbing


class SignInRequired(Exception):
    pass


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


async def signed_in(request: Request) -> web_sessions.SignedIn | None:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    found = web_sessions.cached(raw)
    if found is None:
        found = await unit_of_work.read(lambda session: web_sessions.current(session=session, raw=raw))
        if found is None:
            return None
        web_sessions.remember(raw, found)
    if web_sessions.needs_touch(found):
        await unit_of_work.write(lambda session: web_sessions.touch(session=session, signed_in=found))
    return found


async def require_user(request: Request) -> web_sessions.SignedIn:
    user = await signed_in(request)
    if user is None:
        raise SignInRequired
    return user


async def form_of(request: Request, user: web_sessions.SignedIn) -> dict[str, Any]:
    """The posted form, after its CSRF token is checked: a forged post changes nothing (403)."""
    form = await request.form()
    if not web_sessions.csrf_ok(user, form.get("csrf_token")):
        raise ApiError.of(403, "form_expired", code="csrf")
    return {key: (value.strip() if isinstance(value, str) else value) for key, value in form.multi_items()
            if key != "csrf_token"} | {"_lists": {key: form.getlist(key) for key in form}}


def render(request: Request, template: str, user: web_sessions.SignedIn | None, status_code: int = 200,
           **context) -> HTMLResponse:
    nav = []
    if user is not None:
        p = user.principal
        nav = [("/", "Tổng quan"), ("/tasks", "Nhiệm vụ"), ("/directives", "Văn bản chỉ đạo"),
               ("/reports", "Báo cáo")]
        if policy.allows(p, Action.import_notice):
            nav.append(("/imports", "Nhập thông báo"))
        nav += [("/subscriptions", "Cảnh báo"), ("/calendar", "Lịch")]
        if policy.allows(p, Action.read_own_accounts, relation=policy.Relation.own):
            nav.append(("/accounts", "Tài khoản"))
    return templates.TemplateResponse(request, template, {
        "user": user, "nav": nav, "path": request.url.path, "csrf": user.csrf_token if user else None,
        "can": (lambda action, task=None, relation=None: user is not None and policy.allows(
            user.principal, action, task, relation=relation)), **context}, status_code=status_code)


def redirect(url: str, message: str | None = None) -> RedirectResponse:
    """After a post, to the page that shows its result (the message rides in the URL, shown once)."""
    if message:
        path, hash_, fragment = url.partition("#")
        url = path + ("&" if "?" in path else "?") + urlencode({"ok": message}) + hash_ + fragment
    return RedirectResponse(url, status_code=303)


def problems_by_field(error: InvalidInput | ValidationError) -> dict[str, list[str]]:
    """The refusal's messages by field: a service's (InvalidInput) or a form's (pydantic's ValidationError)."""
    if isinstance(error, ValidationError):
        error = from_validation(error)
    found: dict[str, list[str]] = {}
    for problem in error.problems:
        found.setdefault(problem.field or "body", []).append(problem.msg_vi)
    return found


def from_validation(error: ValidationError, prefix: str = "") -> InvalidInput:
    problems = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"])
        message = str(item.get("msg", "")).removeprefix("Value error, ")
        vi = (item.get("ctx") or {}).get("msg_vi") or messages.FORM_PYDANTIC_VI.get(
            item["type"], messages.FORM_PYDANTIC_VI["value_error"])
        problems.append(FieldProblem(prefix + field, message, vi, type=item["type"]))
    return InvalidInput(problems)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() and len(value.strip()) < 10 else None


def _day(value: str | None) -> date | None:
    """A date as people type it (dd/mm/yyyy) or as ISO; None when it is neither."""
    iso = _iso(value)
    try:
        return date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def _iso(value: str | None) -> str | None:
    """dd/mm/yyyy (as pages show dates) to yyyy-mm-dd for the services; anything else unchanged, for them to judge."""
    if not value:
        return None
    parts = value.strip().replace("-", "/").replace(".", "/").split("/")
    if len(parts) == 3 and len(parts[2]) == 4 and all(p.isdigit() for p in parts):
        return f"{parts[2]}-{int(parts[1]):02d}-{int(parts[0]):02d}"
    return value.strip()


# ---------------------------------------------------------------- sign-in


@router.get("/login")
async def login_page(request: Request, next: str = "/", error: str | None = None):  # noqa: A002
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", None, next=next if next.startswith("/") else "/", login_token=token,
                      error=error)
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="lax", secure=_secure(request), max_age=3600)
    return response


@router.post("/login")
async def login(request: Request):
    form = await request.form()
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    next_url = str(form.get("next") or "/")
    next_url = next_url if next_url.startswith("/") and not next_url.startswith("//") else "/"
    sent, expected = form.get("login_token"), request.cookies.get(LOGIN_COOKIE)
    if not sent or not expected or not secrets.compare_digest(str(sent), expected):
        return render(request, "login.html", None, status_code=403, next=next_url, login_token=expected or "",
                      error=messages.SIGN_IN["form_expired"])
    ip = request.client.host if request.client else ""
    throttle = await unit_of_work.read(lambda session: web_sessions.throttle(session=session, username=username,
                                                                             ip=ip))
    if throttle.refused_for is not None:
        minutes = max(1, round(throttle.refused_for.total_seconds() / 60))
        return render(request, "login.html", None, status_code=429, next=next_url, login_token=expected,
                      username=username, error=messages.SIGN_IN["throttled"].format(minutes=minutes))
    if throttle.delay_seconds:
        await asyncio.sleep(throttle.delay_seconds)  # each further guess costs more time
    account, raw = await unit_of_work.write(lambda session: web_sessions.sign_in(
        session=session, username=username, password=password, ip=ip,
        user_agent=request.headers.get("user-agent", "")))
    if account is None:
        return render(request, "login.html", None, status_code=401, next=next_url, login_token=expected,
                      username=username, error=messages.SIGN_IN["wrong"])
    response = redirect(next_url)
    # A new session at every sign-in: whatever cookie the browser had is replaced (no fixation).
    response.set_cookie(COOKIE, raw, httponly=True, samesite="lax", secure=_secure(request),
                        max_age=int(web_sessions.ABSOLUTE.total_seconds()))
    response.delete_cookie(LOGIN_COOKIE)
    return response


@router.post("/logout")
async def logout(request: Request):
    user = await require_user(request)
    form = await form_of(request, user)
    everywhere = form.get("everywhere") == "1"
    await unit_of_work.write(lambda session: web_sessions.revoke_all(session=session, account_id=user.account.id)
                             if everywhere else web_sessions.sign_out(session=session, session_id=user.session_id))
    response = redirect("/login")
    response.delete_cookie(COOKIE)
    return response


# ---------------------------------------------------------------- dashboard


@router.get("/")
async def dashboard(request: Request, directive_id: str | None = None, meeting_date: str | None = None,
                    as_of: str | None = None):
    user = await require_user(request)
    day = _day(as_of) or service.today()
    board = await unit_of_work.read(lambda session: service.dashboard(
        session, user.principal, directive_id=_int(directive_id), meeting_date=_day(meeting_date), as_of=day))
    return render(request, "dashboard.html", user, board=board, as_of=day, directive_id=_int(directive_id),
                  meeting_date=_day(meeting_date))


# ---------------------------------------------------------------- tasks

LIST_FILTERS = ("directive_id", "lead_agency_id", "status", "timing", "priority", "deadline_after",
                "deadline_before", "q", "awaiting")


def _filters(params: dict[str, str]) -> tuple[listing.TaskFilters, dict[str, str]]:
    kept = {k: v for k, v in params.items() if k in LIST_FILTERS and v}
    filters = listing.TaskFilters(
        directive_id=_int(kept.get("directive_id")), lead_agency_id=_int(kept.get("lead_agency_id")),
        status=TaskStatus(kept["status"]) if kept.get("status") in TaskStatus.__members__ else None,
        timing=Timing(kept["timing"]) if kept.get("timing") in Timing.__members__ else None,
        priority={"1": True, "0": False}.get(kept.get("priority", "")),
        deadline_after=_day(kept.get("deadline_after")), deadline_before=_day(kept.get("deadline_before")),
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
                                document_date=_iso(form.get("document_date")), url=form.get("url") or None)
        report = ProgressReport(status="reported_done" if done else "in_progress",
                                progress_percent=100 if done else (form.get("progress_percent") or 0),
                                note=form.get("note", ""), evidence=evidence,
                                completed_on=_iso(form.get("completed_on")))
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


TASK_TEXT_FIELDS = ("title", "objective", "accountable_official", "deliverable_description", "expected_result",
                    "clause_ref")


@router.post("/tasks/{task_id}/edit")
async def task_edit(request: Request, task_id: int):
    def work(session, form):
        changes: dict[str, Any] = {f: form[f] for f in TASK_TEXT_FIELDS if f in form}
        if form.get("deliverable_type"):
            changes["deliverable_type"] = form["deliverable_type"]
        if form.get("lead_agency_id"):
            changes["lead_agency_id"] = _int(form["lead_agency_id"])
        changes["coordinating_agency_ids"] = [int(a) for a in form["_lists"].get("coordinating_agency_ids", [])
                                              if a.isdigit()]
        changes["priority"] = form.get("priority") == "1"
        task_service.update_task(session=session, task_id=task_id, task_in=TaskUpdate(**changes),
                                 principal=form["_principal"], expected_version=_int(form.get("version")))

    return await _task_action(request, task_id, "edit", work, "Đã lưu nhiệm vụ.")


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
        directive_in = DirectiveCreate(**values, issued_on=_iso(form.get("issued_on")),
                                       meeting_date=_iso(form.get("meeting_date")))
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
    values |= {"directive_id": directive_id, "lead_agency_id": _int(form.get("lead_agency_id")),
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


# ---------------------------------------------------------------- reports


@router.get("/reports")
async def report_page(request: Request, directive_id: str | None = None, meeting_date: str | None = None,
                      as_of: str | None = None, lead_agency_id: str | None = None):
    user = await require_user(request)
    day = _day(as_of) or service.today()

    def read(session):
        scope = report_service.resolve_scope(session=session, principal=user.principal,
                                             directive_id=_int(directive_id), meeting_date=_day(meeting_date),
                                             lead_agency_id=_int(lead_agency_id))
        return {"scope": scope, "directives": directive_service.list_directives(session=session)}

    view = await unit_of_work.heavy(read)
    view["report"], view["rows"] = await unit_of_work.heavy_call(report_export.page_view, view["scope"], day)
    view["settings"] = await unit_of_work.read(lambda session: report_service.document_settings(session=session))
    return render(request, "report.html", user, as_of=day, directive_id=_int(directive_id),
                  meeting_date=_day(meeting_date), **view)


@router.get("/reports/download")
async def report_download(request: Request, format: str = "xlsx", directive_id: str | None = None,  # noqa: A002
                          meeting_date: str | None = None, as_of: str | None = None,
                          lead_agency_id: str | None = None, number: str | None = None,
                          issued_on: str | None = None, signer_name: str | None = None,
                          signer_position: str | None = None):
    user = await require_user(request)
    if format not in report_export.FORMATS:
        raise ApiError.of(404, "no_such_format", code="not_found")
    day = _day(as_of) or service.today()
    scope = await unit_of_work.heavy(lambda session: report_service.resolve_scope(
        session=session, principal=user.principal, directive_id=_int(directive_id), meeting_date=_day(meeting_date),
        lead_agency_id=_int(lead_agency_id)))
    return await report_router.completion_download(scope, day, format, {
        "number": (number or "")[:50], "issued_on": _day(issued_on), "signer_name": (signer_name or "")[:100],
        "signer_position": (signer_position or "")[:200]})


@router.post("/reports/settings")
async def report_settings_save(request: Request):
    user = await require_user(request)
    form = await form_of(request, user)
    values = {k: form.get(k, "") for k in ("parent_body", "issuing_body", "symbol", "place", "signer_authority",
                                           "signer_position", "signer_name")}
    values["recipients"] = [line.strip() for line in (form.get("recipients") or "").splitlines() if line.strip()]
    try:
        settings_in = DocumentSettings(**values)
        await unit_of_work.write(lambda session: report_service.save_document_settings(
            session=session, principal=user.principal, settings_in=settings_in))
    except (InvalidInput, ValidationError) as error:
        error = error if isinstance(error, InvalidInput) else from_validation(error)
        raise ApiError(422, error.message, error.message_vi, code="validation_error") from error
    return redirect("/reports", "Đã lưu thông tin văn bản báo cáo.")


# ---------------------------------------------------------------- calendar


@router.get("/calendar")
async def calendar_page(request: Request, year: str | None = None):
    user = await require_user(request)
    chosen = _int(year) or service.today().year
    chosen = min(max(chosen, 2000), 2100)
    days = await unit_of_work.read(lambda session: calendar_service.list_days(session=session, year=chosen))
    return render(request, "calendar.html", user, year=chosen, days=days, form={}, errors={},
                  notice=request.query_params.get("ok"))


@router.post("/calendar")
async def calendar_add(request: Request):
    user = await require_user(request)
    form = await form_of(request, user)
    try:
        day_in = CalendarDayCreate(day=_iso(form.get("day")), kind=form.get("kind") or None,
                                   reason=form.get("reason", ""))
        await unit_of_work.write(lambda session: calendar_service.add_day(session=session, day_in=day_in,
                                                                          principal=user.principal))
    except (InvalidInput, ValidationError) as error:
        year = (_day(form.get("day")) or service.today()).year
        days = await unit_of_work.read(lambda session: calendar_service.list_days(session=session, year=year))
        return render(request, "calendar.html", user, status_code=422, year=year, days=days, form=form,
                      errors=problems_by_field(error))
    return redirect(f"/calendar?year={day_in.day.year}", "Đã thêm ngày vào lịch.")


@router.post("/calendar/{day}/delete")
async def calendar_delete(request: Request, day: date):
    user = await require_user(request)
    await form_of(request, user)
    await unit_of_work.write(lambda session: calendar_service.delete_day(session=session, day=day,
                                                                         principal=user.principal))
    return redirect(f"/calendar?year={day.year}", "Đã xóa ngày khỏi lịch.")


# ---------------------------------------------------------------- accounts and tokens


async def _accounts_page(request: Request, user, *, status_code: int = 200, errors=None, form=None,
                         shown_password: tuple[str, str] | None = None, shown_token: str | None = None):
    def read(session):
        listed = accounts.listed(session=session, principal=user.principal)
        tokens = auth_service.own_tokens(session=session, principal=user.principal) \
            if policy.allows(user.principal, Action.manage_own_tokens, relation=policy.Relation.own) else []
        return {"accounts": listed, "tokens": tokens, "agencies": service.agency_choices(session),
                "sessions": web_sessions.active_counts(session=session, account_ids=[a.id for a, _ in listed])}

    view = await unit_of_work.read(read)
    return render(request, "accounts.html", user, status_code=status_code, errors=errors or {}, form=form or {},
                  shown_password=shown_password, shown_token=shown_token,
                  notice=request.query_params.get("ok"), **view)


@router.get("/accounts")
async def accounts_page(request: Request):
    user = await require_user(request)
    return await _accounts_page(request, user)


@router.post("/accounts")
async def account_create(request: Request):
    user = await require_user(request)
    form = await form_of(request, user)
    try:
        account, password = await unit_of_work.write(lambda session: accounts.create(
            session=session, principal=user.principal, username=form.get("username", ""),
            full_name=form.get("full_name", ""), agency_code=form.get("agency_code", ""),
            role=form.get("role") or "agency",
            job_title=form.get("job_title", ""), email=form.get("email") or None))
    except InvalidInput as error:
        return await _accounts_page(request, user, status_code=422, errors=problems_by_field(error), form=form)
    return await _accounts_page(request, user, shown_password=(account.username, password))


@router.post("/accounts/{account_id}/{action}")
async def account_action(request: Request, account_id: int, action: str):
    user = await require_user(request)
    await form_of(request, user)
    shown = None
    if action == "deactivate":
        await unit_of_work.write(lambda session: accounts.set_active(session=session, principal=user.principal,
                                                                     account_id=account_id, active=False))
    elif action == "activate":
        await unit_of_work.write(lambda session: accounts.set_active(session=session, principal=user.principal,
                                                                     account_id=account_id, active=True))
    elif action == "password":
        account, password = await unit_of_work.write(lambda session: accounts.set_password(
            session=session, principal=user.principal, account_id=account_id))
        shown = (account.username, password)
    elif action == "sessions":
        await unit_of_work.write(lambda session: web_sessions.revoke_for(session=session, principal=user.principal,
                                                                         account_id=account_id))
    else:
        raise ApiError.of(404, "no_such_action", code="not_found")
    if shown:
        return await _accounts_page(request, user, shown_password=shown)
    return redirect("/accounts", "Đã cập nhật tài khoản.")


@router.post("/tokens")
async def token_create(request: Request):
    user = await require_user(request)
    form = await form_of(request, user)
    try:
        _, raw = await unit_of_work.write(lambda session: auth_service.create_own_token(
            session=session, principal=user.principal, name=form.get("name", "")))
    except InvalidInput as error:
        return await _accounts_page(request, user, status_code=422, errors=problems_by_field(error), form=form)
    return await _accounts_page(request, user, shown_token=raw)


@router.post("/tokens/{token_id}/revoke")
async def token_revoke(request: Request, token_id: int):
    user = await require_user(request)
    await form_of(request, user)
    await unit_of_work.write(lambda session: auth_service.revoke_own_token(session=session, principal=user.principal,
                                                                           token_id=token_id))
    return redirect("/accounts", "Đã thu hồi mã truy cập.")


@router.get("/account")
async def own_account(request: Request):
    user = await require_user(request)
    return render(request, "account.html", user, errors={}, notice=request.query_params.get("ok"))


@router.post("/account/password")
async def own_password(request: Request):
    user = await require_user(request)
    form = await form_of(request, user)

    typed_twice = form.get("new_password") == form.get("new_password_again")
    try:
        await unit_of_work.write(lambda session: accounts.change_own_password(
            session=session, principal=user.principal, account_id=user.account.id,
            current_password=form.get("current_password", ""), new_password=form.get("new_password", ""),
            typed_twice=typed_twice, field="new_password"))
    except InvalidInput as error:
        return render(request, "account.html", user, status_code=422, errors=problems_by_field(error))
    response = redirect("/login", None)
    response.delete_cookie(COOKIE)
    return response



# ---------------------------------------------------------------- subscriptions (Cảnh báo)

EVENT_LABELS = messages.EVENT_VI


def _subscription_values(form: dict) -> dict[str, Any]:
    lists = form["_lists"]
    return {"url": form.get("url", ""), "description": form.get("description", ""),
            "event_types": lists.get("event_types", []),
            "lead_agency_ids": [int(a) for a in lists.get("lead_agency_ids", []) if a.isdigit()],
            "directive_ids": [int(d) for d in lists.get("directive_ids", []) if d.isdigit()],
            "priority_only": form.get("priority_only") == "1", "digest": form.get("digest") == "1"}


async def _subscriptions_page(request: Request, user, *, status_code: int = 200, errors=None, form=None,
                              secret: str | None = None):
    def read(session):
        return {"endpoints": webhook_service.list_endpoints(session=session, principal=user.principal),
                "agencies": service.agency_choices(session),
                "directives": directive_service.list_directives(session=session)}

    view = await unit_of_work.read(read)
    return render(request, "subscriptions.html", user, status_code=status_code, errors=errors or {},
                  form=form or {}, secret=secret, events=EVENT_LABELS, notice=request.query_params.get("ok"), **view)


@router.get("/subscriptions")
async def subscriptions_page(request: Request):
    user = await require_user(request)
    return await _subscriptions_page(request, user)


@router.post("/subscriptions")
async def subscription_create(request: Request):
    user = await require_user(request)
    form = await form_of(request, user)
    try:
        endpoint_in = WebhookCreate(**_subscription_values(form), all_lead_agencies=form.get("all") == "1")
        endpoint = await unit_of_work.write(lambda session: webhook_service.create_endpoint(
            session=session, endpoint_in=endpoint_in, principal=user.principal))
    except (InvalidInput, ValidationError) as error:
        return await _subscriptions_page(request, user, status_code=422, errors=problems_by_field(error), form=form)
    return await _subscription_page(request, user, endpoint.id, secret=endpoint.secret,
                                    notice="Đã tạo đăng ký nhận cảnh báo.")


async def _subscription_page(request: Request, user, endpoint_id: int, *, status_code: int = 200, errors=None,
                             form=None, secret: str | None = None, notice: str | None = None,
                             attempt: dict | None = None):
    def read(session):
        endpoint = webhook_service.get_endpoint(session=session, endpoint_id=endpoint_id, principal=user.principal)
        messages_, _ = webhook_service.list_messages(session=session, endpoint=endpoint, status=None, limit=30,
                                                     cursor=None)
        return {"endpoint": endpoint, "log": [(m, webhook_service.attempts(session=session, message=m))
                                              for m in messages_],
                "agencies": service.agency_choices(session),
                "directives": directive_service.list_directives(session=session)}

    view = await unit_of_work.read(read)
    return render(request, "subscription.html", user, status_code=status_code, errors=errors or {},
                  form=form or {}, secret=secret, events=EVENT_LABELS, attempt=attempt,
                  notice=notice or request.query_params.get("ok"), **view)


@router.get("/subscriptions/{endpoint_id}")
async def subscription_page(request: Request, endpoint_id: int):
    user = await require_user(request)
    return await _subscription_page(request, user, endpoint_id)


@router.post("/subscriptions/{endpoint_id}/{action}")
async def subscription_action(request: Request, endpoint_id: int, action: str):
    user = await require_user(request)
    form = await form_of(request, user)
    p = user.principal
    if action == "update":
        try:
            values = _subscription_values(form) | {"active": form.get("active") == "1"}
            endpoint_in = WebhookUpdate(**values)
            await unit_of_work.write(lambda session: webhook_service.update_endpoint(
                session=session, endpoint_id=endpoint_id, endpoint_in=endpoint_in, principal=p))
        except (InvalidInput, ValidationError) as error:
            return await _subscription_page(request, user, endpoint_id, status_code=422,
                                            errors=problems_by_field(error), form=form)
        return redirect(f"/subscriptions/{endpoint_id}", "Đã lưu đăng ký.")
    if action == "rotate":
        endpoint = await unit_of_work.write(lambda session: webhook_service.rotate_secret(
            session=session, endpoint_id=endpoint_id, principal=p))
        return await _subscription_page(request, user, endpoint_id, secret=endpoint.secret,
                                        notice="Đã đổi khóa ký; khóa cũ còn dùng được 24 giờ.")
    if action == "test":
        settings = get_settings()
        message_id = await unit_of_work.write(lambda session: webhook_service.queue_ping(
            session=session, endpoint_id=endpoint_id, principal=p, settings=settings))
        outcome = await delivery.send_now(settings=settings, message_id=message_id)
        result = {"success": outcome.success, "status_code": outcome.status_code, "error": outcome.error,
                  "latency_ms": outcome.latency_ms}
        return await _subscription_page(request, user, endpoint_id, attempt=result)
    if action == "delete":
        await unit_of_work.write(lambda session: webhook_service.delete_endpoint(
            session=session, endpoint_id=endpoint_id, principal=p))
        return redirect("/subscriptions", "Đã xóa đăng ký.")
    raise ApiError.of(404, "no_such_action", code="not_found")


@router.post("/messages/{message_id}/redeliver")
async def message_redeliver(request: Request, message_id: str):
    user = await require_user(request)
    await form_of(request, user)
    message = await unit_of_work.write(lambda session: webhook_service.redeliver(
        session=session, public_id=message_id, principal=user.principal))
    return redirect(f"/subscriptions/{message.endpoint_id}", "Đã gửi lại thông điệp.")


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
        changes["lead_agency_id"] = _int(form.get("lead_agency_id"))
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
    changes |= {k: _iso(form.get(k)) for k in ("issued_on", "meeting_date")}
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

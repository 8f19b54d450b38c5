"""What the crawler and the form tests share: today's date (where the server judges deadlines), a small world made
over the API so that every kind of page and every state exists, signed-in browser contexts per role, the checks
every page a person sees must pass, and the crawler itself (breadth-first from `/`, a few URLs per URL pattern).

Results are kept per server (its base URL) for the whole run: the crawl of a role done by tests/web/test_crawl.py
is reused by the accessibility test and by tests/web/test_forms.py in the same process (under xdist each backend's
tests share one worker)."""

import re
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from playwright.sync_api import Error as PlaywrightError

from tests.conftest import LEAD_AGENCY, OTHER_AGENCY, SECRETARIAT_AGENCY, task_payload
from tests.dates import ahead, dmy, today  # noqa: F401 - today is the crawl's too
from tests.imports.notices import api_notice
from tests.web.conftest import Person, make_person, sign_in

# ---------------------------------------------------------------- dates

# Days as the server counts them, from the suite's one clock (tests/dates.py).
day = ahead
vn = dmy


# ---------------------------------------------------------------- roles and signed-in contexts

SIGNED_IN_ROLES = ("secretariat", "lead", "observer")
ROLES = (*SIGNED_IN_ROLES, "anonymous")
ROLE_ACCOUNTS = {"secretariat": (SECRETARIAT_AGENCY, "secretariat", "Nguyễn Thu Hà"),
                 "lead": (LEAD_AGENCY, "agency", "Trần Minh Quân"),
                 "observer": (OTHER_AGENCY, "observer", "Phạm Thị Lan")}
CONTEXT_ARGS = {"locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

_persons: dict[tuple[str, str], Person] = {}
_states: dict[tuple[str, str], dict] = {}


def person_for(server, role: str) -> Person:
    """The crawl's own person of a role (the same agencies and roles as tests/web/conftest.py `people`): another
    test's "sign out everywhere" cannot end these sessions."""
    key = (server.base_url, role)
    if key not in _persons:
        agency, account_role, name = ROLE_ACCOUNTS[role]
        _persons[key] = make_person(server.database, agency, account_role, name)
    return _persons[key]


def new_context(browser, server, role: str, viewport: dict | None = None):
    """A browser context signed in as `role` (signed in once per server and role; the cookie is reused), or not
    signed in at all for "anonymous"."""
    args = CONTEXT_ARGS | {"viewport": viewport or DESKTOP}
    if role == "anonymous":
        context = browser.new_context(**args)
    else:
        key = (server.base_url, role)
        if key not in _states:
            context = browser.new_context(**args)
            sign_in(context.new_page(), server.base_url, person_for(server, role))
            _states[key] = context.storage_state()
            context.close()
        context = browser.new_context(**args, storage_state=_states[key])
    context.set_default_timeout(15_000)
    return context


def signed_in_page(browser, server, person: Person, viewport: dict | None = None):
    """A fresh context signed in as `person` (a throwaway person, for forms that end its session)."""
    context = browser.new_context(**CONTEXT_ARGS, viewport=viewport or DESKTOP)
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, server.base_url, person)
    return page


# ---------------------------------------------------------------- the world



def notice_text() -> str:
    return api_notice(f"{uuid.uuid4().int % 9000 + 1000}/TB-VPCP")


def ok(response, expected: int = 200) -> dict:
    assert response.status_code == expected, f"{response.request.method} {response.request.url}: " \
                                             f"{response.status_code} {response.text[:500]}"
    return response.json() if response.content else {}


@dataclass
class Maker:
    """Things made over the API for a test of its own: directives, tasks in a state, subscriptions, imports."""
    clients: object  # tests.conftest.Clients (server_clients)
    base_url: str
    _agencies: dict | None = None

    @property
    def agencies(self) -> dict[str, dict]:
        if self._agencies is None:
            self._agencies = {a["code"]: a for a in ok(self.clients.secretariat.get("/agencies"))}
        return self._agencies

    def directive(self) -> dict:
        return ok(self.clients.secretariat.post("/directives", json={
            "number": f"{uuid.uuid4().hex[:6]}/TB-VPCP",
            "title": "Thông báo kết luận phiên họp về chuyển đổi số (dữ liệu kiểm thử trang)",
            "issued_on": day(-10).isoformat(), "meeting_name": "Phiên họp chuyên đề chuyển đổi số",
            "meeting_date": day(-12).isoformat(), "issuer": "Văn phòng Chính phủ"}), 201)

    def task(self, state: str = "new", directive: dict | None = None) -> dict:
        """A task of Bộ Tài chính in `state`: new, in_progress, reported_done, completed, withdrawn, or
        pending_request (new, with an extension request awaiting a decision)."""
        directive = directive or self.directive()
        task = ok(self.clients.secretariat.post("/tasks", json=task_payload(
            directive, self.agencies, deadline=day(180).isoformat())), 201)
        lead, secretariat, tid = self.clients.lead, self.clients.secretariat, task["id"]
        if state == "in_progress":
            ok(lead.post(f"/tasks/{tid}/progress", json={"status": "in_progress", "progress_percent": 40,
                                                         "note": "Đã hoàn thành dự thảo, đang lấy ý kiến"}))
        elif state in ("reported_done", "completed"):
            ok(lead.post(f"/tasks/{tid}/progress", json={
                "status": "reported_done", "progress_percent": 100, "note": "Chính phủ đã ban hành Nghị định",
                "evidence": {"document_number": "70/2026/NĐ-CP", "document_date": day(-1).isoformat(),
                             "url": "https://vanban.chinhphu.vn/70-2026-nd-cp"}}))
            if state == "completed":
                ok(secretariat.post(f"/tasks/{tid}/accept"))
        elif state == "withdrawn":
            made = ok(lead.post(f"/tasks/{tid}/extension-requests", json={
                "kind": "withdraw", "reason": "Nhiệm vụ đã được giao cho cơ quan khác theo văn bản mới"}), 201)
            ok(secretariat.post(f"/extension-requests/{made['id']}/decision", json={"decision": "approved"}))
        elif state == "pending_request":
            ok(lead.post(f"/tasks/{tid}/extension-requests", json={
                "kind": "extend", "requested_deadline": day(400).isoformat(),
                "reason": "Chờ ý kiến thẩm định của Bộ Tư pháp"}), 201)
        elif state != "new":
            raise ValueError(state)
        made = ok(self.clients.observer.get(f"/tasks/{tid}"))
        expected = "new" if state == "pending_request" else state
        assert made["status"] == expected, f"task {tid}: {made['status']} instead of {expected}"
        return made

    def indicator(self) -> dict:
        """A monthly percentage indicator of Bộ Tài chính with this year's target and last month's value."""
        agency = self.agencies["000.00.00.G12"]
        made = ok(self.clients.secretariat.post("/indicators", json={
            "code": f"KT-{uuid.uuid4().hex[:6]}", "name": "Tỷ lệ hồ sơ thuế điện tử (dữ liệu kiểm thử trang)",
            "unit": "%", "kind": "percentage", "group_name": "Chính quyền số", "frequency": "monthly",
            "reporting_agency_id": agency["id"]}), 201)
        ok(self.clients.secretariat.post(f"/indicators/{made['id']}/targets", json={
            "period": str(today().year), "value": 90, "baseline_value": 60,
            "baseline_on": today().replace(month=1, day=1).isoformat()}), 201)
        return made

    def subscription(self, role: str) -> dict:
        return ok(self.clients.by_role(role).post("/webhooks", json={
            "url": f"{self.base_url}/hook", "description": f"Cảnh báo cho phần mềm ({role})"}), 201)

    def notice_import(self) -> dict:
        return ok(self.clients.secretariat.post("/imports", json={"text": notice_text()}), 201)


@dataclass
class World:
    """One of every kind of page and state, made once per server."""
    directive: dict
    tasks: dict[str, dict]
    subscriptions: dict[str, dict]
    notice_import: dict

    def urls(self, role: str) -> list[str]:
        """The pages the crawl must see whatever the links lead to: every task state, the directive, the role's
        own subscription, the notice import."""
        found = [f"/directives/{self.directive['id']}", f"/imports/{self.notice_import['id']}"]
        found += [f"/tasks/{t['id']}" for t in self.tasks.values()]
        if role in self.subscriptions:
            found.append(f"/subscriptions/{self.subscriptions[role]['id']}")
        return found


_worlds: dict[str, World] = {}


def world_of(server, clients) -> World:
    if server.base_url not in _worlds:
        maker = Maker(clients, server.base_url)
        directive = maker.directive()
        tasks = {state: maker.task(state, directive)
                 for state in ("new", "in_progress", "reported_done", "completed", "withdrawn", "pending_request")}
        _worlds[server.base_url] = World(directive, tasks, {role: maker.subscription(role) for role in
                                                            SIGNED_IN_ROLES}, maker.notice_import())
    return _worlds[server.base_url]


# ---------------------------------------------------------------- what every page must be

VIETNAMESE_LETTER = re.compile("[àáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵđ]",
                               re.IGNORECASE)
REFERENCE = re.compile(r"^\S+/\S+ \(\d{4}\)$")  # a directive's reference: "128/TB-VPCP (2022)"
SITE = " — Rõ Việc"
ENGLISH_ERRORS = ("Not Found", "Internal Server Error", "Method Not Allowed", "Unprocessable Entity", "Bad Request",
                  "Field required", "Input should be", "value is not a valid", "Request failed",
                  "Traceback (most recent call last)", "There was an error parsing")
FILE_TYPES = ("text/csv", "application/pdf", "application/vnd.", "application/octet-stream", "application/zip")


def is_vietnamese(text: str) -> bool:
    return bool(VIETNAMESE_LETTER.search(text)) or bool(REFERENCE.match(text.strip()))


def page_problems(page, response, where: str, server_error: bool = False) -> list[str]:
    """What is wrong with the page now shown, as a person sees it: `where` names role and address in the message.
    `server_error`: the page is the answer to an unhandled error (a 500 is then expected, not a problem)."""
    problems = []
    if response is None:
        return [f"{where}: no answer at all"]
    status = response.status
    ctype = response.headers.get("content-type", "")
    if (status >= 500 and not server_error) or not ctype.startswith("text/html"):
        body = page.evaluate("() => document.body ? document.body.innerText : ''").strip()
        return [f"{where}: HTTP {status}, {ctype or 'no content-type'} — not the site's page but {body[:100]!r}"]
    seen = page.evaluate("""() => ({
        title: document.title,
        h1: [...document.querySelectorAll('h1')].map(h => h.innerText.trim()),
        text: document.body ? document.body.innerText : document.documentElement.textContent || ''})""")
    title, text = seen["title"], seen["text"]
    head = title[:-len(SITE)] if title.endswith(SITE) else None
    if head is None:
        problems.append(f"{where}: <title> {title!r} does not end with {SITE!r}")
    elif not head.strip():
        problems.append(f"{where}: <title> {title!r} is empty before {SITE!r}")
    elif not is_vietnamese(head) or any(e.lower() in head.lower() for e in ENGLISH_ERRORS):
        problems.append(f"{where}: <title> {title!r} is not Vietnamese")
    if len(seen["h1"]) != 1:
        problems.append(f"{where}: {len(seen['h1'])} <h1> elements ({seen['h1'][:3]}), expected exactly one")
    stripped = text.strip()
    if stripped.startswith(("{", "[")) or '{"detail"' in text:
        problems.append(f"{where}: raw JSON reaches the person: {stripped[:120]!r}")
    english = [e for e in ENGLISH_ERRORS if e in text]
    if english:
        problems.append(f"{where}: English error text reaches the person: {english}")
    return problems


def download_problems(response, where: str) -> list[str]:
    ctype = response.headers.get("content-type", "")
    problems = []
    if response.status != 200:
        problems.append(f"{where}: download answered HTTP {response.status}, expected 200")
    if not ctype.startswith(FILE_TYPES):
        problems.append(f"{where}: download's content-type is {ctype!r}, not a file (CSV, XLSX, DOCX, PDF)")
    elif not response.body():
        problems.append(f"{where}: download is empty")
    return problems


# ---------------------------------------------------------------- the crawler

NOT_CRAWLED = ("/logout", "/api/", "/docs", "/redoc", "/static", "/openapi.json", "/healthz", "/docs-assets")
DOWNLOAD = re.compile(r"^/(tasks/export\.\w+|reports/download)$")
PER_PATTERN = 3
MAX_PAGES = 100
MAX_DOWNLOADS = 60
BUDGET_SECONDS = 60

LINKS_AND_GET_FORMS = """() => {
  const found = [...document.querySelectorAll('a[href]')].map(a => a.href);
  for (const form of document.querySelectorAll('form')) {
    if ((form.getAttribute('method') || 'get').toLowerCase() !== 'get') continue;
    const buttons = [...form.querySelectorAll('button, input[type=submit], input[type=image]')]
      .filter(b => b.type === 'submit');
    for (const submitter of (buttons.length ? buttons : [null])) {
      const data = new FormData(form, submitter);
      const target = new URL(form.getAttribute('action') || location.href, location.href);
      target.search = new URLSearchParams([...data].filter(([, v]) => typeof v === 'string')).toString();
      target.hash = '';
      found.push(target.href);
    }
  }
  return found;
}"""


def pattern(url: str) -> str:
    """A URL's pattern: digits in the path become N, the query keeps its keys (not their values) — except a
    download's `format`, whose every value is a file of its own."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    keys = sorted({f"{k}={v}" if k == "format" else k for k, v in pairs})
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(keys) if keys else "")


def slug(text: str) -> str:
    """A pattern as a file name: "/tasks/N?status" → "tasks_N_status", "/" → "home"."""
    return re.sub(r"[^A-Za-z0-9]+", "_", "home" + text if text.startswith(("/?", "/#")) or text == "/"
                  else text).strip("_")


def local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Crawl:
    role: str
    pages: dict[str, list[str]] = field(default_factory=dict)  # pattern → paths visited (pages, not downloads)
    downloads: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    left: int = 0  # addresses found but not visited when the caps were reached
    seconds: float = 0.0
    # POST forms without `novalidate` (their action's pattern → the paths showing one), seen on every page visited
    without_novalidate: dict[str, list[str]] = field(default_factory=dict)

    def one_per_page(self) -> dict[str, str]:
        """One address of each page whatever its query (the list under every filter and sort is one template): what
        axe and the screenshots look at, and the anonymous visitor tries."""
        found: dict[str, str] = {}
        for p, urls in sorted(self.pages.items(), key=lambda item: (len(item[0]), item[0])):
            found.setdefault(p.split("?", 1)[0], urls[0])
        return found


POST_FORMS_WITHOUT_NOVALIDATE = """() => [...document.querySelectorAll('form')]
    .filter(f => (f.getAttribute('method') || '').toLowerCase() === 'post' && !f.hasAttribute('novalidate'))
    .map(f => f.getAttribute('action'))"""


def crawl(page, base_url: str, role: str, forced: list[str]) -> Crawl:
    """Breadth-first from `/` over same-origin links and GET forms (each submitted once per submit button, with
    its defaults), at most PER_PATTERN addresses per pattern (the `forced` ones — every state of the world — are
    visited whatever the count), MAX_PAGES pages and MAX_DOWNLOADS downloads, BUDGET_SECONDS in all."""
    started = time.monotonic()
    result = Crawl(role)
    origin = urlsplit(base_url).netloc
    queue: deque[tuple[str, bool]] = deque([("/", True), *((u, True) for u in forced)])
    seen: set[str] = {"/", *forced}
    counts: dict[str, int] = {}
    pages = downloads = 0
    while queue:
        if time.monotonic() - started > BUDGET_SECONDS:
            result.left += len(queue)
            break
        path, must = queue.popleft()
        key = pattern(path)
        download = bool(DOWNLOAD.match(urlsplit(path).path))
        if not must and counts.get(key, 0) >= PER_PATTERN:
            continue
        if (download and downloads >= MAX_DOWNLOADS) or (not download and pages >= MAX_PAGES):
            result.left += 1
            continue
        counts[key] = counts.get(key, 0) + 1
        where = f"[{role}] {path}"
        if download:
            downloads += 1
            result.downloads.setdefault(key, []).append(path)
            result.problems += download_problems(page.request.get(base_url + path), where)
            continue
        pages += 1
        try:
            response = page.goto(base_url + path)
        except PlaywrightError as error:
            result.problems.append(f"{where}: the browser could not open it: {str(error).splitlines()[0]}")
            continue
        if urlsplit(page.url).path == "/login" and urlsplit(path).path != "/login":
            result.problems.append(f"{where}: a signed-in person is sent to the sign-in page")
            continue
        result.pages.setdefault(key, []).append(path)
        result.problems += page_problems(page, response, where)
        for action in page.evaluate(POST_FORMS_WITHOUT_NOVALIDATE):
            result.without_novalidate.setdefault(pattern(action), []).append(path)
        for href in page.evaluate(LINKS_AND_GET_FORMS):
            parts = urlsplit(href)
            if parts.scheme not in ("http", "https") or parts.netloc != origin:
                continue
            found = local(href)
            if parts.path.startswith(NOT_CRAWLED) or found in seen:
                continue
            seen.add(found)
            queue.append((found, False))
    result.seconds = time.monotonic() - started
    return result


_crawls: dict[tuple[str, str], Crawl] = {}


def crawl_of(browser, server, clients, role: str) -> Crawl:
    """The crawl of a signed-in role on this server, done once per run."""
    key = (server.base_url, role)
    if key not in _crawls:
        world = world_of(server, clients)
        context = new_context(browser, server, role)
        try:
            _crawls[key] = crawl(context.new_page(), server.base_url, role, world.urls(role))
        finally:
            context.close()
    return _crawls[key]


def format_problems(title: str, problems: list[str], limit: int = 60) -> str:
    unique = list(dict.fromkeys(problems))
    shown = "\n  - ".join(unique[:limit])
    more = f"\n  … and {len(unique) - limit} more" if len(unique) > limit else ""
    return f"{title} ({len(unique)}):\n  - {shown}{more}"

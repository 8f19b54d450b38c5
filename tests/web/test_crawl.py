"""Every page every role can reach, in a real browser against a real server: followed from `/` over the menu, the
links and the filters (GET forms), each page checked as a person sees it — no server error, a page and not JSON, a
Vietnamese <title> and exactly one <h1>, no English error text — and every download a file. A person who is not
signed in is sent to the sign-in page from each of them. Bad addresses and an unhandled error show the site's own
Vietnamese error page. axe finds no serious or critical problem on any kind of page, on a phone and a desktop."""

import sqlite3
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import serving
from tests.web.conftest import make_person, sign_in
from tests.web.crawling import (
    DESKTOP,
    DOWNLOAD,
    PHONE,
    SIGNED_IN_ROLES,
    crawl_of,
    format_problems,
    is_vietnamese,
    new_context,
    page_problems,
    slug,
)

pytestmark = pytest.mark.real_server

# axe 4.12 runs its WCAG 2.0/2.1 A and AA rules and best practices by default, but ships `target-size` (WCAG 2.2 AA
# 2.5.8, 24 px targets) disabled (`enabled: false` in axe.min.js): it is switched on here.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
SCREENSHOT_MAX_HEIGHT = 4000
_axe = Axe()


EVERY_ROLE_REACHES = ("/", "/brief", "/tasks", "/tasks/N", "/indicators", "/indicators/N", "/directives",
                      "/directives/N", "/reports", "/subscriptions", "/subscriptions/N", "/calendar", "/account",
                      "/notifications")


@pytest.fixture(autouse=True)
def _short_timeouts():
    """Replaces tests/web/conftest.py's fixture of that name, which opens a page per test: these tests open
    contexts of their own (signed in per role, at the widths they need), with their own timeouts."""


@pytest.mark.one_backend
@pytest.mark.parametrize("role", SIGNED_IN_ROLES)
def test_every_page_a_role_reaches_is_a_vietnamese_page(browser, server, server_clients, role):
    result = crawl_of(browser, server, server_clients, role)
    print(f"\n[{role}] {sum(map(len, result.pages.values()))} pages in {len(result.pages)} patterns, "
          f"{sum(map(len, result.downloads.values()))} downloads, {result.seconds:.1f} s, {result.left} left unvisited")
    problems = [f"[{role}] the crawl never reached a page {kind}" for kind in EVERY_ROLE_REACHES
                if kind not in result.pages]
    if not result.downloads:
        problems.append(f"[{role}] the crawl found no download (the task list's export, the report's files)")
    problems += result.problems
    assert not problems, format_problems(f"[{role}] pages that a person should not see like this", problems)


@pytest.mark.one_backend  # on the database where the secretariat is crawled (the first)
def test_every_protected_page_sends_an_anonymous_person_to_sign_in(browser, server, server_clients):
    crawled = crawl_of(browser, server, server_clients, "secretariat")
    addresses = {**crawled.one_per_page(), **{k: v[0] for k, v in crawled.downloads.items()}}
    context = new_context(browser, server, "anonymous")
    page = context.new_page()
    problems = []
    try:
        response = page.goto(f"{server.base_url}/login")
        problems += page_problems(page, response, "[anonymous] /login")
        for path in sorted(addresses.values()):
            where = f"[anonymous] {path}"
            if DOWNLOAD.match(urlsplit(path).path):
                answer = page.request.get(server.base_url + path)
                if urlsplit(answer.url).path != "/login":
                    problems.append(f"{where}: a download answers HTTP {answer.status} to a person not signed in, "
                                    f"instead of sending them to /login")
                continue
            response = page.goto(server.base_url + path)
            if urlsplit(page.url).path != "/login":
                problems.append(f"{where}: shown (HTTP {response.status if response else '?'}) to a person not "
                                f"signed in, instead of sending them to /login")
                continue
            back = urlsplit(parse_qs(urlsplit(page.url).query).get("next", [""])[0]).path
            if back != urlsplit(path).path:
                problems.append(f"{where}: sent to {page.url}, whose `next` does not bring the person back")
            problems += page_problems(page, response, f"{where} → {urlsplit(page.url).path}")
    finally:
        context.close()
    assert not problems, format_problems("protected pages and a person not signed in", problems)


BAD_ADDRESSES = ["/tasks/abc", "/directives/999999", "/nope", "/tasks/2147483648"]


def error_page_problems(page, response, where: str, statuses: tuple[int, ...]) -> list[str]:
    problems = page_problems(page, response, where, server_error=500 in statuses)
    if response is not None and response.status not in statuses:
        problems.append(f"{where}: HTTP {response.status}, expected {' or '.join(map(str, statuses))}")
    h1 = page.locator("h1")
    if h1.count() and not is_vietnamese(h1.first.inner_text()):
        problems.append(f"{where}: the error page's <h1> {h1.first.inner_text()!r} is not Vietnamese")
    if not page.locator('a[href="/"]').count():
        problems.append(f'{where}: the error page has no link back to "/"')
    return problems


@pytest.mark.parametrize("path", BAD_ADDRESSES)
def test_a_bad_address_shows_the_sites_error_page(browser, server, path):
    context = new_context(browser, server, "secretariat")
    try:
        page = context.new_page()
        response = page.goto(server.base_url + path)
        problems = error_page_problems(page, response, f"[secretariat] {path}", (404, 422))
    finally:
        context.close()
    assert not problems, format_problems(f"a bad address, {path}, signed in", problems)


def test_an_unknown_address_shows_the_sites_404_page_to_a_person_not_signed_in(browser, server):
    context = new_context(browser, server, "anonymous")
    try:
        page = context.new_page()
        response = page.goto(server.base_url + "/nope")
        problems = error_page_problems(page, response, "[anonymous] /nope", (404,))
    finally:
        context.close()
    assert not problems, format_problems("an unknown address, not signed in", problems)


def test_an_unhandled_error_shows_the_sites_500_page(browser, templates):
    """A database broken under a running server (a table gone): the person gets the site's own page, not
    Starlette's plain-text "Internal Server Error". The account is made by `roviec user create` itself."""
    database = templates.copy("sqlite")  # a database of its own, to break
    path = database.url.removeprefix("sqlite:///")
    person = make_person(database, "000.00.00.K01", "secretariat", "Nguyễn Thu Hà", by_cli=True)
    with serving(database) as running:
        base = running.base_url
        context = browser.new_context(locale="vi-VN", viewport=DESKTOP)
        try:
            page = context.new_page()
            sign_in(page, base, person)
            assert page.goto(f"{base}/directives").status == 200
            with sqlite3.connect(path) as connection:
                connection.execute("ALTER TABLE directives RENAME TO directives_gone")
            response = page.goto(f"{base}/directives")
            problems = error_page_problems(page, response, "[secretariat] /directives on a broken database", (500,))
        finally:
            context.close()
    assert not problems, format_problems("an unhandled error", problems)


def screenshot(page, folder, name: str, width: int) -> None:
    height = page.evaluate("document.documentElement.scrollHeight")
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True,
                    clip={"x": 0, "y": 0, "width": width, "height": min(height, SCREENSHOT_MAX_HEIGHT)})


@pytest.mark.one_backend  # with the role's crawl: the same order of roles as the crawl's test
@pytest.mark.parametrize("role", [*SIGNED_IN_ROLES, "anonymous"])
def test_no_page_has_a_serious_accessibility_problem(browser, server, server_clients, screenshots, role):
    """One page of every pattern the role reaches (anonymous: sign-in and the 404 page), at a phone's width and a
    desktop's, on the database where the role is crawled: no axe violation of impact serious or critical,
    `target-size` included, and at the phone's width nothing wider than the screen. A screenshot of each."""
    if role == "anonymous":
        addresses = {"/login": "/login", "/nope": "/nope"}
    else:
        addresses = crawl_of(browser, server, server_clients, role).one_per_page()
    problems = []
    for viewport in (PHONE, DESKTOP):
        width = viewport["width"]
        context = new_context(browser, server, role, viewport)
        try:
            page = context.new_page()
            for key, path in sorted(addresses.items()):
                page.goto(server.base_url + path)
                for v in _axe.run(page, options=AXE_OPTIONS).response["violations"]:
                    if v.get("impact") in ("serious", "critical"):
                        targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:3]]
                        problems.append(f"[{role}, {width} px] {path}: {v['id']} ({v['impact']}): {v['help']} — "
                                        f"{len(v['nodes'])} element(s), e.g. {targets}")
                if viewport is PHONE and (wide := page.evaluate("document.documentElement.scrollWidth")) > width + 1:
                    problems.append(f"[{role}, {width} px] {path}: the page is {wide} px wide, wider than the phone")
                screenshot(page, screenshots, f"crawl-{role}-{slug(key)}-{width}-{server.database.backend}",
                           width)
        finally:
            context.close()
    assert not problems, format_problems(f"[{role}] serious accessibility problems", problems)

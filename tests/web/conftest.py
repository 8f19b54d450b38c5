"""Browser tests: Playwright driving Debian's Chromium (its headless shell, /usr/bin/chromium-headless-shell) against
a real `roviec serve` on each database. Under CI=true a missing browser is a failure, not a skip."""

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect as expect_module

from app.web.common import COOKIE, DEVICE_COOKIE
from tests.conftest import screenshot_folder

# Debian's Chromium, as its headless shell (package chromium-headless-shell, built from the same Chromium source as
# /usr/bin/chromium): the same Blink and V8 without the desktop browser's compositor and GPU process, which is what
# Playwright itself runs for headless tests; half the browser's time in this suite. ROVIEC_TEST_CHROMIUM may name the
# full browser instead (/usr/bin/chromium).
CHROMIUM = os.environ.get("ROVIEC_TEST_CHROMIUM", "/usr/bin/chromium-headless-shell")


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is required in CI (apt-get install -y chromium-headless-shell)")
        pytest.skip("Chromium not installed")
    return {"executable_path": CHROMIUM,
            "args": ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                     "--disable-gpu", "--no-first-run", "--disable-sync", "--lang=vi-VN"]}


@pytest.fixture(scope="session")
def browser_context_args():
    return {"locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(autouse=True)
def _short_timeouts(page):
    page.set_default_timeout(10_000)
    expect_module.set_options(timeout=10_000)


@dataclass
class Person:
    username: str
    password: str
    agency: str
    role: str


def make_person(database, agency: str, role: str, name: str, *, by_cli: bool = False) -> Person:
    """An account and its password: made in this process through the service `roviec user create` calls, or by
    that command itself (`by_cli`)."""
    username = f"{role}-{uuid.uuid4().hex[:8]}"
    if not by_cli:
        return Person(username, database.account(username, agency, role, name, "Chuyên viên"), agency, role)
    result = database.cli("user", "create", "--username", username, "--agency", agency, "--role", role,
                          "--full-name", name, "--job-title", "Chuyên viên")
    assert result.returncode == 0, result.stderr
    return Person(username, result.stdout.strip().splitlines()[-1], agency, role)


@dataclass
class People:
    secretariat: Person
    lead: Person
    other: Person
    observer: Person


@pytest.fixture(scope="session")
def people(server) -> People:
    db = server.database
    return People(secretariat=make_person(db, "000.00.00.K01", "secretariat", "Nguyễn Thu Hà"),
                  lead=make_person(db, "000.00.00.G12", "agency", "Trần Minh Quân"),
                  other=make_person(db, "000.00.00.H29", "agency", "Lê Văn Bình"),
                  observer=make_person(db, "000.00.00.H29", "observer", "Phạm Thị Lan"))


@pytest.fixture
def base(server) -> str:
    return server.base_url


@pytest.fixture(scope="session")
def screenshots(pytestconfig) -> Path:
    """Screenshots of the pages the tests check, under the test run's output folder."""
    folder = screenshot_folder(pytestconfig)
    folder.mkdir(parents=True, exist_ok=True)  # emptied once per run, before the workers start (tests/conftest.py)
    print(f"\nscreenshots: {folder}")
    return folder


_sessions: dict[tuple[str, str], list[dict]] = {}  # (server, username) → the session cookie a sign-in got


def sign_in(page, base_url: str, person: Person, *, fresh: bool = False) -> None:
    """`person` signed in in the page's browser context, which then shows "/". The first time per server and person
    through the sign-in page; later (unless `fresh`: a session of its own, for a test about sessions) that
    session's cookie is put in the context, and checked: a session ended meanwhile (signed out everywhere) is
    replaced by a new sign-in through the page. The password check (Argon2) is most of a sign-in's time."""
    key = (base_url, person.username)
    if not fresh and key in _sessions:
        page.context.add_cookies(_sessions[key])
        page.goto(f"{base_url}/")
        if page.url == f"{base_url}/":
            return
        del _sessions[key]
    page.goto(f"{base_url}/login")
    page.fill("#username", person.username)
    page.fill("#password", person.password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    if not fresh:
        _sessions[key] = [c for c in page.context.cookies(base_url) if c["name"] in (COOKIE, DEVICE_COOKIE)]


def saved_first_by_another(browser, base_url: str, person: Person, task_id: int, label: str, value: str) -> None:
    """Another browser of `person` edits the task's field `label` to `value` and saves: whoever had the edit form
    open before now holds a stale copy."""
    other = browser.new_context(locale="vi-VN").new_page()
    sign_in(other, base_url, person, fresh=True)  # another browser: a session of its own
    other.goto(f"{base_url}/tasks/{task_id}")
    other.get_by_text("Sửa nhiệm vụ").click()
    other.get_by_label(label).fill(value)
    other.get_by_role("button", name="Lưu").click()
    expect_module(other.get_by_role("status")).to_have_text("Đã lưu nhiệm vụ.")
    other.context.close()

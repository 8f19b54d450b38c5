"""The pages against a security review, in a real browser against a real server on each database: an odd address
is the site's 404 (never a 500); no page says what its address says (messages come from the server, once); a link
cannot make a report signed by whoever its author wrote; and an agency takes away as a file only the tasks it leads,
through the pages as through the API."""

import base64
import io
import json
import uuid
from urllib.parse import urlencode

import pytest
from docx import Document
from playwright.sync_api import expect

from tests import dates
from tests.conftest import task_payload
from tests.system.test_odd_addresses import ODD, filled, with_path_parameters
from tests.web.conftest import sign_in

pytestmark = pytest.mark.real_server


def iso(days: int) -> str:
    return dates.iso(dates.ahead(days))


@pytest.fixture
def base(server) -> str:
    return server.base_url


@pytest.fixture
def new_directive(server_clients):
    def make() -> dict:
        made = server_clients.secretariat.post("/directives", json={
            "number": f"{uuid.uuid4().hex[:6]}/TB-VPCP", "title": "Thông báo kết luận phiên họp",
            "issued_on": iso(-10), "meeting_name": "Phiên họp chuyên đề", "meeting_date": iso(-12),
            "issuer": "Văn phòng Chính phủ"})
        assert made.status_code == 201, made.text
        return made.json()

    return make


@pytest.fixture
def new_task(server_clients, agencies, new_directive):
    def make(directive: dict | None = None, **overrides) -> dict:
        made = server_clients.secretariat.post("/tasks", json=task_payload(
            directive or new_directive(), agencies, **({"deadline": iso(300)} | overrides)))
        assert made.status_code == 201, made.text
        return made.json()

    return make


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


# ---------------------------------------------------------------- 1. odd addresses


PAGE_ROUTES = [path for path in with_path_parameters("/") if not path.startswith(("/api/", "/docs", "/static"))]
ODD_QUERIES = ("/tasks?page=%C2%B9", "/tasks?quiet_days=%C2%B9", "/tasks?lead_agency_id=%EF%BC%91",
               "/tasks?directive_id=%C2%B9", "/tasks?deadline_after=%C2%B9/%C2%B9/%C2%B9%C2%B9%C2%B9%C2%B9",
               "/tasks?as_of=%D9%A3/1/2022", "/tasks/export.csv?lead_agency_id=%C2%B9", "/?as_of=%C2%B9/1/2022",
               "/calendar?year=%C2%B9", "/calendar?year=" + "9" * 30, "/reports?lead_agency_id=%C2%B9",
               "/reports?as_of=%C2%B9%C2%B9/1/2022", "/reports/download?directive_id=%C2%B9&format=csv")


def test_an_odd_address_is_the_sites_404_never_a_500(page, base, people):
    """Every page with an id (or a format) in its address, with "¹", "１", "٣", a NUL, a very long value or a number
    past every id there; and the lists' odd query values: the site's own page, never a server error."""
    assert "/tasks/{task_id}" in PAGE_ROUTES and "/tasks/export.{fmt}" in PAGE_ROUTES
    sign_in(page, base, people.secretariat)
    for route in PAGE_ROUTES:
        for value in ODD:
            response = page.request.get(base + filled(route, value), max_redirects=0)
            assert response.status == 404, (route, value[:20], response.status)
            assert response.headers["content-type"].startswith("text/html"), (route, value[:20])
            assert "Không tìm thấy" in response.text(), (route, value[:20])
    for address in ODD_QUERIES:
        response = page.request.get(base + address, max_redirects=0)
        assert response.status < 500, (address, response.status)
        assert response.headers["content-type"].startswith("text/html"), address


# ---------------------------------------------------------------- 2. messages come from the server


FORGED = ("<script>alert('ok')</script>", "Tài khoản của bạn đã bị khoá, gọi 0900 123 456 để mở lại")


def test_no_page_says_what_its_address_says(page, browser, base, people, new_task, server_clients):
    task = new_task()
    hook = server_clients.secretariat.post("/webhooks", json={"url": f"{base}/hook", "description": "Phần mềm"})
    assert hook.status_code == 201, hook.text
    paths = ["/", "/tasks", f"/tasks/{task['id']}", "/directives", f"/directives/{task['directive_id']}",
             "/reports", "/calendar", "/subscriptions", f"/subscriptions/{hook.json()['id']}", "/imports",
             "/accounts", "/account"]
    sign_in(page, base, people.secretariat)
    for path in paths:
        for text in FORGED:
            response = page.goto(f"{base}{path}?{urlencode({'ok': text})}")
            assert response.status == 200, path
            expect(page.locator(".notice, [role=status]")).to_have_count(0)
            assert "0900" not in page.content() and "alert('ok')" not in page.locator("body").inner_text(), path
    signed_out = browser.new_context(locale="vi-VN").new_page()
    for text in FORGED:
        signed_out.goto(f"{base}/login?{urlencode({'error': text, 'ok': text})}")
        expect(signed_out.locator("[role=alert], .notice, [role=status]")).to_have_count(0)
        assert "0900" not in signed_out.content()
    signed_out.context.close()


def _flash_cookie(page, base) -> str | None:
    return next((c["value"] for c in page.context.cookies(base) if c["name"] == "rv_flash"), None)


def test_a_success_is_said_once_after_a_real_action_and_only_to_its_author(page, browser, base, people, new_task):
    task = new_task()
    sign_in(page, base, people.lead)
    page.goto(f"{base}/tasks/{task['id']}")
    page.get_by_text("Báo cáo tiến độ hoặc hoàn thành").click()
    page.get_by_label("Tiến độ (%)").fill("40")
    page.get_by_label("Nội dung báo cáo").fill("Đã hoàn thành dự thảo, đang lấy ý kiến các bộ")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_role("status")).to_have_text("Đã ghi nhận báo cáo.")
    assert "ok=" not in page.url and page.url.startswith(f"{base}/tasks/{task['id']}")
    sealed = next(h["value"] for h in posted.value.headers_array() if h["name"].lower() == "set-cookie"
                  and h["value"].startswith("rv_flash=")).split(";")[0].removeprefix("rv_flash=")
    assert _flash_cookie(page, base) is None  # said, and gone
    page.reload()
    expect(page.locator(".notice, [role=status]")).to_have_count(0)

    # The same sealed message, put in another person's browser, or altered, or made up, says nothing.
    body, _, mac = sealed.rpartition(".")
    path, message = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert (path, message) == (f"/tasks/{task['id']}", "Đã ghi nhận báo cáo.")
    forged_body = base64.urlsafe_b64encode(json.dumps([path, FORGED[1]]).encode()).decode().rstrip("=")
    other = browser.new_context(locale="vi-VN").new_page()
    sign_in(other, base, people.observer)
    for value in (sealed, f"{forged_body}.{mac}", f"{forged_body}.{'0' * 64}"):
        for where in (other, page):
            if where is page and value == sealed:
                continue
            where.context.add_cookies([{"name": "rv_flash", "value": value, "url": base}])
            where.goto(f"{base}{path}")
            expect(where.locator(".notice, [role=status]")).to_have_count(0)
            assert "0900" not in where.content()
            assert _flash_cookie(where, base) is None  # dropped
    # Said on its own page only: the author's sealed message, carried to another page, says nothing there.
    page.context.add_cookies([{"name": "rv_flash", "value": sealed, "url": base}])
    page.goto(f"{base}/tasks")
    expect(page.locator(".notice, [role=status]")).to_have_count(0)
    other.context.close()

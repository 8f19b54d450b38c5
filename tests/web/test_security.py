"""The pages against a security review, in a real browser against a real server on each database: an odd address
is the site's 404 (never a 500); no page says what its address says (messages come from the server, once); a link
cannot make a report signed by whoever its author wrote; and an agency takes away as a file only the tasks it leads,
through the pages as through the API."""

import base64
import csv
import io
import json
import uuid
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from playwright.sync_api import expect

from tests import dates
from tests.conftest import OTHER_AGENCY, task_payload
from tests.documents import docx_text
from tests.paging import every_item
from tests.system.test_odd_addresses import ODD, filled, with_path_parameters
from tests.web.conftest import sign_in

pytestmark = pytest.mark.real_server


def iso(days: int) -> str:
    return dates.iso(dates.ahead(days))


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
    # A cookie of bytes no browser of ours would send (Latin-1, as headers travel) is nothing either, not a 500.
    session = {c["name"]: c["value"] for c in page.context.cookies(base)}
    for odd in (f"{body}.\u00e9\u00b9".encode("latin-1"), f"\u00b9{body}.{mac}".encode("latin-1"), b"\xff.\xff"):
        answer = httpx.get(f"{base}{path}", headers={"Cookie": b"rv_session=" + session["rv_session"].encode()
                                                               + b"; rv_flash=" + odd})
        assert answer.status_code == 200 and "0900" not in answer.text and 'role="status"' not in answer.text, odd
    # Said on its own page only: the author's sealed message, carried to another page, says nothing there.
    page.context.add_cookies([{"name": "rv_flash", "value": sealed, "url": base}])
    page.goto(f"{base}/tasks")
    expect(page.locator(".notice, [role=status]")).to_have_count(0)
    other.context.close()


# ---------------------------------------------------------------- 3. a report's signer comes from the server


def _report_directive(server_clients) -> dict:
    return next(d for d in every_item(server_clients.observer, "/directives") if d["reference"] == "128/TB-VPCP (2022)")


def test_a_download_link_cannot_sign_a_report(page, base, people, server_clients):
    """Whatever a link says of the document (number, date, signer, position), the file is headed and signed with the
    stored settings of whoever downloads it."""
    directive = _report_directive(server_clients)
    stored = server_clients.secretariat.get("/reports/settings").json()
    sign_in(page, base, people.secretariat)
    forged = {"directive_id": directive["id"], "as_of": "2022-08-08", "format": "docx", "number": "99/BC-GIA",
              "issued_on": "2022-08-09", "signer_name": "Nguyễn Văn Mạo Danh",
              "signer_position": "Bộ trưởng Bộ Giả mạo", "signer_authority": "TM. Chính phủ"}
    response = page.request.get(f"{base}/reports/download?{urlencode(forged)}")
    assert response.status == 200 and response.headers["content-disposition"].endswith('.docx"')
    text = docx_text(response.body())
    for value in ("Nguyễn Văn Mạo Danh", "Giả mạo".upper(), "Giả mạo", "99/BC-GIA", "TM. CHÍNH PHỦ",
                  "ngày 09 tháng 8 năm 2022"):
        assert value not in text, value
    assert stored["issuing_body"].upper() in text and stored["signer_position"].upper() in text

    # A link refused for its scope shows the report page again: with nothing of the forged document in it.
    refused_link = page.goto(f"{base}/reports/download?{urlencode(forged | {'as_of': '31/02/2022'})}")
    assert refused_link.status == 422
    assert "Mạo Danh" not in page.content() and "99/BC-GIA" not in page.content()

    # Posted without the session's CSRF token (a form on another site): refused, no file.
    refused = page.request.post(f"{base}/reports/download", form={k: str(v) for k, v in forged.items()})
    assert refused.status == 403 and "officedocument" not in refused.headers["content-type"]


def test_the_secretariat_still_signs_each_export_from_the_report_page(page, base, people, server_clients):
    directive = _report_directive(server_clients)
    sign_in(page, base, people.secretariat)
    page.goto(f"{base}/reports?directive_id={directive['id']}&as_of=2022-08-08")
    form = page.locator("form#download")
    assert form.get_attribute("method") == "post"
    form.get_by_label("Số báo cáo").fill("21")
    form.get_by_label("Ngày báo cáo").fill("09/08/2022")
    form.get_by_label("Người ký", exact=True).fill("Lê Thị Ký Thật")
    with page.expect_download() as download:
        form.get_by_role("button", name="Word (DOCX)").click()
    text = docx_text(Path(download.value.path()).read_bytes())
    assert "Lê Thị Ký Thật" in text and "Số: 21/BC-" in text and "ngày 09 tháng 8 năm 2022" in text

    # A report dated before the day its figures run to is refused at its field, the form open with what was typed.
    page.goto(f"{base}/reports?directive_id={directive['id']}&as_of=2022-08-08")
    form = page.locator("form#download")
    form.get_by_label("Ngày báo cáo").fill("01/08/2022")
    form.get_by_label("Người ký", exact=True).fill("Lê Thị Ký Thật")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        form.get_by_role("button", name="PDF").click()
    assert answer.value.status == 422
    expect(page.locator("#download-issued_on")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#download .error-summary")).to_be_visible()
    expect(page.locator("form#download").get_by_label("Người ký", exact=True)).to_have_value("Lê Thị Ký Thật")


# ---------------------------------------------------------------- 5. one rule for what an agency takes away


def _csv_titles(content: bytes) -> set[str]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    return {cell for row in rows for cell in row}


@pytest.fixture
def two_agencies_tasks(new_task, new_directive, agencies):
    directive = new_directive()
    mine = new_task(directive, title=f"Nhiệm vụ của Bộ Tài chính số {uuid.uuid4().hex[:6]} về hóa đơn điện tử")
    theirs = new_task(directive, title=f"Nhiệm vụ của Thành phố số {uuid.uuid4().hex[:6]} về dịch vụ công",
                      lead_agency_id=agencies[OTHER_AGENCY]["id"], coordinating_agency_ids=[],
                      accountable_official="Chủ tịch Ủy ban nhân dân Thành phố Hồ Chí Minh")
    return directive, mine, theirs


@pytest.mark.parametrize("role", ["secretariat", "observer", "lead"])
def test_what_each_role_takes_away_through_the_pages_and_the_api(page, base, people, server_clients, agencies,
                                                                   two_agencies_tasks, role):
    """Everyone reads every task; a file of tasks holds, for the secretariat and observers, any agency's, and for
    an agency only those it leads — the task list's CSV and XLSX as the completion list (Action.export_tasks)."""
    directive, mine, theirs = two_agencies_tasks
    everything = role != "lead"
    expected = {mine["title"], theirs["title"]} if everything else {mine["title"]}
    other_id = agencies[OTHER_AGENCY]["id"]
    sign_in(page, base, getattr(people, role))

    # Reading: the list shows both to everyone.
    page.goto(f"{base}/tasks?directive_id={directive['id']}")
    expect(page.locator("main")).to_contain_text(theirs["title"])

    # The task list's files.
    for fmt in ("csv", "xlsx"):
        response = page.request.get(f"{base}/tasks/export.{fmt}?directive_id={directive['id']}")
        assert response.status == 200, (fmt, response.status)
        if fmt == "csv":
            titles = _csv_titles(response.body()) & {mine["title"], theirs["title"]}
            assert titles == expected, (role, titles)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    titles = _csv_titles(Path(download.value.path()).read_bytes()) & {mine["title"], theirs["title"]}
    assert titles == expected, (role, titles)
    if not everything:
        expect(page.locator(".summary-line")).to_contain_text("Tải các nhiệm vụ do Bộ Tài chính chủ trì")
    another = page.request.get(f"{base}/tasks/export.csv?directive_id={directive['id']}&lead_agency_id={other_id}")
    assert another.status == (200 if everything else 403), (role, another.status)
    if not everything:
        page.goto(f"{base}/tasks?directive_id={directive['id']}&lead_agency_id={other_id}")
        expect(page.get_by_role("link", name="CSV")).to_have_count(0)

    # The completion list, on the report page and through the API: the same rule.
    report = page.request.get(f"{base}/reports/download?directive_id={directive['id']}&format=csv")
    assert report.status == 200
    assert _csv_titles(report.body()) & {mine["title"], theirs["title"]} == expected
    client = {"secretariat": server_clients.secretariat, "observer": server_clients.observer,
              "lead": server_clients.lead}[role]
    api = client.get("/reports/completion", params={"directive_id": directive["id"], "format": "csv"})
    assert api.status_code == 200
    assert _csv_titles(api.content) & {mine["title"], theirs["title"]} == expected
    api_other = client.get("/reports/completion", params={"directive_id": directive["id"], "format": "csv",
                                                          "lead_agency_id": other_id})
    assert api_other.status_code == (200 if everything else 403)
    if not everything:
        assert api_other.json()["detail"]["message_vi"] == "Cơ quan chỉ được tải về danh sách nhiệm vụ do mình chủ trì"
    assert client.get("/tasks", params={"directive_id": directive["id"]}).json()["total"] == 2  # reading: all

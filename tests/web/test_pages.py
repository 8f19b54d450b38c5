"""The web pages as people use them, in a real browser against a real server on each database."""

import io
import re
import uuid
from pathlib import Path

import httpx
import openpyxl
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.conftest import DONE_REPORT, TASK_DEADLINE, task_payload
from tests.dates import ahead, dmy, quarter_end, quarter_wording
from tests.imports.notices import api_notice
from tests.paging import every_item
from tests.web.conftest import saved_first_by_another, sign_in

pytestmark = pytest.mark.real_server
_axe = Axe()


def shot(page, screenshots: Path, name: str, backend: str) -> None:
    page.screenshot(path=str(screenshots / f"{name}-{backend}.png"), full_page=True)


def no_serious_violations(page) -> None:
    results = _axe.run(page)
    serious = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not serious, [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


@pytest.fixture
def new_task(server_clients, agencies):
    """A task of Bộ Tài chính under a fresh directive, made over the API."""
    def make(**overrides) -> dict:
        number = f"{uuid.uuid4().hex[:6]}/TB-VPCP"
        directive = server_clients.secretariat.post("/directives", json={
            "number": number, "title": "Thông báo kết luận phiên họp", "issued_on": "2026-11-20",
            "meeting_name": "Phiên họp tháng 11", "meeting_date": "2026-11-18", "issuer": "Văn phòng Chính phủ"})
        assert directive.status_code == 201, directive.text
        made = server_clients.secretariat.post("/tasks", json=task_payload(directive.json(), agencies, **overrides))
        assert made.status_code == 201, made.text
        return made.json()

    return make


def test_sign_in_page_and_security_headers(page, base, screenshots, server):
    response = page.goto(f"{base}/login")
    headers = response.headers
    assert "script-src 'self'" in headers["content-security-policy"] and "unsafe-inline" not in \
        headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY" and headers["referrer-policy"] == "same-origin"
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    no_serious_violations(page)
    shot(page, screenshots, "login", server.database.backend)
    assert page.goto(f"{base}/tasks").url.startswith(f"{base}/login")


def test_wrong_passwords_are_slowed_then_refused(page, base, server):
    from app.auth import throttle
    from tests.web.conftest import make_person

    person = make_person(server.database, "000.00.00.G12", "agency", "Đỗ Văn Thử")
    for _ in range(throttle.PAIR_FREE):
        page.goto(f"{base}/login")
        page.fill("#username", person.username)
        page.fill("#password", "sai-mat-khau-roi")
        page.click("button[type=submit]")
        expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng")
    page.fill("#password", person.password)  # the name typed is kept; even the right password waits its turn
    page.click("button[type=submit]")
    expect(page.get_by_role("alert")).to_contain_text("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau")
    expect(page.locator("#username")).to_have_value(person.username)


def test_secretariat_records_a_directive_and_a_task(page, base, people, screenshots, server):
    sign_in(page, base, people.secretariat)
    page.goto(f"{base}/directives")
    page.get_by_text("Ghi nhận văn bản chỉ đạo mới").click()
    number = f"{uuid.uuid4().hex[:5]}/TB-VPCP"
    page.get_by_label("Số, ký hiệu").fill(number)
    page.get_by_label("Trích yếu").fill("Thông báo kết luận của Thủ tướng Chính phủ tại phiên họp chuyên đề")
    page.get_by_label("Ngày ban hành").fill("25/11/2026")
    page.get_by_label("Phiên họp").fill("Phiên họp chuyên đề chuyển đổi số tháng 11")
    page.get_by_label("Ngày họp").fill("24/11/2026")
    page.get_by_role("button", name="Ghi nhận").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{number} (2026)")

    # A task missing its "rõ" is refused, field by field, and nothing is created.
    page.get_by_text("Giao nhiệm vụ mới theo văn bản này").click()
    due = quarter_end(ahead(100))  # the end of a quarter ahead, given in words ("quý I/…")
    page.get_by_label("Nội dung nhiệm vụ (rõ việc)").fill(
        f"Xây dựng Kế hoạch chuyển đổi số năm {due.year} của ngành tài chính")
    page.get_by_role("button", name="Giao nhiệm vụ").click()
    expect(page.get_by_role("alert")).to_contain_text("Nhiệm vụ chưa được giao")
    expect(page.locator("#task-objective-error")).to_have_text("thiếu rõ mục tiêu")
    expect(page.locator("#task-deadline-error")).to_contain_text("thiếu rõ thời gian")
    no_serious_violations(page)
    shot(page, screenshots, "task-refused", server.database.backend)

    page.get_by_label("Mục tiêu (rõ mục tiêu)").fill("Bảo đảm chuyển đổi số đồng bộ trong toàn ngành tài chính")
    page.get_by_label("Cơ quan chủ trì (rõ người)").select_option(label="Bộ Tài chính")
    page.get_by_label("Thời hạn (rõ thời gian)").fill(quarter_wording(due))
    page.get_by_label("Người chịu trách nhiệm (rõ trách nhiệm)").fill("Bộ trưởng")
    page.get_by_label("Loại sản phẩm (rõ sản phẩm)").select_option("Kế hoạch")
    page.get_by_label("Mô tả sản phẩm").fill(f"Kế hoạch chuyển đổi số năm {due.year} được Bộ trưởng ký ban hành")
    page.get_by_label("Kết quả cần đạt (rõ kết quả)").fill("100% đơn vị thuộc Bộ có kế hoạch triển khai chi tiết")
    page.get_by_role("button", name="Giao nhiệm vụ").click()
    expect(page.get_by_role("status")).to_have_text("Đã giao nhiệm vụ.")
    expect(page.locator(".seven-ro")).to_contain_text("Bộ trưởng Bộ Tài chính")
    expect(page.locator(".seven-ro")).to_contain_text(dmy(due))
    no_serious_violations(page)
    shot(page, screenshots, "task", server.database.backend)


def test_agency_reports_completion_and_the_secretariat_accepts(page, browser, base, people, new_task, screenshots,
                                                               server):
    task = new_task()
    sign_in(page, base, people.lead)
    page.goto(f"{base}/tasks/{task['id']}")
    expect(page.get_by_text("Xác nhận kết quả hoàn thành")).to_have_count(0)
    page.get_by_text("Báo cáo tiến độ hoặc hoàn thành").click()
    page.get_by_label("Đã hoàn thành (kèm văn bản chứng minh)").check()
    page.get_by_label("Nội dung báo cáo").fill("Chính phủ đã ban hành Nghị định")
    page.get_by_label("Số, ký hiệu văn bản").fill("70/2026/NĐ-CP")
    page.get_by_label("Ngày văn bản", exact=True).fill("26/11/2026")
    page.get_by_label("Đường dẫn đến văn bản").fill("https://vanban.chinhphu.vn/70-2026")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_role("status")).to_have_text("Đã ghi nhận báo cáo.")
    expect(page.locator(".status-line")).to_contain_text("đã báo cáo hoàn thành")
    shot(page, screenshots, "task-reported", server.database.backend)

    secretariat = browser.new_context(locale="vi-VN").new_page()
    sign_in(secretariat, base, people.secretariat)
    secretariat.goto(f"{base}/tasks?awaiting=acceptance&directive_id={task['directive_id']}")
    secretariat.get_by_role("link", name=task["title"]).click()
    secretariat.get_by_label("Ý kiến thẩm định").fill("Đã kiểm tra văn bản ký ban hành")
    secretariat.get_by_role("button", name="Xác nhận hoàn thành").click()
    expect(secretariat.locator(".status-line")).to_contain_text("đã hoàn thành")
    timeline = secretariat.locator(".timeline")
    expect(timeline).to_contain_text("Nguyễn Thu Hà — Tổ giúp việc Ủy ban Quốc gia về chuyển đổi số")
    expect(timeline).to_contain_text("Trần Minh Quân — Bộ Tài chính")
    secretariat.goto(f"{base}/?directive_id={task['directive_id']}")
    expect(secretariat.locator(".sentence")).to_contain_text("có 1 nhiệm vụ đã hoàn thành (đúng hạn 1")
    no_serious_violations(secretariat)
    shot(secretariat, screenshots, "dashboard-secretariat", server.database.backend)
    secretariat.context.close()


def test_an_approved_extension_moves_the_deadline(page, browser, base, people, new_task, server_clients):
    task = new_task()
    sign_in(page, base, people.lead)
    page.goto(f"{base}/tasks/{task['id']}")
    page.get_by_text("Đề nghị điều chỉnh thời hạn hoặc rút nhiệm vụ").click()
    extended_to = TASK_DEADLINE.replace(year=TASK_DEADLINE.year + 1, month=12, day=31)
    page.get_by_label("Thời hạn đề nghị").fill(dmy(extended_to))
    page.get_by_label("Lý do").fill("Chờ ý kiến thẩm định của Bộ Tư pháp")
    page.get_by_role("button", name="Gửi đề nghị").click()
    expect(page.get_by_role("status")).to_have_text("Đã gửi đề nghị.")

    secretariat = browser.new_context(locale="vi-VN").new_page()
    sign_in(secretariat, base, people.secretariat)
    secretariat.goto(f"{base}/tasks/{task['id']}")
    secretariat.get_by_role("button", name="Đồng ý", exact=True).click()
    expect(secretariat.locator(".seven-ro")).to_contain_text(f"Thời hạn: {dmy(extended_to)}")
    expect(secretariat.locator(".seven-ro")).to_contain_text(f"Thời hạn ban đầu: {dmy(TASK_DEADLINE)}")
    assert server_clients.observer.get(f"/tasks/{task['id']}").json()["deadline_on"] == extended_to.isoformat()
    secretariat.context.close()


def test_a_stale_edit_is_refused_and_shows_the_current_values(page, browser, base, people, new_task):
    task = new_task()
    sign_in(page, base, people.secretariat)
    page.goto(f"{base}/tasks/{task['id']}")
    saved_first_by_another(browser, base, people.secretariat, task["id"], "Kết quả cần đạt (rõ kết quả)",
                           f"Nghị định được ký ban hành trong quý IV năm {TASK_DEADLINE.year}")

    page.get_by_text("Sửa nhiệm vụ").click()
    page.get_by_label("Kết quả cần đạt (rõ kết quả)").fill("Một nội dung khác sẽ ghi đè lên nội dung vừa lưu")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert").first).to_contain_text("người khác sửa và lưu trước bạn")
    expect(page.locator(".seven-ro")).to_contain_text(
        f"Nghị định được ký ban hành trong quý IV năm {TASK_DEADLINE.year}")


def test_an_agency_neither_sees_nor_can_post_the_secretariats_actions(page, base, people, new_task,
                                                                     server_clients):
    task = new_task()
    server_clients.lead.post(f"/tasks/{task['id']}/progress", json=DONE_REPORT)
    sign_in(page, base, people.lead)
    page.goto(f"{base}/tasks/{task['id']}")
    expect(page.get_by_role("button", name="Xác nhận hoàn thành")).to_have_count(0)
    expect(page.get_by_text("Sửa nhiệm vụ")).to_have_count(0)
    csrf = page.locator("input[name=csrf_token]").first.input_value()
    forged = page.request.post(f"{base}/tasks/{task['id']}/review", form={"csrf_token": csrf, "decision": "accept"})
    assert forged.status == 403
    assert "Chỉ" in forged.text()
    assert server_clients.observer.get(f"/tasks/{task['id']}").json()["status"] == "reported_done"
    # Another agency's task takes no report from this one either.
    other = new_task(lead_agency_id=server_clients.observer.get("/agencies/000.00.00.H29").json()["id"],
                     coordinating_agency_ids=[], accountable_official="Chủ tịch")
    forged = page.request.post(f"{base}/tasks/{other['id']}/progress", form={
        "csrf_token": csrf, "status": "in_progress", "progress_percent": "10", "note": "Giả mạo"})
    assert forged.status == 403
    assert every_item(server_clients.observer, f"/tasks/{other['id']}/history")[-1]["kind"] == "created"


def test_a_post_without_its_csrf_token_is_refused(page, base, people, new_task, server_clients):
    task = new_task()
    sign_in(page, base, people.lead)
    refused = page.request.post(f"{base}/tasks/{task['id']}/progress", form={
        "status": "in_progress", "progress_percent": "10", "note": "Không có mã chống giả mạo"})
    assert refused.status == 403
    assert server_clients.observer.get(f"/tasks/{task['id']}").json()["status"] == "new"
    cross_site = httpx.post(f"{base}/login", data={"username": people.lead.username,
                                                   "password": people.lead.password})
    assert cross_site.status_code == 403  # the sign-in form has its own token


def test_the_report_page_prints_and_downloads(page, base, people, screenshots, server, server_clients):
    directive = next(d for d in every_item(server_clients.observer, "/directives")
                     if d["reference"] == "128/TB-VPCP (2022)")
    sign_in(page, base, people.observer)
    page.goto(f"{base}/reports?directive_id={directive['id']}&as_of=2022-08-08")
    expect(page.locator(".sentence")).to_contain_text("Trong 27 nhiệm vụ giao tại Phiên họp thứ 2")
    expect(page.locator("table.appendix tbody tr:not(.group)")).to_have_count(27)
    no_serious_violations(page)
    shot(page, screenshots, "report", server.database.backend)
    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()
    page.emulate_media(media="screen")
    for label, suffix in (("Word (DOCX)", ".docx"), ("PDF", ".pdf"), ("Excel (XLSX)", ".xlsx"), ("CSV", ".csv"),
                          ("CSV cho Excel (dấu ;)", "-excel.csv")):
        with page.expect_download() as download:
            page.get_by_role("button", name=label, exact=True).click()
        assert download.value.suggested_filename.endswith(suffix)
        assert Path(download.value.path()).stat().st_size > 1000
        if suffix == "-excel.csv":  # semicolons, for Excel on a Vietnamese Windows
            header = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()[0]
            assert header.startswith("STT;Văn bản giao (số, ngày);")


def test_the_task_list_downloads_a_title_pasted_from_word(page, base, people, new_task):
    # Word's line break (\x0b) is a character XML cannot hold: the list's XLSX writes it as a space, as its CSV does.
    task = new_task(title="Trình Chính phủ ban hành Nghị định\x0bvề hóa đơn điện tử")
    shown = "Trình Chính phủ ban hành Nghị định về hóa đơn điện tử"
    sign_in(page, base, people.observer)
    page.goto(f"{base}/tasks?directive_id={task['directive_id']}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert [(row[0], row[2]) for row in sheet.iter_rows(min_row=2, values_only=True)] == [(task["id"], shown)]
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    lines = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 2 and f"{task['id']},{task['directive']['reference']},{shown}," in lines[1]


@pytest.mark.parametrize(("width", "tag"), [(1280, "desktop"), (390, "phone")])
def test_every_page_reads_well_on_a_phone_and_a_desktop(browser, base, people, new_task, screenshots, server, width,
                                                        tag):
    """The secretariat's and an agency's pages with a task of their own: a title, nothing wider than the phone, and
    the screenshots docs/pages/ shows. axe runs over every kind of page in tests/web/test_crawl.py (every role, a
    phone on SQLite and a desktop on PostgreSQL)."""
    task = new_task()
    for person, paths in ((people.secretariat, ["/", "/tasks?timing=overdue", f"/tasks/{task['id']}", "/directives",
                                                f"/directives/{task['directive_id']}", "/subscriptions",
                                                "/calendar", "/accounts", "/account"]),
                          (people.lead, ["/", f"/tasks/{task['id']}", "/accounts"])):
        context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900})
        page = context.new_page()
        sign_in(page, base, person)
        for path in paths:
            page.goto(base + path)
            assert page.title().endswith("— Rõ Việc")
            name = re.sub(r"[^a-z0-9]+", "-", f"{person.role}{path}").strip("-")
            shot(page, screenshots, f"{name}-{tag}", server.database.backend)
            if width < 500:  # nothing wider than the phone
                assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, path
        context.close()


def test_accounts_passwords_and_tokens_are_shown_once(page, base, people, server_clients):
    sign_in(page, base, people.secretariat)
    page.goto(f"{base}/accounts")
    page.locator("summary", has_text="Tạo tài khoản").click()
    username = f"moi-{uuid.uuid4().hex[:6]}"
    page.get_by_label("Tên đăng nhập (hoặc thư điện tử)").fill(username)
    page.get_by_label("Họ và tên").fill("Hoàng Văn Mới")
    page.get_by_label("Cơ quan").select_option(label="Bộ Tài chính")
    page.get_by_role("button", name="Tạo tài khoản").click()
    password = page.locator(".secret code.copyable").inner_text()
    assert len(password) == 16
    page.goto(f"{base}/accounts")
    expect(page.locator(".secret")).to_have_count(0)  # not shown again

    sign_in(page, base, people.lead)
    page.goto(f"{base}/accounts")
    # An agency lists its own accounts, no more.
    expect(page.locator("summary", has_text="Tạo tài khoản")).to_have_count(0)
    page.get_by_label("Phần mềm dùng mã").fill("Hệ thống quản lý văn bản của Bộ")
    page.get_by_role("button", name="Tạo mã truy cập").click()
    token = page.locator(".secret code.copyable").inner_text()
    api = str(server_clients.observer.base_url).rstrip("/")
    answer = httpx.get(f"{api}/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.json()["agency"]["code"] == "000.00.00.G12"


def test_sign_out_everywhere(browser, base, people):
    first = browser.new_context(locale="vi-VN").new_page()
    second = browser.new_context(locale="vi-VN").new_page()
    sign_in(first, base, people.observer, fresh=True)  # two sessions of their own
    sign_in(second, base, people.observer, fresh=True)
    first.goto(f"{base}/account")
    first.once("dialog", lambda dialog: dialog.accept())  # "Đăng xuất trên mọi thiết bị, kể cả thiết bị này?"
    first.get_by_role("button", name="Đăng xuất mọi phiên").click()
    second.goto(f"{base}/tasks")
    assert "/login" in second.url
    first.context.close()
    second.context.close()


def test_the_secretariat_reviews_a_notice_and_commits_its_tasks(page, base, people, screenshots, server,
                                                               server_clients):
    number = f"{uuid.uuid4().int % 90_000 + 10_000}/TB-VPCP"
    sign_in(page, base, people.secretariat)
    page.goto(f"{base}/imports")
    page.get_by_label("Nội dung thông báo").fill(api_notice(number))
    page.get_by_role("button", name="Đọc thông báo").click()
    expect(page.get_by_role("status")).to_contain_text("Đã đọc 3 nhiệm vụ")
    expect(page.locator("article.draft")).to_have_count(3)
    expect(page.locator(".notice-text mark")).to_have_count(3)
    page.locator("#draft-1").hover()
    expect(page.locator("#src-0")).to_have_class("active")
    no_serious_violations(page)
    shot(page, screenshots, "import-review", server.database.backend)

    page.get_by_role("button", name="Giao tất cả nhiệm vụ").first.click()
    expect(page.locator(".error-summary")).to_contain_text("Chưa giao được")
    expect(page.locator("#draft-1 .field-error").first).to_contain_text("thiếu rõ mục tiêu")

    # One form for the whole review: what is typed in one draft survives saving, skipping or giving another.
    for n in (1, 2):
        draft = page.locator(f"#draft-{n}")
        draft.get_by_label("Mục tiêu (rõ mục tiêu)").fill("Hoàn thiện thể chế và hạ tầng số của ngành")
        draft.get_by_label("Kết quả cần đạt (rõ kết quả)").fill("Sản phẩm được cấp có thẩm quyền ban hành đúng hạn")
        draft.get_by_label("Mô tả sản phẩm").fill("Văn bản được ký ban hành và đăng công báo")
        draft.get_by_label(re.compile("Dùng gợi ý")).check()
    page.locator("#draft-3").get_by_role("button", name="Bỏ qua, không giao").click()
    expect(page.get_by_role("status")).to_contain_text("Đã bỏ qua dự thảo 3.")
    expect(page.locator("#draft-2").get_by_label("Mục tiêu (rõ mục tiêu)")).to_have_value(
        "Hoàn thiện thể chế và hạ tầng số của ngành")
    page.get_by_role("button", name="Giao tất cả nhiệm vụ").first.click()
    expect(page.get_by_role("status")).to_contain_text("Đã giao 2 nhiệm vụ.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{number} (2026)")
    directive = next(d for d in every_item(server_clients.observer, "/directives") if d["number"] == number)
    tasks = server_clients.observer.get("/tasks", params={"directive_id": directive["id"]}).json()["items"]
    assert {t["accountable_official"] for t in tasks} == {"Bộ trưởng Bộ Tài chính",
                                                           "Bộ trưởng Bộ Khoa học và Công nghệ"}


def test_the_overdue_list_says_how_late_each_task_is(page, base, people, server_clients):
    listed = server_clients.observer.get("/tasks", params={"timing": "overdue", "limit": 50}).json()["items"]
    assert listed, "the seed has overdue tasks"
    sign_in(page, base, people.secretariat)
    page.goto(base + "/tasks?timing=overdue")
    badges = page.locator("table.tasks tbody tr td[data-label='Tình trạng'] .badge").all_inner_texts()
    expected = [f"quá hạn {t['days_overdue']:,} ngày".replace(",", ".") for t in listed]
    assert badges == expected
    # Filtered on one lead agency, the list keeps the choice shown.
    lead = listed[0]["lead_agency"]
    page.select_option("#lead_agency_id", str(lead["id"]))  # the list reloads on a change
    page.wait_for_url(re.compile(rf"lead_agency_id={lead['id']}"))
    expect(page.locator("#lead_agency_id option:checked")).to_have_text(lead["name"])
    assert set(page.locator("td[data-label='Cơ quan chủ trì']").all_inner_texts()) == {lead["name"]}

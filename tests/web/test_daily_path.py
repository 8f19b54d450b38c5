"""The defects a walk through the pages found, each as the person who met it would see it: nothing typed is lost, no
figure is computed from another day than the one asked for, no form is offered that would be refused."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests import dates
from tests.conftest import DONE_REPORT, task_payload
from tests.paging import every_item
from tests.web.conftest import saved_first_by_another, sign_in

pytestmark = pytest.mark.real_server


def vn(days: int) -> str:
    return dates.dmy(dates.ahead(days))


def iso(days: int) -> str:
    return dates.iso(dates.ahead(days))


@pytest.fixture
def new_task(server_clients, agencies):
    def make(**overrides) -> dict:
        directive = server_clients.secretariat.post("/directives", json={
            "number": f"{uuid.uuid4().hex[:6]}/TB-VPCP", "title": "Thông báo kết luận phiên họp",
            "issued_on": iso(-10), "meeting_name": "Phiên họp chuyên đề", "meeting_date": iso(-12),
            "issuer": "Văn phòng Chính phủ"})
        assert directive.status_code == 201, directive.text
        made = server_clients.secretariat.post("/tasks", json=task_payload(
            directive.json(), agencies, **({"deadline": iso(300)} | overrides)))
        assert made.status_code == 201, made.text
        return made.json()

    return make


def summary_is_focused_on_first_screen(page) -> None:
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    page.wait_for_load_state("load")  # the site's script gives the summary the focus as the page loads
    assert page.evaluate("document.activeElement && document.activeElement.closest('.error-summary') !== null")
    top = page.evaluate("document.querySelector('.error-summary').getBoundingClientRect().top")
    assert 0 <= top < page.viewport_size["height"], top


def test_a_completion_needs_its_document_and_says_so(page, base, people, new_task):
    task = new_task()
    sign_in(page, base, people.lead)
    page.goto(f"{base}/tasks/{task['id']}")
    page.get_by_text("Báo cáo tiến độ hoặc hoàn thành").click()
    page.get_by_label("Đã hoàn thành (kèm văn bản chứng minh)").check()
    # Chosen "done": the document's number and date become required on the page itself.
    expect(page.locator("#progress-document_number")).to_have_attribute("aria-required", "true")
    page.get_by_label("Nội dung báo cáo").fill("Đã trình Chính phủ dự thảo Nghị định")
    page.get_by_role("button", name="Gửi báo cáo").click()
    summary_is_focused_on_first_screen(page)
    for name in ("document_number", "document_date"):
        field = page.locator(f"#progress-{name}")
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(page.locator(f"#progress-{name}-error")).to_contain_text("bắt buộc khi báo cáo hoàn thành")
    expect(page.locator("main")).not_to_contain_text("quá ngắn")
    expect(page.get_by_label("Nội dung báo cáo")).to_have_value("Đã trình Chính phủ dự thảo Nghị định")
    expect(page.get_by_label("Đã hoàn thành (kèm văn bản chứng minh)")).to_be_checked()
    expect(page.locator(".notice")).to_have_count(0)  # never in the green of a success


def test_no_form_is_offered_that_would_be_refused(page, base, people, new_task, server_clients):
    task = new_task()
    done = DONE_REPORT | {"evidence": DONE_REPORT["evidence"] | {"document_date": iso(0)}}
    assert server_clients.lead.post(f"/tasks/{task['id']}/progress", json=done).status_code == 200
    sign_in(page, base, people.lead)
    page.goto(f"{base}/tasks/{task['id']}")
    expect(page.get_by_text("Báo cáo tiến độ hoặc hoàn thành")).to_have_count(0)
    expect(page.locator("summary", has_text="Đề nghị rút nhiệm vụ")).to_have_count(1)
    expect(page.get_by_label("Lùi thời hạn")).to_have_count(0)
    expect(page.get_by_text("Xóa nhiệm vụ giao nhầm")).to_have_count(0)


def test_a_stale_edit_keeps_what_was_typed_beside_the_values_in_force(page, browser, base, people, new_task):
    task = new_task()
    sign_in(page, base, people.secretariat)
    page.goto(f"{base}/tasks/{task['id']}")
    saved_first_by_another(browser, base, people.secretariat, task["id"], "Kết quả cần đạt (rõ kết quả)",
                           "Nghị định được ký ban hành trong quý IV")

    page.get_by_text("Sửa nhiệm vụ").click()
    mine = "Toàn bộ doanh nghiệp dùng hóa đơn điện tử theo quy định mới"
    page.get_by_label("Kết quả cần đạt (rõ kết quả)").fill(mine)
    page.get_by_role("button", name="Lưu").click()
    summary_is_focused_on_first_screen(page)
    expect(page.locator(".error-summary")).to_contain_text("người khác sửa và lưu trước bạn")
    expect(page.get_by_label("Kết quả cần đạt (rõ kết quả)")).to_have_value(mine)
    expect(page.locator("#edit .help.current")).to_contain_text("Nghị định được ký ban hành trong quý IV")
    page.get_by_role("button", name="Lưu").click()  # saved over, knowingly
    expect(page.get_by_role("status")).to_have_text("Đã lưu nhiệm vụ.")
    expect(page.locator(".seven-ro")).to_contain_text(mine)


def test_a_second_save_after_a_clash_keeps_the_others_change_to_untouched_fields(page, browser, base, people,
                                                                                   new_task):
    task = new_task()
    sign_in(page, base, people.secretariat)
    page.goto(f"{base}/tasks/{task['id']}")
    theirs = "Hoàn thiện khung pháp lý về hóa đơn điện tử trong toàn quốc"
    saved_first_by_another(browser, base, people.secretariat, task["id"], "Mục tiêu (rõ mục tiêu)", theirs)

    page.get_by_text("Sửa nhiệm vụ").click()
    mine = "Toàn bộ doanh nghiệp dùng hóa đơn điện tử theo quy định mới"
    page.get_by_label("Kết quả cần đạt (rõ kết quả)").fill(mine)
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".error-summary")).to_contain_text("người khác sửa và lưu trước bạn")
    # The field this person did not touch now shows the other's value; theirs keeps what they typed.
    expect(page.get_by_label("Mục tiêu (rõ mục tiêu)")).to_have_value(theirs)
    expect(page.get_by_label("Kết quả cần đạt (rõ kết quả)")).to_have_value(mine)
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_have_text("Đã lưu nhiệm vụ.")
    expect(page.locator(".seven-ro")).to_contain_text(theirs)
    expect(page.locator(".seven-ro")).to_contain_text(mine)


def test_each_figure_opens_exactly_the_tasks_it_counts(page, base, people, server_clients):
    directive = next(d for d in every_item(server_clients.observer, "/directives")
                     if d["reference"] == "128/TB-VPCP (2022)")
    sign_in(page, base, people.observer)
    page.goto(f"{base}/?directive_id={directive['id']}&as_of=08/08/2022")
    expect(page.locator(".sentence")).to_contain_text("(trong hạn 3, quá hạn 9)")
    grid = page.locator("table.grid")
    for row, column, expected in (("Chưa hoàn thành", 3, 9), ("Chưa hoàn thành", 2, 3), ("Đã hoàn thành", 1, 15),
                                  ("Đã hoàn thành", 3, 4), ("Tổng cộng", 1, 27)):
        page.goto(f"{base}/?directive_id={directive['id']}&as_of=08/08/2022")
        grid.locator("tr", has=page.locator("th", has_text=row)).locator("td").nth(column - 1).locator("a").click()
        expect(page.locator(".summary-line")).to_contain_text("Tình trạng tính đến hết ngày 08/08/2022")
        expect(page.locator(".summary-line")).to_contain_text(f"Có {expected} nhiệm vụ")
        expect(page.locator("table.tasks tbody tr")).to_have_count(expected)
    # A scoreboard row's "Trong hạn" is a link too.
    page.goto(f"{base}/?directive_id={directive['id']}&as_of=08/08/2022")
    row = page.locator("table.scoreboard tbody tr").filter(has=page.locator("td[data-value]")).first
    in_time = int(row.locator("td").nth(3).get_attribute("data-value"))
    row.locator("td").nth(3).locator("a").click()
    expect(page.locator("table.tasks tbody tr" if in_time else "table.tasks tbody td[colspan]")).to_have_count(
        in_time or 1)


@pytest.mark.parametrize("path", ["/?as_of=31/02/2022", "/reports?as_of=abc", "/tasks?deadline_before=31/02/2022",
                                  "/?as_of={tomorrow}", "/tasks?as_of={tomorrow}"])
def test_a_wrong_day_is_shown_as_wrong_and_no_figure_is_given(page, base, people, path):
    sign_in(page, base, people.secretariat)
    response = page.goto(base + path.format(tomorrow=vn(1)))
    assert response.status == 422
    summary_is_focused_on_first_screen(page)
    expect(page.locator(".sentence")).to_have_count(0)
    expect(page.locator("table.grid, table.tasks, article.report")).to_have_count(0)
    typed = re.search(r"=([^&]+)$", path.format(tomorrow=vn(1))).group(1)
    assert typed in page.locator("input[aria-invalid=true]").input_value()


def test_the_task_list_sorts_pages_back_and_forth_and_shows_ones_own(page, base, people, server_clients):
    sign_in(page, base, people.lead)
    page.goto(f"{base}/tasks")
    statuses = page.locator("td[data-label='Trạng thái']").all_inner_texts()
    closed = [i for i, s in enumerate(statuses) if s.startswith(("đã hoàn thành", "đã rút"))]
    still_open = [i for i, s in enumerate(statuses) if not s.startswith(("đã hoàn thành", "đã rút"))]
    assert not closed or not still_open or max(still_open) < min(closed), "open tasks come first"
    page.get_by_role("link", name="Nhiệm vụ", exact=True).last.click()  # the column, not the menu
    expect(page.locator("th[aria-sort='ascending']")).to_have_text(re.compile("Nhiệm vụ"))
    titles = page.locator("td.task-title a").all_inner_texts()
    assert titles == sorted(titles, key=str.lower) or len(titles) < 2 or titles[0] <= titles[-1]
    total = int(re.search(r"Có (\d+)", page.locator(".summary-line").inner_text().replace(".", "")).group(1))
    if total > 50:
        first_page = page.locator("td.task-title a").first.inner_text()
        page.get_by_role("link", name="Trang sau ›").click()
        expect(page.locator(".pager")).to_contain_text("Trang 2/")
        page.get_by_role("link", name="‹ Trang trước").click()
        expect(page.locator("td.task-title a").first).to_have_text(first_page)
    page.get_by_label("Chỉ nhiệm vụ của Bộ Tài chính").check()  # the list reloads on a change
    page.wait_for_url(re.compile("mine=1"))
    agencies = set(page.locator("td[data-label='Cơ quan chủ trì']").all_inner_texts())
    assert agencies == {"Bộ Tài chính"}


def test_a_directive_is_corrected_on_its_page(page, base, people, new_task):
    task = new_task()
    sign_in(page, base, people.secretariat)
    page.goto(f"{base}/directives/{task['directive_id']}")
    page.get_by_text("Sửa thông tin văn bản").click()
    page.locator("#directive-title").fill("X")
    page.get_by_role("button", name="Lưu").click()
    summary_is_focused_on_first_screen(page)
    expect(page.locator("#directive-title-error")).to_contain_text("chưa rõ")
    expect(page.locator("#directive-title")).to_have_value("X")
    page.locator("#directive-title").fill("Thông báo kết luận của Thủ tướng Chính phủ (đính chính)")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_have_text("Đã lưu văn bản.")
    expect(page.locator("main")).to_contain_text("Thông báo kết luận của Thủ tướng Chính phủ (đính chính)")


def test_a_subscription_is_made_once_and_its_key_shown_once(page, base, people, server_clients):
    sign_in(page, base, people.other)
    page.goto(f"{base}/subscriptions")
    page.get_by_text("Đăng ký địa chỉ nhận mới").click()
    page.get_by_label("Địa chỉ nhận (URL)").fill("ftp://example.com/hook")
    page.get_by_label("Mô tả").fill("Nhóm chat của Ban Chỉ đạo tỉnh")
    page.get_by_role("button", name="Đăng ký").click()  # no event ticked, an address refused: kept, not a 500
    summary_is_focused_on_first_screen(page)
    expect(page.get_by_label("Địa chỉ nhận (URL)")).to_have_value("ftp://example.com/hook")
    expect(page.get_by_label("Mô tả")).to_have_value("Nhóm chat của Ban Chỉ đạo tỉnh")

    url = f"http://127.0.0.1:9/{uuid.uuid4().hex[:8]}"
    page.get_by_label("Địa chỉ nhận (URL)").fill(url)
    page.get_by_label("Quá hạn", exact=True).check()
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.locator(".secret code.copyable")).to_contain_text("whsec_")
    page.reload()  # the browser sends the form again
    expect(page.locator(".secret")).to_have_count(0)
    expect(page.get_by_role("status")).to_contain_text("đã được tạo ở lần gửi trước")
    mine = [e for e in server_clients.other_agency.get("/webhooks").json() if e["url"] == url]
    assert len(mine) == 1
    page.goto(f"{base}/subscriptions/{mine[0]['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhóm chat của Ban Chỉ đạo tỉnh")
    expect(page.get_by_label("Quá hạn", exact=True)).to_be_checked()


def test_a_mistaken_task_is_removed_with_its_reason(page, base, people, new_task, server_clients):
    task = new_task()
    sign_in(page, base, people.secretariat)
    page.goto(f"{base}/tasks/{task['id']}")
    page.on("dialog", lambda dialog: dialog.accept())  # "Xóa nhiệm vụ giao nhầm này?"
    page.get_by_text("Xóa nhiệm vụ giao nhầm").click()
    page.get_by_role("button", name="Xóa nhiệm vụ").click()
    summary_is_focused_on_first_screen(page)
    expect(page.locator("#remove-reason-error")).to_contain_text("bắt buộc")
    page.get_by_label("Lý do xóa").fill("Trùng với nhiệm vụ đã giao tại Mục 2")
    page.get_by_role("button", name="Xóa nhiệm vụ").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã xóa nhiệm vụ giao nhầm.")
    expect(page.locator(".alert")).to_contain_text("Trùng với nhiệm vụ đã giao tại Mục 2")
    assert server_clients.observer.get(f"/tasks/{task['id']}").json()["status"] == "removed"
    page.goto(f"{base}/tasks?directive_id={task['directive_id']}")
    expect(page.locator(".summary-line")).to_contain_text("Có 0 nhiệm vụ")


def test_the_journal_says_the_percent_and_the_date_asked_and_a_shorter_date_is_granted(page, base, people, new_task,
                                                                                        server_clients):
    task = new_task(deadline=iso(40))
    assert server_clients.lead.post(f"/tasks/{task['id']}/progress", json={
        "status": "in_progress", "progress_percent": 60, "note": "Đã lấy ý kiến các bộ"}).status_code == 200
    assert server_clients.lead.post(f"/tasks/{task['id']}/extension-requests", json={
        "requested_deadline": iso(120), "reason": "Chờ thẩm định"}).status_code == 201
    sign_in(page, base, people.secretariat)
    page.goto(f"{base}/tasks/{task['id']}")
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("Tiến độ 60%")
    expect(timeline).to_contain_text(f"Đề nghị lùi thời hạn đến {vn(120)}")
    page.get_by_label("Thời hạn đồng ý (nếu ngắn hơn đề nghị)").fill(vn(200))
    page.get_by_role("button", name="Đồng ý", exact=True).click()
    summary_is_focused_on_first_screen(page)
    expect(page.locator("#decision-approved_deadline-error")).to_contain_text("không được sau thời hạn đề nghị")
    page.get_by_label("Thời hạn đồng ý (nếu ngắn hơn đề nghị)").fill(vn(80))
    page.get_by_role("button", name="Đồng ý", exact=True).click()
    expect(page.locator(".seven-ro")).to_contain_text(f"Thời hạn: {vn(80)}")
    expect(timeline).to_contain_text(f"đến {vn(80)} (đề nghị {vn(120)})")


def test_a_merged_agencys_official_is_offered_an_update(page, base, people, server_clients, agencies):
    code = f"000.00.{uuid.uuid4().int % 90 + 10}.Z{uuid.uuid4().int % 90 + 10}"
    name = f"Sở Thử nghiệm {uuid.uuid4().hex[:4]}"
    made = server_clients.secretariat.post("/agencies", json={"code": code, "name": name, "short_name": code[-3:],
                                                              "kind": "department"})
    assert made.status_code == 201, made.text
    directive = server_clients.secretariat.post("/directives", json={
        "number": f"{uuid.uuid4().hex[:6]}/TB-UBND", "title": "Thông báo kết luận của Chủ tịch UBND",
        "issued_on": iso(-3), "meeting_name": "Phiên họp thường kỳ", "meeting_date": iso(-4),
        "issuer": "Văn phòng UBND"}).json()
    task = server_clients.secretariat.post("/tasks", json=task_payload(
        directive, agencies, lead_agency_id=made.json()["id"], coordinating_agency_ids=[],
        accountable_official=f"Giám đốc {name}", deadline=iso(200))).json()
    assert task["accountable_official"] == f"Giám đốc {name}"
    merged = server_clients.secretariat.post(f"/agencies/{code}/merge", json={"successor_code": "000.00.00.G12"})
    assert merged.status_code == 200, merged.text

    sign_in(page, base, people.secretariat)
    page.goto(f"{base}/tasks/{task['id']}")
    warning = page.locator("section.warning")
    expect(warning).to_contain_text(f"Giám đốc {name}")
    warning.get_by_role("button", name="Cập nhật thành “Giám đốc Bộ Tài chính”").click()
    expect(page.get_by_role("status")).to_have_text("Đã cập nhật người chịu trách nhiệm.")
    expect(page.locator(".seven-ro")).to_contain_text("Giám đốc Bộ Tài chính")
    expect(page.locator("section.warning")).to_have_count(0)


def test_an_address_a_refused_form_left_leads_back_to_its_page(page, base, people, new_task):
    task = new_task()
    sign_in(page, base, people.lead)
    response = page.goto(f"{base}/tasks/{task['id']}/progress")  # reloaded, reopened or shared
    assert response.ok and page.url.rstrip("/") == f"{base}/tasks/{task['id']}"
    expect(page.get_by_role("heading", level=1)).to_have_text(task["title"])


@pytest.mark.parametrize(("query", "field"), [("timing=xyz", "timing"), ("lead_agency_id=abc", "lead_agency_id"),
                                              ("deadline_after=31/12/2025&deadline_before=01/01/2025",
                                               "deadline_before")])
def test_a_filter_no_list_offers_is_refused_not_read_as_all(page, base, people, query, field):
    sign_in(page, base, people.observer)
    assert page.goto(f"{base}/tasks?{query}").status == 422
    expect(page.locator(f".error-summary a[href='#{field}']")).to_have_count(1)
    expect(page.locator("table.tasks")).to_have_count(0)


def test_a_failed_test_send_is_said_in_vietnamese(page, base, people):
    sign_in(page, base, people.other)
    page.goto(f"{base}/subscriptions")
    page.get_by_text("Đăng ký địa chỉ nhận mới").click()
    page.get_by_label("Địa chỉ nhận (URL)").fill(f"http://127.0.0.1:9/{uuid.uuid4().hex[:8]}")  # nobody listens
    page.get_by_role("button", name="Đăng ký").click()
    page.get_by_role("button", name="Gửi thử").click()
    expect(page.get_by_role("alert")).to_contain_text("Gửi thử: không thành công — không kết nối được tới địa chỉ nhận")
    expect(page.locator("table")).to_contain_text("không kết nối được tới địa chỉ nhận")


def test_sending_back_a_completion_needs_its_reason(page, base, people, new_task, server_clients):
    task = new_task()
    done = DONE_REPORT | {"evidence": DONE_REPORT["evidence"] | {"document_date": iso(0)}}
    assert server_clients.lead.post(f"/tasks/{task['id']}/progress", json=done).status_code == 200
    sign_in(page, base, people.secretariat)
    page.goto(f"{base}/tasks/{task['id']}")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Trả lại, yêu cầu tiếp tục thực hiện").click()
    summary_is_focused_on_first_screen(page)
    expect(page.locator("#review-note-error")).to_contain_text("nêu lý do trả lại")
    assert server_clients.observer.get(f"/tasks/{task['id']}").json()["status"] == "reported_done"

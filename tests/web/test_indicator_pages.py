"""Indicators ("chỉ tiêu") on the pages, the leader's brief on a phone and the calendar of deadlines, as people use
them, in a real browser against a real server on each database."""

import uuid
from datetime import date, timedelta
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import expect

from tests.conftest import task_payload
from tests.dates import ahead, dmy, today
from tests.web.conftest import sign_in
from tests.web.test_pages import no_serious_violations, shot

pytestmark = pytest.mark.real_server

PHONE = {"width": 390, "height": 844}


def open_form(page, summary: str) -> None:
    """Opens the folded form under `summary` (a page reached at the form's #anchor has it open already)."""
    details = page.locator("details", has=page.locator("summary", has_text=summary))
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def _last_month() -> str:
    last = today().replace(day=1) - timedelta(days=1)
    return f"{last.year}-{last.month:02d}"


@pytest.fixture
def directive(server_clients) -> dict:
    made = server_clients.secretariat.post("/directives", json={
        "number": f"{uuid.uuid4().hex[:6]}/TB-VPCP", "title": "Thông báo kết luận phiên họp về chuyển đổi số",
        "issued_on": ahead(-10).isoformat(), "meeting_name": "Phiên họp chuyên đề chuyển đổi số",
        "meeting_date": ahead(-12).isoformat(), "issuer": "Văn phòng Chính phủ"})
    assert made.status_code == 201, made.text
    return made.json()


def test_the_secretariat_defines_an_indicator_and_the_agency_records_its_values(
        page, browser, base, people, agencies, directive, server_clients, screenshots, server):
    """Defined on the board, its target set, a value typed the Vietnamese way ("87,08") by the reporting agency, a
    value for a period that is not the indicator's refused with what was typed kept, a correction that leaves the
    first value visible, struck through; the board shows the status in words beside the chart and its numbers."""
    task = server_clients.secretariat.post("/tasks", json=task_payload(directive, agencies, deadline=ahead(200)
                                                                       .isoformat())).json()
    code = f"TC-{uuid.uuid4().hex[:5]}"
    sign_in(page, base, people.secretariat)
    page.goto(f"{base}/indicators")
    open_form(page, "Thêm chỉ tiêu")
    page.get_by_role("button", name="Thêm chỉ tiêu").click()  # empty: refused field by field
    expect(page.locator("#indicator-errors")).to_be_visible()
    expect(page.locator("#indicator-code-error")).to_contain_text("bắt buộc")
    expect(page.locator("#indicator-reporting_agency_id-error")).to_contain_text("bắt buộc")
    form = page.locator("#indicator")
    form.get_by_label("Mã chỉ tiêu").fill(code)
    form.get_by_label("Tên chỉ tiêu").fill("Tỷ lệ hồ sơ khai thuế điện tử")
    form.get_by_label("Loại").select_option("percentage")
    form.get_by_label("Đơn vị tính").fill("%")
    form.get_by_label("Kỳ báo cáo").select_option("monthly")
    form.get_by_label("Nhóm", exact=True).fill("Chính quyền số")
    form.get_by_label("Cơ quan báo cáo").select_option(label="Bộ Tài chính")
    page.get_by_role("button", name="Thêm chỉ tiêu").click()
    expect(page.get_by_role("status")).to_contain_text("Đã thêm chỉ tiêu")
    indicator_id = int(urlsplit(page.url).path.split("/")[-1])

    open_form(page, "Đặt hoặc điều chỉnh chỉ tiêu")
    page.locator("#target-period").fill(str(today().year))
    page.locator("#target-value").fill("90")
    page.locator("#target-baseline_value").fill("40")
    page.locator("#target-baseline_on").fill(dmy(today().replace(month=1, day=1) - timedelta(days=1)))
    page.get_by_role("button", name="Đặt chỉ tiêu").click()
    expect(page.get_by_role("status")).to_have_text("Đã đặt chỉ tiêu.")
    expect(page.locator(".numbers")).to_contain_text(f"90% (năm {today().year})")
    ok = server_clients.secretariat.put(f"/indicators/{indicator_id}/tasks", json={"task_ids": [task["id"]]})
    assert ok.status_code == 200, ok.text

    # The reporting agency records a value; a period of another frequency is refused, the value typed kept.
    sign_in(page, base, people.lead)
    page.goto(f"{base}/indicators/{indicator_id}")
    open_form(page, "Cập nhật số liệu")
    page.get_by_label("Kỳ số liệu").fill(str(today().year))
    page.get_by_label("Giá trị (%)").fill("87,08")
    page.get_by_label("Nguồn số liệu").fill("Hệ thống quản lý thuế")
    page.get_by_role("button", name="Ghi nhận số liệu").click()
    expect(page.locator("#measurement-period-error")).to_contain_text("hằng tháng")
    expect(page.get_by_label("Giá trị (%)")).to_have_value("87,08")
    expect(page.get_by_label("Nguồn số liệu")).to_have_value("Hệ thống quản lý thuế")
    page.get_by_label("Kỳ số liệu").fill(_last_month())
    page.get_by_role("button", name="Ghi nhận số liệu").click()
    expect(page.get_by_role("status")).to_have_text("Đã ghi nhận số liệu.")
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("87,08%")
    expect(row).to_contain_text("Ước tính")
    measured = server_clients.observer.get(f"/indicators/{indicator_id}").json()
    assert measured["latest"]["value"] == 87.08 and measured["latest"]["period"] == _last_month()

    # A correction: a new value that supersedes the first; both stay, the first struck through.
    open_form(page, "Cập nhật số liệu")
    page.get_by_label("Kỳ số liệu").fill(_last_month())
    page.get_by_label("Giá trị (%)").fill("86,5")
    page.get_by_label("Số liệu chính thức").check()
    page.get_by_label("Đính chính số liệu đã báo cáo").select_option(index=1)
    page.get_by_role("button", name="Ghi nhận số liệu").click()
    expect(page.get_by_role("status")).to_have_text("Đã ghi nhận số liệu.")
    expect(page.locator("tbody tr")).to_have_count(2)
    expect(page.locator("tbody tr").first).to_contain_text("86,5%")
    expect(page.locator("tr.superseded s")).to_have_text("87,08%")
    corrected = server_clients.observer.get(f"/indicators/{indicator_id}").json()
    assert corrected["latest"]["value"] == 86.5 and corrected["latest"]["supersedes_id"] is not None
    status_words = {"achieved": "Đạt", "on_track": "Đúng tiến độ", "at_risk": "Có nguy cơ chậm",
                    "off_track": "Chậm tiến độ", "no_data": "Chưa có số liệu"}[corrected["status"]]
    expect(page.locator(".status-line .ibadge")).to_have_text(status_words)
    chart = page.locator("svg.chart[role=img]").first
    expect(chart.locator("title").first).to_contain_text(code)
    expect(chart.locator("desc")).to_contain_text("86,5%")
    no_serious_violations(page)
    shot(page, screenshots, "indicator", server.database.backend)

    # The board: the status in words, the numbers beside the chart; the task page names the indicator.
    page.goto(f"{base}/indicators?group=Chính quyền số")
    card = page.locator(".indicator-card", has_text=code)
    expect(card.locator(".ibadge")).to_have_text(status_words)
    expect(card.locator(".numbers")).to_contain_text("86,5%")
    expect(card.locator("svg.chart desc")).to_contain_text("86,5%")
    shot(page, screenshots, "indicators-board", server.database.backend)
    page.goto(f"{base}/tasks/{task['id']}")
    expect(page.locator("#indicators-h")).to_be_visible()
    expect(page.locator(".indicator-card", has_text="Tỷ lệ hồ sơ khai thuế điện tử")).to_contain_text("86,5%")


def test_only_the_reporting_agency_and_the_secretariat_are_offered_the_forms(page, base, people, server_clients,
                                                                           agencies):
    """Another agency and an observer read the indicator but get no form; a post they forge is refused (403) and
    records nothing."""
    made = server_clients.secretariat.post("/indicators", json={
        "code": f"TC-{uuid.uuid4().hex[:5]}", "name": "Số thủ tục hành chính được cắt giảm", "unit": "thủ tục",
        "kind": "count", "frequency": "quarterly", "reporting_agency_id": agencies["000.00.00.G12"]["id"]})
    assert made.status_code == 201, made.text
    indicator_id = made.json()["id"]
    for person in (people.other, people.observer):
        sign_in(page, base, person)
        page.goto(f"{base}/indicators/{indicator_id}")
        expect(page.get_by_role("heading", level=1)).to_have_text("Số thủ tục hành chính được cắt giảm")
        expect(page.get_by_text("Cập nhật số liệu")).to_have_count(0)
        expect(page.get_by_text("Đặt hoặc điều chỉnh chỉ tiêu")).to_have_count(0)
        csrf = page.evaluate("""() => fetch('/account').then(r => r.text()).then(t =>
            (t.match(/name="csrf_token" value="([^"]+)"/) || [])[1])""")
        answer = page.request.post(f"{base}/indicators/{indicator_id}/measurements", form={
            "csrf_token": csrf, "period": f"{today().year}-Q1", "value": "12"})
        assert answer.status == 403, answer.status
    assert server_clients.observer.get(f"/indicators/{indicator_id}").json()["measurements"] == []


def test_the_leaders_brief_reads_on_a_phone(browser, base, people, server_clients, screenshots, server):
    """An observer at 390 px: the headline first (tasks done and overdue, indicators behind), matching the API's
    figures, then cards that are links; nothing wider than the screen, every link at least 24 px tall; the full
    scoreboard folded."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    try:
        sign_in(page, base, people.observer)
        page.goto(f"{base}/brief")
        expect(page.get_by_role("heading", level=1)).to_contain_text(dmy(today()))
        first = page.locator("main h1 + *")
        expect(first).to_have_class("headline")
        summary = server_clients.observer.get("/reports/summary").json()
        headline = page.locator(".headline")
        figures = headline.locator("strong").all_inner_texts()
        assert figures[0] == f"{summary['completed']['total']:,}".replace(",", "."), (figures, summary)
        assert figures[1] == f"{summary['not_completed']['overdue']:,}".replace(",", "."), (figures, summary)
        expect(headline.locator(".h-done")).to_contain_text(f"/{summary['total']:,}".replace(",", "."))
        behind = [i for i in server_clients.observer.get("/indicators").json()
                  if i["status"] in ("off_track", "missed")]
        assert figures[2] == str(len(behind))
        # The figure links to exactly the indicators it counts.
        headline.locator(".h-indicators a").click()
        expect(page.locator(".indicator-card")).to_have_count(len(behind))
        page.go_back()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        small = page.evaluate("""() => [...document.querySelectorAll('main a, main summary')]
            .filter(a => a.offsetParent !== null)
            .map(a => [a.textContent.trim().slice(0, 40), a.getBoundingClientRect().height])
            .filter(([, h]) => h < 24)""")
        assert not small, small
        expect(page.locator("details.fold")).not_to_have_attribute("open", "")
        expect(page.locator("svg.chart[role=img]")).to_have_count(3)
        for chart in page.locator("svg.chart[role=img]").all():
            assert chart.locator(":scope > title").text_content().strip()
            assert chart.locator(":scope > desc").text_content().strip()
        no_serious_violations(page)
        shot(page, screenshots, "brief-phone", server.database.backend)
        cards = page.locator(".brief-card a")
        if cards.count():
            href = cards.first.get_attribute("href")
            cards.first.click()
            assert page.url.endswith(href)
    finally:
        context.close()


def test_the_calendar_shows_each_days_deadlines_and_reports(page, base, people, server_clients, agencies,
                                                            directive, screenshots, server):
    """A task due this month is on its day in the month view and in the day's list, linked; a standing task's
    report falls on its day too; an unreadable month is said, not quietly replaced."""
    due = ahead(20)
    task = server_clients.secretariat.post("/tasks", json=task_payload(
        directive, agencies, title=f"Hoàn thành báo cáo đánh giá chuyển đổi số {uuid.uuid4().hex[:4]}",
        deadline=due.isoformat()))
    assert task.status_code == 201, task.text
    task = task.json()
    standing = server_clients.secretariat.post("/tasks", json=task_payload(
        directive, agencies, title=f"Báo cáo tình hình chuyển đổi số {uuid.uuid4().hex[:4]}", deadline="hằng tháng"))
    assert standing.status_code == 201, standing.text
    standing = standing.json()
    report_due = date.fromisoformat(standing["deadline_on"])
    sign_in(page, base, people.observer)
    page.goto(f"{base}/calendar?month={report_due.year}-{report_due.month:02d}")
    report_day = page.locator(f"#d-{report_due.isoformat()}")
    expect(report_day.get_by_role("link", name=standing["title"])).to_have_attribute("href",
                                                                                    f"/tasks/{standing['id']}")
    expect(report_day).to_contain_text("Kỳ báo cáo của nhiệm vụ thường xuyên")
    page.goto(f"{base}/calendar?month={due.year}-{due.month:02d}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Lịch thời hạn tháng {due.month}/{due.year}")
    cell = page.locator(f"table.month a[href='#d-{due.isoformat()}']")
    expect(cell).to_be_visible()
    day = page.locator(f"#d-{due.isoformat()}")
    expect(day.get_by_role("link", name=task["title"])).to_have_attribute("href", f"/tasks/{task['id']}")
    listed = day.get_by_role("link", name=f"Mở danh sách nhiệm vụ đến hạn ngày {dmy(due)}")
    with httpx.Client(base_url=base, cookies={c["name"]: c["value"] for c in page.context.cookies()}) as client:
        answer = client.get(listed.get_attribute("href"))
        assert answer.status_code == 200 and task["title"] in answer.text
    shot(page, screenshots, "calendar-month", server.database.backend)
    page.goto(f"{base}/calendar?month=tháng-13")
    expect(page.get_by_role("alert")).to_contain_text("Không đọc được tháng")

"""A task's thread and the secretariat's reminders ("đôn đốc") on the pages, as people use them, in a real browser
against a real server on each database: a comment refused empty then sent, an explanation asked, waiting in the
secretariat's queue and on the agency's dashboard, answered and gone from the queue; reminders from the filtered list
(the ticked tasks, then every task listed, each skipped one said) and again from a task's page, forced with a
reason; neither form offered to whom the service refuses it, and a forged post a 403."""

import uuid

import pytest
from playwright.sync_api import expect

from tests.conftest import DONE_REPORT, task_payload
from tests.dates import ahead
from tests.paging import every_item
from tests.web.conftest import sign_in
from tests.web.test_indicator_pages import open_form
from tests.web.test_pages import no_serious_violations, shot

pytestmark = pytest.mark.real_server

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def directive(server_clients) -> dict:
    made = server_clients.secretariat.post("/directives", json={
        "number": f"{uuid.uuid4().hex[:6]}/TB-VPCP", "title": "Thông báo kết luận phiên họp về cải cách thủ tục",
        "issued_on": ahead(-10).isoformat(), "meeting_name": "Phiên họp chuyên đề cải cách thủ tục hành chính",
        "meeting_date": ahead(-12).isoformat(), "issuer": "Văn phòng Chính phủ"})
    assert made.status_code == 201, made.text
    return made.json()


def _task(server_clients, directive, agencies, title: str) -> dict:
    made = server_clients.secretariat.post("/tasks", json=task_payload(
        directive, agencies, title=title, deadline=ahead(120).isoformat()))
    assert made.status_code == 201, made.text
    return made.json()


def _csrf(page) -> str:
    return page.locator("input[name=csrf_token]").first.input_value()


def test_a_comment_thread_with_an_explanation_asked_and_answered(page, base, people, agencies, directive,
                                                                 server_clients, screenshots, server):
    task = _task(server_clients, directive, agencies, "Rà soát, cắt giảm thủ tục hành chính về thuế")
    url = f"{base}/tasks/{task['id']}"

    # The lead agency's officer: an empty comment is refused at its field, then one is sent.
    sign_in(page, base, people.lead)
    page.goto(url)
    expect(page.locator("#comments")).to_contain_text("Chưa có ý kiến nào.")
    expect(page.locator("#comment-asks_explanation")).to_have_count(0)  # the secretariat's box only
    page.get_by_role("button", name="Gửi ý kiến").click()
    expect(page.locator("#comment-errors")).to_be_focused()
    expect(page.locator("#comment-comment-error")).to_contain_text("bắt buộc")
    expect(page.locator("#comment-comment")).to_have_attribute("aria-invalid", "true")
    page.locator("#comment-comment").fill("Bộ đã gửi dự thảo lấy ý kiến các bộ, ngành\nDự kiến trình trong tháng tới")
    submission = page.locator("#comment input[name=submission]").input_value()
    page.get_by_role("button", name="Gửi ý kiến").click()
    expect(page.get_by_role("status")).to_have_text("Đã gửi ý kiến.")
    first = page.locator("li.comment").first
    expect(first).to_contain_text("Trần Minh Quân — Bộ Tài chính")
    expect(first.locator(".said")).to_have_text("Bộ đã gửi dự thảo lấy ý kiến các bộ, ngành\n"
                                                "Dự kiến trình trong tháng tới")
    # The same form sent again (a refresh, the back button): nothing written twice, and said.
    again = page.request.post(f"{url}/comments", form={
        "csrf_token": _csrf(page), "submission": submission,
        "comment": "Bộ đã gửi dự thảo lấy ý kiến các bộ, ngành\r\nDự kiến trình trong tháng tới"})  # as sent
    assert again.ok and "đã được gửi ở lần trước" in again.text()
    assert len(server_clients.observer.get(f"/tasks/{task['id']}/comments").json()["items"]) == 1

    # The secretariat asks for an explanation: the task waits in its queue.
    sign_in(page, base, people.secretariat)
    page.goto(url)
    page.locator("#comment-comment").fill("Đề nghị Bộ Tài chính giải trình lý do chậm trình Nghị định")
    page.get_by_label("Yêu cầu Bộ Tài chính giải trình").check()
    page.get_by_role("button", name="Gửi ý kiến").click()
    expect(page.get_by_role("status")).to_have_text("Đã gửi ý kiến.")
    request = page.locator("li.c-explanation_request")
    expect(request).to_contain_text("Yêu cầu giải trình")
    expect(request).to_contain_text("chưa trả lời")
    # The lead agency answers; the secretariat may record an answer the agency sent on paper.
    expect(request.get_by_role("button", name="Gửi giải trình")).to_be_visible()
    page.goto(f"{base}/")
    queue = page.locator(".queues a[href='/tasks?awaiting=explanation']")
    waiting = server_clients.secretariat.get("/tasks", params={"awaiting": "explanation", "limit": 1}).json()["total"]
    expect(queue).to_contain_text(f"{waiting} nhiệm vụ có yêu cầu giải trình")
    queue.click()
    expect(page.locator(".summary-line")).to_contain_text("yêu cầu giải trình chưa được trả lời")
    expect(page.get_by_role("link", name=task["title"])).to_be_visible()

    # An observer reads the thread, is offered no form, and a forged post changes nothing.
    sign_in(page, base, people.observer)
    page.goto(url)
    expect(page.locator("li.comment")).to_have_count(2)
    expect(page.locator("form#comment")).to_have_count(0)
    forged = page.request.post(f"{url}/comments", form={"csrf_token": _csrf(page), "comment": "Giả mạo ý kiến"})
    assert forged.status == 403
    assert len(server_clients.observer.get(f"/tasks/{task['id']}/comments").json()["items"]) == 2

    # The lead agency sees it first on its dashboard, answers it on the task's page; it leaves the queue.
    sign_in(page, base, people.lead)
    page.goto(f"{base}/")
    asked = page.locator("section", has=page.get_by_role("heading", name="Yêu cầu giải trình chờ trả lời"))
    asked.get_by_role("link", name=task["title"]).click()
    answer = page.locator("li.c-explanation_request form")
    answer.get_by_role("button", name="Gửi giải trình").click()  # empty: refused at its field, in its own form
    expect(page.locator("li.c-explanation_request .field-error")).to_contain_text("bắt buộc")
    page.locator("li.c-explanation_request textarea").fill("Bộ đang chờ ý kiến thẩm định của Bộ Tư pháp")
    page.locator("li.c-explanation_request").get_by_role("button", name="Gửi giải trình").click()
    expect(page.get_by_role("status")).to_have_text("Đã gửi giải trình.")
    expect(page.locator("li.c-explanation_request")).to_contain_text("đã trả lời")
    expect(page.locator("li.c-explanation_answer")).to_contain_text("Bộ đang chờ ý kiến thẩm định của Bộ Tư pháp")
    expect(page.locator("ol.timeline")).to_contain_text("Giải trình")
    no_serious_violations(page)
    shot(page, screenshots, "task-comment-thread", server.database.backend)
    queue = server_clients.secretariat.get("/tasks", params={"awaiting": "explanation",
                                                             "directive_id": directive["id"]}).json()
    assert queue["items"] == []


def test_reminders_from_the_filtered_list_and_from_a_task(page, browser, base, people, agencies, directive,
                                                         server_clients, screenshots, server):
    fresh = _task(server_clients, directive, agencies, "Xây dựng cơ sở dữ liệu quốc gia về hóa đơn điện tử")
    earlier = _task(server_clients, directive, agencies, "Sửa đổi quy định về hoàn thuế giá trị gia tăng")
    done = _task(server_clients, directive, agencies, "Ban hành Thông tư hướng dẫn quản lý thuế thương mại điện tử")
    assert server_clients.secretariat.post(f"/tasks/{earlier['id']}/reminders", json={}).status_code == 201
    assert server_clients.lead.post(f"/tasks/{done['id']}/progress", json=DONE_REPORT | {
        "evidence": DONE_REPORT["evidence"] | {"document_date": ahead(-1).isoformat()}}).status_code == 200
    listed = f"{base}/tasks?directive_id={directive['id']}"

    sign_in(page, base, people.secretariat)
    page.goto(listed)
    expect(page.locator(f"tr:has(a[href='/tasks/{earlier['id']}']) .tag.reminded")).to_contain_text("Đã đôn đốc")
    open_form(page, "Đôn đốc cơ quan chủ trì")
    page.locator("#remind-note").fill("Đề nghị báo cáo kết quả trước phiên họp")
    page.get_by_role("button", name="Đôn đốc các nhiệm vụ đã chọn").click()  # none ticked: refused, note kept
    expect(page.locator("#remind-errors")).to_contain_text("chưa chọn nhiệm vụ nào")
    expect(page.locator("#remind-note")).to_have_value("Đề nghị báo cáo kết quả trước phiên họp")
    shot(page, screenshots, "reminders-list-refused", server.database.backend)
    page.get_by_label(f"Chọn để đôn đốc: {fresh['title']}").check()
    page.get_by_role("button", name="Đôn đốc các nhiệm vụ đã chọn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kết quả đôn đốc")
    expect(page.locator("ul.reminded")).to_contain_text(fresh["title"])
    expect(page.locator("ul.skipped")).to_have_count(0)

    # Every task the filter lists: each one already reminded or not to be chased is named, with why.
    page.get_by_role("link", name="Quay lại danh sách nhiệm vụ").click()
    open_form(page, "Đôn đốc cơ quan chủ trì")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Đôn đốc tất cả 3 nhiệm vụ đang lọc").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kết quả đôn đốc")
    expect(page.locator(".summary-line")).to_contain_text("Đã đôn đốc 0 nhiệm vụ; 3 nhiệm vụ không gửi")
    skipped = page.locator("ul.skipped")
    expect(skipped.locator("li", has_text=fresh["title"])).to_contain_text("đã được đôn đốc hôm nay")
    expect(skipped.locator("li", has_text=earlier["title"])).to_contain_text("đã được đôn đốc hôm nay")
    expect(skipped.locator("li", has_text=done["title"])).to_contain_text("chưa báo cáo hoàn thành")
    shot(page, screenshots, "reminders-from-the-list", server.database.backend)
    page.goto(listed)
    no_serious_violations(page)

    # From a task's page: reminded today already, so another needs its reason.
    page.goto(f"{base}/tasks/{fresh['id']}")
    open_form(page, "Đôn đốc Bộ Tài chính")
    page.get_by_role("button", name="Đôn đốc", exact=True).click()
    expect(page.locator("#remind-force_reason-error")).to_contain_text("bắt buộc")
    page.locator("#remind-force_reason").fill("Lãnh đạo Ủy ban yêu cầu báo cáo ngay")
    page.get_by_role("button", name="Đôn đốc", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Đã đôn đốc cơ quan chủ trì.")
    expect(page.locator("ol.timeline li").first).to_contain_text("Gửi lại trong ngày: Lãnh đạo Ủy ban yêu cầu")
    history = every_item(server_clients.observer, f"/tasks/{fresh['id']}/history")
    reminded = [e for e in history if e["kind"] == "reminded"]
    assert [e["data"]["forced"] for e in reminded] == [False, True]
    assert reminded[0]["note"] == "Đề nghị báo cáo kết quả trước phiên họp" and reminded[0]["actor"]

    # On a phone the list's boxes stay usable.
    phone = browser.new_context(locale="vi-VN", viewport=PHONE).new_page()
    sign_in(phone, base, people.secretariat)
    phone.goto(listed)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    no_serious_violations(phone)
    phone.context.close()

    # The lead agency is offered neither; a forged post is refused and reminds nobody.
    sign_in(page, base, people.lead)
    page.goto(listed)
    expect(page.locator("form#remind")).to_have_count(0)
    expect(page.locator("input[name=task_ids]")).to_have_count(0)
    forged = page.request.post(f"{base}/tasks/reminders?directive_id={directive['id']}", form={
        "csrf_token": _csrf(page), "scope": "all", "force": "1", "force_reason": "Giả mạo"})
    assert forged.status == 403
    page.goto(f"{base}/tasks/{earlier['id']}")
    expect(page.locator("form#remind")).to_have_count(0)
    after = every_item(server_clients.observer, f"/tasks/{earlier['id']}/history")
    assert len([e for e in after if e["kind"] == "reminded"]) == 1

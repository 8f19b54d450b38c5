"""People's notifications on the pages, in a real browser against a real server on each database: the unread count
in every page's header, the inbox ("Thông báo") with each notification linking to its task, marked read one by one
and all at once, on a desktop and on a phone."""

from datetime import timedelta

import httpx
import pytest
from playwright.sync_api import expect

from app.auth import accounts
from app.auth import service as auth_service
from app.notifications import watch
from tests.conftest import LEAD_AGENCY, TASK_DEADLINE
from tests.web.conftest import make_person, sign_in
from tests.web.test_pages import no_serious_violations, shot

pytestmark = pytest.mark.real_server

PHONE = {"width": 390, "height": 844}


def unread_of(server, username: str) -> tuple[int, list[dict]]:
    """The person's unread count and newest notifications, as the API gives them to a token they made."""
    def token(session):
        account = accounts.by_username(session=session, username=username)
        return auth_service.create_token(session=session, agency_code=LEAD_AGENCY, role=account.role,
                                         name="Phần mềm của tôi", made_by=account.id)[1]

    raw = server.database.write(token)
    with httpx.Client(base_url=f"{server.base_url}/api/v1", headers={"Authorization": f"Bearer {raw}"}) as api:
        page = api.get("/me/notifications", params={"limit": 200}).json()
    return page["unread"], page["items"]


def test_the_inbox_count_in_the_header_and_marking_read(page, browser, base, server, server_clients, agencies,
                                                        deliver, screenshots):
    person = make_person(server.database, LEAD_AGENCY, "agency", "Trần Thông Báo")
    # Two decisions on a task of Bộ Tài chính: news for its officers, raised by the fan-out as the worker runs it.
    directive = server_clients.secretariat.post("/directives", json={
        "number": f"{person.username[-6:]}/TB-VPCP", "title": "Thông báo kết luận phiên họp về thông báo",
        "issued_on": "2024-11-20", "meeting_name": "Phiên họp thử nghiệm", "meeting_date": "2024-11-18",
        "issuer": "Văn phòng Chính phủ"}).json()
    from tests.conftest import task_payload

    task = server_clients.secretariat.post("/tasks", json=task_payload(directive, agencies)).json()
    for _ in range(2):
        request = server_clients.lead.post(f"/tasks/{task['id']}/extension-requests", json={
            "kind": "extend", "requested_deadline": (TASK_DEADLINE + timedelta(days=40)).isoformat(),
            "reason": "Chờ thẩm định"})
        assert request.status_code == 201, request.text
        assert server_clients.secretariat.post(f"/extension-requests/{request.json()['id']}/decision", json={
            "decision": "rejected", "note": "Chưa đủ căn cứ"}).status_code == 200
    watch.register_with_delivery(server.database.settings())
    deliver()
    unread, items = unread_of(server, person.username)
    assert unread >= 2
    ours = [n for n in items if n["task_id"] == task["id"]]
    assert [n["event_type"] for n in ours] == ["task.extension_decided"] * 2

    sign_in(page, base, person)
    count = page.locator("header .who a.inbox .count")
    expect(count).to_have_text(str(unread))  # on the home page, and on every page
    page.goto(f"{base}/tasks/{task['id']}")
    expect(count).to_have_text(str(unread))
    page.get_by_role("link", name=f"Thông báo {unread} chưa đọc").click()
    expect(page).to_have_url(f"{base}/notifications")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thông báo")
    first = page.locator(f"#notification-{ours[0]['id']}")
    expect(first).to_contain_text("Không đồng ý đề nghị điều chỉnh")
    expect(first.get_by_role("link")).to_have_attribute("href", f"/tasks/{task['id']}")
    no_serious_violations(page)
    shot(page, screenshots, "notifications-inbox", server.database.backend)

    first.get_by_role("button", name="Đánh dấu đã đọc").click()
    expect(page.get_by_role("status")).to_have_text("Đã đánh dấu thông báo là đã đọc.")
    expect(count).to_have_text(str(unread - 1))
    expect(page.locator(f"#notification-{ours[0]['id']}")).to_contain_text("Đã đọc")
    assert unread_of(server, person.username)[0] == unread - 1

    page.get_by_role("button", name="Đánh dấu tất cả là đã đọc").click()
    expect(page.get_by_role("status")).to_have_text(f"Đã đánh dấu {unread - 1} thông báo là đã đọc.")
    expect(count).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Bạn đã đọc hết thông báo.")
    assert unread_of(server, person.username)[0] == 0

    # On a phone: the inbox fits the screen, its link opens the task.
    phone = browser.new_context(locale="vi-VN", viewport=PHONE).new_page()
    sign_in(phone, base, person)
    phone.goto(f"{base}/notifications")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    no_serious_violations(phone)
    shot(phone, screenshots, "notifications-inbox-phone", server.database.backend)
    phone.locator(f"#notification-{ours[1]['id']}").get_by_role("link").click()
    expect(phone).to_have_url(f"{base}/tasks/{task['id']}")
    phone.context.close()


def test_the_choices_on_my_account(page, base, server, screenshots):
    person = make_person(server.database, LEAD_AGENCY, "agency", "Lê Lựa Chọn")
    sign_in(page, base, person)
    page.goto(f"{base}/account#notifications")
    section = page.locator("#notifications")
    expect(section).to_contain_text("Thư điện tử đang tắt.")  # the server under test has no SMTP server
    section.get_by_label("Nhiệm vụ quá hạn", exact=True).select_option("digest")
    section.get_by_label("Ý kiến trao đổi về nhiệm vụ").select_option("none")
    section.get_by_label("Giờ nhận bản tin hằng ngày").select_option("17")
    section.get_by_role("button", name="Lưu cách nhận thông báo").click()
    expect(page.get_by_role("status")).to_have_text("Đã lưu cách nhận thông báo.")
    expect(page.locator("#choices-mode_overdue")).to_have_value("digest")
    expect(page.locator("#choices-mode_commented")).to_have_value("none")
    expect(page.locator("#choices-digest_hour")).to_have_value("17")
    page.locator("#email-email").fill("không phải địa chỉ")
    page.get_by_role("button", name="Lưu địa chỉ").click()
    expect(page.locator("#email-errors")).to_be_focused()
    expect(page.locator("#email-email-error")).to_contain_text("không phải địa chỉ thư điện tử")
    page.locator("#email-email").fill(f"{person.username}@mof.gov.vn")
    page.get_by_role("button", name="Lưu địa chỉ").click()
    expect(page.get_by_role("status")).to_contain_text("chưa gửi được thư xác nhận")
    expect(page.locator("#email-state")).to_contain_text("chưa được xác nhận")
    shot(page, screenshots, "account-notifications", server.database.backend)

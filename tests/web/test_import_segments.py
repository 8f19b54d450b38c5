"""The review of a notice shows every piece with its fate; a piece no rule read becomes a draft with one button, and
the tasks are given with a piece left unread only once the officer confirms it (the journal keeps the answer)."""

import re
import uuid

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.dates import year_ahead
from tests.imports.notices import api_notice
from tests.paging import every_item
from tests.web.conftest import sign_in

pytestmark = pytest.mark.real_server

UNREAD = ("4. Ủy ban nhân dân các tỉnh bị ngập sâu rà soát số hộ mất nhà ở, báo cáo Bộ Xây dựng trong tháng 10 năm "
          "{year}.\n"
          "5. Ủy ban nhân dân các tỉnh bị sạt lở kiểm tra các điểm dân cư ven sông, báo cáo Bộ Nông nghiệp và Môi "
          "trường trong tháng 11 năm {year}.\n")


def _notice(number: str) -> str:
    text = api_notice(number)
    closing = text.index("Văn phòng Chính phủ thông báo")
    return text[:closing] + UNREAD.format(year=year_ahead(1)) + text[closing:]


def _complete(draft, work: str) -> None:
    draft.get_by_label("Mục tiêu (rõ mục tiêu)").fill("Bảo đảm chỗ ở an toàn cho người dân sau mưa lũ")
    draft.get_by_label("Kết quả cần đạt (rõ kết quả)").fill(f"Có số liệu {work} đầy đủ của từng tỉnh")
    draft.get_by_label("Mô tả sản phẩm").fill(f"Báo cáo {work} gửi bộ chủ quản")
    draft.get_by_label("Người chịu trách nhiệm (rõ trách nhiệm)").fill("Bộ trưởng")


def test_an_unread_piece_becomes_a_draft_and_the_last_one_is_given_up_on_the_officers_word(page, base, people,
                                                                                          server_clients):
    number = f"{uuid.uuid4().int % 90_000 + 10_000}/TB-VPCP"
    sign_in(page, base, people.secretariat)
    page.goto(f"{base}/imports")
    page.get_by_label("Nội dung thông báo").fill(_notice(number))
    page.get_by_role("button", name="Đọc thông báo").click()
    expect(page.get_by_role("status")).to_contain_text("Đã đọc 3 nhiệm vụ")
    # The counts at the top, and each piece marked by its fate in words as well as colour.
    expect(page.locator(".segment-counts")).to_have_text(re.compile(
        r"^5 đoạn giao việc: 3 dự thảo, 2 chưa đọc được; \d+ đoạn không giao việc\.$"))
    expect(page.locator(".notice-text .fate-unread .fate-tag")).to_have_text(["[chưa đọc được]"] * 2)
    expect(page.locator(".notice-text .fate-not_task .fate-tag").first).to_contain_text("không giao việc:")
    expect(page.locator(".unread-list li")).to_have_count(2)
    expect(page.locator(".unread-list li").first).to_contain_text("Cơ quan được nêu: Bộ Xây dựng")
    results = Axe().run(page)
    assert not [v["id"] for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]

    page.locator(".unread-list li").first.get_by_role("button", name="Tạo dự thảo từ đoạn này").click()
    expect(page.get_by_role("status")).to_contain_text("Đã tạo dự thảo 4 từ đoạn chưa đọc được")
    draft = page.locator("#draft-4")
    expect(draft.get_by_label("Nội dung nhiệm vụ (rõ việc)")).to_have_value(
        re.compile(r"^Ủy ban nhân dân các tỉnh bị ngập sâu rà soát số hộ mất nhà ở"))
    expect(draft.get_by_label("Cơ quan chủ trì (rõ người)")).to_have_value(re.compile(r"\d+"))
    expect(page.locator(".segment-counts")).to_contain_text("4 dự thảo, 1 chưa đọc được")

    # Only the new draft is given: the others are set aside, it is completed.
    for n in (1, 2, 3):
        page.locator(f"#draft-{n}").get_by_role("button", name="Bỏ qua, không giao").click()
    _complete(page.locator("#draft-4"), "số hộ mất nhà ở")
    page.get_by_role("button", name="Giao tất cả nhiệm vụ").first.click()
    # One piece is still unread: the officer is asked, nothing is given yet.
    expect(page.locator(".error-summary")).to_contain_text("Còn 1 đoạn chưa đọc được")
    page.get_by_label("Tôi đã đọc các đoạn chưa đọc được; các đoạn đó không giao việc.").check()
    page.get_by_role("button", name="Giao tất cả nhiệm vụ").first.click()
    expect(page.get_by_role("status")).to_contain_text("Đã giao 1 nhiệm vụ.")

    directive = next(d for d in every_item(server_clients.observer, "/directives") if d["number"] == number)
    tasks = server_clients.observer.get("/tasks", params={"directive_id": directive["id"]}).json()["items"]
    assert [t["lead_agency"]["name"] for t in tasks] == ["Bộ Xây dựng"]
    origin = every_item(server_clients.observer, f"/tasks/{tasks[0]['id']}/history")[0]["data"]["origin"]
    assert origin["unread_confirmed"] is True and len(origin["unread_segments"]) == 1 and "from_segment" in origin

"""An agency officer attaches evidence files to a report from a phone (390 px), in a real browser against a real
server on each database: a renamed program refused at the file field with what was typed kept and the files to be
chosen again; then the report sent with a PDF and a photo, listed on the task page and in its journal, downloaded
intact by whoever reads the task; nobody signed out gets it."""

import hashlib
import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import task_payload
from tests.tasks import evidence_samples as samples
from tests.web.conftest import sign_in

pytestmark = pytest.mark.real_server
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def task(server_clients, agencies) -> dict:
    directive = server_clients.secretariat.post("/directives", json={
        "number": f"{uuid.uuid4().hex[:6]}/TB-VPCP", "title": "Thông báo kết luận phiên họp về hồ sơ điện tử",
        "issued_on": "2026-11-20", "meeting_name": "Phiên họp tháng 11", "meeting_date": "2026-11-18",
        "issuer": "Văn phòng Chính phủ"})
    assert directive.status_code == 201, directive.text
    made = server_clients.secretariat.post("/tasks", json=task_payload(directive.json(), agencies))
    assert made.status_code == 201, made.text
    return made.json()


def _no_wider_than_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_evidence_files_sent_with_a_report_from_a_phone(page, browser, base, people, task, tmp_path, screenshots,
                                                        server):
    backend = server.database.backend
    signed = tmp_path / "Biên bản nghiệm thu.pdf"
    signed.write_bytes(samples.pdf())
    photo = tmp_path / "ảnh hiện trường.png"
    photo.write_bytes(samples.png())
    program = tmp_path / "bao-cao.pdf"
    program.write_bytes(samples.exe())

    page.set_viewport_size(PHONE)
    sign_in(page, base, people.lead)
    page.goto(f"{base}/tasks/{task['id']}")
    page.get_by_text("Báo cáo tiến độ hoặc hoàn thành").click()
    expect(page.locator("#progress-files-help")).to_contain_text("tối đa 20 MB")
    page.fill("#progress-progress_percent", "60")
    page.fill("#progress-note", "Đã hoàn thành nghiệm thu giai đoạn 1, gửi kèm biên bản")
    page.set_input_files("#progress-files", [signed, program])
    with page.expect_response(lambda r: r.request.method == "POST" and "/progress" in r.url) as posted:
        page.get_by_role("button", name="Gửi báo cáo").click()
    assert posted.value.status == 422
    expect(page.locator("#progress-errors")).to_be_visible()
    expect(page.locator("#progress-files")).to_have_attribute("aria-invalid", "true")
    field_error = page.locator("#progress-files-error")
    expect(field_error).to_contain_text("tệp bao-cao.pdf không phải PDF, DOCX, XLSX, PNG hoặc JPEG")
    expect(field_error).to_contain_text("hãy chọn lại tệp")
    expect(page.locator("#progress-note")).to_have_value("Đã hoàn thành nghiệm thu giai đoạn 1, gửi kèm biên bản")
    _no_wider_than_the_phone(page)
    page.screenshot(path=str(screenshots / f"evidence-refused-phone-{backend}.png"), full_page=True)

    page.set_input_files("#progress-files", [signed, photo])
    with page.expect_response(lambda r: r.request.method == "POST" and "/progress" in r.url) as posted:
        page.get_by_role("button", name="Gửi báo cáo").click()
    assert posted.value.status == 303
    expect(page.get_by_role("status")).to_contain_text("Đã ghi nhận báo cáo.")
    listed = page.locator("ul.evidence-files li")
    expect(listed).to_have_count(2)
    expect(listed.first).to_contain_text("Biên bản nghiệm thu.pdf")
    expect(listed.first).to_contain_text("Trần Minh Quân — Bộ Tài chính")
    expect(page.locator("ol.timeline").get_by_role("link", name="ảnh hiện trường.png")).to_be_visible()
    _no_wider_than_the_phone(page)
    page.locator("#files-h").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / f"evidence-listed-phone-{backend}.png"))

    with page.expect_download() as downloading:
        page.locator("ul.evidence-files").get_by_role("link", name="Biên bản nghiệm thu.pdf").click()
    download = downloading.value
    assert download.suggested_filename == "Biên bản nghiệm thu.pdf"
    assert Path(download.path()).read_bytes() == signed.read_bytes()

    # Whoever reads the task gets the same bytes from the page's link; nobody signed out does.
    link = page.locator("ul.evidence-files a").first.get_attribute("href")
    assert re.fullmatch(r"/files/\d+", link)
    observer = browser.new_context(viewport=PHONE)
    try:
        observer_page = observer.new_page()
        sign_in(observer_page, base, people.observer)
        got = observer_page.request.get(f"{base}{link}")
        assert got.status == 200 and hashlib.sha256(got.body()).hexdigest() == hashlib.sha256(
            signed.read_bytes()).hexdigest()
        assert got.headers["x-content-type-options"] == "nosniff"
        assert got.headers["content-type"] == "application/pdf"
    finally:
        observer.close()
    nobody = browser.new_context()
    try:
        answer = nobody.request.get(f"{base}{link}", max_redirects=0)
        assert answer.status == 303 and "/login" in answer.headers["location"]
    finally:
        nobody.close()

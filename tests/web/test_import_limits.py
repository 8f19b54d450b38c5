"""The notice import page: the same upload limit as the API (a notice file of a few megabytes is read), and a file
too complex to read refused at its field with its reason, within the reading's time limit."""

import time
import uuid

import pytest
from playwright.sync_api import expect

from bench.import_hostile import slow_pdf
from tests.conftest import own_server
from tests.imports.builders import notice_docx_with_picture
from tests.imports.notices import api_notice
from tests.web.conftest import sign_in

SECONDS = 4


@pytest.fixture(scope="module")
def strict(server):
    """A second server on the same database, reading each notice for SECONDS at most."""
    with own_server(server.database, import_read_seconds=str(SECONDS)) as running:
        yield running


def _posted(response) -> bool:
    return response.request.method == "POST" and response.url.endswith("/imports")


def test_a_notice_file_of_a_few_megabytes_is_read_on_the_page(page, server, people, tmp_path):
    """A Word notice carrying a 2.5 MB picture (a scanned signature): the page took 1 MB at most while the API and
    the page itself said 10 MB."""
    path = tmp_path / "thong-bao.docx"
    path.write_bytes(notice_docx_with_picture(api_notice(f"{uuid.uuid4().int % 90_000 + 10_000}/TB-VPCP"), 2_500_000))
    assert 1_000_000 < path.stat().st_size < 10_000_000
    sign_in(page, server.base_url, people.secretariat)
    page.goto(f"{server.base_url}/imports")
    expect(page.locator("#notice-file-help")).to_contain_text("tối đa 10 MB")
    page.set_input_files("#notice-file", path)
    with page.expect_response(_posted) as posted:
        page.get_by_role("button", name="Đọc thông báo").click()
    assert posted.value.status == 303
    expect(page.get_by_role("status")).to_contain_text("Đã đọc 3 nhiệm vụ")
    expect(page.locator("article.draft")).to_have_count(3)


def test_a_file_too_complex_to_read_is_refused_at_its_field(page, strict, people, tmp_path):
    path = tmp_path / "cham.pdf"
    path.write_bytes(slow_pdf())
    sign_in(page, strict.base_url, people.secretariat)
    page.goto(f"{strict.base_url}/imports")
    page.set_input_files("#notice-file", path)
    started = time.monotonic()
    with page.expect_response(_posted) as posted:
        page.get_by_role("button", name="Đọc thông báo").click()
    assert posted.value.status == 422
    assert time.monotonic() - started < SECONDS + 6
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#notice-file")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field.has-error")).to_contain_text(
        f"Tệp quá phức tạp để đọc: đọc tệp cần hơn {SECONDS} giây.")


def test_a_file_over_the_limit_gets_the_sites_own_page(server, people):
    """Refused before it is read (413), but a person still gets a page in Vietnamese, not the API's JSON."""
    from tests.auth.pages import post_form, signed_in

    officer = signed_in(server.base_url, people.secretariat.username, people.secretariat.password)
    too_big = b"x" * 10_000_001
    refused = officer.post("/imports", files={"file": ("thong-bao.txt", too_big, "text/plain")},
                           data={"csrf_token": "irrelevant"})
    assert refused.status_code == 413
    assert refused.headers["content-type"].startswith("text/html")
    assert "<title>" in refused.text and "vượt quá 10.000.000 byte" in refused.text
    assert post_form(officer, "/imports", "/imports", {"text": ""}).status_code == 422  # the page still works

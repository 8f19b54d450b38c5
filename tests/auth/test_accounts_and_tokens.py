"""Accounts as their owners expect, through the pages over real HTTP on both databases: an API token records who made
it and when it was last used, and goes with its maker; one's own password changes only with the current one, and the
other sessions end while this one carries on."""

import re

import httpx

from tests.auth.pages import post_form, signed_in, try_sign_in
from tests.web.conftest import make_person

SHOWN_ONCE = re.compile(r'<code class="copyable">([^<]+)</code>')


def _account_id(page: str, username: str) -> str:
    before = page.split(f'<td data-label="Tên đăng nhập">{username}</td>')[0]
    return before.rsplit('id="account-', 1)[1].split('"', 1)[0]


def test_a_token_names_its_maker_and_last_use_and_goes_with_them(server):
    maker = make_person(server.database, "000.00.00.G12", "agency", "Phan Văn Tạo")
    officer = make_person(server.database, "000.00.00.K01", "secretariat", "Tổ Giúp Việc")
    agency_page = signed_in(server.base_url, maker.username, maker.password)
    made = post_form(agency_page, "/accounts", "/tokens", {"name": "Hệ thống văn bản của Bộ"})
    assert made.status_code == 200, made.text[-500:]
    raw = SHOWN_ONCE.search(made.text).group(1)
    api = httpx.Client(base_url=server.base_url + "/api/v1", headers={"Authorization": f"Bearer {raw}"})

    secretariat = signed_in(server.base_url, officer.username, officer.password)
    listed = secretariat.get("/accounts").text
    row = listed.split("Hệ thống văn bản của Bộ")[1].split("</tr>")[0]
    assert f"Phan Văn Tạo ({maker.username})" in row and "chưa dùng" in row
    assert '<td data-label="Cơ quan">' in row  # the secretariat sees every agency's tokens, with whose they are

    assert api.get("/me").status_code == 200
    row = secretariat.get("/accounts").text.split("Hệ thống văn bản của Bộ")[1].split("</tr>")[0]
    assert "chưa dùng" not in row and re.search(r"\d{2}:\d{2}", row), row

    deactivated = post_form(secretariat, "/accounts",
                            f"/accounts/{_account_id(listed, maker.username)}/deactivate")
    assert deactivated.status_code == 303
    refused = api.get("/me")
    assert refused.status_code == 401, refused.text
    row = secretariat.get("/accounts").text.split("Hệ thống văn bản của Bộ")[1].split("</tr>")[0]
    assert "đã thu hồi" in row


def test_an_agency_sees_only_its_own_tokens(server):
    first = make_person(server.database, "000.00.00.G12", "agency", "Cán Bộ Một")
    second = make_person(server.database, "000.00.00.H29", "agency", "Cán Bộ Hai")
    one = signed_in(server.base_url, first.username, first.password)
    post_form(one, "/accounts", "/tokens", {"name": "Phần mềm riêng của cơ quan một"})
    two = signed_in(server.base_url, second.username, second.password)
    assert "Phần mềm riêng của cơ quan một" not in two.get("/accounts").text
    assert "Phần mềm riêng của cơ quan một" in one.get("/accounts").text


def test_ones_own_password_is_not_reset_without_the_current_one(server):
    officer = make_person(server.database, "000.00.00.K01", "secretariat", "Thư Ký Tự Đặt")
    browser = signed_in(server.base_url, officer.username, officer.password)
    page = browser.get("/accounts").text
    own = _account_id(page, officer.username)
    answer = post_form(browser, "/accounts", f"/accounts/{own}/password")
    assert answer.status_code == 403
    assert "mật khẩu hiện tại" in answer.text
    assert SHOWN_ONCE.search(answer.text) is None
    # The password is as it was, and the page does not offer the reset on one's own row.
    assert try_sign_in(httpx.Client(base_url=server.base_url), officer.username, officer.password).status_code == 303
    row = page.split(f'id="account-{own}"')[1].split("</tr>")[0]
    assert "Cấp lại mật khẩu" not in row


def test_changing_ones_password_ends_the_other_sessions_and_keeps_this_one(server):
    person = make_person(server.database, "000.00.00.G12", "agency", "Ngô Thị Đổi")
    here = signed_in(server.base_url, person.username, person.password)
    elsewhere = signed_in(server.base_url, person.username, person.password)
    new = "Mat-khau-moi-2468"
    refused = post_form(here, "/account", "/account/password", {
        "current_password": "khong-dung", "new_password": new, "new_password_again": new})
    assert refused.status_code == 422 and "mật khẩu hiện tại không đúng" in refused.text
    assert elsewhere.get("/account").status_code == 200  # a refusal ends nothing

    changed = post_form(here, "/account", "/account/password", {
        "current_password": person.password, "new_password": new, "new_password_again": new})
    assert changed.status_code == 303 and changed.headers["location"].startswith("/account")
    assert here.get("/account").status_code == 200  # this browser carries on, in a fresh session
    gone = elsewhere.get("/account")
    assert gone.status_code == 303 and gone.headers["location"].startswith("/login")
    assert try_sign_in(httpx.Client(base_url=server.base_url), person.username, new).status_code == 303

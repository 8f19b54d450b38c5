"""Directives are named by number and year, corrected with If-Match and journaled."""

import uuid

import pytest

from tests.dates import ahead, iso
from tests.paging import walked_in_small_pages


def _directive(number: str, issued_on: str, meeting_date: str | None = None) -> dict:
    return {"number": number, "title": "Thông báo kết luận của Thủ tướng Chính phủ tại phiên họp",
            "issued_on": issued_on, "meeting_name": "Phiên họp thường kỳ", "meeting_date": meeting_date or issued_on,
            "issuer": "Văn phòng Chính phủ"}


def test_the_same_number_in_two_years_is_two_directives(clients):
    number = f"{uuid.uuid4().hex[:6]}/TB-VPCP"
    first = clients.secretariat.post("/directives", json=_directive(number, "2022-05-06"))
    second = clients.secretariat.post("/directives", json=_directive(number, "2024-05-06"))
    assert first.status_code == 201 and second.status_code == 201, second.text
    assert first.json()["reference"] == f"{number} (2022)" and second.json()["reference"] == f"{number} (2024)"
    again = clients.secretariat.post("/directives", json=_directive(number, "2024-12-30", "2024-12-20"))
    assert again.status_code == 422
    assert again.json()["detail"][0]["msg_vi"] == f"đã có văn bản số {number} (2024)"


def test_an_issue_date_in_the_future_is_refused(clients):
    future = iso(ahead(2))
    refused = clients.secretariat.post("/directives", json=_directive(f"{uuid.uuid4().hex[:6]}/TB-VPCP", future))
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "issued_on"
    assert "không được sau ngày hôm nay" in refused.json()["detail"][0]["msg_vi"]


def test_a_blank_number_and_a_date_out_of_range_are_refused_in_both_languages(clients):
    refused = clients.secretariat.post("/directives", json=_directive("  ", "1990-05-06", "2022-05-01"))
    assert refused.status_code == 422
    problems = {p["field"]: p for p in refused.json()["detail"]}
    assert (problems["number"]["msg"], problems["number"]["msg_vi"]) == ("must not be blank", "không được để trống")
    assert problems["issued_on"]["msg_vi"] == "phải trong khoảng 01/01/2000 đến 31/12/2100"
    assert refused.json()["message_vi"].startswith("Yêu cầu không hợp lệ: số, ký hiệu: không được để trống")


def test_a_correction_needs_the_current_etag_and_is_journaled(clients):
    made = clients.secretariat.post("/directives", json=_directive(f"{uuid.uuid4().hex[:6]}/TB-VPCP", "2024-03-01"))
    url, etag = f"/directives/{made.json()['id']}", made.headers["etag"]
    assert clients.secretariat.patch(url, json={"title": "Thông báo kết luận (đính chính)"}).status_code == 428
    assert clients.secretariat.patch(url, json={"title": "Thông báo kết luận (đính chính)"},
                                     headers={"If-Match": "*"}).status_code == 428
    assert clients.lead.patch(url, json={"title": "Sửa trái phép văn bản"}, headers={"If-Match": etag}).status_code \
        == 403
    fixed = clients.secretariat.patch(url, json={"title": "Thông báo kết luận (đính chính)"},
                                      headers={"If-Match": etag})
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["title"] == "Thông báo kết luận (đính chính)" and fixed.headers["etag"] != etag
    stale = clients.secretariat.patch(url, json={"issuer": "Văn phòng Chính phủ (sửa)"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    same = clients.secretariat.patch(url, json={"title": "Thông báo kết luận (đính chính)"},
                                     headers={"If-Match": fixed.headers["etag"]})
    assert same.status_code == 200 and same.headers["etag"] == fixed.headers["etag"]  # nothing changed
    history = clients.observer.get(f"{url}/history").json()
    assert [e["kind"] for e in history] == ["created", "updated"]
    assert history[1]["data"]["before"]["title"] == "Thông báo kết luận của Thủ tướng Chính phủ tại phiên họp"


def test_a_task_deadline_before_its_directive_is_refused(clients, directive, agencies):
    from tests.conftest import task_payload

    past = clients.secretariat.post("/tasks", json=task_payload(directive, agencies, deadline="31/12/2020"))
    assert past.status_code == 422
    assert past.json()["detail"][0]["type"] == "deadline_past"


@pytest.mark.real_server
def test_directives_are_paged_newest_first_as_tasks_are(clients):
    made = [clients.secretariat.post("/directives", json=_directive(f"{uuid.uuid4().hex[:6]}/TB-VPCP", "2002-02-02"))
            for _ in range(3)]
    assert all(m.status_code == 201 for m in made)
    listed = walked_in_small_pages(clients.observer, "/directives", 4)
    assert [(d["issued_on"], d["id"]) for d in listed] == sorted(((d["issued_on"], d["id"]) for d in listed),
                                                               reverse=True)
    same_day = [d["id"] for d in listed if d["id"] in {m.json()["id"] for m in made}]
    assert same_day == sorted((m.json()["id"] for m in made), reverse=True)  # a day's directives: the newest first

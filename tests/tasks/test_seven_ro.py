from datetime import date

import pytest

from tests.conftest import TASK_DEADLINE, task_payload
from tests.dates import iso, leap_year_ahead, month_end, year_ahead

Y = year_ahead(5)
LEAP = leap_year_ahead(at_least_years=5)

SEVEN = {
    "objective": "rõ mục tiêu",
    "lead_agency_id": "rõ người",
    "title": "rõ việc",
    "deadline": "rõ thời gian",
    "accountable_official": "rõ trách nhiệm",
    "deliverable_type": "rõ sản phẩm",
    "deliverable_description": "rõ sản phẩm",
    "expected_result": "rõ kết quả",
}


def _problems(response) -> dict[str, dict]:
    assert response.status_code == 422, response.text
    return {d["field"]: d for d in response.json()["detail"]}


def test_a_task_with_all_seven_is_created(clients, directive, agencies):
    response = clients.secretariat.post("/tasks", json=task_payload(directive, agencies))
    assert response.status_code == 201
    task = response.json()
    assert task["status"] == "new"
    assert task["deadline_on"] == task["original_deadline_on"] == iso(TASK_DEADLINE)
    assert task["lead_agency"]["code"] == "000.00.00.G12"
    assert [a["code"] for a in task["coordinating_agencies"]] == ["000.00.00.H29"]
    assert task["timing"] == "in_time" and task["days_overdue"] == 0
    assert response.headers["etag"]


def test_every_missing_ro_is_named_in_vietnamese_and_english(clients, directive, agencies):
    payload = task_payload(directive, agencies)
    for field in SEVEN:
        payload.pop(field)
    problems = _problems(clients.secretariat.post("/tasks", json=payload))
    assert set(problems) == set(SEVEN)
    for field, vietnamese in SEVEN.items():
        assert vietnamese in problems[field]["msg_vi"]
        assert "clear" in problems[field]["msg"]


def test_blank_values_count_as_missing(clients, directive, agencies):
    payload = task_payload(directive, agencies, objective="   ", accountable_official="",
                           title="\u200b" * 20, expected_result="\u2800" * 16 + "\u3000")
    problems = _problems(clients.secretariat.post("/tasks", json=payload))
    assert set(problems) == {"objective", "accountable_official", "title", "expected_result"}


@pytest.mark.parametrize(("overrides", "field", "fragment_vi"), [
    ({"deadline": "2020-01-31"}, "deadline", "trước ngày hôm nay"),
    ({"deliverable_type": "Báo cáo", "deliverable_description": "Báo cáo"}, "deliverable_description",
     "không chỉ loại sản phẩm"),
    ({"expected_result": "Trình Chính phủ ban hành Nghị định sửa đổi Nghị định số 123/2020/NĐ-CP về hóa đơn"},
     "expected_result", "nhắc lại nội dung"),
    ({"lead_agency_id": 987654}, "lead_agency_id", "không có cơ quan"),
    ({"coordinating_agency_ids": [987654]}, "coordinating_agency_ids", "không có cơ quan"),
    ({"deadline": "sớm nhất có thể"}, "deadline", "các dạng được chấp nhận"),
    ({"deadline": "31/02/2030"}, "deadline", "31/02/2030 không phải là ngày hợp lệ"),
    ({"deadline": "hôm qua"}, "deadline", "không đọc được"),
    ({"deadline": "31/12/2150"}, "deadline", "năm phải trong khoảng 2000–2100"),
    ({"title": "..............................."}, "title", "chỉ gồm dấu câu hoặc một ký tự lặp lại"),
    ({"objective": "xxxxxxxxxxxxxxxxxxxxxxxxxxxx"}, "objective", "chỉ gồm dấu câu hoặc một ký tự lặp lại"),
    ({"accountable_official": "ông Nguyễn Văn A"}, "accountable_official", "cần nêu chức vụ và cơ quan"),
    ({"deliverable_type": "Tờ trình"}, "deliverable_type", "không thuộc danh sách"),
])
def test_vague_or_wrong_values_are_refused(clients, directive, agencies, overrides, field, fragment_vi):
    problems = _problems(clients.secretariat.post("/tasks", json=task_payload(directive, agencies, **overrides)))
    assert field in problems
    assert fragment_vi in problems[field]["msg_vi"]


def test_lead_agency_cannot_also_coordinate(clients, directive, agencies):
    lead = agencies["000.00.00.G12"]["id"]
    problems = _problems(clients.secretariat.post("/tasks", json=task_payload(
        directive, agencies, coordinating_agency_ids=[lead])))
    assert "một người chủ trì" in problems["coordinating_agency_ids"]["msg_vi"] or \
        "cơ quan chủ trì" in problems["coordinating_agency_ids"]["msg_vi"]


def test_only_one_lead_agency(clients, directive, agencies):
    ids = [agencies["000.00.00.G12"]["id"], agencies["000.00.00.H29"]["id"]]
    response = clients.secretariat.post("/tasks", json=task_payload(directive, agencies, lead_agency_id=ids))
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "lead_agency_id"


@pytest.mark.parametrize(("wording", "expected"), [
    (f"{Y}-12-31", f"{Y}-12-31"),
    (f"31/12/{Y}", f"{Y}-12-31"),
    (f"tháng 8/{Y}", f"{Y}-08-31"),
    (f"tháng 2/{LEAP}", f"{LEAP}-02-29"),
    (f"trong tháng 2/{Y}", iso(month_end(date(Y, 2, 1)))),
    (f"quý III/{Y}", f"{Y}-09-30"),
    (f"quý I/{Y}", f"{Y}-03-31"),
    (f"năm {Y}", f"{Y}-12-31"),
    (f"trước 15/8/{Y}", f"{Y}-08-15"),
    (f"chậm nhất ngày 15/8/{Y}", f"{Y}-08-15"),
])
def test_deadline_wordings(clients, directive, agencies, wording, expected):
    response = clients.secretariat.post("/tasks", json=task_payload(directive, agencies, deadline=wording))
    assert response.status_code == 201, response.text
    assert response.json()["deadline_on"] == expected
    assert response.json()["deadline_text"] == wording


def test_malformed_bodies_get_422_not_500(clients, directive, agencies):
    assert clients.secretariat.post("/tasks", content=b"{not json",
                                    headers={"content-type": "application/json"}).status_code == 422
    response = clients.secretariat.post("/tasks", json=task_payload(directive, agencies, lead_agency_id="BTC",
                                                                    priority="rất"))
    problems = _problems(response)
    assert problems["lead_agency_id"]["msg_vi"] == "Phải là số nguyên"
    assert "priority" in problems
    unknown = _problems(clients.secretariat.post("/tasks", json=task_payload(directive, agencies, colour="red")))
    assert unknown["colour"]["msg_vi"] == "Trường không được phép"
    assert clients.secretariat.post("/tasks", json=[1, 2]).status_code == 422


def test_a_refused_task_writes_nothing(clients, directive, agencies):
    clients.secretariat.post("/tasks", json=task_payload(directive, agencies, objective=""))
    listed = clients.secretariat.get("/tasks", params={"directive_id": directive["id"]}).json()
    assert listed["total"] == 0

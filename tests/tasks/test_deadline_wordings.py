"""Deadline wordings in daily use (pure, on dates of 2023–2024) and through the API."""

import re
from datetime import date

import pytest

from app.tasks.deadlines import DeadlineFormatError, parse_deadline, period_end, standing_cadence
from tests.dates import today

SIGNED = date(2023, 1, 10)


@pytest.mark.parametrize(("wording", "expected"), [
    ("trước ngày 15/8/2023", date(2023, 8, 15)),  # the named day counts
    ("chậm nhất ngày 15/8/2023", date(2023, 8, 15)),
    ("6 tháng đầu năm 2023", date(2023, 6, 30)),
    ("6 tháng cuối năm 2023", date(2023, 12, 31)),
    ("cuối năm 2023", date(2023, 12, 31)),
    ("năm 2023", date(2023, 12, 31)),
    ("12/2023", date(2023, 12, 31)),
    ("tháng 2/2024", date(2024, 2, 29)),
    ("trong tháng 8 năm 2023", date(2023, 8, 31)),
    ("quý III/2023", date(2023, 9, 30)),
    ("Thời hạn: quý I năm 2024", date(2024, 3, 31)),
    ("trong 30 ngày", date(2023, 2, 9)),
    ("trong 15 ngày kể từ ngày ký", date(2023, 1, 25)),
    ("ngày 31 tháng 12 năm 2023", date(2023, 12, 31)),
])
def test_wordings(wording, expected):
    assert parse_deadline(wording, working_days_from=SIGNED) == expected


@pytest.mark.parametrize(("wording", "kind", "text"), [
    ("29/02/2023", "deadline_not_a_date", "29/02/2023 không phải là ngày hợp lệ"),
    ("13/2023", "deadline_not_a_date", "không có tháng 13"),
    ("31/12/1999", "deadline_year_out_of_range", "năm phải trong khoảng 2000–2100"),
    ("năm 2101", "deadline_year_out_of_range", "năm phải trong khoảng 2000–2100"),
    ("sớm nhất có thể", "deadline_format", "các dạng được chấp nhận"),
])
def test_each_mistake_has_its_own_message(wording, kind, text):
    with pytest.raises(DeadlineFormatError) as refused:
        parse_deadline(wording, working_days_from=SIGNED)
    assert refused.value.type == kind and text in refused.value.message_vi


def test_standing_wordings_and_periods():
    assert standing_cadence("thường xuyên") == (True, None)
    assert standing_cadence("Nhiệm vụ thường xuyên, báo cáo hằng tháng") == (True, "monthly")
    assert standing_cadence("hàng năm") == (True, "yearly")
    assert standing_cadence("quý II/2023") == (False, None)
    assert period_end("quarterly", date(2022, 12, 10)) == date(2022, 12, 31)
    assert period_end("monthly", date(2023, 2, 3)) == date(2023, 2, 28)
    assert period_end("yearly", date(2023, 2, 3)) == date(2023, 12, 31)


def test_a_future_example_in_the_help(clients, make_task):
    refused = clients.secretariat.post("/tasks", json={"directive_id": make_task()["directive_id"],
                                                       "deadline": "khi nào xong"})
    problem = next(p for p in refused.json()["detail"] if p["field"] == "deadline")
    dated = [form for form in re.findall(r"'([^']*)'", problem["msg_vi"]) if re.search(r"\d{4}", form)]
    assert any(re.fullmatch(r"\d\d/\d\d/\d{4}", form) for form in dated), problem["msg_vi"]
    # Every dated example is a deadline one could still give today.
    assert [form for form in dated if parse_deadline(form) <= today()] == [], problem["msg_vi"]

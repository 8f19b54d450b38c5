"""The suite runs on any day: a test takes a future date from tests/dates.py, never writes one, and the today of
tests/dates.py is the server's."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.tasks.deadlines import month_end
from tests.conftest import task_payload
from tests.dates import dmy, iso, today

pytestmark = pytest.mark.real_server  # the server's today is a `roviec serve` process's, on its own clock

TESTS = Path(__file__).resolve().parent
# Real notices read by the parser alone, against their own dates (never sent to the API): their horizons may lie
# ahead. Everything else under tests/ that is text (Python, the notice the API imports) is read.
NOT_READ = ("imports/corpus/",)
# A line may keep a literal future date that nothing judges against today (a horizon in a parser's input) if it
# says so, with why.
FIXED = "fixed date:"

_QUARTER = {"i": 3, "ii": 6, "iii": 9, "iv": 12, "1": 3, "2": 6, "3": 9, "4": 12}


def _day(y, m, d) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:  # 31/02, month 13: not a day at all
        return None


def _month(y, m) -> date | None:
    return month_end(int(y), int(m)) if 1 <= int(m) <= 12 else None


# The forms a date is written in, each with the last day it means, most precise first; a span read by one is not
# read again by the next ("ngày 25 tháng 11 năm 2023" is not also "năm 2023").
FORMS = [
    (re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I), lambda d, m, y: _day(y, m, d)),
    (re.compile(r"(?<![\d.-])(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)"), lambda y, m, d: _day(y, m, d)),
    (re.compile(r"(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?![\d/])"), lambda d, m, y: _day(y, m, d)),
    (re.compile(r"\bdate(?:time)?\(\s*(\d{4})\s*,\s*(\d{1,2})\s*,\s*(\d{1,2})"), lambda y, m, d: _day(y, m, d)),
    (re.compile(r"quý\s+(iv|iii|ii|i|[1-4])\s*(?:/|\s+năm\s+)(\d{4})", re.I),
     lambda q, y: _month(y, _QUARTER[q.lower()])),
    (re.compile(r"6\s+tháng\s+đầu\s+năm\s+(\d{4})", re.I), lambda y: _month(y, 6)),
    (re.compile(r"tháng\s+(\d{1,2})\s*(?:/|\s+năm\s+)(\d{4})", re.I), lambda m, y: _month(y, m)),
    (re.compile(r"(?<![\d/.])(\d{1,2})/(\d{4})(?![\d/])"), lambda m, y: _month(y, m)),
    (re.compile(r"năm\s+(\d{4})", re.I), lambda y: _month(y, 12)),
]


def literal_dates(line: str) -> list[tuple[str, date]]:
    """The calendar days a line of text names, each with the last day it means ('quý I/2023' -> 31/03/2023)."""
    found = []
    for pattern, meaning in FORMS:
        for match in pattern.finditer(line):
            day = meaning(*match.groups())
            if day is not None:
                found.append((match.group(0), day))
        line = pattern.sub(lambda m: " " * len(m.group(0)), line)
    return found


def test_no_test_writes_a_future_date():
    """A literal date later than today breaks the day it passes (the API refuses a deadline before today). Dates in
    2100 or later are the service's limits (LAST_DAY is 31/12/2100) and the years beyond them, which it refuses."""
    now = today()
    found = []
    for path in sorted(TESTS.rglob("*")):
        relative = path.relative_to(TESTS).as_posix()
        if path.suffix not in (".py", ".txt") or relative == "dates.py" or relative.startswith(NOT_READ):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if FIXED not in line:
                found += [f"tests/{relative}:{n}: {text}" for text, day in literal_dates(line)
                          if now < day and day.year < 2100]
    assert found == [], "a future date written out; take it from tests/dates.py (ahead(), year_ahead(), ...):\n" + \
        "\n".join(found)


@pytest.mark.parametrize(("line", "days"), [
    ('make_task(deadline="16/12/2024")', ["2024-12-16"]),
    ('{"requested_deadline": "năm 2024", "as_of": "2024-01-20T12:00:00"}', ["2024-01-20", "2024-12-31"]),
    ("clock.now = noon(date(2024, 1, 13))", ["2024-01-13"]),
    ('fill("quý I/2024"), "Thời hạn: quý III năm 2024", "6 tháng đầu năm 2024"', ["2024-03-31", "2024-09-30",
                                                                               "2024-06-30"]),
    ('"tháng 2/2024", "trong tháng 8 năm 2023", "12/2023"', ["2024-02-29", "2023-08-31", "2023-12-31"]),
    ("Hà Nội, ngày 25 tháng 11 năm 2023", ["2023-11-25"]),
    ('"123/2024/NĐ-CP", "31/02/2024", "13/2024", "1/TB-VPCP (2024)", "2021 - 2024"', []),
])
def test_the_dates_a_line_names(line, days):
    assert sorted(iso(day) for _, day in literal_dates(line)) == sorted(days)


def test_a_future_date_written_out_is_found():
    tomorrow = today() + timedelta(days=1)
    assert [day for _, day in literal_dates(f'make_task(deadline="{dmy(tomorrow)}")')] == [tomorrow]


def test_the_tests_today_is_the_servers(clients, directive, agencies):
    """The day tests/dates.py calls today is the day before which the server refuses a deadline (on a moved clock
    too: faketime moves the server's clock with the tests')."""
    for _ in range(3):  # a run that crosses midnight here tries again
        before = today()
        accepted = clients.secretariat.post("/tasks", json=task_payload(directive, agencies, deadline=iso(before)))
        refused = clients.secretariat.post("/tasks", json=task_payload(directive, agencies,
                                                                       deadline=iso(before - timedelta(days=1))))
        if today() == before:
            break
    assert accepted.status_code == 201, accepted.text
    assert refused.status_code == 422
    assert f"thời hạn không được trước ngày hôm nay ({dmy(before)})" in refused.json()["detail"][0]["msg_vi"]

"""The indicator rule alone, on hand-made histories with the day it is judged on given (no clock involved)."""

from datetime import date

import pytest

from app.indicators.judgement import (
    Comparator,
    Direction,
    Frequency,
    Kind,
    Reading,
    Status,
    Target,
    judge,
    last_whole_period,
    parse_period,
    path_value,
    period_of,
)

YEAR = parse_period("2024")
# 42 % at the end of 2023, 80 % by the end of 2024: the straight path passes 61 % at the end of June.
ONLINE = Target(YEAR, 80.0, 42.0, date(2023, 12, 31))


def monthly(*values_by_month: tuple[int, float]) -> list[Reading]:
    return [Reading(parse_period(f"2024-{month:02d}"), value) for month, value in values_by_month]


def status(readings, today, *, target=ONLINE, kind=Kind.percentage, direction=Direction.increase,
           comparator=Comparator.at_least, frequency=Frequency.monthly, tolerance=0.1):
    return judge(kind=kind, direction=direction, comparator=comparator, frequency=frequency, target=target,
                 readings=readings, today=today, tolerance=tolerance)


def test_periods_read_as_written():
    assert (parse_period("2024-H1").start, parse_period("2024-H1").end) == (date(2024, 1, 1), date(2024, 6, 30))
    assert (parse_period("2024-Q3").start, parse_period("2024-Q3").end) == (date(2024, 7, 1), date(2024, 9, 30))
    assert parse_period("2024-02").end == date(2024, 2, 29)
    assert parse_period("2024").frequency == Frequency.yearly
    for wrong in ("2024-13", "2024-Q5", "24", "2024-H3", "năm 2024", "", "1999"):
        assert parse_period(wrong) is None, wrong
    assert period_of(Frequency.quarterly, date(2024, 8, 15)).text == "2024-Q3"
    assert last_whole_period(Frequency.monthly, date(2024, 3, 10)).text == "2024-02"
    assert last_whole_period(Frequency.quarterly, date(2024, 1, 5)).text == "2023-Q4"


def test_the_path_runs_straight_from_the_baseline_to_the_target():
    assert path_value(ONLINE, date(2023, 12, 31)) == 42.0
    assert path_value(ONLINE, date(2024, 12, 31)) == 80.0
    assert abs(path_value(ONLINE, date(2024, 6, 30)) - (42 + 38 * 182 / 366)) < 1e-9


@pytest.mark.parametrize(("june", "expected"), [
    (62.0, Status.on_track),   # ahead of the path (61 % at the end of June)
    (61.0, Status.on_track),
    (58.0, Status.at_risk),    # 3 points behind: within 10 % of the 38 points to go
    (57.3, Status.at_risk),
    (56.0, Status.off_track),  # 5 points behind: more than 3.8
    (80.0, Status.achieved),   # the target met early
])
def test_a_rising_percentage_against_its_path(june, expected):
    assert status(monthly((5, 55.0), (6, june)), date(2024, 7, 10)) == expected


def test_no_value_for_a_whole_period_is_no_data():
    assert status([], date(2024, 7, 10)) == Status.no_data
    # May's value, judged in mid-July: June went by without one.
    assert status(monthly((5, 70.0)), date(2024, 7, 10)) == Status.no_data
    # ... in mid-June, May is the last whole month: in time.
    assert status(monthly((5, 70.0)), date(2024, 6, 10)) == Status.on_track


def test_a_period_that_ended_short_is_missed_and_one_met_stays_achieved():
    assert status(monthly((12, 79.9)), date(2025, 1, 20)) == Status.missed
    assert status([], date(2025, 1, 20)) == Status.missed
    assert status(monthly((11, 81.0), (12, 80.0)), date(2025, 3, 1)) == Status.achieved


def test_a_falling_indicator():
    # Days to process a file: 20 at the end of 2023, at most 10 by the end of 2024 (15 on the path in June's end).
    days = Target(YEAR, 10.0, 20.0, date(2023, 12, 31))
    falling = {"target": days, "kind": Kind.count, "direction": Direction.decrease, "comparator": Comparator.at_most}
    assert status(monthly((6, 14.0)), date(2024, 7, 5), **falling) == Status.on_track
    assert status(monthly((6, 15.8)), date(2024, 7, 5), **falling) == Status.at_risk
    assert status(monthly((6, 18.0)), date(2024, 7, 5), **falling) == Status.off_track
    assert status(monthly((6, 10.0)), date(2024, 7, 5), **falling) == Status.achieved
    assert status(monthly((12, 11.0)), date(2025, 1, 5), **falling) == Status.missed


def test_a_yes_no_indicator_is_achieved_or_not():
    portal = Target(YEAR, 1.0, 0.0, date(2023, 12, 31))
    yes_no = {"target": portal, "kind": Kind.yes_no, "comparator": Comparator.equal,
              "frequency": Frequency.quarterly}
    quarter = lambda q, v: [Reading(parse_period(f"2024-Q{q}"), v)]  # noqa: E731
    assert status(quarter(2, 1.0), date(2024, 7, 15), **yes_no) == Status.achieved
    assert status(quarter(2, 0.0), date(2024, 7, 15), **yes_no) == Status.off_track
    assert status(quarter(4, 0.0), date(2025, 1, 15), **yes_no) == Status.missed


def test_readings_outside_the_target_period_do_not_count():
    before = [Reading(parse_period("2023-12"), 90.0)]
    assert status(before, date(2024, 1, 10)) == Status.no_data


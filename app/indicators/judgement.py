"""The one rule that judges an indicator against its target for a period, beside the tasks' timing rule
(app/tasks/timing.py): computed from the history as of a day, never typed.

- `achieved`: the value in force meets the target (by the indicator's comparator: ≥, >, ≤, <, =).
- `missed`: the period has ended and the target was not met.
- `no_data`: no value for the period yet, or the latest is older than the reporting frequency allows (the last whole
  period before the day has no value).
- `on_track` / `at_risk` / `off_track`: on the straight path from the baseline (value, day) to the target at the
  period's end, the value is at or ahead of where the path is on the day it refers to; behind by no more than the
  tolerance (a share of the distance from baseline to target); or further behind.
- A yes-no indicator is achieved or not: `achieved`, `off_track` while its period runs, `missed` once it ended.

As of a day: a measurement counts once recorded by the end of that day and until a correction recorded by then
supersedes it; a target counts once set, until a revision recorded by then replaces it.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Status(StrEnum):
    achieved = "achieved"
    on_track = "on_track"
    at_risk = "at_risk"
    off_track = "off_track"
    no_data = "no_data"
    missed = "missed"


class Kind(StrEnum):
    percentage = "percentage"
    ratio = "ratio"  # a/b, kept as numerator and denominator; its value is a/b in percent
    count = "count"
    amount = "amount"
    yes_no = "yes_no"  # 1 yes, 0 no


class Direction(StrEnum):
    increase = "increase"
    decrease = "decrease"


class Comparator(StrEnum):
    at_least = ">="
    more_than = ">"
    at_most = "<="
    less_than = "<"
    equal = "="


class Frequency(StrEnum):
    monthly = "monthly"
    quarterly = "quarterly"
    half_yearly = "half_yearly"
    yearly = "yearly"


# ---------------------------------------------------------------- periods: "2025", "2025-H1", "2025-Q3", "2025-07"

_PERIOD = re.compile(r"(?P<year>\d{4})(?:-(?:(?P<half>H[12])|(?P<quarter>Q[1-4])|(?P<month>0[1-9]|1[0-2])))?")


@dataclass(frozen=True)
class Period:
    text: str
    frequency: Frequency
    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def within(self, other: "Period") -> bool:
        return other.start <= self.start and self.end <= other.end


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def parse_period(text: str) -> Period | None:
    """A period as written in the API ("2025", "2025-H1", "2025-Q3", "2025-07"), or None."""
    match = _PERIOD.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        return None
    year = int(match["year"])
    if not 2000 <= year <= 2100:
        return None
    if match["half"]:
        first = 1 if match["half"] == "H1" else 7
        return Period(text.strip(), Frequency.half_yearly, date(year, first, 1), _month_end(year, first + 5))
    if match["quarter"]:
        first = 3 * (int(match["quarter"][1]) - 1) + 1
        return Period(text.strip(), Frequency.quarterly, date(year, first, 1), _month_end(year, first + 2))
    if match["month"]:
        month = int(match["month"])
        return Period(text.strip(), Frequency.monthly, date(year, month, 1), _month_end(year, month))
    return Period(text.strip(), Frequency.yearly, date(year, 1, 1), date(year, 12, 31))


def period_of(frequency: Frequency, day: date) -> Period:
    """The period of `frequency` that holds `day`."""
    if frequency == Frequency.monthly:
        return parse_period(f"{day.year}-{day.month:02d}")
    if frequency == Frequency.quarterly:
        return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    if frequency == Frequency.half_yearly:
        return parse_period(f"{day.year}-H{1 if day.month <= 6 else 2}")
    return parse_period(str(day.year))


def last_whole_period(frequency: Frequency, day: date) -> Period:
    """The last period of `frequency` that ended before `day`: the newest one a report may be expected for."""
    return period_of(frequency, period_of(frequency, day).start - timedelta(days=1))


# ---------------------------------------------------------------- the rule


@dataclass(frozen=True)
class Target:
    period: Period
    value: float
    baseline_value: float
    baseline_on: date


@dataclass(frozen=True)
class Reading:
    """The value in force for a period of the indicator's frequency (corrections already applied)."""

    period: Period
    value: float


def meets(value: float, target: float, comparator: Comparator) -> bool:
    if comparator == Comparator.at_least:
        return value >= target
    if comparator == Comparator.more_than:
        return value > target
    if comparator == Comparator.at_most:
        return value <= target
    if comparator == Comparator.less_than:
        return value < target
    return abs(value - target) <= 1e-9 * max(1.0, abs(target))


def path_value(target: Target, day: date) -> float:
    """Where the straight path from the baseline to the target stands on `day`."""
    start, end = target.baseline_on, target.period.end
    if day >= end or end <= start:
        return target.value
    share = max(0.0, (day - start).days / (end - start).days)
    return target.baseline_value + (target.value - target.baseline_value) * share


def judge(*, kind: Kind, direction: Direction, comparator: Comparator, frequency: Frequency, target: Target,
          readings: list[Reading], today: date, tolerance: float) -> Status:
    """The indicator's status against `target` as of `today`, from the readings in force that day (any order)."""
    inside = [r for r in readings if r.period.within(target.period) and r.period.start <= today]
    latest = max(inside, key=lambda r: r.period.end, default=None)
    ended = today > target.period.end
    if latest is not None and meets(latest.value, target.value, comparator):
        return Status.achieved
    if ended:
        return Status.missed
    if latest is None:
        return Status.no_data
    expected = last_whole_period(frequency, today)
    if expected.within(target.period) and latest.period.end < expected.start:
        return Status.no_data  # a whole period went by without a value
    if kind == Kind.yes_no:
        return Status.off_track
    sign = 1.0 if direction == Direction.increase else -1.0
    behind = sign * (path_value(target, latest.period.end) - latest.value)
    if behind <= 0:
        return Status.on_track
    distance = abs(target.value - target.baseline_value)
    if distance == 0 or behind / distance > tolerance:
        return Status.off_track
    return Status.at_risk

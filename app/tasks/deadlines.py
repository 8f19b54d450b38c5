"""Deadline wording as directives write it, turned into the last day it allows.

"trước ngày 15/8/2027" and "chậm nhất ngày 15/8/2027" both mean the 15th is the last day (it counts): that is how the
Government Office's tracker and the provinces' record such deadlines, and a task completed on the 15th is on time.
The rule is applied the same way by the API, the notice importer and the seed.

Standing tasks ("thường xuyên", "hằng quý", ...) have no deadline: `standing_cadence` reads their wording instead.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from app import messages
from app.clock import utcnow
from app.text import fold
from app.types import FIRST_DAY, LAST_DAY


def accepted_forms() -> tuple[str, ...]:
    """The accepted wordings, with next year's dates: future dates only, the help is read by people typing a new
    task (every example ends on 30/06 of next year or later, in any time zone)."""
    y = utcnow().year + 1
    return (f"31/12/{y}", f"{y}-12-31", f"ngày 31 tháng 12 năm {y}", f"tháng 8/{y}", f"tháng 8 năm {y}", f"12/{y}",
            f"quý III/{y}", f"6 tháng đầu năm {y}", f"6 tháng cuối năm {y}", f"năm {y}", f"cuối năm {y}",
            "trong 30 ngày", "trong 15 ngày kể từ ngày ký", "trong 10 ngày làm việc", "thường xuyên", "hằng quý")


ACCEPTED_FORMS = accepted_forms()  # as the pages show them, from the year the process started in

# Leading words that do not change the date: "trước 15/8/2027", "chậm nhất ngày ...", "trong tháng 8/2027".
_LEAD_WORDS = re.compile(r"^(?:(?:truoc|chau nhat|cham nhat|han|thoi han|hoan thanh|trong|den|het|ngay|vao)"
                         r"\s*:?\s+)*")

# ---- the period grammar: how a deadline names a quarter, a half-year, a month or a year (folded text), and the
# month it ends in. One grammar for a deadline typed on its own (below) and for one found in a notice's running text
# (app/imports/deadlines.py), so what the importer reads the task API accepts. A pattern takes the name of its group,
# as one regular expression may hold several of them.

QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# Between a period and its year: "quý III/2023", "quý III năm 2023", "tháng 8 - 2023", "tháng 8 2023".
YEAR_SEP = r"(?:\s*[/.-]\s*(?:nam\s+)?|\s+nam\s+|\s+)"


def quarter_pattern(group: str) -> str:
    return rf"quy\s+(?P<{group}>iv|iii|ii|i|[1-4])\b"


def half_pattern(group: str) -> str:
    """"6 tháng đầu năm", "sáu tháng cuối năm": the group is "dau" or "cuoi"."""
    return rf"(?:6|06|sau)\s+thang\s+(?P<{group}>dau|cuoi)\s+nam"


def month_pattern(group: str) -> str:
    return rf"thang\s+(?P<{group}>\d{{1,2}})\b"


def year_pattern(group: str) -> str:
    return rf"nam\s+(?P<{group}>\d{{4}})"


def quarter_last_month(numeral: str) -> int:
    return QUARTERS[numeral] * 3


def half_last_month(half: str) -> int:
    return 6 if half == "dau" else 12


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_MY = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
_MONTH = re.compile(rf"^{month_pattern('month')}{YEAR_SEP}(?P<year>\d{{4}})$")
_DAY_WORDS = re.compile(r"^(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})$")
_QUARTER = re.compile(rf"^{quarter_pattern('quarter')}{YEAR_SEP}(?P<year>\d{{4}})$")
_HALF = re.compile(rf"^{half_pattern('half')}\s+(?P<year>\d{{4}})$")
_YEAR = re.compile(rf"^(?:cuoi\s+)?{year_pattern('year')}$")
_DAYS = re.compile(r"^(\d{1,3})\s+ngay(?:\s+(?:ke\s+tu|tu)\s+ngay\s+(?:ky|ban\s+hanh|giao))?$")
_WORKING_DAYS = re.compile(r"^(\d{1,3})\s+ngay\s+lam\s+viec(?:\s+ke\s+tu\s+ngay\s+(?:ban\s+hanh|ky|giao))?$")
_STANDING = {"thuong xuyen": None, "hang thang": "monthly", "hang quy": "quarterly", "hang nam": "yearly"}


@dataclass
class DeadlineFormatError(ValueError):
    message: str
    message_vi: str
    type: str = "deadline_format"

    def __str__(self) -> str:
        return self.message

    @classmethod
    def of(cls, reason: str, *, type: str = "deadline_format", **values) -> "DeadlineFormatError":  # noqa: A002
        """Worded by messages.REFUSALS[reason]."""
        return cls(*messages.refusal(reason, **values), type=type)


def _unreadable(wording: str) -> DeadlineFormatError:
    forms = ", ".join(f"'{form}'" for form in accepted_forms())
    return DeadlineFormatError.of("deadline_unreadable", wording=wording, forms=forms)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _words(wording: str) -> str:
    return _LEAD_WORDS.sub("", fold(wording).strip(" .;,"))


def standing_cadence(wording: str | None) -> tuple[bool, str | None]:
    """Whether the wording makes a standing task, and its reporting cadence if it names one:
    "thường xuyên" -> (True, None), "hằng quý" -> (True, "quarterly"), "nhiệm vụ thường xuyên, báo cáo hằng tháng"
    -> (True, "monthly"), "31/12/2027" -> (False, None)."""
    text = fold(wording or "")  # "hằng" and "hàng" both fold to "hang"
    found = [cadence for phrase, cadence in _STANDING.items() if phrase in text]
    if not found:
        return False, None
    return True, next((cadence for cadence in found if cadence), None)


def parse_deadline(wording: str, *, working_days_from: date | None = None, calendar=None) -> date:
    """'tháng 8/2027' -> 2027-08-31, 'quý III/2027' -> 2027-09-30, 'năm 2027' -> 2027-12-31, '6 tháng đầu năm 2027'
    -> 2027-06-30; 'trong 30 ngày' -> 30 calendar days after `working_days_from` (the directive's date); 'trong 10
    ngày làm việc' -> the 10th working day after it on the working `calendar`."""
    text = _words(wording)
    if (m := _WORKING_DAYS.match(text)) and working_days_from is not None and calendar is not None:
        if not 1 <= int(m[1]) <= 366:
            raise DeadlineFormatError.of("deadline_working_days_range", wording=wording)
        parsed = calendar.add_working_days(working_days_from, int(m[1]))
    elif (m := _DAYS.match(text)) and working_days_from is not None:
        if not 1 <= int(m[1]) <= 366:
            raise DeadlineFormatError.of("deadline_days_range", wording=wording)
        parsed = working_days_from + timedelta(days=int(m[1]))
    else:
        parsed = _parse(wording, text)
    if not FIRST_DAY <= parsed <= LAST_DAY:
        raise _out_of_range(wording)
    return parsed


def _out_of_range(wording: str) -> DeadlineFormatError:
    return DeadlineFormatError.of("deadline_year_out_of_range", wording=wording, first=FIRST_DAY.year,
                                  last=LAST_DAY.year, type="deadline_year_out_of_range")


def _impossible(day: int, month: int, year: int) -> DeadlineFormatError:
    return DeadlineFormatError.of("deadline_not_a_date", day=day, month=month, year=year, type="deadline_not_a_date")


def _day(year: int, month: int, day: int, wording: str) -> date:
    if not FIRST_DAY.year <= year <= LAST_DAY.year:
        raise _out_of_range(wording)
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise _impossible(day, month, year) from exc


def _month(year: int, month: int, wording: str) -> date:
    if not FIRST_DAY.year <= year <= LAST_DAY.year:
        raise _out_of_range(wording)
    if not 1 <= month <= 12:
        raise DeadlineFormatError.of("deadline_no_such_month", wording=wording, month=month, type="deadline_not_a_date")
    return month_end(year, month)


def _parse(wording: str, text: str) -> date:
    if m := _ISO.match(text):
        return _day(int(m[1]), int(m[2]), int(m[3]), wording)
    if m := _DMY.match(text):
        return _day(int(m[3]), int(m[2]), int(m[1]), wording)
    if m := _DAY_WORDS.match(text):
        return _day(int(m[3]), int(m[2]), int(m[1]), wording)
    if m := _MY.match(text):
        return _month(int(m[2]), int(m[1]), wording)
    if m := _MONTH.match(text):
        return _month(int(m["year"]), int(m["month"]), wording)
    if m := _QUARTER.match(text):
        return _month(int(m["year"]), quarter_last_month(m["quarter"]), wording)
    if m := _HALF.match(text):
        return _month(int(m["year"]), half_last_month(m["half"]), wording)
    if m := _YEAR.match(text):
        return _month(int(m["year"]), 12, wording)
    raise _unreadable(wording)


def period_end(cadence: str, day: date) -> date:
    """The last day of the reporting period that holds `day`: a standing task reporting quarterly and created on
    10/12/2026 reports first by 31/12/2026; once it has reported for that period, by 31/3/2027, and so on."""
    if cadence == "monthly":
        return month_end(day.year, day.month)
    if cadence == "quarterly":
        return month_end(day.year, ((day.month - 1) // 3 + 1) * 3)
    return date(day.year, 12, 31)

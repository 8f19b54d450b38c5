"""Deadline wording as directives write it, turned into the last day it allows."""

import calendar
import re
from datetime import date

from app.text import fold
from app.types import FIRST_DAY, LAST_DAY

ACCEPTED_FORMS = ("2024-12-31", "31/12/2024", "ngày 31 tháng 12 năm 2024", "tháng 8/2024", "tháng 8 năm 2024",
                  "quý III/2024", "năm 2025", "trong 10 ngày làm việc")
ACCEPTED_FORMS_TEXT = ", ".join(f"'{form}'" for form in ACCEPTED_FORMS)

_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# Leading words that do not change the date: "trước 15/8/2025", "chậm nhất ngày ...", "trong tháng 8/2021".
_LEAD_WORDS = re.compile(r"^(?:(?:truoc|chau nhat|cham nhat|han|trong|den|het|ngay|hoan thanh)\s+)*")

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_MONTH = re.compile(r"^thang\s+(\d{1,2})\s*(?:[/.-]|\s+nam)\s*(?:nam\s+)?(\d{4})$")
_DAY_WORDS = re.compile(r"^(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})$")
_QUARTER = re.compile(r"^quy\s+(iv|iii|ii|i|[1-4])\s*[/.-]?\s*(?:nam\s+)?(\d{4})$")
_YEAR = re.compile(r"^nam\s+(\d{4})$")
_WORKING_DAYS = re.compile(r"^(\d{1,3})\s+ngay\s+lam\s+viec(?:\s+ke\s+tu\s+ngay\s+(?:ban\s+hanh|ky|giao))?$")


class DeadlineFormatError(ValueError):
    pass


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_deadline(wording: str, *, working_days_from: date | None = None, calendar=None) -> date:
    """'tháng 8/2024' -> 2024-08-31, 'quý III/2024' -> 2024-09-30, 'năm 2025' -> 2025-12-31; 'trong 10 ngày làm
    việc' -> the 10th working day after `working_days_from` (the directive's date) on the working `calendar`."""
    text = _LEAD_WORDS.sub("", fold(wording))
    if (m := _WORKING_DAYS.match(text)) and working_days_from is not None and calendar is not None:
        if not 1 <= int(m[1]) <= 366:
            raise DeadlineFormatError(f"'{wording}': between 1 and 366 working days")
        parsed = calendar.add_working_days(working_days_from, int(m[1]))
    else:
        parsed = _parse(wording)
    if not FIRST_DAY <= parsed <= LAST_DAY:
        raise DeadlineFormatError(f"'{wording}' is outside {FIRST_DAY.year}-{LAST_DAY.year}")
    return parsed


def _parse(wording: str) -> date:
    text = _LEAD_WORDS.sub("", fold(wording))
    try:
        if m := _ISO.match(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DMY.match(text):
            return date(int(m[3]), int(m[2]), int(m[1]))
        if m := _DAY_WORDS.match(text):
            return date(int(m[3]), int(m[2]), int(m[1]))
        if m := _MONTH.match(text):
            return _month_end(int(m[2]), int(m[1]))
        if m := _QUARTER.match(text):
            return _month_end(int(m[2]), _QUARTERS[m[1]] * 3)
        if m := _YEAR.match(text):
            return date(int(m[1]), 12, 31)
    except ValueError as exc:
        raise DeadlineFormatError(f"'{wording}' is not a real date") from exc
    raise DeadlineFormatError(f"'{wording}' is not a deadline form we read")

"""How pages write dates and numbers: dd/mm/yyyy, 14.068, 87,08 % (Vietnamese, through Babel)."""

from datetime import date, datetime

from babel.numbers import format_decimal, format_percent

from app import messages
from app.config import get_settings

LOCALE = "vi_VN"


def vn_date(value: date | datetime | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        return value.astimezone(get_settings().tz).strftime("%d/%m/%Y")
    return value.strftime("%d/%m/%Y")


def vn_datetime(value: datetime | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(get_settings().tz).strftime("%H:%M %d/%m/%Y")


def number(value: int | float | None) -> str:
    return "" if value is None else format_decimal(value, locale=LOCALE)


def percent(value: float | None) -> str:
    return "" if value is None else format_percent(value, "#,##0.#%", locale=LOCALE)


def status(value: str | None) -> str:
    return messages.status_vi(value or "")


def timing(value: str | None) -> str:
    return messages.TIMING_VI.get(value or "", value or "")


FILTERS = {"vn_date": vn_date, "vn_datetime": vn_datetime, "number": number, "percent": percent,
           "status_vi": status, "timing_vi": timing}

"""How pages write dates and numbers: dd/mm/yyyy, 14.068, 87,08 % (Vietnamese, through Babel)."""

from datetime import date, datetime

from babel.numbers import format_decimal, format_percent
from markupsafe import Markup, escape

from app import clock, messages
from app.config import get_settings

LOCALE = "vi_VN"


def vn_date(value: date | datetime | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = clock.local_day(value)
    return messages.vn_date(value)


def vn_datetime(value: datetime | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(get_settings().tz).strftime("%H:%M %d/%m/%Y")


def number(value: int | float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, int):  # Babel's answer for a whole number, for a fraction of its cost: it was half the
        return messages.vn_number(value)  # time of a 50-row list page (days overdue in every row)
    return format_decimal(value, locale=LOCALE)


def percent(value: float | None) -> str:
    return "" if value is None else format_percent(value, "#,##0.#%", locale=LOCALE)


def status(value: str | None) -> str:
    return messages.status_vi(value or "")


def timing(value: str | None) -> str:
    return messages.TIMING_VI.get(value or "", value or "")


def timing_badge(task: dict) -> Markup:
    """The task's timing as a coloured badge, with its days late: "quá hạn 12 ngày". A filter, not a macro: a macro
    call costs several times more, once per row of a 50-row list."""
    timing_ = task["timing"]
    text = timing(timing_)
    days = task.get("days_overdue")
    if days and timing_ in ("overdue", "standing_late", "completed_late"):
        text = f"{text} {number(days)} ngày"
    return Markup(f'<span class="badge t-{escape(timing_)}">{escape(text)}</span>')


def options(choices, selected: str | None) -> Markup:
    """The <option>s of a list of agencies (AgencyChoice: value, name), `selected` marked: written here rather than
    looped in the template, a hundred of them on every task list."""
    return Markup("".join(
        f'<option value="{escape(c.value)}"{" selected" if c.value == selected else ""}>{escape(c.name)}</option>'
        for c in choices))


def delivery_outcome(status_code: int | None, error: str | None) -> Markup:
    """An attempt's outcome as a person reads it: the HTTP status, or why it failed in Vietnamese with the technical
    words beside for whoever runs the receiving software."""
    if status_code:
        return Markup(f"HTTP {int(status_code)}")
    return Markup(f'{escape(messages.delivery_error_vi(error))} <span class="muted">({escape(error or "")})</span>')


FILTERS = {"vn_date": vn_date, "vn_datetime": vn_datetime, "number": number, "percent": percent,
           "status_vi": status, "timing_vi": timing, "timing_badge": timing_badge,
           "options": options, "delivery_outcome": delivery_outcome, "file_size": messages.file_size_vi}

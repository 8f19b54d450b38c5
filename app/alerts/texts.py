"""What an alert says: a deadline alert's task data judged on the day it is sent, an indicator alert's Vietnamese
line (its data: app/alerts/indicators.py), each for a single alert and for a digest."""

from datetime import date
from typing import Any

from app import messages
from app.webhooks import payloads
from app.webhooks.models import EventType


def alert_data(*, event_type: str, task, directive, lead_agency, today: date, calendar) -> tuple[dict[str, Any], int]:
    """A deadline alert's task data and text, judged on `today`, and the days it counts: left before (due soon) or
    past (overdue, escalated) the effective deadline."""
    data = payloads.task_data(task=task, directive=directive, lead_agency=lead_agency, status=task.status,
                     deadline_on=task.deadline_on, completed_on=task.completed_on, as_of=today, calendar=calendar)
    effective = date.fromisoformat(data["effective_deadline_on"])
    days = (effective - today).days if event_type == EventType.task_due_soon else (today - effective).days
    data["text"] = alert_text(event_type, data, days)
    return data, days


def digest_text(event_type: str, count: int, items: list[dict]) -> str:
    what = {EventType.task_due_soon: "sắp đến hạn", EventType.task_due_today: "đến hạn hôm nay",
            EventType.task_overdue: "quá hạn", EventType.task_escalated: "quá hạn cần chỉ đạo xử lý"}.get(event_type,
                                                                                                   event_type)
    agencies = list(dict.fromkeys(item["lead_agency"]["name"] for item in items))
    shown = ", ".join(agencies[:5]) + (f" và {len(agencies) - 5} cơ quan khác" if len(agencies) > 5 else "")
    return f"Có {count} nhiệm vụ {what} (cơ quan chủ trì: {shown})."


def alert_text(event_type: str, data: dict, days: int | None) -> str:
    title, lead, deadline = payloads.subject(data)
    if data["effective_deadline_on"] != data["deadline_on"]:
        moved_to = messages.vn_date_short(date.fromisoformat(data["effective_deadline_on"]))
        deadline += f", lùi sang ngày làm việc {moved_to}"
    if data.get("reporting_cadence"):
        return _standing_alert_text(event_type, data, days, title, lead, deadline)
    if event_type == EventType.task_due_soon:
        return f"Nhiệm vụ '{title}' của {lead} còn {days} ngày đến hạn (thời hạn {deadline})."
    if event_type == EventType.task_due_today:
        return f"Nhiệm vụ '{title}' của {lead} đến hạn hôm nay ({deadline})."
    if event_type == EventType.task_overdue:
        return f"Nhiệm vụ '{title}' của {lead} đã quá hạn {days} ngày (thời hạn {deadline})."
    if event_type == EventType.task_escalated:
        return (f"Cảnh báo: nhiệm vụ '{title}' của {lead} đã quá hạn {days} ngày (thời hạn {deadline}); "
                f"đề nghị {data['accountable_official']} chỉ đạo xử lý dứt điểm.")
    if event_type == EventType.task_overdue_resolved:
        outcome = "đã được rút" if data["status"] == "withdrawn" else "đã hoàn thành"
        return f"Nhiệm vụ '{title}' của {lead} (từng quá hạn) {outcome}."
    return f"Nhiệm vụ '{title}' của {lead}: {event_type}."


def _standing_alert_text(event_type: str, data: dict, days: int | None, title: str, lead: str,
                         deadline: str) -> str:
    """A standing task has no deadline: what is due, or late, is its periodic report."""
    if event_type == EventType.task_due_soon:
        return f"Nhiệm vụ thường xuyên '{title}' của {lead}: còn {days} ngày đến kỳ báo cáo định kỳ ({deadline})."
    if event_type == EventType.task_due_today:
        return f"Nhiệm vụ thường xuyên '{title}' của {lead}: hôm nay là hạn báo cáo định kỳ ({deadline})."
    if event_type == EventType.task_escalated:
        return (f"Cảnh báo: nhiệm vụ thường xuyên '{title}' của {lead} chậm báo cáo định kỳ {days} ngày (kỳ báo cáo "
                f"{deadline}); đề nghị {data['accountable_official']} chỉ đạo báo cáo.")
    if event_type == EventType.task_overdue:
        return f"Nhiệm vụ thường xuyên '{title}' của {lead} chậm báo cáo định kỳ {days} ngày (kỳ báo cáo {deadline})."
    return f"Nhiệm vụ thường xuyên '{title}' của {lead}: {event_type}."


# ---------------------------------------------------------------- indicators (app/alerts/indicators.py)

INDICATOR_WHAT = {EventType.indicator_off_track: "chậm tiến độ", EventType.indicator_no_data: "chưa có số liệu",
                  EventType.indicator_achieved: "đã đạt mục tiêu"}


def _value(indicator: dict, reading: dict) -> str:
    return messages.indicator_value_vi(indicator["kind"], reading["value"], indicator["unit"],
                                       reading.get("numerator"), reading.get("denominator"))


def _goal(indicator: dict, target: dict) -> str:
    return messages.indicator_goal_vi(indicator["kind"], indicator["comparator"], target["value"], indicator["unit"])


def _reading(indicator: dict, reading: dict) -> str:
    """A value with its period: "6 tháng đầu năm 2024 đạt 87,08%", "quý I/2026 là 4 ngày"."""
    period = messages.indicator_period_vi(reading["period"])
    if indicator["kind"] == "yes_no":
        return f"{period}: {'đã hoàn thành' if reading['value'] >= 0.5 else 'chưa hoàn thành'}"
    verb = "đạt" if indicator["direction"] == "increase" else "là"
    return f"{period} {verb} {_value(indicator, reading)}"


def _target_phrase(indicator: dict, target: dict) -> str:
    """"mục tiêu năm 2026 là 80%", "mục tiêu hoàn thành trong năm 2026"."""
    period = messages.indicator_period_vi(target["period"])
    if indicator["kind"] == "yes_no":
        return f"mục tiêu hoàn thành trong {period}"
    return f"mục tiêu {period} là {_goal(indicator, target)}"


def indicator_text(event_type: str, data: dict) -> str:
    """One line for an indicator alert, from its data (app/alerts/indicators.py: alert_data)."""
    indicator, target, latest = data["indicator"], data["target"], data["latest"]
    name = indicator["name"] if len(indicator["name"]) <= 160 else indicator["name"][:159].rstrip() + "…"
    subject = f"Chỉ tiêu '{name}' ({indicator['code']})"
    agency = indicator["reporting_agency"]["name"]
    if event_type == EventType.indicator_achieved:
        period = messages.indicator_period_vi(target["period"])
        if indicator["kind"] == "yes_no" or latest is None:
            return f"{subject} đã đạt mục tiêu {period}."
        beyond = indicator["direction"] == "increase" and latest["value"] > target["value"]  # "vượt mục tiêu"
        goal = _goal(indicator, target)
        ending = f", vượt mục tiêu {goal}" if beyond else f" (mục tiêu: {goal})"
        return f"{subject} đã đạt mục tiêu {period}: {_reading(indicator, latest)}{ending}."
    if event_type == EventType.indicator_off_track:
        where = "chưa hoàn thành" if indicator["kind"] == "yes_no" or latest is None else _reading(indicator, latest)
        return f"{subject} chậm tiến độ: {where}, {_target_phrase(indicator, target)} (cơ quan báo cáo: {agency})."
    if event_type == EventType.indicator_no_data:
        if latest is None:
            return f"{subject} chưa có số liệu ({_target_phrase(indicator, target)}); đề nghị {agency} báo cáo."
        return (f"{subject} chưa có số liệu mới ({_target_phrase(indicator, target)}; số liệu gần nhất: "
                f"{_reading(indicator, latest)}); đề nghị {agency} báo cáo.")
    return f"{subject}: {event_type}."


def indicator_digest_text(event_type: str, count: int, items: list[dict]) -> str:
    """"Có 3 chỉ tiêu chậm tiến độ (cơ quan báo cáo: Bộ Tài chính, Bộ Công an)."""
    agencies = list(dict.fromkeys(item["indicator"]["reporting_agency"]["name"] for item in items))
    shown = ", ".join(agencies[:5]) + (f" và {len(agencies) - 5} cơ quan khác" if len(agencies) > 5 else "")
    return f"Có {count} chỉ tiêu {INDICATOR_WHAT.get(event_type, event_type)} (cơ quan báo cáo: {shown})."

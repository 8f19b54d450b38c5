"""What a deadline alert says: its task data judged on the day it is sent, and its one Vietnamese line, for a single
alert and for a digest."""

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

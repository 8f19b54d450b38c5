"""Webhook bodies: `{"type", "timestamp", "data"}`, where data carries the task and one ready-to-post Vietnamese
line (`text`) for chat tools."""

from datetime import date, datetime
from typing import Any

from app import clock, messages
from app.config import get_settings
from app.tasks.timing import classify
from app.types import instant
from app.webhooks.models import PING, EventType

# Journal kinds (app/tasks/service.py) -> the event subscribers see.
EVENT_OF_JOURNAL_KIND = {
    "created": EventType.task_created,
    "updated": EventType.task_updated,
    "progress_reported": EventType.task_progress_reported,
    "completion_reported": EventType.task_progress_reported,
    "completion_accepted": EventType.task_completed,
    "completion_rejected": EventType.task_reopened,
    "extension_requested": EventType.task_extension_requested,
    "deadline_extended": EventType.task_extension_decided,
    "extension_rejected": EventType.task_extension_decided,
    "withdrawn": EventType.task_extension_decided,
    "removed": EventType.task_removed,
    "commented": EventType.task_commented,
    "explanation_requested": EventType.task_explanation_requested,
    "explanation_answered": EventType.task_explanation_answered,
    "reminded": EventType.task_reminded,
}
_COMMENT_KINDS = ("commented", "explanation_requested", "explanation_answered")
QUOTED = 300  # the characters of a comment or a reminder's note quoted in the ready-to-post line
MAX_NOTE = 2000


def _short(title: str, limit: int = 160) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def task_data(*, task, directive, lead_agency, status: str, deadline_on: date, completed_on: date | None,
              as_of: date, calendar) -> dict[str, Any]:
    """The task as subscribers see it at `as_of`: state after the event, timing judged on that day against the
    deadline's effective day (the next working day when it falls on a day off)."""
    effective = calendar.effective(deadline_on)
    timing, days_overdue = classify(status=status, deadline_on=effective, completed_on=completed_on, today=as_of,
                                    due_soon_days=get_settings().due_soon_days,
                                    standing=task.reporting_cadence is not None)
    return {
        "task_id": task.id,
        "title": task.title,
        "directive": {"id": directive.id, "number": directive.number, "issued_on": directive.issued_on.isoformat()},
        "lead_agency": {"id": lead_agency.id, "code": lead_agency.code, "name": lead_agency.name},
        "accountable_official": task.accountable_official,
        "deadline_on": deadline_on.isoformat(),
        "effective_deadline_on": effective.isoformat(),
        "original_deadline_on": task.original_deadline_on.isoformat(),
        "reporting_cadence": task.reporting_cadence,
        "status": status,
        "timing": timing.value,
        "days_overdue": days_overdue,
        "priority": task.priority,
        "progress_percent": task.progress_percent,
        "completed_on": completed_on.isoformat() if completed_on else None,
        # The page a person opens from a chat message or an e-mail; software reads api_url.
        "url": f"{get_settings().base_url}/tasks/{task.id}",
        "api_url": f"{get_settings().base_url}/api/v1/tasks/{task.id}",
    }


def subject(data: dict) -> tuple[str, str, str]:
    """The task's title (shortened), lead agency and deadline, as every line names them."""
    deadline = messages.vn_date_short(date.fromisoformat(data["deadline_on"]))
    return _short(data["title"]), data["lead_agency"]["name"], deadline


def _event_text(kind: str, data: dict, journal_data: dict) -> str:
    title, lead, deadline = subject(data)
    if kind == "created":
        return (f"Nhiệm vụ mới: '{title}' giao {lead} chủ trì, thời hạn {deadline} "
                f"(văn bản {data['directive']['number']}).")
    if kind == "updated":
        return f"Nhiệm vụ '{title}' của {lead} đã được cập nhật."
    if kind == "progress_reported":
        return f"{lead} báo cáo tiến độ nhiệm vụ '{title}': {journal_data.get('progress_percent', 0)}%."
    if kind == "completion_reported":
        number = (journal_data.get("evidence") or {}).get("document_number", "")
        return (f"{lead} báo cáo đã hoàn thành nhiệm vụ '{title}' ({number}), "
                f"chờ {messages.secretariat_name()} xác nhận.")
    if kind == "completion_accepted":
        late = data["days_overdue"]
        when = f"quá hạn {late} ngày" if late else "đúng hạn"
        return f"Nhiệm vụ '{title}' của {lead} đã hoàn thành {when} (thời hạn {deadline})."
    if kind == "completion_rejected":
        return f"Kết quả nhiệm vụ '{title}' của {lead} chưa được chấp nhận; nhiệm vụ tiếp tục thực hiện."
    if kind == "extension_requested":
        if journal_data.get("kind") == "withdraw":
            return f"{lead} đề nghị rút nhiệm vụ '{title}'."
        requested = journal_data.get("requested_deadline_on")
        return (f"{lead} đề nghị lùi thời hạn nhiệm vụ '{title}' từ {deadline} đến "
                f"{messages.vn_date_short(date.fromisoformat(requested)) if requested else ''}.")
    if kind == "deadline_extended":
        return f"Đồng ý lùi thời hạn nhiệm vụ '{title}' của {lead} đến {deadline}."
    if kind == "extension_rejected":
        return f"Không đồng ý đề nghị điều chỉnh của {lead} đối với nhiệm vụ '{title}'."
    if kind == "withdrawn":
        return f"Nhiệm vụ '{title}' của {lead} đã được rút."
    if kind == "removed":
        return f"Nhiệm vụ '{title}' của {lead} đã bị xóa vì giao nhầm; không theo dõi nhiệm vụ này nữa."
    said = _short(data["event"]["note"] or "", QUOTED)
    if kind in _COMMENT_KINDS:
        author = (journal_data.get("author_agency") or {}).get("name") or messages.secretariat_name()
        if kind == "explanation_requested":
            return f"{author} yêu cầu {lead} giải trình về nhiệm vụ '{title}': “{said}”"
        if kind == "explanation_answered":
            return f"{author} giải trình về nhiệm vụ '{title}': “{said}”"
        return f"{author} có ý kiến về nhiệm vụ '{title}' ({lead} chủ trì): “{said}”"
    if kind == "reminded":
        late = data["days_overdue"]
        when = f"đã quá hạn {late} ngày" if late else f"thời hạn {deadline}"
        line = f"{messages.secretariat_name()} đôn đốc {lead} thực hiện nhiệm vụ '{title}' ({when})"
        return f"{line}: “{said}”" if said else f"{line}."
    return f"Nhiệm vụ '{title}' của {lead}: {kind}."


def task_event_body(*, journal_row, task, directive, lead_agency, calendar) -> dict[str, Any]:
    """The body for a journal row, with the state that row recorded (the task may have moved on since): `task` as it
    stood right after the row (app/tasks/journal.py: tasks_after)."""
    as_of = clock.local_day(journal_row.occurred_at)
    data = task_data(task=task, directive=directive, lead_agency=lead_agency, status=journal_row.to_status,
                     deadline_on=journal_row.deadline_on, completed_on=journal_row.completed_on, as_of=as_of,
                     calendar=calendar)
    journal_data = journal_row.data or {}
    note = journal_row.note[:MAX_NOTE] if journal_row.note else None
    data["event"] = {"journal_id": journal_row.id, "kind": journal_row.kind, "from_status": journal_row.from_status,
                     "note": note, "occurred_at": instant(journal_row.occurred_at)}
    if journal_row.kind in ("extension_requested", "deadline_extended", "extension_rejected", "withdrawn"):
        data["extension"] = {k: v for k, v in journal_data.items() if k != "requested_deadline_text"}
    if journal_row.kind in _COMMENT_KINDS:
        data["comment"] = {"id": journal_data.get("comment_id"), "kind": journal_data.get("comment_kind"),
                           "text": note,
                           "author_agency": journal_data.get("author_agency"),
                           "answers_id": journal_data.get("answers_id")}
    if journal_row.kind == "reminded":
        data["reminder"] = {"note": note, "forced": bool(journal_data.get("forced")),
                            "force_reason": journal_data.get("force_reason")}
    data["text"] = _event_text(journal_row.kind, data, journal_data)
    return envelope(EVENT_OF_JOURNAL_KIND[journal_row.kind], journal_row.occurred_at, data)


def endpoint_disabled_body(*, endpoint, owner, reason: str, reason_vi: str, at: datetime) -> dict[str, Any]:
    data = {
        "endpoint_id": endpoint.id, "url": endpoint.url, "owner_agency": {"id": owner.id, "code": owner.code,
                                                                          "name": owner.name},
        "reason": reason,
        "text": f"Webhook #{endpoint.id} ({endpoint.url}) của {owner.name} đã bị tắt: {reason_vi}.",
    }
    return envelope(EventType.endpoint_disabled, at, data)


def ping_body(*, endpoint, at: datetime) -> dict[str, Any]:
    return envelope(PING, at, {"endpoint_id": endpoint.id, "text": "Kiểm tra kết nối webhook Rõ Việc."})


def envelope(event_type: str, at: datetime, data: dict[str, Any]) -> dict[str, Any]:
    return {"type": str(event_type), "timestamp": instant(at), "data": data}

"""The catalogue of texts people read: names of statuses, timings and fields, and the sentences that refuse an action,
in Vietnamese and English. Services, the API's errors, the web pages and the exports take their wording from here.
Keys are the plain string values of the enums, so this module imports no domain."""

from datetime import date

STATUS_VI = {
    "new": "mới giao",
    "in_progress": "đang thực hiện",
    "reported_done": "đã báo cáo hoàn thành",
    "completed": "đã hoàn thành",
    "withdrawn": "đã rút",
}
STATUS_EN = {
    "new": "new", "in_progress": "in progress", "reported_done": "reported done", "completed": "completed",
    "withdrawn": "withdrawn",
}
TIMING_VI = {
    "overdue": "quá hạn",
    "due_soon": "sắp đến hạn",
    "in_time": "trong hạn",
    "completed_on_time": "hoàn thành đúng hạn",
    "completed_late": "hoàn thành quá hạn",
    "withdrawn": "đã rút",
    "standing": "thường xuyên",
    "standing_late": "thường xuyên, chậm báo cáo",
}

CADENCE_VI = {"monthly": "báo cáo hằng tháng", "quarterly": "báo cáo hằng quý", "yearly": "báo cáo hằng năm"}

# Webhook events as the subscription page names them.
EVENT_VI = {
    "task.created": "Nhiệm vụ mới", "task.updated": "Nhiệm vụ được sửa", "task.progress_reported": "Báo cáo tiến độ",
    "task.completed": "Xác nhận hoàn thành", "task.reopened": "Trả lại báo cáo hoàn thành",
    "task.extension_requested": "Đề nghị điều chỉnh", "task.extension_decided": "Quyết định đề nghị",
    "task.due_soon": "Sắp đến hạn", "task.due_today": "Đến hạn hôm nay", "task.overdue": "Quá hạn",
    "task.escalated": "Quá hạn cần chỉ đạo", "task.overdue_resolved": "Hết quá hạn",
    "endpoint.disabled": "Webhook bị tắt",
}


def status_vi(status: str) -> str:
    return STATUS_VI.get(str(status), str(status))


def vn_date(day: date | None) -> str:
    """dd/mm/yyyy, as Vietnamese documents write a date."""
    return f"{day:%d/%m/%Y}" if day else ""


def illegal_transition(status: str, wanted: str) -> tuple[str, str]:
    return (f"Cannot move a task from '{status}' ({STATUS_EN.get(str(status), status)}) to '{wanted}' "
            f"({STATUS_EN.get(str(wanted), wanted)})",
            f"Không thể chuyển nhiệm vụ từ trạng thái «{status_vi(status)}» sang «{status_vi(wanted)}»")


# The seven "rõ", in the order the rule names them: field -> (Vietnamese, English).
SEVEN_RO = {
    "objective": ("rõ mục tiêu", "clear objective"),
    "lead_agency_id": ("rõ người (cơ quan chủ trì)", "clear owner (lead agency)"),
    "title": ("rõ việc", "clear work"),
    "deadline": ("rõ thời gian (thời hạn)", "clear deadline"),
    "accountable_official": ("rõ trách nhiệm (người chịu trách nhiệm)", "clear responsibility (accountable official)"),
    "deliverable_type": ("rõ sản phẩm (loại sản phẩm)", "clear deliverable (type)"),
    "deliverable_description": ("rõ sản phẩm (mô tả sản phẩm)", "clear deliverable (description)"),
    "expected_result": ("rõ kết quả", "clear result"),
}


def refused_move(status: str, move: str) -> tuple[str, str]:
    """Why a task in `status` cannot make `move` (app/tasks/status.py), in words an officer understands."""
    if move in ("accept", "reject"):
        what_en, what_vi = ("accept", "xác nhận") if move == "accept" else ("send back", "trả lại")
        return (f"There is no completion report to {what_en}: the task is {STATUS_EN.get(status, status)}",
                f"Chưa có báo cáo hoàn thành để {what_vi}: nhiệm vụ đang ở trạng thái «{status_vi(status)}»")
    if status == "reported_done":
        return ("Completion was already reported and awaits the secretariat's review; only the secretariat can send it "
                "back", "Nhiệm vụ đã được báo cáo hoàn thành và đang chờ xác nhận; chỉ bộ phận thư ký có thể trả lại")
    return (f"The task is {STATUS_EN.get(status, status)}: it takes no more reports or requests",
            f"Nhiệm vụ đã ở trạng thái «{status_vi(status)}», không nhận thêm báo cáo hoặc đề nghị")


# The secretariat's name comes from its agency row (app/agencies/service.py:secretariat), read at start-up; until
# then, and where no database is at hand, a neutral word.
_secretariat_name = "bộ phận thư ký"


def set_secretariat_name(name: str) -> None:
    global _secretariat_name
    _secretariat_name = name


def secretariat_name() -> str:
    return _secretariat_name


# Fields by the labels an officer knows: field -> (Vietnamese, English).
FIELD_LABELS = {
    "directive_id": ("văn bản giao", "directive"), "external_ref": ("mã tham chiếu", "external reference"),
    "clause_ref": ("mục trong văn bản", "clause"), "title": ("nội dung nhiệm vụ (rõ việc)", "work (title)"),
    "objective": ("mục tiêu", "objective"), "lead_agency_id": ("cơ quan chủ trì", "lead agency"),
    "lead_agency_code": ("mã cơ quan chủ trì", "lead agency code"),
    "coordinating_agency_ids": ("cơ quan phối hợp", "coordinating agencies"),
    "accountable_official": ("người chịu trách nhiệm", "accountable official"),
    "deadline": ("thời hạn", "deadline"), "requested_deadline": ("thời hạn đề nghị", "requested deadline"),
    "deliverable_type": ("loại sản phẩm", "deliverable type"),
    "deliverable_description": ("mô tả sản phẩm", "deliverable description"),
    "expected_result": ("kết quả (tiêu chí hoàn thành)", "expected result"), "priority": ("trọng tâm", "priority"),
    "status": ("trạng thái", "status"), "progress_percent": ("tiến độ (%)", "progress (%)"),
    "note": ("ghi chú", "note"), "evidence": ("văn bản chứng minh", "evidence"),
    "evidence.document_number": ("số, ký hiệu văn bản", "document number"),
    "evidence.document_date": ("ngày văn bản", "document date"), "evidence.url": ("đường dẫn", "link"),
    "completed_on": ("ngày hoàn thành", "completion date"), "reason": ("lý do", "reason"), "kind": ("loại", "kind"),
    "decision": ("quyết định", "decision"), "number": ("số, ký hiệu", "number"),
    "issued_on": ("ngày ban hành", "issue date"), "meeting_date": ("ngày họp", "meeting date"),
    "meeting_name": ("phiên họp", "meeting"), "issuer": ("cơ quan ban hành", "issuer"),
    "reporting_cadence": ("kỳ báo cáo", "reporting cadence"), "as_of": ("tính đến ngày", "as of"),
    "body": ("nội dung yêu cầu", "request body"), "cursor": ("con trỏ phân trang", "cursor"),
    "limit": ("số dòng mỗi trang", "page size"), "url": ("địa chỉ nhận", "URL"),
    "code": ("mã cơ quan", "agency code"), "name": ("tên", "name"), "short_name": ("tên viết tắt", "short name"),
    "successor_code": ("cơ quan kế thừa", "successor"), "effective_on": ("ngày hiệu lực", "effective date"),
}


def field_label(field: str) -> tuple[str, str]:
    return FIELD_LABELS.get(field, (field or "nội dung yêu cầu", field or "request body"))


# Fields a request may not send, with the reason (English, Vietnamese).
FORBIDDEN_FIELDS = {
    "deadline": ("the deadline changes only through an extension request (POST /tasks/{id}/extension-requests)",
                 "thời hạn chỉ thay đổi qua đề nghị gia hạn"),
    "deadline_on": ("the deadline changes only through an extension request (POST /tasks/{id}/extension-requests)",
                    "thời hạn chỉ thay đổi qua đề nghị gia hạn"),
    "status": ("the status changes only through progress reports and the secretariat's decisions",
               "trạng thái chỉ thay đổi qua báo cáo tiến độ và quyết định của bộ phận thư ký"),
}

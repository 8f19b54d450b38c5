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

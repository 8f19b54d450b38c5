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
    "removed": "đã xóa (giao nhầm)",
}
STATUS_EN = {
    "new": "new", "in_progress": "in progress", "reported_done": "reported done", "completed": "completed",
    "withdrawn": "withdrawn", "removed": "removed",
}
TIMING_VI = {
    "overdue": "quá hạn",
    "due_soon": "sắp đến hạn",
    "in_time": "trong hạn",
    "completed_on_time": "hoàn thành đúng hạn",
    "completed_late": "hoàn thành quá hạn",
    "withdrawn": "đã rút",
    "removed": "đã xóa (giao nhầm)",
    "standing": "thường xuyên",
    "standing_late": "thường xuyên, chậm báo cáo",
}

# The task list's "Tình trạng" filter: the timings and the report grid's figures (groups of them), in the order a
# person looks for them.
TIMING_FILTERS = (
    ("overdue", "Quá hạn"), ("due_soon", "Sắp đến hạn"), ("within_deadline", "Còn trong hạn (kể cả sắp đến hạn)"),
    ("in_time", "Còn trong hạn, chưa đến gần hạn"), ("not_completed", "Chưa hoàn thành"),
    ("completed", "Đã hoàn thành"), ("completed_on_time", "Hoàn thành đúng hạn"),
    ("completed_late", "Hoàn thành quá hạn"), ("on_schedule", "Đúng hạn hoặc còn trong hạn"),
    ("behind", "Quá hạn hoặc hoàn thành quá hạn"), ("counted", "Mọi nhiệm vụ có thời hạn"),
    ("any_standing", "Thường xuyên"), ("standing", "Thường xuyên, báo cáo đúng kỳ"),
    ("standing_late", "Thường xuyên, chậm báo cáo"), ("withdrawn", "Đã rút"), ("removed", "Đã xóa (giao nhầm)"),
)

CADENCE_VI = {"monthly": "báo cáo hằng tháng", "quarterly": "báo cáo hằng quý", "yearly": "báo cáo hằng năm"}

# An indicator's status (app/indicators/judgement.py: Status) as the reports and the pages name it; "none": no target
# set, so nothing to judge against (the API's status null).
INDICATOR_STATUS_VI = {
    "achieved": "Đạt", "on_track": "Đúng tiến độ", "at_risk": "Có nguy cơ chậm", "off_track": "Chậm tiến độ",
    "no_data": "Chưa có số liệu", "missed": "Không đạt", "none": "Chưa có chỉ tiêu",
}


def indicator_status_vi(status: str | None) -> str:
    """An indicator's status in words: a Status (or its value), or None for one without a target."""
    return INDICATOR_STATUS_VI[str(status) if status else "none"]

# Journal entries as a task's history names them.
JOURNAL_VI = {
    "created": "Giao nhiệm vụ", "updated": "Sửa nhiệm vụ", "progress_reported": "Báo cáo tiến độ",
    "completion_reported": "Báo cáo hoàn thành", "completion_accepted": "Xác nhận hoàn thành",
    "completion_rejected": "Trả lại báo cáo hoàn thành", "extension_requested": "Đề nghị điều chỉnh",
    "deadline_extended": "Đồng ý lùi thời hạn", "extension_rejected": "Không đồng ý đề nghị",
    "withdrawn": "Rút nhiệm vụ", "reassigned": "Chuyển cơ quan chủ trì (sáp nhập)",
    "removed": "Xóa nhiệm vụ giao nhầm", "commented": "Ý kiến", "explanation_requested": "Yêu cầu giải trình",
    "explanation_answered": "Giải trình", "reminded": "Đôn đốc",
}
# A task's thread: what each entry is.
COMMENT_KIND_VI = {"comment": "Ý kiến", "explanation_request": "Yêu cầu giải trình",
                   "explanation_answer": "Giải trình"}
REQUEST_STATUS_VI = {"pending": "đang chờ quyết định", "approved": "đã đồng ý", "rejected": "không đồng ý"}
# The choices of the task page's forms: what a request asks, what a report says.
REQUEST_KIND_VI = {"extend": "Lùi thời hạn", "withdraw": "Rút nhiệm vụ"}
REPORT_KIND_VI = {"in_progress": "Tiến độ", "reported_done": "Đã hoàn thành (kèm văn bản chứng minh)"}
ROLE_VI = {"secretariat": "Bộ phận thư ký (giao việc, đôn đốc, tổng hợp)", "agency": "Cơ quan chủ trì",
           "observer": "Theo dõi"}
# The roles the account form offers, in its order, each saying what it may do; the secretariat's is its own name
# (`role_choices`).
ROLE_CHOICE_VI = {"agency": "Cơ quan chủ trì (báo cáo nhiệm vụ của cơ quan mình)", "observer": "Theo dõi (chỉ xem)",
                  "secretariat": None}
MESSAGE_STATUS_VI = {"pending": "chờ gửi", "sending": "đang gửi", "delivered": "đã gửi", "dead": "không gửi được"}

# Why a send failed, as the subscription page says it (the log keeps the technical words beside): the start of the
# worker's error (app/webhooks/delivery.py) -> Vietnamese.
DELIVERY_ERROR_VI = {
    "ConnectError": "không kết nối được tới địa chỉ nhận (máy chủ không trả lời hoặc sai địa chỉ)",
    "ConnectTimeout": "quá thời gian chờ kết nối tới địa chỉ nhận",
    "ReadTimeout": "địa chỉ nhận không trả lời kịp", "WriteTimeout": "địa chỉ nhận không nhận kịp nội dung",
    "PoolTimeout": "quá thời gian chờ gửi", "no complete answer": "địa chỉ nhận không trả lời kịp",
    "RemoteProtocolError": "địa chỉ nhận trả lời không đúng giao thức HTTP",
    "ConnectionRefusedError": "địa chỉ nhận từ chối kết nối", "refused": "địa chỉ nhận không được phép",
    "SSLError": "lỗi chứng chỉ bảo mật (HTTPS) của địa chỉ nhận",
}


def delivery_error_vi(error: str | None) -> str:
    for start, words in DELIVERY_ERROR_VI.items():
        if (error or "").startswith(start):
            return words
    return "gửi không thành công"


# Webhook events as the subscription page names them.
EVENT_VI = {
    "task.created": "Nhiệm vụ mới", "task.updated": "Nhiệm vụ được sửa", "task.progress_reported": "Báo cáo tiến độ",
    "task.completed": "Xác nhận hoàn thành", "task.reopened": "Trả lại báo cáo hoàn thành",
    "task.extension_requested": "Đề nghị điều chỉnh", "task.extension_decided": "Quyết định đề nghị",
    "task.due_soon": "Sắp đến hạn", "task.due_today": "Đến hạn hôm nay", "task.overdue": "Quá hạn",
    "task.escalated": "Quá hạn cần chỉ đạo", "task.overdue_resolved": "Hết quá hạn",
    "task.removed": "Nhiệm vụ bị xóa (giao nhầm)", "indicator.off_track": "Chỉ tiêu chậm tiến độ",
    "indicator.no_data": "Chỉ tiêu chưa có số liệu", "indicator.achieved": "Chỉ tiêu đạt mục tiêu",
    "endpoint.disabled": "Địa chỉ nhận bị tắt", "task.commented": "Ý kiến về nhiệm vụ",
    "task.explanation_requested": "Yêu cầu giải trình", "task.explanation_answered": "Trả lời giải trình",
    "task.reminded": "Đôn đốc nhiệm vụ",
}


def status_vi(status: str) -> str:
    return STATUS_VI.get(str(status), str(status))


def vn_date(day: date | None) -> str:
    """dd/mm/yyyy, as Vietnamese documents write a date."""
    return f"{day:%d/%m/%Y}" if day else ""


def vn_date_short(day: date | None) -> str:
    """d/m/yyyy, as a sentence of an alert writes it ("hạn 5/8/2022")."""
    return f"{day.day}/{day.month}/{day.year}" if day else ""


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


def role_choices() -> list[tuple[str, str]]:
    return [(role, label or secretariat_name()) for role, label in ROLE_CHOICE_VI.items()]


# Why a value is not a "rõ" (app/tasks/rules.py: vague): (English, Vietnamese) with {placeholders}.
VAGUE = {
    "meaningless": ("only punctuation or one repeated character", "chỉ gồm dấu câu hoặc một ký tự lặp lại"),
    "too_short": ("at least {minimum} characters", "cần ít nhất {minimum} ký tự"),
    "only_a_type": ("say which document or system, not only its type",
                    "cần nêu cụ thể văn bản/hệ thống nào, không chỉ loại sản phẩm"),
    "repeats_the_work": ("it repeats the work; state how completion is judged",
                         "nhắc lại nội dung nhiệm vụ; cần nêu tiêu chí đánh giá hoàn thành"),
    "no_position": ("name the position and the body, e.g. 'Bộ trưởng Bộ Tài chính'",
                    "cần nêu chức vụ và cơ quan, ví dụ 'Bộ trưởng Bộ Tài chính'"),
}


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
    "agency_id": ("cơ quan báo cáo chỉ tiêu", "reporting agency"), "group": ("nhóm chỉ tiêu", "indicator group"),
    "file_ids": ("tệp đính kèm", "attached files"), "files": ("tệp đính kèm", "attached files"),
    "comment": ("ý kiến", "comment"), "asks_explanation": ("yêu cầu giải trình", "asks for an explanation"),
    "force": ("gửi lại trong ngày", "force"), "force_reason": ("lý do gửi lại", "reason to remind again"),
    "task_ids": ("nhiệm vụ được chọn", "tasks"), "filters": ("bộ lọc", "filters"),
}


# The fields only the pages' forms have, as their labels name them (Vietnamese).
FORM_LABELS_VI = {
    "username": "tên đăng nhập", "full_name": "họ và tên", "job_title": "chức vụ", "email": "thư điện tử",
    "agency": "cơ quan", "agency_code": "cơ quan", "role": "vai trò", "password": "mật khẩu",
    "confirm_unread": "xác nhận các đoạn chưa đọc được",
    "current_password": "mật khẩu hiện tại", "new_password": "mật khẩu mới",
    "new_password_again": "nhập lại mật khẩu mới", "day": "ngày", "text": "nội dung thông báo", "file": "tệp thông báo",
    "event_types": "loại sự kiện", "lead_agency_ids": "cơ quan chủ trì theo dõi",
    "directive_ids": "văn bản chỉ đạo theo dõi", "description": "mô tả", "document_number": "số, ký hiệu văn bản",
    "document_date": "ngày văn bản", "approved_deadline": "thời hạn đồng ý", "split_into": "các cơ quan tách ra",
    "parent_body": "cơ quan chủ quản", "issuing_body": "cơ quan ban hành", "symbol": "chữ viết tắt",
    "place": "địa danh", "signer_authority": "thẩm quyền ký", "signer_position": "chức vụ người ký",
    "signer_name": "họ và tên người ký", "recipients": "nơi nhận", "q": "từ khóa tìm",
    "deadline_after": "thời hạn từ ngày", "as_of": "số liệu đến hết ngày",
    "deadline_before": "thời hạn đến ngày", "url": "địa chỉ nhận (URL)",
    "removal_reason": "lý do xóa", "name": "phần mềm dùng mã", "timing": "tình trạng", "awaiting": "việc chờ xử lý",
    "quiet_days": "số ngày chưa báo cáo",
}


def form_label(field: str) -> str:
    """A field as a form's summary of problems names it, with a capital letter ("Thời hạn"); a notice's review
    names the draft ("Dự thảo 3 — mục tiêu") or the directive's header ("Văn bản — số, ký hiệu")."""
    where = ""
    if field[:1] == "d" and "-" in field and field[1:field.index("-")].isdigit():
        where, field = f"Dự thảo {field[1:field.index('-')]} — ", field[field.index("-") + 1:]
    elif field.startswith("h-"):
        where, field = "Văn bản — ", field[2:]
    label = FORM_LABELS_VI.get(field) or FIELD_LABELS.get(field, ("nội dung", ""))[0]
    return where + label if where else label[:1].upper() + label[1:]


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


# ---------------------------------------------------------------- refusals
# Why a role may not take an action (app/access/policy.py: the action's value), {secretariat} its name.
FORBIDDEN_ACTIONS: dict[str, tuple[str, str]] = {
    "create_directive": ("Only the secretariat may record directives",
                              "Chỉ {secretariat} được ghi nhận văn bản chỉ đạo"),
    "edit_directive": ("Only the secretariat may correct directives",
                            "Chỉ {secretariat} được sửa văn bản chỉ đạo"),
    "create_task": ("Only the secretariat may create tasks", "Chỉ {secretariat} được giao nhiệm vụ"),
    "edit_task": ("Only the secretariat may edit tasks", "Chỉ {secretariat} được sửa nhiệm vụ"),
    "remove_task": ("Only the secretariat may remove a task recorded by mistake",
                    "Chỉ {secretariat} được xóa nhiệm vụ giao nhầm"),
    "review_completion": ("Only the secretariat may accept or reject a completion",
                               "Chỉ {secretariat} được xác nhận hoặc trả lại kết quả hoàn thành"),
    "decide_extension": ("Only the secretariat may decide requests",
                              "Chỉ {secretariat} được quyết định đề nghị điều chỉnh"),
    "report_progress": ("Only the lead agency of this task or the secretariat may report on it",
                             "Chỉ cơ quan chủ trì nhiệm vụ này hoặc {secretariat} được báo cáo"),
    "request_extension": ("Only the lead agency of this task or the secretariat may ask for this",
                               "Chỉ cơ quan chủ trì nhiệm vụ này hoặc {secretariat} được đề nghị điều chỉnh"),
    "read_task": ("You may not read this task", "Không có quyền xem nhiệm vụ này"),
    "read_reports": ("You may not read the reports", "Không có quyền xem báo cáo"),
    "export_tasks": ("An agency downloads only the tasks it leads",
                          "Cơ quan chỉ được tải về danh sách nhiệm vụ do mình chủ trì"),
    "manage_webhook": ("This webhook belongs to another agency or to the secretariat",
                            "Webhook này thuộc cơ quan khác hoặc của {secretariat}"),
    "read_all_webhooks": ("Only the secretariat sees every subscription",
                               "Chỉ {secretariat} được xem mọi đăng ký nhận cảnh báo"),
    "manage_calendar": ("Only the secretariat may edit the working calendar",
                             "Chỉ {secretariat} được sửa lịch làm việc"),
    "manage_agencies": ("Only the secretariat may manage agencies",
                             "Chỉ {secretariat} được quản lý danh mục cơ quan"),
    "import_notice": ("Only the secretariat may import notices",
                           "Chỉ {secretariat} được nhập thông báo kết luận"),
    "manage_accounts": ("Only the secretariat may manage accounts",
                             "Chỉ {secretariat} được quản lý tài khoản"),
    "read_own_accounts": ("You may list the accounts of your own agency only",
                               "Chỉ được xem tài khoản của cơ quan mình"),
    "manage_own_tokens": ("Only an agency's own accounts may manage its API tokens",
                               "Chỉ tài khoản của cơ quan được quản lý mã truy cập API của cơ quan mình"),
    "manage_report_settings": ("Only the secretariat may set the report's issuing body and signer",
                                    "Chỉ {secretariat} được thiết lập cơ quan ban hành và người ký báo cáo"),
    "manage_sessions": ("Only the secretariat may end other people's sessions",
                             "Chỉ {secretariat} được chấm dứt phiên đăng nhập của người khác"),
    "define_indicator": ("Only the secretariat may define indicators and their targets",
                         "Chỉ {secretariat} được xác định chỉ tiêu và mục tiêu của chỉ tiêu"),
    "record_measurement": ("Only the agency that reports this indicator, or the secretariat, may record its values",
                           "Chỉ cơ quan báo cáo chỉ tiêu này hoặc {secretariat} được cập nhật số liệu của chỉ tiêu"),
    "read_indicators": ("Reading indicators is not allowed", "Không được xem chỉ tiêu"),
    "comment_task": ("Only the secretariat and the lead and coordinating agencies of this task may comment on it",
                     "Chỉ {secretariat}, cơ quan chủ trì và cơ quan phối hợp của nhiệm vụ này được ghi ý kiến"),
    "request_explanation": ("Only the secretariat may ask for an explanation",
                            "Chỉ {secretariat} được yêu cầu giải trình"),
    "answer_explanation": ("Only the lead agency of this task may answer a request for an explanation",
                           "Chỉ cơ quan chủ trì nhiệm vụ này được trả lời yêu cầu giải trình"),
    "remind_task": ("Only the secretariat may remind a lead agency", "Chỉ {secretariat} được đôn đốc cơ quan chủ trì"),
}

# Why a request is refused, by key: (English, Vietnamese) with {placeholders} (str.format: dates take a format spec,
# "{day:%d/%m/%Y}"). Services, routers and the importer raise them through FieldProblem.of, ApiError.of and
# not_found (app/errors.py); nothing else writes such a sentence.
REFUSALS: dict[str, tuple[str, str]] = {
    # any request
    "database_unavailable": ("The database is not answering at the moment. Try again in {seconds} seconds; a write "
                             "retried with the same Idempotency-Key is never made twice.",
                             "Cơ sở dữ liệu tạm thời không phản hồi. Vui lòng thử lại sau {seconds} giây; yêu cầu ghi "
                             "gửi lại với cùng Idempotency-Key không bao giờ bị ghi hai lần."),
    "rate_limited": ("Too many requests from this {who}: at most {limit} a minute. Try again in {seconds} seconds.",
                     "Quá nhiều yêu cầu từ {who_vi} này: tối đa {limit} yêu cầu mỗi phút. Vui lòng thử lại sau "
                     "{seconds} giây."),
    "metrics_not_allowed": ("/metrics answers only this machine, or a client with the metrics token "
                            "(ROVIEC_METRICS_TOKEN)",
                            "/metrics chỉ trả lời máy chủ này, hoặc máy có mã truy cập số liệu (ROVIEC_METRICS_TOKEN)"),
    "metrics_token_needed": ("/metrics needs the metrics token: Authorization: Bearer <ROVIEC_METRICS_TOKEN>",
                             "/metrics cần mã truy cập số liệu: Authorization: Bearer <ROVIEC_METRICS_TOKEN>"),
    "rate_limited_bad_tokens": ("Too many requests with a missing, wrong or revoked token from this address: at most "
                                "{limit} a minute. Try again in {seconds} seconds with a valid token.",
                                "Quá nhiều yêu cầu thiếu mã truy cập hoặc dùng mã sai, đã thu hồi từ địa chỉ này: tối "
                                "đa {limit} yêu cầu mỗi phút. Vui lòng thử lại sau {seconds} giây với mã hợp lệ."),
    "request_invalid": ("The request is invalid: {problems}", "Yêu cầu không hợp lệ: {problems_vi}"),
    "body_not_json": ("send the body as JSON with Content-Type: application/json (got {content_type})",
                      "nội dung phải là JSON với Content-Type: application/json (đang gửi {content_type})"),
    "body_not_utf8": ("the body is not readable JSON: send UTF-8 encoded JSON",
                      "không đọc được nội dung: hãy gửi JSON mã hóa UTF-8"),
    "required": ("required", "bắt buộc"),
    "not_null": ("may not be null", "không được để trống"),
    "text_too_long_for": ("at most {limit} characters", "tối đa {limit} ký tự"),
    "not_a_choice": ("not one of the choices offered", "giá trị không có trong danh sách để chọn"),
    "range_reversed": ("must not be before the start of the range ({first})",
                       "không được trước ngày bắt đầu ({first:%d/%m/%Y})"),
    "not_a_day": ("'{wording}' is not a date (dd/mm/yyyy)",
                  "«{wording}» không phải là ngày hợp lệ (ngày/tháng/năm, ví dụ 15/08/2025)"),
    "as_of_in_future": ("a report cannot count what has not happened yet: the day must not be after today",
                        "số liệu chỉ tính đến hết ngày hôm nay ({today:%d/%m/%Y}), không tính trước cho ngày sau"),
    "report_before_cutoff": ("the report's date must not be before the day its figures run to ({as_of:%d/%m/%Y})",
                             "ngày báo cáo không được trước ngày chốt số liệu ({as_of:%d/%m/%Y})"),
    "nul_character": ("must not contain a NUL character", "không được chứa ký tự NUL"),
    "not_blank": ("must not be blank", "không được để trống"),
    "not_a_number": ("must be a finite number", "phải là một số hữu hạn"),
    "database_refused_value": ("a value is not acceptable to the database (e.g. a NUL character)",
                               "có giá trị không hợp lệ (ví dụ ký tự NUL)"),
    "timezone_required": ("give a time zone, e.g. 2026-11-23T08:00:00+07:00",
                          "cần ghi múi giờ, ví dụ 2026-11-23T08:00:00+07:00"),
    "date_out_of_range": ("must be between {first} and {last}",
                          "phải trong khoảng {first:%d/%m/%Y} đến {last:%d/%m/%Y}"),
    "unknown_parameter": ("unknown query parameter; this operation takes: {known}",
                          "tham số không được hỗ trợ; thao tác này nhận: {known}"),
    "unknown_parameter_none": ("unknown query parameter; this operation takes no parameters",
                               "tham số không được hỗ trợ; thao tác này không nhận tham số nào"),
    "repeated_parameter": ("given more than once", "được truyền nhiều lần"),
    "not_a_cursor": ("not a cursor this API returned", "con trỏ phân trang không hợp lệ"),
    "payload_too_large": ("The request body is larger than {limit:,} bytes",
                          "Nội dung yêu cầu vượt quá {limit_vi} byte"),
    "idempotency_key_reused": ("this key was already used with a different request",
                               "khóa Idempotency-Key này đã được dùng cho một yêu cầu khác"),
    "idempotency_key_length": ("must be 1 to 200 characters", "phải dài từ 1 đến 200 ký tự"),
    "if_match_required": ("If-Match header required: send the ETag from GET {path}",
                          "Cần header If-Match với ETag lấy từ GET {path}"),
    "task_changed": ("The task changed since you read it; GET it again and retry",
                     "Nhiệm vụ đã thay đổi kể từ lần đọc; hãy tải lại và thử lại"),
    "directive_changed": ("The directive changed since you read it; GET it again and retry",
                          "Văn bản đã thay đổi kể từ lần đọc; hãy tải lại và thử lại"),
    # sign-in and accounts
    "token_missing": ("Missing bearer token", "Thiếu mã truy cập (Authorization: Bearer ...)"),
    "token_invalid": ("Invalid or revoked token", "Mã truy cập không hợp lệ hoặc đã bị thu hồi"),
    "token_name_required": ("say which software uses it", "cần ghi phần mềm nào dùng mã này"),
    "password_too_short": ("at least {minimum} characters", "mật khẩu cần ít nhất {minimum} ký tự"),
    "password_too_common": ("too common or too easy to guess (contains the username, few characters)",
                            "mật khẩu quá phổ biến hoặc dễ đoán (trùng tên đăng nhập, ít ký tự khác nhau)"),
    "password_wrong": ("wrong password", "mật khẩu hiện tại không đúng"),
    "own_password_needs_current": ("Change your own password with your current one (your account page)",
                                   "Đổi mật khẩu của chính mình cần mật khẩu hiện tại: dùng trang Tài khoản của tôi"),
    "passwords_differ": ("the two do not match", "hai lần nhập không khớp"),
    "username_form": ("1 to 100 characters without spaces", "từ 1 đến 100 ký tự, không có khoảng trắng"),
    "username_taken": ("already taken", "tên đăng nhập đã có người dùng"),
    "full_name_required": ("required", "cần ghi họ và tên"),
    "agency_required": ("choose the account's agency", "bắt buộc: chọn cơ quan của tài khoản"),
    "email_invalid": ("not an e-mail address", "không phải địa chỉ thư điện tử (ví dụ ten@coquan.gov.vn)"),
    "role_unknown": ("secretariat, agency or observer",
                     "vai trò phải là secretariat ({secretariat}), agency (cơ quan chủ trì) hoặc observer (theo dõi)"),
    "form_expired": ("The form has expired or did not come from this site; reload the page",
                     "Biểu mẫu đã hết hạn hoặc không xuất phát từ trang này; hãy tải lại trang"),
    "no_such_format": ("No such format", "Không có định dạng này"),
    "no_such_action": ("No such action", "Không có thao tác này"),
    # agencies
    "no_agency_code": ("no agency with code {code}", "không có cơ quan mã {code}"),
    "no_active_agency_code": ("no active agency with code {code}", "không có cơ quan đang hoạt động mã {code}"),
    "no_active_agency": ("no such active agency", "không có cơ quan đang hoạt động với mã này"),
    "no_agency": ("no such agency", "không có cơ quan này"),
    "unknown_agencies": ("unknown agencies {ids}", "không có cơ quan {ids}"),
    "agency_code_taken": ("an agency with code {code} already exists", "đã có cơ quan mã {code}"),
    "short_name_taken": ("{name} already uses this short name", "tên viết tắt này đã dùng cho {name}"),
    "agency_has_open_tasks": ("{name} still leads {count} open tasks: merge it into its successor, which moves them",
                              "{name} còn chủ trì {count} nhiệm vụ chưa hoàn thành: hãy sáp nhập vào cơ quan kế thừa "
                              "để chuyển các nhiệm vụ này"),
    "successor_missing": ("name the successor (successor_code or successor_id)",
                          "cần nêu cơ quan kế thừa (successor_code hoặc successor_id)"),
    "no_successor": ("no such agency", "không có cơ quan kế thừa này"),
    "merge_into_itself": ("an agency cannot be merged into itself", "không thể sáp nhập cơ quan vào chính nó"),
    "successor_inactive": ("{name} is no longer active", "{name} không còn hoạt động"),
    "merger_in_future": ("must not be in the future (record the merger on the day)",
                         "không được là ngày trong tương lai (ghi nhận sáp nhập khi đã có hiệu lực)"),
    "already_merged": ("{name} was already merged", "{name} đã được sáp nhập trước đó"),
    # indicators
    "indicator_code_taken": ("an indicator with code {code} already exists", "đã có chỉ tiêu mã {code}"),
    "not_a_period": ("'{wording}' is not a period: write 2025, 2025-H1, 2025-Q3 or 2025-07",
                     "“{wording}” không phải một kỳ: ghi 2025, 2025-H1 (6 tháng đầu năm), 2025-Q3 (quý III) "
                     "hoặc 2025-07 (tháng 7)"),
    "not_the_indicators_period": ("this indicator is reported {frequency_en}: a period such as {example}",
                                  "chỉ tiêu này báo cáo {frequency_vi}: ghi kỳ như {example}"),
    "ratio_needs_parts": ("a ratio needs its numerator and a denominator above zero (e.g. 4543 of 6325)",
                          "chỉ tiêu dạng tỷ lệ cần tử số và mẫu số lớn hơn 0 (ví dụ 4.543/6.325)"),
    "ratio_parts_only": ("only a ratio has a numerator and a denominator",
                         "chỉ chỉ tiêu dạng tỷ lệ mới có tử số, mẫu số"),
    "yes_no_value": ("1 (yes) or 0 (no)", "1 (đạt) hoặc 0 (chưa đạt)"),
    "percentage_range": ("a percentage between 0 and 100", "tỷ lệ phần trăm từ 0 đến 100"),
    "value_needed": ("required (or numerator and denominator for a ratio)",
                     "bắt buộc (chỉ tiêu dạng tỷ lệ: ghi tử số và mẫu số)"),
    "supersedes_other": ("must be an earlier measurement of this indicator for the same period",
                         "phải là số liệu đã ghi của chỉ tiêu này cho cùng kỳ"),
    "supersedes_superseded": ("measurement {id} was already corrected by {by}: correct that one",
                              "số liệu {id} đã được đính chính bằng số liệu {by}: hãy đính chính số liệu đó"),
    "baseline_after_period": ("the baseline must come before the period ends ({last})",
                              "mốc cơ sở phải trước khi kỳ kết thúc ({last:%d/%m/%Y})"),
    "unknown_tasks": ("unknown tasks {ids}", "không có nhiệm vụ {ids}"),
    # directives
    "no_directive": ("no such directive", "không có văn bản chỉ đạo này"),
    "unknown_directives": ("unknown directives {ids}", "không có văn bản chỉ đạo {ids}"),
    "directive_taken": ("a directive {reference} already exists", "đã có văn bản số {reference}"),
    "directive_text_vague": ("too vague: {reason_en}", "chưa rõ: {reason_vi}"),
    "issued_in_future": ("must not be in the future", "không được sau ngày hôm nay ({today:%d/%m/%Y})"),
    "meeting_in_future": ("must not be in the future: a notice follows its meeting",
                          "không được sau ngày hôm nay ({today:%d/%m/%Y}): thông báo kết luận có sau phiên họp"),
    "issued_before_meeting": ("must not be before the meeting date", "không được trước ngày họp"),
    "no_meeting": ("no directive records a meeting on this day", "không có văn bản chỉ đạo nào của phiên họp ngày này"),
    # tasks: the seven "rõ" (field labels from SEVEN_RO)
    "seven_ro_missing": ("missing: {label_en}", "thiếu {label_vi}"),
    "seven_ro_vague": ("{label_en} is too vague: {reason_en}", "{label_vi} chưa rõ: {reason_vi}"),
    "external_ref_taken": ("another task already has this reference", "đã có nhiệm vụ khác với mã tham chiếu này"),
    "lead_also_coordinates": ("the lead agency cannot also coordinate (one lead per task)",
                              "cơ quan chủ trì không đồng thời là cơ quan phối hợp"),
    "cadence_without_standing": ("only for a standing task (deadline 'thường xuyên', 'hằng quý', ...)",
                                 "chỉ dùng cho nhiệm vụ thường xuyên (thời hạn 'thường xuyên', 'hằng quý', ...)"),
    # tasks: deadlines
    "deadline_unreadable": ("'{wording}' is not a deadline form we read; accepted forms: {forms}",
                            "không đọc được thời hạn '{wording}'; các dạng được chấp nhận: {forms}"),
    "deadline_working_days_range": ("'{wording}': between 1 and 366 working days",
                                    "'{wording}': từ 1 đến 366 ngày làm việc"),
    "deadline_days_range": ("'{wording}': between 1 and 366 days", "'{wording}': từ 1 đến 366 ngày"),
    "deadline_year_out_of_range": ("'{wording}': the year must be between {first} and {last}",
                                   "'{wording}': năm phải trong khoảng {first}–{last}"),
    "deadline_not_a_date": ("{day:02d}/{month:02d}/{year} is not a real date",
                            "{day:02d}/{month:02d}/{year} không phải là ngày hợp lệ"),
    "deadline_no_such_month": ("'{wording}': there is no month {month}", "'{wording}': không có tháng {month}"),
    "deadline_in_past": ("{day}: the deadline must not be in the past",
                         "{day:%d/%m/%Y}: thời hạn không được trước ngày hôm nay ({today:%d/%m/%Y})"),
    "deadline_before_directive": ("{day}: the deadline must not be before the directive's date",
                                  "{day:%d/%m/%Y}: thời hạn không được trước ngày ban hành văn bản giao "
                                  "({issued_on:%d/%m/%Y})"),
    "requested_deadline_too_early": ("{day}: the requested deadline must be after the current one ({current:%d/%m/%Y})"
                                     " and not in the past",
                                     "{day:%d/%m/%Y}: thời hạn đề nghị phải sau thời hạn hiện tại ({current:%d/%m/%Y}) "
                                     "và không trước ngày hôm nay"),
    # tasks: reports and requests
    "evidence_required": ("required when reporting completion: the document that proves it (number and date; a link "
                          "if it is online)",
                          "bắt buộc khi báo cáo hoàn thành: văn bản chứng minh (số, ngày văn bản; đường dẫn nếu có)"),
    "completed_in_future": ("cannot be in the future", "không được là ngày trong tương lai"),
    "completed_before_directive": ("cannot be before the directive ({issued_on})",
                                   "không được trước ngày ban hành văn bản giao ({issued_on:%d/%m/%Y})"),
    "done_needs_100": ("must be 100 when reporting completion", "phải là 100 khi báo cáo hoàn thành"),
    "completed_on_only_when_done": ("only for status reported_done", "chỉ dùng khi báo cáo hoàn thành (reported_done)"),
    "standing_not_extendable": ("a standing task has no deadline to extend (it may be withdrawn)",
                                "nhiệm vụ thường xuyên không có thời hạn để gia hạn (có thể đề nghị rút)"),
    "not_extendable": ("A task in status '{status}' cannot be extended or withdrawn",
                       "Nhiệm vụ đang ở trạng thái «{status_vi}», không thể điều chỉnh thời hạn hoặc rút"),
    "pending_request_exists": ("This task already has a pending request; wait for its decision",
                               "Nhiệm vụ đã có đề nghị đang chờ quyết định"),
    "reason_required": ("required", "bắt buộc nêu lý do"),
    "not_removable": ("Only a task nobody has reported on can be removed; this one has {what_en}: ask for its "
                      "withdrawal instead",
                      "Chỉ xóa được nhiệm vụ chưa có báo cáo hay đề nghị nào; nhiệm vụ này {what_vi}: hãy đề nghị "
                      "rút nhiệm vụ thay vì xóa"),
    "approved_deadline_too_early": ("{day}: the deadline granted must be after the current one ({current:%d/%m/%Y}) "
                                    "and not in the past",
                                    "{day:%d/%m/%Y}: thời hạn đồng ý phải sau thời hạn hiện tại ({current:%d/%m/%Y}) "
                                    "và không trước ngày hôm nay"),
    "reason_to_send_back": ("say why the completion is sent back",
                            "bắt buộc: nêu lý do trả lại để cơ quan biết cần bổ sung gì"),
    "reason_to_refuse": ("say why the request is refused", "bắt buộc: nêu lý do không đồng ý để cơ quan biết"),
    "approved_deadline_too_late": ("{day}: an approval may shorten the request, not go past it "
                                   "({requested:%d/%m/%Y})",
                                   "{day:%d/%m/%Y}: thời hạn đồng ý không được sau thời hạn đề nghị "
                                   "({requested:%d/%m/%Y})"),
    "approved_deadline_for_rejection": ("only when approving an extension",
                                        "chỉ ghi khi đồng ý lùi thời hạn"),
    "requested_deadline_for_withdrawal": ("not used for a withdrawal", "không dùng cho đề nghị rút nhiệm vụ"),
    "already_decided": ("This request was already {status}", "Đề nghị này đã được {status_vi}"),
    # reports and the calendar
    "too_long_for_pdf": ("the list has {total:,} tasks, more than the {limit:,} a PDF is made for "
                         "(ROVIEC_PDF_MAX_ROWS): export it as xlsx or csv, or narrow it to a directive, a meeting or "
                         "an agency",
                         "danh sách có {total_vi} nhiệm vụ, vượt quá {limit_vi} nhiệm vụ của một tệp PDF: hãy xuất "
                         "dạng xlsx hoặc csv, hoặc thu hẹp theo văn bản chỉ đạo, phiên họp hay cơ quan chủ trì"),
    "calendar_already_off": ("this day is already a day off ({what})", "ngày này đã là ngày nghỉ ({what})"),
    "calendar_already_working": ("this day is already a working day", "ngày này đã là ngày làm việc"),
    "calendar_day_taken": ("this day already has an entry; delete it first",
                           "ngày này đã có trong lịch; hãy xóa trước khi nhập lại"),
    # webhooks (the addresses a subscription may not reach: UNSAFE_ADDRESS_VI)
    "url_invalid": ("not a valid URL", "URL không hợp lệ"),
    "url_not_https": ("the URL must use https", "địa chỉ phải bắt đầu bằng https://"),
    "url_no_host": ("the URL has no host", "URL thiếu tên máy chủ"),
    "url_credentials": ("credentials in the URL are not allowed", "không được đặt tên đăng nhập/mật khẩu trong URL"),
    "url_unresolved": ("the host {host} does not resolve", "không phân giải được tên máy chủ {host}"),
    "url_internal": ("the host resolves to {ip}, a {reason_en} address; webhooks may not target internal networks",
                     "máy chủ đích trỏ tới {ip} ({reason_vi}); không được gửi webhook vào mạng nội bộ"),
    "endpoint_disabled": ("the webhook is disabled: switch it on (PATCH active=true) first",
                          "webhook đang tắt: hãy bật lại (PATCH active=true) trước"),
    # reading a notice
    "notice_empty": ("The notice is empty: paste its text or upload the file",
                     "Thông báo trống: hãy dán nội dung hoặc tải tệp lên"),
    "text_empty": ("The text is empty.", "Văn bản trống, không có nội dung."),
    "not_a_notice": ("This text does not look like a conclusion notice: it has no document number (\"Số: ...\") and no "
                     "clause assigning a task to an agency.",
                     "Văn bản này không giống một thông báo kết luận: không có số văn bản (\"Số: ...\") và không có "
                     "câu nào giao nhiệm vụ cho cơ quan nào."),
    "no_assignment": ("No assignment was found in the notice: no clause gives a task to an agency.",
                      "Không tìm thấy nhiệm vụ nào được giao trong văn bản: không có câu nào giao việc cho cơ quan "
                      "nào."),
    "file_empty": ("The file contains no text.", "Tệp không có nội dung chữ."),
    "file_corrupted": ("The {kind} file is damaged or incomplete and cannot be read.",
                       "Tệp {kind} bị hỏng hoặc không đầy đủ, không đọc được."),
    "file_unsupported": ("{what_en} is not supported: upload the notice as .txt, .docx or a .pdf with a text layer, or "
                         "paste its text.",
                         "{what_vi} không được hỗ trợ: hãy tải lên thông báo dạng .txt, .docx hoặc .pdf có lớp chữ, "
                         "hoặc dán nội dung văn bản."),
    "file_too_large": ("The file is larger than {megabytes} MB.", "Tệp lớn hơn {megabytes} MB."),
    "text_too_long": ("The text is longer than {limit} characters: too long for a notice.",
                      "Văn bản dài hơn {limit_vi} ký tự, quá dài so với một thông báo."),
    "file_too_complex": ("The file is too complex to read: {what_en}. Save the notice again from Word as .docx or "
                         ".pdf, or paste its text.",
                         "Tệp quá phức tạp để đọc: {what_vi}. Hãy lưu lại thông báo từ Word thành tệp .docx hoặc "
                         ".pdf, hoặc dán nội dung văn bản."),
    "import_busy": ("Other notices are being read at the moment: try again in {seconds} seconds.",
                    "Hệ thống đang đọc các thông báo khác: vui lòng thử lại sau {seconds} giây."),
    "encoding_unknown": ("The text's encoding could not be recognised: save it as UTF-8.",
                         "Không nhận ra bảng mã của văn bản: hãy lưu lại dạng UTF-8 (Unicode)."),
    "encoding_invalid": ("The text is not valid {encoding}.", "Văn bản không đúng bảng mã {encoding}."),
    "zip_bomb": ("The DOCX would unpack to {megabytes} MB (from {kilobytes} kB): it is refused as a possible zip bomb.",
                 "Tệp DOCX sẽ giải nén thành {megabytes} MB (từ {kilobytes} kB): bị từ chối vì có thể là tệp nén độc "
                 "hại (zip bomb)."),
    "pdf_encrypted": ("The PDF is password-protected.", "Tệp PDF có mật khẩu, không đọc được."),
    "pdf_scanned": ("The PDF has no text layer (it is a scan or a photo): upload the .docx, or a PDF exported from the "
                    "document, or paste the text.",
                    "Tệp PDF không có lớp chữ (bản quét hoặc ảnh chụp): hãy tải lên tệp .docx, tệp PDF xuất từ văn "
                    "bản gốc, hoặc dán nội dung văn bản."),
    "upload_field_missing": ("upload the notice as the form field 'file'", "hãy tải tệp thông báo lên ở trường 'file'"),
    # evidence files attached to a report (app/tasks/evidence.py, evidence_store.py)
    "evidence_upload_missing": ("upload one or more files as the form field 'file' (multipart/form-data)",
                                "hãy tải tệp lên ở trường 'file' (multipart/form-data)"),
    "evidence_upload_unreadable": ("the body is not a readable multipart/form-data upload",
                                   "nội dung gửi lên không phải biểu mẫu tải tệp (multipart/form-data) đọc được"),
    "evidence_file_empty": ("the file {name} is empty (0 bytes)", "tệp {name} rỗng (0 byte)"),
    "evidence_file_type": ("the file {name} is not a PDF, DOCX, XLSX, PNG or JPEG (its content is read, not its name)",
                           "tệp {name} không phải PDF, DOCX, XLSX, PNG hoặc JPEG (hệ thống đọc nội dung tệp, không dựa "
                           "vào tên hay đuôi tệp)"),
    "evidence_file_too_large": ("The file {name} is larger than {limit:,} bytes",
                                "Tệp {name} lớn hơn {limit_vi} byte"),
    "evidence_too_many_files": ("{count} files: a report carries at most {limit}",
                                "{count} tệp: mỗi báo cáo đính kèm tối đa {limit} tệp"),
    "evidence_files_too_large": ("the files come to {total:,} bytes: a report carries at most {limit:,}",
                                 "các tệp tổng cộng {total_vi} byte: mỗi báo cáo đính kèm tối đa {limit_vi} byte"),
    "evidence_file_not_attachable": ("files {ids} were not uploaded to this task by your agency, or are attached to "
                                     "a report already",
                                     "tệp số {ids} không phải tệp cơ quan mình đã tải lên nhiệm vụ này, hoặc đã đính "
                                     "kèm một báo cáo khác"),
    # a task's thread (app/tasks/comments.py)
    "comment_required": ("write the comment", "bắt buộc: hãy ghi nội dung ý kiến"),
    "answer_required": ("write the explanation", "bắt buộc: hãy ghi nội dung giải trình"),
    "comments_on_removed_task": ("This task was removed as recorded by mistake: nothing more is written on it",
                                 "Nhiệm vụ đã bị xóa vì giao nhầm: không ghi thêm ý kiến"),
    "not_an_explanation_request": ("Comment {id} does not ask for an explanation: answer it with a comment",
                                   "Ý kiến số {id} không phải yêu cầu giải trình: hãy trả lời bằng một ý kiến"),
    "explanation_already_answered": ("This request for an explanation was answered on {day:%d/%m/%Y}",
                                     "Yêu cầu giải trình này đã được trả lời ngày {day:%d/%m/%Y}"),
    # reminders ("đôn đốc", app/tasks/reminders.py)
    "already_reminded": ("The lead agency was reminded of this task today at {time}: a task is reminded at most once "
                         "a day. To remind it again, send force with a reason",
                         "Nhiệm vụ này đã được đôn đốc hôm nay lúc {time}: mỗi nhiệm vụ chỉ đôn đốc một lần mỗi ngày. "
                         "Muốn đôn đốc lại, hãy chọn gửi lại và ghi lý do"),
    "not_remindable": ("Only a task not yet reported done is reminded: this one is {status}",
                       "Chỉ đôn đốc nhiệm vụ chưa báo cáo hoàn thành: nhiệm vụ này {status_vi}"),
    "force_reason_required": ("give the reason for reminding again today",
                              "bắt buộc khi gửi lại: ghi lý do đôn đốc lại trong ngày"),
    "reminder_targets_missing": ("name the tasks to remind: task_ids, or the list's filters",
                                 "hãy nêu nhiệm vụ cần đôn đốc: task_ids, hoặc bộ lọc danh sách (filters)"),
    "reminder_targets_both": ("give task_ids or filters, not both", "chỉ nêu task_ids hoặc bộ lọc (filters), không "
                                                                    "nêu cả hai"),
    "no_task_chosen": ("no task was ticked: tick the tasks to remind, or remind every task listed",
                       "chưa chọn nhiệm vụ nào: hãy đánh dấu các nhiệm vụ cần đôn đốc, hoặc đôn đốc tất cả nhiệm vụ "
                       "đang lọc"),
    "too_many_to_remind": ("{count} tasks match: at most {limit} are reminded at once; narrow the filter",
                           "{count} nhiệm vụ khớp bộ lọc: mỗi lần đôn đốc tối đa {limit} nhiệm vụ — hãy lọc hẹp hơn"),
    "body_not_json_or_upload": ("send JSON {{\"text\": ...}} or a multipart upload",
                                "hãy gửi JSON {{\"text\": ...}} hoặc tải tệp lên"),
    "text_not_string": ("the notice's text, as a string", "nội dung thông báo (chuỗi)"),
    "import_committed": ("This import was committed; its tasks are edited as tasks now",
                         "Bản nhập này đã được ghi nhận; hãy sửa trực tiếp các nhiệm vụ đã giao"),
    "import_discarded": ("This import was discarded", "Bản nhập này đã được hủy, không sửa hay giao được nữa"),
    "not_directive_field": ("not a field of the directive", "không phải trường của văn bản"),
    "not_draft_field": ("not a field of a draft", "không phải trường của dự thảo nhiệm vụ"),
    "not_deliverable_type": ("not a deliverable type", "không phải loại sản phẩm"),
    "split_needs_agency": ("name at least one agency", "cần chọn ít nhất một cơ quan"),
    "no_draft_kept": ("no draft is kept", "không còn dự thảo nào để giao"),
    "draft_problem": ("draft {n}: {msg}", "dự thảo {n}: {msg_vi}"),
    "unread_segments_left": ("{count} segment(s) of the notice are still unread and may assign work: make a draft "
                             "from each, or send confirm_unread true to give the tasks all the same",
                             "còn {count} đoạn của thông báo chưa đọc được, có thể là giao việc: hãy tạo dự thảo từ "
                             "các đoạn đó, hoặc xác nhận các đoạn đó không giao việc rồi giao"),
    "import_directive_field": ("{msg}", "văn bản: {label_vi} chưa có hoặc chưa đúng"),
    # Notifications for people (app/notifications/).
    "notifications_need_a_person": ("Notifications belong to a person: this token was made on the command line and "
                                    "belongs to nobody (use one made on your account page, or the pages)",
                                    "Thông báo là của từng người: mã truy cập này được tạo từ dòng lệnh, không gắn "
                                    "với người nào (dùng mã tạo ở trang tài khoản, hoặc dùng trang web)"),
    "notification_mode_unknown": ("immediate, digest or none", "chọn: ngay khi có, bản tin hằng ngày hoặc không nhận"),
    "notification_kind_not_offered": ("not a kind your role is told of; these are: {known}",
                                      "vai trò của bạn không nhận loại thông báo này; các loại được nhận: {known}"),
    "digest_hour_range": ("an hour from 0 to 23", "chọn giờ từ 0 đến 23"),
    "email_link_invalid": ("This link no longer proves the address (used, expired, or for another address or "
                           "account): send a new one from your account page",
                           "Đường dẫn xác nhận không còn hiệu lực (đã dùng, đã hết hạn, hoặc của địa chỉ hay tài khoản "
                           "khác): hãy gửi lại thư xác nhận từ trang Tài khoản của tôi"),
    "no_email_to_verify": ("no e-mail address to prove: write one first",
                           "chưa có địa chỉ thư điện tử cần xác nhận: hãy ghi địa chỉ trước"),
    "email_off": ("E-mail is off on this service (no SMTP server is set): nothing can be sent",
                  "Hệ thống chưa bật gửi thư điện tử (chưa cấu hình máy chủ thư): chưa gửi được thư"),
}

# What the sign-in page says when it refuses (Vietnamese only: the page is).
SIGN_IN = {
    "form_expired": "Biểu mẫu đăng nhập đã hết hạn; hãy tải lại trang và đăng nhập lại.",
    "throttled": "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {wait}.",
    "wrong": "Tên đăng nhập hoặc mật khẩu không đúng.",
    "empty": "Hãy nhập tên đăng nhập và mật khẩu.",
}

# What a person is told about others' wrong passwords into their account (sessions.SignedIn.warning).
SIGN_IN_WARNING = ("Kể từ lần đăng nhập trước, đã có {failures} lần nhập sai mật khẩu vào tài khoản của bạn từ "
                   "{addresses} địa chỉ khác (gần nhất lúc {last}). Nếu không phải bạn, hãy đổi mật khẩu và báo "
                   "Tổ giúp việc.")


def wait_vi(seconds: float) -> str:
    """"12 giây", "3 phút": how long a sign-in waits, as a person reads it."""
    seconds = max(1, round(seconds))
    return f"{seconds} giây" if seconds < 60 else f"{max(1, round(seconds / 60))} phút"


# What a 404 names: (English, Vietnamese).
THINGS: dict[str, tuple[str, str]] = {
    "task": ("task", "nhiệm vụ"), "directive": ("directive", "văn bản chỉ đạo"), "agency": ("agency", "cơ quan"),
    "account": ("account", "tài khoản"), "token": ("token", "mã truy cập"),
    "webhook": ("webhook", "địa chỉ nhận thông báo"),
    "message": ("message", "thông điệp"), "extension_request": ("extension request", "đề nghị điều chỉnh"),
    "calendar_entry": ("calendar entry", "ngày trong lịch"), "import": ("import", "bản nhập thông báo"),
    "indicator": ("indicator", "chỉ tiêu"), "measurement": ("measurement", "số liệu chỉ tiêu"),
    "draft": ("draft", "dự thảo nhiệm vụ"), "segment": ("segment of the notice", "đoạn của thông báo"),
    "evidence_file": ("evidence file", "tệp đính kèm"),
    "comment": ("comment", "ý kiến"),
    "notification": ("notification", "thông báo"),
}

# Why an address is one a webhook may not reach (app/webhooks/security.py names the kind).
UNSAFE_ADDRESS_VI = {
    "loopback": "địa chỉ nội bộ của máy (loopback)", "link-local": "địa chỉ liên kết cục bộ (link-local)",
    "private": "địa chỉ mạng riêng", "multicast": "địa chỉ multicast", "reserved": "địa chỉ dành riêng",
    "unspecified": "địa chỉ không xác định", "non-global": "địa chỉ không công khai trên Internet",
    "reserved range": "dải địa chỉ dành riêng",
}

# What a decided request became, for "Đề nghị này đã được ...".
DECISION_VI = {"approved": "chấp thuận", "rejected": "từ chối"}

# The importer's flags on a draft, as the review page shows them; `IMPORT_FLAG_WARNINGS` are shown as warnings.
IMPORT_FLAG_VI = {
    "collective_lead": "giao chung nhiều cơ quan", "unknown_agency": "có tổ chức ngoài danh mục",
    "unknown_lead": "cơ quan chủ trì chưa có trong danh mục", "no_deadline": "không nêu thời hạn",
    "standing_task": "nhiệm vụ thường xuyên", "suggested_accountable_official": "người chịu trách nhiệm là gợi ý",
    "deadline_unreadable": "thời hạn chưa đọc được", "deadline_year_inferred": "năm của thời hạn được suy ra",
    "deadline_relative": "thời hạn tính từ ngày thông báo",
    "deadline_working_days_approx": "thời hạn theo ngày làm việc, cần kiểm tra",
    "parallel_lead": "tách từ một câu giao nhiều cơ quan", "urgent": "khẩn trương", "continuing": "tiếp tục",
    "agency_merged": "cơ quan đã sáp nhập, ghi theo cơ quan kế thừa", "split": "tách từ dự thảo chung",
    "lead_from_heading": "cơ quan theo đề mục", "from_unread_segment": "do cán bộ tạo từ đoạn chưa đọc được",
    "deadline_from_row_above": "thời hạn theo dòng trên (ô gộp của bảng), cần kiểm tra",
    "deadline_before_notice": "thời hạn ghi trong bảng đã qua trước ngày văn bản, cần đặt thời hạn mới",
    "deadline_from_notice_body": "thời hạn mới do văn bản đặt cho nhiệm vụ quá hạn",
}
# The fate of each piece of a notice (app/imports/rules/segments.py), as the review page and the API say it, and why
# a piece assigns nothing: (English, Vietnamese).
IMPORT_SEGMENT_FATES = {
    "task": ("made drafts", "đã thành dự thảo"),
    "not_task": ("assigns nothing", "không giao việc"),
    "unread": ("not read: may assign work", "chưa đọc được, có thể là giao việc"),
}
IMPORT_SEGMENT_REASONS = {
    "closing": ("the closing (\"... for information and action\")", "câu kết “thông báo để … biết, thực hiện”"),
    "responsibility": ("the standard sentence on who carries the notice out",
                       "câu giao trách nhiệm thi hành chung của thông báo"),
    "appendix": ("points to the appendix, whose rows are read one by one",
                 "dẫn tới phụ lục; các dòng của phụ lục được đọc riêng"),
    "recipients": ("the recipients and the signature", "nơi nhận và chữ ký"),
    "heading": ("a heading", "đề mục"),
    "review": ("reviews results", "đánh giá kết quả, tình hình"),
    "past": ("tells what was done", "nêu việc đã làm"),
    "praise": ("praise or agreement", "biểu dương, ghi nhận, đồng ý"),
    "no_action": ("names no agency with work to do", "không nêu cơ quan nào phải làm việc gì"),
    "done": ("already done, as the table's note says", "đã hoàn thành, theo ghi chú của bảng"),
    "accountability": ("says who answers for what it sent, no new work",
                       "nêu trách nhiệm về nội dung đã gửi, không giao việc mới"),
    "principle": ("states an orientation or an exhortation to all", "nêu định hướng hoặc lời kêu gọi chung"),
    "target": ("a target to reach, which the tasks serve", "chỉ tiêu cần đạt; các nhiệm vụ phục vụ chỉ tiêu đó"),
    "covered": ("done within another task of this notice, which it points to",
                "thực hiện trong nhiệm vụ khác của văn bản này, như đoạn đó dẫn"),
    "existing_rule": ("points to a rule already in force, nothing new is asked",
                      "dẫn quy định hiện hành, không giao việc mới"),
    "oversight": ("the leaders' oversight, no task of its own", "lãnh đạo chỉ đạo, đôn đốc chung, không phải nhiệm vụ "
                  "riêng"),
}
# The review page's words for a notice's pieces and the answer to committing with pieces still unread.
IMPORT_UNREAD_CONFIRM = ("Còn {count} đoạn chưa đọc được, có thể là giao việc. Hãy tạo dự thảo từ các đoạn đó, hoặc "
                         "đánh dấu ô xác nhận rồi bấm “Giao tất cả nhiệm vụ” lần nữa nếu chắc chắn các đoạn đó không "
                         "giao việc.")
IMPORT_UNREAD_CONFIRM_BOX = "Tôi đã đọc các đoạn chưa đọc được; các đoạn đó không giao việc."
IMPORT_DRAFT_FROM_SEGMENT = "Đã tạo dự thảo {n} từ đoạn chưa đọc được; hãy bổ sung các “rõ” còn thiếu."

# What the importer could not read in a notice's header, shown above its drafts (app/imports/rules/header.py).
IMPORT_WARNINGS = {
    "no_number": "Không tìm thấy số văn bản (dòng \"Số: ...\").",
    "no_issued_on": ("Không tìm thấy ngày ban hành văn bản; thời hạn tính theo số ngày và thời hạn không ghi năm không "
                     "xác định được."),
    "no_body_start": ("Không tìm thấy câu mở đầu phần kết luận (\"... kết luận như sau:\"); đã đọc toàn bộ phần sau "
                      "tiêu đề."),
    "implausible_date": ("Đã bỏ qua {what} đọc được ({day:%d/%m/%Y}): không hợp lý (phải từ {first:%d/%m/%Y} đến "
                         "{last:%d/%m/%Y}); hãy nhập {what} đúng."),
}
# Why a file is too complex to read ("file_too_complex"): the limit of the reading it went past
# (app/imports/extract.py, app/imports/sandbox.py). `limit` as English writes numbers, `limit_vi` as Vietnamese does.
TOO_COMPLEX = {
    "seconds": ("reading it takes more than {limit} seconds", "đọc tệp cần hơn {limit_vi} giây"),
    "memory": ("reading it needs more than {limit} MB of memory", "đọc tệp cần hơn {limit_vi} MB bộ nhớ"),
    "stopped": ("the reader stopped before the end of the file", "trình đọc tệp dừng lại trước khi đọc hết tệp"),
    "reader_limit": ("it goes past a safety limit of the PDF reader", "tệp vượt giới hạn an toàn của trình đọc PDF"),
    "pages": ("it has more than {limit} pages", "tệp có hơn {limit_vi} trang"),
    "blocks": ("it has more than {limit} paragraphs and table cells", "tệp có hơn {limit_vi} đoạn văn và ô bảng"),
    "elements": ("its Word content has more than {limit} XML elements",
                 "nội dung Word của tệp có hơn {limit_vi} phần tử XML"),
    "chars": ("its text is longer than {limit} characters", "nội dung chữ của tệp dài hơn {limit_vi} ký tự"),
}


def too_complex(reason: str, limit: int | float | None = None) -> dict[str, str]:
    """The values of "file_too_complex" for one of TOO_COMPLEX's reasons."""
    english, vietnamese = TOO_COMPLEX[reason]
    number = int(limit) if limit is not None and float(limit).is_integer() else limit
    values = {"limit": f"{number:,}" if isinstance(number, int) else number,
              "limit_vi": vn_number(number) if isinstance(number, int) else str(number).replace(".", ",")}
    return {"what_en": english.format(**values), "what_vi": vietnamese.format(**values)}


IMPORT_FLAG_WARNINGS = frozenset({"collective_lead", "unknown_agency", "unknown_lead", "no_deadline",
                                  "deadline_unreadable", "agency_merged", "deadline_from_row_above",
                                  "deadline_before_notice"})


def refusal(key: str, **values) -> tuple[str, str]:
    """(English, Vietnamese) of REFUSALS[key] with its values filled in."""
    english, vietnamese = REFUSALS[key]
    return english.format(**values), vietnamese.format(**values)


def vn_number(number: int) -> str:
    """1.243, as Vietnamese writes thousands: the one way a count is written in a sentence, a page or a document
    ("1.243 nhiệm vụ", "quá hạn 1.588 ngày"); Babel's format_decimal(…, locale="vi_VN") says the same, at many times
    the cost."""
    return f"{number:,}".replace(",", ".")


def vn_rate(part: int, whole: int) -> str:
    """A share in percent with one decimal, as the reports write a completion rate: "55,6%" (0 of 0: "0%")."""
    return f"{vn_decimal(100 * part / whole, 1) if whole else '0'}%"


def file_size_vi(size: int) -> str:
    """A file's size as people read it: "1,2 MB", "350 kB", "900 byte" (decimal units, as the limits are said)."""
    for unit, scale in (("MB", 1_000_000), ("kB", 1_000)):
        if size >= scale:
            return f"{size / scale:.1f}".replace(".", ",").removesuffix(",0") + f" {unit}"
    return f"{size} byte"


def vn_decimal(number: float, places: int = 2) -> str:
    """87,08 · 4.543 · 18,3: thousands with dots, a decimal comma, no trailing zeros (at most `places` decimals)."""
    text = f"{number:,.{places}f}".rstrip("0").rstrip(".") if places else f"{number:,.0f}"
    whole, _, fraction = text.partition(".")
    return whole.replace(",", ".") + ("," + fraction if fraction else "")


# An indicator's kind (app/indicators/judgement.py: Kind) in words, and its comparator as a person reads it.
INDICATOR_KIND_VI = {"percentage": "Tỷ lệ phần trăm", "ratio": "Tỷ số (a/b)", "count": "Số lượng",
                     "amount": "Giá trị", "yes_no": "Có/không"}
INDICATOR_COMPARATOR_VI = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}
INDICATOR_FREQUENCY_VI = {"monthly": "hằng tháng", "quarterly": "hằng quý", "half_yearly": "6 tháng một lần",
                          "yearly": "hằng năm"}


def indicator_value_vi(kind: str, value: float | None, unit: str = "", numerator: float | None = None,
                       denominator: float | None = None) -> str:
    """A value of an indicator as pages and documents write it: "87,08%", "4.543/6.325 (71,82%)", "1.243 thủ tục",
    "Có"/"Chưa". `value` of a ratio is numerator/denominator in percent (as stored)."""
    if value is None:
        return ""
    kind = str(kind)
    if kind == "yes_no":
        return "Có" if value >= 0.5 else "Chưa"
    if kind == "ratio" and numerator is not None and denominator is not None:
        return f"{vn_decimal(numerator)}/{vn_decimal(denominator)} ({vn_decimal(value)}%)"
    if kind in ("percentage", "ratio"):
        return f"{vn_decimal(value)}%"
    return f"{vn_decimal(value)} {unit}".strip()


# A target's comparator in words before its value ("không quá 10 ngày"); at least and equal need none ("80%").
_TARGET_WORDS = {">=": "", "=": "", ">": "trên ", "<=": "không quá ", "<": "dưới "}


def indicator_target_vi(kind: str, comparator: str, value: float | None, unit: str,
                        period: str | None) -> list[str]:
    """A target as pages and documents write it, the value above its period: ["80%", "(năm 2024)"],
    ["không quá 10 ngày", "(quý III/2025)"]; ["Chưa xác định"] without one."""
    if period is None:
        return ["Chưa xác định"]
    return [indicator_goal_vi(kind, comparator, value, unit), f"({indicator_period_vi(period)})"]


def indicator_goal_vi(kind: str, comparator: str, value: float | None, unit: str) -> str:
    """A target's value with its comparator in words: "80%", "trên 80%", "không quá 5 ngày"."""
    words = "" if str(kind) == "yes_no" else _TARGET_WORDS.get(str(comparator), "")
    return f"{words}{indicator_value_vi(kind, value, unit)}"


def indicator_latest_vi(kind: str, value: float | None, unit: str, numerator: float | None,
                        denominator: float | None, period: str | None, official: bool | None) -> list[str]:
    """The latest value, above its period ("ước tính" when not official): ["87,08%", "(6 tháng đầu năm 2024)"],
    ["4.543/6.325 (71,83%)", "(năm 2024, ước tính)"]; ["Chưa có số liệu"] without one."""
    if period is None:
        return ["Chưa có số liệu"]
    estimate = "" if official else ", ước tính"
    return [indicator_value_vi(kind, value, unit, numerator, denominator),
            f"({indicator_period_vi(period)}{estimate})"]


def indicator_period_vi(period: str) -> str:
    """"2025" năm 2025 · "2025-H1" 6 tháng đầu năm 2025 · "2025-Q3" quý III/2025 · "2025-07" tháng 7/2025."""
    year, _, part = period.partition("-")
    if not part:
        return f"năm {year}"
    if part == "H1":
        return f"6 tháng đầu năm {year}"
    if part == "H2":
        return f"6 tháng cuối năm {year}"
    if part.startswith("Q"):
        return f"quý {('I', 'II', 'III', 'IV')[int(part[1]) - 1]}/{year}"
    return f"tháng {int(part)}/{year}"


# Vietnamese for the pydantic error types a client actually meets.
PYDANTIC_VI = {
    "missing": "Thiếu trường bắt buộc",
    "string_too_short": "Chuỗi quá ngắn",
    "string_too_long": "Chuỗi quá dài",
    "string_type": "Phải là chuỗi ký tự",
    "int_parsing": "Phải là số nguyên",
    "int_type": "Phải là số nguyên",
    "float_parsing": "Phải là một số",
    "float_type": "Phải là một số",
    "bool_parsing": "Phải là true hoặc false",
    "bool_type": "Phải là true hoặc false",
    "date_from_datetime_parsing": "Ngày không hợp lệ (dạng YYYY-MM-DD)",
    "date_parsing": "Ngày không hợp lệ (dạng YYYY-MM-DD)",
    "date_type": "Ngày không hợp lệ (dạng YYYY-MM-DD)",
    "datetime_from_date_parsing": "Thời điểm không hợp lệ (ISO 8601)",
    "datetime_parsing": "Thời điểm không hợp lệ (ISO 8601)",
    "enum": "Giá trị không thuộc danh sách cho phép",
    "literal_error": "Giá trị không thuộc danh sách cho phép",
    "greater_than_equal": "Giá trị quá nhỏ",
    "less_than_equal": "Giá trị quá lớn",
    "greater_than": "Giá trị quá nhỏ",
    "less_than": "Giá trị quá lớn",
    "extra_forbidden": "Trường không được phép",
    "json_invalid": "JSON không hợp lệ",
    "model_attributes_type": "Phải là một đối tượng JSON",
    "dict_type": "Phải là một đối tượng JSON",
    "list_type": "Phải là một danh sách",
    "url_parsing": "URL không hợp lệ",
    "url_scheme": "URL không hợp lệ",
    "value_error": "Giá trị không hợp lệ",
    "string_pattern_mismatch": "Chứa ký tự không được phép (ví dụ ký tự NUL)",
}

# Vietnamese for the HTTP errors raised before a route runs (no such path, wrong method, unreadable body).
HTTP_VI = {400: "Không đọc được nội dung yêu cầu (JSON)", 404: "Không tìm thấy đường dẫn",
           405: "Đường dẫn này không nhận phương thức đó", 413: "Nội dung yêu cầu quá lớn",
           415: "Kiểu nội dung không được hỗ trợ", 0: "Yêu cầu không thực hiện được"}

# The same, as a page says it to a person.
PAGE_HTTP_VI = {404: "Không có trang này. Có thể đường dẫn đã gõ sai hoặc nội dung đã bị xóa.",
                405: "Trang này không nhận thao tác đó.", 413: "Nội dung gửi lên quá lớn.",
                500: "Hệ thống gặp lỗi khi xử lý yêu cầu. Những gì đã lưu trước đó không bị ảnh hưởng; vui lòng thử "
                     "lại sau ít phút, nếu vẫn lỗi hãy báo cho quản trị hệ thống.",
                429: "Bạn đã gửi quá nhiều yêu cầu trong một phút. Vui lòng đợi giây lát rồi thử lại.",
                503: "Hệ thống tạm thời không kết nối được cơ sở dữ liệu. Những gì đã lưu trước đó không bị ảnh "
                     "hưởng; vui lòng thử lại sau ít giây.",
                0: "Không thực hiện được yêu cầu."}

WEEKEND_VI = "cuối tuần"

# A subscription's form sent a second time (a refresh, the back button): nothing new is made.
SUBSCRIPTION_SENT_TWICE = ("Đăng ký này đã được tạo ở lần gửi trước, không tạo thêm. Khóa ký chỉ hiển thị một lần; nếu "
                           "chưa kịp lưu, hãy bấm “Đổi khóa ký” để nhận khóa mới.")

# A notice's review whose tasks could not all be given.
IMPORT_NOT_GIVEN = "Chưa giao được nhiệm vụ nào: còn dự thảo thiếu “rõ” hoặc chưa đúng, xem các mục đánh dấu."

# An account's or a token's form sent a second time: nothing new is made, and a secret is shown only once.
ACCOUNT_SENT_TWICE = ("Tài khoản này đã được tạo ở lần gửi trước, không tạo thêm. Mật khẩu chỉ hiển thị một lần; nếu "
                      "chưa kịp lưu, hãy bấm “Cấp lại mật khẩu”.")
TOKEN_SENT_TWICE = ("Mã truy cập này đã được tạo ở lần gửi trước, không tạo thêm. Mã chỉ hiển thị một lần; nếu chưa "
                    "kịp lưu, hãy thu hồi mã đó và tạo mã mới.")

# A task's edit saved by someone else first, as the task page says it.
TASK_STALE_PAGE = ("Nhiệm vụ vừa được người khác sửa và lưu trước bạn. Nội dung bạn nhập vẫn được giữ trong biểu mẫu; "
                   "nội dung hiện tại ở phía trên trang. Xem lại rồi bấm Lưu nếu vẫn muốn thay đổi.")

# A task page's comment, and the list's reminders, sent again (a refresh, the back button): nothing new is made.
COMMENT_SENT_TWICE = "Ý kiến này đã được gửi ở lần trước, không gửi thêm."
REMINDERS_SENT_TWICE = "Lần đôn đốc này đã được gửi ở lần trước, không gửi thêm."

# A completion's evidence field left empty, as the progress form says it.
EVIDENCE_REQUIRED_VI = "bắt buộc khi báo cáo hoàn thành: ghi văn bản chứng minh đã hoàn thành"
# A refused report's files, which a page cannot put back into its file input.
EVIDENCE_CHOOSE_AGAIN_VI = "Báo cáo chưa được gửi nên các tệp đã chọn chưa được lưu: hãy chọn lại tệp."

# The same, as a form field shows it beside the field (dates are typed dd/mm/yyyy on the pages).
FORM_PYDANTIC_VI = {
    "missing": "bắt buộc", "string_too_short": "quá ngắn", "string_too_long": "quá dài",
    "int_parsing": "phải là số nguyên", "date_from_datetime_parsing": "ngày không hợp lệ (dd/mm/yyyy)",
    "date_parsing": "ngày không hợp lệ (dd/mm/yyyy)",
    "float_parsing": "phải là một số, ví dụ 87,08 hoặc 4.543", "greater_than": "giá trị quá nhỏ",
    "url_parsing": "địa chỉ không hợp lệ: ghi đầy đủ, bắt đầu bằng https://",
    "url_scheme": "địa chỉ không hợp lệ: ghi đầy đủ, bắt đầu bằng https://",
    "greater_than_equal": "giá trị quá nhỏ", "less_than_equal": "giá trị quá lớn",
    "enum": "giá trị không thuộc danh sách", "literal_error": "giá trị không thuộc danh sách",
    "value_error": "giá trị không hợp lệ",
}

# Notifications for people (app/notifications/kinds.py): each kind as the account page and the inbox name it, the ways
# of receiving it, and the start of a notification's subject by the event or alert that raised it.
NOTIFICATION_KIND_VI = {
    "due_soon": "Nhiệm vụ sắp đến hạn, đến hạn hôm nay", "overdue": "Nhiệm vụ quá hạn",
    "escalated": "Nhiệm vụ quá hạn lâu, cần chỉ đạo xử lý", "completion_reported": "Báo cáo hoàn thành chờ xác nhận",
    "extension_requested": "Đề nghị lùi thời hạn, rút nhiệm vụ chờ quyết định",
    "decided": "Đề nghị và báo cáo hoàn thành đã được xử lý", "commented": "Ý kiến trao đổi về nhiệm vụ",
    "explanation": "Yêu cầu giải trình và nội dung giải trình", "reminded": "Đôn đốc thực hiện nhiệm vụ",
    "indicator_off_track": "Chỉ tiêu chậm tiến độ",
}
NOTIFICATION_MODE_VI = {"immediate": "Ngay khi có", "digest": "Gộp vào bản tin hằng ngày", "none": "Không nhận"}
NOTIFICATION_SUBJECT_VI = {
    "task.due_soon": "Sắp đến hạn", "task.due_today": "Đến hạn hôm nay", "task.overdue": "Quá hạn",
    "task.escalated": "Quá hạn, cần chỉ đạo xử lý", "task.progress_reported": "Báo cáo hoàn thành chờ xác nhận",
    "task.extension_requested": "Đề nghị chờ quyết định", "task.extension_decided": "Đã có quyết định về đề nghị",
    "task.completed": "Đã xác nhận hoàn thành", "task.reopened": "Báo cáo hoàn thành bị trả lại",
    "task.commented": "Ý kiến mới", "task.explanation_requested": "Yêu cầu giải trình",
    "task.explanation_answered": "Đã giải trình", "task.reminded": "Đôn đốc",
    "indicator.off_track": "Chỉ tiêu chậm tiến độ",
}
EMAIL_STATUS_VI = {"pending": "chờ gửi thư", "sending": "đang gửi thư", "sent": "đã gửi thư",
                   "dead": "không gửi được thư"}

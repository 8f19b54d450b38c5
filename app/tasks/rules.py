"""The seven "rõ" and the other rules a task's content must keep: every "rõ" present, none vague, one lead agency that
is not also a coordinating agency, a deadline in a wording directives use and not in the past."""

from datetime import date
from typing import Any

from sqlmodel import Session

from app import messages
from app.agencies import service as agency_service
from app.errors import FieldProblem
from app.tasks.deadlines import ACCEPTED_FORMS_TEXT, DeadlineFormatError, parse_deadline
from app.tasks.models import DeliverableType
from app.text import fold, shown

SEVEN_RO = messages.SEVEN_RO
MIN_LENGTH = {"objective": 15, "title": 15, "accountable_official": 5, "deliverable_description": 15,
              "expected_result": 15}


def missing(field: str) -> FieldProblem:
    vi, en = SEVEN_RO[field]
    return FieldProblem(field, f"missing: {en}", f"thiếu {vi}", type="seven_ro_missing")


def vague(field: str, reason: str, reason_vi: str) -> FieldProblem:
    vi, en = SEVEN_RO[field]
    return FieldProblem(field, f"{en} is too vague: {reason}", f"{vi} chưa rõ: {reason_vi}", type="seven_ro_vague")


def blank(value: str | None) -> bool:
    return value is None or not shown(value)


def check_texts(values: dict[str, Any], problems: list[FieldProblem]) -> None:
    for field, minimum in MIN_LENGTH.items():
        if field not in values:
            continue
        value = values[field]
        if blank(value):
            problems.append(missing(field))
        elif len(shown(value)) < minimum:
            problems.append(vague(field, f"at least {minimum} characters", f"cần ít nhất {minimum} ký tự"))
    description = values.get("deliverable_description")
    deliverable_names = {fold(t.value) for t in DeliverableType} | {"san pham", "van ban", "tai lieu"}
    if not blank(description) and fold(description).rstrip(". ") in deliverable_names:
        problems.append(vague("deliverable_description", "say which document or system, not only its type",
                              "cần nêu cụ thể văn bản/hệ thống nào, không chỉ loại sản phẩm"))
    title, result = values.get("title"), values.get("expected_result")
    if not blank(title) and not blank(result) and fold(result).rstrip(". ") in fold(title):
        problems.append(vague("expected_result", "it repeats the work; state how completion is judged",
                              "nhắc lại nội dung nhiệm vụ; cần nêu tiêu chí đánh giá hoàn thành"))


def check_agencies(session: Session, *, lead_agency_id: int | None, coordinating: list[int],
                   check_lead: bool, problems: list[FieldProblem]) -> None:
    if check_lead:
        lead = agency_service.get(session=session, agency_id=lead_agency_id) if lead_agency_id is not None else None
        if lead_agency_id is None:
            problems.append(missing("lead_agency_id"))
        elif lead is None or not lead.active:
            problems.append(FieldProblem("lead_agency_id", "no such active agency",
                                         "không có cơ quan đang hoạt động với mã này"))
    if coordinating:
        found = agency_service.by_ids(session=session, agency_ids=set(coordinating))
        unknown = sorted(set(coordinating) - set(found))
        if unknown:
            problems.append(FieldProblem("coordinating_agency_ids", f"unknown agencies {unknown}",
                                         f"không có cơ quan {unknown}"))
        if lead_agency_id is not None and lead_agency_id in coordinating:
            problems.append(FieldProblem("coordinating_agency_ids",
                                         "the lead agency cannot also coordinate (one lead per task)",
                                         "cơ quan chủ trì không đồng thời là cơ quan phối hợp"))


def parse_deadline_field(field: str, wording: str | None, problems: list[FieldProblem], not_before: date,
                         not_before_label: tuple[str, str], *, working_days_from: date | None,
                         calendar) -> date | None:
    if blank(wording):
        problems.append(missing(field) if field in SEVEN_RO else FieldProblem(field, "required", "bắt buộc"))
        return None
    try:
        parsed = parse_deadline(wording, working_days_from=working_days_from, calendar=calendar)
    except DeadlineFormatError:
        problems.append(FieldProblem(field, f"unreadable deadline; accepted forms: {ACCEPTED_FORMS_TEXT}",
                                     f"không đọc được thời hạn; các dạng được chấp nhận: {ACCEPTED_FORMS_TEXT}",
                                     type="deadline_format"))
        return None
    if parsed < not_before:
        en, vi = not_before_label
        problems.append(FieldProblem(field, f"the deadline {parsed.isoformat()} is before {en}",
                                     f"thời hạn {parsed:%d/%m/%Y} trước {vi}", type="deadline_past"))
        return None
    return parsed


def search_text(task, directive, lead) -> str:
    parts = [task.title, task.objective, task.clause_ref or "", directive.number, lead.name, lead.short_name,
             lead.code, task.deliverable_description, task.accountable_official]
    return fold(" ".join(parts))

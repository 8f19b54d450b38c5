"""The seven "rõ" and the other rules a task's content must keep: every "rõ" present, none vague, one lead agency that
is not also a coordinating agency, a deadline in a wording directives use and not in the past."""

import re
from datetime import date
from typing import Any

from sqlmodel import Session

from app import messages
from app.agencies import service as agency_service
from app.errors import FieldProblem
from app.tasks.deadlines import DeadlineFormatError, parse_deadline, standing_cadence
from app.tasks.models import DeliverableType
from app.text import fold, shown, vagueness

SEVEN_RO = messages.SEVEN_RO
MIN_LENGTH = {"objective": 15, "title": 15, "accountable_official": 5, "deliverable_description": 15,
              "expected_result": 15}


def in_order(problems: list[FieldProblem]) -> list[FieldProblem]:
    """The seven "rõ" in the order the rule names them, then the other fields as they came."""
    order = list(SEVEN_RO)
    return sorted(problems, key=lambda p: order.index(p.field) if p.field in order else len(order))


def missing(field: str) -> FieldProblem:
    vi, en = SEVEN_RO[field]
    return FieldProblem.of(field, "seven_ro_missing", label_en=en, label_vi=vi, type="seven_ro_missing")


def vague(field: str, reason: str, **values) -> FieldProblem:
    """`reason`: a key of messages.VAGUE (why the value is not a "rõ")."""
    vi, en = SEVEN_RO[field]
    reason_en, reason_vi = (text.format(**values) for text in messages.VAGUE[reason])
    return FieldProblem.of(field, "seven_ro_vague", label_en=en, label_vi=vi, reason_en=reason_en,
                           reason_vi=reason_vi, type="seven_ro_vague")


def blank(value: str | None) -> bool:
    return value is None or not shown(value)


def check_texts(values: dict[str, Any], problems: list[FieldProblem]) -> None:
    for field, minimum in MIN_LENGTH.items():
        if field not in values:
            continue
        value = values[field]
        if blank(value):
            problems.append(missing(field))
        elif (reason := vagueness(value, minimum)) is not None:
            problems.append(vague(field, reason, minimum=minimum))
    description = values.get("deliverable_description")
    deliverable_names = {fold(t.value) for t in DeliverableType} | {"san pham", "van ban", "tai lieu"}
    if not blank(description) and fold(description).rstrip(". ") in deliverable_names:
        problems.append(vague("deliverable_description", "only_a_type"))
    title, result = values.get("title"), values.get("expected_result")
    if not blank(title) and not blank(result) and fold(result).rstrip(". ") in fold(title):
        problems.append(vague("expected_result", "repeats_the_work"))


def check_agencies(session: Session, *, lead_agency_id: int | None, coordinating: list[int],
                   check_lead: bool, problems: list[FieldProblem]) -> None:
    if check_lead:
        lead = agency_service.get(session=session, agency_id=lead_agency_id) if lead_agency_id is not None else None
        if lead_agency_id is None:
            problems.append(missing("lead_agency_id"))
        elif lead is None or not lead.active:
            problems.append(FieldProblem.of("lead_agency_id", "no_active_agency"))
    if coordinating:
        found = agency_service.by_ids(session=session, agency_ids=set(coordinating))
        unknown = sorted(set(coordinating) - set(found))
        if unknown:
            problems.append(FieldProblem.of("coordinating_agency_ids", "unknown_agencies", ids=unknown))
        if lead_agency_id is not None and lead_agency_id in coordinating:
            problems.append(FieldProblem.of("coordinating_agency_ids", "lead_also_coordinates"))


def parse_deadline_field(field: str, wording: str | None, problems: list[FieldProblem], not_before: date,
                         too_early: tuple[str, dict], *, working_days_from: date | None, calendar) -> date | None:
    """The deadline a wording names, or None with the problem added: unreadable, not a real date, or before
    `not_before` (`too_early`: the refusal's key in messages.REFUSALS and its values)."""
    if blank(wording):
        problems.append(missing(field) if field in SEVEN_RO else FieldProblem.of(field, "required"))
        return None
    try:
        parsed = parse_deadline(wording, working_days_from=working_days_from, calendar=calendar)
    except DeadlineFormatError as exc:
        problems.append(FieldProblem(field, exc.message, exc.message_vi, type=exc.type))
        return None
    if parsed < not_before:
        key, values = too_early
        problems.append(FieldProblem.of(field, key, day=parsed, **values, type="deadline_past"))
        return None
    return parsed


def search_text(task, directive, lead) -> str:
    parts = [task.title, task.objective, task.clause_ref or "", directive.number, lead.name, lead.short_name,
             lead.code, task.deliverable_description, task.accountable_official]
    return fold(" ".join(parts))


def standing_task(wording: str | None, cadence: str | None, problems: list[FieldProblem]) -> tuple[bool, str | None]:
    """A standing task ("thường xuyên", "hằng quý", ...) has no deadline but a reporting cadence: the one given, the
    one its wording names, or quarterly."""
    standing, worded = standing_cadence(wording)
    if not standing:
        if cadence is not None:
            problems.append(FieldProblem.of("reporting_cadence", "cadence_without_standing"))
        return False, None
    return True, str(cadence or worded or "quarterly")


# Positions an accountable official holds, as written in directives (folded, longest first when matched).
POSITIONS = sorted((fold(p) for p in (
    "Bộ trưởng", "Thứ trưởng", "Chủ tịch", "Phó Chủ tịch", "Thống đốc", "Phó Thống đốc", "Tổng Thanh tra",
    "Phó Tổng Thanh tra", "Chủ nhiệm", "Phó Chủ nhiệm", "Tổng Giám đốc", "Phó Tổng Giám đốc", "Giám đốc",
    "Phó Giám đốc", "Tổng Kiểm toán", "Chánh án", "Viện trưởng", "Trưởng ban", "Phó Trưởng ban", "Tổ trưởng",
    "Chánh Văn phòng", "Tổng cục trưởng", "Cục trưởng", "Vụ trưởng", "Hiệu trưởng", "Bí thư", "Trưởng phòng",
    "Thủ trưởng", "Người đứng đầu", "Tổng Biên tập", "Chủ tịch Ủy ban nhân dân", "Chủ tịch UBND")),
    key=len, reverse=True)


def body_of(agency) -> str:
    """How an official's body is written after the position: "Bộ Tài chính", "Ủy ban nhân dân tỉnh Quảng Ninh"."""
    if agency.kind == "province":
        return "Ủy ban nhân dân " + agency.name[0].lower() + agency.name[1:]
    return agency.name


def accountable_official(value: str | None, lead, problems: list[FieldProblem]) -> str | None:
    """The accountable official names a position and a body ("Bộ trưởng Bộ Tài chính"). A position alone
    ("Bộ trưởng") is completed with the lead agency and kept so; a text without a position is vague."""
    if blank(value):
        return value
    value = " ".join(value.split())
    folded = fold(value)
    position = next((p for p in POSITIONS if folded.startswith(p)), None)
    if position is None:
        problems.append(vague("accountable_official", "no_position"))
        return value
    rest = folded[len(position):].strip(" ,-")
    if not rest and lead is not None:
        return f"{value} {body_of(lead)}"
    return value


def official_after_reassignment(official: str, former_lead_names: list[str], lead_name: str) -> str | None:
    """The accountable official reworded for the lead agency a task moved to by a merger ("Bộ trưởng Bộ Thông tin và
    Truyền thông" -> "Bộ trưởng Bộ Khoa học và Công nghệ"), or None when it names no former lead: a position at an
    agency that no longer leads the task is no longer who answers for it."""
    for former in sorted(former_lead_names, key=len, reverse=True):
        found = re.search(re.escape(former), official, flags=re.IGNORECASE)
        if found is not None:
            return official[:found.start()] + lead_name + official[found.end():]
    return None

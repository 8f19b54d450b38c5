"""What the pages' forms post, read into the values the services take: one reader per form, shared by every page
that shows that form (the seven-"rõ" task form is read the same way under a directive, on a task and in an import's
review)."""

from typing import Any

from app.errors import FieldProblem, InvalidInput
from app.reports import service as report_service
from app.types import id_from
from app.web.common import as_int, read_day

TASK_TEXT_FIELDS = ("title", "objective", "accountable_official", "deliverable_description", "expected_result",
                    "clause_ref")


def ids(form: dict, name: str) -> list[int]:
    """The ids ticked in a multiple choice (agencies, directives): anything else posted is ignored."""
    return [value for value in map(id_from, form["_lists"].get(name, [])) if value is not None]


SCOPE_FIELDS = ("directive_id", "meeting_date", "as_of")


def report_scope(params: dict[str, str], today) -> tuple[dict[str, str], dict[str, Any], dict[str, list[str]]]:
    """A report's scope as typed in a page's address (a directive, or a meeting day, as of a day): the values to
    show back as typed, the values read, and the problems by field. A date that is not one, or a day to come, is
    refused and shown, never quietly replaced by today."""
    typed = {name: params[name].strip() for name in SCOPE_FIELDS if params.get(name, "").strip()}
    problems: list[FieldProblem] = []
    days: dict[str, Any] = {}
    for name in ("meeting_date", "as_of"):
        try:
            days[name] = read_day(typed.get(name), name)
        except InvalidInput as error:
            problems += error.problems
    if days.get("as_of") is not None:
        try:
            report_service.report_day(as_of=days["as_of"], today=today)
        except InvalidInput as error:
            problems += error.problems
    directive_id = typed.get("directive_id")
    if directive_id is not None and as_int(directive_id) is None:
        problems.append(FieldProblem.of("directive_id", "no_directive", location="query"))
    read = {"directive_id": as_int(directive_id), "meeting_date": days.get("meeting_date"),
            "as_of": days.get("as_of") or today}
    return typed, read, by_field(problems)


def by_field(problems: list[FieldProblem]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in problems:
        found.setdefault(problem.field or "_form", []).append(problem.msg_vi)
    return found

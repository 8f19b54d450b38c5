"""The pages' form models (app/web/forms.py) read on their own, without a server: a form sent in the address refuses
at its field what it does not offer, and never quietly replaces it; a posted form refuses in the service's words."""

from datetime import date

import pytest
from pydantic import ValidationError

from app.access.principal import Principal, Role
from app.errors import InvalidInput
from app.tasks.status import TaskStatus
from app.tasks.timing import Timing
from app.web.common import problems_by_field
from app.web.forms import (
    AccountActiveForm,
    AccountForm,
    CalendarDayForm,
    ImportCommitForm,
    ImportDraftForm,
    ImportHeaderForm,
    OwnPasswordForm,
    ReportExportForm,
    ReportScopeForm,
    SubscriptionUpdateForm,
    TaskListQuery,
    TaskRemovalForm,
)

TODAY = date(2026, 3, 10)


def test_the_list_filters_refuse_each_value_at_its_field():
    query, typed, errors = TaskListQuery.read(
        {"status": "finished", "timing": "late-ish", "deadline_after": "20/03/2026", "deadline_before": "01/03/2026",
         "as_of": "11/03/2026", "meeting_date": "31/02/2026", "priority": "yes", "quiet_days": "a week",
         "awaiting": "me", "lead_agency_id": "x", "directive_id": "-1", "sort": "title"}, today=TODAY)
    assert set(errors) == {"status", "timing", "deadline_before", "as_of", "meeting_date", "priority", "quiet_days",
                           "awaiting", "lead_agency_id", "directive_id"}
    assert "sort" not in typed and typed["status"] == "finished"  # shown back as typed, never replaced
    assert query.status is None and query.past_day(TODAY) is None


def test_the_list_filters_read_into_the_service_filters():
    query, typed, errors = TaskListQuery.read(
        {"status": "new", "timing": "overdue", "priority": "0", "q": " kế hoạch\x00 ", "mine": "1", "quiet_days": "7",
         "as_of": "01/03/2026", "lead_agency_id": "5"}, today=TODAY)
    assert errors == {}
    filters = query.filters(Principal(token_id=None, agency_id=3, role=Role.agency, account_id=1))
    assert (filters.status, filters.timing, filters.priority, filters.q) == (TaskStatus.new, Timing.overdue, False,
                                                                            "kế hoạch")
    assert filters.lead_agency_id == 3 and filters.updated_before is not None  # "mine": the reader's agency
    assert query.past_day(TODAY) == date(2026, 3, 1)
    assert list(typed) == ["status", "timing", "priority", "q", "mine", "quiet_days", "as_of", "lead_agency_id"]


def test_a_report_scope_refuses_a_day_to_come_and_a_date_that_is_not_one():
    scope, typed, errors = ReportScopeForm.read({"as_of": "11/03/2026", "directive_id": "abc"}, today=TODAY)
    assert set(errors) == {"as_of", "directive_id"} and typed == {"directive_id": "abc", "as_of": "11/03/2026"}
    scope, _, errors = ReportScopeForm.read({"meeting_date": "02/03/2026", "lead_agency_id": "4"}, today=TODAY)
    assert errors == {} and (scope.meeting_date, scope.as_of, scope.lead_agency_id) == (date(2026, 3, 2), TODAY, 4)


def test_posted_forms_refuse_in_the_services_words():
    with pytest.raises(ValidationError) as removal:
        TaskRemovalForm.of({"reason": ""})
    assert problems_by_field(removal.value) == {"reason": ["bắt buộc nêu lý do"]}
    with pytest.raises(ValidationError) as day:
        CalendarDayForm.of({"day": "31/02/2026", "kind": "", "reason": ""})
    assert set(problems_by_field(day.value)) == {"day", "kind", "reason"}
    with pytest.raises(InvalidInput) as export:
        ReportExportForm.of({"issued_on": "01/03/2026", "number": "x" * 51}, as_of=TODAY, today=TODAY)
    assert {p.field for p in export.value.problems} == {"issued_on", "number"}


def test_posted_forms_read_what_was_typed():
    assert AccountForm.of({"username": "a", "role": "", "email": ""}).model_dump() == {
        "username": "a", "full_name": "", "agency_code": "", "role": "", "job_title": "", "email": None}
    assert AccountActiveForm.of({}, active=False).active is False
    assert OwnPasswordForm.of({"current_password": "x"}).new_password_again == ""
    update = SubscriptionUpdateForm.of({"url": "https://a.example/h", "_lists": {"lead_agency_ids": ["2", "x"]}})
    assert update.lead_agency_ids == [2] and update.active is False  # a box left unticked: switched off


def test_an_imports_review_reads_its_header_drafts_and_commit_as_the_api_does():
    with pytest.raises(ValidationError) as header:
        ImportHeaderForm.of({"h-issued_on": "31/02/2026", "h-number": "x" * 51})
    assert set(problems_by_field(header.value)) == {"issued_on", "number"}
    assert ImportHeaderForm.of({"h-issued_on": "05/03/2026"}).model_dump(exclude_unset=True, mode="json") == {
        "issued_on": "2026-03-05"}  # only what the page shows is changed
    form = {"d3-title": "Xây dựng Đề án", "d3-deadline": "", "d3-deliverable_type": "Đề án", "d3-lead_agency_id": "7",
            "d3-priority": "1", "d3-use_suggestion": "1", "_lists": {"d3-coordinating_agency_ids": ["2", "x", "4"]}}
    changes = ImportDraftForm.of_draft(form, 3, "Bộ trưởng Bộ Tài chính")
    assert changes["title"] == "Xây dựng Đề án" and changes["deadline"] is None  # emptied: cleared, not kept
    assert (changes["lead_agency_id"], changes["coordinating_agency_ids"], changes["priority"]) == (7, [2, 4], True)
    assert changes["accountable_official"] == "Bộ trưởng Bộ Tài chính" and "skip" not in changes
    with pytest.raises(ValidationError) as draft:
        ImportDraftForm.of_draft({"d1-title": "x" * 1001, "d1-deliverable_type": "Thư", "_lists": {}}, 1, None)
    assert set(problems_by_field(draft.value)) == {"title", "deliverable_type"}
    assert ImportCommitForm.of({"confirm_unread": "1"}).confirm_unread is True
    assert ImportCommitForm.of({}).confirm_unread is False

"""Alert windows of one day (pure: a calendar with no days off but weekends)."""

from datetime import date, timedelta

from app.alerts.service import Policy, windows
from app.calendar.service import WorkCalendar
from app.webhooks.models import EventType

ALL = frozenset({EventType.task_due_soon, EventType.task_due_today, EventType.task_overdue, EventType.task_escalated})


def test_windows_of_a_wednesday():
    today = date(2025, 6, 18)  # a Wednesday, no holiday near it
    found = {(w.event_type, w.label): (w.lo, w.hi) for w in windows(
        policy=Policy((1, 3, 7), 3, 7), wanted=ALL, today=today, calendar=WorkCalendar({}))}
    # A deadline on Saturday 21 or Sunday 22 ends on Monday 23, five days away: in the 4-7 days window, not 2-3.
    assert found[(EventType.task_due_soon, "7")] == (date(2025, 6, 21), date(2025, 6, 25))
    assert found[(EventType.task_due_soon, "3")] == (date(2025, 6, 20), date(2025, 6, 20))
    assert found[(EventType.task_due_soon, "1")] == (date(2025, 6, 19), date(2025, 6, 19))
    assert found[(EventType.task_due_today, "")] == (today, today)
    assert found[(EventType.task_overdue, "")][1] == today - timedelta(days=1)
    assert found[(EventType.task_escalated, "")][1] == today - timedelta(days=7)


def test_on_a_monday_the_weekend_deadlines_are_due_today():
    monday = date(2025, 6, 23)
    found = {w.event_type: (w.lo, w.hi) for w in windows(policy=Policy((7, 3, 1), 3, 7), wanted=ALL, today=monday,
                                                          calendar=WorkCalendar({}))}
    assert found[EventType.task_due_today] == (date(2025, 6, 21), monday)
    assert found[EventType.task_overdue][1] == date(2025, 6, 20)


def test_a_standing_task_is_chased_for_its_periodic_report():
    from app.alerts.texts import alert_text

    data = {"title": "Cập nhật dữ liệu dân cư", "lead_agency": {"name": "Bộ Công an"}, "deadline_on": "2026-03-31",
            "effective_deadline_on": "2026-03-31", "reporting_cadence": "quarterly",
            "accountable_official": "Bộ trưởng Bộ Công an"}
    assert alert_text(EventType.task_overdue, data, 12) == (
        "Nhiệm vụ thường xuyên 'Cập nhật dữ liệu dân cư' của Bộ Công an chậm báo cáo định kỳ 12 ngày (kỳ báo cáo "
        "31/3/2026).")
    assert "còn 3 ngày đến kỳ báo cáo định kỳ" in alert_text(EventType.task_due_soon, data, 3)
    data["reporting_cadence"] = None
    assert "đã quá hạn 12 ngày" in alert_text(EventType.task_overdue, data, 12)

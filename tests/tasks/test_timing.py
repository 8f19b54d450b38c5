"""The one timing rule: its Python form at the boundaries, and its SQL form against the Python one on both databases
for random deadlines, completions, extensions and days (hypothesis)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Date, String, select
from sqlalchemy import literal as sql_literal
from sqlmodel import Session

from app.access.principal import OPERATOR, Principal, Role
from app.agencies import service as agency_service
from app.calendar import service as calendar_service
from app.calendar.models import EffectiveDay
from app.db import make_engine
from app.directives import service as directive_service
from app.directives.schemas import DirectiveCreate
from app.reports import service as report_service
from app.tasks import service as task_service
from app.tasks import timing, workflow
from app.tasks.schemas import Evidence, ExtensionDecision, ExtensionRequestCreate, ProgressReport, TaskCreate
from app.tasks.status import TaskStatus
from app.tasks.timing import Timing, classify
from tests.dates import next_on, today

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
D = date(2026, 3, 10)


@pytest.mark.parametrize(("status", "completed_on", "today", "soon", "expected"), [
    ("new", None, D, 7, (Timing.due_soon, 0)),  # due today: not yet overdue (a deadline ends at 24:00)
    ("new", None, D + timedelta(days=1), 7, (Timing.overdue, 1)),
    ("in_progress", None, D - timedelta(days=7), 7, (Timing.due_soon, 0)),
    ("in_progress", None, D - timedelta(days=8), 7, (Timing.in_time, 0)),
    ("reported_done", None, D + timedelta(days=120), 7, (Timing.overdue, 120)),  # not done until accepted
    ("completed", D, D + timedelta(days=30), 7, (Timing.completed_on_time, 0)),
    ("completed", D + timedelta(days=4), D + timedelta(days=30), 7, (Timing.completed_late, 4)),
    ("withdrawn", None, D + timedelta(days=30), 7, (Timing.withdrawn, 0)),
])
def test_classify_at_the_boundaries(status, completed_on, today, soon, expected):
    assert classify(status=status, deadline_on=D, completed_on=completed_on, today=today,
                    due_soon_days=soon) == expected


# From the next 20/12 to 20/5: around Tết and the 30/4 - 1/5 holidays, so that deadlines on days off are common.
_DAYS_FROM = next_on(12, 20)
days = st.dates(min_value=_DAYS_FROM, max_value=date(_DAYS_FROM.year + 1, 5, 20))
# The journal property test's directive is issued today; its tasks are created in the two months after.
ISSUED = today()


@pytest.fixture(scope="module")
def engine(migrated):
    engine = make_engine(migrated.settings().sqlalchemy_url)
    yield engine
    engine.dispose()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=st.sampled_from(list(TaskStatus)), deadline_on=days, completion_shift=st.integers(-40, 40),
       today=days, due_soon_days=st.integers(0, 14), cadence=st.sampled_from([None, None, "quarterly", "monthly"]))
def test_sql_timing_equals_python(engine, status, deadline_on, completion_shift, today, due_soon_days, cadence):
    completed_on = deadline_on + timedelta(days=completion_shift) if status == TaskStatus.completed else None
    with Session(engine) as session:
        calendar = calendar_service.get_calendar(session=session, fresh=True)
        effective = calendar.effective(deadline_on)
        expected, days_overdue = classify(status=status, deadline_on=effective, completed_on=completed_on, today=today,
                                          due_soon_days=due_soon_days, standing=cadence is not None)
        day = select(EffectiveDay).where(EffectiveDay.day == deadline_on).subquery()
        judged = timing.sql_timing(
            status=sql_literal(status.value), deadline_on=sql_literal(deadline_on, Date),
            completed_on=sql_literal(completed_on, Date), effective_on=day.c.effective_on,
            cadence=sql_literal(cadence, String),
            bounds=timing.bounds(calendar=calendar, today=today, due_soon_days=due_soon_days))
        late = timing.sql_days_overdue_if_open(effective_number=day.c.effective_number, today=today)
        sql_timing, sql_late = session.execute(select(judged, late).select_from(day)).one()
    assert sql_timing == expected.value
    if expected in (Timing.overdue, Timing.standing_late):
        assert sql_late == days_overdue


def _local(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=HCM)


@pytest.fixture(scope="module")
def journal_world(engine, migrated):
    """A directive of its own for the journal property test, and who acts."""
    with Session(engine) as session:
        directive = directive_service.create(session=session, principal=OPERATOR, now=_local(ISSUED),
                                             directive_in=DirectiveCreate(
                                                 number=f"{migrated.backend}-timing/TB-VPCP",
                                                 title="Thông báo kết luận kiểm thử quy tắc thời hạn",
                                                 issued_on=ISSUED,
                                                 meeting_name="Phiên họp kiểm thử",
                                                 meeting_date=ISSUED - timedelta(days=1),
                                                 issuer="Văn phòng Chính phủ"))
        agencies = {a.code: a.id for a in agency_service.list_agencies(session=session)}
        session.commit()
        return {"directive_id": directive.id, "lead": agencies["000.00.00.G12"],
                "secretariat": Principal(None, agencies["000.00.00.K01"], Role.secretariat),
                "agency": Principal(None, agencies["000.00.00.G12"], Role.agency)}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(created=st.dates(min_value=ISSUED + timedelta(days=1), max_value=ISSUED + timedelta(days=61)),
       lead_days=st.integers(0, 60), extension_days=st.one_of(st.none(), st.integers(1, 60)),
       completion=st.one_of(st.none(), st.tuples(st.integers(1, 120), st.booleans())),
       as_of_days=st.integers(0, 200))
def test_the_grid_from_the_journal_equals_python(engine, journal_world, created, lead_days, extension_days,
                                                  completion, as_of_days):
    """A task walked through a random history (an extension, a completion reported and maybe accepted); the grid
    for a random day, read from the journal in SQL, judges it as Python does on the state of that day."""
    w = journal_world
    deadline = created + timedelta(days=lead_days)
    states = [(created, TaskStatus.new, deadline, None)]  # (from day, status, deadline in force, completed on)
    with Session(engine) as session:
        task = task_service.create_task(session=session, principal=w["secretariat"], now=_local(created, 9),
                                        task_in=TaskCreate(
            directive_id=w["directive_id"], title="Xây dựng cơ sở dữ liệu kiểm thử quy tắc thời hạn",
            objective="Kiểm chứng quy tắc thời hạn trên cả hai cơ sở dữ liệu", lead_agency_id=w["lead"],
            accountable_official="Bộ trưởng Bộ Tài chính", deadline=deadline.isoformat(),
            deliverable_type="Hệ thống/Nền tảng", deliverable_description="Cơ sở dữ liệu kiểm thử được vận hành",
            expected_result="Kết quả của SQL và Python trùng khớp"))
        day = created
        if extension_days is not None:
            day = min(deadline, created + timedelta(days=1))
            new_deadline = deadline + timedelta(days=extension_days)
            request = workflow.request_extension(session=session, task_id=task.id, principal=w["agency"],
                                                 now=_local(day, 9), request_in=ExtensionRequestCreate(
                                                     requested_deadline=new_deadline.isoformat(),
                                                     reason="Cần thêm thời gian"))
            workflow.decide_extension(session=session, request_id=request.id, principal=w["secretariat"],
                                      now=_local(day, 11), decision=ExtensionDecision(decision="approved"))
            deadline = new_deadline
            states.append((day, TaskStatus.new, deadline, None))
        if completion is not None:
            after, accepted = completion
            reported = day + timedelta(days=after)
            workflow.report_progress(session=session, task_id=task.id, principal=w["agency"],
                                     now=_local(reported, 14), report=ProgressReport(
                                         status="reported_done", progress_percent=100, note="Đã hoàn thành",
                                         evidence=Evidence(document_number="1/BC", document_date=reported)))
            states.append((reported, TaskStatus.reported_done, deadline, reported))
            if accepted:
                workflow.review_completion(session=session, task_id=task.id, accept=True, note=None,
                                           principal=w["secretariat"], now=_local(reported, 16))
                states.append((reported, TaskStatus.completed, deadline, reported))
        session.flush()
        as_of = created + timedelta(days=as_of_days)
        grid = report_service.grid_by_agency(session=session, as_of=as_of,
                                             scope=report_service.Scope(lead_agency_id=w["lead"],
                                                                        directive_ids=(w["directive_id"],)))
        calendar = calendar_service.get_calendar(session=session)
        session.rollback()  # each example leaves nothing behind
    state = [s for s in states if s[0] <= as_of][-1]
    _, status, deadline_then, completed_on = state
    judged, days_late = classify(status=status, deadline_on=calendar.effective(deadline_then),
                                 completed_on=completed_on, today=as_of, due_soon_days=0)
    counts = grid.get(w["lead"])
    assert counts is not None and counts.total == 1
    assert (counts.on_time, counts.late, counts.in_time, counts.overdue) == (
        judged == Timing.completed_on_time, judged == Timing.completed_late,
        judged in (Timing.in_time, Timing.due_soon), judged == Timing.overdue)
    assert counts.overdue_days == (days_late if judged == Timing.overdue else 0)

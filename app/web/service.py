"""What the pages show, assembled from the domains' services (the same the API calls): no rule lives here."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, NamedTuple
from urllib.parse import urlencode

from sqlalchemy import select
from sqlmodel import Session

from app import clock, messages
from app.access import policy
from app.access.policy import Action
from app.access.principal import Principal
from app.agencies import service as agency_service
from app.cache import TtlCache
from app.calendar import service as calendar_service
from app.clock import utcnow
from app.config import get_settings
from app.directives import service as directive_service
from app.indicators import judgement
from app.indicators import service as indicator_service
from app.reports import service as report_service
from app.tasks import listing, presenter, queues
from app.tasks.models import ExtensionStatus, Task
from app.tasks.timing import Timing, TimingGroup
from app.web import charts

PAGE_SIZE = 50
STALE_DAYS = 30  # an agency's open task with no report for this long is listed on its dashboard


def today() -> date:
    return clock.today()


def tasks(session: Session, filters: listing.TaskFilters, *, limit: int = PAGE_SIZE,
          cursor: str | None = None) -> dict[str, Any]:
    rows, next_cursor, total = listing.list_tasks(session=session, filters=filters, limit=limit, cursor=cursor)
    return {"items": presenter.present(session=session, tasks=rows, today=today()), "next_cursor": next_cursor,
            "total": total}


@dataclass
class Dashboard:
    role: str
    grid: dict | None = None
    queues: dict[str, int] = field(default_factory=dict)
    sections: list[tuple[str, str, dict]] = field(default_factory=list)  # (title, link to the full list, tasks)
    requests: list[dict] = field(default_factory=list)
    directives: list = field(default_factory=list)


def dashboard(session: Session, principal: Principal, *, directive_id: int | None, meeting_date: date | None,
              as_of: date | None, figures: bool = True) -> Dashboard:
    """`figures` False: the scope asked for is wrong, so no grid is shown rather than another scope's."""
    if not policy.answers_only_for_its_own_tasks(principal):
        board = Dashboard(role="overview", directives=directive_choices(session))
        if figures:
            scope = report_service.resolve_scope(session=session, principal=principal, directive_id=directive_id,
                                                 meeting_date=meeting_date, action=Action.read_reports)
            board.grid = report_service.grid_of(session=session, scope=scope, as_of=as_of or today())
        if policy.allows(principal, Action.review_completion):
            board.queues = {
                "acceptance": tasks(session, listing.TaskFilters(awaiting="acceptance"), limit=1)["total"],
                "decision": tasks(session, listing.TaskFilters(awaiting="decision"), limit=1)["total"],
                "explanation": tasks(session, listing.TaskFilters(awaiting="explanation"), limit=1)["total"],
            }
        # Today's tasks to chase, in the scope asked for (a directive, a meeting day).
        in_scope = {"directive_id": directive_id, "meeting_date": meeting_date} if figures else {}
        query = urlencode({k: v for k, v in in_scope.items() if v is not None})
        query = f"&{query}" if query else ""
        board.sections = [
            ("Nhiệm vụ quá hạn lâu nhất (hôm nay)", f"/tasks?timing=overdue{query}",
             tasks(session, listing.TaskFilters(timing=Timing.overdue, **in_scope), limit=10)),
            (f"Nhiệm vụ đến hạn trong {get_settings().due_soon_days} ngày tới", f"/tasks?timing=due_soon{query}",
             tasks(session, listing.TaskFilters(timing=Timing.due_soon, **in_scope), limit=10)),
        ]
        return board
    own = principal.agency_id
    board = Dashboard(role="agency")
    stale_since = utcnow() - timedelta(days=STALE_DAYS)
    board.sections = [
        ("Nhiệm vụ quá hạn", f"/tasks?lead_agency_id={own}&timing=overdue",
         tasks(session, listing.TaskFilters(lead_agency_id=own, timing=Timing.overdue), limit=20)),
        ("Nhiệm vụ sắp đến hạn", f"/tasks?lead_agency_id={own}&timing=due_soon",
         tasks(session, listing.TaskFilters(lead_agency_id=own, timing=Timing.due_soon), limit=20)),
        (f"Chưa báo cáo trong {STALE_DAYS} ngày", f"/tasks?lead_agency_id={own}&quiet_days={STALE_DAYS}",
         tasks(session, listing.TaskFilters(lead_agency_id=own, updated_before=stale_since), limit=20)),
        ("Chậm báo cáo định kỳ (nhiệm vụ thường xuyên)", f"/tasks?lead_agency_id={own}&timing=standing_late",
         tasks(session, listing.TaskFilters(lead_agency_id=own, timing=Timing.standing_late), limit=20)),
        ("Nhiệm vụ khác đang thực hiện, còn trong hạn", f"/tasks?lead_agency_id={own}&timing=in_time",
         tasks(session, listing.TaskFilters(lead_agency_id=own, timing=Timing.in_time), limit=20)),
        ("Nhiệm vụ thường xuyên", f"/tasks?lead_agency_id={own}&timing=standing",
         tasks(session, listing.TaskFilters(lead_agency_id=own, timing=Timing.standing), limit=20)),
    ]
    # The explanations the secretariat asked of it and it has not given yet, first, when there are any.
    asked = tasks(session, listing.TaskFilters(lead_agency_id=own, awaiting="explanation"), limit=20)
    if asked["total"]:
        board.sections.insert(0, ("Yêu cầu giải trình chờ trả lời",
                                  f"/tasks?lead_agency_id={own}&awaiting=explanation", asked))
    board.requests = queues.list_requests(session=session, status=ExtensionStatus.pending, lead_agency_id=own,
                                          directive_id=None, limit=50, cursor=None)[0]
    return board


# The choices of the forms' lists, per process for a few seconds: every page with a form shows them.
CHOICES_SECONDS = 10.0
_choices: TtlCache[str, list] = TtlCache(CHOICES_SECONDS)


def _cached(key: str, load):
    found = _choices.get(key)
    return found if found is not None else _choices.put(key, load())


class AgencyChoice(NamedTuple):
    """An agency in a form's list. Tuples: a template reads their fields at once, where a dict's cost a failed
    attribute lookup each (the task list's filter shows a hundred of them)."""

    id: int
    code: str
    name: str
    value: str  # the id as the form sends it back


def agency_choices(session: Session, *, active_only: bool = True) -> list[AgencyChoice]:
    return _cached(f"agencies:{active_only}", lambda: [
        AgencyChoice(a.id, a.code, a.name, str(a.id))
        for a in sorted(agency_service.list_agencies(session=session, active_only=active_only),
                        key=lambda a: a.name)])


def directive_choices(session: Session) -> list:
    return _cached("directives", lambda: directive_service.list_directives(session=session))


def forget_choices() -> None:
    _choices.forget()


# ---------------------------------------------------------------- indicators ("chỉ tiêu")


@dataclass
class IndicatorView:
    """An indicator as the pages show it: its state as of a day, with its figures already in words."""

    state: indicator_service.State
    status: str  # the status's value ("none" without a target): the colour's class
    status_text: str
    target_text: str
    latest_text: str
    agency_name: str
    chart: Any  # Markup: the measurements against the path to the target; None where the page draws none
    baseline_text: str = ""


def status_key(state: indicator_service.State) -> str:
    return state.status.value if state.status else "none"


def value_text(indicator, value: float, numerator=None, denominator=None) -> str:
    return messages.indicator_value_vi(indicator.kind, value, indicator.unit, numerator, denominator)


def measurement_text(indicator, m) -> str:
    return value_text(indicator, m.value, m.numerator, m.denominator)


def target_text(indicator, target) -> str:
    return " ".join(messages.indicator_target_vi(indicator.kind, indicator.comparator,
                                                 target.value if target else None, indicator.unit,
                                                 target.period if target else None))


def _chart(state: indicator_service.State, *, small: bool) -> Any:
    """Reads the indicator's whole history (State.measurements): drawn only where a page shows it."""
    indicator, target = state.indicator, state.target
    in_force = [(judgement.parse_period(m.period).end, m) for m in state.values_in_force()]
    if target is not None:
        period = judgement.parse_period(target.period)
        path = (charts.Point(target.baseline_on, target.baseline_value,
                             f"mốc {value_text(indicator, target.baseline_value)} ngày "
                             f"{messages.vn_date(target.baseline_on)}"),
                charts.Point(period.end, target.value,
                             f"chỉ tiêu {value_text(indicator, target.value)} ngày {messages.vn_date(period.end)}"))
        # The values from the baseline on (the path's span), and the latest before it for where the line starts.
        before = [v for v in in_force if v[0] < target.baseline_on]
        shown = before[-1:] + [v for v in in_force if v[0] >= target.baseline_on]
    else:
        path, shown = None, in_force[-12:]
    points = [charts.Point(end, m.value, f"{messages.indicator_period_vi(m.period)}: {measurement_text(indicator, m)}")
              for end, m in shown]
    title = f"{indicator.code}: giá trị đạt được so với đường tiến độ đến chỉ tiêu"
    return charts.indicator_path(points, path, title, small=small)


def agency_names(session: Session) -> dict[int, str]:
    return {a.id: a.name for a in agency_choices(session, active_only=False)}


def indicator_view(state: indicator_service.State, names: dict[int, str], *,
                   chart: str | None = "small") -> IndicatorView:
    """`names`: the agencies' (agency_names, read once per page); `chart`: "small", "large", or None for none."""
    indicator, latest, target = state.indicator, state.latest, state.target
    latest_text = " ".join(messages.indicator_latest_vi(
        indicator.kind, latest.value if latest else None, indicator.unit, latest.numerator if latest else None,
        latest.denominator if latest else None, latest.period if latest else None, latest.official if latest else None))
    baseline = "" if target is None else (
        f"{value_text(indicator, target.baseline_value)} ngày {messages.vn_date(target.baseline_on)}")
    return IndicatorView(state, status_key(state), messages.indicator_status_vi(state.status),
                         target_text(indicator, target), latest_text, names.get(indicator.reporting_agency_id, ""),
                         None if chart is None else _chart(state, small=chart == "small"), baseline)


def indicator_board(session: Session, principal: Principal, *, as_of: date, group: str | None,
                    statuses: frozenset[str] | None, agency_id: int | None) -> list[tuple[str, list[IndicatorView]]]:
    """The board: the indicators by group, each with its status as of `as_of` (one of `statuses`, when given)."""
    names = agency_names(session)
    groups: dict[str, list[IndicatorView]] = {}
    for state in indicator_service.list_states(session=session, principal=principal, as_of=as_of, group=group,
                                               agency_id=agency_id):
        if statuses is None or status_key(state) in statuses:
            group = state.indicator.group_name or "Chưa phân nhóm"
            groups.setdefault(group, []).append(indicator_view(state, names))
    return list(groups.items())


def indicator_groups(session: Session) -> list[str]:
    return _cached("indicator-groups", lambda: indicator_service.group_names(session=session))


def status_counts(states: list[indicator_service.State]) -> dict[str, int]:
    """How many indicators per status (status_key)."""
    counts: dict[str, int] = {}
    for state in states:
        counts[status_key(state)] = counts.get(status_key(state), 0) + 1
    return counts


def tasks_by_ids(session: Session, task_ids: list[int]) -> list[dict]:
    rows = session.scalars(select(Task).where(Task.id.in_(task_ids)).order_by(Task.id)).all() if task_ids else []
    return presenter.present(session=session, tasks=rows, today=today())


def indicators_of_task(session: Session, principal: Principal, task_id: int) -> list[IndicatorView]:
    """The indicators a task serves, as of today (its page shows them, without charts)."""
    names = agency_names(session)
    return [indicator_view(state, names, chart=None) for state in indicator_service.serving_task(
        session=session, principal=principal, task_id=task_id, as_of=today())]


# ---------------------------------------------------------------- the leader's brief (a phone first)

BRIEF_CARDS = 5  # agencies most behind, longest overdue tasks, indicators off track: a thumb's scroll each
TREND_MONTHS = 6


@dataclass
class Brief:
    as_of: date
    grid: dict
    grid_chart: Any
    rate_chart: Any
    trend: list[tuple[str, int]]
    trend_chart: Any
    behind: list  # (agency, counts) with overdue tasks, most overdue first
    overdue_tasks: dict
    indicators: list[IndicatorView]  # off track, at risk, missed, no data: what needs a word at the meeting
    indicator_counts: dict[str, int]


_NEEDS_A_WORD = ("off_track", "missed", "at_risk", "no_data")


def _month_ends(today_: date, months: int) -> list[date]:
    """The last day of each of the `months` months before this one, and today (oldest first)."""
    ends, first = [], today_.replace(day=1)
    for _ in range(months - 1):
        first_before = (first - timedelta(days=1)).replace(day=1)
        ends.append(first - timedelta(days=1))
        first = first_before
    return [*reversed(ends), today_]


def brief(session: Session, principal: Principal, *, as_of: date) -> Brief:
    """What a leader reads first: the headline (done, overdue, indicators needing a word), the agencies most behind,
    the tasks overdue longest, the indicators off track, the overdue count at each month's end."""
    scope = report_service.resolve_scope(session=session, principal=principal, action=Action.read_reports)
    grid = report_service.grid_of(session=session, scope=scope, as_of=as_of)
    overall = grid["overall"]
    grid_chart = charts.stacked_bar([
        charts.Part("Hoàn thành đúng hạn", overall.on_time, "on_time"),
        charts.Part("Hoàn thành quá hạn", overall.late, "late"),
        charts.Part("Chưa hoàn thành, trong hạn", overall.in_time, "in_time"),
        charts.Part("Chưa hoàn thành, quá hạn", overall.overdue, "overdue")],
        f"Tình hình thực hiện {messages.vn_number(overall.total)} nhiệm vụ đến hết ngày {messages.vn_date(as_of)}")
    rates = [(agency["name"], c.completed / c.total if c.total else 0.0,
              f"hoàn thành {messages.vn_number(c.completed)}/{messages.vn_number(c.total)} nhiệm vụ "
              f"({messages.vn_decimal(100 * c.completed / c.total if c.total else 0, 1)}%)")
             for agency, c in sorted(grid["agencies"], key=lambda item: (
                 item[1].completed / item[1].total if item[1].total else 0, item[0]["name"]))[:10]]
    rate_chart = charts.bars(rates, "Tỷ lệ hoàn thành của 10 cơ quan chủ trì thấp nhất")
    trend = [(f"{d.month}/{d.year}" if d != as_of else "Nay",
              report_service.grid_of(session=session, scope=scope, as_of=d)["overall"].overdue)
             for d in _month_ends(as_of, TREND_MONTHS)]
    trend_chart = charts.columns(trend, "Số nhiệm vụ quá hạn vào cuối mỗi tháng", "nhiệm vụ")
    states = indicator_service.list_states(session=session, principal=principal, as_of=as_of)
    needing = sorted((s for s in states if status_key(s) in _NEEDS_A_WORD),
                     key=lambda s: (_NEEDS_A_WORD.index(status_key(s)), s.indicator.code))[:BRIEF_CARDS]
    names = agency_names(session)
    behind = [(a, c) for a, c in grid["agencies"] if c.overdue][:BRIEF_CARDS]
    return Brief(as_of, grid, grid_chart, rate_chart, trend, trend_chart, behind,
                 tasks(session, listing.TaskFilters(timing=Timing.overdue), limit=BRIEF_CARDS),
                 [indicator_view(s, names, chart=None) for s in needing], status_counts(states))


# ---------------------------------------------------------------- the calendar of deadlines (a month)

MONTH_TASKS = 2000  # more in one month than a calendar can show: the page says so and links to the list


@dataclass
class DeadlineDay:
    day: date
    working: bool
    due: list[dict] = field(default_factory=list)  # tasks with a deadline that day, not yet completed
    reports: list[dict] = field(default_factory=list)  # standing tasks whose periodic report falls due that day


def deadline_month(session: Session, first: date) -> tuple[list[DeadlineDay], bool]:
    """Every day of the month of `first` with the tasks due and not completed, and the standing tasks' periodic
    reports due, that day (by the deadline as stored, the same the task list's deadline filter reads, and by the task
    list's own timing groups), and whether the month held more than it shows."""
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    calendar = calendar_service.get_calendar(session=session)
    days = {first + timedelta(days=n): DeadlineDay(first + timedelta(days=n),
                                                   calendar.is_working_day(first + timedelta(days=n)))
            for n in range((last - first).days + 1)}
    more = False
    for group, slot_of in ((TimingGroup.not_completed, "due"), (TimingGroup.any_standing, "reports")):
        filters = listing.TaskFilters(timing=group, deadline_after=first, deadline_before=last)
        rows, _, total = listing.list_tasks(session=session, limit=MONTH_TASKS, cursor=None, filters=filters)
        more = more or total > len(rows)
        for task in presenter.present(session=session, tasks=rows, today=today()):
            getattr(days[task["deadline_on"]], slot_of).append(task)
    return list(days.values()), more

"""Indicators: defining them and their targets (the secretariat), recording values (the agency that reports one),
and reading them with their status as of a day, judged by app/indicators/judgement.py from the history alone."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import Integer, and_, any_, bindparam, delete, or_, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app import clock
from app.access import policy
from app.access.policy import Action
from app.access.principal import Principal
from app.agencies import service as agency_service
from app.config import get_settings
from app.directives import service as directive_service
from app.errors import FieldProblem, InvalidInput, not_found
from app.indicators import judgement
from app.indicators.judgement import Frequency, Kind, Status
from app.indicators.models import Indicator, IndicatorMeasurement, IndicatorTarget, IndicatorTask
from app.indicators.schemas import IndicatorCreate, MeasurementCreate, TargetCreate
from app.tasks.models import Task
from app.tasks.timing import end_of_day_utc

FREQUENCY_WORDS = {Frequency.monthly: ("monthly", "hằng tháng", "2025-07"),
                   Frequency.quarterly: ("quarterly", "hằng quý", "2025-Q3"),
                   Frequency.half_yearly: ("half-yearly", "6 tháng một lần", "2025-H1"),
                   Frequency.yearly: ("yearly", "hằng năm", "2025")}


# ---------------------------------------------------------------- defining


def create(*, session: Session, indicator_in: IndicatorCreate, principal: Principal,
           now: datetime | None = None) -> Indicator:
    policy.require(principal, Action.define_indicator)
    now = now or clock.utcnow()
    problems: list[FieldProblem] = []
    if session.scalar(select(Indicator.id).where(Indicator.code == indicator_in.code)) is not None:
        problems.append(FieldProblem.of("code", "indicator_code_taken", code=indicator_in.code))
    agency_ids = {indicator_in.reporting_agency_id, *indicator_in.contributing_agency_ids}
    known = agency_service.by_ids(session=session, agency_ids=agency_ids)
    if indicator_in.reporting_agency_id not in known:
        problems.append(FieldProblem.of("reporting_agency_id", "no_agency"))
    if unknown := sorted(set(indicator_in.contributing_agency_ids) - set(known)):
        problems.append(FieldProblem.of("contributing_agency_ids", "unknown_agencies", ids=unknown))
    if indicator_in.source_directive_id is not None and directive_service.get(
            session=session, directive_id=indicator_in.source_directive_id) is None:
        problems.append(FieldProblem.of("source_directive_id", "no_directive"))
    task_ids = sorted(set(indicator_in.task_ids))
    problems += _unknown_tasks(session, task_ids)
    if problems:
        raise InvalidInput(problems)
    indicator = Indicator.model_validate(indicator_in.model_dump(exclude={"task_ids"}), update={
        "contributing_agency_ids": sorted(set(indicator_in.contributing_agency_ids)), "created_at": now,
        "created_by_agency_id": principal.agency_id})
    try:
        with session.begin_nested():
            session.add(indicator)
            session.flush()
    except IntegrityError as exc:  # the same code made at the same moment
        raise InvalidInput([FieldProblem.of("code", "indicator_code_taken", code=indicator_in.code)]) from exc
    session.add_all([IndicatorTask(indicator_id=indicator.id, task_id=task_id) for task_id in task_ids])
    return indicator


def _unknown_tasks(session: Session, task_ids: list[int]) -> list[FieldProblem]:
    found = set(session.scalars(select(Task.id).where(Task.id.in_(task_ids)))) if task_ids else set()
    unknown = [t for t in task_ids if t not in found]
    return [FieldProblem.of("task_ids", "unknown_tasks", ids=unknown)] if unknown else []


def get_or_404(*, session: Session, indicator_id: int) -> Indicator:
    indicator = session.get(Indicator, indicator_id)
    if indicator is None:
        raise not_found("indicator")
    return indicator


def set_target(*, session: Session, indicator_id: int, target_in: TargetCreate, principal: Principal,
               now: datetime | None = None) -> IndicatorTarget:
    """A target for a period; one already set for that period is replaced (and kept, with when it was replaced)."""
    policy.require(principal, Action.define_indicator)
    now = now or clock.utcnow()
    indicator = get_or_404(session=session, indicator_id=indicator_id)
    period = judgement.parse_period(target_in.period)
    if target_in.baseline_on > period.end:
        raise InvalidInput([FieldProblem.of("baseline_on", "baseline_after_period", last=period.end)])
    problems = _value_problems(indicator.kind, target_in.value, "value")
    if problems:
        raise InvalidInput(problems)
    session.execute(update(IndicatorTarget).where(
        IndicatorTarget.indicator_id == indicator.id, IndicatorTarget.period == period.text,
        IndicatorTarget.replaced_at.is_(None)).values(replaced_at=now))
    target = IndicatorTarget(indicator_id=indicator.id, period=period.text, value=target_in.value,
                             baseline_value=target_in.baseline_value, baseline_on=target_in.baseline_on,
                             note=target_in.note, set_at=now, set_by_agency_id=principal.agency_id,
                             set_by_account_id=principal.account_id)
    session.add(target)
    session.flush()
    return target


def link_tasks(*, session: Session, indicator_id: int, task_ids: list[int], principal: Principal) -> None:
    """The tasks that serve the indicator, as given (replacing the list)."""
    policy.require(principal, Action.define_indicator)
    get_or_404(session=session, indicator_id=indicator_id)
    wanted = sorted(set(task_ids))
    if problems := _unknown_tasks(session, wanted):
        raise InvalidInput(problems)
    session.execute(delete(IndicatorTask).where(IndicatorTask.indicator_id == indicator_id))
    session.add_all([IndicatorTask(indicator_id=indicator_id, task_id=task_id) for task_id in wanted])


# ---------------------------------------------------------------- recording


def _value_problems(kind: Kind, value: float | None, field: str) -> list[FieldProblem]:
    if value is None:
        return [FieldProblem.of(field, "value_needed")]
    if kind == Kind.yes_no and value not in (0, 1):
        return [FieldProblem.of(field, "yes_no_value")]
    if kind == Kind.percentage and not 0 <= value <= 100:
        return [FieldProblem.of(field, "percentage_range")]
    return []


def _reading_of(kind: Kind, value: float | None, numerator: float | None,
                denominator: float | None) -> tuple[float | None, list[FieldProblem]]:
    """The value a measurement records (a ratio's in percent, from its parts) and what is wrong with what was given
    for an indicator of `kind`."""
    if kind == Kind.ratio:
        if numerator is None or denominator is None:
            return None, [FieldProblem.of("denominator" if numerator is not None else "numerator",
                                          "ratio_needs_parts")]
        return round(numerator / denominator * 100, 6), []
    if (numerator, denominator) != (None, None):
        return None, [FieldProblem.of("numerator" if numerator is not None else "denominator", "ratio_parts_only")]
    return value, _value_problems(kind, value, "value")


def value_problems(*, session: Session, indicator_id: int, value: float | None, numerator: float | None,
                   denominator: float | None) -> list[FieldProblem]:
    """What is wrong with a value given for the indicator, alone: a page's form, refused for another field, names
    these too, so one refusal says everything to mend."""
    return _reading_of(Kind(get_or_404(session=session, indicator_id=indicator_id).kind), value, numerator,
                       denominator)[1]


def record_measurement(*, session: Session, indicator_id: int, measurement_in: MeasurementCreate,
                       principal: Principal, now: datetime | None = None) -> IndicatorMeasurement:
    now = now or clock.utcnow()
    indicator = get_or_404(session=session, indicator_id=indicator_id)
    policy.require(principal, Action.record_measurement, relation=_relation_to_reporter(session, principal, indicator))
    period = judgement.parse_period(measurement_in.period)
    problems: list[FieldProblem] = []
    if period.frequency != indicator.frequency:
        english, vietnamese, example = FREQUENCY_WORDS[indicator.frequency]
        problems.append(FieldProblem.of("period", "not_the_indicators_period", frequency_en=english,
                                        frequency_vi=vietnamese, example=example))
    parts = (measurement_in.numerator, measurement_in.denominator)
    value, more = _reading_of(indicator.kind, measurement_in.value, *parts)
    problems += more
    if measurement_in.supersedes_id is not None:
        problems += _supersedes_problems(session, indicator, period.text, measurement_in.supersedes_id)
    if problems:
        raise InvalidInput(problems)
    measurement = IndicatorMeasurement(
        indicator_id=indicator.id, period=period.text, value=value, numerator=parts[0], denominator=parts[1],
        official=measurement_in.official, source=measurement_in.source, evidence_url=(
            str(measurement_in.evidence_url) if measurement_in.evidence_url else None),
        note=measurement_in.note, supersedes_id=measurement_in.supersedes_id, recorded_at=now,
        recorded_by_agency_id=principal.agency_id, recorded_by_token_id=principal.token_id,
        recorded_by_account_id=principal.account_id)
    session.add(measurement)
    session.flush()
    return measurement


def _relation_to_reporter(session: Session, principal: Principal, indicator: Indicator) -> policy.Relation:
    """`own` for the reporting agency and, once it was merged into another (the 2025 reorganisation), for the agency
    that now does its work: a merger does not leave an indicator without anyone who may report it."""
    reporting = agency_service.get(session=session, agency_id=indicator.reporting_agency_id)
    owners = {reporting.id, agency_service.successor_of(session=session, agency=reporting).id}
    return policy.Relation.own if principal.agency_id in owners else policy.Relation.other


def _supersedes_problems(session: Session, indicator: Indicator, period: str, supersedes_id: int) -> list:
    earlier = session.get(IndicatorMeasurement, supersedes_id)
    if earlier is None or earlier.indicator_id != indicator.id or earlier.period != period:
        return [FieldProblem.of("supersedes_id", "supersedes_other")]
    later = session.scalar(select(IndicatorMeasurement.id).where(IndicatorMeasurement.supersedes_id == supersedes_id))
    if later is not None:
        return [FieldProblem.of("supersedes_id", "supersedes_superseded", id=supersedes_id, by=later)]
    return []


# ---------------------------------------------------------------- reading, as of a day


@lru_cache(maxsize=4096)
def _period(text: str) -> judgement.Period | None:
    """A stored period, parsed once per process: a board reads the same few dozen periods over and over."""
    return judgement.parse_period(text)


def _among(session: Session, column, ids: list[int]):
    """`column IN ids`; on PostgreSQL one array parameter (`= ANY`): a board of 2,000 indicators is then one prepared
    statement, not a new statement of 2,000 parameters to render, parse and plan at each request."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, ids, type_=postgresql.ARRAY(Integer)))
    return column.in_(ids)


class _History:
    """Every target and measurement of one `states` call's indicators recorded by its cutoff, as the ORM objects:
    read on first use, for all of those indicators at once, in the same session (an indicator's page and the
    pages' charts show them; the API's board and the reports judge from a lighter read and never need them). The
    objects a State already holds (its judged target, its latest value) are the ones these lists hold."""

    def __init__(self, session: Session, ids: list[int], cutoff: datetime, judged: dict[int, IndicatorTarget]):
        self.session, self.ids, self.cutoff, self.judged = session, ids, cutoff, judged
        self._targets: dict[int, list[IndicatorTarget]] | None = None
        self._measurements: dict[int, list[IndicatorMeasurement]] | None = None

    def targets(self, indicator_id: int) -> list[IndicatorTarget]:
        if self._targets is None:
            self._targets = defaultdict(list)
            if self.ids:
                for target in self.session.scalars(select(IndicatorTarget).where(
                        _among(self.session, IndicatorTarget.indicator_id, self.ids),
                        IndicatorTarget.set_at < self.cutoff)
                        .order_by(IndicatorTarget.id)):
                    target = self.judged.get(target.id, target)  # already read, and set as it stood that day
                    if target.replaced_at is not None and target.replaced_at >= self.cutoff:
                        self.session.expunge(target)
                        target.replaced_at = None  # not yet replaced on that day
                    self._targets[target.indicator_id].append(target)
        return self._targets[indicator_id]

    def measurements(self, indicator_id: int) -> list[IndicatorMeasurement]:
        if self._measurements is None:
            self._measurements = defaultdict(list)
            if self.ids:
                for measurement in self.session.scalars(select(IndicatorMeasurement).where(
                        _among(self.session, IndicatorMeasurement.indicator_id, self.ids),
                        IndicatorMeasurement.recorded_at < self.cutoff)
                        .order_by(IndicatorMeasurement.id)):
                    self._measurements[measurement.indicator_id].append(measurement)
        return self._measurements[indicator_id]


@dataclass
class State:
    """An indicator as it stood at the end of a day: the target judged against, the latest value, the status.
    Its `targets` and `measurements` (the whole history by that day) are read from the session on first use: read
    them before the session ends."""

    indicator: Indicator
    as_of: date
    superseded_by: dict[int, int]  # measurement id -> the correction (recorded by that day) that replaced it
    target: IndicatorTarget | None
    latest: IndicatorMeasurement | None
    status: Status | None
    task_ids: list[int]
    _history: _History = field(repr=False, compare=False)

    @property
    def targets(self) -> list[IndicatorTarget]:
        """Every target set by that day, revised ones included (those revised after it as they stood then)."""
        return self._history.targets(self.indicator.id)

    @property
    def measurements(self) -> list[IndicatorMeasurement]:
        """Every measurement recorded by that day, oldest first."""
        return self._history.measurements(self.indicator.id)

    def values_in_force(self) -> list[IndicatorMeasurement]:
        """The value that counts for each period as of the day (the latest recorded by then that no correction
        recorded by then superseded), oldest period first: what the status was judged from."""
        latest: dict[str, IndicatorMeasurement] = {}
        for m in self.measurements:  # ordered by id: a later one for a period counts
            if m.id not in self.superseded_by:
                latest[m.period] = m
        return sorted(latest.values(), key=lambda m: _period(m.period).end)


def _target_judged(targets: list[tuple[int, str]], day: date) -> int | None:
    """Of the targets in force (id, period; by id), the one for the longest period holding `day`; else the one that
    ended last; else the next."""
    periods = [(target_id, _period(text)) for target_id, text in targets]
    holding = [t for t in periods if t[1].contains(day)]
    if holding:
        return max(holding, key=lambda t: (t[1].end - t[1].start, t[1].end))[0]
    ended = [t for t in periods if t[1].end < day]
    if ended:
        return max(ended, key=lambda t: t[1].end)[0]
    return min(periods, key=lambda t: t[1].start, default=(None,))[0]


# How far before a day the latest value of an indicator usually lies (two periods of its frequency, in days): the
# read of its values starts at the year that day falls in, or earlier for the target's year.
_LOOKBACK_DAYS = {Frequency.monthly: 62, Frequency.quarterly: 184, Frequency.half_yearly: 366, Frequency.yearly: 731}
_FEW = 200  # indicators read through their indexes; more in a pass over the table


def _by_first_year(session: Session, column, period, first_years: dict[int, str | None]):
    """Rows of the indicators of `first_years` whose period is of that year or later (every period is written from
    its year, "2025-07"; None: any year)."""
    groups: dict[str | None, list[int]] = defaultdict(list)
    for indicator_id, first_year in first_years.items():
        groups[first_year].append(indicator_id)
    return or_(*(_among(session, column, ids) if year is None else and_(_among(session, column, ids), period >= year)
                 for year, ids in groups.items()))


def _targets_in_force(session: Session, cutoff: datetime,
                      first_years: dict[int, str | None]) -> dict[int, list[tuple[int, str]]]:
    """For each indicator, its targets in force at the cutoff (set by then and not replaced by then: a later revision
    does not count yet) for the periods from `first_years[id]` on, as (id, period), oldest first."""
    t = IndicatorTarget
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for target_id, indicator_id, period in session.connection().execute(
            select(t.id, t.indicator_id, t.period).where(
                _by_first_year(session, t.indicator_id, t.period, first_years), t.set_at < cutoff,
                or_(t.replaced_at.is_(None), t.replaced_at >= cutoff)).order_by(t.id)).all():
        found[indicator_id].append((target_id, period))
    return found


def _recorded(session: Session, cutoff: datetime, first_years: dict[int, str | None], corrections: bool) -> list:
    """Values recorded by the cutoff, as rows (id, indicator, period, value, what it corrects), by id: those of the
    indicators of `first_years` from that year on, and with `corrections` every correction too (one pass over the
    table; many indicators are read in a pass anyway, few through their indexes)."""
    m = IndicatorMeasurement
    wanted = _by_first_year(session, m.indicator_id, m.period, first_years)
    if corrections:
        named = m.supersedes_id.is_not(None)
        if len(first_years) <= _FEW:
            named = and_(named, _among(session, m.indicator_id, list(first_years)))
        wanted = or_(wanted, named)
    return session.connection().execute(select(m.id, m.indicator_id, m.period, m.value, m.supersedes_id).where(
        m.recorded_at < cutoff, wanted).order_by(m.id)).all()


def _values_in_force(rows: list, first_years: dict[int, str | None],
                     superseded_by: dict[int, dict[int, int]]) -> dict[int, dict[str, tuple[int, float]]]:
    """For each indicator of `first_years`, its periods from that year on, each with the value in force for it: the
    latest one recorded by the cutoff that no correction recorded by then superseded, as (id, value), the periods in
    the order they were first recorded."""
    found: dict[int, dict[str, tuple[int, float]]] = defaultdict(dict)
    for measurement_id, indicator_id, period, value, _ in rows:
        if indicator_id not in first_years or (first_years[indicator_id] or "") > period:
            continue  # another indicator's correction, or one of an earlier year
        replaced = superseded_by.get(indicator_id)
        if replaced is None or measurement_id not in replaced:
            found[indicator_id][period] = (measurement_id, value)  # ordered by id: a later one counts
    return found


def states(*, session: Session, indicators: list[Indicator], as_of: date) -> list[State]:
    """Each indicator as of the end of `as_of`, from its targets and measurements recorded by then. For the whole
    list at once, the judgement reads only what it needs, as plain rows: the targets in force of the recent years
    (older ones only for an indicator with none holding the day or ended in its year), the corrections, the values of
    the recent years (older ones only for an indicator with nothing newer); then the judged target and the latest
    value of each as objects. The whole history is read only if a caller asks for it (`State.targets`,
    `State.measurements`)."""
    cutoff = end_of_day_utc(as_of, get_settings().tz)
    ids = [i.id for i in indicators]
    judged_ids: dict[int, int | None] = {}
    target_periods: dict[int, str] = {}
    superseded_by: dict[int, dict[int, int]] = defaultdict(dict)
    by_period: dict[int, dict[str, tuple[int, float]]] = {}
    tasks: dict[int, list[int]] = defaultdict(list)
    if ids:
        if session.autoflush:  # what a query through the session would flush first: plain rows from here on
            session.flush()
        for indicator_id, task_id in session.connection().execute(
                select(IndicatorTask.indicator_id, IndicatorTask.task_id)
                .where(_among(session, IndicatorTask.indicator_id, ids)).order_by(IndicatorTask.task_id)).all():
            tasks[indicator_id].append(task_id)
        # The target judged holds the day, or else ended last, or else starts next: one holding the day or ended
        # in its year beats any of an earlier year; without one, every year is read.
        in_force = _targets_in_force(session, cutoff, dict.fromkeys(ids, f"{as_of.year:04d}"))
        for indicator_id in ids:
            targets = in_force.get(indicator_id, [])
            if not any(_period(p).start <= as_of for _, p in targets):
                in_force.pop(indicator_id, None)
        if earlier := {i: None for i in ids if i not in in_force}:
            in_force.update(_targets_in_force(session, cutoff, earlier))
        for indicator_id in ids:
            targets = in_force.get(indicator_id, [])
            judged_ids[indicator_id] = _target_judged(targets, as_of)
            target_periods.update(targets)
        # The latest value lies in the years read, unless nothing from them is in force; the rule looks only at
        # values within the target's period, which lies in one year: read from the earlier of the two.
        first_years: dict[int, str | None] = {}
        for indicator in indicators:
            year = (as_of - timedelta(days=_LOOKBACK_DAYS.get(indicator.frequency, 731))).year
            if (target_id := judged_ids[indicator.id]) is not None:
                year = min(year, _period(target_periods[target_id]).start.year)
            first_years[indicator.id] = f"{year:04d}"
        # Those values and every correction recorded by then (a few in a hundred values), in the same pass.
        rows = _recorded(session, cutoff, first_years, corrections=True)
        for measurement_id, indicator_id, _, _, supersedes_id in rows:
            if supersedes_id is not None and indicator_id in first_years:
                superseded_by[indicator_id][supersedes_id] = measurement_id
        by_period = _values_in_force(rows, first_years, superseded_by)
        if older := {i: None for i in first_years if i not in by_period}:
            by_period.update(_values_in_force(_recorded(session, cutoff, older, corrections=False), older,
                                              superseded_by))
    parsed = {p: _period(p) for periods in by_period.values() for p in periods}  # the few periods of the list
    latest_ids: dict[int, int] = {}
    for indicator_id, periods in by_period.items():
        if periods:
            newest = max(periods, key=lambda p, periods=periods: (parsed[p].end, periods[p][0]))
            latest_ids[indicator_id] = periods[newest][0]
    # The objects a State holds: the judged target (as it stood that day) and the latest value.
    judged: dict[int, IndicatorTarget] = {}
    if wanted := [t for t in judged_ids.values() if t is not None]:
        for target in session.scalars(select(IndicatorTarget).where(_among(session, IndicatorTarget.id, wanted))):
            if target.replaced_at is not None and target.replaced_at >= cutoff:
                session.expunge(target)
                target.replaced_at = None  # not yet replaced on that day
            judged[target.id] = target
    latest: dict[int, IndicatorMeasurement] = {}
    if latest_ids:
        latest = {m.id: m for m in session.scalars(select(IndicatorMeasurement).where(
            _among(session, IndicatorMeasurement.id, list(latest_ids.values()))))}
    tolerance = get_settings().indicator_tolerance
    history = _History(session, ids, cutoff, judged)
    found = []
    for indicator in indicators:
        target = judged.get(judged_ids.get(indicator.id))
        status = None
        if target is not None:
            period = _period(target.period)
            # Only a value of the target's year can be within its period: the rule is given those, in the same
            # order, and picks from them as it would from all.
            readings = [judgement.Reading(parsed[p], value) for p, (_, value) in by_period[indicator.id].items()
                        if parsed[p].start.year == period.start.year] if indicator.id in by_period else []
            status = judgement.judge(
                kind=indicator.kind, direction=indicator.direction, comparator=indicator.comparator,
                frequency=indicator.frequency, today=as_of, tolerance=tolerance, readings=readings,
                target=judgement.Target(period, target.value, target.baseline_value, target.baseline_on))
        found.append(State(indicator, as_of, superseded_by[indicator.id], target,
                           latest.get(latest_ids.get(indicator.id)), status, tasks[indicator.id], history))
    return found


def reading_day(as_of: date | None) -> date:
    """The day the indicators are read as of: today by default, never after it."""
    today = clock.today()
    if (problem := clock.past_day_problem(as_of, today)) is not None:
        raise InvalidInput([problem])
    return as_of or today


def list_states(*, session: Session, principal: Principal, as_of: date, group: str | None = None,
                agency_id: int | None = None, directive_id: int | None = None,
                status: Status | None = None) -> list[State]:
    policy.require(principal, Action.read_indicators)
    statement = select(Indicator).order_by(Indicator.group_name, Indicator.code)
    if group is not None:
        statement = statement.where(Indicator.group_name == group)
    if agency_id is not None:
        statement = statement.where(Indicator.reporting_agency_id == agency_id)
    if directive_id is not None:
        statement = statement.where(Indicator.source_directive_id == directive_id)
    found = states(session=session, indicators=list(session.scalars(statement)), as_of=as_of)
    return [s for s in found if status is None or s.status == status]


def state_of(*, session: Session, principal: Principal, indicator_id: int, as_of: date) -> State:
    policy.require(principal, Action.read_indicators)
    return states(session=session, indicators=[get_or_404(session=session, indicator_id=indicator_id)],
                  as_of=as_of)[0]



def serving_task(*, session: Session, principal: Principal, task_id: int, as_of: date) -> list[State]:
    """The indicators a task serves, each as of `as_of` (the task page shows them)."""
    policy.require(principal, Action.read_indicators)
    indicators = list(session.scalars(select(Indicator).join(IndicatorTask, IndicatorTask.indicator_id == Indicator.id)
                                      .where(IndicatorTask.task_id == task_id).order_by(Indicator.code)))
    return states(session=session, indicators=indicators, as_of=as_of)


def may_record(*, session: Session, principal: Principal, indicator: Indicator) -> bool:
    """Whether `principal` may record a value of `indicator` (the page offers its form only then)."""
    return policy.allows(principal, Action.record_measurement,
                         relation=_relation_to_reporter(session, principal, indicator))


def group_names(*, session: Session) -> list[str]:
    return [g for g in session.scalars(select(Indicator.group_name).distinct().order_by(Indicator.group_name)) if g]

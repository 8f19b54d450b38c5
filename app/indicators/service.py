"""Indicators: defining them and their targets (the secretariat), recording values (the agency that reports one),
and reading them with their status as of a day, judged by app/indicators/judgement.py from the history alone."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select, update
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
    value = measurement_in.value
    parts = (measurement_in.numerator, measurement_in.denominator)
    if indicator.kind == Kind.ratio:
        if None in parts:
            problems.append(FieldProblem.of("denominator" if parts[0] is not None else "numerator",
                                            "ratio_needs_parts"))
        else:
            value = round(parts[0] / parts[1] * 100, 6)
    elif parts != (None, None):
        problems.append(FieldProblem.of("numerator" if parts[0] is not None else "denominator", "ratio_parts_only"))
    else:
        problems += _value_problems(indicator.kind, value, "value")
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


@dataclass
class State:
    """An indicator as it stood at the end of a day: the target judged against, the latest value, the status."""

    indicator: Indicator
    as_of: date
    targets: list[IndicatorTarget]  # every target set by that day, revised ones included
    measurements: list[IndicatorMeasurement]  # every measurement recorded by that day
    superseded_by: dict[int, int]  # measurement id -> the correction (recorded by that day) that replaced it
    target: IndicatorTarget | None
    latest: IndicatorMeasurement | None
    status: Status | None
    task_ids: list[int]

    def values_in_force(self) -> list[IndicatorMeasurement]:
        """The value that counts for each period as of the day (the latest recorded by then that no correction
        recorded by then superseded), oldest period first: what the status was judged from."""
        latest: dict[str, IndicatorMeasurement] = {}
        for m in self.measurements:  # ordered by id: a later one for a period counts
            if m.id not in self.superseded_by:
                latest[m.period] = m
        return sorted(latest.values(), key=lambda m: judgement.parse_period(m.period).end)


def _target_judged(targets: list[IndicatorTarget], day: date) -> IndicatorTarget | None:
    """The target in force for the longest period holding `day`; else the one that ended last; else the next."""
    in_force = [t for t in targets if t.replaced_at is None]
    periods = {t.id: judgement.parse_period(t.period) for t in in_force}
    holding = [t for t in in_force if periods[t.id].contains(day)]
    if holding:
        return max(holding, key=lambda t: (periods[t.id].end - periods[t.id].start, periods[t.id].end))
    ended = [t for t in in_force if periods[t.id].end < day]
    if ended:
        return max(ended, key=lambda t: periods[t.id].end)
    return min(in_force, key=lambda t: periods[t.id].start, default=None)


def states(*, session: Session, indicators: list[Indicator], as_of: date) -> list[State]:
    """Each indicator as of the end of `as_of`, from its targets and measurements recorded by then: three queries
    for the whole list."""
    cutoff = end_of_day_utc(as_of, get_settings().tz)
    ids = [i.id for i in indicators]
    targets, measurements, tasks = defaultdict(list), defaultdict(list), defaultdict(list)
    if ids:
        for target in session.scalars(select(IndicatorTarget).where(
                IndicatorTarget.indicator_id.in_(ids), IndicatorTarget.set_at < cutoff).order_by(IndicatorTarget.id)):
            if target.replaced_at is not None and target.replaced_at >= cutoff:
                session.expunge(target)
                target.replaced_at = None  # not yet replaced on that day
            targets[target.indicator_id].append(target)
        for measurement in session.scalars(select(IndicatorMeasurement).where(
                IndicatorMeasurement.indicator_id.in_(ids), IndicatorMeasurement.recorded_at < cutoff)
                .order_by(IndicatorMeasurement.id)):
            measurements[measurement.indicator_id].append(measurement)
        for indicator_id, task_id in session.execute(select(IndicatorTask.indicator_id, IndicatorTask.task_id)
                                                     .where(IndicatorTask.indicator_id.in_(ids))
                                                     .order_by(IndicatorTask.task_id)):
            tasks[indicator_id].append(task_id)
    tolerance = get_settings().indicator_tolerance
    found = []
    for indicator in indicators:
        recorded = measurements[indicator.id]
        superseded_by = {m.supersedes_id: m.id for m in recorded if m.supersedes_id is not None}
        in_force = [m for m in recorded if m.id not in superseded_by]
        latest_by_period: dict[str, IndicatorMeasurement] = {}
        for m in in_force:
            latest_by_period[m.period] = m  # ordered by id: a later one for a period counts
        readings = [judgement.Reading(judgement.parse_period(p), m.value) for p, m in latest_by_period.items()]
        latest = max(latest_by_period.values(), key=lambda m: (judgement.parse_period(m.period).end, m.id),
                     default=None)
        target = _target_judged(targets[indicator.id], as_of)
        status = None
        if target is not None:
            status = judgement.judge(
                kind=indicator.kind, direction=indicator.direction, comparator=indicator.comparator,
                frequency=indicator.frequency, today=as_of, tolerance=tolerance, readings=readings,
                target=judgement.Target(judgement.parse_period(target.period), target.value,
                                        target.baseline_value, target.baseline_on))
        found.append(State(indicator, as_of, targets[indicator.id], recorded, superseded_by, target, latest, status,
                           tasks[indicator.id]))
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

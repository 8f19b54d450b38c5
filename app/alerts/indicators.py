"""The indicator watch: `indicator.off_track`, `indicator.no_data` and `indicator.achieved`, judged by the one status
rule (app/indicators/judgement.py) as of the scan's day — one message per (subscription, indicator, target period,
kind), whatever the number of scans, replicas or restarts.

Each tick (the deadline watch's job, app/alerts/jobs.py) reads every indicator's state as of today (three queries for
all of them), keeps those whose status is one of the three kinds against a target whose period has begun and ended
at most a year ago (final figures come late; older periods are history, not news), and offers each to the
subscriptions that want it: the kind among their event types (none listed: every type), their lead-agency filter
naming the agency that reports the indicator (or the one it was merged into), their directive filter naming the
indicator's source directive. Each alert is keyed `indicator:<kind>:<indicator>:<period>` and inserted with ON
CONFLICT DO NOTHING against the unique (subscription, key) of the outbox, or of the digest entries for a digest
subscription, so a second scan, a replica or a restart adds nothing, and a target for a new period arms every kind
again. The body is rendered when the alert is raised (the state that raised it, as of that day) and kept.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from app import clock
from app.agencies import service as agency_service
from app.alerts import texts
from app.alerts.models import IndicatorDigestEntry
from app.config import get_settings
from app.indicators import judgement
from app.indicators import service as indicator_service
from app.indicators.judgement import Status
from app.indicators.models import Indicator
from app.types import instant
from app.webhooks import outbox, payloads
from app.webhooks import service as webhook_service
from app.webhooks.models import EventType, WebhookEndpoint, WebhookMessage

log = logging.getLogger("roviec.alerts")

ALERT_OF_STATUS = {Status.off_track: EventType.indicator_off_track, Status.no_data: EventType.indicator_no_data,
                   Status.achieved: EventType.indicator_achieved}
INDICATOR_TYPES = frozenset(ALERT_OF_STATUS.values())
SCAN_LOCK = 727_005  # PostgreSQL advisory lock: one indicator scan at a time across replicas
LATE_FIGURES = timedelta(days=366)  # a target's period is watched until a year after it ended
DIGEST_LIMIT = 100


@dataclass(frozen=True)
class Candidate:
    """An alert the day's states raise, before it is offered to the subscriptions."""

    indicator_id: int
    event_type: str
    period: str
    key: str
    agency_ids: frozenset[int]  # the reporting agency, and the one that now does its work
    directive_id: int | None
    code: str
    data: dict[str, Any]


@dataclass
class IndicatorScanResult:
    skipped: bool = False
    raised: int = 0
    digests: int = 0


def wanted_types(endpoint: WebhookEndpoint) -> frozenset[str]:
    """The indicator kinds a subscription asks for: those among its event types, or all when it lists none."""
    return INDICATOR_TYPES & (set(endpoint.event_types) or INDICATOR_TYPES)


def takes(endpoint: WebhookEndpoint, candidate: Candidate) -> bool:
    """A subscription's filters read for an indicator: the lead-agency filter names the reporting agency (or its
    successor), the directive filter the source directive. `priority_only` narrows tasks; an indicator passes it."""
    if candidate.event_type not in wanted_types(endpoint):
        return False
    if endpoint.lead_agency_ids and not candidate.agency_ids & set(endpoint.lead_agency_ids):
        return False
    return not endpoint.directive_ids or candidate.directive_id in endpoint.directive_ids


def alert_key(event_type: str, indicator_id: int, period: str) -> str:
    return f"indicator:{event_type.removeprefix('indicator.')}:{indicator_id}:{period}"


def _reading(measurement) -> dict[str, Any] | None:
    if measurement is None:
        return None
    return {"id": measurement.id, "period": measurement.period, "value": measurement.value,
            "numerator": measurement.numerator, "denominator": measurement.denominator,
            "official": measurement.official, "recorded_at": instant(measurement.recorded_at)}


def alert_data(*, state: indicator_service.State, event_type: str, reporting, today: date) -> dict[str, Any]:
    """What an indicator alert says: the indicator, the target judged against, the latest value, the status as of
    `today`, and its Vietnamese line."""
    indicator, target = state.indicator, state.target
    period = judgement.parse_period(target.period)
    base = get_settings().base_url
    data = {
        "indicator": {"id": indicator.id, "code": indicator.code, "name": indicator.name, "unit": indicator.unit,
                      "kind": str(indicator.kind), "direction": str(indicator.direction),
                      "comparator": str(indicator.comparator), "frequency": str(indicator.frequency),
                      "group_name": indicator.group_name, "source_directive_id": indicator.source_directive_id,
                      "reporting_agency": {"id": reporting.id, "code": reporting.code, "name": reporting.name},
                      # The page a person opens from a chat message or an e-mail; software reads api_url.
                      "url": f"{base}/indicators/{indicator.id}",
                      "api_url": f"{base}/api/v1/indicators/{indicator.id}"},
        "status": str(state.status),
        "as_of": today.isoformat(),
        "target": {"id": target.id, "period": target.period, "starts_on": period.start.isoformat(),
                   "ends_on": period.end.isoformat(), "value": target.value, "baseline_value": target.baseline_value,
                   "baseline_on": target.baseline_on.isoformat()},
        "latest": _reading(state.latest),
        "task_ids": state.task_ids,
    }
    data["text"] = texts.indicator_text(event_type, data)
    return data


def candidates(*, session: Session, today: date) -> list[Candidate]:
    """The alerts the indicators' states raise as of `today`, one per indicator at most (its status is one)."""
    indicators = list(session.scalars(select(Indicator).order_by(Indicator.id)))
    reporters = agency_service.by_ids(session=session, agency_ids={i.reporting_agency_id for i in indicators})
    found = []
    for state in indicator_service.states(session=session, indicators=indicators, as_of=today):
        event_type = ALERT_OF_STATUS.get(state.status)
        if event_type is None or state.target is None:
            continue
        period = judgement.parse_period(state.target.period)
        if not period.start <= today <= period.end + LATE_FIGURES:
            continue
        indicator = state.indicator
        recorded = reporters[indicator.reporting_agency_id]
        reporting = agency_service.successor_of(session=session, agency=recorded)
        found.append(Candidate(
            indicator_id=indicator.id, event_type=event_type, period=period.text,
            key=alert_key(event_type, indicator.id, period.text), agency_ids=frozenset({recorded.id, reporting.id}),
            directive_id=indicator.source_directive_id, code=indicator.code,
            data=alert_data(state=state, event_type=event_type, reporting=reporting, today=today)))
    return found


def scan(*, session: Session, now: datetime) -> IndicatorScanResult:
    """Raises every indicator alert due at `now` that was not raised before. The caller commits."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql" and not session.scalar(select(func.pg_try_advisory_xact_lock(SCAN_LOCK))):
        return IndicatorScanResult(skipped=True)  # another replica is scanning; the unique keys would stop a double
    result = IndicatorScanResult()
    endpoints = [e for e in webhook_service.active_endpoints(session) if wanted_types(e)]
    if not endpoints:
        return result
    today = clock.local_day(now)
    pairs = [(endpoint, candidate) for candidate in candidates(session=session, today=today)
             for endpoint in endpoints if takes(endpoint, candidate)]
    if not pairs:
        return result
    # Raised already, in either form (a subscription switched to or from digest is not told twice). The unique
    # keys decide; this only spares the database the rows it would refuse at every tick.
    ids, keys = {e.id for e, _ in pairs}, {c.key for _, c in pairs}
    told = set(session.execute(select(WebhookMessage.endpoint_id, WebhookMessage.dedupe_key).where(
        WebhookMessage.endpoint_id.in_(ids), WebhookMessage.dedupe_key.in_(keys))).tuples())
    told |= set(session.execute(select(IndicatorDigestEntry.endpoint_id, IndicatorDigestEntry.dedupe_key).where(
        IndicatorDigestEntry.endpoint_id.in_(ids), IndicatorDigestEntry.dedupe_key.in_(keys))).tuples())
    fresh = [(e, c) for e, c in pairs if (e.id, c.key) not in told]
    single = [outbox.message_row(
        endpoint_id=e.id, event_type=c.event_type, dedupe_key=c.key, now=now,
        payload=payloads.envelope(c.event_type, now, c.data | {
            "alert": {"kind": c.event_type, "period": c.period, "key": c.key}}))
        for e, c in fresh if not e.digest]
    result.raised += outbox.enqueue(session, single)
    digested = [(e, c) for e, c in fresh if e.digest]
    if digested:
        result.digests = _digest(session, digested, now, result)
    return result


def _digest(session: Session, digested: list[tuple[WebhookEndpoint, Candidate]], now: datetime,
            result: IndicatorScanResult) -> int:
    """Entries for digest subscriptions (unique like messages), then one message per (subscription, kind) listing
    the entries this scan inserted, up to 100 indicators."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [{"endpoint_id": e.id, "indicator_id": c.indicator_id, "event_type": c.event_type, "dedupe_key": c.key,
             "period": c.period, "created_at": now} for e, c in digested]
    inserted: set[tuple[int, str]] = set()
    for start in range(0, len(rows), 1000):  # within SQLite's limit of bound values per statement
        statement = insert(IndicatorDigestEntry).values(rows[start:start + 1000]).on_conflict_do_nothing(
            index_elements=["endpoint_id", "dedupe_key"]).returning(IndicatorDigestEntry.endpoint_id,
                                                                    IndicatorDigestEntry.dedupe_key)
        inserted |= set(session.execute(statement).tuples())
    result.raised += len(inserted)
    groups: dict[tuple[int, str], list[Candidate]] = defaultdict(list)
    for endpoint, candidate in digested:
        if (endpoint.id, candidate.key) in inserted:
            groups[(endpoint.id, candidate.event_type)].append(candidate)
    run = now.isoformat()
    messages = []
    for (endpoint_id, event_type), listed in sorted(groups.items()):
        listed.sort(key=lambda c: c.code)
        items = [c.data for c in listed[:DIGEST_LIMIT]]
        messages.append(outbox.message_row(
            endpoint_id=endpoint_id, event_type=event_type, now=now, dedupe_key=f"digest:{event_type}:{run}",
            payload=payloads.envelope(event_type, now, {
                "digest": True, "count": len(listed), "truncated": len(listed) > DIGEST_LIMIT,
                "indicators": items, "text": texts.indicator_digest_text(event_type, len(listed), items)})))
    return outbox.enqueue(session, messages)

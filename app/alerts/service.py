"""The deadline watch: due soon, due today, overdue (repeating), escalated — one message per (subscription, task,
kind, window), whatever the number of replicas, restarts or clock ticks.

Each window is a range of *stored* deadlines (the working calendar turns "effective deadline in [a, b]" into one,
see app/calendar/service.py), so a whole scan is a few INSERT ... SELECT statements: tasks joined with the windows
and the matching subscriptions, each row keyed `kind:task:deadline:window` and inserted with ON CONFLICT DO NOTHING
against the unique (endpoint, key). An extension changes the deadline, hence the keys: every future window is armed
again. Digest subscriptions get their alerts as entries (unique the same way), then one message per kind per scan.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    String,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    true,
)
from sqlmodel import Session

from app import clock
from app.access import policy
from app.access.policy import Action
from app.access.principal import Principal
from app.agencies.models import Agency
from app.alerts import texts
from app.alerts.models import AlertDigestEntry, AlertScanState
from app.calendar import service as calendar_service
from app.calendar.models import EffectiveDay
from app.config import Settings
from app.directives.models import Directive
from app.tasks import status, timing
from app.tasks.models import Task, TaskEvent
from app.tasks.status import JournalKind
from app.types import FIRST_DAY, UTCDateTime
from app.webhooks import hooks, outbox, payloads
from app.webhooks import service as webhook_service
from app.webhooks.models import (
    EventType,
    MessageStatus,
    WebhookEndpoint,
    WebhookEndpointFilter,
    WebhookMessage,
)

log = logging.getLogger("roviec.alerts")

ALERT_TYPES = (EventType.task_due_soon, EventType.task_due_today, EventType.task_overdue, EventType.task_escalated)
CHASED = tuple(sorted(s.value for s in status.CHASED))  # a reported completion is not chased
DIGEST_LIMIT = 100
SCAN_LOCK = 727_004  # PostgreSQL advisory lock: one scan at a time across replicas
CHANGE_MARGIN = timedelta(minutes=10)


@dataclass(frozen=True)
class Policy:
    due_soon_days: tuple[int, ...]
    overdue_repeat_days: int
    escalate_after_days: int


def policy_of(endpoint: WebhookEndpoint, settings: Settings) -> Policy:
    own = endpoint.alert_policy or {}
    default_days = tuple(int(d) for d in settings.alert_due_soon_days.split(",") if d.strip())
    return Policy(tuple(sorted(set(own.get("due_soon_days") or default_days))),
                  own.get("overdue_repeat_days") or settings.alert_overdue_repeat_days,
                  own.get("escalate_after_days") or settings.alert_escalate_after_days)


@dataclass(frozen=True)
class Window:
    event_type: str
    lo: date
    hi: date
    label: str
    repeat: int = 0  # overdue: windows open every `repeat` days, computed per task in SQL

    @property
    def key_prefix(self) -> str:
        return self.event_type.removeprefix("task.") + ":"

    @property
    def key_suffix(self) -> str:
        return f":{self.label}" if self.label else ""


def windows(*, policy: Policy, wanted: frozenset[str], today: date, calendar) -> list[Window]:
    """Ranges of stored deadlines, one per window, on this day (all the overdue ones in one range)."""
    first = calendar.earliest_deadline_ending_on_or_after
    last = calendar.latest_deadline_ending_on_or_before
    found: list[Window] = []

    def add(event_type, lo, hi, label="", repeat=0):
        if event_type in wanted and lo <= hi:
            found.append(Window(event_type, lo, hi, label, repeat))

    previous = 0
    for days in policy.due_soon_days:  # 7, 3, 1 -> windows of 4-7, 2-3 and 1 day(s) left
        add(EventType.task_due_soon, first(today + timedelta(days=previous + 1)), last(today + timedelta(days=days)),
            str(days))
        previous = days
    add(EventType.task_due_today, first(today), last(today))
    # Overdue as the one timing rule has it: every stored deadline before the first one not yet overdue today.
    not_overdue_from = timing.bounds(calendar=calendar, today=today, due_soon_days=0).not_overdue_from
    add(EventType.task_overdue, FIRST_DAY, not_overdue_from - timedelta(days=1), repeat=policy.overdue_repeat_days)
    add(EventType.task_escalated, FIRST_DAY, last(today - timedelta(days=policy.escalate_after_days)))
    return found


def register_with_delivery(settings: Settings) -> None:
    """What the delivery worker asks the deadline watch (app/webhooks/hooks.py): whether an alert is still due at
    each claim, its body at the first, and the `task.overdue_resolved` notices a journal row brings."""
    hooks.register(hooks.AlertKinds(
        event_types=frozenset(ALERT_TYPES),
        still_relevant=lambda **kwargs: still_due(**kwargs, settings=settings),
        render=render_alert, follow_ups=resolved_notices))


def render_alert(*, message: WebhookMessage, task: Task, session: Session, today: date, calendar) -> dict:
    """A deadline alert is raised in SQL without a body; it gets one at its first claim, judged on that day, and
    keeps it, so every retry sends the same bytes."""
    data, days = texts.alert_data(event_type=message.event_type, task=task, today=today, calendar=calendar,
                                  directive=session.get(Directive, task.directive_id),
                                  lead_agency=session.get(Agency, task.lead_agency_id))
    data["alert"] = {"kind": message.event_type, "window": message.dedupe_key, "days": days}
    return payloads.envelope(message.event_type, message.created_at, data)


def resolved_notices(*, session: Session, row: TaskEvent, endpoints: list[WebhookEndpoint], now: datetime,
                     context: dict) -> list[dict[str, Any]]:
    """`task.overdue_resolved` for each subscription that was told this task was overdue (or escalated) at this
    deadline, once a journal row completes or withdraws the task (the fan-out asks: app/webhooks/hooks.py)."""
    if row.kind not in (JournalKind.completion_accepted, JournalKind.withdrawn):
        return []
    task, deadline_on = context["task"], row.deadline_on
    overdue = (EventType.task_overdue, EventType.task_escalated)
    told = set(session.scalars(select(WebhookMessage.endpoint_id).where(
        WebhookMessage.task_id == task.id, WebhookMessage.event_type.in_(overdue),
        WebhookMessage.alert_deadline_on == deadline_on)))
    told |= set(session.scalars(select(AlertDigestEntry.endpoint_id).where(
        AlertDigestEntry.task_id == task.id, AlertDigestEntry.event_type.in_(overdue),
        AlertDigestEntry.deadline_on == deadline_on)))
    targets = [e for e in endpoints if e.id in told and webhook_service.matches(e, EventType.task_overdue_resolved)]
    if not targets:
        return []
    data = payloads.task_data(status=row.to_status, deadline_on=deadline_on, completed_on=row.completed_on,
                              as_of=clock.local_day(row.occurred_at), **context)
    data["text"] = texts.alert_text(EventType.task_overdue_resolved, data, None)
    body = payloads.envelope(EventType.task_overdue_resolved, row.occurred_at, data)
    key = f"overdue_resolved:{task.id}:{deadline_on.isoformat()}"
    return [outbox.message_row(endpoint_id=e.id, event_type=EventType.task_overdue_resolved, task_id=task.id,
                               payload=body, now=now, dedupe_key=key, alert_deadline_on=deadline_on,
                               request_id=row.request_id)
            for e in targets]


def still_due(*, event_type: str, dedupe_key: str, task: Task, endpoint: WebhookEndpoint, today: date, calendar,
              settings: Settings) -> bool:
    """Whether the window an alert was raised for is still open for its task at `today`: a message waiting out an
    outage, a retry or a replay is dropped once the task was completed, withdrawn or extended, or once a later
    window (or the deadline) has come, which the scan raises itself."""
    _, _, deadline, *window = dedupe_key.split(":")
    if task.status not in CHASED or task.deadline_on.isoformat() != deadline:
        return False
    try:
        found = windows(policy=policy_of(endpoint, settings), wanted=frozenset({event_type}), today=today,
                        calendar=calendar)
    except Exception:  # an unusable stored policy: the scan logs it; delivery sends what was raised
        return True
    for w in found:
        if not w.lo <= task.deadline_on <= w.hi:
            continue
        if w.repeat:
            days_overdue = (today - calendar.effective(task.deadline_on)).days
            return window == [str((days_overdue - 1) // w.repeat * w.repeat + 1)]
        return window == ([w.label] if w.label else [])
    return False


def _windows_table(found: list[Window]):
    rows = [select(literal(w.event_type, String).label("event_type"), literal(w.lo, Date).label("lo"),
                   literal(w.hi, Date).label("hi"), literal(w.key_prefix, String).label("prefix"),
                   literal(w.key_suffix, String).label("suffix"),
                   literal(int(w.event_type == EventType.task_escalated), Integer).label("escalation"),
                   literal(w.repeat, Integer).label("repeat"))
            for w in found]
    return (rows[0] if len(rows) == 1 else rows[0].union_all(*rows[1:])).subquery("w")


def _new_public_id(dialect: str):
    if dialect == "postgresql":
        return literal_column("'msg_' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 24)")
    return literal_column("'msg_' || lower(hex(randomblob(12)))")


def _selection(*, found: list[Window], endpoint_ids: list[int], lead_filtered: bool, priority_only: bool,
               now: datetime, digest: bool, dialect: str, today: date, changed_since: datetime | None):
    """Rows for (task, endpoint, window): tasks still chased whose stored deadline is in the window, endpoints
    whose filters take the task. Lead-agency filters are joined (a hash join on 50 subscriptions), the rest tested;
    priority is filtered on the tasks before the join, so the endpoints are split on it."""
    task, endpoint, w = Task.__table__.c, WebhookEndpoint.__table__.c, _windows_table(found)
    filters, effective = WebhookEndpointFilter.__table__, EffectiveDay.__table__
    directives = filters.alias("directive_filter")
    # An overdue window is named by the days overdue when it opened (1, 4, 7 ... every 3 days), not by its index: a
    # subscription whose repeat changes then neither repeats the window it is in nor waits out old numbers.
    overdue_window = cast((literal(calendar_service.day_number(today), Integer) - effective.c.effective_number - 1)
                          // func.nullif(w.c.repeat, 0) * w.c.repeat + 1, String)
    suffix = case((w.c.repeat > 0, literal(":", String) + overdue_window), else_=w.c.suffix)
    key = (w.c.prefix + cast(task.id, String) + literal(":", String) + cast(task.deadline_on, String)
           + suffix).label("dedupe_key")
    directive_filter = or_(
        ~exists().where(directives.c.endpoint_id == endpoint.id, directives.c.field == "directive"),
        exists().where(directives.c.endpoint_id == endpoint.id, directives.c.field == "directive",
                       directives.c.value == task.directive_id))
    conditions = [
        task.status.in_([literal_column(f"'{s}'") for s in CHASED]),
        task.deadline_on >= w.c.lo, task.deadline_on <= w.c.hi,
        endpoint.id.in_(endpoint_ids),
        directive_filter,
        or_(w.c.escalation == 0, endpoint.owner_is_secretariat, endpoint.owner_agency_id == task.lead_agency_id),
    ]
    if priority_only:
        conditions.append(task.priority)
    if changed_since is not None:
        conditions.append(task.updated_at >= literal(changed_since, UTCDateTime))
    # A window already raised for this subscription in the other form (before `digest` was switched) is not raised
    # again in this one.
    other = (WebhookMessage if digest else AlertDigestEntry).__table__
    conditions.append(~exists().where(other.c.endpoint_id == endpoint.id, other.c.dedupe_key == key))
    source = Task.__table__.join(w, and_(task.deadline_on >= w.c.lo, task.deadline_on <= w.c.hi))
    source = source.join(effective, effective.c.day == task.deadline_on)
    if lead_filtered:
        source = source.join(filters, and_(filters.c.field == "lead_agency", filters.c.value == task.lead_agency_id))
        source = source.join(WebhookEndpoint.__table__, endpoint.id == filters.c.endpoint_id)
    else:
        # ON true: the endpoints are picked in WHERE. Named in both, the planner squares the selectivity, expects
        # one endpoint and scans the tasks again for each of them.
        source = source.join(WebhookEndpoint.__table__, true())
    if digest:
        columns = [endpoint.id, task.id, w.c.event_type, key, task.deadline_on, literal(now, UTCDateTime)]
        names = ["endpoint_id", "task_id", "event_type", "dedupe_key", "deadline_on", "created_at"]
    else:
        columns = [_new_public_id(dialect), endpoint.id, w.c.event_type, key, task.id, task.deadline_on,
                   literal(MessageStatus.pending.value, String), literal(0, Integer), literal(now, UTCDateTime),
                   literal(0, Integer), literal(now, UTCDateTime)]
        names = ["public_id", "endpoint_id", "event_type", "dedupe_key", "task_id", "alert_deadline_on", "status",
                 "attempt_count", "next_attempt_at", "lease_token", "created_at"]
    return select(*columns).select_from(source).where(*conditions), names


def _insert(session: Session, selection, names: list[str], digest: bool, returning: bool):
    if digest:
        return outbox.insert_selected(session, AlertDigestEntry, selection, names, returning=returning)
    return outbox.enqueue_selected(session, selection, names, returning=returning)


@dataclass
class ScanResult:
    skipped: bool = False
    raised: int = 0
    digests: int = 0
    failed_endpoints: tuple[int, ...] = ()
    rows: list[tuple] | None = None  # what was raised, when asked for (preview)


def scan(*, session: Session, now: datetime, settings: Settings, collect: bool = False,
         full: bool = False) -> ScanResult:
    """Raises every alert due at `now`. The caller commits (or, for a preview, rolls back). The first scan of a
    day looks at every task; later ones only at what changed since the previous scan, unless `full`."""
    dialect = session.get_bind().dialect.name
    # A preview (collect) is rolled back: it neither needs the lock nor may keep real scans waiting for it.
    if dialect == "postgresql" and not collect and not session.scalar(
            select(func.pg_try_advisory_xact_lock(SCAN_LOCK))):
        return ScanResult(skipped=True)  # another replica is scanning; the unique keys would stop a double anyway
    if dialect == "postgresql":
        # A first scan's estimates run to millions, which would have each statement JIT-compiled (0.3 s apiece,
        # for statements that run once) and its sorts spilled to disk at the default 4 MB.
        session.execute(text("SET LOCAL jit = off"))
        session.execute(text("SET LOCAL work_mem = '64MB'"))
    today = clock.local_day(now)
    signature = calendar_service.ensure_effective_days(session=session)
    calendar = calendar_service.get_calendar(session=session, signature=signature)
    changed_since = None if full else _changed_since(session, today, now, signature)
    groups: dict[tuple, list[WebhookEndpoint]] = defaultdict(list)
    found_by_group: dict[tuple, list[Window]] = {}
    failed: list[int] = []
    for endpoint in webhook_service.active_endpoints(session):
        wanted = frozenset(ALERT_TYPES) & (set(endpoint.event_types) or set(ALERT_TYPES))
        if not wanted:
            continue
        try:
            group = (policy_of(endpoint, settings), wanted, endpoint.digest)
            if group not in found_by_group:
                found_by_group[group] = windows(policy=group[0], wanted=wanted, today=today, calendar=calendar)
        except Exception:  # a policy the API would refuse, written some other way
            log.exception("deadline scan: the alert policy of webhook %s is unusable", endpoint.id)
            failed.append(endpoint.id)
            continue
        groups[group].append(endpoint)
    result = ScanResult(rows=[] if collect else None)
    for group, endpoints in groups.items():
        found, digest = found_by_group[group], group[2]
        if not found:
            continue
        try:
            with session.begin_nested():
                _raise(session, found, endpoints, now, today, digest, dialect, result, changed_since)
        except Exception:
            # One bad subscription must not stop the others: try them one by one and log the culprit.
            for endpoint in endpoints:
                try:
                    with session.begin_nested():
                        _raise(session, found, [endpoint], now, today, digest, dialect, result, changed_since)
                except Exception:
                    log.exception("deadline scan failed for webhook %s", endpoint.id)
                    failed.append(endpoint.id)
    result.digests = _bundle_digests(session, now, settings, calendar)
    result.failed_endpoints = tuple(failed)
    if not failed and not collect:
        # Only a complete scan moves the cursor: after a failure the next tick reads everything again.
        state = session.get(AlertScanState, 1) or AlertScanState(id=1, scanned_day=today, scanned_at=now)
        state.scanned_day, state.scanned_at, state.calendar_signature = today, now, signature
        session.add(state)
        session.flush()
    return result


def _changed_since(session: Session, today: date, now: datetime, signature: str) -> datetime | None:
    """None (scan everything) for the first scan of a day or when the calendar is not the one the last scan used;
    otherwise the last scan's time, less a margin for transactions that committed after the time they stamped on
    their rows."""
    state = session.get(AlertScanState, 1)
    if (state is None or state.scanned_day != today or state.scanned_at > now
            or state.calendar_signature != signature):
        return None
    return state.scanned_at - CHANGE_MARGIN


def _raise(session, found, endpoints, now, today, digest, dialect, result: ScanResult,
           changed_since: datetime | None) -> None:
    """Full for subscriptions new or changed since `changed_since` (or for all when it is None), otherwise only for
    tasks changed since."""
    fresh = {e.id for e in endpoints if changed_since is None or e.updated_at >= changed_since}
    statements: dict[tuple[bool, bool, bool], list[int]] = defaultdict(list)
    for e in endpoints:
        statements[(bool(e.lead_agency_ids), e.priority_only, e.id in fresh)].append(e.id)
    for (lead_filtered, priority_only, full), ids in sorted(statements.items(), reverse=True):
        selection, names = _selection(found=found, endpoint_ids=ids, lead_filtered=lead_filtered,
                                      priority_only=priority_only, now=now, digest=digest, dialect=dialect,
                                      today=today, changed_since=None if full else changed_since)
        outcome = _insert(session, selection, names, digest, returning=result.rows is not None)
        if isinstance(outcome, list):
            result.rows.extend(outcome)
            result.raised += len(outcome)
        else:
            result.raised += outcome


def _bundle_digests(session: Session, now: datetime, settings: Settings, calendar) -> int:
    """One message per (digest subscription, kind) for the entries this scan raised, listing up to 100 tasks (most
    urgent first). A handful of statements whatever the number of digests. The entries are not marked: they are
    this scan's by their `created_at`, and the message key carries the same time."""
    entry = AlertDigestEntry.__table__.c
    this_scan = entry.created_at == literal(now, UTCDateTime)
    pending = session.execute(select(entry.endpoint_id, entry.event_type, func.count()).where(
        this_scan).group_by(entry.endpoint_id, entry.event_type)).all()
    if not pending:
        return 0
    rank = func.row_number().over(partition_by=(entry.endpoint_id, entry.event_type),
                                  order_by=(entry.deadline_on, entry.task_id)).label("rank")
    ranked = select(entry.endpoint_id, entry.event_type, entry.task_id, rank).where(this_scan).subquery()
    listed = session.execute(select(ranked.c.endpoint_id, ranked.c.event_type, ranked.c.task_id)
                             .where(ranked.c.rank <= DIGEST_LIMIT).order_by(ranked.c.rank)).all()
    task_ids = {row.task_id for row in listed}
    tasks = {t.id: t for t in session.execute(select(Task.__table__).where(Task.id.in_(task_ids)))}
    directives = {d.id: d for d in session.execute(select(Directive.__table__).where(
        Directive.id.in_({t.directive_id for t in tasks.values()})))}
    agencies = {a.id: a for a in session.execute(select(Agency.__table__).where(
        Agency.id.in_({t.lead_agency_id for t in tasks.values()})))}
    today = clock.local_day(now)
    rendered: dict[tuple[int, str], dict] = {}  # the same task reads the same in every digest of this scan
    items: dict[tuple[int, str], list[dict]] = defaultdict(list)
    for endpoint_id, event_type, task_id in listed:
        data = rendered.get((task_id, event_type))
        if data is None:
            task = tasks[task_id]
            data, _ = texts.alert_data(event_type=event_type, task=task, directive=directives[task.directive_id],
                                          lead_agency=agencies[task.lead_agency_id], today=today, calendar=calendar)
            rendered[(task_id, event_type)] = data
        items[(endpoint_id, event_type)].append(data)
    run = now.isoformat()
    messages = [outbox.message_row(
        endpoint_id=endpoint_id, event_type=event_type, now=now, dedupe_key=f"digest:{event_type}:{run}",
        payload=payloads.envelope(event_type, now, {
            "digest": True, "count": count, "truncated": count > DIGEST_LIMIT,
            "tasks": items[(endpoint_id, event_type)],
            "text": texts.digest_text(event_type, count, items[(endpoint_id, event_type)])}))
        for endpoint_id, event_type, count in pending]
    # The same `now` twice (a retried tick) finds this scan's messages there already: they are not doubled.
    return outbox.enqueue(session, messages)


def preview(*, session: Session, now: datetime, settings: Settings, principal: Principal) -> list[dict]:
    """What a scan at `now` would raise, per subscription the caller may see, without keeping any of it (the
    caller's unit of work is a dry run)."""
    endpoint_ids = None if policy.allows(principal, Action.read_all_webhooks) else {
        e.id for e in webhook_service.list_endpoints(session=session, principal=principal)}
    result = scan(session=session, now=now, settings=settings, collect=True, full=True)
    by_endpoint: dict[int, list[dict]] = defaultdict(list)
    for endpoint_id, task_id, event_type, dedupe_key in result.rows:
        if endpoint_ids is None or endpoint_id in endpoint_ids:
            by_endpoint[endpoint_id].append({"type": event_type, "task_id": task_id, "window": dedupe_key})
    endpoints = {e.id: e for e in webhook_service.active_endpoints(session)}
    return [{"webhook_id": endpoint_id, "url": endpoints[endpoint_id].url, "digest": endpoints[endpoint_id].digest,
             "alerts": sorted(alerts, key=lambda a: (a["type"], a["task_id"]))}
            for endpoint_id, alerts in sorted(by_endpoint.items())]

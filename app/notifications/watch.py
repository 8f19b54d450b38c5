"""What raises people's notifications, on the webhooks' own paths and windows:

- the journal: every batch of journal rows the delivery worker fans out to the subscriptions is read here in the same
  transaction (app/webhooks/hooks.py: `journal_read`), each row told to the people it concerns by its event type
  (app/notifications/kinds.py: `of_event`), keyed `journal:<row>`;
- the deadline watch's windows (app/alerts/service.py: `windows`, the global policy `ROVIEC_ALERT_*`) and keys
  (`kind:task:deadline:window`), and the indicator watch's off-track alerts (app/alerts/indicators.py: `candidates`,
  keyed `indicator:off_track:<indicator>:<period>`), raised by the people's scan every tick; then the digests whose
  hour has come.

Whatever the replicas, restarts or repeated ticks, each (account, key) is raised once (app/notifications/outbox.py).
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import func, select
from sqlmodel import Session

from app import clock, messages
from app.agencies import service as agency_service
from app.agencies.models import Agency
from app.alerts import indicators as indicator_alerts
from app.alerts import service as alert_service
from app.alerts import texts as alert_texts
from app.auth import accounts
from app.calendar import service as calendar_service
from app.config import Settings
from app.directives.models import Directive
from app.notifications import kinds, outbox
from app.notifications import service as notification_service
from app.notifications import texts as notification_texts
from app.notifications.kinds import Kind, Mode, Recipient, Toward
from app.notifications.models import Notification, NotificationScanState
from app.notifications.outbox import Pending
from app.tasks import journal
from app.tasks.models import Task, TaskEvent
from app.tasks.status import CHASED
from app.webhooks import hooks, payloads
from app.webhooks.models import EventType

log = logging.getLogger("roviec.notifications")

SCAN_LOCK = 727_006  # PostgreSQL advisory lock: one people's scan at a time across replicas
CHANGE_MARGIN = timedelta(minutes=10)
DEADLINE_KINDS = (Kind.due_soon, Kind.overdue, Kind.escalated)
# The global deadline-alert policy (ROVIEC_ALERT_*): people have no per-subscription overrides.
_GLOBAL_POLICY = SimpleNamespace(alert_policy=None)


def register_with_delivery(settings: Settings) -> None:
    """The fan-out tells people too (app/webhooks/hooks.py), as part of starting the worker (app/notifications/
    jobs.py, and the tests' worker)."""
    hooks.read_journal_with("notifications", lambda *, session, event_ids, now: from_journal(
        session=session, event_ids=event_ids, now=now, settings=settings))


# ---------------------------------------------------------------- journal events


def _who(row: TaskEvent, names: dict[int, str], agencies: dict[int, Agency]) -> str:
    if row.actor_account_id in names:
        return names[row.actor_account_id]
    agency = agencies.get(row.actor_agency_id) if row.actor_agency_id else None
    return agency.name if agency is not None else messages.secretariat_name()


def from_journal(*, session: Session, event_ids: list[int], now: datetime, settings: Settings) -> outbox.Raised:
    """Tells the people each journal row concerns, in the fan-out's transaction, keyed by the row. The person who
    made the change is not told of it."""
    rows = list(session.scalars(select(TaskEvent).where(TaskEvent.id.in_(event_ids)).order_by(TaskEvent.id)))
    told = []
    for row in rows:
        event_type = str(payloads.EVENT_OF_JOURNAL_KIND.get(row.kind) or f"task.{row.kind}")
        described = kinds.of_event(event_type, row.kind)
        if described is not None:
            told.append((row, event_type, *described))
    if not told:
        return outbox.Raised()
    everyone = [r for r in notification_service.recipients(session=session)
                if any(r.mode(kind) != Mode.none for _, _, kind, _ in told)]
    if not everyone:
        return outbox.Raised()
    tasks = {t.id: t for t in session.scalars(select(Task).where(Task.id.in_({row.task_id for row, *_ in told})))}
    directives = {d.id: d for d in session.scalars(select(Directive).where(
        Directive.id.in_({t.directive_id for t in tasks.values()})))}
    agencies = agency_service.by_ids(session=session, agency_ids={row.lead_agency_id for row, *_ in told} | {
        row.actor_agency_id for row, *_ in told if row.actor_agency_id})
    names = accounts.display_names(session=session, account_ids={
        row.actor_account_id for row, *_ in told if row.actor_account_id})
    calendar = calendar_service.get_calendar(session=session)
    after = journal.tasks_after(session=session, rows=[row for row, *_ in told], tasks=tasks)  # as the webhooks
    pendings = []
    for row, event_type, kind, toward in told:
        task = after[row.id]
        targets = [r for r in everyone if r.mode(kind) != Mode.none and r.account_id != row.actor_account_id
                   and kinds.concerns_task(r, kind, toward, lead_agency_id=row.lead_agency_id,
                                           coordinating_agency_ids=task.coordinating_agency_ids or ())]
        if not targets:
            continue
        lead = agencies[row.lead_agency_id]
        body = _event_line(row, task=task, directive=directives[task.directive_id], lead=lead, calendar=calendar,
                           who=_who(row, names, agencies))
        subject = notification_texts.subject(event_type, task.title)
        pendings += [Pending(recipient=r, kind=kind, event_type=event_type, key=f"journal:{row.id}", subject=subject,
                             body=body, link=f"/tasks/{task.id}", task_id=task.id) for r in targets]
    return outbox.raise_all(session, pendings, now=now, settings=settings)


def _event_line(row: TaskEvent, *, task, directive, lead, calendar, who: str) -> str:
    """The webhooks' own line for the row (so a person and a chat tool read the same words), or, for an event they
    do not word, a line of ours."""
    generic = f": {row.kind}."
    if row.kind in payloads.EVENT_OF_JOURNAL_KIND:
        line = payloads.task_event_body(journal_row=row, task=task, directive=directive, lead_agency=lead,
                                        calendar=calendar)["data"]["text"]
        if not line.endswith(generic):
            return line
    return notification_texts.said_line(row.kind, who=who, title=task.title, lead=lead.name,
                                        deadline=messages.vn_date_short(row.deadline_on),
                                        said=notification_texts.excerpt(row))


# ---------------------------------------------------------------- the scan: deadlines, indicators, digests


@dataclass
class ScanResult:
    skipped: bool = False
    raised: int = 0
    emails: int = 0
    digests: int = 0


def _audience(everyone: list[Recipient]) -> str:
    """Who wants which kinds, as a signature: another one (a new account, a preference changed, an account
    deactivated) makes the next scan read every task."""
    wanted = sorted((r.account_id, r.agency_id, r.own_tasks_only, tuple(sorted((k.value, m.value)
                                                                             for k, m in r.modes.items())))
                    for r in everyone)
    return hashlib.sha256(repr(wanted).encode()).hexdigest()


def scan(*, session: Session, now: datetime, settings: Settings, full: bool = False) -> ScanResult:
    """Raises the people's deadline and indicator notifications due at `now`, then bundles the digests whose hour
    has come. The caller commits. The first scan of a day (or after the calendar or anyone's choices changed) looks
    at every task; later ones only at tasks changed since the last, unless `full`."""
    if session.get_bind().dialect.name == "postgresql" and not session.scalar(
            select(func.pg_try_advisory_xact_lock(SCAN_LOCK))):
        return ScanResult(skipped=True)  # another replica is scanning; the unique keys would stop a double anyway
    result = ScanResult()
    everyone = notification_service.recipients(session=session)
    listening = [r for r in everyone if any(r.mode(k) != Mode.none for k in (*DEADLINE_KINDS,
                                                                          Kind.indicator_off_track))]
    if not listening:  # nobody wants a deadline or an indicator: only the digests' hour may have come
        result.digests = outbox.bundle_digests(session, now=now, settings=settings,
                                               recipients={r.account_id: r for r in everyone})
        return result
    today = clock.local_day(now)
    signature = calendar_service.ensure_effective_days(session=session)
    calendar = calendar_service.get_calendar(session=session, signature=signature)
    audience = _audience(everyone)
    changed_since = None if full else _changed_since(session, today, now, signature, audience)
    pendings = _deadline_pendings(session, everyone, today=today, calendar=calendar, settings=settings,
                                  changed_since=changed_since)
    pendings += _indicator_pendings(session, everyone, today=today)
    raised = outbox.raise_all(session, pendings, now=now, settings=settings)
    result.raised, result.emails = raised.notifications, raised.emails
    result.digests = outbox.bundle_digests(session, now=now, settings=settings,
                                           recipients={r.account_id: r for r in everyone})
    state = session.get(NotificationScanState, 1) or NotificationScanState(id=1, scanned_day=today, scanned_at=now)
    state.scanned_day, state.scanned_at = today, now
    state.calendar_signature, state.audience_signature = signature, audience
    session.add(state)
    session.flush()
    return result


def _changed_since(session: Session, today: date, now: datetime, signature: str, audience: str) -> datetime | None:
    state = session.get(NotificationScanState, 1)
    if (state is None or state.scanned_day != today or state.scanned_at > now or state.calendar_signature != signature
            or state.audience_signature != audience):
        return None
    return state.scanned_at - CHANGE_MARGIN


def _deadline_pendings(session: Session, everyone: list[Recipient], *, today: date, calendar, settings: Settings,
                       changed_since: datetime | None) -> list[Pending]:
    """Tasks still chased whose deadline is in a window today, for the people they concern: keyed as the webhook
    alerts are (`due_soon:12:2026-12-20:7`, `overdue:12:2026-12-01:4` — the days overdue when the window opened)."""
    listening = [r for r in everyone if any(r.mode(k) != Mode.none for k in DEADLINE_KINDS)]
    if not listening:
        return []
    found = alert_service.windows(policy=alert_service.policy_of(_GLOBAL_POLICY, settings),
                                  wanted=frozenset(alert_service.ALERT_TYPES), today=today, calendar=calendar)
    in_windows: list[tuple[Task, alert_service.Window]] = []
    for window in found:
        statement = select(Task).where(Task.status.in_([s.value for s in CHASED]), Task.deadline_on >= window.lo,
                                       Task.deadline_on <= window.hi)
        if changed_since is not None:
            statement = statement.where(Task.updated_at >= changed_since)
        in_windows += [(task, window) for task in session.scalars(statement)]
    if not in_windows:
        return []
    keyed = []
    for task, window in in_windows:
        suffix = window.key_suffix
        if window.repeat:  # overdue: the window opened every `repeat` days, named by the days overdue then
            days_overdue = (today - calendar.effective(task.deadline_on)).days
            suffix = f":{(days_overdue - 1) // window.repeat * window.repeat + 1}"
        keyed.append((task, window, f"{window.key_prefix}{task.id}:{task.deadline_on.isoformat()}{suffix}"))
    # Raised already: the unique keys decide, this only spares rendering what they would refuse (a day's first scan
    # reads every overdue task again).
    told = _told(session, {r.account_id for r in listening}, {key for _, _, key in keyed})
    directives = {d.id: d for d in session.scalars(select(Directive).where(
        Directive.id.in_({t.directive_id for t, _ in in_windows})))}
    agencies = agency_service.by_ids(session=session, agency_ids={t.lead_agency_id for t, _ in in_windows})
    pendings = []
    for task, window, key in keyed:
        kind = kinds.ALERT_KINDS[window.event_type]
        targets = [r for r in listening if r.mode(kind) != Mode.none and (r.account_id, key) not in told
                   and kinds.concerns_task(r, kind, Toward.both, lead_agency_id=task.lead_agency_id)]
        if not targets:
            continue
        data, _ = alert_texts.alert_data(event_type=window.event_type, task=task, today=today, calendar=calendar,
                                         directive=directives[task.directive_id],
                                         lead_agency=agencies[task.lead_agency_id])
        subject = notification_texts.subject(window.event_type, task.title)
        pendings += [Pending(recipient=r, kind=kind, event_type=window.event_type, key=key, subject=subject,
                             body=data["text"], link=f"/tasks/{task.id}", task_id=task.id) for r in targets]
    return pendings


def _told(session: Session, account_ids: set[int], keys: set[str]) -> set[tuple[int, str]]:
    """The (account, key) pairs among these raised before."""
    found: set[tuple[int, str]] = set()
    ordered = sorted(keys)
    for start in range(0, len(ordered), outbox.CHUNK):
        found |= set(session.execute(select(Notification.account_id, Notification.dedupe_key).where(
            Notification.account_id.in_(account_ids),
            Notification.dedupe_key.in_(ordered[start:start + outbox.CHUNK]))).tuples())
    return found


def _indicator_pendings(session: Session, everyone: list[Recipient], *, today: date) -> list[Pending]:
    """Indicators off track against a target whose period has begun, for the agency reporting each and whoever
    follows every agency; keyed as the webhook alerts are (`indicator:off_track:<indicator>:<period>`)."""
    listening = [r for r in everyone if r.mode(Kind.indicator_off_track) != Mode.none]
    if not listening:
        return []
    pendings = []
    for candidate in indicator_alerts.candidates(session=session, today=today):
        if candidate.event_type != EventType.indicator_off_track:
            continue
        targets = [r for r in listening if kinds.concerns_indicator(r, candidate.agency_ids)]
        name = candidate.data["indicator"]["name"]
        subject = notification_texts.subject(candidate.event_type, f"{name} ({candidate.code})")
        pendings += [Pending(recipient=r, kind=Kind.indicator_off_track, event_type=candidate.event_type,
                             key=candidate.key, subject=subject, body=candidate.data["text"],
                             link=f"/indicators/{candidate.indicator_id}", indicator_id=candidate.indicator_id)
                     for r in targets]
    return pendings

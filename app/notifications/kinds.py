"""What people are told, as data: the kinds of notification, how each event or alert becomes one, who it concerns,
and what each role receives until it chooses otherwise.

- An agency's officer hears about the tasks its agency leads (a comment or an explanation also where it coordinates)
  and the indicators it reports; the secretariat and observers about every task and indicator.
- An event goes *toward* the side that has to act on it: a completion reported or a request made toward the
  secretariat's queue, a decision, a reminder or a request for an explanation toward the lead agency, a comment and
  the deadline watch's alerts to both. Observers, who act on nothing, may follow either side.
- Defaults follow the role (README "Notifications"): an officer everything about its own tasks at once; the
  secretariat its queues and escalations at once, comments in the daily digest; an observer nothing."""

from dataclasses import dataclass
from enum import StrEnum

from app.access import policy
from app.access.principal import Principal, Role


class Kind(StrEnum):
    due_soon = "due_soon"  # the deadline watch's due-soon windows, and due today
    overdue = "overdue"  # the first day overdue, then every N days
    escalated = "escalated"  # overdue past the escalation threshold
    completion_reported = "completion_reported"  # a completion awaiting the secretariat's acceptance
    extension_requested = "extension_requested"  # an extension or withdrawal awaiting its decision
    decided = "decided"  # a request decided, a completion accepted or sent back
    commented = "commented"  # a comment in a task's thread
    explanation = "explanation"  # an explanation asked for, or given
    reminded = "reminded"  # the secretariat chases ("đôn đốc")
    indicator_off_track = "indicator_off_track"  # an indicator behind the path to its target


class Mode(StrEnum):
    immediate = "immediate"  # in the inbox at once, and by e-mail
    digest = "digest"  # in the inbox and one e-mail a day, at the account's hour
    none = "none"


class Toward(StrEnum):
    agency = "agency"  # the lead agency acts on it
    secretariat = "secretariat"  # the secretariat's queue
    both = "both"


ALL = tuple(Kind)
# The kinds each role is offered: an agency not the secretariat's queues; the secretariat not what it does itself
# (decisions, reminders); observers not the reminders and explanations, which ask something of the lead agency.
OFFERED: dict[Role, tuple[Kind, ...]] = {
    Role.agency: (Kind.due_soon, Kind.overdue, Kind.escalated, Kind.decided, Kind.commented, Kind.explanation,
                  Kind.reminded, Kind.indicator_off_track),
    Role.secretariat: tuple(k for k in ALL if k not in (Kind.reminded, Kind.decided)),
    Role.observer: tuple(k for k in ALL if k not in (Kind.reminded, Kind.explanation)),
}
DEFAULTS: dict[Role, dict[Kind, Mode]] = {
    Role.agency: dict.fromkeys(OFFERED[Role.agency], Mode.immediate),
    Role.secretariat: {Kind.escalated: Mode.immediate, Kind.completion_reported: Mode.immediate,
                       Kind.extension_requested: Mode.immediate, Kind.explanation: Mode.immediate,
                       Kind.commented: Mode.digest},
    Role.observer: {},
}
DEFAULT_DIGEST_HOUR = 7

# The deadline watch's alerts (app/alerts/service.py: ALERT_TYPES) and the indicator watch's.
ALERT_KINDS = {"task.due_soon": Kind.due_soon, "task.due_today": Kind.due_soon, "task.overdue": Kind.overdue,
               "task.escalated": Kind.escalated, "indicator.off_track": Kind.indicator_off_track}
# Journal events, by the webhook event type each becomes (app/webhooks/payloads.py: EVENT_OF_JOURNAL_KIND).
EVENT_KINDS: dict[str, tuple[Kind, Toward]] = {
    "task.extension_requested": (Kind.extension_requested, Toward.secretariat),
    "task.extension_decided": (Kind.decided, Toward.agency),
    "task.completed": (Kind.decided, Toward.agency),
    "task.reopened": (Kind.decided, Toward.agency),
    "task.commented": (Kind.commented, Toward.both),
    "task.reminded": (Kind.reminded, Toward.agency),
    "task.explanation_requested": (Kind.explanation, Toward.agency),
    "task.explanation_answered": (Kind.explanation, Toward.secretariat),
}
# Journal kinds whose event type says too little: a progress report and a completion report are both
# task.progress_reported; only the completion waits on the secretariat.
JOURNAL_KINDS: dict[str, tuple[Kind, Toward] | None] = {
    "completion_reported": (Kind.completion_reported, Toward.secretariat),
    "progress_reported": None,
}


def of_event(event_type: str, journal_kind: str | None = None) -> tuple[Kind, Toward] | None:
    """The kind a journal event is told as, and toward whom; None: not told to people (a task created, edited, a
    progress report). Read by the event's type, so an event added later is told once its type is one of these; a
    type never listed still is when it names a comment, a reminder or an explanation."""
    if journal_kind in JOURNAL_KINDS:
        return JOURNAL_KINDS[journal_kind]
    if event_type in EVENT_KINDS:
        return EVENT_KINDS[event_type]
    name = f"{event_type} {journal_kind or ''}"
    if "explanation" in name:
        return Kind.explanation, (Toward.secretariat if "answer" in name else Toward.agency)
    if "comment" in name:
        return Kind.commented, Toward.both
    if "remind" in name:
        return Kind.reminded, Toward.agency
    return None


@dataclass(frozen=True)
class Recipient:
    """An active account as the raising code needs it."""

    account_id: int
    agency_id: int
    role: Role
    own_tasks_only: bool  # an agency's officer: hears about its agency's tasks and indicators only
    modes: dict[Kind, Mode]  # every kind it is offered, chosen or by default
    digest_hour: int
    email: str | None  # a verified address, or None
    full_name: str = ""

    def mode(self, kind: Kind) -> Mode:
        return self.modes.get(kind, Mode.none)


def own_tasks_only(principal: Principal) -> bool:
    """The policy's word for an agency's officer: it answers only for the tasks its agency leads."""
    return policy.answers_only_for_its_own_tasks(principal)


def modes_for(role: Role, chosen: dict[str, str]) -> dict[Kind, Mode]:
    """Every kind the role is offered, with the mode chosen, or the role's default (none when it has none)."""
    defaults = DEFAULTS.get(role, {})
    modes = {}
    for kind in OFFERED.get(role, ()):
        mode = chosen.get(kind.value)
        modes[kind] = Mode(mode) if mode in Mode.__members__ else defaults.get(kind, Mode.none)
    return modes


def concerns_task(recipient: Recipient, kind: Kind, toward: Toward, *, lead_agency_id: int,
                  coordinating_agency_ids: list[int] | tuple[int, ...] = ()) -> bool:
    """Whether an event about a task is this recipient's to hear."""
    if recipient.own_tasks_only:
        if toward == Toward.secretariat:
            return False
        if recipient.agency_id == lead_agency_id:
            return True
        return kind in (Kind.commented, Kind.explanation) and recipient.agency_id in (coordinating_agency_ids or ())
    if recipient.role == Role.secretariat:
        return toward != Toward.agency
    return True  # an observer follows both sides


def concerns_indicator(recipient: Recipient, agency_ids) -> bool:
    """An indicator alert: the agency reporting it (or its successor), and whoever follows every agency."""
    return not recipient.own_tasks_only or recipient.agency_id in agency_ids

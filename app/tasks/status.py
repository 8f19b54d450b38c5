"""The one status machine: the moves a task can make, where each leads, the named sets of statuses the rules speak
of, and the kinds of journal entry. Every status change goes through `move`."""

from enum import StrEnum

from app import messages
from app.errors import ApiError


class TaskStatus(StrEnum):
    new = "new"
    in_progress = "in_progress"
    reported_done = "reported_done"
    completed = "completed"
    withdrawn = "withdrawn"
    removed = "removed"  # recorded by mistake (a duplicate, a misread clause) and taken out by the secretariat


class Move(StrEnum):
    progress = "progress"  # POST /tasks/{id}/progress with status in_progress
    report_done = "report_done"  # POST /tasks/{id}/progress with status reported_done
    accept = "accept"  # the secretariat accepts a reported completion
    reject = "reject"  # ... or sends it back: the task is reopened
    withdraw = "withdraw"  # an approved withdrawal request
    remove = "remove"  # the secretariat takes out a task recorded by mistake, before anyone reported on it


# status -> move -> the status it leads to. `completed` and `withdrawn` are final.
TRANSITIONS: dict[TaskStatus, dict[Move, TaskStatus]] = {
    TaskStatus.new: {Move.progress: TaskStatus.in_progress, Move.report_done: TaskStatus.reported_done,
                     Move.withdraw: TaskStatus.withdrawn, Move.remove: TaskStatus.removed},
    TaskStatus.in_progress: {Move.progress: TaskStatus.in_progress, Move.report_done: TaskStatus.reported_done,
                             Move.withdraw: TaskStatus.withdrawn},
    TaskStatus.reported_done: {Move.accept: TaskStatus.completed, Move.reject: TaskStatus.in_progress,
                               Move.withdraw: TaskStatus.withdrawn},
    TaskStatus.completed: {},
    TaskStatus.withdrawn: {},
    TaskStatus.removed: {},
}
# How a client makes each move (shown in a 409's allowed_transitions).
VIA: dict[Move, str] = {Move.progress: "POST /progress", Move.report_done: "POST /progress",
                        Move.accept: "POST /accept", Move.reject: "POST /reject",
                        Move.withdraw: "approved withdrawal request", Move.remove: "POST /remove"}

OPEN = frozenset({TaskStatus.new, TaskStatus.in_progress, TaskStatus.reported_done})  # "chưa hoàn thành"
CHASED = frozenset({TaskStatus.new, TaskStatus.in_progress})  # reminded and alerted: a reported completion is not
EXTENDABLE = CHASED  # once completion is reported, the task is judged against the deadline it had
FINAL = frozenset({TaskStatus.completed, TaskStatus.withdrawn, TaskStatus.removed})
# Statuses that name what became of a task rather than its progress: they leave the grid (a removed one at every
# date: it should never have been recorded).
REMOVED = TaskStatus.removed.value
OPEN_VALUES = tuple(s.value for s in TaskStatus if s in OPEN)  # in a fixed order, for statements
# As SQL text: both planners match the partial index on open tasks only against literals.
OPEN_SQL = f"status IN ({', '.join(repr(v) for v in OPEN_VALUES)})"


class JournalKind(StrEnum):
    """What a journal entry records. app/webhooks/payloads.py says which webhook event each becomes."""

    created = "created"
    updated = "updated"
    progress_reported = "progress_reported"
    completion_reported = "completion_reported"
    completion_accepted = "completion_accepted"
    completion_rejected = "completion_rejected"
    extension_requested = "extension_requested"
    deadline_extended = "deadline_extended"
    extension_rejected = "extension_rejected"
    withdrawn = "withdrawn"
    reassigned = "reassigned"  # the lead agency was merged into its successor
    removed = "removed"  # taken out by the secretariat, recorded by mistake
    # What is said about a task, changing nothing of it (app/tasks/comments.py, app/tasks/reminders.py): each row
    # keeps the task's state as it stands, like every other.
    commented = "commented"  # a comment in the task's thread
    explanation_requested = "explanation_requested"  # the secretariat's comment asking the lead for an explanation
    explanation_answered = "explanation_answered"  # the lead agency's answer, which closes the request
    reminded = "reminded"  # the secretariat chases the lead agency ("đôn đốc"), at most once a day unless forced


# The journal kind each move writes.
KIND_OF_MOVE: dict[Move, JournalKind] = {
    Move.progress: JournalKind.progress_reported, Move.report_done: JournalKind.completion_reported,
    Move.accept: JournalKind.completion_accepted, Move.reject: JournalKind.completion_rejected,
    Move.withdraw: JournalKind.withdrawn, Move.remove: JournalKind.removed,
}


def allowed_moves(status: str) -> list[dict[str, str]]:
    return [{"status": to.value, "via": VIA[m]} for m, to in TRANSITIONS[TaskStatus(status)].items()]


def conflict(status: str, wanted: str | None = None, step: "Move | None" = None) -> ApiError:
    """409 for a move not allowed from `status`: named by the move (`step`) or by the status it wanted."""
    text = messages.refused_move(status, step.value) if step else messages.illegal_transition(status, wanted)
    return ApiError(409, *text, code="illegal_transition",
                    extra={"current_status": status, "allowed_transitions": allowed_moves(status)})


def move(status: str, step: Move) -> TaskStatus:
    """The status `step` leads to from `status`; 409 naming the allowed moves when it is not allowed."""
    target = TRANSITIONS[TaskStatus(status)].get(step)
    if target is None:
        raise conflict(status, step=step)
    return target

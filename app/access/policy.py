"""Who may do what: the role matrix of the product brief as data, and the one check every service calls.

A permission depends on the caller's role and on their relation to what the action is about: the task (its lead
agency, one of its coordinating agencies, or neither), or a resource an agency owns (a webhook subscription, an
account, an API token). Routers and pages never check roles themselves: they call a service, and the service calls
`require` (pages call `allows` to leave out what a role may not do, and the service still refuses a forged post).
"""

from collections.abc import Iterable
from enum import StrEnum

from app import messages
from app.access.principal import Operator, Principal, Role
from app.errors import forbidden


class Action(StrEnum):
    create_directive = "create_directive"
    edit_directive = "edit_directive"
    create_task = "create_task"
    edit_task = "edit_task"
    remove_task = "remove_task"  # take out a task recorded by mistake
    review_completion = "review_completion"  # accept or reject a reported completion
    decide_extension = "decide_extension"
    report_progress = "report_progress"  # progress and completion reports
    request_extension = "request_extension"  # extension and withdrawal requests
    read_task = "read_task"
    read_reports = "read_reports"  # the grid and the scoreboard of every lead agency: figures of the tasks
    # everyone may read (PRODUCT.md: every role reads all tasks), so every role reads them
    export_tasks = "export_tasks"  # take tasks away as a file (the list's CSV/XLSX, the completion list, the
    # report page): any lead agency's (relation other), or those the caller's agency leads (lead)
    manage_webhook = "manage_webhook"
    read_all_webhooks = "read_all_webhooks"
    manage_calendar = "manage_calendar"
    manage_agencies = "manage_agencies"
    import_notice = "import_notice"
    manage_accounts = "manage_accounts"  # accounts of any agency
    read_own_accounts = "read_own_accounts"  # the accounts of the caller's agency
    manage_own_tokens = "manage_own_tokens"  # API tokens of the caller's agency, for its own software
    manage_sessions = "manage_sessions"  # revoke anyone's sign-in sessions
    manage_report_settings = "manage_report_settings"  # the documents' issuing body, place, signer: the
    # secretariat's for every report it makes (any relation), an agency's own for the reports it exports (own)
    define_indicator = "define_indicator"  # indicators ("chỉ tiêu"), their targets and the tasks serving them
    record_measurement = "record_measurement"  # a value of an indicator: the secretariat, or the agency that
    # reports that indicator (own)
    read_indicators = "read_indicators"
    comment_task = "comment_task"  # write in a task's thread: the secretariat, the lead and coordinating agencies
    request_explanation = "request_explanation"  # a comment asking the lead agency to explain ("yêu cầu giải trình")
    answer_explanation = "answer_explanation"  # answer such a request: the lead agency (the secretariat may record
    # an answer the agency sent on paper)
    remind_task = "remind_task"  # chase the lead agency ("đôn đốc"): once a task a day, unless forced with a reason


class Relation(StrEnum):
    """The caller's relation to what an action is about."""

    lead = "lead"  # the caller's agency leads the task
    coordinating = "coordinating"  # the caller's agency coordinates the task
    own = "own"  # the caller's agency owns the resource (a subscription, an account, a token)
    other = "other"  # none of these, or nothing in particular (creating a directive)


ANY = frozenset(Relation)
NONE: frozenset[Relation] = frozenset()
S, A, OBS = Role.secretariat, Role.agency, Role.observer
# The operator runs the service on its own machine (the command line, the scheduled jobs, the seed loader): it may
# do anything, as whoever holds the database may; its column says so, where a `None` used to skip the check.
OP = Operator.operator

# action -> role -> the relations under which that role may act. PRODUCT.md, "Roles (who may do what)".
POLICY: dict[Action, dict[Role | Operator, frozenset[Relation]]] = {
    Action.create_directive: {S: ANY, A: NONE, OBS: NONE, OP: ANY},
    Action.edit_directive: {S: ANY, A: NONE, OBS: NONE, OP: ANY},
    Action.create_task: {S: ANY, A: NONE, OBS: NONE, OP: ANY},
    Action.edit_task: {S: ANY, A: NONE, OBS: NONE, OP: ANY},
    Action.remove_task: {S: ANY, A: NONE, OBS: NONE, OP: ANY},
    Action.review_completion: {S: ANY, A: NONE, OBS: NONE, OP: ANY},
    Action.decide_extension: {S: ANY, A: NONE, OBS: NONE, OP: ANY},
    Action.report_progress: {S: ANY, A: frozenset({Relation.lead}), OBS: NONE, OP: ANY},
    Action.request_extension: {S: ANY, A: frozenset({Relation.lead}), OBS: NONE, OP: ANY},
    Action.read_task: {S: ANY, A: ANY, OBS: ANY, OP: ANY},
    Action.read_reports: {S: ANY, A: ANY, OBS: ANY, OP: ANY},
    Action.export_tasks: {S: ANY, A: frozenset({Relation.lead}), OBS: ANY, OP: ANY},
    Action.manage_webhook: {S: ANY, A: frozenset({Relation.own}), OBS: frozenset({Relation.own}), OP: ANY},
    Action.read_all_webhooks: {S: ANY, A: NONE, OBS: NONE, OP: ANY},
    Action.manage_calendar: {S: ANY, A: NONE, OBS: NONE, OP: ANY},
    Action.manage_agencies: {S: ANY, A: NONE, OBS: NONE, OP: ANY},
    Action.import_notice: {S: ANY, A: NONE, OBS: NONE, OP: ANY},
    Action.manage_accounts: {S: ANY, A: NONE, OBS: NONE, OP: ANY},
    Action.read_own_accounts: {S: ANY, A: frozenset({Relation.own}), OBS: frozenset({Relation.own}), OP: ANY},
    Action.manage_own_tokens: {S: ANY, A: frozenset({Relation.own}), OBS: NONE, OP: ANY},
    Action.manage_sessions: {S: ANY, A: NONE, OBS: NONE, OP: ANY},
    Action.manage_report_settings: {S: ANY, A: frozenset({Relation.own}), OBS: frozenset({Relation.own}), OP: ANY},
    Action.define_indicator: {S: ANY, A: NONE, OBS: NONE, OP: ANY},
    Action.record_measurement: {S: ANY, A: frozenset({Relation.own}), OBS: NONE, OP: ANY},
    Action.read_indicators: {S: ANY, A: ANY, OBS: ANY, OP: ANY},
    Action.comment_task: {S: ANY, A: frozenset({Relation.lead, Relation.coordinating}), OBS: NONE, OP: ANY},
    Action.request_explanation: {S: ANY, A: NONE, OBS: NONE, OP: ANY},
    Action.answer_explanation: {S: ANY, A: frozenset({Relation.lead}), OBS: NONE, OP: ANY},
    Action.remind_task: {S: ANY, A: NONE, OBS: NONE, OP: ANY},
}


def relation_to_task(principal: Principal, *, lead_agency_id: int,
                     coordinating_agency_ids: Iterable[int] = ()) -> Relation:
    if principal.agency_id == lead_agency_id:
        return Relation.lead
    if principal.agency_id in coordinating_agency_ids:
        return Relation.coordinating
    return Relation.other


def relation_to_owner(principal: Principal, owner_agency_id: int | None) -> Relation:
    return Relation.own if owner_agency_id is not None and principal.agency_id == owner_agency_id else Relation.other


def _relation(principal: Principal, task) -> Relation:
    if task is None:
        return Relation.other
    if isinstance(task, dict):  # a task as the API and the pages show it
        return relation_to_task(principal, lead_agency_id=task["lead_agency_id"],
                                coordinating_agency_ids=task.get("coordinating_agency_ids") or ())
    return relation_to_task(principal, lead_agency_id=task.lead_agency_id,
                            coordinating_agency_ids=getattr(task, "coordinating_agency_ids", None) or ())


def allows(principal: Principal, action: Action, task=None, *, relation: Relation | None = None) -> bool:
    """Whether `principal` may do `action`: on `task` (anything with lead_agency_id and coordinating_agency_ids), or
    under the `relation` given (a resource's owner, from relation_to_owner)."""
    allowed = POLICY[action][principal.role]
    if allowed == ANY:
        return True
    return (relation or _relation(principal, task)) in allowed


def require(principal: Principal, action: Action, task=None, *, relation: Relation | None = None) -> None:
    """Raises 403 (nothing is changed) unless `principal` may do `action`."""
    if not allows(principal, action, task, relation=relation):
        en, vi = messages.FORBIDDEN_ACTIONS[action.value]
        raise forbidden(en, vi.format(secretariat=messages.secretariat_name()))


def answers_only_for_its_own_tasks(principal: Principal) -> bool:
    """An agency's officer: reports on the tasks its agency leads and on no other; its home page shows them first,
    where those who follow every agency (the secretariat, observers) get the grid of all."""
    allowed = POLICY[Action.report_progress][principal.role]
    return Relation.lead in allowed and Relation.other not in allowed


def permissions(principal: Principal) -> list[str]:
    """The actions the caller may take on something (for GET /me): any task, or their agency's own resources."""
    return [action.value for action, roles in POLICY.items() if roles[principal.role]]

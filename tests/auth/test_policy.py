"""The policy table against the product brief's role matrix, written out by hand here (never generated from the
table under test)."""

import pytest

from app.access import policy
from app.access.policy import Action, Relation
from app.access.principal import OPERATOR, Principal, Role
from app.errors import ApiError

LEAD, COORD, OWN, OTHER = Relation.lead, Relation.coordinating, Relation.own, Relation.other
EVERY = {LEAD, COORD, OWN, OTHER}
# PRODUCT.md, "Roles (who may do what)": action -> role -> relations under which it is allowed.
EXPECTED = {
    # create/edit directives and tasks, accept completion, decide extensions: secretariat only
    Action.create_directive: {"secretariat": EVERY, "agency": set(), "observer": set()},
    Action.edit_directive: {"secretariat": EVERY, "agency": set(), "observer": set()},
    Action.create_task: {"secretariat": EVERY, "agency": set(), "observer": set()},
    Action.edit_task: {"secretariat": EVERY, "agency": set(), "observer": set()},
    Action.remove_task: {"secretariat": EVERY, "agency": set(), "observer": set()},
    Action.review_completion: {"secretariat": EVERY, "agency": set(), "observer": set()},
    Action.decide_extension: {"secretariat": EVERY, "agency": set(), "observer": set()},
    # report progress / completion, request extension: secretariat; lead agency, own tasks only
    Action.report_progress: {"secretariat": EVERY, "agency": {LEAD}, "observer": set()},
    Action.request_extension: {"secretariat": EVERY, "agency": {LEAD}, "observer": set()},
    # read tasks: everyone
    Action.read_task: {"secretariat": EVERY, "agency": EVERY, "observer": EVERY},
    # manage webhook subscriptions: all / own / own / own
    Action.manage_webhook: {"secretariat": EVERY, "agency": {OWN}, "observer": {OWN}},
    Action.read_all_webhooks: {"secretariat": EVERY, "agency": set(), "observer": set()},
    # the figures of every lead agency (grid, scoreboard) are counts of tasks everyone reads: everyone; files of
    # tasks: theirs all, an agency's only the tasks it leads
    Action.read_reports: {"secretariat": EVERY, "agency": EVERY, "observer": EVERY},
    Action.export_tasks: {"secretariat": EVERY, "agency": {LEAD}, "observer": EVERY},
    # the secretariat's own work
    Action.manage_calendar: {"secretariat": EVERY, "agency": set(), "observer": set()},
    Action.manage_agencies: {"secretariat": EVERY, "agency": set(), "observer": set()},
    Action.import_notice: {"secretariat": EVERY, "agency": set(), "observer": set()},
    Action.manage_accounts: {"secretariat": EVERY, "agency": set(), "observer": set()},
    Action.manage_sessions: {"secretariat": EVERY, "agency": set(), "observer": set()},
    # the letterhead of one's reports: the secretariat's for its own; an agency's and an observer's their own
    Action.manage_report_settings: {"secretariat": EVERY, "agency": {OWN}, "observer": {OWN}},
    # an agency lists its own accounts and manages the API tokens of its own software
    Action.read_own_accounts: {"secretariat": EVERY, "agency": {OWN}, "observer": {OWN}},
    Action.manage_own_tokens: {"secretariat": EVERY, "agency": {OWN}, "observer": set()},
    # indicators (issue 22): the secretariat defines them and their targets; the agency that reports one records
    # its values; everyone reads
    Action.define_indicator: {"secretariat": EVERY, "agency": set(), "observer": set()},
    Action.record_measurement: {"secretariat": EVERY, "agency": {OWN}, "observer": set()},
    Action.read_indicators: {"secretariat": EVERY, "agency": EVERY, "observer": EVERY},
    # a task's thread (issue 23): the secretariat, the lead and coordinating agencies write (everyone reads, as a
    # task); the secretariat asks for an explanation, the lead agency answers (the secretariat may record an answer
    # sent on paper); the secretariat alone chases ("đôn đốc")
    Action.comment_task: {"secretariat": EVERY, "agency": {LEAD, COORD}, "observer": set()},
    Action.request_explanation: {"secretariat": EVERY, "agency": set(), "observer": set()},
    Action.answer_explanation: {"secretariat": EVERY, "agency": {LEAD}, "observer": set()},
    Action.remind_task: {"secretariat": EVERY, "agency": set(), "observer": set()},
}


def test_every_action_has_an_expectation():
    assert set(EXPECTED) == set(Action)


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("relation", list(Relation))
def test_policy_matches_the_brief(action, role, relation):
    principal = Principal(token_id=1, agency_id=7, role=role)
    allowed = relation in EXPECTED[action][role.value]
    assert policy.allows(principal, action, relation=relation) is allowed
    if allowed:
        policy.require(principal, action, relation=relation)
    else:
        with pytest.raises(ApiError) as refused:
            policy.require(principal, action, relation=relation)
        assert refused.value.status_code == 403
        assert refused.value.message and refused.value.message_vi


class _Task:
    lead_agency_id = 7
    coordinating_agency_ids = [8]


@pytest.mark.parametrize(("agency_id", "relation"), [(7, LEAD), (8, COORD), (9, OTHER)])
def test_relation_to_a_task(agency_id, relation):
    principal = Principal(token_id=1, agency_id=agency_id, role=Role.agency)
    assert policy.allows(principal, Action.report_progress, _Task()) is (relation == LEAD)
    assert policy.relation_to_task(principal, lead_agency_id=7, coordinating_agency_ids=[8]) == relation


@pytest.mark.parametrize("action", list(Action))
def test_the_operator_may_do_anything_by_its_own_column(action):
    """The command line, the jobs and the seed loader act as the operator: the table's own column, not a skipped
    check, lets them."""
    assert policy.POLICY[action][OPERATOR.role] == frozenset(Relation)
    for relation in Relation:
        policy.require(OPERATOR, action, relation=relation)
    assert OPERATOR.agency_id is None and OPERATOR.is_operator


def test_only_an_agency_officer_gets_its_own_work_first():
    roles = {role: policy.answers_only_for_its_own_tasks(Principal(token_id=1, agency_id=7, role=role))
             for role in Role}
    assert roles == {Role.secretariat: False, Role.agency: True, Role.observer: False}

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.directives.schemas import in_range
from app.tasks.models import DeliverableType
from app.types import Id, Instant, NoNul


class AgencyBrief(BaseModel):
    id: int | None
    code: str
    name: str


class Span(BaseModel):
    start: int
    end: int
    text: str


class Missing(BaseModel):
    field: str
    msg: str
    msg_vi: str


class AlreadyAssigned(BaseModel):
    task_id: int
    title: str


class DraftRead(BaseModel):
    """One draft as the importer reads it (`app.imports.state.Draft.to_dict`, which crosses from the reading's child
    process as JSON), checked before it is stored: the same fields, in the same order, nothing else."""
    model_config = ConfigDict(extra="forbid")

    n: int
    clause_ref: str | None
    title: str
    lead_agency: AgencyBrief | None
    collective_lead: bool
    collective_text: str | None
    unknown_lead: str | None
    coordinating_agencies: list[AgencyBrief]
    unknown_agencies: list[str]
    deadline_text: str | None
    deadline_on: date | None
    deliverable_type: str
    deliverable_description: str | None
    objective: str | None
    accountable_official: str | None
    suggested_accountable_official: str | None
    expected_result: str | None
    flags: list[str]
    source: Span


class SegmentRead(BaseModel):
    """One piece of the notice as the importer reads it (`app.imports.state.Segment.to_dict`), checked before it is
    stored."""
    model_config = ConfigDict(extra="forbid")

    start: int
    end: int
    text: str
    fate: Literal["task", "not_task", "unread"]
    reason: str | None
    drafts: list[int]
    agencies: list[AgencyBrief]


class SegmentPublic(BaseModel):
    index: int = Field(description="its place in the notice, 0 first: POST /imports/{id}/segments/{index}/draft")
    start: int
    end: int
    text: str
    fate: Literal["task", "not_task", "unread"] = Field(
        description="task: it made the drafts listed; not_task: it assigns nothing (reason says why); unread: it may "
                    "assign work (an agency, an action, a date) but no rule read it -- make a draft from it, or "
                    "confirm at commit that it assigns nothing")
    reason: str | None = Field(description="why not a task: closing, responsibility, appendix, recipients, heading, "
                                           "review, past, praise, no_action, done, accountability, principle, "
                                           "oversight, existing_rule, covered, target")
    reason_en: str | None
    reason_vi: str | None
    drafts: list[int]
    agencies: list[AgencyBrief] = Field(description="the agencies it names, offered as lead of a draft made from it")
    by_officer: bool = Field(default=False, description="its draft was made by the officer from the unread piece")


class DraftPublic(BaseModel):
    n: int
    clause_ref: str | None
    title: str | None
    objective: str | None
    lead_agency: AgencyBrief | None
    collective_lead: bool
    collective_text: str | None = None
    unknown_lead: str | None = None
    coordinating_agencies: list[AgencyBrief]
    unknown_agencies: list[str]
    deadline_text: str | None
    deadline_on: date | None
    deliverable_type: DeliverableType | None
    deliverable_description: str | None
    accountable_official: str | None
    suggested_accountable_official: str | None
    expected_result: str | None
    priority: bool = False
    flags: list[str]
    missing: list[Missing] = Field(description='the "rõ" still missing, named as POST /tasks names them')
    source: Span = Field(description="where in the notice's text the draft comes from")
    skipped: bool = Field(description="left out at commit: skipped by the officer, or repeating a task already given "
                                      "under the directive (already_assigned) unless the officer keeps it")
    already_assigned: AlreadyAssigned | None = Field(
        default=None, description="the task already given under the directive that this draft repeats (same lead "
                                  "agency, same work): a notice read twice is not given twice")
    insist: bool = Field(default=False, description="kept by the officer although it repeats a task already given")
    task_id: int | None = None
    split_into: list[int] | None = None
    split_from: int | None = None
    from_segment: int | None = Field(default=None, description="made by the officer from this unread segment")
    offered_leads: list[AgencyBrief] | None = Field(default=None, description="the agencies its segment names")


class HeaderPublic(BaseModel):
    number: str | None
    issued_on: date | None
    title: str | None
    meeting_name: str | None
    meeting_date: date | None
    issuer: str | None
    existing_directive_id: int | None


class ImportPublic(BaseModel):
    id: int
    status: Literal["draft", "committed", "discarded"] = Field(description="draft, then committed (or discarded)")
    filename: str
    directive: HeaderPublic
    directive_id: int | None
    text: str
    drafts: list[DraftPublic]
    segments: list[SegmentPublic] = Field(description="the notice cut into the pieces the importer looked at, in "
                                                      "order, each with its fate")
    unread: int = Field(description="how many segments are still unread (no draft made from them)")
    warnings: list[str]
    created_at: Instant
    committed_at: Instant | None
    version: int


class DirectiveHeaderUpdate(NoNul):
    model_config = ConfigDict(extra="forbid")

    number: str | None = Field(default=None, max_length=50)
    issued_on: date | None = None
    title: str | None = Field(default=None, max_length=500)
    meeting_name: str | None = Field(default=None, max_length=300)
    meeting_date: date | None = None
    issuer: str | None = Field(default=None, max_length=200)
    _dates = field_validator("issued_on", "meeting_date")(in_range)  # as the directive's own


class CommitOptions(NoNul):
    model_config = ConfigDict(extra="forbid")

    confirm_unread: bool = Field(default=False, description="commit although segments are still unread (the "
                                                            "answer is kept in each task's journal origin)")


class DraftUpdate(NoNul):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, max_length=1000)
    objective: str | None = Field(default=None, max_length=2000)
    lead_agency_id: Id | None = None
    coordinating_agency_ids: list[Id] | None = Field(default=None, max_length=50)
    accountable_official: str | None = Field(default=None, max_length=300)
    deadline: str | None = Field(default=None, max_length=200)
    deliverable_type: DeliverableType | None = None
    deliverable_description: str | None = Field(default=None, max_length=2000)
    expected_result: str | None = Field(default=None, max_length=2000)
    clause_ref: str | None = Field(default=None, max_length=100)
    priority: bool | None = None
    skip: bool | None = Field(default=None, description="true: not given; false: given, even when it repeats a task "
                                                        "already given under the directive")
    split_into: list[Id] | None = Field(default=None, max_length=100, description="one draft per agency")

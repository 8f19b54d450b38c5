from datetime import date

from pydantic import BaseModel, Field

from app.agencies.schemas import AgencyRef


class Completed(BaseModel):
    total: int
    on_time: int
    late: int


class NotCompleted(BaseModel):
    total: int
    in_time: int
    overdue: int


class Standing(BaseModel):
    """Standing tasks ("thường xuyên"), out of the 2x2 grid: judged on their periodic reports."""

    total: int
    late: int


class Grid(BaseModel):
    total: int = Field(description="tasks with a deadline (standing tasks are counted apart)")
    completed: Completed
    not_completed: NotCompleted
    standing: Standing


class AgencyGrid(Grid):
    agency: AgencyRef


class DirectiveInfo(BaseModel):
    id: int
    number: str
    issued_on: date
    meeting_name: str
    meeting_date: date


class Summary(Grid):
    as_of: date
    directive: DirectiveInfo | None
    by_lead_agency: list[AgencyGrid]
    summary_vi: str


class AgencyScore(BaseModel):
    """One line of the scoreboard ("bảng xếp hạng") meetings discuss."""

    agency: AgencyRef
    tasks: int
    completed_on_time: int
    completed_late: int
    in_time: int
    overdue: int
    completion_rate: float
    average_days_overdue: float

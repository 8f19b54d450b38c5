from datetime import date

from pydantic import BaseModel

from app.agencies.schemas import AgencyRef


class Completed(BaseModel):
    total: int
    on_time: int
    late: int


class NotCompleted(BaseModel):
    total: int
    in_time: int
    overdue: int


class Grid(BaseModel):
    total: int
    completed: Completed
    not_completed: NotCompleted


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

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from app.types import UTCDateTime, utcnow


class DirectiveBase(SQLModel):
    number: str = Field(max_length=50, unique=True, description="e.g. 128/TB-VPCP")
    title: str = Field(max_length=500)
    issued_on: date
    meeting_name: str = Field(max_length=300)
    meeting_date: date
    issuer: str = Field(max_length=200)


class Directive(DirectiveBase, table=True):
    __tablename__ = "directives"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.clock import utcnow
from app.types import UTCDateTime


class DirectiveBase(SQLModel):
    number: str = Field(max_length=50, description="e.g. 128/TB-VPCP; numbers restart every year, so a number always "
                                                   "goes with its year")
    title: str = Field(max_length=500)
    issued_on: date
    meeting_name: str = Field(max_length=300)
    meeting_date: date
    issuer: str = Field(max_length=200)


class Directive(DirectiveBase, table=True):
    __tablename__ = "directives"
    __table_args__ = (UniqueConstraint("number", "issued_year"),)

    id: int | None = Field(default=None, primary_key=True)
    issued_year: int = Field(description="the year of issued_on: with the number, what names a directive")
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @property
    def reference(self) -> str:
        """How the directive is named wherever it is shown: "128/TB-VPCP (2022)"."""
        return f"{self.number} ({self.issued_year})"


class DirectiveEvent(SQLModel, table=True):
    """Append-only journal of a directive: its recording and every correction (before and after)."""

    __tablename__ = "directive_events"
    __table_args__ = (Index("ix_directive_events_directive_id_occurred_at", "directive_id", "occurred_at"),)

    id: int | None = Field(default=None, primary_key=True)
    directive_id: int = Field(foreign_key="directives.id")
    occurred_at: datetime = Field(sa_type=UTCDateTime)
    actor_token_id: int | None = Field(default=None, foreign_key="api_tokens.id")
    actor_agency_id: int | None = Field(default=None, foreign_key="agencies.id")
    kind: str = Field(max_length=40)
    data: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))

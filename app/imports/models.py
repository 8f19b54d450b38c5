from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from app.types import UTCDateTime


class NoticeImport(SQLModel, table=True):
    """A conclusion notice read into drafts, reviewed by the secretariat, then committed as a directive and its tasks
    (once: a second commit creates nothing)."""

    __tablename__ = "notice_imports"

    id: int | None = Field(default=None, primary_key=True)
    filename: str = Field(default="", max_length=300)
    text: str = Field(sa_type=Text, description="the notice's text, which the drafts' source spans point into")
    directive: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False), description="the header as read, edited")
    drafts: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    warnings: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    segments: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False,
                                                                                  server_default="[]"),
                                           description="the notice's pieces and their fates (task, not_task, "
                                                       "unread), as read; a draft made from one is noted on it")
    status: str = Field(default="draft", max_length=20, description="draft | committed | discarded")
    directive_id: int | None = Field(default=None, foreign_key="directives.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by_agency_id: int = Field(foreign_key="agencies.id")
    created_by_account_id: int | None = Field(default=None, foreign_key="accounts.id")
    created_by_token_id: int | None = Field(default=None, foreign_key="api_tokens.id")
    committed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = 1

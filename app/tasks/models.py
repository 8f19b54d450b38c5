from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, String, Text, text
from sqlmodel import Field, SQLModel

from app.clock import utcnow
from app.tasks.status import OPEN_SQL, TaskStatus
from app.types import UTCDateTime

_OPEN_PREDICATE = text(OPEN_SQL)
_OPEN_REQUEST = text("kind = 'explanation_request' AND answered_at IS NULL")


class DeliverableType(StrEnum):
    """As officials name them, the legal documents in their order of rank first."""

    luat = "Luật"  # a draft law (dự án Luật) submitted to the National Assembly
    nghi_quyet = "Nghị quyết"
    nghi_dinh = "Nghị định"
    quyet_dinh = "Quyết định"
    chi_thi = "Chỉ thị"
    thong_tu = "Thông tư"
    de_an = "Đề án"
    ke_hoach = "Kế hoạch"
    bao_cao = "Báo cáo"
    van_ban_huong_dan = "Văn bản hướng dẫn"
    cong_van = "Công văn"
    he_thong = "Hệ thống/Nền tảng"
    khac = "Khác"


class TaskBase(SQLModel):
    directive_id: int = Field(foreign_key="directives.id", index=True)
    clause_ref: str | None = Field(default=None, max_length=100)
    title: str = Field(max_length=1000, description="rõ việc: the work itself")
    objective: str = Field(max_length=2000, description="rõ mục tiêu")
    lead_agency_id: int = Field(foreign_key="agencies.id", description="rõ người: exactly one lead agency")
    accountable_official: str = Field(max_length=300, description="rõ trách nhiệm, e.g. Bộ trưởng Bộ Tài chính")
    deliverable_type: DeliverableType = Field(sa_type=String(40), description="rõ sản phẩm")
    deliverable_description: str = Field(max_length=2000)
    expected_result: str = Field(max_length=2000, description="rõ kết quả: the acceptance criterion")
    priority: bool = False


class Task(TaskBase, table=True):
    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_status_deadline_on", "status", "deadline_on"),
        # Open tasks in deadline order: the overdue / due-soon lists and the deadline watch read only this.
        Index("ix_tasks_open_deadline_on", "deadline_on", "id", postgresql_where=_OPEN_PREDICATE,
              sqlite_where=_OPEN_PREDICATE),
        Index("ix_tasks_lead_agency_id_status", "lead_agency_id", "status"),
        # Tasks changed since the deadline watch last ran: its scans after the first of the day read only these.
        Index("ix_tasks_updated_at", "updated_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    external_ref: str | None = Field(default=None, max_length=100, unique=True,
                                     description="the task's key in the caller's or the seed's own records")
    deadline_text: str = Field(max_length=200, description="the deadline as worded in the directive")
    deadline_on: date = Field(description="the deadline in force; moves only by an approved extension. For a "
                                          "standing task: when its next periodic report is due")
    reporting_cadence: str | None = Field(default=None, max_length=20,
                                          description="standing tasks: monthly, quarterly or yearly reports")
    original_deadline_on: date
    coordinating_agency_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False),
                                               description="cơ quan phối hợp; kept on the row so a read is one query")
    status: TaskStatus = Field(default=TaskStatus.new, sa_type=String(20))
    progress_percent: int = 0
    latest_note: str | None = Field(default=None, sa_type=Text)
    completed_on: date | None = None
    evidence: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    search_text: str = Field(sa_type=Text, description="accent-free lower-case text for q=")
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TaskEvent(SQLModel, table=True):
    """Append-only journal. Each row also keeps the task's reportable state after the event,
    so any past day can be answered from the journal alone."""

    __tablename__ = "task_events"
    __table_args__ = (Index("ix_task_events_task_id_occurred_at", "task_id", "occurred_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="tasks.id")
    occurred_at: datetime = Field(sa_type=UTCDateTime)
    actor_token_id: int | None = Field(default=None, foreign_key="api_tokens.id")
    actor_agency_id: int | None = Field(default=None, foreign_key="agencies.id")
    actor_account_id: int | None = Field(default=None, foreign_key="accounts.id",
                                         description="the person, when the change was made on the web pages")
    kind: str = Field(max_length=40)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    note: str | None = Field(default=None, sa_type=Text)
    data: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    deadline_on: date
    completed_on: date | None = None
    lead_agency_id: int = Field(foreign_key="agencies.id")
    progress_percent: int = Field(default=0, sa_column_kwargs={"server_default": "0"},
                                  description="the task's progress after the event (its webhook body says this one)")
    request_id: str | None = Field(default=None, max_length=100,
                                   description="the request that made the change (X-Request-ID), for the logs")


class QueuedTaskEvent(SQLModel, table=True):
    """A journal row not yet fanned out to the webhook subscriptions: written with the row, in its transaction
    (app/tasks/journal.py), so no change is committed without its event (transactional outbox); the delivery worker
    turns it into one message per matching subscription and drops it (app/webhooks/service.py: fan_out). The table
    keeps the name it was created with."""

    __tablename__ = "webhook_outbox"

    id: int | None = Field(default=None, primary_key=True)
    task_event_id: int = Field(foreign_key="task_events.id")


class ReportingCadence(StrEnum):
    monthly = "monthly"
    quarterly = "quarterly"
    yearly = "yearly"


class ExtensionKind(StrEnum):
    extend = "extend"
    withdraw = "withdraw"


class ExtensionStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


class ExtensionRequest(SQLModel, table=True):
    __tablename__ = "extension_requests"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="tasks.id", index=True)
    kind: ExtensionKind = Field(sa_type=String(20))
    requested_deadline_text: str | None = Field(default=None, max_length=200)
    requested_deadline_on: date | None = None
    approved_deadline_on: date | None = None  # granted by an approval: the date asked, or a shorter one
    previous_deadline_on: date
    reason: str = Field(sa_type=Text)
    status: ExtensionStatus = Field(default=ExtensionStatus.pending, sa_type=String(20))
    requested_by_token_id: int | None = Field(default=None, foreign_key="api_tokens.id")
    requested_by_agency_id: int | None = Field(default=None, foreign_key="agencies.id")
    requested_at: datetime = Field(sa_type=UTCDateTime)
    decided_by_token_id: int | None = Field(default=None, foreign_key="api_tokens.id")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decision_note: str | None = Field(default=None, sa_type=Text)


class CommentKind(StrEnum):
    comment = "comment"
    explanation_request = "explanation_request"  # the secretariat asks the lead to explain ("yêu cầu giải trình")
    explanation_answer = "explanation_answer"  # the lead agency's answer: closes the request it answers


class TaskComment(SQLModel, table=True):
    """A task's thread: comments of the secretariat and of the lead and coordinating agencies, the secretariat's
    requests for an explanation and the lead's answers (app/tasks/comments.py). Each is also a journal row (its text
    in the row's note), which makes its webhook event; a request is open until `answered_at`."""

    __tablename__ = "task_comments"
    __table_args__ = (
        Index("ix_task_comments_task_id_id", "task_id", "id"),
        # The secretariat's queue (GET /tasks?awaiting=explanation) reads only the open requests.
        Index("ix_task_comments_open_requests", "task_id", postgresql_where=_OPEN_REQUEST,
              sqlite_where=_OPEN_REQUEST),
    )

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="tasks.id")
    kind: CommentKind = Field(sa_type=String(30))
    body: str = Field(sa_type=Text)
    created_at: datetime = Field(sa_type=UTCDateTime)
    author_agency_id: int | None = Field(default=None, foreign_key="agencies.id")
    author_token_id: int | None = Field(default=None, foreign_key="api_tokens.id")
    author_account_id: int | None = Field(default=None, foreign_key="accounts.id",
                                          description="the person, when written on the web pages")
    answers_id: int | None = Field(default=None, foreign_key="task_comments.id",
                                   description="an answer: the request it answers")
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime,
                                         description="a request: when it was answered (open while empty)")
    answer_id: int | None = Field(default=None, description="a request: its answer")


# What a read answers: every column but search_text (long, and only ever matched against).
READ_COLUMNS = [column for column in Task.__table__.c if column.name != "search_text"]

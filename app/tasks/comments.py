"""A task's thread: comments of the secretariat and of the task's lead and coordinating agencies, read by everyone who
reads the task; a secretariat comment may ask the lead agency for an explanation ("yêu cầu giải trình"), open (and in
the secretariat's queue, `GET /tasks?awaiting=explanation`) until the lead agency answers it. Every entry is a journal
row too, its text in the row's note: the journal queues it for the webhooks (`task.commented`,
`task.explanation_requested`, `task.explanation_answered`) like every other change of a task. Nothing of the task
itself changes (its version, ETag and "last report" stay)."""

from datetime import datetime

from sqlmodel import Session, select

from app import clock, pagination
from app.access import policy
from app.access.policy import Action
from app.access.principal import Principal
from app.agencies import service as agency_service
from app.auth import accounts
from app.clock import utcnow
from app.errors import ApiError, FieldProblem, InvalidInput, not_found
from app.tasks import journal, rules
from app.tasks.models import CommentKind, TaskComment
from app.tasks.service import get_task
from app.tasks.status import JournalKind, TaskStatus

_JOURNAL_KIND = {CommentKind.comment: JournalKind.commented,
                 CommentKind.explanation_request: JournalKind.explanation_requested,
                 CommentKind.explanation_answer: JournalKind.explanation_answered}


def _text(text: str, key: str) -> str:
    if rules.blank(text):
        raise InvalidInput([FieldProblem.of("comment", key, type="missing")])
    return text.strip().replace("\r\n", "\n")  # a browser sends a textarea's lines with CRLF


def _writable_task(session: Session, task_id: int, principal: Principal, *actions: Action):
    """The task, locked (its journal row keeps its state as it stands), once the caller may do each action on it."""
    task = get_task(session=session, task_id=task_id, for_update=True)
    for action in actions:
        policy.require(principal, action, task)
    if task.status == TaskStatus.removed:
        raise ApiError.of(409, "comments_on_removed_task", code="task_removed")
    return task


def _write(session: Session, *, task, principal: Principal, kind: CommentKind, text: str, now: datetime,
           answers: TaskComment | None = None) -> TaskComment:
    comment = TaskComment(task_id=task.id, kind=kind, body=text, created_at=now, author_agency_id=principal.agency_id,
                          author_token_id=principal.token_id, author_account_id=principal.account_id,
                          answers_id=answers.id if answers else None)
    session.add(comment)
    session.flush()
    author = agency_service.refs(session=session, agency_ids={principal.agency_id} - {None}).get(principal.agency_id)
    data = {"comment_id": comment.id, "comment_kind": kind.value,
            "author_agency": {k: author[k] for k in ("id", "code", "name")} if author else None}
    if answers is not None:
        data["answers_id"] = answers.id
    journal.record(session=session, task=task, kind=_JOURNAL_KIND[kind], now=now, principal=principal,
                   from_status=task.status, note=text, data=data)
    return comment


def add_comment(*, session: Session, task_id: int, text: str, asks_explanation: bool, principal: Principal,
                now: datetime | None = None) -> TaskComment:
    """A comment (the secretariat, the lead and coordinating agencies: another agency or an observer 403); one that
    asks for an explanation, the secretariat's only."""
    now = now or utcnow()
    task = _writable_task(session, task_id, principal, Action.comment_task,
                          *((Action.request_explanation,) if asks_explanation else ()))
    kind = CommentKind.explanation_request if asks_explanation else CommentKind.comment
    return _write(session, task=task, principal=principal, kind=kind, text=_text(text, "comment_required"), now=now)


def answer_explanation(*, session: Session, task_id: int, comment_id: int, text: str, principal: Principal,
                       now: datetime | None = None) -> TaskComment:
    """The lead agency's answer to a request for an explanation: a comment of its own that closes the request."""
    now = now or utcnow()
    task = _writable_task(session, task_id, principal, Action.answer_explanation)
    request = session.exec(select(TaskComment).where(TaskComment.id == comment_id, TaskComment.task_id == task.id)
                           .with_for_update().execution_options(populate_existing=True)).first()
    if request is None:
        raise not_found("comment")
    if request.kind != CommentKind.explanation_request:
        raise ApiError.of(409, "not_an_explanation_request", code="not_an_explanation_request", id=request.id)
    if request.answered_at is not None:
        raise ApiError.of(409, "explanation_already_answered", code="already_answered",
                          extra={"answer_id": request.answer_id}, day=clock.local_day(request.answered_at))
    answer = _write(session, task=task, principal=principal, kind=CommentKind.explanation_answer,
                    text=_text(text, "answer_required"), now=now, answers=request)
    request.answered_at = now
    request.answer_id = answer.id
    session.add(request)
    session.flush()
    return answer


def public(session: Session, comments: list[TaskComment]) -> list[dict]:
    """The thread as the API and the page show it: who (the person and agency, or the agency's software), when,
    what, and a request's state."""
    agencies = agency_service.refs(session=session, agency_ids={c.author_agency_id for c in comments} - {None})
    people = accounts.display_names(session=session, account_ids={c.author_account_id for c in comments} - {None})
    found = []
    for c in comments:
        request = c.kind == CommentKind.explanation_request
        found.append({
            "id": c.id, "task_id": c.task_id, "kind": c.kind, "comment": c.body, "created_at": c.created_at,
            "author": people.get(c.author_account_id), "author_agency": agencies.get(c.author_agency_id),
            "answers_id": c.answers_id,
            "explanation_status": ("answered" if c.answered_at else "open") if request else None,
            "answered_at": c.answered_at, "answer_id": c.answer_id})
    return found


def list_comments(*, session: Session, task_id: int, limit: int, cursor: str | None) -> tuple[list[dict], str | None]:
    """Oldest first (a thread is read in order); the caller has found the task."""
    statement = select(TaskComment).where(TaskComment.task_id == task_id)
    if cursor:
        statement = statement.where(TaskComment.id > pagination.decode_id(cursor))
    rows, next_cursor = pagination.page_of(list(session.exec(statement.order_by(TaskComment.id).limit(limit + 1))),
                                           limit, lambda c: pagination.encode_id(c.id))
    return public(session, rows), next_cursor


def get_comment(*, session: Session, task_id: int, comment_id: int) -> dict:
    comment = session.exec(select(TaskComment).where(TaskComment.id == comment_id,
                                                     TaskComment.task_id == task_id)).first()
    if comment is None:
        raise not_found("comment")
    return public(session, [comment])[0]

"""The queues the secretariat works from: extension and withdrawal requests to decide (completions to accept are
`GET /tasks?awaiting=acceptance`)."""

from sqlmodel import Session, select

from app import pagination
from app.agencies import service as agency_service
from app.directives import service as directive_service
from app.errors import not_found
from app.tasks.models import ExtensionRequest, ExtensionStatus, Task


def public(session: Session, request: ExtensionRequest, task: Task) -> dict:
    directive = directive_service.summaries(session=session, directive_ids={task.directive_id})[task.directive_id]
    lead = agency_service.refs(session=session, agency_ids={task.lead_agency_id})[task.lead_agency_id]
    return {
        "id": request.id, "task_id": request.task_id, "kind": request.kind,
        "requested_deadline_text": request.requested_deadline_text,
        "requested_deadline_on": request.requested_deadline_on, "approved_deadline_on": request.approved_deadline_on,
        "previous_deadline_on": request.previous_deadline_on,
        "reason": request.reason, "status": request.status, "requested_by_agency_id": request.requested_by_agency_id,
        "requested_at": request.requested_at, "decided_at": request.decided_at,
        "decision_note": request.decision_note,
        "task": {"id": task.id, "title": task.title, "status": task.status, "deadline_on": task.deadline_on,
                 "lead_agency": lead, "directive": directive},
    }


def list_requests(*, session: Session, status: ExtensionStatus | None, lead_agency_id: int | None,
                  directive_id: int | None, limit: int, cursor: str | None,
                  task_id: int | None = None) -> tuple[list[dict], str | None]:
    """Oldest first (the order they are decided in)."""
    statement = select(ExtensionRequest, Task).join(Task, Task.id == ExtensionRequest.task_id)
    if task_id is not None:
        statement = statement.where(ExtensionRequest.task_id == task_id)
    if status is not None:
        statement = statement.where(ExtensionRequest.status == status)
    if lead_agency_id is not None:
        statement = statement.where(Task.lead_agency_id == lead_agency_id)
    if directive_id is not None:
        statement = statement.where(Task.directive_id == directive_id)
    if cursor:
        statement = statement.where(ExtensionRequest.id > pagination.decode_id(cursor))
    rows, next_cursor = pagination.page_of(session.exec(statement.order_by(ExtensionRequest.id).limit(limit + 1)).all(),
                                           limit, lambda row: pagination.encode_id(row[0].id))
    return [public(session, request, task) for request, task in rows], next_cursor


def get_request(*, session: Session, request_id: int) -> dict:
    row = session.exec(select(ExtensionRequest, Task).join(Task, Task.id == ExtensionRequest.task_id)
                       .where(ExtensionRequest.id == request_id)).first()
    if row is None:
        raise not_found("extension_request")
    return public(session, *row)

"""Evidence files: the signed PDF, the spreadsheet of figures, the photo of a sign, attached to a progress or
completion report. A file is uploaded to its task first (`POST /tasks/{id}/files`, or with the page's report form),
kept by SHA-256 outside the database (app/tasks/evidence_store.py), and becomes part of the record when a report names
it (`file_ids`): the journal row of that report lists it (name, size, type, SHA-256, who uploaded it and when, its
address), and the completion list names it. Until then only its uploader's agency sees it. Served to whoever may read
the task (the policy table's `read_task`)."""

import logging
import re
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Index, func, update
from sqlmodel import Field, Session, SQLModel, select

from app import messages, text
from app.access import policy
from app.access.policy import Action, Relation
from app.access.principal import Principal
from app.agencies import service as agency_service
from app.auth import accounts
from app.clock import utcnow
from app.config import get_settings
from app.errors import FieldProblem, InvalidInput, not_found
from app.tasks import evidence_store
from app.tasks.evidence_store import TYPES, Stored, blob_path
from app.tasks.models import Task, TaskEvent
from app.types import UTCDateTime, instant

API_DOWNLOAD = "/api/v1/files/{id}"
PAGE_DOWNLOAD = "/files/{id}"
NAME_MAX = 200


class EvidenceFile(SQLModel, table=True):
    """A file uploaded to a task; `task_event_id` is the report that attached it (None until one does)."""

    __tablename__ = "evidence_files"
    __table_args__ = (Index("ix_evidence_files_task_id", "task_id", "task_event_id"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="tasks.id")
    task_event_id: int | None = Field(default=None, foreign_key="task_events.id")
    sha256: str = Field(max_length=64, index=True)
    name: str = Field(max_length=NAME_MAX, description="the file's name as sent, without any folder")
    media_type: str = Field(max_length=100, description="read from the content, not the name")
    size: int
    uploaded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    uploaded_by_agency_id: int | None = Field(default=None, foreign_key="agencies.id")
    uploaded_by_token_id: int | None = Field(default=None, foreign_key="api_tokens.id")
    uploaded_by_account_id: int | None = Field(default=None, foreign_key="accounts.id")


_UNSAFE = re.compile(r"[\x00-\x1f\x7f\"*:<>?|]")


def safe_name(raw: str | None, media_type: str | None = None) -> str:
    """The name a file is listed and downloaded under: its last path component only (a name like `../../etc/x.pdf`
    or `C:\\x\\y.pdf` keeps `x.pdf` / `y.pdf`: the name never reaches the file system, files are kept by SHA-256),
    Unicode composed (NFC, as Vietnamese is typed), without control characters, at most 200 characters with its
    ending kept; when nothing is left, "tep" and the ending of its type."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(_UNSAFE.sub("", name).split()).strip(" .")
    if len(name) > NAME_MAX:
        stem, dot, ending = name.rpartition(".")
        name = (stem[:NAME_MAX - len(ending) - 1] + dot + ending) if dot and len(ending) <= 10 else name[:NAME_MAX]
    return name or "tep" + TYPES.get(media_type or "", "")


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII fallback and the real name in RFC 5987's `filename*` (UTF-8, percent-encoded), so a
    Vietnamese name ("Biên bản nghiệm thu.pdf") arrives intact and nothing in it can end the header."""
    ascii_name = "".join(c for c in text.without_marks(name) if c.isascii() and c.isprintable()
                         and c not in '"\\;') or "file"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def _uploader(principal: Principal) -> dict[str, Any]:
    return {"uploaded_by_agency_id": principal.agency_id, "uploaded_by_token_id": principal.token_id,
            "uploaded_by_account_id": principal.account_id}


def may_upload(*, session: Session, task_id: int, principal: Principal) -> None:
    """Whoever may report on the task may attach files to it (403 otherwise; 404 for no such task): checked before a
    byte is kept."""
    task = session.get(Task, task_id)
    if task is None:
        raise not_found("task")
    policy.require(principal, Action.report_progress, task)


def record_uploads(*, session: Session, task_id: int, principal: Principal, files: list[tuple[str, Stored]],
                   now: datetime | None = None) -> list[EvidenceFile]:
    """The rows of files already kept (evidence_store.store), not yet attached to a report."""
    may_upload(session=session, task_id=task_id, principal=principal)
    now = now or utcnow()
    rows = [EvidenceFile(task_id=task_id, sha256=stored.sha256, name=name, media_type=stored.media_type,
                         size=stored.size, uploaded_at=now, **_uploader(principal)) for name, stored in files]
    session.add_all(rows)
    session.flush()
    return rows


def check_count(files: list, field: str) -> None:
    limit = get_settings().evidence_max_files
    if len(files) > limit:
        raise InvalidInput([FieldProblem.of(field, "evidence_too_many_files", count=len(files), limit=limit)])


def check_total(sizes: list[int], field: str) -> None:
    limit = get_settings().evidence_max_total_bytes
    if sum(sizes) > limit:
        raise InvalidInput([FieldProblem.of(field, "evidence_files_too_large", total=sum(sizes), limit=limit,
                                            total_vi=messages.vn_number(sum(sizes)),
                                            limit_vi=messages.vn_number(limit))])


def attachable(*, session: Session, task_id: int, principal: Principal, file_ids: list[int]) -> list[EvidenceFile]:
    """The files a report names, each uploaded to this task by the reporter's own agency and not yet attached to a
    report; otherwise a 422 at `file_ids` naming the ids."""
    check_count(list(dict.fromkeys(file_ids)), "file_ids")
    wanted = list(dict.fromkeys(file_ids))
    rows = {row.id: row for row in session.exec(select(EvidenceFile).where(
        EvidenceFile.id.in_(wanted), EvidenceFile.task_id == task_id, EvidenceFile.task_event_id.is_(None)))}
    wrong = [i for i in wanted if i not in rows or not _own_upload(principal, rows[i])]
    if wrong:
        raise InvalidInput([FieldProblem.of("file_ids", "evidence_file_not_attachable",
                                            ids=", ".join(map(str, wrong)))])
    check_total([rows[i].size for i in wanted], "file_ids")
    return [rows[i] for i in wanted]


def attach(*, session: Session, task_id: int, files: list[EvidenceFile]) -> None:
    """The files now belong to the report just journaled (the task's latest journal row: the task is locked)."""
    if not files:
        return
    latest = session.exec(select(func.max(TaskEvent.id)).where(TaskEvent.task_id == task_id)).one()
    session.execute(update(EvidenceFile).where(EvidenceFile.id.in_([f.id for f in files]))
                    .values(task_event_id=latest))


def _names(session: Session, rows: list[EvidenceFile]) -> dict[tuple[str, int], str]:
    people = accounts.display_names(session=session, account_ids={r.uploaded_by_account_id for r in rows} - {None})
    agencies = agency_service.refs(session=session, agency_ids={r.uploaded_by_agency_id for r in rows} - {None})
    return {("account", k): v for k, v in people.items()} | {("agency", k): v["name"] for k, v in agencies.items()}


def public(row: EvidenceFile, names: dict[tuple[str, int], str]) -> dict[str, Any]:
    by = names.get(("account", row.uploaded_by_account_id or 0)) or names.get(
        ("agency", row.uploaded_by_agency_id or 0))
    return {"id": row.id, "task_id": row.task_id, "name": row.name, "size": row.size, "media_type": row.media_type,
            "sha256": row.sha256, "uploaded_at": instant(row.uploaded_at), "uploaded_by": by,
            "uploaded_by_agency_id": row.uploaded_by_agency_id, "report_event_id": row.task_event_id,
            "download_url": API_DOWNLOAD.format(id=row.id)}


def journaled(session: Session, rows: list[EvidenceFile]) -> list[dict[str, Any]]:
    """The files as the report's journal row keeps them (what the history, the webhooks and the completion list
    read): everything but the row it is being written into."""
    names = _names(session, rows)
    return [{k: v for k, v in public(row, names).items() if k not in ("task_id", "report_event_id")} for row in rows]


def listed(*, session: Session, task_id: int, principal: Principal, pending: bool = True) -> list[dict[str, Any]]:
    """The task's files attached to a report, newest report first; with `pending`, then the caller's agency's own
    uploads that no report names yet (for it to name)."""
    rows = list(session.exec(select(EvidenceFile).where(EvidenceFile.task_id == task_id)
                             .order_by(EvidenceFile.task_event_id.desc(), EvidenceFile.id)))
    attached = sorted((r for r in rows if r.task_event_id is not None), key=lambda r: (-r.task_event_id, r.id))
    rows = attached + ([r for r in rows if r.task_event_id is None and _own_upload(principal, r)] if pending else [])
    names = _names(session, rows)
    return [public(row, names) for row in rows]


def _own_upload(principal: Principal, row: EvidenceFile) -> bool:
    return principal.is_operator or policy.relation_to_owner(principal, row.uploaded_by_agency_id) == Relation.own


def for_download(*, session: Session, file_id: int, principal: Principal) -> EvidenceFile:
    """The file, for whoever may read its task (`read_task`); a file no report names yet only for its uploader's
    agency: to anyone else it does not exist (404), as it is not part of the record."""
    row = session.get(EvidenceFile, file_id)
    if row is None:
        raise not_found("evidence_file")
    task = session.get(Task, row.task_id)
    policy.require(principal, Action.read_task, task)
    if row.task_event_id is None and not _own_upload(principal, row):
        raise not_found("evidence_file")
    return row


def path_of(row: EvidenceFile) -> Path:
    return blob_path(get_settings().evidence_dir, row.sha256)


def keep_uploads(uploads: list, field: str) -> list[tuple[str, Stored]]:
    """Blocking (run it in a thread): the uploaded files (Starlette's UploadFile) checked one by one and all of them,
    then kept under their SHA-256, each as (its safe name, what was kept). Any refusal keeps none: a count over the
    limit (422), an empty file, a wrong type (422), a file or the files together over their limits (413, 422)."""
    settings = get_settings()
    check_count(uploads, field)
    directory = settings.evidence_dir
    staged: list[evidence_store.Staged] = []
    try:
        for upload in uploads:
            name = safe_name(upload.filename)
            upload.file.seek(0)
            staged.append(evidence_store.stage(upload.file, directory=directory, max_bytes=settings.evidence_max_bytes,
                                               field=field, name=name))
        check_total([one.stored.size for one in staged], field)
    except BaseException:
        evidence_store.discard(staged)
        raise
    names = [safe_name(upload.filename, one.stored.media_type) for upload, one in zip(uploads, staged, strict=True)]
    published = []
    try:
        for one in staged:
            published.append(evidence_store.publish(one, directory))
    finally:
        evidence_store.discard(staged[len(published):])
    return list(zip(names, published, strict=True))


def chosen(values: list) -> list:
    """The files of a form field, without the empty part a browser sends when none was chosen."""
    return [v for v in values if not isinstance(v, str) and (v.filename or (v.size or 0) > 0)]


def listed_rows(session: Session, rows: list[EvidenceFile]) -> list[dict[str, Any]]:
    names = _names(session, rows)
    return [public(row, names) for row in rows]


def file_response(row: EvidenceFile):
    """The file as a download: an attachment under its name, of the type read from its content, never sniffed
    into another by the browser. A file missing from the folder (a files folder lost or not restored) is a 404 (and
    a line in the log), never a 500."""
    from starlette.responses import FileResponse

    path = path_of(row)
    if not path.is_file():
        logging.getLogger("roviec").error("evidence file %s (%s) is missing from %s", row.id, row.sha256,
                                          get_settings().evidence_dir)
        raise not_found("evidence_file")
    return FileResponse(path, media_type=row.media_type, headers={
        "Content-Disposition": content_disposition(row.name), "X-Content-Type-Options": "nosniff",
        "ETag": f'"{row.sha256}"', "Cache-Control": "private, no-cache"})


def limits_vi() -> str:
    """The limits as the page's file field says them."""
    settings = get_settings()
    return (f"PDF, Word (.docx), Excel (.xlsx), ảnh PNG hoặc JPEG; mỗi tệp tối đa "
            f"{messages.vn_number(settings.evidence_max_bytes // 1_000_000)} MB, tối đa "
            f"{settings.evidence_max_files} tệp, tổng cộng tối đa "
            f"{messages.vn_number(settings.evidence_max_total_bytes // 1_000_000)} MB.")

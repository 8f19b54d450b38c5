"""The secretariat's completion list: the tasks of a directive (or of a meeting day, or of one agency) as they stood
at the end of a day, read from the journal, grouped by lead agency with the agencies that have overdue tasks first.
The rows are streamed from the database, so a list of any length is written in bounded memory."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from sqlalchemy import and_, case, func, or_, select
from sqlmodel import Session

from app import messages
from app.agencies import service as agency_service
from app.calendar.models import EffectiveDay
from app.config import get_settings
from app.directives.models import Directive
from app.messages import vn_number
from app.reports import indicators as indicator_section
from app.reports import service as report_service
from app.reports.service import GridCounts, ReportScope, Scope
from app.tasks import journal, timing
from app.tasks.models import DeliverableType, ExtensionKind, ExtensionRequest, Task, TaskEvent
from app.tasks.status import JournalKind, TaskStatus
from app.tasks.timing import end_of_day_utc

# The CSV's columns: the nine of the Government's lists, then (added after them, so a program reading the nine by
# position reads them still) the notice's clause, the accountable official and the priority mark.
COLUMNS = ("STT", "Văn bản giao (số, ngày)", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn",
           "Sản phẩm", "Tình hình thực hiện", "Tình trạng", "Mục trong văn bản giao", "Người chịu trách nhiệm",
           "Nhiệm vụ trọng tâm")
PRIORITY_MARK = "Nhiệm vụ trọng tâm"  # how the documents mark a priority task, above its content
REPORTED_KINDS = (JournalKind.progress_reported.value, JournalKind.completion_reported.value)
LINK_TEXT = "Xem văn bản"  # what a document shows for an evidence link, instead of the raw address


# A date, in a table cell and in running text alike: dd/mm/yyyy, one style in a whole document (only the place and
# date line under the motto is in words, "ngày 08 tháng 8 năm 2022", as the form has it). Cached: a long list
# repeats the same few hundred dates.
dmy = lru_cache(maxsize=4096)(messages.vn_date)


def deliverable_text(kind: str, description: str) -> str:
    """The deliverable type once: "Nghị định: Nghị định sửa đổi ..." says it twice, and "Khác" (other) says nothing."""
    description = (description or "").strip()
    if not kind or kind == DeliverableType.khac or kind.casefold() in description.casefold():
        return description
    return f"{kind}: {description}" if description else kind


@dataclass(frozen=True, slots=True)
class Evidence:
    """The document that proves a completion: number and symbol, date, and a link when there is one."""

    number: str
    issued_on: date | None
    url: str | None

    @property
    def text(self) -> str:
        return f"{self.number}, ngày {dmy(self.issued_on)}" if self.issued_on else self.number


@dataclass(slots=True)
class Row:
    """One task of the list. The typed values (dates, numbers) serve the spreadsheet; the text properties serve the
    documents, each computed only by the writer that shows it."""

    number: int
    agency_id: int
    agency_name: str
    directive_number: str
    directive_on: date
    title: str
    coordinating: str
    deadline_on: date  # the deadline in force
    original_on: date
    effective_on: date  # the working day a deadline on a day off ends on
    deliverable: str
    progress_percent: int | None  # the latest report's, while the task is open
    note: str
    evidence: Evidence | None
    completed: bool
    waiting: bool  # reported done, waiting for the secretariat
    late_days: int  # days past the deadline: at completion, or by the as-of day for an open task (timing.classify)
    cadence: str | None = None  # a standing task's reporting cadence: it has no deadline, only periodic reports
    files: tuple[str, ...] = ()  # the names of the evidence files the latest report carries (app/tasks/evidence.py)
    clause: str = ""  # where the notice sets the task: "Mục 2.a"
    accountable: str = ""  # the official answerable for it: "Bộ trưởng Bộ Tài chính"
    priority: bool = False  # a priority task ("nhiệm vụ trọng tâm")
    pending: str = ""  # the request to move or withdraw it that awaits a decision on the day, in words

    @property
    def overdue_task(self) -> bool:
        """Open and past its deadline, a task with a deadline (a standing task late with its report is apart): what
        the grid counts as "Quá hạn chưa hoàn thành" and the appendix of overdue tasks lists."""
        return self.overdue and not self.cadence

    @property
    def overdue(self) -> bool:
        """Still open and past its deadline."""
        return not self.completed and self.late_days > 0

    @property
    def directive(self) -> str:
        return f"{self.directive_number} ngày {dmy(self.directive_on)}"

    @property
    def deadline_lines(self) -> list[str]:
        if self.cadence:
            return [f"Thường xuyên ({messages.CADENCE_VI[self.cadence]})", f"kỳ báo cáo tới {dmy(self.deadline_on)}"]
        lines = [dmy(self.deadline_on)]
        if self.original_on != self.deadline_on:
            lines.append(f"(thời hạn ban đầu {dmy(self.original_on)})")
        if self.effective_on != self.deadline_on:
            lines.append(f"(trùng ngày nghỉ, tính đến {dmy(self.effective_on)})")
        return lines

    @property
    def progress_line(self) -> str:
        if self.progress_percent is None:
            return self.note
        return f"Tiến độ {self.progress_percent}%." + (f" {self.note}" if self.note else "")

    @property
    def evidence_line(self) -> str:
        return f"Sản phẩm: {self.evidence.text}" if self.evidence else ""

    @property
    def files_line(self) -> str:
        return f"Tệp đính kèm: {', '.join(self.files)}" if self.files else ""

    @property
    def timing(self) -> str:
        """Đúng hạn / hoàn thành quá hạn for a completed task, trong hạn / quá hạn for an open one: a task done late is
        never read as one still overdue."""
        if self.completed:
            return "Hoàn thành quá hạn" if self.late_days > 0 else "Đúng hạn"
        return "Quá hạn" if self.late_days > 0 else "Trong hạn"

    @property
    def state(self) -> str:
        if self.completed:
            return "Đã hoàn thành"
        return "Chưa hoàn thành (đã báo cáo hoàn thành, chờ xác nhận)" if self.waiting else "Chưa hoàn thành"

    @property
    def status_lines(self) -> list[str]:
        if self.cadence:
            if self.completed:
                return ["Thường xuyên", "đã kết thúc"]
            return ["Thường xuyên", f"chậm báo cáo định kỳ {vn_number(self.late_days)} ngày" if self.late_days > 0
                    else "báo cáo đúng kỳ"]
        if self.completed:
            return ["Đã hoàn thành", f"quá hạn {vn_number(self.late_days)} ngày"] if self.late_days > 0 else \
                ["Đã hoàn thành đúng hạn"]
        lines = ["Chưa hoàn thành", f"quá hạn {vn_number(self.late_days)} ngày" if self.late_days > 0 else "trong hạn"]
        if self.waiting:
            lines.append("(đã báo cáo hoàn thành, chờ xác nhận)")
        return [*lines, self.pending] if self.pending else lines

    @property
    def status(self) -> str:
        lines = self.status_lines
        return " ".join([", ".join(lines[:2]), *lines[2:]])

    def cells(self) -> list:
        """The columns as plain text on one line each (CSV)."""
        progress = self.progress_line
        if self.evidence:
            progress += (" " if progress else "") + self.evidence_line + (f", {self.evidence.url}"
                                                                        if self.evidence.url else "")
        if self.files:
            progress += (" " if progress else "") + self.files_line
        return [self.number, self.directive, self.title, self.agency_name, self.coordinating,
                " ".join(self.deadline_lines), self.deliverable, progress, self.status, self.clause,
                self.accountable, "Có" if self.priority else ""]


@dataclass(frozen=True)
class Previous:
    """The same scope as of the previous meeting, the day the previous report ran to: what the change is counted
    from."""

    day: date
    meeting_name: str
    overall: GridCounts


@dataclass(frozen=True)
class Pending:
    """The requests that await the secretariat's decision at the end of the day, of one lead agency."""

    extend: int = 0  # to move the deadline ("lùi thời hạn")
    withdraw: int = 0  # to withdraw the task ("rút nhiệm vụ")

    @property
    def total(self) -> int:
        return self.extend + self.withdraw


@dataclass
class Report:
    title: str
    as_of: date
    sentence: str
    overall: GridCounts
    agencies: list[tuple[dict, GridCounts]]  # in the list's order: most overdue first
    scope: Scope
    # The indicators of the scope as of the same day ("Chỉ tiêu", app/reports/indicators.py); None: none read.
    indicators: indicator_section.IndicatorSection | None = None
    previous: Previous | None = None  # None: no meeting before the day
    pending: dict[int, Pending] = field(default_factory=dict)  # by lead agency id, only those with a request

    @property
    def pending_total(self) -> Pending:
        return Pending(sum(p.extend for p in self.pending.values()), sum(p.withdraw for p in self.pending.values()))

    @property
    def total(self) -> int:
        return self.overall.total


def _title(directives: list, meeting_date: date | None, lead_agency: dict | None) -> str:
    if len(directives) == 1:
        d = directives[0]
        title = f"Tình hình thực hiện các nhiệm vụ giao tại {d.meeting_name} (Văn bản số {d.number} ngày " \
                f"{dmy(d.issued_on)})"
    elif meeting_date is not None:
        title = f"Tình hình thực hiện các nhiệm vụ giao tại các phiên họp ngày {dmy(meeting_date)}"
    else:
        title = "Tình hình thực hiện các nhiệm vụ được giao"
    return title + (f" — {lead_agency['name']}" if lead_agency else "")


def build(*, session: Session, as_of: date, scope: ReportScope, documents: bool = True) -> Report:
    """The report of a scope as of a day. `documents`: with what only the documents say (the change since the
    previous meeting, the requests awaiting a decision per agency); the report page goes without."""
    # Read now, not from grid_of's cache: the summary and the rows come from the same snapshot.
    grid = report_service.compute_grid(session=session, scope=scope, as_of=as_of)
    lead_id = scope.lead_agency_id
    lead = agency_service.refs(session=session, agency_ids={lead_id}).get(lead_id) if lead_id is not None else None
    indicators = indicator_section.section(session=session, as_of=as_of, directive_ids=scope.scope.directive_ids,
                                           lead_agency_id=lead_id)
    return Report(title=_title(scope.directives or [], scope.meeting_date, lead), as_of=as_of,
                  sentence=grid["sentence"], overall=grid["overall"], agencies=grid["agencies"], scope=scope.scope,
                  indicators=indicators, previous=_previous(session, as_of, scope.scope) if documents else None,
                  pending=_pending_by_agency(session, as_of, scope.scope) if documents else {})


def _previous(session: Session, as_of: date, scope: Scope) -> Previous | None:
    meeting = report_service.previous_meeting(session=session, before=as_of)
    if meeting is None:
        return None
    overall = GridCounts()
    for counts in report_service.grid_by_agency(session=session, as_of=meeting[0], scope=scope).values():
        overall.add(counts)
    return Previous(meeting[0], meeting[1], overall)


def _pending_requests(cutoff):
    """The requests waiting for a decision at `cutoff`: made before it, decided (if ever) after it."""
    request = ExtensionRequest.__table__.c
    return (select(request.task_id, request.kind, request.requested_deadline_on, request.requested_deadline_text,
                   func.row_number().over(partition_by=request.task_id,
                                          order_by=(request.requested_at.desc(), request.id.desc())).label("rank"))
            .where(request.requested_at < cutoff, or_(request.decided_at.is_(None), request.decided_at >= cutoff))
            .subquery("pending"))


def _pending_by_agency(session: Session, as_of: date, scope: Scope) -> dict[int, Pending]:
    state = journal.states_as_of(as_of=as_of, directive_ids=scope.directive_ids, lead_agency_id=scope.lead_agency_id)
    pending = _pending_requests(end_of_day_utc(as_of, get_settings().tz))
    found: dict[int, dict[str, int]] = {}
    for agency_id, kind, count in session.execute(
            select(state.c.lead_agency_id, pending.c.kind, func.count())
            .select_from(state.join(pending, pending.c.task_id == state.c.task_id))
            .where(pending.c.rank == 1).group_by(state.c.lead_agency_id, pending.c.kind)):
        found.setdefault(agency_id, {})[kind] = count
    return {agency_id: Pending(kinds.get(ExtensionKind.extend.value, 0), kinds.get(ExtensionKind.withdraw.value, 0))
            for agency_id, kinds in found.items()}


def pending_text(kind: str | None, deadline_on: date | None, deadline_text: str | None) -> str:
    """A row's request awaiting a decision, as its status says it."""
    if kind == ExtensionKind.withdraw:
        return "Đang đề nghị rút nhiệm vụ (chờ quyết định)"
    if kind == ExtensionKind.extend:
        to = dmy(deadline_on) if deadline_on else (deadline_text or "").strip()
        return f"Đang đề nghị lùi thời hạn{f' đến {to}' if to else ''} (chờ quyết định)"
    return ""


def _latest_reports(cutoff):
    """Each task's latest progress or completion report up to the cutoff: the note and the evidence."""
    ranked = select(TaskEvent.task_id, TaskEvent.note, TaskEvent.data, TaskEvent.kind,
                    func.row_number().over(partition_by=TaskEvent.task_id,
                                           order_by=(TaskEvent.occurred_at.desc(), TaskEvent.id.desc())).label("rank")
                    ).where(TaskEvent.occurred_at < cutoff, TaskEvent.kind.in_(REPORTED_KINDS)).subquery("reports")
    return select(ranked).where(ranked.c.rank == 1).subquery("latest_report")


def _evidence(data: dict | None, kind: str | None) -> Evidence | None:
    evidence = (data or {}).get("evidence") if kind == JournalKind.completion_reported else None
    if not evidence:
        return None
    issued = date.fromisoformat(evidence["document_date"]) if evidence.get("document_date") else None
    url = evidence.get("url")
    # Only a web address becomes a link (the API accepts no other; older rows are not trusted blindly).
    url = url if isinstance(url, str) and url.startswith(("https://", "http://")) else None
    return Evidence(str(evidence.get("document_number") or "").strip(), issued, url)


def _files(data: dict | None) -> tuple[str, ...]:
    """The names of the evidence files a report carries, as its journal row lists them."""
    files = (data or {}).get("files")
    if not isinstance(files, list):
        return ()
    return tuple(str(f.get("name")) for f in files if isinstance(f, dict) and f.get("name"))


def list_query(report: Report, batch: int = 2000):
    """One query for the whole list, in its order, streamed in batches."""
    as_of = report.as_of
    state = journal.states_as_of(as_of=as_of, directive_ids=report.scope.directive_ids,
                                 lead_agency_id=report.scope.lead_agency_id)
    cutoff = end_of_day_utc(as_of, get_settings().tz)
    latest = _latest_reports(cutoff)
    pending = _pending_requests(cutoff)
    effective = EffectiveDay.__table__
    rank = {agency["id"]: i for i, (agency, _) in enumerate(report.agencies)}
    task, directive = Task.__table__.c, Directive.__table__.c
    return (
        select(state.c.task_id, state.c.to_status, state.c.deadline_on, state.c.completed_on, state.c.lead_agency_id,
               effective.c.effective_on, task.title, task.coordinating_agency_ids, task.original_deadline_on,
               task.deliverable_type, task.deliverable_description, directive.number, directive.issued_on,
               latest.c.note, latest.c.data, latest.c.kind, task.reporting_cadence, task.clause_ref,
               task.accountable_official, task.priority, pending.c.kind, pending.c.requested_deadline_on,
               pending.c.requested_deadline_text)
        .select_from(state.join(Task.__table__, task.id == state.c.task_id)
                     .join(Directive.__table__, directive.id == task.directive_id)
                     .join(effective, effective.c.day == state.c.deadline_on)
                     .outerjoin(latest, and_(latest.c.task_id == state.c.task_id))
                     .outerjoin(pending, and_(pending.c.task_id == state.c.task_id, pending.c.rank == 1)))
        .order_by(*([case(rank, value=state.c.lead_agency_id, else_=len(rank))] if rank else []),
                  state.c.deadline_on, state.c.task_id)
        .execution_options(yield_per=batch)
    )


def rows(*, session: Session, report: Report) -> Iterator[Row]:
    """The list's rows in order, numbered."""
    as_of = report.as_of
    names: dict[int, str] = {agency["id"]: agency["name"] for agency, _ in report.agencies}
    completed_status, reported_done = TaskStatus.completed.value, TaskStatus.reported_done.value
    number = 0
    for partition in session.execute(list_query(report)).partitions():
        coordinating_ids = {a for r in partition for a in r[7]} - names.keys()
        if coordinating_ids:
            names |= {a: ref["name"] for a, ref in agency_service.refs(session=session,
                                                                        agency_ids=coordinating_ids).items()}
        # Unpacked as tuples: a named attribute of a result row costs about a microsecond, times 16 a row.
        for (_, to_status, deadline_on, completed_on, lead_id, effective_on, title, coordinating, original_on,
             deliverable_type, deliverable_description, directive_number, issued_on, note, data, kind,
             cadence, clause, accountable, priority, request_kind, request_on, request_text) in partition:
            number += 1
            completed = to_status == completed_status
            # The one timing rule: days past the effective deadline, at completion or by the as-of day.
            # (Withdrawn tasks are not in the list: states_as_of leaves them out.)
            _, late = timing.classify(status=to_status, deadline_on=effective_on, completed_on=completed_on,
                                      today=as_of, due_soon_days=0, standing=cadence is not None)
            percent = None if completed else (data.get("progress_percent") if data else None)
            yield Row(number, lead_id, names[lead_id], directive_number, issued_on, title,
                      ", ".join([names.get(a, str(a)) for a in coordinating]), deadline_on, original_on,
                      effective_on, deliverable_text(deliverable_type, deliverable_description), percent,
                      note.strip() if note else "", _evidence(data, kind), completed, to_status == reported_done,
                      late, cadence, _files(data), (clause or "").strip(), (accountable or "").strip(),
                      bool(priority), pending_text(request_kind, request_on, request_text))

"""The secretariat's completion list: the tasks of a directive (or of a meeting day, or of one agency) as they stood
at the end of a day, read from the journal, grouped by lead agency with the agencies that have overdue tasks first.
The rows are streamed from the database, so a list of any length is written in bounded memory."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import and_, case, func, select
from sqlmodel import Session

from app import messages
from app.agencies import service as agency_service
from app.calendar.models import EffectiveDay
from app.config import get_settings
from app.directives.models import Directive
from app.reports import service as report_service
from app.reports.service import GridCounts, Scope
from app.tasks import timing
from app.tasks.models import Task, TaskEvent
from app.tasks.status import JournalKind, TaskStatus
from app.tasks.timing import Timing, end_of_day_utc
from app.webhooks import payloads

vn_date = lru_cache(maxsize=4096)(payloads.vn_date)  # a long list repeats the same few hundred dates

COLUMNS = ("STT", "Văn bản giao (số, ngày)", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn",
           "Sản phẩm", "Tình hình thực hiện", "Tình trạng")
REPORTED_KINDS = (JournalKind.progress_reported.value, JournalKind.completion_reported.value)


@dataclass(slots=True)
class Row:
    number: int
    agency_id: int
    agency_name: str
    directive: str
    title: str
    lead_agency: str
    coordinating: str
    deadline: str
    deliverable: str
    progress: str
    status: str
    overdue: bool
    days_overdue: int

    def cells(self) -> list:
        return [self.number, self.directive, self.title, self.lead_agency, self.coordinating, self.deadline,
                self.deliverable, self.progress, self.status]


@dataclass
class Report:
    title: str
    as_of: date
    sentence: str
    overall: GridCounts
    agencies: list[tuple[dict, GridCounts]]  # in the list's order: most overdue first
    scope: Scope

    @property
    def total(self) -> int:
        return self.overall.total


def _title(directives: list, meeting_date: date | None, lead_agency: dict | None) -> str:
    if len(directives) == 1:
        d = directives[0]
        title = f"Tình hình thực hiện các nhiệm vụ giao tại {d.meeting_name} (Văn bản số {d.number} ngày " \
                f"{vn_date(d.issued_on)})"
    elif meeting_date is not None:
        title = f"Tình hình thực hiện các nhiệm vụ giao tại các phiên họp ngày {vn_date(meeting_date)}"
    else:
        title = "Tình hình thực hiện các nhiệm vụ được giao"
    return title + (f" — {lead_agency['name']}" if lead_agency else "")


def build(*, session: Session, as_of: date, directives: list[Directive] | None, meeting_date: date | None,
          lead_agency_id: int | None) -> Report:
    scope = Scope(directive_ids=tuple(d.id for d in directives) if directives is not None else None,
                  lead_agency_id=lead_agency_id)
    per_agency = report_service.grid_by_agency(session=session, as_of=as_of, scope=scope)
    refs = agency_service.refs(session=session, agency_ids=set(per_agency) | ({lead_agency_id} - {None}))
    overall = GridCounts()
    for counts in per_agency.values():
        overall.add(counts)
    ordered = sorted(per_agency.items(), key=lambda item: (-item[1].overdue, refs[item[0]]["name"]))
    one = directives[0] if directives and len(directives) == 1 else None
    sentence = report_service.summary_sentence(overall, one)
    return Report(title=_title(directives or [], meeting_date, refs.get(lead_agency_id)), as_of=as_of,
                  sentence=sentence, overall=overall, agencies=[(refs[a], c) for a, c in ordered], scope=scope)


def _latest_reports(cutoff):
    """Each task's latest progress or completion report up to the cutoff: the note and the evidence."""
    ranked = select(TaskEvent.task_id, TaskEvent.note, TaskEvent.data, TaskEvent.kind,
                    func.row_number().over(partition_by=TaskEvent.task_id,
                                           order_by=(TaskEvent.occurred_at.desc(), TaskEvent.id.desc())).label("rank")
                    ).where(TaskEvent.occurred_at < cutoff, TaskEvent.kind.in_(REPORTED_KINDS)).subquery("reports")
    return select(ranked).where(ranked.c.rank == 1).subquery("latest_report")


def _status_text(status: str, deadline_effective: date, completed_on: date | None, as_of: date,
                 standing: bool = False) -> tuple[str, int]:
    """The status column, from the one timing rule."""
    judged, days = timing.classify(status=status, deadline_on=deadline_effective, completed_on=completed_on,
                                   today=as_of, due_soon_days=0, standing=standing)
    if judged == Timing.standing_late:
        return f"Thường xuyên, chậm báo cáo định kỳ {days} ngày", days
    if judged == Timing.standing:
        return "Thường xuyên, báo cáo đúng kỳ" if status != TaskStatus.completed else "Thường xuyên, đã kết thúc", 0
    if judged == Timing.completed_late:
        return f"Đã hoàn thành, quá hạn {days} ngày", days
    if judged == Timing.completed_on_time:
        return "Đã hoàn thành đúng hạn", 0
    waiting = " (đã báo cáo hoàn thành, chờ xác nhận)" if status == TaskStatus.reported_done else ""
    if judged == Timing.overdue:
        return f"Chưa hoàn thành, quá hạn {days} ngày{waiting}", days
    return f"Chưa hoàn thành, trong hạn{waiting}", 0


def _progress_text(note: str | None, data: dict | None, kind: str | None, status: str) -> str:
    parts = []
    if data and data.get("progress_percent") is not None and status != TaskStatus.completed:
        parts.append(f"Tiến độ {data['progress_percent']}%.")
    if note:
        parts.append(note.strip())
    evidence = (data or {}).get("evidence") if kind == JournalKind.completion_reported else None
    if evidence:
        issued = date.fromisoformat(evidence["document_date"]) if evidence.get("document_date") else None
        line = f"Sản phẩm: {evidence.get('document_number', '')}"
        line += f" ngày {vn_date(issued)}" if issued else ""
        line += f" ({evidence['url']})" if evidence.get("url") else ""
        parts.append(line)
    return " ".join(parts)


def list_query(report: Report, batch: int = 2000):
    """One query for the whole list, in its order, streamed in batches."""
    as_of = report.as_of
    state = report_service.states_as_of(as_of=as_of, scope=report.scope)
    latest = _latest_reports(end_of_day_utc(as_of, get_settings().tz))
    effective = EffectiveDay.__table__
    rank = {agency["id"]: i for i, (agency, _) in enumerate(report.agencies)}
    task, directive = Task.__table__.c, Directive.__table__.c
    return (
        select(state.c.task_id, state.c.to_status, state.c.deadline_on, state.c.completed_on, state.c.lead_agency_id,
               effective.c.effective_on, task.title, task.coordinating_agency_ids, task.original_deadline_on,
               task.deliverable_type, task.deliverable_description, directive.number, directive.issued_on,
               latest.c.note, latest.c.data, latest.c.kind, task.reporting_cadence)
        .select_from(state.join(Task.__table__, task.id == state.c.task_id)
                     .join(Directive.__table__, directive.id == task.directive_id)
                     .join(effective, effective.c.day == state.c.deadline_on)
                     .outerjoin(latest, and_(latest.c.task_id == state.c.task_id)))
        .order_by(*([case(rank, value=state.c.lead_agency_id, else_=len(rank))] if rank else []),
                  state.c.deadline_on, state.c.task_id)
        .execution_options(yield_per=batch)
    )


def rows(*, session: Session, report: Report) -> Iterator[Row]:
    """The list's rows in order, numbered."""
    as_of = report.as_of
    names: dict[int, str] = {agency["id"]: agency["name"] for agency, _ in report.agencies}
    number = 0
    for partition in session.execute(list_query(report)).partitions():
        coordinating_ids = {a for r in partition for a in r[7]} - names.keys()
        if coordinating_ids:
            names |= {a: ref["name"] for a, ref in agency_service.refs(session=session,
                                                                        agency_ids=coordinating_ids).items()}
        # Unpacked as tuples: a named attribute of a result row costs about a microsecond, times 16 a row.
        for (_, to_status, deadline_on, completed_on, lead_id, effective_on, title, coordinating, original_on,
             deliverable_type, deliverable_description, directive_number, issued_on, note, data, kind,
             cadence) in partition:
            number += 1
            status, days = _status_text(to_status, effective_on, completed_on, as_of, standing=cadence is not None)
            deadline = vn_date(deadline_on)
            if cadence is not None:
                deadline = f"Thường xuyên ({messages.CADENCE_VI[cadence]}; kỳ báo cáo tới {deadline})"
                original_on = deadline_on  # a standing task's due date moves with each report
            if original_on != deadline_on:
                deadline += f" (thời hạn ban đầu {vn_date(original_on)})"
            if effective_on != deadline_on:
                deadline += f"; trùng ngày nghỉ, tính đến {vn_date(effective_on)}"
            lead = names[lead_id]
            yield Row(number, lead_id, lead, f"{directive_number} ngày {vn_date(issued_on)}", title, lead,
                      ", ".join([names.get(a, str(a)) for a in coordinating]), deadline,
                      f"{deliverable_type}: {deliverable_description}", _progress_text(note, data, kind, to_status),
                      status, to_status != TaskStatus.completed and days > 0, days)

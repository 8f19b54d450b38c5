"""Notice imports: read a conclusion notice into drafts (app/imports/parser.py, in a child process of its own:
app/imports/sandbox.py), keep them for the secretariat to review and complete, then commit them as a directive and
its tasks in one unit of work, through the same services the API uses (so the seven "rõ" and every other rule apply
exactly as they do to a task typed by hand)."""

import re
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, select

from app import clock, messages, unit_of_work
from app.access import policy
from app.access.policy import Action
from app.access.principal import Principal
from app.agencies import service as agency_service
from app.agencies.models import Agency
from app.calendar import service as calendar_service
from app.clock import utcnow
from app.config import get_settings
from app.directives import schemas as directive_schemas
from app.directives import service as directive_service
from app.directives.schemas import DirectiveCreate
from app.errors import ApiError, FieldProblem, InvalidInput, not_found
from app.imports import sandbox
from app.imports.deadlines import choose, find_deadlines
from app.imports.errors import ImportInputError
from app.imports.folding import Folded
from app.imports.gazetteer import KnownAgency
from app.imports.models import NoticeImport
from app.imports.rules.agencies import suggest_official
from app.imports.rules.blocks import without_label
from app.imports.schemas import DraftPublic, DraftRead, SegmentPublic, SegmentRead
from app.tasks import rules
from app.tasks import service as task_service
from app.tasks.deadlines import standing_cadence
from app.tasks.models import DeliverableType, Task
from app.tasks.schemas import TaskCreate
from app.tasks.status import TaskStatus
from app.text import fold, vagueness

# The fields a draft carries into POST /tasks, and those the secretariat may edit.
TASK_FIELDS = ("title", "objective", "lead_agency_id", "coordinating_agency_ids", "accountable_official", "deadline",
               "deliverable_type", "deliverable_description", "expected_result", "clause_ref", "priority")
HEADER_FIELDS = ("number", "issued_on", "title", "meeting_name", "meeting_date", "issuer")


def input_error(error: ImportInputError, field: str) -> ApiError:
    """A 422 on the field that carried the notice (as every other validation problem), or a 413."""
    if error.http_status == 422:
        return InvalidInput([FieldProblem(field, error.message_en, error.message_vi, type=error.code)])
    return ApiError(error.http_status, error.message_en, error.message_vi, code=error.code)


def known_agencies(session: Session) -> list[KnownAgency]:
    return [KnownAgency(id=a.id, code=a.code, name=a.name, short_name=a.short_name, aliases=list(a.aliases or []))
            for a in agency_service.list_agencies(session=session)]


def _ref(agency: Agency) -> dict:
    return {"id": agency.id, "code": agency.code, "name": agency.name}


def _current(session: Session, found: dict | None, flags: list[str]) -> dict | None:
    """An agency the notice names, or its successor when it has since been merged (flagged)."""
    if found is None or found.get("id") is None:
        return found
    agency = agency_service.get(session=session, agency_id=found["id"])
    if agency is not None and agency.merged_into_id is not None:
        successor = agency_service.successor_of(session=session, agency=agency)
        if "agency_merged" not in flags:
            flags.append("agency_merged")
        return _ref(successor)
    return found


def suggest(draft: dict, *, even_if_named: bool = False) -> dict:
    """The draft with the accountable official its lead would have as a suggestion (flagged): after an old name is
    read as its successor, the successor's head; for each draft of a split, its own lead's; for a lead changed by
    hand, the new lead's (`even_if_named`: an official already typed stays, the suggestion is offered beside it).
    Otherwise a draft whose official is named gets no suggestion, as the parser gives none."""
    lead = draft.get("lead_agency") or {}
    flags = [f for f in draft.get("flags") or [] if f != "suggested_accountable_official"]
    suggestion = None
    if lead.get("name") and (even_if_named or not draft.get("accountable_official")):
        suggestion = suggest_official(KnownAgency(id=lead.get("id"), code=lead.get("code") or "", name=lead["name"],
                                                  short_name=""))
        flags.append("suggested_accountable_official")
    return draft | {"suggested_accountable_official": suggestion, "flags": flags}


def _draft_record(session: Session, draft: DraftRead) -> dict[str, Any]:
    """What is kept of a draft: the values of a task, as far as the text says them, and what the review needs."""
    data = draft.model_dump(mode="json")
    flags = list(data["flags"])
    lead = _current(session, data["lead_agency"], flags)
    # After an old name is read as its successor, a coordinator may be the lead itself, or named twice: neither is a
    # coordinator of its own ("Bộ Tài chính chủ trì, phối hợp với Bộ Kế hoạch và Đầu tư" has none left).
    coordinating: list[dict] = []
    for found in (_current(session, a, flags) for a in data["coordinating_agencies"]):
        if found and found != lead and found not in coordinating:
            coordinating.append(found)
    record = data | {"lead_agency": lead, "coordinating_agencies": coordinating, "priority": "urgent" in flags,
                     "flags": flags, "skipped": False, "task_id": None}
    # The suggestion names the agency the task goes to: the successor of a ministry merged away, not the old one.
    return suggest(record) if lead != data["lead_agency"] and data["suggested_accountable_official"] else record


def _values(draft: dict) -> dict[str, Any]:
    """The draft as the body of POST /tasks (without the directive)."""
    return {"title": draft.get("title"), "objective": draft.get("objective"),
            "lead_agency_id": (draft.get("lead_agency") or {}).get("id"),
            "coordinating_agency_ids": [a["id"] for a in draft.get("coordinating_agencies") or [] if a.get("id")],
            "accountable_official": draft.get("accountable_official"), "deadline": draft.get("deadline_text"),
            "deliverable_type": draft.get("deliverable_type"),
            "deliverable_description": draft.get("deliverable_description"),
            "expected_result": draft.get("expected_result"), "clause_ref": draft.get("clause_ref"),
            "priority": bool(draft.get("priority"))}


def missing(draft: dict) -> list[dict]:
    """The "rõ" still missing, named as the 422 of POST /tasks names them. A suggestion is not a value: it stays
    missing until confirmed."""
    values = _values(draft)
    fields = {"objective": values["objective"], "lead_agency_id": values["lead_agency_id"], "title": values["title"],
              "deadline": values["deadline"], "accountable_official": values["accountable_official"],
              "deliverable_type": values["deliverable_type"],
              "deliverable_description": values["deliverable_description"],
              "expected_result": values["expected_result"]}
    found = []
    for field, value in fields.items():
        if value is None or (isinstance(value, str) and rules.blank(value)):
            problem = rules.missing(field)
            found.append({"field": field, "msg": problem.msg, "msg_vi": problem.msg_vi})
    return found


# A draft is the same assignment as a task already given under the directive when both name the same lead agency
# and share this much of their work's words (of the shorter one): a notice imported twice, or a task typed by hand
# before the notice was read.
SAME_WORK = 0.6


def _words(text: str | None) -> set[str]:
    return {word for word in fold(text or "").replace(",", " ").replace(".", " ").split() if len(word) > 1}


def already_assigned(draft: dict, tasks: list) -> dict | None:
    """The task already given under the directive that this draft repeats, or None."""
    lead = (draft.get("lead_agency") or {}).get("id")
    words = _words(draft.get("title"))
    if lead is None or not words:
        return None
    for task in tasks:
        if task.lead_agency_id != lead:
            continue
        theirs = _words(task.title)
        if theirs and len(words & theirs) / min(len(words), len(theirs)) >= SAME_WORK:
            return {"task_id": task.id, "title": task.title}
    return None


def _existing_tasks(session: Session, directive) -> list:
    if directive is None:
        return []
    return list(session.exec(select(Task).where(Task.directive_id == directive.id,
                                                Task.status != TaskStatus.removed)))


def kept_draft(draft: dict) -> bool:
    """Whether a draft becomes a task at commit: not skipped, and not a repeat of a task already given unless the
    officer insists."""
    return not draft.get("skipped") and not (draft.get("already_assigned") and not draft.get("insist"))


def public(session: Session, record: NoticeImport) -> dict:
    header = dict(record.directive)
    existing = _existing_directive(session, header)
    header["existing_directive_id"] = existing.id if existing else None
    tasks = _existing_tasks(session, existing) if record.status == "draft" else []
    drafts = []
    for draft in record.drafts:
        repeat = already_assigned(draft, tasks) if not draft.get("task_id") else None
        shown = draft | {"missing": missing(draft), "already_assigned": repeat}
        shown["skipped"] = not kept_draft(shown) and not draft.get("task_id")
        drafts.append(DraftPublic.model_validate(shown).model_dump(mode="json"))
    segments = [_segment_public(i, g) for i, g in enumerate(record.segments or [])]
    return {"id": record.id, "status": record.status, "filename": record.filename, "directive": header,
            "directive_id": record.directive_id, "text": record.text, "drafts": drafts, "segments": segments,
            "unread": len(unread_segments(record)), "warnings": record.warnings, "created_at": record.created_at,
            "committed_at": record.committed_at,
            "version": record.version}


def _segment_public(index: int, segment: dict) -> dict:
    reason = segment.get("reason")
    words = messages.IMPORT_SEGMENT_REASONS.get(reason or "", (None, None))
    return SegmentPublic.model_validate(segment | {"index": index, "reason_en": words[0],
                                                   "reason_vi": words[1]}).model_dump(mode="json")


def unread_segments(record: NoticeImport) -> list[int]:
    """The segments still unread: no rule read them and no draft was made from them."""
    return [i for i, g in enumerate(record.segments or []) if g.get("fate") == "unread" and not g.get("drafts")]


def draft_from_segment(*, session: Session, principal: Principal, import_id: int, index: int) -> dict:
    """A draft made by the officer from a segment (an unread one, most often): its text as the work, the first
    agency it names as lead (all of them offered), the deadline it writes as the deadline. The segment then counts
    as read, by the officer."""
    policy.require(principal, Action.import_notice)
    record = _get(session, import_id, for_update=True)
    _not_after_commit(record)
    segments = [dict(g) for g in record.segments or []]
    if not 0 <= index < len(segments):
        raise not_found("segment")
    segment = segments[index]
    work = re.sub(r"\s+", " ", without_label(segment["text"])).rstrip(" .;")
    folded = Folded(work)
    deadline = choose(find_deadlines(folded, 0, len(folded.s), _header_day(record.directive.get("issued_on"))))
    offered = [_current(session, a, []) for a in segment.get("agencies") or []]
    n = max([d["n"] for d in record.drafts] or [0]) + 1
    flags = ["from_unread_segment"] + ([] if deadline else ["no_deadline"])
    lead = offered[0] if offered else None
    draft = {"n": n, "clause_ref": None, "title": work[:1].upper() + work[1:], "lead_agency": lead,
             "collective_lead": False, "collective_text": None, "unknown_lead": None, "coordinating_agencies": [],
             "unknown_agencies": [], "deadline_text": deadline.text if deadline else None,
             "deadline_on": deadline.on.isoformat() if deadline and deadline.on else None,
             "deliverable_type": "Khác", "deliverable_description": None, "objective": None,
             "accountable_official": None, "suggested_accountable_official": None, "expected_result": None,
             "flags": flags, "source": {"start": segment["start"], "end": segment["end"], "text": segment["text"]},
             "priority": False, "skipped": False, "task_id": None, "from_segment": index,
             "offered_leads": offered}
    draft = suggest(draft)  # the official of the lead offered first, as for any other draft
    segment["drafts"] = list(segment.get("drafts") or []) + [n]
    segment["fate"] = "task"
    segment["by_officer"] = True
    segments[index] = segment
    record.drafts = [*record.drafts, draft]
    record.segments = segments
    record.version += 1
    session.add(record)
    return public(session, record)


def _existing_directive(session: Session, header: dict):
    if not header.get("number") or not header.get("issued_on"):
        return None
    try:
        year = date.fromisoformat(header["issued_on"]).year
    except (TypeError, ValueError):
        return None
    return directive_service.get_by_number(session=session, number=header["number"], year=year)


async def read_notice(*, principal: Principal, text: str | None = None, filename: str = "",
                      content: bytes | None = None, content_type: str | None = None,
                      disconnected: sandbox.Disconnected | None = None) -> sandbox.Reading:
    """Reads a notice (pasted text, or an uploaded .txt, .docx or text .pdf) into drafts, in a child process within
    the settings' limits, holding no database session meanwhile (the agencies are read first, in a short read).
    Bad input is a clear 422 in both languages (413 for an oversized upload; 422 "too complex to read" for a file
    past a limit), every reader busy a 503 with Retry-After; sandbox.ClientGone when `disconnected()` says so."""
    policy.require(principal, Action.import_notice)
    limits = sandbox.Limits.of(get_settings())
    field = "file" if content is not None else "text"
    try:
        if content is None:
            if text is None or not text.strip():
                raise ImportInputError("empty", "notice_empty")
            if len(text) > limits.budget.chars:
                raise ImportInputError("too_long", "text_too_long", limit=f"{limits.budget.chars:,}",
                                       limit_vi=messages.vn_number(limits.budget.chars))
        agencies = await unit_of_work.read(known_agencies)
        job = sandbox.Job(agencies=agencies, text=text, filename=filename, content=content,
                          content_type=content_type)
        return await sandbox.read(job, limits, disconnected)
    except ImportInputError as error:
        raise input_error(error, field) from error
    except sandbox.Busy as busy:
        raise ApiError.of(503, "import_busy", code="busy", headers={"Retry-After": str(busy.retry_after)},
                          seconds=busy.retry_after) from busy


def create(*, session: Session, principal: Principal, reading: sandbox.Reading, filename: str = "",
           now: datetime | None = None) -> dict:
    """Keeps a notice read by read_notice (drafts, header, warnings): the short write that follows the reading."""
    policy.require(principal, Action.import_notice)
    drafts = [_draft_record(session, DraftRead.model_validate(d)) for d in reading.drafts]
    segments = [SegmentRead.model_validate(g).model_dump(mode="json") for g in reading.segments]
    record = NoticeImport(filename=filename[:300], text=reading.text, directive=reading.directive,
                          drafts=drafts, warnings=list(reading.warnings), segments=segments,
                          created_at=now or utcnow(), created_by_agency_id=principal.agency_id,
                          created_by_account_id=principal.account_id, created_by_token_id=principal.token_id)
    session.add(record)
    session.flush()
    return public(session, record)


def _get(session: Session, import_id: int, *, for_update: bool = False) -> NoticeImport:
    statement = select(NoticeImport).where(NoticeImport.id == import_id)
    if for_update:
        statement = statement.with_for_update()
    record = session.exec(statement).first()
    if record is None:
        raise not_found("import")
    return record


def get(*, session: Session, principal: Principal, import_id: int) -> dict:
    policy.require(principal, Action.import_notice)
    return public(session, _get(session, import_id))


def listed(*, session: Session, principal: Principal) -> list[NoticeImport]:
    policy.require(principal, Action.import_notice)
    return list(session.exec(select(NoticeImport).order_by(NoticeImport.id.desc()).limit(50)))


def _not_after_commit(record: NoticeImport) -> None:
    if record.status == "committed":
        raise ApiError.of(409, "import_committed", code="committed")
    if record.status == "discarded":
        raise ApiError.of(409, "import_discarded", code="discarded")


def discard(*, session: Session, principal: Principal, import_id: int, now: datetime | None = None) -> dict:
    """An import nobody will commit (a wrong file, a notice read twice) set aside: it stays in the list, marked, and
    nothing more can be done with it."""
    policy.require(principal, Action.import_notice)
    record = _get(session, import_id, for_update=True)
    _not_after_commit(record)
    record.status = "discarded"
    record.version += 1
    session.add(record)
    return public(session, record)


def update_header(*, session: Session, principal: Principal, import_id: int, changes: dict) -> dict:
    policy.require(principal, Action.import_notice)
    record = _get(session, import_id, for_update=True)
    _not_after_commit(record)
    unknown = sorted(set(changes) - set(HEADER_FIELDS))
    if unknown:
        raise InvalidInput([FieldProblem.of(f, "not_directive_field") for f in unknown])
    # A title or a meeting typed in is held to the directive's rule as typed ("X" is not a title).
    problems = []
    for field, minimum in directive_schemas.MIN_LENGTH.items():
        value = changes.get(field)
        if isinstance(value, str) and value.strip() and value.strip() != (record.directive.get(field) or "") \
                and (reason := vagueness(value, minimum)) is not None:
            problems.append(FieldProblem.of(field, "directive_text_vague", reason_en=messages.VAGUE[reason][0].format(
                minimum=minimum), reason_vi=messages.VAGUE[reason][1].format(minimum=minimum)))
    if problems:
        raise InvalidInput(problems)
    record.directive = dict(record.directive) | {k: (v.strip() if isinstance(v, str) else v) or None
                                                 for k, v in changes.items()}
    record.version += 1
    session.add(record)
    return public(session, record)


def _agency_refs(session: Session, ids: list[int], field: str) -> list[dict]:
    found = agency_service.by_ids(session=session, agency_ids=set(ids))
    unknown = sorted(set(ids) - set(found))
    if unknown:
        raise InvalidInput([FieldProblem.of(field, "unknown_agencies", ids=unknown)])
    return [_ref(found[i]) for i in ids]


def update_draft(*, session: Session, principal: Principal, import_id: int, n: int, changes: dict) -> dict:
    """Edits a draft: any task field, `skip` (true or false), or `split_into` (agency ids: a collective draft, or any
    draft, becomes one draft per agency, each a copy with that lead)."""
    policy.require(principal, Action.import_notice)
    record = _get(session, import_id, for_update=True)
    _not_after_commit(record)
    drafts = [dict(d) for d in record.drafts]
    index = next((i for i, d in enumerate(drafts) if d["n"] == n), None)
    if index is None:
        raise not_found("draft")
    draft = drafts[index]
    allowed = set(TASK_FIELDS) | {"skip", "split_into"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise InvalidInput([FieldProblem.of(f, "not_draft_field") for f in unknown])
    problems: list[FieldProblem] = []
    if changes.get("deliverable_type") is not None \
            and changes["deliverable_type"] not in {t.value for t in DeliverableType}:
        problems.append(FieldProblem.of("deliverable_type", "not_deliverable_type"))
    deadline_on = _check_typed(session, record, draft, changes, problems)
    if problems:
        raise InvalidInput(problems)
    if "split_into" in changes:
        _split(session, drafts, index, changes["split_into"])
    else:
        for field, value in changes.items():
            if field == "skip":
                draft["skipped"] = bool(value)
                # Kept by hand: a draft that repeats a task already given is then given all the same.
                draft["insist"] = not value
            elif field == "lead_agency_id":
                lead = _agency_refs(session, [int(value)], field)[0] if value else None
                changed = lead is not None and lead != draft.get("lead_agency")
                draft["lead_agency"] = lead
                if changed:
                    draft = suggest(draft, even_if_named=True)
                draft["collective_lead"] = draft["collective_lead"] and not value
            elif field == "coordinating_agency_ids":
                draft["coordinating_agencies"] = _agency_refs(session, [int(a) for a in value or []], field)
            elif field == "deadline":
                if (value or "").strip() != (draft.get("deadline_text") or ""):
                    draft["deadline_on"] = deadline_on.isoformat() if deadline_on else None
                draft["deadline_text"] = (value or "").strip() or None
            else:
                draft[field] = value.strip() if isinstance(value, str) else value
        drafts[index] = draft
    record.drafts = drafts
    record.version += 1
    session.add(record)
    return public(session, record)


def _split(session: Session, drafts: list[dict], index: int, agency_ids: list) -> None:
    """"Tách": the draft at `index` is set aside for one copy per agency, placed after it. Each copy keeps the work,
    its deadline or a standing task's cadence, and the flags; its official is its own lead's (one named for another
    lead is not kept), offered as a suggestion."""
    leads = _agency_refs(session, [int(a) for a in agency_ids], "split_into")
    if not leads:
        raise InvalidInput([FieldProblem.of("split_into", "split_needs_agency")])
    draft = drafts[index]
    next_n = max(d["n"] for d in drafts) + 1
    copies = []
    for offset, lead in enumerate(leads):
        same_lead = (draft.get("lead_agency") or {}).get("id") == lead["id"]
        copy = dict(draft) | {"n": next_n + offset, "lead_agency": lead, "collective_lead": False,
                              "collective_text": None,
                              "accountable_official": draft.get("accountable_official") if same_lead else None,
                              "flags": [f for f in draft["flags"] if f != "collective_lead"] + ["split"],
                              "split_from": draft["n"]}
        copies.append(suggest(copy))
    draft["skipped"] = True
    draft["split_into"] = [c["n"] for c in copies]
    drafts[index + 1:index + 1] = copies


def _check_typed(session: Session, record: NoticeImport, draft: dict, changes: dict,
                 problems: list[FieldProblem]) -> date | None:
    """What the officer types into a draft is held to the rules of a task as it is typed (a title of "X", a deadline
    that is not a date or is already past), not first at commit; what is left empty stays missing until then, and
    what the notice said and nobody changed is not judged again. Returns the deadline a changed wording names."""
    typed = {field: value for field, value in changes.items()
             if field in rules.MIN_LENGTH and isinstance(value, str) and not rules.blank(value)
             and value.strip() != (draft.get(field) or "").strip()}
    rules.check_texts(typed, problems)
    wording = (changes.get("deadline") or "").strip()
    if not wording or wording == (draft.get("deadline_text") or "") or standing_cadence(wording)[0]:
        return None
    today = clock.today()
    issued = _header_day(record.directive.get("issued_on"))
    not_before, too_early = today, ("deadline_in_past", {"today": today})
    if issued is not None and issued > today:
        not_before, too_early = issued, ("deadline_before_directive", {"issued_on": issued})
    return rules.parse_deadline_field("deadline", wording, problems, not_before, too_early,
                                      working_days_from=issued or today,
                                      calendar=calendar_service.get_calendar(session=session))


def _origin(record: NoticeImport, draft: dict, unread: list[int]) -> dict:
    """What a task's journal keeps of where it came from: the import, the draft, its source, and the segments left
    unread when the officer gave the tasks (with the officer's confirmation that they assign nothing)."""
    origin = {"import_id": record.id, "draft": draft["n"],
              "source": {"start": draft["source"]["start"], "end": draft["source"]["end"]}}
    if draft.get("from_segment") is not None:
        origin["from_segment"] = draft["from_segment"]
    if unread:
        origin |= {"unread_segments": unread, "unread_confirmed": True}
    return origin


def _header_day(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def commit(*, session: Session, principal: Principal, import_id: int, now: datetime | None = None,
           confirm_unread: bool = False) -> dict:
    """Creates the directive (or takes the existing one with that number and year) and every kept draft as a task, in
    the caller's one unit of work: a draft still missing a "rõ", or refused by any rule of POST /tasks, is a 422 that
    names the draft and the field, and nothing is created. A second commit creates nothing more. While a segment of
    the notice is still unread the commit is refused unless `confirm_unread`; each task's journal origin keeps how
    many were left and that the officer confirmed."""
    policy.require(principal, Action.import_notice)
    now = now or utcnow()
    record = _get(session, import_id, for_update=True)
    if record.status == "committed":
        return public(session, record)
    _not_after_commit(record)
    unread = unread_segments(record)
    if unread and not confirm_unread:
        raise InvalidInput([FieldProblem.of("confirm_unread", "unread_segments_left", count=len(unread))])
    header = record.directive
    directive = _existing_directive(session, header)
    tasks = _existing_tasks(session, directive)
    drafts = [dict(d) | {"already_assigned": already_assigned(d, tasks)} for d in record.drafts]
    kept = [d for d in drafts if kept_draft(d)]
    problems = [FieldProblem.of(f"drafts.{d['n']}.{m['field']}", "draft_problem", n=d["n"], msg=m["msg"],
                                msg_vi=m["msg_vi"], type="seven_ro_missing") for d in kept for m in missing(d)]
    if not kept:
        problems.append(FieldProblem.of("drafts", "no_draft_kept"))
    if problems:
        raise InvalidInput(problems)
    if directive is None:
        try:
            directive_in = DirectiveCreate(**{k: header.get(k) for k in HEADER_FIELDS})
        except ValidationError as exc:
            raise InvalidInput([FieldProblem.of(f"directive.{'.'.join(str(p) for p in e['loc'])}",
                                                "import_directive_field", msg=str(e["msg"]),
                                                label_vi=messages.field_label(str(e["loc"][0]))[0])
                                for e in exc.errors()]) from exc
        directive = directive_service.create(session=session, directive_in=directive_in, principal=principal,
                                             now=now)
    problems = []
    for draft in drafts:
        if not kept_draft(draft):
            continue
        try:
            task_in = TaskCreate(directive_id=directive.id, **_values(draft))
            task = task_service.create_task(session=session, task_in=task_in, principal=principal, now=now,
                                            origin=_origin(record, draft, unread))
            draft["task_id"] = task.id
        except InvalidInput as error:
            problems += [FieldProblem.of(f"drafts.{draft['n']}.{p.field}", "draft_problem", n=draft["n"], msg=p.msg,
                                         msg_vi=p.msg_vi, type=p.type) for p in error.problems]
    if problems:
        raise InvalidInput(problems)  # the unit of work rolls back the directive and every task made before
    record.drafts = [{k: v for k, v in d.items() if k != "already_assigned"} for d in drafts]
    record.status = "committed"
    record.directive_id = directive.id
    record.committed_at = now
    record.version += 1
    session.add(record)
    return public(session, record)

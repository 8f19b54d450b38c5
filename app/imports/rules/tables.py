"""The tables rule: an appendix or body table, "STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời
hạn | Sản phẩm", read row by row under its header row; each row with a work and a lead makes its drafts."""

import re

from app.imports.deadlines import choose, find_deadlines
from app.imports.gazetteer import COLLECTIVE, KNOWN, UNKNOWN
from app.imports.rules import agencies
from app.imports.rules import deadlines as deadline_rule
from app.imports.rules import deliverables as deliverable_rule
from app.imports.rules.blocks import LEAD_COLUMN
from app.imports.rules.drafts import TABLE_REF, drafts_for
from app.imports.state import Assignment, Draft, Node, ParseState, Source

_WORK = re.compile(r"noi dung|nhiem vu|cong viec|ten")
# Which column holds what, by the words of its header cell; the first column that says so wins.
_COLUMNS = [("lead", LEAD_COLUMN), ("coord", re.compile(r"phoi hop")),
            ("deadline", re.compile(r"thoi han|thoi gian|tien do")), ("product", re.compile(r"san pham|hinh thuc")),
            ("work", _WORK), ("number", re.compile(r"\bstt\b|\bso tt\b|^tt$")),
            ("status", re.compile(r"ghi chu|tinh hinh|trang thai|ket qua thuc hien"))]
_GROUP = re.compile(r"[ivxlc]+\.?|[a-z]\.?")
# A row the table says is done ("Đã hoàn thành (Thông tư số 21/2026/TT-BXD)") is reported, not assigned.
DONE = re.compile(r"\s*(?:da\s+)?hoan thanh\b(?!\s+(?:truoc|trong|cham|vao))")


def table_row(state: ParseState, node: Node, header: list[str] | None) -> list[str] | None:
    """Reads one row; returns the table's header (the row itself when it is the header row)."""
    cells = cells_of(state, node.para.start, node.para.end)
    names = [state.s[x:y].strip() for x, y in cells]
    if all(re.fullmatch(r":?-{2,}:?", n) for n in names):
        return header  # a Markdown table's rule
    if header is None:
        if any(LEAD_COLUMN.search(n) for n in names) and any(_WORK.search(n) for n in names):
            state.row_lead = None
            state.row_deadline = None
            state.row_drafts = []
            return names
        return None
    if len(cells) == len(header):
        col = columns(header)
        if not _continues(state, node, cells, col):
            _row(state, node, cells, col)
    return header


def _continues(state: ParseState, node: Node, cells: list[tuple[int, int]], col: dict[str, int]) -> bool:
    """A line with the number, work and lead cells empty: a cell of the row above that wrapped in Word ("\t\t\tBộ
    Ngoại giao\t"). Its coordinators join that row's drafts, whose source then takes the line in."""
    if any(cells[col[k]][0] < cells[col[k]][1] for k in ("number", "work", "lead") if k in col):
        return False
    if not state.row_drafts:
        return True
    if "coord" in col:
        ca, cb = cells[col["coord"]]
        coords, _ = state.scan.read_list(ca, allow_loose_unknown=True)
        for draft in state.row_drafts:
            for c in (c for c in coords if c.end <= cb):
                if c.kind == KNOWN and c.agency is not draft.lead and c.agency not in draft.coordinating:
                    draft.coordinating.append(c.agency)
                elif c.kind == UNKNOWN and c.text not in draft.unknown_agencies:
                    draft.unknown_agencies.append(c.text)
    end = min(state.orig_end(node.para.end), len(state.text))
    for draft in state.row_drafts:
        draft.source = Source(draft.source.start, end, state.text[draft.source.start:end])
    return True


def columns(header: list[str]) -> dict[str, int]:
    col: dict[str, int] = {}
    for i, h in enumerate(header):
        for name, pattern in _COLUMNS:
            if pattern.search(h):
                col.setdefault(name, i)
                break
    return col


def _row(state: ParseState, node: Node, cells: list[tuple[int, int]], col: dict[str, int]) -> None:
    if "work" not in col or "lead" not in col:
        return
    if "number" in col and _GROUP.fullmatch(state.s, *cells[col["number"]]) and all(
            cells[col[k]][0] == cells[col[k]][1] for k in ("lead", "deadline") if k in col):
        return  # a group row ("II<TAB>Phát triển nhân lực<TAB><TAB>"): a heading of the rows below it
    if "status" in col and DONE.match(state.s, *cells[col["status"]]):
        state.done_rows.add(node.para.start)
        return
    wa, wb = cells[col["work"]]
    la, lb = cells[col["lead"]]
    if la == lb and state.row_lead and wa < wb:
        # An empty lead cell under a lead: Word's vertically merged cell, pasted as an empty one.
        items = state.row_lead
    else:
        items, _ = state.scan.read_list(la, allow_loose_unknown=True)
        items = [i for i in items if i.end <= lb]
    if not items:
        return
    state.row_lead = items
    asg = Assignment(wa, items, wa, wb, wb)
    if "coord" in col:
        ca, cb = cells[col["coord"]]
        coords, _ = state.scan.read_list(ca, allow_loose_unknown=True)
        asg.coords = [c for c in coords if c.kind != COLLECTIVE and c.end <= cb]
    # "Chủ trì, phối hợp với Bộ Khoa học và Công nghệ xây dựng …" in the work's own cell.
    asg.work_start = agencies.roles(state, asg, wa, wb)
    number = state.s[slice(*cells[col["number"]])].strip(" .") if "number" in col else None
    base = node.ref or "Bảng"
    node.ref = f"{base}.{state.original(*cells[col['number']]).strip(' .')}" if number else base
    drafts = drafts_for(state, asg, node, start=node.para.start)
    for draft in drafts:  # the whole row, its lines and cells, is the draft's source
        text = state.text[draft.source.start:min(state.orig_end(node.para.end), len(state.text))].rstrip()
        draft.source = Source(draft.source.start, draft.source.start + len(text), text)
    state.row_drafts = drafts
    if "deadline" in col:
        da, db = cells[col["deadline"]]
        if da == db and state.row_deadline is not None and drafts:
            # An empty time cell under a dated row: Word's vertically merged cell, as the lead's. Said in a flag.
            da, db = state.row_deadline
            for d in drafts:
                d.flags.append("deadline_from_row_above")
        elif da < db:
            state.row_deadline = (da, db)
        deadline_rule.from_cell(state, drafts, da, db)
    _time_in_note_or_past(state, drafts, cells[col["status"]] if "status" in col else None)
    if "product" in col:
        deliverable_rule.from_cell(state, drafts, *cells[col["product"]])


def _time_in_note_or_past(state: ParseState, drafts: list[Draft], note: tuple[int, int] | None) -> None:
    """A row's note may set its time anew ("Quá hạn; đăng ký hoàn thành trong tháng 12/2026"); a time before the
    notice's own date is not one this notice gives: the row keeps it as written, flagged, until the notice says
    when ("… nhiệm vụ quá hạn nêu tại bảng trên … trước ngày 30/11/2026", read by `overdue_rows`)."""
    registered = choose(find_deadlines(state.folded, *note, state.info.issued_on)) if note else None
    for d in drafts:
        if registered is not None:
            deadline_rule.set_deadline(d, registered)
        elif d.deadline_on is not None and state.info.issued_on is not None and d.deadline_on < state.info.issued_on:
            d.flags.append("deadline_before_notice")
            state.overdue_drafts.append(d)


_OVERDUE_POINTER = re.compile(r"\bqua han\b[^.]{0,80}" + TABLE_REF)


def overdue_rows(state: ParseState) -> None:
    """Rule (after the body and the appendix): the time the notice gives the overdue rows of its table."""
    if not state.overdue_drafts:
        return
    for p in state.paras[state.body:state.body_end]:
        m = _OVERDUE_POINTER.search(state.s, p.start, p.end)
        chosen = choose(find_deadlines(state.folded, m.start(), p.end, state.info.issued_on)) if m else None
        if chosen is not None:
            for d in state.overdue_drafts:
                deadline_rule.set_deadline(d, chosen)
                d.flags = [f for f in d.flags if f != "deadline_before_notice"] + ["deadline_from_notice_body"]
            return


def cells_of(state: ParseState, a: int, b: int) -> list[tuple[int, int]]:
    """A row's cells: separated by "|" (as extract.py writes a DOCX table, or a Markdown table) or by tabs."""
    s = state.s
    out = []
    pos = a
    for m in re.finditer(r"\||\t", s[a:b]):
        out.append((pos, a + m.start()))
        pos = a + m.end()
    out.append((pos, b))
    trimmed = []
    for x, y in out:
        while x < y and s[x] in " \t":
            x += 1
        while y > x and s[y - 1] in " \t":
            y -= 1
        trimmed.append((x, y))
    # "| a | b |": the bars at the ends open and close the row, they do not make empty cells.
    if trimmed and trimmed[0][0] == trimmed[0][1] and s[a:b].lstrip().startswith("|"):
        trimmed = trimmed[1:]
    if trimmed and trimmed[-1][0] == trimmed[-1][1] and s[a:b].rstrip().endswith("|"):
        trimmed = trimmed[:-1]
    return trimmed

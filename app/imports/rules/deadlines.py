"""The deadlines rule: which deadline phrase (`app.imports.deadlines`, the finder) a draft takes, what it says when a
deadline is written but is no date, and a "Thời hạn: ..." line that completes the drafts of the paragraph before it."""

import re

from app.imports.deadlines import INTERNAL_FLAGS, RECURRING, STANDING, Deadline, choose, find_deadlines
from app.imports.state import Assignment, Draft, ParseState, Source

THOI_HAN = re.compile(r"\s*(?:\(\s*)?(?:thoi han|thoi gian (?:hoan thanh|thuc hien)|han hoan thanh)\b")
_DEADLINE_SAID = re.compile(r"\bthoi (?:han|gian)(?: hoan thanh| thuc hien| trinh| bao cao)?\s*:\s*([^.;)\n]{2,80})")


def chosen_for(state: ParseState, asg: Assignment) -> Deadline | None:
    """The assignment's deadline: in its bracket ("(... thời hạn: quý II/2023)") or its text, else its heading's."""
    deadlines = find_deadlines(state.folded, asg.work_start, asg.extent_end, state.info.issued_on)
    if asg.bracket:
        deadlines = find_deadlines(state.folded, asg.bracket[0], asg.extent_end, state.info.issued_on) + [
            d for d in deadlines if d.start < asg.bracket[0]]
    # "… kể cả các hồ sơ nhận trước ngày 01/3/2025": a day before the notice names what the work covers, no deadline
    # (a table's row whose time has passed is read by the overdue-rows rule, not here).
    issued = state.info.issued_on
    deadlines = [d for d in deadlines if d.on is None or issued is None or d.on >= issued]
    return choose(deadlines) or asg.default_deadline


def unreadable(state: ParseState, asg: Assignment, chosen: Deadline | None) -> str | None:
    """"Thời hạn: trước kỳ họp Quốc hội": a deadline is written but it is no date; say so, invent none."""
    if chosen is not None:
        return None
    said = _DEADLINE_SAID.search(state.s, asg.work_start, asg.extent_end)
    if said and not STANDING.search(said.group(1)):
        return state.original(said.start(1), said.end(1)).strip()
    return None


def give(draft: Draft, chosen: Deadline | None, unreadable_text: str | None) -> None:
    if chosen is not None:
        set_deadline(draft, chosen)
    elif unreadable_text is not None:
        draft.deadline_text = unreadable_text
        draft.flags.append("deadline_unreadable")
    else:
        draft.flags.append("no_deadline")


def set_deadline(draft: Draft, chosen: Deadline) -> None:
    draft.deadline_text = chosen.text
    draft.deadline_on = chosen.on
    draft.flags = [f for f in draft.flags if f != "no_deadline"]
    if RECURRING in chosen.flags:
        # "trước ngày 25 tháng 12 hằng năm": a standing task, its cadence kept as written.
        if "standing_task" not in draft.flags:
            draft.flags.append("standing_task")
        return
    for flag in chosen.flags:
        if flag not in draft.flags and flag not in INTERNAL_FLAGS:
            draft.flags.append(flag)
    if chosen.on is None and "deadline_unreadable" not in draft.flags:
        draft.flags.append("deadline_unreadable")


def completes_last(state: ParseState, a: int, b: int) -> bool:
    """A paragraph "Thời hạn: quý II/2024." under the drafts of the one before: their deadline, when they have none,
    and the end of their source. Whether it did."""
    if not (THOI_HAN.match(state.s, a) and state.last):
        return False
    chosen = choose(find_deadlines(state.folded, a, b, state.info.issued_on))
    if chosen is None:
        return False
    for draft in state.last:
        if draft.deadline_on is None:
            set_deadline(draft, chosen)
        draft.source = Source(draft.source.start, state.orig_end(b), state.text[draft.source.start:state.orig_end(b)])
    return True


def from_cell(state: ParseState, drafts: list[Draft], da: int, db: int) -> None:
    """A table's "Thời hạn" cell: the deadline of its row's drafts; a cell with no date is kept as written."""
    s = state.s
    chosen = choose(find_deadlines(state.folded, da, db, state.info.issued_on, bare_ok=True))
    for d in drafts:
        if chosen is not None:
            set_deadline(d, chosen)
            d.flags = [f for f in d.flags if f != "no_deadline"]
        elif s[da:db].strip():
            d.deadline_text = state.original(da, db).strip()
            if STANDING.search(s, da, db):
                d.flags.append("standing_task")
            else:
                d.flags.append("deadline_unreadable")

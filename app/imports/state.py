"""The one state every rule of the importer reads and writes, and what the reading gives back.

`parser.parse_notice` makes a `ParseState` from the text and runs the rules of `parser.RULES` over it in order (as
markdown-it-py's core ruler runs its rules over one state): the paragraphs, the agency names, the header, the body's
bounds, the body, the appendix, the numbering. Offsets are into the folded text `s` (`app.imports.folding`) unless a
name says otherwise; `orig`, `orig_end` and `original` lead back to the text as written."""

import bisect
from dataclasses import dataclass, field
from datetime import date

from app.imports.deadlines import Deadline
from app.imports.folding import Folded
from app.imports.gazetteer import KnownAgency, ListItem, ScannedText, get_gazetteer

# ---- results ----


@dataclass
class Source:
    start: int
    end: int
    text: str


@dataclass
class DirectiveInfo:
    number: str | None = None
    issued_on: date | None = None
    title: str | None = None
    meeting_name: str | None = None
    meeting_date: date | None = None
    issuer: str | None = None

    def to_dict(self) -> dict:
        return {"number": self.number, "issued_on": _iso(self.issued_on), "title": self.title,
                "meeting_name": self.meeting_name, "meeting_date": _iso(self.meeting_date), "issuer": self.issuer}


@dataclass
class Draft:
    n: int
    clause_ref: str | None
    title: str
    lead: KnownAgency | None
    collective_lead: bool
    coordinating: list[KnownAgency]
    unknown_agencies: list[str]
    deadline_text: str | None
    deadline_on: date | None
    deliverable_type: str
    deliverable_description: str | None
    objective: str | None
    accountable_official: str | None
    suggested_accountable_official: str | None
    expected_result: str | None
    flags: list[str]
    source: Source
    unknown_lead: str | None = None
    collective_text: str | None = None

    def to_dict(self) -> dict:
        return {"n": self.n, "clause_ref": self.clause_ref, "title": self.title,
                "lead_agency": self.lead.to_dict() if self.lead else None, "collective_lead": self.collective_lead,
                "collective_text": self.collective_text, "unknown_lead": self.unknown_lead,
                "coordinating_agencies": [a.to_dict() for a in self.coordinating],
                "unknown_agencies": list(self.unknown_agencies), "deadline_text": self.deadline_text,
                "deadline_on": _iso(self.deadline_on), "deliverable_type": self.deliverable_type,
                "deliverable_description": self.deliverable_description, "objective": self.objective,
                "accountable_official": self.accountable_official,
                "suggested_accountable_official": self.suggested_accountable_official,
                "expected_result": self.expected_result, "flags": list(self.flags),
                "source": {"start": self.source.start, "end": self.source.end, "text": self.source.text}}


@dataclass
class Segment:
    """A piece of the notice the reader looked at (a numbered or lettered clause, a "-"/"+" item, a table row, a
    sentence of an unnumbered paragraph) and what became of it: `task` (it made `drafts`), `not_task` (`reason` says
    why) or `unread` (it may assign work -- an agency, an action, a date -- but no rule read it). Offsets into the
    text as written."""
    start: int
    end: int
    text: str
    fate: str
    reason: str | None = None
    drafts: list[int] = field(default_factory=list)
    agencies: list[KnownAgency] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "fate": self.fate, "reason": self.reason,
                "drafts": list(self.drafts), "agencies": [a.to_dict() for a in self.agencies]}


@dataclass
class ParsedNotice:
    directive: DirectiveInfo
    drafts: list[Draft]
    warnings: list[str]
    segments: list[Segment] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"directive": self.directive.to_dict(), "drafts": [d.to_dict() for d in self.drafts],
                "warnings": list(self.warnings), "segments": [g.to_dict() for g in self.segments]}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# ---- what the rules build on the way ----


@dataclass
class Para:
    start: int   # folded offsets, label included
    end: int
    blank_before: bool


@dataclass
class Node:
    """A paragraph in the outline of the body, under the labelled paragraph it belongs to."""
    kind: str
    label: str | None
    para: Para | None
    body: int                      # folded offset after the label
    parent: "Node | None" = None
    children: list["Node"] = field(default_factory=list)
    ref: str | None = None


@dataclass
class Context:
    """What a heading says of the paragraphs under it: whether they review results, their lead, coordinators and
    deadline ("Bộ Y tế:" over a list of items)."""
    review: bool = False
    lead: list[ListItem] | None = None
    coords: list[ListItem] = field(default_factory=list)
    deadline: Deadline | None = None


@dataclass
class Assignment:
    start: int                     # folded offset where the assignment's text begins
    items: list[ListItem]
    work_start: int
    work_end: int                  # end of the work's own sentence
    extent_end: int                # end of everything that belongs to it (continuation, "Thời hạn: ...")
    coords: list[ListItem] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    heading: bool = False
    inherited: bool = False
    bracket: tuple[int, int] | None = None
    default_deadline: Deadline | None = None
    context: tuple[int, int] | None = None   # "Về đề nghị ...:" or the work written before "giao Bộ X chủ trì"
    time_first: tuple[int, int] | None = None  # "Thời hạn: …." written before the work
    enumerates: bool = False  # "…, gồm:" over a list of the things the work is done on, no tasks of their own
    named_first: bool = False  # "Việc … do Sở X chủ trì": the work is named before its lead


class ParseState:
    def __init__(self, text: str, agencies: list[KnownAgency]) -> None:
        self.text = text
        self.gazetteer = get_gazetteer(agencies)
        self.folded = Folded(text)
        self.s = self.folded.s
        self.paras: list[Para] = []
        self.scan: ScannedText | None = None
        self.mention_starts: list[int] = []
        self.info = DirectiveInfo()
        self.warnings: list[str] = []
        self.drafts: list[Draft] = []
        self.last: list[Draft] = []      # the drafts of the paragraph before, which a "Thời hạn: ..." line completes
        self.body = 0                    # paragraph indexes: the body runs from `body` to `body_end`
        self.body_end = 0
        self.appendix: int | None = None
        self.attached: tuple[int, int] | None = None  # paragraphs of the document a decision issues after its signature
        self.segments: list[Segment] = []
        self.row_lead: list[ListItem] | None = None  # a table's last lead, which an empty (merged) lead cell continues
        self.row_deadline: tuple[int, int] | None = None  # a table's last time cell, which an empty one continues
        self.overdue_drafts: list[Draft] = []          # table rows whose time is before the notice's date
        self.done_rows: set[int] = set()              # folded starts of table rows the table says are done
        self.row_drafts: list[Draft] = []            # a table's last row's drafts, which a wrapped cell's line ends
        self.review_paras: set[int] = set()          # folded starts of the paragraphs read as a review of results
        self.completing: dict[int, list[Draft]] = {}  # a "Thời hạn: ..." paragraph -> the drafts it completed
        self.headings: set[int] = set()               # folded starts of the paragraphs that head what is under them
        self.furniture: list[tuple[int, int]] = []    # a PDF's page lines blanked out, as offsets into `text`
        self.issuer_agencies: list[KnownAgency] | None = None  # the agencies of the issuer block, once read

    def orig(self, i: int) -> int:
        return self.folded.orig(i)

    def orig_end(self, b: int) -> int:
        return self.folded.orig_end(b)

    def original(self, a: int, b: int) -> str:
        """The text as written, without the page lines of a PDF it runs across ("Trang 2/4", a running header)."""
        start, end = self.orig(a), self.orig_end(b)
        cut = [(x, y) for x, y in self.furniture if start <= x and y <= end]
        if not cut:
            return self.text[start:end]
        pieces, pos = [], start
        for x, y in cut:
            pieces.append(self.text[pos:x])
            pos = y
        return "".join(pieces) + self.text[pos:end]

    def upper_at(self, i: int) -> bool:
        o = self.orig(i)
        return self.text[o:o + 1].isupper()

    def inside_mention(self, i: int) -> bool:
        k = bisect.bisect_right(self.mention_starts, i) - 1
        return k >= 0 and self.scan.mentions[k].start < i < self.scan.mentions[k].end

    def result(self) -> ParsedNotice:
        return ParsedNotice(self.info, self.drafts, self.warnings, self.segments)

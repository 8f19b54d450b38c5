"""The field lines rule: an item followed by lines of its own that name its lead, its coordinators and its time, as
provincial and ministerial plans write them:

    a) Xây dựng dự thảo Nghị quyết của Hội đồng nhân dân tỉnh quy định mức hỗ trợ ...
    - Cơ quan chủ trì: Sở Tài chính.
    - Cơ quan phối hợp: Sở Tư pháp, Trung tâm Phục vụ hành chính công tỉnh.
    - Thời gian thực hiện: Quý II/2027.

The item and its field lines are one assignment: the lines make no drafts of their own, the lead line gives the
lead (the item's own words may name one instead, "Sở Tư pháp chủ trì, ..."), the coordinator line adds coordinators
and the time line the deadline (or the cadence, "Hằng năm")."""

import re
from dataclasses import dataclass

from app.imports.gazetteer import COLLECTIVE, UNKNOWN, ListItem
from app.imports.rules import agencies, clauses
from app.imports.rules.blocks import shouted
from app.imports.rules.clauses import PART_HEADING
from app.imports.state import Assignment, Context, Node, ParseState

_LEAD = r"(?:co quan|don vi|cq|dv)\s+chu tri"
# A line giving the lead of the item above it ("- Cơ quan chủ trì: Sở Tài chính."), as the segments rule looks for it.
LEAD_LINE = re.compile(r"\s*(?:[-+•]\s*)?" + _LEAD + r"\s*:")
_FIELD = re.compile(r"\s*(?:(?P<lead>" + _LEAD + r")"
                    r"|(?P<coords>(?:co quan|don vi|cq|dv)\s+phoi hop)"
                    r"|(?P<when>thoi gian(?:\s+(?:thuc hien|hoan thanh|trinh|bao cao|ban hanh|nop)(?:\s+[a-z]+){0,4})?"
                    r"|thoi han(?:\s+(?:hoan thanh|thuc hien))?|tien do(?:\s+hoan thanh)?)"
                    r"|(?P<product>san pham|ket qua(?:\s*/\s*san pham)?|ket qua dau ra|hinh thuc van ban))\s*:\s*")


# After a name in a field line: ", quốc tịch, chứng thực" up to the next ";", "(" or full stop.
_OF_EVERY = re.compile(r"\bcac (?:tinh|thanh pho|xa|phuong|huyen|dia phuong|bo|nganh)\b")
_SEMICOLON = re.compile(r"\s*;\s*")
_NAME_GOES_ON = re.compile(r",\s*(?!(?:cac|nhung|moi|tat ca|va)\b)([a-z][^;:().]*?)(?=\s*(?:[;:(]|\.\s|\.?$))")


@dataclass
class FieldLines:
    nodes: list[Node]
    start: int                          # folded offset of the first line
    end: int                            # end of the last
    lead: tuple[int, int] | None = None
    coords: tuple[int, int] | None = None
    when: tuple[int, int] | None = None


def field_of(state: ParseState, node: Node) -> tuple[str, int] | None:
    """("lead" | "coords" | "when" | "product", where its value starts) when the paragraph is a field line."""
    if node.para is None:
        return None
    m = _FIELD.match(state.s, node.body, node.para.end)
    if m is None or re.search(r"\.\s+\S", state.s[m.end():node.para.end]):
        return None  # "- Thời hạn: trước ngày 31/10/2026. Hoàn thành …": an item giving its time first, then its work
    return m.lastgroup, m.end()


def lines_under(state: ParseState, node: Node) -> FieldLines | None:
    """The field lines that open the item's children (a lead line or a time line among them), else None."""
    found: FieldLines | None = None
    for child in node.children:
        field = field_of(state, child)
        if field is None or any(PART_HEADING.fullmatch(state.s, c.body, c.para.end) is None
                                and not shouted(state.original(c.body, c.para.end))
                                for c in child.children if c.para is not None):
            break  # (a plan's "Phần thứ ba / TỔ CHỨC THỰC HIỆN" read as lines under the last field are headings)
        kind, value = field
        if found is None:
            found = FieldLines([], child.para.start, child.para.end)
        found.nodes.append(child)
        found.end = child.para.end
        if kind != "product" and getattr(found, kind) is None:
            setattr(found, kind, (value, child.para.end))
    if found is None or (found.lead is None and found.when is None):
        return None
    return found


def assignments(state: ParseState, node: Node, ctx: Context, fields: FieldLines) -> list[Assignment]:
    """The item's assignments with its field lines: the lead line's addressees (or the item's own), the coordinator
    line's agencies and the time line's deadline (read from the lines as from a bracket)."""
    a, b = node.body, node.para.end
    if fields.lead is not None:
        found = _from_lead_line(state, a, b, fields.lead)
    else:
        found = [asg for asg in clauses.assignments(state, a, b, ctx, has_children=False) if not asg.heading]
    for asg in found:
        asg.extent_end = fields.end
        asg.bracket = (fields.start, fields.end)
        if fields.coords is not None:
            items = _field_list(state, fields.coords[0], fields.coords[1])
            asg.coords += [i for i in items if i.kind != COLLECTIVE
                           and all(i.start != c.start for c in asg.coords)]
    return found


def _field_list(state: ParseState, start: int, end: int) -> list[ListItem]:
    """The agencies a field line lists. Its value is nothing but names, so a name whose words after a comma go on in
    lower case is one name ("Cục Hộ tịch, quốc tịch, chứng thực; Vụ Phổ biến, giáo dục pháp luật"), as a ministry's
    units are called; a body "of every province" ("Sở Tư pháp các tỉnh, thành phố") is a collective."""
    s, out, pos = state.s, [], start
    while pos < end:
        items, _ = state.scan.read_list(pos, allow_loose_unknown=True)
        items = [i for i in items if i.end <= end]
        if not items:
            break
        last = items[-1]
        rest = _NAME_GOES_ON.match(s, last.end, end)
        if last.kind == COLLECTIVE or rest is None or state.upper_at(rest.start(1)):
            out += items
            break
        items[-1] = ListItem(UNKNOWN, last.start, rest.end(), None, state.original(last.start, rest.end()).strip())
        out += items
        more = _SEMICOLON.match(s, rest.end(), end)
        if more is None:
            break
        pos = more.end()
    return [ListItem(COLLECTIVE, i.start, i.end, None, i.text)
            if i.kind == UNKNOWN and _OF_EVERY.search(s, i.start, i.end) else i for i in out]


def _from_lead_line(state: ParseState, a: int, b: int, lead: tuple[int, int]) -> list[Assignment]:
    # "Các sở, ban, ngành; Ủy ban nhân dân các xã, phường" reads as two collectives; a draft takes one
    # (agencies.lead_targets).
    items = _field_list(state, lead[0], lead[1])
    if not items:
        return []
    asg = Assignment(a, items, a, clauses.sentence_end(state, a, b), b)
    agencies.coordinators_in_work(state, asg)
    clauses.mark_urgent(state, asg)
    return [asg]

"""The segments rule, the last of the chain: the notice cut into the pieces the reader looked at (each numbered or
lettered clause, each "-"/"+" item, each table row, each sentence of an unnumbered paragraph, the closing, the
recipients), in order, each with its fate: `task` (the drafts it made), `not_task` (and why) or `unread`.

`unread` is the importer's promise that nothing is dropped without a word: a piece that names an agency and an
action (or a date) and made no draft is shown to the officer as such. A numbered or lettered item outside the parts
that review results, with an agency and an action verb, is never anything less than `unread`."""

import re

from app.imports.deadlines import find_deadlines
from app.imports.gazetteer import KnownAgency
from app.imports.rules import clauses
from app.imports.rules.blocks import LEAD_COLUMN, NOI_NHAN, TERMINAL, is_row, label_at, shouted
from app.imports.rules.drafts import ANSWERS_FOR, TABLE_REF, no_work
from app.imports.rules.fields import LEAD_LINE
from app.imports.rules.sections import CLOSING
from app.imports.state import Para, ParseState, Segment

TASK, NOT_TASK, UNREAD = "task", "not_task", "unread"

# Why a piece assigns nothing (the words are in app.messages.IMPORT_SEGMENT_REASONS).
CLOSING_REASON, RESPONSIBILITY, APPENDIX, RECIPIENTS, HEADING = "closing", "responsibility", "appendix", "recipients", \
    "heading"
REVIEW, PAST, PRAISE, NO_ACTION, DEADLINE_OF_ABOVE = "review", "past", "praise", "no_action", "deadline_of_above"
DONE = "done"

# Verbs of a task, folded: what someone is asked to do.
ACTION = re.compile(
    r"\b(?:xay dung|hoan thien|hoan thanh|hoan chinh|trinh|ban hanh|trien khai|thuc hien|to chuc|nghien cuu|de xuat"
    r"|bao cao|kiem tra|ra soat|huong dan|chi dao|bo tri|khan truong|tap trung|day nhanh|day manh|sua doi|bo sung"
    r"|cung cap|ket noi|bao dam|dam bao|tham muu|xu ly|giai quyet|tong hop|cap nhat|dieu chinh|chuan bi|theo doi"
    r"|giam sat|huy dong|ho tro|xuat cap|khac phuc|khoi phuc|sua chua|don dep|tim kiem|so tan|phoi hop|chu tri"
    r"|lap|phe duyet|tham dinh|van hanh|nang cap|so hoa|tich hop|chia se|xem xet|tiep thu|gui|lam ro|kien toan"
    r"|thanh lap|so ket|tong ket|tuyen truyen|dao tao|cong bo|ung dung|quan ly|thuc day|thao go|sap xep|cu"
    r"|phan bo|giao|bao cao|danh gia|tang cuong|nang cao|cai thien|duy tri|rut kinh nghiem|lam viec|chu dong)\b")
_PAST = re.compile(r"\b(?:da|dang(?! (?:tai|ky|nhap|tin|bai)\b)|vua qua|vua|thoi gian qua|nam qua"
                   r"|trong nam \d{4} da)\b")
_PRAISE = re.compile(r"\b(?:ghi nhan|danh gia cao|bieu duong|hoan nghenh|khen ngoi|chuc mung|cam on|dong tinh voi"
                     r"|thong nhat voi|dong y voi|nhat tri voi)\b")
# What asks for work to be done, against which "đã", "vừa qua" do not make a piece a review.
_ASKS = re.compile(r"(?<!da )(?<!dang )\b(?:can|phai|khan truong|giao|de nghi|yeu cau|tiep tuc|truoc ngay|thoi han"
                   r"|chu tri"
                   r"|trong (?:thang|quy|nam)\s+(?:\d|[ivx]+\b|nay|toi))\b")
# An official named by title, written with a capital: "Giám đốc", "Chủ tịch", "Thủ trưởng" -- someone to do the work.
_OFFICIAL_TITLE = re.compile(r"(?:Phó )?(?:Bộ trưởng|Thủ trưởng|Chủ tịch|Giám đốc|Tổng Giám đốc|Thống đốc"
                             r"|Chánh Văn phòng|Người đứng đầu)\b")
_ATTACHED = re.compile(r"\s*\(?\s*kem theo\b")
_RESPONSIBILITY = re.compile(r"\bchiu trach nhiem " + ANSWERS_FOR +
                             r"|\b(?:chiu trach nhiem|to chuc)\s+(?:thi hanh|thuc hien|trien khai)\s+"
                             r"(?:thong bao|ket luan|van ban|chi dao)(?:\s+(?:nay|nay\.|tren))?\b"
                             r"|\bchiu trach nhiem thi hanh\b")
# "căn cứ nhiệm vụ được giao tại Phụ lục, xây dựng kế hoạch ...": the appendix is the basis of a work of its own.
_BASED_ON_APPENDIX = re.compile(r"\bcan cu\b[^.;]{0,60}\bphu luc\b")
_APPENDIX_POINTER = re.compile(r"\b(?:phu luc|danh muc)\s+(?:kem theo|dinh kem|so\b|[ivx0-9]+\b)"
                               r"|\b(?:tai|theo|trong)\s+phu luc\b|" + TABLE_REF)
# "Sở Tư pháp chủ trì, ..." -- not "đã chủ trì", which reviews.
_LEADS = re.compile(r"(?<!da )(?<!dang )(?<!co quan )\bchu tri\b")
# A date or a period written in the piece ("trước ngày 30/6", "trong quý III/2025").
_DATE = re.compile(r"\b(?:ngay\s+\d|\d{1,2}/\d{1,2}(?:/\d{2,4})?|thang\s+\d|quy\s+[ivx1-4]+\b|nam\s+\d{4})")


def read(state: ParseState) -> None:
    """Rule: state.segments, each with its fate; run after the drafts are numbered."""
    paras = state.paras
    out: list[Segment] = []
    for i in range(state.body, state.body_end):
        out += _body_pieces(state, paras[i])
    tail_end = state.appendix if state.appendix is not None else len(paras)
    if state.attached is not None:
        first, last = state.attached
        out += _tail(state, paras[state.body_end:first])
        for i in range(first, last):
            out += _body_pieces(state, paras[i])
        out += _tail(state, paras[last:tail_end])
    else:
        out += _tail(state, paras[state.body_end:tail_end])
    if state.appendix is not None:
        for i in range(state.appendix, len(paras)):
            if NOI_NHAN.match(state.s, paras[i].start):
                out += _tail(state, paras[i:])
                break
            out += _body_pieces(state, paras[i], appendix=i == state.appendix)
    state.segments = [g for g in out if g.text.strip()]


def _body_pieces(state: ParseState, p: Para, *, appendix: bool = False) -> list[Segment]:
    """One paragraph's pieces: the whole of a labelled paragraph or a table row, else each sentence."""
    text = state.s[p.start:p.end]
    kind, _, _ = label_at(state, p.start)
    if appendix:
        return [_segment(state, p.start, p.end, NOT_TASK, HEADING)]
    if is_row(text) or kind is not None:
        return [_judge(state, p, p.start, p.end, labelled=kind is not None or is_row(text))]
    return [_judge(state, p, a, b, labelled=False) for a, b in clauses.sentences(state, p.start, p.end)]


def _tail(state: ParseState, paras: list[Para]) -> list[Segment]:
    """After the body: the closing sentence, then the recipients and the signature as one piece."""
    out: list[Segment] = []
    rest: Para | None = None
    for p in paras:
        if rest is None and CLOSING.search(state.s[p.start:p.end]) and not NOI_NHAN.match(state.s, p.start):
            out.append(_segment(state, p.start, p.end, NOT_TASK, CLOSING_REASON))
            continue
        rest = p if rest is None else rest
        last = p
    if rest is not None:
        out.append(_segment(state, rest.start, last.end, NOT_TASK, RECIPIENTS))
    return out


def _segment(state: ParseState, a: int, b: int, fate: str, reason: str | None = None,
             drafts: list[int] | None = None) -> Segment:
    start, end = state.orig(a), min(state.orig_end(b), len(state.text))
    while end > start and state.text[end - 1] in " \n\t":
        end -= 1
    return Segment(start, end, state.text[start:end], fate, reason, drafts or [], _agencies(state, a, b))


def _agencies(state: ParseState, a: int, b: int) -> list[KnownAgency]:
    found: list[KnownAgency] = []
    for m in state.scan.mentions:
        if a <= m.start < b and not m.weak and m.agency not in found:
            found.append(m.agency)
    return found


def _judge(state: ParseState, p: Para, a: int, b: int, *, labelled: bool) -> Segment:
    """The fate of one piece: the drafts whose source lies on it, else why it assigns nothing, else unread."""
    start, end = state.orig(a), state.orig_end(b)
    made = [d.n for d in state.drafts if d.source.start < end and start < d.source.end]
    made += [d.n for d in state.completing.get(p.start, []) if d.n not in made]
    if made:
        return _segment(state, a, b, TASK, None, made)
    return _segment(state, a, b, *_why_not(state, p, a, b, labelled=labelled))


def _why_not(state: ParseState, p: Para, a: int, b: int, *, labelled: bool) -> tuple[str, str | None]:
    s = state.s
    text = s[a:b]
    if CLOSING.search(text) and len(text) < 500:
        return NOT_TASK, CLOSING_REASON
    if _RESPONSIBILITY.search(text):
        return NOT_TASK, RESPONSIBILITY
    if p.start in state.done_rows:
        return NOT_TASK, DONE
    if _APPENDIX_POINTER.search(text) and (state.appendix is not None or state.done_rows or state.row_drafts) \
            and not _BASED_ON_APPENDIX.search(text):
        return NOT_TASK, APPENDIX
    if _heading(state, p, a, b) or _ATTACHED.match(text):
        return NOT_TASK, HEADING
    if (reason := no_work(text, anywhere=True)) is not None:
        return NOT_TASK, reason
    review = p.start in state.review_paras
    agency = _names_agency(state, a, b, anywhere=labelled)
    action = ACTION.search(text) is not None
    dated = _DATE.search(text) is not None or bool(find_deadlines(state.folded, a, b, state.info.issued_on))
    # A clause is judged by its first sentence: "1. Thời gian qua, Bộ Y tế đã ban hành ...; cần ..." reviews.
    body = label_at(state, a)[2] if labelled else a
    first = s[body:clauses.sentence_end(state, body, b)]
    asks = _ASKS.search(first) is not None
    opening = s[body:b][:60]
    if labelled and (_lead_below(state, b) or (agency and action and _LEADS.search(first))):
        return UNREAD, None  # an item with its own lead ("X chủ trì", a "Cơ quan chủ trì:" line) assigns work
    if _PRAISE.search(opening) and not asks:
        return NOT_TASK, PRAISE
    if review or (_PAST.search(first) and not asks):
        return NOT_TASK, REVIEW if review else PAST
    if labelled and agency and action:
        return UNREAD, None  # never less: a numbered item of the assignment part naming an agency and a work
    if _PRAISE.search(text):
        return NOT_TASK, PRAISE
    if _PAST.search(text):
        return NOT_TASK, PAST
    if agency and (action or dated):
        return UNREAD, None
    return NOT_TASK, NO_ACTION


def _lead_below(state: ParseState, b: int) -> bool:
    """Whether the line right below a piece gives its lead ("- Cơ quan chủ trì: Sở Tài chính."): the layout of a plan
    whose items name their agencies on lines of their own, so the item assigns work whatever section it stands in
    and whatever "đã" its wording holds."""
    return LEAD_LINE.match(state.s, b) is not None or LEAD_LINE.match(state.s, b + 1) is not None


def _heading(state: ParseState, p: Para, a: int, b: int) -> bool:
    text = state.s[a:b].strip()
    if p.start in state.headings:
        return True
    if shouted(state.original(a, b)) and len(text) < 200:
        return True
    if is_row(text):
        # A table's header row ("STT | Nội dung nhiệm vụ | Cơ quan chủ trì | ...").
        return bool(LEAD_COLUMN.search(text)) and not any(m.start >= a and m.end <= b
                                                                  for m in state.scan.mentions)
    body = state.s[label_at(state, a)[2]:b].strip() if a == p.start else text
    return len(body) < 160 and (body.endswith(":") or not TERMINAL.search(body)) and len(body.split()) <= 15 \
        and (body.endswith(":") or not _names_agency(state, a, b, anywhere=True))


def _names_agency(state: ParseState, a: int, b: int, *, anywhere: bool) -> bool:
    """Whether the piece names an agency: a known one, or a collective ("các bộ, ngành") or an organisation written
    with a capital ("Tập đoàn Điện lực Việt Nam") -- in a sentence of running text, as its subject, near its start."""
    if any(a <= m.start < b and not m.weak for m in state.scan.mentions):
        return True
    s = state.s
    for m in re.finditer(r"\b\w", s[a:b if anywhere else min(b, a + 60)]):
        pos = a + m.start()
        if state.scan.collective_at(pos) is not None and re.match(r"(?:cac|moi|toan bo|tat ca|bo|ubnd|uy ban)\b",
                                                                   s[pos:pos + 12]):
            return True
        if state.scan.org_head_at(pos) is not None or (state.upper_at(pos)
                                                       and _OFFICIAL_TITLE.match(state.original(pos, pos + 20))):
            return True
    return False

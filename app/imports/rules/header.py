"""The header rule: what the notice says of itself before its body (issuer, "Số:", place and date, "THÔNG BÁO", the
title, the meeting) into state.info, and where the body begins ("... kết luận như sau:")."""

import re
from datetime import date

from app import messages
from app.imports.deadlines import safe_date
from app.imports.errors import ImportInputError
from app.imports.folding import Folded
from app.imports.rules.blocks import PREAMBLE_START, label_at
from app.imports.state import Para, ParseState
from app.types import FIRST_DAY, LAST_DAY

_DOC_TYPE = re.compile(r"(thong bao|ket luan|cong dien|chi thi|bao cao|thong bao ket luan|ke hoach|bien ban|nghi quyet"
                       r"|quyet dinh|chuong trinh)\b")
# "Số: 412/TB-UBND", or as a Party body writes it, "Số 27-TB/BCĐ" at the start of a line.
_NUMBER = re.compile(r"\bso\s*:\s*|(?:^|(?<=\n))\s*so\s+(?=\d+[-/][a-z])")
_DATE_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_DATE_NUM = re.compile(r"(?:ngay\s+)?(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_KINH_GUI = re.compile(r"\s*kinh gui\b")
_BODY_START = re.compile(r"(?:ket luan|chi dao|y kien|thong bao|yeu cau|giao nhiem vu)[^.:]{0,60}:\s*$"
                         # "Bộ Nội vụ ban hành Kế hoạch triển khai … như sau:": the issuer introduces its document
                         r"|\bban hanh (?:ke hoach|chi thi|chuong trinh|huong dan|quy che)\b[^:]{0,200}"
                         r"\bnhu sau\s*:\s*$")
_ASKS_ADDRESSEE = re.compile(r"\b(?:de nghi|yeu cau)\s+(?:(?:uy ban nhan dan|ubnd|chu tich) )?cac\s[^:]{0,160}"
                             r"\b(?:noi dung|nhiem vu|viec|giai phap)(?: [a-z]+){0,3} sau\s*:\s*$")
_MEETING = re.compile(r"\b(?:phien hop|cuoc hop|hoi nghi|buoi lam viec|buoi hop|dien dan|le |buoi kiem tra|hop )")


def not_a_notice() -> ImportInputError:
    return ImportInputError("not_a_notice", "not_a_notice")


def read(state: ParseState) -> None:
    """Rule: state.info and state.body (the index of the body's first paragraph)."""
    paras = state.paras
    if not paras:
        raise not_a_notice()
    s = state.s
    doc_type = _doc_type(state)
    header_end = paras[doc_type].start if doc_type is not None else (paras[min(len(paras) - 1, 8)].end
                                                                      if paras else 0)
    m = _NUMBER.search(s, 0, max(header_end, 1))
    if m is None and doc_type is None:
        m = _NUMBER.search(s, 0, min(len(s), 1500))
    if m:
        raw = re.match(r"[^\s|,;]+", state.text[state.orig(m.end()):])
        if raw and re.search(r"\d", raw.group()):
            state.info.number = raw.group().rstrip(".")
    issued_on = _issued_on(state, 0, max(header_end, min(len(s), 600)))
    state.info.issued_on = _plausible(state, issued_on, "ngày ban hành")
    state.info.issuer = _issuer(state, paras, m.start() if m else header_end)
    if state.info.number is None:
        state.warnings.append(messages.IMPORT_WARNINGS["no_number"])
    if issued_on is None:
        state.warnings.append(messages.IMPORT_WARNINGS["no_issued_on"])
    title_end = _title(state, doc_type) if doc_type is not None else -1
    state.body = _body_start(state, title_end)
    _meeting(state, paras, title_end, state.body)


def _doc_type(state: ParseState) -> int | None:
    """The paragraph that names the document ("THÔNG BÁO", in capitals), among the first forty."""
    s = state.s
    for i, p in enumerate(state.paras[:40]):
        head = s[p.start:p.end].strip()
        if _DOC_TYPE.match(head) and state.text[state.orig(p.start):state.orig(p.start) + 9].isupper() \
                and len(head) < 400:
            return i
    return None


def _title(state: ParseState, doc_type: int) -> int:
    """state.info.title, from the words after "THÔNG BÁO" and the lines under it; returns its last paragraph."""
    s, paras = state.s, state.paras
    title_parts = []
    first = paras[doc_type]
    rest = re.sub(r"^\s*\S+\s+\S+\s*", "", state.original(first.start, first.end)) \
        if len(s[first.start:first.end].split()) > 3 else ""
    if rest:
        title_parts.append(rest)
    j = doc_type + 1
    while j < len(paras) and len(title_parts) < 6:
        p = paras[j]
        ptext = s[p.start:p.end]
        if (title_parts and p.blank_before) or PREAMBLE_START.match(ptext) or len(ptext) > 400 \
                or _BODY_START.search(ptext) or label_at(state, p.start)[0]:
            break
        title_parts.append(state.original(p.start, p.end))
        j += 1
    if title_parts:
        state.info.title = re.sub(r"\s+", " ", " ".join(title_parts)).strip()
    return j - 1


def _body_start(state: ParseState, title_end: int) -> int:
    s, paras = state.s, state.paras
    for i in range(max(title_end + 1, 0), min(len(paras), title_end + 12)):
        if _BODY_START.search(s, paras[i].start, paras[i].end) and not label_at(state, paras[i].start)[0]:
            # "… đề nghị Ủy ban nhân dân các tỉnh … chỉ đạo thực hiện một số nội dung sau:": the sentence that opens
            # the body also names who the items below are for; it heads them.
            return i if _ASKS_ADDRESSEE.search(s, paras[i].start, paras[i].end) else i + 1
    state.warnings.append(messages.IMPORT_WARNINGS["no_body_start"])
    body = title_end + 1
    # A letter's addressees ("Kính gửi:" and its "-" lines, after the header) come before what it asks of them.
    to = next((k for k in range(body, min(len(paras), body + 15)) if _KINH_GUI.match(s, paras[k].start)), None)
    if to is not None:
        body = to + 1
        while body < len(paras) and (label_at(state, paras[body].start)[0] or "").startswith("bullet"):
            body += 1
    if body < len(paras) and PREAMBLE_START.match(s, paras[body].start) \
            and not label_at(state, paras[body].start)[0]:
        body += 1
    return body


def _plausible(state: ParseState, day: date | None, what: str) -> date | None:
    """A header's date as a directive may have it (the days the service reasons about, as POST /directives holds
    them): "ngày 01 tháng 01 năm 1970" is a typo or a misreading, kept out with a warning rather than read as the
    notice's date (every deadline without its year, or in days, would be reckoned from it)."""
    if day is None or FIRST_DAY <= day <= LAST_DAY:
        return day
    state.warnings.append(messages.IMPORT_WARNINGS["implausible_date"].format(
        what=what, day=day, first=FIRST_DAY, last=LAST_DAY))
    return None


def _issued_on(state: ParseState, a: int, b: int) -> date | None:
    s = state.s
    candidates = [m for m in _DATE_WORDS.finditer(s, a, b)] + [m for m in _DATE_NUM.finditer(s, a, b)
                                                               if s.startswith("ngay", m.start())]
    candidates.sort(key=lambda m: (0 if "," in s[max(a, m.start() - 40):m.start()] else 1, m.start()))
    for m in candidates:
        day = safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if day:
            return day
    return None


def _issuer(state: ParseState, paras: list[Para], number_at: int) -> str | None:
    s = state.s
    best = None
    for p in paras:
        if p.start >= number_at:
            break
        seg = s[p.start:min(p.end, number_at)]
        cut = len(seg)
        for marker in ("cong hoa xa hoi", "doc lap", "|", "   "):
            k = seg.find(marker)
            if k != -1:
                cut = min(cut, k)
        piece = state.original(p.start, p.start + cut).strip(" -_|")
        if piece and len(piece) < 120 and piece.upper() == piece and re.search(r"\w", piece):
            best = piece
    if best is None:
        return None
    agency = state.gazetteer.lookup(best)
    return agency.name if agency else re.sub(r"\s+", " ", best)


def _meeting(state: ParseState, paras: list[Para], title_end: int, body: int) -> None:
    info = state.info
    if info.title:
        t = Folded(info.title)
        m = _MEETING.search(t.s)
        if m:
            name = info.title[t.orig(m.start()):].strip(" .")
            info.meeting_name = name[:1].upper() + name[1:]
    for i in range(max(title_end + 1, 0), min(body, len(paras))):
        p = paras[i]
        day = _first_date(state, p.start, p.end)
        if day:
            info.meeting_date = day
            break
    if info.meeting_date is None and info.title:
        t = Folded(info.title)
        m = _DATE_WORDS.search(t.s) or _DATE_NUM.search(t.s)
        if m:
            info.meeting_date = safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    info.meeting_date = _plausible(state, info.meeting_date, "ngày họp")


def _first_date(state: ParseState, a: int, b: int) -> date | None:
    ms = [m for m in (_DATE_WORDS.search(state.s, a, b), _DATE_NUM.search(state.s, a, b)) if m]
    if not ms:
        return None
    m = min(ms, key=lambda m: m.start())
    return safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))

"""Draft a meeting's tasks from its conclusion notice ("Thông báo kết luận"). Pure: text and agency list in, drafts out.

The notice is read as its authors write it: a header (issuer, "Số:", place and date, "THÔNG BÁO", the title), a
preamble that ends "... kết luận như sau:", numbered sections, the closing "... biết, thực hiện./.", "Nơi nhận:" and the
signature, sometimes an appendix table. Sections that review results are skipped; in the others each assignment
("Giao Bộ X chủ trì, phối hợp với Bộ Y ...", "Đề nghị ...", "(Bộ X chủ trì; thời hạn: ...)", a heading "Bộ X:" over a
list of items, a table row) becomes one draft per lead agency. Nothing the text does not say is filled in: guesses go
to `flags` and `suggested_*` for the person who reviews the drafts."""

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from app.imports import deliverables
from app.imports.deadlines import STANDING, Deadline, choose, find_deadlines, safe_date
from app.imports.errors import ImportInputError
from app.imports.folding import Folded
from app.imports.gazetteer import COLLECTIVE, KNOWN, UNKNOWN, KnownAgency, ListItem, ScannedText, get_gazetteer
from app.types import FIRST_DAY, LAST_DAY

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
class ParsedNotice:
    directive: DirectiveInfo
    drafts: list[Draft]
    warnings: list[str]

    def to_dict(self) -> dict:
        return {"directive": self.directive.to_dict(), "drafts": [d.to_dict() for d in self.drafts],
                "warnings": list(self.warnings)}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# ---- the accountable official the text would name, offered as a suggestion only ----

_HEAD_TITLES = [
    ("ngan hang nha nuoc", "Thống đốc {name}"), ("van phong chinh phu", "Bộ trưởng, Chủ nhiệm {name}"),
    ("uy ban dan toc", "Bộ trưởng, Chủ nhiệm {name}"), ("thanh tra chinh phu", "Tổng Thanh tra Chính phủ"),
    ("kiem toan nha nuoc", "Tổng Kiểm toán Nhà nước"), ("toa an nhan dan toi cao", "Chánh án {name}"),
    ("vien kiem sat nhan dan toi cao", "Viện trưởng {name}"), ("vien han lam", "Chủ tịch {name}"),
    ("uy ban", "Chủ tịch {name}"), ("bao hiem xa hoi", "Tổng Giám đốc {name}"),
    ("thong tan xa", "Tổng Giám đốc {name}"), ("dai ", "Tổng Giám đốc {name}"), ("to giup viec", "Tổ trưởng {name}"),
    ("bo ", "Bộ trưởng {name}"),
]


def suggest_official(agency: KnownAgency) -> str:
    folded = Folded(agency.name).s
    if folded.startswith("tinh "):
        return f"Chủ tịch Ủy ban nhân dân tỉnh {agency.name.split(' ', 1)[1]}"
    if folded.startswith("thanh pho "):
        return f"Chủ tịch Ủy ban nhân dân {agency.name}"
    for prefix, pattern in _HEAD_TITLES:
        if folded.startswith(prefix):
            return pattern.format(name=agency.name)
    return f"Người đứng đầu {agency.name}"


# ---- patterns (folded text unless said otherwise) ----

_DECORATION = re.compile(r"^[\s\-_=*.…~·]+$")
_TERMINAL = re.compile(r"(?:[.:;!?]|\./\.)\s*$")
_CONTINUES = re.compile(r"(?:,|-|\b(?:va|voi|cua|cac|ve|tai|cho|de|trong|theo|nhung|la|thuoc|tren|duoi))\s*$")
# Paragraph labels, on the original text.
_LABEL = re.compile(
    r"(?:(?P<roman>[IVX]{1,5})\s*[.\-)/]\s+|(?P<upper>[A-ZĐ])\s*[.)/]\s+|(?P<multi>\d{1,2}(?:\.\d{1,2})+)\.?\s+"
    r"|(?P<num>\d{1,2})\s*\.\s+|(?P<numparen>\d{1,2})\s*\)\s*|\((?P<pnum>\d{1,2})\)\s*"
    r"|(?P<lower>[a-zđ])\s*\)\s*|(?P<lowerdot>[a-zđ])\.\s+|\((?P<plower>[a-zđ])\)\s*"
    r"|(?P<bullet>[-–—+•*▪◦●∙])\s+)")
_INLINE_LABEL = re.compile(r"(?:(?<=[:;.])|(?<=[:;.]\s))\s*(?:(?P<lower>[a-zđ])\)|\((?P<pnum>\d{1,2})\)"
                           r"|(?P<numparen>\d{1,2})\)|(?P<plus>\+))\s+")
_DOC_TYPE = re.compile(r"(thong bao|ket luan|cong dien|chi thi|bao cao|thong bao ket luan)\b")
_NUMBER = re.compile(r"\bso\s*:\s*")
_DATE_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_DATE_NUM = re.compile(r"(?:ngay\s+)?(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_PREAMBLE_START = re.compile(r"(?:ngay\s+\d|sang|chieu|toi|vua qua|trong (?:hai )?ngay|tai tru so|ngay \d)")
_BODY_START = re.compile(r"(?:ket luan|chi dao|y kien|thong bao|yeu cau|giao nhiem vu)[^.:]{0,60}:\s*$")
_NOI_NHAN = re.compile(r"\s*noi nhan\b")
_CLOSING = re.compile(r"(?:\bthong bao (?:de|den)\b.{0,250}\bbiet\b"
                      r"|\bbiet\s*,?\s*(?:va\s+)?(?:thuc hien|phoi hop|chi dao|trien khai)\s*\.?/?\.?\s*$)")
_SIGNATURE = re.compile(r"\s*(?:kt|tl|tm|tuq|q)\s*\.\s*(?:bo truong|thu tuong|chu nhiem|chu tich|pho|giam doc)")
_APPENDIX = re.compile(r"\s*phu luc\b")
_MEETING = re.compile(r"\b(?:phien hop|cuoc hop|hoi nghi|buoi lam viec|buoi hop|dien dan|le |buoi kiem tra|hop )")
_REVIEW_HEAD = re.compile(r"\b(?:ket qua|danh gia|tinh hinh|boi canh|ton tai|han che|kho khan|vuong mac|nguyen nhan"
                          r"|bai hoc|nhan xet|ghi nhan|qua trinh)\b")
_ASSIGN_HEAD = re.compile(r"\b(?:nhiem vu|giai phap|giao|de nghi|kien nghi|chi dao|phuong huong|thoi gian toi"
                          r"|to chuc thuc hien|yeu cau|de xuat|trong tam|can tap trung|trien khai)\b")
_TRIGGER = re.compile(r"\b(?:giao(?: cho| nhiem vu cho| trach nhiem cho)?|de nghi|yeu cau|doi voi|ve phia)\s+")
_TRIGGER_BLOCKED = re.compile(r"(?:\btheo|\bcua|\bdap ung|\bve|\bthe|\bcac|\bnhung|\bmot so|\bdung|\bvoi|\bda|\bchuyen"
                              r"|\bban|\bduoc|\bco|\bnhan|\bneu|\bkhi)\s+$")
_INTRO = re.compile(
    r"(?:(?:dong thoi|trong do|ngoai ra|ben canh do|truoc mat|sau do|tren co so do|mat khac|theo do|cu the|rieng)"
    r"\s*,?\s*|(?:trong|sau|den|tu|truoc|tai|ve|doi voi|de|nham|can cu|tren co so|qua)\s[^,;:()]{0,90},\s*"
    r"|(?:(?:thu tuong|pho thu tuong)(?: chinh phu)?(?: [a-z]+){0,4}?\s+"
    r"(?=(?:da\s+|tung\s+)?(?:giao|de nghi|yeu cau))))")
# "Thủ tướng Chính phủ đã giao Bộ X ..." recalls an earlier assignment; it is not a new one.
_PAST_TRIGGER = re.compile(r"\b(?:da|tung|da tung|truoc day)\s+$")
_ROLE = re.compile(
    r"\s*(?:,\s*)?(?:va\s+)?(?:"
    r"(?P<standing>(?:la|lam)\s+(?:co quan|don vi)?\s*(?:thuong truc|dau moi|chu tri|chu quan)"
    r"(?:\s+cua\s+[^,;:]{0,80}?(?=\s*,))?)"
    r"|(?P<function>(?:theo|can cu|tren co so)\s+(?:chuc nang(?:\s*,\s*nhiem vu)?(?:\s*,\s*quyen han)?"
    r"|nhiem vu|tham quyen)(?:\s*,\s*(?:nhiem vu|quyen han))*(?:\s+(?:duoc giao|cua minh|duoc phan cong))?"
    r"|trong pham vi (?:chuc nang|nhiem vu|tham quyen)[a-z ,]{0,40}?(?:duoc giao|cua minh))"
    r"|(?P<lead>chu tri(?:\s*,?\s*(?:va\s+)?(?:chiu trach nhiem|tham muu))?)"
    r"|(?P<urgent>khan truong)"
    r"|(?P<modal>can|phai|co trach nhiem|chiu trach nhiem|duoc giao|chu dong|tich cuc|nghiem tuc)"
    r"|(?P<coord>(?:phoi hop|phoi hop chat che|phoi hop chat che voi|chu tri phoi hop)(?:\s+(?:voi|cung))?\s+)"
    r")\b")
_PAST = re.compile(r"\s*,?\s*(?:da|dang|vua|chua|cung da|deu da|buoc dau|co ban|tung|van con|con)\b")
_PAST_QUALIFIED = re.compile(r"\s*,?\s*(?:da|dang|vua|cung da|deu da|buoc dau|co ban|tung)\b")
# What a review says of an agency, not what a task asks of it.
_REVIEW_CLAUSE = re.compile(r"\b(?:dat ket qua|dat duoc ket qua|co nhieu co gang|chuyen bien tich cuc"
                            r"|duoc danh gia|hoan thanh tot|vuot ke hoach)\b")
_NOT_SUBJECT = re.compile(r"\s*(?:va|voi|cua|ve|tai|trong|la(?! co quan)|thi|do|bi|duoc|cung voi|co the|noi|nhu|ma|cung"
                          r"|ghi nhan|danh gia cao|bao cao ve|phat bieu|trinh bay|tham du|du)\b")
_DEADLINE_SAID = re.compile(r"\bthoi (?:han|gian)(?: hoan thanh| thuc hien| trinh| bao cao)?\s*:\s*([^.;)\n]{2,80})")
_ROLE_PAREN = re.compile(r"\s*\((?=[^()]{0,120}\)).{0,12}?(?:thoi han|thoi gian|chu tri|phoi hop)[^()]*\)")
_COORD_AFTER_LIST = re.compile(r"\s*phoi hop(?: chat che)?(?: thuc hien)?\b")
_COORD_ANYWHERE = re.compile(r"\b(?:phoi hop(?: chat che)?(?: voi| cung)?|su phoi hop cua|cung voi)\s+")
_STRUCT_LEAD = re.compile(r"\b(?:co quan|don vi)\s+chu tri\s*:\s*")
_STRUCT_COORD = re.compile(r"\b(?:co quan|don vi)\s+phoi hop\s*:\s*")
_STRUCT_PRODUCT = re.compile(r"\b(?:san pham|hinh thuc van ban)\s*:\s*")
_OBJECTIVE = re.compile(r"\b(?:nham|voi muc tieu|muc tieu la|muc tieu)\s+")
_RESULT = re.compile(r"\b(?:phan dau|bao dam dat|dam bao dat|ket qua (?:la|phai dat|can dat)|de dat)\s+")
_PHRASE_END = re.compile(r"[;.]|,\s*(?:trinh|bao cao|hoan thanh|thoi han|phan dau|bao dam|dam bao|trong do|dong thoi"
                         r"|nham|gui)\b")
_SENTENCE_END = re.compile(r"[.!?](?:\s*/\s*\.)?(?=\s+\S|\s*$)")
_ABBREVIATIONS = {"tp", "tt", "ts", "ths", "pgs", "gs", "st", "tx", "kt", "tl", "tm", "q", "p", "v", "no", "ttg", "nd",
                  "cp", "qd", "ubnd", "hdnd", "bs", "ks"}
_THOI_HAN = re.compile(r"\s*(?:\(\s*)?(?:thoi han|thoi gian hoan thanh|han hoan thanh)\b")
_TRAILING_STANDING = re.compile(r"(?:[,;]\s*)?(?:(?:thuc hien|bao cao)\s+)?(?:thuong xuyen|hang (?:nam|quy|thang|tuan)"
                                r"|dinh ky(?: [a-z0-9 ]{0,20})?)\s*[.;,]?\s*$")
_TABLE_SPLIT = re.compile(r"\s*\|\s*")


@dataclass
class _Para:
    start: int   # folded offsets, label included
    end: int
    blank_before: bool


@dataclass
class _Node:
    kind: str
    label: str | None
    para: _Para | None
    body: int                      # folded offset after the label
    parent: "_Node | None" = None
    children: list["_Node"] = field(default_factory=list)
    ref: str | None = None


@dataclass
class _Context:
    review: bool = False
    lead: list[ListItem] | None = None
    coords: list[ListItem] = field(default_factory=list)
    deadline: Deadline | None = None


@dataclass
class _Assignment:
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


class _Notice:
    def __init__(self, text: str, agencies: list[KnownAgency]) -> None:
        self.text = text
        self.gazetteer = get_gazetteer(agencies)
        self.folded = Folded(text)
        self.s = self.folded.s
        self.paras = self.paragraphs()
        # Inside a paragraph a line break is a space: "chủ\ntrì" is "chủ trì" to every pattern (offsets unchanged).
        chars = list(self.s)
        for p in self.paras:
            for i in range(p.start, p.end):
                if chars[i] == "\n":
                    chars[i] = " "
        self.s = self.folded.s = "".join(chars)
        self.scan: ScannedText = self.gazetteer.scan(self.folded)
        self.mention_starts = [m.start for m in self.scan.mentions]
        self.info = DirectiveInfo()
        self.warnings: list[str] = []
        self.drafts: list[Draft] = []
        self._last: list[Draft] = []

    # ---- helpers over the folded text ----

    def orig(self, i: int) -> int:
        return self.folded.orig(i)

    def original(self, a: int, b: int) -> str:
        return self.folded.original(a, b)

    def upper_at(self, i: int) -> bool:
        o = self.orig(i)
        return self.text[o:o + 1].isupper()

    def inside_mention(self, i: int) -> bool:
        k = bisect.bisect_right(self.mention_starts, i) - 1
        return k >= 0 and self.scan.mentions[k].start < i < self.scan.mentions[k].end

    # ---- paragraphs ----

    def paragraphs(self) -> list[_Para]:
        """Lines joined into paragraphs: a line goes on when the one before it does not end a sentence and either
        fills the width of a hard-wrapped text, leaves a bracket open, ends on a connective, or the line starts in
        lower case."""
        s = self.s
        paras: list[_Para] = []
        blank = True
        pos = 0
        prev_open = False
        lines = s.split("\n")
        widths = sorted(len(line.strip()) for line in lines if line.strip())
        full = widths[int(len(widths) * 0.9)] if widths else 0
        # Hard-wrapped text has many lines of nearly the same, modest width; a text with one paragraph a line
        # (as copied out of Word) has no such width, and its short lines (a title) must not run into the next.
        wrapped = 40 <= full <= 120 and sum(w >= 0.7 * full for w in widths) >= 0.3 * len(widths)
        prev_len = 0
        for line in lines:
            a, b = pos, pos + len(line)
            pos = b + 1
            stripped = line.strip()
            if not stripped or _DECORATION.match(stripped):
                blank = True
                prev_open = False
                continue
            lead_ws = len(line) - len(line.lstrip())
            a += lead_ws
            b = a + len(line.strip())
            lower_start = self.text[self.orig(a):self.orig(a) + 1].islower()
            if paras and not blank and lower_start and s[paras[-1].end - 1:paras[-1].end] == ";":
                prev_open = True  # "...; hoàn thành trong năm 2023" broken after the semicolon
            if (prev_open and paras and not blank and not self._label_at(a)[0] and not _is_row(stripped)
                    and not _NOI_NHAN.match(s, a) and not (_PREAMBLE_START.match(s, a) and not lower_start)
                    and (self.text[self.orig(a):self.orig(a) + 1].islower()
                         or _CONTINUES.search(s, paras[-1].start, paras[-1].end)
                         or s.count("(", paras[-1].start, paras[-1].end) > s.count(")", paras[-1].start, paras[-1].end)
                         or (wrapped and prev_len >= 0.7 * full and len(paras) > 3))):
                paras[-1].end = b
            else:
                paras.append(_Para(a, b, blank))
            prev_open = not _TERMINAL.search(s[paras[-1].start:b])
            prev_len = len(stripped)
            blank = False
        return paras

    def _label_at(self, a: int) -> tuple[str | None, str | None, int]:
        o = self.orig(a)
        m = _LABEL.match(self.text, o)
        if not m:
            return None, None, a
        kind = m.lastgroup
        label = m.group(kind)
        end = self.folded.index_of(m.end())
        if kind == "bullet":
            kind = "bullet" + {"–": "-", "—": "-"}.get(label, label)
        if kind == "multi":
            kind = f"multi{label.count('.')}"
        if kind == "lowerdot":
            kind = "lower."
        return kind, label, end

    # ---- header ----

    def read_header(self, paras: list[_Para]) -> int:
        """Fills self.info; returns the index of the first paragraph of the body."""
        s = self.s
        doc_type = None
        for i, p in enumerate(paras[:40]):
            head = s[p.start:p.end].strip()
            if _DOC_TYPE.match(head) and self.text[self.orig(p.start):self.orig(p.start) + 9].isupper() \
                    and len(head) < 400:
                doc_type = i
                break
        header_end = paras[doc_type].start if doc_type is not None else (paras[min(len(paras) - 1, 8)].end
                                                                          if paras else 0)
        m = _NUMBER.search(s, 0, max(header_end, 1))
        if m is None and doc_type is None:
            m = _NUMBER.search(s, 0, min(len(s), 1500))
        if m:
            raw = re.match(r"[^\s|,;]+", self.text[self.orig(m.end()):])
            if raw and re.search(r"\d", raw.group()):
                self.info.number = raw.group().rstrip(".")
        issued_on = self._issued_on(0, max(header_end, min(len(s), 600)))
        self.info.issued_on = self._plausible(issued_on, "ngày ban hành")
        self.info.issuer = self._issuer(paras, m.start() if m else header_end)
        if self.info.number is None:
            self.warnings.append("Không tìm thấy số văn bản (dòng \"Số: ...\").")
        if issued_on is None:
            self.warnings.append("Không tìm thấy ngày ban hành văn bản; thời hạn tính theo số ngày và thời hạn "
                                 "không ghi năm không xác định được.")

        body = None
        title_end = doc_type if doc_type is not None else -1
        if doc_type is not None:
            title_parts = []
            first = paras[doc_type]
            rest = re.sub(r"^\s*\S+\s+\S+\s*", "", self.original(first.start, first.end)) \
                if len(s[first.start:first.end].split()) > 3 else ""
            if rest:
                title_parts.append(rest)
            j = doc_type + 1
            while j < len(paras) and len(title_parts) < 6:
                p = paras[j]
                ptext = s[p.start:p.end]
                if (title_parts and p.blank_before) or _PREAMBLE_START.match(ptext) or len(ptext) > 400 \
                        or _BODY_START.search(ptext) or self._label_at(p.start)[0]:
                    break
                title_parts.append(self.original(p.start, p.end))
                j += 1
            title_end = j - 1
            if title_parts:
                self.info.title = re.sub(r"\s+", " ", " ".join(title_parts)).strip()
        for i in range(max(title_end + 1, 0), min(len(paras), title_end + 12)):
            if _BODY_START.search(s, paras[i].start, paras[i].end) and not self._label_at(paras[i].start)[0]:
                body = i + 1
                break
        if body is None:
            self.warnings.append("Không tìm thấy câu mở đầu phần kết luận (\"... kết luận như sau:\"); "
                                 "đã đọc toàn bộ phần sau tiêu đề.")
            body = title_end + 1
            if body < len(paras) and _PREAMBLE_START.match(s, paras[body].start) \
                    and not self._label_at(paras[body].start)[0]:
                body += 1
        self._meeting(paras, title_end, body)
        return body

    def _plausible(self, day: date | None, what: str) -> date | None:
        """A header's date as a directive may have it (the days the service reasons about, as POST /directives
        holds them): "ngày 01 tháng 01 năm 1970" is a typo or a misreading, kept out with a warning rather than read
        as the notice's date (every deadline without its year, or in days, would be reckoned from it)."""
        if day is None or FIRST_DAY <= day <= LAST_DAY:
            return day
        self.warnings.append(f"Đã bỏ qua {what} đọc được ({day:%d/%m/%Y}): không hợp lý (phải từ "
                             f"{FIRST_DAY:%d/%m/%Y} đến {LAST_DAY:%d/%m/%Y}); hãy nhập {what} đúng.")
        return None

    def _issued_on(self, a: int, b: int) -> date | None:
        s = self.s
        candidates = [m for m in _DATE_WORDS.finditer(s, a, b)] + [m for m in _DATE_NUM.finditer(s, a, b)
                                                                   if s.startswith("ngay", m.start())]
        candidates.sort(key=lambda m: (0 if "," in s[max(a, m.start() - 40):m.start()] else 1, m.start()))
        for m in candidates:
            day = safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            if day:
                return day
        return None

    def _issuer(self, paras: list[_Para], number_at: int) -> str | None:
        s = self.s
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
            piece = self.original(p.start, p.start + cut).strip(" -_|")
            if piece and len(piece) < 120 and piece.upper() == piece and re.search(r"\w", piece):
                best = piece
        if best is None:
            return None
        agency = self.gazetteer.lookup(best)
        return agency.name if agency else re.sub(r"\s+", " ", best)

    def _meeting(self, paras: list[_Para], title_end: int, body: int) -> None:
        if self.info.title:
            t = Folded(self.info.title)
            m = _MEETING.search(t.s)
            if m:
                name = self.info.title[t.orig(m.start()):].strip(" .")
                self.info.meeting_name = name[:1].upper() + name[1:]
        for i in range(max(title_end + 1, 0), min(body, len(paras))):
            p = paras[i]
            day = self._first_date(p.start, p.end)
            if day:
                self.info.meeting_date = day
                break
        if self.info.meeting_date is None and self.info.title:
            t = Folded(self.info.title)
            m = _DATE_WORDS.search(t.s) or _DATE_NUM.search(t.s)
            if m:
                self.info.meeting_date = safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        self.info.meeting_date = self._plausible(self.info.meeting_date, "ngày họp")

    def _first_date(self, a: int, b: int) -> date | None:
        ms = [m for m in (_DATE_WORDS.search(self.s, a, b), _DATE_NUM.search(self.s, a, b)) if m]
        if not ms:
            return None
        m = min(ms, key=lambda m: m.start())
        return safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))

    # ---- body: outline, then assignments ----

    def parse(self) -> ParsedNotice:
        paras = self.paras
        if not paras:
            raise _not_a_notice()
        body = self.read_header(paras)
        end = len(paras)
        appendix = None
        for i in range(body, len(paras)):
            ptext = self.s[paras[i].start:paras[i].end]
            if _NOI_NHAN.match(ptext) or _SIGNATURE.match(ptext) or (_CLOSING.search(ptext) and len(ptext) < 500):
                end = i
                break
        for i in range(end, len(paras)):
            if _APPENDIX.match(self.s, paras[i].start):
                appendix = i
                break
        self.walk(self.outline(paras[body:end]), _Context())
        if appendix is not None:
            tail = []
            for p in paras[appendix + 1:]:
                if _NOI_NHAN.match(self.s, p.start):
                    break
                tail.append(p)
            self.walk(self.outline(tail), _Context(), ref_prefix="PL")
        if not self.drafts:
            if self.info.number is None:
                raise _not_a_notice()
            raise ImportInputError("no_assignment", "no_assignment")
        for i, draft in enumerate(self.drafts, 1):
            draft.n = i
        return ParsedNotice(self.info, self.drafts, self.warnings)

    def outline(self, paras: list[_Para]) -> _Node:
        root = _Node("root", None, None, 0)
        stack: list[_Node] = []
        for p in paras:
            kind, label, body = self._label_at(p.start)
            if _is_row(self.s[p.start:p.end]):
                kind, label, body = "table", None, p.start
            if kind is None or kind == "table":
                # A table stands on its own, not inside the list item written above it.
                parent = root if kind == "table" or not stack else stack[-1]
                node = _Node(kind or "para", None, p, body, parent)
                parent.children.append(node)
                continue
            for i in range(len(stack) - 1, -1, -1):
                if stack[i].kind == kind:
                    del stack[i:]
                    break
            parent = stack[-1] if stack else root
            node = _Node(kind, label, p, body, parent)
            parent.children.append(node)
            stack.append(node)
        return root

    def walk(self, node: _Node, ctx: _Context, ref_prefix: str | None = None) -> None:
        local = ctx
        table_header: list[str] | None = None
        counters: dict[str, int] = {}
        for child in node.children:
            if child.kind.startswith("bullet"):
                counters[child.kind] = counters.get(child.kind, 0) + 1
                own = child.kind[-1] + str(counters[child.kind])
            else:
                own = child.label
            parent_ref = node.ref or ref_prefix
            if own is None:
                child.ref = parent_ref
            elif child.kind.startswith("multi") and parent_ref and own.startswith(parent_ref.rsplit(".", 1)[-1] + "."):
                child.ref = (parent_ref.rsplit(".", 1)[0] + "." + own) if "." in parent_ref else own
            else:
                child.ref = f"{parent_ref}.{own}" if parent_ref else own
            if child.kind == "table":
                table_header = self.table_row(child, table_header)
                continue
            new_local = self.visit(child, local)
            if new_local is not None:
                local = new_local

    # ---- one paragraph ----

    def visit(self, node: _Node, ctx: _Context) -> _Context | None:
        """Drafts from one paragraph, then its children. Returns a context for the following siblings when the
        paragraph is an unlabeled heading ("Tỉnh Nghệ An cần tập trung thực hiện các nhiệm vụ sau:")."""
        s = self.s
        p = node.para
        a, b = node.body, p.end
        text = s[a:b]
        child_ctx = ctx
        sibling_ctx = None
        if _is_heading_text(text) and not _TRIGGER.match(text) and not self.scan.read_list(a)[0] \
                and (len(text.split()) <= 15 or _shouted(self.original(a, b))):
            review = _review_heading(text)
            if review and text.rstrip().endswith(":") and node.parent is not None and node.parent.kind != "root" \
                    and not _shouted(self.original(a, b)):
                review = None  # "3. Đánh giá kết quả thực hiện:" inside a section of tasks heads tasks
            if review is not None:
                child_ctx = _Context(review=review, lead=ctx.lead, coords=ctx.coords, deadline=ctx.deadline)
                if node.kind == "para":
                    sibling_ctx = child_ctx
        if node.kind == "para" and _THOI_HAN.match(s, a) and self._last:
            found = find_deadlines(self.folded, a, b, self.info.issued_on)
            chosen = choose(found)
            if chosen is not None:
                for draft in self._last:
                    if draft.deadline_on is None:
                        _set_deadline(draft, chosen)
                    draft.source = Source(draft.source.start, self.orig_end(b),
                                          self.text[draft.source.start:self.orig_end(b)])
                return None
        assignments = self.assignments(a, b, ctx, has_children=bool(node.children))
        if _shouted(self.original(a, b)):
            # A heading in capitals ("DANH MỤC NHIỆM VỤ GIAO CÁC BỘ, CƠ QUAN") is no task; at most it heads a list.
            assignments = [asg for asg in assignments if asg.heading]
        made: list[Draft] = []
        for asg in assignments:
            if asg.heading:
                inline = self.inline_items(asg.work_start, asg.extent_end)
                # The heading's own deadline ("Giao Bộ Xây dựng (thời hạn: quý I/2023):"), not its first item's.
                head_end = s.rfind(":", asg.start, inline[0][0]) + 1 if inline else asg.extent_end
                heading_ctx = _Context(review=child_ctx.review, lead=asg.items, coords=asg.coords or ctx.coords,
                                       deadline=choose(find_deadlines(self.folded, asg.start, head_end,
                                                                      self.info.issued_on)) or ctx.deadline)
                if inline:
                    for k, (ia, ib, label) in enumerate(inline):
                        sub = _Node("inline", label, _Para(ia, ib, False), ia, node, ref=f"{node.ref}.{label}"
                                    if node.ref else label)
                        for sub_asg in self.assignments(sub.body, ib, heading_ctx, has_children=False):
                            made += self.drafts_for(sub_asg, sub, start=ia if k else p.start)
                elif node.kind == "para":
                    sibling_ctx = heading_ctx
                else:
                    child_ctx = heading_ctx
                continue
            made += self.drafts_for(asg, node, start=p.start if asg.start <= a + 1 or asg.context else None)
        if made:
            self._last = made
        self.walk(node, child_ctx)
        return sibling_ctx

    def orig_end(self, b: int) -> int:
        return self.folded.orig_end(b)

    def inline_items(self, a: int, b: int) -> list[tuple[int, int, str]]:
        """"Giao Bộ Xây dựng: a) ...; b) ...": the items after the colon, when their labels run in order."""
        colon = self.s.find(":", a, b)
        if colon == -1:
            return []
        labels = []
        for m in _INLINE_LABEL.finditer(self.text, self.orig(colon), self.orig_end(b)):
            labels.append(m)
        if len(labels) < 2:
            return []
        kind = labels[0].lastgroup
        values = [m.group(kind) for m in labels if m.lastgroup == kind]
        if kind == "lower":
            expected = [chr(ord("a") + i) for i in range(len(values))]
            if values != expected[:len(values)] and values[0] != "a":
                return []
        elif kind in ("pnum", "numparen") and values[0] != "1":
            return []
        starts = [m for m in labels if m.lastgroup == kind]
        out = []
        for i, m in enumerate(starts):
            body_start = self.folded.index_of(m.end())
            end = self.folded.index_of(starts[i + 1].start()) if i + 1 < len(starts) else b
            out.append((body_start, end, m.group(kind) if kind != "plus" else f"+{i + 1}"))
        return out

    # ---- assignments inside one paragraph ----

    def sentences(self, a: int, b: int) -> list[tuple[int, int]]:
        s = self.s
        out = []
        start = a
        for m in _SENTENCE_END.finditer(s, a, b):
            dot = m.start()
            if s[dot] == "." and (self.inside_mention(dot) or self.inside_mention(dot + 1)):
                continue
            word = re.search(r"([a-z0-9]+)$", s[max(a, dot - 8):dot])
            if s[dot] == "." and word and (word.group(1) in _ABBREVIATIONS or word.group(1).isdigit()
                                           and dot + 1 < b and s[dot + 1].isdigit()):
                continue
            nxt = m.end()
            while nxt < b and s[nxt] == " ":
                nxt += 1
            if nxt < b and not (self.upper_at(nxt) or s[nxt].isdigit() or s[nxt] in "(-+"):
                continue
            out.append((start, m.end()))
            start = nxt
        if start < b:
            out.append((start, b))
        return [(x, y) for x, y in out if self.s[x:y].strip()]

    def assignments(self, a: int, b: int, ctx: _Context, *, has_children: bool) -> list[_Assignment]:
        s = self.s
        found: list[_Assignment] = []
        for sa, sb in self.sentences(a, b):
            starts = self.clause_starts(sa, sb)
            first = self._after_label(sa)
            for pos, triggered, anchor in starts:
                if ctx.review and not triggered:
                    continue
                asg = self.subject_at(pos, sb, triggered)
                if asg is not None and not any(f.start <= pos < f.work_start for f in found):
                    if anchor > first + 3 and not any(first <= f.start < anchor for f in found):
                        asg.context = (first, anchor)
                    asg.start = min(asg.start, anchor)
                    found.append(asg)
            bracket = self.bracketed(sa, sb) if not any(sa <= f.start < sb for f in found) else None
            if bracket is not None:
                found.append(bracket)
        found.sort(key=lambda x: x.start)
        # Each assignment runs to the next one; a sentence without a subject continues the one before it.
        for i, asg in enumerate(found):
            nxt = found[i + 1].start if i + 1 < len(found) else b
            asg.extent_end = max(asg.work_start, nxt)
            if asg.bracket is None:
                sentence_end = self._sentence_end(asg.work_start, asg.extent_end)
                asg.work_end = sentence_end
            else:
                asg.extent_end = max(asg.extent_end, asg.bracket[1])
        if not found and ctx.lead and not ctx.review:
            text_start = a
            asg = _Assignment(text_start, ctx.lead, text_start, b, b, inherited=True, coords=list(ctx.coords),
                              default_deadline=ctx.deadline)
            asg.work_start = self.roles(asg, text_start, b)
            asg.work_end = self._sentence_end(asg.work_start, b)
            if s[asg.work_start:b].strip(" .;:"):
                found.append(asg)
        for asg in found:
            self._finish(asg, has_children)
        return found

    def _after_label(self, a: int) -> int:
        kind, _, body = self._label_at(a)
        return body if kind else a

    def _sentence_end(self, a: int, b: int) -> int:
        for x, y in self.sentences(a, b):
            if s_has_text(self.s[x:y]):
                return y
        return b

    def clause_starts(self, a: int, b: int) -> list[tuple[int, bool, int]]:
        """(where a list of addressees may start, whether a word like "giao" announces it, where that word is)."""
        s = self.s
        points = [a]
        for m in re.finditer(r"[;:]\s*", s[a:b]):
            if not _THOI_HAN.search(s[max(a, a + m.start() - 25):a + m.start()]):
                points.append(a + m.end())
        out: list[tuple[int, bool, int]] = []
        for point in points:
            q = point
            for _ in range(2):
                m = _INTRO.match(s, q, b)
                if m and not self.scan.mention_at.get(q):
                    q = m.end()
            t = _TRIGGER.match(s, q, b)
            if t and _PAST_TRIGGER.search(s, max(a, q - 12), q):
                continue
            if t:
                out.append((t.end(), True, q))
            else:
                out.append((q, False, q))
        for t in _TRIGGER.finditer(s, a, b):
            if self.inside_mention(t.start()) or self.inside_mention(t.start() + 1):
                continue
            if _PAST_TRIGGER.search(s, max(a, t.start() - 12), t.start()):
                continue
            if _TRIGGER_BLOCKED.search(s, max(a, t.start() - 15), t.start()):
                continue
            if any(pos == t.end() for pos, _, _ in out):
                continue
            out.append((t.end(), True, t.start()))
        struct = _STRUCT_LEAD.search(s, a, b)
        if struct:
            out.append((struct.end(), True, struct.start()))
        return sorted(set(out))

    def subject_at(self, pos: int, b: int, triggered: bool) -> _Assignment | None:
        s = self.s
        items, end = self.scan.read_list(pos, allow_loose_unknown=False)
        items = [i for i in items if i.end <= b]
        if not items:
            return None
        # A collective is often narrowed by what follows it: "các bộ, ngành, địa phương chưa ban hành Kế hoạch ...
        # khẩn trương ban hành", "các bộ ... được giao kế hoạch vốn ... tập trung ...". So is a triggered list.
        qualified = items[-1].kind == COLLECTIVE or triggered
        past = _PAST_QUALIFIED if qualified else _PAST
        if not triggered:
            if items[0].kind == UNKNOWN and self.scan.org_head_at(items[0].start) is None:
                return None
            not_subject = _NOT_SUBJECT.match(s, end)
            if not_subject and not (qualified and re.match(r"\s*duoc\b", s[end:b])):
                return None
            if s.startswith("(", end) and not s.startswith("(", pos) and not _ROLE_PAREN.match(s, end):
                return None
            if _REVIEW_CLAUSE.search(s, end, self._sentence_end(end, b)):
                return None
        # "(Bộ Nội vụ chủ trì, ...)" at the end is read by `bracketed`.
        if pos > 0 and s[pos - 1] == "(":
            return None
        if past.match(s, end):
            return None
        start = pos
        asg = _Assignment(start, items, end, b, b)
        asg.work_start = self.roles(asg, end, b)
        if past.match(s, asg.work_start):
            return None
        struct = _STRUCT_LEAD.search(s, max(0, pos - 30), pos + 1)
        if struct and struct.end() == pos:
            # "Cơ quan chủ trì: X" names the lead of the work written before it.
            return self._structured(asg, struct.start())
        return asg

    def _structured(self, asg: _Assignment, marker: int) -> _Assignment | None:
        s = self.s
        para_start = s.rfind("\n", 0, marker) + 1
        work_start = para_start
        kind, _, body = self._label_at(para_start) if para_start < len(s) else (None, None, para_start)
        if kind:
            work_start = body
        asg.bracket = (marker, asg.extent_end)
        asg.start = work_start
        coord = _STRUCT_COORD.search(s, marker, asg.extent_end)
        if coord:
            items, _ = self.scan.read_list(coord.end(), allow_loose_unknown=True)
            asg.coords += [i for i in items if i.kind != COLLECTIVE]
        asg.work_start = work_start
        asg.work_end = marker
        return asg

    def bracketed(self, a: int, b: int) -> _Assignment | None:
        """"(1) Xây dựng Đề án ... (Bộ Nội vụ chủ trì, phối hợp với ...; thời hạn: quý II/2023)."""
        s = self.s
        for m in re.finditer(r"\(", s[a:b]):
            open_at = a + m.start()
            close = s.find(")", open_at, b)
            close = b if close == -1 else close
            items, end = self.scan.read_list(open_at + 1, allow_loose_unknown=False)
            if not items or items[0].kind == UNKNOWN and self.scan.org_head_at(items[0].start) is None:
                continue
            after = s[end:close]
            # "(Bộ Nội vụ chủ trì, ...)" or "(Bộ Y tế)." closing the clause; "Bộ Thông tin và Truyền thông (Bộ TTTT),
            # VPCP ..." is a name and its abbreviation.
            closes_clause = re.match(r"\s*(?:[.;]|$)", s[min(close + 1, b):b]) is not None
            if not (re.match(r"\s*(?:,\s*)?chu tri\b", after) or (not after.strip(" .") and closes_clause)):
                continue
            close_end = min(close + 1, b)
            asg = _Assignment(a, items, a, open_at, close_end, bracket=(open_at, close_end))
            self.roles(asg, end, close)
            for c in _COORD_ANYWHERE.finditer(s, end, close):
                coords, _ = self.scan.read_list(c.end(), allow_loose_unknown=True)
                asg.coords += [i for i in coords if i.kind != COLLECTIVE and i not in asg.coords]
            label_kind, _, body = self._label_at(a)
            asg.work_start = body if label_kind else a
            asg.work_end = open_at
            return asg
        return None

    def roles(self, asg: _Assignment, pos: int, b: int) -> int:
        """Past "chủ trì, phối hợp với Bộ Y, Bộ Z", "theo chức năng, nhiệm vụ được giao", "khẩn trương" to the work."""
        s = self.s
        for _ in range(8):
            m = _ROLE.match(s, pos, b)
            paren = _ROLE_PAREN.match(s, pos, b) if m is None else None
            if paren is not None:
                # "Giao Bộ Xây dựng (thời hạn: quý I/2023): ...", "Bộ Y tế (chủ trì, phối hợp với Bộ Công an)".
                for c in _COORD_ANYWHERE.finditer(s, paren.start(), paren.end()):
                    items, _ = self.scan.read_list(c.end(), allow_loose_unknown=True)
                    asg.coords += [i for i in items if i.kind != COLLECTIVE and i.end <= paren.end()]
                pos = paren.end()
                continue
            if m is None:
                # "Bộ Y tế chủ trì, Bộ Công an phối hợp triển khai ...": coordinators named before their role.
                q = pos
                while q < b and s[q] in " ,":
                    q += 1
                items, end = self.scan.read_list(q)
                coord = _COORD_AFTER_LIST.match(s, end, b) if items else None
                if coord is None:
                    break
                asg.coords += [i for i in items if i.kind != COLLECTIVE]
                pos = coord.end()
                continue
            if m.lastgroup == "coord":
                items, end = self.scan.read_list(m.end(), allow_loose_unknown=True)
                if not items:
                    break
                asg.coords += [i for i in items if i.kind != COLLECTIVE]
                pos = end
                continue
            if m.lastgroup == "urgent":
                asg.flags.append("urgent")
            pos = m.end()
        while pos < b and s[pos] in " ,":
            pos += 1
        return pos

    def _finish(self, asg: _Assignment, has_children: bool) -> None:
        s = self.s
        work = s[asg.work_start:asg.extent_end].strip()
        if not work.strip(" .;:") and has_children:
            asg.heading = True
            return
        if work.startswith(":"):
            # "Bộ Y tế: ..." -- a heading over a list, or the lead of the one task that follows the colon.
            if not work[1:].strip(" .;") or self.inline_items(asg.work_start, asg.extent_end):
                asg.heading = True
                return
            asg.work_start = self.roles(asg, s.index(":", asg.work_start) + 1, asg.extent_end)
            asg.work_end = max(asg.work_end, asg.work_start)
        if work.endswith(":") and asg.work_end >= asg.extent_end - 1 and (has_children or not work[:-1].strip()
                                                                          or _LIST_INTRO.search(work)):
            asg.heading = True
            return
        colon = s.find(":", asg.work_start, asg.extent_end)
        if colon != -1 and self.inline_items(asg.work_start, asg.extent_end) and (
                colon <= asg.work_start + 2 or _LIST_INTRO.search(s[asg.work_start:colon + 1])
                or not s[asg.work_start:colon].strip()):
            asg.heading = True
            return
        if "urgent" not in asg.flags and re.search(r"\bkhan truong\b", s[asg.start:asg.work_end]):
            asg.flags.append("urgent")
        for m in _COORD_ANYWHERE.finditer(s, asg.work_start, asg.extent_end):
            if asg.bracket and asg.bracket[0] <= m.start() < asg.bracket[1]:
                continue
            items, _ = self.scan.read_list(m.end(), allow_loose_unknown=True)
            for item in items:
                if item.kind != COLLECTIVE and all(item.start != c.start for c in asg.coords):
                    asg.coords.append(item)

    # ---- drafts ----

    def drafts_for(self, asg: _Assignment, node: _Node, *, start: int | None) -> list[Draft]:
        s = self.s
        deadlines = find_deadlines(self.folded, asg.work_start, asg.extent_end, self.info.issued_on)
        if asg.bracket:
            deadlines = find_deadlines(self.folded, asg.bracket[0], asg.extent_end, self.info.issued_on) + [
                d for d in deadlines if d.start < asg.bracket[0]]
        chosen = choose(deadlines) or asg.default_deadline
        title_end = asg.work_end
        title = self._title(asg, chosen)
        product_end = chosen.start if chosen and asg.work_start <= chosen.start < title_end else title_end
        dtype, description = deliverables.classify(self.folded, asg.work_start, max(asg.work_start, product_end),
                                                   self.inside_mention)
        if asg.context and _generic(title):
            # The work is written before the lead ("Xây dựng Đề án ..., giao Bộ Công an chủ trì") or under a topic
            # ("Về đề nghị ...: giao Bộ X xem xét, xử lý"): the title keeps it.
            ca, cb = asg.context
            context = re.sub(r"[\s,;:.]+$", "", self.original(ca, cb)).strip()
            title = f"{context}: {title[:1].lower() + title[1:]}" if title else context
            title = title[:1].upper() + title[1:]
            if dtype == deliverables.KHAC:
                dtype, description = deliverables.classify(self.folded, ca, cb, self.inside_mention)
        if not title:
            return []
        struct_product = _STRUCT_PRODUCT.search(s, asg.work_start, asg.extent_end)
        if struct_product:
            description = self.original(struct_product.end(), self._sentence_end(struct_product.end(),
                                                                                   asg.extent_end)).strip(" .;")
        flags = list(dict.fromkeys(asg.flags))
        standing = bool(STANDING.search(s, asg.work_start, asg.extent_end))
        unreadable = None
        if chosen is None and (said := _DEADLINE_SAID.search(s, asg.work_start, asg.extent_end)) \
                and not STANDING.search(said.group(1)):
            # "Thời hạn: trước kỳ họp Quốc hội": a deadline is written but it is no date; say so, invent none.
            unreadable = self.original(said.start(1), said.end(1)).strip()
        if standing:
            flags.append("standing_task")
        if re.search(r"\btiep tuc\b", s[asg.work_start:asg.work_end]):
            flags.append("continuing")
        if asg.inherited:
            flags.append("lead_from_heading")
        objective = self._phrase(_OBJECTIVE, asg.work_start, asg.work_end, chosen)
        result = self._phrase(_RESULT, asg.work_start, asg.work_end, chosen)
        known_coords: list[KnownAgency] = []
        unknown_coords: list[str] = []
        for item in asg.coords:
            if item.kind == KNOWN and item.agency not in known_coords:
                known_coords.append(item.agency)
            elif item.kind == UNKNOWN and item.text not in unknown_coords:
                unknown_coords.append(item.text)
        src_start = self.orig(start if start is not None else asg.start)
        src_end = min(self.orig_end(asg.extent_end), len(self.text))
        while src_end > src_start and self.text[src_end - 1] in " \n":
            src_end -= 1
        source = Source(src_start, src_end, self.text[src_start:src_end])
        leads = [i for i in asg.items if i.kind in (KNOWN, UNKNOWN)]
        collective = [i for i in asg.items if i.kind == COLLECTIVE]
        if leads:
            # "Bộ Tài chính và các cơ quan liên quan ...": the others help; they are not a lead of their own.
            collective = [i for i in collective if not re.search(r"\blien quan\b", Folded(i.text).s)]
        targets: list[ListItem] = []
        seen = set()
        for item in leads:
            key = item.agency.code if item.agency else item.text
            if key not in seen:
                seen.add(key)
                targets.append(item)
        if collective:
            targets.append(collective[0])
        out = []
        for item in targets:
            draft_flags = list(flags)
            lead = item.agency if item.kind == KNOWN else None
            coords = [a for a in known_coords if a is not lead]
            unknown = list(unknown_coords)
            unknown_lead = item.text if item.kind == UNKNOWN else None
            if unknown_lead:
                unknown.insert(0, unknown_lead)
                draft_flags.append("unknown_lead")
            if unknown:
                draft_flags.append("unknown_agency")
            if item.kind == COLLECTIVE:
                draft_flags.append("collective_lead")
            if len(targets) > 1:
                draft_flags.append("parallel_lead")
            suggestion = None
            if lead is not None and not item.official:
                suggestion = suggest_official(lead)
                draft_flags.append("suggested_accountable_official")
            draft = Draft(
                n=0, clause_ref=node.ref, title=title, lead=lead, collective_lead=item.kind == COLLECTIVE,
                coordinating=coords, unknown_agencies=unknown, deadline_text=None, deadline_on=None,
                deliverable_type=dtype, deliverable_description=description, objective=objective,
                accountable_official=item.official, suggested_accountable_official=suggestion,
                expected_result=result, flags=draft_flags, source=source, unknown_lead=unknown_lead,
                collective_text=item.text if item.kind == COLLECTIVE else None)
            if chosen is not None:
                _set_deadline(draft, chosen)
            elif unreadable is not None:
                draft.deadline_text = unreadable
                draft.flags.append("deadline_unreadable")
            else:
                draft.flags.append("no_deadline")
            out.append(draft)
        self.drafts += out
        return out

    def _title(self, asg: _Assignment, chosen: Deadline | None) -> str:
        s = self.s
        a, b = asg.work_start, asg.work_end
        cut: list[tuple[int, int]] = []
        if chosen is not None and a <= chosen.start < b:
            cut.append((chosen.start, chosen.end))
        # A trailing ", phối hợp với Bộ Tài chính" belongs to coordinators, not to the work.
        for m in _COORD_ANYWHERE.finditer(s, a, b):
            _, end = self.scan.read_list(m.end(), allow_loose_unknown=True)
            rest = s[end:b]
            if end > m.end() and (not rest.strip(" .;,") or (chosen and end <= chosen.start
                                                               and not s[end:chosen.start].strip(" .;,"))):
                start = m.start()
                while start > a and s[start - 1] in " ,;":
                    start -= 1
                cut.append((start, end))
        pieces = []
        pos = a
        for x, y in sorted(cut):
            if x < pos:
                continue
            pieces.append(self.original(pos, x))
            pos = y
        pieces.append(self.original(pos, b))
        title = " ".join(p.strip() for p in pieces if p.strip())
        title = re.sub(r"\s+", " ", title)
        title = re.sub(r"\s+([,.;:])", r"\1", title)
        folded_title = Folded(title)
        m = _TRAILING_STANDING.search(folded_title.s)
        if m and m.start() > 0:
            title = title[:folded_title.orig(m.start())]
        title = re.sub(r"(?:[\s,;:.]|\./\.|\bvà\b)+$", "", title).strip()
        title = re.sub(r"^[\s,;:.]+", "", title)
        return title[:1].upper() + title[1:] if title else title

    def _phrase(self, pattern: re.Pattern, a: int, b: int, chosen: Deadline | None) -> str | None:
        m = pattern.search(self.s, a, b)
        if not m:
            return None
        end = b
        stop = _PHRASE_END.search(self.s, m.end(), b)
        if stop:
            end = stop.start()
        if chosen is not None and m.end() <= chosen.start < end:
            end = chosen.start
        text = self.original(m.start(), end).strip(" ,;.")
        return text if len(text.split()) >= 3 else None

    # ---- appendix tables: "STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn | Sản phẩm" ----

    def table_row(self, node: _Node, header: list[str] | None) -> list[str] | None:
        s = self.s
        p = node.para
        cells = self._cells(p.start, p.end)
        names = [s[x:y].strip() for x, y in cells]
        if all(re.fullmatch(r":?-{2,}:?", n) for n in names):
            return header  # a Markdown table's rule
        if header is None:
            if any("chu tri" in n for n in names) and any(re.search(r"noi dung|nhiem vu|cong viec|ten", n)
                                                          for n in names):
                return names
            return None
        if len(cells) != len(header):
            return header
        col = {}
        for i, h in enumerate(header):
            if "chu tri" in h:
                col.setdefault("lead", i)
            elif "phoi hop" in h:
                col.setdefault("coord", i)
            elif re.search(r"thoi han|thoi gian|tien do", h):
                col.setdefault("deadline", i)
            elif re.search(r"san pham|hinh thuc", h):
                col.setdefault("product", i)
            elif re.search(r"noi dung|nhiem vu|cong viec|ten", h):
                col.setdefault("work", i)
            elif re.search(r"\bstt\b|\bso tt\b|^tt$", h):
                col.setdefault("number", i)
        if "work" not in col or "lead" not in col:
            return header
        wa, wb = cells[col["work"]]
        la, lb = cells[col["lead"]]
        items, _ = self.scan.read_list(la, allow_loose_unknown=True)
        if not items:
            return header
        asg = _Assignment(wa, items, wa, wb, wb)
        if "coord" in col:
            ca, cb = cells[col["coord"]]
            coords, _ = self.scan.read_list(ca, allow_loose_unknown=True)
            asg.coords = [c for c in coords if c.kind != COLLECTIVE and c.end <= cb]
        number = s[slice(*cells[col["number"]])].strip(" .") if "number" in col else None
        base = node.ref or "Bảng"
        node.ref = f"{base}.{self.original(*cells[col['number']]).strip(' .')}" if number else base
        drafts = self.drafts_for(asg, node, start=p.start)
        if "deadline" in col:
            da, db = cells[col["deadline"]]
            chosen = choose(find_deadlines(self.folded, da, db, self.info.issued_on, bare_ok=True))
            for d in drafts:
                if chosen is not None:
                    _set_deadline(d, chosen)
                    d.flags = [f for f in d.flags if f != "no_deadline"]
                elif s[da:db].strip():
                    d.deadline_text = self.original(da, db).strip()
                    if STANDING.search(s, da, db):
                        d.flags.append("standing_task")
                    else:
                        d.flags.append("deadline_unreadable")
        if "product" in col:
            pa, pb = cells[col["product"]]
            product_type, _ = deliverables.classify(self.folded, pa, pb, self.inside_mention)
            product_text = self.original(pa, pb).strip()
            for d in drafts:
                if product_text:
                    d.deliverable_description = product_text
                if product_type != deliverables.KHAC:
                    d.deliverable_type = product_type
                elif _product_names_type(s[pa:pb]):
                    d.deliverable_type = _product_names_type(s[pa:pb])
        return header

    def _cells(self, a: int, b: int) -> list[tuple[int, int]]:
        """A row's cells: separated by "|" (as extract.py writes a DOCX table, or a Markdown table) or by tabs."""
        out = []
        pos = a
        for m in re.finditer(r"\||\t", self.s[a:b]):
            out.append((pos, a + m.start()))
            pos = a + m.end()
        out.append((pos, b))
        trimmed = []
        for x, y in out:
            while x < y and self.s[x] in " \t":
                x += 1
            while y > x and self.s[y - 1] in " \t":
                y -= 1
            trimmed.append((x, y))
        # "| a | b |": the bars at the ends open and close the row, they do not make empty cells.
        if trimmed and trimmed[0][0] == trimmed[0][1] and self.s[a:b].lstrip().startswith("|"):
            trimmed = trimmed[1:]
        if trimmed and trimmed[-1][0] == trimmed[-1][1] and self.s[a:b].rstrip().endswith("|"):
            trimmed = trimmed[:-1]
        return trimmed


_LIST_INTRO = re.compile(r"(?:sau|nhu sau|cu the|sau day|gom|bao gom|cac noi dung|cac nhiem vu[a-z ]*)\s*:?\s*$")
_PRODUCT_WORDS = [(re.compile(r"\bhe thong|\bnen tang|\bco so du lieu|\bphan mem|\bung dung"), deliverables.HE_THONG),
                  (re.compile(r"\bbao cao"), deliverables.BAO_CAO),
                  (re.compile(r"\bhuong dan"), deliverables.HUONG_DAN)]


_GENERIC = re.compile(r"(?:xem xet|xu ly|thuc hien|trien khai|giai quyet|tong hop|theo doi|chi dao|tiep thu|nghien cuu"
                      r"|phoi hop|lam ro|kiem tra|tra loi)\b")


def _generic(title: str) -> bool:
    """A work that names no work: "xem xét, xử lý theo quy định", "thực hiện", or nothing at all."""
    folded = Folded(title).s.strip(" .,;:")
    words = folded.split()
    return len(words) <= 2 or (len(words) <= 12 and bool(_GENERIC.match(folded))
                               and not re.search(r"\b(?:de an|nghi dinh|nghi quyet|quyet dinh|thong tu|chi thi|luat"
                                                 r"|ke hoach|he thong|co so du lieu|nen tang)\b", folded))


def _product_names_type(folded_cell: str) -> str | None:
    for pattern, kind in _PRODUCT_WORDS:
        if pattern.search(folded_cell):
            return kind
    return None


def _set_deadline(draft: Draft, chosen: Deadline) -> None:
    draft.deadline_text = chosen.text
    draft.deadline_on = chosen.on
    draft.flags = [f for f in draft.flags if f != "no_deadline"]
    for flag in chosen.flags:
        if flag not in draft.flags:
            draft.flags.append(flag)
    if chosen.on is None and "deadline_unreadable" not in draft.flags:
        draft.flags.append("deadline_unreadable")


def _is_row(text: str) -> bool:
    return text.count("|") >= 2 or text.count("\t") >= 2


def _shouted(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _is_heading_text(text: str) -> bool:
    stripped = text.strip()
    return len(stripped) < 160 and (stripped.endswith(":") or not _TERMINAL.search(stripped))


def _review_heading(text: str) -> bool | None:
    review = _REVIEW_HEAD.search(text)
    assign = _ASSIGN_HEAD.search(text)
    if review and (not assign or review.start() < assign.start()):
        return True
    if assign:
        return False
    return None


def s_has_text(text: str) -> bool:
    return bool(text.strip(" .;,:"))


def _not_a_notice() -> ImportInputError:
    return ImportInputError("not_a_notice", "not_a_notice")


def parse_notice(text: str, agencies: list[KnownAgency]) -> ParsedNotice:
    """Drafts of the tasks a conclusion notice assigns, with the notice's header. Raises ImportInputError for an empty
    text, a text that is not a notice, or a notice that assigns nothing."""
    if text is None or not text.strip():
        raise ImportInputError("empty", "text_empty")
    if unicodedata.is_normalized("NFC", text):
        return _Notice(text, agencies).parse()
    # Decomposed input (tones as combining marks) is read precomposed; its sources still point into `text`.
    nfc, back = _nfc_with_offsets(text)
    parsed = _Notice(nfc, agencies).parse()
    for draft in parsed.drafts:
        start, end = back[draft.source.start], back[draft.source.end]
        draft.source = Source(start, end, text[start:end])
    return parsed


_CLUSTER = re.compile(r".[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]*", re.DOTALL)


def _nfc_with_offsets(text: str) -> tuple[str, list[int]]:
    """NFC of `text`, and for each NFC offset (and its end) the offset in `text` where its character began."""
    out: list[str] = []
    back: list[int] = []
    for m in _CLUSTER.finditer(text):
        composed = unicodedata.normalize("NFC", m.group())
        out.append(composed)
        back += [m.start()] * len(composed)
    back.append(len(text))
    return "".join(out), back

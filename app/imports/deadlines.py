"""Deadline phrases in an assignment, read against the notice's own date.

`app.tasks.deadlines.parse_deadline` reads a deadline typed on its own ("tháng 3/2023", "quý III/2023", "15/3/2023");
this module finds the phrase in running text, tells a deadline from a date that is not one (a start date, a document's
date, a horizon such as "tầm nhìn đến năm 2030"), and reads it against the notice's date: a day or month without its
year, "cuối năm", "trong 30 ngày" from the notice. "tháng 3", "cuối quý II", "năm 2023" end on the day `parse_deadline`
gives them (`app.tasks.deadlines.month_end`; none outside the years 2000-2100)."""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.imports.folding import Folded
from app.tasks.deadlines import (
    YEAR_SEP,
    half_last_month,
    half_pattern,
    month_end,
    month_pattern,
    quarter_last_month,
    quarter_pattern,
    year_pattern,
)
from app.types import FIRST_DAY, LAST_DAY

# The period forms come from the one period grammar (app/tasks/deadlines.py); a year may be missing here.
_EXPR = re.compile(
    r"(?<![a-z0-9/.,])(?:"
    rf"(?P<h6>{half_pattern('h6w')}(?:\s+(?P<h6y>\d{{4}}))?)"
    rf"|(?P<eoy>cuoi\s+nam(?:\s+(?P<eoyy>\d{{4}}))?)"
    rf"|(?P<eoq>cuoi\s+{quarter_pattern('eoqq')}(?:{YEAR_SEP}(?P<eoqy>\d{{4}}))?)"
    rf"|(?P<eom>cuoi\s+{month_pattern('eomm')}(?:{YEAR_SEP}(?P<eomy>\d{{4}}))?)"
    r"|(?P<rel>(?P<reln>\d{1,3})\s+ngay(?P<relw>\s+lam\s+viec)?"
    r"(?:\s*,?\s*(?:ke\s+)?tu\s+(?:ngay\s+)?(?:ky|ban hanh|phat hanh|thong bao)[a-z ]{0,30}?(?=[,.;)]|$))?)"
    # "trước ngày 25 tháng này", "trong tháng này": the notice's own month.
    r"|(?P<dtn>(?:ngay\s+)?(?P<dtnd>\d{1,2})\s+thang\s+nay)|(?P<tmn>thang\s+nay)"
    # "trong tuần đầu tháng 01/2027": the month's first seven days.
    rf"|(?P<w1>tuan\s+dau(?:\s+tien)?(?:\s+cua)?\s+{month_pattern('w1m')}(?:{YEAR_SEP}(?P<w1y>\d{{4}}))?)"
    r"|(?P<dw>(?:ngay\s+)?(?P<dwd>\d{1,2})\s+thang\s+(?P<dwm>\d{1,2})(?:\s+nam\s+(?P<dwy>\d{4}))?)"
    r"|(?P<iso>(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))"
    r"|(?P<d>(?:ngay\s+)?(?P<dd>\d{1,2})\s*[/.-]\s*(?P<dm>\d{1,2})(?:\s*[/.-]\s*(?P<dy>\d{4}))?(?![0-9/]))"
    rf"|(?P<m>{month_pattern('mm')}(?:{YEAR_SEP}(?P<my>\d{{4}}))?)"
    rf"|(?P<q>{quarter_pattern('qq')}(?:{YEAR_SEP}(?P<qy>\d{{4}}))?)"
    rf"|(?P<y>{year_pattern('yy')})"
    r")(?![0-9])")

# "Thời hạn: ...", "Thời hạn hoàn thành: ...": the notice says outright that this is the deadline.
_STRONG = re.compile(r"(?:thoi han|thoi gian|han)(?:\s+(?:hoan thanh|thuc hien|trinh|nop|bao cao|gui))?\s*:?\s*"
                     r"(?:la\s+)?(?:(?:truoc|trong|cham nhat|vao|den het|het|ngay|khong qua)\s+)*$")
_ANCHOR = re.compile(
    r"(?:\btruoc|\bcham nhat(?: la)?|\bmuon nhat(?: la)?|\bhan chot(?: la)?|\btrong(?: vong| thoi han| thoi gian)?"
    r"|\bhoan thanh(?: xong)?(?: trong| truoc| vao| trong vong)?|\bxong(?: trong| truoc)?|\bvao|\bden het|\bhet"
    r"|\bket thuc(?: vao| trong)?|\bkhong qua|\bkip thoi truoc|[,;(]|^)"
    # "trước 17 giờ 00 ngày 30/10/2026": an hour before the day
    r"(?:\s*\d{1,2}\s*(?:gio|h)(?:\s*\d{1,2})?(?:\s*phut)?\s*,?(?:\s*ngay)?)?\s*$")
# A date that starts something, a horizon ("tầm nhìn đến năm 2030"): not deadlines.
_NOT_DEADLINE = re.compile(
    r"(?:\btu|\bke tu|\bbat dau(?: tu)?|\bap dung(?: tu)?|\bhieu luc(?: tu| ke tu)?|\bgiai doan|\bthoi ky"
    r"|\btam nhin(?: den)?|\bdinh huong(?: den)?|\bnien do|\bden|\b\d[0-9a-z\-]*/[a-z0-9/\-]*"
    # "không để dồn hồ sơ vào cuối năm": a time named in what must not happen
    r"|\bkhong de\b[^,;.]{0,60})\s*(?:ngay\s*)?$")
# A document's own date: "Nghị định số 123/2020/NĐ-CP ngày 19 tháng 10 năm 2020", "ban hành ngày ...".
_DATED = re.compile(r"(?:\bban hanh|\bky|\bcua|\bso|\bhop|\bnghi (?:dinh|quyet)|\bquyet dinh|\bthong tu|\bchi thi"
                    r"|\bket luan|\bcong van|\bthong bao|\bvan ban)\s*$")
_COMPLETION = re.compile(r"(?:hoàn thành|xong)\b", re.IGNORECASE)
# "Định kỳ 6 tháng và hằng năm tổng hợp …, gửi trước ngày 15 tháng 6": a yearless day in a periodic work recurs.
_PERIODIC = re.compile(r"\b(?:dinh ky|hang nam|hang quy|hang thang|moi nam|moi quy)\b")
_MEETING_BEFORE = re.compile(r"\b(?:tai|trong|vao)\s+(?:phien hop|cuoc hop|hoi nghi|buoi giao ban|giao ban)"
                             r"(?:\s+[a-z]+){0,3}\s*$")
_PERIOD_OPEN = re.compile(r"\btruoc\s*$")
_CLAUSE_END = re.compile(r"\s*(?:[.;:)]|,\s*$|$|\n)")
# A day or month then its cadence: "ngày 25 tháng 12 hằng năm" recurs; RECURRING marks such a Deadline (no date).
_CADENCE = re.compile(r"\s+(?:hang|moi) (?:nam|quy|thang)\b")
RECURRING = "recurring"
# "từ ngày 01/7 đến hết ngày 30/9": the end of a campaign, PERIOD_END; a report asked after it is the deadline.
# So is the end of "từ tháng 11/2026 đến tháng 3/2027" and of "trong tuần từ ngày 23/11 đến ngày 27/11/2026".
_CAMPAIGN_END = re.compile(r"\btu (?:ngay\s+\d[\d/]*(?:\s+thang\s+\d+(?:\s+nam\s+\d{4})?)?"
                           r"|thang\s+\d{1,2}(?:\s*/\s*\d{4}|\s+nam\s+\d{4})?)\s+den (?:het )?(?:ngay\s*)?$")
_PERIOD_START = re.compile(r"\btu\s*$")
_FROM_EVENT = re.compile(r"\s*,?\s*(?:ke\s+)?tu\s+(?:ngay|khi|luc|thoi diem)\s+(?!ky\b|ban hanh|phat hanh|thong bao)")
PERIOD_END = "period_end"
INTERNAL_FLAGS = frozenset({RECURRING, PERIOD_END})
STANDING = re.compile(r"\b(?:thuong xuyen|hang (?:nam|quy|thang|tuan|ngay)|dinh ky|lien tuc)\b")


@dataclass
class Deadline:
    start: int          # folded offsets: the phrase with its anchor words ("hoàn thành trước ngày 15/3/2023")
    end: int
    text: str           # the phrase as written, from the original text
    on: date | None
    strong: bool
    flags: list[str] = field(default_factory=list)


def _resolve_year(year: str | None, make, notice_date: date | None, flags: list[str]) -> date | None:
    """A day or month written without its year is the next one on or after the notice's date."""
    if year:
        return make(int(year))
    if notice_date is None:
        flags.append("deadline_unreadable")
        return None
    flags.append("deadline_year_inferred")
    first = make(notice_date.year)
    if first is not None and first < notice_date:
        return make(notice_date.year + 1)
    return first


def _period_end(year: int, month: int) -> date | None:
    """The last day of the month, or None for a month or a year `parse_deadline` refuses."""
    if not (FIRST_DAY.year <= year <= LAST_DAY.year and 1 <= month <= 12):
        return None
    return month_end(year, month)


def safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _add_working_days(day: date, n: int) -> date:
    # Weekends only: the holiday calendar is the tracker's data, not the importer's, so the draft is flagged.
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def _evaluate(m: re.Match, notice_date: date | None, before_open: bool) -> tuple[date | None, list[str]]:
    """The last day a deadline phrase allows, and what the reading had to assume (flags)."""
    g = m.groupdict()
    if g["dtn"] or g["tmn"]:
        if notice_date is None:
            return None, ["deadline_unreadable"]
        if g["tmn"]:
            return month_end(notice_date.year, notice_date.month), ["deadline_relative"]
        day = safe_date(notice_date.year, notice_date.month, int(g["dtnd"]))
        return (day, ["deadline_relative"]) if day else (None, ["not_a_date"])
    if g["rel"] or g["dw"] or g["d"] or g["iso"]:
        return _evaluate_day(g, notice_date)
    if g["w1"]:
        mm, flags = int(g["w1m"]), []
        if not 1 <= mm <= 12:
            return None, ["not_a_date"]
        return _resolve_year(g["w1y"], lambda y: safe_date(y, mm, 7), notice_date, flags), flags
    return _evaluate_period(g, notice_date, before_open)


def _evaluate_period(g: dict, notice_date: date | None, before_open: bool) -> tuple[date | None, list[str]]:
    """A half-year, a quarter, a month, a year, or the end of one; "trước tháng 6/2023" ends before June begins."""
    flags: list[str] = []
    if g["h6"]:
        month = half_last_month(g["h6w"])
        return _resolve_year(g["h6y"], lambda y: month_end(y, month), notice_date, flags), flags
    if g["eoy"]:
        return _resolve_year(g["eoyy"], lambda y: date(y, 12, 31), notice_date, flags), flags
    if g["eoq"]:
        last = quarter_last_month(g["eoqq"])
        return _resolve_year(g["eoqy"], lambda y: _period_end(y, last), notice_date, flags), flags
    if g["eom"]:
        mm = int(g["eomm"])
        return _resolve_year(g["eomy"], lambda y: _period_end(y, mm), notice_date, flags), flags
    if g["m"]:
        mm = int(g["mm"])
        if not 1 <= mm <= 12:
            return None, ["not_a_date"]
        if before_open:
            return _resolve_year(g["my"], lambda y: safe_date(y, mm, 1) - timedelta(days=1), notice_date,
                                 flags), flags
        return _resolve_year(g["my"], lambda y: _period_end(y, mm), notice_date, flags), flags
    if g["q"]:
        last = quarter_last_month(g["qq"])
        if before_open:
            return _resolve_year(g["qy"], lambda y: date(y, last - 2, 1) - timedelta(days=1), notice_date,
                                 flags), flags
        return _resolve_year(g["qy"], lambda y: _period_end(y, last), notice_date, flags), flags
    if g["y"]:
        if before_open:
            return date(int(g["yy"]) - 1, 12, 31), flags
        return _period_end(int(g["yy"]), 12), flags
    return None, ["not_a_date"]


def _evaluate_day(g: dict, notice_date: date | None) -> tuple[date | None, list[str]]:
    """A number of days from the notice, or a day."""
    flags: list[str] = []
    if g["rel"]:
        n = int(g["reln"])
        if notice_date is None or not 1 <= n <= 366:
            flags.append("deadline_unreadable")
            return None, flags
        flags.append("deadline_relative")
        if g["relw"]:
            flags.append("deadline_working_days_approx")
            return _add_working_days(notice_date, n), flags
        return notice_date + timedelta(days=n), flags
    if g["dw"] or g["d"]:
        d, mo, y = (g["dwd"], g["dwm"], g["dwy"]) if g["dw"] else (g["dd"], g["dm"], g["dy"])
        if not (1 <= int(d) <= 31 and 1 <= int(mo) <= 12):
            return None, ["not_a_date"]
        return _resolve_year(y, lambda yy: safe_date(yy, int(mo), int(d)), notice_date, flags), flags
    return safe_date(int(g["iy"]), int(g["im"]), int(g["id"])), flags


_ANCHOR_WORDS = re.compile(
    r"(?:(?:,|;|\()\s*)?(?:(?:thoi han|thoi gian|han)(?:\s+(?:hoan thanh|thuc hien|trinh|nop|bao cao|gui))?\s*:?\s*"
    r"(?:la\s+)?)?(?:(?:(?:bao dam|dam bao|phai)\s+)?(?:hoan thanh|xong|ket thuc|thuc hien)\s+)?"
    r"(?:(?:truoc|trong vong|trong thoi han|trong|cham nhat la|cham nhat|muon nhat|han chot la|han chot|vao|den het"
    r"|het|khong qua|kip thoi truoc|ngay)\s+){0,3}$")


def find_deadlines(folded: Folded, a: int, b: int, notice_date: date | None, *,
                   bare_ok: bool = False) -> list[Deadline]:
    """Deadline phrases in folded[a:b], in order. `bare_ok`: the range is itself a deadline (a table's "Thời hạn"
    cell), so no anchor word is needed."""
    s = folded.s
    out: list[Deadline] = []
    for m in _EXPR.finditer(s, a, b):
        pre = s[max(a, m.start() - 60):m.start()]
        kind = m.lastgroup
        strong = bool(_STRONG.search(pre))
        campaign_end = bool(_CAMPAIGN_END.search(pre))
        if _PERIOD_START.search(pre) and re.match(r"\s+den\b", s[m.end():b]):
            continue  # a period's first day or month, even in a time cell
        if not strong and not bare_ok and not campaign_end and not _acceptable(s, m, pre, kind, b):
            continue
        if kind == "rel" and _FROM_EVENT.match(s, m.end(), b):
            continue  # "trong 10 ngày kể từ ngày nhận đủ hồ sơ": counted from a day the notice does not know
        if kind == "dw" and not m.group().startswith("ngay") and _named_after_a_day(folded, m):
            continue  # "Quảng trường 2 Tháng 4", "đường 30 Tháng 4": a place named after a day
        on, flags = _evaluate(m, notice_date, bool(_PERIOD_OPEN.search(pre)))
        if "not_a_date" in flags:
            continue
        end = m.end()
        if campaign_end:
            flags = flags + [PERIOD_END]
        if ((cadence := _CADENCE.match(s, end, b)) or (kind in ("dw", "d") and _periodic_before(s, m.start()))) \
                and not re.search(r"\d{4}", m.group()):
            # "trước ngày 25 tháng 12 hằng năm": a day that comes back every year, the date of a standing task.
            on, flags, end = None, [RECURRING], cadence.end() if cadence else end
        anchor = _ANCHOR_WORDS.search(s, max(a, m.start() - 60), m.start())
        start = min(anchor.start(), m.start()) if anchor else m.start()
        text = folded.original(start, end).strip(" ,;(:")
        text = re.sub(r"^[Tt]hời (?:hạn|gian)(?: \w+){0,2}\s*:\s*", "", text) if not bare_ok else text
        out.append(Deadline(start, end, text, on, strong, flags))
    return out


def _periodic_before(s: str, at: int) -> bool:
    """Whether the sentence before `at` says the work recurs ("Định kỳ 6 tháng và hằng năm, …")."""
    start = max(s.rfind(". ", 0, at), s.rfind("\n", 0, at), at - 200, 0)
    return _PERIODIC.search(s, start, at) is not None


def _named_after_a_day(folded: Folded, m: re.Match) -> bool:
    month_word = folded.s.index("thang", m.start())
    return folded.text[folded.orig(month_word):folded.orig(month_word) + 1] == "T"


def _acceptable(s: str, m: re.Match, pre: str, kind: str, b: int) -> bool:
    if _NOT_DEADLINE.search(pre):
        return False
    dated = s.startswith("ngay", m.start()) or re.search(r"\bngay\s*$", pre)
    if dated and _DATED.search(re.sub(r"\s*\bngay\s*$", "", pre)):
        return False
    anchored = bool(_ANCHOR.search(pre))
    if kind == "rel":
        # "trong 30 ngày", "chậm nhất 15 ngày kể từ ngày ký"; a bare "30 ngày" is a duration inside the work.
        return bool(re.search(r"\b(?:trong(?: vong| thoi han| thoi gian)?|cham nhat(?: la)?|khong qua)\s*$", pre)
                    or re.search(r"\bke tu\b", m.group()))
    if kind == "y":
        # A bare "năm 2023" is a deadline only after a word that makes it one: "trong năm 2023", "hoàn thành năm
        # 2023"; "dự toán ngân sách năm 2023" is the budget's year.
        return anchored and not pre.rstrip().endswith(("(", ",", ";")) or (
            anchored and bool(_CLAUSE_END.match(s, m.end(), b)))
    clause_end = m.end() >= b or bool(_CLAUSE_END.match(s, m.end(), b))
    # "báo cáo … tại phiên họp thường kỳ tháng 12/2026 của Ủy ban nhân dân tỉnh": the month of the meeting it is due at.
    meeting_month = kind == "m" and bool(_MEETING_BEFORE.search(pre))
    return anchored or clause_end or meeting_month


def choose(deadlines: list[Deadline]) -> Deadline | None:
    """What the notice says outright ("Thời hạn: ...") wins; otherwise the first deadline phrase of the task."""
    strong = [d for d in deadlines if d.strong]
    if strong:
        return strong[0]
    # "… kéo dài gói tín dụng đến hết năm 2030, xong trước ngày 31/12/2026": the work's completion, not its object's.
    completing = [d for d in deadlines if _COMPLETION.match(d.text)]
    if completing and len(deadlines) > 1:
        return completing[0]
    # A campaign's last day, then a report asked for after it: the report's date.
    if deadlines and PERIOD_END in deadlines[0].flags and len(deadlines) > 1:
        return deadlines[1]
    return deadlines[0] if deadlines else None

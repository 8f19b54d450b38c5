"""The completion report as an administrative document (Nghị định 30/2020/NĐ-CP, công tác văn thư): the words and the
measures the DOCX and the PDF writers share, so both give the same document.

Layout: the report itself on A4 portrait — the header block (issuing body and number on the left, Quốc hiệu, Tiêu
ngữ, place and date on the right), "BÁO CÁO" and its summary, the body (the results and their change since the
previous meeting, the priority tasks, a table per lead agency, the overdue tasks, the requests awaiting a decision,
then the parts the office writes: assessment and proposals), the signature and "Nơi nhận" — then the list as its
appendix ("Phụ lục I") and the overdue tasks alone ("Phụ lục II") on A4 landscape, each one table whose header row
repeats on every page."""

import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time
from functools import lru_cache

from app.messages import vn_decimal, vn_number, vn_rate
from app.reports.completion import PRIORITY_MARK, Report, Row, dmy
from app.reports.schemas import DocumentSettings
from app.reports.service import GridCounts
from app.text import without_marks

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DOCUMENT_TYPE = "BÁO CÁO"
TYPE_SYMBOL = "BC"  # the "BC" of "15/BC-TGV"
BLANK = "\u00a0" * 6  # a space to be filled in by hand; non-breaking, so neither Word nor reportlab drops it
FONT = "Times New Roman"  # the PDF embeds Liberation Serif, which has the same widths
LANGUAGE = "vi-VN"  # what the DOCX declares its text to be, so that Word checks it as Vietnamese

# Sizes in points, within what Nghị định 30/2020 allows; Quốc hiệu at 12 so that it holds on one line.
HEADER_SIZE, NATIONAL_SIZE, MOTTO_SIZE, NUMBER_SIZE = 13, 12, 13, 13
BODY_SIZE = 13  # 13 rather than 14: a one-page report keeps its signature on its page
RECIPIENTS_TITLE_SIZE, RECIPIENTS_SIZE = 12, 11
SUMMARY_TABLE_SIZE = 11  # the report's own tables: the results and the table per lead agency
TABLE_SIZE = 10  # the appendices' eleven columns
LEADING = 1.15  # Word's single line spacing for Times New Roman, as a multiple of the size

# Pages, in cm, with the margins of Nghị định 30/2020 (top and bottom 2-2.5, left 3-3.5, right 1.5-2) as they fall on
# the page as bound. A landscape page is bound by its top edge (one turns the document a quarter clockwise to read
# it), so its top margin is the binding margin (3-3.5), its bottom the outer one (1.5-2), its sides the bound
# document's top and bottom (2-2.5). "header": how far from the top edge the page number's line begins (the top
# margin holds it; on a landscape page clear of the binding).
PORTRAIT = {"width": 21.0, "height": 29.7, "top": 2.0, "bottom": 2.0, "left": 3.0, "right": 1.5, "header": 1.0}
LANDSCAPE = {"width": 29.7, "height": 21.0, "top": 3.0, "bottom": 2.0, "left": 2.0, "right": 2.0, "header": 1.8}
PORTRAIT_TEXT_CM = PORTRAIT["width"] - PORTRAIT["left"] - PORTRAIT["right"]  # 16.5
LANDSCAPE_TEXT_CM = LANDSCAPE["width"] - LANDSCAPE["left"] - LANDSCAPE["right"]  # 25.7
SIGNATURE_SPACE_CM = 2.2  # room to sign and stamp between the position and the name
HEADER_COLUMNS_CM = (6.6, 9.9)  # body and number | Quốc hiệu, Tiêu ngữ and date; also the signature block's columns
# The results, a column per count: what each counts said in its heading, never "Quá hạn" for two different things.
COUNT_HEADINGS = ("Tổng số nhiệm vụ", "Hoàn thành đúng hạn", "Hoàn thành quá hạn", "Đang thực hiện trong hạn",
                  "Quá hạn chưa hoàn thành", "Tỷ lệ hoàn thành")
GRID_COLUMNS_CM = (3.7, 2.0, 2.0, 2.0, 2.0, 2.0, 2.8)  # the day | the counts | the rate
AGENCY_COLUMNS_CM = (1.0, 4.3, 1.6, 2.0, 2.0, 2.0, 2.0, 1.6)  # STT | cơ quan chủ trì | the counts
# The indicators' table in the report: STT | mã | chỉ tiêu | mục tiêu | số liệu mới nhất | tình trạng
INDICATOR_COLUMNS_CM = (1.0, 2.1, 4.0, 2.6, 3.9, 2.9)
# The appendices' table: the nine columns of the Government's lists, with the notice's clause and the official
# answerable for the task beside them.
LIST_COLUMNS = (("STT", 1.0), ("Văn bản giao (số, ngày)", 2.4), ("Mục trong văn bản", 1.3),
                ("Nội dung nhiệm vụ", 4.4), ("Cơ quan chủ trì", 1.9), ("Người chịu trách nhiệm", 2.1),
                ("Cơ quan phối hợp", 1.9), ("Thời hạn", 1.9), ("Sản phẩm", 3.5), ("Tình hình thực hiện", 3.4),
                ("Tình trạng", 1.9))
LIST_HEADINGS = tuple(name for name, _ in LIST_COLUMNS)
LIST_COLUMNS_CM = tuple(width for _, width in LIST_COLUMNS)
CELL_PADDING_CM = (0.08, 0.12)  # top/bottom, left/right: the same in Word and in the PDF
GRID_PADDING_CM = (0.06, 0.1)
OVERDUE_FILL = "FCE4E4"  # red is overdue (the trackers' colour), light enough to print
GROUP_FILL = "EDEDED"
HEADER_FILL = "DDEBF7"
TEXT_COLOUR = "000000"  # every letter black, links too, as the form asks (a link is still underlined)
for widths, room in ((LIST_COLUMNS_CM, LANDSCAPE_TEXT_CM), (HEADER_COLUMNS_CM, PORTRAIT_TEXT_CM),
                     (INDICATOR_COLUMNS_CM, PORTRAIT_TEXT_CM), (GRID_COLUMNS_CM, PORTRAIT_TEXT_CM),
                     (AGENCY_COLUMNS_CM, PORTRAIT_TEXT_CM)):
    assert abs(sum(widths) - room) < 1e-9, (widths, room)


Progress = Callable[[int], None]
# Characters XML 1.0 (XLSX, DOCX) cannot hold, as spaces: a note pasted from Word may carry them (\x0b).
_ILLEGAL_TABLE = {code: " " for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)}


def clean(value):
    # isprintable() is a C-speed test; translate looks every character up in a dict.
    return value.translate(_ILLEGAL_TABLE) if isinstance(value, str) and not value.isprintable() else value


def counted(rows: Iterator[Row], progress: Progress | None) -> Iterator[Row]:
    for row in rows:
        yield row
        if progress:
            progress(1)


def metadata_time(report: Report) -> datetime:
    """The creation and modification time written into a file: the start of the as-of day, never the clock, so the
    same list as of the same day is the same bytes."""
    return datetime.combine(report.as_of, time(0, 0), tzinfo=UTC)


# ---------------------------------------------------------------- header, signature, appendix title


def number_line(settings: DocumentSettings) -> str:
    """"Số: 15/BC-TGV"; a bare "15" gets its symbol; a number below 10 takes a leading zero, as Nghị định 30/2020 asks
    ("Số: 05/BC-TGV", also when given as "5/BC-TGV"); no number leaves a blank before the slash."""
    symbol = f"{TYPE_SYMBOL}-{settings.symbol}"
    number = (settings.number or "").strip()
    if not number:
        return f"Số:{BLANK}/{symbol}"
    first, slash, rest = number.partition("/")
    first, rest = first.strip(), rest.strip()
    if first.isdigit() and 0 < int(first) < 10:
        first = f"{int(first):02d}"
    return f"Số: {first}/{rest}" if slash else f"Số: {first}/{symbol}"


def _number(settings: DocumentSettings) -> str:
    return number_line(settings).removeprefix("Số:").strip(" ")


def date_line(settings: DocumentSettings) -> str:
    """"Hà Nội, ngày 08 tháng 8 năm 2022" (the leading zeros of Nghị định 30/2020), or blanks to fill in by hand."""
    day = settings.issued_on
    if day is None:
        return f"{settings.place}, ngày{BLANK}tháng{BLANK}năm{BLANK}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{settings.place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def upper(text: str) -> str:
    """Bodies and positions in the header and the signature: "Tổ giúp việc" → "TỔ GIÚP VIỆC" ("TM." stays)."""
    return text.upper()


def signer_lines(settings: DocumentSettings) -> list[str]:
    """The signature's authority and position, in capitals: "TM. TỔ GIÚP VIỆC", "TỔ TRƯỞNG" (an empty one left out)."""
    return [upper(line) for line in (settings.signer_authority, settings.signer_position) if line]


def issuing_line_cm(body: str) -> float:
    """The line under the issuing body: half its (longest line's) width, within its column."""
    inner = HEADER_COLUMNS_CM[0] - 2 * CELL_PADDING_CM[1]
    return max(1.5, min(text_width_cm(body, HEADER_SIZE, bold=True), inner) / 2)


def motto_line_cm() -> float:
    """The line under the motto: as long as the motto."""
    return text_width_cm(MOTTO, MOTTO_SIZE, bold=True)


def summary_line_cm(summary: str) -> float:
    """The line under the summary: a third of its longest line (Nghị định 30/2020 asks for a third to a half)."""
    return min(text_width_cm(summary, BODY_SIZE, bold=True), PORTRAIT_TEXT_CM) / 3


# ---------------------------------------------------------------- the appendices


@dataclass(frozen=True)
class Appendix:
    """One appendix: "Phụ lục I", its title, "(Kèm theo Báo cáo số ... ngày ... của ...)"; `overdue`: the overdue
    tasks alone."""

    heading: str
    title: str
    reference: str
    overdue: bool


def appendices(report: Report, settings: DocumentSettings) -> list[Appendix]:
    """The list (Phụ lục I) and, when any task is overdue, the overdue tasks alone (Phụ lục II); a report with one
    appendix calls it "Phụ lục", unnumbered."""
    day = dmy(settings.issued_on) if settings.issued_on else f"{BLANK}/{BLANK}/{BLANK}"
    reference = f"(Kèm theo Báo cáo số {_number(settings)} ngày {day} của {settings.issuing_body})"
    as_of = dmy(report.as_of)
    found = [Appendix(list_appendix(report), f"DANH SÁCH NHIỆM VỤ VÀ TÌNH HÌNH THỰC HIỆN ĐẾN HẾT NGÀY {as_of}",
                      reference, False)]
    if report.overall.overdue:
        found.append(Appendix("Phụ lục II", f"DANH SÁCH NHIỆM VỤ QUÁ HẠN CHƯA HOÀN THÀNH ĐẾN HẾT NGÀY {as_of}",
                              reference, True))
    return found


def list_appendix(report: Report) -> str:
    """The list's appendix by name: "Phụ lục I" beside the overdue tasks' "Phụ lục II", else "Phụ lục"."""
    return "Phụ lục I" if report.overall.overdue else "Phụ lục"


def group_title(index: int, agency: dict, counts: GridCounts, overdue: bool = False) -> str:
    """An appendix's row for a lead agency: "I. Bộ Tài chính (5 nhiệm vụ, 3 quá hạn)"; in the appendix of overdue
    tasks "I. Bộ Tài chính (3 nhiệm vụ quá hạn, lâu nhất 120 ngày)" (see overdue_count)."""
    if overdue:
        return f"{roman(index)}. {agency['name']} ({overdue_count(counts)})"
    late = f", {vn_number(counts.overdue)} quá hạn" if counts.overdue else ""
    return f"{roman(index)}. {agency['name']} ({vn_number(counts.total)} nhiệm vụ{late})"


def appendix_items(report: Report, rows: Iterable[Row], overdue: bool = False) -> Iterator[str | Row]:
    """An appendix table's lines in order: each lead agency's title (a str, see group_title) before its first row,
    then the rows (Row) as they come; in the appendix of overdue tasks (`rows` are those alone) numbered anew."""
    groups = {}
    for agency, counts in report.agencies:
        if counts.overdue or not overdue:
            groups[agency["id"]] = (len(groups) + 1, agency, counts)
    current = None
    for number, row in enumerate(rows, 1):
        if row.agency_id != current:
            current = row.agency_id
            if current in groups:
                yield group_title(*groups[current], overdue=overdue)
        yield replace(row, number=number) if overdue else row


class Spool:
    """The overdue rows set aside while the list is written, for the appendix of overdue tasks: pickled into a
    temporary file that goes to disk past a few megabytes, so a long list is never held in memory."""

    def __init__(self):
        self.file = tempfile.SpooledTemporaryFile(max_size=4 << 20)  # noqa: SIM115 - closed on leaving `with`

    def __enter__(self) -> "Spool":
        return self

    def __exit__(self, *_) -> None:
        self.file.close()

    def keep(self, rows: Iterable[Row]) -> Iterator[Row]:
        """The rows as they come, each overdue one kept."""
        for row in rows:
            if row.overdue_task:
                pickle.dump(row, self.file, protocol=pickle.HIGHEST_PROTOCOL)
            yield row

    def __iter__(self) -> Iterator[Row]:
        self.file.seek(0)
        while True:
            try:
                yield pickle.load(self.file)  # noqa: S301 - rows this process wrote a moment ago
            except EOFError:
                return


def row_status_lines(row: Row) -> list[tuple[str, bool]]:
    """The status cell's lines and whether each is bold: the delay, and a request awaiting a decision, stand out."""
    return [(line, line.startswith(("quá hạn", "chậm báo cáo", "Đang đề nghị"))) for line in row.status_lines]


def content_lines(row: Row) -> list[tuple[str, bool]]:
    """The task's content, a priority task marked above it in bold."""
    return [(PRIORITY_MARK, True), (row.title, False)] if row.priority else [(row.title, False)]


# ---------------------------------------------------------------- body


@dataclass(frozen=True)
class Block:
    """A piece of the report's body: a heading, a paragraph, a list item, a table, or a part the office writes."""

    kind: str  # "heading" | "subheading" | "paragraph" | "item" | "placeholder" | "grid" | "agencies" | "indicators"
    text: str = ""


def _counts(counts: GridCounts) -> list[int]:
    return [counts.total, counts.on_time, counts.late, counts.in_time, counts.overdue]


def _signed(value: int) -> str:
    return f"+{vn_number(value)}" if value > 0 else f"-{vn_number(-value)}" if value < 0 else "0"


def rate_change(before: GridCounts, after: GridCounts) -> float:
    """The change of the completion rate in percentage points, between the two rates as printed (one decimal each),
    so that every document gives the figure its own rates show."""
    return round(round(100 * after.rate, 1) - round(100 * before.rate, 1), 1)


def _points(before: GridCounts, after: GridCounts) -> str:
    """The change of the completion rate, in percentage points with one decimal: "+25,9 điểm %"."""
    change = rate_change(before, after)
    if abs(change) < 0.05:
        return "0"
    return f"{'+' if change > 0 else '-'}{vn_decimal(abs(change), 1)} điểm %"


def _previous_label(report: Report) -> str:
    return f"Đến hết ngày {dmy(report.previous.day)} (phiên họp trước)"


def compared(report: Report) -> bool:
    """Whether the report counts its change since the previous meeting: there was one, and the scope had tasks then."""
    return report.previous is not None and report.previous.overall.total > 0


def grid_values(report: Report) -> list[list]:
    """The results as values (the XLSX's numbers): a row for the day, and when compared, for the previous meeting and
    the change; the columns of COUNT_HEADINGS, the rate as a fraction (its change in percentage points)."""
    o = report.overall
    lines = [[f"Đến hết ngày {dmy(report.as_of)}", *_counts(o), o.rate]]
    if compared(report):
        p = report.previous.overall
        lines.append([_previous_label(report), *_counts(p), p.rate])
        lines.append(["Tăng (+), giảm (-)", *(a - b for a, b in zip(_counts(o), _counts(p), strict=True)),
                      rate_change(p, o)])
    return lines


def grid_lines(report: Report) -> list[list[str]]:
    """The results as the documents print them: the headings, then each row in words and figures."""
    lines = [["", *COUNT_HEADINGS]]
    o = report.overall
    lines.append([f"Đến hết ngày {dmy(report.as_of)}", *map(vn_number, _counts(o)), vn_rate(o.completed, o.total)])
    if compared(report):
        p = report.previous.overall
        lines.append([_previous_label(report), *map(vn_number, _counts(p)), vn_rate(p.completed, p.total)])
        lines.append(["Tăng (+), giảm (-)", *(_signed(a - b) for a, b in zip(_counts(o), _counts(p), strict=True)),
                      _points(p, o)])
    return lines


def agency_lines(report: Report) -> list[list[str]]:
    """The table per lead agency (in the list's order, most overdue first), its "Tổng cộng" row adding each column
    alone."""
    lines = [["STT", "Cơ quan chủ trì", *COUNT_HEADINGS]]
    for i, (agency, counts) in enumerate(report.agencies, 1):
        lines.append([str(i), agency["name"], *map(vn_number, _counts(counts)),
                      vn_rate(counts.completed, counts.total)])
    o = report.overall
    lines.append(["", "Tổng cộng", *map(vn_number, _counts(o)), vn_rate(o.completed, o.total)])
    return lines


def _change(what: str, before: int, after: int) -> str:
    if after > before:
        return f"{what} tăng {vn_number(after - before)} (từ {vn_number(before)} lên {vn_number(after)})"
    if after < before:
        return f"{what} giảm {vn_number(before - after)} (từ {vn_number(before)} xuống {vn_number(after)})"
    return f"{what} không đổi ({vn_number(after)})"


def rate_sentence(report: Report) -> str:
    """The completion rate, and its change since the previous meeting (the day the previous report ran to)."""
    o = report.overall
    if not o.total:
        return "Chưa có nhiệm vụ nào trong phạm vi báo cáo đến hết ngày này, nên chưa có tỷ lệ hoàn thành."
    sentence = f"Tỷ lệ hoàn thành đạt {vn_rate(o.completed, o.total)} ({vn_number(o.completed)}/" \
               f"{vn_number(o.total)} nhiệm vụ)."
    previous = report.previous
    if previous is None:
        return sentence
    when = f"ngày {dmy(previous.day)} ({previous.meeting_name})"
    if not compared(report):
        return f"{sentence} Đến hết {when}, chưa có nhiệm vụ nào trong phạm vi báo cáo này, nên chưa có số liệu kỳ " \
               f"trước để so sánh."
    p = previous.overall
    parts = [_change("số nhiệm vụ", p.total, o.total)] if p.total != o.total else []
    parts += [_change("số nhiệm vụ đã hoàn thành", p.completed, o.completed),
              _change("số nhiệm vụ quá hạn chưa hoàn thành", p.overdue, o.overdue)]
    rate_before, rate_after = vn_rate(p.completed, p.total), vn_rate(o.completed, o.total)
    rate = f"tỷ lệ hoàn thành từ {rate_before} lên {rate_after}" if o.rate > p.rate else \
        f"tỷ lệ hoàn thành từ {rate_before} xuống {rate_after}" if o.rate < p.rate else \
        f"tỷ lệ hoàn thành không đổi ({rate_after})"
    return f"{sentence} So với số liệu đến hết {when}: {', '.join(parts)}; {rate}."


def priority_sentence(report: Report) -> str:
    p = report.overall.priority
    if not p.total:
        return "Không có nhiệm vụ nào trong phạm vi báo cáo được xác định là nhiệm vụ trọng tâm."
    n = vn_number
    return (f"Trong {n(report.overall.total)} nhiệm vụ có {n(p.total)} nhiệm vụ trọng tâm (ghi “{PRIORITY_MARK}” "
            f"tại {list_appendix(report)}): {n(p.completed)} nhiệm vụ đã hoàn thành (đúng hạn {n(p.on_time)}, quá "
            f"hạn {n(p.late)}), {n(p.not_completed)} nhiệm vụ chưa hoàn thành (trong hạn {n(p.in_time)}, quá hạn "
            f"{n(p.overdue)}); tỷ lệ hoàn thành {vn_rate(p.completed, p.total)}.")


def overdue_count(counts: GridCounts) -> str:
    """"3 nhiệm vụ quá hạn, lâu nhất 120 ngày"; "1 nhiệm vụ quá hạn 39 ngày"."""
    if counts.overdue == 1:
        return f"1 nhiệm vụ quá hạn {vn_number(counts.longest_overdue)} ngày"
    return f"{vn_number(counts.overdue)} nhiệm vụ quá hạn, lâu nhất {vn_number(counts.longest_overdue)} ngày"


def overdue_lines(report: Report) -> list[str]:
    """"Bộ X: 3 nhiệm vụ quá hạn, lâu nhất 120 ngày", most overdue first (the report's agencies are in that order)."""
    return [f"{agency['name']}: {overdue_count(counts)}" for agency, counts in report.agencies if counts.overdue]


def _items(lines: list[str]) -> list[Block]:
    return [Block("item", f"- {line}{';' if i < len(lines) - 1 else '.'}") for i, line in enumerate(lines)]


def pending_part(report: Report, number: int) -> list[Block]:
    """The requests to move a deadline or withdraw a task that await the secretariat's decision at the end of the
    day, how many of each, and whose."""
    blocks = [Block("heading", f"{roman(number)}. CÁC ĐỀ NGHỊ ĐIỀU CHỈNH CHỜ QUYẾT ĐỊNH")]
    total = report.pending_total
    as_of = dmy(report.as_of)
    if not total.total:
        return [*blocks, Block("paragraph", f"Đến hết ngày {as_of}, không có đề nghị lùi thời hạn hay rút nhiệm vụ "
                                            f"nào chờ quyết định.")]

    def kinds(pending) -> str:
        parts = [f"{vn_number(pending.extend)} đề nghị lùi thời hạn" if pending.extend else "",
                 f"{vn_number(pending.withdraw)} đề nghị rút nhiệm vụ" if pending.withdraw else ""]
        return ", ".join(part for part in parts if part)

    blocks.append(Block("paragraph", f"Đến hết ngày {as_of}, có {vn_number(total.total)} đề nghị điều chỉnh chờ "
                                     f"quyết định ({kinds(total)}, ghi tại cột “Tình trạng” của "
                                     f"{list_appendix(report)}), của {vn_number(len(report.pending))} cơ quan chủ "
                                     f"trì:"))
    return blocks + _items([f"{agency['name']}: {kinds(report.pending[agency['id']])}"
                            for agency, _ in report.agencies if agency["id"] in report.pending])


def standing_tasks_part(report: Report, number: int) -> list[Block]:
    """The part on standing tasks ("thường xuyên", "hằng năm", "hằng quý"): they have no deadline, so they are out of
    the grid and judged by whether their periodic reports come on time. No standing task, no part."""
    standing = report.overall.standing
    if not standing:
        return []
    blocks = [Block("heading", f"{roman(number)}. CÁC NHIỆM VỤ THƯỜNG XUYÊN")]
    late = [(agency, counts.standing_late) for agency, counts in report.agencies if counts.standing_late]
    if not late:
        blocks.append(Block("paragraph", f"Có {vn_number(standing)} nhiệm vụ thường xuyên (không có thời hạn hoàn "
                                         f"thành, theo dõi theo kỳ báo cáo); các cơ quan chủ trì đều báo cáo đúng kỳ."))
        return blocks
    blocks.append(Block("paragraph", f"Có {vn_number(standing)} nhiệm vụ thường xuyên (không có thời hạn hoàn thành, "
                                     f"theo dõi theo kỳ báo cáo), trong đó {vn_number(report.overall.standing_late)} "
                                     f"nhiệm vụ chậm báo cáo định kỳ, của {vn_number(len(late))} cơ quan chủ trì:"))
    late.sort(key=lambda pair: -pair[1])
    return blocks + _items([f"{agency['name']}: {vn_number(count)} nhiệm vụ chậm báo cáo định kỳ"
                            for agency, count in late])


# The parts only the office can write: a heading and what goes under it, for the office to replace.
ASSESSMENT = ("ĐÁNH GIÁ CHUNG", "[Phần này do cơ quan báo cáo viết: kết quả nổi bật; tồn tại, hạn chế và nguyên "
                                "nhân; đánh giá việc thực hiện của các cơ quan chủ trì.]")
PROPOSALS = ("KIẾN NGHỊ, ĐỀ XUẤT", "[Phần này do cơ quan báo cáo viết: kiến nghị, đề xuất với người chủ trì phiên "
                                   "họp — đôn đốc các cơ quan có nhiệm vụ quá hạn, quyết định các đề nghị điều chỉnh, "
                                   "giao nhiệm vụ mới.]")


def body_blocks(report: Report, settings: DocumentSettings) -> list[Block]:
    """The report's body, in the order and the words of the Government's reports."""
    as_of = dmy(report.as_of)
    what = report.title[0].lower() + report.title[1:]
    overdue = overdue_lines(report)
    blocks = [Block("paragraph", f"{settings.issuing_body} báo cáo {what}, số liệu đến hết ngày {as_of}, như sau:"),
              Block("heading", "I. KẾT QUẢ THỰC HIỆN"),
              Block("subheading", "1. Kết quả chung"), Block("paragraph", report.sentence),
              Block("paragraph", rate_sentence(report)), Block("grid"),
              Block("subheading", "2. Các nhiệm vụ trọng tâm"), Block("paragraph", priority_sentence(report)),
              Block("subheading", "3. Kết quả theo cơ quan chủ trì"),
              Block("paragraph", "Các cơ quan có nhiệm vụ quá hạn chưa hoàn thành xếp trước:" if report.overall.overdue
                    else "Không cơ quan nào có nhiệm vụ quá hạn chưa hoàn thành:" if report.overall.total
                    else "Chưa có nhiệm vụ nào được giao cho cơ quan chủ trì trong phạm vi báo cáo."),
              Block("agencies"),
              Block("heading", "II. CÁC NHIỆM VỤ CHƯA HOÀN THÀNH, QUÁ HẠN")]
    if overdue:
        blocks.append(Block("paragraph", f"Có {vn_number(report.overall.overdue)} nhiệm vụ chưa hoàn thành đã quá "
                                         f"hạn, của {vn_number(len(overdue))} cơ quan chủ trì (danh sách tại Phụ lục "
                                         f"II):"))
        blocks += _items(overdue)
    else:
        blocks.append(Block("paragraph", f"Đến hết ngày {as_of}, không có nhiệm vụ chưa hoàn thành nào quá hạn."))
    number = 3
    for part in (pending_part, standing_tasks_part, indicators_part):
        found = part(report, number)
        blocks += found
        number += bool(found)
    for heading, placeholder in (ASSESSMENT, PROPOSALS):
        blocks += [Block("heading", f"{roman(number)}. {heading}"), Block("placeholder", placeholder)]
        number += 1
    blocks.append(Block("paragraph", "Chi tiết từng nhiệm vụ tại Phụ lục I, các nhiệm vụ quá hạn chưa hoàn thành "
                                     "tại Phụ lục II kèm theo./." if overdue else
                                     "Chi tiết từng nhiệm vụ tại Phụ lục kèm theo./."))
    return blocks


def indicators_part(report: Report, number: int) -> list[Block]:
    """The indicators of the scope as of the report's day ("Chỉ tiêu", app/reports/indicators.py): how many, by
    status, then the table (a block of its own, drawn by each writer). No indicator in scope, no part."""
    section = report.indicators
    if not section:
        return []
    return [Block("heading", f"{roman(number)}. TÌNH HÌNH THỰC HIỆN CÁC CHỈ TIÊU"),
            Block("paragraph", f"Số liệu đến hết ngày {dmy(report.as_of)}. {section.sentence}"),
            Block("indicators")]


def roman(number: int) -> str:
    out = []
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


# ---------------------------------------------------------------- measures


@lru_cache(maxsize=64)
def text_width_cm(text: str, size: float, bold: bool = False) -> float:
    """How wide a line of Times New Roman is, for the lines drawn under the issuing body and the motto. Measured
    with the Times metrics reportlab ships (no font file needed): a Vietnamese letter is as wide as its base
    letter, so the accents are dropped first."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    base = without_marks(text).encode("cp1252", "replace").decode("cp1252")
    return stringWidth(base, "Times-Bold" if bold else "Times-Roman", size) / 72 * 2.54

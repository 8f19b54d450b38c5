"""The completion report as an administrative document (Nghị định 30/2020/NĐ-CP, công tác văn thư): the words and the
measures the DOCX and the PDF writers share, so both give the same document.

Layout: the report itself on A4 portrait — the header block (issuing body and number on the left, Quốc hiệu, Tiêu
ngữ, place and date on the right), "BÁO CÁO" and its summary, the body, the signature and "Nơi nhận" — then the list
as its appendix ("Phụ lục") on A4 landscape, in one table whose header row repeats on every page."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import lru_cache

from app.reports.completion import Report, Row, text_date
from app.reports.schemas import DocumentSettings
from app.reports.service import GridCounts
from app.text import without_marks

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DOCUMENT_TYPE = "BÁO CÁO"
TYPE_SYMBOL = "BC"  # the "BC" of "15/BC-TGV"
BLANK = "\u00a0" * 6  # a space to be filled in by hand; non-breaking, so neither Word nor reportlab drops it
FONT = "Times New Roman"  # the PDF embeds Liberation Serif, which has the same widths

# Sizes in points, within what Nghị định 30/2020 allows; Quốc hiệu at 12 so that it holds on one line.
HEADER_SIZE, NATIONAL_SIZE, MOTTO_SIZE, NUMBER_SIZE = 13, 12, 13, 13
BODY_SIZE = 13  # 13 rather than 14: a one-page report keeps its signature on its page
RECIPIENTS_TITLE_SIZE, RECIPIENTS_SIZE = 12, 11
TABLE_SIZE = 10.5
LEADING = 1.15  # Word's single line spacing for Times New Roman, as a multiple of the size

# Pages, in cm: margins as Nghị định 30/2020 gives them (top and bottom 2-2.5, left 3-3.5, right 1.5-2).
PORTRAIT = {"width": 21.0, "height": 29.7, "top": 2.0, "bottom": 2.0, "left": 3.0, "right": 1.5}
LANDSCAPE = {"width": 29.7, "height": 21.0, "top": 2.0, "bottom": 1.5, "left": 2.0, "right": 1.5}
PORTRAIT_TEXT_CM = PORTRAIT["width"] - PORTRAIT["left"] - PORTRAIT["right"]  # 16.5
LANDSCAPE_TEXT_CM = LANDSCAPE["width"] - LANDSCAPE["left"] - LANDSCAPE["right"]  # 26.2
SIGNATURE_SPACE_CM = 2.2  # room to sign and stamp between the position and the name
HEADER_COLUMNS_CM = (6.6, 9.9)  # body and number | Quốc hiệu, Tiêu ngữ and date; also the signature block's columns
GRID_COLUMNS_CM = (5.4, 3.7, 3.7, 3.7)
# The indicators' table in the report: STT | mã | chỉ tiêu | mục tiêu | số liệu mới nhất | tình trạng
INDICATOR_COLUMNS_CM = (1.0, 2.1, 4.0, 2.6, 3.9, 2.9)
# The appendix table: STT | văn bản giao | nội dung | chủ trì | phối hợp | thời hạn | sản phẩm | tình hình | tình trạng
LIST_COLUMNS_CM = (1.0, 2.8, 5.3, 2.2, 2.4, 2.1, 3.9, 4.3, 2.2)
CELL_PADDING_CM = (0.08, 0.12)  # top/bottom, left/right: the same in Word and in the PDF
GRID_PADDING_CM = (0.1, 0.15)
OVERDUE_FILL = "FCE4E4"  # red is overdue (the trackers' colour), light enough to print
GROUP_FILL = "EDEDED"
HEADER_FILL = "DDEBF7"
LINK_COLOUR = "0563C1"
assert abs(sum(LIST_COLUMNS_CM) - LANDSCAPE_TEXT_CM) < 1e-9 and abs(sum(HEADER_COLUMNS_CM) - PORTRAIT_TEXT_CM) < 1e-9
assert abs(sum(INDICATOR_COLUMNS_CM) - PORTRAIT_TEXT_CM) < 1e-9


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
    """"Số: 15/BC-TGV"; a bare "15" gets its symbol; no number leaves a blank before the slash."""
    symbol = f"{TYPE_SYMBOL}-{settings.symbol}"
    number = settings.number
    if not number:
        return f"Số:{BLANK}/{symbol}"
    return f"Số: {number}" if "/" in number else f"Số: {number}/{symbol}"


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


def appendix_lines(report: Report, settings: DocumentSettings) -> tuple[str, str, str]:
    """"Phụ lục", its title, and "(Kèm theo Báo cáo số ... ngày ... của ...)"."""
    day = text_date(settings.issued_on) if settings.issued_on else f"{BLANK}/{BLANK}/{BLANK}"
    reference = f"(Kèm theo Báo cáo số {_number(settings)} ngày {day} của {settings.issuing_body})"
    title = f"DANH SÁCH NHIỆM VỤ VÀ TÌNH HÌNH THỰC HIỆN ĐẾN HẾT NGÀY {text_date(report.as_of)}"
    return "Phụ lục", title, reference


# ---------------------------------------------------------------- body


@dataclass(frozen=True)
class Block:
    """A piece of the report's body: a heading, a paragraph, a list item, or the grid."""

    kind: str  # "heading" | "paragraph" | "item" | "grid" | "indicators" (the indicators' table)
    text: str = ""


def grid_lines(report: Report) -> list[list]:
    o = report.overall
    return [["", "Tổng số", "Đúng hạn / Trong hạn", "Quá hạn"],
            ["Đã hoàn thành", o.completed, o.on_time, o.late],
            ["Chưa hoàn thành", o.not_completed, o.in_time, o.overdue],
            ["Tổng cộng", o.total, o.on_time + o.in_time, o.late + o.overdue]]


def overdue_lines(report: Report) -> list[str]:
    """"Bộ X: 3 nhiệm vụ quá hạn, lâu nhất 120 ngày", most overdue first (the report's agencies are in that order)."""
    lines = []
    for agency, counts in report.agencies:
        if counts.overdue == 1:
            lines.append(f"{agency['name']}: 1 nhiệm vụ quá hạn {counts.longest_overdue} ngày")
        elif counts.overdue:
            lines.append(f"{agency['name']}: {counts.overdue} nhiệm vụ quá hạn, lâu nhất {counts.longest_overdue} ngày")
    return lines


def standing_tasks_part(report: Report, number: int) -> list[Block]:
    """The part on standing tasks ("thường xuyên", "hằng năm", "hằng quý"): they have no deadline, so they are out of
    the grid and judged by whether their periodic reports come on time. No standing task, no part."""
    standing = report.overall.standing
    if not standing:
        return []
    blocks = [Block("heading", f"{roman(number)}. CÁC NHIỆM VỤ THƯỜNG XUYÊN")]
    late = [(agency, counts.standing_late) for agency, counts in report.agencies if counts.standing_late]
    if not late:
        blocks.append(Block("paragraph", f"Có {standing} nhiệm vụ thường xuyên (không có thời hạn hoàn thành, theo dõi "
                                         f"theo kỳ báo cáo); các cơ quan chủ trì đều báo cáo đúng kỳ."))
        return blocks
    blocks.append(Block("paragraph", f"Có {standing} nhiệm vụ thường xuyên (không có thời hạn hoàn thành, theo dõi "
                                     f"theo kỳ báo cáo), trong đó {report.overall.standing_late} nhiệm vụ chậm báo "
                                     f"cáo định kỳ, của {len(late)} cơ quan chủ trì:"))
    late.sort(key=lambda pair: -pair[1])
    blocks += [Block("item", f"- {agency['name']}: {count} nhiệm vụ chậm báo cáo định kỳ"
                             f"{';' if i < len(late) - 1 else '.'}") for i, (agency, count) in enumerate(late)]
    return blocks


def body_blocks(report: Report, settings: DocumentSettings) -> list[Block]:
    """The report's body, in the order and the words of the Government's reports."""
    as_of = text_date(report.as_of)
    what = report.title[0].lower() + report.title[1:]
    blocks = [Block("paragraph", f"{settings.issuing_body} báo cáo {what}, số liệu đến hết ngày {as_of}, như sau:"),
              Block("heading", "I. KẾT QUẢ THỰC HIỆN"), Block("paragraph", report.sentence), Block("grid")]
    overdue = overdue_lines(report)
    blocks.append(Block("heading", "II. CÁC NHIỆM VỤ CHƯA HOÀN THÀNH, QUÁ HẠN"))
    if overdue:
        blocks.append(Block("paragraph", f"Có {report.overall.overdue} nhiệm vụ chưa hoàn thành đã quá hạn, của "
                                         f"{len(overdue)} cơ quan chủ trì:"))
        blocks += [Block("item", f"- {line}{';' if i < len(overdue) - 1 else '.'}") for i, line in enumerate(overdue)]
    else:
        blocks.append(Block("paragraph", f"Đến hết ngày {as_of}, không có nhiệm vụ chưa hoàn thành nào quá hạn."))
    standing = standing_tasks_part(report, number=3)
    blocks += standing
    blocks += indicators_part(report, number=4 if standing else 3)
    blocks.append(Block("paragraph", "Chi tiết từng nhiệm vụ tại Phụ lục kèm theo./."))
    return blocks


def indicators_part(report: Report, number: int) -> list[Block]:
    """The indicators of the scope as of the report's day ("Chỉ tiêu", app/reports/indicators.py): how many, by
    status, then the table (a block of its own, drawn by each writer). No indicator in scope, no part."""
    section = report.indicators
    if not section:
        return []
    return [Block("heading", f"{roman(number)}. TÌNH HÌNH THỰC HIỆN CÁC CHỈ TIÊU"),
            Block("paragraph", f"Số liệu đến hết ngày {text_date(report.as_of)}. {section.sentence}"),
            Block("indicators")]


def group_title(index: int, agency: dict, counts: GridCounts) -> str:
    """The appendix's row for a lead agency: "I. Bộ Tài chính (5 nhiệm vụ, 3 quá hạn)"."""
    overdue = f", {counts.overdue} quá hạn" if counts.overdue else ""
    return f"{roman(index)}. {agency['name']} ({counts.total} nhiệm vụ{overdue})"


def appendix_items(report: Report, rows: Iterable[Row]) -> Iterator[str | Row]:
    """The appendix table's lines in order: each lead agency's title (a str, see group_title) before its first row,
    then the rows (Row) as they come."""
    groups = {agency["id"]: (i, agency, counts) for i, (agency, counts) in enumerate(report.agencies, 1)}
    current = None
    for row in rows:
        if row.agency_id != current:
            current = row.agency_id
            if current in groups:
                yield group_title(*groups[current])
        yield row


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

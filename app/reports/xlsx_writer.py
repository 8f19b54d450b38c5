"""The completion list as a workbook for people who sort and filter (openpyxl, write-only: rows go to disk as they
come): real dates, numbers as numbers, an autofilter on every list, the grid in numeric columns."""

import math
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.reports import document as doc
from app.reports import indicators
from app.reports.completion import Report, Row
from app.reports.reproducible import fix_zip
from app.reports.schemas import DocumentSettings
from app.text import without_marks

DATE_FORMAT = "dd/mm/yyyy"
# The list's columns: one value each, typed, so that each can be sorted and filtered on its own. Widths as lean as
# the values allow: the sheet prints fitted to the width of an A4 landscape page.
LIST_COLUMNS = (
    ("STT", 6), ("Văn bản giao", 13), ("Ngày văn bản", 11), ("Mục trong văn bản giao", 8), ("Nội dung nhiệm vụ", 34),
    ("Nhiệm vụ trọng tâm", 9), ("Cơ quan chủ trì", 16), ("Người chịu trách nhiệm", 16), ("Cơ quan phối hợp", 16),
    ("Thời hạn", 11), ("Thời hạn ban đầu", 11), ("Sản phẩm", 22), ("Tình hình thực hiện", 30), ("Tiến độ (%)", 8),
    ("Sản phẩm đã có (số, ngày)", 16), ("Liên kết", 14), ("Tình trạng", 15), ("Đúng hạn / Trong hạn / Quá hạn", 10),
    ("Số ngày quá hạn", 8), ("Đề nghị điều chỉnh chờ quyết định", 16),
)
_DATE_COLUMNS = frozenset(i for i, (name, _) in enumerate(LIST_COLUMNS) if name in ("Ngày văn bản", "Thời hạn",
                                                                                     "Thời hạn ban đầu"))
AGENCY_COLUMNS = ("Cơ quan chủ trì", *doc.COUNT_HEADINGS[:5], "Quá hạn lâu nhất (ngày)",
                  doc.COUNT_HEADINGS[5], "Nhiệm vụ trọng tâm", "Đề nghị điều chỉnh chờ quyết định")
# The indicators' sheet ("Chỉ tiêu"), when the scope has any: typed values, the status in words.
INDICATOR_COLUMNS = (
    ("STT", 6), ("Mã", 12), ("Tên chỉ tiêu", 50), ("Nhóm", 18), ("Cơ quan báo cáo", 26), ("Đơn vị", 10),
    ("Kỳ mục tiêu", 11), ("Mục tiêu", 11), ("Kỳ số liệu", 11), ("Số liệu", 11), ("Tử số", 11), ("Mẫu số", 11),
    ("Chính thức / ước tính", 14), ("Tình trạng", 18),
)
SUMMARY, LISTING, OVERDUE = "Tổng hợp", "Danh sách", "Quá hạn"  # the sheets before those of each lead agency
SHEET_LIMIT = 31  # characters Excel allows in a sheet name
_NOT_IN_SHEET_NAMES = str.maketrans({ch: " " for ch in "[]:*?/\\"})

# How a row's height is judged (points): wide enough for its longest wrapped value, so that nothing overprints the
# row below, in Excel or in LibreOffice, which both take a row's stored height as it is.
LINE_HEIGHT = 15.0  # Calibri 11, the workbook's font
# Letters of Vietnamese text a unit of column width holds (a unit is one "0" wide): LibreOffice without Calibri shows
# about 1.1, Excel with Calibri about 1.3; a row a little too tall is better than one overprinted.
CHARACTERS_PER_WIDTH = 1.05


def sheet_title(name: str, used: set[str]) -> str:
    """A sheet per lead agency, named by rule: the agency's name if it fits in Excel's 31 characters, else its
    Vietnamese short name (short_name_vi: "Bộ LĐ-TB&XH"), else that cut after the last whole word that fits; then
    made unique (Excel ignores case)."""

    def tidy(text: str) -> str:
        return " ".join((text or "").translate(_NOT_IN_SHEET_NAMES).split()).strip("'")

    name = tidy(name) or "Cơ quan"
    title = name if len(name) <= SHEET_LIMIT else _cut_at_word(tidy(short_name_vi(name)), SHEET_LIMIT)
    base, n = title, 2
    while title.casefold() in used:
        suffix = f" ({n})"
        title, n = _cut_at_word(base, SHEET_LIMIT - len(suffix)) + suffix, n + 1
    used.add(title.casefold())
    return title


# What an agency's name starts with, saying what kind of body it is: kept whole in a short name ("Bộ", "Viện Hàn
# lâm"), longest first. The rest of the name is written by its initials, as officials write "Bộ NN&PTNT".
_KINDS = sorted(("Bộ", "Ban", "Ban Chỉ đạo", "Bảo hiểm", "Cục", "Đài", "Hội đồng", "Kiểm toán", "Ngân hàng", "Sở",
                 "Tập đoàn", "Thanh tra", "Thành phố", "Thông tấn xã", "Tỉnh", "Tòa án", "Tổ giúp việc", "Tổng cục",
                 "Tổng công ty", "Ủy ban", "Ủy ban nhân dân", "Văn phòng", "Viện", "Viện Hàn lâm", "Viện kiểm sát"),
                key=len, reverse=True)
_PLACES = ("tỉnh ", "thành phố ", "huyện ", "quận ", "thị xã ", "xã ", "phường ")  # a place's name is kept whole
_SMALL_WORDS = frozenset({"tại", "về", "của", "trong", "cho"})  # kept as words between the initials
_WHOLE = ("Việt Nam",)  # kept whole at the end, as in "Viện Hàn lâm KH&CN Việt Nam"


def _initials(words: list[str]) -> str:
    """"Lao động - Thương binh và Xã hội" → "LĐ-TB&XH": each word's first letter without its tone (Đ stays Đ), "và"
    as "&", a hyphen kept, the small words and numbers as words."""
    out: list[str] = []
    for word in words:
        folded = word.casefold()
        if folded == "và":
            out.append("&")
        elif word in ("-", "–"):
            out.append("-")
        elif folded in _SMALL_WORDS or word[:1].isdigit():
            out.append(f" {word} ")
        else:
            first = word[:1].upper()
            out.append(first if first == "Đ" else without_marks(first))
    return " ".join("".join(out).split())


def short_name_vi(name: str) -> str:
    """An agency's Vietnamese short name, made from its name as officials shorten it: "Bộ Lao động - Thương binh và
    Xã hội" → "Bộ LĐ-TB&XH", "Viện Hàn lâm Khoa học và Công nghệ Việt Nam" → "Viện Hàn lâm KH&CN Việt Nam", "Ủy ban
    Quản lý vốn nhà nước tại doanh nghiệp" → "Ủy ban QLVNN tại DN", "Ủy ban nhân dân tỉnh Thừa Thiên Huế" → "UBND
    tỉnh Thừa Thiên Huế". Not an acronym from the agency list (those are often English: "VAST", "CMSC")."""
    kind = next((k for k in _KINDS if name.casefold().startswith(k.casefold() + " ")), "")
    rest = name[len(kind):].strip()
    if kind and rest.casefold().startswith(_PLACES):
        return f"{_initials(kind.split())} {rest}"
    tail = next((w for w in _WHOLE if rest.endswith(" " + w)), "")
    words = rest[:len(rest) - len(tail)].split()
    return " ".join(part for part in (kind, _initials(words), tail) if part)


def _cut_at_word(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit + 1].rsplit(" ", 1)[0].rstrip(" ,-–(")
    return cut if cut and len(cut) <= limit else text[:limit]  # one word longer than the limit: nothing else to do


def _list_values(row: Row) -> list:
    evidence = row.evidence
    return [row.number, row.directive_number, row.directive_on, row.clause or None, row.title,
            "Có" if row.priority else None, row.agency_name, row.accountable or None, row.coordinating,
            row.deadline_on, row.original_on, row.deliverable,
            row.note, row.progress_percent, "; ".join(filter(None, (evidence.text if evidence else None,
                                                                    row.files_line))) or None,
            evidence.url if evidence else None, row.state, row.timing, row.late_days if row.late_days else None,
            row.pending or None]


def wrapped_lines(text: str, per_line: float) -> int:
    """How many lines a text takes in a column of `per_line` letters, wrapped between words as a spreadsheet wraps
    it (a word longer than a line broken where it meets the edge)."""
    if len(text) <= per_line and "\n" not in text:
        return 1
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0
        for word in paragraph.split():
            size = len(word)
            if used and used + 1 + size > per_line:
                lines += 1
                used = 0
            if size > per_line:
                more = math.ceil(size / per_line) - 1
                lines += more
                used = size - more * per_line
            else:
                used += size + (1 if used else 0)
    return lines


def row_height(values: list, widths: list[int]) -> float | None:
    """The height a row of wrapped text needs (points), or None when one line will do."""
    lines = 1
    for value, width in zip(values, widths, strict=True):
        if isinstance(value, str) and len(value) > width - 2:
            lines = max(lines, wrapped_lines(value, max(1.0, (width - 1) * CHARACTERS_PER_WIDTH)))
    return None if lines == 1 else round(lines * LINE_HEIGHT + 3, 1)


def print_setup(sheet, *, title_rows: str | None) -> None:
    """A4 landscape, fitted to the page's width (as many pages down as it takes), the header row on every page."""
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_options.horizontalCentered = True
    if title_rows:
        sheet.print_title_rows = title_rows


def _indicator_values(number: int, line: indicators.IndicatorLine) -> list:
    official = None if line.official is None else "Chính thức" if line.official else "Ước tính"
    return [number, line.code, line.name, line.group_name, line.reporting_agency["name"], line.unit,
            line.target_period, line.target_value, line.latest_period, line.latest_value, line.numerator,
            line.denominator, official, line.status_vi]


def write_xlsx(report: Report, rows: Iterator[Row], path: Path, settings: DocumentSettings,
               progress: doc.Progress | None = None) -> None:
    """The document's header, the summary, the results and the table per lead agency first; the whole list; the
    overdue tasks alone; then one sheet per lead agency. Every sheet prints on A4 landscape, fitted to the width."""
    workbook = Workbook(write_only=True)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    header_fill, overdue_fill = PatternFill("solid", fgColor=doc.HEADER_FILL), PatternFill("solid", fgColor="FFC7CE")
    styles: dict[tuple, object] = {}

    def style(font=None, fill=None, number_format=None):
        """A cell style made once and copied into each cell: setting a cell's font, fill or format one by one
        hashes each against the workbook's style lists, which took most of the time of a 100,000-row list."""
        key = (id(font), id(fill), number_format)
        if key not in styles:
            # Styles are registered with the workbook through the cell's sheet: a stand-in sheet will do.
            prototype = Cell(SimpleNamespace(parent=workbook), row=1, column=1)
            prototype.alignment = wrap
            if font:
                prototype.font = font
            if fill:
                prototype.fill = fill
            if number_format:
                prototype.number_format = number_format
            styles[key] = prototype._style
        return styles[key]

    def cell(sheet, value, *, font=None, fill=None, number_format=None):
        value = doc.clean(value)
        made = Cell(sheet, row=1, column=1, value=value, style_array=style(font, fill, number_format))
        if isinstance(value, str) and value.startswith("="):
            made.data_type = "s"  # text, never a formula
        return made

    summary = workbook.create_sheet(SUMMARY)
    print_setup(summary, title_rows=None)
    summary.column_dimensions["A"].width = 40
    for index in range(2, len(AGENCY_COLUMNS) + 1):
        summary.column_dimensions[get_column_letter(index)].width = 14
    summary_widths = [40] + [14] * (len(AGENCY_COLUMNS) - 1)
    summary_row = 0

    def add(values: list, *, across: bool = False) -> None:
        """A line of the summary, its height set for its wrapped text; `across`: a sentence, in cells merged across
        the sheet's width (a wrapped text stays within its cell)."""
        nonlocal summary_row
        summary_row += 1
        texts = [v.value if isinstance(v, Cell) else v for v in values]
        if across:
            summary.merged_cells.add(f"A{summary_row}:{get_column_letter(len(summary_widths))}{summary_row}")
            height = row_height(texts[:1], [sum(summary_widths)])
        else:
            height = row_height(texts + [None] * (len(summary_widths) - len(texts)), summary_widths)
        if height:
            summary.row_dimensions[summary_row].height = height
        summary.append(values)
        summary.row_dimensions.pop(summary_row, None)  # written: the sheet need not keep it

    if settings.parent_body:
        add([cell(summary, doc.upper(settings.parent_body))])
    add([cell(summary, doc.upper(settings.issuing_body), font=bold)])
    add([cell(summary, doc.number_line(settings))])
    add([])
    add([cell(summary, doc.DOCUMENT_TYPE, font=Font(bold=True, size=13))])
    add([cell(summary, report.title, font=Font(bold=True, size=13))], across=True)
    add([cell(summary, "Số liệu đến hết ngày"), cell(summary, report.as_of, number_format=DATE_FORMAT)])
    for sentence in (report.sentence, doc.rate_sentence(report), doc.priority_sentence(report)):
        add([cell(summary, sentence)], across=True)
    add([])
    add([cell(summary, v, font=bold, fill=header_fill) for v in ["", *doc.COUNT_HEADINGS]])
    for line in doc.grid_values(report):
        # A change of rates is in percentage points, as the documents write it.
        rate_format = '+0.0" điểm %";-0.0" điểm %";0.0" điểm %"' if line[0].startswith("Tăng") else "0.0%"
        add([cell(summary, line[0], font=bold), *line[1:-1], cell(summary, line[-1], number_format=rate_format)])
    add([])
    add([cell(summary, name, font=bold, fill=header_fill) for name in AGENCY_COLUMNS])
    for agency, counts in [*report.agencies, ({"id": None, "name": "Tổng cộng"}, report.overall)]:
        total = agency["id"] is None
        pending = report.pending_total if total else report.pending.get(agency["id"])
        add([cell(summary, agency["name"], font=bold if total else None), counts.total, counts.on_time,
             counts.late, counts.in_time, counts.overdue, counts.longest_overdue or None,
             cell(summary, counts.rate, number_format="0.0%"), counts.priority.total or None,
             pending.total if pending and pending.total else None])

    if report.indicators:
        add([])
        add([cell(summary, indicators.TITLE, font=bold), cell(summary, report.indicators.sentence)])
        sheet = workbook.create_sheet(indicators.TITLE)
        print_setup(sheet, title_rows="1:1")
        sheet.freeze_panes = "A2"
        for index, (_, width) in enumerate(INDICATOR_COLUMNS, 1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.append([cell(sheet, name, font=bold, fill=header_fill) for name, _ in INDICATOR_COLUMNS])
        for number, line in enumerate(report.indicators, 1):
            sheet.append([cell(sheet, v) for v in _indicator_values(number, line)])
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(INDICATOR_COLUMNS))}{len(report.indicators) + 1}"

    widths = [width for _, width in LIST_COLUMNS]
    header_height = row_height([name for name, _ in LIST_COLUMNS], widths)

    def new_list(title: str):
        sheet = workbook.create_sheet(title)
        print_setup(sheet, title_rows="1:1")
        sheet.freeze_panes = "A2"
        for index, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        if header_height:
            sheet.row_dimensions[1].height = header_height
        sheet.append([cell(sheet, name, font=bold, fill=header_fill) for name, _ in LIST_COLUMNS])
        sheet.row_dimensions.pop(1, None)
        return [sheet, 0]

    def append(target: list, values: list, fill, height: float | None) -> None:
        sheet = target[0]
        target[1] += 1
        number = target[1] + 1  # the row on the sheet, under the header
        if height:
            sheet.row_dimensions[number].height = height
        sheet.append([cell(sheet, target[1] if i == 0 else v, fill=fill,
                           number_format=DATE_FORMAT if i in _DATE_COLUMNS else None) for i, v in enumerate(values)])
        sheet.row_dimensions.pop(number, None)  # written: never held for the whole list

    listing = new_list(LISTING)
    overdue = new_list(OVERDUE) if report.overall.overdue else None
    per_agency: dict[int, list] = {}
    used_titles = {SUMMARY.casefold(), LISTING.casefold(), OVERDUE.casefold(), indicators.TITLE.casefold()}
    for row in doc.counted(rows, progress):
        if row.agency_id not in per_agency:
            per_agency[row.agency_id] = new_list(sheet_title(row.agency_name, used_titles))
        values = _list_values(row)
        fill = overdue_fill if row.overdue else None
        height = row_height(values, widths)
        append(listing, values, fill, height)
        if overdue is not None and row.overdue_task:
            append(overdue, values, fill, height)
        append(per_agency[row.agency_id], values, fill, height)
    last_column = get_column_letter(len(LIST_COLUMNS))
    for sheet, count in (listing, *([overdue] if overdue else []), *per_agency.values()):
        sheet.auto_filter.ref = f"A1:{last_column}{count + 1}"
    workbook.properties.creator = settings.issuing_body
    workbook.properties.title = report.title
    workbook.save(path)
    fix_zip(path, doc.metadata_time(report))

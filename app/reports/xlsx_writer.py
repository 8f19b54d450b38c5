"""The completion list as a workbook for people who sort and filter (openpyxl, write-only: rows go to disk as they
come): real dates, numbers as numbers, an autofilter on every list, the grid in numeric columns."""

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from app.reports import document as doc
from app.reports import indicators
from app.reports.completion import Report, Row
from app.reports.reproducible import fix_zip
from app.reports.schemas import DocumentSettings

DATE_FORMAT = "dd/mm/yyyy"
# The list's columns: one value each, typed, so that each can be sorted and filtered on its own.
LIST_COLUMNS = (
    ("STT", 6), ("Văn bản giao", 16), ("Ngày văn bản", 12), ("Nội dung nhiệm vụ", 60), ("Cơ quan chủ trì", 24),
    ("Cơ quan phối hợp", 26), ("Thời hạn", 12), ("Thời hạn ban đầu", 12), ("Sản phẩm", 40),
    ("Tình hình thực hiện", 50), ("Tiến độ (%)", 10), ("Sản phẩm đã có (số, ngày)", 26), ("Liên kết", 30),
    ("Tình trạng", 18), ("Đúng hạn / Trong hạn / Quá hạn", 14), ("Số ngày quá hạn", 10),
)
AGENCY_COLUMNS = ("Cơ quan chủ trì", "Tổng số", "Đã hoàn thành", "Đúng hạn", "Quá hạn", "Chưa hoàn thành",
                  "Trong hạn", "Quá hạn", "Quá hạn lâu nhất (ngày)", "Tỷ lệ hoàn thành")
# The indicators' sheet ("Chỉ tiêu"), when the scope has any: typed values, the status in words.
INDICATOR_COLUMNS = (
    ("STT", 6), ("Mã", 12), ("Tên chỉ tiêu", 50), ("Nhóm", 18), ("Cơ quan báo cáo", 26), ("Đơn vị", 10),
    ("Kỳ mục tiêu", 11), ("Mục tiêu", 11), ("Kỳ số liệu", 11), ("Số liệu", 11), ("Tử số", 11), ("Mẫu số", 11),
    ("Chính thức / ước tính", 14), ("Tình trạng", 18),
)
SHEET_LIMIT = 31  # characters Excel allows in a sheet name
_NOT_IN_SHEET_NAMES = str.maketrans({ch: " " for ch in "[]:*?/\\"})


def sheet_title(name: str, short_name: str, used: set[str]) -> str:
    """A sheet per lead agency, named by rule: the agency's name if it fits in 31 characters, else its short name
    ("BNNPTNT"), else its name cut after the last whole word that fits; then made unique (Excel ignores case)."""

    def tidy(text: str) -> str:
        return " ".join((text or "").translate(_NOT_IN_SHEET_NAMES).split()).strip("'")

    title = next((c for c in (tidy(name), tidy(short_name)) if c and len(c) <= SHEET_LIMIT), None) \
        or _cut_at_word(tidy(name) or "Cơ quan", SHEET_LIMIT)
    base, n = title, 2
    while title.casefold() in used:
        suffix = f" ({n})"
        title, n = _cut_at_word(base, SHEET_LIMIT - len(suffix)) + suffix, n + 1
    used.add(title.casefold())
    return title


def _cut_at_word(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit + 1].rsplit(" ", 1)[0].rstrip(" ,-–(")
    return cut if cut and len(cut) <= limit else text[:limit]  # one word longer than the limit: nothing else to do


def _list_values(row: Row) -> list:
    evidence = row.evidence
    return [row.number, row.directive_number, row.directive_on, row.title, row.agency_name, row.coordinating,
            row.deadline_on, row.original_on, row.deliverable,
            row.note, row.progress_percent, "; ".join(filter(None, (evidence.text if evidence else None,
                                                                    row.files_line))) or None,
            evidence.url if evidence else None, row.state, row.timing, row.late_days if row.late_days else None]


def _indicator_values(number: int, line: indicators.IndicatorLine) -> list:
    official = None if line.official is None else "Chính thức" if line.official else "Ước tính"
    return [number, line.code, line.name, line.group_name, line.reporting_agency["name"], line.unit,
            line.target_period, line.target_value, line.latest_period, line.latest_value, line.numerator,
            line.denominator, official, line.status_vi]


def write_xlsx(report: Report, rows: Iterator[Row], path: Path, settings: DocumentSettings,
               progress: doc.Progress | None = None) -> None:
    """The document's header, the summary, the grid and the per-agency grid first; the whole list; then one sheet
    per lead agency."""
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

    summary = workbook.create_sheet("Tổng hợp")
    summary.column_dimensions["A"].width = 40
    for index in range(2, len(AGENCY_COLUMNS) + 1):
        summary.column_dimensions[get_column_letter(index)].width = 14
    if settings.parent_body:
        summary.append([cell(summary, doc.upper(settings.parent_body))])
    summary.append([cell(summary, doc.upper(settings.issuing_body), font=bold)])
    summary.append([cell(summary, doc.number_line(settings))])
    summary.append([])
    summary.append([cell(summary, doc.DOCUMENT_TYPE, font=Font(bold=True, size=13))])
    summary.append([cell(summary, report.title, font=Font(bold=True, size=13))])
    summary.append([cell(summary, "Số liệu đến hết ngày"), cell(summary, report.as_of, number_format=DATE_FORMAT)])
    summary.append([cell(summary, report.sentence)])
    summary.append([])
    for i, line in enumerate(doc.grid_lines(report)):
        summary.append([cell(summary, v, font=bold if i == 0 or j == 0 else None) for j, v in enumerate(line)])
    summary.append([])
    summary.append([cell(summary, name, font=bold, fill=header_fill) for name in AGENCY_COLUMNS])
    for agency, counts in report.agencies:
        rate = counts.completed / counts.total if counts.total else 0
        summary.append([cell(summary, agency["name"]), counts.total, counts.completed, counts.on_time, counts.late,
                        counts.not_completed, counts.in_time, counts.overdue, counts.longest_overdue or None,
                        cell(summary, rate, number_format="0.0%")])

    if report.indicators:
        summary.append([])
        summary.append([cell(summary, indicators.TITLE, font=bold), cell(summary, report.indicators.sentence)])
        sheet = workbook.create_sheet(indicators.TITLE)
        sheet.freeze_panes = "A2"
        for index, (_, width) in enumerate(INDICATOR_COLUMNS, 1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.append([cell(sheet, name, font=bold, fill=header_fill) for name, _ in INDICATOR_COLUMNS])
        for number, line in enumerate(report.indicators, 1):
            sheet.append([cell(sheet, v) for v in _indicator_values(number, line)])
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(INDICATOR_COLUMNS))}{len(report.indicators) + 1}"

    def new_list(title: str):
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"
        for index, (_, width) in enumerate(LIST_COLUMNS, 1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.append([cell(sheet, name, font=bold, fill=header_fill) for name, _ in LIST_COLUMNS])
        return [sheet, 0]

    date_columns = {2, 6, 7}

    def append(target: list, values: list, fill) -> None:
        sheet = target[0]
        target[1] += 1
        sheet.append([cell(sheet, target[1] if i == 0 else v, fill=fill,
                           number_format=DATE_FORMAT if i in date_columns else None) for i, v in enumerate(values)])

    listing = new_list("Danh sách")
    per_agency: dict[int, list] = {}
    used_titles = {"tổng hợp", "danh sách", indicators.TITLE.casefold()}
    shorts = {agency["id"]: agency.get("short_name", "") for agency, _ in report.agencies}
    for row in doc.counted(rows, progress):
        if row.agency_id not in per_agency:
            title = sheet_title(row.agency_name, shorts.get(row.agency_id, ""), used_titles)
            per_agency[row.agency_id] = new_list(title)
        values = _list_values(row)
        fill = overdue_fill if row.overdue else None
        append(listing, values, fill)
        append(per_agency[row.agency_id], values, fill)
    last_column = get_column_letter(len(LIST_COLUMNS))
    for sheet, count in (listing, *per_agency.values()):
        sheet.auto_filter.ref = f"A1:{last_column}{count + 1}"
    workbook.properties.creator = settings.issuing_body
    workbook.properties.title = report.title
    workbook.save(path)
    fix_zip(path, doc.metadata_time(report))

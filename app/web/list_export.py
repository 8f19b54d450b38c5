"""The task list's current filter as a file (CSV for any tool, XLSX with real dates for sorting and filtering)."""

import csv
import io
from collections.abc import Iterable
from datetime import date

from app import messages
from app.reports.formats import csv_cell

COLUMNS = ("Mã", "Văn bản giao", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn",
           "Thời hạn ban đầu", "Trạng thái", "Tình trạng", "Số ngày quá hạn", "Tiến độ (%)", "Sản phẩm")
MAX_ROWS = 100_000


def _rows(tasks: Iterable[dict], as_of: date | None):
    for task in tasks:
        yield [task["id"], task["directive"]["reference"], task["title"], task["lead_agency"]["name"],
               ", ".join(a["name"] for a in task["coordinating_agencies"]), task["deadline_on"],
               task["original_deadline_on"], messages.status_vi(task["status"]),
               messages.TIMING_VI.get(task["timing"], task["timing"]), task["days_overdue"],
               # On a past day the list shows each task as it stood then; the progress kept on the task is today's,
               # so it is left out rather than shown beside figures of another day.
               None if as_of else task["progress_percent"],
               f"{task['deliverable_type']}: {task['deliverable_description']}"]


def build(tasks: Iterable[dict], fmt: str, as_of: date | None = None) -> bytes:
    """The tasks (as the page presents them, in its order) as a file; `as_of`: as they stood at the end of that past
    day (the progress column is then empty: only today's is kept on a task)."""
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        for row in _rows(tasks, as_of):
            writer.writerow([csv_cell(v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else v) for v in row])
        return buffer.getvalue().encode()
    from openpyxl import Workbook  # loaded by the process that writes a workbook, not at every start-up

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Nhiệm vụ")
    sheet.freeze_panes = "A2"
    sheet.append([_bold(sheet, c) for c in COLUMNS])
    count = 0
    for row in _rows(tasks, as_of):
        # The reports' guard: no formula, and no character XML cannot hold (a title pasted from Word may
        # carry \x0b, which openpyxl refuses).
        sheet.append([_date(sheet, v) if hasattr(v, "strftime") else csv_cell(v) for v in row])
        count += 1
    sheet.auto_filter.ref = f"A1:L{count + 1}"
    for letter, width in zip("ABCDEFGHIJKL", (8, 22, 60, 28, 30, 12, 12, 18, 20, 10, 10, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _date(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "DD/MM/YYYY"
    return cell


def _bold(sheet, value):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell

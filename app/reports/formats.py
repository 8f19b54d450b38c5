"""The completion list as files: CSV (UTF-8 with BOM, comma-separated, for programs and any spreadsheet), the same CSV
for Excel on a Vietnamese Windows (semicolons: the list separator of the vi-VN locale, where the comma is the
decimal mark), XLSX (for sorting and filtering), and the report as an administrative document in the form of Nghị
định 30/2020/NĐ-CP, in DOCX (what an office edits, signs and files) and PDF. Every writer takes (report, rows, path,
settings, progress=None) — the CSV, streamed, comes in chunks from csv_chunks(report, rows, settings, progress,
excel=False) — reads the rows as an iterator and keeps only a bounded part of them in memory; the same list as of the
same day gives the same bytes."""

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from app import messages
from app.config import get_settings
from app.errors import FieldProblem, InvalidInput
from app.reports import indicators
from app.reports.completion import COLUMNS, Report, Row
from app.reports.document import Progress, counted
from app.reports.schemas import DocumentSettings

__all__ = ["check_pdf_size", "csv_chunks", "indicators_csv", "write_docx", "write_pdf", "write_xlsx"]
# A cell starting with one of these is a formula to a spreadsheet: an agency's note must never become one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot hold, and line breaks, as spaces: one line per value keeps the CSV plain.
_CSV_TABLE = {code: " " for code in (*range(0x00, 0x20), 0xFFFE, 0xFFFF)}


def csv_cell(value):
    """A value as a spreadsheet may take it: characters XML 1.0 cannot hold and line breaks as spaces, and a text
    that would start a formula kept as text."""
    if value.__class__ is not str:
        return value
    if not value.isprintable():  # a C-speed test; translate looks every character up in a dict
        value = value.translate(_CSV_TABLE)
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_chunks(report: Report, rows: Iterator[Row], settings: DocumentSettings | None = None,
               progress: Progress | None = None, excel: bool = False) -> Iterator[bytes]:
    """One header row, then the tasks, one line each (links as their address); streamed in chunks of a few hundred
    rows. A CSV has no document header, so the settings change nothing here. `excel`: values separated by
    semicolons, which Excel on a Vietnamese Windows splits into columns when the file is opened with a double click
    (with commas it puts each line in one cell); the BOM tells it the text is UTF-8. No "sep=;" line: Excel reads a
    file that has one as ANSI, BOM or not, and the Vietnamese letters would be garbled."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if excel else ",")
    buffer.write("\ufeff")
    writer.writerow(COLUMNS)
    for count, row in enumerate(counted(rows, progress), 1):
        writer.writerow([csv_cell(v) for v in row.cells()])
        if count % 500 == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    if report.indicators:
        # After the tasks, an empty line, then the indicators ("Chỉ tiêu") as a table of their own.
        writer.writerow([])
        writer.writerow([f"{indicators.TITLE} (số liệu đến hết ngày {messages.vn_date(report.as_of)})"])
        indicator_rows(writer, report.indicators)
    yield buffer.getvalue().encode()


def indicator_rows(writer, section: indicators.IndicatorSection) -> None:
    """The indicators' header row and one line each, worded as the documents word them."""
    writer.writerow(indicators.CSV_COLUMNS)
    for number, line in enumerate(section, 1):
        writer.writerow([csv_cell(v) for v in line.cells(number)])


def indicators_csv(section: indicators.IndicatorSection) -> bytes:
    """GET /reports/indicators?format=csv: the section alone (UTF-8 with BOM, for Excel)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    indicator_rows(csv.writer(buffer), section)
    return buffer.getvalue().encode()


def check_pdf_size(report: Report) -> None:
    """Refuse, before any work, a list longer than a PDF is fit for: it would take minutes and hundreds of pages
    nobody prints. XLSX and CSV write any length."""
    limit = get_settings().pdf_max_rows
    if report.total > limit:
        raise InvalidInput([FieldProblem.of(
            "format", "too_long_for_pdf", total=report.total, limit=limit, total_vi=messages.vn_number(report.total),
            limit_vi=messages.vn_number(limit), type="too_large_for_pdf")])


# The office libraries (python-docx, openpyxl, reportlab) are loaded only by the processes that write such a file:
# the reminder process, the CLI's other commands and a server's start-up never need them (issue 25's import time).
def write_docx(report: Report, rows: Iterator[Row], path: Path, settings: DocumentSettings,
               progress: Progress | None = None) -> None:
    from app.reports import docx_writer

    docx_writer.write_docx(report, rows, path, settings, progress)


def write_xlsx(report: Report, rows: Iterator[Row], path: Path, settings: DocumentSettings,
               progress: Progress | None = None) -> None:
    from app.reports import xlsx_writer

    xlsx_writer.write_xlsx(report, rows, path, settings, progress)


def write_pdf(report: Report, rows: Iterator[Row], path: Path, settings: DocumentSettings,
              progress: Progress | None = None) -> None:
    check_pdf_size(report)
    from app.reports import pdf_writer

    pdf_writer.write_pdf(report, rows, path, settings, progress)

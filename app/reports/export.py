"""The completion list as a file: the one table of formats, and the one way to write one, shared by the API, the CLI
and the web pages."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from app import unit_of_work
from app.access.principal import Principal
from app.reports import completion, formats
from app.reports import service as report_service
from app.reports.service import ReportScope


@dataclass(frozen=True)
class Format:
    media_type: str
    streamed: bool  # written as it is read (CSV); the others are written to a file first
    extension: str
    tail: str = ""  # what the file's name ends with before its extension, to tell two of one extension apart


FORMATS: dict[str, Format] = {
    "csv": Format("text/csv; charset=utf-8", streamed=True, extension="csv"),
    # The CSV for Excel on a Vietnamese Windows: semicolons (formats.csv_chunks).
    "csv-excel": Format("text/csv; charset=utf-8", streamed=True, extension="csv", tail="-excel"),
    "xlsx": Format("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", streamed=False,
                   extension="xlsx"),
    "docx": Format("application/vnd.openxmlformats-officedocument.wordprocessingml.document", streamed=False,
                   extension="docx"),
    "pdf": Format("application/pdf", streamed=False, extension="pdf"),
}
# The formats' names, as `format=` takes them: a format added to the table is offered (and documented) at once.
FormatName = Literal[tuple(FORMATS)]
_WRITERS = {"xlsx": formats.write_xlsx, "docx": formats.write_docx, "pdf": formats.write_pdf}


def filename(scope: ReportScope, as_of: date, extension: str, start: str = "tinh-hinh-thuc-hien",
             everything: str = "nhiem-vu", tail: str = "") -> str:
    what = scope.directives[0].number if scope.directives and len(scope.directives) == 1 else everything
    slug = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in what).strip("-")
    return f"{start}-{slug}-{as_of.isoformat()}{tail}.{extension}"


def list_filename(scope: ReportScope, as_of: date, fmt: str) -> str:
    """The completion list's file name in a format: "tinh-hinh-thuc-hien-128-TB-VPCP-2022-08-08-excel.csv"."""
    return filename(scope, as_of, FORMATS[fmt].extension, tail=FORMATS[fmt].tail)


PAGE_ROWS = 2000  # the report page shows this many tasks; the files hold them all


def page_view(scope: ReportScope, as_of: date, limit: int = PAGE_ROWS) -> tuple[completion.Report,
                                                                               list[completion.Row]]:
    """The report and its first rows, for the report page, from one snapshot (the rows stream through a server-side
    cursor on PostgreSQL, which needs a transaction)."""
    with unit_of_work.snapshot() as session:
        report = completion.build(session=session, as_of=as_of, scope=scope, documents=False)
        found = []
        for row in completion.rows(session=session, report=report):
            found.append(row)
            if len(found) >= limit:
                break
        return report, found


def stream_csv(scope: ReportScope, as_of: date, progress: Callable[[int], None] | None = None,
               fmt: str = "csv") -> Iterator[bytes]:
    """The CSV (`fmt` csv or csv-excel) in chunks, from one snapshot (the summary and the rows always agree)."""
    with unit_of_work.snapshot() as session:
        report = completion.build(session=session, as_of=as_of, scope=scope, documents=False)
        # A CSV has no document header: no document settings to read.
        yield from formats.csv_chunks(report, completion.rows(session=session, report=report), None, progress,
                                      excel=fmt == "csv-excel")


def write(scope: ReportScope, as_of: date, fmt: str, path: Path, principal: Principal,
          progress_for: Callable[[completion.Report], Callable[[int], None] | None] | None = None,
          overrides: dict | None = None) -> str:
    """Writes the list in `fmt` to `path` from one snapshot; returns the summary sentence. `progress_for` gives a
    progress callback once the number of tasks is known (the CLI's progress bar); `overrides`: this export's number,
    date and signer over the document settings of whoever exports (`principal`: the secretariat's, or an agency's own;
    None, the operator on the command line: the secretariat's)."""
    streamed = FORMATS[fmt].streamed  # a CSV: no document header, nor what only a document says
    with unit_of_work.snapshot() as session:
        report = completion.build(session=session, as_of=as_of, scope=scope, documents=not streamed)
        rows = completion.rows(session=session, report=report)
        settings = None if streamed else \
            report_service.with_overrides(report_service.document_settings(session=session, principal=principal),
                                          overrides)
        if fmt == "pdf":
            formats.check_pdf_size(report)  # before the progress bar and before any byte is written
        progress = progress_for(report) if progress_for else None
        if streamed:
            with path.open("wb") as out:
                for chunk in formats.csv_chunks(report, rows, settings, progress, excel=fmt == "csv-excel"):
                    out.write(chunk)
        else:
            _WRITERS[fmt](report, rows, path, settings, progress)
        return report.sentence

"""The completion list as files: CSV (UTF-8 with BOM, for Excel), XLSX, DOCX (A4 landscape, what an office edits and
prints) and PDF. Every writer takes the rows as an iterator and keeps only a bounded part of them in memory."""

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from app.config import get_settings
from app.reports.completion import COLUMNS, Report, Row
from app.webhooks.payloads import vn_date

WIDTHS_CM = (1.1, 2.5, 5.4, 2.4, 2.4, 2.4, 3.3, 4.4, 2.6)  # 26.5 cm: A4 landscape less the margins
XLSX_WIDTHS = (6, 18, 60, 22, 24, 18, 36, 50, 24)
Progress = Callable[[int], None]
# A cell starting with one of these is a formula to a spreadsheet: an agency's note must never become one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (XLSX, DOCX) cannot hold, as spaces: a note pasted from Word may carry them (\x0b).
_ILLEGAL_TABLE = {code: " " for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)}


def _clean(value):
    return value.translate(_ILLEGAL_TABLE) if isinstance(value, str) else value


def _csv_cell(value):
    if value.__class__ is not str:
        return value
    value = value.translate(_ILLEGAL_TABLE)
    return "'" + value if value.startswith(_FORMULA_START) else value


def _grid_lines(report: Report) -> list[list]:
    o = report.overall
    return [["", "Tổng số", "Đúng hạn / Trong hạn", "Quá hạn"],
            ["Đã hoàn thành", o.completed, o.on_time, o.late],
            ["Chưa hoàn thành", o.not_completed, o.in_time, o.overdue],
            ["Tổng cộng", o.total, "", ""]]


def _counted(rows: Iterator[Row], progress: Progress | None) -> Iterator[Row]:
    for row in rows:
        yield row
        if progress:
            progress(1)


# ---------------------------------------------------------------- CSV


def csv_chunks(report: Report, rows: Iterator[Row], progress: Progress | None = None) -> Iterator[bytes]:
    """One header row, then the tasks; streamed in chunks of a few hundred rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(COLUMNS)
    for count, row in enumerate(_counted(rows, progress), 1):
        writer.writerow([_csv_cell(v) for v in row.cells()])
        if count % 500 == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


# ---------------------------------------------------------------- XLSX


def write_xlsx(report: Report, rows: Iterator[Row], path: Path, progress: Progress | None = None) -> None:
    """Write-only workbook: the summary and grid first, the whole list, then one sheet per lead agency."""
    workbook = Workbook(write_only=True)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    header_fill, overdue_fill = PatternFill("solid", fgColor="DDEBF7"), PatternFill("solid", fgColor="FFC7CE")

    def cell(sheet, value, *, font=None, fill=None):
        value = _clean(value)
        made = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str) and value.startswith("="):
            made.data_type = "s"  # text, never a formula
        made.alignment = wrap
        if font:
            made.font = font
        if fill:
            made.fill = fill
        return made

    summary = workbook.create_sheet("Tổng hợp")
    summary.column_dimensions["A"].width = 40
    for letter in "BCD":
        summary.column_dimensions[letter].width = 22
    summary.append([cell(summary, report.title, font=Font(bold=True, size=13))])
    summary.append([f"Số liệu đến hết ngày {vn_date(report.as_of)}"])
    summary.append([cell(summary, report.sentence)])
    summary.append([])
    for i, line in enumerate(_grid_lines(report)):
        summary.append([cell(summary, v, font=bold if i == 0 else None) for v in line])
    summary.append([])
    summary.append([cell(summary, v, font=bold) for v in ("Cơ quan chủ trì", "Tổng số", "Đã hoàn thành (đúng hạn / "
                                                         "quá hạn)", "Chưa hoàn thành (trong hạn / quá hạn)")])
    for agency, counts in report.agencies:
        summary.append([cell(summary, agency["name"]), counts.total,
                        f"{counts.completed} ({counts.on_time} / {counts.late})",
                        f"{counts.not_completed} ({counts.in_time} / {counts.overdue})"])

    def new_list(title: str):
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"
        for index, width in enumerate(XLSX_WIDTHS):
            sheet.column_dimensions[chr(ord("A") + index)].width = width
        sheet.append([cell(sheet, name, font=bold, fill=header_fill) for name in COLUMNS])
        return sheet

    listing = new_list("Danh sách")
    per_agency: dict[int, tuple] = {}
    used_titles = {"Tổng hợp", "Danh sách"}
    for row in _counted(rows, progress):
        if row.agency_id not in per_agency:
            per_agency[row.agency_id] = (new_list(_sheet_title(row.agency_name, used_titles)), 0)
        sheet, count = per_agency[row.agency_id]
        per_agency[row.agency_id] = (sheet, count + 1)
        fill = overdue_fill if row.overdue else None
        values = row.cells()
        listing.append([cell(listing, v, fill=fill) for v in values])
        sheet.append([cell(sheet, count + 1 if i == 0 else v, fill=fill) for i, v in enumerate(values)])
    workbook.save(path)


def _sheet_title(name: str, used: set[str]) -> str:
    title = "".join(ch for ch in name if ch not in '[]:*?/\\')[:31]
    base, n = title, 2
    while title in used:
        suffix = f" ({n})"
        title, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(title)
    return title


# ---------------------------------------------------------------- DOCX

_PLACEHOLDER = "ROVIEC-TASK-TABLE"


def write_docx(report: Report, rows: Iterator[Row], path: Path, progress: Progress | None = None) -> None:
    """python-docx lays out the page (A4 landscape, title, summary, grid, page numbers); the task table, which may
    have thousands of rows, is then streamed into the document as WordprocessingML, row by row."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.5))
    section.top_margin = section.bottom_margin = Cm(1.5)
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(report.title.upper()).bold = True
    dated = document.add_paragraph(f"(Số liệu đến hết ngày {vn_date(report.as_of)})")
    dated.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(report.sentence)
    grid = document.add_table(rows=0, cols=4)
    grid.style = "Table Grid"
    for line in _grid_lines(report):
        cells = grid.add_row().cells
        for target, value in zip(cells, line, strict=True):
            target.text = str(value)
    document.add_paragraph()
    document.add_paragraph(_PLACEHOLDER)
    _page_numbers(section)

    template = io.BytesIO()
    document.save(template)
    template.seek(0)
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                target.writestr(item, source.read(item.filename))
                continue
            xml = source.read(item.filename).decode()
            marker = xml.index(_PLACEHOLDER)
            start = max(xml.rfind("<w:p>", 0, marker), xml.rfind("<w:p ", 0, marker))
            end = xml.index("</w:p>", marker) + len("</w:p>")
            with target.open(item.filename, "w") as out:
                out.write(xml[:start].encode())
                _stream_table(out, rows, progress)
                out.write(xml[end:].encode())


def _page_numbers(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("Trang ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _tc(text: str, width_twips: int, *, bold: bool = False, shade: str | None = None, span: int = 1) -> str:
    props = f'<w:tcW w:w="{width_twips}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if shade:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>'
    run_props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    paragraphs = "".join(f'<w:p><w:r>{run_props}<w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
                         for line in (_clean(str(text)).split("\n") or [""]))
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs}</w:tc>"


def _stream_table(out, rows: Iterator[Row], progress: Progress | None) -> None:
    widths = [int(w * 567) for w in WIDTHS_CM]  # twips per cm
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out.write((f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
               f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>'
               + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>").encode())
    # The header row repeats on every printed page.
    out.write(("<w:tr><w:trPr><w:tblHeader/></w:trPr>"
               + "".join(_tc(name, w, bold=True, shade="DDEBF7") for name, w in zip(COLUMNS, widths, strict=True))
               + "</w:tr>").encode())
    current_agency = None
    for row in _counted(rows, progress):
        if row.agency_id != current_agency:
            current_agency = row.agency_id
            out.write(f"<w:tr>{_tc(row.agency_name, sum(widths), bold=True, shade='F2F2F2', span=9)}</w:tr>".encode())
        shade = "FFC7CE" if row.overdue else None
        out.write(("<w:tr><w:trPr><w:cantSplit/></w:trPr>"
                   + "".join(_tc(v, w, shade=shade) for v, w in zip(row.cells(), widths, strict=True))
                   + "</w:tr>").encode())
    out.write(b"</w:tbl><w:p/>")


# ---------------------------------------------------------------- PDF


def write_pdf(report: Report, rows: Iterator[Row], path: Path, progress: Progress | None = None) -> None:
    """The same document with reportlab, in a font with every Vietnamese diacritic (DejaVu by default)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = _register_fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=8, leading=10)
    head = ParagraphStyle("head", parent=body, fontName=bold)
    title_style = ParagraphStyle("title", fontName=bold, fontSize=13, leading=17, alignment=TA_CENTER)
    centered = ParagraphStyle("centered", parent=body, fontSize=10, leading=13, alignment=TA_CENTER)
    text = ParagraphStyle("text", parent=body, fontSize=10, leading=13)

    def para(value, style=body) -> Paragraph:
        return Paragraph(escape(_clean(str(value))).replace("\n", "<br/>"), style)

    def footer(canvas, doc) -> None:
        canvas.setFont(regular, 8)
        canvas.drawCentredString(landscape(A4)[0] / 2, 0.8 * cm, f"Trang {doc.page}")

    story = [para(report.title.upper(), title_style), para(f"(Số liệu đến hết ngày {vn_date(report.as_of)})",
                                                             centered), Spacer(1, 6), para(report.sentence, text),
             Spacer(1, 6)]
    grid = Table([[para(v, head if i == 0 else body) for v in line] for i, line in enumerate(_grid_lines(report))],
                 colWidths=[5 * cm, 3 * cm, 4 * cm, 3 * cm])
    grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story += [grid, Spacer(1, 10)]
    widths = [w * cm for w in WIDTHS_CM]
    header = [para(name, head) for name in COLUMNS]

    def flush(batch: list, styles: list) -> None:
        # splitInRow: a row taller than a page (a 5,000-character note) goes on over the next page.
        table = Table([header, *batch], colWidths=widths, repeatRows=1, splitInRow=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"), *styles]))
        story.append(table)

    # Tables of at most 200 rows: one huge table would be laid out in memory all at once.
    batch, styles, current_agency = [], [], None
    for row in _counted(rows, progress):
        if row.agency_id != current_agency:
            current_agency = row.agency_id
            batch.append([para(row.agency_name, head)] + [""] * 8)
            at = len(batch)  # row 0 of the table is the header
            styles += [("SPAN", (0, at), (-1, at)), ("BACKGROUND", (0, at), (-1, at), colors.HexColor("#F2F2F2"))]
        batch.append([para(v) for v in row.cells()])
        if row.overdue:
            styles.append(("BACKGROUND", (0, len(batch)), (-1, len(batch)), colors.HexColor("#FFC7CE")))
        if len(batch) >= 200:
            flush(batch, styles)
            batch, styles = [], []
    if batch:
        flush(batch, styles)
    SimpleDocTemplate(str(path), pagesize=landscape(A4), leftMargin=1.5 * cm, rightMargin=1.5 * cm,
                      topMargin=1.2 * cm, bottomMargin=1.5 * cm, title=report.title,
                      author="Rõ Việc").build(story, onFirstPage=footer, onLaterPages=footer)


def _register_fonts() -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "RoViec" not in pdfmetrics.getRegisteredFontNames():
        folder = get_settings().pdf_font_dir
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if not regular.exists() or not bold.exists():
            raise RuntimeError(f"PDF fonts not found in {folder}: install fonts-dejavu-core or set ROVIEC_PDF_FONT_DIR")
        pdfmetrics.registerFont(TTFont("RoViec", str(regular)))
        pdfmetrics.registerFont(TTFont("RoViec-Bold", str(bold)))
    return "RoViec", "RoViec-Bold"

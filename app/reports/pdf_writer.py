"""The completion report as PDF (reportlab): the same document as the DOCX, in Liberation Serif (Times New Roman's
widths), embedded, every letter black.

Each appendix table is laid out here rather than by reportlab's Table: a Table of thousands of rows is measured in
full again after every page it breaks, and it can only repeat its header by carrying it in every piece. Here each row
is measured once as it comes from the database, rows fill a page (never split, unless one is longer than a page; an
agency's row never ends a page), and each page draws the header row first. Only the rows of one page are held."""

import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.fonts import addMapping
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.config import get_settings
from app.reports import document as doc
from app.reports import indicators as ind
from app.reports.completion import LINK_TEXT, Report, Row
from app.reports.schemas import DocumentSettings

FONT_FILES = {"regular": "LiberationSerif-Regular.ttf", "bold": "LiberationSerif-Bold.ttf",
              "italic": "LiberationSerif-Italic.ttf", "bold_italic": "LiberationSerif-BoldItalic.ttf"}
FAMILY = "RoViecSerif"
CM = 72 / 2.54


def font_files(folder: Path) -> dict[str, Path]:
    paths = {style: folder / name for style, name in FONT_FILES.items()}
    missing = [path.name for path in paths.values() if not path.is_file()]
    if missing:
        raise RuntimeError(f"PDF fonts not found in {folder}: {', '.join(missing)}. Install Liberation Serif "
                           "(Debian: apt-get install fonts-liberation2) or set ROVIEC_PDF_FONT_DIR to the folder "
                           "that holds them")
    return paths


def register_fonts() -> str:
    """Registers the serif family once per process; a clear error names the missing files and the setting."""
    if FAMILY not in pdfmetrics.getRegisteredFontNames():
        paths = font_files(get_settings().pdf_font_dir)
        names = {"regular": FAMILY, "bold": f"{FAMILY}-Bold", "italic": f"{FAMILY}-Italic",
                 "bold_italic": f"{FAMILY}-BoldItalic"}
        for style, path in paths.items():
            pdfmetrics.registerFont(TTFont(names[style], str(path)))
        # <b> and <i> in a paragraph pick the family's faces.
        for bold, italic, style in ((0, 0, "regular"), (1, 0, "bold"), (0, 1, "italic"), (1, 1, "bold_italic")):
            addMapping(FAMILY, bold, italic, names[style])
    return FAMILY


# A character the font cannot draw (an emoji, a rare script) would vanish from the page without a word: it is
# printed as this box instead, so the reader sees that something stood there (DOCX, XLSX and CSV keep it).
NO_GLYPH = "\u25a1"
_drawable: frozenset[int] = frozenset()


def _fonts_read() -> frozenset[int]:
    """What every face of the family draws, read once per process."""
    global _drawable
    family = register_fonts()
    _drawable = frozenset.intersection(*(frozenset(pdfmetrics.getFont(name).face.charToGlyph) for name in (
        family, f"{family}-Bold", f"{family}-Italic", f"{family}-BoldItalic")))
    return _drawable


def _text(value) -> str:
    value = doc.clean(str(value))
    if not value.isascii() and not set(map(ord, value)) <= (_drawable or _fonts_read()):
        value = "".join(c if ord(c) in _drawable or c in "\n\t" else NO_GLYPH for c in value)
    return escape(value)


def _lines(lines: list[str]) -> str:
    return "<br/>".join(_text(line) for line in lines if line)


class _Styles:
    def __init__(self, family: str):
        self.family = family  # also the tables' own font, or reportlab would name Helvetica in the file
        def style(name, size, *, bold=False, italic=False, align=TA_CENTER, **more) -> ParagraphStyle:
            face = family + ("-BoldItalic" if bold and italic else "-Bold" if bold else "-Italic" if italic else "")
            return ParagraphStyle(name, fontName=face, fontSize=size, leading=size * doc.LEADING, alignment=align,
                                  **more)

        self.parent = style("parent", doc.HEADER_SIZE)
        self.body_name = style("body_name", doc.HEADER_SIZE, bold=True)
        self.national = style("national", doc.NATIONAL_SIZE, bold=True)
        self.motto = style("motto", doc.MOTTO_SIZE, bold=True)
        self.number = style("number", doc.NUMBER_SIZE)
        self.date = style("date", doc.NUMBER_SIZE, italic=True)
        self.type = style("type", doc.BODY_SIZE, bold=True, spaceBefore=20)
        self.summary = style("summary", doc.BODY_SIZE, bold=True)
        self.paragraph = style("paragraph", doc.BODY_SIZE, align=TA_JUSTIFY, firstLineIndent=1 * CM, spaceAfter=6)
        self.heading = style("heading", doc.BODY_SIZE, bold=True, align=TA_JUSTIFY, firstLineIndent=1 * CM,
                             spaceBefore=6, spaceAfter=6, keepWithNext=1)
        self.placeholder = style("placeholder", doc.BODY_SIZE, italic=True, align=TA_JUSTIFY, firstLineIndent=1 * CM,
                                 spaceAfter=6)
        self.grid = style("grid", doc.SUMMARY_TABLE_SIZE, align=TA_CENTER)
        self.grid_head = style("grid_head", doc.SUMMARY_TABLE_SIZE, bold=True)
        self.grid_label = style("grid_label", doc.SUMMARY_TABLE_SIZE, align=TA_LEFT)
        self.grid_total = style("grid_total", doc.SUMMARY_TABLE_SIZE, bold=True, align=TA_LEFT)
        self.grid_total_figure = style("grid_total_figure", doc.SUMMARY_TABLE_SIZE, bold=True)
        self.signer = style("signer", doc.BODY_SIZE, bold=True)
        self.recipients_title = style("recipients_title", doc.RECIPIENTS_TITLE_SIZE, bold=True, italic=True,
                                      align=TA_LEFT)
        self.recipients = style("recipients", doc.RECIPIENTS_SIZE, align=TA_LEFT)
        self.appendix = style("appendix", doc.BODY_SIZE, bold=True)
        self.appendix_ref = style("appendix_ref", doc.BODY_SIZE, italic=True, spaceAfter=10)
        self.cell = style("cell", doc.TABLE_SIZE, align=TA_LEFT)
        self.cell_centre = style("cell_centre", doc.TABLE_SIZE)
        self.cell_head = style("cell_head", doc.TABLE_SIZE, bold=True)
        self.cell_group = style("cell_group", doc.TABLE_SIZE, bold=True, align=TA_LEFT)


# ---------------------------------------------------------------- the report (portrait)


class _Rule(Flowable):
    """A short line centred in the width it is given (a table cell or the frame), `gap` points below the text. The
    gap is larger than Word's 3 points because reportlab sets a line's baseline lower in its leading than Word."""

    def __init__(self, width_cm: float, gap: float = 4.5):
        super().__init__()
        self.rule_width, self.gap, self.available = width_cm * CM, gap, 0.0

    def wrap(self, available_width, available_height):
        self.available = available_width
        return available_width, self.gap + 0.6

    def draw(self):
        start = (self.available - self.rule_width) / 2
        self.canv.setLineWidth(0.6)
        self.canv.line(start, 0.3, start + self.rule_width, 0.3)


def _rule(width_cm: float) -> _Rule:
    return _Rule(width_cm)


def _layout(table: Table, s: _Styles, padding_cm: tuple[float, float], *commands) -> Table:
    """Fixed paddings (the same as the DOCX's cell margins) and the family's font for the table's own text."""
    pad_v, pad_h = padding_cm
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), s.family), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), pad_h * CM),
                               ("RIGHTPADDING", (0, 0), (-1, -1), pad_h * CM),
                               ("TOPPADDING", (0, 0), (-1, -1), pad_v * CM),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), pad_v * CM), *commands]))
    return table


def _header(settings: DocumentSettings, s: _Styles):
    left = [Paragraph(_text(doc.upper(settings.parent_body)), s.parent)] if settings.parent_body else []
    body = doc.upper(settings.issuing_body)
    left += [Paragraph(_text(body), s.body_name), _rule(doc.issuing_line_cm(body))]
    right = [Paragraph(doc.NATIONAL_TITLE, s.national), Paragraph(_text(doc.MOTTO), s.motto),
             _rule(doc.motto_line_cm())]
    table = Table([[left, right], [Paragraph(_text(doc.number_line(settings)), s.number),
                                   Paragraph(_text(doc.date_line(settings)), s.date)]],
                  colWidths=[w * CM for w in doc.HEADER_COLUMNS_CM])
    return _layout(table, s, (0, doc.CELL_PADDING_CM[1]), ("TOPPADDING", (0, 1), (-1, 1), 6))


def _counts_table(lines: list[list[str]], widths_cm, s: _Styles, *, left: set[int], bold_last: bool):
    """A table of counts (the results, the table per lead agency): a header row, repeated if the table runs over a
    page; the columns in `left` aligned left, the others centred."""
    cells = []
    for i, line in enumerate(lines):
        last = bold_last and i == len(lines) - 1
        cells.append([Paragraph(_text(v), s.grid_head if i == 0 else
                                (s.grid_total if last else s.grid_label) if j in left else
                                s.grid_total_figure if last else s.grid) for j, v in enumerate(line)])
    table = Table(cells, colWidths=[w * CM for w in widths_cm], repeatRows=1, spaceBefore=2, spaceAfter=6)
    return _layout(table, s, doc.GRID_PADDING_CM, ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                   ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                   ("BACKGROUND", (0, 0), (-1, 0), HexColor(f"#{doc.HEADER_FILL}")))


def _indicators(report: Report, s: _Styles):
    """The indicators' table: a header row (repeated if the table runs over a page), one row per indicator."""
    centre = (0, 1, 5)
    cells = [[Paragraph(_text(name), s.cell_head) for name in ind.TABLE_COLUMNS]]
    for number, line in enumerate(report.indicators, 1):
        cells.append([Paragraph(_lines(value), s.cell_centre if j in centre else s.cell)
                      for j, value in enumerate(line.table_cells(number))])
    table = Table(cells, colWidths=[w * CM for w in doc.INDICATOR_COLUMNS_CM], repeatRows=1, spaceBefore=2,
                  spaceAfter=6)
    return _layout(table, s, doc.CELL_PADDING_CM, ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                   ("BACKGROUND", (0, 0), (-1, 0), HexColor(f"#{doc.HEADER_FILL}")))


def _signature(settings: DocumentSettings, s: _Styles):
    left = [Paragraph("Nơi nhận:", s.recipients_title)]
    left += [Paragraph(_text(line), s.recipients) for line in settings.recipients]
    right = [Paragraph(_text(line), s.signer) for line in doc.signer_lines(settings)]
    right += [Spacer(1, doc.SIGNATURE_SPACE_CM * CM)]
    right += [Paragraph(_text(settings.signer_name), s.signer)] if settings.signer_name else []
    table = Table([[left, right]], colWidths=[w * CM for w in doc.HEADER_COLUMNS_CM], spaceBefore=6)
    return _layout(table, s, (0, 0))


def _report_story(report: Report, settings: DocumentSettings, s: _Styles) -> list:
    summary = report.title
    story = [_header(settings, s), Paragraph(doc.DOCUMENT_TYPE, s.type), Paragraph(_text(summary), s.summary),
             _rule(doc.summary_line_cm(summary))]
    story[-1].spaceAfter = 12
    blocks = doc.body_blocks(report, settings)
    styles = {"heading": s.heading, "subheading": s.heading, "placeholder": s.placeholder}
    for block in blocks[:-1]:
        if block.kind == "grid":
            story.append(_counts_table(doc.grid_lines(report), doc.GRID_COLUMNS_CM, s, left={0}, bold_last=False))
        elif block.kind == "agencies":
            story.append(_counts_table(doc.agency_lines(report), doc.AGENCY_COLUMNS_CM, s, left={1},
                                       bold_last=True))
        elif block.kind == "indicators":
            story.append(_indicators(report, s))
        else:
            story.append(Paragraph(_text(block.text), styles.get(block.kind, s.paragraph)))
    # The last sentence goes with the signature, so the signature never stands alone on a page.
    story.append(KeepTogether([Paragraph(_text(blocks[-1].text), s.paragraph), _signature(settings, s)]))
    return story


# ---------------------------------------------------------------- the appendix (landscape)


class _Line:
    """One row of the appendix table, measured: its cells as (paragraph, height) and its height with padding."""

    __slots__ = ("cells", "height", "fill", "group")

    def __init__(self, cells: list, fill: str | None, group: bool):
        pad_v = doc.CELL_PADDING_CM[0] * CM
        self.cells = cells
        self.height = max(h for _, h in cells) + 2 * pad_v
        self.fill = fill
        self.group = group


class _Table:
    """Measures and draws rows; shared by the streamed table and its pages."""

    def __init__(self, s: _Styles):
        self.s = s
        self.widths = [w * CM for w in doc.LIST_COLUMNS_CM]
        self.total_width = sum(self.widths)
        pad_h = doc.CELL_PADDING_CM[1] * CM
        self.inner = [w - 2 * pad_h for w in self.widths]
        self.header = self.line([(_text(name), s.cell_head) for name in doc.LIST_HEADINGS], doc.HEADER_FILL)

    def line(self, cells: list[tuple[str, object]], fill: str | None, group: bool = False) -> _Line:
        inner = [self.total_width - (self.widths[0] - self.inner[0])] if group else self.inner
        measured = []
        for (markup, style), width in zip(cells, inner, strict=True):
            paragraph = Paragraph(markup, style)
            measured.append((paragraph, paragraph.wrap(width, 1e6)[1]))
        return _Line(measured, fill, group)

    def group(self, title: str) -> _Line:
        return self.line([(_text(title), self.s.cell_group)], doc.GROUP_FILL, group=True)

    def row(self, row: Row) -> _Line:
        s = self.s
        progress = [_text(row.progress_line)] if row.progress_line else []
        if row.evidence:
            evidence = _text(row.evidence_line)
            if row.evidence.url:
                evidence += (f' <a href={quoteattr(row.evidence.url)} color="#{doc.TEXT_COLOUR}">'
                             f"<u>{LINK_TEXT}</u></a>")
            progress.append(evidence)
        if row.files:
            progress.append(_text(row.files_line))
        cells = [(str(row.number), s.cell_centre), (_text(row.directive), s.cell_centre),
                 (_text(row.clause), s.cell_centre), (_marked(doc.content_lines(row)), s.cell),
                 (_text(row.agency_name), s.cell), (_text(row.accountable), s.cell), (_text(row.coordinating), s.cell),
                 (_lines(row.deadline_lines), s.cell_centre), (_text(row.deliverable), s.cell),
                 ("<br/>".join(progress), s.cell), (_marked(doc.row_status_lines(row)), s.cell_centre)]
        return self.line(cells, doc.OVERDUE_FILL if row.overdue else None)

    def split_line(self, line: _Line, height: float) -> tuple[_Line, _Line] | None:
        """A row longer than a page, cut at `height`: what fits, and the rest for the next page."""
        pad_v = doc.CELL_PADDING_CM[0] * CM
        room = height - 2 * pad_v
        inner = [self.total_width - 2 * doc.CELL_PADDING_CM[1] * CM] if line.group else self.inner
        first, rest = [], []
        for (paragraph, h), width in zip(line.cells, inner, strict=True):
            parts = [paragraph] if h <= room else paragraph.split(width, room)
            if not parts:
                parts = [Paragraph("", paragraph.style), paragraph]
            head, tail = parts[0], parts[1] if len(parts) > 1 else Paragraph("", paragraph.style)
            first.append((head, head.wrap(width, 1e6)[1]))
            rest.append((tail, tail.wrap(width, 1e6)[1]))
        if max(h for _, h in first) <= 0 or max(h for _, h in first) > room:
            return None
        return _Line(first, line.fill, line.group), _Line(rest, line.fill, line.group)

    def draw(self, canvas, lines: list[_Line]) -> float:
        """Draws the header row and `lines` from the top (y = height) down; returns the height used. Fills first
        and lines last, so no fill covers a line."""
        pad_v, pad_h = doc.CELL_PADDING_CM[0] * CM, doc.CELL_PADDING_CM[1] * CM
        every = [self.header, *lines]
        height = sum(line.height for line in every)
        canvas.saveState()
        y = height
        for line in every:
            if line.fill:
                canvas.setFillColor(HexColor("#" + line.fill))
                canvas.rect(0, y - line.height, self.total_width, line.height, stroke=0, fill=1)
            y -= line.height
        canvas.setFillColor(HexColor("#000000"))
        y, rules = height, [(0, height, self.total_width, height)]
        columns = [sum(self.widths[:i]) for i in range(len(self.widths) + 1)]
        for line in every:
            bottom = y - line.height
            x = 0.0
            for (paragraph, h), width in zip(line.cells, [self.total_width] if line.group else self.widths,
                                             strict=True):
                paragraph.drawOn(canvas, x + pad_h, y - pad_v - h)
                x += width
            rules += [(edge, y, edge, bottom) for edge in ((0.0, self.total_width) if line.group else columns)]
            rules.append((0, bottom, self.total_width, bottom))
            y = bottom
        canvas.setLineWidth(0.5)
        canvas.lines(rules)
        canvas.restoreState()
        return height


class _Page(Flowable):
    """The part of the table one page holds, header row first."""

    def __init__(self, table: _Table, lines: list[_Line]):
        super().__init__()
        self.table, self.lines = table, lines
        self.height = table.header.height + sum(line.height for line in lines)

    def wrap(self, available_width, available_height):
        return self.table.total_width, self.height

    def draw(self):
        self.table.draw(self.canv, self.lines)


class _StreamedTable(Flowable):
    """The whole list as one table, read from `lines` only as far as the current page needs."""

    def __init__(self, table: _Table, lines: Iterator[_Line], page_height: float, buffer: deque | None = None):
        super().__init__()
        self.table, self.lines, self.page_height = table, lines, page_height
        self.buffer: deque[_Line] = buffer if buffer is not None else deque()
        self.exhausted = False

    def _fill(self, height: float) -> float:
        total = self.table.header.height + sum(line.height for line in self.buffer)
        while total <= height and not self.exhausted:
            line = next(self.lines, None)
            if line is None:
                self.exhausted = True
            else:
                self.buffer.append(line)
                total += line.height
        return total

    def wrap(self, available_width, available_height):
        # All that is left, if it fits; else more than the room, which makes the frame ask for a split.
        return self.table.total_width, self._fill(available_height)

    def draw(self):
        self.table.draw(self.canv, list(self.buffer))

    def split(self, available_width, available_height):
        self._fill(available_height)
        room = available_height - self.table.header.height
        taken: list[_Line] = []
        while self.buffer and self.buffer[0].height <= room:
            room -= self.buffer[0].height
            taken.append(self.buffer.popleft())
        while taken and taken[-1].group:  # an agency's row goes with its first task
            room += taken[-1].height
            self.buffer.appendleft(taken.pop())
        if self.buffer and not taken:
            if not self._split_first(available_height):
                return []  # nothing fits here: the frame moves to the next page, where a whole row does
            return self.split(available_width, available_height)
        rest = _StreamedTable(self.table, self.lines, self.page_height, self.buffer)
        rest.exhausted = self.exhausted
        if rest.exhausted and not rest.buffer:
            return [_Page(self.table, taken)]
        return [_Page(self.table, taken), rest]

    def _split_first(self, available_height: float) -> bool:
        """Only a row longer than a whole page is cut: where it stands if a third of a page is left, else at the
        top of the next; the agency's row before it stays with it."""
        lead = [self.buffer.popleft()] if self.buffer[0].group and len(self.buffer) > 1 else []
        line = self.buffer[0]
        above = self.table.header.height + sum(x.height for x in lead)
        if line.height <= self.page_height - above or available_height < self.page_height / 3:
            self.buffer.extendleft(reversed(lead))
            return False
        halves = self.table.split_line(line, available_height - above)
        if halves is None:
            self.buffer.extendleft(reversed(lead))
            return False
        self.buffer.popleft()
        self.buffer.extendleft(reversed([*lead, *halves]))
        return True


def _marked(lines: list[tuple[str, bool]]) -> str:
    """Lines of a cell, those marked bold in bold."""
    return "<br/>".join(f"<b>{_text(line)}</b>" if bold else _text(line) for line, bold in lines if line)


def _appendix_lines(report: Report, rows, table: _Table, overdue: bool) -> Iterator[_Line]:
    """Read only when the table reaches the page that needs them: the overdue tasks' table reads the rows the list's
    table set aside, which it has then written."""
    for item in doc.appendix_items(report, rows, overdue):
        yield table.group(item) if isinstance(item, str) else table.row(item)


# ---------------------------------------------------------------- the file


class _PageNumbers:
    """Nghị định 30/2020: page numbers centred in the top margin, none on a part's first page; the appendix counts
    its own pages. Drawn after the page's content, so a page's text starts with its own first line."""

    def __init__(self, family: str):
        self.family = family
        self.first_page = {}

    def __call__(self, part: str, page: dict):
        width, height = page["width"] * CM, page["height"] * CM
        # The number's baseline: its line begins page["header"] from the top edge, as the DOCX's header distance.
        baseline = height - page["header"] * CM - doc.NUMBER_SIZE * 0.9

        def draw(canvas, document) -> None:
            first = self.first_page.setdefault(part, document.page)
            number = document.page - first + 1
            if number > 1:
                canvas.saveState()
                canvas.setFont(self.family, doc.NUMBER_SIZE)
                canvas.setFillColor(HexColor(f"#{doc.TEXT_COLOUR}"))
                canvas.drawCentredString(width / 2, baseline, str(number))
                canvas.restoreState()

        return draw


def _fixed_time(report: Report):
    """The creation date from the data, not the clock (reportlab's invariant mode would write 1/1/2000)."""

    stamp = TimeStamp(invariant=True)
    stamp.t = doc.metadata_time(report).timestamp()
    stamp.lt = time.gmtime(stamp.t)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    return stamp


def write_pdf(report: Report, rows: Iterator[Row], path: Path, settings: DocumentSettings,
              progress=None) -> None:

    family = register_fonts()
    s = _Styles(family)
    numbers = _PageNumbers(family)

    def frame(page: dict, name: str) -> Frame:
        width, height = page["width"] - page["left"] - page["right"], page["height"] - page["top"] - page["bottom"]
        return Frame(page["left"] * CM, page["bottom"] * CM, width * CM, height * CM, id=name, leftPadding=0,
                     rightPadding=0, topPadding=0, bottomPadding=0)

    portrait, wide = A4, landscape(A4)
    stamp = _fixed_time(report)

    def stamp_time(canvas, document) -> None:
        canvas._doc._timeStamp = stamp  # read when the file is written; reportlab has no public setter

    appendices = doc.appendices(report, settings)
    template = BaseDocTemplate(
        str(path), pagesize=portrait, invariant=1, lang="vi", initialFontName=family, title=report.title,
        author=settings.issuing_body,
        subject=f"Báo cáo {report.title[0].lower() + report.title[1:]}", creator="Rõ Việc", producer="Rõ Việc",
        pageTemplates=[
            PageTemplate("report", [frame(doc.PORTRAIT, "report")], pagesize=portrait, onPage=stamp_time,
                         onPageEnd=numbers("report", doc.PORTRAIT)),
            # Each appendix numbers its own pages.
            *(PageTemplate(f"appendix-{i}", [frame(doc.LANDSCAPE, f"appendix-{i}")], pagesize=wide,
                           onPageEnd=numbers(f"appendix-{i}", doc.LANDSCAPE)) for i in range(len(appendices))),
        ])
    table = _Table(s)
    page_height = (doc.LANDSCAPE["height"] - doc.LANDSCAPE["top"] - doc.LANDSCAPE["bottom"]) * CM
    story = _report_story(report, settings, s)
    with doc.Spool() as overdue:
        # The list, its overdue rows kept as they pass for the appendix of overdue tasks, which reads them back.
        tables = [overdue.keep(doc.counted(rows, progress)), overdue]
        for i, appendix in enumerate(appendices):
            story += [NextPageTemplate(f"appendix-{i}"), PageBreak(), Paragraph(_text(appendix.heading), s.appendix),
                      Paragraph(_text(appendix.title), s.appendix), Paragraph(_text(appendix.reference),
                                                                              s.appendix_ref),
                      _StreamedTable(table, _appendix_lines(report, tables[i], table, appendix.overdue), page_height)]
        template.build(story)

"""The completion report as DOCX, what an office edits, signs and files: python-docx lays out the report (A4
portrait) and the appendices' titles (A4 landscape); each appendix table, which may have thousands of rows, is then
streamed into the document's XML row by row, and the links it holds are streamed into the relationships part. The
text is declared Vietnamese (w:lang vi-VN, in the defaults, the styles and every run), so Word checks its spelling as
Vietnamese rather than marking every word."""

import io
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from app.reports import document as doc
from app.reports import indicators as ind
from app.reports.completion import LINK_TEXT, Report, Row
from app.reports.reproducible import core_properties, zip_info
from app.reports.schemas import DocumentSettings

_PLACEHOLDER = "ROVIEC-TASK-TABLE-{}"  # where each appendix's streamed table goes
_DOCUMENT, _RELATIONSHIPS, _CORE = "word/document.xml", "word/_rels/document.xml.rels", "docProps/core.xml"
# The template's other parts that name a language: python-docx's styles (the legacy copy Word 2010 reads too) and
# the theme fonts' language in the settings.
_LANG = f'<w:lang w:val="{doc.LANGUAGE}" w:eastAsia="{doc.LANGUAGE}"/>'
_LANGUAGE_PARTS = {"word/stylesWithEffects.xml": (b'<w:lang w:val="en-US" w:eastAsia="en-US" w:bidi="ar-SA"/>',
                                                  _LANG.encode()),
                   "word/settings.xml": (b'w:themeFontLang w:val="en-US" w:eastAsia="ja-JP"',
                                         f'w:themeFontLang w:val="{doc.LANGUAGE}" w:eastAsia="{doc.LANGUAGE}"'
                                         .encode())}
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_CELL, _CELL_CENTRE, _CELL_HEAD, _CELL_GROUP = "Table Cell", "Table Cell Centre", "Table Head", "Table Group"
_BODY_LINES_PER_PAGE = 30  # appendix lines a row may have and still surely fit on a page with the header row


_TINY = '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/><w:rPr><w:sz w:val="2"/></w:rPr>'
# What follows w:lang in a w:rPr (the schema fixes the order of its children).
_AFTER_LANG = ("eastAsianLayout", "specVanish", "oMath")


def _language(properties) -> None:
    """Declares an w:rPr's text Vietnamese, replacing any other language it names."""
    for old in properties.findall(qn("w:lang")):
        properties.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), doc.LANGUAGE)
    lang.set(qn("w:eastAsia"), doc.LANGUAGE)
    _insert_in_order(properties, lang, _AFTER_LANG)


def _tiny(paragraph) -> None:
    """A paragraph one point high: Word needs a paragraph after a table and to hold a section break."""
    form = paragraph.paragraph_format
    form.space_before = form.space_after = Pt(0)
    form.line_spacing = Pt(1)
    properties = paragraph._p.get_or_add_pPr()
    mark = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    mark.append(size)
    _insert_in_order(properties, mark, ("sectPr", "pPrChange"))


def _twips(cm: float) -> int:
    return round(cm * 1440 / 2.54)


# ---------------------------------------------------------------- styles and pages


def _styles(document) -> None:
    """Times New Roman everywhere (Word renders it; the PDF's Liberation Serif has the same widths), single line
    spacing, no space after paragraphs unless asked; the appendix cells' paragraph styles."""
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = doc.FONT, Pt(doc.BODY_SIZE)
    fonts = normal.element.rPr.rFonts
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), doc.FONT)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    normal.paragraph_format.widow_control = True
    normal.font.color.rgb = RGBColor.from_string(doc.TEXT_COLOUR)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    _language(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")))
    _language(normal.element.get_or_add_rPr())
    for name, bold, centre in ((_CELL, False, False), (_CELL_CENTRE, False, True), (_CELL_HEAD, True, True),
                               (_CELL_GROUP, True, False)):
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size, style.font.bold = Pt(doc.TABLE_SIZE), bold
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER if centre else WD_ALIGN_PARAGRAPH.LEFT
        if name == _CELL_GROUP:
            style.paragraph_format.keep_with_next = True  # an agency's row goes with its first task


# What follows w:pgNumType in a w:sectPr (the schema fixes the order of its children).
_AFTER_PAGE_NUMBERS = ("cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter",
                       "docGrid", "printerSettings", "sectPrChange")


def _insert_in_order(parent, element, followers: tuple[str, ...]) -> None:
    tags = {qn(f"w:{name}") for name in followers}
    follower = next((child for child in parent if child.tag in tags), None)
    if follower is None:
        parent.append(element)
    else:
        follower.addprevious(element)


def _page(section, page: dict) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if page["width"] > page["height"] else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(page["width"]), Cm(page["height"])
    section.top_margin, section.bottom_margin = Cm(page["top"]), Cm(page["bottom"])
    section.left_margin, section.right_margin = Cm(page["left"]), Cm(page["right"])
    section.header_distance = Cm(page["header"])
    # Nghị định 30/2020: page numbers centred at the top, not on the first page; each appendix counts its own.
    section.different_first_page_header_footer = True
    section.header.is_linked_to_previous = False
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.size = Pt(doc.NUMBER_SIZE)
    _language(run._r.get_or_add_rPr())
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    numbering = section._sectPr.find(qn("w:pgNumType"))  # a new section starts as a copy of the one before
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        _insert_in_order(section._sectPr, numbering, _AFTER_PAGE_NUMBERS)
    numbering.set(qn("w:start"), "1")


# ---------------------------------------------------------------- paragraphs and tables


def _paragraph(container, text: str = "", *, size: float = doc.BODY_SIZE, bold=False, italic=False,
               align=WD_ALIGN_PARAGRAPH.CENTER, before: float = 0, after: float = 0, indent: float | None = None):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    form = paragraph.paragraph_format
    form.space_before, form.space_after = Pt(before), Pt(after)
    if indent is not None:
        form.first_line_indent = Cm(indent)
    if text:
        run = paragraph.add_run(doc.clean(text))
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)
        _language(run._r.get_or_add_rPr())
    return paragraph


def _rule(container, width_cm: float, room_cm: float, before: float = 0):
    """A short horizontal line, centred: the bottom border of an empty paragraph indented to `width_cm`."""
    paragraph = container.add_paragraph()
    form = paragraph.paragraph_format
    side = max((room_cm - width_cm) / 2, 0)
    form.left_indent = form.right_indent = Cm(side)
    form.space_before, form.space_after = Pt(before), Pt(0)
    form.line_spacing = Pt(2)
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "5"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    properties.append(borders)
    # pBdr must come before the spacing and indentation python-docx already wrote.
    properties.remove(borders)
    properties.insert(0, borders)
    mark = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "4")
    mark.append(size)
    properties.append(mark)
    return paragraph


def _layout_table(document, rows: int, widths_cm, *, borders: bool, padding_cm=(0.0, doc.CELL_PADDING_CM[1])):
    table = document.add_table(rows=rows, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    if borders:
        table.style = document.styles["Table Grid"]
    properties = table._tbl.tblPr  # autofit = False has made it a fixed layout
    margins = OxmlElement("w:tblCellMar")
    for side, cm in (("top", padding_cm[0]), ("left", padding_cm[1]), ("bottom", padding_cm[0]),
                     ("right", padding_cm[1])):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(_twips(cm)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    _insert_in_order(properties, margins, ("tblLook", "tblCaption", "tblDescription", "tblPrChange"))
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
    for row in table.rows:
        can_split = OxmlElement("w:cantSplit")
        row._tr.get_or_add_trPr().append(can_split)
    return table


def _first(cell, text: str, **style):
    """Writes into the cell's own first paragraph (a cell always has one), then adds more with _paragraph."""
    paragraph = cell.paragraphs[0]
    paragraph._p.getparent().remove(paragraph._p)
    return _paragraph(cell, text, **style)


def _header_block(document, settings: DocumentSettings) -> None:
    left_cm, right_cm = doc.HEADER_COLUMNS_CM
    inner = [w - 2 * doc.CELL_PADDING_CM[1] for w in doc.HEADER_COLUMNS_CM]
    table = _layout_table(document, 2, doc.HEADER_COLUMNS_CM, borders=False)
    left, right = table.rows[0].cells
    body = doc.upper(settings.issuing_body)
    if settings.parent_body:
        _first(left, doc.upper(settings.parent_body), size=doc.HEADER_SIZE)
        _paragraph(left, body, size=doc.HEADER_SIZE, bold=True)
    else:
        _first(left, body, size=doc.HEADER_SIZE, bold=True)
    _rule(left, doc.issuing_line_cm(body), inner[0])
    _first(right, doc.NATIONAL_TITLE, size=doc.NATIONAL_SIZE, bold=True)
    _paragraph(right, doc.MOTTO, size=doc.MOTTO_SIZE, bold=True)
    _rule(right, doc.motto_line_cm(), inner[1])
    number, place = table.rows[1].cells
    _first(number, doc.number_line(settings), size=doc.NUMBER_SIZE, before=6)
    _first(place, doc.date_line(settings), size=doc.NUMBER_SIZE, italic=True, before=6)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    for key, val in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
        shading.set(qn(key), val)
    cell._tc.get_or_add_tcPr().append(shading)


def _counts_table(document, lines: list[list[str]], widths_cm, *, left: set[int], bold_last: bool) -> None:
    """A table of counts (the results, the table per lead agency): a header row, repeated if the table runs over a
    page; the columns in `left` aligned left, the others centred; 6 points after it."""
    table = _layout_table(document, len(lines), widths_cm, borders=True, padding_cm=doc.GRID_PADDING_CM)
    for i, (row, line) in enumerate(zip(table.rows, lines, strict=True)):
        if i == 0:
            row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for j, (cell, value) in enumerate(zip(row.cells, line, strict=True)):
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            if i == 0:
                _shade(cell, doc.HEADER_FILL)
            bold = i == 0 or (bold_last and i == len(lines) - 1)
            _first(cell, value, size=doc.SUMMARY_TABLE_SIZE, bold=bold,
                   align=WD_ALIGN_PARAGRAPH.LEFT if j in left and i > 0 else WD_ALIGN_PARAGRAPH.CENTER)
    gap = document.add_paragraph().paragraph_format
    gap.space_before = gap.space_after = Pt(0)
    gap.line_spacing = Pt(6)


def _indicators(document, report: Report) -> None:
    """The indicators' table: a header row (repeated if the table runs over a page), one row per indicator."""
    lines = [[[name] for name in ind.TABLE_COLUMNS]]
    lines += [line.table_cells(i) for i, line in enumerate(report.indicators, 1)]
    table = _layout_table(document, len(lines), doc.INDICATOR_COLUMNS_CM, borders=True,
                          padding_cm=doc.CELL_PADDING_CM)
    for i, (row, values) in enumerate(zip(table.rows, lines, strict=True)):
        if i == 0:
            row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for j, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            if i == 0:
                _shade(cell, doc.HEADER_FILL)
            style = {"size": doc.TABLE_SIZE, "bold": i == 0,
                     "align": WD_ALIGN_PARAGRAPH.CENTER if i == 0 or j in (0, 1, 5) else WD_ALIGN_PARAGRAPH.LEFT}
            _first(cell, value[0], **style)
            for more in value[1:]:  # the period under the value
                _paragraph(cell, more, **style)
    gap = document.add_paragraph().paragraph_format  # 6 points between the table and what follows
    gap.space_before = gap.space_after = Pt(0)
    gap.line_spacing = Pt(6)


def _signature(document, settings: DocumentSettings) -> None:
    table = _layout_table(document, 1, doc.HEADER_COLUMNS_CM, borders=False, padding_cm=(0, 0))
    left, right = table.rows[0].cells
    _first(left, "Nơi nhận:", size=doc.RECIPIENTS_TITLE_SIZE, bold=True, italic=True,
           align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in settings.recipients:
        _paragraph(left, line, size=doc.RECIPIENTS_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT)
    lines = doc.signer_lines(settings)
    last = _first(right, lines[0], bold=True)
    for line in lines[1:]:
        last = _paragraph(right, line, bold=True)
    last.paragraph_format.space_after = Pt(doc.SIGNATURE_SPACE_CM * 72 / 2.54)  # room to sign and stamp
    if settings.signer_name:
        _paragraph(right, settings.signer_name, bold=True)


def _report(document, report: Report, settings: DocumentSettings) -> None:
    _header_block(document, settings)
    _paragraph(document, doc.DOCUMENT_TYPE, bold=True, before=20)
    _paragraph(document, report.title, bold=True)
    _rule(document, doc.summary_line_cm(report.title), doc.PORTRAIT_TEXT_CM).paragraph_format.space_after \
        = Pt(12)
    blocks = doc.body_blocks(report, settings)
    for i, block in enumerate(blocks):
        if block.kind == "grid":
            _counts_table(document, doc.grid_lines(report), doc.GRID_COLUMNS_CM, left={0}, bold_last=False)
            continue
        if block.kind == "agencies":
            _counts_table(document, doc.agency_lines(report), doc.AGENCY_COLUMNS_CM, left={1}, bold_last=True)
            continue
        if block.kind == "indicators":
            _indicators(document, report)
            continue
        heading = block.kind in ("heading", "subheading")
        paragraph = _paragraph(document, block.text, bold=heading, italic=block.kind == "placeholder",
                               align=WD_ALIGN_PARAGRAPH.JUSTIFY, before=6 if heading else 0, after=6, indent=1.0)
        if heading:
            paragraph.paragraph_format.keep_with_next = True
        if i == len(blocks) - 1:
            paragraph.paragraph_format.keep_with_next = True  # the last sentence goes with the signature
    _signature(document, settings)


# ---------------------------------------------------------------- the streamed appendix table


_PLAIN, _BOLD = f"<w:rPr>{_LANG}</w:rPr>", f"<w:rPr><w:b/>{_LANG}</w:rPr>"


def _run(text: str, *, bold: bool = False) -> str:
    return f'<w:r>{_BOLD if bold else _PLAIN}<w:t xml:space="preserve">{escape(doc.clean(text))}</w:t></w:r>'


def _p(style_id: str, content: str) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>{content}</w:p>'


class _Links:
    """Hyperlink relationships, spooled to disk past a megabyte: a long list has as many links as tasks."""

    def __init__(self, spool):
        self.count = 0
        self.spool = spool

    def add(self, url: str) -> str:
        self.count += 1
        rid = f"rIdLink{self.count}"
        self.spool.write(f'<Relationship Id="{rid}" Type="{_HYPERLINK}" Target={quoteattr(url)} '
                         f'TargetMode="External"/>'.encode())
        return rid


class _TableXml:
    def __init__(self, styles: dict[str, str], links: _Links):
        self.widths = [_twips(w) for w in doc.LIST_COLUMNS_CM]
        self.total = sum(self.widths)
        self.cell, self.centre = styles[_CELL], styles[_CELL_CENTRE]
        self.head, self.group_style = styles[_CELL_HEAD], styles[_CELL_GROUP]
        self.links = links
        # Characters a line of each column holds, for the guess whether a row fits on a page.
        self.per_line = [max(1.0, (w - 2 * doc.CELL_PADDING_CM[1]) / 2.54 * 72 / (doc.TABLE_SIZE * 0.45))
                         for w in doc.LIST_COLUMNS_CM]

    def start(self) -> str:
        borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                          for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        pad_v, pad_h = (_twips(cm) for cm in doc.CELL_PADDING_CM)
        margins = (f'<w:tblCellMar><w:top w:w="{pad_v}" w:type="dxa"/><w:left w:w="{pad_h}" w:type="dxa"/>'
                   f'<w:bottom w:w="{pad_v}" w:type="dxa"/><w:right w:w="{pad_h}" w:type="dxa"/></w:tblCellMar>')
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in self.widths)
        # The header row repeats at the top of every page (w:tblHeader), and only there.
        header = "".join(self._tc(_p(self.head, _run(name)), w, doc.HEADER_FILL)
                         for name, w in zip(doc.LIST_HEADINGS, self.widths, strict=True))
        return (f'<w:tbl><w:tblPr><w:tblW w:w="{self.total}" w:type="dxa"/><w:jc w:val="center"/>'
                f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>{margins}</w:tblPr>'
                f"<w:tblGrid>{grid}</w:tblGrid>"
                f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{header}</w:tr>")

    @staticmethod
    def _tc(content: str, width: int, fill: str | None = None, span: int = 1) -> str:
        properties = f'<w:tcW w:w="{width}" w:type="dxa"/>'
        if span > 1:
            properties += f'<w:gridSpan w:val="{span}"/>'
        if fill:
            properties += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
        return f"<w:tc><w:tcPr>{properties}</w:tcPr>{content}</w:tc>"

    def group(self, title: str) -> str:
        cell = self._tc(_p(self.group_style, _run(title)), self.total, doc.GROUP_FILL, span=len(self.widths))
        return f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cell}</w:tr>"

    def row(self, row: Row) -> str:
        cell, centre = self.cell, self.centre
        progress = [_p(cell, _run(row.progress_line))] if row.progress_line else []
        if row.evidence:
            content = _run(row.evidence_line)
            if row.evidence.url:
                rid = self.links.add(row.evidence.url)
                content += (f'{_run(" ")}<w:hyperlink r:id="{rid}" w:history="1"><w:r><w:rPr>'
                            f'<w:color w:val="{doc.TEXT_COLOUR}"/><w:u w:val="single"/>{_LANG}</w:rPr>'
                            f"<w:t>{LINK_TEXT}</w:t></w:r></w:hyperlink>")
            progress.append(_p(cell, content))
        if row.files:
            progress.append(_p(cell, _run(row.files_line)))
        columns = [
            [_p(centre, _run(str(row.number)))], [_p(centre, _run(row.directive))],
            [_p(centre, _run(row.clause))],
            [_p(cell, _run(line, bold=bold)) for line, bold in doc.content_lines(row)],
            [_p(cell, _run(row.agency_name))], [_p(cell, _run(row.accountable))], [_p(cell, _run(row.coordinating))],
            [_p(centre, _run(line)) for line in row.deadline_lines], [_p(cell, _run(row.deliverable))],
            progress or [_p(cell, "")],
            [_p(centre, _run(line, bold=bold)) for line, bold in doc.row_status_lines(row)],
        ]
        fill = doc.OVERDUE_FILL if row.overdue else None
        texts = (row.title, row.accountable, row.coordinating, row.deliverable,
                 row.progress_line + row.evidence_line + row.files_line)
        lines = max(len(text) / per_line for text, per_line in zip(texts, (self.per_line[i] for i in (3, 5, 6, 8, 9)),
                                                                      strict=True))
        # A row that surely fits on a page is never split; a longer one has to be, or Word would cut it off.
        keep = "<w:trPr><w:cantSplit/></w:trPr>" if lines + 3 < _BODY_LINES_PER_PAGE else ""
        return (f"<w:tr>{keep}"
                + "".join(self._tc("".join(c), w, fill) for c, w in zip(columns, self.widths, strict=True))
                + "</w:tr>")


def _stream_table(out, report: Report, rows: Iterator[Row], styles: dict[str, str], links: _Links,
                  overdue: bool) -> None:
    table = _TableXml(styles, links)
    out.write(table.start().encode())
    pending = []
    for item in doc.appendix_items(report, rows, overdue):
        if isinstance(item, str):  # a lead agency's title, before its rows
            pending.append(table.group(item))
            continue
        pending.append(table.row(item))
        if len(pending) >= 200:  # a few hundred rows per write: each write to a zip member compresses
            out.write("".join(pending).encode())
            pending.clear()
    out.write("".join(pending).encode())
    # A body ends with a paragraph; this one takes no room, so the table's last page is the document's last.
    out.write(f"</w:tbl><w:p><w:pPr>{_TINY}</w:pPr></w:p>".encode())


# ---------------------------------------------------------------- the file


def write_docx(report: Report, rows: Iterator[Row], path: Path, settings: DocumentSettings,
               progress: doc.Progress | None = None) -> None:
    document = Document()
    _styles(document)
    _page(document.sections[0], doc.PORTRAIT)
    _report(document, report, settings)
    appendices = doc.appendices(report, settings)
    for i, appendix in enumerate(appendices):
        section = document.add_section(WD_SECTION.NEW_PAGE)
        # The paragraph that ends the section before follows a table: it takes no room, so it never spills onto a
        # page of its own.
        _tiny(document.paragraphs[-1])
        _page(section, doc.LANDSCAPE)
        _paragraph(document, appendix.heading, bold=True)
        _paragraph(document, appendix.title, bold=True)
        _paragraph(document, appendix.reference, italic=True, after=10)
        _paragraph(document, _PLACEHOLDER.format(i))

    when = doc.metadata_time(report)
    properties = document.core_properties
    properties.title, properties.subject = report.title, doc.DOCUMENT_TYPE
    properties.author, properties.last_modified_by = settings.issuing_body, settings.issuing_body
    properties.comments, properties.revision = "", 1
    properties.created = properties.modified = when.replace(tzinfo=None)
    styles = {name: document.styles[name].style_id for name in (_CELL, _CELL_CENTRE, _CELL_HEAD, _CELL_GROUP)}

    template = io.BytesIO()
    document.save(template)
    template.seek(0)
    with (tempfile.SpooledTemporaryFile(max_size=1 << 20) as spool, zipfile.ZipFile(template) as source,
          zipfile.ZipFile(path, "w") as target, doc.Spool() as overdue):
        links = _Links(spool)
        # The list, its overdue rows kept as they pass for the appendix of overdue tasks, which reads them back.
        tables = [overdue.keep(doc.counted(rows, progress)), overdue]
        for item in source.infolist():
            name = item.filename
            if name == _RELATIONSHIPS:
                continue  # written last, with the links the table adds
            info = zip_info(name, when)
            if name == _CORE:
                target.writestr(info, core_properties(source.read(name), when))
            elif name == _DOCUMENT:
                xml = source.read(name).decode()
                with target.open(info, "w") as out:
                    done = 0
                    for i, appendix in enumerate(appendices):
                        marker = xml.index(_PLACEHOLDER.format(i))
                        start = max(xml.rfind("<w:p>", 0, marker), xml.rfind("<w:p ", 0, marker))
                        out.write(xml[done:start].encode())
                        _stream_table(out, report, tables[i], styles, links, appendix.overdue)
                        done = xml.index("</w:p>", marker) + len("</w:p>")
                    out.write(xml[done:].encode())
            elif name in _LANGUAGE_PARTS:
                old, new = _LANGUAGE_PARTS[name]
                target.writestr(info, source.read(name).replace(old, new))
            else:
                target.writestr(info, source.read(name))
        relationships = source.read(_RELATIONSHIPS).decode()
        close = relationships.rindex("</Relationships>")
        with target.open(zip_info(_RELATIONSHIPS, when), "w") as out:
            out.write(relationships[:close].encode())
            links.spool.seek(0)
            while chunk := links.spool.read(1 << 20):
                out.write(chunk)
            out.write(relationships[close:].encode())

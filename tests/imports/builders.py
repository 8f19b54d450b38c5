"""Files built in the test run from a corpus notice: a DOCX with real Word numbering and tables, a PDF with a text
layer (reportlab, a TTF font with Vietnamese glyphs), and the bad files the importer must refuse."""

import io
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

CORPUS = Path(__file__).resolve().parent / "corpus"
FONTS = ["/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
         "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
         "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"]

_LETTER_ITEM = re.compile(r"^([a-zđ])\)\s+")
_BULLET_ITEM = re.compile(r"^([-+])\s+")


def corpus_notice(name: str, folder: str = "dev") -> str:
    return (CORPUS / folder / f"{name}.txt").read_text(encoding="utf-8")


class _WordLists:
    """Numbering definitions written into the document's numbering part, as Word writes them."""

    def __init__(self, document) -> None:
        self.root = document.part.numbering_part.element
        self.next_id = 900

    def abstract(self, fmt: str, text: str) -> str:
        self.next_id += 1
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), str(self.next_id))
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), "0")
        for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
            element = OxmlElement(tag)
            element.set(qn("w:val"), value)
            lvl.append(element)
        abstract.append(lvl)
        # abstractNum elements come before num elements in numbering.xml
        first_num = self.root.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self.root.append(abstract)
        return str(self.next_id)

    def new_list(self, abstract_id: str) -> str:
        """A list instance that starts again at 1 ("a)"), as Word does for a new list."""
        self.next_id += 1
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(self.next_id))
        ref = OxmlElement("w:abstractNumId")
        ref.set(qn("w:val"), abstract_id)
        num.append(ref)
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), "0")
        start = OxmlElement("w:startOverride")
        start.set(qn("w:val"), "1")
        override.append(start)
        num.append(override)
        self.root.append(num)
        return str(self.next_id)


def _number(paragraph, num_id: str) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), "0")
    num = OxmlElement("w:numId")
    num.set(qn("w:val"), num_id)
    num_pr.append(ilvl)
    num_pr.append(num)
    p_pr.append(num_pr)


def notice_docx(text: str) -> bytes:
    """The notice as a Word document: the header in a two-column table, "a)" items and "-"/"+" bullets as Word
    numbered lists (their labels are not in the paragraphs' text), pipe-separated rows as a real table."""
    document = docx.Document()
    lists = _WordLists(document)
    letters = lists.abstract("lowerLetter", "%1)")
    dashes = lists.abstract("bullet", "-")
    pluses = lists.abstract("bullet", "+")
    lines = text.split("\n")
    number_line = next(i for i, line in enumerate(lines) if line.startswith("Số:"))
    date_line = next(i for i, line in enumerate(lines) if re.search(r", ngày \d", line))
    header_end = max(number_line, date_line) + 1
    left = [lines[i] for i in range(header_end) if i == number_line or (lines[i].isupper() and "CỘNG HÒA" not in
                                                                         lines[i])]
    right = [line for line in lines[:header_end] if line.strip() and line not in left]
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "\n".join(left)
    table.rows[0].cells[1].text = "\n".join(right)
    current: dict[str, str | None] = {"letter": None, "-": None, "+": None}
    rows: list[list[str]] = []
    for line in lines[header_end:]:
        if " | " in line:
            rows.append(line.split(" | "))
            continue
        if rows:
            _table(document, rows)
            rows = []
        if not line.strip():
            continue
        if m := _LETTER_ITEM.match(line):
            if m.group(1) == "a" or current["letter"] is None:
                current["letter"] = lists.new_list(letters)
            _number(document.add_paragraph(line[m.end():]), current["letter"])
            continue
        if m := _BULLET_ITEM.match(line):
            key = m.group(1)
            if current[key] is None:
                current[key] = lists.new_list(dashes if key == "-" else pluses)
            _number(document.add_paragraph(line[m.end():]), current[key])
            continue
        current = {"letter": None, "-": None, "+": None} if re.match(r"^(?:[IVX]+|\d+)\.\s", line) else current
        document.add_paragraph(line)
    if rows:
        _table(document, rows)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table(document, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.rows[r].cells[c].text = value


def notice_pdf(text: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    font = next(path for path in FONTS if Path(path).exists())
    pdfmetrics.registerFont(TTFont("NoticeFont", font))
    style = ParagraphStyle("body", fontName="NoticeFont", fontSize=13, leading=16)
    buffer = io.BytesIO()
    story = [Paragraph(escape(line), style) if line.strip() else Spacer(1, 8) for line in text.split("\n")]
    SimpleDocTemplate(buffer, pagesize=A4).build(story)
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """A page with a drawing and no text: what a scanner produces, as far as a text layer goes."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.rect(72, 72, 400, 600, fill=1)
    page.showPage()
    page.save()
    return buffer.getvalue()


def zip_bomb_docx(megabytes: int = 60) -> bytes:
    """A DOCX-shaped zip whose one member is `megabytes` of zeros: it packs to a few tens of kilobytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                member.write(chunk)
    return buffer.getvalue()


def notice_docx_with_picture(text: str, picture_bytes: int) -> bytes:
    """The notice as a Word document carrying a picture of `picture_bytes` (a scanned signature, a logo): a file of
    a few megabytes that is still an ordinary notice."""
    import random

    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(notice_docx(text))) as source, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info, source.read(info.filename))
        archive.writestr("word/media/image1.png", b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(picture_bytes))
    return buffer.getvalue()

"""The completion report as the office files it (issue 24): what each document says and how it is laid out, read
back from the files with their own readers (python-docx and the DOCX's XML, pypdf and pypdfium2, openpyxl, csv) —
thousands separated in every count, the DOCX in Vietnamese, Nghị định 30/2020's margins on every page as bound,
results in columns that say what they count, one date style, black text, Vietnamese order and short names, the
XLSX's print setup, the CSV for Excel on a Vietnamese Windows, and what real reports hold: the completion rate and
its change since the previous meeting, the priority tasks, the overdue tasks alone, the table per lead agency, the
notice's clause and the accountable official, the requests awaiting a decision, and the parts the office writes."""

import csv
import io
import math
import re
import unicodedata
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pypdfium2
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader
from pypdf.generic import ContentStream

from app.reports import formats, pdf_writer
from app.reports.completion import COLUMNS, PRIORITY_MARK
from app.reports.document import COUNT_HEADINGS, LANDSCAPE, LIST_HEADINGS, PORTRAIT, rate_sentence
from app.reports.schemas import DocumentSettings
from app.reports.service import GridCounts, summary_sentence
from app.reports.xlsx_writer import LINE_HEIGHT, LIST_COLUMNS
from app.text import collation_key
from tests.conftest import LEAD_AGENCY
from tests.dates import ahead, iso, noon
from tests.reports.test_exports import AS_OF, _second_session, synthetic

# Integration: a real `roviec serve` process over HTTP.
pytestmark = pytest.mark.real_server

LATER = "2022-12-31"  # after the 3rd session (8/8/2022): the 2nd session's list then counts its change since it
FORMATS = ("csv", "csv-excel", "xlsx", "docx", "pdf")
DATE = re.compile(r"(?<![\d/])\d{1,2}/\d{1,2}/\d{4}(?!\d)")
CM = 72 / 2.54


def flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def download(client, directive: dict, fmt: str, **params) -> bytes:
    response = client.get("/reports/completion", params={"directive_id": directive["id"], "as_of": AS_OF,
                                                         "format": fmt} | params)
    assert response.status_code == 200, response.text
    return response.content


@pytest.fixture(scope="module")
def seed(server_clients, tmp_path_factory) -> dict:
    """The seed's 2nd session as of 8/8/2022 (report number 5) in every format, and its DOCX and PDF as of 31/12/2022,
    downloaded once."""
    folder = tmp_path_factory.mktemp("documents")
    session = _second_session(server_clients)
    files = {}
    for fmt in FORMATS:
        files[fmt] = folder / f"list.{fmt}"
        files[fmt].write_bytes(download(server_clients.secretariat, session["directive"], fmt, number="5"))
    for fmt in ("docx", "pdf"):
        files[f"later.{fmt}"] = folder / f"later.{fmt}"
        files[f"later.{fmt}"].write_bytes(download(server_clients.secretariat, session["directive"], fmt,
                                                   as_of=LATER))
    print(f"\nthe documents: {folder}")
    return session | {"files": files}


def docx_texts(path: Path) -> list[str]:
    """Every paragraph of a DOCX, those in tables too, in order."""
    found = []
    for block in docx.Document(path).iter_inner_content():
        if isinstance(block, docx.table.Table):
            found += [p.text for row in block.rows for cell in row.cells for p in cell.paragraphs]
        else:
            found.append(block.text)
    return found


def pdf_pages(path: Path) -> list[str]:
    return [flat(page.extract_text()) for page in PdfReader(path).pages]


def report_part(pages: list[str]) -> str:
    return " ".join(pages[:next(i for i, text in enumerate(pages) if text.startswith("Phụ lục"))])


def tables_by_heading(path: Path) -> dict[str, docx.table.Table]:
    """A DOCX's tables by the first cell of their header row that has text."""
    found = {}
    for table in docx.Document(path).tables:
        first = next((c.text for c in table.rows[0].cells if c.text), "")
        found.setdefault(first.split("\n")[0], table)
    return found


# ---------------------------------------------------------------- 1. thousands separated, everywhere


def big_report():
    """A list whose counts run into the thousands (the writers do not check them against the rows): 8.288 tasks,
    one of them overdue 1.588 days."""
    report, rows = synthetic(12, agencies=3)
    per_agency = [GridCounts(on_time=1243, late=1588, in_time=2001, overdue=1200, longest_overdue=1588,
                             priority_on_time=1000, priority_late=12, priority_in_time=1100, priority_overdue=1001),
                  GridCounts(on_time=1, overdue=2255, longest_overdue=1200), GridCounts()]
    overall = GridCounts()
    for counts in per_agency:
        overall.add(counts)
    agencies = [(agency, counts) for (agency, _), counts in zip(report.agencies, per_agency, strict=True)]
    rows[0] = replace(rows[0], completed=False, late_days=1588)
    return replace(report, overall=overall, agencies=agencies, sentence=summary_sentence(overall, None)), rows


def unseparated(text: str) -> list[str]:
    """Numbers of four digits or more written without their thousands separated (not a year, nor a part of a
    document's number or a date)."""
    return [m.group() for m in re.finditer(r"(?<![\d/.,])\d{4,}(?![\d/])", text)
            if not re.search(r"(năm|Năm) $", text[max(0, m.start() - 4):m.start()])]


def test_every_count_has_its_thousands_separated(tmp_path):
    report, rows = big_report()
    assert report.sentence.startswith("Trong 8.288 nhiệm vụ, có 2.832 nhiệm vụ đã hoàn thành (đúng hạn 1.244, quá "
                                      "hạn 1.588), 5.456 nhiệm vụ chưa hoàn thành (trong hạn 2.001, quá hạn 3.455).")
    settings = DocumentSettings()
    for fmt, write in (("docx", formats.write_docx), ("xlsx", formats.write_xlsx),
                       ("pdf", pdf_writer.write_pdf)):  # the writer itself: the counts are more than a PDF is made for
        write(report, iter(rows), tmp_path / f"big.{fmt}", settings)

    text = "\n".join(docx_texts(tmp_path / "big.docx"))
    pdf = " ".join(pdf_pages(tmp_path / "big.pdf"))
    for found in (text, flat(pdf)):
        for expected in ("Trong 8.288 nhiệm vụ", "Tỷ lệ hoàn thành đạt 34,2% (2.832/8.288 nhiệm vụ)",
                         "Có 3.455 nhiệm vụ chưa hoàn thành đã quá hạn", "1.200 nhiệm vụ quá hạn, lâu nhất 1.588 ngày",
                         "có 3.113 nhiệm vụ trọng tâm", "quá hạn 1.588 ngày",
                         "I. Cơ quan số 1 (6.032 nhiệm vụ, 1.200 quá hạn)"):
            assert expected in flat(found), expected
        assert unseparated(found) == []
    tables = tables_by_heading(tmp_path / "big.docx")
    assert [c.text for c in tables["STT"].rows[-1].cells] == ["", "Tổng cộng", "8.288", "1.244", "1.588", "2.001",
                                                              "3.455", "34,2%"]

    book = openpyxl.load_workbook(tmp_path / "big.xlsx")
    texts = [v for row in book["Tổng hợp"].iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert report.sentence in texts and any("(2.832/8.288 nhiệm vụ)" in t for t in texts)
    assert all(unseparated(t) == [] for t in texts)
    assert ["Tổng cộng", 8288, 1244, 1588, 2001, 3455] in [list(r[:6]) for r in book["Tổng hợp"].iter_rows(
        values_only=True)]  # the numbers themselves stay numbers

    for excel in (False, True):
        content = b"".join(formats.csv_chunks(report, iter(rows), excel=excel)).decode("utf-8-sig")
        lines = list(csv.reader(io.StringIO(content), delimiter=";" if excel else ","))
        assert lines[1][COLUMNS.index("Tình trạng")] == "Chưa hoàn thành, quá hạn 1.588 ngày"
        assert all(unseparated(cell) == [] for line in lines[1:] for cell in line[1:9])


def test_the_api_sentence_separates_thousands():
    # GET /reports/summary's summary_vi is this sentence (tests/reports/test_reports.py reads it over HTTP).
    counts = GridCounts(on_time=1243, late=4, in_time=3, overdue=1588, standing=1001, standing_late=1000)
    assert summary_sentence(counts, None) == (
        "Trong 2.838 nhiệm vụ, có 1.247 nhiệm vụ đã hoàn thành (đúng hạn 1.243, quá hạn 4), 1.591 nhiệm vụ chưa hoàn "
        "thành (trong hạn 3, quá hạn 1.588). Ngoài ra có 1.001 nhiệm vụ thường xuyên (1.000 nhiệm vụ chậm báo cáo "
        "định kỳ).")


# ---------------------------------------------------------------- 2. the DOCX in Vietnamese


def test_the_docx_declares_vietnamese(seed):
    with zipfile.ZipFile(seed["files"]["docx"]) as package:
        parts = {name: package.read(name).decode() for name in package.namelist() if name.endswith(".xml")}
    styles = docx.Document(seed["files"]["docx"]).styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert defaults.get(qn("w:val")) == "vi-VN"
    normal = next(s for s in styles.findall(qn("w:style")) if s.get(qn("w:styleId")) == "Normal")
    assert normal.find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:val")) == "vi-VN"
    body = parts["word/document.xml"]
    runs = re.findall(r"<w:r>.*?</w:r>", body, flags=re.S)
    assert len(runs) > 500 and all('<w:lang w:val="vi-VN"' in run for run in runs)
    assert 'w:themeFontLang w:val="vi-VN"' in parts["word/settings.xml"]
    assert not [name for name, xml in parts.items() if "en-US" in xml]


# ---------------------------------------------------------------- 3. Nghị định 30/2020's margins, as bound


def ink_box_cm(page, scale: float = 2.0, top_cm: float = 0.0) -> tuple[float, float, float, float]:
    """Where a rendered page has ink, in cm from its left and top edges: (left, top, right, bottom), looking only
    below `top_cm` from the top."""
    image = page.render(scale=scale).to_pil().convert("L")
    skip = round(top_cm * CM * scale)
    box = image.crop((0, skip, image.width, image.height)).point(lambda v: 255 if v < 200 else 0).getbbox()
    left, top, right, bottom = box
    return tuple(v / scale / CM for v in (left, top + skip, right, bottom + skip))


def test_every_page_keeps_the_margins_as_bound(seed):
    # Portrait: top and bottom 2-2.5 cm, left (the binding) 3-3.5, right 1.5-2. A landscape page is bound by its
    # top edge, so that edge has the binding's 3-3.5 cm, its bottom the outer 1.5-2, its sides 2-2.5.
    sections = docx.Document(seed["files"]["docx"]).sections
    portrait, appendices = sections[0], sections[1:]
    assert (portrait.top_margin.cm, portrait.bottom_margin.cm, portrait.left_margin.cm,
            portrait.right_margin.cm) == pytest.approx((2.0, 2.0, 3.0, 1.5), abs=0.01)
    assert len(appendices) == 2
    for section in appendices:
        assert section.page_width > section.page_height
        assert 3.0 - 0.01 <= section.top_margin.cm <= 3.5 and 1.5 - 0.01 <= section.bottom_margin.cm <= 2.0 + 0.01
        assert 2.0 - 0.01 <= section.left_margin.cm <= 2.5 and 2.0 - 0.01 <= section.right_margin.cm <= 2.5
        assert section.header_distance.cm >= 1.5  # the page number clear of the binding

    pdf = pypdfium2.PdfDocument(seed["files"]["pdf"])
    pages = pdf_pages(seed["files"]["pdf"])
    first_appendix = next(i for i, text in enumerate(pages) if text.startswith("Phụ lục"))
    tolerance = 0.06  # a line's half width and the rendering's edge
    checks = [(0, PORTRAIT, 0.0), (1, PORTRAIT, PORTRAIT["top"]), (first_appendix, LANDSCAPE, 0.0),
              (first_appendix + 1, LANDSCAPE, LANDSCAPE["top"]), (len(pages) - 1, LANDSCAPE, LANDSCAPE["top"])]
    for index, page, below in checks:
        width, height = pdf[index].get_size()
        assert (width > height) == (page is LANDSCAPE)
        left, top, right, bottom = ink_box_cm(pdf[index], top_cm=below)
        assert left >= page["left"] - tolerance and right <= page["width"] - page["right"] + tolerance, index
        assert top >= page["top"] - tolerance and bottom <= page["height"] - page["bottom"] + tolerance, index
        if below:  # a page after a part's first: its number in the top margin (on a landscape page clear of the
            number = ink_box_cm(pdf[index])  # binding's first 1.5 cm)
            assert (1.5 if page is LANDSCAPE else 0.5) <= number[1] < page["top"], index


# ---------------------------------------------------------------- 4. the results say what they count


def test_the_results_count_each_thing_in_a_column_of_its_own(seed):
    tables = tables_by_heading(seed["files"]["docx"])
    grid, agencies = tables["Tổng số nhiệm vụ"], tables["STT"]
    for table in (grid, agencies):
        headings = [c.text for c in table.rows[0].cells]
        assert "Quá hạn" not in headings and "Đúng hạn / Trong hạn" not in headings
        assert headings[-6:] == list(COUNT_HEADINGS)
    # "Tổng cộng" adds each column alone: 27 = 11 done on time + 4 done late + 3 open in time + 9 overdue.
    total = [c.text for c in agencies.rows[-1].cells]
    assert total == ["", "Tổng cộng", "27", "11", "4", "3", "9", "55,6%"]
    for column in range(2, 7):
        assert sum(int(row.cells[column].text) for row in agencies.rows[1:-1]) == int(total[column])
    pages = pdf_pages(seed["files"]["pdf"])
    report = report_part(pages)
    assert " ".join(COUNT_HEADINGS) in report and "Tổng cộng 27 11 4 3 9 55,6%" in report


# ---------------------------------------------------------------- 5. number, dates, ink, order, sheet names


def test_number_dates_and_ink_follow_the_form(seed):
    texts = docx_texts(seed["files"]["docx"])
    assert "Số: 05/BC-TGV" in texts
    assert any(t.startswith("(Kèm theo Báo cáo số 05/BC-TGV ngày") for t in texts)
    pages = pdf_pages(seed["files"]["pdf"])
    assert "Số: 05/BC-TGV" in pages[0]
    # One date style: dd/mm/yyyy wherever a date is written in figures (the place and date line is in words).
    for text in ("\n".join(texts), " ".join(pages)):
        dates = DATE.findall(text)
        assert len(dates) > 50 and all(re.fullmatch(r"\d{2}/\d{2}/\d{4}", d) for d in dates), \
            [d for d in dates if not re.fullmatch(r"\d{2}/\d{2}/\d{4}", d)]
    assert "Hà Nội, ngày" in pages[0]

    # Black ink, links too: every colour the DOCX's body names, and those of the styles it uses.
    with zipfile.ZipFile(seed["files"]["docx"]) as package:
        body = package.read("word/document.xml").decode()
    colours = set(re.findall(r'<w:color w:val="([0-9A-Fa-f]{6}|auto)"', body))
    assert colours <= {"000000", "auto"} and "<w:hyperlink" in body
    styles = docx.Document(seed["files"]["docx"]).styles
    used = set(re.findall(r'<w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', body)) | {"Normal"}
    for style in styles:
        if style.style_id in used and style.element.rPr is not None:
            colour = style.element.rPr.find(qn("w:color"))
            assert colour is None or colour.get(qn("w:val")) in ("000000", "auto"), style.style_id
    # The PDF's text is drawn in black: the fill colour in force at every text operator.
    reader = PdfReader(seed["files"]["pdf"])
    shown = set()
    for page in reader.pages:
        colour = (0.0,)
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator in (b"rg", b"g", b"k"):
                colour = tuple(round(float(v), 3) for v in operands)
            elif operator in (b"Tj", b"TJ", b"'", b'"'):
                shown.add(colour)
    assert shown and all(set(c) == {0.0} for c in shown), shown
    uris = [a.get_object()["/A"]["/URI"] for page in reader.pages for a in page.get("/Annots") or []]
    assert uris  # the links are there, in black


def test_agencies_are_in_vietnamese_order_and_sheets_have_vietnamese_names(seed):
    agencies = tables_by_heading(seed["files"]["docx"])["STT"]
    rows = [(r.cells[1].text, int(r.cells[6].text)) for r in agencies.rows[1:-1]]
    # Most overdue first; the agencies without an overdue task (and no delay to rank them by) in alphabetical order.
    assert [count for _, count in rows] == sorted((count for _, count in rows), reverse=True)
    on_time = [name for name, count in rows if count == 0]
    assert len(on_time) > 5 and on_time == sorted(on_time, key=collation_key)
    book = openpyxl.load_workbook(seed["files"]["xlsx"])
    assert book.sheetnames[:3] == ["Tổng hợp", "Danh sách", "Quá hạn"]
    assert "Bộ LĐ-TB&XH" in book.sheetnames
    long_names = {a["agency"]["name"] for a in seed["summary"]["by_lead_agency"] if len(a["agency"]["name"]) > 31}
    short_names = {a["agency"]["short_name"] for a in seed["summary"]["by_lead_agency"]}
    assert long_names and not long_names & set(book.sheetnames) and not short_names & set(book.sheetnames)


# ---------------------------------------------------------------- 6. the workbook prints


def test_every_sheet_prints_on_a4_landscape_fitted_to_the_width(seed):
    book = openpyxl.load_workbook(seed["files"]["xlsx"])
    assert len(book.worksheets) > 5
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (setup.orientation, setup.paperSize) == ("landscape", 9), sheet.title  # 9: A4
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0) and sheet.sheet_properties.pageSetUpPr.fitToPage
        if sheet.title != "Tổng hợp":
            assert sheet.print_title_rows == "$1:$1", sheet.title  # the header row on every page
    # Rows as tall as their wrapped text, counted at the most letters a unit of width may hold (Calibri's 1.4):
    # nothing overprints the row below.
    listing = book["Danh sách"]
    widths = [width for _, width in LIST_COLUMNS]
    assert [listing.column_dimensions[openpyxl.utils.get_column_letter(i)].width
            for i in range(1, len(widths) + 1)] == widths
    tall = 0
    for number, row in enumerate(listing.iter_rows(values_only=True), 1):
        lines = max(math.ceil(len(value) / (width * 1.4)) for value, width in zip(row, widths, strict=True)
                    if isinstance(value, str) and value) if any(isinstance(v, str) for v in row) else 1
        height = listing.row_dimensions[number].height or LINE_HEIGHT
        assert height >= lines * LINE_HEIGHT, (number, height, lines)
        tall += lines > 1
    assert tall > 20  # the seed's texts wrap


# ---------------------------------------------------------------- 7. the CSV for Excel on a Vietnamese Windows


def test_a_csv_for_excel_with_semicolons_beside_the_standard_one(clients, seed, tmp_path):
    response = clients.observer.get("/reports/completion", params={
        "directive_id": seed["directive"]["id"], "as_of": AS_OF, "format": "csv-excel"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert 'filename="tinh-hinh-thuc-hien-128-TB-VPCP-2022-08-08-excel.csv"' in \
        response.headers["content-disposition"]
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf") and not content[3:].lower().startswith(b"sep=")
    excel = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    standard = list(csv.reader(io.StringIO(seed["files"]["csv"].read_bytes().decode("utf-8-sig"))))
    assert excel == standard and len(excel) == 28 and tuple(excel[0]) == COLUMNS
    assert content.decode("utf-8-sig").splitlines()[0] == ";".join(COLUMNS)
    # The command line writes the same bytes.
    path = tmp_path / "list.csv"
    result = clients.database.cli("export", "--directive", "128/TB-VPCP", "--as-of", AS_OF, "--format", "csv-excel",
                                  "-o", str(path))
    assert result.returncode == 0, result.stderr
    assert path.read_bytes() == content


# ---------------------------------------------------------------- 8. what real reports hold


def previous_meeting(clients, before: str) -> dict:
    directives, cursor = [], None
    while True:  # the directives come by page, as /tasks do
        page = clients.observer.get("/directives", params={"limit": 200, "cursor": cursor} if cursor else
                                    {"limit": 200}).json()
        directives += page["items"]
        if not (cursor := page["next_cursor"]):
            break
    return max((d for d in directives if d["meeting_date"] < before), key=lambda d: d["meeting_date"])


def test_the_rate_and_its_change_since_the_previous_meeting(clients, seed):
    # As of 8/8/2022 the meeting before is the 2nd session's own (27/4/2022) in the seed — its tasks did not exist
    # yet: nothing to compare — or, in a database other tests share, a meeting one of them recorded in between.
    first = flat(" ".join(docx_texts(seed["files"]["docx"])))
    meeting = previous_meeting(clients, AS_OF)
    assert "Tỷ lệ hoàn thành đạt 55,6% (15/27 nhiệm vụ)." in first
    assert f"đến hết ngày {date.fromisoformat(meeting['meeting_date']):%d/%m/%Y} ({meeting['meeting_name']})" \
        in first.replace("Đến hết", "đến hết")
    if meeting["meeting_date"] == "2022-04-27":
        assert "Tỷ lệ hoàn thành đạt 55,6% (15/27 nhiệm vụ). Đến hết ngày 27/04/2022 (Phiên họp thứ 2 của Ủy ban " \
               "Quốc gia về chuyển đổi số), chưa có nhiệm vụ nào trong phạm vi báo cáo này" in first
    # As of 31/12/2022: compared with the figures as of the 3rd session's day.
    meeting = previous_meeting(clients, LATER)
    summary = {day: clients.observer.get("/reports/summary", params={"directive_id": seed["directive"]["id"],
                                                                     "as_of": day}).json()
               for day in (meeting["meeting_date"], LATER)}
    before, after = summary[meeting["meeting_date"]], summary[LATER]
    assert before["completed"]["total"] < after["completed"]["total"]
    day = date.fromisoformat(meeting["meeting_date"]).strftime("%d/%m/%Y")

    def rate(s):
        return f"{100 * s['completed']['total'] / s['total']:.1f}".replace(".", ",") + "%"

    done_then, done_now = before["completed"]["total"], after["completed"]["total"]
    late_then, late_now = before["not_completed"]["overdue"], after["not_completed"]["overdue"]
    change = "giảm" if late_now < late_then else "tăng"
    expected = (f"Tỷ lệ hoàn thành đạt {rate(after)} ({done_now}/{after['total']} nhiệm vụ). So với số liệu đến hết "
                f"ngày {day} ({meeting['meeting_name']}): số nhiệm vụ đã hoàn thành tăng {done_now - done_then} (từ "
                f"{done_then} lên {done_now}), số nhiệm vụ quá hạn chưa hoàn thành {change} "
                f"{abs(late_now - late_then)} (từ {late_then} {'xuống' if change == 'giảm' else 'lên'} {late_now}); "
                f"tỷ lệ hoàn thành từ {rate(before)} lên {rate(after)}.")
    texts = docx_texts(seed["files"]["later.docx"])
    assert expected in texts
    grid = tables_by_heading(seed["files"]["later.docx"])["Tổng số nhiệm vụ"]
    assert [[c.text for c in row.cells][:3] for row in grid.rows[1:]] == [
        ["Đến hết ngày 31/12/2022", str(after["total"]), str(after["completed"]["on_time"])],
        [f"Đến hết ngày {day} (phiên họp trước)", str(before["total"]), str(before["completed"]["on_time"])],
        ["Tăng (+), giảm (-)", "0", f"{after['completed']['on_time'] - before['completed']['on_time']:+d}"]]
    assert flat(expected) in report_part(pdf_pages(seed["files"]["later.pdf"]))


def test_priority_tasks_are_counted_and_marked(clients, seed):
    tasks = clients.observer.get("/tasks", params={"directive_id": seed["directive"]["id"], "limit": 100}).json()
    priority = {t["title"] for t in tasks["items"] if t["priority"]}
    assert 0 < len(priority) < 27
    lines = list(csv.reader(io.StringIO(seed["files"]["csv"].read_bytes().decode("utf-8-sig"))))[1:]
    marked = [line for line in lines if line[COLUMNS.index("Nhiệm vụ trọng tâm")] == "Có"]
    assert {line[2] for line in marked} == priority
    done = [line for line in marked if line[8].startswith("Đã hoàn thành")]
    overdue = [line for line in marked if line[8].startswith("Chưa hoàn thành, quá hạn")]
    texts = docx_texts(seed["files"]["docx"])
    sentence = next(t for t in texts if "nhiệm vụ trọng tâm (ghi" in t)
    assert sentence.startswith(f"Trong 27 nhiệm vụ có {len(priority)} nhiệm vụ trọng tâm (ghi “{PRIORITY_MARK}” tại "
                               f"Phụ lục I): {len(done)} nhiệm vụ đã hoàn thành")
    assert f"quá hạn {len(overdue)}); tỷ lệ hoàn thành" in sentence
    # Marked in the list, in bold above the task's content.
    table = [t for t in docx.Document(seed["files"]["docx"]).tables if t.rows[0].cells[0].text == "STT"
             and len(t.rows[0].cells) == len(LIST_HEADINGS)][0]
    content = LIST_HEADINGS.index("Nội dung nhiệm vụ")
    cells = [r.cells[content] for r in table.rows[1:] if r.cells[0].text.isdigit()]
    flagged = [c for c in cells if c.paragraphs[0].text == PRIORITY_MARK]
    assert len(flagged) == len(priority) and all(c.paragraphs[0].runs[0].bold for c in flagged)
    assert {c.paragraphs[1].text for c in flagged} == priority
    pages = pdf_pages(seed["files"]["pdf"])
    first, second = (next(i for i, t in enumerate(pages) if t.startswith(h)) for h in ("Phụ lục I ", "Phụ lục II "))
    assert " ".join(pages[first:second]).count(PRIORITY_MARK) == len(priority)


def test_the_overdue_tasks_alone_and_the_table_per_agency(seed):
    book = openpyxl.load_workbook(seed["files"]["xlsx"])
    overdue = [row for row in book["Quá hạn"].iter_rows(min_row=2, values_only=True)]
    header = [c.value for c in book["Quá hạn"][1]]
    assert len(overdue) == 9 and [row[0] for row in overdue] == list(range(1, 10))
    assert {row[header.index("Đúng hạn / Trong hạn / Quá hạn")] for row in overdue} == {"Quá hạn"}
    assert {row[header.index("Tình trạng")] for row in overdue} <= {"Chưa hoàn thành", "Chưa hoàn thành (đã báo cáo "
                                                                    "hoàn thành, chờ xác nhận)"}
    pages = pdf_pages(seed["files"]["pdf"])
    report = report_part(pages)
    for agency in seed["summary"]["by_lead_agency"]:
        counts = [agency["total"], agency["completed"]["on_time"], agency["completed"]["late"],
                  agency["not_completed"]["in_time"], agency["not_completed"]["overdue"]]
        assert f"{agency['agency']['name']} {' '.join(map(str, counts))}" in report, agency["agency"]["name"]
    appendix_ii = next(text for text in pages if text.startswith("Phụ lục II "))
    assert "DANH SÁCH NHIỆM VỤ QUÁ HẠN CHƯA HOÀN THÀNH ĐẾN HẾT NGÀY 08/08/2022" in appendix_ii


def test_the_clause_and_the_accountable_official_are_columns(clients, seed):
    tasks = clients.observer.get("/tasks", params={"directive_id": seed["directive"]["id"], "limit": 100}).json()
    by_title = {t["title"]: t for t in tasks["items"]}
    table = [t for t in docx.Document(seed["files"]["docx"]).tables if t.rows[0].cells[0].text == "STT"
             and len(t.rows[0].cells) == len(LIST_HEADINGS)][0]
    columns = {name: LIST_HEADINGS.index(name) for name in ("Mục trong văn bản", "Người chịu trách nhiệm",
                                                             "Nội dung nhiệm vụ")}
    rows = [r for r in table.rows[1:] if r.cells[0].text.isdigit()]
    assert len(rows) == 27
    for row in rows:
        task = by_title[row.cells[columns["Nội dung nhiệm vụ"]].paragraphs[-1].text]
        assert row.cells[columns["Mục trong văn bản"]].text == (task["clause_ref"] or "")
        assert row.cells[columns["Người chịu trách nhiệm"]].text == task["accountable_official"]
    assert len({r.cells[columns["Mục trong văn bản"]].text for r in rows}) > 5
    listing = " ".join(pdf_pages(seed["files"]["pdf"]))
    assert "Mục trong văn bản Nội dung nhiệm vụ Cơ quan chủ trì Người chịu trách nhiệm" in listing
    assert flat(next(iter(by_title.values()))["accountable_official"]) in listing


def test_requests_awaiting_a_decision_on_the_day(clients, backdated, directive, agencies, tmp_path):
    """A request counts on the days it waits: from the day it is made until the day it is decided."""
    recorded, deadline = noon(ahead(-40)), iso(ahead(30))
    asked = backdated(recorded, deadline=deadline)
    to_withdraw = backdated(recorded, deadline=deadline, title="Xây dựng Đề án thí điểm cơ sở dữ liệu về hóa đơn "
                                                                "điện tử của doanh nghiệp nhỏ và vừa")
    decided = backdated(recorded, deadline=deadline, title="Tổng kết việc triển khai hóa đơn điện tử khởi tạo từ "
                                                           "máy tính tiền tại các địa phương")
    wanted = ahead(90)
    for task_id, body in ((asked, {"requested_deadline": iso(wanted), "reason": "Chờ ý kiến thẩm định"}),
                          (to_withdraw, {"kind": "withdraw", "reason": "Nội dung đã được giao tại văn bản khác"}),
                          (decided, {"requested_deadline": iso(wanted), "reason": "Chờ ý kiến các bộ"})):
        made = clients.lead.post(f"/tasks/{task_id}/extension-requests", json=body)
        assert made.status_code == 201, made.text
        if task_id == decided:
            assert clients.secretariat.post(f"/extension-requests/{made.json()['id']}/decision",
                                            json={"decision": "rejected", "note": "Không có căn cứ"}).status_code \
                == 200

    def report(day) -> list[str]:
        response = clients.secretariat.get("/reports/completion", params={
            "directive_id": directive["id"], "as_of": iso(day), "format": "docx"})
        assert response.status_code == 200, response.text
        (tmp_path / "r.docx").write_bytes(response.content)
        return docx_texts(tmp_path / "r.docx")

    today = report(ahead(0))
    part = today.index("III. CÁC ĐỀ NGHỊ ĐIỀU CHỈNH CHỜ QUYẾT ĐỊNH")
    assert today[part + 1] == (f"Đến hết ngày {ahead(0):%d/%m/%Y}, có 2 đề nghị điều chỉnh chờ quyết định (1 đề nghị "
                               f"lùi thời hạn, 1 đề nghị rút nhiệm vụ, ghi tại cột “Tình trạng” của Phụ lục), của 1 "
                               f"cơ quan chủ trì:")
    lead = agencies[LEAD_AGENCY]["name"]  # the lead agency of every task made here
    assert today[part + 2] == f"- {lead}: 1 đề nghị lùi thời hạn, 1 đề nghị rút nhiệm vụ."
    assert f"Đang đề nghị lùi thời hạn đến {wanted:%d/%m/%Y} (chờ quyết định)" in today
    assert today.count("Đang đề nghị rút nhiệm vụ (chờ quyết định)") == 1
    # The day before, nothing was asked yet.
    yesterday = report(ahead(-1))
    part = yesterday.index("III. CÁC ĐỀ NGHỊ ĐIỀU CHỈNH CHỜ QUYẾT ĐỊNH")
    assert yesterday[part + 1].endswith("không có đề nghị lùi thời hạn hay rút nhiệm vụ nào chờ quyết định.")
    assert not any(t.startswith("Đang đề nghị") for t in yesterday)


def test_the_office_writes_its_assessment_and_proposals(seed):
    paragraphs = docx.Document(seed["files"]["docx"]).paragraphs
    texts = [p.text for p in paragraphs]
    for heading in ("IV. ĐÁNH GIÁ CHUNG", "V. KIẾN NGHỊ, ĐỀ XUẤT"):
        index = texts.index(heading)
        placeholder = paragraphs[index + 1]
        assert placeholder.text.startswith("[Phần này do cơ quan báo cáo viết:") and placeholder.text.endswith("]")
        assert all(run.italic for run in placeholder.runs)
    assert texts.index("V. KIẾN NGHỊ, ĐỀ XUẤT") < texts.index("Phụ lục I")
    assert "IV. ĐÁNH GIÁ CHUNG" in report_part(pdf_pages(seed["files"]["pdf"]))



# ---------------------------------------------------------------- 9. what an officer's own reading found


def test_a_serial_number_a_missing_glyph_a_late_completion_and_an_empty_scope_read_plainly(tmp_path):
    """Found by reading the files as an office would: a list's serial number is a label (1024, not "1.024" broken
    over two lines of its 1 cm column); an emoji the PDF's font cannot draw is a box, not a gap; a task completed late
    is not "Quá hạn" like one still overdue; a scope with no task has no "0% (0/0)" rate; a number typed " 7 " is 07."""
    report, rows = synthetic(3, agencies=1)
    rows = [replace(rows[0], number=1024, title="Triển khai nền tảng 🚀 trợ lý số"),
            replace(rows[1], completed=True, late_days=9), rows[2]]
    pdf, xlsx = tmp_path / "list.pdf", tmp_path / "list.xlsx"
    pdf_writer.write_pdf(report, iter(rows), pdf, DocumentSettings(number=" 7 "))
    text = " ".join(pdf_pages(pdf))
    assert "1024 128/TB-VPCP" in text and "1.024" not in text
    assert f"nền tảng {pdf_writer.NO_GLYPH} trợ lý số" in text
    assert "Số: 07/BC-" in text
    formats.write_xlsx(report, iter(rows), xlsx, DocumentSettings())
    sheet = openpyxl.load_workbook(xlsx)["Danh sách"]
    header = [c.value for c in sheet[1]]
    timing = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=header.index(
        "Đúng hạn / Trong hạn / Quá hạn") + 1).value for r in range(2, sheet.max_row + 1)}
    assert timing[rows[1].number] == "Hoàn thành quá hạn"

    empty = replace(report, overall=GridCounts(), agencies=[], previous=None)
    assert "0/0" not in rate_sentence(empty) and "chưa có tỷ lệ hoàn thành" in rate_sentence(empty)

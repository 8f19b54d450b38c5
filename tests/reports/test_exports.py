"""The pre-meeting completion list in every format, each file opened with its own reader, on the seed's 2nd
session (27 tasks, 15 completed and 12 not on 8/8/2022): CSV and XLSX for the data, DOCX and PDF as the administrative
document of Nghị định 30/2020 (the report on A4 portrait, the list as its appendix on A4 landscape)."""

import csv
import io
import re
import subprocess
import time
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

import docx
import httpx
import openpyxl
import pypdfium2
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from app.reports import formats
from app.reports.completion import COLUMNS, Evidence, Report, Row
from app.reports.document import COUNT_HEADINGS, LIST_HEADINGS
from app.reports.schemas import DocumentSettings
from app.reports.service import GridCounts, Scope
from app.reports.xlsx_writer import LIST_COLUMNS, sheet_title
from app.tasks.models import DeliverableType
from app.text import collation_key
from tests.conftest import DONE_REPORT, LEAD_AGENCY, PROJECT_DIR, ROVIEC, own_server
from tests.paging import every_item

# Integration: a real `roviec serve` process over HTTP.
pytestmark = pytest.mark.real_server

AS_OF = "2022-08-08"
SENTENCE_START = "Trong 27 nhiệm vụ giao tại Phiên họp thứ 2 của Ủy ban Quốc gia về chuyển đổi số, có 15 nhiệm vụ đã " \
                 "hoàn thành"
TITLE = "Tình hình thực hiện các nhiệm vụ giao tại Phiên họp thứ 2 của Ủy ban Quốc gia về chuyển đổi số (Văn bản số " \
        "128/TB-VPCP ngày 06/05/2022)"
HEADER_ROW = " ".join(LIST_HEADINGS)  # the appendices' header row, as a PDF page's text reads it
FORMATS = ("csv", "csv-excel", "xlsx", "docx", "pdf")


def _second_session(clients) -> dict:
    directive = next(d for d in every_item(clients.observer, "/directives") if d["reference"] == "128/TB-VPCP (2022)")
    summary = clients.observer.get("/reports/summary", params={"directive_id": directive["id"], "as_of": AS_OF})
    return {"directive": directive, "summary": summary.json()}


@pytest.fixture
def second_session(clients) -> dict:
    return _second_session(clients)


@pytest.fixture(scope="module")
def files(server_clients, tmp_path_factory) -> dict[str, Path]:
    """The 2nd session's list as of 8/8/2022 in every format, downloaded once for the tests that only read it."""
    folder = tmp_path_factory.mktemp("exports")
    second_session = _second_session(server_clients)
    made = {}
    for fmt in FORMATS:
        made[fmt] = folder / f"list.{fmt}"
        print(f"\n{fmt}: {made[fmt]}")
        made[fmt].write_bytes(export(server_clients.secretariat, second_session, fmt).content)
    return made


def export(client, second_session, fmt: str, **params):
    response = client.get("/reports/completion", params={"directive_id": second_session["directive"]["id"],
                                                         "as_of": AS_OF, "format": fmt} | params)
    assert response.status_code == 200, response.text
    return response


def lead_count(second_session, code: str) -> int:
    return next(a["total"] for a in second_session["summary"]["by_lead_agency"] if a["agency"]["code"] == code)


def overdue_agencies(second_session) -> list[dict]:
    return [a for a in second_session["summary"]["by_lead_agency"] if a["not_completed"]["overdue"]]


def flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def pdf_pages(path: Path) -> list[str]:
    return [flat(page.extract_text()) for page in PdfReader(path).pages]


# ---------------------------------------------------------------- CSV and XLSX


def test_csv_is_excel_ready_and_complete(clients, second_session):
    response = export(clients.observer, second_session, "csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="tinh-hinh-thuc-hien-128-TB-VPCP-2022-08-08.csv"' in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for Vietnamese
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS and len(rows) == 28
    assert [int(r[0]) for r in rows[1:]] == list(range(1, 28))
    assert sum(r[8].startswith("Đã hoàn thành") for r in rows[1:]) == 15
    assert sum(r[8].startswith("Chưa hoàn thành") for r in rows[1:]) == 12
    finance = [r for r in rows[1:] if r[3] == "Bộ Tài chính"]
    assert len(finance) == lead_count(second_session, LEAD_AGENCY)
    assert all(r[1] == "128/TB-VPCP ngày 06/05/2022" for r in rows[1:])
    overdue = [r for r in rows[1:] if "quá hạn" in r[8] and r[8].startswith("Chưa")]
    assert overdue and all(r[8].split("quá hạn ")[1].split(" ")[0].isdigit() for r in overdue)
    # Agencies with overdue tasks come first.
    first_without = next(i for i, r in enumerate(rows[1:]) if "quá hạn" not in r[8] or r[8].startswith("Đã"))
    assert all("quá hạn" in r[8] for r in rows[1:first_without + 1] if r[3] == rows[1][3])
    # Plain text, one line per value: the evidence as "số/ký hiệu, ngày dd/mm/yyyy" and its link as an address.
    assert all("\n" not in cell for r in rows for cell in r)
    done = [r for r in rows[1:] if "Sản phẩm: " in r[7]]
    assert done and all(", ngày " in r[7] and "https://" in r[7] for r in done)
    # The deliverable type once: never "Nghị định: Nghị định ...", never "Khác: ...".
    assert not any(r[6].startswith(f"{kind}: {kind}") for r in rows[1:] for kind in DeliverableType)
    assert not any(r[6].startswith("Khác") for r in rows[1:])


def test_xlsx_sorts_and_filters(files, second_session):
    book = openpyxl.load_workbook(files["xlsx"])
    summary = book["Tổng hợp"]
    lines = [list(r) for r in summary.iter_rows(values_only=True)]
    texts = [c for line in lines for c in line if isinstance(c, str)]
    # The document's header: issuing body, the type and title, the as-of day as a real date.
    assert "TỔ GIÚP VIỆC" in texts and "BÁO CÁO" in texts and TITLE in texts
    as_of_row = next(r for r in summary.iter_rows() if r[0].value == "Số liệu đến hết ngày")
    assert as_of_row[1].is_date and as_of_row[1].number_format == "dd/mm/yyyy"
    assert as_of_row[1].value.date() == date(2022, 8, 8)
    assert any(str(t).startswith(SENTENCE_START) for t in texts)
    # The results and the table per lead agency as numbers, each column one thing counted.
    assert [None, *COUNT_HEADINGS] in [line[:7] for line in lines]
    assert ["Đến hết ngày 08/08/2022", 27, 11, 4, 3, 9, pytest.approx(15 / 27)] in [line[:7] for line in lines]
    start = next(i for i, line in enumerate(lines) if line[0] == "Cơ quan chủ trì")
    assert lines[start][1:6] == list(COUNT_HEADINGS[:5])
    per_agency = lines[start + 1:start + 1 + len(second_session["summary"]["by_lead_agency"])]
    assert {line[0]: line[1] for line in per_agency} == {a["agency"]["name"]: a["total"] for a in second_session[
        "summary"]["by_lead_agency"]}
    assert all(all(isinstance(v, int) for v in line[1:6]) for line in per_agency)
    assert sum(line[1] for line in per_agency) == 27 and sum(line[2] + line[3] for line in per_agency) == 15
    assert sum(line[5] for line in per_agency) == 9
    assert all(isinstance(line[7], float | int) for line in per_agency)
    total = lines[start + 1 + len(per_agency)]
    assert total[:6] == ["Tổng cộng", 27, 11, 4, 3, 9] and total[7] == pytest.approx(15 / 27)

    listing = book["Danh sách"]
    header = tuple(c.value for c in listing[1])
    assert header == tuple(name for name, _ in LIST_COLUMNS)
    assert listing.freeze_panes == "A2" and listing.max_row == 28
    assert listing.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}28"
    column = {name: i for i, name in enumerate(header)}
    rows = list(listing.iter_rows(min_row=2))
    for name in ("Ngày văn bản", "Thời hạn", "Thời hạn ban đầu"):
        cells = [r[column[name]] for r in rows]
        assert all(c.is_date and c.number_format == "dd/mm/yyyy" for c in cells), name
    assert all(isinstance(r[column["STT"]].value, int) for r in rows)
    overdue_days = [r[column["Số ngày quá hạn"]].value for r in rows if r[column["Tình trạng"]].value.startswith(
        "Chưa hoàn thành") and r[column["Đúng hạn / Trong hạn / Quá hạn"]].value == "Quá hạn"]
    assert len(overdue_days) == 9 and all(isinstance(d, int) and d > 0 for d in overdue_days)
    assert sum(1 for r in rows if r[column["Tình trạng"]].value == "Đã hoàn thành") == 15
    marked = [r for r in rows if r[0].fill.fgColor.rgb.endswith("FFC7CE")]
    assert len(marked) == 9
    assert listing.cell(2, column["Nội dung nhiệm vụ"] + 1).alignment.wrap_text

    finance = book["Bộ Tài chính"]
    assert finance.max_row - 1 == lead_count(second_session, LEAD_AGENCY)
    assert finance.auto_filter.ref
    assert all(r[column["Cơ quan chủ trì"]] == "Bộ Tài chính" for r in finance.iter_rows(min_row=2, values_only=True))
    # Sheet names by rule: the name when it fits in 31 characters, else the agency's short name.
    assert all(len(name) <= 31 for name in book.sheetnames)
    assert len({name.casefold() for name in book.sheetnames}) == len(book.sheetnames)
    # "Bộ Lao động - Thương binh và Xã hội" is 35 characters: its Vietnamese short name, not the acronym BLĐTBXH.
    assert "Bộ LĐ-TB&XH" in book.sheetnames and "BLĐTBXH" not in book.sheetnames


def test_sheet_names_are_shortened_by_rule():
    used: set[str] = set()
    assert sheet_title("Bộ Tài chính", used) == "Bộ Tài chính"
    # Too long for Excel's 31 characters: the Vietnamese short name officials write, never an English acronym.
    assert sheet_title("Bộ Nông nghiệp và Phát triển nông thôn", used) == "Bộ NN&PTNT"
    assert sheet_title("Bộ Lao động - Thương binh và Xã hội", used) == "Bộ LĐ-TB&XH"
    assert sheet_title("Viện Hàn lâm Khoa học và Công nghệ Việt Nam", used) == "Viện Hàn lâm KH&CN Việt Nam"
    assert sheet_title("Ủy ban Quản lý vốn nhà nước tại doanh nghiệp", used) == "Ủy ban QLVNN tại DN"
    assert sheet_title("Tổ giúp việc Ủy ban Quốc gia về chuyển đổi số", used) == "Tổ giúp việc UBQG về CĐS"
    assert sheet_title("Ủy ban nhân dân tỉnh Thừa Thiên Huế", used) == "UBND tỉnh Thừa Thiên Huế"
    assert sheet_title("Ban Chỉ đạo quốc gia về chuyển đổi số và Đề án 06", used) == "Ban Chỉ đạo QG về CĐS&ĐA 06"
    assert sheet_title("bộ tài chính", used) == "bộ tài chính (2)"  # Excel ignores case
    assert sheet_title("Sở Thông tin: [Truyền thông]", used) == "Sở Thông tin Truyền thông"
    assert all(len(name) <= 31 for name in used)


# ---------------------------------------------------------------- DOCX


def test_docx_is_the_report_and_its_appendix(files, second_session):
    document = docx.Document(files["docx"])
    report, appendix, overdue_appendix = document.sections
    assert (round(report.page_width.cm, 1), round(report.page_height.cm, 1)) == (21.0, 29.7)
    for section in (appendix, overdue_appendix):
        assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (29.7, 21.0)
    header, grid, agencies, signature, table, overdue_table = document.tables

    # The header block: body and number on the left, Quốc hiệu, Tiêu ngữ, place and date on the right.
    left, right = (cell.paragraphs for cell in header.rows[0].cells)
    assert [p.text for p in left if p.text] == ["ỦY BAN QUỐC GIA VỀ CHUYỂN ĐỔI SỐ", "TỔ GIÚP VIỆC"]
    assert all(r.bold for r in left[1].runs)
    assert left[2].text == "" and left[2]._p.pPr.find(qn("w:pBdr")) is not None  # the short line under the body
    assert [p.text for p in right if p.text] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert all(r.bold for p in right if p.text for r in p.runs)
    assert right[2]._p.pPr.find(qn("w:pBdr")) is not None  # the line under the motto
    number, place = (cell.text for cell in header.rows[1].cells)
    assert flat(number) == "Số: /BC-TGV" and number.startswith("Số:\u00a0")  # a blank for the number by hand
    assert flat(place) == "Hà Nội, ngày tháng năm"
    assert all(r.italic for r in header.rows[1].cells[1].paragraphs[0].runs)

    paragraphs = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in paragraphs and TITLE in paragraphs
    assert not any("THƯỜNG XUYÊN" in p for p in paragraphs)  # no standing task, no part for them
    assert any(p.startswith(SENTENCE_START) for p in paragraphs)
    # The results: a column for each thing counted, never one "Quá hạn" for tasks done late and tasks still open.
    assert [c.text for c in grid.rows[0].cells] == ["", *COUNT_HEADINGS]
    assert [c.text for c in grid.rows[1].cells] == ["Đến hết ngày 08/08/2022", "27", "11", "4", "3", "9", "55,6%"]
    assert [c.text for c in agencies.rows[0].cells] == ["STT", "Cơ quan chủ trì", *COUNT_HEADINGS]
    assert [c.text for c in agencies.rows[-1].cells] == ["", "Tổng cộng", "27", "11", "4", "3", "9", "55,6%"]
    by_name = {a["agency"]["name"]: a for a in second_session["summary"]["by_lead_agency"]}
    assert len(agencies.rows) == len(by_name) + 2
    for row in agencies.rows[1:-1]:
        line = by_name[row.cells[1].text]
        assert [c.text for c in row.cells[2:7]] == [str(v) for v in (
            line["total"], line["completed"]["on_time"], line["completed"]["late"], line["not_completed"]["in_time"],
            line["not_completed"]["overdue"])]
    # The agencies with overdue tasks, named with their count and longest delay, most overdue first.
    named = [p for p in paragraphs if p.startswith("- ") and "nhiệm vụ quá hạn" in p]
    assert len(named) == len(overdue_agencies(second_session))
    counts = [int(p.split(": ")[1].split(" ")[0]) for p in named]
    assert counts == sorted(counts, reverse=True) and sum(counts) == 9

    recipients, signer = (cell.paragraphs for cell in signature.rows[0].cells)
    assert recipients[0].text == "Nơi nhận:" and recipients[0].runs[0].bold and recipients[0].runs[0].italic
    assert recipients[-1].text.startswith("- Lưu: VT")
    assert [p.text for p in signer if p.text][:2] == ["TM. TỔ GIÚP VIỆC", "TỔ TRƯỞNG"]

    # The appendix: its title, then ONE table; its header row repeats on every page, agencies are rows inside it.
    assert "Phụ lục I" in paragraphs
    assert any(p.startswith("(Kèm theo Báo cáo số") and p.endswith("của Tổ giúp việc)") for p in paragraphs)
    assert tuple(c.text for c in table.rows[0].cells) == LIST_HEADINGS
    repeated = [i for i, row in enumerate(table.rows) if row._tr.trPr is not None
                and row._tr.trPr.find(qn("w:tblHeader")) is not None]
    assert repeated == [0]
    task_rows = [r for r in table.rows[1:] if r.cells[0].text.isdigit()]
    group_rows = [r for r in table.rows[1:] if not r.cells[0].text.isdigit()]
    assert len(task_rows) == 27
    assert len(group_rows) == len(second_session["summary"]["by_lead_agency"])
    assert group_rows[0].cells[0].text.startswith("I. ") and "nhiệm vụ" in group_rows[0].cells[0].text
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in task_rows)
    assert all(len(r._tr.tc_lst) == len(LIST_HEADINGS) for r in task_rows)
    assert all(len(r._tr.tc_lst) == 1 for r in group_rows)  # one cell across the table
    # Cells that read well: status with its days overdue; note and evidence on lines of their own; a real link.
    status, progress = LIST_HEADINGS.index("Tình trạng"), LIST_HEADINGS.index("Tình hình thực hiện")
    assert any(r.cells[status].text.endswith("ngày") and "quá hạn" in r.cells[status].text for r in task_rows)
    with_evidence = [r for r in task_rows
                     if any(p.text.startswith("Sản phẩm: ") for p in r.cells[progress].paragraphs)]
    assert with_evidence
    links = [link for r in with_evidence for p in r.cells[progress].paragraphs for link in p.hyperlinks]
    assert links and all(link.text == "Xem văn bản" and link.address.startswith("https://") for link in links)
    assert not any("https://" in r.cells[progress].text for r in task_rows)  # the address is the link, not the text
    # The overdue tasks alone, numbered anew, each agency's row saying how many and the longest delay.
    assert "Phụ lục II" in paragraphs and "DANH SÁCH NHIỆM VỤ QUÁ HẠN CHƯA HOÀN THÀNH ĐẾN HẾT NGÀY 08/08/2022" in \
        paragraphs
    assert tuple(c.text for c in overdue_table.rows[0].cells) == LIST_HEADINGS
    overdue_rows = [r for r in overdue_table.rows[1:] if r.cells[0].text.isdigit()]
    assert [r.cells[0].text for r in overdue_rows] == [str(n) for n in range(1, 10)]
    assert all(r.cells[status].text.startswith("Chưa hoàn thành") and "quá hạn" in r.cells[status].text
               for r in overdue_rows)
    overdue_groups = [r.cells[0].text for r in overdue_table.rows[1:] if not r.cells[0].text.isdigit()]
    assert len(overdue_groups) == len(overdue_agencies(second_session))
    assert all(re.search(r"\(1 nhiệm vụ quá hạn \d+ ngày\)$|nhiệm vụ quá hạn, lâu nhất \d+ ngày\)$", title)
               for title in overdue_groups)
    assert document.core_properties.created == document.core_properties.modified == datetime(2022, 8, 8, tzinfo=UTC)
    for section in document.sections[1:]:
        assert 'w:instrText xml:space="preserve">PAGE<' in section.header._element.xml
        assert section._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"  # each appendix counts its own


# ---------------------------------------------------------------- PDF


def test_pdf_is_the_same_document(files, second_session, tmp_path):
    path = files["pdf"]
    reader = PdfReader(path)
    pages = pdf_pages(path)
    first = pages[0]
    for expected in ("ỦY BAN QUỐC GIA VỀ CHUYỂN ĐỔI SỐ", "TỔ GIÚP VIỆC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Số: /BC-TGV", "Hà Nội, ngày tháng năm", "BÁO CÁO",
                     flat(TITLE), "có 15 nhiệm vụ đã hoàn thành", "12 nhiệm vụ chưa hoàn thành",
                     "Đến hết ngày 08/08/2022 27 11 4 3 9 55,6%"):
        assert expected in first, expected
    report = " ".join(pages[:next(i for i, text in enumerate(pages) if text.startswith("Phụ lục"))])
    for expected in ("Tổng cộng 27 11 4 3 9 55,6%", "Nơi nhận:", "TM. TỔ GIÚP VIỆC", "TỔ TRƯỞNG", "- Lưu: VT, TGV."):
        assert expected in report, expected
    for agency in overdue_agencies(second_session):
        count = agency["not_completed"]["overdue"]
        assert f"- {agency['agency']['name']}: {count} nhiệm vụ quá hạn" in report
    # The report is portrait, the appendices landscape; each starts on a page of its own.
    appendix = next(i for i, text in enumerate(pages) if text.startswith("Phụ lục"))
    overdue = next(i for i, text in enumerate(pages) if text.startswith("Phụ lục II"))
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]
    assert all(w < h for w, h in sizes[:appendix]) and all(w > h for w, h in sizes[appendix:])
    assert "(Kèm theo Báo cáo số /BC-TGV ngày / / của Tổ giúp việc)" in pages[appendix]
    assert pages[appendix].count(HEADER_ROW) == 1 and pages[overdue].count(HEADER_ROW) == 1
    # Page 2 of an appendix, and every later one, starts with the header row, which is not repeated elsewhere.
    assert overdue - appendix >= 2
    assert all(text.startswith(HEADER_ROW) and text.count(HEADER_ROW) == 1
               for text in pages[appendix + 1:overdue] + pages[overdue + 1:])
    listing = " ".join(pages[appendix:overdue])
    assert all(f" {n} 128/TB-VPCP ngày 06/05/2022 " in listing for n in range(1, 28))
    overdue_listing = " ".join(pages[overdue:])
    assert all(f" {n} 128/TB-VPCP ngày 06/05/2022 " in overdue_listing for n in range(1, 10))
    assert " 10 128/TB-VPCP" not in overdue_listing
    assert f"Bộ Tài chính ({lead_count(second_session, LEAD_AGENCY)} nhiệm vụ" in listing
    # No page ends with an agency's row: it goes with its first task.
    for text in pages[appendix:]:
        assert not text.rstrip(" 0123456789").endswith(("quá hạn)", "nhiệm vụ)", "ngày)")), text[-80:]
    # Links are links: an annotation to the evidence's address, "Xem văn bản" on the page, not the address.
    uris = [annotation.get_object()["/A"]["/URI"] for page in reader.pages
            for annotation in page.get("/Annots") or []]
    assert uris and all(uri.startswith("https://") for uri in uris)
    assert "Xem văn bản" in listing and "https://" not in listing
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    assert fonts and all("LiberationSerif" in font for font in fonts)

    # The report's first page and the appendix's as the office sees them (the README shows the same pages, in docs/:
    # completion-page-1.png and completion-page-2.png).
    document = pypdfium2.PdfDocument(path)
    for number, index in ((1, 0), (2, appendix)):
        image = document[index].render(scale=110 / 72).to_pil()
        png = tmp_path / f"completion-page-{number}.png"
        image.save(png)
        print(f"\nrendered page {index + 1} of the PDF: {png}")
        grey = image.convert("L")
        darkest, lightest = grey.getextrema()
        assert darkest < 60 and lightest > 240  # ink on paper, not a blank page
    assert document[0].get_size()[0] < document[0].get_size()[1]


# ---------------------------------------------------------------- same input, same bytes; size


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_second_download_is_byte_identical(clients, second_session, files, fmt):
    # A clock in the file would now read another second: at least 1.1 s since the first download was written
    # (the tests run meanwhile usually took longer, so this rarely waits).
    time.sleep(max(0.0, files[fmt].stat().st_mtime + 1.1 - time.time()))
    assert export(clients.secretariat, second_session, fmt).content == files[fmt].read_bytes()


@pytest.fixture(scope="module")
def small_pdf_server(migrated) -> str:
    """A second server on the same database that refuses PDFs of more than 20 tasks."""
    with own_server(migrated, pdf_max_rows="20") as running:
        yield f"{running.base_url}/api/v1"


def test_a_list_too_long_for_a_pdf_is_refused(clients, second_session, small_pdf_server, tmp_path):
    params = {"directive_id": second_session["directive"]["id"], "as_of": AS_OF}
    headers = dict(clients.observer.headers)
    refused = httpx.get(f"{small_pdf_server}/reports/completion", params=params | {"format": "pdf"},
                        headers=headers, timeout=30)
    assert refused.status_code == 422
    problem = refused.json()["detail"][0]
    assert problem["type"] == "too_large_for_pdf" and problem["field"] == "format"
    assert "27 tasks" in problem["msg"] and "xlsx" in problem["msg"] and "csv" in problem["msg"]
    assert "27 nhiệm vụ" in problem["msg_vi"] and "xlsx" in problem["msg_vi"]
    assert httpx.get(f"{small_pdf_server}/reports/completion", params=params | {"format": "xlsx"},
                     headers=headers, timeout=30).status_code == 200
    # roviec export says the same, and writes nothing.
    output = tmp_path / "big.pdf"
    result = subprocess.run([ROVIEC, "export", "--directive", "128/TB-VPCP", "--as-of", AS_OF, "--format", "pdf",
                             "-o", str(output)], env=clients.database.env() | {"ROVIEC_PDF_MAX_ROWS": "20"},
                            cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "xlsx" in result.stderr and not output.exists()


# ---------------------------------------------------------------- the writers alone: settings, long lists


def synthetic(count: int, agencies: int = 12, long_note_at: int | None = None) -> tuple[Report, list[Row]]:
    """A list written without a database: `count` tasks over `agencies` lead agencies, some long."""
    rows, per_agency = [], {}
    for number in range(1, count + 1):
        agency = (number - 1) * agencies // count + 1
        completed, late = number % 3 == 0, (number % 5) * 11
        note = "Đang hoàn thiện dự thảo, lấy ý kiến các bộ, ngành và địa phương. " * (1 + number % 4)
        if number == long_note_at:
            note = " ".join(["Đã hoàn thành dự thảo, lấy ý kiến các bộ, ngành và địa phương; tổng hợp, giải trình."]
                            * 60) + " HẾT."
        evidence = Evidence(f"{number}/QĐ-BTC", date(2022, 7, 1), f"https://example.gov.vn/{number}") \
            if completed else None
        rows.append(Row(number, agency, f"Cơ quan số {agency}", "128/TB-VPCP", date(2022, 5, 6),
                        f"Nhiệm vụ {number}: " + "triển khai nền tảng số dùng chung của ngành " * (1 + number % 3),
                        "Bộ Công an", date(2022, 6, 30), date(2022, 6, 30), date(2022, 6, 30),
                        "Kế hoạch triển khai được ban hành", None if completed else 50, note, evidence, completed,
                        False, late))
        counts = per_agency.setdefault(agency, GridCounts())
        if completed:
            counts.late, counts.on_time = counts.late + (late > 0), counts.on_time + (late == 0)
        else:
            counts.overdue, counts.in_time = counts.overdue + (late > 0), counts.in_time + (late == 0)
            counts.longest_overdue = max(counts.longest_overdue, late)
    overall = GridCounts()
    for counts in per_agency.values():
        overall.add(counts)
    refs = [({"id": a, "code": f"A{a}", "name": f"Cơ quan số {a}", "short_name": f"CQ{a}"}, c)
            for a, c in sorted(per_agency.items())]
    return Report("Tình hình thực hiện các nhiệm vụ được giao", date(2022, 8, 8), "Trong ... nhiệm vụ.", overall,
                  refs, Scope()), rows


def test_document_settings_fill_the_header_the_appendix_and_the_signature(tmp_path):
    settings = DocumentSettings(parent_body="", issuing_body="Văn phòng Chính phủ", symbol="VPCP", number="15",
                                place="Hà Nội", issued_on=date(2022, 8, 10),
                                signer_authority="KT. Bộ trưởng, Chủ nhiệm", signer_position="Phó Chủ nhiệm",
                                signer_name="Nguyễn Văn A",
                                recipients=["- Thủ tướng Chính phủ;", "- Lưu: VT, KSTT."])
    report, rows = synthetic(12, agencies=3)
    formats.write_docx(report, iter(rows), tmp_path / "s.docx", settings)
    document = docx.Document(tmp_path / "s.docx")
    header = document.tables[0]
    assert [p.text for p in header.rows[0].cells[0].paragraphs if p.text] == ["VĂN PHÒNG CHÍNH PHỦ"]
    assert [c.text for c in header.rows[1].cells] == ["Số: 15/BC-VPCP", "Hà Nội, ngày 10 tháng 8 năm 2022"]
    signature = next(t for t in document.tables if t.rows[0].cells[0].text.startswith("Nơi nhận:"))
    signer = [p.text for p in signature.rows[0].cells[1].paragraphs if p.text]
    assert signer == ["KT. BỘ TRƯỞNG, CHỦ NHIỆM", "PHÓ CHỦ NHIỆM", "Nguyễn Văn A"]
    assert [p.text for p in signature.rows[0].cells[0].paragraphs][1:] == settings.recipients
    reference = "(Kèm theo Báo cáo số 15/BC-VPCP ngày 10/08/2022 của Văn phòng Chính phủ)"
    assert reference in [p.text for p in document.paragraphs]

    formats.write_pdf(report, iter(rows), tmp_path / "s.pdf", settings)
    pages = pdf_pages(tmp_path / "s.pdf")
    for expected in ("VĂN PHÒNG CHÍNH PHỦ", "Số: 15/BC-VPCP", "Hà Nội, ngày 10 tháng 8 năm 2022"):
        assert expected in pages[0], expected
    report_pages = " ".join(pages[:next(i for i, text in enumerate(pages) if text.startswith("Phụ lục"))])
    for expected in ("KT. BỘ TRƯỞNG, CHỦ NHIỆM", "PHÓ CHỦ NHIỆM", "Nguyễn Văn A", "- Lưu: VT, KSTT."):
        assert expected in report_pages, expected
    assert any(reference in text for text in pages)
    # A full number keeps its symbol; a number below 10 and the months 1 and 2 take a leading zero, as Nghị định
    # 30/2020 has it.
    for number in ("7/BC-TGV", "7", "07"):
        other = DocumentSettings(number=number, issued_on=date(2023, 2, 3))
        formats.write_docx(report, iter(rows), tmp_path / "t.docx", other)
        assert [c.text for c in docx.Document(tmp_path / "t.docx").tables[0].rows[1].cells] == \
            ["Số: 07/BC-TGV", "Hà Nội, ngày 03 tháng 02 năm 2023"]


def test_missing_fonts_are_named_with_the_setting(tmp_path):
    from app.reports.pdf_writer import FONT_FILES, font_files

    (tmp_path / FONT_FILES["regular"]).write_bytes(b"")
    with pytest.raises(RuntimeError) as error:
        font_files(tmp_path)
    message = str(error.value)
    assert "LiberationSerif-Bold.ttf" in message and "LiberationSerif-Regular.ttf" not in message
    assert "ROVIEC_PDF_FONT_DIR" in message and "fonts-liberation2" in message
    assert set(font_files(Path("/usr/share/fonts/truetype/liberation2"))) == set(FONT_FILES)


def test_a_meetings_list_of_1000_tasks_lays_out_in_pages(tmp_path):
    # Its time and memory are targets of bench/export.py (printed there), not of a test.
    report, rows = synthetic(1000, agencies=40, long_note_at=500)
    formats.write_pdf(report, iter(rows), tmp_path / "big.pdf", DocumentSettings())
    pages = pdf_pages(tmp_path / "big.pdf")
    appendix = next(i for i, text in enumerate(pages) if text.startswith("Phụ lục I "))
    overdue = next(i for i, text in enumerate(pages) if text.startswith("Phụ lục II "))
    assert all(text.startswith(HEADER_ROW) for text in pages[appendix + 1:overdue] + pages[overdue + 1:])
    listing = " ".join(pages[appendix:overdue])
    positions = [listing.find(f"Nhiệm vụ {n}: ") for n in range(1, 1001)]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    assert "HẾT." in listing  # the row longer than a page goes on over the next pages
    for text in pages[appendix:]:
        assert not text.rstrip(" 0123456789").endswith(("nhiệm vụ)", "quá hạn)", "ngày)")), text[-80:]
    # The overdue tasks alone, in the list's order.
    overdue_numbers = [row.number for row in rows if row.overdue_task]
    overdue_listing = " ".join(pages[overdue:])
    positions = [overdue_listing.find(f"Nhiệm vụ {n}: ") for n in overdue_numbers]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    assert f"Nhiệm vụ {next(row.number for row in rows if not row.overdue_task)}: " not in overdue_listing
    # An appendix's last page holds whole rows, not a few stray lines of the last one.
    assert "Nhiệm vụ 1000: " in pages[overdue - 1] and f"Nhiệm vụ {overdue_numbers[-1]}: " in pages[-1]


# ---------------------------------------------------------------- scope, roles, the CLI, hostile notes


def test_an_agency_exports_its_own_tasks_only(clients, second_session, agencies):
    rows = list(csv.reader(io.StringIO(export(clients.lead, second_session, "csv").content.decode("utf-8-sig"))))
    assert len(rows) - 1 == lead_count(second_session, LEAD_AGENCY)
    assert {r[3] for r in rows[1:]} == {"Bộ Tài chính"}
    other = clients.lead.get("/reports/completion", params={"directive_id": second_session["directive"]["id"],
                                                            "lead_agency_id": agencies["000.00.00.H29"]["id"]})
    assert other.status_code == 403 and other.json()["detail"]["message_vi"]


def test_the_list_as_of_a_day_stays_the_same(clients, second_session, make_task):
    before = export(clients.observer, second_session, "csv").content
    rows = list(csv.reader(io.StringIO(before.decode("utf-8-sig"))))
    open_then = {r[2] for r in rows[1:] if r[8].startswith("Chưa")}
    tasks = clients.observer.get("/tasks", params={"directive_id": second_session["directive"]["id"],
                                                   "limit": 200}).json()["items"]
    task = next(t for t in tasks if t["title"] in open_then and t["status"] in ("new", "in_progress"))
    changed = clients.secretariat.post(f"/tasks/{task['id']}/progress", json=DONE_REPORT)
    assert changed.status_code == 200, changed.text
    assert export(clients.observer, second_session, "csv").content == before


def test_scope_and_bad_input(clients, second_session):
    by_meeting = clients.observer.get("/reports/completion", params={
        "meeting_date": second_session["directive"]["meeting_date"], "as_of": AS_OF, "format": "csv"})
    assert by_meeting.status_code == 200
    assert len(by_meeting.content.decode("utf-8-sig").splitlines()) >= 28
    for params in ({"directive_id": 999999}, {"meeting_date": "2001-01-01"}, {"format": "odt"},
                   {"as_of": "2022-02-30"}, {"lead_agency_id": 999999}):
        response = clients.observer.get("/reports/completion", params=params)
        assert response.status_code == 422, params
        assert all(d["msg_vi"] for d in response.json()["detail"])


def test_scoreboard_sorts_agencies(clients, second_session):
    params = {"directive_id": second_session["directive"]["id"], "as_of": AS_OF}
    board = clients.observer.get("/reports/agencies", params=params)
    assert board.status_code == 200
    lines = board.json()
    assert sum(line["tasks"] for line in lines) == 27
    assert sum(line["completed_on_time"] + line["completed_late"] for line in lines) == 15
    assert [line["overdue"] for line in lines] == sorted((line["overdue"] for line in lines), reverse=True)
    for line in lines:
        done = line["completed_on_time"] + line["completed_late"]
        assert line["completion_rate"] == round(done / line["tasks"], 4)
        assert (line["average_days_overdue"] > 0) == (line["overdue"] > 0)
    by_rate = clients.observer.get("/reports/agencies", params=params | {"sort": "completion_rate",
                                                                          "order": "asc"}).json()
    assert [line["completion_rate"] for line in by_rate] == sorted(line["completion_rate"] for line in lines)
    by_name = clients.observer.get("/reports/agencies", params=params | {"sort": "name", "order": "asc"}).json()
    # In Vietnamese alphabetical order: "Bộ Công an" before "Bộ Công Thương", "Đ" after "D", "Ủy ban" after "Tỉnh".
    assert [line["agency"]["name"] for line in by_name] == sorted((line["agency"]["name"] for line in lines),
                                                                  key=collation_key)
    assert sorted(["Ủy ban Dân tộc", "Bộ Công Thương", "Đài Truyền hình Việt Nam", "Bộ Công an", "Tỉnh Quảng Ninh",
                   "Dân"], key=collation_key) == ["Bộ Công an", "Bộ Công Thương", "Dân", "Đài Truyền hình Việt Nam",
                                                  "Tỉnh Quảng Ninh", "Ủy ban Dân tộc"]
    assert clients.observer.get("/reports/agencies", params={"sort": "luck"}).status_code == 422


def test_cli_export(clients, files, tmp_path):
    path = Path(tmp_path) / "list.csv"
    result = clients.database.cli("export", "--directive", "128/TB-VPCP", "--as-of", AS_OF, "--format", "csv",
                                  "-o", str(path))
    assert result.returncode == 0, result.stderr
    assert SENTENCE_START in result.stdout
    assert len(path.read_text(encoding="utf-8-sig").splitlines()) == 28
    # The same bytes as the API's download, in a document format too.
    pdf = Path(tmp_path) / "list.pdf"
    result = clients.database.cli("export", "--directive", "128/TB-VPCP", "--as-of", AS_OF, "--format", "pdf",
                                  "-o", str(pdf))
    assert result.returncode == 0, result.stderr
    assert pdf.read_bytes() == files["pdf"].read_bytes()
    bad = clients.database.cli("export", "--directive", "1/XX", "-o", str(path))
    assert bad.returncode != 0 and "no directive" in bad.stderr


def test_a_note_is_never_a_formula_nor_breaks_a_file(clients, make_task, directive, tmp_path):
    task = make_task()
    note = '=HYPERLINK("http://evil.example","Bấm vào")\x0bdòng hai'
    # A completed task's progress column starts with the agency's note.
    assert clients.lead.post(f"/tasks/{task['id']}/progress", json=DONE_REPORT | {"note": note}).status_code == 200
    assert clients.secretariat.post(f"/tasks/{task['id']}/accept").status_code == 200
    params = {"directive_id": directive["id"]}
    rows = list(csv.reader(io.StringIO(clients.observer.get("/reports/completion", params=params | {
        "format": "csv"}).content.decode("utf-8-sig"))))
    assert rows[1][7].startswith("'=HYPERLINK") and "\x0b" not in rows[1][7]
    # The deliverable type is said once ("Nghị định sửa đổi ..." already says "Nghị định").
    assert rows[1][6].startswith("Nghị định sửa đổi")
    xlsx = clients.observer.get("/reports/completion", params=params | {"format": "xlsx"})
    assert xlsx.status_code == 200
    (tmp_path / "n.xlsx").write_bytes(xlsx.content)
    sheet = openpyxl.load_workbook(tmp_path / "n.xlsx")["Danh sách"]
    column = 1 + [c.value for c in sheet[1]].index("Tình hình thực hiện")
    cell = sheet.cell(2, column)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    docx_file = clients.observer.get("/reports/completion", params=params | {"format": "docx"})
    (tmp_path / "n.docx").write_bytes(docx_file.content)
    progress = LIST_HEADINGS.index("Tình hình thực hiện")
    assert "HYPERLINK" in docx.Document(tmp_path / "n.docx").tables[-1].rows[2].cells[progress].text
    pdf = clients.observer.get("/reports/completion", params=params | {"format": "pdf"})
    assert pdf.status_code == 200
    (tmp_path / "n.pdf").write_bytes(pdf.content)
    assert "=HYPERLINK" in " ".join(pdf_pages(tmp_path / "n.pdf"))


def test_a_note_longer_than_a_page_goes_on_over_the_next_page(clients, make_task, directive, tmp_path):
    task = make_task()
    note = " ".join(["Đã hoàn thành dự thảo, lấy ý kiến các bộ, ngành và địa phương; tổng hợp, giải trình, tiếp thu."]
                    * 52)[:4990] + " HẾT."
    assert clients.lead.post(f"/tasks/{task['id']}/progress", json={
        "status": "in_progress", "progress_percent": 50, "note": note}).status_code == 200
    response = clients.observer.get("/reports/completion", params={"directive_id": directive["id"], "format": "pdf"})
    assert response.status_code == 200, response.text
    (tmp_path / "long.pdf").write_bytes(response.content)
    pages = pdf_pages(tmp_path / "long.pdf")
    appendix = next(i for i, text in enumerate(pages) if text.startswith("Phụ lục"))
    assert len(pages) - appendix >= 2 and "HẾT." in " ".join(pages)
    assert all(text.startswith(HEADER_ROW) for text in pages[appendix + 1:])

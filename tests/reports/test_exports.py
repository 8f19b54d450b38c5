"""The pre-meeting completion list in every format, each file opened with its own reader, on the seed's 2nd
session (27 tasks, 15 completed and 12 not on 8/8/2022)."""

import csv
import io
from pathlib import Path

import docx
import openpyxl
import pypdfium2
import pytest
from pypdf import PdfReader

from app.reports.completion import COLUMNS
from tests.conftest import DONE_REPORT, LEAD_AGENCY

# Integration: a real `roviec serve` process over HTTP.
pytestmark = pytest.mark.real_server

AS_OF = "2022-08-08"
SENTENCE_START = "Trong 27 nhiệm vụ giao tại Phiên họp thứ 2 của Ủy ban Quốc gia về chuyển đổi số, có 15 nhiệm vụ đã " \
                 "hoàn thành"


@pytest.fixture
def second_session(clients) -> dict:
    directive = next(d for d in clients.observer.get("/directives").json() if d["number"] == "128/TB-VPCP")
    summary = clients.observer.get("/reports/summary", params={"directive_id": directive["id"], "as_of": AS_OF})
    return {"directive": directive, "summary": summary.json()}


def export(client, second_session, fmt: str, **params):
    response = client.get("/reports/completion", params={"directive_id": second_session["directive"]["id"],
                                                         "as_of": AS_OF, "format": fmt} | params)
    assert response.status_code == 200, response.text
    return response


def lead_count(second_session, code: str) -> int:
    return next(a["total"] for a in second_session["summary"]["by_lead_agency"] if a["agency"]["code"] == code)


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
    assert all(r[1] == "128/TB-VPCP ngày 6/5/2022" for r in rows[1:])
    overdue = [r for r in rows[1:] if "quá hạn" in r[8] and r[8].startswith("Chưa")]
    assert overdue and all(r[8].split("quá hạn ")[1].split(" ")[0].isdigit() for r in overdue)
    # Agencies with overdue tasks come first.
    first_without = next(i for i, r in enumerate(rows[1:]) if "quá hạn" not in r[8] or r[8].startswith("Đã"))
    assert all("quá hạn" in r[8] for r in rows[1:first_without + 1] if r[3] == rows[1][3])


def test_xlsx_has_the_grid_the_list_and_a_sheet_per_agency(clients, second_session, tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes(export(clients.secretariat, second_session, "xlsx").content)
    book = openpyxl.load_workbook(path)
    summary = book["Tổng hợp"]
    texts = [c for row in summary.iter_rows(values_only=True) for c in row if c is not None]
    assert any(str(t).startswith(SENTENCE_START) for t in texts)
    assert ["Đã hoàn thành", 15, 11, 4] in [list(r[:4]) for r in summary.iter_rows(values_only=True)]
    listing = book["Danh sách"]
    assert listing.freeze_panes == "A2" and listing.max_row == 28
    assert tuple(c.value for c in listing[1]) == COLUMNS
    marked = [r for r in listing.iter_rows(min_row=2) if r[0].fill.fgColor.rgb.endswith("FFC7CE")]
    assert len(marked) == sum(1 for r in listing.iter_rows(min_row=2, values_only=True)
                              if r[8].startswith("Chưa") and "quá hạn" in r[8])
    assert listing["C2"].alignment.wrap_text
    finance = book["Bộ Tài chính"]
    assert finance.max_row - 1 == lead_count(second_session, LEAD_AGENCY)
    assert all(r[3] == "Bộ Tài chính" for r in finance.iter_rows(min_row=2, values_only=True))


def test_docx_is_a4_landscape_with_the_table_and_page_numbers(clients, second_session, tmp_path):
    path = tmp_path / "list.docx"
    path.write_bytes(export(clients.secretariat, second_session, "docx").content)
    document = docx.Document(path)
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 29.7 and round(section.page_height.cm, 1) == 21.0
    text = "\n".join(p.text for p in document.paragraphs)
    assert "TÌNH HÌNH THỰC HIỆN CÁC NHIỆM VỤ GIAO TẠI PHIÊN HỌP THỨ 2" in text and "8/8/2022" in text
    assert SENTENCE_START in text
    grid, table = document.tables
    assert [c.text for c in grid.rows[2].cells] == ["Chưa hoàn thành", "12", "3", "9"]
    assert tuple(c.text for c in table.rows[0].cells) == COLUMNS
    task_rows = [r for r in table.rows[1:] if r.cells[0].text.isdigit()]
    assert len(task_rows) == 27
    agency_rows = [r for r in table.rows[1:] if not r.cells[0].text.isdigit()]
    assert len(agency_rows) == len(second_session["summary"]["by_lead_agency"])
    assert 'w:instrText xml:space="preserve">PAGE<' in section.footer._element.xml


def test_pdf_text_is_real_vietnamese_and_a_page_renders(clients, second_session, tmp_path):
    path = tmp_path / "list.pdf"
    path.write_bytes(export(clients.secretariat, second_session, "pdf").content)
    reader = PdfReader(path)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for expected in ("TÌNH HÌNH THỰC HIỆN CÁC NHIỆM VỤ", "có 15 nhiệm vụ đã hoàn thành", "12 nhiệm vụ chưa hoàn thành",
                     "Bộ Tài chính", "Cơ quan chủ trì", "Tình hình thực hiện", "Trang 1"):
        assert expected in text, expected
    page = pypdfium2.PdfDocument(path)[0].render(scale=1.5).to_pil()
    png = tmp_path / "completion-page-1.png"
    page.save(png)
    print(f"\nrendered page 1 of the PDF: {png}")
    grey = page.convert("L")
    assert grey.size[0] > grey.size[1]  # landscape
    darkest, lightest = grey.getextrema()
    assert darkest < 60 and lightest > 240  # ink on paper, not a blank page


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
    assert [line["agency"]["name"] for line in by_name] == sorted(line["agency"]["name"] for line in lines)
    assert clients.observer.get("/reports/agencies", params={"sort": "luck"}).status_code == 422


def test_cli_export(clients, tmp_path):
    path = Path(tmp_path) / "list.csv"
    result = clients.database.cli("export", "--directive", "128/TB-VPCP", "--as-of", AS_OF, "--format", "csv",
                                  "-o", str(path))
    assert result.returncode == 0, result.stderr
    assert SENTENCE_START in result.stdout
    assert len(path.read_text(encoding="utf-8-sig").splitlines()) == 28
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
    xlsx = clients.observer.get("/reports/completion", params=params | {"format": "xlsx"})
    assert xlsx.status_code == 200
    (tmp_path / "n.xlsx").write_bytes(xlsx.content)
    cell = openpyxl.load_workbook(tmp_path / "n.xlsx")["Danh sách"]["H2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    docx_file = clients.observer.get("/reports/completion", params=params | {"format": "docx"})
    (tmp_path / "n.docx").write_bytes(docx_file.content)
    assert "HYPERLINK" in docx.Document(tmp_path / "n.docx").tables[1].rows[2].cells[7].text


def test_a_note_longer_than_a_page_goes_on_over_the_next_page(clients, make_task, directive, tmp_path):
    task = make_task()
    note = " ".join(["Đã hoàn thành dự thảo, lấy ý kiến các bộ, ngành và địa phương; tổng hợp, giải trình, tiếp thu."]
                    * 52)[:4990] + " HẾT."
    assert clients.lead.post(f"/tasks/{task['id']}/progress", json={
        "status": "in_progress", "progress_percent": 50, "note": note}).status_code == 200
    response = clients.observer.get("/reports/completion", params={"directive_id": directive["id"], "format": "pdf"})
    assert response.status_code == 200, response.text
    (tmp_path / "long.pdf").write_bytes(response.content)
    pages = PdfReader(tmp_path / "long.pdf").pages
    assert len(pages) >= 2 and "HẾT." in "".join(page.extract_text() for page in pages)

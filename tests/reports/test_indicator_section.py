"""The indicators section ("Chỉ tiêu") of the reports, in every format, and GET /reports/indicators: the indicators
of the scope as of the report's day with their target, latest value and status in words, written as Vietnamese
writes numbers ("87,08%", "4.543/6.325", "12.430"), plain numbers in JSON.

A directive's own scope is made here (its indicators made through the API, their periods taken from today's year);
the seed's indicators are read as of 20/7/2024, before anything a test makes existed."""

import csv
import io
import unicodedata
import uuid

import docx
import openpyxl
import pytest
from pypdf import PdfReader

from app.messages import vn_date
from app.reports.indicators import CSV_COLUMNS, TABLE_COLUMNS
from app.reports.xlsx_writer import INDICATOR_COLUMNS
from tests.conftest import LEAD_AGENCY, OTHER_AGENCY
from tests.dates import ahead, iso, today

# Integration: a real `roviec serve` process over HTTP.
pytestmark = pytest.mark.real_server

HEADING = "TÌNH HÌNH THỰC HIỆN CÁC CHỈ TIÊU"
SENTENCE = "Có 4 chỉ tiêu: đạt 1, không đạt 1, chưa có số liệu 1, chưa có chỉ tiêu 1."


def flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _made(response, status: int = 201) -> dict:
    assert response.status_code == status, response.text
    return response.json()


@pytest.fixture
def scope(clients, agencies, directive, make_task) -> dict:
    """A directive with four indicators of its own (two from it, one serving its task, one without a target) and one
    elsewhere: last year's targets have ended (a ratio short of its target: missed; 87,08% over 80%: achieved), this
    year's count has no value yet, the fourth has no target."""
    task = make_task()
    last, this = today().year - 1, today().year
    prefix = f"T{uuid.uuid4().hex[:6].upper()}"
    lead = agencies[LEAD_AGENCY]["id"]

    def indicator(suffix: str, **fields) -> dict:
        body = {"code": f"{prefix}-{suffix}", "reporting_agency_id": lead, "frequency": "yearly",
                "group_name": "Chính quyền số", "direction": "increase", "comparator": ">="} | fields
        return _made(clients.secretariat.post("/indicators", json=body))

    def target(made: dict, period: str, value: float, baseline: float) -> None:
        _made(clients.secretariat.post(f"/indicators/{made['id']}/targets", json={
            "period": period, "value": value, "baseline_value": baseline,
            "baseline_on": f"{int(period[:4]) - 1}-12-31"}))

    ratio = indicator("1", name="Thủ tục hành chính cung cấp dịch vụ công trực tuyến toàn trình", kind="ratio",
                      unit="thủ tục", source_directive_id=directive["id"])
    target(ratio, str(last), 80, 42)
    _made(clients.lead.post(f"/indicators/{ratio['id']}/measurements",
                            json={"period": str(last), "numerator": 4543, "denominator": 6325}))
    accounts = indicator("2", name="Tỷ lệ người dân trưởng thành có tài khoản thanh toán", kind="percentage",
                         unit="%", task_ids=[task["id"]])
    target(accounts, str(last), 80, 74)
    _made(clients.lead.post(f"/indicators/{accounts['id']}/measurements",
                            json={"period": str(last), "value": 87.08, "official": True}))
    records = indicator("3", name="Hồ sơ trực tuyến được giải quyết", kind="count", unit="hồ sơ",
                        frequency="monthly", source_directive_id=directive["id"])
    target(records, str(this), 12430, 1000)
    untargeted = indicator("4", name="Tỷ lệ hài lòng trong giải quyết thủ tục hành chính", kind="percentage",
                           unit="%", source_directive_id=directive["id"],
                           contributing_agency_ids=[agencies[OTHER_AGENCY]["id"]])
    elsewhere = indicator("5", name="Chỉ tiêu của văn bản khác", kind="percentage", unit="%")
    return {"directive": directive, "last": last, "this": this, "codes": [f"{prefix}-{n}" for n in "1234"],
            "ratio": ratio, "accounts": accounts, "records": records, "untargeted": untargeted,
            "elsewhere": elsewhere}


def expected_cells(scope) -> list[list[str]]:
    """The documents' table, as a person reads it."""
    last, this = scope["last"], scope["this"]
    return [
        ["1", scope["codes"][0], "Thủ tục hành chính cung cấp dịch vụ công trực tuyến toàn trình",
         f"80% (năm {last})", f"4.543/6.325 (71,83%) (năm {last}, ước tính)", "Không đạt"],
        ["2", scope["codes"][1], "Tỷ lệ người dân trưởng thành có tài khoản thanh toán", f"80% (năm {last})",
         f"87,08% (năm {last})", "Đạt"],
        ["3", scope["codes"][2], "Hồ sơ trực tuyến được giải quyết", f"12.430 hồ sơ (năm {this})", "Chưa có số liệu",
         "Chưa có số liệu"],
        ["4", scope["codes"][3], "Tỷ lệ hài lòng trong giải quyết thủ tục hành chính", "Chưa xác định",
         "Chưa có số liệu", "Chưa có chỉ tiêu"],
    ]


def completion(client, scope, fmt: str, **params):
    response = client.get("/reports/completion", params={"directive_id": scope["directive"]["id"], "format": fmt}
                          | params)
    assert response.status_code == 200, response.text
    return response.content


# ---------------------------------------------------------------- JSON


def test_the_summary_and_the_endpoint_give_the_section_in_plain_numbers(clients, scope, agencies):
    summary = clients.observer.get("/reports/summary", params={"directive_id": scope["directive"]["id"]}).json()
    lines = summary["indicators"]
    assert [line["code"] for line in lines] == scope["codes"]  # the other directive's is not in it
    assert summary["indicators_vi"] == SENTENCE
    ratio, accounts, records, untargeted = lines
    assert ratio["latest"] == {"period": str(scope["last"]), "value": pytest.approx(71.826087), "numerator": 4543,
                               "denominator": 6325, "official": False}
    assert (ratio["status"], ratio["status_vi"], ratio["target"]["value"]) == ("missed", "Không đạt", 80)
    assert (accounts["status"], accounts["status_vi"], accounts["latest"]["value"]) == ("achieved", "Đạt", 87.08)
    assert accounts["latest_vi"] == f"87,08% (năm {scope['last']})"
    assert (records["status"], records["latest"], records["target"]["value"]) == ("no_data", None, 12430)
    assert (untargeted["status"], untargeted["status_vi"], untargeted["target"]) == (None, "Chưa có chỉ tiêu", None)
    assert ratio["reporting_agency"]["code"] == LEAD_AGENCY

    # The section alone: the same lines, counted; everyone who reads reports reads it.
    for client in (clients.secretariat, clients.lead, clients.other_agency, clients.observer):
        alone = client.get("/reports/indicators", params={"directive_id": scope["directive"]["id"]})
        assert alone.status_code == 200, alone.text
        assert alone.json()["indicators"] == lines
    body = alone.json()
    assert body["as_of"] == iso(today()) and body["directive"]["id"] == scope["directive"]["id"]
    assert body["summary_vi"] == SENTENCE
    assert body["counts"] == {"achieved": 1, "on_track": 0, "at_risk": 0, "off_track": 0, "missed": 1,
                              "no_data": 1, "none": 1}
    everything = clients.observer.get("/reports/indicators").json()
    codes = [line["code"] for line in everything["indicators"]]
    assert set(scope["codes"]) | {scope["elsewhere"]["code"]} <= set(codes)
    # group and agency_id (the reporting agency) narrow it as GET /indicators does.
    def codes_of(**params) -> list[str]:
        answer = clients.observer.get("/reports/indicators", params={"directive_id": scope["directive"]["id"]} | params)
        assert answer.status_code == 200, answer.text
        return [line["code"] for line in answer.json()["indicators"]]

    assert codes_of(group="Chính quyền số", agency_id=scope["ratio"]["reporting_agency_id"]) == scope["codes"]
    assert codes_of(group="Kinh tế số") == [] and codes_of(agency_id=agencies[OTHER_AGENCY]["id"]) == []


def test_the_section_alone_as_csv(clients, scope):
    response = clients.observer.get("/reports/indicators", params={"directive_id": scope["directive"]["id"],
                                                                   "format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert f'filename="chi-tieu-{scope["directive"]["number"].replace("/", "-")}-{iso(today())}.csv"' \
        in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [[r[0], r[1], r[2], r[4], r[5], r[6]] for r in rows[1:]] == expected_cells(scope)


def test_a_past_day_has_only_what_existed_then(clients, scope):
    """As of yesterday none of the directive's indicators was defined: the section is empty (and the files have no
    part for it); the seed's, as of 20/7/2024, stand as the articles left them."""
    yesterday = iso(ahead(-1))
    summary = clients.observer.get("/reports/summary", params={"directive_id": scope["directive"]["id"],
                                                               "as_of": yesterday}).json()
    assert summary["indicators"] == [] and summary["indicators_vi"] == "Không có chỉ tiêu nào trong phạm vi báo cáo."
    rows = list(csv.reader(io.StringIO(completion(clients.observer, scope, "csv", as_of=yesterday)
                                       .decode("utf-8-sig"))))
    assert rows and not any(r and r[0].startswith("Chỉ tiêu") for r in rows)
    text = flat(" ".join(p.text for p in docx.Document(io.BytesIO(completion(
        clients.observer, scope, "docx", as_of=yesterday))).paragraphs))
    assert HEADING not in text

    then = clients.observer.get("/reports/indicators", params={"as_of": "2024-07-20"}).json()
    by_code = {line["code"]: line for line in then["indicators"]}
    assert set(by_code) == {"CQS-01", "CQS-02", "KTS-01", "XHS-01"}  # CQS-03 was defined on 30/7
    assert (by_code["KTS-01"]["status_vi"], by_code["KTS-01"]["latest_vi"]) == (
        "Đúng tiến độ", "18,3% (6 tháng đầu năm 2024, ước tính)")
    assert (by_code["XHS-01"]["status_vi"], by_code["XHS-01"]["latest_vi"]) == ("Đạt", "87,08% (6 tháng đầu năm 2024)")
    assert by_code["CQS-02"]["status_vi"] == "Chưa có chỉ tiêu"  # its 2024 target was set on 30/7
    assert then["summary_vi"] == "Có 4 chỉ tiêu: đạt 1, đúng tiến độ 1, chưa có chỉ tiêu 2."


def test_refusals_name_the_field(clients, scope):
    tomorrow = clients.observer.get("/reports/indicators", params={"as_of": iso(ahead(1))})
    assert tomorrow.status_code == 422
    assert tomorrow.json()["detail"][0]["field"] == "as_of" and "hôm nay" in tomorrow.json()["detail"][0]["msg_vi"]
    both = clients.observer.get("/reports/indicators", params={"directive_id": 2_000_000_000,
                                                               "agency_id": 2_000_000_000})
    assert both.status_code == 422, both.text
    assert {p["field"] for p in both.json()["detail"]} == {"directive_id", "agency_id"}
    assert "cơ quan báo cáo chỉ tiêu" in both.json()["message_vi"] and "reporting agency" in both.json()["message"]
    assert "văn bản giao" in both.json()["message_vi"] and "directive" in both.json()["message"]
    wrong = clients.observer.get("/reports/indicators", params={"format": "pdf"})
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["field"] == "format"


# ---------------------------------------------------------------- the completion list's files


def test_csv_ends_with_the_section(clients, scope):
    rows = list(csv.reader(io.StringIO(completion(clients.observer, scope, "csv").decode("utf-8-sig"))))
    blank = rows.index([])
    assert len(rows[1:blank]) == 1  # the one task, then an empty line
    assert rows[blank + 1] == [f"Chỉ tiêu (số liệu đến hết ngày {today():%d/%m/%Y})"]
    assert tuple(rows[blank + 2]) == CSV_COLUMNS
    found = rows[blank + 3:]
    assert [[r[0], r[1], r[2], r[4], r[5], r[6]] for r in found] == expected_cells(scope)
    assert all(r[3] == "Chính quyền số" for r in found)
    # An agency's own list: the indicators it reports, contributes to, or that serve a task it leads.
    own = list(csv.reader(io.StringIO(completion(clients.other_agency, scope, "csv").decode("utf-8-sig"))))
    assert [r[1] for r in own[own.index([]) + 3:]] == [scope["codes"][3]]


def test_xlsx_has_a_sheet_of_typed_values(clients, scope, tmp_path):
    (tmp_path / "l.xlsx").write_bytes(completion(clients.observer, scope, "xlsx"))
    book = openpyxl.load_workbook(tmp_path / "l.xlsx")
    assert book.sheetnames[:3] == ["Tổng hợp", "Chỉ tiêu", "Danh sách"]
    summary = [list(r) for r in book["Tổng hợp"].iter_rows(values_only=True)]
    assert ["Chỉ tiêu", SENTENCE] in [r[:2] for r in summary]
    rows = [list(r) for r in book["Chỉ tiêu"].iter_rows(values_only=True)]
    assert tuple(rows[0]) == tuple(name for name, _ in INDICATOR_COLUMNS)
    last, this = str(scope["last"]), str(scope["this"])
    assert rows[1][:2] == [1, scope["codes"][0]] and rows[1][4] == "Bộ Tài chính"
    assert rows[1][6:] == [last, 80, last, pytest.approx(71.826087), 4543, 6325, "Ước tính", "Không đạt"]
    assert rows[2][6:] == [last, 80, last, 87.08, None, None, "Chính thức", "Đạt"]
    assert rows[3][6:] == [this, 12430, None, None, None, None, None, "Chưa có số liệu"]
    assert rows[4][6:] == [None, None, None, None, None, None, None, "Chưa có chỉ tiêu"]
    assert book["Chỉ tiêu"].auto_filter.ref == "A1:N5"


def test_docx_has_a_part_and_a_table(clients, scope):
    document = docx.Document(io.BytesIO(completion(clients.observer, scope, "docx")))
    paragraphs = [p.text for p in document.paragraphs]
    # No standing task: the fourth part, after the requests awaiting a decision.
    part = paragraphs.index(f"IV. {HEADING}")
    assert paragraphs[part + 1] == f"Số liệu đến hết ngày {vn_date(today())}. {SENTENCE}"
    assert paragraphs.index("III. CÁC ĐỀ NGHỊ ĐIỀU CHỈNH CHỜ QUYẾT ĐỊNH") < part
    table = next(t for t in document.tables if tuple(c.text for c in t.rows[0].cells) == TABLE_COLUMNS)
    assert [[c.text.replace("\n", " ") for c in row.cells] for row in table.rows[1:]] == expected_cells(scope)


def test_pdf_has_the_same_part(clients, scope, tmp_path):
    path = tmp_path / "l.pdf"
    path.write_bytes(completion(clients.observer, scope, "pdf"))
    pages = [flat(page.extract_text()) for page in PdfReader(path).pages]
    report = " ".join(pages[:next(i for i, text in enumerate(pages) if text.startswith("Phụ lục"))])
    assert f"IV. {HEADING}" in report and SENTENCE in report
    for cells in expected_cells(scope):
        for cell in cells[1:]:
            assert flat(cell) in report, cell


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf"])
def test_the_same_list_is_the_same_bytes(clients, scope, fmt):
    assert completion(clients.secretariat, scope, fmt) == completion(clients.secretariat, scope, fmt)

"""Evidence files attached to progress and completion reports, through a real `roviec serve` over HTTP, on SQLite and
PostgreSQL: uploaded to a task (POST /tasks/{id}/files), named by a report (`file_ids`), listed with the task and in
its history, downloaded by whoever may read the task, kept once per content, refused (size, count, type from the
content, an empty file) with nothing kept; and named by the completion list in every format."""

import hashlib
import io
import unicodedata
import urllib.parse
import zipfile
from pathlib import Path

import httpx
import openpyxl
import pytest
from pypdf import PdfReader

from app.tasks import evidence
from tests.conftest import DONE_REPORT, LEAD_AGENCY, own_server
from tests.documents import docx_text
from tests.paging import every_item
from tests.tasks import evidence_samples as samples

pytestmark = pytest.mark.real_server

PDF, DOCX, XLSX = evidence.evidence_store.PDF, evidence.evidence_store.DOCX, evidence.evidence_store.XLSX


def kept_files(database) -> list[Path]:
    """Every file in the database's evidence folder: the kept ones and anything left in its temporary area."""
    root = database.files_dir
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


def upload(client, task_id: int, *files: tuple[str, bytes], status: int = 201) -> dict:
    response = client.post(f"/tasks/{task_id}/files", files=[("file", (name, content)) for name, content in files])
    assert response.status_code == status, response.text
    return response.json()


def report(client, task_id: int, file_ids: list[int], done: bool = False, status: int = 200) -> dict:
    body = (DONE_REPORT if done else {"status": "in_progress", "progress_percent": 40,
                                      "note": "Đã hoàn thành dự thảo, gửi kèm biên bản"}) | {"file_ids": file_ids}
    response = client.post(f"/tasks/{task_id}/progress", json=body)
    assert response.status_code == status, response.text
    return response.json()


def test_files_uploaded_named_by_a_report_listed_and_downloaded_intact(clients, make_task):
    task = make_task()
    contents = {"Biên bản nghiệm thu.pdf": samples.pdf(), "Báo cáo.docx": samples.docx(),
                "Số liệu.xlsx": samples.xlsx(), "ảnh.png": samples.png(), "chụp.jpg": samples.jpeg()}
    items = upload(clients.lead, task["id"], *contents.items())["items"]
    assert [(i["name"], i["size"], i["sha256"]) for i in items] == [
        (name, len(content), hashlib.sha256(content).hexdigest()) for name, content in contents.items()]
    assert [i["media_type"] for i in items] == [PDF, DOCX, XLSX, "image/png", "image/jpeg"]
    assert all(i["report_event_id"] is None and i["uploaded_by"] == "Bộ Tài chính" for i in items)

    # Not yet part of the record: its agency sees it, nobody else does.
    first = items[0]
    assert clients.lead.get(f"/files/{first['id']}").status_code == 200
    for role in ("secretariat", "other_agency", "observer"):
        assert clients.by_role(role).get(f"/files/{first['id']}").status_code == 404
        assert clients.by_role(role).get(f"/tasks/{task['id']}/files").json()["items"] == []

    report(clients.lead, task["id"], [i["id"] for i in items])
    history = every_item(clients.observer, f"/tasks/{task['id']}/history")
    journaled = history[-1]["data"]["files"]
    assert [(f["id"], f["name"], f["size"], f["media_type"], f["sha256"], f["download_url"]) for f in journaled] == [
        (i["id"], i["name"], i["size"], i["media_type"], i["sha256"], f"/api/v1/files/{i['id']}") for i in items]
    assert all(f["uploaded_by"] == "Bộ Tài chính" and f["uploaded_at"] for f in journaled)
    detail = clients.observer.get(f"/tasks/{task['id']}").json()
    assert [f["id"] for f in detail["files"]] == [i["id"] for i in items]
    assert all(f["report_event_id"] == history[-1]["id"] for f in detail["files"])

    # Whoever may read the task downloads it: the same bytes, as an attachment, of the type read from the content.
    for role in ("secretariat", "lead", "other_agency", "observer"):
        for item, (name, content) in zip(items, contents.items(), strict=True):
            got = clients.by_role(role).get(item["download_url"].removeprefix("/api/v1"))
            assert got.status_code == 200
            assert got.content == content and hashlib.sha256(got.content).hexdigest() == item["sha256"]
            assert got.headers["content-type"].split(";")[0] == item["media_type"]
            assert got.headers["x-content-type-options"] == "nosniff"
            disposition = got.headers["content-disposition"]
            assert disposition.startswith("attachment; filename=\"")
            encoded = disposition.split("filename*=UTF-8''", 1)[1]
            assert unicodedata.normalize("NFC", urllib.parse.unquote(encoded)) == name
    assert clients.anonymous.get(f"/files/{first['id']}").status_code == 401
    assert clients.lead.get("/files/2147483647").status_code == 404


def test_the_same_file_is_kept_once(clients, make_task):
    content = samples.pdf()
    before = kept_files(clients.database)
    a = upload(clients.lead, make_task()["id"], ("a.pdf", content))["items"][0]
    b = upload(clients.lead, make_task()["id"], ("b.pdf", content), ("c.pdf", content))["items"]
    assert a["sha256"] == b[0]["sha256"] == b[1]["sha256"] and len({a["id"], b[0]["id"], b[1]["id"]}) == 3
    added = sorted(set(kept_files(clients.database)) - set(before))
    assert [p.name for p in added] == [a["sha256"]]
    assert added[0].read_bytes() == content


@pytest.mark.parametrize(("name", "make", "reason"), [
    ("bao-cao.pdf", samples.exe, "không phải PDF, DOCX, XLSX, PNG hoặc JPEG"),
    ("bao-cao.exe", samples.exe, "không phải PDF, DOCX, XLSX, PNG hoặc JPEG"),
    ("bien-ban.docx", samples.plain_zip, "không phải PDF, DOCX, XLSX, PNG hoặc JPEG"),
    ("rong.pdf", lambda: b"", "rỗng (0 byte)"),
])
def test_a_wrong_or_empty_file_is_refused_at_its_field_and_nothing_is_kept(clients, make_task, name, make, reason):
    task = make_task()
    before = kept_files(clients.database)
    good = samples.pdf()
    refused = upload(clients.lead, task["id"], ("tot.pdf", good), (name, make()), status=422)
    problem = refused["detail"][0]
    assert problem["loc"] == ["body", "file"] and name in problem["msg_vi"] and reason in problem["msg_vi"]
    assert name in problem["msg"] and ("not a PDF" in problem["msg"] or "empty" in problem["msg"])
    assert kept_files(clients.database) == before  # not even the good one, nor a temporary file
    assert clients.lead.get(f"/tasks/{task['id']}/files").json()["items"] == []


def test_a_name_with_folders_keeps_only_its_last_part(clients, make_task):
    task = make_task()
    before = set(kept_files(clients.database))
    items = upload(clients.lead, task["id"], ("../../../../etc/passwd.pdf", samples.pdf()),
                   ("..\\..\\Windows\\bao cao.pdf", samples.pdf()), ("..", samples.pdf()))["items"]
    assert [i["name"] for i in items] == ["passwd.pdf", "bao cao.pdf", "tep.pdf"]
    root = clients.database.files_dir.resolve()
    assert all(p.resolve().is_relative_to(root) for p in set(kept_files(clients.database)) - before)


def test_who_may_upload_and_what_a_report_may_name(clients, make_task):
    task = make_task()
    for role, status in (("other_agency", 403), ("observer", 403), ("anonymous", 401)):
        assert clients.by_role(role).post(f"/tasks/{task['id']}/files",
                                          files={"file": ("x.pdf", samples.pdf())}).status_code == status
    assert clients.lead.post("/tasks/2147483647/files", files={"file": ("x.pdf", samples.pdf())}).status_code == 404
    missing = clients.lead.post(f"/tasks/{task['id']}/files", files={"other": ("x.pdf", samples.pdf())})
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"] == ["body", "file"]

    secretariat_file = upload(clients.secretariat, task["id"], ("thu-ky.pdf", samples.pdf()))["items"][0]
    other_task_file = upload(clients.lead, make_task()["id"], ("khac.pdf", samples.pdf()))["items"][0]
    refused = report(clients.lead, task["id"], [secretariat_file["id"], other_task_file["id"]], status=422)
    assert refused["detail"][0]["loc"] == ["body", "file_ids"]
    assert f"{secretariat_file['id']}, {other_task_file['id']}" in refused["detail"][0]["msg_vi"]
    assert every_item(clients.lead, f"/tasks/{task['id']}/history")[-1]["kind"] == "created"  # nothing written

    mine = upload(clients.lead, task["id"], ("cua-bo.pdf", samples.pdf()))["items"][0]
    report(clients.lead, task["id"], [mine["id"]])
    again = report(clients.lead, task["id"], [mine["id"]], status=422)  # attached to a report already
    assert again["detail"][0]["loc"] == ["body", "file_ids"]
    plain = report(clients.lead, task["id"], [])  # and JSON without files works as it always did
    assert plain["progress_percent"] == 40


def test_too_many_files_are_refused_and_none_kept(clients, make_task):
    task = make_task()
    before = kept_files(clients.database)
    refused = upload(clients.lead, task["id"], *[(f"{n}.pdf", samples.pdf()) for n in range(11)], status=422)
    assert refused["detail"][0]["loc"] == ["body", "file"]
    assert "11 tệp: mỗi báo cáo đính kèm tối đa 10 tệp" in refused["detail"][0]["msg_vi"]
    assert kept_files(clients.database) == before


@pytest.fixture(scope="module")
def strict(server, role_tokens):
    """A second server on the run's database whose limits are a few kilobytes: 1,000 bytes a file, 2,500 a report,
    3 files."""
    with own_server(server.database, evidence_max_bytes="1000", evidence_max_total_bytes="2500",
                    evidence_max_files="3") as running, httpx.Client(
            base_url=f"{running.base_url}/api/v1", timeout=30,
            headers={"Authorization": f"Bearer {role_tokens['lead']}"}) as client:
        yield client


def _pdf_of(size: int) -> bytes:
    head = samples.pdf()
    return head + b"%" * (size - len(head))


def test_sizes_over_the_limits_are_refused_and_nothing_kept(clients, make_task, strict):
    task = make_task()
    before = kept_files(clients.database)
    too_big = strict.post(f"/tasks/{task['id']}/files", files={"file": ("lon.pdf", _pdf_of(1001))})
    assert too_big.status_code == 413
    detail = too_big.json()["detail"]
    assert detail["code"] == "payload_too_large" and detail["limit_bytes"] == 1000 and detail["field"] == "file"
    assert "lon.pdf" in detail["message_vi"] and "1.000 byte" in detail["message_vi"]

    together = strict.post(f"/tasks/{task['id']}/files", files=[("file", (f"{n}.pdf", _pdf_of(900)))
                                                                  for n in range(3)])
    assert together.status_code == 422
    assert "mỗi báo cáo đính kèm tối đa 2.500 byte" in together.json()["detail"][0]["msg_vi"]
    four = strict.post(f"/tasks/{task['id']}/files", files=[("file", (f"{n}.pdf", _pdf_of(100))) for n in range(4)])
    assert four.status_code == 422

    # A body over the report's limit (and the form's room) is refused from its Content-Length, before it is read.
    huge = strict.post(f"/tasks/{task['id']}/files", files={"file": ("to.pdf", _pdf_of(1_002_600))})
    assert huge.status_code == 413 and huge.json()["detail"]["limit_bytes"] == 2500 + 1_000_000

    def streamed():  # no Content-Length: counted as it streams in
        yield b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-"
        for _ in range(40):
            yield b"%" * 32_768

    chunked = strict.post(f"/tasks/{task['id']}/files", content=streamed(),
                          headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert chunked.status_code == 413 and chunked.json()["detail"]["limit_bytes"] == 2500 + 1_000_000
    assert kept_files(clients.database) == before
    assert upload(strict, task["id"], ("vua.pdf", _pdf_of(1000)))["items"][0]["size"] == 1000


def test_the_completion_list_names_the_files_in_every_format(clients, make_task, tmp_path):
    task = make_task(title="Trình Chính phủ ban hành Nghị định về chứng cứ điện tử trong báo cáo nhiệm vụ")
    items = upload(clients.lead, task["id"], ("Biên bản nghiệm thu.pdf", samples.pdf()),
                   ("Số liệu kèm theo.xlsx", samples.xlsx()))["items"]
    report(clients.lead, task["id"], [i["id"] for i in items], done=True)
    line = "Tệp đính kèm: Biên bản nghiệm thu.pdf, Số liệu kèm theo.xlsx"

    def export(fmt: str) -> bytes:
        response = clients.secretariat.get("/reports/completion", params={
            "directive_id": task["directive"]["id"], "lead_agency_code": LEAD_AGENCY, "format": fmt})
        assert response.status_code == 200, response.text
        return response.content

    csv = export("csv").decode("utf-8-sig")
    assert line in csv
    assert line in unicodedata.normalize("NFC", docx_text(export("docx")))
    (tmp_path / "l.pdf").write_bytes(export("pdf"))
    pdf_text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(tmp_path / "l.pdf").pages)
    assert " ".join(line.split()) in unicodedata.normalize("NFC", pdf_text)
    book = openpyxl.load_workbook(io.BytesIO(export("xlsx")))
    cells = [str(c.value) for row in book["Danh sách"].iter_rows() for c in row if c.value]
    assert any(line in c and "70/2025/NĐ-CP" in c for c in cells)
    assert zipfile.is_zipfile(io.BytesIO(export("xlsx")))

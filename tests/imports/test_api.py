"""POST /api/v1/imports and the review through the API: drafts, edits, all-or-nothing commit, bad input."""

import uuid

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.db import make_engine
from app.imports.models import NoticeImport
from tests.dates import year_ahead
from tests.imports.builders import notice_docx, scanned_pdf, zip_bomb_docx
from tests.imports.notices import api_notice as _notice
from tests.paging import every_item

NEXT_YEAR = year_ahead(1)  # the notice's deadlines: quý II, 30/6 and tháng 3 of next year


@pytest.fixture
def imported(clients):
    number = f"{uuid.uuid4().int % 90_000 + 10_000}/TB-VPCP"
    made = clients.secretariat.post("/imports", json={"text": _notice(number)})
    assert made.status_code == 201, made.text
    return made.json()


def _count(database) -> int:
    engine = make_engine(database.settings().sqlalchemy_url)
    with Session(engine) as session:
        count = session.execute(select(func.count()).select_from(NoticeImport)).scalar_one()
    engine.dispose()
    return count


def test_a_notice_becomes_drafts(clients, imported):
    assert imported["status"] == "draft"
    assert imported["directive"]["issued_on"] == "2026-11-25" and imported["directive"]["number"].endswith("TB-VPCP")
    drafts = imported["drafts"]
    assert len(drafts) == 3
    first, second, collective = drafts
    assert first["lead_agency"]["code"] == "000.00.00.G12" and first["deliverable_type"] == "Nghị định"
    assert [a["code"] for a in first["coordinating_agencies"]] == ["000.00.00.G15"]
    assert first["deadline_on"] == f"{NEXT_YEAR}-06-30"
    # The old name of a merged ministry is read as its successor, flagged.
    assert second["lead_agency"]["code"] == "000.00.00.G06" and second["deadline_on"] == f"{NEXT_YEAR}-06-30"
    assert collective["lead_agency"] is None and collective["collective_lead"]
    # Nothing the text does not say is filled in: the official is a suggestion, still missing.
    assert first["accountable_official"] is None and first["suggested_accountable_official"]
    assert {m["field"] for m in first["missing"]} >= {"objective", "accountable_official", "expected_result"}
    source = imported["text"][first["source"]["start"]:first["source"]["end"]]
    assert "Nghị định số 123/2020/NĐ-CP" in source


def test_only_the_secretariat_imports(clients):
    for client in (clients.lead, clients.observer):
        assert client.post("/imports", json={"text": _notice("1/TB-VPCP")}).status_code == 403


def test_commit_is_all_or_nothing_and_once(clients, imported):
    url = f"/imports/{imported['id']}"
    directives_before = len(every_item(clients.secretariat, "/directives"))
    refused = clients.secretariat.post(f"{url}/commit")
    assert refused.status_code == 422
    fields = {p["field"] for p in refused.json()["detail"]}
    assert "drafts.1.objective" in fields and "drafts.3.lead_agency_id" in fields
    assert len(every_item(clients.secretariat, "/directives")) == directives_before

    complete = {"objective": "Hoàn thiện khung pháp lý cho hóa đơn điện tử",
                "expected_result": "Nghị định được Chính phủ ký ban hành đúng hạn", "accountable_official": "Bộ trưởng"}
    assert clients.secretariat.patch(f"{url}/drafts/1", json=complete).status_code == 200
    assert clients.secretariat.patch(f"{url}/drafts/2", json=complete | {
        "deliverable_description": "Nền tảng định danh số cho doanh nghiệp được đưa vào vận hành"}).status_code == 200
    agencies = {a["code"]: a["id"] for a in clients.secretariat.get("/agencies").json()}
    split = clients.secretariat.patch(f"{url}/drafts/3", json={"split_into": [agencies["000.00.00.H29"],
                                                                            agencies["000.00.00.H91"]]})
    assert split.status_code == 200, split.text
    copies = [d for d in split.json()["drafts"] if d.get("split_from") == 3]
    assert [c["lead_agency"]["code"] for c in copies] == ["000.00.00.H29", "000.00.00.H91"]
    for copy in copies:
        clients.secretariat.patch(f"{url}/drafts/{copy['n']}", json=complete | {
            "deliverable_description": "Báo cáo kết quả rà soát thủ tục hành chính nội bộ",
            "accountable_official": "Chủ tịch"})
    assert clients.secretariat.patch(f"{url}/drafts/1", json={"bogus": 1}).status_code == 422

    committed = clients.secretariat.post(f"{url}/commit")
    assert committed.status_code == 200, committed.text
    body = committed.json()
    assert body["status"] == "committed" and body["directive_id"]
    task_ids = [d["task_id"] for d in body["drafts"] if not d["skipped"]]
    assert len(task_ids) == 4 and all(task_ids)
    task = clients.observer.get(f"/tasks/{task_ids[0]}").json()
    assert task["accountable_official"] == "Bộ trưởng Bộ Tài chính" and task["deadline_on"] == f"{NEXT_YEAR}-06-30"
    origin = every_item(clients.observer, f"/tasks/{task_ids[0]}/history")[0]["data"]["origin"]
    assert origin["import_id"] == imported["id"] and origin["source"]["start"] == body["drafts"][0]["source"]["start"]
    again = clients.secretariat.post(f"{url}/commit")
    assert again.status_code == 200 and [d["task_id"] for d in again.json()["drafts"] if not d["skipped"]] == task_ids
    assert clients.observer.get("/tasks", params={"directive_id": body["directive_id"]}).json()["total"] == 4
    assert clients.secretariat.patch(f"{url}/drafts/1", json={"title": "muộn"}).status_code == 409


def test_a_docx_upload(clients):
    content = notice_docx(_notice(f"{uuid.uuid4().int % 90_000 + 10_000}/TB-VPCP"))
    made = clients.secretariat.post("/imports", files={"file": ("thong-bao.docx", content, "application/"
                                                               "vnd.openxmlformats-officedocument.wordprocessingml.document")})
    assert made.status_code == 201, made.text
    assert len(made.json()["drafts"]) == 3


@pytest.mark.parametrize(("name", "send", "status", "code"), [
    ("empty", {"json": {"text": "   "}}, 422, "empty"),
    ("not a notice", {"json": {"text": "Hôm nay trời đẹp, chúng tôi đi chơi công viên cả ngày."}}, 422, None),
    ("scanned", {"files": {"file": ("scan.pdf", scanned_pdf(), "application/pdf")}}, 422, "scanned_pdf"),
    ("zip bomb", {"files": {"file": ("bom.docx", zip_bomb_docx(), "application/octet-stream")}}, 422, "zip_bomb"),
])
def test_bad_input_is_refused_and_nothing_is_stored(clients, name, send, status, code):
    before = _count(clients.database)
    refused = clients.secretariat.post("/imports", **send)
    assert refused.status_code == status, refused.text
    detail = refused.json()["detail"]
    message_vi = refused.json()["message_vi"]
    assert message_vi and any(ch in message_vi for ch in "ăâđêôơư")
    if code:
        assert detail[0]["type"] == code
    assert _count(clients.database) == before


@pytest.mark.real_server
def test_a_20_mb_upload_is_refused_before_it_is_read(server_clients):
    refused = server_clients.secretariat.post("/imports", files={"file": ("big.txt", b"a" * 20_000_000,
                                                                          "text/plain")})
    assert refused.status_code == 413
    assert refused.json()["detail"]["message_vi"].startswith("Nội dung yêu cầu vượt quá")


def test_a_notice_dated_1970_is_flagged_not_taken_as_its_date(clients):
    """"ngày 01 tháng 01 năm 1970" in the header is a typo or a misreading: not the notice's date (every deadline
    without its year or in days would be reckoned from it), said in a warning; typed in by hand, it is refused as a
    directive's date is."""
    text = _notice(f"{uuid.uuid4().int % 90_000 + 10_000}/TB-VPCP")
    text = text.replace("Hà Nội, ngày 25 tháng 11 năm 2026", "Hà Nội, ngày 01 tháng 01 năm 1970")
    text = text.replace("Ngày 20 tháng 11 năm 2026,", "Ngày 28 tháng 12 năm 1969,")
    made = clients.secretariat.post("/imports", json={"text": text})
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["directive"]["issued_on"] is None and body["directive"]["meeting_date"] is None
    assert any("ngày ban hành đọc được (01/01/1970): không hợp lý" in w for w in body["warnings"]), body["warnings"]
    assert any("ngày họp đọc được (28/12/1969)" in w for w in body["warnings"]), body["warnings"]
    url = f"/imports/{body['id']}"
    for field in ("issued_on", "meeting_date"):
        refused = clients.secretariat.patch(url, json={field: "1970-01-01"})
        assert refused.status_code == 422, refused.text
        assert [p["field"] for p in refused.json()["detail"]] == [field]
        assert "2000" in refused.json()["detail"][0]["msg_vi"]
    assert clients.secretariat.get(url).json()["directive"]["issued_on"] is None
    fixed = clients.secretariat.patch(url, json={"issued_on": "2026-11-25", "meeting_date": "2026-11-20"})
    assert fixed.status_code == 200 and fixed.json()["directive"]["issued_on"] == "2026-11-25"


UNREAD_CLAUSE = ("4. Ủy ban nhân dân các tỉnh bị ngập sâu rà soát số hộ mất nhà ở, báo cáo Bộ Xây dựng trong tháng "
                 "10 năm {year}.\n")


def _with_unread(number: str) -> str:
    text = _notice(number)
    closing = text.index("Văn phòng Chính phủ thông báo")
    return text[:closing] + UNREAD_CLAUSE.format(year=NEXT_YEAR) + text[closing:]


def test_every_piece_has_a_fate_and_an_unread_one_becomes_a_draft_on_request(clients):
    number = f"{uuid.uuid4().int % 90_000 + 10_000}/TB-VPCP"
    made = clients.secretariat.post("/imports", json={"text": _with_unread(number)})
    assert made.status_code == 201, made.text
    body = made.json()
    segments = body["segments"]
    assert {g["fate"] for g in segments} == {"task", "not_task", "unread"}
    assert all(body["text"][g["start"]:g["end"]] == g["text"] for g in segments)
    assert all(g["reason_vi"] and g["reason_en"] for g in segments if g["fate"] == "not_task")
    assert [g["drafts"] for g in segments if g["fate"] == "task"] == [[1], [2], [3]]
    unread = [g for g in segments if g["fate"] == "unread"]
    assert body["unread"] == 1 and unread[0]["text"].startswith("4. Ủy ban nhân dân các tỉnh bị ngập sâu")
    assert [a["name"] for a in unread[0]["agencies"]] == ["Bộ Xây dựng"]
    url = f"/imports/{body['id']}"
    # While it is unread, the tasks are not given without the officer's word.
    refused = clients.secretariat.post(f"{url}/commit")
    assert refused.status_code == 422 and [p["field"] for p in refused.json()["detail"]] == ["confirm_unread"]
    drafted = clients.secretariat.post(f"{url}/segments/{unread[0]['index']}/draft")
    assert drafted.status_code == 200, drafted.text
    after = drafted.json()
    new = after["drafts"][-1]
    assert new["n"] == 4 and new["title"].startswith("Ủy ban nhân dân các tỉnh bị ngập sâu rà soát")
    assert new["lead_agency"]["name"] == "Bộ Xây dựng" and new["deadline_on"] == f"{NEXT_YEAR}-10-31"
    assert new["from_segment"] == unread[0]["index"] and "from_unread_segment" in new["flags"]
    assert after["unread"] == 0 and after["segments"][unread[0]["index"]]["fate"] == "task"
    assert clients.secretariat.post(f"{url}/segments/999/draft").status_code == 404


def test_committing_with_a_piece_left_unread_is_confirmed_and_the_journal_keeps_it(clients):
    number = f"{uuid.uuid4().int % 90_000 + 10_000}/TB-VPCP"
    made = clients.secretariat.post("/imports", json={"text": _with_unread(number)})
    url = f"/imports/{made.json()['id']}"
    for n in (2, 3):
        clients.secretariat.patch(f"{url}/drafts/{n}", json={"skip": True})
    clients.secretariat.patch(f"{url}/drafts/1", json={
        "objective": "Hoàn thiện khung pháp lý cho hóa đơn điện tử", "accountable_official": "Bộ trưởng",
        "expected_result": "Nghị định được Chính phủ ký ban hành đúng hạn"})
    committed = clients.secretariat.post(f"{url}/commit", json={"confirm_unread": True})
    assert committed.status_code == 200, committed.text
    task_id = committed.json()["drafts"][0]["task_id"]
    origin = every_item(clients.observer, f"/tasks/{task_id}/history")[0]["data"]["origin"]
    unread_index = next(g["index"] for g in committed.json()["segments"] if g["fate"] == "unread")
    assert origin["unread_segments"] == [unread_index] and origin["unread_confirmed"] is True


def test_a_coordinator_merged_into_the_lead_is_no_coordinator_and_none_is_named_twice(clients):
    text = _notice(f"{uuid.uuid4().int % 90_000 + 10_000}/TB-VPCP").replace(
        "1. Giao Bộ Tài chính chủ trì, phối hợp với Bộ Tư pháp xây dựng",
        "1. Giao Bộ Tài chính chủ trì, phối hợp với Bộ Kế hoạch và Đầu tư, Bộ Tư pháp xây dựng")
    text = text.replace("2. Bộ Khoa học và Công nghệ chủ trì, phối hợp Bộ Công an",
                        "2. Bộ Khoa học và Công nghệ chủ trì, phối hợp Bộ Công an, Bộ Thông tin và Truyền thông")
    drafts = clients.secretariat.post("/imports", json={"text": text}).json()["drafts"]
    # Kế hoạch và Đầu tư is now Tài chính, the lead; Thông tin và Truyền thông is now Khoa học và Công nghệ.
    assert [a["code"] for a in drafts[0]["coordinating_agencies"]] == ["000.00.00.G15"]
    assert [a["code"] for a in drafts[1]["coordinating_agencies"]] == [
        a["code"] for a in drafts[1]["coordinating_agencies"] if a["code"] != drafts[1]["lead_agency"]["code"]]
    assert len(drafts[1]["coordinating_agencies"]) == 1

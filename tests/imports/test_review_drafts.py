"""Drafts reviewed through the API (issue 20): a standing task's cadence and the accountable official suggested for
each lead survive the successor mapping and the split ("Tách")."""

import uuid

from tests.dates import year_ahead

YEAR = year_ahead(1)

# Our own wording: an old ministry's name as a lead, and a standing collective task with its reporting cadence.
NOTICE = """VĂN PHÒNG CHÍNH PHỦ
Số: {number}
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Nội, ngày 24 tháng 11 năm 2026
THÔNG BÁO
Kết luận của Phó Thủ tướng Chính phủ tại cuộc họp về dữ liệu thủ tục hành chính
Ngày 18 tháng 11 năm 2026, Phó Thủ tướng Chính phủ chủ trì cuộc họp. Phó Thủ tướng Chính phủ kết luận như sau:
{clauses}
Văn phòng Chính phủ thông báo để các cơ quan biết, thực hiện./.
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. BỘ TRƯỞNG, CHỦ NHIỆM
PHÓ CHỦ NHIỆM
Nguyễn Văn B
"""
CLAUSES = ("1. Bộ Thông tin và Truyền thông chủ trì, phối hợp với Bộ Công an xây dựng kho dữ liệu dùng chung về "
           "thủ tục hành chính; hoàn thành trước ngày 30/9/{year}.\n"
           "2. Các bộ, cơ quan ngang bộ, Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương cập nhật dữ liệu "
           "thủ tục hành chính lên kho dữ liệu dùng chung thường xuyên, báo cáo Thủ tướng Chính phủ hằng quý.")


def _import(clients) -> dict:
    number = f"{uuid.uuid4().int % 90_000 + 10_000}/TB-VPCP"
    text = NOTICE.replace("{clauses}", CLAUSES).replace("{number}", number).replace("{year}", str(YEAR))
    made = clients.secretariat.post("/imports", json={"text": text})
    assert made.status_code == 201, made.text
    return made.json()


def test_the_suggested_official_of_a_merged_ministry_names_its_successor(clients):
    first = _import(clients)["drafts"][0]
    assert first["lead_agency"]["name"] == "Bộ Khoa học và Công nghệ" and "agency_merged" in first["flags"]
    assert first["suggested_accountable_official"] == "Bộ trưởng Bộ Khoa học và Công nghệ"


def test_split_drafts_keep_the_cadence_and_each_gets_its_own_suggested_official(clients):
    imported = _import(clients)
    url = f"/imports/{imported['id']}"
    standing = imported["drafts"][1]
    assert standing["collective_lead"] and "standing_task" in standing["flags"]
    # The cadence the notice writes is the draft's deadline (a standing task's "rõ thời gian"), not lost.
    assert "hằng quý" in standing["deadline_text"] and standing["deadline_on"] is None
    assert "deadline" not in {m["field"] for m in standing["missing"]}
    agencies = {a["code"]: a["id"] for a in clients.secretariat.get("/agencies").json()}
    split = clients.secretariat.patch(f"{url}/drafts/{standing['n']}", json={"split_into": [
        agencies["000.00.00.G12"], agencies["000.00.00.H29"]]})
    assert split.status_code == 200, split.text
    copies = [d for d in split.json()["drafts"] if d.get("split_from") == standing["n"]]
    assert [c["suggested_accountable_official"] for c in copies] == [
        "Bộ trưởng Bộ Tài chính", "Chủ tịch Ủy ban nhân dân Thành phố Hồ Chí Minh"]
    for copy in copies:
        assert copy["deadline_text"] == standing["deadline_text"] and "standing_task" in copy["flags"]
        assert "suggested_accountable_official" in copy["flags"]
        done = clients.secretariat.patch(f"{url}/drafts/{copy['n']}", json={
            "objective": "Dữ liệu thủ tục hành chính luôn đầy đủ và cập nhật",
            "expected_result": "Kho dữ liệu dùng chung được cập nhật đủ mỗi quý",
            "deliverable_type": "Báo cáo",
            "deliverable_description": "Báo cáo quý về việc cập nhật dữ liệu thủ tục hành chính",
            "accountable_official": copy["suggested_accountable_official"]})
        assert done.status_code == 200, done.text
    # A lead changed by hand gets the suggestion for the new lead.
    changed = clients.secretariat.patch(f"{url}/drafts/{copies[0]['n']}", json={
        "lead_agency_id": agencies["000.00.00.G15"]}).json()
    mine = next(d for d in changed["drafts"] if d["n"] == copies[0]["n"])
    assert mine["suggested_accountable_official"] == "Bộ trưởng Bộ Tư pháp"
    clients.secretariat.patch(f"{url}/drafts/1", json={"skip": True})
    committed = clients.secretariat.post(f"{url}/commit")
    assert committed.status_code == 200, committed.text
    task_ids = [d["task_id"] for d in committed.json()["drafts"] if d.get("split_from") == standing["n"]]
    for task_id in task_ids:
        task = clients.observer.get(f"/tasks/{task_id}").json()
        assert task["reporting_cadence"] == "quarterly"

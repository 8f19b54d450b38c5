"""Standing tasks ("thường xuyên", "hằng quý"): no deadline, a reporting cadence; judged on their periodic reports,
counted in a column of their own, never among the overdue tasks with a deadline."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import docx
from pypdf import PdfReader

from app.tasks.deadlines import period_end
from tests.dates import year_ahead, year_wording


def test_a_standing_task_reports_each_period(clients, make_task, directive):
    task = make_task(deadline="thường xuyên, báo cáo hằng quý")
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    assert task["reporting_cadence"] == "quarterly"
    assert task["deadline_on"] == period_end("quarterly", today).isoformat()
    assert task["timing"] in ("standing", "standing_late")
    reported = clients.lead.post(f"/tasks/{task['id']}/progress", json={
        "status": "in_progress", "progress_percent": 30, "note": "Báo cáo định kỳ quý"})
    assert reported.status_code == 200, reported.text
    next_due = period_end("quarterly", period_end("quarterly", today) + timedelta(days=1))
    assert reported.json()["deadline_on"] == next_due.isoformat()
    assert reported.json()["timing"] == "standing"
    # A second report in the same quarter does not skip the next one.
    again = clients.lead.post(f"/tasks/{task['id']}/progress", json={
        "status": "in_progress", "progress_percent": 35, "note": "Bổ sung báo cáo quý"})
    assert again.status_code == 200 and again.json()["deadline_on"] == next_due.isoformat()


def test_an_extension_of_a_standing_task_is_refused(clients, make_task):
    task = make_task(deadline="hằng tháng")
    refused = clients.lead.post(f"/tasks/{task['id']}/extension-requests", json={
        "requested_deadline": year_wording(year_ahead(5)), "reason": "Xin lùi"})
    assert refused.status_code == 422 and refused.json()["detail"][0]["type"] == "standing_task"
    withdraw = clients.lead.post(f"/tasks/{task['id']}/extension-requests", json={
        "kind": "withdraw", "reason": "Nhiệm vụ đã được giao cho cơ quan khác"})
    assert withdraw.status_code == 201


def test_a_cadence_needs_a_standing_wording(clients, make_task):
    refused = clients.secretariat.post("/tasks", json={"directive_id": make_task()["directive_id"],
                                                       "deadline": f"31/12/{year_ahead(4)}",
                                                       "reporting_cadence": "monthly"})
    assert "reporting_cadence" in {p["field"] for p in refused.json()["detail"]}


def test_late_reports_are_their_own_column_and_not_overdue(clients, backdated, directive):
    late = backdated(datetime(2025, 1, 2, 3, tzinfo=UTC), deadline="hằng quý")  # first report due 31/3/2025
    task = clients.observer.get(f"/tasks/{late}").json()
    assert task["timing"] == "standing_late" and task["days_overdue"] > 300
    overdue = clients.observer.get("/tasks", params={"directive_id": directive["id"], "timing": "overdue"}).json()
    assert late not in {t["id"] for t in overdue["items"]}
    listed = clients.observer.get("/tasks", params={"directive_id": directive["id"], "timing": "standing_late"})
    assert late in {t["id"] for t in listed.json()["items"]}
    summary = clients.observer.get("/reports/summary", params={"directive_id": directive["id"]}).json()
    assert summary["standing"] == {"total": 1, "late": 1}
    assert summary["not_completed"]["overdue"] == 0 and summary["total"] == 0
    assert "1 nhiệm vụ thường xuyên (1 nhiệm vụ chậm báo cáo định kỳ)" in summary["summary_vi"]


def test_the_report_gives_standing_tasks_a_part_of_their_own(clients, backdated, make_task, directive, tmp_path):
    late = backdated(datetime(2025, 1, 2, 3, tzinfo=UTC), deadline="hằng quý")
    make_task(deadline="hằng năm")
    lead = clients.observer.get(f"/tasks/{late}").json()["lead_agency"]["name"]
    params = {"directive_id": directive["id"]}
    document = clients.observer.get("/reports/completion", params=params | {"format": "docx"})
    assert document.status_code == 200, document.text
    (tmp_path / "r.docx").write_bytes(document.content)
    paragraphs = [p.text for p in docx.Document(tmp_path / "r.docx").paragraphs]
    part = paragraphs.index("IV. CÁC NHIỆM VỤ THƯỜNG XUYÊN")  # after III, the requests awaiting a decision
    assert paragraphs[part + 1] == ("Có 2 nhiệm vụ thường xuyên (không có thời hạn hoàn thành, theo dõi theo kỳ báo "
                                    "cáo), trong đó 1 nhiệm vụ chậm báo cáo định kỳ, của 1 cơ quan chủ trì:")
    assert paragraphs[part + 2] == f"- {lead}: 1 nhiệm vụ chậm báo cáo định kỳ."
    assert paragraphs.index("II. CÁC NHIỆM VỤ CHƯA HOÀN THÀNH, QUÁ HẠN") < part

    pdf = clients.observer.get("/reports/completion", params=params | {"format": "pdf"})
    (tmp_path / "r.pdf").write_bytes(pdf.content)
    texts = [" ".join(page.extract_text().split()) for page in PdfReader(tmp_path / "r.pdf").pages]
    first = " ".join(texts[:next(i for i, text in enumerate(texts) if text.startswith("Phụ lục"))])
    assert "IV. CÁC NHIỆM VỤ THƯỜNG XUYÊN" in first and f"- {lead}: 1 nhiệm vụ chậm báo cáo định kỳ." in first

    # Once the late one reports, it is brought up to date (its next report due at the end of this quarter, not the
    # quarter after the one it missed) and the part says they all report on time.
    reported = clients.lead.post(f"/tasks/{late}/progress", json={
        "status": "in_progress", "progress_percent": 40, "note": "Báo cáo định kỳ quý"})
    assert reported.status_code == 200, reported.text
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    assert reported.json()["deadline_on"] == period_end("quarterly", today).isoformat()
    assert reported.json()["timing"] == "standing"
    document = clients.observer.get("/reports/completion", params=params | {"format": "docx"})
    (tmp_path / "s.docx").write_bytes(document.content)
    paragraphs = [p.text for p in docx.Document(tmp_path / "s.docx").paragraphs]
    assert paragraphs[paragraphs.index("IV. CÁC NHIỆM VỤ THƯỜNG XUYÊN") + 1] == (
        "Có 2 nhiệm vụ thường xuyên (không có thời hạn hoàn thành, theo dõi theo kỳ báo cáo); các cơ quan chủ trì "
        "đều báo cáo đúng kỳ.")

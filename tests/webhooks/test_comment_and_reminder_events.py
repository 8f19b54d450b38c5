"""A task's comments, explanation requests and answers, and reminders reach a subscriber's real receiver as events,
through the same journal and outbox as every change of a task (a real `roviec serve`, the real delivery worker)."""

import pytest

from tests.conftest import LEAD_AGENCY
from tests.webhooks.helpers import subscribe, verified

pytestmark = pytest.mark.real_server


def test_comments_explanations_and_reminders_become_events(clients, receiver, directive, make_task, deliver):
    hook = subscribe(clients, receiver, directive)
    only_reminders = subscribe(clients, receiver, directive, event_types=["task.reminded"])
    task = make_task()
    tid = task["id"]
    comment = clients.lead.post(f"/tasks/{tid}/comments", json={"comment": "Bộ đã gửi dự thảo lấy ý kiến"})
    asked = clients.secretariat.post(f"/tasks/{tid}/comments", json={
        "comment": "Đề nghị Bộ giải trình lý do chậm trình Nghị định", "asks_explanation": True})
    answered = clients.lead.post(f"/tasks/{tid}/comments/{asked.json()['id']}/answer",
                                 json={"comment": "Bộ đang chờ ý kiến thẩm định của Bộ Tư pháp"})
    reminded = clients.secretariat.post(f"/tasks/{tid}/reminders", json={"note": "Báo cáo trước ngày họp"})
    forced = clients.secretariat.post("/tasks/reminders", json={
        "task_ids": [tid], "force": True, "force_reason": "Lãnh đạo yêu cầu"})
    assert [r.status_code for r in (comment, asked, answered, reminded, forced)] == [201, 201, 201, 201, 200]
    deliver()

    bodies = sorted((verified(hook, r) for r in receiver.at(hook["path"])),
                    key=lambda b: b["data"]["event"]["journal_id"])
    assert [b["type"] for b in bodies] == ["task.created", "task.commented", "task.explanation_requested",
                                           "task.explanation_answered", "task.reminded", "task.reminded"]
    said, ask, answer, first, second = (b["data"] for b in bodies[1:])
    assert said["comment"] == {"id": comment.json()["id"], "kind": "comment", "text": "Bộ đã gửi dự thảo lấy ý kiến",
                               "author_agency": said["comment"]["author_agency"], "answers_id": None}
    assert said["comment"]["author_agency"]["code"] == LEAD_AGENCY
    assert said["event"]["note"] == "Bộ đã gửi dự thảo lấy ý kiến"
    assert said["text"] == ("Bộ Tài chính có ý kiến về nhiệm vụ 'Trình Chính phủ ban hành Nghị định sửa đổi Nghị "
                            "định số 123/2020/NĐ-CP về hóa đơn' (Bộ Tài chính chủ trì): “Bộ đã gửi dự thảo lấy ý "
                            "kiến”")
    assert ask["comment"]["kind"] == "explanation_request"
    assert "yêu cầu Bộ Tài chính giải trình về nhiệm vụ" in ask["text"] and "lý do chậm trình" in ask["text"]
    assert answer["comment"]["answers_id"] == asked.json()["id"]
    assert answer["text"].startswith("Bộ Tài chính giải trình về nhiệm vụ")
    assert first["reminder"] == {"note": "Báo cáo trước ngày họp", "forced": False, "force_reason": None}
    assert "đôn đốc Bộ Tài chính thực hiện nhiệm vụ" in first["text"] and first["text"].endswith(
        "“Báo cáo trước ngày họp”")
    assert first["event"]["journal_id"] == reminded.json()["journal_id"]
    assert second["reminder"] == {"note": None, "forced": True, "force_reason": "Lãnh đạo yêu cầu"}
    assert all(b["data"]["status"] == "new" and b["data"]["url"].endswith(f"/tasks/{tid}") for b in bodies)
    # A subscription to reminders alone gets the two reminders, nothing else.
    assert [verified(only_reminders, r)["type"] for r in receiver.at(only_reminders["path"])] == [
        "task.reminded", "task.reminded"]

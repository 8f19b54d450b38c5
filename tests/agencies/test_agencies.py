"""Agencies change: the secretariat adds, renames, deactivates and merges them; history keeps the old names."""

import uuid
from datetime import UTC, datetime

from tests.conftest import task_payload
from tests.paging import every_item


def _code() -> str:
    return f"000.{uuid.uuid4().int % 100:02d}.{uuid.uuid4().int % 100:02d}.X{uuid.uuid4().int % 100:02d}"


def _agency(clients, name: str, **extra) -> dict:
    created = clients.secretariat.post("/agencies", json={"code": _code(), "name": name,
                                                          "short_name": uuid.uuid4().hex[:8], "kind": "department",
                                                          "parent_code": "000.00.00.H29"} | extra)
    assert created.status_code == 201, created.text
    return created.json()


def test_only_the_secretariat_manages_agencies(clients):
    body = {"code": _code(), "name": "Sở Nội vụ thử", "short_name": uuid.uuid4().hex[:8], "kind": "department"}
    for client in (clients.lead, clients.observer):
        refused = client.post("/agencies", json=body)
        assert refused.status_code == 403 and refused.json()["detail"]["message_vi"].startswith("Chỉ ")


def test_by_code_by_id_and_renamed(clients):
    agency = _agency(clients, "Sở Khoa học và Công nghệ Thành phố Hồ Chí Minh", aliases=["Sở KH&CN TP.HCM"])
    assert clients.observer.get(f"/agencies/{agency['code']}").json()["id"] == agency["id"]
    assert clients.observer.get(f"/agencies/{agency['id']}").json()["code"] == agency["code"]
    assert clients.observer.get("/agencies/000.99.99.Z99").status_code == 404
    renamed = clients.secretariat.patch(f"/agencies/{agency['code']}", json={"name": "Sở Khoa học, Công nghệ và "
                                                                              "Chuyển đổi số TP. Hồ Chí Minh"})
    assert renamed.status_code == 200 and renamed.json()["name"].startswith("Sở Khoa học, Công nghệ")
    assert renamed.json()["aliases"] == ["Sở KH&CN TP.HCM"] and renamed.json()["parent_id"] is not None


def test_merge_moves_open_tasks_and_keeps_history(clients, directive, agencies, backdated):
    old = _agency(clients, "Sở Thông tin và Truyền thông thử nghiệm")
    successor = _agency(clients, "Sở Khoa học và Công nghệ thử nghiệm")
    official = f"Giám đốc {old['name']}"
    open_task = clients.secretariat.post("/tasks", json=task_payload(
        directive, agencies, lead_agency_id=old["id"], accountable_official=official)).json()
    past = backdated(datetime(2025, 1, 2, 3, tzinfo=UTC), lead_agency_id=old["id"], accountable_official=official,
                     deadline="2025-03-31")
    before = clients.observer.get("/reports/summary", params={"directive_id": directive["id"],
                                                               "as_of": "2025-02-01"}).json()
    assert old["id"] in {a["agency"]["id"] for a in before["by_lead_agency"]}

    assert clients.secretariat.post(f"/agencies/{old['code']}/deactivate").status_code == 409
    merged = clients.secretariat.post(f"/agencies/{old['code']}/merge", json={"successor_code": successor["code"]})
    assert merged.status_code == 200, merged.text
    assert merged.json()["tasks_moved"] == 2
    assert clients.observer.get(f"/tasks/{open_task['id']}").json()["lead_agency"]["id"] == successor["id"]
    history = every_item(clients.observer, f"/tasks/{open_task['id']}/history")
    assert history[-1]["kind"] == "reassigned"
    assert history[-1]["data"]["before"]["lead_agency_id"] == old["id"]
    # History keeps the old agency: the list as of February 2025 still names it.
    again = clients.observer.get("/reports/summary", params={"directive_id": directive["id"],
                                                              "as_of": "2025-02-01"}).json()
    assert {a["agency"]["name"] for a in again["by_lead_agency"]} >= {old["name"]}
    # The old code keeps resolving, to the agency with its successor.
    resolved = clients.observer.get(f"/agencies/{old['code']}").json()
    assert resolved["active"] is False and resolved["merged_into"]["id"] == successor["id"]
    assert clients.observer.get("/tasks", params={"lead_agency_code": successor["code"]}).json()["total"] == 2
    assert past in {t["id"] for t in clients.observer.get("/tasks", params={
        "lead_agency_code": successor["code"]}).json()["items"]}
    assert clients.secretariat.post(f"/agencies/{old['code']}/merge",
                                    json={"successor_code": successor["code"]}).status_code == 409
    refused = clients.secretariat.post("/tasks", json=task_payload(directive, agencies, lead_agency_id=old["id"]))
    assert refused.status_code == 422


def test_me_tells_who_a_token_is(clients):
    me = clients.lead.get("/me").json()
    assert me["agency"]["code"] == "000.00.00.G12" and me["role"] == "agency"
    assert "report_progress" in me["permissions"] and "create_task" not in me["permissions"]
    assert clients.secretariat.get("/me").json()["role"] == "secretariat"
    assert clients.anonymous.get("/me").status_code == 401


def test_an_agency_subscription_follows_its_own_tasks(clients):
    made = clients.lead.post("/webhooks", json={"url": "http://127.0.0.1:9/hook"})
    assert made.status_code == 201, made.text
    assert made.json()["lead_agency_ids"] == [clients.lead.get("/me").json()["agency"]["id"]]
    wide = clients.lead.post("/webhooks", json={"url": "http://127.0.0.1:9/hook2", "all_lead_agencies": True})
    assert wide.json()["lead_agency_ids"] == []
    secretariat = clients.secretariat.post("/webhooks", json={"url": "http://127.0.0.1:9/hook3"})
    assert secretariat.json()["lead_agency_ids"] == []


def test_the_command_line_manages_agencies(clients):
    db = clients.database
    code = _code()
    added = db.cli("agency", "add", "--code", code, "--name", "Ủy ban nhân dân huyện Thử Nghiệm",
                   "--short-name", uuid.uuid4().hex[:8], "--kind", "district", "--parent", "000.00.00.H49")
    assert added.returncode == 0, added.stderr
    successor = _code()
    db.cli("agency", "add", "--code", successor, "--name", "Ủy ban nhân dân thị xã Thử Nghiệm", "--short-name",
           uuid.uuid4().hex[:8], "--kind", "district", "--parent", "000.00.00.H49")
    duplicate = db.cli("agency", "add", "--code", code, "--name", "Trùng mã", "--short-name", uuid.uuid4().hex[:8])
    assert duplicate.returncode == 2 and "đã có cơ quan mã" in duplicate.stderr
    merged = db.cli("agency", "merge", code, "--into", successor)
    assert merged.returncode == 0, merged.stderr
    assert f"{code}\t" in db.cli("agency", "list").stdout
    assert clients.observer.get(f"/agencies/{code}").json()["merged_into"]["code"] == successor


def test_the_command_line_outside_a_database_says_what_to_do(tmp_path):
    import subprocess

    from tests.conftest import PROJECT_DIR, ROVIEC

    missing = tmp_path / "none.db"
    result = subprocess.run([ROVIEC, "token", "list"], env={"ROVIEC_DATABASE_URL": f"sqlite:///{missing}",
                                                            "PATH": "/usr/bin:/bin"},
                            cwd=PROJECT_DIR, capture_output=True, text=True)
    assert result.returncode == 2 and "roviec migrate" in result.stderr and "Traceback" not in result.stderr
    assert not missing.exists()


def test_the_seed_has_the_agencies_of_today_and_the_history_of_before(clients):
    every = clients.observer.get("/agencies").json()
    provinces = [a for a in every if a["kind"] == "province"]
    assert len(provinces) == 64 and sum(a["active"] for a in provinces) == 34  # 63 before 1/7/2025, and Huế
    for old, successor in (("000.00.00.H22", "000.00.00.H60"),  # Hà Giang into Tuyên Quang
                           ("000.00.00.H02", "000.00.00.H29"),  # Bà Rịa - Vũng Tàu into Thành phố Hồ Chí Minh
                           ("000.00.00.H57", "000.00.00.H93"),  # Thừa Thiên Huế, Thành phố Huế since 1/1/2025
                           ("000.00.00.G14", "000.00.00.G06")):  # Bộ TT&TT into Bộ KH&CN
        agency = clients.observer.get(f"/agencies/{old}").json()
        assert agency["active"] is False and agency["merged_into"]["code"] == successor, agency
    # The seed's task led by Tỉnh Quảng Bình: a report as of 30/6/2025 names Quảng Bình; if it was still open on
    # 1/7/2025, it is Quảng Trị's now, moved by a journal entry of that day.
    task = next(t for t in clients.observer.get("/tasks", params={"limit": 200}).json()["items"]
                if t["external_ref"] == "TT24-06")
    then = clients.observer.get("/reports/summary", params={"directive_id": task["directive_id"],
                                                             "as_of": "2025-06-30"}).json()
    assert "Tỉnh Quảng Bình" in {a["agency"]["name"] for a in then["by_lead_agency"]}
    history = every_item(clients.observer, f"/tasks/{task['id']}/history")
    if task["status"] in ("completed", "withdrawn"):
        assert task["lead_agency"]["code"] == "000.00.00.H46"
    else:
        assert task["lead_agency"]["code"] == "000.00.00.H50"
        assert history[-1]["kind"] == "reassigned" and history[-1]["occurred_at"].startswith("2025-07-01")

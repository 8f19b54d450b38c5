from datetime import UTC, datetime

from tests.conftest import DONE_REPORT
from tests.dates import ahead, iso
from tests.paging import every_item


def _second_session(clients):
    return next(d for d in every_item(clients.observer, "/directives") if d["number"] == "128/TB-VPCP")


def test_seed_gives_27_tasks_15_done_12_not_on_8_august_2022(clients):
    directive = _second_session(clients)
    response = clients.observer.get("/reports/summary", params={"directive_id": directive["id"],
                                                                "as_of": "2022-08-08"})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["total"] == 27
    assert report["completed"]["total"] == 15
    assert report["not_completed"]["total"] == 12
    completed, open_ = report["completed"], report["not_completed"]
    assert (completed["on_time"], completed["late"]) == (11, 4)  # as seed/README.md says
    assert (open_["in_time"], open_["overdue"]) == (3, 9)
    assert report["summary_vi"] == (
        f"Trong 27 nhiệm vụ giao tại {directive['meeting_name']}, có 15 nhiệm vụ đã hoàn thành "
        f"(đúng hạn {completed['on_time']}, quá hạn {completed['late']}), 12 nhiệm vụ chưa hoàn thành "
        f"(trong hạn {open_['in_time']}, quá hạn {open_['overdue']})."
    )
    assert sum(row["total"] for row in report["by_lead_agency"]) == 27
    overdue_first = [row["not_completed"]["overdue"] for row in report["by_lead_agency"]]
    assert overdue_first == sorted(overdue_first, reverse=True)


def test_the_seed_history_reaches_past_8_august(clients):
    directive = _second_session(clients)
    earlier = clients.observer.get("/reports/summary", params={"directive_id": directive["id"],
                                                               "as_of": "2022-05-01"}).json()
    assert (earlier["total"], earlier["completed"]["total"]) == (0, 0)  # issued on 6/5/2022
    later = clients.observer.get("/reports/summary", params={"directive_id": directive["id"],
                                                             "as_of": "2022-12-31"}).json()
    assert (later["completed"]["total"], later["not_completed"]["total"]) == (22, 5)
    listed = clients.observer.get("/tasks", params={"directive_id": directive["id"], "limit": 100}).json()
    assert listed["total"] == 27


def test_seed_runs_twice_without_adding_anything(clients):
    result = clients.database.cli("seed")
    assert result.returncode == 0, result.stderr
    assert "added 0 agencies, 0 directives, 0 tasks" in result.stdout


def test_as_of_is_read_from_the_journal(clients, directive, backdated):
    task_id = backdated(datetime(2025, 1, 2, 3, tzinfo=UTC), deadline="2025-03-31")
    clients.lead.post(f"/tasks/{task_id}/progress", json=DONE_REPORT)
    clients.secretariat.post(f"/tasks/{task_id}/accept")

    def grid(as_of):
        response = clients.observer.get("/reports/summary", params={"directive_id": directive["id"], "as_of": as_of})
        assert response.status_code == 200
        body = response.json()
        return body["total"], body["completed"], body["not_completed"]

    assert grid("2025-01-01") == (0, {"total": 0, "on_time": 0, "late": 0},
                                  {"total": 0, "in_time": 0, "overdue": 0})
    assert grid("2025-03-31") == (1, {"total": 0, "on_time": 0, "late": 0},
                                  {"total": 1, "in_time": 1, "overdue": 0})
    assert grid("2025-04-01") == (1, {"total": 0, "on_time": 0, "late": 0},
                                  {"total": 1, "in_time": 0, "overdue": 1})
    today = iso(ahead(0))  # the day the service counts in; a later day is refused (tests/reports/test_report_days.py)
    assert grid(today)[1] == {"total": 1, "on_time": 0, "late": 1}
    assert clients.observer.get("/reports/summary", params={"as_of": today}).status_code == 200


def test_summary_rejects_bad_input(clients):
    assert clients.observer.get("/reports/summary", params={"as_of": "8/8/2022"}).status_code == 422
    unknown = clients.observer.get("/reports/summary", params={"directive_id": 987654})
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["field"] == "directive_id"

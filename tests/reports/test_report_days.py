"""A report counts what has happened: its day is never after today, and a report is not dated before the day its
figures run to. An empty scope says so in words, not "Trong 0 nhiệm vụ … có 0 …"."""

from tests.dates import ahead, iso


def _day(offset: int) -> str:
    return iso(ahead(offset))


def test_a_day_to_come_is_refused_for_every_report(clients, directive):
    for path in ("/reports/summary", "/reports/agencies", "/reports/completion"):
        refused = clients.observer.get(path, params={"directive_id": directive["id"], "as_of": _day(1)})
        assert refused.status_code == 422, path
        problem = refused.json()["detail"][0]
        assert problem["field"] == "as_of" and "hôm nay" in problem["msg_vi"], path
    assert clients.observer.get("/reports/summary", params={"as_of": _day(0)}).status_code == 200


def test_a_report_is_not_dated_before_its_figures(clients, directive):
    params = {"directive_id": directive["id"], "as_of": _day(-2), "format": "docx"}
    refused = clients.secretariat.get("/reports/completion", params=params | {"issued_on": _day(-3)})
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "issued_on"
    assert "ngày chốt số liệu" in refused.json()["detail"][0]["msg_vi"]
    assert clients.secretariat.get("/reports/completion", params=params | {"issued_on": _day(-2)}).status_code == 200


def test_an_empty_scope_says_so(clients, directive):
    summary = clients.observer.get("/reports/summary", params={"directive_id": directive["id"]}).json()
    assert summary["total"] == 0
    assert summary["summary_vi"].startswith("Chưa có nhiệm vụ nào giao tại")
    assert "Trong 0" not in summary["summary_vi"]

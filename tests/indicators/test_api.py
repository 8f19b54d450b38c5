"""Indicators through the API, as each role: defined by the secretariat, recorded by the agency that reports one,
read by everyone, judged as of a day from the history (periods taken from today's year: the rule itself is tested
on fixed days in test_judgement.py)."""

import uuid

import httpx

from tests.conftest import LEAD_AGENCY, OTHER_AGENCY, InProcessClient
from tests.dates import ahead, today

PERCENT = {"unit": "%", "kind": "percentage", "direction": "increase", "comparator": ">=",
           "group_name": "Chính quyền số"}


def _indicator(clients, agencies, frequency="yearly", **fields) -> dict:
    body = {"code": f"CQS-{uuid.uuid4().hex[:6]}", "name": "Tỷ lệ hồ sơ trực tuyến toàn trình",
            "reporting_agency_id": agencies[LEAD_AGENCY]["id"], "frequency": frequency} | PERCENT | fields
    made = clients.secretariat.post("/indicators", json=body)
    assert made.status_code == 201, made.text
    return made.json()


def _target(clients, indicator, period, value, baseline=42, baseline_on=None):
    baseline_on = baseline_on or f"{int(period[:4]) - 1}-12-31"
    answer = clients.secretariat.post(f"/indicators/{indicator['id']}/targets", json={
        "period": period, "value": value, "baseline_value": baseline, "baseline_on": baseline_on})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_roles_define_record_and_read(clients, agencies, make_task):
    task = make_task()
    indicator = _indicator(clients, agencies, task_ids=[task["id"]])
    assert indicator["task_ids"] == [task["id"]] and indicator["status"] is None and indicator["latest"] is None
    for client in (clients.lead, clients.observer, clients.other_agency):
        refused = client.post("/indicators", json={"code": "X-1", "name": "Chỉ tiêu thử", "frequency": "yearly",
                                                    "reporting_agency_id": agencies[LEAD_AGENCY]["id"]} | PERCENT)
        assert refused.status_code == 403 and "chỉ tiêu" in refused.json()["detail"]["message_vi"]
        assert client.post(f"/indicators/{indicator['id']}/targets", json={
            "period": "2024", "value": 80, "baseline_value": 42, "baseline_on": "2023-12-31"}).status_code == 403
    period = str(today().year - 2)
    value = {"period": period, "value": 55.5, "source": "Cổng Dịch vụ công quốc gia"}
    # The agency that reports the indicator records its values; another agency or an observer may not.
    assert clients.other_agency.post(f"/indicators/{indicator['id']}/measurements", json=value).status_code == 403
    assert clients.observer.post(f"/indicators/{indicator['id']}/measurements", json=value).status_code == 403
    recorded = clients.lead.post(f"/indicators/{indicator['id']}/measurements", json=value)
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["value"] == 55.5 and recorded.json()["recorded_by_agency_id"] == agencies[LEAD_AGENCY]["id"]
    for client in (clients.secretariat, clients.lead, clients.other_agency, clients.observer):
        listed = client.get("/indicators", params={"agency_id": agencies[LEAD_AGENCY]["id"]})
        assert listed.status_code == 200 and indicator["id"] in [i["id"] for i in listed.json()]
    again = clients.secretariat.post("/indicators", json={"code": indicator["code"], "name": "Chỉ tiêu trùng mã",
                                                           "frequency": "yearly",
                                                           "reporting_agency_id": agencies[OTHER_AGENCY]["id"]}
                                     | PERCENT)
    assert again.status_code == 422 and again.json()["detail"][0]["field"] == "code"


def test_status_from_the_history_corrections_and_revised_targets(clients, agencies):
    """A target two years back has ended whatever today is: missed, then achieved once a correction meets it; as
    of yesterday (before anything was recorded) it was missed without data. A revised target replaces the old one
    in the judgement, and both stay in the history."""
    indicator = _indicator(clients, agencies)
    period = str(today().year - 2)
    _target(clients, indicator, period, 80)
    first = clients.lead.post(f"/indicators/{indicator['id']}/measurements",
                              json={"period": period, "value": 78.2, "official": False, "note": "Ước tính"}).json()
    shown = clients.observer.get(f"/indicators/{indicator['id']}").json()
    assert shown["status"] == "missed" and shown["latest"]["id"] == first["id"]
    corrected = clients.lead.post(f"/indicators/{indicator['id']}/measurements", json={
        "period": period, "value": 81.4, "official": True, "supersedes_id": first["id"], "note": "Số liệu chính thức"})
    assert corrected.status_code == 201, corrected.text
    shown = clients.observer.get(f"/indicators/{indicator['id']}").json()
    assert shown["status"] == "achieved" and shown["latest"]["value"] == 81.4
    assert [(m["id"], m["superseded_by_id"]) for m in shown["measurements"]] == [
        (first["id"], corrected.json()["id"]), (corrected.json()["id"], None)]
    # A correction of a corrected value names the newer one instead.
    twice = clients.lead.post(f"/indicators/{indicator['id']}/measurements",
                              json={"period": period, "value": 81.0, "supersedes_id": first["id"]})
    assert twice.status_code == 422 and str(corrected.json()["id"]) in twice.json()["detail"][0]["msg_vi"]
    yesterday = clients.observer.get(f"/indicators/{indicator['id']}",
                                     params={"as_of": ahead(-1).isoformat()}).json()
    assert yesterday["measurements"] == [] and yesterday["status"] is None  # no target yet either
    # A revision: 85 replaces 80; the old target stays, marked replaced.
    _target(clients, indicator, period, 85)
    shown = clients.observer.get(f"/indicators/{indicator['id']}").json()
    assert shown["status"] == "missed" and shown["target"]["value"] == 85
    assert [(t["value"], t["replaced_at"] is not None) for t in shown["targets"]] == [(80, True), (85, False)]
    by_status = clients.observer.get("/indicators", params={"status": "missed"}).json()
    assert indicator["id"] in [i["id"] for i in by_status]


def test_a_monthly_indicator_without_values_has_no_data(clients, agencies):
    indicator = _indicator(clients, agencies, frequency="monthly")
    _target(clients, indicator, str(today().year), 80, baseline_on=f"{today().year - 1}-12-31")
    assert clients.lead.get(f"/indicators/{indicator['id']}").json()["status"] == "no_data"


def test_refusals_name_the_field_in_both_languages(clients, agencies):
    monthly = _indicator(clients, agencies, frequency="monthly")
    year = str(today().year - 1)
    wrong_period = clients.lead.post(f"/indicators/{monthly['id']}/measurements", json={"period": year, "value": 50})
    assert wrong_period.status_code == 422
    problem = wrong_period.json()["detail"][0]
    assert problem["field"] == "period" and "hằng tháng" in problem["msg_vi"] and "monthly" in problem["msg"]
    not_a_period = clients.lead.post(f"/indicators/{monthly['id']}/measurements",
                                     json={"period": "tháng 7", "value": 50})
    assert not_a_period.status_code == 422 and "không phải một kỳ" in not_a_period.json()["detail"][0]["msg_vi"]
    too_much = clients.lead.post(f"/indicators/{monthly['id']}/measurements",
                                 json={"period": f"{year}-07", "value": 150})
    assert too_much.status_code == 422 and too_much.json()["detail"][0]["field"] == "value"
    ratio = _indicator(clients, agencies, kind="ratio", unit="thủ tục", name="Thủ tục hành chính cung cấp trực tuyến")
    half = clients.lead.post(f"/indicators/{ratio['id']}/measurements", json={"period": year, "numerator": 4543})
    assert half.status_code == 422 and half.json()["detail"][0]["field"] == "denominator"
    whole = clients.lead.post(f"/indicators/{ratio['id']}/measurements",
                              json={"period": year, "numerator": 4543, "denominator": 6325})
    assert whole.status_code == 201 and abs(whole.json()["value"] - 71.826087) < 1e-6
    future = clients.lead.get("/indicators", params={"as_of": ahead(3).isoformat()})
    assert future.status_code == 422 and future.json()["detail"][0]["field"] == "as_of"
    late_baseline = clients.secretariat.post(f"/indicators/{monthly['id']}/targets", json={
        "period": f"{year}-03", "value": 60, "baseline_value": 40, "baseline_on": f"{year}-04-01"})
    assert late_baseline.status_code == 422 and late_baseline.json()["detail"][0]["field"] == "baseline_on"
    unknown = clients.secretariat.post("/indicators", json={
        "code": "KTS-09", "name": "Tỷ trọng kinh tế số trong GDP", "frequency": "yearly",
        "reporting_agency_id": 999999, "task_ids": [999998]} | PERCENT)
    assert unknown.status_code == 422
    assert {p["field"] for p in unknown.json()["detail"]} == {"reporting_agency_id", "task_ids"}


def test_the_seeds_indicators_as_the_articles_left_them(clients):
    """The seed records each figure when it was known: on 20/7/2024 the digital economy's estimated 18,3% was ahead
    of the straight path to its (illustrative) 20%, the 2024 targets announced on 30/7 did not exist yet, and the
    payment accounts' 87,08% had met its target."""
    def by_code(answer):
        assert answer.status_code == 200, answer.text
        return {i["code"]: i for i in answer.json()}

    then = by_code(clients.observer.get("/indicators", params={"as_of": "2024-07-20"}))
    assert (then["KTS-01"]["status"], then["KTS-01"]["latest"]["value"]) == ("on_track", 18.3)
    assert then["XHS-01"]["status"] == "achieved"
    assert then["CQS-01"]["target"] is None and then["CQS-01"]["status"] is None
    assert [m["value"] for m in clients.observer.get(f"/indicators/{then['CQS-02']['id']}").json()["measurements"]] \
        == [1.78, 9.51, 18.0]
    now = by_code(clients.observer.get("/indicators", params={"group": "Chính quyền số"}))
    assert {code: i["status"] for code, i in now.items() if code.startswith("CQS-0") and len(code) == 6} == {
        "CQS-01": "missed", "CQS-02": "missed", "CQS-03": "missed"}



def test_a_merged_reporting_agencys_successor_records_its_values(clients, agencies):
    """Bộ Thông tin và Truyền thông merged into Bộ Khoa học và Công nghệ on 1/3/2025 (the seed's reorganisation):
    an indicator it reported is recorded by its successor's officers, and still by no one else."""
    merged, successor = agencies["000.00.00.G14"], agencies["000.00.00.G06"]
    assert merged["merged_into"]["id"] == successor["id"]
    indicator = _indicator(clients, agencies, reporting_agency_id=merged["id"], name="Tỷ trọng kinh tế số trong GDP",
                           group_name="Kinh tế số")
    officer = as_token(clients, clients.database.token("000.00.00.G06", "agency"))
    value = {"period": str(today().year - 1), "value": 18.3}
    recorded = officer.post(f"/indicators/{indicator['id']}/measurements", json=value)
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["recorded_by_agency_id"] == successor["id"]
    assert clients.lead.post(f"/indicators/{indicator['id']}/measurements", json=value).status_code == 403


def as_token(clients, token: str):
    """A client of the same kind as the run's (in process or over HTTP) with another token."""
    if isinstance(clients.lead, InProcessClient):
        return InProcessClient(clients.lead._client, token)
    return httpx.Client(base_url=str(clients.lead.base_url), headers={"Authorization": f"Bearer {token}"}, timeout=30)

"""The indicator watch: `indicator.off_track`, `indicator.no_data` and `indicator.achieved` through the deadline
alerts' outbox and subscriptions, once per (subscription, indicator, target period, kind) however many scans or
processes run, each with its Vietnamese line. Indicators are defined over HTTP on a real `roviec serve`, with targets
for this year (and the next, for a new period), so the status each one gets is the same whatever day the suite runs;
the scan runs in this process on an injected clock, and once through the scheduled job of a real server."""

import multiprocessing
import time
import uuid
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import httpx
import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.alerts import indicators as indicator_alerts
from app.alerts.models import IndicatorDigestEntry
from app.config import Settings
from app.db import make_engine
from app.webhooks.models import WebhookEndpoint, WebhookMessage
from tests.conftest import LEAD_AGENCY, OTHER_AGENCY, SECRETARIAT_AGENCY, serving
from tests.dates import noon, today
from tests.webhooks.helpers import messages, subscribe, verified

# Integration: a real `roviec serve` process over HTTP.
pytestmark = pytest.mark.real_server

INDICATOR_ALERTS = ["indicator.achieved", "indicator.no_data", "indicator.off_track"]
TASK_ALERTS = ["task.due_soon", "task.due_today", "task.overdue", "task.escalated", "task.overdue_resolved"]
LEAD_NAME = "Bộ Tài chính"


@pytest.fixture
def scan_indicators(write_engine, clock):
    """One run of the real indicator scan in this process at `clock`, committed; what it raised counted for the
    subscriptions this test made only (the run's database holds other tests' subscriptions, which rightly hear of
    these indicators and of the seed's too)."""
    with Session(write_engine) as session:
        before = session.scalar(select(func.coalesce(func.max(WebhookEndpoint.id), 0)))

    def mine(session, model) -> int:
        rows = select(func.count()).select_from(model).where(model.endpoint_id > before)
        if model is WebhookMessage:
            rows = rows.where(WebhookMessage.event_type.like("indicator.%"))
        return session.scalar(rows)

    def counts(session) -> tuple[int, int, int]:
        digests = session.scalar(select(func.count()).select_from(WebhookMessage).where(
            WebhookMessage.endpoint_id > before, WebhookMessage.dedupe_key.like("digest:%")))
        return mine(session, WebhookMessage) - digests, mine(session, IndicatorDigestEntry), digests

    def run() -> indicator_alerts.IndicatorScanResult:
        for _ in range(100):
            with Session(write_engine) as session:
                messages, entries, digests = counts(session)
                result = indicator_alerts.scan(session=session, now=clock.now)
                session.commit()
                after = counts(session)
            if not result.skipped:  # skipped: another scan held the PostgreSQL lock, as a replica would
                return indicator_alerts.IndicatorScanResult(
                    skipped=False, raised=after[0] - messages + after[1] - entries, digests=after[2] - digests)
            time.sleep(0.1)
        pytest.fail("the indicator scan stayed locked out")

    return run


def received(receiver, hook) -> list[dict]:
    return [verified(hook, r) for r in receiver.at(hook["path"])]


def by_type(bodies: list[dict]) -> dict[str, dict]:
    found = {b["type"]: b for b in bodies}
    assert len(found) == len(bodies), [b["type"] for b in bodies]
    return found


def make_indicator(client, agencies, directive, *, name="Tỷ lệ hồ sơ trực tuyến toàn trình", agency=LEAD_AGENCY,
                   **fields) -> dict:
    body = {"code": f"CS-{uuid.uuid4().hex[:6].upper()}", "name": name, "unit": "%", "kind": "percentage",
            "direction": "increase", "comparator": ">=", "group_name": "Chính quyền số", "frequency": "yearly",
            "source_directive_id": directive["id"], "reporting_agency_id": agencies[agency]["id"]} | fields
    made = client.post("/indicators", json=body)
    assert made.status_code == 201, made.text
    return made.json()


def set_target(client, indicator, year: int, value: float, baseline: float = 40) -> dict:
    answer = client.post(f"/indicators/{indicator['id']}/targets", json={
        "period": str(year), "value": value, "baseline_value": baseline, "baseline_on": f"{year - 1}-12-31"})
    assert answer.status_code == 201, answer.text
    return answer.json()


def record(client, indicator, year: int, value: float) -> dict:
    answer = client.post(f"/indicators/{indicator['id']}/measurements",
                         json={"period": str(year), "value": value, "official": True, "source": "Báo cáo năm"})
    assert answer.status_code == 201, answer.text
    return answer.json()


def three_kinds(clients, agencies, directive, year: int) -> dict[str, dict]:
    """One indicator of each kind for `year`, and one at risk (no alert): yearly, so judged against the year's end."""
    made = {}
    made["indicator.off_track"] = make_indicator(clients.secretariat, agencies, directive)
    set_target(clients.secretariat, made["indicator.off_track"], year, 80)
    record(clients.secretariat, made["indicator.off_track"], year, 50)
    made["indicator.no_data"] = make_indicator(clients.secretariat, agencies, directive,
                                               name="Tỷ lệ dân số trưởng thành sử dụng dịch vụ công trực tuyến")
    set_target(clients.secretariat, made["indicator.no_data"], year, 40, baseline=18)
    made["indicator.achieved"] = make_indicator(clients.secretariat, agencies, directive,
                                                name="Tỷ lệ người dân trưởng thành có tài khoản thanh toán")
    set_target(clients.secretariat, made["indicator.achieved"], year, 80, baseline=74)
    record(clients.secretariat, made["indicator.achieved"], year, 87.08)
    at_risk = make_indicator(clients.secretariat, agencies, directive, name="Tỷ lệ hồ sơ số hóa")
    set_target(clients.secretariat, at_risk, year, 80)
    record(clients.secretariat, at_risk, year, 77)  # behind by 3 of 40: within the tolerance
    return made


def test_each_kind_is_raised_once_with_its_vietnamese_line(clients, agencies, directive, receiver, scan_indicators,
                                                           deliver, clock):
    year = today().year
    hook = subscribe(clients, receiver, directive, event_types=INDICATOR_ALERTS)
    made = three_kinds(clients, agencies, directive, year)
    assert scan_indicators().raised == 3
    deliver()
    alerts = by_type(received(receiver, hook))
    assert sorted(alerts) == INDICATOR_ALERTS
    for kind, body in alerts.items():
        data, indicator = body["data"], made[kind]
        assert [data["indicator"][k] for k in ("id", "code", "name")] == [indicator[k] for k in ("id", "code", "name")]
        assert data["indicator"]["reporting_agency"]["name"] == LEAD_NAME
        assert data["indicator"]["url"].endswith(f"/indicators/{indicator['id']}")
        assert data["indicator"]["api_url"].endswith(f"/api/v1/indicators/{indicator['id']}")
        assert data["status"] == kind.removeprefix("indicator.") and data["as_of"] == today().isoformat()
        assert data["target"]["period"] == str(year)
        assert data["alert"] == {"kind": kind, "period": str(year),
                                 "key": f"{kind.replace('.', ':')}:{indicator['id']}:{year}"}
    off_track, no_data, achieved = (alerts[k]["data"] for k in
                                    ("indicator.off_track", "indicator.no_data", "indicator.achieved"))
    assert off_track["target"]["value"] == 80 and off_track["latest"]["value"] == 50
    assert off_track["latest"]["period"] == str(year) and no_data["latest"] is None
    assert achieved["latest"]["value"] == 87.08
    code = {kind: made[kind]["code"] for kind in made}
    assert off_track["text"] == (
        f"Chỉ tiêu 'Tỷ lệ hồ sơ trực tuyến toàn trình' ({code['indicator.off_track']}) chậm tiến độ: năm {year} đạt "
        f"50%, mục tiêu năm {year} là 80% (cơ quan báo cáo: {LEAD_NAME}).")
    assert no_data["text"] == (
        f"Chỉ tiêu 'Tỷ lệ dân số trưởng thành sử dụng dịch vụ công trực tuyến' ({code['indicator.no_data']}) chưa có "
        f"số liệu (mục tiêu năm {year} là 40%); đề nghị {LEAD_NAME} báo cáo.")
    assert achieved["text"] == (
        f"Chỉ tiêu 'Tỷ lệ người dân trưởng thành có tài khoản thanh toán' ({code['indicator.achieved']}) đã đạt "
        f"mục tiêu năm {year}: năm {year} đạt 87,08%, vượt mục tiêu 80%.")

    for _ in range(3):  # the same minute again and again, then later the same day: nothing new
        assert scan_indicators().raised == 0
    clock.advance(hours=1)
    assert scan_indicators().raised == 0
    deliver()
    assert len(receiver.at(hook["path"])) == 3
    assert {m["status"] for m in messages(clients, hook)} == {"delivered"}
    assert all(m["task_id"] is None for m in messages(clients, hook))


def test_a_target_for_a_new_period_arms_each_kind_again(clients, agencies, directive, receiver, scan_indicators,
                                                        deliver, clock):
    year = today().year
    hook = subscribe(clients, receiver, directive, event_types=INDICATOR_ALERTS)
    made = three_kinds(clients, agencies, directive, year)
    assert scan_indicators().raised == 3
    # Next year's targets (and values for it) are set today: this year's targets are still the ones judged today.
    set_target(clients.secretariat, made["indicator.off_track"], year + 1, 90, baseline=50)
    record(clients.secretariat, made["indicator.off_track"], year + 1, 55)
    set_target(clients.secretariat, made["indicator.no_data"], year + 1, 50, baseline=30)
    set_target(clients.secretariat, made["indicator.achieved"], year + 1, 85, baseline=80)
    record(clients.secretariat, made["indicator.achieved"], year + 1, 88.5)
    assert scan_indicators().raised == 0
    clock.now = noon(date(year + 1, 3, 2))  # next year's period has begun: its targets are judged
    assert scan_indicators().raised == 3
    assert scan_indicators().raised == 0
    deliver()
    bodies = received(receiver, hook)
    assert sorted((b["type"], b["data"]["target"]["period"]) for b in bodies) == sorted(
        (kind, str(y)) for kind in INDICATOR_ALERTS for y in (year, year + 1))
    later = by_type([b for b in bodies if b["data"]["target"]["period"] == str(year + 1)])
    assert f"chậm tiến độ: năm {year + 1} đạt 55%, mục tiêu năm {year + 1} là 90%" in \
        later["indicator.off_track"]["data"]["text"]
    assert f"chưa có số liệu (mục tiêu năm {year + 1} là 50%); đề nghị {LEAD_NAME} báo cáo." in \
        later["indicator.no_data"]["data"]["text"]
    assert f"đã đạt mục tiêu năm {year + 1}: năm {year + 1} đạt 88,5%, vượt mục tiêu 85%." in \
        later["indicator.achieved"]["data"]["text"]


def test_each_subscription_gets_what_it_chose(clients, agencies, directive, receiver, scan_indicators, deliver):
    year = today().year
    other_directive = clients.secretariat.post("/directives", json={
        "number": f"{uuid.uuid4().hex[:6]}/TB-VPCP", "title": "Thông báo kết luận về kinh tế số",
        "issued_on": "2024-11-20", "meeting_name": "Phiên họp thử nghiệm", "meeting_date": "2024-11-18",
        "issuer": "Văn phòng Chính phủ"}).json()
    every_type = subscribe(clients, receiver, directive)  # no event types listed: every type, indicators included
    tasks_only = subscribe(clients, receiver, directive, event_types=TASK_ALERTS)
    achieved_only = subscribe(clients, receiver, directive, event_types=["indicator.achieved"])
    own_agency = subscribe(clients, receiver, directive, client=clients.lead, event_types=INDICATOR_ALERTS)
    priority = subscribe(clients, receiver, directive, event_types=INDICATOR_ALERTS, priority_only=True)
    elsewhere = subscribe(clients, receiver, other_directive, event_types=INDICATOR_ALERTS)
    assert own_agency["lead_agency_ids"] == [agencies[LEAD_AGENCY]["id"]]

    ours = make_indicator(clients.secretariat, agencies, directive)  # reported by the lead agency: off track
    set_target(clients.secretariat, ours, year, 80)
    record(clients.lead, ours, year, 45)
    theirs = make_indicator(clients.secretariat, agencies, directive, agency=OTHER_AGENCY,
                            name="Tỷ lệ hồ sơ giải quyết trực tuyến của Thành phố")  # another agency's: achieved
    set_target(clients.secretariat, theirs, year, 60)
    record(clients.other_agency, theirs, year, 61)
    scan_indicators()
    deliver()

    def heard(hook) -> list[tuple[str, int]]:
        return sorted((b["type"], b["data"]["indicator"]["id"]) for b in received(receiver, hook))

    both = sorted([("indicator.achieved", theirs["id"]), ("indicator.off_track", ours["id"])])
    assert heard(every_type) == both
    assert heard(priority) == both  # priority narrows tasks; an indicator has none
    assert heard(tasks_only) == [] and messages(clients, tasks_only) == []
    assert heard(achieved_only) == [("indicator.achieved", theirs["id"])]
    assert heard(own_agency) == [("indicator.off_track", ours["id"])]  # the agency filter: the reporting agency
    assert heard(elsewhere) == []  # the directive filter: the indicator's source directive
    [city] = [b["data"] for b in received(receiver, every_type) if b["data"]["indicator"]["id"] == theirs["id"]]
    assert city["indicator"]["reporting_agency"]["id"] == agencies[OTHER_AGENCY]["id"]


def test_a_digest_subscription_gets_one_message_per_kind(clients, agencies, directive, receiver, scan_indicators,
                                                         deliver, clock):
    year = today().year
    hook = subscribe(clients, receiver, directive, event_types=INDICATOR_ALERTS, digest=True)
    behind = []
    for name in ("Tỷ lệ hồ sơ trực tuyến toàn trình", "Tỷ lệ thanh toán trực tuyến"):
        behind.append(make_indicator(clients.secretariat, agencies, directive, name=name))
        set_target(clients.secretariat, behind[-1], year, 80)
        record(clients.secretariat, behind[-1], year, 50)
    silent = make_indicator(clients.secretariat, agencies, directive, agency=OTHER_AGENCY)
    set_target(clients.secretariat, silent, year, 80)
    first = scan_indicators()
    assert (first.raised, first.digests) == (3, 2)
    assert scan_indicators().raised == 0
    deliver()
    digests = by_type(received(receiver, hook))
    assert sorted(digests) == ["indicator.no_data", "indicator.off_track"]
    late = digests["indicator.off_track"]["data"]
    assert late["digest"] is True and late["count"] == 2 and late["truncated"] is False
    assert [i["indicator"]["id"] for i in late["indicators"]] == [
        i["id"] for i in sorted(behind, key=lambda i: i["code"])]
    assert late["text"] == f"Có 2 chỉ tiêu chậm tiến độ (cơ quan báo cáo: {LEAD_NAME})."
    assert digests["indicator.no_data"]["data"]["text"] == \
        "Có 1 chỉ tiêu chưa có số liệu (cơ quan báo cáo: Thành phố Hồ Chí Minh)."
    assert all("chậm tiến độ" in i["text"] for i in late["indicators"])
    # Switched to one message per alert: what the digests told is not told again.
    assert clients.secretariat.patch(f"/webhooks/{hook['id']}", json={"digest": False}).status_code == 200
    clock.advance(minutes=1)
    assert scan_indicators().raised == 0
    deliver()
    assert len(receiver.at(hook["path"])) == 2


def _scan_for_a_while(url: str, start: datetime) -> int:
    """One of three processes running the indicator scan every second of half a minute of injected time."""
    settings = Settings(database_url=url)
    engine = make_engine(settings.sqlalchemy_url)
    raised = 0
    for second in range(30):
        with Session(engine) as session:
            raised += indicator_alerts.scan(session=session, now=start + timedelta(seconds=second)).raised
            session.commit()
    engine.dispose()
    return raised


@pytest.mark.postgresql_only
def test_three_processes_raise_each_alert_once(clients, agencies, directive, receiver, write_engine, clock):
    hook = subscribe(clients, receiver, directive, event_types=INDICATOR_ALERTS)
    digest = subscribe(clients, receiver, directive, digest=True)
    made = three_kinds(clients, agencies, directive, today().year)
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        raised = pool.starmap(_scan_for_a_while, [(clients.database.url, clock.now)] * 3)
    with Session(write_engine) as session:
        keys = session.scalars(select(WebhookMessage.dedupe_key).where(WebhookMessage.endpoint_id == hook["id"])).all()
        digests = session.execute(select(WebhookMessage.event_type, func.count()).where(
            WebhookMessage.endpoint_id == digest["id"]).group_by(WebhookMessage.event_type)).all()
    assert sorted(keys) == sorted(f"{kind.replace('.', ':')}:{made[kind]['id']}:{today().year}" for kind in made)
    assert dict(digests) == dict.fromkeys(INDICATOR_ALERTS, 1)
    assert sum(raised) == 6  # three messages, three digest entries


def test_the_scheduled_scan_raises_them(fresh_database, receiver):
    """`roviec serve` with its scheduler on: the alerts job finds the indicator, the delivery job sends its alert,
    and the ticks after it add nothing."""
    token = fresh_database.token(SECRETARIAT_AGENCY, "secretariat")
    with serving(fresh_database, ROVIEC_SCHEDULER="on", ROVIEC_ALERT_SCAN_SECONDS="0.5",
                 ROVIEC_WEBHOOK_POLL_SECONDS="0.2") as server, \
            httpx.Client(base_url=f"{server.base_url}/api/v1", headers={"Authorization": f"Bearer {token}"},
                         timeout=30) as api:
        agencies = {a["code"]: a for a in api.get("/agencies").json()}
        directive = api.post("/directives", json={
            "number": f"{uuid.uuid4().hex[:6]}/TB-VPCP", "title": "Thông báo kết luận về chuyển đổi số",
            "issued_on": "2024-11-20", "meeting_name": "Phiên họp thử nghiệm", "meeting_date": "2024-11-18",
            "issuer": "Văn phòng Chính phủ"}).json()
        # The indicator's state is whole before anyone subscribes: a scan between its target and its value would
        # rightly tell of a moment with no data.
        indicator = make_indicator(api, agencies, directive)
        set_target(api, indicator, today().year, 80)
        record(api, indicator, today().year, 50)
        path = f"/hook/{uuid.uuid4().hex[:10]}"
        hook = api.post("/webhooks", json={"url": receiver.script(path), "directive_ids": [directive["id"]],
                                           "event_types": INDICATOR_ALERTS})
        assert hook.status_code == 201, hook.text
        hook = hook.json() | {"path": path}
        deadline = time.monotonic() + 30
        while not receiver.at(path) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(2)  # four more ticks of the scan
        [body] = received(receiver, hook)
    assert body["type"] == "indicator.off_track" and body["data"]["indicator"]["id"] == indicator["id"]
    assert body["data"]["text"].startswith("Chỉ tiêu 'Tỷ lệ hồ sơ trực tuyến toàn trình'")


def test_a_subscription_reads_its_filters_for_an_indicator():
    """Pure: the kinds asked for, the reporting agency or its successor, the source directive."""
    def endpoint(**fields):
        return SimpleNamespace(**({"event_types": [], "lead_agency_ids": [], "directive_ids": [],
                                   "priority_only": False} | fields))

    alert = indicator_alerts.Candidate(indicator_id=1, event_type="indicator.no_data", period="2024",
                                       key="indicator:no_data:1:2024", agency_ids=frozenset({7, 9}), directive_id=3,
                                       code="A", data={})
    assert indicator_alerts.takes(endpoint(), alert)
    assert indicator_alerts.takes(endpoint(lead_agency_ids=[9], directive_ids=[3], priority_only=True), alert)
    assert not indicator_alerts.takes(endpoint(lead_agency_ids=[8]), alert)
    assert not indicator_alerts.takes(endpoint(directive_ids=[4]), alert)
    assert not indicator_alerts.takes(endpoint(event_types=["task.overdue", "indicator.achieved"]), alert)
    assert indicator_alerts.wanted_types(endpoint(event_types=TASK_ALERTS)) == frozenset()
    assert not indicator_alerts.takes(endpoint(directive_ids=[3]), alert.__class__(
        **(alert.__dict__ | {"directive_id": None})))

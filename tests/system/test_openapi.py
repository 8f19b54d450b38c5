"""The OpenAPI document as client generators and integrators read it: shapes instead of free-form objects, enums for
closed sets, the headers the API sends and takes, files as files, the webhooks a subscriber receives (checked against
real delivered bodies), one way of writing an instant, short operation ids, and Spectral's `spectral:oas` rules with
nothing to say. (tests/openapi_check.py checks every response and webhook body of the whole run against the same
document.)"""

import json
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from jsonschema import Draft202012Validator

from app.errors import ErrorCode
from app.main import create_app
from app.openapi import PACKAGE_NAME
from app.reports.export import FORMATS
from app.tasks import evidence_store
from app.tasks.schemas import DATA_OF_KIND
from app.tasks.status import JournalKind
from app.types import INSTANT_PATTERN
from app.webhooks.models import PING, EventType
from tests.conftest import DONE_REPORT, PROJECT_DIR, TASK_DEADLINE
from tests.dates import ahead, iso, noon, wednesday_ahead
from tests.webhooks.helpers import subscribe, verified

pytestmark = pytest.mark.real_server
API = "/api/v1"
APP = PROJECT_DIR / "app"


@pytest.fixture(scope="module")
def document() -> dict:
    return create_app().openapi()


def _resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _valid(document: dict, schema: dict, value) -> list[str]:
    validator = Draft202012Validator({**schema, "components": document["components"]})
    return [f"{e.message[:160]} at {'/'.join(map(str, e.absolute_path))}" for e in validator.iter_errors(value)]


# ---------------------------------------------------------------- the document


def test_no_free_form_object_where_the_shape_is_known(document):
    free = []

    def walk(node, where):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" not in node and not isinstance(
                    node.get("additionalProperties"), dict) and "propertyNames" not in node:
                free.append(where)
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}[{index}]")

    walk(document["components"]["schemas"], "components")
    walk(document["paths"], "paths")
    assert free == []
    schemas = document["components"]["schemas"]
    assert schemas["Me"]["properties"]["agency"]["$ref"].endswith("/AgencyRef")
    assert "AccountRef" in json.dumps(schemas["Me"]["properties"]["account"])
    assert "EvidencePublic" in json.dumps(schemas["TaskPublic"]["properties"]["evidence"])
    assert "AlertPolicy" in json.dumps(schemas["WebhookPublic"]["properties"]["alert_policy"])
    assert "WebhookPayload" in json.dumps(schemas["MessagePublic"]["properties"]["payload"])
    # A component name a generator turns into a class: no module paths, no -Input/-Output twins.
    assert [name for name in schemas if "__" in name or name.endswith(("-Input", "-Output"))] == []


def test_closed_sets_are_enums(document):
    schemas = document["components"]["schemas"]
    assert schemas["ErrorCode"]["enum"] == [code.value for code in ErrorCode]
    assert schemas["ErrorDetail"]["properties"]["code"]["$ref"].endswith("/ErrorCode")
    event_type = json.dumps(schemas["MessagePublic"]["properties"]["event_type"])
    assert "EventType" in event_type and '"ping"' in event_type
    assert schemas["WebhookPublic"]["properties"]["event_types"]["items"]["$ref"].endswith("/EventType")
    assert schemas["Me"]["properties"]["role"]["$ref"].endswith("/Role")
    assert schemas["Me"]["properties"]["permissions"]["items"]["$ref"].endswith("/Action")
    completion = document["paths"][f"{API}/reports/completion"]["get"]
    fmt = next(p for p in completion["parameters"] if p["name"] == "format")
    assert fmt["schema"]["enum"] == list(FORMATS)
    # Journal rows by kind: each kind has its row, with its data.
    history = document["paths"][f"{API}/tasks/{{task_id}}/history"]["get"]["responses"]["200"]
    page = history["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    union = schemas[page]["properties"]["items"]["items"]
    assert set(union["discriminator"]["mapping"]) == {kind.value for kind in JournalKind} == set(DATA_OF_KIND)


def test_every_error_code_the_source_raises_is_in_the_enum():
    raised = {code for path in APP.rglob("*.py") for code in re.findall(r'\bcode="(\w+)"', path.read_text())}
    # A 422 of the request's fields carries its problems, not a code.
    assert raised - {"validation_error"} - {code.value for code in ErrorCode} == set()


def test_operation_ids_are_the_functions_names_and_tags_are_described(document):
    ids = [op["operationId"] for section in ("paths", "webhooks") for ops in document[section].values()
           for op in ops.values()]
    assert len(ids) == len(set(ids))
    assert document["paths"][f"{API}/tasks"]["get"]["operationId"] == "list_tasks"
    assert document["paths"][f"{API}/tasks/{{task_id}}/progress"]["post"]["operationId"] == "report_progress"
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", name) for name in ids)
    tags = {tag["name"]: tag["description"] for tag in document["tags"]}
    used = {tag for section in ("paths", "webhooks") for ops in document[section].values() for op in ops.values()
            for tag in op.get("tags", [])}
    assert used <= set(tags) and all(tags.values())
    info = document["info"]
    assert info["x-package-name"] == PACKAGE_NAME and PACKAGE_NAME.isascii()
    assert info["contact"]["name"] and document["servers"][0]["url"].startswith("http")


def test_headers_are_declared(document):
    paths = document["paths"]
    get_task = paths[f"{API}/tasks/{{task_id}}"]["get"]
    assert "ETag" in get_task["responses"]["200"]["headers"] and "ETag" in get_task["responses"]["304"]["headers"]
    for path in (f"{API}/tasks/{{task_id}}", f"{API}/directives/{{directive_id}}"):
        if_match = next(p for p in paths[path]["patch"]["parameters"] if p["name"] == "If-Match")
        assert if_match["required"] is True and "428" in if_match["description"]
    progress = next(p for p in paths[f"{API}/tasks/{{task_id}}/progress"]["post"]["parameters"]
                    if p["name"] == "If-Match")
    assert progress["required"] is False
    create = paths[f"{API}/tasks"]["post"]
    key = next(p for p in create["parameters"] if p["name"] == "Idempotency-Key")
    assert "retry" in key["description"] and key["schema"]["maxLength"] == 200
    assert {"ETag", "Location", "Idempotent-Replayed"} <= set(create["responses"]["201"]["headers"])
    created = [(path, method) for path, ops in paths.items() for method, op in ops.items()
               if "201" in op["responses"]]
    assert len(created) >= 14
    assert all(paths[path][method]["responses"]["201"]["headers"]["Location"]["required"] for path, method in created)


def test_downloads_are_declared_as_files(document):
    binary = {"schema": {"type": "string", "format": "binary"}}
    completion = document["paths"][f"{API}/reports/completion"]["get"]["responses"]["200"]["content"]
    assert list(completion)[0] == "application/octet-stream"
    assert completion == {"application/octet-stream": binary} | {
        f.media_type.split(";")[0]: binary for f in FORMATS.values()}
    files = document["paths"][f"{API}/files/{{file_id}}"]["get"]["responses"]["200"]
    assert files["content"] == {"application/octet-stream": binary} | {media: binary for media in evidence_store.TYPES}
    assert {"ETag", "Content-Disposition"} <= set(files["headers"])
    indicators = document["paths"][f"{API}/reports/indicators"]["get"]["responses"]["200"]["content"]
    assert list(indicators) == ["application/json", "text/csv"] and indicators["text/csv"] == binary


def test_every_event_type_is_a_webhook_with_its_body(document):
    assert set(document["webhooks"]) == {t.value for t in EventType} | {PING}
    mapping = document["components"]["schemas"]["WebhookPayload"]["discriminator"]["mapping"]
    for event_type, operations in document["webhooks"].items():
        body = operations["post"]["requestBody"]["content"]["application/json"]["schema"]
        assert mapping[event_type] == body["$ref"]
        headers = {p["name"] for p in operations["post"]["parameters"]}
        assert headers == {"webhook-id", "webhook-timestamp", "webhook-signature"}


def test_every_instant_in_an_answer_is_declared_utc_with_z(document):
    unpatterned = []

    def walk(node, where):
        if isinstance(node, dict):
            if node.get("format") == "date-time" and node.get("pattern") != INSTANT_PATTERN:
                unpatterned.append(where)
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for value in node:
                walk(value, where)

    walk(document["components"]["schemas"], "")
    assert unpatterned == []


# ---------------------------------------------------------------- what the server does


def test_instants_are_written_in_utc_with_z(clients, make_task, directive):
    task = make_task()
    assert task["created_at"].endswith("Z") and task["updated_at"].endswith("Z")
    assert clients.observer.get(f"/directives/{directive['id']}").json()["created_at"].endswith("Z")
    history = clients.observer.get(f"/tasks/{task['id']}/history").json()["items"]
    assert history[0]["occurred_at"].endswith("Z")
    moment = noon(ahead(1))  # +07:00
    preview = clients.secretariat.get("/alerts/preview", params={"as_of": moment.isoformat()})
    assert preview.json()["as_of"] == moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_zone_less_query_instant_is_refused_at_query(clients, receiver, directive):
    naive = noon(ahead(1)).replace(tzinfo=None).isoformat()
    refused = clients.secretariat.get("/alerts/preview", params={"as_of": naive})
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["query", "as_of"]
    hook = subscribe(clients, receiver, directive)
    replay = clients.secretariat.post(f"/webhooks/{hook['id']}/replay", params={"since": naive})
    assert replay.status_code == 422 and replay.json()["detail"][0]["loc"] == ["query", "since"]


def test_an_operation_without_parameters_says_it_takes_none(clients):
    problem = clients.observer.get("/me", params={"verbose": "1"}).json()["detail"][0]
    assert problem["loc"] == ["query", "verbose"]
    assert problem["msg"].endswith("this operation takes no parameters")
    assert problem["msg_vi"].endswith("thao tác này không nhận tham số nào")
    listed = clients.observer.get("/tasks", params={"verbose": "1"}).json()["detail"][0]
    assert "this operation takes: " in listed["msg"] and "limit" in listed["msg"]


def test_every_201_says_where_the_created_resource_is(clients, make_task, directive, agencies, receiver):
    def followed(response, client=clients.secretariat):
        assert response.status_code == 201, response.text
        location = response.headers["location"]
        assert location.startswith(API + "/")
        found = client.get(location.removeprefix(API))
        assert found.status_code == 200, (location, found.text)
        return found.json()

    task = clients.secretariat.post("/tasks", json=_task(directive, agencies), headers={"Idempotency-Key": "k-" +
                                                                                        os.urandom(6).hex()})
    assert followed(task)["id"] == task.json()["id"]
    again = clients.secretariat.post("/tasks", json=_task(directive, agencies),
                                     headers={"Idempotency-Key": task.request.headers["Idempotency-Key"]})
    assert again.headers["idempotent-replayed"] == "true" and again.headers["location"] == task.headers["location"]
    tid = task.json()["id"]
    comment = clients.lead.post(f"/tasks/{tid}/comments", json={"comment": "Bộ đã gửi dự thảo lấy ý kiến"})
    assert followed(comment)["id"] == comment.json()["id"]
    asked = clients.secretariat.post(f"/tasks/{tid}/comments", json={"comment": "Đề nghị giải trình",
                                                                      "asks_explanation": True})
    answer = clients.lead.post(f"/tasks/{tid}/comments/{asked.json()['id']}/answer", json={"comment": "Đang chờ"})
    assert followed(answer)["answers_id"] == asked.json()["id"]
    reminded = clients.secretariat.post(f"/tasks/{tid}/reminders", json={"note": "Báo cáo trước ngày họp"})
    assert reminded.json()["journal_id"] in [e["id"] for e in followed(reminded)["items"]]
    files = clients.lead.post(f"/tasks/{tid}/files", files={"file": ("a.pdf", _PDF, "application/pdf")})
    # Uploads no report names yet: seen by the uploader's agency only.
    assert [f["id"] for f in followed(files, clients.lead)["items"]] == [f["id"] for f in files.json()["items"]]
    request = clients.lead.post(f"/tasks/{tid}/extension-requests", json={
        "kind": "extend", "requested_deadline": iso(TASK_DEADLINE + timedelta(days=40)), "reason": "Chờ thẩm định"})
    assert followed(request)["id"] == request.json()["id"]
    made = clients.secretariat.post("/directives", json={
        "number": f"{os.urandom(3).hex()}/TB-VPCP", "title": "Thông báo kết luận phiên họp về hợp đồng OpenAPI",
        "issued_on": "2024-11-20", "meeting_name": "Phiên họp thử nghiệm", "meeting_date": "2024-11-18",
        "issuer": "Văn phòng Chính phủ"})
    assert followed(made)["id"] == made.json()["id"]
    hook = clients.secretariat.post("/webhooks", json={"url": receiver.base_url + "/located",
                                                       "directive_ids": [directive["id"]]})
    assert followed(hook)["id"] == hook.json()["id"]
    indicator = clients.secretariat.post("/indicators", json={
        "code": f"CT-{os.urandom(3).hex()}", "name": "Tỷ lệ hồ sơ trực tuyến toàn trình", "unit": "%",
        "kind": "percentage", "direction": "increase", "comparator": ">=", "group_name": "Chính quyền số",
        "reporting_agency_id": agencies["000.00.00.G12"]["id"], "frequency": "yearly"})
    assert followed(indicator)["id"] == indicator.json()["id"]
    target = clients.secretariat.post(f"/indicators/{indicator.json()['id']}/targets", json={
        "period": str(TASK_DEADLINE.year), "value": 80, "baseline_value": 42, "baseline_on": "2024-12-31"})
    assert target.json()["id"] in [t["id"] for t in followed(target)["targets"]]
    agency = clients.secretariat.post("/agencies", json={
        "code": f"H29.{os.urandom(2).hex()}", "name": "Sở Thử nghiệm hợp đồng API", "short_name": "Sở TN",
        "kind": "department", "parent_code": "000.00.00.H29"})
    assert followed(agency)["code"] == agency.json()["code"]
    day = wednesday_ahead(at_least=365 * 60)  # far from any task's deadline, and taken away again
    holiday = clients.secretariat.post("/calendar/days", json={"day": iso(day), "kind": "holiday",
                                                               "reason": "Nghỉ bù thử nghiệm"})
    try:
        assert followed(holiday)["day"] == iso(day)
    finally:
        clients.secretariat.delete(f"/calendar/days/{iso(day)}")


def _task(directive, agencies) -> dict:
    from tests.conftest import task_payload

    return task_payload(directive, agencies)


_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n")


def test_a_download_is_sent_as_octets_to_whoever_asks(clients, directive):
    params = {"directive_id": directive["id"], "format": "csv"}
    csv = clients.secretariat.get("/reports/completion", params=params)
    assert csv.headers["content-type"].startswith("text/csv") and "etag" not in csv.headers
    octets = clients.secretariat.get("/reports/completion", params=params,
                                     headers={"Accept": "application/octet-stream"})
    assert octets.headers["content-type"] == "application/octet-stream" and octets.content == csv.content
    assert octets.headers["content-disposition"].startswith("attachment")


def test_delivered_bodies_match_their_event_schema_and_the_message_log(clients, receiver, directive, make_task,
                                                                      deliver, document):
    hook = subscribe(clients, receiver, directive)
    task = make_task()
    tid = task["id"]
    for response in (
        clients.lead.post(f"/tasks/{tid}/progress", json={"status": "in_progress", "progress_percent": 40,
                                                           "note": "Đã trình dự thảo"}),
        clients.lead.post(f"/tasks/{tid}/comments", json={"comment": "Bộ đã gửi dự thảo lấy ý kiến"}),
        clients.secretariat.post(f"/tasks/{tid}/reminders", json={"note": "Báo cáo trước ngày họp"}),
        clients.lead.post(f"/tasks/{tid}/extension-requests", json={
            "kind": "extend", "requested_deadline": iso(TASK_DEADLINE + timedelta(days=40)), "reason": "Chờ"}),
        clients.lead.post(f"/tasks/{make_task()['id']}/progress", json=DONE_REPORT),
    ):
        assert response.status_code in (200, 201), response.text
    assert clients.secretariat.post(f"/webhooks/{hook['id']}/test").json()["success"]
    deliver()
    bodies = [verified(hook, r) for r in receiver.at(hook["path"])]
    assert {b["type"] for b in bodies} == {"task.created", "task.progress_reported", "task.commented",
                                           "task.reminded", "task.extension_requested", "ping"}
    reports = [b["data"] for b in bodies if b["type"] == "task.progress_reported"]
    assert {r["event"]["kind"] for r in reports} == {"progress_reported", "completion_reported"}
    logged = {m["id"]: m for m in clients.secretariat.get(f"/webhooks/{hook['id']}/messages").json()["items"]}
    union = {"$ref": "#/components/schemas/WebhookPayload"}
    for received in receiver.at(hook["path"]):
        body = json.loads(received.body)
        schema = document["webhooks"][body["type"]]["post"]["requestBody"]["content"]["application/json"]["schema"]
        assert _valid(document, schema, body) == [], body["type"]
        assert body["timestamp"].endswith("Z") and datetime.fromisoformat(body["timestamp"]) <= datetime.now(UTC)
        assert logged[received.headers["webhook-id"]]["payload"] == body
        assert _valid(document, union, body) == []
    # A body of another event's shape is not taken for this one.
    ping = next(b for b in bodies if b["type"] == "ping")
    assert _valid(document, document["webhooks"]["task.created"]["post"]["requestBody"]["content"][
        "application/json"]["schema"], ping | {"type": "task.created"}) != []


# ---------------------------------------------------------------- Spectral

SPECTRAL = "@stoplight/spectral-cli@6"
# Where npx keeps what it installs: outside the repository, kept between runs.
NPM_CACHE = Path(os.environ.get("ROVIEC_NPM_CACHE", Path.home() / ".cache" / "roviec-npm"))


def test_spectral_finds_nothing_to_say(document, tmp_path):
    """`spectral:oas` (the ruleset file .spectral.yaml at the root): no error, no warning. Needs npx (Node.js); it is
    skipped without one, except under CI=true."""
    npx = shutil.which("npx")
    if npx is None:
        if os.environ.get("CI") == "true":
            pytest.fail("npx (Node.js) is required in CI for the Spectral check")
        pytest.skip("npx not installed")
    dumped = tmp_path / "openapi.json"
    dumped.write_text(json.dumps(document, ensure_ascii=False))
    report = tmp_path / "spectral.json"
    NPM_CACHE.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [npx, "--yes", SPECTRAL, "lint", str(dumped), "--ruleset", str(PROJECT_DIR / ".spectral.yaml"),
         "--format", "json", "--output", str(report), "--fail-severity", "hint"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
        env={**os.environ, "npm_config_cache": str(NPM_CACHE), "npm_config_prefer_offline": "true",
             "npm_config_update_notifier": "false", "npm_config_fund": "false", "npm_config_audit": "false"})
    assert report.exists(), result.stdout + result.stderr
    found = [f"{r['code']} {'.'.join(map(str, r['path']))}: {r['message']}" for r in json.loads(report.read_text())]
    assert found == []
    assert result.returncode == 0, result.stdout + result.stderr


def test_redoc_and_swagger_pages_name_no_outside_address(server):
    for page in ("/redoc", "/docs"):
        html = httpx.get(server.base_url + page).text
        assert re.findall(r"(?:src|href)=\"(https?:)?//", html) == [], page
        assert "fonts.googleapis" not in html

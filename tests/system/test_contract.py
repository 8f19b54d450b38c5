"""The HTTP contract a ministry's software relies on, against a real server: authentication before the body, size
limits, readable errors for unreadable bodies, strict query parameters, Allow, and an OpenAPI document that
describes what the server answers."""

import json

import httpx
import pytest

from app.config import Settings
from app.webhooks import security
from app.webhooks.security import UnsafeUrl
from tests.conftest import TASK_DEADLINE, task_payload
from tests.paging import every_item

pytestmark = pytest.mark.real_server


def test_authentication_comes_before_the_body(clients):
    anonymous = clients.anonymous.post("/tasks", content=b"{not json", headers={"Content-Type": "application/json"})
    assert anonymous.status_code == 401
    huge = clients.anonymous.post("/tasks", content=b"x" * 2_000_000, headers={"Content-Type": "application/json"})
    assert huge.status_code == 401


def test_a_body_over_the_limit_is_refused_before_it_is_read(clients):
    declared = clients.secretariat.post("/tasks", content=b"{" + b" " * 1_100_000 + b"}",
                                        headers={"Content-Type": "application/json"})
    assert declared.status_code == 413
    assert declared.json()["detail"]["message_vi"].startswith("Nội dung yêu cầu vượt quá")

    def chunks():
        yield b'{"title": "'
        for _ in range(200):
            yield b"a" * 10_000
        yield b'"}'

    streamed = clients.secretariat.post("/tasks", content=chunks(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413


def test_unreadable_bodies_say_why(clients):
    latin = clients.secretariat.post("/directives", content='{"title": "Thông báo"}'.encode("cp1258"),
                                     headers={"Content-Type": "application/json"})
    assert latin.status_code == 422 and latin.json()["detail"][0]["field"] == "body"
    assert "UTF-8" in latin.json()["detail"][0]["msg_vi"]
    form = clients.secretariat.post("/directives", content=b"number=1", headers={
        "Content-Type": "application/x-www-form-urlencoded"})
    assert form.status_code == 422 and "Content-Type: application/json" in form.json()["detail"][0]["msg_vi"]
    broken = clients.secretariat.post("/directives", content=b'{"number": ', headers={
        "Content-Type": "application/json"})
    assert broken.status_code == 422 and broken.json()["detail"][0]["field"] == "body"


def test_query_errors_say_query_and_unknown_or_repeated_parameters_are_refused(clients):
    bad = clients.observer.get("/tasks", params={"limit": 0}).json()["detail"][0]
    assert bad["loc"] == ["query", "limit"] and bad["field"] == "limit"
    unknown = clients.observer.get("/tasks", params={"lead_agency": 3})
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["type"] == "unknown_parameter"
    assert unknown.json()["detail"][0]["loc"] == ["query", "lead_agency"]
    twice = clients.observer.get("/tasks?limit=5&limit=10")
    assert twice.status_code == 422 and twice.json()["detail"][0]["type"] == "repeated_parameter"


def test_allow_lists_every_method_of_a_path(clients, make_task):
    task = make_task()
    refused = clients.secretariat.delete(f"/tasks/{task['id']}")
    assert refused.status_code == 405
    assert set(refused.headers["allow"].split(", ")) == {"GET", "PATCH"}


def test_if_match_takes_strong_etags_only(clients, make_task):
    task = make_task()
    url = f"/tasks/{task['id']}"
    etag = clients.secretariat.get(url).headers["etag"]
    weak = clients.secretariat.patch(url, json={"priority": False}, headers={"If-Match": f"W/{etag}"})
    assert weak.status_code == 412
    star = clients.secretariat.patch(url, json={"priority": False}, headers={"If-Match": "*"})
    assert star.status_code == 428


def test_a_patch_that_changes_nothing_writes_nothing(clients, make_task):
    task = make_task()
    url = f"/tasks/{task['id']}"
    etag = clients.secretariat.get(url).headers["etag"]
    same = clients.secretariat.patch(url, json={"priority": task["priority"], "title": f"  {task['title']} "},
                                     headers={"If-Match": etag})
    assert same.status_code == 200 and same.headers["etag"] == etag
    assert [e["kind"] for e in every_item(clients.secretariat, f"{url}/history")] == ["created"]
    deadline = clients.secretariat.patch(url, json={"deadline": f"{TASK_DEADLINE.year + 1}-01-01"},
                                         headers={"If-Match": etag})
    assert deadline.json()["detail"][0]["msg_vi"] == "thời hạn chỉ thay đổi qua đề nghị gia hạn"


def test_an_official_without_a_body_gets_the_lead_agency(clients, directive, agencies):
    made = clients.secretariat.post("/tasks", json=task_payload(directive, agencies, accountable_official="Bộ trưởng"))
    assert made.status_code == 201 and made.json()["accountable_official"] == "Bộ trưởng Bộ Tài chính"
    province = clients.secretariat.post("/tasks", json=task_payload(
        directive, agencies, lead_agency_id=agencies["000.00.00.H29"]["id"], coordinating_agency_ids=[],
        accountable_official="Chủ tịch"))
    assert province.json()["accountable_official"] == "Chủ tịch Ủy ban nhân dân thành phố Hồ Chí Minh"


def test_messages_name_fields_by_their_labels(clients, directive):
    refused = clients.secretariat.post("/tasks", json={"directive_id": directive["id"]}).json()
    assert refused["message_vi"].startswith("Yêu cầu không hợp lệ: mục tiêu: thiếu rõ mục tiêu")
    order = [p["field"] for p in refused["detail"]]
    assert order.index("objective") < order.index("lead_agency_id") < order.index("title") < order.index("deadline")


@pytest.mark.parametrize(("address", "blocked"), [
    ("2002:7f00:1::1", True),  # 6to4 of 127.0.0.1
    ("2002:808:808::1", False),  # 6to4 of 8.8.8.8
    ("64:ff9b::a00:1", True),  # NAT64 of 10.0.0.1
    ("64:ff9b::808:808", False),
    ("2001:0:4136:e378:8000:63bf:f5ff:fffe", True),  # Teredo, client 10.0.0.1
])
def test_ssrf_judges_the_address_an_address_embeds(address, blocked):
    strict = Settings(database_url="sqlite://", webhook_allowed_networks="")
    if blocked:
        with pytest.raises(UnsafeUrl) as refused:
            security.check_address(address, strict)
        # Said in Vietnamese, the kind of address included: "máy chủ đích trỏ tới 2002:7f00:1::1 (địa chỉ nội bộ của
        # máy (loopback) 127.0.0.1 nhúng trong địa chỉ này); ..."
        assert "nhúng trong địa chỉ này" in refused.value.message_vi and "embedded" in refused.value.message
        assert refused.value.message_vi.isascii() is False and "private" not in refused.value.message_vi
    else:
        security.check_address(address, strict)


def test_docs_work_on_a_closed_network_and_openapi_describes_errors(server):
    docs = httpx.get(f"{server.base_url}/docs").text
    assert "/docs-assets/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    assert httpx.get(f"{server.base_url}/docs-assets/swagger-ui-bundle.js").status_code == 200
    schema = httpx.get(f"{server.base_url}/openapi.json").json()
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    patch = schema["paths"]["/api/v1/tasks/{task_id}"]["patch"]
    assert {"401", "403", "404", "409", "412", "413", "422", "428"} <= set(patch["responses"])
    assert patch["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith("ValidationErrorBody")
    limit = next(p for p in schema["paths"]["/api/v1/tasks"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 200 and limit["schema"]["minimum"] == 1
    json.dumps(schema)

"""A notice read twice is not given twice: each draft that repeats a task already given under the directive (same
lead agency, same work) is marked and left out unless the officer keeps it; an import nobody will commit is
discarded."""

import uuid

from tests.imports.test_api import _notice

COMPLETE = {"objective": "Hoàn thiện khung pháp lý và hạ tầng số của ngành",
            "expected_result": "Sản phẩm được cấp có thẩm quyền ban hành đúng hạn", "accountable_official": "Bộ trưởng"}


def _commit_first_two(clients, imported) -> dict:
    url = f"/imports/{imported['id']}"
    for n in (1, 2):
        assert clients.secretariat.patch(f"{url}/drafts/{n}", json=COMPLETE).status_code == 200
    assert clients.secretariat.patch(f"{url}/drafts/3", json={"skip": True}).status_code == 200
    committed = clients.secretariat.post(f"{url}/commit")
    assert committed.status_code == 200, committed.text
    return committed.json()


def test_a_notice_read_again_gives_nothing_twice(clients):
    number = f"{uuid.uuid4().int % 90_000 + 10_000}/TB-VPCP"
    first = _commit_first_two(clients, clients.secretariat.post("/imports", json={"text": _notice(number)}).json())
    given = {d["n"]: d["task_id"] for d in first["drafts"] if d["task_id"]}
    assert len(given) == 2

    again = clients.secretariat.post("/imports", json={"text": _notice(number)}).json()
    assert again["directive"]["existing_directive_id"] == first["directive_id"]
    repeats = {d["n"]: d["already_assigned"] for d in again["drafts"]}
    assert {n: r["task_id"] for n, r in repeats.items() if r} == given
    assert [d["skipped"] for d in again["drafts"]][:2] == [True, True]
    url = f"/imports/{again['id']}"
    assert clients.secretariat.patch(f"{url}/drafts/3", json={"skip": True}).status_code == 200
    nothing = clients.secretariat.post(f"{url}/commit")
    assert nothing.status_code == 422 and nothing.json()["detail"][0]["field"] == "drafts"

    # The officer insists on one: it is given again, knowingly.
    kept = clients.secretariat.patch(f"{url}/drafts/1", json={"skip": False} | COMPLETE).json()
    assert kept["drafts"][0]["insist"] and not kept["drafts"][0]["skipped"]
    done = clients.secretariat.post(f"{url}/commit")
    assert done.status_code == 200, done.text
    assert [bool(d["task_id"]) for d in done.json()["drafts"]] == [True, False, False]
    listed = clients.observer.get("/tasks", params={"directive_id": first["directive_id"]}).json()
    assert listed["total"] == 3


def test_an_import_is_discarded(clients):
    made = clients.secretariat.post("/imports", json={"text": _notice(f"{uuid.uuid4().int % 90_000 + 10_000}/TB-VPCP")})
    url = f"/imports/{made.json()['id']}"
    assert clients.lead.post(f"{url}/discard").status_code == 403
    discarded = clients.secretariat.post(f"{url}/discard")
    assert discarded.status_code == 200 and discarded.json()["status"] == "discarded"
    assert clients.secretariat.post(f"{url}/commit").status_code == 409
    assert clients.secretariat.patch(f"{url}/drafts/1", json=COMPLETE).status_code == 409
    assert clients.secretariat.post(f"{url}/discard").status_code == 409

"""The contract as a ministry's programmer meets it: a Python client generated from the running server's
`/openapi.json` by openapi-python-client, imported, and a ministry's workflow run through it without one raw HTTP
call — sign in with a token, read the directives page by page, subscribe a webhook, read a task and its ETag,
report progress with If-Match (and be refused over a stale one), ask for more time, list its tasks filtered,
download the completion list as XLSX and CSV, read the message log. Whatever the generator could not make of the
document (a warning: a schema it dropped, an operation left without its answer) fails the test, printed.

Nothing generated is kept in the repository: the client is made in the system's temporary folder, once per version
of the document (by its hash) and of the generator, and reused by the next runs."""

import contextlib
import csv
import hashlib
import importlib
import io
import json
import os
import subprocess
import sys
import tempfile
import uuid
from datetime import date
from http import HTTPStatus
from importlib import metadata
from pathlib import Path

import httpx
import openpyxl
import pytest

from tests.conftest import LEAD_AGENCY, TASK_DEADLINE
from tests.dates import iso
from tests.webhooks.helpers import verified

pytestmark = pytest.mark.real_server

PACKAGE = "roviec_client"
CACHE = Path(tempfile.gettempdir()) / "roviec-generated-clients"
# What the generator may say and still count as a clean run (each line a substring of what it printed). Aim: none.
EXPECTED_WARNINGS: tuple[str, ...] = ()
_WARNING_MARKS = ("warning", "unable", "could not", "cannot", "failure", "skipping", "error")


def generate(spec: bytes) -> tuple[Path, str]:
    """The client package for this document (its folder on sys.path), and what the generator printed making it."""
    version = metadata.version("openapi-python-client")
    key = hashlib.sha256(spec + version.encode()).hexdigest()[:20]
    made = CACHE / key
    if not (made / PACKAGE).is_dir():
        # Made aside and renamed into place: the other backend's worker may be making the same one.
        work = CACHE / f"{key}.{uuid.uuid4().hex[:8]}"
        work.mkdir(parents=True)
        (work / "openapi.json").write_bytes(spec)
        # No post hooks (ruff format and fix): faster, and nothing they say mixes with the generator's own words.
        (work / "config.json").write_text(json.dumps({"post_hooks": []}))
        result = subprocess.run(
            [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(work / "openapi.json"),
             "--output-path", str(work / PACKAGE), "--meta", "none", "--config", str(work / "config.json")],
            capture_output=True, text=True, timeout=300, env={**os.environ, "NO_COLOR": "1", "TERM": "dumb"})
        (work / "generator.log").write_text(f"exit {result.returncode}\n{result.stdout}{result.stderr}")
        assert result.returncode == 0, result.stdout + result.stderr
        with contextlib.suppress(OSError):  # the other worker's came first: the same document, the same client
            work.rename(made)
    return made, (made / "generator.log").read_text()


def warnings_in(log: str) -> list[str]:
    lines = [line.strip() for line in log.splitlines()[1:] if line.strip()]
    said = [line for line in lines if any(mark in line.lower() for mark in _WARNING_MARKS)]
    return [line for line in said if not any(expected in line for expected in EXPECTED_WARNINGS)]


@pytest.fixture(scope="module")
def client_package(server):
    spec = httpx.get(f"{server.base_url}/openapi.json", timeout=30)  # the document itself, as a generator reads it
    assert spec.status_code == 200
    folder, log = generate(spec.content)
    print(f"openapi-python-client {metadata.version('openapi-python-client')} said:\n{log}")
    unexpected = warnings_in(log)
    assert not unexpected, "the generator warned:\n" + log
    sys.path.insert(0, str(folder))
    try:
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]  # another version of the document earlier in this process
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))


def _op(package, tag: str, name: str):
    return importlib.import_module(f"{package.__name__}.api.{tag}.{name}")


def test_a_ministry_works_through_the_generated_client(client_package, server, role_tokens, receiver, deliver):
    rc = client_package
    models = importlib.import_module(f"{rc.__name__}.models")
    secretariat = rc.AuthenticatedClient(base_url=server.base_url, token=role_tokens["secretariat"],
                                         raise_on_unexpected_status=True)
    ministry = rc.AuthenticatedClient(base_url=server.base_url, token=role_tokens["lead"],
                                      raise_on_unexpected_status=True)

    # Who am I: the ministry's token.
    me = _op(rc, "auth", "me").sync(client=ministry)
    assert me.agency.code == LEAD_AGENCY and me.role.value == "agency"

    # The secretariat records a directive and gives the ministry a task with all seven "rõ".
    number = f"{uuid.uuid4().hex[:6]}/TB-VPCP"
    directive = _op(rc, "directives", "create_directive").sync(client=secretariat, body=models.DirectiveCreate(
        number=number, title="Thông báo kết luận phiên họp về chuyển đổi số",
        issued_on=date(2024, 11, 20), meeting_name="Phiên họp chuyên đề", meeting_date=date(2024, 11, 18),
        issuer="Văn phòng Chính phủ"))
    lead = _op(rc, "agencies", "get_agency").sync(client=ministry, key=LEAD_AGENCY)
    title = "Trình Chính phủ Nghị định về hóa đơn, chứng từ điện tử sửa đổi"
    created = _op(rc, "tasks", "create_task").sync_detailed(client=secretariat, body=models.TaskCreate(
        directive_id=directive.id, title=title,
        objective="Hoàn thiện khung pháp lý cho hóa đơn điện tử, chống thất thu thuế",
        lead_agency_id=lead.id, accountable_official="Bộ trưởng Bộ Tài chính", deadline=iso(TASK_DEADLINE),
        deliverable_type=models.DeliverableType("Nghị định"),
        deliverable_description="Nghị định sửa đổi, bổ sung Nghị định số 123/2020/NĐ-CP được Chính phủ ban hành",
        expected_result="100% doanh nghiệp sử dụng hóa đơn điện tử theo quy định mới", priority=True))
    assert created.status_code == HTTPStatus.CREATED
    task_id = created.parsed.id

    # The directives, page by page (the cursor), until the new one.
    list_directives = _op(rc, "directives", "list_directives")
    unset = importlib.import_module(f"{rc.__name__}.types").UNSET
    seen, cursor = [], unset
    while True:
        page = list_directives.sync(client=ministry, limit=20, cursor=cursor)
        seen += page.items
        cursor = page.next_cursor or unset
        if any(d.id == directive.id for d in page.items) or cursor is unset:
            break
    assert [d.reference for d in seen if d.id == directive.id] == [f"{number} (2024)"]

    # A subscription for this directive's tasks, tried at once.
    path = f"/hook/{uuid.uuid4().hex[:10]}"
    hook = _op(rc, "webhooks", "create_webhook").sync(client=ministry, body=models.WebhookCreate(
        url=receiver.script(path), directive_ids=[directive.id], description="Hệ thống quản lý văn bản của Bộ"))
    assert hook.secret.startswith("whsec_")
    ping = _op(rc, "webhooks", "test_webhook").sync(client=ministry, endpoint_id=hook.id)
    assert ping.success and ping.status_code == 200

    # Read the task and its version; report progress on that version.
    read = _op(rc, "tasks", "get_task").sync_detailed(client=ministry, task_id=task_id)
    assert read.status_code == HTTPStatus.OK and read.parsed.title == title
    etag = read.headers["etag"]
    report_progress = _op(rc, "tasks", "report_progress")
    progress = models.ProgressReport(status=models.ProgressReportStatus("in_progress"), progress_percent=60,
                                     note="Đã trình dự thảo Nghị định lần 2")
    reported = report_progress.sync_detailed(client=ministry, task_id=task_id, body=progress, if_match=etag)
    assert reported.status_code == HTTPStatus.OK and reported.parsed.progress_percent == 60
    assert reported.headers["etag"] != etag and reported.parsed.version == read.parsed.version + 1
    # Again over the version read first: refused, the current one named.
    stale = report_progress.sync_detailed(client=ministry, task_id=task_id, body=progress, if_match=etag)
    assert stale.status_code == HTTPStatus.PRECONDITION_FAILED
    detail = stale.parsed.detail
    assert detail.code.value == "precondition_failed" and detail.message_vi
    assert detail.current_etag == stale.headers["etag"] == reported.headers["etag"]

    # More time, asked with the reason.
    extension = _op(rc, "tasks", "request_extension").sync_detailed(
        client=ministry, task_id=task_id, body=models.ExtensionRequestCreate(
            kind=models.ExtensionKind("extend"), requested_deadline=iso(TASK_DEADLINE.replace(month=12, day=31)),
            reason="Chờ ý kiến thẩm định của Bộ Tư pháp"))
    assert extension.status_code == HTTPStatus.CREATED
    assert extension.parsed.status.value == "pending" and extension.parsed.task_id == task_id

    # Its tasks of this directive still in progress.
    listed = _op(rc, "tasks", "list_tasks").sync(client=ministry, lead_agency_code=LEAD_AGENCY,
                                                 directive_id=directive.id, status=models.TaskStatus("in_progress"))
    assert [t.id for t in listed.items] == [task_id] and listed.total == 1 and listed.next_cursor is None
    assert listed.items[0].progress_percent == 60

    # The events delivered, and their log.
    deliver()
    bodies = sorted((verified({"secret": hook.secret}, r) for r in receiver.at(path) if r.headers["webhook-id"] !=
                     ping.message_id), key=lambda body: body["data"]["event"]["journal_id"])
    # The task was created before the subscription, but its event is fanned out now, to whoever subscribes by then.
    assert [b["type"] for b in bodies] == ["task.created", "task.progress_reported", "task.extension_requested"]
    assert [b["data"]["progress_percent"] for b in bodies] == [0, 60, 60]
    log = _op(rc, "webhooks", "list_webhook_messages").sync(client=ministry, endpoint_id=hook.id)
    assert log.next_cursor is None
    by_type = {m.event_type: m for m in log.items}
    assert set(by_type) == {"ping", "task.created", "task.progress_reported", "task.extension_requested"}
    assert all(m.status.value == "delivered" for m in log.items)
    reported_event = by_type["task.progress_reported"]
    attempts = _op(rc, "webhooks", "list_attempts").sync(client=ministry, message_id=reported_event.id)
    assert [(a.success, a.status_code) for a in attempts.items] == [(True, 200)] and attempts.next_cursor is None

    # The task's history, paged as the other lists.
    history = _op(rc, "tasks", "task_history").sync(client=ministry, task_id=task_id, limit=2)
    assert [e.kind for e in history.items] == ["created", "progress_reported"] and history.next_cursor
    rest = _op(rc, "tasks", "task_history").sync(client=ministry, task_id=task_id, cursor=history.next_cursor)
    assert [e.kind for e in rest.items] == ["extension_requested"] and rest.next_cursor is None
    assert [e.progress_percent for e in history.items + rest.items] == [0, 60, 60]

    # The completion list of the directive, as files.
    completion = _op(rc, "reports", "completion_list")
    files = {}
    for kind in ("xlsx", "csv"):
        answer = completion.sync_detailed(client=ministry, directive_id=directive.id,
                                          format_=models.CompletionListFormat(kind))
        assert answer.status_code == HTTPStatus.OK
        files[kind] = answer.parsed.payload.read()  # a File: the bytes, as they came
    workbook = openpyxl.load_workbook(io.BytesIO(files["xlsx"]), read_only=True)
    assert any(title in str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
               for cell in row if cell)
    rows = list(csv.reader(io.StringIO(files["csv"].decode("utf-8-sig"))))
    assert any(title in cell for row in rows for cell in row)


"""`roviec backup` carries the evidence files (FILE.files.tar beside FILE) and `roviec restore` puts them back, checked
against their SHA-256; a restore without them says which files the database names that the folder lacks; a damaged
tar is refused with nothing changed. On each backend, with real `roviec serve` processes over HTTP."""

import hashlib
import io
import stat
import tarfile
from pathlib import Path

import httpx
import pytest

from tests.conftest import DONE_REPORT, LEAD_AGENCY, SECRETARIAT_AGENCY, Database, serving
from tests.dates import year_ahead
from tests.operations.test_backup import _client, _directive, _empty_target, _fingerprint, _ok
from tests.tasks import evidence_samples as samples

pytestmark = pytest.mark.real_server


def _task(client: httpx.Client, directive: dict, lead_id: int) -> dict:
    return _ok(client.post("/tasks", json={
        "directive_id": directive["id"], "title": "Trình Chính phủ ban hành Nghị định về lưu trữ tài liệu điện tử",
        "objective": "Hoàn thiện khung pháp lý về lưu trữ tài liệu điện tử của cơ quan nhà nước",
        "lead_agency_id": lead_id, "accountable_official": "Bộ trưởng Bộ Tài chính",
        "deadline": f"năm {year_ahead(3)}", "deliverable_type": "Nghị định",
        "deliverable_description": "Nghị định về lưu trữ tài liệu điện tử được ban hành",
        "expected_result": "Các bộ, ngành lưu trữ hồ sơ điện tử theo quy định thống nhất"}), 201)


def _with_files(db: Database) -> tuple[dict[str, bytes], dict[int, bytes], str]:
    """A task completed with three evidence files through a server on `db`: the files by name, by id, and the lead's
    token."""
    secretariat_token, lead_token = db.token(SECRETARIAT_AGENCY, "secretariat"), db.token(LEAD_AGENCY, "agency")
    contents = {"Biên bản.pdf": samples.pdf(), "Báo cáo.docx": samples.docx(), "ảnh.png": samples.png()}
    with serving(db) as server, _client(server, secretariat_token) as secretariat, _client(server, lead_token) as lead:
        lead_id = next(a["id"] for a in _ok(secretariat.get("/agencies")) if a["code"] == LEAD_AGENCY)
        task = _task(secretariat, _directive(secretariat), lead_id)
        uploaded = _ok(lead.post(f"/tasks/{task['id']}/files",
                                 files=[("file", item) for item in contents.items()]), 201)["items"]
        _ok(lead.post(f"/tasks/{task['id']}/progress", json=DONE_REPORT | {"file_ids": [i["id"] for i in uploaded]}))
    return contents, {i["id"]: contents[i["name"]] for i in uploaded}, lead_token


def test_the_files_go_with_the_backup_and_come_back_intact(fresh_database: Database, tmp_path: Path):
    db = fresh_database
    contents, by_id, lead_token = _with_files(db)
    backup = tmp_path / "roviec.backup"
    made = db.cli("backup", str(backup))
    assert made.returncode == 0, made.stderr
    tar = tmp_path / "roviec.backup.files.tar"
    assert stat.S_IMODE(tar.stat().st_mode) == 0o600
    with tarfile.open(tar) as archive:
        names = {Path(m.name).name for m in archive.getmembers()}
    assert {hashlib.sha256(c).hexdigest() for c in contents.values()} <= names
    assert f"evidence files: {len(names)} " in made.stdout

    with _empty_target(db.backend, tmp_path) as target:
        assert target.files_dir != db.files_dir
        restored = target.cli("restore", str(backup))
        assert restored.returncode == 0, restored.stderr
        assert f"evidence files: {len(names)} put back into {target.files_dir}" in restored.stdout
        assert "warning" not in restored.stdout
        with serving(target) as second, _client(second, lead_token) as lead:
            for file_id, content in by_id.items():
                got = lead.get(f"/files/{file_id}")
                assert got.status_code == 200 and got.content == content


def test_a_restore_without_the_files_says_what_is_missing(fresh_database: Database, tmp_path: Path):
    db = fresh_database
    _, by_id, lead_token = _with_files(db)
    backup = tmp_path / "roviec.backup"
    assert db.cli("backup", str(backup)).returncode == 0
    (tmp_path / "roviec.backup.files.tar").unlink()
    with _empty_target(db.backend, tmp_path) as target:
        restored = target.cli("restore", str(backup))
        assert restored.returncode == 0, restored.stderr
        assert f"warning: the database names {len(by_id)} evidence files missing from {target.files_dir}" \
            in restored.stdout
        with serving(target) as second, _client(second, lead_token) as lead:
            assert lead.get(f"/files/{next(iter(by_id))}").status_code == 404  # the site's answer, not a 500


def test_a_damaged_files_tar_is_refused_and_nothing_changes(fresh_database: Database, templates, tmp_path: Path):
    db = fresh_database
    _with_files(db)
    backup = tmp_path / "roviec.backup"
    assert db.cli("backup", str(backup)).returncode == 0
    tar = tmp_path / "roviec.backup.files.tar"
    with tarfile.open(tar) as archive:
        first = archive.getmembers()[0]
    forged = io.BytesIO()
    with tarfile.open(fileobj=forged, mode="w") as archive:  # a file whose content is not what its name says
        info = tarfile.TarInfo(first.name)
        info.size = 5
        archive.addfile(info, io.BytesIO(b"%PDF-"))
    tar.write_bytes(forged.getvalue())
    target = templates.copy(db.backend)
    before = _fingerprint(target)
    refused = target.cli("restore", str(backup), "--force")
    assert refused.returncode == 2
    assert "roviec.backup.files.tar" in refused.stderr + refused.stdout
    assert _fingerprint(target) == before

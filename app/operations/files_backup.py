"""The evidence files in a backup: `roviec backup FILE` writes, beside FILE, `FILE.files.tar`, every file kept in the
files folder (ROVIEC_FILES_DIR) under its SHA-256; `roviec restore FILE` puts them back when that tar is beside FILE,
each checked against its name first, and says how many files the restored database names that the folder lacks.

The database is copied first and the files after: a file is in the folder before any row that names it is committed
(app/tasks/evidence_store.py), and no file is ever removed, so the tar holds every file the copied database names
(and perhaps a few uploaded meanwhile, which nothing names: harmless)."""

import hashlib
import os
import re
import sqlite3
import tarfile
import tempfile
from pathlib import Path

from app.config import get_settings
from app.tasks import evidence_store

SUFFIX = ".files.tar"
_MEMBER = re.compile(r"^sha256/([0-9a-f]{2})/([0-9a-f]{64})$")


class Damaged(Exception):
    """The tar beside a backup is not one `roviec backup` wrote, or a file in it is not what its name says."""


def companion(backup: Path) -> Path:
    return backup.with_name(backup.name + SUFFIX)


def write(backup: Path, publish) -> tuple[int, int]:
    """The tar of every kept file beside `backup` (through `publish`: written whole, then renamed); (files, bytes)."""
    directory = get_settings().evidence_dir
    target = companion(backup)
    handle, name = tempfile.mkstemp(dir=backup.parent, prefix=f".{target.name}.", suffix=".partial")
    os.close(handle)
    temporary = Path(name)
    count = size = 0
    try:
        with tarfile.open(temporary, "w", format=tarfile.PAX_FORMAT) as archive:
            for path in evidence_store.kept(directory):
                relative = path.relative_to(directory).as_posix()
                if not _MEMBER.match(relative):
                    continue
                info = archive.gettarinfo(path, arcname=relative)
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                with path.open("rb") as file:
                    archive.addfile(info, file)
                count, size = count + 1, size + info.size
        publish(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return count, size


def _members(archive: tarfile.TarFile):
    for member in archive:
        found = _MEMBER.match(member.name)
        if not member.isfile() or found is None or found.group(1) != found.group(2)[:2]:
            raise Damaged(f"{member.name}")
        yield member, found.group(2)


def check(path: Path) -> int:
    """Every file in the tar read and hashed against its name; the number of files (Damaged otherwise)."""
    count = 0
    try:
        with tarfile.open(path, "r:") as archive:
            for member, sha256 in _members(archive):
                digest = hashlib.sha256()
                with archive.extractfile(member) as file:
                    while chunk := file.read(1 << 16):
                        digest.update(chunk)
                if digest.hexdigest() != sha256:
                    raise Damaged(f"{member.name}: SHA-256 {digest.hexdigest()}")
                count += 1
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise Damaged(str(exc)) from exc
    return count


def restore(path: Path) -> int:
    """The tar's files into the files folder (each staged, checked and renamed; one already there is the same
    content, kept); the number put back."""
    directory = get_settings().evidence_dir
    added = 0
    with tarfile.open(path, "r:") as archive:
        for member, sha256 in _members(archive):
            if evidence_store.blob_path(directory, sha256).exists():
                continue
            with archive.extractfile(member) as file:
                staged = evidence_store.stage(file, directory=directory, max_bytes=member.size, field="file",
                                              name=sha256)
            if staged.stored.sha256 != sha256:
                evidence_store.discard([staged])
                raise Damaged(f"{member.name}: SHA-256 {staged.stored.sha256}")
            evidence_store.publish(staged, directory)
            added += 1
    return added


def named_files_sqlite(database: Path) -> set[str]:
    connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    try:
        tables = {n for (n,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "evidence_files" not in tables:
            return set()
        return {s for (s,) in connection.execute("SELECT DISTINCT sha256 FROM evidence_files")}
    finally:
        connection.close()


def named_files_postgresql(connection) -> set[str]:
    exists = connection.execute("SELECT to_regclass('evidence_files')").fetchone()[0]
    if exists is None:
        return set()
    return {s for (s,) in connection.execute("SELECT DISTINCT sha256 FROM evidence_files")}


def missing(named: set[str]) -> int:
    directory = get_settings().evidence_dir
    return sum(1 for sha256 in named if not evidence_store.blob_path(directory, sha256).is_file())

"""`roviec backup FILE` and `roviec restore FILE [--force]`: the whole database to one file and back.

SQLite goes through SQLite's own online backup API, PostgreSQL through pg_dump / pg_restore in the custom format. The
command line only prints what these functions return and the message of a `Refused` or `Failed`."""

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from app.config import get_settings
from app.operations import files_backup, service

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
# The rows an operator would miss: a database holding any of them is in use, whatever else it holds.
IN_USE_TABLES = ("tasks", "directives", "accounts")
JOURNAL_TABLE = "task_events"


class Refused(Exception):
    """Nothing was done: the operator must change something first (exit code 2)."""

    exit_code = 2


class Failed(Exception):
    """The work started and failed; what was there before is still there (exit code 1)."""

    exit_code = 1


@dataclass
class Outcome:
    path: Path
    size: int
    tasks: int
    journal_rows: int
    seconds: float
    revision: str | None
    head: str

    def lines(self, done_vi: str, done_en: str) -> list[str]:
        seconds = f"{self.seconds:.2f}"
        return [f"{done_vi}: {_size(self.size, ',')}, {self.tasks} nhiệm vụ, {self.journal_rows} dòng nhật ký, "
                f"{seconds.replace('.', ',')} giây / {done_en}: {_size(self.size, '.')}, {self.tasks} tasks, "
                f"{self.journal_rows} journal rows, {seconds} s"]


def _size(size: int, point: str) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f}".replace(".", point) + f" {unit} ({size} B)"
    return f"{size} B"


# --- what the code expects -------------------------------------------------------------------------------------------

def _check_revision(revision: str | None) -> str:
    """The code's head, after refusing a backup whose schema this code does not know (a later release made it): the
    app would run on tables it does not expect, and `roviec migrate` cannot go forward from a revision it lacks."""
    from alembic.util import CommandError

    script = service.migration_scripts()
    head = script.get_current_head()
    if revision is None:
        raise Refused("tệp không phải bản sao lưu của Rõ Việc: không có bảng alembic_version / the file is not a "
                      "Rõ Việc backup: it has no alembic_version table")
    try:
        known = script.get_revision(revision) is not None
    except CommandError:
        known = False
    if not known:
        raise Refused(f"bản sao lưu có lược đồ {revision}, phiên bản mã nguồn này không biết (do phiên bản mới hơn "
                      f"tạo ra): khôi phục bằng phiên bản đã tạo nó / the backup's schema is {revision}, which this "
                      f"release does not know (a later release made it): restore it with that release")
    return head


def _schema_lines(outcome: Outcome) -> list[str]:
    if outcome.revision == outcome.head:
        return []
    return [f"bản sao lưu có lược đồ cũ hơn ({outcome.revision}, mã nguồn ở {outcome.head}): chạy `roviec migrate` "
            f"trước khi chạy `roviec serve` / the backup's schema is older ({outcome.revision}, this code is at "
            f"{outcome.head}): run `roviec migrate` before `roviec serve`"]


# --- the file --------------------------------------------------------------------------------------------------------

def _kind_of(path: Path) -> str:
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except FileNotFoundError as exc:
        raise Refused(f"không có tệp {path} / no such file: {path}") from exc
    except IsADirectoryError as exc:
        raise Refused(f"{path} là một thư mục, không phải tệp / {path} is a folder, not a file") from exc
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    raise Refused(f"{path} không phải bản sao lưu của Rõ Việc (không phải tệp SQLite, cũng không phải bản pg_dump "
                  f"định dạng custom) / {path} is not a Rõ Việc backup (neither a SQLite file nor a pg_dump custom "
                  f"format archive)")


_BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _refuse_mismatch(kind: str, backend: str, path: Path) -> None:
    if kind != backend:
        have, want = _BACKEND_NAMES[kind], _BACKEND_NAMES[backend]
        raise Refused(f"{path} là bản sao lưu {have}, không khôi phục được vào cơ sở dữ liệu {want} đang cấu hình "
                      f"(ROVIEC_DATABASE_URL): khôi phục vào một cơ sở dữ liệu {have} / {path} is a {have} backup and "
                      f"cannot be restored into the configured {want} database (ROVIEC_DATABASE_URL): restore it into "
                      f"a {have} database")


def _temporary_beside(target: Path) -> Path:
    """An empty file, mode 0600 (mkstemp's), in the target's folder: the rename that publishes it then stays on one
    file system, so a reader of FILE sees the old backup or the whole new one, never a half."""
    folder = target.parent
    if not folder.is_dir():
        raise Refused(f"không có thư mục {folder}: tạo thư mục trước / no such folder: {folder}: create it first")
    if target.is_dir():
        raise Refused(f"{target} là một thư mục; hãy ghi tên tệp / {target} is a folder; name a file")
    try:
        handle, name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".partial")
    except PermissionError as exc:
        raise Refused(f"không ghi được vào thư mục {folder} / cannot write in {folder}: {exc.strerror}") from exc
    os.close(handle)
    return Path(name)


def _publish(temporary: Path, target: Path) -> None:
    os.chmod(temporary, 0o600)
    with temporary.open("rb") as file:
        os.fsync(file.fileno())
    os.replace(temporary, target)
    # The rename itself is durable only once the folder is synced.
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


# --- the configured database -----------------------------------------------------------------------------------------

def _configured() -> URL:
    return make_url(get_settings().sqlalchemy_url)


def _sqlite_path(url: URL) -> Path:
    if url.database in (None, "", ":memory:"):
        raise Refused("ROVIEC_DATABASE_URL chỉ tới một cơ sở dữ liệu trong bộ nhớ: không có gì để sao lưu hay khôi "
                      "phục / ROVIEC_DATABASE_URL names an in-memory database: nothing to back up or restore")
    return Path(url.database)


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """pg_dump and pg_restore take the plain postgresql:// form; the password goes in their environment, because a
    command line is readable by every user of the machine (`ps`)."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return plain, env


def _where(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.set(drivername="postgresql").render_as_string(hide_password=True)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise Refused(f"không tìm thấy {name}: cài gói postgresql-client cùng phiên bản với máy chủ / {name} not "
                      f"found: install postgresql-client of the server's version")
    return found


def _run(command: list[str], env: dict[str, str], failure: Callable[[str], Exception]) -> subprocess.CompletedProcess:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise failure(result.stderr.strip()[-2000:] or f"exit code {result.returncode}")
    return result


def _counts_sql(execute: Callable[[str], int], tables: set[str]) -> tuple[int, int]:
    return tuple(execute(f"SELECT count(*) FROM {table}") if table in tables else 0
                 for table in ("tasks", JOURNAL_TABLE))


def _app_tables() -> set[str]:
    import app.models  # noqa: F401 (every table registered)
    from app.db import metadata

    return set(metadata.tables) | {"alembic_version"}


def _in_use(tables: set[str], count: Callable[[str], int]) -> str | None:
    """Why restoring here would destroy something, or None. A database without tables, or with only Rõ Việc's
    schema and nobody's work in it (`roviec migrate` just ran: the Docker image does at every start), is empty; one
    with tasks, directives or accounts is in use (the seed's directives count: an operator who seeded expects to
    be asked), and so is one with tables Rõ Việc does not make (ROVIEC_DATABASE_URL may name the wrong database)."""
    if not tables:
        return None
    foreign = sorted(tables - _app_tables())
    if foreign:
        shown = ", ".join(foreign[:5]) + (", …" if len(foreign) > 5 else "")
        return f"có bảng không thuộc Rõ Việc: {shown} / it has tables Rõ Việc does not make: {shown}"
    rows = {table: count(table) for table in IN_USE_TABLES if table in tables}
    if not any(rows.values()):
        return None
    return (f"có {rows.get('tasks', 0)} nhiệm vụ, {rows.get('directives', 0)} văn bản chỉ đạo, "
            f"{rows.get('accounts', 0)} tài khoản / it holds {rows.get('tasks', 0)} tasks, "
            f"{rows.get('directives', 0)} directives, {rows.get('accounts', 0)} accounts")


def _refuse_in_use(reason: str | None, where: str, force: bool) -> None:
    if reason is not None and not force:
        raise Refused(f"cơ sở dữ liệu đích {where} không trống ({reason.split(' / ')[0]}); khôi phục sẽ thay thế toàn "
                      f"bộ dữ liệu. Thêm --force để thay thế, hoặc khôi phục vào một cơ sở dữ liệu trống / the target "
                      f"database {where} is not empty ({reason.split(' / ')[1]}); restoring replaces all of it. Add "
                      f"--force to replace it, or restore into an empty database")


# --- backup ----------------------------------------------------------------------------------------------------------

def backup(target: Path) -> list[str]:
    """Write the whole configured database to `target` (mode 0600) and say what was written."""
    url = _configured()
    started = time.monotonic()
    temporary = _temporary_beside(target)
    try:
        if url.get_backend_name() == "sqlite":
            tasks, journal_rows, revision = _backup_sqlite(_sqlite_path(url), temporary)
        else:
            tasks, journal_rows, revision = _backup_postgresql(url, temporary)
        _publish(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    # The evidence files after the database: every file a copied row names was in the folder before that row was
    # committed (app/operations/files_backup.py).
    files, files_size = files_backup.write(target, _publish)
    outcome = Outcome(target, target.stat().st_size, tasks, journal_rows, time.monotonic() - started, revision,
                      service.migrations_head())
    return [*outcome.lines(f"đã sao lưu {_where(url)} vào {target}", f"backed up {_where(url)} to {target}"),
            f"tệp đính kèm: {files} tệp ({_size(files_size, ',')}) vào {files_backup.companion(target)} / evidence "
            f"files: {files} ({_size(files_size, '.')}) to {files_backup.companion(target)}",
            "tệp chứa mã băm mật khẩu và khóa bí mật webhook: lưu trữ mã hóa, chỉ người vận hành được đọc / the file "
            "holds password hashes and webhook secrets: store it encrypted, readable by the operators only"]


def _sqlite_tables(connection: sqlite3.Connection) -> set[str]:
    return {name for (name,) in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}


def _sqlite_facts(connection: sqlite3.Connection) -> tuple[int, int, str | None]:
    tables = _sqlite_tables(connection)
    tasks, journal_rows = _counts_sql(lambda sql: connection.execute(sql).fetchone()[0], tables)
    revision = None
    if "alembic_version" in tables:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
    return tasks, journal_rows, revision


def _backup_sqlite(source_path: Path, temporary: Path) -> tuple[int, int, str | None]:
    if not source_path.exists():  # sqlite3.connect would make an empty file there
        raise Refused(f"chưa có cơ sở dữ liệu {source_path} / no database there yet: {source_path}")
    source = sqlite3.connect(source_path, timeout=30, isolation_level=None)
    destination = sqlite3.connect(temporary, isolation_level=None)
    try:
        # One step (pages=-1) is one read transaction on the source: in WAL mode the server's writers go on, and
        # the copy is the database as of that transaction's start. In several steps, a write between two of them
        # would restart the copy.
        source.backup(destination, pages=-1)
        # One self-contained file: a backup in WAL mode would need its -wal and -shm beside it to be read.
        destination.execute("PRAGMA journal_mode=DELETE")
        return _sqlite_facts(destination)
    except sqlite3.Error as exc:
        raise Failed(f"sao lưu SQLite thất bại / the SQLite backup failed: {exc}") from exc
    finally:
        destination.close()
        source.close()


def _backup_postgresql(url: URL, temporary: Path) -> tuple[int, int, str | None]:
    import psycopg

    pg_dump = _tool("pg_dump")
    plain, env = _libpq(url)
    try:
        connection = psycopg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False))
    except psycopg.OperationalError as exc:
        raise Refused(f"không kết nối được cơ sở dữ liệu (cannot connect to the database): {exc}") from exc
    with connection:
        # The figures printed are those of the dump: counted in the snapshot pg_dump is then told to use, held open
        # (this transaction) until it has finished.
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        tables = _pg_tables(connection)
        tasks, journal_rows = _counts_sql(lambda sql: connection.execute(sql).fetchone()[0], tables)
        revision = _pg_revision(connection, tables)
        _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={temporary}", plain], env,
             lambda err: Failed(f"pg_dump thất bại / pg_dump failed: {err}"))
        connection.rollback()
    return tasks, journal_rows, revision


def _pg_tables(connection) -> set[str]:
    return {name for (name,) in connection.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")}


def _pg_revision(connection, tables: set[str]) -> str | None:
    if "alembic_version" not in tables:
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


# --- restore ---------------------------------------------------------------------------------------------------------

def restore(source: Path, *, force: bool) -> list[str]:
    """Put the backup `source` in place of the configured database: refused, with nothing touched, when the file is
    not a sound Rõ Việc backup of this backend or the database is in use and `force` is not given."""
    url = _configured()
    backend = "sqlite" if url.get_backend_name() == "sqlite" else "postgresql"
    kind = _kind_of(source)
    _refuse_mismatch(kind, backend, source)
    files = files_backup.companion(source)
    if files.exists():  # checked whole before anything is touched
        try:
            files_backup.check(files)
        except files_backup.Damaged as exc:
            raise Refused(f"tệp {files} bị hỏng hoặc không phải tệp đính kèm của bản sao lưu, không khôi phục / "
                          f"{files} is damaged or not a backup's evidence files; nothing was restored: {exc}") from exc
    started = time.monotonic()
    if backend == "sqlite":
        tasks, journal_rows, revision, head = _restore_sqlite(source, _sqlite_path(url), force)
    else:
        tasks, journal_rows, revision, head = _restore_postgresql(source, url, force)
    outcome = Outcome(source, source.stat().st_size, tasks, journal_rows, time.monotonic() - started, revision, head)
    return [*outcome.lines(f"đã khôi phục {source} vào {_where(url)}", f"restored {source} into {_where(url)}"),
            *_schema_lines(outcome), *_files_lines(files, url, backend)]


def _files_lines(files: Path, url: URL, backend: str) -> list[str]:
    """The evidence files put back from the tar beside the backup, and any file the restored database names that the
    files folder still lacks (a backup made without its tar, or the tar not copied along)."""
    folder = get_settings().evidence_dir
    lines = []
    if files.exists():
        added = files_backup.restore(files)
        lines.append(f"tệp đính kèm: {added} tệp chép vào {folder} / evidence files: {added} put back into {folder}")
    if backend == "sqlite":
        named = files_backup.named_files_sqlite(_sqlite_path(url))
    else:
        import psycopg

        with psycopg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False)) as connection:
            named = files_backup.named_files_postgresql(connection)
    if gone := files_backup.missing(named):
        lines.append(f"cảnh báo: cơ sở dữ liệu nhắc tới {gone} tệp đính kèm không có trong {folder}; chép {files.name} "
                     f"(hoặc thư mục tệp) rồi khôi phục lại (--force) / warning: the database names {gone} evidence "
                     f"files missing from {folder}; bring {files.name} (or the files folder) and restore again "
                     f"(--force)")
    return lines


def _read_sqlite_backup(source: Path) -> tuple[sqlite3.Connection, str | None]:
    """The backup opened read-only and checked whole (integrity_check: every page, and every index against its table,
    which quick_check skips: a damaged index passed it and was restored): a truncated or damaged file is refused
    before the target is opened."""
    connection = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    try:
        verdict = connection.execute("PRAGMA integrity_check(1)").fetchone()[0]
        if verdict != "ok":
            raise sqlite3.DatabaseError(verdict)
        revision = _sqlite_facts(connection)[2]
    except sqlite3.Error as exc:
        connection.close()
        raise Refused(f"tệp {source} bị hỏng hoặc không đầy đủ, không khôi phục / {source} is damaged or "
                      f"truncated; nothing was restored: {exc}") from exc
    return connection, revision


def _restore_sqlite(source: Path, target: Path, force: bool) -> tuple[int, int, str, str]:
    backup_file, revision = _read_sqlite_backup(source)
    try:
        head = _check_revision(revision)
        if not target.parent.is_dir():
            raise Refused(f"không có thư mục {target.parent} / no such folder: {target.parent}")
        existed = target.exists()
        if existed:
            _refuse_in_use(_sqlite_in_use(target), str(target), force)
        # In place, through the backup API, not a new file renamed over the old one: a server or worker that has
        # the database open would keep reading the old file (and its -wal and -shm would no longer match the new
        # one). The copy is one write transaction of the target: a failure leaves it as it was.
        destination = sqlite3.connect(target, timeout=30, isolation_level=None)
        try:
            backup_file.backup(destination, pages=-1)
            destination.execute("PRAGMA journal_mode=WAL")  # what the app sets on every connection
            restored = _sqlite_facts(destination)
        except sqlite3.Error as exc:
            destination.close()
            if not existed:
                for leftover in (target, *(target.with_name(target.name + s) for s in ("-wal", "-shm", "-journal"))):
                    leftover.unlink(missing_ok=True)
            raise Failed(f"khôi phục SQLite thất bại, cơ sở dữ liệu đích giữ nguyên / the SQLite restore failed and "
                         f"the target is as it was: {exc}") from exc
        destination.close()
    finally:
        backup_file.close()
    return restored[0], restored[1], restored[2], head


def _sqlite_in_use(target: Path) -> str | None:
    if target.stat().st_size == 0:
        return None
    connection = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None, timeout=30)
    try:
        tables = _sqlite_tables(connection)
        return _in_use(tables, lambda table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        return f"không đọc được như SQLite: {exc} / it cannot be read as SQLite: {exc}"
    finally:
        connection.close()


_COPY = re.compile(r"^COPY \S*alembic_version \(version_num\) FROM stdin;$")


def _dump_revision(source: Path, pg_restore: str) -> str | None:
    """The schema revision the dump holds, read from the file: known before anything in the target is dropped. The
    table of contents and this table's data read back also turn away most damaged files early (a file cut after them
    still fails in the restore itself, which then changes nothing)."""
    damaged = lambda err: Refused(f"tệp {source} bị hỏng hoặc không đầy đủ, không khôi phục / {source} is damaged "  # noqa: E731
                                  f"or truncated; nothing was restored: {err}")
    _run([pg_restore, "--list", str(source)], dict(os.environ), damaged)
    result = _run([pg_restore, "--data-only", "--table=alembic_version", "--file=-", str(source)], dict(os.environ),
                  damaged)
    lines = result.stdout.splitlines()
    for number, line in enumerate(lines):
        if _COPY.match(line) and number + 1 < len(lines) and lines[number + 1] != "\\.":
            return lines[number + 1].strip()
    return None


def _restore_postgresql(source: Path, url: URL, force: bool) -> tuple[int, int, str, str]:
    import psycopg

    pg_restore = _tool("pg_restore")
    revision = _dump_revision(source, pg_restore)
    head = _check_revision(revision)
    plain, env = _libpq(url)
    with_password = url.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(with_password, autocommit=True) as connection:
            tables = _pg_tables(connection)
            reason = _in_use(tables, lambda table: connection.execute(
                f'SELECT count(*) FROM "{table}"').fetchone()[0])
    except psycopg.OperationalError as exc:
        raise Refused(f"không kết nối được cơ sở dữ liệu đích; tạo nó trước (createdb) / cannot connect to the "
                      f"target database; create it first (createdb): {exc}") from exc
    _refuse_in_use(reason, _where(url), force)
    # --single-transaction: the drops (--clean) and the whole load commit together or not at all, so a dump that
    # fails half way leaves the target as it was. --no-owner: the restoring role owns what it makes.
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction", f"--dbname={plain}",
          str(source)], env,
         lambda err: Failed(f"pg_restore thất bại, cơ sở dữ liệu đích giữ nguyên (một giao dịch) / pg_restore failed "
                            f"and the target is as it was (one transaction): {err}"))
    with psycopg.connect(with_password, autocommit=True) as connection:
        tables = _pg_tables(connection)
        tasks, journal_rows = _counts_sql(lambda sql: connection.execute(sql).fetchone()[0], tables)
        restored_revision = _pg_revision(connection, tables)
    return tasks, journal_rows, restored_revision, head

import contextlib
import json
import os
import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from app.access.principal import OPERATOR, Role
from app.config import get_settings
from app.errors import InvalidInput

app = typer.Typer(help="Rõ Việc: theo dõi nhiệm vụ giao tại văn bản chỉ đạo.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens (hashed at rest; the raw token is shown once).", no_args_is_help=True)
app.add_typer(token_app, name="token")

DEV_TOKENS_FILE = Path(".roviec-dev-tokens.json")


def _require_database() -> None:
    """A command that reads or writes data, on a database that is not there or not migrated, says what to do (and
    leaves no empty SQLite file behind) instead of a traceback."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import OperationalError

    from app.db import get_engine

    advice = ("chạy `roviec migrate` (hoặc `make run`) hoặc đặt ROVIEC_DATABASE_URL / run `roviec migrate`, or set "
              "ROVIEC_DATABASE_URL")
    if (missing := _missing_sqlite_file()) is not None:
        typer.echo(f"chưa có cơ sở dữ liệu {missing} (no database there yet) — {advice}", err=True)
        raise typer.Exit(2)
    try:
        with get_engine().connect() as connection:
            migrated = inspect(connection).has_table("alembic_version")
    except OperationalError as exc:
        typer.echo(f"không kết nối được cơ sở dữ liệu (cannot connect to the database): {exc.orig} — {advice}",
                   err=True)
        raise typer.Exit(2) from exc
    if not migrated:
        typer.echo(f"cơ sở dữ liệu chưa được khởi tạo (the database is not migrated) — {advice}", err=True)
        raise typer.Exit(2)


def _missing_sqlite_file() -> str | None:
    """The configured SQLite file when it is not there: asking the database would make an empty one."""
    from sqlalchemy.engine import make_url

    url = make_url(get_settings().sqlalchemy_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") \
            and not Path(url.database).exists():
        return url.database
    return None


def _session(write: bool = True):
    """The unit of work of one command: committed when the block ends without an error."""
    from app import unit_of_work

    _require_database()
    return unit_of_work.transaction(write=write)


@app.command()
def migrate() -> None:
    """Apply every Alembic migration (the only way the schema is made)."""
    from alembic import command

    from app import unit_of_work
    from app.calendar import service as calendar_service
    from app.db import alembic_config

    command.upgrade(alembic_config(), "head")
    # The working calendar as SQL reads it (the holidays data may be new with this release).
    with unit_of_work.transaction() as session:
        calendar_service.ensure_effective_days(session=session)


@app.command()
def seed(seed_dir: Annotated[Path | None, typer.Option(help="folder with the seed JSON files")] = None) -> None:
    """Load agencies, directives and tasks from seed/. A second run adds nothing."""
    from app import seeding

    with _session() as session:
        added = seeding.load(session=session, seed_dir=seed_dir or get_settings().seed_dir)
    typer.echo("seed: added " + ", ".join(f"{count} {what}" for what, count in added.items()))


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="default ROVIEC_HOST or 127.0.0.1")] = None,
    port: Annotated[int | None, typer.Option(help="default ROVIEC_PORT or 8000")] = None,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes")] = 1,
    access_log: Annotated[bool, typer.Option(help="one log line per request")] = True,
) -> None:
    """Serve the API and the pages with uvicorn (and the scheduled jobs, unless ROVIEC_SCHEDULER=off)."""
    import uvicorn

    from app.observability import logs, metrics_folder

    settings = get_settings()
    # Before any serving process imports prometheus-client: every worker then writes the counters a scrape adds up.
    metrics_folder.prepare_multiprocess_dir()
    # uvicorn trusts X-Forwarded-* from 127.0.0.1 unless told otherwise: only the proxies named in the settings.
    proxies = [p.strip() for p in settings.trusted_proxies.split(",") if p.strip()]
    try:
        uvicorn.run("app.main:app", host=host or settings.host, port=port or settings.port, workers=workers,
                    proxy_headers=bool(proxies), forwarded_allow_ips=proxies or [],
                    log_config=logs.config(settings.log_format, settings.log_level, requests=access_log),
                    access_log=False)
    finally:
        metrics_folder.remove_multiprocess_dir()


@app.command()
def worker(
    name: Annotated[str | None, typer.Option(help="a stable name, its own (default ROVIEC_WORKER_NAME): restarted "
                                                  "after a kill, the worker takes back at once what it held")] = None,
    metrics_port: Annotated[int | None, typer.Option(help="serve /metrics on this port (default "
                                                          "ROVIEC_WORKER_METRICS_PORT; none when unset)")] = None,
) -> None:
    """Run the scheduled jobs (webhook delivery, deadline watch) without serving the API."""
    import asyncio

    from app.observability import logs

    settings = get_settings()
    logs.configure(settings.log_format, settings.log_level)
    from app import scheduler

    asyncio.run(scheduler.run_worker(name or settings.worker_name, metrics_port or settings.worker_metrics_port))


@app.command()
def check() -> None:
    """What /readyz answers, for this configuration: the database answers, the schema is at the code's migration
    head. Exit code 0 when ready, 1 when not (for a container's health check or a deployment script)."""
    from app import unit_of_work
    from app.operations import service

    if (missing := _missing_sqlite_file()) is not None:
        answer = service.no_database_file(missing)
    else:
        answer = service.readiness(read=unit_of_work.run_sync, scheduler_running=None)
    for name, found in answer.checks:  # the model's fields; the scheduler's check only where it runs
        if found is None:
            continue
        typer.echo(f"{name}: {'ok' if found.ok else 'KHÔNG ĐẠT / FAILED'} — {found.detail_vi} / {found.detail}")
    typer.echo(json.dumps(answer.model_dump(), ensure_ascii=False))
    raise typer.Exit(0 if answer.status == "ready" else 1)


@app.command()
def backup(file: Annotated[Path, typer.Argument(help="the backup file to write (mode 0600)")]) -> None:
    """Back up the whole database to FILE while the server runs: SQLite's online backup, or pg_dump's custom
    format on PostgreSQL."""
    from app.operations import backup as operation

    _require_database()
    _operate(lambda: operation.backup(file))


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="a file made by `roviec backup` on the same kind of database")],
    force: Annotated[bool, typer.Option(help="replace a database that already holds data")] = False,
) -> None:
    """Restore a backup into the configured database (stop the server and workers first); a database that holds
    data is refused unless --force."""
    from app.operations import backup as operation

    _operate(lambda: operation.restore(file, force=force))


def _operate(work) -> None:
    from app.operations.backup import Failed, Refused

    try:
        lines = work()
    except (Refused, Failed) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(exc.exit_code) from exc
    for line in lines:
        typer.echo(line)


@app.command()
def export(
    output: Annotated[Path, typer.Option("-o", "--output", help="file to write")],
    directive: Annotated[str | None, typer.Option(help="directive number (e.g. 128/TB-VPCP) or id")] = None,
    year: Annotated[int | None, typer.Option(help="the directive's year (numbers restart every year)")] = None,
    meeting_date: Annotated[str | None, typer.Option(help="every directive of the meeting on this day (YYYY-MM-DD)")]
    = None,
    lead_agency: Annotated[str | None, typer.Option(help="only this lead agency (its code)")] = None,
    as_of: Annotated[str | None, typer.Option(help="the state at the end of this day (YYYY-MM-DD), default today")]
    = None,
    format: Annotated[str, typer.Option(help="csv | csv-excel | xlsx | docx | pdf")] = "xlsx",  # noqa: A002
    number: Annotated[str | None, typer.Option(help="this report's number, e.g. 15/BC-TGV")] = None,
    date_: Annotated[str | None, typer.Option("--date", help="this report's date (YYYY-MM-DD)")] = None,
    signer_name: Annotated[str | None, typer.Option(help="who signs it")] = None,
    signer_position: Annotated[str | None, typer.Option(help="the signer's position, e.g. 'Phó Tổ trưởng'")] = None,
    signer_authority: Annotated[str | None, typer.Option(help="e.g. 'KT. Tổ trưởng'")] = None,
) -> None:
    """Write the completion list, as the secretariat prints it before a meeting, with a progress bar. The document
    takes the stored settings (PUT /api/v1/reports/settings); --number, --date and the signer override them."""
    from datetime import date

    from app import clock
    from app.agencies import service as agency_service
    from app.reports import export as report_export
    from app.reports import service as report_service
    from app.types import FIRST_DAY, LAST_DAY

    if format not in report_export.FORMATS:
        raise typer.BadParameter(f"one of {', '.join(report_export.FORMATS)}", param_hint="--format")
    try:
        day = date.fromisoformat(as_of) if as_of else None
        meeting = date.fromisoformat(meeting_date) if meeting_date else None
        issued = date.fromisoformat(date_) if date_ else None
    except ValueError as exc:
        raise typer.BadParameter("dates are YYYY-MM-DD") from exc
    if not all(FIRST_DAY <= d <= LAST_DAY for d in (day, meeting) if d):
        raise typer.BadParameter(f"dates are between {FIRST_DAY} and {LAST_DAY}")
    try:
        day = report_service.report_day(as_of=day, today=clock.today(), issued_on=issued)
    except InvalidInput as exc:
        raise typer.BadParameter(f"{exc.problems[0].msg_vi} / {exc.problems[0].msg}") from exc
    with _session(write=False) as session:
        directive_id = agency_id = None
        if directive:
            directive_id = _directive_id(session, directive, year)
        if lead_agency:
            agency = agency_service.get_by_code(session=session, code=lead_agency)
            if agency is None:
                raise typer.BadParameter(f"no agency {lead_agency}", param_hint="--lead-agency")
            agency_id = agency.id
        try:
            scope = report_service.resolve_scope(session=session, principal=OPERATOR, directive_id=directive_id,
                                                 meeting_date=meeting, lead_agency_id=agency_id)
        except InvalidInput as exc:
            raise typer.BadParameter(exc.message) from exc
    with contextlib.ExitStack() as stack:
        def progress_for(report):
            bar = stack.enter_context(typer.progressbar(length=report.total, label=f"{report.total} nhiệm vụ",
                                                        file=sys.stderr))
            return bar.update

        try:
            sentence = report_export.write(scope, day, format, output, OPERATOR, progress_for, {
                "number": number, "issued_on": issued, "signer_name": signer_name,
                "signer_position": signer_position, "signer_authority": signer_authority})
        except InvalidInput as exc:  # a list too long for a PDF: nothing was written
            raise typer.BadParameter(f"{exc.problems[0].msg_vi} / {exc.problems[0].msg}", param_hint="--format") \
                from exc
    typer.echo(f"{output}: {sentence}")


def _directive_id(session, key: str, year: int | None) -> int:
    """A directive by number (and year, when the number is used in several years) or by id."""
    from app.directives import service as directive_service
    from app.types import id_from

    found = directive_service.find_by_number(session=session, number=key, year=year)
    if not found and (directive_id := id_from(key)) is not None:
        by_id = directive_service.get(session=session, directive_id=directive_id)
        found = [by_id] if by_id else []
    if not found:
        raise typer.BadParameter(f"no directive {key}" + (f" of {year}" if year else ""), param_hint="--directive")
    if len(found) > 1:
        choices = ", ".join(d.reference for d in found)
        raise typer.BadParameter(f"{key} names several directives ({choices}): add --year", param_hint="--directive")
    return found[0].id


@token_app.command("create")
def token_create(
    agency: Annotated[str, typer.Option(help="agency code, e.g. 000.00.00.G12")],
    role: Annotated[Role, typer.Option(help="secretariat | agency | observer")],
    name: Annotated[str | None, typer.Option(help="who or what uses the token")] = None,
) -> None:
    """Create a token; the raw token is printed alone on the last line."""
    from app.auth import service

    with _session() as session:
        try:
            token, raw = service.create_token(session=session, agency_code=agency, role=role, name=name)
        except LookupError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from exc
        typer.echo(f"token {token.id} ({token.role}, {agency}) created; it is shown only once:")
    typer.echo(raw)


@token_app.command("revoke")
def token_revoke(token_id: Annotated[int, typer.Argument(help="id from `roviec token list`")]) -> None:
    """Revoke a token: every later request with it gets 401."""
    from app.auth import service

    with _session() as session:
        token = service.revoke_token(session=session, token_id=token_id)
        if token is None:
            typer.echo(f"no token {token_id}", err=True)
            raise typer.Exit(2)
    typer.echo(f"token {token_id} revoked")


@token_app.command("list")
def token_list() -> None:
    """Every token (never the secret itself): id, prefix, role, agency, state, last use, maker, name."""
    from app.auth import service

    with _session(write=False) as session:
        for row in service.tokens_listed(session=session, principal=OPERATOR):
            token = row.token
            state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
            used = f"used {token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never used"
            maker = row.maker.username if row.maker else "operator"
            typer.echo(f"{token.id}\t{token.prefix}…\t{token.role}\t{row.agency.code}\t{state}\t{used}\t{maker}"
                       f"\t{token.name}")


def _dev_access_still_valid() -> bool:
    """The file survives a deleted database; its tokens and accounts then no longer exist and are made again."""
    from app.auth import accounts, service

    if not DEV_TOKENS_FILE.exists():
        return False
    saved = json.loads(DEV_TOKENS_FILE.read_text())
    if not {"secretariat", "agency_G12", "accounts"} <= saved.keys():
        return False
    with _session(write=False) as session:
        tokens_ok = all(service.authenticate(session=session, raw_token=saved[key]) is not None
                        for key in ("secretariat", "agency_G12"))
        accounts_ok = all((found := accounts.by_username(session=session, username=a["username"])) is not None
                          and accounts.check_password(found, a["password"])[0] for a in saved["accounts"])
        return tokens_ok and accounts_ok


@app.command()
def bootstrap() -> None:
    """What `make run` does before serving: migrate, seed, and (once) a secretariat and an agency token and
    account."""
    from sqlmodel import select

    from app.agencies.models import Agency
    from app.auth import accounts, service

    migrate()
    seed()
    if not _dev_access_still_valid():
        with _session() as session:
            secretariat = session.exec(select(Agency).where(Agency.kind == "committee")).first()
            _, secretariat_raw = service.create_token(session=session, agency_code=secretariat.code,
                                                      role=Role.secretariat, name="make run: secretariat")
            _, agency_raw = service.create_token(session=session, agency_code="000.00.00.G12", role=Role.agency,
                                                 name="make run: Bộ Tài chính")
            made = []
            for username, full_name, title, code, role in (
                    ("thuky", "Nguyễn Thu Hà", "Chuyên viên Tổ giúp việc", secretariat.code, Role.secretariat),
                    ("botaichinh", "Trần Minh Quân", "Chuyên viên Văn phòng Bộ Tài chính", "000.00.00.G12",
                     Role.agency)):
                existing = accounts.by_username(session=session, username=username)
                if existing is None:
                    _, password = accounts.create(session=session, principal=OPERATOR, username=username,
                                                  full_name=full_name, job_title=title, agency_code=code, role=role)
                else:
                    _, password = accounts.set_password(session=session, principal=OPERATOR, account_id=existing.id)
                made.append({"username": username, "password": password, "agency": code})
        DEV_TOKENS_FILE.write_text(json.dumps({"secretariat": secretariat_raw, "agency_G12": agency_raw,
                                               "accounts": made}))
        os.chmod(DEV_TOKENS_FILE, 0o600)
    saved = json.loads(DEV_TOKENS_FILE.read_text())
    settings = get_settings()
    site = settings.base_url
    typer.echo(f"open the web pages:           {site}/")
    for account in saved["accounts"]:
        typer.echo(f"  sign in as {account['username']:<12} password {account['password']}  ({account['agency']})")
    typer.echo(f"secretariat token:            {saved['secretariat']}")
    typer.echo(f"agency token (Bộ Tài chính):  {saved['agency_G12']}")
    typer.echo("try:")
    typer.echo(f"  curl -s -H {shlex.quote('Authorization: Bearer ' + saved['secretariat'])} "
               f"'{site}/api/v1/tasks?timing=overdue&limit=5'")
    typer.echo(f"  open {site}/docs")


agency_app = typer.Typer(help="Agencies: add a department or district, rename, deactivate, merge into a successor.",
                         no_args_is_help=True)
app.add_typer(agency_app, name="agency")


def _agency_call(function):
    """Runs an agency command in its unit of work; a refusal is printed in both languages, not as a traceback."""
    from app.errors import ApiError

    try:
        with _session() as session:
            return function(session)
    except ApiError as exc:
        typer.echo(f"{exc.message_vi} / {exc.message}", err=True)
        raise typer.Exit(2) from exc


@agency_app.command("list")
def agency_list() -> None:
    """Every agency: code, short name, name, and its successor if it was merged."""
    from app.agencies import service

    def run(session):
        for agency in service.list_agencies(session=session):
            state = "" if agency.active else " (không còn hoạt động)"
            if agency.merged_into_id:
                state = f" → sáp nhập vào {service.get(session=session, agency_id=agency.merged_into_id).code}"
            typer.echo(f"{agency.code}\t{agency.short_name}\t{agency.name}{state}")

    _agency_call(run)


@agency_app.command("add")
def agency_add(
    code: Annotated[str, typer.Option(help="QCVN 102:2016 code, e.g. 000.00.01.H29")],
    name: Annotated[str, typer.Option(help="full name, e.g. 'Sở Khoa học và Công nghệ Thành phố Hồ Chí Minh'")],
    short_name: Annotated[str, typer.Option(help="a unique short name")],
    kind: Annotated[str, typer.Option(help="ministry | ministry_level | government_agency | province | committee | "
                                           "department | district | other")] = "department",
    parent: Annotated[str | None, typer.Option(help="the province's code, for a department or district")] = None,
    alias: Annotated[list[str] | None, typer.Option(help="another name or abbreviation (repeatable)")] = None,
) -> None:
    """Add an agency (a province's department or district, a new ministry)."""
    from pydantic import ValidationError

    from app.agencies import service
    from app.agencies.schemas import AgencyCreate

    try:
        agency_in = AgencyCreate(code=code, name=name, short_name=short_name, kind=kind, parent_code=parent,
                                 aliases=alias or [])
    except ValidationError as exc:
        raise typer.BadParameter(str(exc)) from exc
    agency = _agency_call(lambda session: service.create(session=session, agency_in=agency_in, principal=OPERATOR))
    typer.echo(f"{agency.code}\t{agency.name}: đã thêm (added)")


@agency_app.command("update")
def agency_update(
    key: Annotated[str, typer.Argument(help="code or id")],
    name: Annotated[str | None, typer.Option()] = None,
    short_name: Annotated[str | None, typer.Option()] = None,
    alias: Annotated[list[str] | None, typer.Option(help="the full list of aliases (repeatable)")] = None,
) -> None:
    """Rename or correct an agency (reports made later show the new name)."""
    from app.agencies import service
    from app.agencies.schemas import AgencyUpdate

    changes = {k: v for k, v in {"name": name, "short_name": short_name, "aliases": alias}.items() if v is not None}
    agency = _agency_call(lambda session: service.update(session=session, key=key,
                                                         agency_in=AgencyUpdate(**changes), principal=OPERATOR))
    typer.echo(f"{agency.code}\t{agency.name}: đã cập nhật (updated)")


@agency_app.command("deactivate")
def agency_deactivate(key: Annotated[str, typer.Argument(help="code or id")]) -> None:
    """No new task may be given to it (refused while it leads open tasks: merge it instead)."""
    from app.tasks import agency_merge as merge

    agency = _agency_call(lambda session: merge.deactivate(session=session, key=key, principal=OPERATOR))
    typer.echo(f"{agency.code}\t{agency.name}: ngừng hoạt động (deactivated)")


@agency_app.command("merge")
def agency_merge(
    key: Annotated[str, typer.Argument(help="the merged agency's code or id")],
    into: Annotated[str, typer.Option(help="the successor's code")],
    on: Annotated[str | None, typer.Option(help="the day it took effect (YYYY-MM-DD), default today")] = None,
) -> None:
    """Merge an agency into its successor: its open tasks move there (journaled); history keeps its name."""
    from datetime import date

    from app.agencies.schemas import AgencyMerge
    from app.tasks import agency_merge as merge

    try:
        effective_on = date.fromisoformat(on) if on else None
    except ValueError as exc:
        raise typer.BadParameter("YYYY-MM-DD", param_hint="--on") from exc
    result = _agency_call(lambda session: merge.merge(
        session=session, key=key, principal=OPERATOR, merge_in=AgencyMerge(successor_code=into,
                                                                       effective_on=effective_on)))
    typer.echo(f"{result['agency']['code']} → {result['successor']['code']}: {result['tasks_moved']} nhiệm vụ chuyển "
               f"sang cơ quan kế thừa, {result['tasks_recoordinated']} nhiệm vụ đổi cơ quan phối hợp")


user_app = typer.Typer(help="Accounts of the people who use the web pages.", no_args_is_help=True)
app.add_typer(user_app, name="user")


@user_app.command("create")
def user_create(
    username: Annotated[str, typer.Option(help="sign-in name (or e-mail address)")],
    agency: Annotated[str, typer.Option(help="agency code, e.g. 000.00.00.G12")],
    role: Annotated[Role, typer.Option(help="secretariat | agency | observer")],
    full_name: Annotated[str, typer.Option(help="e.g. 'Nguyễn Văn A'")],
    job_title: Annotated[str, typer.Option(help="e.g. 'Chuyên viên Văn phòng Bộ'")] = "",
    email: Annotated[str | None, typer.Option(help="the person's e-mail address: counts as verified (the "
                                                   "operator vouches for it), notifications are sent to it")] = None,
) -> None:
    """Create an account; its generated password is printed alone on the last line (shown once)."""
    from app.auth import accounts
    from app.notifications import service as notification_service

    def create(session):
        made = accounts.create(session=session, principal=OPERATOR, username=username, full_name=full_name,
                               agency_code=agency, role=role, job_title=job_title, email=email)
        if made[0].email:
            notification_service.mark_verified(session=session, account=made[0])
        return made

    account, password = _agency_call(create)
    typer.echo(f"account {account.id} ({account.username}, {account.role}, {agency}) created; its password is shown "
               "only once:")
    typer.echo(password)


@user_app.command("list")
def user_list(agency: Annotated[str | None, typer.Option(help="only this agency's accounts (code)")] = None) -> None:
    """Accounts: id, username, role, agency, name, active."""
    from app.agencies import service as agency_service
    from app.auth import accounts

    def run(session):
        agency_id = agency_service.id_for_code(session=session, code=agency, field="agency") if agency else None
        for account, owner in accounts.listed(session=session, principal=OPERATOR, agency_id=agency_id):
            state = "active" if account.active else "inactive"
            typer.echo(f"{account.id}\t{account.username}\t{account.role}\t{owner.code}\t{account.full_name}\t{state}")

    _agency_call(run)


def _account_id(session, key: str) -> int:
    from app.auth import accounts
    from app.types import id_from

    account = accounts.by_username(session=session, username=key)
    if account is None and (account_id := id_from(key)) is not None:
        account = accounts.get(session=session, account_id=account_id)
    if account is None:
        raise typer.BadParameter(f"no account {key}")
    return account.id


@user_app.command("deactivate")
def user_deactivate(key: Annotated[str, typer.Argument(help="username or id")]) -> None:
    """Deactivate an account: it can no longer sign in, its sessions end and the API tokens it made are revoked."""
    from app.auth import accounts

    account = _agency_call(lambda session: accounts.set_active(session=session, principal=OPERATOR, active=False,
                                                               account_id=_account_id(session, key)))
    typer.echo(f"{account.username}: deactivated")


@user_app.command("unlock")
def user_unlock(
    key: Annotated[str | None, typer.Argument(help="username or id")] = None,
    address: Annotated[str | None, typer.Option(help="an address slowed for wrong passwords on many accounts")] = None,
) -> None:
    """Let an account (or an address) sign in again at once: its wrong passwords stop counting (they stay in the
    history the owner sees)."""
    from app.auth import accounts, throttle

    if (key is None) == (address is None):
        raise typer.BadParameter("give a username (or id), or --address, not both")
    if key is not None:
        released = _agency_call(lambda session: accounts.unlock(session=session, principal=OPERATOR,
                                                                account_id=_account_id(session, key)))
        typer.echo(f"{key}: unlocked ({released} wrong passwords no longer count)")
    else:
        released = _agency_call(lambda session: throttle.release(session=session, ip=address))
        typer.echo(f"{address}: unlocked ({released} wrong passwords no longer count)")


@user_app.command("set-password")
def user_set_password(key: Annotated[str, typer.Argument(help="username or id")]) -> None:
    """Give an account a new generated password (printed alone on the last line); its sessions end."""
    from app.auth import accounts

    account, password = _agency_call(lambda session: accounts.set_password(
        session=session, principal=OPERATOR, account_id=_account_id(session, key)))
    typer.echo(f"{account.username}: new password, shown only once:")
    typer.echo(password)


email_app = typer.Typer(help="E-mail to people (notifications): what waits, and sending again what failed.",
                        no_args_is_help=True)
app.add_typer(email_app, name="email")


@email_app.command("retry-dead")
def email_retry_dead(
    since: Annotated[str | None, typer.Option(help="only e-mails queued since this day (YYYY-MM-DD)")] = None,
) -> None:
    """Once the mail server is mended: every e-mail whose retries all failed goes back to the queue, with the same
    Message-ID; the worker sends it at its next round."""
    from datetime import date, datetime

    from app.clock import utcnow
    from app.config import get_settings
    from app.notifications import delivery

    start = datetime.combine(date.fromisoformat(since), datetime.min.time(), tzinfo=get_settings().tz) if since \
        else None
    with _session() as session:
        count = delivery.retry_dead(session=session, now=utcnow(), since=start)
    typer.echo(f"{count} e-mails queued again")

import json
import os
import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from app.auth.models import Role
from app.config import PROJECT_DIR, get_settings

app = typer.Typer(help="Rõ Việc: theo dõi nhiệm vụ giao tại văn bản chỉ đạo.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens (hashed at rest; the raw token is shown once).", no_args_is_help=True)
app.add_typer(token_app, name="token")

DEV_TOKENS_FILE = Path(".roviec-dev-tokens.json")


def _session(write: bool = True):
    from app.db import open_session

    return open_session(write=write)


@app.command()
def migrate() -> None:
    """Apply every Alembic migration (the only way the schema is made)."""
    from alembic import command
    from alembic.config import Config

    from app.calendar import service as calendar_service

    config = Config(str(PROJECT_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_DIR / "migrations"))
    command.upgrade(config, "head")
    with _session() as session:  # the working calendar as SQL reads it (holidays data may be new with this release)
        calendar_service.ensure_effective_days(session=session)
        session.commit()


@app.command()
def seed(seed_dir: Annotated[Path | None, typer.Option(help="folder with the seed JSON files")] = None) -> None:
    """Load agencies, directives and tasks from seed/. A second run adds nothing."""
    from app import seeding

    with _session() as session:
        added = seeding.load(session=session, seed_dir=seed_dir or get_settings().seed_dir)
        session.commit()
    typer.echo("seed: added " + ", ".join(f"{count} {what}" for what, count in added.items()))


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="default ROVIEC_HOST or 127.0.0.1")] = None,
    port: Annotated[int | None, typer.Option(help="default ROVIEC_PORT or 8000")] = None,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes")] = 1,
    access_log: Annotated[bool, typer.Option(help="log every request")] = True,
) -> None:
    """Serve the API with uvicorn."""
    import uvicorn

    settings = get_settings()
    uvicorn.run("app.main:app", host=host or settings.host, port=port or settings.port, workers=workers,
                proxy_headers=True, log_level="info", access_log=access_log)


@app.command()
def worker() -> None:
    """Run the scheduled jobs (webhook delivery, deadline watch) without serving the API."""
    import asyncio

    from app import scheduler

    asyncio.run(scheduler.run_worker())


@app.command()
def export(
    output: Annotated[Path, typer.Option("-o", "--output", help="file to write")],
    directive: Annotated[str | None, typer.Option(help="directive number, e.g. 128/TB-VPCP")] = None,
    meeting_date: Annotated[str | None, typer.Option(help="every directive of the meeting on this day (YYYY-MM-DD)")]
    = None,
    lead_agency: Annotated[str | None, typer.Option(help="only this lead agency (its code)")] = None,
    as_of: Annotated[str | None, typer.Option(help="the state at the end of this day (YYYY-MM-DD), default today")]
    = None,
    format: Annotated[str, typer.Option(help="csv | xlsx | docx | pdf")] = "xlsx",  # noqa: A002
) -> None:
    """Write the completion list, as the secretariat prints it before a meeting, with a progress bar."""
    from datetime import date

    from app.agencies import service as agency_service
    from app.db import open_snapshot_session
    from app.directives import service as directive_service
    from app.errors import InvalidInput
    from app.reports import completion, formats
    from app.tasks.timing import local_today
    from app.types import FIRST_DAY, LAST_DAY, utcnow

    if format not in formats.MEDIA_TYPES:
        raise typer.BadParameter(f"one of {', '.join(formats.MEDIA_TYPES)}", param_hint="--format")
    try:
        day = date.fromisoformat(as_of) if as_of else local_today(get_settings().tz, utcnow())
        meeting = date.fromisoformat(meeting_date) if meeting_date else None
    except ValueError as exc:
        raise typer.BadParameter("dates are YYYY-MM-DD") from exc
    if not all(FIRST_DAY <= d <= LAST_DAY for d in (day, meeting) if d):
        raise typer.BadParameter(f"dates are between {FIRST_DAY} and {LAST_DAY}")
    with open_snapshot_session() as session:
        directives = None
        if directive:
            found = directive_service.get_by_number(session=session, number=directive)
            if found is None:
                raise typer.BadParameter(f"no directive {directive}", param_hint="--directive")
            directives = [found]
        elif meeting:
            directives = directive_service.by_meeting_date(session=session, meeting_date=meeting)
            if not directives:
                raise typer.BadParameter(f"no directive records a meeting on {meeting}", param_hint="--meeting-date")
        agency_id = None
        if lead_agency:
            agency = agency_service.get_by_code(session=session, code=lead_agency)
            if agency is None:
                raise typer.BadParameter(f"no agency {lead_agency}", param_hint="--lead-agency")
            agency_id = agency.id
        report = completion.build(session=session, as_of=day, directives=directives, meeting_date=meeting,
                                  lead_agency_id=agency_id)
        rows = completion.rows(session=session, report=report)
        settings = formats.default_document_settings(report)
        if format == "pdf":
            try:
                formats.check_pdf_size(report)
            except InvalidInput as exc:
                raise typer.BadParameter(exc.problems[0].msg, param_hint="--format") from exc
        with typer.progressbar(length=report.total, label=f"{report.total} nhiệm vụ", file=sys.stderr) as bar:
            if format == "csv":
                with output.open("wb") as out:
                    for chunk in formats.csv_chunks(report, rows, settings, bar.update):
                        out.write(chunk)
            else:
                {"xlsx": formats.write_xlsx, "docx": formats.write_docx, "pdf": formats.write_pdf}[format](
                    report, rows, output, settings, bar.update)
    typer.echo(f"{output}: {report.sentence}")


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
        session.commit()
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
        session.commit()
    typer.echo(f"token {token_id} revoked")


@token_app.command("list")
def token_list() -> None:
    """List tokens (never the secret itself)."""
    from app.auth import service

    with _session(write=False) as session:
        for token, agency in service.list_tokens(session=session):
            state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
            typer.echo(f"{token.id}\t{token.prefix}…\t{token.role}\t{agency.code}\t{state}\t{token.name}")


def _dev_tokens_still_valid() -> bool:
    """The tokens file survives a deleted database; its tokens then no longer exist and are made again."""
    from app.auth import service

    if not DEV_TOKENS_FILE.exists():
        return False
    with _session(write=False) as session:
        return all(service.authenticate(session=session, raw_token=raw) is not None
                   for raw in json.loads(DEV_TOKENS_FILE.read_text()).values())


@app.command()
def bootstrap() -> None:
    """What `make run` does before serving: migrate, seed, and (once) a secretariat and an agency token."""
    from sqlmodel import select

    from app.agencies.models import Agency
    from app.auth import service

    migrate()
    seed()
    if not _dev_tokens_still_valid():
        with _session() as session:
            secretariat = session.exec(select(Agency).where(Agency.kind == "committee")).first()
            _, secretariat_raw = service.create_token(session=session, agency_code=secretariat.code,
                                                      role=Role.secretariat, name="make run: secretariat")
            _, agency_raw = service.create_token(session=session, agency_code="000.00.00.G12", role=Role.agency,
                                                 name="make run: Bộ Tài chính")
            session.commit()
        DEV_TOKENS_FILE.write_text(json.dumps({"secretariat": secretariat_raw, "agency_G12": agency_raw}))
        os.chmod(DEV_TOKENS_FILE, 0o600)
    tokens = json.loads(DEV_TOKENS_FILE.read_text())
    settings = get_settings()
    base = f"http://{settings.host}:{settings.port}/api/v1"
    typer.echo(f"secretariat token:            {tokens['secretariat']}")
    typer.echo(f"agency token (Bộ Tài chính):  {tokens['agency_G12']}")
    typer.echo("try:")
    typer.echo(f"  curl -s -H {shlex.quote('Authorization: Bearer ' + tokens['secretariat'])} "
               f"'{base}/tasks?timing=overdue&limit=5'")
    typer.echo(f"  open http://{settings.host}:{settings.port}/docs")

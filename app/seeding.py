"""Loads seed/ (agencies, directives, tasks with their histories). Running it twice adds nothing."""

import json
from datetime import date, datetime, time
from pathlib import Path

from sqlmodel import Session, select

from app.access.principal import OPERATOR, Principal, Role
from app.agencies import service as agency_service
from app.agencies.models import Agency
from app.agencies.schemas import AgencyMerge
from app.config import get_settings
from app.directives import service as directive_service
from app.directives.schemas import DirectiveCreate
from app.imports.gazetteer import read_agency_aliases
from app.indicators import service as indicator_service
from app.indicators.models import Indicator
from app.indicators.schemas import IndicatorCreate, MeasurementCreate, TargetCreate
from app.tasks import agency_merge as merge
from app.tasks import service as task_service
from app.tasks import workflow
from app.tasks.models import Task
from app.tasks.schemas import (
    Evidence,
    ExtensionDecision,
    ExtensionRequestCreate,
    ProgressReport,
    TaskCreate,
)


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=get_settings().tz)


def _read(seed_dir: Path, name: str) -> list[dict]:
    return json.loads((seed_dir / name).read_text(encoding="utf-8"))


def load(*, session: Session, seed_dir: Path) -> dict[str, int]:
    added = {"agencies": 0, "directives": 0, "tasks": 0, "mergers": 0, "indicators": 0}
    aliases = read_agency_aliases(seed_dir)
    for row in _read(seed_dir, "agencies.json"):
        agency = agency_service.get_by_code(session=session, code=row["code"])
        if agency is None:
            session.add(Agency(**row, aliases=aliases.get(row["code"], [])))
            added["agencies"] += 1
        elif not agency.aliases and aliases.get(row["code"]):  # a database seeded before aliases were data
            agency.aliases = aliases[row["code"]]
            session.add(agency)
    session.flush()
    secretariat = session.exec(select(Agency).where(Agency.kind == "committee").order_by(Agency.id)).first()

    for row in _read(seed_dir, "directives.json"):
        year = date.fromisoformat(row["issued_on"]).year
        if directive_service.get_by_number(session=session, number=row["number"], year=year) is None:
            directive_service.create(session=session, directive_in=DirectiveCreate.model_validate(row),
                                     principal=OPERATOR, now=_local(date.fromisoformat(row["issued_on"]), time(16)))
            added["directives"] += 1
    session.flush()

    for row in _read(seed_dir, "tasks.json"):
        if session.exec(select(Task.id).where(Task.external_ref == row["key"])).first() is not None:
            continue
        _load_task(session, row, secretariat)
        added["tasks"] += 1
    # The reorganisation of 1/3/2025, after the histories (none of a merged body is dated later): open tasks move
    # to the successors, with the journal dated on the day.
    if (seed_dir / "reorganisations.json").exists():
        for row in _read(seed_dir, "reorganisations.json"):
            agency = agency_service.get_by_code(session=session, code=row["agency"])
            if agency is None or agency.merged_into_id is not None:
                continue
            on = date.fromisoformat(row["on"])
            merge.merge(session=session, key=row["agency"], principal=OPERATOR, now=_local(on, time(8)),
                        merge_in=AgencyMerge(successor_code=row["into"], effective_on=on))
            added["mergers"] += 1
    if (seed_dir / "indicators.json").exists():
        for row in _read(seed_dir, "indicators.json"):
            if session.exec(select(Indicator.id).where(Indicator.code == row["code"])).first() is None:
                _load_indicator(session, row, secretariat)
                added["indicators"] += 1
    return added


def _load_indicator(session: Session, row: dict, secretariat: Agency) -> None:
    """An indicator as the articles give it: its targets and values recorded at the times they were known, by the
    secretariat and by the reporting agency, through the services the API calls."""
    reporting = agency_service.get_by_code(session=session, code=row["reporting_agency"])
    directive = directive_service.find_by_number(session=session, number=row["source_directive"])[0]
    as_secretariat = Principal(token_id=None, agency_id=secretariat.id, role=Role.secretariat)
    first_target = datetime.fromisoformat(row["targets"][0]["set_at"])
    fields = {k: row[k] for k in ("code", "name", "unit", "kind", "direction", "comparator", "group_name",
                                  "frequency")}
    indicator = indicator_service.create(
        session=session, principal=as_secretariat, now=min([first_target, *(
            datetime.fromisoformat(m["recorded_at"]) for m in row["measurements"])]),
        indicator_in=IndicatorCreate(**fields, reporting_agency_id=reporting.id, source_directive_id=directive.id,
                                     task_ids=[_task_id_of(session, key) for key in row.get("tasks", [])]))
    for target in row["targets"]:
        indicator_service.set_target(
            session=session, indicator_id=indicator.id, principal=as_secretariat,
            now=datetime.fromisoformat(target["set_at"]),
            target_in=TargetCreate(**{k: v for k, v in target.items() if k != "set_at"}))
    as_reporter = Principal(token_id=None, agency_id=reporting.id, role=Role.agency)
    for measurement in row["measurements"]:
        indicator_service.record_measurement(
            session=session, indicator_id=indicator.id, principal=as_reporter,
            now=datetime.fromisoformat(measurement["recorded_at"]),
            measurement_in=MeasurementCreate(**{k: v for k, v in measurement.items() if k != "recorded_at"}))


def _task_id_of(session: Session, key: str) -> int:
    """A seed task by its key (the external reference it was loaded with)."""
    return session.exec(select(Task.id).where(Task.external_ref == key)).one()


def _load_task(session: Session, row: dict, secretariat: Agency) -> None:
    directive = directive_service.get_by_number(session=session, number=row["directive"], year=row["directive_year"])
    codes = [row["lead_agency"], *row.get("coordinating_agencies", [])]
    agencies = {code: agency_service.get_by_code(session=session, code=code) for code in codes}
    lead = agencies[row["lead_agency"]]
    as_secretariat = Principal(token_id=None, agency_id=secretariat.id, role=Role.secretariat)
    as_lead = Principal(token_id=None, agency_id=lead.id, role=Role.agency)
    # Tasks are recorded on the afternoon of the day the directive is issued.
    created_at = _local(directive.issued_on, time(17))
    task = task_service.create_task(
        session=session, principal=as_secretariat, now=created_at,
        task_in=TaskCreate(
            directive_id=directive.id, external_ref=row["key"], clause_ref=row.get("clause_ref"),
            title=row["title"], objective=row["objective"], lead_agency_id=lead.id,
            coordinating_agency_ids=[agencies[c].id for c in row.get("coordinating_agencies", [])],
            accountable_official=row["accountable_official"], deadline=row["deadline_text"],
            deliverable_type=row["deliverable_type"], deliverable_description=row["deliverable_description"],
            expected_result=row["expected_result"], priority=row.get("priority", False),
        ),
    )
    for event in row.get("history", []):
        at = datetime.fromisoformat(event["at"])
        action = event["action"]
        if action == "progress":
            evidence = Evidence.model_validate(event["evidence"]) if event.get("evidence") else None
            report = ProgressReport(status=event["status"], progress_percent=event["progress_percent"],
                                    note=event["note"], evidence=evidence,
                                    completed_on=event.get("completed_on"))
            workflow.report_progress(session=session, task_id=task.id, report=report, principal=as_lead, now=at)
        elif action in {"accept", "reject"}:
            workflow.review_completion(session=session, task_id=task.id, accept=action == "accept",
                                           note=event.get("note"), principal=as_secretariat, now=at)
        elif action == "extension":
            request = workflow.request_extension(
                session=session, task_id=task.id, principal=as_lead, now=at,
                request_in=ExtensionRequestCreate(kind=event["kind"], reason=event["reason"],
                                                  requested_deadline=event.get("requested_deadline_text")))
            if event.get("decision"):
                workflow.decide_extension(
                    session=session, request_id=request.id, principal=as_secretariat,
                    now=datetime.fromisoformat(event["decided_at"]),
                    decision=ExtensionDecision(decision=event["decision"], note=event.get("decision_note")))
        else:
            raise ValueError(f"seed task {row['key']}: unknown history action {action!r}")

"""Agencies: the ministries, provinces and their departments that tasks are given to. They are renamed, merged and
split; history keeps the name an agency had then (the journal holds agency ids, and a merged agency keeps its row)."""

from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app import messages
from app.access import policy
from app.access.policy import Action
from app.access.principal import Principal
from app.agencies.models import Agency, AgencyKind
from app.agencies.schemas import AgencyCreate, AgencyUpdate
from app.cache import TtlCache
from app.errors import ApiError, FieldProblem, InvalidInput, not_found
from app.types import id_from


def list_agencies(*, session: Session, active_only: bool = False) -> list[Agency]:
    statement = select(Agency).order_by(Agency.code)
    if active_only:
        statement = statement.where(Agency.active)
    return list(session.exec(statement))


def get(*, session: Session, agency_id: int) -> Agency | None:
    return session.get(Agency, agency_id)


def get_by_code(*, session: Session, code: str) -> Agency | None:
    return session.exec(select(Agency).where(Agency.code == code.strip())).first()


def find(*, session: Session, key: str) -> Agency:
    """An agency by its code (old codes of merged agencies keep resolving, to the agency they name) or its id."""
    agency = get_by_code(session=session, code=key)
    if agency is None and (agency_id := id_from(key)) is not None:  # "¹" or "１" is no id: 404, never a 500
        agency = get(session=session, agency_id=agency_id)
    if agency is None:
        raise not_found("agency")
    return agency


def id_for_code(*, session: Session, code: str | None, field: str = "lead_agency_code",
                location: str = "query") -> int | None:
    if code is None:
        return None
    agency = get_by_code(session=session, code=code)
    if agency is None:
        raise InvalidInput([FieldProblem.of(field, "no_agency_code", code=code, location=location)])
    return agency.id


def by_ids(*, session: Session, agency_ids: set[int]) -> dict[int, Agency]:
    if not agency_ids:
        return {}
    return {a.id: a for a in session.exec(select(Agency).where(Agency.id.in_(agency_ids)))}


def public(*, session: Session, agency: Agency) -> dict:
    merged_into = refs(session=session, agency_ids={agency.merged_into_id}).get(agency.merged_into_id) \
        if agency.merged_into_id else None
    return {"id": agency.id, "code": agency.code, "name": agency.name, "short_name": agency.short_name,
            "kind": agency.kind, "active": agency.active, "parent_id": agency.parent_id, "aliases": agency.aliases,
            "merged_into": merged_into, "merged_on": agency.merged_on}


def _parent(session: Session, code: str | None, problems: list[FieldProblem]) -> int | None:
    if code is None:
        return None
    parent = get_by_code(session=session, code=code)
    if parent is None:
        problems.append(FieldProblem.of("parent_code", "no_agency_code", code=code))
        return None
    return parent.id


def _unique_short_name(session: Session, short_name: str, agency_id: int | None, problems: list[FieldProblem]):
    other = session.exec(select(Agency).where(Agency.short_name == short_name)).first()
    if other is not None and other.id != agency_id:
        problems.append(FieldProblem.of("short_name", "short_name_taken", name=other.name, type="duplicate"))


def create(*, session: Session, agency_in: AgencyCreate, principal: Principal) -> Agency:
    policy.require(principal, Action.manage_agencies)
    problems: list[FieldProblem] = []
    if get_by_code(session=session, code=agency_in.code) is not None:
        problems.append(FieldProblem.of("code", "agency_code_taken", code=agency_in.code, type="duplicate"))
    _unique_short_name(session, agency_in.short_name, None, problems)
    parent_id = _parent(session, agency_in.parent_code, problems)
    if problems:
        raise InvalidInput(problems)
    agency = Agency(code=agency_in.code, name=agency_in.name, short_name=agency_in.short_name, kind=agency_in.kind,
                    parent_id=parent_id, aliases=agency_in.aliases)
    try:
        with session.begin_nested():
            session.add(agency)
            session.flush()
    except IntegrityError as exc:
        raise InvalidInput([FieldProblem.of("code", "agency_code_taken", code=agency_in.code,
                                            type="duplicate")]) from exc
    return agency


def update(*, session: Session, key: str, agency_in: AgencyUpdate, principal: Principal) -> Agency:
    policy.require(principal, Action.manage_agencies)
    agency = find(session=session, key=key)
    changes = agency_in.model_dump(exclude_unset=True)
    problems = [FieldProblem.of(f, "not_null") for f, v in changes.items() if v is None and f != "parent_code"]
    if "short_name" in changes and changes["short_name"]:
        _unique_short_name(session, changes["short_name"], agency.id, problems)
    if "parent_code" in changes:
        changes["parent_id"] = _parent(session, changes.pop("parent_code"), problems)
    if problems:
        raise InvalidInput(problems)
    for field, value in changes.items():
        setattr(agency, field, value)
    session.add(agency)
    session.flush()
    forget(agency.id)
    return agency


def deactivate(*, session: Session, key: str, principal: Principal, open_tasks: int) -> Agency:
    """No new task may be given to it. `open_tasks`: how many open tasks it still leads (they must be moved first,
    by a merge)."""
    policy.require(principal, Action.manage_agencies)
    agency = find(session=session, key=key)
    if open_tasks:
        raise ApiError.of(409, "agency_has_open_tasks", code="agency_has_open_tasks", extra={"open_tasks": open_tasks},
                          name=agency.name, count=open_tasks)
    agency.active = False
    session.add(agency)
    session.flush()
    forget(agency.id)
    return agency


def mark_merged(*, session: Session, agency: Agency, successor: Agency, effective_on: date) -> None:
    agency.active = False
    agency.merged_into_id = successor.id
    agency.merged_on = effective_on
    session.add(agency)
    session.flush()
    forget(agency.id)


def successor_of(*, session: Session, agency: Agency) -> Agency:
    """The agency that now does its work: itself, or the end of its chain of mergers."""
    seen = {agency.id}
    while agency.merged_into_id is not None and agency.merged_into_id not in seen:
        agency = session.get(Agency, agency.merged_into_id)
        seen.add(agency.id)
    return agency


def secretariat(*, session: Session) -> Agency | None:
    """The secretariat's agency: the deployment's committee (Tổ giúp việc, Văn phòng UBND ...). Its name, not a
    text in the code, is what messages call it."""
    agency = session.exec(select(Agency).where(Agency.kind == AgencyKind.committee, Agency.active)
                          .order_by(Agency.id)).first()
    if agency is not None:
        messages.set_secretariat_name(agency.name)
    return agency


# id -> the agency's reference fields. An edit made in this process is seen at once, one made in another process
# within CACHE_SECONDS; a new agency is simply a miss.
CACHE_SECONDS = 30.0
_refs: TtlCache[int, dict] = TtlCache(CACHE_SECONDS)


def forget(agency_id: int | None = None) -> None:
    _refs.forget(agency_id)


def refs(*, session: Session, agency_ids: set[int]) -> dict[int, dict]:
    found, missing = _refs.get_many(agency_ids)
    if missing:
        for agency in session.exec(select(Agency).where(Agency.id.in_(missing))):
            found[agency.id] = _refs.put(agency.id, {"id": agency.id, "code": agency.code, "name": agency.name,
                                                     "short_name": agency.short_name})
    return found

from sqlmodel import Session, select

from app.agencies.models import Agency


def list_agencies(*, session: Session, active_only: bool = False) -> list[Agency]:
    statement = select(Agency).order_by(Agency.code)
    if active_only:
        statement = statement.where(Agency.active)
    return list(session.exec(statement))


def get(*, session: Session, agency_id: int) -> Agency | None:
    return session.get(Agency, agency_id)


def get_by_code(*, session: Session, code: str) -> Agency | None:
    return session.exec(select(Agency).where(Agency.code == code)).first()


def by_ids(*, session: Session, agency_ids: set[int]) -> dict[int, Agency]:
    if not agency_ids:
        return {}
    return {a.id: a for a in session.exec(select(Agency).where(Agency.id.in_(agency_ids)))}


# id -> the agency's reference fields. Codes and names do not change through the API, so every process
# may keep them; a new agency (from the seed) is simply a miss.
_ref_cache: dict[int, dict] = {}


def refs(*, session: Session, agency_ids: set[int]) -> dict[int, dict]:
    missing = agency_ids - _ref_cache.keys()
    if missing:
        for agency in session.exec(select(Agency).where(Agency.id.in_(missing))):
            _ref_cache[agency.id] = {"id": agency.id, "code": agency.code, "name": agency.name,
                                     "short_name": agency.short_name}
    return {agency_id: _ref_cache[agency_id] for agency_id in agency_ids if agency_id in _ref_cache}

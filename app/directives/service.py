"""Directives: recorded and corrected by the secretariat, named by number and year (numbers restart every year)."""

from datetime import date, datetime

from sqlalchemy import insert, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app import clock, pagination
from app.access import policy
from app.access.policy import Action
from app.access.principal import Principal
from app.cache import TtlCache
from app.clock import utcnow
from app.directives.models import Directive, DirectiveEvent
from app.directives.schemas import DirectiveCreate, DirectiveUpdate
from app.errors import ApiError, FieldProblem, InvalidInput, not_found
from app.types import jsonable


def reference(number: str, year: int) -> str:
    """How a directive is named wherever it is shown: "128/TB-VPCP (2022)" (as Directive.reference)."""
    return f"{number} ({year})"


_NEWEST_FIRST = (Directive.issued_on.desc(), Directive.id.desc())


def list_directives(*, session: Session) -> list[Directive]:
    """Every directive, newest first (the pages' choices)."""
    return list(session.exec(select(Directive).order_by(*_NEWEST_FIRST)))


def page_directives(*, session: Session, limit: int, cursor: str | None) -> tuple[list[Directive], str | None]:
    """A page of them in the same order, after the cursor's directive."""
    statement = select(Directive)
    if cursor:
        day, last_id = pagination.decode_day_and_id(cursor)
        statement = statement.where(or_(Directive.issued_on < day,
                                        (Directive.issued_on == day) & (Directive.id < last_id)))
    found = list(session.exec(statement.order_by(*_NEWEST_FIRST).limit(limit + 1)))
    return pagination.page_of(found, limit, lambda d: pagination.encode_day_and_id(d.issued_on, d.id))


def get(*, session: Session, directive_id: int) -> Directive | None:
    return session.get(Directive, directive_id)


def get_or_404(*, session: Session, directive_id: int) -> Directive:
    directive = get(session=session, directive_id=directive_id)
    if directive is None:
        raise not_found("directive")
    return directive


def by_meeting_date(*, session: Session, meeting_date) -> list[Directive]:
    return list(session.exec(select(Directive).where(Directive.meeting_date == meeting_date)
                             .order_by(Directive.issued_on, Directive.id)))


def find_by_number(*, session: Session, number: str, year: int | None = None) -> list[Directive]:
    """Every directive with this number (of this year, when given), most recent first."""
    statement = select(Directive).where(Directive.number == number.strip())
    if year is not None:
        statement = statement.where(Directive.issued_year == year)
    return list(session.exec(statement.order_by(Directive.issued_on.desc())))


def get_by_number(*, session: Session, number: str, year: int) -> Directive | None:
    found = find_by_number(session=session, number=number, year=year)
    return found[0] if found else None


def _duplicate(number: str, year: int) -> FieldProblem:
    return FieldProblem.of("number", "directive_taken", reference=reference(number, year), type="duplicate")


def _check_dates(issued_on: date, meeting_date: date, now: datetime, problems: list[FieldProblem]) -> None:
    today = clock.local_day(now)
    if issued_on > today:
        problems.append(FieldProblem.of("issued_on", "issued_in_future", today=today, type="date_in_future"))
    if meeting_date > today:
        problems.append(FieldProblem.of("meeting_date", "meeting_in_future", today=today, type="date_in_future"))
    if issued_on < meeting_date:
        problems.append(FieldProblem.of("issued_on", "issued_before_meeting"))


def _journal(session: Session, directive: Directive, kind: str, principal: Principal, now: datetime,
             data: dict | None = None) -> None:
    session.flush()
    session.execute(insert(DirectiveEvent), [{
        "directive_id": directive.id, "occurred_at": now, "kind": kind, "data": data,
        "actor_token_id": principal.token_id,
        "actor_agency_id": principal.agency_id}])


def create(*, session: Session, directive_in: DirectiveCreate, principal: Principal,
           now: datetime | None = None) -> Directive:
    now = now or utcnow()
    policy.require(principal, Action.create_directive)
    problems: list[FieldProblem] = []
    _check_dates(directive_in.issued_on, directive_in.meeting_date, now, problems)
    year = directive_in.issued_on.year
    if get_by_number(session=session, number=directive_in.number, year=year):
        problems.append(_duplicate(directive_in.number, year))
    if problems:
        raise InvalidInput(problems)
    directive = Directive.model_validate(directive_in, update={"issued_year": year, "created_at": now,
                                                               "updated_at": now})
    try:
        with session.begin_nested():
            session.add(directive)
            session.flush()
    except IntegrityError as exc:  # a concurrent create with the same number and year
        raise InvalidInput([_duplicate(directive_in.number, year)]) from exc
    _journal(session, directive, "created", principal, now)
    return directive


def etag(directive: Directive) -> str:
    return f'"d{directive.id}-{directive.version}"'


def update(*, session: Session, directive_id: int, directive_in: DirectiveUpdate, principal: Principal,
           expected_version: int | None, now: datetime | None = None) -> Directive:
    """A correction by the secretariat, against the version it read; journaled with the values before and after.
    A correction that changes nothing writes nothing."""
    now = now or utcnow()
    policy.require(principal, Action.edit_directive)
    if expected_version is None:
        raise ApiError.of(428, "if_match_required", code="precondition_required", path="/directives/{id}")
    directive = session.exec(select(Directive).where(Directive.id == directive_id).with_for_update()).first()
    if directive is None:
        raise not_found("directive")
    if directive.version != expected_version:
        raise ApiError.of(412, "directive_changed", code="precondition_failed", extra={"current_etag": etag(directive)},
                          headers={"ETag": etag(directive)})
    changes = {field: value for field, value in directive_in.model_dump(exclude_unset=True).items()
               if value != getattr(directive, field)}
    problems = [FieldProblem.of(field, "not_null") for field, value in changes.items() if value is None]
    if problems:
        raise InvalidInput(problems)
    if not changes:
        return directive
    issued_on, meeting_date = changes.get("issued_on", directive.issued_on), changes.get("meeting_date",
                                                                                          directive.meeting_date)
    _check_dates(issued_on, meeting_date, now, problems)
    number = changes.get("number", directive.number)
    other = get_by_number(session=session, number=number, year=issued_on.year)
    if other is not None and other.id != directive.id:
        problems.append(_duplicate(number, issued_on.year))
    if problems:
        raise InvalidInput(problems)
    before = {field: jsonable(getattr(directive, field)) for field in changes}
    for field, value in changes.items():
        setattr(directive, field, value)
    directive.issued_year = directive.issued_on.year
    directive.version += 1
    directive.updated_at = now
    session.add(directive)
    _journal(session, directive, "updated", principal, now,
             {"before": before, "after": {k: jsonable(v) for k, v in changes.items()}})
    forget(directive.id)
    return directive


def history(*, session: Session, directive_id: int) -> list[DirectiveEvent]:
    get_or_404(session=session, directive_id=directive_id)
    return list(session.exec(select(DirectiveEvent).where(DirectiveEvent.directive_id == directive_id)
                             .order_by(DirectiveEvent.occurred_at, DirectiveEvent.id)))


# id -> summary. A correction made in this process is seen at once, one made in another process within
# CACHE_SECONDS.
CACHE_SECONDS = 30.0
_summaries: TtlCache[int, dict] = TtlCache(CACHE_SECONDS)


def forget(directive_id: int | None = None) -> None:
    _summaries.forget(directive_id)


def summaries(*, session: Session, directive_ids: set[int]) -> dict[int, dict]:
    found, missing = _summaries.get_many(directive_ids)
    if missing:
        for directive in session.exec(select(Directive).where(Directive.id.in_(missing))):
            found[directive.id] = _summaries.put(directive.id, {
                "id": directive.id, "number": directive.number, "issued_on": directive.issued_on,
                "reference": reference(directive.number, directive.issued_year)})
    return found

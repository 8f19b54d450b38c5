from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.auth import policy
from app.auth.policy import Action
from app.auth.schemas import Principal
from app.directives.models import Directive
from app.directives.schemas import DirectiveCreate
from app.errors import FieldProblem, InvalidInput, not_found
from app.types import utcnow


def list_directives(*, session: Session) -> list[Directive]:
    return list(session.exec(select(Directive).order_by(Directive.issued_on.desc(), Directive.id.desc())))


def get(*, session: Session, directive_id: int) -> Directive | None:
    return session.get(Directive, directive_id)


def by_meeting_date(*, session: Session, meeting_date) -> list[Directive]:
    return list(session.exec(select(Directive).where(Directive.meeting_date == meeting_date)
                             .order_by(Directive.issued_on, Directive.id)))


def get_by_number(*, session: Session, number: str) -> Directive | None:
    return session.exec(select(Directive).where(Directive.number == number)).first()


def get_or_404(*, session: Session, directive_id: int) -> Directive:
    directive = get(session=session, directive_id=directive_id)
    if directive is None:
        raise not_found("directive", "văn bản chỉ đạo")
    return directive


def create(*, session: Session, directive_in: DirectiveCreate, principal: Principal | None,
           now: datetime | None = None) -> Directive:
    """`principal` None: the seed loader."""
    if principal is not None:
        policy.require(principal, Action.create_directive)
    problems = []
    if directive_in.issued_on < directive_in.meeting_date:
        problems.append(FieldProblem("issued_on", "must not be before the meeting date",
                                     "không được trước ngày họp"))
    if get_by_number(session=session, number=directive_in.number):
        problems.append(FieldProblem("number", "a directive with this number already exists",
                                     "đã có văn bản với số này", type="duplicate"))
    if problems:
        raise InvalidInput(problems)
    directive = Directive.model_validate(directive_in, update={"created_at": now or utcnow()})
    session.add(directive)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent create with the same number
        session.rollback()
        raise InvalidInput([FieldProblem("number", "a directive with this number already exists",
                                         "đã có văn bản với số này", type="duplicate")]) from exc
    return directive


# Directives are never edited once recorded, so their summary can live in every process.
_summary_cache: dict[int, dict] = {}


def summaries(*, session: Session, directive_ids: set[int]) -> dict[int, dict]:
    missing = directive_ids - _summary_cache.keys()
    if missing:
        for directive in session.exec(select(Directive).where(Directive.id.in_(missing))):
            _summary_cache[directive.id] = {"id": directive.id, "number": directive.number,
                                            "issued_on": directive.issued_on}
    return {d: _summary_cache[d] for d in directive_ids if d in _summary_cache}

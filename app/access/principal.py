"""Who is acting: a person signed in, an agency's program with a token, or the operator."""

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """The role an account or an API token holds (PRODUCT.md, "Roles")."""

    secretariat = "secretariat"
    agency = "agency"
    observer = "observer"


class Operator(StrEnum):
    """Whoever runs the service itself: the command line, the scheduled jobs, the seed loader. Never held by an
    account or a token; the policy table gives it a column of its own, so what it may do is decided there."""

    operator = "operator"


@dataclass(frozen=True, slots=True)
class Principal:
    token_id: int | None  # None for the operator and for a person signed in to the pages
    agency_id: int | None  # None for the operator alone
    role: Role | Operator
    account_id: int | None = None  # a person signed in to the web pages; None for API tokens and the operator

    @property
    def is_operator(self) -> bool:
        return self.role is Operator.operator


OPERATOR = Principal(token_id=None, agency_id=None, role=Operator.operator)

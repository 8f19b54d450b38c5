from pydantic import BaseModel, Field

from app.access.policy import Action
from app.access.principal import Role
from app.agencies.schemas import AgencyRef
from app.types import Instant


class TokenPublic(BaseModel):
    id: int
    prefix: str
    name: str
    agency_code: str
    role: Role
    created_at: Instant
    revoked_at: Instant | None


class TokenRef(BaseModel):
    id: int
    name: str
    prefix: str


class AccountRef(BaseModel):
    id: int
    username: str
    full_name: str
    job_title: str


class Me(BaseModel):
    agency: AgencyRef
    role: Role
    permissions: list[Action] = Field(description="actions this role may take (see app/access/policy.py); some only "
                                                  "on the agency's own tasks or resources")
    token: TokenRef | None = None
    account: AccountRef | None = Field(default=None, description="the person signed in; null for an API token, "
                                                                 "which is its agency's software, not a person")

from datetime import datetime

from pydantic import BaseModel, Field

from app.access.principal import Role


class TokenPublic(BaseModel):
    id: int
    prefix: str
    name: str
    agency_code: str
    role: Role
    created_at: datetime
    revoked_at: datetime | None


class TokenRef(BaseModel):
    id: int
    name: str
    prefix: str


class Me(BaseModel):
    agency: dict = Field(description="{id, code, name, short_name}")
    role: Role
    permissions: list[str] = Field(description="actions this role may take (see app/access/policy.py); some only on "
                                               "the agency's own tasks or resources")
    token: TokenRef | None = None
    account: dict | None = Field(default=None, description="the signed-in person, on the web pages")

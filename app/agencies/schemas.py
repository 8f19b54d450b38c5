from pydantic import BaseModel

from app.agencies.models import AgencyBase


class AgencyPublic(AgencyBase):
    id: int


class AgencyRef(BaseModel):
    id: int
    code: str
    name: str
    short_name: str

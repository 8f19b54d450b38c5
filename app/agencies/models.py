from enum import StrEnum

from sqlalchemy import String
from sqlmodel import Field, SQLModel


class AgencyKind(StrEnum):
    ministry = "ministry"
    ministry_level = "ministry_level"
    government_agency = "government_agency"
    province = "province"
    committee = "committee"


class AgencyBase(SQLModel):
    code: str = Field(max_length=20, unique=True, description="QCVN 102:2016 form, e.g. 000.00.00.G12")
    name: str = Field(max_length=200)
    short_name: str = Field(max_length=50)
    kind: AgencyKind = Field(sa_type=String(20))
    active: bool = True


class Agency(AgencyBase, table=True):
    __tablename__ = "agencies"

    id: int | None = Field(default=None, primary_key=True)

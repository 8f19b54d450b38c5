from datetime import date
from enum import StrEnum

from sqlalchemy import JSON, Column, String
from sqlmodel import Field, SQLModel


class AgencyKind(StrEnum):
    ministry = "ministry"
    ministry_level = "ministry_level"
    government_agency = "government_agency"
    province = "province"
    committee = "committee"
    department = "department"  # a province's sở, ban, ngành
    district = "district"  # a province's huyện, thị xã, thành phố, xã, phường
    other = "other"


class AgencyBase(SQLModel):
    code: str = Field(max_length=20, unique=True, description="QCVN 102:2016 form, e.g. 000.00.00.G12")
    name: str = Field(max_length=200)
    short_name: str = Field(max_length=50)
    kind: AgencyKind = Field(sa_type=String(20))
    active: bool = True


class Agency(AgencyBase, table=True):
    __tablename__ = "agencies"

    id: int | None = Field(default=None, primary_key=True)
    parent_id: int | None = Field(default=None, foreign_key="agencies.id",
                                  description="the province a department or district belongs to")
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False),
                               description="other names and abbreviations, for reading notices")
    merged_into_id: int | None = Field(default=None, foreign_key="agencies.id",
                                       description="the successor its open tasks moved to")
    merged_on: date | None = None

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.agencies.models import AgencyBase, AgencyKind
from app.errors import invalid
from app.text import shown
from app.types import Id, refuse_nul


class NamedAgency(BaseModel):
    """An agency as a journal row or a webhook body names it."""

    id: int
    code: str
    name: str


class AgencyRef(NamedAgency):
    short_name: str


class AgencyPublic(AgencyBase):
    id: int
    parent_id: int | None = None
    aliases: list[str] = Field(default_factory=list, description="other names and abbreviations (read in notices)")
    merged_into: AgencyRef | None = Field(default=None, description="the successor its open tasks moved to")
    merged_on: date | None = None


def _text(value: str | None) -> str | None:
    if value is None:
        return value
    value = " ".join(value.split())
    if not shown(value):
        raise invalid("not_blank")
    return value


def _aliases(value: list[str] | None) -> list[str] | None:
    if value is None:
        return value
    return list(dict.fromkeys(" ".join(a.split()) for a in value if shown(a)))


class AgencyCreate(BaseModel):
    """A province's department or district, a new ministry after a reorganisation, ..."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "code": "000.00.01.H29", "name": "Sở Khoa học và Công nghệ Thành phố Hồ Chí Minh", "short_name": "SKHCN-HCM",
        "kind": "department", "parent_code": "000.00.00.H29", "aliases": ["Sở KH&CN TP.HCM"]}]})
    _refuse_nul = model_validator(mode="after")(refuse_nul)

    code: str = Field(min_length=3, max_length=20, pattern=r"^[0-9A-Za-z.\-]+$",
                      description="QCVN 102:2016 form, e.g. 000.00.01.H29")
    name: str = Field(max_length=200)
    short_name: str = Field(max_length=50)
    kind: AgencyKind
    parent_code: str | None = Field(default=None, max_length=20, description="the province it belongs to")
    aliases: list[str] = Field(default_factory=list, max_length=50)
    _texts = field_validator("name", "short_name")(_text)
    _alias = field_validator("aliases")(_aliases)


class AgencyUpdate(BaseModel):
    """A rename or a correction; what is left out stays."""

    model_config = ConfigDict(extra="forbid")
    _refuse_nul = model_validator(mode="after")(refuse_nul)

    name: str | None = Field(default=None, max_length=200)
    short_name: str | None = Field(default=None, max_length=50)
    kind: AgencyKind | None = None
    parent_code: str | None = Field(default=None, max_length=20)
    aliases: list[str] | None = Field(default=None, max_length=50)
    _texts = field_validator("name", "short_name")(_text)
    _alias = field_validator("aliases")(_aliases)


class AgencyMerge(BaseModel):
    """The agency is merged into `successor`: its open tasks move there, its history keeps its name."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "successor_code": "000.00.00.G06", "effective_on": "2025-03-01"}]})

    successor_code: str | None = Field(default=None, max_length=20)
    successor_id: Id | None = None
    effective_on: date | None = Field(default=None, description="the day the merger took effect (default today)")


class MergeResult(BaseModel):
    agency: AgencyPublic
    successor: AgencyRef
    tasks_moved: int = Field(description="open tasks whose lead moved to the successor")
    tasks_recoordinated: int = Field(description="open tasks where the successor replaced it as a coordinator")

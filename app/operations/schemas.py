from typing import Literal

from pydantic import BaseModel, Field, model_serializer


class Liveness(BaseModel):
    status: Literal["ok"] = "ok"


class Check(BaseModel):
    ok: bool
    detail: str  # in English, for the operator's tools
    detail_vi: str


class Checks(BaseModel):
    database: Check
    migrations: Check
    scheduler: Check | None = Field(default=None, description="only where this process runs the scheduled jobs")

    @model_serializer(mode="wrap")
    def _those_made(self, handler):
        return {name: value for name, value in handler(self).items() if value is not None}


class Readiness(BaseModel):
    status: Literal["ready", "not_ready"]
    checks: Checks

"""The operator's addresses, outside the API's prefix and without its tokens: `/healthz` (the process answers),
`/readyz` (and can serve: database, schema, scheduler), `/metrics` (Prometheus; loopback only, or with
ROVIEC_METRICS_TOKEN from anywhere)."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from app import scheduler, unit_of_work
from app.config import get_settings
from app.errors import ApiError
from app.observability import metrics
from app.operations import service
from app.operations.schemas import Liveness, Readiness

router = APIRouter(tags=["operations"])


@router.get("/healthz", response_model=Liveness)
async def healthz() -> Liveness:
    """Always 200 while the process can answer: a liveness probe must not restart a server because its database
    is away (it recovers by itself when the database returns)."""
    return Liveness()


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}})
async def readyz():
    """200 when the database answers, the schema is at the code's migration head and, where this process runs the
    scheduled jobs, the scheduler runs; 503 with the same body naming what is not."""
    running = scheduler.is_running() if get_settings().scheduler else None
    answer = await unit_of_work.heavy_call(service.readiness, read=unit_of_work.run_sync, scheduler_running=running)
    return JSONResponse(answer.model_dump(), status_code=200 if answer.status == "ready" else 503)


@router.get("/metrics", include_in_schema=False)
def metrics_text(request: Request) -> Response:
    if not service.may_scrape(authorization=request.headers.get("authorization", ""),
                              client=request.client.host if request.client else ""):
        if get_settings().metrics_token:
            raise ApiError.of(403, "metrics_token_needed", code="forbidden")
        raise ApiError.of(403, "metrics_not_allowed", code="forbidden")
    body, content_type = metrics.exposition(service.read_database_figures)
    return Response(body, media_type=content_type)

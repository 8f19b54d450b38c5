import gc
import logging
import os
import re
import threading
from contextlib import asynccontextmanager
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, Depends, FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DBAPIError

from app import db, openapi, scheduler, unit_of_work
from app.agencies import service as agency_service
from app.agencies.router import router as agencies_router
from app.alerts.router import router as alerts_router
from app.auth.dependencies import known_valid, principal_from_header
from app.auth.router import router as auth_router
from app.calendar.router import router as calendar_router
from app.config import get_settings
from app.directives.router import router as directives_router
from app.errors import install_handlers
from app.http import CreatedLocation, OctetStreamOnRequest, RequestGuard, strict_query
from app.imports import sandbox
from app.imports.router import router as imports_router
from app.indicators.router import router as indicators_router
from app.notifications.router import router as notifications_router
from app.observability import metrics
from app.observability.middleware import RequestContext
from app.operations.router import router as operations_router
from app.reports.router import router as reports_router
from app.tasks.router import router as tasks_router
from app.web import app as web
from app.webhooks.router import messages_router
from app.webhooks.router import router as webhooks_router

API_PREFIX = "/api/v1"
# Swagger UI and ReDoc as the fastapi-offline package ships them (PyPI): /docs works on a closed network.
DOCS_ASSETS = Path(fastapi_offline.__file__).parent / "static"


@asynccontextmanager
async def lifespan(_app: FastAPI):
    unit_of_work.configure()
    try:  # the secretariat's name, for the texts people read
        await unit_of_work.read(lambda session: agency_service.secretariat(session=session))
    except DBAPIError:
        logging.getLogger("roviec").warning("the database is not migrated yet: run `roviec migrate`")
    # What start-up made (modules, routes, templates, the importer's tables) lives as long as the process: moved out
    # of the collector's reach, a full collection no longer walks it every few thousand requests (measured: a task
    # read 20 % less CPU on PostgreSQL). Once per process: the test suite starts many apps in one.
    if gc.get_freeze_count() == 0:
        gc.freeze()
    _instrument_pools()
    db.after_pools_renewed(_instrument_pools)
    threading.Thread(target=sandbox.warm, name="notice-reader-warm-up", daemon=True).start()
    try:
        if not get_settings().scheduler:
            yield
            return
        jobs = scheduler.start()
        yield
        await scheduler.stop(jobs)
    finally:
        metrics.forget_process(os.getpid())


def _instrument_pools() -> None:
    pools = [db.get_engine().pool] + ([] if db.is_sqlite() else [db.get_async_engine().pool])
    metrics.instrument_pools(pools)


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(
        lifespan=lifespan,
        title="Rõ Việc",
        version="0.1.0",
        description="Theo dõi nhiệm vụ giao tại các văn bản chỉ đạo: rõ mục tiêu, rõ người, rõ việc, rõ thời gian, "
        "rõ trách nhiệm, rõ sản phẩm, rõ kết quả. Every call under /api/v1 needs `Authorization: Bearer <token>` "
        "(the probes /healthz and /readyz do not). "
        "Errors carry English and Vietnamese (`message`, `message_vi`; per field `msg`, `msg_vi`).",
        docs_url=None, redoc_url=None, generate_unique_id_function=openapi.operation_id,
    )
    install_handlers(app)
    api = APIRouter(prefix=API_PREFIX, dependencies=[Depends(strict_query)])
    # Routes are tried in order, a few µs each: the tasks' (the busiest calls) first. No two routers share a path.
    for router in (tasks_router, auth_router, agencies_router, directives_router, reports_router, webhooks_router,
                   messages_router, alerts_router, calendar_router, imports_router, indicators_router,
                   notifications_router):
        api.include_router(router)
    app.include_router(api)

    app.include_router(operations_router)
    app.mount("/docs-assets", StaticFiles(directory=DOCS_ASSETS), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui():
        return get_swagger_ui_html(openapi_url=app.openapi_url, title="Rõ Việc — API",
                                   swagger_js_url="/docs-assets/swagger-ui-bundle.js",
                                   swagger_css_url="/docs-assets/swagger-ui.css",
                                   swagger_favicon_url="/docs-assets/favicon.png",
                                   # Swagger UI's badge would ask validator.swagger.io about the document: never.
                                   swagger_ui_parameters={"validatorUrl": None})

    @app.get("/redoc", include_in_schema=False)
    async def redoc():
        # Without ReDoc's Google Fonts link: nothing leaves the machine (it falls back to the system's fonts).
        return get_redoc_html(openapi_url=app.openapi_url, title="Rõ Việc — API",
                              redoc_js_url="/docs-assets/redoc.standalone.js",
                              redoc_favicon_url="/docs-assets/favicon.png", with_google_fonts=False)

    # Last of the routes: the pages are a sub-application at "/", tried after every address of the API.
    web.mount(app)
    openapi.install(app, API_PREFIX)
    # Innermost (added first): they read the route that answered. Location on every 201; a download's bytes under
    # application/octet-stream to a client that asks for it.
    app.add_middleware(CreatedLocation, api_prefix=API_PREFIX)
    app.add_middleware(OctetStreamOnRequest, api_prefix=API_PREFIX)
    app.add_middleware(RequestGuard, default_limit=settings.max_body_bytes,
                       per_token=settings.rate_limit_per_token, per_address=settings.rate_limit_per_address,
                       bad_tokens_per_address=settings.rate_limit_bad_tokens_per_address, known_token=known_valid,
                       # One limit for a notice, uploaded over the API or on the page.
                       limits={f"{API_PREFIX}/imports": settings.import_max_bytes,
                               "/imports": settings.import_max_bytes,
                               # A report's evidence files: uploaded over the API, or with the page's report form.
                               re.compile(rf"{API_PREFIX}/tasks/[^/]+/files$"): settings.evidence_request_max_bytes,
                               re.compile(r"/tasks/[^/]+/progress$"): settings.evidence_request_max_bytes},
                       authenticate=principal_from_header, api_prefix=API_PREFIX)
    # Around the guard: the request's id, log line and metrics, and a database away answered 503 wherever met.
    app.add_middleware(RequestContext, api_prefix=API_PREFIX)
    # Last, so outermost: every answer carries the security headers, the guard's 401 and 413 included.
    app.add_middleware(web.SecurityHeaders)
    return app


app = create_app()

from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from sqlalchemy import text

from app import scheduler, unit_of_work
from app.agencies.router import router as agencies_router
from app.alerts.router import router as alerts_router
from app.calendar.router import router as calendar_router
from app.config import get_settings
from app.directives.router import router as directives_router
from app.errors import install_handlers
from app.reports.router import router as reports_router
from app.tasks.router import router as tasks_router
from app.webhooks.router import messages_router
from app.webhooks.router import router as webhooks_router


@asynccontextmanager
async def lifespan(_app: FastAPI):
    unit_of_work.configure()
    if not get_settings().scheduler:
        yield
        return
    jobs = scheduler.start()
    yield
    await scheduler.stop(jobs)


def create_app() -> FastAPI:
    app = FastAPI(
        lifespan=lifespan,
        title="Rõ Việc",
        version="0.1.0",
        description="Theo dõi nhiệm vụ giao tại các văn bản chỉ đạo: rõ mục tiêu, rõ người, rõ việc, rõ thời gian, "
        "rõ trách nhiệm, rõ sản phẩm, rõ kết quả. Authorization: Bearer <token> on every call but /healthz.",
    )
    install_handlers(app)
    api = APIRouter(prefix="/api/v1")
    for router in (agencies_router, directives_router, tasks_router, reports_router, webhooks_router,
                   messages_router, alerts_router, calendar_router):
        api.include_router(router)
    app.include_router(api)

    @app.get("/healthz", tags=["health"])
    async def healthz():
        await unit_of_work.read(lambda session: session.execute(text("SELECT 1")))
        return {"status": "ok"}

    return app


app = create_app()

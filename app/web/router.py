"""The web pages: one router per area (app/web/pages/), each turning a form or a link into one call of the same
services the API uses, inside the unit of work, and rendering the answer (or the refusal, field by field) in
Vietnamese. Forms work without JavaScript."""

from fastapi import APIRouter

from app.web.pages import (
    accounts,
    auth,
    calendar,
    dashboard,
    directives,
    imports,
    indicators,
    notifications,
    reports,
    subscriptions,
    tasks,
)

router = APIRouter(include_in_schema=False)
for area in (auth, dashboard, tasks, indicators, directives, reports, calendar, accounts, notifications,
             subscriptions, imports):
    router.include_router(area.router)

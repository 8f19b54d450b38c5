"""What the notification tests share: a real SMTP server on 127.0.0.1, people with their tokens, and the people's
scan, the fan-out and the e-mail worker run in this process on an injected clock (the server under test serves the
API and the pages, its scheduler off)."""

import uuid
from dataclasses import dataclass
from time import sleep

import httpx
import pytest
from sqlalchemy import delete
from sqlmodel import Session

from app.access.principal import OPERATOR
from app.auth import accounts
from app.auth import service as auth_service
from app.calendar import service as calendar_service
from app.notifications import service as notification_service
from app.notifications import watch
from app.notifications.delivery import Mailer
from app.notifications.models import NotificationScanState
from tests import openapi_check
from tests.notifications.smtp import SmtpServer

PUBLIC_URL = "https://roviec.tinh.gov.vn"


@pytest.fixture(scope="session")
def smtp():
    running = SmtpServer().start()
    yield running
    running.stop()


@pytest.fixture
def settings_for(clients, smtp):
    """The worker's settings: e-mail on, to the test's SMTP server, links to the public address."""
    def make(**overrides):
        return clients.database.settings(**({"smtp_host": "127.0.0.1", "smtp_port": smtp.port,
                                             "smtp_security": "none", "public_url": PUBLIC_URL} | overrides))
    return make


@dataclass
class Someone:
    account_id: int
    username: str
    password: str
    email: str | None
    api: httpx.Client  # the API with a token this person made on their account page


def make_someone(server, agency: str, role: str, name: str, *, email: bool = True) -> Someone:
    database = server.database
    username = f"{role}-{uuid.uuid4().hex[:8]}"
    address = f"{username}@mof.gov.vn" if email else None

    def create(session):
        account, password = accounts.create(session=session, principal=OPERATOR, username=username, full_name=name,
                                            agency_code=agency, role=role, job_title="Chuyên viên", email=address)
        if address:
            notification_service.mark_verified(session=session, account=account)  # as `roviec user create --email`
        _, raw = auth_service.create_token(session=session, agency_code=agency, role=account.role,
                                           name="Phần mềm của tôi", made_by=account.id)
        return account.id, password, raw

    account_id, password, raw = database.write(create)
    api = httpx.Client(base_url=f"{server.base_url}/api/v1", headers={"Authorization": f"Bearer {raw}"}, timeout=30,
                       event_hooks={"response": [openapi_check.read_and_see]})
    return Someone(account_id, username, password, address, api)


@pytest.fixture
def someone(server):
    made = []

    def make(agency: str, role: str = "agency", name: str = "Trần Minh Quân", **kwargs) -> Someone:
        person = make_someone(server, agency, role, name, **kwargs)
        made.append(person)
        return person

    yield make
    for person in made:
        person.api.close()


@pytest.fixture
def people_scan(write_engine, clock, settings_for):
    """The people's scan in this process at `clock`, committed; each test starts with a full one."""
    with Session(write_engine) as session:
        session.execute(delete(NotificationScanState))
        session.commit()

    def run(full: bool = False, **overrides) -> watch.ScanResult:
        calendar_service.forget()
        for _ in range(100):
            with Session(write_engine, expire_on_commit=False) as session:
                result = watch.scan(session=session, now=clock.now, settings=settings_for(**overrides), full=full)
                session.commit()
            if not result.skipped:  # skipped: another scan holds the PostgreSQL lock, as a second replica would
                return result
            sleep(0.1)
        pytest.fail("the people's scan stayed locked out")

    return run


@pytest.fixture
def mail(write_engine, clock, settings_for):
    """The e-mail worker in this process at `clock`, until nothing is due."""
    def run(**overrides) -> int:
        mailer = Mailer(settings=settings_for(**overrides), clock=clock,
                        session_factory=lambda: Session(write_engine, expire_on_commit=False))
        return mailer.run_until_idle()

    return run


@pytest.fixture
def fan_out(deliver, settings_for):
    """The delivery worker's fan-out, people told too (as app/notifications/jobs.py registers it in a worker)."""
    def run(**overrides) -> int:
        watch.register_with_delivery(settings_for(**overrides))
        return deliver()

    return run


def inbox(person: Someone, **params) -> dict:
    """The person's inbox, every page of it (`items`), and its unread count."""
    items, cursor = [], None
    while True:
        response = person.api.get("/me/notifications", params={"limit": 200} | params | (
            {"cursor": cursor} if cursor else {}))
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor or params.get("limit"):
            return page | {"items": items}

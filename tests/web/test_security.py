"""The pages against a security review, in a real browser against a real server on each database: an odd address
is the site's 404 (never a 500); no page says what its address says (messages come from the server, once); a link
cannot make a report signed by whoever its author wrote; and an agency takes away as a file only the tasks it leads,
through the pages as through the API."""

import io
import uuid

import pytest
from docx import Document

from tests import dates
from tests.conftest import task_payload
from tests.system.test_odd_addresses import ODD, filled, with_path_parameters
from tests.web.conftest import sign_in

pytestmark = pytest.mark.real_server


def iso(days: int) -> str:
    return dates.iso(dates.ahead(days))


@pytest.fixture
def base(server) -> str:
    return server.base_url


@pytest.fixture
def new_directive(server_clients):
    def make() -> dict:
        made = server_clients.secretariat.post("/directives", json={
            "number": f"{uuid.uuid4().hex[:6]}/TB-VPCP", "title": "Thông báo kết luận phiên họp",
            "issued_on": iso(-10), "meeting_name": "Phiên họp chuyên đề", "meeting_date": iso(-12),
            "issuer": "Văn phòng Chính phủ"})
        assert made.status_code == 201, made.text
        return made.json()

    return make


@pytest.fixture
def new_task(server_clients, agencies, new_directive):
    def make(directive: dict | None = None, **overrides) -> dict:
        made = server_clients.secretariat.post("/tasks", json=task_payload(
            directive or new_directive(), agencies, **({"deadline": iso(300)} | overrides)))
        assert made.status_code == 201, made.text
        return made.json()

    return make


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


# ---------------------------------------------------------------- 1. odd addresses


PAGE_ROUTES = [path for path in with_path_parameters("/") if not path.startswith(("/api/", "/docs", "/static"))]
ODD_QUERIES = ("/tasks?page=%C2%B9", "/tasks?quiet_days=%C2%B9", "/tasks?lead_agency_id=%EF%BC%91",
               "/tasks?directive_id=%C2%B9", "/tasks?deadline_after=%C2%B9/%C2%B9/%C2%B9%C2%B9%C2%B9%C2%B9",
               "/tasks?as_of=%D9%A3/1/2022", "/tasks/export.csv?lead_agency_id=%C2%B9", "/?as_of=%C2%B9/1/2022",
               "/calendar?year=%C2%B9", "/calendar?year=" + "9" * 30, "/reports?lead_agency_id=%C2%B9",
               "/reports?as_of=%C2%B9%C2%B9/1/2022", "/reports/download?directive_id=%C2%B9&format=csv")


def test_an_odd_address_is_the_sites_404_never_a_500(page, base, people):
    """Every page with an id (or a format) in its address, with "¹", "１", "٣", a NUL, a very long value or a number
    past every id there; and the lists' odd query values: the site's own page, never a server error."""
    assert "/tasks/{task_id}" in PAGE_ROUTES and "/tasks/export.{fmt}" in PAGE_ROUTES
    sign_in(page, base, people.secretariat)
    for route in PAGE_ROUTES:
        for value in ODD:
            response = page.request.get(base + filled(route, value), max_redirects=0)
            assert response.status == 404, (route, value[:20], response.status)
            assert response.headers["content-type"].startswith("text/html"), (route, value[:20])
            assert "Không tìm thấy" in response.text(), (route, value[:20])
    for address in ODD_QUERIES:
        response = page.request.get(base + address, max_redirects=0)
        assert response.status < 500, (address, response.status)
        assert response.headers["content-type"].startswith("text/html"), address

"""Odd strings where an id or a code goes, on every GET route of the API with a path parameter (read from the app's
own routes, so a new route is tried too): a 404 or a 422 with the usual JSON error body, never a 5xx. A fuzz run
found `GET /api/v1/agencies/%C2%B9` answering 500 ("¹" passes str.isdigit(), and int() refuses it)."""

import re

import pytest
from fastapi.routing import APIRoute
from starlette.routing import Mount

from app.main import create_app

pytestmark = pytest.mark.real_server

# As they go in a URL: "¹" (superscript one), "１" (fullwidth one), "٣" (Arabic-Indic three), "Ⅰ" (Roman numeral
# one), a NUL, a very long value, a number past every id, a negative one.
ODD = ("%C2%B9", "%EF%BC%91", "%D9%A3", "%E2%85%A0", "%00", "1" * 2000, "9" * 30, "-1", "1e3", "%20")


def routes(app, prefix: str = "") -> list[tuple[str, set[str]]]:
    """Every route's path and methods, inside included routers and mounted applications (the pages) too."""
    found = [route for route in app.routes if isinstance(route, Mount) and hasattr(route.app, "routes")]
    inside = [item for mount in found for item in routes(mount.app, prefix + mount.path)]
    try:
        from fastapi.routing import iter_route_contexts  # FastAPI's included routers hold their routes lazily
    except ImportError:  # an older FastAPI lists every route in app.routes
        return [(prefix + r.path, set(r.methods or ())) for r in app.routes if isinstance(r, APIRoute)] + inside
    return [(prefix + r.path, set(r.methods or ())) for r in iter_route_contexts(app.routes) if r.path] + inside


def with_path_parameters(prefix: str, method: str = "GET") -> list[str]:
    found = sorted({path for path, methods in routes(create_app()) if path.startswith(prefix) and "{" in path
                    and method in methods})
    assert found, f"no {method} route with a path parameter under {prefix}: the route listing is broken"
    return found


def filled(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", value, path)


@pytest.mark.parametrize("route", with_path_parameters("/api/v1"))
def test_an_odd_path_parameter_is_a_404_or_422_with_the_usual_body(clients, route):
    for value in ODD:
        path = filled(route.removeprefix("/api/v1"), value)
        for client in (clients.secretariat, clients.lead):
            response = client.get(path)
            assert response.status_code in (404, 422), (path[:80], response.status_code, response.text[:200])
            body = response.json()
            if response.status_code == 404:
                assert {"code", "message", "message_vi"} <= set(body["detail"]), body
            else:
                assert body["message_vi"] and all({"loc", "msg", "msg_vi"} <= set(p) for p in body["detail"]), body


def test_the_agency_of_the_fuzz_run_and_digits_of_other_scripts_are_404(clients, agencies):
    """"¹" crashed the lookup by id; "１" and "٣" were read as the ids 1 and 3 (int() reads any script's digits):
    an agency is named by its code or its id in ASCII digits, nothing else."""
    for key in ("%C2%B9", "%EF%BC%91", "%D9%A3", "%C2%B2%C2%B3"):
        response = clients.observer.get(f"/agencies/{key}")
        assert response.status_code == 404, (key, response.text)
        assert response.json()["detail"]["message_vi"] == "Không tìm thấy cơ quan"
    first = min(a["id"] for a in agencies.values())
    assert clients.observer.get(f"/agencies/{first}").json()["id"] == first


def test_an_odd_version_in_if_match_is_stale_not_a_500(clients, make_task):
    task = make_task()
    etag = clients.observer.get(f"/tasks/{task['id']}").headers["etag"]  # "<task id>-<version>"
    name = etag.strip('"').rpartition("-")[0]
    # Header values travel as Latin-1: "¹" (0xB9) is one of its characters, and str.isdigit() says yes to it.
    for version in ("¹".encode("latin-1"), "١".encode(), b"9" * 40, "²³".encode("latin-1")):
        response = clients.secretariat.patch(f"/tasks/{task['id']}", json={"clause_ref": "Mục 3"},
                                             headers={"If-Match": b'"' + name.encode() + b"-" + version + b'"'})
        assert response.status_code == 412, (version, response.text)

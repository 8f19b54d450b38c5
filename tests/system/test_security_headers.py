"""Every answer of the process — pages, the API, its documents, /docs and /redoc, static files, refusals made before
any route (401, 413) — may not be framed by another site (X-Frame-Options and CSP frame-ancestors), and over https
tells the browser to keep to https (Strict-Transport-Security)."""

import httpx
import pytest

pytestmark = pytest.mark.real_server


@pytest.fixture
def base(server) -> str:
    return server.base_url


def answers(base: str, token: str, headers: dict | None = None) -> dict[str, httpx.Response]:
    bearer = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers or {}, timeout=30) as client:
        return {
            "/docs": client.get("/docs"),
            "/redoc": client.get("/redoc"),
            "/openapi.json": client.get("/openapi.json"),
            "/healthz": client.get("/healthz"),
            "/docs-assets/swagger-ui.css": client.get("/docs-assets/swagger-ui.css"),
            "GET /api/v1/me": client.get("/api/v1/me", headers=bearer),
            "GET /api/v1/me (no token: 401)": client.get("/api/v1/me"),
            "GET /api/v1/nope (404)": client.get("/api/v1/nope", headers=bearer),
            "POST /api/v1/tasks (too large: 413)": client.post(
                "/api/v1/tasks", headers=bearer | {"content-type": "application/json"}, content=b"[" * 1_000_001),
            "/login": client.get("/login"),
            "/nope (the site's 404 page)": client.get("/nope"),
            "/static/app.css": client.get("/static/app.css"),
            "/tasks (to the sign-in: 303)": client.get("/tasks"),
        }


def test_no_answer_may_be_framed(base, role_tokens):
    for what, response in answers(base, role_tokens["observer"]).items():
        assert response.status_code < 500, what
        assert response.headers.get("x-frame-options") == "DENY", (what, dict(response.headers))
        policy = response.headers.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in policy, (what, policy)
        assert response.headers.get("x-content-type-options") == "nosniff", what
        assert len(response.headers.get_list("content-security-policy")) == 1, what


def test_the_docs_still_work_under_their_policy(base):
    """Swagger UI and ReDoc start with inline scripts: their policy forbids framing, plugins and another base, not
    their own scripts (the pages' strict policy is theirs alone)."""
    docs = httpx.get(f"{base}/docs")
    assert docs.status_code == 200 and "SwaggerUIBundle" in docs.text
    assert "script-src" not in docs.headers["content-security-policy"]
    page = httpx.get(f"{base}/login")
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_strict_transport_security_over_https_only(base, proxied, role_tokens):
    # Behind a proxy the service trusts (ROVIEC_TRUSTED_PROXIES), the proxy says the visit came over https.
    https = answers(proxied.base_url, role_tokens["observer"], {"X-Forwarded-Proto": "https"})
    for what, response in https.items():
        assert response.headers.get("strict-transport-security") == "max-age=31536000", (what, dict(response.headers))
    # The same header from a client the service does not trust is no proof of https.
    for headers in (None, {"X-Forwarded-Proto": "https"}):
        for what, response in answers(base, role_tokens["observer"], headers).items():
            assert "strict-transport-security" not in response.headers, what

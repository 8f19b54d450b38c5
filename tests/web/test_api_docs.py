"""The API's documentation pages in a real browser: ReDoc and Swagger UI render the document from the app's own
assets, and no request leaves the machine: nothing for another host reaches the network (ReDoc's sidebar logo, linked
from cdn.redoc.ly, is refused by the page's Content-Security-Policy before it is sent; no Google Fonts link)."""

import time

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.real_server


@pytest.mark.one_backend  # the same pages and assets on either database
@pytest.mark.parametrize(("address", "rendered"), [
    ("/redoc", "h1:has-text('Rõ Việc')"),
    ("/docs", ".swagger-ui .title:has-text('Rõ Việc')"),
])
def test_api_docs_render_and_fetch_nothing_from_outside(page, base, address, rendered):
    sent_outside, requested = [], []
    page.on("request", lambda request: requested.append(request.url))
    # Whatever the browser would send to another host: recorded, and never let out.
    page.route(lambda url: not url.startswith(base), lambda route: (sent_outside.append(route.request.url),
                                                                    route.abort()))
    page.goto(base + address)
    # ReDoc lays out the whole document (every schema, every webhook) before it shows anything.
    expect(page.locator(rendered).first).to_be_visible(timeout=90_000)
    if address == "/redoc":
        expect(page.get_by_text("task.created").first).to_be_attached()
    page.wait_for_load_state("networkidle")
    time.sleep(0.5)  # an image the page adds after it settles (ReDoc's logo is added once it has rendered)
    assert sent_outside == []
    assert any(url.endswith("/openapi.json") for url in requested)

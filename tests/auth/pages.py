"""A person at the pages over plain HTTP (no browser): sign-in with the form's token, and forms posted with the page's
CSRF token, as a browser sends them. For the tests that need many people at once or headers a browser will not send."""

import re

import httpx

LOGIN_TOKEN = re.compile(r'name="login_token" value="([^"]+)"')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def try_sign_in(client: httpx.Client, username: str, password: str, *, address: str | None = None,
                remember: bool = False) -> httpx.Response:
    """One sign-in attempt; `address`: the X-Forwarded-For a proxy would add (counts only from a trusted proxy)."""
    token = LOGIN_TOKEN.search(client.get("/login").text).group(1)
    headers = {"X-Forwarded-For": address} if address else {}
    data = {"username": username, "password": password, "login_token": token} | ({"remember": "1"} if remember
                                                                               else {})
    return client.post("/login", data=data, headers=headers)


async def try_sign_in_async(client: httpx.AsyncClient, username: str, password: str, *,
                            address: str | None = None) -> httpx.Response:
    token = LOGIN_TOKEN.search((await client.get("/login")).text).group(1)
    headers = {"X-Forwarded-For": address} if address else {}
    return await client.post("/login", data={"username": username, "password": password, "login_token": token},
                             headers=headers)


def signed_in(base_url: str, username: str, password: str, *, address: str | None = None) -> httpx.Client:
    client = httpx.Client(base_url=base_url, timeout=30)
    response = try_sign_in(client, username, password, address=address)
    assert response.status_code == 303, response.text[-500:]
    return client


def post_form(client: httpx.Client, page: str, action: str, data: dict | None = None) -> httpx.Response:
    """Posts `data` to `action` with the CSRF token of `page`, as that page's form would."""
    csrf = CSRF.search(client.get(page).text).group(1)
    return client.post(action, data={"csrf_token": csrf, **(data or {})})

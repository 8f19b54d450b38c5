"""Helpers the webhook and alert tests share."""

import uuid

from standardwebhooks import Webhook

from tests.paging import every_item


def subscribe(clients, receiver, directive, *replies, client=None, **fields) -> dict:
    path = f"/hook/{uuid.uuid4().hex[:10]}"
    url = receiver.script(path, *replies)
    body = {"url": url, "directive_ids": [directive["id"]], "description": "Tổ giúp việc tỉnh"} | fields
    response = (client or clients.secretariat).post("/webhooks", json=body)
    assert response.status_code == 201, response.text
    return response.json() | {"path": path}


def messages(clients, hook, client=None, **params) -> list[dict]:
    response = (client or clients.secretariat).get(f"/webhooks/{hook['id']}/messages", params=params)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def attempts(clients, message_id) -> list[dict]:
    return every_item(clients.secretariat, f"/messages/{message_id}/attempts")


def verified(hook, received) -> dict:
    """What the official Standard Webhooks library makes of a request we sent."""
    return Webhook(hook["secret"]).verify(received.body, received.headers)

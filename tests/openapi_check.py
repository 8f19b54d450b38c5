"""Collects the API responses and the webhook bodies the suite sees and checks them against the OpenAPI document:
statuses, JSON bodies by schema, the headers the document declares (ETag, Location, Idempotent-Replayed), and each
webhook body by its type's schema in the `webhooks` section."""

import json
import re
from collections import defaultdict
from functools import lru_cache

import httpx
from jsonschema import Draft202012Validator

_seen: dict[tuple[str, str, int], list[httpx.Response]] = defaultdict(list)
_KEEP = 3  # bodies checked per (operation, status)
_webhook_bodies: list[bytes] = []
_DECLARED_HEADERS = ("etag", "location", "idempotent-replayed")


@lru_cache(maxsize=1)
def _document() -> dict:
    from app.main import create_app

    return create_app().openapi()


@lru_cache(maxsize=1)
def _templates() -> list[tuple[re.Pattern, str]]:
    paths = list(_document()["paths"])
    # Literal paths first: /extension-requests before /extension-requests/{request_id}.
    paths.sort(key=lambda p: (p.count("{"), -len(p)))
    return [(re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", p) + "$"), p) for p in paths]


def _template(path: str) -> str | None:
    return next((template for pattern, template in _templates() if pattern.match(path)), None)


def seen(response: httpx.Response) -> None:
    request = response.request
    key = (request.method.lower(), request.url.path, response.status_code)
    if len(_seen[key]) < _KEEP:
        _seen[key].append(response)


def read_and_see(response: httpx.Response) -> None:
    response.read()
    seen(response)


def webhooks_received(bodies: list[bytes]) -> None:
    """The bodies the suite's webhook receiver got (tests/receiver.py), checked at the end with the responses."""
    _webhook_bodies.extend(bodies)


def _header_problems(document: dict, method: str, template: str, status: int, entry: dict,
                     response: httpx.Response) -> list[str]:
    declared = {name.lower() for name in entry.get("headers", {})}
    found = [f"{method.upper()} {template} {status}: sends {name} but does not declare it"
             for name in _DECLARED_HEADERS if name in response.headers and name not in declared]
    if status == 201:
        location = response.headers.get("location", "")
        target = _template(location)
        if target is None or "get" not in document["paths"][target]:
            found.append(f"{method.upper()} {template} 201: Location {location!r} is no address one can GET")
    return found


def _webhook_problems(document: dict) -> list[str]:
    found = []
    for body in _webhook_bodies:
        payload = json.loads(body)
        operation = document.get("webhooks", {}).get(str(payload.get("type")), {}).get("post")
        if operation is None:
            found.append(f"webhook {payload.get('type')!r}: no such event in the document's webhooks")
            continue
        schema = operation["requestBody"]["content"]["application/json"]["schema"]
        error = next(iter(Draft202012Validator({**schema, "components": document["components"]})
                          .iter_errors(payload)), None)
        if error is not None:
            found.append(f"webhook {payload['type']}: {error.message[:200]} at "
                         f"{'/'.join(map(str, error.absolute_path))}")
    return found


def problems() -> list[str]:
    document, found = _document(), _webhook_problems(_document())
    for (method, path, status), responses in _seen.items():
        template = _template(path)
        if template is None or method not in document["paths"][template]:
            continue  # no such operation: a 404 or 405 the router answers for any path
        described = document["paths"][template][method]["responses"]
        entry = described.get(str(status)) or described.get("default")
        if entry is None:
            found.append(f"{method.upper()} {template}: {status} is not documented")
            continue
        for response in responses:
            found += _header_problems(document, method, template, status, entry, response)
        schema = (entry.get("content") or {}).get("application/json", {}).get("schema")
        if schema is None:
            continue
        validator = Draft202012Validator({**schema, "components": document["components"]})
        for response in responses:
            if "json" not in response.headers.get("content-type", ""):
                continue
            error = next(iter(validator.iter_errors(response.json())), None)
            if error is not None:
                found.append(f"{method.upper()} {template} {status}: {error.message[:200]} at "
                             f"{'/'.join(map(str, error.absolute_path))}")
                break
    return sorted(set(found))

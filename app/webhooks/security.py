"""Standard Webhooks signing, and the refusal of target URLs that would reach inside our own network (SSRF)."""

import asyncio
import base64
import hashlib
import hmac
import ipaddress
import secrets
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from app import messages
from app.config import Settings

SECRET_PREFIX = "whsec_"

# Ranges Python does not count as non-global on every version, named so a refusal can say which one matched.
_EXTRA_BLOCKED = [ipaddress.ip_network(n) for n in ("100.64.0.0/10", "192.0.0.0/24", "198.18.0.0/15",
                                                    "224.0.0.0/4", "240.0.0.0/4", "ff00::/8")]
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """`v1,` + base64 HMAC-SHA256 of `id.timestamp.body`, keyed with the base64-decoded secret."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    digest = hmac.new(key, f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(secrets_in_use: list[str], message_id: str, timestamp: int, body: bytes) -> str:
    """One signature per secret in use (two while a rotated secret is still honoured), space-separated."""
    return " ".join(sign(secret, message_id, timestamp, body) for secret in secrets_in_use)


class UnsafeUrl(ValueError):
    """`reason`: the key of its wording in messages.REFUSALS."""

    def __init__(self, reason: str, **values):
        self.message, self.message_vi = messages.refusal(reason, **values)
        super().__init__(self.message)


@dataclass(frozen=True)
class Target:
    """A checked URL and the address to connect to: the request goes to that address, so a DNS answer that
    changes between the check and the connection (DNS rebinding) cannot redirect it."""

    url: str
    host: str
    port: int
    address: str


def _embedded(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries and would reach: IPv4-mapped, 6to4 (2002::/16), Teredo
    (2001::/32: its server and its client) and NAT64 (64:ff9b::/96)."""
    if address.ipv4_mapped is not None:
        return [address.ipv4_mapped]
    if address.sixtofour is not None:
        return [address.sixtofour]
    if address.teredo is not None:
        return list(address.teredo)
    if address in _NAT64:
        return [ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)]
    return []


def _blocked_reason(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> tuple[str, str] | None:
    """Why a webhook may not reach `address`, in English and Vietnamese (None: it may)."""
    if isinstance(address, ipaddress.IPv6Address) and (inner := _embedded(address)):
        # Judged by what it embeds: 2002:7f00:1::/48 reaches 127.0.0.1, 64:ff9b::808:808 reaches 8.8.8.8.
        for ip in inner:
            if (reason := _blocked_reason(ip)) is not None:
                return f"{reason[0]} (embedded {ip})", f"{reason[1]} {ip} nhúng trong địa chỉ này"
        return None
    for name in ("loopback", "link_local", "private", "multicast", "reserved", "unspecified"):
        if getattr(address, f"is_{name}"):
            kind = name.replace("_", "-")
            return kind, messages.UNSAFE_ADDRESS_VI[kind]
    for network in _EXTRA_BLOCKED:
        if address.version == network.version and address in network:
            return f"reserved range {network}", f"{messages.UNSAFE_ADDRESS_VI['reserved range']} {network}"
    if not address.is_global:
        return "non-global", messages.UNSAFE_ADDRESS_VI["non-global"]
    return None


def check_address(address: str, settings: Settings) -> None:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if any(ip.version == network.version and ip in network for network in settings.allowed_networks):
        return
    reason = _blocked_reason(ip)
    if reason is not None:
        raise UnsafeUrl("url_internal", ip=ip, reason_en=reason[0], reason_vi=reason[1])


def check_url_form(url: str, settings: Settings) -> tuple[str, str, int]:
    """The checks that need no DNS: scheme, host, port. Returns (scheme, host, port)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeUrl("url_invalid") from exc
    scheme = parts.scheme.lower()
    allowed = ("https", "http") if settings.webhook_allow_http else ("https",)
    if scheme not in allowed:
        raise UnsafeUrl("url_not_https")
    if not parts.hostname:
        raise UnsafeUrl("url_no_host")
    if parts.username or parts.password:
        raise UnsafeUrl("url_credentials")
    try:  # the name the HTTP client will connect to: punycode for a Vietnamese domain name
        host = httpx.URL(url).raw_host.decode("ascii")
    except (httpx.InvalidURL, UnicodeError) as exc:
        raise UnsafeUrl("url_invalid") from exc
    return scheme, host, port or (443 if scheme == "https" else 80)


def _pick(host: str, port: int, infos: list, settings: Settings, url: str) -> Target:
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise UnsafeUrl("url_unresolved", host=host)
    for address in addresses:  # every address must be safe: the client could be steered to any of them
        check_address(address, settings)
    return Target(url=url, host=host, port=port, address=addresses[0])


def resolve(url: str, settings: Settings) -> Target:
    _, host, port = check_url_form(url, settings)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:  # UnicodeError: a label empty or over 63 characters
        raise UnsafeUrl("url_unresolved", host=host) from exc
    return _pick(host, port, infos, settings, url)


async def resolve_async(url: str, settings: Settings) -> Target:
    _, host, port = check_url_form(url, settings)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:  # UnicodeError: a label empty or over 63 characters
        raise UnsafeUrl("url_unresolved", host=host) from exc
    return _pick(host, port, infos, settings, url)

"""Which URLs a tool may open for the user: public http(s) pages only.

A job assistant that opens any URL it is given could be steered (by a prompt-injected posting, say)
into reading the user's router page or a cloud metadata endpoint. So a URL must be http(s), and
every address its host resolves to must be public: loopback, private, link-local, multicast,
reserved and unspecified addresses are refused, including IPv4 hidden in IPv6 forms. Hosts listed
in JOBSEARCH_ALLOW_PRIVATE_URLS (names, addresses or networks such as 10.0.0.0/8) are let through,
e.g. a local mirror of a board.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import anyio

from ..errors import JobsearchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeURLError(JobsearchError):
    """The URL is not a public http(s) address; the message says why and how to allow it."""


def _embedded_ipv4(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 address carries (mapped ::ffff:a.b.c.d, 6to4, NAT64), or the address itself."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return address.ipv4_mapped
        if address.sixtofour:
            return address.sixtofour
        if address in ipaddress.IPv6Network("64:ff9b::/96"):
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def why_not_public(address: IPAddress) -> str | None:
    """The kind of non-public address this is, or None when it is a public one."""
    address = _embedded_ipv4(address)
    checks = (
        ("loopback", address.is_loopback),
        ("unspecified", address.is_unspecified),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
        ("non-global", not address.is_global),
    )
    return next((kind for kind, hit in checks if hit), None)


def _allowed(host: str, port: int | None, addresses: list[IPAddress], allow: list[str]) -> bool:
    for entry in allow:
        entry = entry.strip().lower()
        if entry in (host, f"{host}:{port}"):
            return True
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            continue
        if addresses and all(address in network for address in addresses):
            return True
    return False


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (an IP literal resolves to itself)."""
    try:
        infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise UnsafeURLError(f"cannot resolve the host {host!r}: {exc.strerror or exc}") from None
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos))


async def check_public_url(url: str, allow: list[str] | None = None) -> str:
    """`url` when it is an http(s) URL whose host resolves only to public addresses; else `UnsafeURLError`."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        shown = f"{parts.scheme}:" if parts.scheme else "no scheme"
        raise UnsafeURLError(f"only http:// and https:// job pages can be opened, not {shown} ({url[:80]!r})")
    try:
        host, port = (parts.hostname or "").lower(), parts.port
    except ValueError:
        raise UnsafeURLError(f"the URL {url[:80]!r} has an invalid port") from None
    if not host:
        raise UnsafeURLError(f"the URL {url[:80]!r} has no host")
    addresses = await resolve(host, port or (443 if parts.scheme.lower() == "https" else 80))
    if _allowed(host, port, addresses, allow or []):
        return url
    for address in addresses:
        kind = why_not_public(address)
        if kind:
            raise UnsafeURLError(
                f"refusing to open {host}: it resolves to the {kind} address {address}. Only public job pages "
                "can be opened; to allow a local mirror, add the host to JOBSEARCH_ALLOW_PRIVATE_URLS"
            )
    return url

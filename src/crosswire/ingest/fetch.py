"""The only network code: fetch one URL safely.

Timeouts, a body-size cap, a redirect limit, a clear User-Agent, and refusal of private,
loopback, link-local and other non-public addresses — checked for every hop of a redirect
chain after DNS resolution. The transport and the resolver are injectable, so tests run offline.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from crosswire.errors import BlockedAddress, FetchError, TooLarge
from crosswire.settings import Settings

Resolver = Callable[[str], list[str]]
REDIRECT_CODES = (301, 302, 303, 307, 308)


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched response body with the URL it finally came from."""

    url: str  # as asked
    final_url: str  # after redirects
    content: bytes
    content_type: str


def resolve_host(host: str) -> list[str]:
    """All addresses the system resolver gives for ``host``."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve host {host!r} ({exc.strerror})") from exc
    return sorted({info[4][0] for info in infos})


def check_public(url: str, resolve: Resolver = resolve_host) -> list[str]:
    """The public addresses of ``url``'s host; BlockedAddress if any of them is not public."""
    host = urlsplit(url).hostname or ""
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        addresses = resolve(host)
    if not addresses:
        raise FetchError(f"cannot resolve host {host!r} (no addresses)")
    for text in addresses:
        ip = ipaddress.ip_address(text.split("%")[0])
        if not all(candidate.is_global for candidate in _embedded(ip)):
            raise BlockedAddress(
                f"refusing to fetch {url}: {host} is {ip}, a private, loopback or link-local address "
                "(pass --allow-private to allow it)"
            )
    return addresses


NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def _embedded(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The address plus any IPv4 address it carries (mapped, 6to4, NAT64, IPv4-compatible)."""
    found: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            found.append(ip.ipv4_mapped)
        if ip.sixtofour:
            found.append(ip.sixtofour)
        if ip in NAT64 or (ip in IPV4_COMPATIBLE and int(ip) > 1):
            found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


def fetch_url(
    url: str,
    settings: Settings,
    transport: httpx.BaseTransport | None = None,
    resolve: Resolver = resolve_host,
) -> Fetched:
    """GET ``url`` following at most ``settings.fetch_max_redirects`` redirects, each hop checked."""
    headers = {"User-Agent": settings.user_agent, "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5"}
    with httpx.Client(transport=transport, timeout=settings.fetch_timeout_s, headers=headers) as client:
        current = url
        for _ in range(settings.fetch_max_redirects + 1):
            _check_scheme(current)
            pinned = None if settings.allow_private else check_public(current, resolve)[0]
            status, location, content_type, body = _get(client, current, settings.fetch_max_bytes, pinned)
            if status in REDIRECT_CODES:
                if not location:
                    raise FetchError(f"{current} answered HTTP {status} without a Location")
                current = urljoin(current, location)
                continue
            if status >= 400:
                raise FetchError(f"{current} answered HTTP {status}")
            return Fetched(url, current, body, content_type)
    raise FetchError(f"{url}: more than {settings.fetch_max_redirects} redirects")


def _get(client: httpx.Client, url: str, max_bytes: int, pinned: str | None) -> tuple[int, str | None, str, bytes]:
    """One GET without following redirects; the body is read up to ``max_bytes``.

    ``pinned``: connect to this already-checked address (Host header and TLS name stay the URL's),
    so a second DNS answer cannot point the request somewhere private (DNS rebinding).
    """
    target, headers, extensions = _pin(url, pinned)
    try:
        with client.stream("GET", target, headers=headers, extensions=extensions) as response:
            body = bytearray()
            if response.status_code not in REDIRECT_CODES:
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > max_bytes:
                        raise TooLarge(f"{url}: response is over the {max_bytes} byte limit")
            return (
                response.status_code,
                response.headers.get("location"),
                response.headers.get("content-type", ""),
                bytes(body),
            )
    except httpx.TimeoutException as exc:
        raise FetchError(f"{url}: timed out ({type(exc).__name__})") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: unreachable ({exc})") from exc


def _pin(url: str, address: str | None) -> tuple[str, dict[str, str], dict[str, str]]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not address or address == host:
        return url, {}, {}
    literal = f"[{address}]" if ":" in address else address
    netloc = literal + (f":{parts.port}" if parts.port else "")
    host_header = host if not parts.port else f"{host}:{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc)), {"Host": host_header}, {"sni_hostname": host}


def _check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"{url}: only http and https URLs are fetched, not {scheme or 'a bare path'}")

"""The only network code: fetch one URL safely.

A total deadline per fetch (a watchdog shuts the socket, so a server dripping a byte at a time cannot hold it),
per-read timeouts, a body-size cap, a redirect limit, a clear User-Agent, and refusal of private,
loopback, link-local and other non-public addresses — checked for every hop of a redirect
chain after DNS resolution. The transport and the resolver are injectable, so tests run offline.
"""

from __future__ import annotations

import email.utils
import functools
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from crosswire.errors import BlockedAddress, FetchError, HttpStatusError, TooLarge
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
    status: int = 200  # 304: not modified since the validators sent (content is empty)
    etag: str | None = None
    last_modified: str | None = None


def resolve_host(host: str) -> list[str]:
    """All addresses the system resolver gives for ``host``."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve host {host!r} ({exc.strerror})") from exc
    return sorted({str(info[4][0]) for info in infos})  # an IP sockaddr: its first item is the address text


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


class Deadline:
    """A total time limit for one fetch, redirects included.

    Per-read timeouts cannot stop a server that sends two bytes every few seconds; at the deadline a watchdog
    shuts down every socket the fetch opened (found through httpcore's ``trace`` extension), which ends the read.
    """

    def __init__(self, url: str, seconds: float) -> None:
        self.url, self.seconds = url, seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace hook: remember each new connection's socket."""
        if event.endswith("connect_tcp.complete") and info.get("return_value") is not None:
            sock = info["return_value"].get_extra_info("socket")
            with self._lock:
                if sock is not None:
                    self._sockets.append(sock)
            if self.expired:
                self._expire()

    def remaining(self) -> float:
        """Seconds left (never below a small positive value: httpx reads 0 as no timeout)."""
        return max(0.01, self.end - time.monotonic())

    def check(self) -> None:
        """FetchError once the deadline has passed."""
        if self.expired or time.monotonic() > self.end:
            raise self.error()

    def error(self) -> FetchError:
        """The message for a fetch that ran out of time."""
        return FetchError(f"{self.url}: gave up after the {self.seconds:g} s limit for one fetch (a slow or stalling server); "
                          "raise fetch_deadline_s to wait longer")

    def cancel(self) -> None:
        """Stop the watchdog (the fetch is over)."""
        self._timer.cancel()

    def _expire(self) -> None:
        self.expired = True
        with self._lock:
            for sock in self._sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:  # already closed
                    pass


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The certificate-verifying TLS settings every fetch uses, built once per process: loading the CA bundle takes
    70 ms, three quarters of a loopback fetch (bench/watch.py), and the settings never change."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def fetch_url(
    url: str,
    settings: Settings,
    transport: httpx.BaseTransport | None = None,
    resolve: Resolver = resolve_host,
    validators: dict[str, str] | None = None,
) -> Fetched:
    """GET ``url`` following at most ``settings.fetch_max_redirects`` redirects, each hop checked, all within
    ``settings.fetch_deadline_s``. ``validators`` (If-None-Match, If-Modified-Since) make it a conditional GET:
    a 304 answer comes back as ``status=304`` with no content. A 4xx/5xx raises HttpStatusError."""
    headers = {"User-Agent": settings.user_agent, "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5"}
    deadline = Deadline(url, settings.fetch_deadline_s)
    try:
        with httpx.Client(transport=transport, timeout=settings.fetch_timeout_s, headers=headers | (validators or {}),
                          verify=tls_context()) as client:
            return _follow(client, url, settings, resolve, deadline)
    finally:
        deadline.cancel()


def post_json(url: str, body: bytes, headers: dict[str, str], settings: Settings,
              transport: httpx.BaseTransport | None = None, resolve: Resolver = resolve_host) -> int:
    """POST a JSON body to ``url`` (a webhook) with the same address checks, limits and deadline as a fetch; no
    redirect is followed (a webhook that moves must be reconfigured). Returns the status; 4xx/5xx raise
    HttpStatusError."""
    _check_scheme(url)
    pinned = None if settings.allow_private else check_public(url, resolve)[0]
    target, host_headers, extensions = _pin(url, pinned)
    deadline = Deadline(url, settings.fetch_deadline_s)
    sent = {"User-Agent": settings.user_agent, "Content-Type": "application/json"} | headers | host_headers
    try:
        with httpx.Client(transport=transport, timeout=settings.fetch_timeout_s, verify=tls_context()) as client:
            with client.stream("POST", target, content=body, headers=sent, extensions=extensions | {"trace": deadline.trace}) as response:
                pass  # the answer's body is never read: only its status counts
    except httpx.HTTPError as exc:
        raise (deadline.error() if deadline.expired else FetchError(f"{url}: unreachable ({exc})")) from exc
    finally:
        deadline.cancel()
    if response.status_code >= 300:
        raise HttpStatusError(f"{url} answered HTTP {response.status_code}", response.status_code,
                              retry_after(response.headers.get("retry-after")))
    return response.status_code


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (a number of seconds or an HTTP date); None if absent or unreadable."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _follow(client: httpx.Client, url: str, settings: Settings, resolve: Resolver, deadline: Deadline) -> Fetched:
    current = url
    for _ in range(settings.fetch_max_redirects + 1):
        _check_scheme(current)
        pinned = None if settings.allow_private else check_public(current, resolve)[0]
        status, location, content_type, body, headers = _get(client, current, settings, pinned, deadline)
        if status in REDIRECT_CODES:
            if not location:
                raise FetchError(f"{current} answered HTTP {status} without a Location")
            current = urljoin(current, location)
            continue
        if status >= 400:
            raise HttpStatusError(f"{current} answered HTTP {status}", status, retry_after(headers.get("retry-after")))
        return Fetched(url, current, body, content_type, status, headers.get("etag"), headers.get("last-modified"))
    raise FetchError(f"{url}: more than {settings.fetch_max_redirects} redirects")


def _get(client: httpx.Client, url: str, settings: Settings, pinned: str | None, deadline: Deadline,
         ) -> tuple[int, str | None, str, bytes, httpx.Headers]:
    """One GET without following redirects; the body is read up to ``settings.fetch_max_bytes``, before the deadline.

    ``pinned``: connect to this already-checked address (Host header and TLS name stay the URL's),
    so a second DNS answer cannot point the request somewhere private (DNS rebinding).
    """
    max_bytes = settings.fetch_max_bytes
    target, headers, extensions = _pin(url, pinned)
    deadline.check()
    timeout = min(settings.fetch_timeout_s, deadline.remaining())
    extensions = extensions | {"trace": deadline.trace}
    try:
        with client.stream("GET", target, headers=headers, extensions=extensions, timeout=timeout) as response:
            body = bytearray()
            if response.status_code not in (*REDIRECT_CODES, 304):
                for chunk in response.iter_bytes():
                    body += chunk
                    deadline.check()
                    if len(body) > max_bytes:
                        raise TooLarge(f"{url}: response is over the {max_bytes} byte limit")
            deadline.check()
            return (
                response.status_code,
                response.headers.get("location"),
                response.headers.get("content-type", ""),
                bytes(body),
                response.headers,
            )
    except httpx.TimeoutException as exc:
        if deadline.expired or time.monotonic() > deadline.end:
            raise deadline.error() from exc
        raise FetchError(f"{url}: timed out ({type(exc).__name__})") from exc
    except httpx.HTTPError as exc:
        if deadline.expired:
            raise deadline.error() from exc
        raise FetchError(f"{url}: unreachable ({exc})") from exc


def _pin(url: str, address: str | None) -> tuple[str, dict[str, str], dict[str, Any]]:
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

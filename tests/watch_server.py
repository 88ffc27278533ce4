"""A loopback HTTP server for the watch tests: pages and feeds the test changes between fetches, ETag and
Last-Modified validators answered with 304, any status (429 with Retry-After, 500) on demand, every request
logged. Bound to 127.0.0.1 on a free port, threaded, stopped by the fixture that started it."""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LAST_MODIFIED = "Sat, 02 May 2026 10:00:00 GMT"


@dataclass
class Route:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    validators: bool = True  # send ETag/Last-Modified and answer 304 to a matching conditional GET


@dataclass
class Site:
    """What the server serves (path → Route) and what it was asked."""

    routes: dict[str, Route] = field(default_factory=dict)
    # method, path, headers, body of the latest requests (bounded: a soak makes hundreds of thousands)
    log: deque[tuple[str, str, dict[str, str], bytes]] = field(default_factory=lambda: deque(maxlen=10_000))
    base: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def set(self, path: str, body: str | bytes, content_type: str = "text/html; charset=utf-8", **kw: object) -> str:
        data = body.encode() if isinstance(body, str) else body
        with self.lock:
            self.routes[path] = Route(data, content_type, **kw)  # type: ignore[arg-type]
        return self.base + path

    def requests(self, path: str, method: str = "GET") -> list[dict[str, str]]:
        with self.lock:
            return [h for m, p, h, _ in self.log if p == path and m == method]


class Handler(BaseHTTPRequestHandler):
    site: Site

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(b"")

    def do_POST(self) -> None:  # noqa: N802
        self._answer(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    def _answer(self, body: bytes) -> None:
        site = self.site
        with site.lock:
            site.log.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            route = site.routes.get(self.path)
        if route is None:
            return self._send(404, b"not found", "text/plain", {})
        headers = dict(route.headers)
        if route.validators and route.status == 200:
            etag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
            headers |= {"ETag": etag, "Last-Modified": LAST_MODIFIED}
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", route.content_type, headers)
        self._send(route.status, route.body, route.content_type, headers)

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        if status != 304:
            self.wfile.write(body)


@contextmanager
def serve() -> Iterator[Site]:
    """Run a loopback server until the block ends."""
    site = Site()
    handler = type("H", (Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class FakeClock:
    """Time that moves only when told to or when the watcher sleeps; every sleep recorded."""

    def __init__(self, start: float = 1_777_716_000.0) -> None:  # 2026-05-02 10:00 UTC
        self.now = start
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)

    def advance(self, seconds: float) -> None:
        self.now += seconds

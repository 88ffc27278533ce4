"""A page cache keyed by the store's generation: a read page is rendered once per change of the store.

Every write transaction raises the store's generation (``Store.generation()``), so a cached answer is current while
the generation is unchanged — one indexed read instead of the page's queries and template. Only successful GET/HEAD
answers of read routes are kept (bounded, least recently used first out); each carries an ETag of the generation
and the URL, and a request whose ``If-None-Match`` names it gets 304 without a body.
"""

from __future__ import annotations

import zlib
from collections import OrderedDict
from collections.abc import Callable

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CACHE_ENTRIES = 512  # pages kept: the story list's pages, the stories and articles people are reading
CACHE_MAX_BODY_BYTES = 2 * 1024 * 1024  # a bigger answer (a full export) is never kept
CACHED_PREFIXES = ("/stories", "/articles", "/entities", "/search", "/speakers", "/feed.atom", "/api/")
UNCACHED_PREFIXES = ("/api/export", "/static")  # the export streams the whole store; static files have their own
Key = tuple[str, str, bytes, int]  # path, query, Accept, store generation


class PageCache:
    """ASGI middleware: answers GET/HEAD of read routes from memory while the store's generation is unchanged."""

    def __init__(self, app: ASGIApp, generation: Callable[[], int], entries: int = CACHE_ENTRIES) -> None:
        self.app, self.generation, self.entries = app, generation, entries
        self._pages: OrderedDict[Key, tuple[int, list[tuple[bytes, bytes]], bytes]] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _cacheable(scope):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        generation = await anyio.to_thread.run_sync(self.generation)
        key: Key = (scope["path"], scope.get("query_string", b"").decode("latin-1"), headers.get(b"accept", b""), generation)
        etag = f'W/"g{generation}-{zlib.crc32(repr(key[:3]).encode()):08x}"'.encode()
        wanted = {t.strip() for t in headers.get(b"if-none-match", b"").split(b",") if t.strip()}
        if etag in wanted:
            await _not_modified(send, [(b"etag", etag)])
            return
        hit = self._pages.get(key)
        if hit is None:
            await self._render(scope, receive, send, key, etag)
            return
        self._pages.move_to_end(key)
        tags = [v for k, v in hit[1] if k.lower() == b"etag"]
        if wanted & set(tags):  # the route's own tag (it sets one): the client holds this very page
            await _not_modified(send, [(b"etag", tags[0])])
            return
        await _replay(hit, send, scope["method"] == "HEAD")

    async def _render(self, scope: Scope, receive: Receive, send: Send, key: Key, etag: bytes) -> None:
        start: Message = {}
        body = bytearray()
        keep = True

        async def capture(message: Message) -> None:
            nonlocal keep, start
            if message["type"] == "http.response.start":
                keep = message["status"] == 200
                message.setdefault("headers", [])
                if keep and not any(k.lower() == b"etag" for k, _v in message["headers"]):  # a route's own tag wins
                    message["headers"] = [*message["headers"], (b"etag", etag)]
                start = message
            elif message["type"] == "http.response.body" and keep:
                body.extend(message.get("body", b""))
                keep = len(body) <= CACHE_MAX_BODY_BYTES
            await send(message)

        await self.app(scope, receive, capture)
        if keep and start and scope["method"] == "GET":
            self._pages[key] = (start["status"], list(start["headers"]), bytes(body))
            while len(self._pages) > self.entries:
                self._pages.popitem(last=False)


def _cacheable(scope: Scope) -> bool:
    if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
        return False
    if any(k == b"if-modified-since" for k, _v in scope["headers"]):  # the route answers dates (Last-Modified) itself
        return False
    path = scope["path"]
    if any(path.startswith(p) for p in UNCACHED_PREFIXES) or any(k == b"authorization" for k, _v in scope["headers"]):
        return False
    return path == "/" or any(path.startswith(p) for p in CACHED_PREFIXES)


async def _not_modified(send: Send, headers: list[tuple[bytes, bytes]]) -> None:
    await send({"type": "http.response.start", "status": 304, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


async def _replay(page: tuple[int, list[tuple[bytes, bytes]], bytes], send: Send, head: bool) -> None:
    status, headers, body = page
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else body})

"""Conditional GETs: an ETag (and, where known, Last-Modified) on the API's reads and the Atom feed, and 304 Not
Modified when the client already holds that representation (If-None-Match, else If-Modified-Since; RFC 9110 §13).

The ETag is a hash of the body, so it changes exactly when the answer does; the answer is still computed (a store
keeps no per-query version), but a poller of the feed or a story gets headers instead of the page again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from fastapi.routing import APIRoute

# Clients may keep a read but must ask again before using it: the store changes whenever articles are added.
CACHE_CONTROL = "no-cache"


def etag_of(body: bytes) -> str:
    """A strong validator of a body: its sha256, shortened (2^-128 odds of two bodies sharing one)."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def conditional(request: Request, response: Response, last_modified: datetime | None = None) -> Response:
    """The response with its validators; a 304 without a body when the request's validators still match."""
    body = getattr(response, "body", None)
    if request.method not in ("GET", "HEAD") or response.status_code != 200 or not isinstance(body, bytes):
        return response  # errors, writes and streams are never cached
    tag = etag_of(body)
    if last_modified is not None and last_modified.tzinfo is None:
        last_modified = last_modified.replace(tzinfo=UTC)  # the store writes UTC times
    headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL}
    if last_modified is not None:
        headers["Last-Modified"] = format_datetime(last_modified.astimezone(UTC).replace(microsecond=0), usegmt=True)
    if _not_modified(request, tag, last_modified):
        kept = {k: v for k, v in response.headers.items() if k.lower() in ("content-security-policy", "vary")}
        return Response(status_code=304, headers=kept | headers)
    response.headers.update(headers)
    return response


def _not_modified(request: Request, tag: str, last_modified: datetime | None) -> bool:
    match = request.headers.get("if-none-match")
    if match is not None:  # when both are sent, If-None-Match decides (RFC 9110 §13.1.3)
        return match.strip() == "*" or tag in {t.strip().removeprefix("W/") for t in match.split(",")}
    since = request.headers.get("if-modified-since")
    if since is None or last_modified is None:
        return False
    try:
        return last_modified.replace(microsecond=0) <= parsedate_to_datetime(since).astimezone(UTC)
    except (TypeError, ValueError):  # an unparsable date is ignored, as the RFC says
        return False


def store_changed(request: Request) -> datetime | None:
    """When the SQLite store was last written (its file or write-ahead log); None for PostgreSQL."""
    path: Path | None = request.app.state.settings.sqlite_path
    if path is None:
        return None
    if not path.exists():
        return None
    times = [path.stat().st_mtime]
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size:  # an empty log is one a connection just opened: no data changed
        times.append(wal.stat().st_mtime)
    return datetime.fromtimestamp(max(times), UTC)


class ConditionalRoute(APIRoute):
    """A route whose successful GET answers carry ETag and Last-Modified (the store's) and honour If-None-Match."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if not self.methods or "GET" not in self.methods:  # APIRoute always sets methods; typed optional
            return handler

        async def conditional_handler(request: Request) -> Response:
            return conditional(request, await handler(request), store_changed(request))

        return conditional_handler

"""The web application: one FastAPI app serving the HTTP API (/api, /openapi.json), the HTML pages and
the Atom feed from one store. All logic lives in the use-cases (``crosswire.app``); this shell translates.

Errors are JSON ``{"error": {"code", "message"}}`` under /api and a small HTML page elsewhere — every error,
an unexpected one (500) and a busy store (503) included. Requests whose Host is not an allowed name are refused
before anything else runs (DNS rebinding), and every response carries the security headers.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from importlib.resources import files
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import OperationalError
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crosswire import __version__
from crosswire import app as cases
from crosswire.errors import CrosswireError, NotFound, StoreBusy
from crosswire.ingest.fetch import fetch_url
from crosswire.ingest.sources import Fetcher
from crosswire.settings import Settings
from crosswire.web import api, pages, views, watch_views
from crosswire.web.cache import PageCache
from crosswire.web.comparison_page import word_diff
from crosswire.web.entity_urls import entity_path
from crosswire.web.text import bdi, isolate

MULTIPART_OVERHEAD_BYTES = 64 * 1024  # room for multipart boundaries and headers around one max-size file
STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
                409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "invalid", 500: "internal_error",
                503: "busy"}  # fmt: skip


def create_app(settings: Settings, fetch: Fetcher = fetch_url) -> FastAPI:
    """The app over the store named by ``settings``; ``fetch`` is the network seam for URL ingest."""
    app = FastAPI(
        title="crosswire", version=__version__, docs_url=None, redoc_url=None,  # their pages load scripts from a CDN
        description="Articles grouped into stories, how each was found, who said what, how outlets differ, and the corrections made. "
        "POST routes need `Authorization: Bearer <CROSSWIRE_API_TOKEN>`.",
        openapi_tags=api.TAGS,
    )  # fmt: skip
    app.state.settings = settings
    app.state.store = cases.open_store(settings)
    app.state.fetch = fetch
    app.state.write_lock = threading.Lock()  # one writer at a time: grouping keeps an index between batches
    loader = jinja2.FileSystemLoader(str(files("crosswire.web").joinpath("templates")))
    env = jinja2.Environment(loader=loader, autoescape=True)  # article text is untrusted
    env.globals["url_for"] = _path_for  # set first: Jinja2Templates only fills it in when missing
    app.state.templates = Jinja2Templates(env=env)
    app.state.templates.env.globals.update(
        segments=views.segments, safe_href=views.safe_href, word_diff=word_diff, entity_path=entity_path
    )
    env.filters.update(bdi=bdi, isolate=isolate)  # untrusted text keeps its writing direction to itself
    app.mount("/static", StaticFiles(directory=str(files("crosswire.web").joinpath("static"))), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    watch_views.install(app)  # live monitoring (issue #20): alerts pages and feeds, article revisions
    _add_error_handlers(app)
    app.add_middleware(PageCache, generation=app.state.store.generation)  # innermost: caches what the routes render
    app.add_middleware(BodyLimit, limit=settings.max_input_bytes + MULTIPART_OVERHEAD_BYTES)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HostAllowList, allowed=settings.allowed_hosts)  # added last: runs first
    app.router.add_event_handler("shutdown", app.state.store.close)
    return app


# Pages run no script at all: a second wall behind escaping, should untrusted text ever get through it;
# no other site may frame them (clickjacking the correction forms), and no page leaks its URL to the links it has.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
}


class SecurityHeaders:
    """Every response gets SECURITY_HEADERS (a route may set its own Content-Security-Policy)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HostAllowList:
    """Answer only requests whose Host header names this server (400 JSON otherwise).

    A page on evil.example whose DNS name is rebound to 127.0.0.1 reaches a loopback server with its
    own same-origin rights; its requests still say ``Host: evil.example``, and that is what is refused.
    """

    def __init__(self, app: ASGIApp, allowed: tuple[str, ...]) -> None:
        self.app, self.allowed = app, frozenset(h.lower() for h in allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or "*" in self.allowed:
            await self.app(scope, receive, send)
            return
        host = host_name(dict(scope["headers"]).get(b"host", b"").decode("latin-1"))
        if host in self.allowed:
            await self.app(scope, receive, send)
            return
        message = (f"this server does not answer to the host name {host or '(none)'!r}; start it with "
                   "`crosswire serve --allow-host NAME` (or set CROSSWIRE_ALLOWED_HOSTS) to allow a name")
        await SecurityHeaders(error_json(400, message))(scope, receive, send)


def host_name(header: str) -> str:
    """The host of a Host header, without its port, lower-cased (``[::1]:8000`` → ``[::1]``)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[: header.find("]") + 1] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


@jinja2.pass_context
def _path_for(context: dict[str, Any], name: str, /, **params: Any) -> str:
    """Links in pages are paths, not absolute URLs: they never carry a Host header a client chose."""
    return context["request"].url_for(name, **params).path


def error_json(status: int, message: str) -> JSONResponse:
    """The API's error shape."""
    return JSONResponse({"error": {"code": STATUS_CODES.get(status, "error"), "message": message}}, status_code=status)


def _error(request: Request, status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
        response: Response = error_json(status, message)
    else:
        templates: Jinja2Templates = request.app.state.templates
        response = templates.TemplateResponse(request, "error.html", {"status": status, "message": message}, status_code=status)
    response.headers.update(headers or {})  # e.g. Allow on 405
    return response


def _add_error_handlers(app: FastAPI) -> None:
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail), exc.headers)

    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return _error(request, 422, "; ".join(_describe(e) for e in exc.errors()))

    async def not_found(request: Request, exc: NotFound) -> Response:
        return _error(request, 404, str(exc))

    async def refused(request: Request, exc: Exception) -> Response:  # a correction that cannot be made, a bad setting
        return _error(request, 409, str(exc))

    async def busy(request: Request, exc: Exception) -> Response:  # "database is locked" after the busy timeout
        message = "the store is busy with another writer or unavailable; try again in a moment"
        return _with_headers(_error(request, 503, message, {"Retry-After": "5"}))

    async def unexpected(request: Request, exc: Exception) -> Response:  # a bug: answered in the error shape, then logged
        return _with_headers(_error(request, 500, f"internal error ({type(exc).__name__}); the server log has the details"))

    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, invalid)  # type: ignore[arg-type]
    app.add_exception_handler(NotFound, not_found)  # type: ignore[arg-type]
    app.add_exception_handler(CrosswireError, refused)  # intended errors only: a ValueError is a bug (500)
    app.add_exception_handler(StoreBusy, busy)  # type: ignore[arg-type]
    app.add_exception_handler(OperationalError, busy)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, unexpected)  # Starlette runs it outside every middleware


def _with_headers(response: Response) -> Response:
    """The security headers on a response sent from outside the middleware (the 500 handler)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _describe(error: dict[str, Any]) -> str:
    where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path"))
    return f"{where or 'request'}: {error.get('msg', 'invalid')}"


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, before anything parses them."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit():
            await error_json(400, "Content-Length is not a number")(scope, receive, send)
            return
        body = await self._read(receive, int(declared))
        if body is None:
            message = f"request body is over the {self.limit:,} byte limit; raise CROSSWIRE_MAX_INPUT_BYTES or send less"
            await error_json(413, message)(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)

    async def _read(self, receive: Receive, declared: int) -> bytes | None:
        if declared > self.limit:
            return None
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                return None
            chunks.append(chunk)
            more = message.get("more_body", False) and message["type"] == "http.request"
        return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


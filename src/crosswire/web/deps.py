"""What every route needs from the app: the store, the settings, the write lock, the token check, templates."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from crosswire.settings import Settings
from crosswire.storage.store import Store


def store_of(request: Request) -> Store:
    """The app's store."""
    return request.app.state.store


def settings_of(request: Request) -> Settings:
    """The app's settings."""
    return request.app.state.settings


def check_token(settings: Settings, presented: str | None) -> None:
    """Writes need the configured token: none configured refuses them all (403), a wrong one is 401."""
    if not settings.api_token:
        raise HTTPException(403, "writes over HTTP are disabled: set CROSSWIRE_API_TOKEN on the server to allow ingest and corrections")
    if not presented or not hmac.compare_digest(presented.encode(), settings.api_token.encode()):
        raise HTTPException(401, "missing or wrong token: send the server's CROSSWIRE_API_TOKEN (API: Authorization: Bearer <token>)")


@contextmanager
def writing(request: Request) -> Iterator[Store]:
    """The store, held by one writer at a time."""
    with request.app.state.write_lock:
        yield store_of(request)


def html(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """A page rendered from a template (autoescaped) with the given view models."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, template, context, status_code=status)

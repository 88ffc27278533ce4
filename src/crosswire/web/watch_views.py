"""Live monitoring in the web UI and the API (issue #20): the alerts page (all, or one watch's), an Atom feed per
watch, an article's revisions with word diffs (also shown on the article page), and their JSON under /api.

``install`` includes the router and gives templates ``revision_history(article_id)`` for the article page."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from crosswire.storage.alerts import Alert, AlertWatch
from crosswire.watch import history
from crosswire.web.api import ERRORS
from crosswire.web.deps import html, store_of

ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 50
router = APIRouter()
WatchId = Annotated[int, Path(ge=1, le=2**63 - 1)]  # a SQLite INTEGER: a bigger number is a 422, not a 500


class ChangeOut(BaseModel):
    kind: str
    before: str
    after: str
    detail: str


class DiffOpOut(BaseModel):
    op: str  # = | - | +
    text: str


class RevisionOut(BaseModel):
    number: int
    fetched_at: str
    title: str | None
    changes: list[ChangeOut]
    title_diff: list[DiffOpOut]
    diff: list[DiffOpOut]  # word diff of the text against the revision before (empty for the first)


class RevisionsOut(BaseModel):
    article_id: str
    revisions: list[RevisionOut]


class WatchOut(BaseModel):
    id: int
    kind: str
    target: str
    created_at: str
    webhook_url: str | None  # the secret is never shown over HTTP


class AlertOut(BaseModel):
    id: int
    watch_id: int
    kind: str
    at: str
    summary: str
    article_id: str | None
    story_id: str | None
    detail: dict[str, Any]
    delivery: str


class AlertsOut(BaseModel):
    watches: list[WatchOut]
    watch: WatchOut | None  # the one watch the list is about
    alerts: list[AlertOut]


def install(app: FastAPI) -> None:
    """Add the routes and the article page's revision section."""
    app.include_router(router)
    store = app.state.store
    app.state.templates.env.globals["revision_history"] = lambda article_id: revisions_out(store, article_id).revisions


def revisions_out(store: Any, article_id: str) -> RevisionsOut:
    """An article's revisions as the page and the API show them."""
    full = store.resolve_id(article_id)
    items = [
        RevisionOut(number=r.number, fetched_at=r.fetched_at, title=r.title, changes=[ChangeOut(**c) for c in r.changes],
                    title_diff=[DiffOpOut(op=o, text=t) for o, t in r.title_diff], diff=[DiffOpOut(op=o, text=t) for o, t in r.diff])
        for r in history.revision_history(store, full)
    ]  # fmt: skip
    return RevisionsOut(article_id=full, revisions=items)


def _watch_out(w: AlertWatch) -> WatchOut:
    return WatchOut(id=w.id, kind=w.kind, target=w.target, created_at=w.created_at, webhook_url=w.webhook_url)


def _alert_out(a: Alert) -> AlertOut:
    return AlertOut(id=a.id, watch_id=a.watch_id, kind=a.kind, at=a.at, summary=a.summary, article_id=a.article_id,
                    story_id=a.story_id, detail=a.detail, delivery=a.delivery)  # fmt: skip


def alerts_out(store: Any, watch_id: int | None, limit: int) -> AlertsOut:
    """Every watch, and the alerts (of one watch when asked), newest first."""
    one = None
    if watch_id is not None:
        found = history.watch(store, watch_id)
        if found is None:
            raise HTTPException(404, f"no watch {watch_id}; `crosswire alerts watches` lists them")
        one = _watch_out(found)
    return AlertsOut(watches=[_watch_out(w) for w in history.watches(store)], watch=one,
                     alerts=[_alert_out(a) for a in history.alerts(store, watch_id, limit)])  # fmt: skip


Limit = Annotated[int, Query(ge=1, le=1000)]


@router.get("/api/articles/{article_id}/revisions", response_model=RevisionsOut, responses=ERRORS,
            tags=["articles"], summary="List an article's revisions")
def api_revisions(request: Request, article_id: str) -> RevisionsOut:
    """Every revision of an article with its classified changes and word diff against the one before."""
    return revisions_out(store_of(request), article_id)


@router.get("/api/alerts", response_model=AlertsOut, responses=ERRORS, tags=["alerts"], summary="List alerts")
def api_alerts(request: Request, watch: Annotated[int | None, Query(ge=1, le=2**63 - 1, description="One watch's alerts.")] = None,
               limit: Limit = 100) -> AlertsOut:
    """The saved watches and the alerts raised, newest first (``watch``: one watch's)."""
    return alerts_out(store_of(request), watch, limit)


@router.get("/alerts", response_class=HTMLResponse, name="alerts_page", include_in_schema=False)
def alerts_page(request: Request, limit: Limit = 100) -> HTMLResponse:
    """The alerts of every watch, newest first."""
    return html(request, "alerts.html", {"page": alerts_out(store_of(request), None, limit)})


@router.get("/alerts/watches/{watch_id}", response_class=HTMLResponse, name="watch_page", include_in_schema=False)
def watch_page(request: Request, watch_id: WatchId, limit: Limit = 100) -> HTMLResponse:
    """One watch's alerts, newest first, with its Atom feed."""
    return html(request, "alerts.html", {"page": alerts_out(store_of(request), watch_id, limit)})


@router.get("/alerts/watches/{watch_id}/feed.atom", name="watch_feed", include_in_schema=False)
def watch_feed(request: Request, watch_id: WatchId) -> Response:
    """An Atom feed of one watch's alerts, newest first."""
    page = alerts_out(store_of(request), watch_id, FEED_ENTRIES)
    assert page.watch is not None
    root = ET.Element("feed", xmlns=ATOM)
    ET.SubElement(root, "title").text = f"crosswire alerts: {page.watch.kind} {page.watch.target}"
    ET.SubElement(root, "id").text = f"urn:crosswire:watch:{watch_id}"
    ET.SubElement(root, "updated").text = max((a.at for a in page.alerts), default=page.watch.created_at)
    ET.SubElement(root, "link", rel="self", href=str(request.url_for("watch_feed", watch_id=watch_id)))
    for a in page.alerts:
        entry = ET.SubElement(root, "entry")
        ET.SubElement(entry, "title").text = a.summary
        ET.SubElement(entry, "id").text = f"urn:crosswire:alert:{a.id}"
        ET.SubElement(entry, "updated").text = a.at
        ET.SubElement(entry, "category", term=a.kind)
        href = _alert_href(request, a)
        if href:
            ET.SubElement(entry, "link", href=href)
    body = ET.tostring(root, encoding="unicode", xml_declaration=True)
    return Response(body, media_type="application/atom+xml; charset=utf-8")


def _alert_href(request: Request, a: AlertOut) -> str | None:
    if a.article_id:
        return str(request.url_for("article_page", article_id=a.article_id))
    if a.story_id:
        return str(request.url_for("story_page", story_id=a.story_id))
    return None

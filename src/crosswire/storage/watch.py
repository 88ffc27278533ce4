"""Watch state (issue #20): every URL ``crosswire watch`` polls — the sources of SOURCES.toml and the pages they
link — with its validators (ETag, Last-Modified), schedule, error count and counters."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from crosswire.storage.schema import watch_urls

NEVER = 1e18  # next_due of a page no longer followed (epoch seconds far beyond any clock)


@dataclass(frozen=True, slots=True)
class WatchedUrl:
    """One polled URL as stored."""

    url: str
    role: str  # source | page
    kind: str  # feed | sitemap | news-sitemap | page | auto
    source_url: str | None
    interval_s: float
    fetch_links: bool
    language: str | None
    etag: str | None
    last_modified: str | None
    lastmod: str | None
    hints: dict[str, Any]
    first_seen: str
    last_fetch: str | None
    last_status: int | None
    last_new: str | None
    next_due: float
    errors: int
    last_error: str | None
    fetches: int
    not_modified: int
    new_items: int


def _row(r: Any) -> WatchedUrl:
    return WatchedUrl(
        r.url, r.role, r.kind, r.source_url, r.interval_s, bool(r.fetch_links), r.language, r.etag, r.last_modified,
        r.lastmod, json.loads(r.hints or "{}"), r.first_seen, r.last_fetch, r.last_status, r.last_new, r.next_due,
        r.errors, r.last_error, r.fetches, r.not_modified, r.new_items,
    )  # fmt: skip


def get(conn: Connection, url: str) -> WatchedUrl | None:
    """One watched URL, or None."""
    r = conn.execute(select(watch_urls).where(watch_urls.c.url == url)).first()
    return _row(r) if r is not None else None


def upsert_source(conn: Connection, url: str, kind: str, interval_s: float, fetch_links: bool, language: str | None,
                  now_iso: str, now: float) -> None:  # fmt: skip
    """Add a source of SOURCES.toml (due now) or update its settings, keeping its validators and schedule."""
    values = {"role": "source", "kind": kind, "interval_s": interval_s, "fetch_links": fetch_links, "language": language}
    if get(conn, url) is None:
        conn.execute(insert(watch_urls).values(url=url, source_url=None, hints="{}", first_seen=now_iso, next_due=now, **values))
    else:
        conn.execute(update(watch_urls).where(watch_urls.c.url == url).values(**values))


def add_page(conn: Connection, url: str, source: WatchedUrl, lastmod: str | None, hints: dict[str, Any],
             now_iso: str, now: float) -> bool:  # fmt: skip
    """Register a page a source links to (due now); a known page is due again when its ``lastmod`` changed.
    True when the page is due now."""
    known = get(conn, url)
    if known is None:
        conn.execute(insert(watch_urls).values(
            url=url, role="page", kind="page", source_url=source.url, interval_s=source.interval_s, fetch_links=False,
            language=source.language, lastmod=lastmod, hints=json.dumps(hints), first_seen=now_iso, next_due=now,
        ))  # fmt: skip
        return True
    changed = lastmod is not None and lastmod != known.lastmod
    values: dict[str, Any] = {"hints": json.dumps(hints), "lastmod": lastmod or known.lastmod}
    if changed:
        values["next_due"] = now
    conn.execute(update(watch_urls).where(watch_urls.c.url == url).values(**values))
    return changed or known.next_due <= now


def due(conn: Connection, now: float, role: str | None = None) -> list[WatchedUrl]:
    """URLs due at ``now``, sources before pages, earliest first."""
    q = select(watch_urls).where(watch_urls.c.next_due <= now)
    if role:
        q = q.where(watch_urls.c.role == role)
    return [_row(r) for r in conn.execute(q.order_by(watch_urls.c.role.desc(), watch_urls.c.next_due, watch_urls.c.url))]


def record_fetch(conn: Connection, url: str, status: int, etag: str | None, last_modified: str | None,
                 next_due: float, now_iso: str) -> None:  # fmt: skip
    """A successful fetch (200) or a 304: validators kept, errors cleared, next due time set."""
    values: dict[str, Any] = {
        "last_fetch": now_iso, "last_status": status, "next_due": next_due, "errors": 0, "last_error": None,
        "fetches": watch_urls.c.fetches + 1, "not_modified": watch_urls.c.not_modified + (1 if status == 304 else 0),
    }  # fmt: skip
    if status != 304:
        values |= {"etag": etag, "last_modified": last_modified}
    conn.execute(update(watch_urls).where(watch_urls.c.url == url).values(**values))


def record_error(conn: Connection, url: str, status: int | None, error: str, next_due: float, now_iso: str) -> None:
    """A failed fetch: the error counted (the backoff exponent) and the next attempt scheduled."""
    conn.execute(update(watch_urls).where(watch_urls.c.url == url).values(
        last_fetch=now_iso, last_status=status, last_error=error, next_due=next_due, errors=watch_urls.c.errors + 1,
        fetches=watch_urls.c.fetches + 1,
    ))  # fmt: skip


def record_new(conn: Connection, url: str, count: int, now_iso: str) -> None:
    """``count`` new articles or revisions came from this URL."""
    conn.execute(update(watch_urls).where(watch_urls.c.url == url).values(
        last_new=now_iso, new_items=watch_urls.c.new_items + count))  # fmt: skip


def listing(conn: Connection, role: str | None = "source") -> list[WatchedUrl]:
    """The watched URLs (sources unless asked), in URL order, for the status table."""
    q = select(watch_urls).order_by(watch_urls.c.url)
    if role:
        q = q.where(watch_urls.c.role == role)
    return [_row(r) for r in conn.execute(q)]


def pages_of(conn: Connection, source_url: str) -> list[WatchedUrl]:
    """The pages one source linked."""
    return [_row(r) for r in conn.execute(select(watch_urls).where(watch_urls.c.source_url == source_url))]


def set_kind(conn: Connection, url: str, kind: str) -> None:
    """Say how a URL is read (a child sitemap of an index is a sitemap, not a page)."""
    conn.execute(update(watch_urls).where(watch_urls.c.url == url).values(kind=kind))


def postpone(conn: Connection, url: str, until: float) -> None:
    """Put a URL off until ``until`` without counting an error (its host asked everyone to wait)."""
    conn.execute(update(watch_urls).where(watch_urls.c.url == url).values(next_due=until))

"""Saved alert watches and the alerts they raised (issue #20), with each alert's webhook delivery state."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, CursorResult, delete, insert, select, update

from crosswire.storage.schema import alert_watches, alerts

WATCH_KINDS = ("story", "speaker", "entity", "query")
ALERT_KINDS = ("article", "conflict", "statement", "revision")


@dataclass(frozen=True, slots=True)
class AlertWatch:
    """A saved watch: what it follows and where its alerts are posted."""

    id: int
    kind: str  # story | speaker | entity | query
    target: str  # story id, entity key (or part of a speaker's name), search words
    created_at: str
    webhook_url: str | None = None
    webhook_secret: str | None = None
    allow_private: bool = False
    baseline: frozenset[str] = frozenset()

    def label(self) -> str:
        """``story s1a2b3…``, ``speaker person:dana kovel``."""
        return f"{self.kind} {self.target}"


@dataclass(frozen=True, slots=True)
class Alert:
    """Something that happened to what a watch follows."""

    id: int
    watch_id: int
    kind: str  # article | conflict | statement | revision
    key: str
    at: str
    article_id: str | None
    story_id: str | None
    summary: str
    detail: dict[str, Any]
    delivery: str  # none | pending | delivered | failed
    attempts: int
    last_error: str | None


def add_watch(conn: Connection, kind: str, target: str, at: str, webhook_url: str | None, webhook_secret: str | None,
              allow_private: bool, baseline: set[str]) -> int:  # fmt: skip
    """Save a watch; its id."""
    result = conn.execute(insert(alert_watches).values(
        kind=kind, target=target, created_at=at, webhook_url=webhook_url, webhook_secret=webhook_secret,
        allow_private=allow_private, baseline=json.dumps(sorted(baseline)),
    ))  # fmt: skip
    return _new_id(result)


def _new_id(result: CursorResult[Any]) -> int:
    """The id a one-row INSERT gave its row (SQLAlchemy types the key optional; a one-row INSERT always has one)."""
    key = result.inserted_primary_key
    if key is None:
        raise RuntimeError("the INSERT returned no primary key")
    return int(key[0])


def remove_watch(conn: Connection, watch_id: int) -> bool:
    """Delete a watch and its alerts; False if there was none."""
    conn.execute(delete(alerts).where(alerts.c.watch_id == watch_id))
    return conn.execute(delete(alert_watches).where(alert_watches.c.id == watch_id)).rowcount > 0


def watches(conn: Connection) -> list[AlertWatch]:
    """Every saved watch, oldest first."""
    return [_watch(r) for r in conn.execute(select(alert_watches).order_by(alert_watches.c.id))]


def get_watch(conn: Connection, watch_id: int) -> AlertWatch | None:
    """One watch, or None."""
    r = conn.execute(select(alert_watches).where(alert_watches.c.id == watch_id)).first()
    return _watch(r) if r is not None else None


def _watch(r: Any) -> AlertWatch:
    return AlertWatch(r.id, r.kind, r.target, r.created_at, r.webhook_url, r.webhook_secret, bool(r.allow_private),
                      frozenset(json.loads(r.baseline or "[]")))  # fmt: skip


def record(conn: Connection, watch: AlertWatch, kind: str, key: str, at: str, article_id: str | None, story_id: str | None,
           summary: str, detail: dict[str, Any]) -> int | None:  # fmt: skip
    """Store an alert unless this watch already raised it (same kind and key); its id, or None."""
    exists = select(alerts.c.id).where(alerts.c.watch_id == watch.id, alerts.c.kind == kind, alerts.c.key == key)
    if conn.execute(exists).first() is not None:
        return None
    result = conn.execute(insert(alerts).values(
        watch_id=watch.id, kind=kind, key=key, at=at, article_id=article_id, story_id=story_id, summary=summary,
        detail=json.dumps(detail, ensure_ascii=False), delivery="pending" if watch.webhook_url else "none",
    ))  # fmt: skip
    return _new_id(result)


def list_alerts(conn: Connection, watch_id: int | None = None, limit: int | None = 100, delivery: str | None = None) -> list[Alert]:
    """Alerts, newest first; of one watch or with one delivery state when asked."""
    q = select(alerts).order_by(alerts.c.id.desc()).limit(limit)
    if watch_id is not None:
        q = q.where(alerts.c.watch_id == watch_id)
    if delivery is not None:
        q = q.where(alerts.c.delivery == delivery)
    return [
        Alert(r.id, r.watch_id, r.kind, r.key, r.at, r.article_id, r.story_id, r.summary, json.loads(r.detail), r.delivery,
              r.attempts, r.last_error)  # fmt: skip
        for r in conn.execute(q)
    ]


def mark_delivery(conn: Connection, alert_id: int, delivery: str, attempts: int, error: str | None) -> None:
    """Record how posting an alert to its webhook went."""
    conn.execute(update(alerts).where(alerts.c.id == alert_id).values(delivery=delivery, attempts=attempts, last_error=error))

"""Alerts (issue #20): saved watches on a story, a speaker, an entity or a search query, and the alerts raised
when something they follow changes — a new article joins, a new conflict appears, the speaker makes a new
statement, an article is revised in a way that matters (a figure or a quote changed). Each alert is stored,
shown in the web UI and its Atom feed, and, when the watch has a webhook, POSTed to it as JSON signed with
HMAC-SHA256 (header ``X-Crosswire-Signature: sha256=<hex>``), retried with backoff, never to a private address
unless the watch allows it."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from crosswire import export
from crosswire.app import stories
from crosswire.errors import BlockedAddress, ConfigError, FetchError
from crosswire.ingest.fetch import post_json
from crosswire.model import Comparison, Conflict, StatementClass
from crosswire.settings import Settings
from crosswire.storage import alerts as alert_db
from crosswire.storage.store import Reader, Store, Writer
from crosswire.watch.revisions import SIGNIFICANT

SIGNATURE_HEADER = "X-Crosswire-Signature"
SPEECH = (StatementClass.SPEECH,)  # a speaker's statements are the words they said, as in listings and timelines
WEBHOOK_ATTEMPTS = 4  # one try and three retries
WEBHOOK_BACKOFF_S = 2.0  # waits 2, 4, 8 s between tries
Post = Callable[..., int]  # post_json's signature
Sleep = Callable[[float], None]
Found = tuple[str, str, str | None, str | None, str, dict[str, Any]]  # kind, key, article, story, summary, detail


def add_watch(store: Store, kind: str, target: str, webhook_url: str | None = None, secret: str | None = None,
              allow_private: bool = False) -> alert_db.AlertWatch:  # fmt: skip
    """Save a watch (a story is named by id or prefix); conflicts already in the store are not news to it. A webhook
    without a secret gets a random one (shown by ``crosswire alerts watches``)."""
    if kind not in alert_db.WATCH_KINDS:
        raise ConfigError(f"a watch follows one of {', '.join(alert_db.WATCH_KINDS)}, not {kind!r}")
    target = target.strip()
    if not target:
        raise ConfigError("a watch needs something to follow (a story id, a speaker, an entity key or search words)")
    if kind == "story":
        target = stories.get_story(store, target).id
    if webhook_url and not webhook_url.lower().startswith(("http://", "https://")):
        raise ConfigError(f"webhook must be an http(s) URL, got {webhook_url!r}")
    if webhook_url and not secret:
        secret = secrets.token_hex(16)
    with store.transaction() as tx:
        baseline = {conflict_key(sid, c) for sid, compared in _all_comparisons(tx) for c in compared.conflicts}
        watch_id = tx.add_alert_watch(kind, target, _now(), webhook_url, secret, allow_private, baseline)
        watch = tx.alert_watch(watch_id)
    assert watch is not None
    return watch


def _all_comparisons(rd: Reader) -> Iterable[tuple[str, Comparison]]:
    for story_id in sorted({m.story_id for m in rd.members()}):
        cached = rd.cached_comparison(story_id)
        if cached is not None:
            yield story_id, cached.comparison


def conflict_key(story_id: str, conflict: Conflict) -> str:
    """What makes a conflict the same one across comparisons: its story, kind and the values on each side."""
    values = sorted(s.value.lower() for s in conflict.sides)
    return hashlib.sha256(json.dumps([story_id, conflict.kind, values]).encode()).hexdigest()[:24]


def raise_alerts(store: Store, outcomes: Iterable[Any]) -> int:
    """Alerts for every watch after a write: new articles, new conflicts, new statements, significant revisions.
    ``outcomes`` are the write step's (status, article_id); returns how many alerts were raised."""
    added = [o.article_id for o in outcomes if o.status == "added" and o.article_id]
    revised = [o.article_id for o in outcomes if o.status == "revised" and o.article_id]
    with store.reader() as rd:
        watches = rd.alert_watches()
    if not watches or not (added or revised):
        return 0
    story_ids = stories.story_of(store)
    raised = 0
    with store.transaction() as tx:
        ctx = _Context(store, tx, story_ids)
        for w in watches:
            raised += _raise_for(ctx, w, added, revised)
    return raised


class _Context:
    """What one round of alerting reads, each thing once."""

    def __init__(self, store: Store, tx: Writer, stories: dict[str, str]) -> None:
        self.store, self.tx, self.stories = store, tx, stories
        self._analyses: dict[str, Any] = {}

    def analysis(self, article_id: str) -> Any:
        if article_id not in self._analyses:
            self._analyses[article_id] = self.tx.load_analysis(article_id)
        return self._analyses[article_id]

    def matches(self, w: alert_db.AlertWatch, article_id: str) -> bool:
        """Whether an article is about what the watch follows."""
        if w.kind == "story":
            return self.stories.get(article_id) == w.target
        if w.kind == "entity":
            analysis = self.analysis(article_id)
            return analysis is not None and any(m.entity == w.target for m in analysis.mentions)
        if w.kind == "speaker":
            return bool(self.tx.find_statements(w.target, [article_id], 1, SPEECH))
        article = self.store.article(article_id)
        haystack = f"{article.meta.title or ''}\n{article.text}".lower()
        return all(word in haystack for word in w.target.lower().split())


def _raise_for(ctx: _Context, w: alert_db.AlertWatch, added: list[str], revised: list[str]) -> int:
    found: list[Found] = []
    for aid in added:
        if w.kind != "speaker" and ctx.matches(w, aid):
            found.append(("article", aid, aid, ctx.stories.get(aid), *_article_alert(ctx, aid)))
    if w.kind == "speaker":
        found += _statement_alerts(ctx, w, added + revised)
    for aid in revised:
        found += _revision_alerts(ctx, w, aid)
    found += _conflict_alerts(ctx, w, {ctx.stories[a] for a in added + revised if a in ctx.stories})
    at = _now()
    return sum(1 for kind, key, aid, sid, summary, detail in found
               if ctx.tx.record_alert(w, kind, key, at, aid, sid, summary, detail) is not None)  # fmt: skip


def _article_alert(ctx: _Context, aid: str) -> tuple[str, dict[str, Any]]:
    a = ctx.store.article(aid)
    story = ctx.stories.get(aid)
    summary = f"new article: {a.meta.title or '(untitled)'} ({a.meta.outlet or 'unknown outlet'})" + (f" in story {story}" if story else "")
    return summary, {"title": a.meta.title, "outlet": a.meta.outlet, "url": a.meta.url, "published": a.meta.published.value}


def _statement_alerts(ctx: _Context, w: alert_db.AlertWatch, article_ids: list[str]) -> list[Found]:
    out: list[Found] = []
    for s in ctx.tx.find_statements(w.target, article_ids, None, SPEECH):
        who = s.statement.speaker_entity or (s.statement.speaker or "").lower()
        key = hashlib.sha256(f"{who}\n{' '.join(s.text.lower().split())}".encode()).hexdigest()[:24]
        detail = {"speaker": s.statement.speaker, "speaker_entity": s.statement.speaker_entity, "cue": s.statement.cue,
                  "text": s.text, "spans": [list(x) for x in s.statement.content], "outlet": s.outlet, "title": s.title}
        out.append(("statement", key, s.article_id, ctx.stories.get(s.article_id),
                    f"{s.statement.speaker or w.target}: “{_short(s.text)}” ({s.outlet or 'unknown outlet'})", detail))
    return out


def _revision_alerts(ctx: _Context, w: alert_db.AlertWatch, aid: str) -> list[Found]:
    versions = ctx.tx.revisions(aid)
    if not versions or not ctx.matches(w, aid):
        return []
    last = versions[-1]
    significant = [c for c in last.changes if c["kind"] in SIGNIFICANT]
    if not significant:
        return []
    kinds = sorted({c["kind"] for c in significant})
    summary = f"revised ({', '.join(kinds)}): {last.title or '(untitled)'} — revision {last.number}"
    return [("revision", f"{aid}#{last.number}", aid, ctx.stories.get(aid), summary, {"number": last.number, "changes": significant})]


def _conflict_alerts(ctx: _Context, w: alert_db.AlertWatch, story_ids: set[str]) -> list[Found]:
    out: list[Found] = []
    for sid in sorted(story_ids):
        members = [m.article_id for m in ctx.tx.members(sid)]
        if not (sid == w.target if w.kind == "story" else any(ctx.matches(w, a) for a in members)):
            continue
        cached = ctx.tx.cached_comparison(sid)
        if cached is None:
            continue
        compared = cached.comparison
        for c in compared.conflicts:
            key = conflict_key(sid, c)
            if key in w.baseline:
                continue
            sides = " vs ".join(s.value for s in c.sides)
            out.append(("conflict", key, None, sid, f"new conflict in story {sid}: {c.label or c.kind}: {sides}",
                        export.conflict_record(c, dict(compared.outlets))))
    return out


def deliver(store: Store, settings: Settings, post: Post = post_json, sleep: Sleep | None = None) -> tuple[int, int]:
    """POST every pending alert to its watch's webhook, each tried up to WEBHOOK_ATTEMPTS times with doubling
    waits; returns (delivered, failed)."""
    import time

    wait = sleep or time.sleep
    with store.reader() as rd:
        pending = rd.alerts(limit=None, delivery="pending")
        watches = {w.id: w for w in rd.alert_watches()}
    delivered = failed = 0
    for alert in reversed(pending):  # oldest first
        watch = watches.get(alert.watch_id)
        if watch is None or not watch.webhook_url:
            continue
        ok, attempts, error = _post_with_retries(watch, alert, settings, post, wait)
        with store.transaction() as tx:
            tx.mark_alert_delivery(alert.id, "delivered" if ok else "failed", attempts, error)
        delivered, failed = delivered + ok, failed + (not ok)
    return delivered, failed


def _post_with_retries(watch: alert_db.AlertWatch, alert: alert_db.Alert, settings: Settings, post: Post,
                       wait: Sleep) -> tuple[bool, int, str | None]:  # fmt: skip
    body = json.dumps(payload(watch, alert), ensure_ascii=False, sort_keys=True).encode()
    headers = {SIGNATURE_HEADER: "sha256=" + sign(watch.webhook_secret or "", body), "X-Crosswire-Event": alert.kind,
               "X-Crosswire-Delivery": str(alert.id)}  # fmt: skip
    post_settings = replace(settings, allow_private=settings.allow_private or watch.allow_private)
    error = None
    for attempt in range(1, WEBHOOK_ATTEMPTS + 1):
        try:
            post(watch.webhook_url, body, headers, post_settings)
            return True, attempt, None
        except BlockedAddress as exc:  # a private address never becomes public by waiting
            return False, attempt, str(exc)
        except FetchError as exc:
            error = str(exc)
            if attempt == WEBHOOK_ATTEMPTS:
                return False, attempt, error
            wait(WEBHOOK_BACKOFF_S * 2 ** (attempt - 1))
    return False, WEBHOOK_ATTEMPTS, error


def sign(secret: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of a webhook body under the watch's secret (the receiver recomputes it)."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def payload(watch: alert_db.AlertWatch, alert: alert_db.Alert) -> dict[str, Any]:
    """The JSON an alert is posted (and exported) as."""
    return {"id": alert.id, "kind": alert.kind, "at": alert.at, "summary": alert.summary, "article_id": alert.article_id,
            "story_id": alert.story_id, "detail": alert.detail,
            "watch": {"id": watch.id, "kind": watch.kind, "target": watch.target}}  # fmt: skip


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")

"""Alerts on loopback: each kind (article, conflict, statement, revision) for story, speaker, entity and query
watches, and webhook delivery to a loopback receiver with a valid HMAC signature, retries and the private-address
refusal."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from crosswire.app import stories
from crosswire.errors import ConfigError, FetchError
from crosswire.ingest.fetch import post_json
from crosswire.settings import Settings
from crosswire.storage import alerts as alert_db
from crosswire.storage.store import Store
from crosswire.watch import alerts
from crosswire.watch.cycle import Watcher
from crosswire.watch.sources import Source
from tests.test_watch_cycle import atom
from tests.watch_server import FakeClock, Site, serve

A = ["Fire crews fought a blaze at the Harlow fuel depot for nine hours on Tuesday, officials said.",
     "Fire chief Dana Kovel said the fire had destroyed four storage tanks.",
     "About 120 residents were evacuated from nearby streets, according to the city council."]  # fmt: skip
B = ["A fire at the Harlow fuel depot burned for nine hours on Tuesday, officials said.",
     "Fire chief Dana Kovel told reporters that four storage tanks were destroyed in the Harlow depot fire.",
     "About 210 residents were evacuated from nearby streets, the Harlow city council said."]  # fmt: skip
FEED = "/feed.atom"


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as s:
        yield s


@pytest.fixture
def started(site: Site, store: Store) -> tuple[Watcher, FakeClock, str]:
    """A watcher that has stored article A; returns it, its clock and A's story id."""
    url = site.set(FEED, atom([("a", "Fire at Harlow fuel depot", A)]), "application/atom+xml")
    clock = FakeClock()
    w = Watcher(store, Settings(db_url=store.url, workers=1, allow_private=True), clock)
    w.sync([Source(url, "feed", interval_s=600)])
    assert w.cycle().added == 1
    (a,) = store.articles()
    return w, clock, stories.story_of(store)[a.id]


def publish(site: Site, clock: FakeClock, w: Watcher, *entries: tuple[str, str, list[str]]) -> Any:
    site.set(FEED, atom(list(entries)), "application/atom+xml")
    clock.advance(600)
    return w.cycle()


def by_watch(store: Store, watch: alert_db.AlertWatch) -> list[tuple[str, str]]:
    with store.engine.connect() as conn:
        return sorted((a.kind, a.summary) for a in alert_db.list_alerts(conn, watch.id))


def test_new_article_conflict_and_statement_alerts(site: Site, store: Store, started: tuple[Watcher, FakeClock, str]) -> None:
    w, clock, story = started
    on_story = alerts.add_watch(store, "story", story[:8])
    on_speaker = alerts.add_watch(store, "speaker", "person:dana kovel")
    on_query = alerts.add_watch(store, "query", "Harlow depot")
    on_other = alerts.add_watch(store, "query", "earthquake")
    assert on_story.target == story  # a prefix is resolved to the story id
    report = publish(site, clock, w, ("a", "Fire at Harlow fuel depot", A), ("b", "Harlow depot fire destroys tanks", B))
    assert report.added == 1 and report.alerts == 6
    new_id = next(a.id for a in store.articles() if a.meta.title == "Harlow depot fire destroys tanks")
    assert stories.story_of(store)[new_id] == story
    conflict = f"conflict|new conflict in story {story}: residents evacuated: About 120 vs About 210"
    article = f"article|new article: Harlow depot fire destroys tanks (Harbour Times) in story {story}"
    assert ["|".join(x) for x in by_watch(store, on_story)] == [article, conflict]
    assert ["|".join(x) for x in by_watch(store, on_query)] == [article, conflict]
    assert by_watch(store, on_speaker) == [
        ("conflict", conflict.split("|")[1]),
        ("statement", "Dana Kovel: “that four storage tanks were destroyed in the Harlow depot fire” (Harbour Times)"),
    ]
    assert by_watch(store, on_other) == []
    clock.advance(600)
    assert w.cycle().alerts == 0  # nothing new: no alert raised twice


def test_significant_revision_alerts_and_wording_edits_do_not(site: Site, store: Store, started: tuple[Watcher, FakeClock, str]) -> None:
    w, clock, story = started
    on_entity = alerts.add_watch(store, "entity", "person:dana kovel")
    reworded = [A[0].replace("fought", "battled"), A[1], A[2]]
    assert publish(site, clock, w, ("a", "Fire at Harlow fuel depot", reworded)).revised == 1
    assert by_watch(store, on_entity) == []  # a wording edit is a revision, not an alert
    corrected = [reworded[0], A[1].replace("four", "three"), A[2]]
    assert publish(site, clock, w, ("a", "Fire at Harlow fuel depot", corrected)).revised == 1
    ((kind, summary),) = by_watch(store, on_entity)
    assert kind == "revision" and summary == "revised (figure-changed): Fire at Harlow fuel depot — revision 3"


def test_webhook_receives_signed_json(site: Site, store: Store, started: tuple[Watcher, FakeClock, str]) -> None:
    w, clock, story = started
    hook = site.set("/hook", "ok", "text/plain", validators=False)
    watch = alerts.add_watch(store, "story", story, webhook_url=hook, secret="s3cret", allow_private=True)
    publish(site, clock, w, ("a", "Fire at Harlow fuel depot", A), ("b", "Harlow depot fire destroys tanks", B))
    assert w.deliveries == (2, 0)
    posts = [(h, body) for m, p, h, body in site.log if m == "POST" and p == "/hook"]
    assert len(posts) == 2
    for headers, body in posts:
        expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["x-crosswire-signature"], expected)
        sent = json.loads(body)
        assert sent["watch"] == {"id": watch.id, "kind": "story", "target": story} and sent["story_id"] == story
        assert headers["x-crosswire-event"] == sent["kind"] and headers["content-type"] == "application/json"
    assert {json.loads(b)["kind"] for _, b in posts} == {"article", "conflict"}
    with store.engine.connect() as conn:
        assert {(a.delivery, a.attempts) for a in alert_db.list_alerts(conn, watch.id)} == {("delivered", 1)}


def test_webhook_is_retried_with_backoff_then_given_up(site: Site, store: Store, started: tuple[Watcher, FakeClock, str]) -> None:
    w, clock, story = started
    hook = site.set("/hook", "ok", "text/plain", validators=False)
    watch = alerts.add_watch(store, "story", story, webhook_url=hook, secret="k", allow_private=True)
    calls: list[str] = []

    def flaky(url: str, body: bytes, headers: dict[str, str], settings: Settings) -> int:
        calls.append(url)
        if len(calls) <= 2:
            raise FetchError(f"{url} answered HTTP 503")
        return post_json(url, body, headers, settings)

    w.post = flaky
    publish(site, clock, w, ("a", "Fire at Harlow fuel depot", A), ("b", "Harlow depot fire destroys tanks", B))
    assert w.deliveries == (2, 0) and len(calls) == 4
    assert [s for s in clock.sleeps if s in (2.0, 4.0)][-2:] == [2.0, 4.0]  # waits doubled between tries
    with store.engine.connect() as conn:
        assert sorted(a.attempts for a in alert_db.list_alerts(conn, watch.id)) == [1, 3]


def test_webhook_to_a_private_address_is_refused_unless_allowed(site: Site, store: Store, started: tuple[Watcher, FakeClock, str]) -> None:
    w, clock, story = started
    hook = site.set("/hook", "ok", "text/plain", validators=False)
    watch = alerts.add_watch(store, "story", story, webhook_url=hook)  # a secret is made up for it
    assert watch.webhook_secret and len(watch.webhook_secret) == 32
    w.settings = replace(w.settings, allow_private=False)  # the fetches too are refused now: post directly
    with store.transaction() as tx:
        tx.record_alert(watch, "article", "x", "2026-05-02T10:00:00+00:00", None, story, "test", {})
    assert alerts.deliver(store, w.settings, sleep=clock.sleep) == (0, 1)
    assert [p for m, p, _, _ in site.log if m == "POST"] == []
    with store.engine.connect() as conn:
        (alert,) = alert_db.list_alerts(conn, watch.id)
    assert alert.delivery == "failed" and alert.attempts == 1 and "refusing" in (alert.last_error or "")


def test_watch_arguments_are_checked(store: Store) -> None:
    with pytest.raises(ConfigError, match="follows one of"):
        alerts.add_watch(store, "outlet", "x")
    with pytest.raises(ConfigError, match="needs something"):
        alerts.add_watch(store, "query", "  ")
    with pytest.raises(ConfigError, match="http"):
        alerts.add_watch(store, "query", "depot", webhook_url="file:///etc/passwd")

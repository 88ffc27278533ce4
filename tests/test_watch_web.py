"""Live monitoring in the web UI and API: an article's revisions with diffs, the alerts pages and Atom feeds."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from fastapi.testclient import TestClient

from crosswire.app import ingest, stories
from crosswire.ingest.sources import expand_inputs
from crosswire.settings import Settings
from crosswire.storage import alerts as alert_db
from crosswire.storage.store import Store
from crosswire.watch import alerts
from crosswire.web.app import create_app
from tests.test_watch_revisions import P1, P2, P3, P4, write_feed

ATOM = "{http://www.w3.org/2005/Atom}"


def build(tmp_path: Path) -> tuple[Settings, str, int]:
    """A store with one article revised once (figure corrected, headline softened) and a watch with one alert."""
    settings = Settings(db_url=str(tmp_path / "w.db"), workers=1)
    store = Store(settings.sqlalchemy_url)
    feed = tmp_path / "ht.atom"
    write_feed(feed, "Huge blaze destroys Harlow depot", [P1, P2, P3, P4])
    article_id = ingest.add_inputs(expand_inputs([str(feed)]), settings, store).outcomes[0].article_id
    watch = alerts.add_watch(store, "story", stories.story_of(store)[article_id], webhook_url="https://hooks.example/x", secret="k")
    write_feed(feed, "Blaze at Harlow &amp; Co depot", [P1, P2, P3.replace("120", "210"), P4])
    outcomes = ingest.add_inputs(expand_inputs([str(feed)]), settings, store).outcomes
    assert alerts.raise_alerts(store, outcomes) == 1
    store.close()
    return settings, article_id, watch.id


def test_article_page_and_api_show_the_revisions(tmp_path: Path) -> None:
    settings, article_id, _ = build(tmp_path)
    with TestClient(create_app(settings)) as client:
        page = client.get(f"/articles/{article_id}")
        assert page.status_code == 200
        html = page.text
        assert 'id="revisions"' in html and "Revisions (2)" in html and "Revision 2</strong>" in html
        assert "<del>120</del><ins>210</ins>" in html  # the word diff of the corrected figure
        assert "Blaze at Harlow &amp; Co depot" in html  # untrusted text is escaped
        data = client.get(f"/api/articles/{article_id[:8]}/revisions").json()
        assert data["article_id"] == article_id and [r["number"] for r in data["revisions"]] == [1, 2]
        second = data["revisions"][1]
        assert {c["kind"] for c in second["changes"]} == {"headline-changed", "figure-changed"}
        assert {"op": "-", "text": "120"} in second["diff"] and {"op": "+", "text": "210"} in second["diff"]
        assert data["revisions"][0]["diff"] == []


def test_an_article_never_revised_has_no_revision_section(tmp_path: Path) -> None:
    settings = Settings(db_url=str(tmp_path / "w.db"), workers=1)
    store = Store(settings.sqlalchemy_url)
    feed = tmp_path / "ht.atom"
    write_feed(feed, "Depot fire", [P1, P3])
    article_id = ingest.add_inputs(expand_inputs([str(feed)]), settings, store).outcomes[0].article_id
    store.close()
    with TestClient(create_app(settings)) as client:
        assert 'id="revisions"' not in client.get(f"/articles/{article_id}").text
        assert client.get(f"/api/articles/{article_id}/revisions").json()["revisions"] == []


def test_alert_pages_api_and_feed(tmp_path: Path) -> None:
    settings, article_id, watch_id = build(tmp_path)
    with TestClient(create_app(settings)) as client:
        listing = client.get("/alerts").text
        assert "revised (figure-changed): Blaze at Harlow &amp; Co depot — revision 2" in listing
        assert f'href="/articles/{article_id}#revisions"' in listing
        one = client.get(f"/alerts/watches/{watch_id}")
        assert one.status_code == 200 and "Atom feed of this watch" in one.text
        assert client.get("/alerts/watches/999").status_code == 404
        api = client.get("/api/alerts", params={"watch": watch_id}).json()
        assert [a["kind"] for a in api["alerts"]] == ["revision"] and api["watch"]["id"] == watch_id
        assert "webhook_secret" not in api["watches"][0] and api["alerts"][0]["delivery"] == "pending"
        feed = client.get(f"/alerts/watches/{watch_id}/feed.atom")
        assert feed.headers["content-type"].startswith("application/atom+xml")
        root = ET.fromstring(feed.content)
        (entry,) = root.findall(f"{ATOM}entry")
        assert entry.findtext(f"{ATOM}title") == "revised (figure-changed): Blaze at Harlow & Co depot — revision 2"
        assert entry.find(f"{ATOM}link").get("href").endswith(f"/articles/{article_id}")
        assert entry.find(f"{ATOM}category").get("term") == "revision"
    store = Store(settings.sqlalchemy_url)
    with store.engine.connect() as conn:
        assert [a.kind for a in alert_db.list_alerts(conn, watch_id)] == ["revision"]
    store.close()

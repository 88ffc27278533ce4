"""The HTTP API over the demo corpus: every route's status, shape, values, filters, pagination, auth and limits."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crosswire.ingest.fetch import Fetched
from crosswire.web.app import create_app
from tests.web_support import EXPECTED, TOKEN, copy_db, demo_db, web_settings

CASES = {c["key"]: c for c in EXPECTED["articles"]}
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def demo() -> tuple[TestClient, dict[str, str], dict[str, str]]:
    """A read-only client over the demo store, the demo keys' article ids and story ids."""
    db, keys, stories = demo_db()
    with TestClient(create_app(web_settings(db))) as client:
        yield client, keys, stories


@pytest.fixture
def writable(tmp_path: Path) -> tuple[TestClient, dict[str, str], dict[str, str]]:
    """A client over a private copy of the demo store, for tests that write."""
    db, keys, stories = demo_db()
    with TestClient(create_app(web_settings(copy_db(db, tmp_path)))) as client:
        yield client, keys, stories


def test_story_list_has_the_demo_stories_biggest_first(demo) -> None:
    client, keys, stories = demo
    body = client.get("/api/stories").json()
    assert body["total"] == len(set(stories.values())) and body["offset"] == 0 and body["limit"] == 50
    first = body["items"][0]
    assert first["id"] == stories["A1"]
    assert first["size"] == sum(1 for s in stories.values() if s == stories["A1"])
    assert (first["first_published"], first["last_published"][:10]) == ("2024-09-12", "2024-09-13")
    assert {"Nordwire", "Der Kontinentbote", "Radio Coastline"} <= set(first["outlets"]) and first["languages"] == ["de", "en"]
    sizes = [s["size"] for s in body["items"]]
    assert sizes == sorted(sizes, reverse=True)
    assert first["lead"]["original"] and first["lead"]["outlet"] == "Nordwire"  # what the story list page shows
    assert any(x["kind"] == "dispute" and "14" in x["text"] and "41" in x["text"] for x in first["lines"])


def test_story_list_filters(demo) -> None:
    client, _keys, stories = demo
    ids = lambda **params: [s["id"] for s in client.get("/api/stories", params=params).json()["items"]]  # noqa: E731
    assert ids(language="de") == [stories["A5"]]
    assert ids(outlet="kestria herald") == [stories["B2"]]  # case-insensitive
    assert set(ids(outlet="Nordwire")) == {stories["A1"], stories["B1"], stories["C1"]}
    assert ids(until="2024-08-31") == [stories["B1"]]
    assert stories["B1"] not in ids(since="2024-09-01")
    assert ids(q="basis points") == [stories["C1"]]
    assert set(ids(q="Tarrenia")) == {stories["C1"], stories["A8"]}  # the roundup mentions the rate cut too
    assert ids(q="Veltrana", language="de") == [stories["A5"]]
    assert ids(q="zzzunknownword") == []


def test_story_list_pages(demo) -> None:
    client, *_ = demo
    everything = client.get("/api/stories").json()
    page = client.get("/api/stories", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == everything["total"] and [s["id"] for s in page["items"]] == [everything["items"][1]["id"]]
    recent = client.get("/api/stories", params={"order": "recent"}).json()["items"]
    assert [s["updated"] for s in recent] == sorted((s["updated"] for s in recent), reverse=True)


def test_one_story_by_time_with_reasons(demo) -> None:
    client, keys, stories = demo
    body = client.get(f"/api/stories/{stories['A1'][:8]}").json()  # a prefix works
    assert body["id"] == stories["A1"] and body["corrections"] == []
    members = {a["article_id"]: a for a in body["articles"]}
    assert {keys[k] for k in ("A1", "A2", "A3", "A4", "A5", "A6", "A9", "A10")} <= set(members)
    dates = [a["published"]["value"] for a in body["articles"] if a["published"]["value"]]
    assert dates == sorted(dates)
    assert members[keys["A2"]]["duplicate_of"] == keys["A1"]
    assert members[keys["A4"]]["published"]["source"] == "inferred"
    assert members[keys["A4"]]["published"]["evidence"].startswith("inferred from story")
    assert sum(a["started_story"] for a in body["articles"]) == 1
    assert all(a["lead"] for a in body["articles"])


def test_unknown_ids_are_404_json(demo) -> None:
    client, *_ = demo
    for path in ("/api/stories/nope", "/api/articles/nope", "/api/nothing-here"):
        r = client.get(path)
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found", path
    assert "'nope'" in client.get("/api/articles/nope").json()["error"]["message"]


def test_validation_errors_name_the_parameter(demo) -> None:
    client, *_ = demo
    for path, name in (("/api/articles?since=yesterday", "since"), ("/api/stories?limit=0", "limit"), ("/api/search", "q")):
        r = client.get(path)
        assert r.status_code == 422 and r.json()["error"]["code"] == "invalid" and name in r.json()["error"]["message"], path


def test_articles_list_filters_and_pages(demo) -> None:
    client, keys, _ = demo
    get = lambda **params: client.get("/api/articles", params=params).json()  # noqa: E731
    assert [a["id"] for a in get(language="de")["items"]] == [keys["A5"]]
    assert {a["id"] for a in get(outlet="Nordwire")["items"]} == {keys["A1"], keys["B1"], keys["C1"]}
    assert [a["id"] for a in get(since="2024-08-01", until="2024-08-27")["items"]] == [keys["B1"]]
    assert {a["id"] for a in get(search="Tarrenia")["items"]} >= {keys["C1"], keys["C2"]}
    first, second = get(limit=5), get(limit=5, offset=5)
    assert first["next_offset"] == 5 and len(first["items"]) == 5
    assert not {a["id"] for a in first["items"]} & {a["id"] for a in second["items"]}
    last = get(limit=5, offset=len(CASES) - 2)
    assert last["next_offset"] is None and len(last["items"]) == 2


def test_one_article_with_evidence_removed_lines_and_story(demo) -> None:
    client, keys, stories = demo
    body = client.get(f"/api/articles/{keys['A3']}").json()
    want = CASES["A3"]
    assert (body["title"], body["outlet"], body["published"]["value"]) == (want["title"], want["outlet"], want["published"])
    assert body["published"]["source"] == "stated" and body["published"]["evidence"]
    assert len(body["removed_lines"]) >= 1 and all(r["reason"] and r["rule"] for r in body["removed_lines"])
    assert body["story_id"] == stories["A3"] and body["origins"][0]["locator"].endswith(want["file"])
    assert "statements" not in body  # analysis layers appear when they exist, never as empty placeholders
    assert client.get(f"/api/articles/{keys['A2']}").json()["duplicate_of"] == keys["A1"]


def test_search_marks_the_matches(demo) -> None:
    client, keys, stories = demo
    body = client.get("/api/search", params={"q": "Kovel"}).json()
    assert body["total"] == len(body["items"]) >= 3
    for hit in body["items"]:
        assert hit["highlights"] and all(hit["snippet"][s:e].lower() == "kovel" for s, e in hit["highlights"])
        assert hit["story_id"] in (stories["A1"], stories["A8"])  # the depot fire, or the briefing quoting Kovel
    assert client.get("/api/search", params={"q": "nothingmatchesthis"}).json() == {
        "q": "nothingmatchesthis", "total": 0, "limit": 20, "offset": 0, "items": [],
    }  # fmt: skip
    assert client.get("/api/search", params={"q": 'depot" OR "x'}).status_code == 200  # FTS syntax taken literally


def test_export_formats(demo) -> None:
    client, keys, _ = demo
    whole = client.get("/api/export").json()
    assert whole["schema"] == "crosswire-export" and len(whole["articles"]) == len(CASES) and whole["stories"]
    lines = client.get("/api/export", params={"format": "jsonl", "language": "de"}).text.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [keys["A5"]]
    r = client.get("/api/export", params={"format": "csv", "outlet": "Nordwire"})
    assert r.headers["content-type"].startswith("text/csv")
    assert {row["id"] for row in csv.DictReader(io.StringIO(r.text))} == {keys["A1"], keys["B1"], keys["C1"]}
    assert client.get("/api/export", params={"format": "pdf"}).status_code == 422


NEW_ARTICLE = {"id": "t-1", "title": "Harbour crane collapses in Brask", "outlet": "Test Wire", "published": "2025-01-05",
               "language": "en", "text": "A harbour crane collapsed in Brask on Sunday, port director Ilka Sand said. Nobody was hurt."}  # fmt: skip


def test_ingest_is_refused_without_a_configured_token(tmp_path: Path) -> None:
    db, *_ = demo_db()
    with TestClient(create_app(web_settings(copy_db(db, tmp_path), token=None))) as client:
        r = client.post("/api/ingest/articles", json={"articles": [NEW_ARTICLE]}, headers=AUTH)
    assert r.status_code == 403 and "CROSSWIRE_API_TOKEN" in r.json()["error"]["message"]


def test_ingest_with_a_wrong_or_missing_token_is_401(writable) -> None:
    client, *_ = writable
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        r = client.post("/api/ingest/articles", json={"articles": [NEW_ARTICLE]}, headers=headers)
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert client.get("/api/articles", params={"outlet": "Test Wire"}).json()["items"] == []


def test_ingest_json_articles_stores_and_groups_them(writable) -> None:
    client, *_ = writable
    r = client.post("/api/ingest/articles", json={"articles": [NEW_ARTICLE, {"title": "no text"}]}, headers=AUTH)
    assert r.status_code == 200
    report = r.json()
    assert (report["added"], report["failed"]) == (1, 1) and report["items"][0]["input"] == "api-request.json#t-1"
    article_id = report["items"][0]["article_id"]
    stored = client.get(f"/api/articles/{article_id}").json()
    assert stored["title"] == NEW_ARTICLE["title"] and stored["published"] == {
        "value": "2025-01-05", "source": "metadata", "evidence": "input field 'published': '2025-01-05'",
    }  # fmt: skip
    assert stored["story_id"] and client.get(f"/api/stories/{stored['story_id']}").json()["articles"][0]["article_id"] == article_id
    again = client.post("/api/ingest/articles", json={"articles": [NEW_ARTICLE]}, headers=AUTH).json()
    assert again["unchanged"] == 1 and again["added"] == 0
    assert client.get("/api/search", params={"q": "crane Brask"}).json()["items"][0]["article_id"] == article_id


def test_ingest_files_reads_them_by_name_and_content(writable) -> None:
    client, *_ = writable
    html = b"<html><head><title>Ferry strike ends in Brask</title></head><body><article><h1>Ferry strike ends in Brask</h1>" + (
        b"<p>The ferry crews of Brask ended their strike on Monday after the port authority agreed to hire twelve more sailors, "
        b"union leader Mara Olen said.</p>" * 3 + b"</article></body></html>"
    )
    files = [("files", ("ferry.html", html, "text/html")), ("files", ("empty.txt", b"", "text/plain"))]
    report = client.post("/api/ingest/files", files=files, headers=AUTH).json()
    assert [i["status"] for i in report["items"]] == ["added", "failed"]
    assert report["items"][0]["input"] == "ferry.html" and "empty" in report["items"][1]["detail"]
    assert client.get(f"/api/articles/{report['items'][0]['article_id']}").json()["title"] == "Ferry strike ends in Brask"


def test_ingest_urls_goes_through_the_fetcher(tmp_path: Path) -> None:
    db, *_ = demo_db()
    seen: list[str] = []

    def fake_fetch(url: str, _settings: object) -> Fetched:
        seen.append(url)
        return Fetched(url, url, b"Brask harbour reopens\n\nThe harbour of Brask reopened on Tuesday, the port authority said.", "text/plain")

    with TestClient(create_app(web_settings(copy_db(db, tmp_path)), fetch=fake_fetch)) as client:
        report = client.post("/api/ingest/urls", json={"urls": ["https://example.org/brask"]}, headers=AUTH).json()
        assert seen == ["https://example.org/brask"] and report["added"] == 1
        assert client.post("/api/ingest/urls", json={"urls": ["file:///etc/passwd"]}, headers=AUTH).status_code == 422


def test_request_over_the_size_limit_is_413(tmp_path: Path) -> None:
    db, *_ = demo_db()
    with TestClient(create_app(web_settings(copy_db(db, tmp_path), max_input_bytes=10_000))) as client:
        big = dict(NEW_ARTICLE, text="word " * 40_000)
        r = client.post("/api/ingest/articles", json={"articles": [big]}, headers=AUTH)
        assert r.status_code == 413 and "limit" in r.json()["error"]["message"]
        r = client.post("/api/ingest/files", files=[("files", ("big.txt", b"x" * 200_000, "text/plain"))], headers=AUTH)
        assert r.status_code == 413
        assert client.get("/api/articles", params={"outlet": "Test Wire"}).json()["items"] == []


def test_corrections_need_the_token_and_are_recorded(writable) -> None:
    client, keys, stories = writable
    main, other = stories["A1"], stories["B1"]
    assert client.post(f"/api/stories/{main}/merge", json={"other": other}).status_code == 401
    r = client.post(f"/api/stories/{main}/merge", json={"other": other, "by": "tester"}, headers=AUTH)
    assert r.status_code == 200 and r.json()["action"] == "merge" and r.json()["who"] == "tester"
    assert set(r.json()["article_ids"]) == {keys["B1"], keys["B2"]}
    assert client.get(f"/api/stories/{other}").status_code == 404
    story = client.get(f"/api/stories/{main}").json()
    assert [c["action"] for c in story["corrections"]] == ["merge"]
    split = client.post(f"/api/stories/{main}/split", json={"article_ids": [keys["B1"], keys["B2"]]}, headers=AUTH).json()
    assert split["other_story_id"] == main and client.get(f"/api/articles/{keys['B2']}").json()["story_id"] == split["story_id"]
    moved = client.post(f"/api/stories/{main}/move", json={"article_id": keys["B2"]}, headers=AUTH).json()
    assert moved["story_id"] == main and client.get(f"/api/articles/{keys['B2']}").json()["story_id"] == main


def test_impossible_corrections_are_409_with_the_reason(writable) -> None:
    client, keys, stories = writable
    main = stories["A1"]
    r = client.post(f"/api/stories/{main}/merge", json={"other": main}, headers=AUTH)
    assert r.status_code == 409 and "itself" in r.json()["error"]["message"]
    r = client.post(f"/api/stories/{main}/move", json={"article_id": keys["A1"]}, headers=AUTH)
    assert r.status_code == 409 and "already in" in r.json()["error"]["message"]
    assert client.post("/api/stories/nope/merge", json={"other": main}, headers=AUTH).status_code == 404


def test_openapi_describes_every_api_route(demo) -> None:
    client, *_ = demo
    paths = client.get("/openapi.json").json()["paths"]
    assert {
        "/api/articles", "/api/articles/{article_id}", "/api/stories", "/api/stories/{story_id}", "/api/stories/{story_id}/merge",
        "/api/stories/{story_id}/split", "/api/stories/{story_id}/move", "/api/search", "/api/export",
        "/api/ingest/articles", "/api/ingest/files", "/api/ingest/urls", "/api/stories/{story_id}/comparison",
        "/api/statements", "/api/entities", "/api/timeline", "/api/articles/{article_id}/analysis",
        "/api/alerts", "/api/articles/{article_id}/revisions",
    } == set(paths)  # fmt: skip
    assert "401" in paths["/api/ingest/articles"]["post"]["responses"]
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert {"StoryComparisonOut", "LabelledConflictOut", "SummaryOut", "StatementListOut", "EntityListOut", "TimelineOut", "AnalysisOut"} <= set(schemas)


def test_atom_feed_lists_stories_newest_update_first(demo) -> None:
    client, _keys, stories = demo
    r = client.get("/feed.atom")
    assert r.headers["content-type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(r.content)
    entries = root.findall("a:entry", ns)
    assert {e.find("a:id", ns).text for e in entries} == {f"urn:crosswire:story:{s}" for s in set(stories.values())}
    updated = [e.find("a:updated", ns).text for e in entries]
    assert updated == sorted(updated, reverse=True) and root.find("a:updated", ns).text == updated[0]
    main = next(e for e in entries if e.find("a:id", ns).text.endswith(stories["A1"]))
    assert main.find("a:link", ns).get("href").endswith(f"/stories/{stories['A1']}")
    assert "2024-09-12 to 2024-09-13" in main.find("a:summary", ns).text

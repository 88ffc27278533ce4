"""Conditional GETs on the API's reads and the Atom feed: ETag and Last-Modified, 304 when nothing changed, a new
ETag once the store changes; every API route has a tag and a summary in /openapi.json."""

from __future__ import annotations

from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crosswire.web.app import create_app
from crosswire.web.caching import etag_of
from tests.test_cli import ARTICLE
from tests.web_support import TOKEN, web_settings

READS = ["/api/stories", "/api/articles", "/api/statements", "/api/entities", "/api/export", "/feed.atom"]


@pytest.fixture
def client(tmp_path: Path):
    with TestClient(create_app(web_settings(tmp_path / "c.db"))) as c:
        yield c


def _add(client: TestClient, title: str) -> None:
    body = {"articles": [{"title": title, "outlet": "Coast Gazette", "text": ARTICLE.replace("Lighthouse Keeper", title)}]}
    response = client.post("/api/ingest/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("path", READS)
def test_a_read_answers_304_to_its_own_etag(client: TestClient, path: str) -> None:
    _add(client, "Harbour Keeper Retires")
    first = client.get(path)
    assert first.status_code == 200 and first.headers["etag"] == etag_of(first.content)
    assert first.headers["cache-control"] == "no-cache"
    again = client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == first.headers["etag"]
    assert client.get(path, headers={"If-None-Match": '"other", ' + first.headers["etag"]}).status_code == 304
    assert client.get(path, headers={"If-None-Match": '"stale"'}).status_code == 200


def test_the_etag_changes_when_the_store_does(client: TestClient) -> None:
    _add(client, "Harbour Keeper Retires")
    before = {p: client.get(p).headers["etag"] for p in ("/api/articles", "/api/stories", "/feed.atom")}
    _add(client, "Ferry Captain Honoured")
    for path, tag in before.items():
        after = client.get(path, headers={"If-None-Match": tag})
        assert after.status_code == 200 and after.headers["etag"] == etag_of(after.content) != tag, path
    assert "Ferry Captain Honoured" in client.get("/api/articles").text


def test_last_modified_and_if_modified_since(client: TestClient) -> None:
    _add(client, "Harbour Keeper Retires")
    for path in ("/api/stories", "/feed.atom"):
        stamp = client.get(path).headers["last-modified"]
        when = parsedate_to_datetime(stamp)
        assert client.get(path, headers={"If-Modified-Since": stamp}).status_code == 304
        earlier = format_datetime(when.replace(year=when.year - 1), usegmt=True)
        assert client.get(path, headers={"If-Modified-Since": earlier}).status_code == 200
        assert client.get(path, headers={"If-Modified-Since": "not a date"}).status_code == 200


def test_errors_and_writes_carry_no_validators(client: TestClient) -> None:
    missing = client.get("/api/stories/nope")
    assert missing.status_code == 404 and "etag" not in missing.headers
    write = client.post("/api/ingest/urls", json={"urls": []}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert "etag" not in write.headers


def test_every_api_route_has_a_tag_and_a_summary(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    tags = {t["name"] for t in spec["tags"]}
    operations = [(path, op) for path, ops in spec["paths"].items() for op in ops.values()]
    assert len(operations) >= 17
    for path, op in operations:
        assert op.get("summary") and len(op.get("tags", [])) == 1 and op["tags"][0] in tags, path
    assert len({op["summary"] for _, op in operations}) == len(operations)  # each says what it does

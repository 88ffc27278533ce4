"""The page cache: a read page is served from memory while the store is unchanged (same ETag, 304 on
If-None-Match) and rendered anew after any write (a correction here)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from crosswire.web.app import create_app
from tests.web_support import TOKEN, copy_db, demo_db, web_settings

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_pages_are_cached_until_the_store_changes(tmp_path: Path) -> None:
    db, _keys, stories = demo_db()
    client = TestClient(create_app(web_settings(copy_db(db, tmp_path))))
    first = client.get("/")
    again = client.get("/")
    assert first.status_code == again.status_code == 200 and first.text == again.text
    etag = first.headers["etag"]
    assert etag == again.headers["etag"] and etag.startswith('W/"g')
    assert client.get("/", headers={"If-None-Match": etag}).status_code == 304
    story = stories["wire_original"] if "wire_original" in stories else next(iter(stories.values()))
    other = next(s for s in stories.values() if s != story)
    page = client.get(f"/api/stories/{story}")
    assert page.status_code == 200
    moved = client.post(f"/api/stories/{story}/merge", json={"other": other, "by": "tester"}, headers=AUTH)
    assert moved.status_code == 200, moved.text
    after = client.get("/")
    assert after.headers["etag"] != etag and after.text != first.text
    assert client.get("/", headers={"If-None-Match": etag}).status_code == 200  # the old tag is stale
    assert client.get(f"/api/stories/{story}").json() != page.json()  # the merged story shows its new members


def test_errors_writes_and_exports_are_never_cached(tmp_path: Path) -> None:
    db, _keys, _stories = demo_db()
    client = TestClient(create_app(web_settings(copy_db(db, tmp_path))))
    assert client.get("/stories/snope").status_code == 404
    assert "etag" not in client.get("/stories/snope").headers
    assert not client.get("/api/export").headers.get("etag", "").startswith('W/"g')  # the route's own tag, not a cached page's

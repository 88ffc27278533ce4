"""The HTML pages over the demo corpus: what each page shows, the correction forms, and untrusted text kept inert."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crosswire.web.app import create_app
from crosswire.web.timeline import UNDATED_LANE_PX, story_timeline
from crosswire.web.views import DateOut, MemberOut, safe_href, segments
from tests.web_support import EXPECTED, TOKEN, copy_db, demo_db, web_settings

CASES = {c["key"]: c for c in EXPECTED["articles"]}
SCRIPT = "<script>alert(1)</script>"
EVIL = {
    "id": "evil-1", "outlet": f"Evil {SCRIPT} Wire", "language": "en", "published": "2024-09-12", "url": "javascript:alert(1)",
    "title": f"Veltrana depot {SCRIPT} fire",
    "text": f"Fire at the Veltrana depot {SCRIPT} spread overnight, officials said. "
            '<a href="javascript:alert(1)">more</a> <img src=x onerror="alert(1)"> The depot burned for hours.',
}  # fmt: skip


@pytest.fixture(scope="module")
def demo() -> tuple[TestClient, dict[str, str], dict[str, str]]:
    db, keys, stories = demo_db()
    with TestClient(create_app(web_settings(db))) as client:
        yield client, keys, stories


@pytest.fixture
def writable(tmp_path: Path) -> tuple[TestClient, dict[str, str], dict[str, str]]:
    db, keys, stories = demo_db()
    with TestClient(create_app(web_settings(copy_db(db, tmp_path)))) as client:
        yield client, keys, stories


def test_story_list_shows_every_story_with_size_span_and_outlets(demo) -> None:
    client, _keys, stories = demo
    page = client.get("/").text
    assert f"{len(set(stories.values()))} stories" in page
    rows = re.findall(r'<tr>\s*<td><a class="story-link" href="[^"]*/stories/(\w+)">', page)
    assert rows[0] == stories["A1"] and set(rows) == set(stories.values())
    assert "2024-09-12 – 2024-09-13" in page and "Der Kontinentbote" in page
    assert '<option value="de" >de</option>' in page


def test_story_list_filters_and_search(demo) -> None:
    client, _keys, stories = demo
    page = client.get("/", params={"language": "de", "q": "Veltrana"}).text
    assert re.findall(r'class="story-link" href="[^"]*/stories/(\w+)"', page) == [stories["A5"]]
    assert 'value="Veltrana"' in page and '<option value="de" selected>' in page
    assert "0 stories" in client.get("/", params={"q": "nothingmatchesthis"}).text
    assert client.get("/", params={"since": "not-a-date"}).status_code == 422


def test_story_page_shows_articles_side_by_side_and_a_time_line(demo) -> None:
    client, keys, stories = demo
    main = stories["A1"]
    page = client.get(f"/stories/{main}").text
    members = [k for k, s in stories.items() if s == main]
    for key in members:
        assert f'id="a-{keys[key]}"' in page, key
    assert page.count('<div class="card"') == len(members)
    assert page.count('class="mark mark-') == len(members)
    assert page.count("mark mark-inferred") == sum(1 for k in members if CASES[k]["date_source"] == "unknown" and k != "A7")
    assert "verbatim copy of" in page and "Der Kontinentbote" in page
    assert 'id="merge-form"' in page and 'type="password" name="token"' in page
    assert 'id="statements"' not in page  # analysis sections appear only when their data exists


def test_article_page_shows_metadata_evidence_and_removed_lines(demo) -> None:
    client, keys, stories = demo
    page = client.get(f"/articles/{keys['A3']}").text
    assert CASES["A3"]["title"] in page.replace("&#39;", "'").replace("&amp;", "&")
    assert '<details id="removed-lines"><summary>Removed lines (' in page
    assert f'href="/stories/{stories["A3"]}"' in page  # a path: links never carry the client's Host header
    assert "(stated)" in page and 'class="evidence"' in page
    copy = client.get(f"/articles/{keys['A2']}").text
    assert 'id="copy-of"' in copy and f"/articles/{keys['A1']}" in copy


def test_search_page_marks_matches(demo) -> None:
    client, *_ = demo
    page = client.get("/search", params={"q": "Kovel"}).text
    assert re.search(r"<mark>Kovel</mark>", page) and 'id="hit-count"' in page
    assert 'id="hits"' not in client.get("/search").text


def test_unknown_pages_are_html_404(demo) -> None:
    client, *_ = demo
    r = client.get("/stories/nope")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html") and "no story with id" in r.text


def test_untrusted_text_renders_inert_everywhere(writable) -> None:
    client, *_ = writable
    report = client.post("/api/ingest/articles", json={"articles": [EVIL]}, headers={"Authorization": f"Bearer {TOKEN}"}).json()
    article_id = report["items"][0]["article_id"]
    stored = client.get(f"/api/articles/{article_id}").json()
    assert SCRIPT in stored["text"] and SCRIPT in stored["title"] and 'href="javascript:' in stored["text"]
    pages = [f"/articles/{article_id}", f"/stories/{stored['story_id']}", "/", "/search?q=Veltrana+depot+officials"]
    for path in pages:
        page = client.get(path).text
        assert SCRIPT not in page and "<img" not in page, path
        assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", page, re.I), path
        assert "&lt;script&gt;" in page, path  # shown, escaped
    assert "onerror" not in client.get("/feed.atom").text.replace("onerror=&quot;", "")


def test_correction_forms_need_the_token_and_use_the_workflows(writable) -> None:
    client, keys, stories = writable
    main, other = stories["A1"], stories["B1"]
    r = client.post(f"/stories/{main}/merge", data={"other": other, "token": "wrong"})
    assert r.status_code == 401 and "token" in r.text
    r = client.post(f"/stories/{main}/merge", data={"other": other, "token": TOKEN, "by": "editor"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith(f"/stories/{main}")
    page = client.get(f"/stories/{main}").text
    assert "editor · merge: 2 article(s)" in page and f'id="a-{keys["B1"]}"' in page
    r = client.post(f"/stories/{main}/split", data={"article_ids": [keys["B1"], keys["B2"]], "token": TOKEN}, follow_redirects=False)
    new_story = r.headers["location"].rsplit("/", 1)[1]
    assert new_story != main and client.get(f"/api/articles/{keys['B1']}").json()["story_id"] == new_story
    r = client.post(f"/stories/{main}/move", data={"article_id": keys["A1"], "token": TOKEN})
    assert r.status_code == 409 and "already in" in r.text


def test_correction_forms_are_refused_when_no_token_is_configured(tmp_path: Path) -> None:
    db, _keys, stories = demo_db()
    with TestClient(create_app(web_settings(copy_db(db, tmp_path), token=None))) as client:
        r = client.post(f"/stories/{stories['A1']}/merge", data={"other": stories["B1"], "token": ""})
    assert r.status_code == 403 and "CROSSWIRE_API_TOKEN" in r.text


def _member(aid: str, value: str | None, source: str) -> MemberOut:
    return MemberOut(
        article_id=aid, title=aid, outlet="o", language="en", published=DateOut(value=value, source=source, evidence=""),
        duplicate_of=None, url=None, lead="", score=1, embedding_similarity=1, names_similarity=1, shared_names=[], started_story=False,
    )  # fmt: skip


def test_time_line_stacks_same_day_and_keeps_undated_apart() -> None:
    t = story_timeline([_member("a", "2024-09-12", "stated"), _member("b", "2024-09-12T18:00:00", "metadata"),
                        _member("c", "2024-09-16", "inferred"), _member("d", None, "unknown")])  # fmt: skip
    marks = {m.article_id: m for m in t.marks}
    assert marks["a"].x == marks["b"].x < marks["c"].x < marks["d"].x == UNDATED_LANE_PX
    assert marks["a"].y != marks["b"].y and marks["a"].y < t.axis_y
    assert (marks["a"].kind, marks["c"].kind, marks["d"].kind) == ("dated", "inferred", "undated")
    assert [label for _x, label in t.ticks] == ["2024-09-12", "2024-09-14", "2024-09-16"] and t.has_undated
    single = story_timeline([_member("a", "2024-09-12", "stated")])
    assert single.marks[0].x == 310 and not single.has_undated


def test_segments_and_safe_links() -> None:
    assert segments("abcdef", [(1, 3), (2, 4)]) == [("a", False), ("bc", True), ("d", True), ("ef", False)]
    assert segments("abc", []) == [("abc", False)]
    assert safe_href("https://example.org/a") == "https://example.org/a"
    assert safe_href("javascript:alert(1)") is None and safe_href(" javascript:x") is None and safe_href(None) is None


def test_serve_verb_runs_uvicorn_on_loopback_with_the_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from crosswire.cli.app import app as cli

    calls: list[tuple[object, str, int]] = []
    monkeypatch.setattr(uvicorn, "run", lambda application, host, port, **_: calls.append((application, host, port)))
    db = tmp_path / "serve.db"
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--port", "8765"], env={"CROSSWIRE_API_TOKEN": ""})
    assert result.exit_code == 0, result.output
    [(application, host, port)] = calls
    assert (host, port) == ("127.0.0.1", 8765) and application.state.settings.db_url == str(db)
    assert application.state.settings.api_token is None and "CROSSWIRE_API_TOKEN is not set" in result.output


def test_pages_forbid_scripts_and_nothing_loads_from_elsewhere(demo) -> None:
    client, _keys, stories = demo
    for path in ("/", f"/stories/{stories['A1']}", "/search?q=depot"):
        r = client.get(path)
        assert "script-src 'none'" in r.headers["content-security-policy"], path
        assert not re.search(r"""(src|href)="(https?:)?//""", r.text), path  # no CDN, no remote asset
    assert client.get("/docs").status_code == 404  # FastAPI's Swagger page would load a CDN

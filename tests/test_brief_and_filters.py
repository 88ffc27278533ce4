"""Briefs (extractive, every line cited, disputes with both sides, copies not counted, HTML escaped) and the story list's entity filter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crosswire.app import comparison as cmp_app
from crosswire.app import ingest, reading, stories
from crosswire.app.stories import StoryView
from crosswire.compare.brief import make_brief, to_html, to_markdown
from crosswire.ingest.sources import expand_inputs
from crosswire.model import Comparison
from crosswire.settings import Settings
from crosswire.storage.store import Store


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    db = tmp_path_factory.mktemp("brief") / "demo.db"
    settings = Settings(db_url=f"sqlite:///{db}", workers=1)
    store = Store(settings.db_url)
    ingest.add_inputs(expand_inputs([str(reading.demo_corpus_path())]), settings, store)
    return store


def test_demo_brief_cites_every_line_and_presents_the_dispute(demo_store: Store) -> None:
    story = stories.list_stories(demo_store)[0]
    b = cmp_app.story_brief(demo_store, story.id)
    md = to_markdown(b)
    texts = {m.article_id: demo_store.article(m.article_id).text for m in story.members}
    for line in (*b.facts, *b.statements):
        assert line.citations
        c = line.citations[0]
        assert texts[c.article_id][c.span[0] : c.span[1]].strip()  # the cited span is real text
    facts = [line for line in b.facts]
    assert all(texts[line.citations[0].article_id][slice(*line.citations[0].span)] == line.text for line in facts)
    numbers = [d for d in b.disputes if d.kind == "number"]
    assert any({v for v, _, _ in d.sides} == {"14", "41"} and d.conservative == "14" for d in numbers)
    assert '"14"' in md and '"41"' in md and "Disputed" in md
    bullets = [ln for ln in md.splitlines() if ln.startswith("- ") and "copies" not in ln and "rewrites" not in ln
               and "translates" not in ln and "same agency" not in ln and "compared;" not in ln]
    assert all(re.search(r"[\w.)]: “[^”]+”", ln) for ln in bullets), bullets  # outlet and the quoted passage
    assert not re.search(r"[0-9a-f]{10}:\d+-\d+", md)  # offsets only in the export and the links
    assert md.index("## Summary") < md.index("## What the original reports say")
    assert "firefighters injured" in md
    comparison = cmp_app.story_comparison(demo_store, story.id)
    assert b.independent_sources == comparison.independent_sources < len(story.members)
    assert "The Meridian Post copies Nordwire" in b.derived


def test_brief_html_escapes_article_text() -> None:
    from crosswire.storage.stories import Member

    text = 'The <script>alert(1)</script> fire at the <a href="javascript:x">depot</a> burned for nine hours on Monday night.'
    member = Member("a" * 16, "s1", "<b>t</b>", "<i>Outlet</i>", "en", "2024-01-01", "stated", 1.0, 1.0, 1.0, (), True, 1)
    view = StoryView("s1", "<script>x</script>", "2024-01-01", "2024-01-01", ("<i>Outlet</i>",), ("en",), (member,))
    comparison = Comparison("s1", ("a" * 16,), (), (), (), (), ("a" * 16,), 1)
    html = to_html(make_brief(view, comparison, {"a" * 16: text}))
    assert "<script>" not in html and "&lt;script&gt;" in html and 'href="javascript' not in html


def test_brief_cli_writes_markdown_and_html(demo_store: Store, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from crosswire.cli.app import app

    story = stories.list_stories(demo_store)[0]
    db = demo_store.engine.url.database
    out = tmp_path / "b.html"
    r = CliRunner().invoke(app, ["brief", story.id[:8], "--db", str(db), "--format", "html", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "<h2>Disputed</h2>" in out.read_text("utf-8")
    r = CliRunner().invoke(app, ["brief", story.id[:8], "--db", str(db), "--format", "pdf"])
    assert r.exit_code == 2


def test_brief_page_from_the_web(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from crosswire.web.app import create_app
    from tests.web_support import copy_db, demo_db, web_settings

    db, _keys, stories = demo_db()
    client = TestClient(create_app(web_settings(copy_db(db, tmp_path))))
    page = client.get(f"/stories/{stories['A1']}/brief")
    assert page.status_code == 200 and "<h2>Disputed</h2>" in page.text and "newsflashhub.example" in page.text
    md = client.get(f"/stories/{stories['A1']}/brief", params={"format": "md"})
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown") and '"41"' in md.text
    assert client.get("/stories/nope/brief").status_code == 404


def test_story_list_filters_by_entity(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from crosswire.web.app import create_app
    from tests.web_support import copy_db, demo_db, web_settings

    db, _keys, stories = demo_db()
    client = TestClient(create_app(web_settings(copy_db(db, tmp_path))))
    quoting = {stories["A1"], stories["A8"]}  # the depot fire story and the morning briefing (its own story) quote Dana Kovel
    assert stories["A1"] != stories["A8"]
    by_name = client.get("/api/stories", params={"entity": "kovel"}).json()["items"]
    assert {s["id"] for s in by_name} == quoting
    by_key = client.get("/api/stories", params={"entity": "person:dana kovel"}).json()["items"]
    assert {s["id"] for s in by_key} == quoting
    assert client.get("/api/stories", params={"entity": "person:nobody at all"}).json()["items"] == []
    page = client.get("/", params={"entity": "kovel"})
    assert page.status_code == 200 and stories["A1"] in page.text and stories["B1"] not in page.text


def test_search_finds_articles_by_the_canonical_name_of_a_quoted_speaker(tmp_path: Path) -> None:
    from crosswire.app.reading import find_stories, search_articles
    from crosswire.storage.browse import StoryQuery

    settings = Settings(db_url=f"sqlite:///{tmp_path / 's.db'}", workers=1)
    store = Store(settings.db_url)
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text("Minister talks\n\nInterior Minister Dana Kovel visited the harbour on Friday. "
                                  "Kovel said the water was safe to drink.\n", "utf-8")
    (inputs / "b.txt").write_text("Harbour update\n\nThe harbour reopened on Saturday, Kovel told reporters, "
                                  "after divers checked the quay walls.\n", "utf-8")
    ingest.add_inputs(expand_inputs([str(inputs)]), settings, store)
    page = search_articles(store, "Dana Kovel", 10, 0)
    titles = [h.title for h in page.hits]
    assert page.total == 2 and titles[0] == "Minister talks" and "Harbour update" in titles  # b only says "Kovel"
    assert any("quotes" in h.snippet for h in page.hits if h.title == "Harbour update")
    found = find_stories(store, StoryQuery(q="Dana Kovel"))
    assert {s.row.id for s in found.stories} == set(stories.story_of(store).values())

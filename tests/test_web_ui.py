"""The HTML pages over the demo corpus: what each page shows, the correction forms, untrusted text kept inert, the
comparisons stored by the ingest (never computed by a page), and the readable comparison and brief."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crosswire import export
from crosswire.app import comparison, reading, stories
from crosswire.model import Passage, SummaryLine
from crosswire.storage import comparisons as comparison_db
from crosswire.storage.browse import StoryQuery
from crosswire.storage.store import Store
from crosswire.web.app import create_app
from crosswire.web.comparison_page import word_diff
from crosswire.web.comparison_views import conflict_headline, page_summary, story_comparison_out
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
    rows = re.findall(r'<li class="story-item" id="story-(\w+)">\s*<h2 class="story-title"><a class="story-link"', page)
    assert rows[0] == stories["A1"] and set(rows) == set(stories.values())
    assert "2024-09-12 – 2024-09-13" in page and "Der Kontinentbote" in page
    assert '<option value="de" >de</option>' in page


def test_story_list_answers_at_a_glance_from_the_stored_comparisons(writable) -> None:
    """Each story's lead sentence (the original report's) and what the outlets dispute and agree on, read from the
    stored comparison; a story whose comparison is gone says 'pending' and the list computes nothing."""
    client, keys, stories = writable
    main = stories["A1"]
    item = client.get("/").text.split(f'id="story-{main}"')[1].split("</li>\n")[0]
    assert "Nordwire, the original report:</span> VELTRANA, Marovia (Nordwire) – A fire that began" in item
    assert re.search(r'<span class="n">2</span> disputed points', item)
    dispute = re.search(r'<li class="summary-dispute"><span class="tag">dispute</span> ([^<]+)</li>', item)
    assert dispute and dispute.group(1) == "firefighters injured: 14 (Nordwire) vs 41 (newsflashhub.example)"
    assert item.index("summary-dispute") < item.index("summary-agree")  # disputes first
    [row] = [x for x in client.get("/api/stories").json()["items"] if x["id"] == main]
    assert row["lead"]["original"] and row["lead"]["outlet"] == "Nordwire" and row["conflicts"] == 2  # as the page
    store = client.app.state.store
    with store.transaction() as tx:
        tx._conn.exec_driver_sql(f"DELETE FROM story_comparisons WHERE story_id = '{stories['B1']}'")
    other = client.get("/").text.split(f'id="story-{stories["B1"]}"')[1].split("</li>\n")[0]
    assert "comparison pending" in other and "summary-agree" not in other
    assert "the original report" not in other  # the headline article's opening instead
    assert re.search(r'<p class="story-lead">\s*[^<]*Fire commander Lucia Brandt said', other)
    assert comparison.stored_comparison(store, stories["B1"]) is None  # nothing computed on request


def test_story_list_leads_are_the_stored_comparisons_typed_summary_lines(demo) -> None:
    """The list's lead lines are the stored comparison's summary lines as typed values (read from the record's lines
    alone), its original lead is the original line's first passage, and the API writes them out at the edge."""
    client, _keys, stories = demo
    store = client.app.state.store
    page = reading.find_stories(store, StoryQuery())
    leads = reading.story_leads(store, page)
    api = {x["id"]: x for x in client.get("/api/stories").json()["items"]}
    compared = 0
    for s in page.stories:
        stored = comparison.stored_comparison(store, s.row.id)
        lead = leads[s.row.id]
        if stored is None:
            assert lead.lines == () and not lead.original and api[s.row.id]["lines"] == []
            continue
        compared += 1
        assert lead.lines == stored.summary and all(isinstance(x, SummaryLine) for x in lead.lines)
        assert all(isinstance(p, Passage) for x in lead.lines for p in x.passages)
        [original] = [x for x in stored.summary if x.kind == "original"]
        first = original.passages[0]
        assert (lead.article_id, lead.text, lead.original) == (first.article_id, first.text, True)
        assert lead.outlet == dict(stored.outlets)[first.article_id]
        assert api[s.row.id]["lines"] == [{"kind": x.kind, "text": x.text} for x in stored.summary]
    assert compared >= 2 and len({s for s in stories.values()}) == page.total
    main = leads[stories["A1"]]
    assert any(x.kind == "dispute" and x.text == "firefighters injured: 14 (Nordwire) vs 41 (newsflashhub.example)" for x in main.lines)


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


def test_article_marks_are_statements_only_by_default_and_chosen_by_the_query(demo) -> None:
    """The switches work without a script: the form sends ?marks= (and 'none', so all-off is a choice), the server
    marks the text's container with the kinds shown, and the passage a link points to is kept."""
    client, keys, _ = demo
    page = client.get(f"/articles/{keys['A1']}").text
    assert 'class="body show-statements" id="article-text"' in page
    checked = re.findall(r'id="mark-(\w+)" checked', page)
    assert checked == ["statements"] and re.search(r'id="mark-entities"> <span class="sample">names', page)
    counts = dict(re.findall(r'value="(\w+)" id="mark-\w+"[^>]*> <span class="sample">[^<]+</span> <span class="how">\((\d+)\)', page))
    assert set(counts) == {"statements", "entities", "claims", "quantities", "dates"} and all(int(n) > 0 for n in counts.values())
    chosen = client.get(f"/articles/{keys['A1']}", params=[("marks", "none"), ("marks", "entities"), ("marks", "dates"),
                                                            ("start", "0"), ("end", "20")]).text  # fmt: skip
    assert 'class="body show-entities show-dates" id="article-text"' in chosen
    assert re.findall(r'id="mark-(\w+)" checked', chosen) == ["entities", "dates"]
    assert '<input type="hidden" name="start" value="0"><input type="hidden" name="end" value="20">' in chosen
    none = client.get(f"/articles/{keys['A1']}", params={"marks": "none"}).text
    assert 'class="body" id="article-text"' in none and "checked" not in none.split('id="mark-toggles"')[1].split("</form>")[0]
    assert client.get(f"/articles/{keys['A1']}", params={"marks": "everything"}).status_code == 422


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


# --- item 4: comparisons are ready before anyone asks; item 5: the comparison and the brief are readable ---

def _record_of(client: TestClient, story: str) -> dict:
    with client.app.state.store.engine.connect() as conn:
        return export.comparison_record(comparison_db.load(conn, story).comparison)


def store_record(store: Store, story: str, record: dict) -> None:
    """Store ``record`` as the story's current comparison, as the engine would."""
    members = [m.article_id for m in stories.get_story(store, story).members]
    with store.transaction() as tx:
        tx.save_comparison(comparison_db.CachedComparison(story, comparison_db.signature(members, comparison.COMPARISON_INPUTS),
                                                                   "2024-09-13T00:00:00+00:00", len(record["conflicts"]),
                                                                   export.comparison_from_record(record)))  # fmt: skip


def augmented_record(store: Store, story: str, keys: dict[str, str]) -> dict:
    """The demo story's real record with what the engine adds: summary lines, a conflict label, a modality shift."""
    with store.engine.connect() as conn:
        record = export.comparison_record(comparison_db.load(conn, story).comparison)
    nordwire, farm = keys["A1"], keys["A4"]
    quote = {"article_id": nordwire, "outlet": "Nordwire", "span": [188, 190], "text": "14"}
    record["summary"] = {"lines": [
        {"kind": "agree", "text": "All outlets report three workers killed.", "passages": [quote]},
        {"kind": "dispute", "text": "Firefighters injured: 14 (Nordwire) vs 41 (newsflashhub.example).",
         "passages": [quote, {"article_id": farm, "outlet": "newsflashhub.example", "span": [180, 182], "text": "41"}]},
        {"kind": "coverage", "text": "12 statements and 9 figures compared; 4 appear in one outlet only.", "passages": []},
    ], "compared": {"statements": 12, "figures": 9, "single_outlet": 4}}
    [number] = [k for k in record["conflicts"] if k["kind"] == "number"]
    number["label"] = "firefighters injured"
    record["statements"][0]["variants"][-1]["shift"] = [
        {"kind": "modality", "detail": "conditional threat becomes an intention",
         "from": {"article_id": nordwire, "span": [10, 30], "text": "if this continues"},
         "to": {"article_id": farm, "span": [40, 60], "text": "his intention to"}}]  # fmt: skip
    return record


def test_ingest_stores_every_comparison_so_pages_never_wait(demo) -> None:
    client, _keys, stories = demo
    store = client.app.state.store
    assert comparison.stale_stories(store) == []  # the add run compared every story of two or more articles
    for story in set(stories.values()):
        page = client.get(f"/stories/{story}").text
        assert 'id="comparison-pending"' not in page and 'id="compare-link"' not in page and "?compare" not in page
        assert 'id="provenance"' in page or "One article: nothing to compare" in page


def test_parallel_comparison_matches_the_serial_one_and_reports_progress(writable) -> None:
    client, _keys, stories = writable
    store = client.app.state.store
    small = sorted({stories["B1"], stories["C1"]})
    before = {s: _record_of(client, s) for s in small}
    with store.transaction() as tx:
        tx._conn.exec_driver_sql("DELETE FROM story_comparisons")
    assert set(small) <= set(comparison.stale_stories(store)) and client.get("/api/stories?limit=5").json()["items"][0]["conflicts"] is None
    seen: list[tuple[int, int]] = []
    assert comparison.compare_stories(store, small, workers=2, progress=lambda done, total: seen.append((done, total))) == 2
    assert seen == [(1, 2), (2, 2)] and {s: _record_of(client, s) for s in small} == before


def test_export_computes_missing_comparisons_only_when_asked(writable) -> None:
    client, _keys, stories = writable
    store = client.app.state.store
    with store.transaction() as tx:
        tx._conn.exec_driver_sql(f"DELETE FROM story_comparisons WHERE story_id = '{stories['B1']}'")
    out = io.StringIO()
    reading.export_all(store, "json", out, compare_missing=False)  # the API's export: reads, never computes
    exported = {s["id"]: s["comparison"] for s in json.loads(out.getvalue())["stories"]}
    assert exported[stories["B1"]] is None and exported[stories["A1"]] is not None and stories["B1"] in comparison.stale_stories(store)
    seen: list[tuple[int, int]] = []
    reading.export_all(store, "json", io.StringIO(), compare_missing=True, workers=2, progress=lambda d, n: seen.append((d, n)))
    assert seen and seen[-1][0] == seen[-1][1] and comparison.stale_stories(store) == []


def test_story_page_opens_with_a_summary_and_never_claims_agreement_without_coverage(demo) -> None:
    client, _keys, stories = demo
    page = client.get(f"/stories/{stories['A1']}").text
    assert page.index('id="summary"') < page.index('id="articles"')
    summary = page[page.index('id="summary"') : page.index('id="articles"')]
    assert "agree on every compared fact" not in page
    assert "firefighters injured: 14 (Nordwire) vs 41 (newsflashhub.example)" in summary  # the engine's dispute line
    assert re.search(r"\d+ statements and \d+ figures compared", summary)  # and how much was compared
    quiet = client.get(f"/stories/{stories['C1']}").text  # compared, no conflict: says how much was compared
    assert "agree on every" not in quiet and re.search(r"\d+ statements and \d+ figures compared", quiet)


def test_engine_summary_labels_and_shifts_are_shown_with_their_passages(writable) -> None:
    client, keys, stories = writable
    main = stories["A1"]
    nordwire, farm = keys["A1"], keys["A4"]
    store_record(client.app.state.store, main, augmented_record(client.app.state.store, main, keys))

    page = client.get(f"/stories/{main}").text
    assert '<li class="summary-line summary-agree">' in page and "All outlets report three workers killed." in page
    assert f'href="/articles/{farm}?start=180&amp;end=182#passage"' in page
    assert page.count("12 statements and 9 figures compared") == 1 and 'id="coverage"' not in page  # its own line says it
    assert "firefighters injured: 14 (Nordwire) vs 41 (newsflashhub.example)" in page
    shift = re.search(r'<div class="shift shift-modality">.*?</div>', page, re.S).group(0)
    assert "conditional threat becomes an intention" in shift and "<q>if this continues</q>" in shift and "<q>his intention to</q>" in shift
    assert f"/articles/{nordwire}?start=10&amp;end=30#passage" in shift and f"/articles/{farm}?start=40&amp;end=60#passage" in shift

    brief = client.get(f"/stories/{main}/brief").text
    assert '<link rel="stylesheet"' in brief and 'class="summary-line summary-agree"' in brief
    assert "<strong>firefighters injured: 14 (Nordwire) vs 41 (newsflashhub.example)</strong>" in brief


def test_the_brief_page_cites_outlet_quote_and_link_without_offsets(demo) -> None:
    client, keys, stories = demo
    page = client.get(f"/stories/{stories['A1']}/brief").text
    assert page.startswith("<!doctype html>") and 'href="/static/style.css"' in page and 'class="top"' in page
    cites = re.findall(r'<span class="cite"><a class="passage-link" href="/articles/(\w+)\?start=(\d+)&amp;end=(\d+)#passage">([^<]+)</a>', page)
    assert len(cites) >= 5 and {c[3] for c in cites} >= {"Nordwire", "newsflashhub.example"}
    text = client.get(f"/api/articles/{keys['A4']}").json()["text"]
    farm = [c for c in cites if c[0] == keys["A4"]]
    assert farm and all(text[int(s):int(e)].strip('"“”')[:50] in page.replace("&#39;", "'").replace("&#34;", '"')
                        for _, s, e, _ in farm)  # fmt: skip
    assert not re.search(r"\w{10}:\d+-\d+", page)  # no raw offsets: those stay in the export and the Markdown
    assert "<strong>firefighters injured: 14 (Nordwire) vs 41 (newsflashhub.example)</strong>" in page  # the label
    assert client.get(f"/stories/{stories['A1']}/brief?format=md").text.startswith("# ")


def test_word_diff_keeps_spacing_and_marks_only_changed_words() -> None:
    d = word_diff("that Russia has no plans to capture the city of Kharkiv in northeast Ukraine",
                  "that Moscow has no plans to capture the city of Kharkiv.")
    assert "".join(t for t, _, _ in d.pieces) == "that Moscow has no plans to capture the city of Kharkiv."
    assert [(t, op, was) for t, op, was in d.pieces if op != "same"] == [("Moscow", "chg", "Russia")]
    assert d.dropped == ("in northeast Ukraine",) and not d.reworded
    assert word_diff('"No risk as of today," she said', '"No risk," she said').dropped == ("as of today",)
    reworded = word_diff("the offensive began to stop cross-border attacks", "they are focused on creating a safety zone now")
    assert reworded.reworded and reworded.pieces == (("they are focused on creating a safety zone now", "same", ""),)


def test_comparison_views_accept_old_and_new_records() -> None:
    side = {"value": "14", "independent_sources": 1, "passages": [{"article_id": "a1", "span": [0, 2], "text": "14"}]}
    other = {"value": "41", "independent_sources": 1, "passages": [{"article_id": "b2", "span": [5, 7], "text": "41"}]}
    old = {"story_id": "s", "independent_sources": 2, "originals": ["a1"], "provenance": [], "facts": [],
           "conflicts": [{"id": "c", "kind": "number", "severity": "strong", "detail": "14 vs 41", "conservative": "14", "sides": [side, other]}],
           "statements": [{"id": "g", "speaker": "X", "speaker_entity": None, "variants": [
               {"article_id": "a1", "outlet": "A", "statement_id": "1", "speaker": "X", "kind": "direct", "cue": "said",
                "content_spans": [[0, 5]], "text": "hello", "differences": []}]}]}  # fmt: skip
    c = story_comparison_out(export.comparison_from_record(old))  # as the storage door reads an older engine's record
    outlets = {"a1": "Nordwire", "b2": "newsflashhub.example"}
    assert c.summary is not None and not c.summary.lines and not c.conflicts[0].label and c.statements[0].variants[0].shift == []
    assert conflict_headline(c.conflicts[0], outlets) == "number: 14 (Nordwire) vs 41 (newsflashhub.example)"
    summary, fallback = page_summary(c, outlets)
    assert fallback and [line.kind for line in summary.lines] == ["dispute", "original", "independence", "coverage"]
    assert not any("agree" in line.text for line in summary.lines)
    new = {**old, "summary": {"lines": [{"kind": "agree", "text": "t", "passages": []}], "compared": {"statements": 1, "figures": 0, "single_outlet": 0}}}
    new["conflicts"] = [{**old["conflicts"][0], "label": "firefighters injured"}]
    c = story_comparison_out(export.comparison_from_record(new))
    assert conflict_headline(c.conflicts[0], outlets) == "firefighters injured: 14 (Nordwire) vs 41 (newsflashhub.example)"
    assert page_summary(c, outlets) == (c.summary, False)


def test_how_much_was_compared_is_shown_once(writable) -> None:
    client, keys, stories = writable
    main = stories["A1"]
    record = augmented_record(client.app.state.store, main, keys)
    record["summary"]["lines"] = [line for line in record["summary"]["lines"] if line["kind"] != "coverage"]
    store_record(client.app.state.store, main, record)
    page = client.get(f"/stories/{main}").text
    assert 'id="coverage">12 statement(s) and 9 figure(s) compared; 4 appear in one outlet only.</p>' in page
    assert "this record has no written summary" not in page

"""Statements, entities, timelines, article analyses and story comparisons over HTTP and in the pages: the
stored comparison cache, the provenance graph, conflicts, word differences, the fact table, text marked by
span (overlaps and untrusted text included) and the entity pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crosswire.app import comparison, reading
from crosswire.app.stories import story_of
from crosswire.storage import comparisons as comparison_db
from crosswire.storage.store import Store
from crosswire.web import views
from crosswire.web.analysis_views import ComparisonOut
from crosswire.web.app import create_app
from crosswire.web.comparison_page import Graph, fact_table, provenance_graph, word_diff
from crosswire.web.comparison_views import story_comparison_out
from crosswire.web.entity_urls import entity_path, entity_slug
from crosswire.web.graph_layout import Box
from crosswire.web.highlight import Layer, pieces
from crosswire.web.views import DateOut, MemberOut
from tests.web_support import SEEDS, TOKEN, copy_db, demo_db, seed_db, web_settings

KOVEL = "person:dana kovel"
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[TestClient, dict[str, str], dict[str, str]]:
    """A client over a private copy of the demo store (comparisons get stored in it)."""
    db, keys, stories = demo_db()
    with TestClient(create_app(web_settings(copy_db(db, tmp_path_factory.mktemp("analysis"))))) as client:
        yield client, keys, stories


@pytest.fixture(scope="module")
def compared(demo) -> dict:  # noqa: ANN001
    """The main story's comparison record, computed and stored by the ingest (never by a request)."""
    client, _keys, stories = demo
    assert client.get("/api/stories").json()["items"][0]["conflicts"] is not None  # compared after ingest
    r = client.get(f"/api/stories/{stories['A1']}/comparison")
    assert r.status_code == 200
    return r.json()


def test_comparison_names_the_changed_number_with_spans(demo, compared) -> None:
    client, keys, stories = demo
    [number] = [k for k in compared["conflicts"] if k["kind"] == "number"]
    sides = {s["value"]: s for s in number["sides"]}
    assert set(sides) == {"14", "41"} and number["conservative"] == "14" and number["severity"] == "strong"
    [farm] = sides["41"]["passages"]
    article = client.get(f"/api/articles/{farm['article_id']}").json()
    assert farm["article_id"] == keys["A4"] and article["text"][farm["span"][0] : farm["span"][1]] == "41"
    assert compared["story_id"] == stories["A1"] and keys["A1"] in compared["originals"]
    assert {(e["source"], e["target"], e["relation"]) for e in compared["provenance"]} >= {(keys["A1"], keys["A2"], "copy")}


def test_comparison_is_stored_and_reused_until_the_members_change(demo, compared) -> None:
    client, _keys, stories = demo
    assert client.get(f"/api/stories/{stories['A1']}/comparison").json() == compared
    listed = {s["id"]: s["conflicts"] for s in client.get("/api/stories").json()["items"]}
    assert listed[stories["A1"]] == len(compared["conflicts"]) and listed[stories["B1"]] is not None
    assert re.search(rf'href="/stories/{stories["A1"]}".*?<span class="n">{len(compared["conflicts"])}</span> disputed points',
                     client.get("/").text, re.S)  # fmt: skip
    store = client.app.state.store
    with store.transaction() as tx:  # as if an article had joined: the stored signature no longer matches
        cached = tx.cached_comparison(stories["A1"])
        tx.save_comparison(comparison_db.CachedComparison(cached.story_id, "stale", cached.computed_at, 99, cached.comparison))
    assert {s["id"]: s["conflicts"] for s in client.get("/api/stories").json()["items"]}[stories["A1"]] is None
    assert 'id="comparison-pending"' in client.get(f"/stories/{stories['A1']}").text
    with store.transaction() as tx:
        tx.save_comparison(cached)


def test_signature_depends_on_members_and_analysis_version() -> None:
    sig = comparison_db.signature(["b", "a"], "v1")
    assert sig == comparison_db.signature(["a", "b"], "v1")
    assert sig != comparison_db.signature(["a", "b", "c"], "v1") and sig != comparison_db.signature(["a", "b"], "v2")


def test_statements_filter_and_page(demo) -> None:
    client, keys, stories = demo
    everything = client.get("/api/statements", params={"speaker": KOVEL, "limit": 500}).json()
    assert everything["next_offset"] is None and len(everything["items"]) >= 5
    assert {s["speaker_entity"] for s in everything["items"]} == {KOVEL}
    page = client.get("/api/statements", params={"speaker": KOVEL, "limit": 2, "offset": 1}).json()
    assert [s["id"] for s in page["items"]] == [s["id"] for s in everything["items"][1:3]] and page["next_offset"] == 3
    in_article = client.get("/api/statements", params={"article": keys["A1"]}).json()["items"]
    assert in_article and {s["article_id"] for s in in_article} == {keys["A1"]}
    by_name = client.get("/api/statements", params={"speaker": "kovel", "story": stories["B1"]}).json()["items"]
    assert by_name == []  # Kovel speaks only about the Veltrana fire
    text = client.get(f"/api/articles/{keys['A1']}").json()["text"]
    s = in_article[0]
    assert s["content_text"] == " … ".join(text[a:b] for a, b in s["content_spans"])


def test_entities_filter_and_page(demo) -> None:
    client, *_ = demo
    people = client.get("/api/entities", params={"kind": "person", "limit": 500}).json()["items"]
    assert {e["kind"] for e in people} == {"person"} and KOVEL in {e["key"] for e in people}
    [kovel] = client.get("/api/entities", params={"q": "kovel"}).json()["items"]
    assert kovel["statements"] >= 5 and "Interior Minister" in kovel["descriptions"] and "Kovel" in kovel["variants"]
    second = client.get("/api/entities", params={"kind": "person", "limit": 1, "offset": 1}).json()
    assert second["items"][0]["key"] == people[1]["key"] and second["next_offset"] == 2
    assert client.get("/api/entities", params={"kind": "planet"}).status_code == 422


def test_timeline_is_in_time_order_with_the_entity(demo) -> None:
    client, *_ = demo
    body = client.get("/api/timeline", params={"speaker": KOVEL}).json()
    assert body["entity"]["name"] == "Dana Kovel" and body["items"]
    dates = [i["published"] for i in body["items"] if i["published"]]
    assert dates == sorted(dates)
    about = client.get("/api/timeline", params={"speaker": KOVEL, "about": "ostrel"}).json()["items"]
    assert about and all(any("ostrel" in k for k in i["about"]) for i in about) and len(about) < len(body["items"])
    assert client.get("/api/timeline", params={"speaker": "person:nobody at all"}).status_code == 404


def test_article_analysis_spans_point_into_the_text(demo) -> None:
    client, keys, _stories = demo
    text = client.get(f"/api/articles/{keys['A1']}").json()["text"]
    body = client.get(f"/api/articles/{keys['A1'][:8]}/analysis").json()
    assert body["article_id"] == keys["A1"] and body["analysis"]["analysed"]
    assert all(text[m["span"][0] : m["span"][1]] == m["text"] for m in body["mentions"])
    assert any(m["entity"] == KOVEL for m in body["mentions"]) and body["statements"] and body["claims"]
    assert any(q["value"] == 14 for c in body["claims"] for q in c["quantities"])
    assert client.get("/api/articles/nope/analysis").status_code == 404


def test_story_page_draws_the_stored_comparison(demo, compared) -> None:
    client, keys, stories = demo
    page = client.get(f"/stories/{stories['A1']}").text
    members = client.get(f"/api/stories/{stories['A1']}").json()["articles"]
    assert page.count('<g class="node') == len(members) and page.count('<g class="node original"') == len(compared["originals"])
    assert page.count('<g class="edge edge-') == len(compared["provenance"]) and ">copy</text>" in page
    assert f'id="independent-sources">{compared["independent_sources"]} independent source(s)' in page
    row = re.search(r'<tr class="conflict conflict-number.*?</tr>', page, re.S).group(0)
    assert ">14<" in row and ">41<" in row and f'/articles/{keys["A4"]}?start=' in row and '<td class="conservative">14</td>' in row
    assert '<ins class="' in page and "<del>" in page and 'class="speaker-link" href="/entities/dana-kovel"' in page
    assert 'id="facts"' in page and '<td class="conflict">' in page


def test_story_page_never_computes_a_comparison(tmp_path: Path) -> None:
    db, _keys, stories = demo_db()
    with TestClient(create_app(web_settings(copy_db(db, tmp_path)))) as client:
        with client.app.state.store.transaction() as tx:
            tx._conn.exec_driver_sql("DELETE FROM story_comparisons")
        for path in (f"/stories/{stories['B1']}", f"/stories/{stories['B1']}?compare=1"):
            page = client.get(path).text
            assert 'id="comparison-pending"' in page and "crosswire compare" in page and 'id="provenance"' not in page
        assert 'id="comparison-pending"' in client.get(f"/stories/{stories['B1']}/brief").text


def test_article_page_marks_statements_mentions_and_the_linked_passage(demo) -> None:
    client, keys, _stories = demo
    text = client.get(f"/api/articles/{keys['A4']}").json()["text"]
    at = text.index("41")
    page = client.get(f"/articles/{keys['A4']}?start={at}&end={at + 2}").text
    assert re.search(r'<span class="anchor" id="passage"></span><span class="[^"]*passage[^"]*">41</span>', page)
    assert '<a class="mention' in page and 'href="/entities/dana-kovel"' in page
    assert 'class="statement' in page and 'class="statement-row"' in page and "Interior Minister" in page
    listed = client.get(f"/api/articles/{keys['A4']}/analysis").json()["statements"]
    rows = re.findall(r'<tr class="statement-row">(.*?)</tr>', page, re.S)
    assert len(rows) == len(listed)
    for row, st in zip(rows, listed, strict=True):  # what governs the reading shows beside the kind, as in the CLI
        assert ('tag-negated">negated<' in row) == st["negated"] and (f'tag-class">{st["class"]}<' in row) == (st["class"] != "speech")
        assert (f'tag-modality">{st["modality"]}<' in row) == bool(st["modality"])
    assert any(st["negated"] for st in listed)  # the page is a real check: the demo article has a negation


def test_entity_page_lists_variants_and_the_timeline(demo) -> None:
    client, *_ = demo
    page = client.get("/entities/dana-kovel").text
    assert 'id="entity-name"><bdi>Dana Kovel</bdi><' in page and "Interior Minister" in page and "Kovel" in page
    items = client.get("/api/timeline", params={"speaker": KOVEL}).json()["items"]
    assert page.count('class="said-item') == len(items)
    assert page.count('tag-negated">negated<') == sum(1 for i in items if i["negated"]) > 0
    for missing in ("/entities/person%3Anobody", "/entities/nobody-at-all"):
        r = client.get(missing)
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")


def test_entity_pages_have_readable_addresses_and_old_key_links_redirect(demo) -> None:
    client, _keys, stories = demo
    old = client.get("/entities/person%3Adana%20kovel", follow_redirects=False)
    assert old.status_code == 301 and old.headers["location"] == "/entities/dana-kovel"
    # the key's folded name part ('tomas reik') reads worse than the name; both find him
    assert entity_path("person:tomas reik", "Tomas Reyk") == "/entities/tomas-reyk"
    assert '<bdi>Tomas Reyk</bdi>' in client.get("/entities/tomas-reyk").text
    by_key = client.get("/entities/tomas-reik", follow_redirects=False)  # what a link knowing only the key says
    assert by_key.status_code == 301 and by_key.headers["location"] == "/entities/tomas-reyk"
    story = client.get(f"/stories/{stories['A1']}").text  # every speaker link of the comparison leads to a page
    links = set(re.findall(r'class="speaker-link" href="([^"]+)"', story))
    for key in _keys.values():  # and every name marked in every article text
        links |= set(re.findall(r'href="(/entities/[^"]+)"', client.get(f"/articles/{key}").text))
    assert len(links) >= 40 and [h for h in links if client.get(h.replace("&amp;", "&")).status_code != 200] == []
    place = entity_path("place:veltrana", "Veltrana")
    assert place == "/entities/veltrana?kind=place" and 'data-entity-key="place:veltrana"' in client.get(place).text
    assert entity_slug("Jean-Luc Mélenchon") == "jean-luc-mélenchon" and entity_slug("Владимир Путин") == "владимир-путин"
    assert entity_path("person:владимир путин", "Владимир Путин") == "/entities/%D0%B2%D0%BB%D0%B0%D0%B4%D0%B8%D0%BC%D0%B8%D1%80-%D0%BF%D1%83%D1%82%D0%B8%D0%BD"


def test_contradictions_are_flagged_with_both_statements(tmp_path: Path) -> None:
    db, *_ = demo_db()
    articles = [
        {"id": "c1", "outlet": "Wire One", "language": "en", "published": "2025-03-01", "title": "Venn on Kharkiv",
         "text": 'President Arla Venn of Marovia said on Monday: "Our army has no plans to take Kharkiv." Officials agreed.'},
        {"id": "c2", "outlet": "Wire Two", "language": "en", "published": "2025-04-02", "title": "Venn reverses on Kharkiv",
         "text": 'President Arla Venn of Marovia said on Tuesday: "Our army plans to take Kharkiv." Troops were moving.'},
    ]  # fmt: skip
    with TestClient(create_app(web_settings(copy_db(db, tmp_path)))) as client:
        client.post("/api/ingest/articles", json={"articles": articles}, headers={"Authorization": f"Bearer {TOKEN}"})
        items = client.get("/api/timeline", params={"speaker": "Venn"}).json()["items"]
        flagged = [i for i in items if i["contradicts"]]
        assert len(items) == 2 and flagged, items
        key = items[0]["speaker_entity"]
        page = client.get(entity_path(key)).text
    assert 'class="said-item contradiction"' in page and "May contradict" in page
    assert "has no plans to take Kharkiv" in page and "army plans to take Kharkiv" in page


def test_untrusted_text_stays_inert_in_the_marked_view(tmp_path: Path) -> None:
    db, *_ = demo_db()
    evil = {"id": "evil-q", "outlet": "Evil Wire", "language": "en", "published": "2024-09-12", "title": "Depot",
            "text": f'"The depot {SCRIPT} is <b onmouseover=alert(1)>safe</b> now," Dana Kovel said in Veltrana. '
                    f"Officials said 14 {SCRIPT} firefighters were hurt."}  # fmt: skip
    with TestClient(create_app(web_settings(copy_db(db, tmp_path)))) as client:
        r = client.post("/api/ingest/articles", json={"articles": [evil]}, headers={"Authorization": f"Bearer {TOKEN}"})
        aid = r.json()["items"][0]["article_id"]
        analysis = client.get(f"/api/articles/{aid}/analysis").json()
        text = client.get(f"/api/articles/{aid}").json()["text"]
        at = text.index(SCRIPT)
        page = client.get(f"/articles/{aid}?start={at + 3}&end={at + 20}").text  # a passage that cuts through the tag
        timeline = client.get(entity_path(KOVEL)).text
    assert analysis["statements"], "the quote must be found, so the marked view is exercised"
    for html in (page, timeline):
        assert SCRIPT not in html and "<b onmouseover" not in html and "&lt;script&gt;" in html
    assert 'class="statement' in page and 'id="passage"' in page


def _member(aid: str, outlet: str) -> MemberOut:
    return MemberOut(
        article_id=aid, title=aid, outlet=outlet, language="en", published=DateOut(value=None, source="unknown", evidence=""),
        duplicate_of=None, url=None, lead="", score=1, embedding_similarity=1, names_similarity=1, shared_names=[], started_story=False,
    )  # fmt: skip


def _comparison() -> ComparisonOut:
    edge = {"confidence": 0.9, "containment": 0.9, "coverage": 0.9, "reason": "", "evidence": [], "added": []}
    value = {"number": None, "unit": None, "approx": None, "sentence": (0, 10)}
    return ComparisonOut.model_validate({
        "story_id": "s", "independent_sources": 1, "originals": ["a"], "statements": [],
        "provenance": [{"source": "a", "target": "b", "relation": "rewrite", **edge},
                       {"source": "b", "target": "c", "relation": "copy", **edge}],
        "conflicts": [{"id": "k", "kind": "number", "severity": "strong", "detail": "", "conservative": "14", "sides": [
            {"value": "41", "independent_sources": 1, "passages": [{"article_id": "c", "span": (3, 5), "text": "41"}]}]}],
        "facts": [{"id": "f", "label": "firefighters injured", "values": [
            {"article_id": "a", "outlet": "A", "value": "14", "span": (3, 5), **value},
            {"article_id": "b", "outlet": "B", "value": "14", "span": (3, 5), **value},
            {"article_id": "c", "outlet": "C", "value": "41", "span": (3, 5), **value}]}],
    })  # fmt: skip


def test_provenance_graph_puts_originals_on_top_and_what_derives_below() -> None:
    g = provenance_graph(_comparison(), [_member(x, x.upper()) for x in "cba"] + [_member("d", "a very long outlet name indeed")])
    nodes = {n.article_id: n for n in g.nodes}
    assert [nodes[x].layer for x in "abcd"] == [0, 1, 2, 0]
    assert nodes["a"].y == nodes["d"].y < nodes["b"].y < nodes["c"].y and nodes["a"].x != nodes["d"].x
    assert nodes["a"].original and not nodes["b"].original and nodes["d"].label.endswith("…")
    assert [(e.source, e.target) for e in g.edges] == [("a", "b"), ("b", "c")]
    assert g.width >= max(n.x for n in g.nodes) + g.node_w // 2 and g.height >= nodes["c"].y + g.node_h // 2


def _no_overlaps(g: Graph) -> None:
    """No two label boxes overlap, no label covers an article's box, everything lies inside the drawing."""
    labels = [Box(*e.label_box) for e in g.edges]
    nodes = [Box(n.x - g.node_w / 2, n.y - g.node_h / 2, g.node_w, g.node_h) for n in g.nodes]
    for i, a in enumerate(labels):
        assert not any(a.overlaps(b) for b in labels[i + 1 :]), (a, labels)
        assert not any(a.overlaps(n) for n in nodes), a
    assert all(0 <= b.x and b.x + b.w <= g.width and 0 <= b.y and b.y + b.h <= g.height for b in labels + nodes)
    tops = {n.article_id: n.y for n in g.nodes}
    assert all(tops[e.source] < tops[e.target] for e in g.edges)  # every arrow runs down


def test_a_crowded_provenance_graph_keeps_every_label_apart() -> None:
    """One wire story copied seven times, a rewrite of a copy, a translation of a rewrite, two shared sources."""
    edge = {"confidence": 0.9, "containment": 0.9, "coverage": 0.9, "reason": "", "evidence": [], "added": []}
    pairs = [("w", t, "copy") for t in "abcdefg"] + [("a", "r", "rewrite"), ("r", "t", "translation"), ("x", "y", "shared-source"),
                                                     ("x", "z", "shared-source"), ("w", "z", "rewrite")]  # fmt: skip
    c = ComparisonOut.model_validate({"story_id": "s", "independent_sources": 2, "originals": ["w", "x"], "statements": [], "conflicts": [],
                                      "facts": [], "provenance": [{"source": s, "target": t, "relation": r, **edge} for s, t, r in pairs]})  # fmt: skip
    g = provenance_graph(c, [_member(x, f"Outlet {x.upper()}") for x in "wxabcdefgrtyz"])
    assert len(g.edges) == len(pairs) and {n.article_id for n in g.nodes if n.layer == 0} == {"w", "x"}
    _no_overlaps(g)


@pytest.mark.parametrize("corpus", ["demo", "seeds"])
def test_the_stored_stories_draw_without_overlapping_labels(corpus: str) -> None:
    if corpus == "seeds" and not SEEDS.is_dir():
        pytest.skip("../shared/data/seeds not present")
    db = demo_db()[0] if corpus == "demo" else seed_db()[0]
    store = Store(f"sqlite:///{db}")
    try:
        for story in sorted(set(story_of(store).values())):
            detail = views.story_out(reading.story_detail(store, story))
            record = comparison.stored_comparison(store, story)
            if record is not None:
                _no_overlaps(provenance_graph(story_comparison_out(record), detail.articles))
    finally:
        store.close()


def test_fact_table_marks_the_odd_value() -> None:
    t = fact_table(_comparison(), [_member(x, x.upper()) for x in "abc"])
    assert [outlet for _aid, outlet in t.columns] == ["A", "B", "C"]
    assert [c.conflict for c in t.rows[0].cells] == [False, False, True]


def test_word_diff_ignores_punctuation_and_keeps_every_word() -> None:
    d = word_diff('"No risk as of today."', '"No risk today," she said')
    assert d.dropped == ("as of",) and [(t, op) for t, op, _ in d.pieces if op != "same"] == [("she said", "ins")]
    assert "".join(t for t, _, _ in d.pieces) == '"No risk today," she said'
    assert word_diff("same words", "same words").pieces == (("same words", "same", ""),)


def test_overlapping_spans_become_flat_pieces() -> None:
    text = "Dana Kovel said <b>no</b>."
    out = pieces(text, [Layer((0, 10), "mention", KOVEL), Layer((5, 20), "statement"), Layer((0, 4), "speaker")],
                 {5: ("st-1",)})  # fmt: skip
    assert "".join(p.text for p in out) == text
    assert [(p.text, p.classes, p.entity) for p in out[:3]] == [
        ("Dana", "mention speaker", KOVEL), (" ", "mention", KOVEL), ("Kovel", "mention statement", KOVEL)]
    assert out[2].first_of == ("st-1",) and out[-1].classes == ""
    assert pieces("abc", [Layer((2, 9), "claim"), Layer((1, 1), "cue")]) == pieces("abc", [])  # bad spans are ignored
    assert entity_path("person:dana kovel") == "/entities/dana-kovel"

"""End to end in headless Chromium (Debian's package, driven by Playwright; nothing is downloaded): real
uvicorn servers over the demo corpus and over the seed story, the story list, the main story with the
comparison its ingest stored (nothing is clicked to compute it), the briefs, an article, removed lines,
search, the mark switches, the provenance labels as drawn, a 390 px phone layout, and untrusted text that must
not run. Tests wait on page state, never on time. Working screenshots go to test-output/screenshots/; the story
list, a story page and an article page of the demo at 1400 px and 390 px go to docs/screenshots/ (committed)."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn

from crosswire.web.app import create_app
from tests.test_web_ui import EVIL, SCRIPT
from tests.web_support import SEEDS, TOKEN, copy_db, demo_db, seed_db, web_settings

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[1] / "test-output" / "screenshots"
DOC_SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
PHONE_PX, DESKTOP_PX = 390, 1400
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]  # fmt: skip

APPS: dict[str, object] = {}  # base URL → the app serving it, for tests that store a record as the engine would

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _serving(db: Path) -> Iterator[str]:
    """A uvicorn server in a thread over the store file ``db``; yields its base URL."""
    app = create_app(web_settings(db))
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20  # server start-up only; pages are waited for by their state
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    APPS[f"http://127.0.0.1:{port}"] = app
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str], dict[str, str]]]:
    """A server over a copy of the demo store: (base URL, key → article id, key → story id)."""
    db, keys, stories = demo_db()
    with _serving(copy_db(db, tmp_path_factory.mktemp("browser"))) as base:
        yield base, keys, stories


@pytest.fixture(scope="module")
def seed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str], str]]:
    """A server over the five seed files: (base URL, "000".."004" → article id, the story of 000)."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/data/seeds not present")
    db, ids, story = seed_db()
    with _serving(copy_db(db, tmp_path_factory.mktemp("seeds"))) as base:
        yield base, ids, story


@pytest.fixture(scope="module")
def browser():  # noqa: ANN201  (one headless Chromium for the module: Playwright's sync API runs one at a time)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def page(server, browser):  # noqa: ANN001, ANN201  (a Playwright page, 1400 px wide)
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": DESKTOP_PX, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def phone(server, browser):  # noqa: ANN001, ANN201  (a Playwright page 390 px wide, as a phone shows it)
    context = browser.new_context(viewport={"width": PHONE_PX, "height": 844}, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def test_browse_the_demo_story_article_and_search(server, page) -> None:  # noqa: ANN001
    base, keys, stories = server
    main = stories["A1"]
    members = [k for k, s in stories.items() if s == main]
    page.goto(base + "/")
    assert page.locator("#stories li.story-item").count() == len(set(stories.values()))
    page.screenshot(path=str(SHOTS / "1-story-list.png"), full_page=True)

    page.locator("#stories li.story-item").first.locator("a.story-link").click()
    page.wait_for_url(f"**/stories/{main}")
    assert page.locator(".card").count() == len(members)
    assert page.locator("svg.timeline .mark").count() == len(members)
    assert page.locator("svg.timeline").bounding_box()["width"] > 300  # drawn, not collapsed
    assert "Nordwire" in page.locator("#articles").inner_text() and "Der Kontinentbote" in page.locator("#articles").inner_text()
    page.screenshot(path=str(SHOTS / "2-main-story.png"), full_page=True)

    page.locator(f"#a-{keys['A3']} a.article-link").click()
    page.wait_for_url(f"**/articles/{keys['A3']}")
    removed = page.locator("#removed-lines table")
    assert not removed.is_visible()
    page.locator("#removed-lines summary").click()
    assert removed.is_visible() and page.locator("#removed-lines tbody tr").count() >= 1
    page.screenshot(path=str(SHOTS / "3-article-removed-lines.png"), full_page=True)

    page.locator("nav >> text=Search").click()
    page.fill("input[name=q]", "Kovel")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("#hits")
    assert page.locator("#hits mark").first.inner_text() == "Kovel"
    page.screenshot(path=str(SHOTS / "4-search.png"), full_page=True)
    page.locator("#hits a.hit-link").first.click()
    assert page.locator("#article-title").is_visible()


def test_the_main_story_shows_its_stored_comparison_and_follow_a_speaker(server, page) -> None:  # noqa: ANN001
    from playwright.sync_api import expect

    base, keys, stories = server
    main = stories["A1"]
    record = httpx.get(base + f"/api/stories/{main}/comparison").json()
    page.goto(base + f"/stories/{main}")
    expect(page.locator("#conflicts")).to_be_visible()  # stored by the ingest: nothing to click, nothing to compute
    assert page.locator("#compare-link").count() == 0 and page.locator("#comparison-pending").count() == 0
    expect(page.locator("#summary .summary-line").first).to_be_visible()
    row = page.locator("tr.conflict-number")
    assert row.count() == 1 and "14" in row.inner_text() and "41" in row.inner_text()
    assert "newsflashhub.example" in row.inner_text() and row.locator("td.conservative").inner_text() == "14"
    assert re.search(r"14 \(Nordwire[^)]*\) vs 41 \(newsflashhub\.example\)", row.locator(".headline").inner_text())
    graph = page.locator("svg.provenance")
    assert graph.bounding_box()["width"] > 300 and page.locator("svg.provenance g.node").count() == len(
        [k for k, s in stories.items() if s == main])
    assert page.locator("svg.provenance g.node.original").count() >= 2 and page.locator("svg.provenance g.edge").count() >= 3
    texts = [" ".join(t.split()) for t in page.locator("#aligned-statements .variant-text").all_inner_texts()]
    assert texts == [" ".join(v["text"].split()) for a in record["statements"] for v in a["variants"]]  # own words, spaces kept
    assert page.locator("#aligned-statements ins").count() >= 1 and page.locator("#aligned-statements .dropped del").count() >= 1
    assert page.locator("#facts td.conflict").count() >= 1
    assert "agree on every compared fact" not in page.locator("main").inner_text()
    page.screenshot(path=str(SHOTS / "6-story-comparison.png"), full_page=True)

    page.goto(base + "/")
    assert page.locator("#stories li.story-item").first.locator(".conflicts .n").inner_text().isdigit()  # stored count shown
    page.goto(base + f"/stories/{main}")
    page.locator("#aligned-statements a.speaker-link", has_text="Dana Kovel").first.click()
    page.wait_for_url("**/entities/dana-kovel")
    assert page.locator("#entity-name").inner_text() == "Dana Kovel"
    assert "Interior Minister" in page.locator("#descriptions").inner_text() and page.locator("li.said-item").count() >= 5
    page.screenshot(path=str(SHOTS / "7-speaker-dana-kovel.png"), full_page=True)

    page.locator("li.said-item a").first.click()
    page.wait_for_selector("#article-text .passage")
    assert page.locator("#article-text a.mention").count() >= 1 and page.locator("#statements tr.statement-row").count() >= 1
    page.screenshot(path=str(SHOTS / "8-article-marked-text.png"), full_page=True)


def _check_brief(page, base: str, story: str) -> None:  # noqa: ANN001
    """The brief page: the site's style, a summary, every citation an outlet with its quoted passage and a link."""
    from playwright.sync_api import expect

    page.goto(base + f"/stories/{story}")
    page.locator("#brief-link").click()
    page.wait_for_url(f"**/stories/{story}/brief")
    expect(page.locator("#brief-facts")).to_be_visible()
    assert page.locator("header.top .brand").is_visible() and page.locator("#summary .summary-line").count() >= 2
    assert page.evaluate("getComputedStyle(document.querySelector('.summary')).borderTopStyle") == "solid"  # styled
    cites = page.locator(".cite")
    assert cites.count() >= 2 and cites.count() == page.locator(".cite a.passage-link[href*='?start=']").count()
    assert re.search(r"\d+-\d+\]|:\d+-\d+", page.locator("main").inner_text()) is None  # no raw offsets on the page
    page.locator(".cite a.passage-link").first.click()
    page.wait_for_selector("#article-text .passage")


def test_the_demo_brief_cites_outlets_and_passages(server, page) -> None:  # noqa: ANN001
    base, _keys, stories = server
    _check_brief(page, base, stories["A1"])
    page.go_back()
    page.wait_for_selector("#brief-facts")
    page.screenshot(path=str(SHOTS / "9-demo-brief.png"), full_page=True)


def test_the_seed_story_and_its_brief(seed_server, page) -> None:  # noqa: ANN001
    from playwright.sync_api import expect

    base, ids, story = seed_server
    page.goto(base + f"/stories/{story}")
    expect(page.locator("#aligned-statements")).to_be_visible()
    assert page.locator(f"#a-{ids['000']}").count() == 1 and page.locator("#comparison-pending").count() == 0
    assert "agree on every compared fact" not in page.locator("main").inner_text()
    page.screenshot(path=str(SHOTS / "10-seed-story.png"), full_page=True)
    _check_brief(page, base, story)
    page.go_back()
    page.wait_for_selector("#brief-facts")
    page.screenshot(path=str(SHOTS / "11-seed-brief.png"), full_page=True)


def test_untrusted_article_does_not_run_in_the_browser(server, page) -> None:  # noqa: ANN001
    base, *_ = server
    r = httpx.post(base + "/api/ingest/articles", json={"articles": [EVIL]}, headers={"Authorization": f"Bearer {TOKEN}"})
    article_id = r.json()["items"][0]["article_id"]
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    at = httpx.get(base + f"/api/articles/{article_id}").json()["text"].index("<script>") + 3  # a passage cutting the tag
    for path in (f"/articles/{article_id}", f"/articles/{article_id}?start={at}&end={at + 30}", "/", "/search?q=Veltrana+officials"):
        page.goto(base + path)
        assert page.evaluate("document.querySelectorAll('script, img').length") == 0, path
    page.goto(base + f"/articles/{article_id}")
    assert SCRIPT in page.locator("#article-text").inner_text()  # shown as text
    hrefs = page.eval_on_selector_all("#article-text a", "links => links.map(a => a.getAttribute('href'))")
    assert all(h.startswith("/entities/") for h in hrefs), hrefs  # entity links only; the text's own link stays text
    page.screenshot(path=str(SHOTS / "5-untrusted-article.png"), full_page=True)
    assert dialogs == []


def test_the_engine_summary_labels_and_shifts_as_a_reader_sees_them(server, page) -> None:  # noqa: ANN001
    """A record with what the engine adds (summary, a conflict label, a modality shift), stored for the main story."""
    from playwright.sync_api import expect

    from tests.test_web_ui import augmented_record, store_record

    base, keys, stories = server
    main = stories["A1"]
    store = APPS[base].state.store  # type: ignore[attr-defined]
    store_record(store, main, augmented_record(store, main, keys))
    page.goto(base + f"/stories/{main}")
    expect(page.locator("#summary .summary-agree")).to_be_visible()
    assert page.locator("#summary .summary-coverage").inner_text().endswith("12 statements and 9 figures compared; 4 appear in one outlet only.")
    assert page.locator("tr.conflict-number .headline").inner_text() == "firefighters injured: 14 (Nordwire) vs 41 (newsflashhub.example)"
    shift = page.locator(".shift-modality").first
    assert "conditional threat becomes an intention" in shift.inner_text() and shift.locator("a.passage-link").count() == 2
    page.screenshot(path=str(SHOTS / "12-engine-fields-summary.png"))
    shift.scroll_into_view_if_needed()
    page.locator(".shift-modality").first.locator("xpath=ancestor::div[contains(@class, 'aligned')]").screenshot(
        path=str(SHOTS / "13-engine-fields-shift.png"))


def _overlapping(boxes: list[dict[str, float]]) -> list[tuple[int, int]]:
    """Index pairs of boxes ({x, y, width, height}) that share any area."""
    return [(i, j) for i, a in enumerate(boxes) for j, b in enumerate(boxes) if i < j
            and a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]]  # fmt: skip


DRAWN_BOXES = """svg => [...svg.querySelectorAll(SELECTOR)].map(e => { const b = e.getBBox(); return {x: b.x, y: b.y, width: b.width, height: b.height}; })"""


def test_the_provenance_graph_is_layered_and_its_labels_never_overlap(server, seed_server, page) -> None:  # noqa: ANN001
    """Measured as the browser draws them: every edge label's text apart from every other label and every article box;
    the originals on the top row, what derives from them lower."""
    base, keys, stories = server
    seed_base, _ids, seed_story = seed_server
    for url in (base + f"/stories/{stories['A1']}", base + f"/stories/{stories['C1']}", seed_base + f"/stories/{seed_story}"):
        page.goto(url)
        graph = page.locator("svg.provenance")
        labels = graph.evaluate(DRAWN_BOXES.replace("SELECTOR", "'text.edge-label'"))
        nodes = graph.evaluate(DRAWN_BOXES.replace("SELECTOR", "'g.node rect'"))
        assert _overlapping(labels) == [] and _overlapping(labels + nodes) == [], url
        layers = graph.evaluate("svg => [...svg.querySelectorAll('g.node')].map(g => [g.classList.contains('original'), +g.dataset.layer])")
        assert all((layer == 0) == original for original, layer in layers), layers
    page.goto(base + f"/stories/{stories['A1']}")
    assert page.locator("svg.provenance text.edge-label").count() == 4
    page.locator("#provenance").screenshot(path=str(SHOTS / "14-provenance-layers.png"))


def test_marks_are_switched_per_kind_without_a_script(server, page) -> None:  # noqa: ANN001
    base, keys, _ = server
    page.goto(base + f"/articles/{keys['A1']}")
    style = "(e, p) => getComputedStyle(e)[p]"
    mention, statement = page.locator("#article-text a.mention").first, page.locator("#article-text .statement").first
    assert statement.evaluate(style, "backgroundColor") != "rgba(0, 0, 0, 0)"  # statements: on by default
    assert mention.evaluate(style, "borderBottomColor") == "rgba(0, 0, 0, 0)" and mention.evaluate(style, "pointerEvents") == "none"
    page.check("#mark-entities")
    page.uncheck("#mark-statements")
    assert mention.evaluate(style, "borderBottomColor") != "rgba(0, 0, 0, 0)" and mention.evaluate(style, "pointerEvents") == "auto"
    assert statement.evaluate(style, "backgroundColor") == "rgba(0, 0, 0, 0)"
    assert page.evaluate("document.scripts.length") == 0 and not page.locator("#mark-toggles button.apply").is_visible()
    page.goto(base + f"/articles/{keys['A1']}?marks=none&marks=dates")  # what the form sends where :has() is missing
    date = page.locator("#article-text .date").first
    assert date.evaluate(style, "boxShadow") != "none" and page.locator("#mark-dates").is_checked()
    assert statement.evaluate(style, "backgroundColor") == "rgba(0, 0, 0, 0)"


def test_the_seed_translation_names_its_outlet_from_its_credit(seed_server, page) -> None:  # noqa: ANN001
    base, ids, story = seed_server
    page.goto(base + f"/stories/{story}")
    assert page.locator(f"#a-{ids['002']} .outlet").inner_text().startswith("n-tv")
    page.goto(base + f"/articles/{ids['002']}")
    assert page.locator("#outlet").inner_text().splitlines() == ["n-tv", "credited source, no other outlet known (line 14 'Source:': 'www.ntv.de')"]


def _fits(page, width: int) -> None:  # noqa: ANN001
    """Nothing wider than the screen: the document never scrolls sideways (a wide table or graph scrolls in its frame)."""
    wide = page.evaluate(f"document.documentElement.scrollWidth <= {width}")
    culprits = page.evaluate(f"""[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > {width} + 1
        && !e.closest('.graph-frame, .wide')).slice(0, 5).map(e => e.tagName + '.' + e.className)""")
    assert wide and culprits == [], (page.url, culprits)


def test_every_page_fits_a_phone(server, seed_server, phone) -> None:  # noqa: ANN001
    base, keys, stories = server
    seed_base, ids, seed_story = seed_server
    paths = [base + p for p in ("/", f"/stories/{stories['A1']}", f"/stories/{stories['A1']}/brief", f"/articles/{keys['A1']}",
                                f"/articles/{keys['A3']}", "/entities/dana-kovel", "/search?q=Kovel")]  # fmt: skip
    paths += [seed_base + p for p in ("/", f"/stories/{seed_story}", f"/articles/{ids['002']}", f"/stories/{seed_story}/brief")]
    for url in paths:
        phone.goto(url)
        _fits(phone, PHONE_PX)
    phone.goto(base + f"/stories/{stories['A1']}")
    assert phone.locator("#summary .summary-line").first.bounding_box()["y"] < 844  # the answer is on the first screen
    assert phone.locator(".scroll-hint").is_visible()  # the graph is wider than the phone and says so


def test_screenshots_of_the_demo_at_desktop_and_phone_width(page, phone, tmp_path: Path) -> None:  # noqa: ANN001
    """docs/screenshots/: the story list, the main story and its original article, 1400 px and 390 px wide, from a
    fresh copy of the demo store (the other tests add an untrusted article and a made-up comparison record)."""
    db, keys, stories = demo_db()
    DOC_SHOTS.mkdir(parents=True, exist_ok=True)
    shots = [("story-list", "/", "#stories"), ("story", f"/stories/{stories['A1']}", "#summary"),
             ("article", f"/articles/{keys['A1']}", "#article-text")]  # fmt: skip
    with _serving(copy_db(db, tmp_path)) as base:
        for tab, width in ((page, DESKTOP_PX), (phone, PHONE_PX)):
            for name, path, ready in shots:
                tab.goto(base + path)
                tab.wait_for_selector(ready)
                _fits(tab, width)
                target = DOC_SHOTS / f"{name}-{width}.png"
                tab.screenshot(path=str(target), full_page=name != "story")  # the story page: its first screen, the answer
                assert target.stat().st_size > 10_000

"""The watch loop on loopback: conditional GET, politeness, robots.txt, backoff, sitemaps, revisions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from crosswire.errors import ConfigError
from crosswire.settings import Settings
from crosswire.storage import revisions as revision_db
from crosswire.storage import watch as watch_db
from crosswire.storage.store import Store
from crosswire.watch.cycle import Watcher
from crosswire.watch.politeness import backoff_s
from crosswire.watch.sources import Source, parse_sources
from tests.watch_server import FakeClock, Site, serve

P1 = "Fire crews fought the blaze at the Harlow fuel depot for nine hours on Tuesday, officials said."
P2 = "About 120 residents were evacuated from nearby streets, according to the city council."
P3 = "The depot is owned by Northline Energy, which has not commented on the cause."


def atom(entries: list[tuple[str, str, list[str]]], title: str = "Harbour Times") -> str:
    items = "".join(
        f'<entry><id>urn:ht:{eid}</id><title>{t}</title><link href="https://harbourtimes.example/{eid}"/>'
        f'<updated>2026-05-02T10:00:00Z</updated><content type="text">{chr(10).join(ps)}</content></entry>'
        for eid, t, ps in entries
    )
    return f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title><id>urn:ht</id>{items}</feed>'


def page(title: str, paras: list[str], canonical: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (f'<html><head><title>{title}</title><link rel="canonical" href="{canonical}">'
            f'<meta property="og:site_name" content="Harbour Times"></head>'
            f"<body><article><h1>{title}</h1>{body}</article></body></html>")  # fmt: skip


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as s:
        yield s


@pytest.fixture
def wsettings(store: Store) -> Settings:
    return Settings(db_url=store.url, workers=1, allow_private=True, fetch_deadline_s=10.0)


def watcher(store: Store, settings: Settings, clock: FakeClock, min_delay_s: float = 2.0) -> Watcher:
    return Watcher(store, settings, clock, min_delay_s=min_delay_s)


def test_conditional_get_answers_304_and_nothing_is_processed_again(site: Site, store: Store, wsettings: Settings) -> None:
    url = site.set("/feed.atom", atom([("a", "Depot fire", [P1, P2, P3])]), "application/atom+xml")
    clock = FakeClock()
    w = watcher(store, wsettings, clock)
    w.sync([Source(url, "feed", interval_s=600)])
    first = w.cycle()
    assert (first.fetched, first.added, first.not_modified) == (1, 1, 0)
    assert w.cycle().requests == 0  # nothing is due before the interval has passed
    clock.advance(600)
    second = w.cycle()
    assert (second.fetched, second.not_modified, second.added, second.unchanged) == (0, 1, 0, 0)
    sent = site.requests("/feed.atom")
    assert "if-none-match" not in sent[0] and sent[1]["if-none-match"].startswith('"')
    assert sent[1]["if-modified-since"] == "Sat, 02 May 2026 10:00:00 GMT"
    with store.engine.connect() as conn:
        row = watch_db.get(conn, url)
    assert row is not None and (row.fetches, row.not_modified, row.new_items, row.last_status) == (2, 1, 1, 304)


def test_changed_feed_entry_becomes_a_revision(site: Site, store: Store, wsettings: Settings) -> None:
    url = site.set("/feed.atom", atom([("a", "Huge blaze destroys Harlow depot", [P1, P2, P3])]), "application/atom+xml")
    clock = FakeClock()
    w = watcher(store, wsettings, clock)
    w.sync([Source(url, "feed", interval_s=600)])
    assert w.cycle().added == 1
    site.set("/feed.atom", atom([("a", "Blaze at Harlow depot", [P1, P2.replace("120", "210"), P3])]), "application/atom+xml")
    clock.advance(600)
    report = w.cycle()
    assert (report.fetched, report.added, report.revised) == (1, 0, 1)
    (article,) = store.articles()
    with store.engine.connect() as conn:
        versions = revision_db.revisions(conn, article.id)
    assert [v.title for v in versions] == ["Huge blaze destroys Harlow depot", "Blaze at Harlow depot"]
    assert {c["kind"] for c in versions[1].changes} == {"headline-changed", "figure-changed"}
    assert versions[1].fetched_at == "2026-05-02T10:10:02+00:00"  # the fake clock: 600 s on, plus the 2 s politeness wait of cycle 1


def test_linked_pages_are_fetched_and_revised_pages_keep_their_article(site: Site, store: Store, wsettings: Settings) -> None:
    link = site.base + "/news/depot"
    site.set("/news/depot", page("Depot fire", [P1, P2, P3], link))
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Times</title>'
            f"<item><guid>ht-1</guid><title>Depot fire</title><link>{link}</link><description>teaser</description></item>"
            "</channel></rss>")  # fmt: skip
    url = site.set("/rss.xml", feed, "application/rss+xml")
    clock = FakeClock()
    w = watcher(store, wsettings, clock)
    w.sync([Source(url, "feed", interval_s=600, fetch_links=True, follow_s=3600, language="en")])
    assert w.cycle().added == 1
    (article,) = store.articles()
    assert "fuel depot" in article.text and article.meta.language == "en"
    site.set("/news/depot", page("Depot fire", [P1, P2], link))  # a paragraph removed without a note
    clock.advance(600)
    report = w.cycle()  # the feed answers 304; the page is still followed and has changed
    assert (report.not_modified, report.fetched, report.revised) == (1, 1, 1)
    assert [a.id for a in store.articles()] == [article.id]
    with store.engine.connect() as conn:
        (_, second) = revision_db.revisions(conn, article.id)
    assert [c["kind"] for c in second.changes] == ["paragraph-removed"]
    clock.advance(3600)  # past the follow time: the page is no longer fetched, the feed still is
    w.cycle()
    assert len(site.requests("/news/depot")) == 3 and len(site.requests("/rss.xml")) == 3


def test_politeness_waits_between_requests_to_one_host(site: Site, store: Store, wsettings: Settings) -> None:
    urls = [site.set(f"/p{i}.html", page(f"Story {i}", [P1.replace("nine", str(i + 2))], site.base + f"/p{i}.html")) for i in range(3)]
    clock = FakeClock()
    w = watcher(store, wsettings, clock, min_delay_s=5.0)
    w.sync([Source(u, "page", interval_s=600) for u in urls])
    w.cycle()
    assert clock.sleeps == [5.0, 5.0, 5.0]  # robots.txt, then three pages: each waits for the one before
    site.set("/robots.txt", "User-agent: *\nCrawl-delay: 30\n", "text/plain")
    clock.advance(25 * 3600)  # robots.txt is read again after a day
    clock.sleeps.clear()
    w.cycle()
    assert clock.sleeps == [5.0, 30.0, 30.0]  # the first page waits out the Crawl-delay the robots.txt asked for


def test_robots_txt_disallow_is_obeyed(site: Site, store: Store, wsettings: Settings) -> None:
    site.set("/robots.txt", "User-agent: crosswire\nDisallow: /private/\n", "text/plain")
    allowed = site.set("/public/a.html", page("Open", [P1], site.base + "/public/a.html"))
    blocked = site.set("/private/b.html", page("Closed", [P2], site.base + "/private/b.html"))
    w = watcher(store, wsettings, FakeClock())
    w.sync([Source(allowed, "page"), Source(blocked, "page")])
    report = w.cycle()
    assert (report.disallowed, report.added) == (1, 1)
    assert site.requests("/private/b.html") == [] and len(site.requests("/public/a.html")) == 1
    with store.engine.connect() as conn:
        row = watch_db.get(conn, blocked)
    assert row is not None and row.last_error == "disallowed by robots.txt"


def test_429_retry_after_holds_the_host_and_errors_back_off(site: Site, store: Store, wsettings: Settings) -> None:
    busy = site.set("/a-busy.html", "slow down", status=429, headers={"Retry-After": "900"})
    broken = site.set("/b-broken.html", "oops", status=500)
    other = site.base.replace("127.0.0.1", "localhost") + "/c-broken.html"  # another host: not held
    site.set("/c-broken.html", "oops", status=500)
    clock = FakeClock()
    w = watcher(store, wsettings, clock, min_delay_s=1.0)
    w.sync([Source(u, "page", interval_s=600) for u in (busy, broken, other)])
    report = w.cycle()
    assert (report.errors, report.postponed) == (2, 1)
    assert max(clock.sleeps) <= 1.0  # nobody waited out the Retry-After inside the cycle
    with store.engine.connect() as conn:
        b, held, e = (watch_db.get(conn, u) for u in (busy, broken, other))
    assert b is not None and held is not None and e is not None
    assert b.last_status == 429 and b.errors == 1
    assert b.next_due - clock.now == pytest.approx(1200, abs=3)  # the longer of Retry-After (900) and its backoff (2 × 600)
    assert held.next_due - clock.now == pytest.approx(900, abs=3) and held.errors == 0 and held.fetches == 0
    assert e.next_due - clock.now == pytest.approx(backoff_s(600, 1)) == 1200 and e.last_status == 500
    clock.advance(901)
    assert w.cycle().errors == 1  # the held URL once the host's wait is over; the others back off longer
    clock.advance(300)
    assert w.cycle().errors == 2
    assert backoff_s(600, 3) == 4800 and backoff_s(600, 40) == 24 * 3600 and backoff_s(60, 1, retry_after=7200) == 7200


def test_news_sitemap_pages_are_fetched_with_their_news_metadata(site: Site, store: Store, wsettings: Settings) -> None:
    link = site.base + "/2026/depot"
    site.set("/2026/depot", page("Depot fire", [P1, P2], link))
    sitemap = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
               'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
               f"<url><loc>{link}</loc><news:news><news:publication><news:name>Harbour Times</news:name>"
               "<news:language>en</news:language></news:publication><news:publication_date>2026-05-02</news:publication_date>"
               "<news:title>Depot fire at Harlow</news:title></news:news></url></urlset>")  # fmt: skip
    index = site.set("/sitemap_index.xml", '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                     f"<sitemap><loc>{site.base}/news.xml</loc></sitemap></sitemapindex>", "application/xml")  # fmt: skip
    site.set("/news.xml", sitemap, "application/xml")
    w = watcher(store, wsettings, FakeClock())
    w.sync([Source(index, "auto")])
    assert w.cycle().added == 1
    (article,) = store.articles()
    assert article.meta.title == "Depot fire at Harlow" and article.meta.published.value == "2026-05-02"
    assert article.meta.outlet == "Harbour Times"


def test_private_addresses_are_refused_unless_allowed(site: Site, store: Store, wsettings: Settings) -> None:
    url = site.set("/feed.atom", atom([("a", "Depot fire", [P1])]), "application/atom+xml")
    w = watcher(store, replace(wsettings, allow_private=False), FakeClock())
    w.sync([Source(url, "feed")])
    report = w.cycle()
    assert report.added == 0 and not site.log
    with store.engine.connect() as conn:
        row = watch_db.get(conn, url)
    assert row is not None and row.errors == 1 and "refusing to fetch" in (row.last_error or "")


def test_sources_toml_is_checked() -> None:
    sources = parse_sources({"defaults": {"interval": "10m", "language": "EN"},
                             "source": [{"url": "https://a.example/feed"}, {"url": "https://b.example/s.xml", "kind": "news-sitemap", "interval": "2h"}]})  # fmt: skip
    assert [(s.kind, s.interval_s, s.language) for s in sources] == [("auto", 600.0, "en"), ("news-sitemap", 7200.0, "en")]
    for bad, message in [({"source": [{"url": "ftp://x"}]}, "http"), ({"source": [{"url": "https://x.example", "interval": 5}]}, "floor"),
                         ({"source": [{"url": "https://x.example", "kind": "blog"}]}, "kind"), ({}, "at least one"),
                         ({"source": [{"url": "https://x.example", "every": 5}]}, "unknown key")]:  # fmt: skip
        with pytest.raises(ConfigError, match=message):
            parse_sources(bad)


def test_the_loop_stops_cleanly_when_asked(site: Site, store: Store, wsettings: Settings) -> None:
    url = site.set("/feed.atom", atom([("a", "Depot fire", [P1, P2])]), "application/atom+xml")
    clock = FakeClock()
    w = watcher(store, wsettings, clock)
    w.sync([Source(url, "feed", interval_s=600)])

    class StopAfterTwo(FakeClock):
        def sleep(self, seconds: float) -> None:
            super().sleep(seconds)
            if seconds >= 600 - 5 and len([s for s in self.sleeps if s >= 595]) == 2:
                w.stop.set()  # what the SIGINT/SIGTERM handler does

    w.clock = w.policy.clock = StopAfterTwo(clock.now)
    reports = w.run()
    assert [(r.fetched, r.not_modified) for r in reports] == [(1, 0), (0, 1)]  # slept until due between the two


def test_retry_after_reads_seconds_and_http_dates() -> None:
    from crosswire.ingest.fetch import retry_after

    assert retry_after("120") == 120.0
    assert retry_after("Sat, 02 May 2026 10:05:00 GMT", now=1_777_716_000.0) == 300.0
    assert retry_after("Sat, 02 May 2026 09:00:00 GMT", now=1_777_716_000.0) == 0.0  # already past
    assert retry_after("soon") is None and retry_after(None) is None


def test_a_webhook_redirect_is_not_followed(site: Site, wsettings: Settings) -> None:
    from crosswire.errors import HttpStatusError
    from crosswire.ingest.fetch import post_json

    hook = site.set("/moved", "", "text/plain", status=301, headers={"Location": "http://10.0.0.1/steal"}, validators=False)
    with pytest.raises(HttpStatusError, match="HTTP 301"):
        post_json(hook, b"{}", {}, wsettings)
    assert [p for m, p, _, _ in site.log if m == "POST"] == ["/moved"]


def test_a_child_sitemap_is_polled_for_as_long_as_its_index(site: Site, store: Store, wsettings: Settings) -> None:
    child = site.set("/news.xml", '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>',
                     "application/xml")  # fmt: skip
    index = site.set("/index.xml", '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                     f"<sitemap><loc>{child}</loc></sitemap></sitemapindex>", "application/xml")  # fmt: skip
    clock = FakeClock()
    w = watcher(store, wsettings, clock)
    w.sync([Source(index, "sitemap", interval_s=3600, follow_s=3600)])
    w.cycle()
    for _ in range(3):
        clock.advance(3600)
        w.cycle()
    assert len(site.requests("/news.xml")) == 4  # still polled after its follow time (it lists pages, it is not one)
    with store.engine.connect() as conn:
        row = watch_db.get(conn, child)
    assert row is not None and row.kind == "sitemap" and row.role == "page" and row.not_modified == 3

"""The watch loop: poll every due URL politely with conditional GET, turn what changed into articles (new ones
or revisions of stored ones) through the same write step as ``crosswire add``, then raise alerts.

One ``Watcher`` per process. ``cycle()`` is one pass over what is due (``crosswire watch --once`` runs one);
``run()`` repeats it until ``stop`` is set (SIGINT/SIGTERM), sleeping until the next URL is due. The network
(``fetch``, the same ``fetch_url`` as ``add``, with its limits and private-address refusal) and time (``clock``)
are injectable: tests and benchmarks run on loopback with a fake clock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from crosswire.errors import BlockedAddress, FetchError, HttpStatusError, InputError
from crosswire.ingest import readers
from crosswire.ingest.decode import GZIP_MAGIC, charset_of, check_size, decode_text, gunzip_partial, sniff
from crosswire.ingest.fetch import Fetched, fetch_url, post_json
from crosswire.model import InputFormat, Origin, RawDocument, Rejected
from crosswire.settings import Settings
from crosswire.storage import watch as watch_db
from crosswire.storage.store import Store
from crosswire.watch import alerts, sitemaps
from crosswire.watch.alerts import Post
from crosswire.watch.politeness import Clock, HostPolicy, SystemClock, backoff_s
from crosswire.watch.sources import Source

Fetch = Callable[..., Fetched]  # fetch_url's signature: (url, settings, *, validators=…)
HOLD_STATUSES = (429, 503)  # the host asked us to slow down: hold all its URLs, not only this one
MAX_URLS_PER_CYCLE = 10_000
MAX_INLINE_WAIT_S = 60.0  # a host held longer than this (Retry-After) has its URLs put off, not waited for  # a sitemap listing more pages spreads them over later cycles


@dataclass(slots=True)
class CycleReport:
    """What one pass did."""

    requests: int = 0  # HTTP requests made, robots.txt included
    fetched: int = 0  # 200 answers
    not_modified: int = 0  # 304 answers: nothing downloaded, nothing re-processed
    errors: int = 0
    disallowed: int = 0  # URLs robots.txt keeps us from
    added: int = 0  # new articles
    revised: int = 0  # new revisions of stored articles
    unchanged: int = 0  # fetched again, same text and headline
    alerts: int = 0
    postponed: int = 0  # URLs of a host that asked us to come back later
    slept_s: float = 0.0  # politeness waits
    problems: list[str] = field(default_factory=list)


class Watcher:
    """Polls the watched URLs of one store."""

    def __init__(self, store: Store, settings: Settings, clock: Clock | None = None, fetch: Fetch = fetch_url,
                 min_delay_s: float | None = None, stop: threading.Event | None = None) -> None:  # fmt: skip
        self.store, self.settings, self.fetch = store, settings, fetch
        self.stop = stop or threading.Event()
        self.clock = clock or SystemClock(self.stop)
        self.requests = 0
        kwargs = {} if min_delay_s is None else {"min_delay_s": min_delay_s}
        self.policy = HostPolicy(self.clock, self._robots_text, **kwargs)
        self.follow_s: dict[str, float] = {}  # source url → how long its pages are followed
        self.post: Post = post_json  # the webhook seam
        self.deliveries = (0, 0)  # webhook posts (delivered, failed) in the last cycle

    def sync(self, sources: list[Source]) -> None:
        """Store the sources of SOURCES.toml (new ones due now; known ones keep their validators and schedule)."""
        now = self.clock.time()
        with self.store.transaction() as tx:
            for s in sources:
                tx.upsert_watched_source(s.url, s.kind, s.interval_s, s.fetch_links, s.language, _iso(now), now)
                self.follow_s[s.url] = s.follow_s

    def cycle(self) -> CycleReport:
        """Poll every URL due now (and the pages they reveal), store what changed, raise alerts."""
        report, start = CycleReport(), self.requests
        raws: list[tuple[str, RawDocument | Rejected]] = []
        with self.store.reader() as rd:
            queue = rd.due_urls(self.clock.time())
        seen: set[str] = set()
        while queue and len(seen) < MAX_URLS_PER_CYCLE and not self.stop.is_set():
            url = queue.pop(0)
            if url.url in seen:
                continue
            seen.add(url.url)
            raws += [(url.url, item) for item in self._poll(url, report, queue)]
            if len(raws) >= self.settings.batch_size:  # a big sitemap is stored as it is read, not held whole
                self._ingest(raws, report)
                raws = []
        self._ingest(raws, report)
        report.requests = self.requests - start
        return report

    def run(self, max_cycles: int | None = None) -> list[CycleReport]:
        """Cycle until ``stop`` is set (or ``max_cycles``), sleeping until the next URL is due."""
        reports: list[CycleReport] = []
        while not self.stop.is_set() and (max_cycles is None or len(reports) < max_cycles):
            reports.append(self.cycle())
            self.clock.sleep(max(1.0, self.next_due() - self.clock.time()))
        return reports

    def next_due(self) -> float:
        """When the next URL is due (epoch seconds)."""
        with self.store.reader() as rd:
            urls = rd.watched_urls(role=None)
        return min((u.next_due for u in urls), default=self.clock.time() + 60.0)

    # --- one URL --------------------------------------------------------------------------------

    def _poll(self, url: watch_db.WatchedUrl, report: CycleReport, queue: list[watch_db.WatchedUrl]) -> list[RawDocument | Rejected]:
        try:
            allowed = self.policy.allowed(url.url)
        except BlockedAddress as exc:  # robots.txt of a private host: the host itself is refused
            report.errors += 1
            self._failed(url, None, str(exc), None)
            return []
        if not allowed:
            report.disallowed += 1
            self._failed(url, None, "disallowed by robots.txt", None)
            return []
        ready = self.policy.ready_at(url.url)
        if ready - self.clock.time() > MAX_INLINE_WAIT_S:
            with self.store.transaction() as tx:
                tx.postpone_url(url.url, ready)
            report.postponed += 1
            return []
        report.slept_s += self.policy.wait_turn(url.url)
        validators = {k: v for k, v in (("If-None-Match", url.etag), ("If-Modified-Since", url.last_modified)) if v}
        try:
            self.requests += 1
            fetched = self.fetch(url.url, self.settings, validators=validators)
        except HttpStatusError as exc:
            report.errors += 1
            if exc.status in HOLD_STATUSES:
                self.policy.hold(url.url, exc.retry_after if exc.retry_after is not None else backoff_s(url.interval_s, url.errors))
            self._failed(url, exc.status, str(exc), exc.retry_after)
            return []
        except FetchError as exc:
            report.errors += 1
            self._failed(url, None, str(exc), None)
            return []
        now = self.clock.time()
        with self.store.transaction() as tx:
            tx.record_url_fetch(url.url, fetched.status, fetched.etag, fetched.last_modified, self._next(url, now), _iso(now))
        if fetched.status == 304:
            report.not_modified += 1
            return []
        report.fetched += 1
        try:
            return self._read(url, fetched, queue)
        except InputError as exc:
            report.problems.append(f"{url.url}: {exc}")
            return [Rejected(Origin("url", url.url), str(exc))]

    def _failed(self, url: watch_db.WatchedUrl, status: int | None, error: str, retry_after: float | None) -> None:
        now = self.clock.time()
        with self.store.transaction() as tx:
            tx.record_url_error(url.url, status, error, now + backoff_s(url.interval_s, url.errors + 1, retry_after), _iso(now))

    def _next(self, url: watch_db.WatchedUrl, now: float) -> float:
        """A source (or a child sitemap of an index) is polled every interval; a page while it is younger than its
        source's follow time."""
        if url.role == "source" or url.kind in ("sitemap", "news-sitemap", "feed"):
            return now + url.interval_s
        follow = self.follow_s.get(url.source_url or "", 48 * 3600.0)
        age = now - datetime.fromisoformat(url.first_seen).timestamp()
        return now + url.interval_s if age + url.interval_s <= follow else watch_db.NEVER

    # --- reading what came back -----------------------------------------------------------------

    def _read(self, url: watch_db.WatchedUrl, fetched: Fetched, queue: list[watch_db.WatchedUrl]) -> list[RawDocument | Rejected]:
        data = fetched.content
        if data.startswith(GZIP_MAGIC):
            data, broken = gunzip_partial(data, self.settings.max_input_bytes)
            if broken:
                raise broken
        check_size(data, self.settings.max_input_bytes)
        kind = url.kind if url.kind != "auto" else _sniff_kind(data)
        seen = _iso(self.clock.time())
        if kind in ("sitemap", "news-sitemap"):
            self._register(url, [(e.url, e.lastmod, _sitemap_hints(e)) for e in sitemaps.read_sitemap(data)], queue)
            return []
        if kind == "feed":
            entries = list(readers.read_feed(data, Origin("feed", url.url)))
            docs = [e for e in entries if isinstance(e, RawDocument)]
            if url.fetch_links:
                self._register(url, [(d.url, d.published, _entry_hints(d, url.url)) for d in docs if d.url], queue)
                return [e for e in entries if isinstance(e, Rejected)]
            return [readers.check_limits(replace(e, seen=seen, language=e.language or url.language))
                    if isinstance(e, RawDocument) else e for e in entries]  # fmt: skip
        text, encoding = decode_text(data, charset_of(fetched.content_type))
        fmt = InputFormat.TEXT if sniff(text) is None and "html" not in fetched.content_type.lower() else InputFormat.HTML
        return [readers.check_limits(_page_document(url, fetched.final_url, text, encoding, fmt, seen))]

    def _register(self, source: watch_db.WatchedUrl, pages: list[tuple[str, str | None, dict[str, Any]]],
                  queue: list[watch_db.WatchedUrl]) -> None:  # fmt: skip
        """Record the pages a source lists; the new ones, and those whose lastmod changed, are polled in this cycle."""
        now = self.clock.time()
        with self.store.transaction() as tx:
            due = [page for page, lastmod, hints in pages if tx.add_watched_page(page, source, lastmod, hints, _iso(now), now)]
            for page, _, hints in pages:
                if hints.get("sitemap"):  # a child sitemap of an index is read like its parent
                    tx.set_watched_kind(page, "sitemap")
            queue += [u for u in (tx.watched_url(page) for page in dict.fromkeys(due)) if u is not None]

    def _robots_text(self, robots_url: str) -> str | None:
        """robots.txt as text; none there (4xx) allows everything, an unreachable one (5xx, network) disallows all
        until it is read again (RFC 9309 §2.3.1)."""
        self.requests += 1
        try:
            fetched = self.fetch(robots_url, self.settings)
        except HttpStatusError as exc:
            return None if exc.status < 500 else "User-agent: *\nDisallow: /"
        except BlockedAddress:
            raise
        except FetchError:
            return "User-agent: *\nDisallow: /"
        return fetched.content.decode("utf-8", "replace")

    # --- storing --------------------------------------------------------------------------------

    def _ingest(self, raws: list[tuple[str, RawDocument | Rejected]], report: CycleReport) -> None:
        from crosswire.app import comparison, ingest

        if not raws:
            return
        outcomes = ingest.ingest_items(self.store, [item for _, item in raws], self.settings)
        counts: dict[str, int] = {}
        for (url, _), outcome in zip(raws, outcomes, strict=True):
            if outcome.status in ("added", "revised"):
                counts[url] = counts.get(url, 0) + 1
            if outcome.status == "failed":
                report.problems.append(f"{url}: {outcome.detail}")
        report.added += sum(1 for o in outcomes if o.status == "added")
        report.revised += sum(1 for o in outcomes if o.status == "revised")
        report.unchanged += sum(1 for o in outcomes if o.status in ("unchanged", "duplicate"))
        now = _iso(self.clock.time())
        with self.store.transaction() as tx:
            for url, n in counts.items():
                tx.record_url_new(url, n, now)
        if report.added or report.revised:
            comparison.compare_stories(self.store, comparison.stale_stories(self.store), self.settings.workers)
        report.alerts += alerts.raise_alerts(self.store, outcomes)
        if report.alerts:
            self.deliveries = alerts.deliver(self.store, self.settings, self.post, self.clock.sleep)


def _sniff_kind(data: bytes) -> str:
    if sitemaps.is_sitemap(data):
        return "sitemap"
    head = data[:1024].lower()
    return "feed" if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head else "page"


def _entry_hints(d: RawDocument, feed_url: str) -> dict[str, Any]:
    return {"feed": feed_url, "id": d.external_id, "title": d.title, "outlet": d.outlet, "authors": list(d.authors),
            "published": d.published, "language": d.language}  # fmt: skip


def _sitemap_hints(e: sitemaps.SitemapEntry) -> dict[str, Any]:
    if e.is_sitemap:
        return {"sitemap": True}
    return {"title": e.title, "outlet": e.outlet, "published": e.published, "language": e.language}


def _page_document(url: watch_db.WatchedUrl, final_url: str, text: str, encoding: str, fmt: InputFormat, seen: str) -> RawDocument:
    """A fetched page as a raw document; a feed entry's page keeps the entry's origin and metadata (its address
    for revisions is the entry id), a sitemap page its news metadata."""
    h = url.hints
    origin = Origin("feed", h["feed"], h["id"]) if h.get("feed") and h.get("id") else Origin("url", url.url)
    return RawDocument(
        origin=origin, format=fmt, content=text, url=final_url, title=h.get("title"), outlet=h.get("outlet"),
        authors=tuple(h.get("authors") or ()), published=h.get("published"), language=h.get("language") or url.language,
        encoding=encoding, external_id=h.get("id"), seen=seen,
    )  # fmt: skip


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")

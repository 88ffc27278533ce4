"""Tests for crosswire.ingest.fetch and URL inputs in crosswire.ingest.sources.

Every request goes to an ``httpx.MockTransport`` and every DNS lookup to an injected resolver:
nothing here touches the network or the system resolver.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import httpx
import pytest

from crosswire.errors import BlockedAddress, FetchError, TooLarge
from crosswire.ingest.fetch import Fetched, check_public, fetch_url
from crosswire.ingest.sources import InputRef, read_input
from crosswire.model import InputFormat, Origin, RawDocument, Rejected
from crosswire.settings import Settings

PUBLIC_V4 = "93.184.215.14"
PUBLIC_V6 = "2606:2800:21f:cb07:6820:80da:af6b:8b2c"
PAGE = b"<html><body><p>The tram line extension opens in June, the city said.</p></body></html>"

SETTINGS = replace(Settings(), user_agent="crosswire-test/9.9 (+https://tests.example)", fetch_max_redirects=3)


class Resolver:
    """A fake DNS: a fixed table; an unknown host fails the test instead of reaching real DNS."""

    def __init__(self, table: dict[str, list[str]]):
        self.table = table
        self.calls: list[str] = []

    def __call__(self, host: str) -> list[str]:
        self.calls.append(host)
        if host not in self.table:
            raise AssertionError(f"unexpected DNS lookup of {host!r}")
        return self.table[host]


def _no_dns(host: str) -> list[str]:
    raise AssertionError(f"resolver must not be called (asked for {host!r})")


def _transport(handler: Callable[[httpx.Request], httpx.Response], seen: list[httpx.Request]) -> httpx.MockTransport:
    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    return httpx.MockTransport(record)


def _fetch(url: str, handler, resolver=None, settings: Settings = SETTINGS):
    seen: list[httpx.Request] = []
    resolver = resolver or Resolver({"news.example": [PUBLIC_V4], "cdn.example": [PUBLIC_V4, PUBLIC_V6]})
    result = fetch_url(url, settings, transport=_transport(handler, seen), resolve=resolver)
    return result, seen


def _raise_if_called(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no request should be sent, got {request.url}")


# --------------------------------------------------------------------------- success paths


def test_fetch_public_page_sets_user_agent_and_returns_body():
    def handler(request):
        return httpx.Response(200, headers={"Content-Type": "text/html; charset=utf-8"}, content=PAGE)

    resolver = Resolver({"news.example": [PUBLIC_V4]})
    fetched, seen = _fetch("https://news.example/tram", handler, resolver)

    assert fetched == Fetched(
        url="https://news.example/tram",
        final_url="https://news.example/tram",
        content=PAGE,
        content_type="text/html; charset=utf-8",
    )
    assert len(seen) == 1
    assert seen[0].method == "GET"
    assert seen[0].headers["User-Agent"] == "crosswire-test/9.9 (+https://tests.example)"
    assert "text/html" in seen[0].headers["Accept"]
    assert resolver.calls == ["news.example"]


def test_fetch_follows_redirects_and_checks_every_hop():
    def handler(request):
        if request.url.path == "/old":
            return httpx.Response(301, headers={"Location": "/moved"})
        if request.url.path == "/moved":
            return httpx.Response(302, headers={"Location": "https://cdn.example/final?id=7"})
        return httpx.Response(200, headers={"Content-Type": "text/html"}, content=PAGE)

    resolver = Resolver({"news.example": [PUBLIC_V4], "cdn.example": [PUBLIC_V4, PUBLIC_V6]})
    fetched, seen = _fetch("http://news.example/old", handler, resolver)

    assert fetched.url == "http://news.example/old"
    assert fetched.final_url == "https://cdn.example/final?id=7"
    assert fetched.content == PAGE
    # each hop connects to the address that was checked (no second DNS lookup), under its own Host and TLS name
    assert [(str(r.url), r.headers["host"], r.extensions.get("sni_hostname")) for r in seen] == [
        (f"http://{PUBLIC_V4}/old", "news.example", "news.example"),
        (f"http://{PUBLIC_V4}/moved", "news.example", "news.example"),
        (f"https://{PUBLIC_V4}/final?id=7", "cdn.example", "cdn.example"),
    ]
    assert resolver.calls == ["news.example", "news.example", "cdn.example"]
    assert all(r.headers["User-Agent"] == SETTINGS.user_agent for r in seen)


def test_fetch_exactly_max_redirects_is_allowed():
    def handler(request):
        n = int(request.url.path.strip("/") or 0)
        if n < SETTINGS.fetch_max_redirects:
            return httpx.Response(307, headers={"Location": f"/{n + 1}"})
        return httpx.Response(200, content=PAGE)

    fetched, seen = _fetch("https://news.example/0", handler)
    assert fetched.final_url == "https://news.example/3"
    assert len(seen) == 4


def test_fetch_redirect_chain_too_long_is_fetch_error():
    def handler(request):
        n = int(request.url.path.strip("/") or 0)
        return httpx.Response(302, headers={"Location": f"/{n + 1}"})

    with pytest.raises(FetchError, match="more than 3 redirects") as info:
        _fetch("https://news.example/0", handler)
    assert not isinstance(info.value, BlockedAddress)


def test_fetch_redirect_loop_is_fetch_error():
    seen: list[httpx.Request] = []

    def handler(request):
        return httpx.Response(308, headers={"Location": request.url.path})

    with pytest.raises(FetchError, match="redirects"):
        fetch_url(
            "https://news.example/loop",
            SETTINGS,
            transport=_transport(handler, seen),
            resolve=Resolver({"news.example": [PUBLIC_V4]}),
        )
    assert len(seen) == SETTINGS.fetch_max_redirects + 1


# --------------------------------------------------------------------------- private addresses

PRIVATE = ["127.0.0.1", "10.0.0.5", "169.254.169.254", "::1", "::ffff:127.0.0.1"]


@pytest.mark.parametrize("address", PRIVATE)
def test_redirect_to_host_resolving_private_is_blocked(address):
    def handler(request):
        assert request.headers["host"] == "news.example", "the private host must never be contacted"
        return httpx.Response(302, headers={"Location": "http://internal.example/admin"})

    resolver = Resolver({"news.example": [PUBLIC_V4], "internal.example": [address]})
    with pytest.raises(BlockedAddress, match="--allow-private") as info:
        _fetch("https://news.example/story", handler, resolver)
    message = str(info.value)
    assert "http://internal.example/admin" in message
    assert "internal.example is " in message
    assert resolver.calls == ["news.example", "internal.example"]


def test_host_with_one_private_among_public_addresses_is_blocked():
    resolver = Resolver({"mixed.example": [PUBLIC_V4, "192.168.1.20"]})
    with pytest.raises(BlockedAddress, match="192.168.1.20"):
        _fetch("https://mixed.example/", _raise_if_called, resolver)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://10.0.0.5:8080/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
    ],
)
def test_literal_private_ip_url_is_blocked_without_dns_or_request(url):
    with pytest.raises(BlockedAddress, match="--allow-private") as info:
        _fetch(url, _raise_if_called, _no_dns)
    assert url in str(info.value)


def test_redirect_to_literal_metadata_ip_is_blocked():
    def handler(request):
        assert request.headers["host"] == "news.example"
        return httpx.Response(301, headers={"Location": "http://169.254.169.254/latest/meta-data/"})

    with pytest.raises(BlockedAddress, match="169.254.169.254"):
        _fetch("https://news.example/", handler)


def test_private_ip_allowed_with_allow_private():
    def handler(request):
        assert request.headers["host"] == "10.0.0.5:8080"
        return httpx.Response(200, headers={"Content-Type": "text/html"}, content=PAGE)

    fetched, seen = _fetch("http://10.0.0.5:8080/intranet", handler, _no_dns, replace(SETTINGS, allow_private=True))
    assert fetched.content == PAGE
    assert fetched.final_url == "http://10.0.0.5:8080/intranet"
    assert len(seen) == 1


def test_redirect_to_private_host_allowed_with_allow_private():
    def handler(request):
        if request.headers["host"] == "news.example":
            return httpx.Response(302, headers={"Location": "http://internal.example/wiki"})
        return httpx.Response(200, content=b"<p>internal wiki</p>")

    fetched, _ = _fetch("https://news.example/", handler, _no_dns, replace(SETTINGS, allow_private=True))
    assert fetched.final_url == "http://internal.example/wiki"
    assert fetched.content == b"<p>internal wiki</p>"


def test_check_public_accepts_public_addresses():
    resolver = Resolver({"cdn.example": [PUBLIC_V4, PUBLIC_V6]})
    assert check_public("https://cdn.example/a", resolver) == [PUBLIC_V4, PUBLIC_V6]
    assert check_public(f"http://{PUBLIC_V4}/", _no_dns) == [PUBLIC_V4]
    assert check_public(f"http://[{PUBLIC_V6}]/", _no_dns) == [PUBLIC_V6]


# --------------------------------------------------------------------------- failures


def test_body_over_fetch_max_bytes_is_too_large():
    settings = replace(SETTINGS, fetch_max_bytes=1000)

    def handler(request):
        return httpx.Response(200, content=b"a" * 5000)

    with pytest.raises(TooLarge, match="over the 1000 byte limit"):
        _fetch("https://news.example/huge", handler, settings=settings)

    exact, _ = _fetch("https://news.example/ok", lambda r: httpx.Response(200, content=b"b" * 1000), settings=settings)
    assert exact.content == b"b" * 1000


def test_http_404_is_fetch_error():
    with pytest.raises(FetchError, match="404") as info:
        _fetch("https://news.example/missing", lambda r: httpx.Response(404, content=b"not here"))
    assert "https://news.example/missing" in str(info.value)


def test_http_500_after_redirect_names_the_final_url():
    def handler(request):
        if request.url.path == "/a":
            return httpx.Response(302, headers={"Location": "/b"})
        return httpx.Response(503)

    with pytest.raises(FetchError, match=r"https://news.example/b answered HTTP 503"):
        _fetch("https://news.example/a", handler)


def test_connect_error_is_unreachable():
    def handler(request):
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(FetchError, match="unreachable") as info:
        _fetch("https://news.example/down", handler)
    assert "connection refused" in str(info.value)
    assert isinstance(info.value.__cause__, httpx.ConnectError)


@pytest.mark.parametrize("exc_type", [httpx.ReadTimeout, httpx.ConnectTimeout])
def test_timeout_is_fetch_error(exc_type):
    def handler(request):
        raise exc_type("slow", request=request)

    with pytest.raises(FetchError, match="timed out") as info:
        _fetch("https://news.example/slow", handler)
    assert exc_type.__name__ in str(info.value)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://news.example/a.txt", "/etc/passwd", "gopher://x/"])
def test_non_http_scheme_is_fetch_error(url):
    with pytest.raises(FetchError, match="only http and https") as info:
        _fetch(url, _raise_if_called, _no_dns)
    assert not isinstance(info.value, BlockedAddress)


def test_redirect_to_file_scheme_is_fetch_error():
    def handler(request):
        assert request.headers["host"] == "news.example"
        return httpx.Response(302, headers={"Location": "file:///etc/passwd"})

    with pytest.raises(FetchError, match="file:///etc/passwd: only http and https"):
        _fetch("https://news.example/", handler)


# --------------------------------------------------------------------------- URL inputs through sources.read_input

FEED_URL = "https://feeds.example/riverside.atom"
ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Riverside Gazette</title>
  <id>urn:uuid:feed-riverside</id>
  <updated>2024-05-03T10:00:00Z</updated>
  <entry>
    <title>Tram extension opens</title>
    <id>tag:riverside.example,2024:tram</id>
    <link href="https://riverside.example/news/tram"/>
    <updated>2024-05-03T09:00:00Z</updated>
    <author><name>Gus Hale</name></author>
    <summary>Short teaser about the tram.</summary>
  </entry>
  <entry>
    <title>Library hours extended</title>
    <id>tag:riverside.example,2024:library</id>
    <link href="https://riverside.example/news/library"/>
    <updated>2024-05-02T09:00:00Z</updated>
    <summary>Short teaser about the library.</summary>
  </entry>
</feed>
"""
TRAM_PAGE = "<html><body><article><h1>Tram extension opens</h1><p>Full story: trams run to the harbour from June.</p></article></body></html>"
LIBRARY_PAGE = "<html><body><article><p>Full story: the library stays open until ten on weekdays.</p></article></body></html>"


class FakeFetcher:
    """Stands in for fetch_url in read_input; records what was asked."""

    def __init__(self, pages: dict[str, Fetched | Exception]):
        self.pages = pages
        self.calls: list[str] = []

    def __call__(self, url: str, settings: Settings) -> Fetched:
        self.calls.append(url)
        page = self.pages[url]
        if isinstance(page, Exception):
            raise page
        return page


def _feed_pages() -> dict[str, Fetched | Exception]:
    return {
        FEED_URL: Fetched(FEED_URL, FEED_URL, ATOM, "application/atom+xml"),
        "https://riverside.example/news/tram": Fetched(
            "https://riverside.example/news/tram",
            "https://www.riverside.example/news/tram?amp=0",  # after a redirect
            TRAM_PAGE.encode(),
            "text/html",
        ),
        "https://riverside.example/news/library": Fetched(
            "https://riverside.example/news/library",
            "https://riverside.example/news/library",
            LIBRARY_PAGE.encode(),
            "text/html",
        ),
    }


def test_read_input_feed_url_with_fetch_links_uses_entry_pages():
    fetcher = FakeFetcher(_feed_pages())
    settings = replace(Settings(), fetch_links=True)

    tram, library = read_input(InputRef("url", FEED_URL), settings, fetch=fetcher)

    assert fetcher.calls == [
        FEED_URL,
        "https://riverside.example/news/tram",
        "https://riverside.example/news/library",
    ]
    assert isinstance(tram, RawDocument)
    assert tram.format is InputFormat.HTML
    assert tram.content == TRAM_PAGE
    assert tram.url == "https://www.riverside.example/news/tram?amp=0"
    assert tram.title == "Tram extension opens"  # entry metadata is kept
    assert tram.authors == ("Gus Hale",)
    assert tram.outlet == "Riverside Gazette"
    assert tram.external_id == "tag:riverside.example,2024:tram"
    assert tram.origin == Origin("feed", FEED_URL, "tag:riverside.example,2024:tram")

    assert library.content == LIBRARY_PAGE
    assert library.url == "https://riverside.example/news/library"
    assert library.origin.item == "tag:riverside.example,2024:library"


def test_read_input_feed_url_without_fetch_links_uses_entry_summaries():
    fetcher = FakeFetcher(_feed_pages())
    tram, library = read_input(InputRef("url", FEED_URL), replace(Settings(), fetch_links=False), fetch=fetcher)
    assert fetcher.calls == [FEED_URL]
    assert (tram.format, tram.content) == (InputFormat.TEXT, "Short teaser about the tram.")
    assert tram.url == "https://riverside.example/news/tram"
    assert library.content == "Short teaser about the library."


def test_read_input_feed_link_failure_rejects_only_that_entry():
    pages = _feed_pages()
    pages["https://riverside.example/news/library"] = FetchError("https://riverside.example/news/library answered HTTP 404")
    tram, library = read_input(
        InputRef("url", FEED_URL), replace(Settings(), fetch_links=True), fetch=FakeFetcher(pages)
    )
    assert tram.content == TRAM_PAGE
    assert isinstance(library, Rejected)
    assert library.origin == Origin("feed", FEED_URL, "tag:riverside.example,2024:library")
    assert library.reason.startswith("linked page https://riverside.example/news/library:")
    assert "HTTP 404" in library.reason


def test_read_input_html_url_carries_final_url():
    page_url = "https://news.example/tram"
    fetcher = FakeFetcher({page_url: Fetched(page_url, "https://news.example/2024/tram", PAGE, "text/html")})
    (doc,) = read_input(InputRef("url", page_url), Settings(), fetch=fetcher)
    assert doc.seen and doc.seen.startswith("20")  # the fetch time: when it was collected
    assert replace(doc, seen=None) == RawDocument(
        Origin("url", page_url), InputFormat.HTML, PAGE.decode(), url="https://news.example/2024/tram"
    )


def test_read_input_fetch_error_becomes_rejected():
    url = "http://10.0.0.5/"
    fetcher = FakeFetcher({url: BlockedAddress(f"refusing to fetch {url} (pass --allow-private to allow it)")})
    (rej,) = read_input(InputRef("url", url), Settings(), fetch=fetcher)
    assert rej == Rejected(Origin("url", url), f"refusing to fetch {url} (pass --allow-private to allow it)")


@pytest.mark.parametrize("address", ["::127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::", "64:ff9b::a00:5"])
def test_ipv6_forms_carrying_a_private_ipv4_are_blocked(address):
    with pytest.raises(BlockedAddress):
        check_public("https://sneaky.example/", Resolver({"sneaky.example": [address]}))


def test_a_host_without_addresses_is_refused():
    with pytest.raises(FetchError, match="no addresses"):
        check_public("https://void.example/", Resolver({"void.example": []}))


def test_redirect_without_location_is_an_error():
    with pytest.raises(FetchError, match="without a Location"):
        _fetch("http://news.example/x", lambda request: httpx.Response(302), Resolver({"news.example": [PUBLIC_V4]}))

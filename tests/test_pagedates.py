"""Page dates with evidence, on minimal hand-written HTML."""

from __future__ import annotations

from crosswire.extract.pagedates import page_dates

HEAD = """<html><head>
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage"},
 {"@type":"NewsArticle","headline":"Tram line approved","datePublished":"2025-03-04T09:00:00+01:00",
  "dateModified":"2025-03-05T18:20:00+01:00"}]}</script>
<meta property="article:published_time" content="2025-03-04T08:00:00Z">
<meta name="parsely-pub-date" content="2025-03-01">
</head><body><time datetime="2025-03-04">4 March</time></body></html>"""


def test_published_and_updated_are_kept_apart_with_their_signals() -> None:
    d = page_dates(HEAD, "https://news.example/2025/03/04/tram", picked="2025-03-04")
    assert d.published is not None and d.updated is not None
    assert d.published[0] == "2025-03-04" and d.published[1].startswith("JSON-LD datePublished")
    assert "meta article:published_time" in d.published[1] and "URL path" not in d.published[1][:40]
    assert "disagreeing: meta parsely-pub-date says 2025-03-01" in d.published[1]
    assert d.updated == ("2025-03-05", "JSON-LD dateModified")
    assert ("published", "URL path", "2025-03-04") in d.signals


def test_htmldate_pick_without_a_tag_says_so() -> None:
    d = page_dates("<html><body><p>Posted 4 March 2025</p></body></html>", None, picked="2025-03-04")
    assert d.published == ("2025-03-04", "htmldate (from the page text or markup; no date tag gives this date)")
    assert d.updated is None


def test_without_htmldate_pick_the_first_signal_is_used() -> None:
    d = page_dates('<meta name="date" content="2024-12-24">', "https://x.example/a", picked=None)
    assert d.published == ("2024-12-24", "meta date")


def test_nothing_dated_gives_nothing() -> None:
    assert page_dates("<html><p>no dates</p></html>", "https://x.example/about", None).published is None


def test_broken_json_ld_is_ignored() -> None:
    d = page_dates('<script type="application/ld+json">{"datePublished": </script>', None, picked=None)
    assert d.published is None and d.signals == ()

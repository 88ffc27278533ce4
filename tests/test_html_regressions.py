"""Regression tests for the hardest HTML pages found in the benchmarks, rebuilt as minimal pages of our own."""

from __future__ import annotations

from crosswire.extract.article import extract_article
from crosswire.model import Article, InputFormat, Origin, RawDocument


def extract(html: str, url: str | None = None) -> Article:
    result = extract_article(RawDocument(Origin("file", "page.html"), InputFormat.HTML, html, url=url))
    assert isinstance(result, Article), result
    return result


def page(body: str, head: str = "") -> str:
    return f"<!doctype html><html><head><title>T</title>{head}</head><body><nav><a href='/'>Home</a></nav>{body}</body></html>"


def test_japanese_article_is_not_cut_as_section_labels() -> None:
    # AEB/htmldate: every CJK line counted as one "word", so the kicker rule ate whole articles.
    paras = ["政府は今日、新しい経済対策を発表した。", "首相は記者会見で対策の規模は十兆円に上ると説明した。",
             "野党は財源が不明確だと批判している。", "対策は来月から順次実施される見通しだ。"]
    a = extract(page("<article><h1>経済対策</h1>" + "".join(f"<p>{p}</p>" for p in paras) + "</article>"))
    for p in paras:
        assert p in a.text


def test_site_name_in_the_author_tag_is_not_an_author() -> None:
    head = '<meta name="author" content="Port News"><meta property="og:site_name" content="Port News">'
    body = "<article><h1>Ferry strike ends</h1>" + "<p>Ferry crews returned to work on Thursday after a four-day strike over pay, the union said.</p>" * 3 + "</article>"
    a = extract(page(body, head), url="https://portnews.example/ferry")
    assert a.meta.outlet == "Port News" and a.meta.authors == ()


def test_disagreeing_date_signals_are_recorded() -> None:
    head = ('<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2025-02-01","dateModified":"2025-02-03"}</script>'
            '<meta property="article:published_time" content="2025-01-30">')
    body = "<article><h1>Dam opens</h1>" + "<p>The new dam on the Orva river opened on Saturday after ten years of construction work.</p>" * 3 + "</article>"
    a = extract(page(body, head), url="https://news.example/dam")
    assert a.meta.published.value in ("2025-02-01", "2025-01-30")
    assert "disagreeing" in a.meta.published.evidence
    assert a.meta.updated == "2025-02-03"


def test_link_lines_of_a_page_body_are_kept() -> None:
    # AEB: a shopping list of amzn.to links is article content; in scraped text a bare URL is debris.
    items = "".join(f"<p>{i}) Toy train set number {i}, a classic for children</p><p>https://shop.example/item{i}</p>" for i in range(1, 5))
    a = extract(page(f"<article><h1>Best toy trains</h1><p>Our pick of the best toy trains this year, tested by our team over the holidays.</p>{items}</article>"))
    assert "https://shop.example/item3" in a.text


def test_a_page_without_article_text_is_rejected_with_a_reason() -> None:
    result = extract_article(RawDocument(Origin("file", "p.html"), InputFormat.HTML, page("<div><a href='/a'>A</a></div>")))
    assert not isinstance(result, Article) and "no article text" in result.reason

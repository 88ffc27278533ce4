"""The speed choices of extract/html.py keep what trafilatura and htmldate would have found (issue #16 item 5)."""

from __future__ import annotations

import pytest
import trafilatura
from lxml.html import HtmlElement
from trafilatura.metadata import extract_metadata

from crosswire.extract import html as html_module
from crosswire.extract.html import _parse, extract_html, page_metadata, publication_date

BODY = "<p>" + "The city council voted on Tuesday to repair the old bridge over the Orva before winter. " * 4 + "</p>"


def page(head: str = "", header: str = "") -> str:
    return f"<!doctype html><html><head><title>Bridge repair | Orva Post</title>{head}</head><body><nav><a href='/'>Home</a></nav><article><h1>Bridge repair</h1>{header}{BODY}</article></body></html>"


HEAD = (
    '<meta property="og:site_name" content="Orva Post"><meta name="author" content="Dana Kovel">'
    '<meta property="article:published_time" content="2025-03-04T10:00:00Z"><link rel="canonical" href="https://orvapost.example/bridge">'
)


def test_page_metadata_agrees_with_trafilatura_extract_metadata() -> None:
    # our copy skips categories, tags and licence; every field we read must stay trafilatura's
    ours, theirs = page_metadata(_parse(page(HEAD)), None), extract_metadata(_parse(page(HEAD)), None)
    for field in ("title", "author", "url", "hostname", "sitename", "date"):
        assert getattr(ours, field) == getattr(theirs, field), field
    assert ours.date == "2025-03-04" and ours.sitename == "Orva Post"


def test_the_page_is_parsed_once_and_every_pass_gets_the_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []
    real = trafilatura.bare_extraction

    def spy(content: object, **kwargs: object) -> object:
        seen.append(content)
        return real(content, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(html_module.trafilatura, "bare_extraction", spy)
    extract_html(page(HEAD))
    assert seen and all(isinstance(c, HtmlElement) for c in seen)


def test_a_date_only_dateparser_reads_still_comes_from_the_extensive_search() -> None:
    # htmldate's precise search finds nothing here; the extensive fallback (dateparser, Romanian) must run
    tree = _parse(page(header="<div class='date'>duminică, 20 septembrie 2020</div>"))
    assert publication_date(tree, None) == "2020-09-20"


def test_a_markup_date_needs_no_extensive_search() -> None:
    assert publication_date(_parse(page(HEAD)), None) == "2025-03-04"
    assert extract_html(page(HEAD)).date == "2025-03-04"

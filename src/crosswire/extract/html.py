"""HTML page → body text and page metadata, via trafilatura (and htmldate for the date)."""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura

from crosswire.errors import MalformedInput
from crosswire.extract.pagedates import PageDates, page_dates


@dataclass(frozen=True, slots=True)
class Page:
    """What trafilatura found in one HTML page."""

    text: str
    title: str | None
    authors: tuple[str, ...]
    date: str | None  # publication date (htmldate, original_date), YYYY-MM-DD
    dates: PageDates  # published and updated dates with their evidence
    sitename: str | None
    url: str | None  # canonical URL if the page declares one
    hostname: str | None
    language: str | None


def extract_html(html: str, url: str | None = None) -> Page:
    """Extract the main text and metadata of an HTML page; raise MalformedInput when there is no article."""
    doc = _extract(html, url, favor_recall=False, fast=True)
    if doc is None or not (doc.text or "").strip():
        doc = _extract(html, url, favor_recall=True, fast=False)  # short pages: the recall mode keeps what precision drops
    if doc is None or not (doc.text or "").strip():
        raise MalformedInput("no article text found in the HTML page")
    authors = tuple(a.strip() for a in (doc.author or "").split(";") if a.strip())
    sitename = doc.sitename if doc.sitename and doc.sitename != doc.hostname else None
    return Page(
        text=doc.text,
        title=doc.title or None,
        authors=authors,
        date=doc.date or None,
        dates=page_dates(html, url, doc.date or None),
        sitename=sitename,
        url=doc.url or None,
        hostname=doc.hostname or None,
        language=doc.language or None,
    )


def _extract(html: str, url: str | None, favor_recall: bool, fast: bool) -> trafilatura.settings.Document | None:
    try:
        return trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=True, favor_recall=favor_recall, fast=fast
        )
    except (ValueError, TypeError) as exc:  # lxml refuses some broken documents outright
        raise MalformedInput(f"unparseable HTML ({exc})") from exc

"""HTML page → body text and page metadata, via trafilatura (and htmldate for the date).

The page is parsed once: the lxml tree goes to the metadata readers, to htmldate and to both extraction
passes. Speed choices, each measured on the 1,181 pages of bench/throughput.py (figures in
docs/benchmarks.md): trafilatura's ``fast`` mode (no readability/jusText comparison) extracts ~1.5×
faster than its default mode here and scores higher on AEB (bench/aeb.py); its slowness reported in
issue #16 came from the date search, not the extraction — trafilatura passes ``fast`` on to htmldate as
``extensive_search``. We run htmldate's precise search first and its extensive search (4 points of
date accuracy in bench/dates.py) only where the precise one finds nothing, and we skip the metadata
fields nobody reads (categories, tags, licence: ~5% of trafilatura's time in cProfile).
"""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura
from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura import metadata as tm
from trafilatura.settings import Document, set_date_params
from trafilatura.utils import load_html

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
    tree = _parse(html)
    meta = page_metadata(tree, url)
    text = _extract(tree, url or meta.url, favor_recall=False, fast=True)
    if not text.strip():  # short pages: the recall mode keeps what precision drops
        text = _extract(tree, url or meta.url, favor_recall=True, fast=False)
    if not text.strip():
        raise MalformedInput("no article text found in the HTML page")
    authors = tuple(a.strip() for a in (meta.author or "").split(";") if a.strip())
    sitename = meta.sitename if meta.sitename and meta.sitename != meta.hostname else None
    return Page(
        text=text,
        title=meta.title or None,
        authors=authors,
        date=meta.date or None,
        dates=page_dates(html, url, meta.date or None),
        sitename=sitename,
        url=meta.url or None,
        hostname=meta.hostname or None,
        language=None,  # trafilatura sets a language only when asked to filter by one; py3langid decides later
    )


def page_metadata(tree: HtmlElement, url: str | None) -> Document:
    """Title, author, URL, host, site name and htmldate's publication date of a parsed page.

    trafilatura's ``extract_metadata`` in the same order, without categories, tags and licence; the date
    from ``publication_date``.
    """
    meta = tm.examine_meta(tree)
    if meta.author and " " not in meta.author:  # a single word is a handle, not a name (trafilatura's rule)
        meta.author = None
    try:
        meta = tm.extract_meta_json(tree, meta)
    except Exception:  # noqa: BLE001 — trafilatura guards its JSON-LD reader the same way; the page keeps its other fields
        pass
    meta.title = meta.title or tm.extract_title(tree)
    meta.author = meta.author or tm.extract_author(tree)
    meta.url = meta.url or tm.extract_url(tree, url)
    if meta.url:
        meta.hostname = tm.extract_domain(meta.url, fast=True)
    meta.date = publication_date(tree, meta.url)
    meta.sitename = _sitename(meta, tree)
    meta.clean_and_trim()
    return meta


def publication_date(tree: HtmlElement, url: str | None) -> str | None:
    """htmldate's pick: its precise search (markup, URL, date patterns) first, the extensive one only when that finds nothing.

    The extensive search runs dateparser over every locale on the page's text (a costly first use per
    process). On the 1,181 pages of bench/throughput.py the precise search dates all but 70 pages and
    agrees with the extensive search on all of them but one, where the gold date (bench/dates.py) is the
    precise one; the extensive fallback keeps the 4 points of accuracy it gains on the date benchmark.
    """
    for extensive in (False, True):
        found = find_date(tree, **{**set_date_params(extensive), "url": url})
        if found:
            return found
    return None


def _sitename(meta: Document, tree: HtmlElement) -> str | None:
    """trafilatura's site name: the page's, without a Twitter '@', capitalised; else the URL's host."""
    name = meta.sitename or tm.extract_sitename(tree)
    if name:
        name = name.lstrip("@")
        return name.title() if name and "." not in name and not name[0].isupper() else name
    match = tm.META_URL.match(meta.url) if meta.url else None
    return match[1] if match else None


def _parse(html: str) -> HtmlElement:
    try:
        tree = load_html(html)
    except (ValueError, TypeError) as exc:  # lxml refuses some broken documents outright
        raise MalformedInput(f"unparseable HTML ({exc})") from exc
    if tree is None:
        raise MalformedInput("unparseable HTML (no document tree)")
    return tree


def _extract(tree: HtmlElement, url: str | None, favor_recall: bool, fast: bool) -> str:
    """The body text of one extraction pass (trafilatura copies the tree, so passes do not interfere)."""
    try:
        doc = trafilatura.bare_extraction(
            tree, url=url, include_comments=False, include_tables=True, favor_recall=favor_recall, fast=fast
        )
    except (ValueError, TypeError) as exc:  # lxml refuses some broken documents outright
        raise MalformedInput(f"unparseable HTML ({exc})") from exc
    return (getattr(doc, "text", None) or "") if doc is not None else ""  # a Document (as_dict=False, the default)

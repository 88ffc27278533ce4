"""Pure: a sitemap, a sitemap index or a Google News sitemap → the pages (or child sitemaps) it lists.

Parsed by lxml with entities unresolved and no network, so a hostile sitemap cannot expand or fetch anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from crosswire.errors import MalformedInput

MAX_SITEMAP_URLS = 50_000  # the sitemap protocol's own limit per file


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """One <url> (or, in an index, one <sitemap>) with what the sitemap says about it."""

    url: str
    lastmod: str | None = None
    title: str | None = None  # news:title
    published: str | None = None  # news:publication_date
    language: str | None = None  # news:language
    outlet: str | None = None  # news:publication/news:name
    is_sitemap: bool = False  # a child sitemap of an index


def is_sitemap(data: bytes) -> bool:
    """Whether the bytes look like a sitemap or a sitemap index."""
    head = data[:2048].lower()
    return b"<urlset" in head or b"<sitemapindex" in head


def read_sitemap(data: bytes) -> list[SitemapEntry]:
    """The entries of a sitemap or sitemap index, in document order (at most MAX_SITEMAP_URLS)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise MalformedInput(f"not a readable sitemap ({exc})") from exc
    index = etree.QName(root).localname == "sitemapindex"
    entries = []
    for node in root:
        if not isinstance(node.tag, str) or etree.QName(node).localname not in ("url", "sitemap"):
            continue
        fields = {etree.QName(el).localname: (el.text or "").strip() for el in node.iter() if isinstance(el.tag, str)}
        if not fields.get("loc"):
            continue
        entries.append(SitemapEntry(
            fields["loc"], fields.get("lastmod") or None, fields.get("title") or None,
            fields.get("publication_date") or None, fields.get("language") or None, fields.get("name") or None, index,
        ))  # fmt: skip
        if len(entries) >= MAX_SITEMAP_URLS:
            break
    return entries

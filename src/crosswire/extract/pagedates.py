"""Publication and update dates of an HTML page, each with the signal that gives it.

htmldate (through trafilatura) picks the publication date — it is the most accurate picker we have
measured (bench/dates.py). This module reads the page's own date signals (JSON-LD, meta tags,
<time> elements, the URL) so that every date says where it came from, keeps the updated date apart
from the published one, and records signals that disagree.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from dataclasses import dataclass

from crosswire.extract.dates import parse_date_value

META = re.compile(r"<meta\b[^>]*>", re.I)
ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
JSON_LD = re.compile(r"<script\b[^>]*application/ld\+json[^>]*>(.*?)</script>", re.I | re.S)
TIME_TAG = re.compile(r"<time\b[^>]*\bdatetime\s*=\s*[\"']([^\"']+)[\"'][^>]*>", re.I)
URL_DATE = re.compile(r"/(20\d\d|19\d\d)[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|-|_|$)")
PUBLISHED_KEYS = (
    "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate", "publish-date",
    "publication_date", "date", "dc.date", "dc.date.issued", "dcterms.created", "dcterms.issued",
    "sailthru.date", "parsely-pub-date", "article.published", "cxenseparse:recs:publishtime", "originalpublicationdate",
)  # fmt: skip
UPDATED_KEYS = (
    "article:modified_time", "og:updated_time", "datemodified", "last-modified", "dcterms.modified",
    "article.updated", "lastmod", "dc.date.modified",
)  # fmt: skip
HEAD_CHARS = 400_000  # date signals sit in the head and the article header; skip the rest of huge pages


@dataclass(frozen=True, slots=True)
class PageDates:
    """Published and updated dates with their evidence, and every dated signal seen."""

    published: tuple[str, str] | None  # (ISO date, evidence)
    updated: tuple[str, str] | None
    signals: tuple[tuple[str, str, str], ...]  # (published|updated, signal name, ISO date)


def page_dates(html: str, url: str | None, picked: str | None) -> PageDates:
    """Combine htmldate's pick (``picked``) with the page's own signals into dates with evidence."""
    signals = _signals(html[:HEAD_CHARS], url)
    published_signals = [(name, iso) for kind, name, iso in signals if kind == "published"]
    updated = next(((iso, name) for kind, name, iso in signals if kind == "updated"), None)
    if picked:
        published = (picked, _evidence(picked, published_signals))
    elif published_signals:
        name, iso = published_signals[0]
        published = (iso, name)
    else:
        published = None
    return PageDates(published, updated, tuple(signals))


def _evidence(picked: str, published_signals: list[tuple[str, str]]) -> str:
    agreeing = [name for name, iso in published_signals if iso == picked]
    differing = [f"{name} says {iso}" for name, iso in published_signals if iso != picked]
    text = agreeing[0] if agreeing else "htmldate (from the page text or markup; no date tag gives this date)"
    if len(agreeing) > 1:
        text += f" (also {', '.join(agreeing[1:3])})"
    if differing:
        text += f"; disagreeing: {'; '.join(differing[:3])}"
    return text


def _signals(html: str, url: str | None) -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = []
    found += _json_ld(html)
    found += _meta(html)
    for value in TIME_TAG.findall(html)[:3]:
        iso = parse_date_value(value)
        if iso:
            found.append(("published", "<time datetime>", iso))
    m = URL_DATE.search(url or "")
    if m:
        found.append(("published", "URL path", f"{m.group(1)}-{m.group(2)}-{m.group(3)}"))
    return found


def _meta(html: str) -> list[tuple[str, str, str]]:
    found = []
    for tag in META.findall(html):
        attrs = {k.lower(): next(v for v in vals if v) if any(vals) else "" for k, *vals in ATTR.findall(tag)}
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        kind = "published" if key in PUBLISHED_KEYS else "updated" if key in UPDATED_KEYS else None
        iso = parse_date_value(htmllib.unescape(attrs.get("content", ""))) if kind else None
        if kind and iso:
            found.append((kind, f"meta {key}", iso))
    return found


def _json_ld(html: str) -> list[tuple[str, str, str]]:
    found = []
    for block in JSON_LD.findall(html):
        try:
            data = json.loads(block.strip())
        except (ValueError, RecursionError):
            continue
        for obj in _objects(data):
            for key, kind in (("datePublished", "published"), ("dateCreated", "published"), ("dateModified", "updated")):
                iso = parse_date_value(str(obj.get(key) or ""))
                if iso:
                    found.append((kind, f"JSON-LD {key}", iso))
    return found


def _objects(data: object, depth: int = 0) -> list[dict]:
    """Every JSON object in a JSON-LD block (``@graph`` lists and nesting included), shallow first."""
    if depth > 4:
        return []
    if isinstance(data, list):
        return [o for item in data for o in _objects(item, depth + 1)]
    if not isinstance(data, dict):
        return []
    nested = [o for key in ("@graph", "mainEntity", "mainEntityOfPage") for o in _objects(data.get(key), depth + 1)]
    return [data, *nested]

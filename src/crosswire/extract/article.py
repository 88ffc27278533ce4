"""The extract stage: RawDocument → Article | Rejected. Pure; the same input always gives the same article."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace

import py3langid

from crosswire.errors import InputError
from crosswire.extract.dates import parse_date_value
from crosswire.extract.html import extract_html
from crosswire.extract.lexicon import Lexicon, load_lexicon
from crosswire.extract.pagedates import PageDates
from crosswire.extract.text import Cleaned, clean_text, line_key
from crosswire.extract.urls import canonical_url, host_of, outlet_for_host, site_label
from crosswire.model import (
    Article,
    DateSource,
    InputFormat,
    Metadata,
    PublishedDate,
    RawDocument,
    Rejected,
    RemovedLine,
)

EXTRACTOR_VERSION = "2"  # bump when cleanup or metadata changes (2: outlet from a credited site), so stored articles can be re-extracted
BYLINE_TAIL = re.compile(r"\s*[|,–—-]\s*(?:staff|reporter|correspondent|editor|senior [a-z ]+|[A-Z][\w.]+\.(?:com|net|org))\s*$", re.I)
WEB_ADDRESS = re.compile(r"(?:https?://)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/\S*)?", re.I)  # "www.ntv.de", "https://ntv.de/x"
LANGUAGE_MIN_CHARS = 40  # below this py3langid guesses; we say "unknown" instead


def extract_article(raw: RawDocument, lexicon: Lexicon | None = None) -> Article | Rejected:
    """Clean one raw document and recover its metadata; bad input becomes a Rejected with the reason."""
    lex = lexicon or load_lexicon()
    try:
        cleaned, page_meta = _clean(raw, lex)
    except InputError as exc:
        return Rejected(raw.origin, str(exc))
    if not cleaned.body.strip():
        n = len(cleaned.removed)
        return Rejected(raw.origin, f"no article text left after cleanup ({n} line(s) removed as boilerplate/metadata)")
    meta = _metadata(raw, cleaned, page_meta, lex)
    return Article(
        id=raw_id(raw),
        origin=raw.origin,
        format=raw.format,
        text=cleaned.body,
        meta=meta,
        removed=cleaned.removed,
        content_hash=content_hash(cleaned.body),
        external_id=raw.external_id,
        encoding=raw.encoding,
    )


def _clean(raw: RawDocument, lex: Lexicon) -> tuple[Cleaned, dict[str, object]]:
    if raw.format is InputFormat.HTML:
        page = extract_html(raw.content, raw.url)
        title = raw.title or page.title
        meta: dict[str, object] = {
            "title": page.title, "authors": page.authors, "date": page.date, "dates": page.dates, "sitename": page.sitename,
            "url": page.url, "hostname": page.hostname, "language": page.language,
        }  # fmt: skip
        return clean_text(page.text, from_html=True, title=title, lexicon=lex), meta
    return clean_text(raw.content, title=raw.title, lexicon=lex), {}


def _metadata(raw: RawDocument, c: Cleaned, page: dict[str, object], lex: Lexicon) -> Metadata:
    signals: list[tuple[str, str]] = list(c.signals)
    url = _first(signals, "url", (raw.url, "given with the input"), (page.get("url"), "HTML canonical/og:url"), (c.url, "text"))
    outlet = _first(
        signals, "outlet",
        (raw.outlet, "given with the input"),
        (page.get("sitename"), "HTML site name"),
        (c.outlet, "text"),
        (_named_host(host_of(url) or page.get("hostname"), c), "URL host, spelled as the text names it"),  # type: ignore[arg-type]
        (outlet_for_host(host_of(url) or page.get("hostname"), lex), "URL host"),  # type: ignore[arg-type]
        *_credited_outlet(c, lex),
    )  # fmt: skip
    host = host_of(url) or page.get("hostname")
    not_people = (outlet, page.get("sitename"), host, site_label(host))  # type: ignore[arg-type]
    authors = _authors(raw.authors or page.get("authors") or c.authors, lex, not_people)  # type: ignore[arg-type]
    if raw.authors:
        signals.append(("authors", "given with the input"))
    elif page.get("authors"):
        signals.append(("authors", "HTML author metadata"))
    return Metadata(
        title=_first(signals, "title", (raw.title, "given with the input"), (page.get("title"), "HTML title"), (c.title, "text")),
        outlet=outlet,
        authors=authors,
        credited=c.credited,
        dateline=c.dateline,
        published=_published(raw, c, page),
        updated=_updated(c, page, signals),
        seen=raw.seen,
        url=url,
        canonical_url=canonical_url(url),
        language=_language(raw, c, page, signals),
        signals=tuple(signals),
    )


def _named_host(host: str | None, c: Cleaned) -> str | None:
    """A name from the text (credit, paywall line) that spells the URL's host: nordwire.example → Nordwire."""
    label = site_label(host)
    for name in (*c.credited, *c.mentions):
        if label and re.sub(r"[^a-z0-9]", "", name.lower()) == label:
            return name
    return None


def _credited_outlet(c: Cleaned, lex: Lexicon) -> list[tuple[str, str]]:
    """The outlet a credit names when nothing better is known: a web address ("Source: www.ntv.de" → n-tv) or a
    name of the outlet table. An agency (AFP, Reuters, or its site) stays a credited source only: wire copy is
    carried by many outlets, so it says nothing about which one published this text."""
    for name in c.credited:
        host = host_of(name if "://" in name else f"http://{name}") if WEB_ADDRESS.fullmatch(name) else None
        outlet = outlet_for_host(host, lex) if host else next((v for v in lex.domains.values() if v.lower() == name.lower()), None)
        if outlet and not lex.agency(outlet) and not lex.agency(name):
            where = next((s for f, s in c.signals if f == "credited" and s.endswith(f": {name}")), f"credit: {name}")
            return [(outlet, f"credited source, no other outlet known ({where.removesuffix(f': {name}')}: {name!r})")]
    return []


def _published(raw: RawDocument, c: Cleaned, page: dict[str, object]) -> PublishedDate:
    """The publication date with how it was found; unknown rather than guessed."""
    given = parse_date_value(raw.published)
    if given:
        return PublishedDate(given, DateSource.METADATA, f"input field 'published': {raw.published!r}")
    dates = page.get("dates")
    if isinstance(dates, PageDates) and dates.published:
        return PublishedDate(dates.published[0], DateSource.METADATA, f"HTML: {dates.published[1]}")
    if c.published:
        return PublishedDate(c.published[0], DateSource.STATED, c.published[1])
    if raw.published:
        return PublishedDate.unknown(f"input field 'published' is not an absolute date: {raw.published!r}")
    return PublishedDate.unknown("no date in the text or its metadata")


def _updated(c: Cleaned, page: dict[str, object], signals: list[tuple[str, str]]) -> str | None:
    """The last-updated date, kept apart from the publication date."""
    dates = page.get("dates")
    if isinstance(dates, PageDates) and dates.updated:
        signals.append(("updated", f"HTML: {dates.updated[1]}"))
        return dates.updated[0]
    return c.updated[0] if c.updated else None


def _language(raw: RawDocument, c: Cleaned, page: dict[str, object], signals: list[tuple[str, str]]) -> str | None:
    if raw.language:
        signals.append(("language", "given with the input"))
        return raw.language.lower()[:2]
    sample = f"{c.title or ''}\n{c.body}"[:5000]
    if len(sample.strip()) < LANGUAGE_MIN_CHARS:
        return str(page["language"]) if page.get("language") else None
    lang, _score = py3langid.classify(sample)
    signals.append(("language", "py3langid on title and body"))
    return str(lang)


def _authors(names: Iterable[str], lex: Lexicon, not_people: Iterable[str | None] = ()) -> tuple[str, ...]:
    """People only: agencies, desks, "Staff", site names and the outlet itself are not authors."""
    sites = {_squash(n) for n in not_people if n}
    out: list[str] = []
    for name in names:
        name = BYLINE_TAIL.sub("", name.strip().removeprefix("By ").removeprefix("by "))
        if name and lex.is_person_name(name) and not lex.agency(name) and _squash(name) not in sites and name not in out:
            out.append(name)
    return tuple(out)


def _squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower().removeprefix("the "))


def _first(signals: list[tuple[str, str]], key: str, *candidates: tuple[object, str]) -> str | None:
    """The first non-empty candidate; its signal is recorded unless the cleaner already recorded it."""
    for value, signal in candidates:
        if value:
            if signal != "text":
                signals[:] = [s for s in signals if s[0] != key] + [(key, signal)]
            return str(value)
    return None


def _normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def raw_id(raw: RawDocument) -> str:
    """Stable article id: a hash of the input's format and normalised content."""
    digest = hashlib.sha256(f"{raw.format}\0{_normalise(raw.content)}".encode()).hexdigest()
    return digest[:16]


def content_hash(body: str) -> str:
    """Hash of the normalised body: inputs with the same article text share it, whatever their headline."""
    return hashlib.sha256(_normalise(body).encode()).hexdigest()[:16]


def paragraph_keys(article: Article, max_words: int) -> dict[str, int]:
    """Normalised keys of the article's short paragraphs (template candidates) → paragraph index."""
    keys: dict[str, int] = {}
    for i, para in enumerate(article.text.split("\n\n")):
        key = line_key(para)
        if key and len(key.split()) <= max_words:
            keys.setdefault(key, i)
    return keys


def drop_template_lines(article: Article, template_keys: frozenset[str]) -> Article:
    """Remove paragraphs whose key is an outlet template line; each goes to ``removed`` with the reason."""
    paragraphs = article.text.split("\n\n")
    kept = [p for p in paragraphs if line_key(p) not in template_keys]
    if len(kept) == len(paragraphs) or not kept:
        return article
    # line_no 0: the line is a paragraph of the clean text, found to repeat across the outlet's articles
    gone = [RemovedLine(0, p, "template", "outlet-repeated-line") for p in paragraphs if line_key(p) in template_keys]
    return replace(article, text="\n\n".join(kept), removed=article.removed + tuple(gone))

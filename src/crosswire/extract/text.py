"""Plain-text cleanup: scraped text or Markdown → clean body, removed lines, metadata found in lines.

Metadata lines (byline, date, ``Original url:``, ``Source:``, credits) are parsed *before* they
are removed; every removed line is kept with its reason and rule so users can audit the cleanup.
The function is pure: same text in, same result out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crosswire.extract.dates import parse_date_line
from crosswire.extract.lexicon import Lexicon, load_lexicon
from crosswire.extract.linemodel import LineModel, line_features, load_line_model, looks_like_page_dump
from crosswire.extract.words import n_words
from crosswire.model import RemovedLine

HEADER_MAX_LINES = 12  # title, outlet, byline and date sit within the first dozen non-blank lines
PROSE_MIN_WORDS = 12  # a line with this many words ending in punctuation reads as a paragraph
TITLE_MAX_WORDS = 30
OUTLET_MAX_WORDS = 5
HIGHLIGHT_MAX_WORDS = 25  # a bullet under the headline longer than this is the article itself, not a highlight
KICKER_MAX_WORDS = 4  # a section label above an HTML body: "Monetary policy", "World | Europe"
BLOCK_MAX_LINES = 15  # a "Read also:" block longer than this is not a block of headlines

MD_IMAGE = re.compile(r"^!\[[^\]]*\]\([^)]*\)$")
MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
MD_HEADING = re.compile(r"^#{1,6}\s+")
AUTOLINK = re.compile(r"^<?(https?://[^\s>]+)>?$")
ORIGINAL_URL = re.compile(r"^(?:original|source|canonical)\s+(?:url|link)\s*:?\s*(?:<?(https?://[^\s>]+)>?)?$", re.I)
SOURCE_LINE = re.compile(r"^(?:source|sources|quelle|quellen|fuente|fonte|источник)\s*:\s*(.{2,80})$", re.I)
BYLINE = re.compile(r"^(?:by|von|par|por|di|de)\s+(.{2,120})$", re.I)
CREDITS = re.compile(
    r"\b(?:additional reporting|reporting|writing|editing|compiled|written|reported|covering|produced)\s+by\b", re.I
)
CREDIT_ROLE = re.compile(r"\b(additional reporting|reporting|writing|editing|compiled|written|reported|covering|produced)\s+by\s+", re.I)
CAPTION_CREDIT = re.compile(r"(\*\*|_)[^*_]{2,80}\s/\s[^*_]{2,60}\1\s*$|(?:photo|foto|image|bild|picture)\s*:\s*\S", re.I)
CAPTION_AGENCY_TAIL = re.compile(r"\s/\s(?:AFP|Reuters|AP|dpa|EPA|Getty Images|Shutterstock|ANSA|Xinhua)\S*\s*$")
BULLET = re.compile(r"^(?:[•·▪◦‣–—*-]|\d+[.)])\s+")
DATELINE = re.compile(
    r"^(?P<place>[A-ZÀ-Þ][\w’'.\- ]{1,40}?)(?:,\s*[\w’'.\- ]{2,40}?)?\s*\((?P<agency>[^)]{2,40})\)\s*[–—-]+\s+"
)
DATELINE_CAPS = re.compile(r"^(?P<place>[A-ZÀ-Þ]{3,}(?:[ -][A-ZÀ-Þ]{2,})*)(?:,\s*[\w’'. ]{2,30})?\s*(?:[–—-]+|\.)\s+(?=[A-ZÀ-Þ])")
TITLE_SECTION_SUFFIX = re.compile(r"\s+[|]\s+[^|]{2,60}$")
SENTENCE_END = re.compile(r"[.!?…\"”»’')。！？」』]$")

SITE_MENTION = re.compile(r"(?:access to|subscribe to|subscriber of|©\s*\d{4}|copyright\s*\d{4})\s+([A-Z][\w&.'’ -]{1,40})")
HEADER_SEGMENTS = re.compile(r"\s+[|·•]\s+")
NAME_SPLIT = re.compile(r"\s*(?:,|;|\band\b|\bund\b|\bet\b|\by\b|&)\s*")


@dataclass(frozen=True, slots=True)
class Cleaned:
    """A cleaned body plus everything the cleanup learned from the lines it removed."""

    body: str
    removed: tuple[RemovedLine, ...]
    title: str | None = None
    outlet: str | None = None
    authors: tuple[str, ...] = ()
    credited: tuple[str, ...] = ()
    dateline: str | None = None
    published: tuple[str, str] | None = None  # (ISO date, evidence)
    updated: tuple[str, str] | None = None
    url: str | None = None
    signals: tuple[tuple[str, str], ...] = ()
    mentions: tuple[str, ...] = ()  # site names in boilerplate ("access to Harbour Times"): outlet hints


@dataclass
class _Found:
    """Mutable scratchpad used only inside ``clean_text``."""

    kept: list[tuple[int, str]] = field(default_factory=list)
    removed: list[RemovedLine] = field(default_factory=list)
    values: dict[str, object] = field(default_factory=dict)
    authors: list[str] = field(default_factory=list)
    credited: list[str] = field(default_factory=list)
    signals: list[tuple[str, str]] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)

    def drop(self, n: int, text: str, reason: str, rule: str) -> None:
        self.removed.append(RemovedLine(n + 1, text, reason, rule))  # n is 0-based; RemovedLine is 1-based

    def put(self, key: str, value: object, signal: str) -> None:
        if key not in self.values and value:
            self.values[key] = value
            self.signals.append((key, signal))

    def credit(self, name: str, signal: str) -> None:
        if name and name not in self.credited:
            self.credited.append(name)
            self.signals.append(("credited", f"{signal}: {name}"))


def markdown_plain(line: str) -> str:
    """Strip Markdown emphasis, headings and link targets, keeping the visible words."""
    line = MD_HEADING.sub("", line)
    line = MD_LINK.sub(lambda m: m.group(1), line)
    line = MD_EMPHASIS.sub(lambda m: m.group(2), line)
    return line.replace("\u200b", "").strip()


def line_key(line: str) -> str:
    """Normalised form for matching lines: lower-cased, digits → 0, punctuation and spacing folded."""
    text = re.sub(r"\d", "0", markdown_plain(line).lower())
    return " ".join(re.findall(r"[^\W_]+", text))


def clean_text(
    text: str,
    *,
    from_html: bool = False,
    title: str | None = None,
    lexicon: Lexicon | None = None,
    line_model: LineModel | None = None,
) -> Cleaned:
    """Clean one scraped article. ``from_html``: text already extracted from HTML (title known).

    On whole-page text dumps the learned line model (``line_model``, default the shipped one) removes
    the short lines it is confident are boilerplate, after the rules.
    """
    lex = lexicon or load_lexicon()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found = _Found()
    if title:
        found.put("title", title, "given with the input")
    _scan(lines, found, lex, from_html)
    if not from_html and looks_like_page_dump(lines):
        _classify(lines, found, lex, line_model or load_line_model())
    return _finish(found, lex)


def _classify(lines: list[str], found: _Found, lex: Lexicon, model: LineModel) -> None:
    """Drop kept lines the model scores as boilerplate (short lines only); the score is the rule."""
    features = line_features(lines, lex)
    kept = []
    for n, text in found.kept:
        p = model.boilerplate_probability(features[n])
        if p >= model.threshold and n_words(text) <= model.max_words:
            found.drop(n, lines[n], "boilerplate", f"classifier:{p:.2f}")
        else:
            kept.append((n, text))
    found.kept = kept


def _scan(lines: list[str], found: _Found, lex: Lexicon, from_html: bool) -> None:
    header = True  # until the first prose paragraph
    in_block = 0  # lines left in a "Read also:" block; 0 = not in one
    block_items = 0  # lines the current block has taken
    expect_url = False
    nonblank = 0
    for n, raw in enumerate(lines):
        stripped = raw.strip()
        if not stripped:
            if block_items:  # a blank line after the headlines closes the block
                in_block = block_items = 0
            continue
        nonblank += 1
        plain = markdown_plain(stripped)
        norm = _norm(plain)
        if expect_url and (link := AUTOLINK.match(stripped)):
            found.put("url", link.group(1), f"line {n + 1} after 'Original url:'")
            found.drop(n, raw, "metadata", "original-url")
            expect_url = False
            continue
        expect_url = False
        rule = _metadata_rule(n, stripped, plain, found, lex, header)
        if rule:
            expect_url = rule == "original-url-label"
            in_block = block_items = 0
            continue
        if in_block:
            if _reads_as_prose(plain):
                in_block = block_items = 0
            else:
                in_block, block_items = in_block - 1, block_items + 1
                found.drop(n, raw, "related-block", "block:continuation")
                continue
        category = _lexicon_category(norm, lex)
        if category:
            found.drop(n, raw, "boilerplate", f"lexicon:{category}")
            if m := SITE_MENTION.search(plain):
                found.mentions.append(m.group(1).strip(" .,"))
            continue
        if any(p.fullmatch(norm.rstrip(":")) or p.fullmatch(norm) for p in lex.blocks):
            found.drop(n, raw, "related-block", "block:start")
            in_block, block_items = BLOCK_MAX_LINES, int(":" in plain.rstrip(": "))  # "Tags: a, b" holds its items
            continue
        if any(prefix.match(norm) for prefix in lex.teaser_prefixes) and n_words(norm) <= 25:
            found.drop(n, raw, "related-teaser", "teaser:inline")
            continue
        if MD_IMAGE.match(stripped):
            found.drop(n, raw, "image", "markdown-image")
            continue
        if AUTOLINK.match(stripped) and not from_html:  # in a page's extracted text a URL line is a visible link
            found.drop(n, raw, "link-debris", "bare-url")
            continue
        if _is_caption(stripped, plain):
            found.drop(n, raw, "caption", "photo-credit")
            continue
        if header and _header_line(n, raw, stripped, plain, found, nonblank, from_html):
            continue
        if _reads_as_prose(plain):
            header = False
        found.kept.append((n, _strip_trailing(n, plain, found, lex)))


def _metadata_rule(n: int, stripped: str, plain: str, found: _Found, lex: Lexicon, header: bool) -> str | None:
    """Parse and drop a metadata line; return the rule that fired, or None."""
    m = ORIGINAL_URL.match(plain) or ORIGINAL_URL.match(stripped)
    if m:
        found.drop(n, stripped, "metadata", "original-url")
        if m.group(1):
            found.put("url", m.group(1), f"line {n + 1}: 'Original url:'")
            return "original-url"
        return "original-url-label"
    m = SOURCE_LINE.match(plain)
    if m and len(m.group(1).split()) <= 8:
        found.drop(n, stripped, "metadata", "source-credit")
        name = m.group(1).strip(" .")
        found.credit(lex.agency(name) or name, f"line {n + 1} 'Source:'")
        return "source"
    m = BYLINE.match(plain)
    if m and header and _looks_like_names(m.group(1)):
        found.drop(n, stripped, "metadata", "byline")
        _byline_names(m.group(1), n, found, lex)
        return "byline"
    credit = CREDITS.search(plain)
    if credit and n_words(plain) <= 60 and (credit.start() == 0 or len(CREDIT_ROLE.findall(plain)) >= 2):
        found.drop(n, stripped, "metadata", "credits")
        _credit_names(plain, n, found, lex)
        return "credits"
    dated = parse_date_line(plain)
    if dated:
        found.drop(n, stripped, "metadata", f"date-line:{dated[0][0]}")
        for kind, iso in dated:
            found.put(kind, (iso, f"text line {n + 1}: {plain!r}"), f"text line {n + 1}")
        return "date"
    return None


def _header_line(n: int, raw: str, stripped: str, plain: str, found: _Found, nonblank: int, from_html: bool) -> bool:
    """Title, outlet line and highlight bullets above the first paragraph. True when the line was taken."""
    if nonblank > HEADER_MAX_LINES:
        return False
    if from_html:  # the page's metadata already gave title and site; only drop the repeated headline
        if found.values.get("title") == plain:
            found.drop(n, raw, "metadata", "title-repeated")
            return True
        if not found.kept and n_words(plain) <= KICKER_MAX_WORDS and not re.search(r"[.!?:;,\"”。！？]$", plain):
            found.drop(n, raw, "kicker", "section-label-above-body")  # "Monetary policy" over the story
            return True
        return False
    if "title" not in found.values and (MD_HEADING.match(stripped) or not found.kept):
        if n_words(plain) <= TITLE_MAX_WORDS and not _reads_as_prose(plain, min_words=TITLE_MAX_WORDS):
            title = TITLE_SECTION_SUFFIX.sub("", plain)
            signal = "markdown heading" if MD_HEADING.match(stripped) else f"first line (line {n + 1})"
            if title != plain:
                signal += f"; section suffix {plain[len(title):].strip()!r} dropped"
            found.put("title", title, signal)
            found.drop(n, raw, "metadata", "title")
            return True
    if found.values.get("title") == plain:
        found.drop(n, raw, "metadata", "title-repeated")
        return True
    if BULLET.match(stripped) and "title" in found.values and n_words(plain) <= HIGHLIGHT_MAX_WORDS:
        found.drop(n, raw, "highlights", "header-bullet")
        return True
    if "title" in found.values and "outlet" not in found.values:
        first = HEADER_SEGMENTS.split(plain)[0]
        if _looks_like_outlet(first) and (first == plain or n_words(plain) <= 12):
            found.put("outlet", first, f"short line under the title (line {n + 1})")
            found.drop(n, raw, "metadata", "outlet-line")
            return True
    return False


def _finish(found: _Found, lex: Lexicon) -> Cleaned:
    if not found.kept:  # a one-line text is its own body, not only a headline
        taken = [r for r in found.removed if r.rule == "title"]
        if taken:
            found.removed.remove(taken[0])
            found.kept.append((taken[0].line_no - 1, markdown_plain(taken[0].text.strip())))
    body = _join_paragraphs(found.kept)
    dateline = None
    first = body.split("\n", 1)[0] if body else ""
    m = DATELINE.match(first)
    if m and len(m.group("agency").split()) <= 3:
        dateline = m.group("place").strip().title() if m.group("place").isupper() else m.group("place").strip()
        agency = m.group("agency").strip()
        found.credit(lex.agency(agency) or agency, "dateline")
        found.signals.append(("dateline", f"first paragraph: {m.group(0).strip()!r}"))
    elif (m := DATELINE_CAPS.match(first)) is not None:
        dateline = m.group("place").title()
        found.signals.append(("dateline", f"first paragraph: {m.group(0).strip()!r}"))
    v = found.values
    return Cleaned(
        body=body,
        removed=tuple(sorted(found.removed, key=lambda r: r.line_no)),
        title=v.get("title"),  # type: ignore[arg-type]
        outlet=v.get("outlet"),  # type: ignore[arg-type]
        authors=tuple(found.authors),
        credited=tuple(found.credited),
        dateline=dateline,
        published=v.get("published"),  # type: ignore[arg-type]
        updated=v.get("updated"),  # type: ignore[arg-type]
        url=v.get("url"),  # type: ignore[arg-type]
        signals=tuple(found.signals),
        mentions=tuple(found.mentions),
    )


def _join_paragraphs(kept: list[tuple[int, str]]) -> str:
    """One paragraph per kept line; a hard-wrapped continuation (next line, lower-case start) is re-joined."""
    paragraphs: list[str] = []
    last_line = -2
    for n, text in kept:
        if paragraphs and n == last_line + 1 and text[:1].islower() and not SENTENCE_END.search(paragraphs[-1]):
            paragraphs[-1] += " " + text
        else:
            paragraphs.append(text)
        last_line = n
    return "\n\n".join(paragraphs)


def _lexicon_category(norm: str, lex: Lexicon) -> str | None:
    if len(norm) > 200:
        return None
    for category, pattern in lex.lines:
        if pattern.fullmatch(norm):
            return category
    return None


def _is_caption(stripped: str, plain: str) -> bool:
    if n_words(plain) > 60:
        return False
    return bool(CAPTION_CREDIT.search(stripped) or CAPTION_AGENCY_TAIL.search(plain))


def _strip_trailing(n: int, plain: str, found: _Found, lex: Lexicon) -> str:
    low = plain.lower()
    for phrase in lex.trailing:
        if low.endswith(" " + phrase) and len(plain) > len(phrase) + 20:
            found.drop(n, plain[-len(phrase):], "link-debris", "trailing-phrase")
            return plain[: -len(phrase)].rstrip()
    return plain


def _byline_names(text: str, n: int, found: _Found, lex: Lexicon) -> None:
    text = re.split(r"\s+[|,–—-]\s+(?=[A-Z]?[a-z]+\b)", text)[0] if " | " in text else text
    for part in NAME_SPLIT.split(text):
        name = part.strip(" .*[]()")
        if not name:
            continue
        agency = lex.agency(name)
        if agency:
            found.credit(agency, f"byline (line {n + 1})")
        elif len(name.split()) >= 2 and lex.is_person_name(name):  # "Von X, Veltrana": one word is a place
            found.authors.append(name)
            found.signals.append(("authors", f"byline (line {n + 1}): {name}"))


def _credit_names(text: str, n: int, found: _Found, lex: Lexicon) -> None:
    """Reuters-style credits: agencies become credited sources, writers and reporters authors."""
    for spelling, agency in lex.agencies.items():
        if re.search(rf"\b{re.escape(spelling)}\b", text):
            found.credit(agency, f"credits line {n + 1}")
    parts = CREDIT_ROLE.split(text)
    for role, names in zip(parts[1::2], parts[2::2], strict=False):
        if role.lower() in ("writing", "written", "reporting", "reported"):
            for name in NAME_SPLIT.split(names.strip(" .;")):
                name = name.strip(" .;")
                if name and lex.is_person_name(name) and not lex.agency(name) and name not in found.authors:
                    found.authors.append(name)
                    found.signals.append(("authors", f"credits line {n + 1} ({role.lower()} by): {name}"))


def _looks_like_names(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 12 and not SENTENCE_END.search(text.rstrip(" .")) and text[:1].isupper()


def _looks_like_outlet(plain: str) -> bool:
    words = plain.split()
    return (
        0 < len(words) <= OUTLET_MAX_WORDS
        and not re.search(r"[.!?:,;\"“”]$", plain)
        and all(w[:1].isupper() or not w[:1].isalpha() for w in words)
        and not BULLET.match(plain)
    )


def _reads_as_prose(plain: str, min_words: int = PROSE_MIN_WORDS) -> bool:
    return n_words(plain) >= min_words and bool(SENTENCE_END.search(plain))


def _norm(plain: str) -> str:
    return " ".join(plain.lower().replace("’", "'").strip(" \t*_#>|•·-–—:").split())

"""Claims: factual sentences with their quantities, dates, places and actors, and who they are attributed to.

A sentence becomes a claim when it states a quantity or a date. Dates are resolved to ISO, as precisely as
written ("2022", "2024-05", "2024-05-17"): a year stands alone; a month or day without a year, and relative
dates ("yesterday", "on Friday"), take the article's own date when it is known; otherwise they stay unresolved
— never guessed from today's date. A claim is credited to a statement only when one of its quantities or
dates lies inside that statement's content.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timedelta

import dateparser  # type: ignore[import-untyped]  # no stubs installed: dateparser is typed as Any
from spacy.tokens import Doc, Span

from crosswire.model import Claim, DateMention, Mention, Quantity, Statement
from crosswire.nlp.lemmas import singular
from crosswire.nlp.quantities import find_quantities
from crosswire.nlp.sentences import Sentences

RELATIVE = re.compile(
    r"\b(today|yesterday|tomorrow|tonight|last night|this (morning|afternoon|evening|week|month|year)|"
    r"(last|next|this|on|on the|early|late)\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|month|year)|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"heute|gestern|morgen|vorgestern|am (montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag))\b",
    re.IGNORECASE,
)
ABSOLUTE = re.compile(r"\b(1[89]\d\d|20\d\d)\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|"
                      r"\b\d{1,2}\.?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|januar|februar|märz|mai|juni|juli|oktober|dezember)",
                      re.IGNORECASE)
YEAR = re.compile(r"\b(1[89]|20)\d\d\b")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = (r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
CALENDAR = (  # the written date with nothing else in it but a leading preposition or "early/late"
    re.compile(rf"{_YEAR}"),
    re.compile(rf"{_MONTH}(?:\s+{_YEAR})?"),
    re.compile(rf"{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?"),
    re.compile(rf"(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR})?"),
)
WEEKDAY = re.compile(r"(?P<which>last|next|this|on|on the|early|late)?\s*(?P<weekday>" + "|".join(WEEKDAYS) + r")"
                     r"(?:\s+(?P<part>morning|afternoon|evening|night))?", re.IGNORECASE)
LEADING = re.compile(r"^(?:(?:in|on|since|by|until|from|during|early|late|mid|the)[\s-]+)+", re.IGNORECASE)
PLACE_KINDS = frozenset({"place"})
ACTOR_KINDS = frozenset({"person", "org", "group"})


def find_claims(sents: Sentences, mentions: tuple[Mention, ...], statements: tuple[Statement, ...],
                published: str | None, article_id: str = "") -> tuple[Claim, ...]:
    """Claims of a parsed article, in text order."""
    base = _base_date(published)
    out: list[Claim] = []
    dates_by_sentence: dict[int, list[Span]] = {}
    if sents.spans:
        for ent in sents.spans[0].doc.ents:
            if ent.label_ == "DATE":
                dates_by_sentence.setdefault(sents.at(ent.start_char).start_char, []).append(ent)  # type: ignore[union-attr]
    for sent in sents.spans:
        doc = sent.doc
        dates = tuple(_dates(dates_by_sentence.get(sent.start_char, []), base))
        quantities = tuple(_counted(doc, q) for q in find_quantities(sent.text, sent.start_char) if not _in_date(q, dates))
        if not quantities and not dates:
            continue
        inside = [m for m in mentions if sent.start_char <= m.span[0] < sent.end_char]
        st = statement_of(statements, [q.span for q in quantities] + [d.span for d in dates])
        out.append(Claim(
            id=_claim_id(article_id, sent),
            span=(sent.start_char, sent.end_char),
            quantities=quantities,
            dates=dates,
            places=tuple(dict.fromkeys(m.entity for m in inside if m.kind in PLACE_KINDS)),
            actors=tuple(dict.fromkeys(m.entity for m in inside if m.kind in ACTOR_KINDS)),
            statement=st.id if st else None,
            source=st.speaker if st else None,
        ))
    return tuple(out)


def _in_date(q: Quantity, dates: tuple[DateMention, ...]) -> bool:
    """The 6 of "August 6" is part of a date, not an amount."""
    return any(d.span[0] <= q.span[0] and q.span[1] <= d.span[1] for d in dates)


def _counted(doc: Doc, q: Quantity) -> Quantity:
    """A unit-less count takes the noun it counts as its unit: "51 drones" → drones."""
    if q.unit:
        return q
    span = doc.char_span(*q.span, alignment_mode="expand")
    if span is None:
        return q
    tok = span[-1]
    head = tok.head if tok.dep_ in ("nummod", "quantmod", "compound") else None
    if head is None or head.pos_ not in ("NOUN", "PROPN") or head.i <= tok.i:
        nxt = doc[span.end] if span.end < len(doc) else None
        head = nxt if nxt is not None and nxt.pos_ == "NOUN" else None
    if head is None:
        return q
    return Quantity(q.span, q.text, q.value, singular(head.lower_), q.approx, q.low, q.high, q.alternatives)


def _dates(ents: list[Span], base: date | None) -> list[DateMention]:
    out = []
    for ent in ents:
        text = ent.text
        relative = bool(RELATIVE.search(text)) and not ABSOLUTE.search(text)
        value = resolve_date(text, base)
        if not relative and not ABSOLUTE.search(text) and not _calendar_only(text):
            continue  # durations and vague periods ("two years", "decades") are not dates
        if value is None and (base is not None or YEAR.search(text)):  # other wordings: "Tuesday, May 14", "yesterday"
            settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
            if base is not None:
                settings["RELATIVE_BASE"] = datetime.combine(base, datetime.min.time())
            parsed = _parse_date(text, settings)
            if parsed is not None and (relative or _has_day(text)):
                value = parsed.date().isoformat()
        out.append(DateMention((ent.start_char, ent.end_char), text, value, relative))
    return out


def resolve_date(text: str, base: date | None) -> str | None:
    """A written date as ISO, as precise as written: ``2022``, ``May`` → ``2024-05``, ``on Friday`` → the day.

    Without ``base`` (the article's date) only dates that carry their year resolve."""
    low = " ".join(text.lower().split())
    wd = WEEKDAY.fullmatch(low)
    if wd:
        return weekday_date(wd["weekday"], wd["which"] or "", base).isoformat() if base else None
    bare = LEADING.sub("", low).strip(" ,.")
    for pattern in CALENDAR:
        m = pattern.fullmatch(bare)
        if m:
            return _calendar(m, base)
    return None


def _calendar_only(text: str) -> bool:
    """A month named alone ("in May") is a date; "two years" is not."""
    bare = LEADING.sub("", " ".join(text.lower().split())).strip(" ,.")
    return any(p.fullmatch(bare) for p in CALENDAR)


def _calendar(m: re.Match[str], base: date | None) -> str | None:
    """Year, month and day groups → ISO of the written precision; a missing year is the article's."""
    groups = m.groupdict()
    year = int(groups["year"]) if groups.get("year") else (base.year if base else None)
    if year is None:
        return None
    if not groups.get("month"):
        return f"{year:04d}"
    month = MONTHS.index(groups["month"][:3]) + 1
    if not groups.get("day"):
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, int(groups["day"])).isoformat()
    except ValueError:
        return None  # "February 30": a misreading, not a date


def weekday_date(weekday: str, which: str, base: date) -> date:
    """The day a weekday names in an article of date ``base``: news convention, "said Friday" in a Friday
    article is that day; otherwise the most recent such day before it ("last" never the same day, "next" ahead)."""
    back = (base.weekday() - WEEKDAYS.index(weekday.lower())) % 7
    if which == "next":
        return base + timedelta(days=(7 - back) or 7)
    if which == "last" and back == 0:
        back = 7
    return base - timedelta(days=back)


def _parse_date(text: str, settings: dict[str, object]) -> datetime | None:
    cleaned = re.sub(r"^(on|last|this|early|late|the)\s+", "", text.strip(), flags=re.IGNORECASE)
    try:  # English rules, English dates: naming the language skips dateparser's costly locale detection
        return dateparser.parse(cleaned, languages=["en"], settings=settings)
    except (ValueError, OverflowError):
        return None


def _has_day(text: str) -> bool:
    return bool(re.search(r"\b\d{1,2}(st|nd|rd|th)?\b", text)) and bool(ABSOLUTE.search(text))


def _base_date(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def statement_of(statements: tuple[Statement, ...], spans: list[tuple[int, int]]) -> Statement | None:
    """The statement whose content holds one of the claim's quantity or date ``spans`` (a sentence that
    merely contains a statement elsewhere credits nobody)."""
    for s in statements:
        if any(a <= start and end <= b for start, end in spans for a, b in s.content):
            return s
    return None


def _claim_id(article_id: str, sent: Span) -> str:
    return "cl" + hashlib.sha1(f"{article_id}:{sent.start_char}:{sent.end_char}".encode()).hexdigest()[:10]

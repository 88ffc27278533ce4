"""Claims: factual sentences with their quantities, dates, places and actors, and who they are attributed to.

A sentence becomes a claim when it states a quantity or a date. Dates are resolved to ISO only when
they are absolute, or relative ("yesterday", "on Friday") and the article's own date is known;
otherwise they stay unresolved — never guessed from today's date.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

import dateparser
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
        quantities = tuple(_counted(doc, q) for q in find_quantities(sent.text, sent.start_char))
        dates = tuple(_dates(dates_by_sentence.get(sent.start_char, []), base))
        if not quantities and not dates:
            continue
        inside = [m for m in mentions if sent.start_char <= m.span[0] < sent.end_char]
        st = _statement_of(statements, (sent.start_char, sent.end_char))
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


def _dates(ents: list[Span], base: datetime | None) -> list[DateMention]:
    out = []
    for ent in ents:
        text = ent.text
        relative = bool(RELATIVE.search(text)) and not ABSOLUTE.search(text)
        if not relative and not ABSOLUTE.search(text):
            continue  # durations and vague periods ("two years", "decades") are not dates
        value = None
        if base is not None or YEAR.search(text):  # without the article's date, only dates with a year resolve
            settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
            if base is not None:
                settings["RELATIVE_BASE"] = base
            parsed = _parse_date(text, settings)
            if parsed is not None and (relative or _has_day(text)):
                value = parsed.date().isoformat()
        out.append(DateMention((ent.start_char, ent.end_char), text, value, relative))
    return out


def _parse_date(text: str, settings: dict[str, object]) -> datetime | None:
    cleaned = re.sub(r"^(on|last|this|early|late|the)\s+", "", text.strip(), flags=re.IGNORECASE)
    try:  # English rules, English dates: naming the language skips dateparser's costly locale detection
        return dateparser.parse(cleaned, languages=["en"], settings=settings)  # type: ignore[arg-type]
    except (ValueError, OverflowError):
        return None


def _has_day(text: str) -> bool:
    return bool(re.search(r"\b\d{1,2}(st|nd|rd|th)?\b", text)) and bool(ABSOLUTE.search(text))


def _base_date(published: str | None) -> datetime | None:
    if not published:
        return None
    try:
        return datetime.fromisoformat(published[:10])
    except ValueError:
        return None


def _statement_of(statements: tuple[Statement, ...], span: tuple[int, int]) -> Statement | None:
    for s in statements:
        if any(a < span[1] and span[0] < b for a, b in s.content):
            return s
    return None


def _claim_id(article_id: str, sent: Span) -> str:
    return "cl" + hashlib.sha1(f"{article_id}:{sent.start_char}:{sent.end_char}".encode()).hexdigest()[:10]

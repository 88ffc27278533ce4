"""Claims of a German, Russian or Ukrainian text: sentences with quantities (the language's number formats:
``1.000,5``, ``1 000``, ``3,5 Millionen``, ``1,5 млн``, ``12 тыс.``) or dates (``13. September 2024``,
``12 сентября``, ``у п'ятницю``), resolved against the article's own date only, never today's."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

from crosswire.model import Claim, DateMention, Quantity, Statement
from crosswire.nlp.claims import statement_of
from crosswire.nlp.lang.entities import NameMention
from crosswire.nlp.lang.profile import Profile
from crosswire.nlp.lang.tokens import Layer

Span = tuple[int, int]
NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[.\u00a0\u202f ]\d{3})+|\d+)(?:,(\d+))?(?![\w])")
YEAR_ONLY = re.compile(r"^(1[89]|20)\d\d$")


def numbers(text: str, a: int, b: int, p: Profile) -> list[Quantity]:
    out = []
    for m in NUMBER.finditer(text, a, b):
        whole, frac = m.group(1), m.group(2)
        if p.thousands == "." and re.fullmatch(r"\d{1,2}", whole) and text[m.end() : m.end() + 1] == "." and frac is None:
            if re.match(r"\.\s*(\d|[A-ZÄÖÜ])", text[m.end() : m.end() + 3]):
                continue  # "13. September", "3.40 Uhr" is read below as a time, not a count
        digits = re.sub(r"[.\u00a0\u202f ]", "", whole)
        if YEAR_ONLY.match(digits) and frac is None:
            continue  # years are dates
        value = float(digits + ("." + frac if frac else ""))
        after = text[m.end() : m.end() + 20].lower().split()
        end = m.end()
        if after and after[0] in p.scales:
            value *= p.scales[after[0]]
            end = text.lower().index(after[0], m.end()) + len(after[0])
            after = after[1:]
        unit = p.units.get(after[0].strip(".,;:")) if after else None
        if unit is None and text[m.end() : m.end() + 1] == "%":
            unit = "percent"
        before = text[max(a, m.start() - 15) : m.start()].lower()
        approx = next((v for k, v in p.approx.items() if re.search(rf"(?:^|\s){re.escape(k)}\s*$", before)), None)
        out.append(Quantity((m.start(), end), text[m.start() : end], value, unit, approx))
    for w in re.finditer(r"[^\W\d_]+", text[a:b]):
        v = p.number_words.get(w.group().lower())
        if v is not None and v > 1:
            after = text[a + w.end() : a + w.end() + 20].lower().split()
            unit = p.units.get(after[0].strip(".,;:")) if after else None
            if unit:
                out.append(Quantity((a + w.start(), a + w.end()), w.group(), v, unit))
    return sorted(out, key=lambda q: q.span)


def dates(text: str, a: int, b: int, p: Profile, base: date | None) -> list[DateMention]:
    out = []
    months = "|".join(sorted((re.escape(m) for m in p.months), key=len, reverse=True))
    for m in re.finditer(rf"(?:(\d{{1,2}})\.?\s+)?\b({months})(?:\s+(\d{{4}}))?", text[a:b], re.IGNORECASE):
        day, month, year = m.group(1), p.months[m.group(2).lower()], m.group(3)
        y = int(year) if year else (base.year if base else None)
        value = None
        if y is not None:
            try:
                value = date(y, month, int(day)).isoformat() if day else f"{y:04d}-{month:02d}"
            except ValueError:
                value = None
        out.append(DateMention((a + m.start(), a + m.end()), m.group(), value, relative=not year))
    for m in re.finditer(r"\b(1[89]\d\d|20\d\d)\b", text[a:b]):
        if not any(d.span[0] <= a + m.start() < d.span[1] for d in out):
            out.append(DateMention((a + m.start(), a + m.end()), m.group(), m.group()))
    for i, wd in enumerate(p.weekdays):
        for m in re.finditer(rf"\b{re.escape(wd)}\w*", text[a:b], re.IGNORECASE):
            value = None
            if base is not None:
                value = (base - timedelta(days=(base.weekday() - i) % 7)).isoformat()
            out.append(DateMention((a + m.start(), a + m.end()), m.group(), value, relative=True))
    for word, shift in p.relative.items():
        for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text[a:b]):  # lower case only: "am Morgen" is no date
            out.append(DateMention((a + m.start(), a + m.end()), m.group(),
                                   (base + timedelta(days=shift)).isoformat() if base else None, relative=True))
    return sorted(out, key=lambda d: d.span)


def find_claims(text: str, layer: Layer, names: list[NameMention], statements: list[Statement],
                published: str | None, article_id: str) -> list[Claim]:
    base = _base(published)
    out = []
    for s, e in layer.sentences:
        ds = dates(text, s, e, layer.profile, base)
        qs = [q for q in numbers(text, s, e, layer.profile) if not any(d.span[0] <= q.span[0] < d.span[1] for d in ds)]
        if not qs and not ds:
            continue
        inside = [m for m in names if s <= m.span[0] < e and m.cluster is not None and m.cluster.kind]
        places = tuple(dict.fromkeys(m.cluster.key for m in inside if m.cluster and m.cluster.kind == "place"))
        actors = tuple(dict.fromkeys(m.cluster.key for m in inside if m.cluster and m.cluster.kind in ("person", "org")))
        spans = [x.span for x in qs] + [x.span for x in ds]
        st = statement_of(tuple(statements), spans)  # the English rule: a figure inside a statement's content
        cid = "cl" + hashlib.sha1(f"{article_id}:{s}:{e}".encode()).hexdigest()[:10]
        out.append(Claim(cid, (s, e), tuple(qs), tuple(ds), places, actors, st.id if st else None, st.speaker if st else None))
    return out


def _base(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None

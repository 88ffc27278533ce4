"""Fact slots: the spans of a sentence a change may touch (number, date, place, speaker, qualifier, negation).

A sentence becomes a *template*: each slot is replaced by one private-use character (U+E000 + slot id), which
regexes treat as an opaque non-word token, so rewrites move slots around but never alter them. Rendering a
template puts each slot's text (original, changed or reformatted) back and records its character span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from bench.compare.corpus import load_lexicon

SLOT_BASE = 0xE000
MAX_SLOTS = 0x900  # slot characters U+E000..U+E8FF, far more than the facts of one story
KIND_PRIORITY = ("qualifier", "speaker", "date", "place", "number", "negation")  # earlier kinds win overlaps


@dataclass(frozen=True, slots=True)
class Slot:
    """One fact span of the source article: id, kind and original text."""

    id: int
    kind: str
    text: str


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    lex = load_lexicon()
    number = r"(?:\$)?\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?:\$)?\d+(?:\.\d+)?"
    unit = _alternation([u[0] for u in lex["units"]])
    month = _alternation(lex["months"])
    name = r"(?:(?:Mr|Mrs|Ms|Dr)\. )?[A-Z][a-z]+(?: [A-Z]\.)?(?: [A-Z][\w'’-]+){0,2}"
    verbs = _alternation(lex["speech_verbs"])
    words = _alternation(lex["number_words"])
    quantity = rf"(?<![\w.,:$-])(?:{number})(?: (?:{unit})\b|%| percent\b| million\b| billion\b)?(?![\w-]|[.,:]\d)|\b(?:{words})\b"
    return {
        "number": re.compile(quantity),
        "date": re.compile(rf"\b(?:{month}) \d{{1,2}}\b|\b\d{{1,2}} (?:{month})\b|\b(?:{_alternation(lex['weekdays'])})\b"),
        "place": re.compile(rf"\b(?:{_alternation(lex['places'])})\b(?! [A-Z])"),  # not "Los Angeles Times"
        "speaker_after": re.compile(rf"[\"”],? (?:{verbs}) ({name})\b"),
        "speaker_before": re.compile(rf"(?:[\"”],? |^|, )({name}),? (?:{verbs})\b"),
        "qualifier_number": re.compile(rf"\b(?i:{_alternation(lex['qualifiers_before_number'])}) (?:{quantity})"),
        "qualifier_word": re.compile(rf"\b(?:(?:a|an) )?(?i:{_alternation(lex['qualifiers_before_word'])}) [a-z]\w+"),
        "qualifier_after": re.compile(rf"\b[a-z]\w+,? (?:{_alternation(lex['qualifiers_after_word'])})\b"),
        "negation": re.compile(r"\b(?:(?:is|are|was|were|has|have|had|will|would|could|should|can|did|does|do)(?: not|n't)|cannot|won't)(?= [a-z])"
                               r"|\b(?:is|are|was|were|will|would|could|should|can)(?= (?!not\b|n't)[a-z])"
                               r"|\b(?:has|have|had)(?= (?:been|[a-z]+ed)\b)|\b(?:has|have) no(?= [a-z])"),  # fmt: skip
    }


def _year_like(text: str) -> bool:
    return bool(re.fullmatch(r"(?:1[89]|20)\d\d", text))


def find_slots(sentence: str) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, kind) fact spans of one sentence, by kind priority then position."""
    pats, lex = _patterns(), load_lexicon()
    found: list[tuple[int, int, str]] = []
    for kind in ("qualifier_number", "qualifier_word", "qualifier_after"):
        found += [(m.start(), m.end(), "qualifier") for m in pats[kind].finditer(sentence)]
    for kind in ("speaker_after", "speaker_before"):
        found += [(m.start(1), m.end(1), "speaker") for m in pats[kind].finditer(sentence)
                  if m.group(1).split()[0] not in lex["not_names"] and m.group(1) not in lex["weekdays"] + lex["months"] + lex["places"]]  # fmt: skip
    for kind in ("date", "place", "negation"):
        found += [(m.start(), m.end(), kind) for m in pats[kind].finditer(sentence)]
    found += [(m.start(), m.end(), "number") for m in pats["number"].finditer(sentence) if not _year_like(m.group()) and not m.group().startswith("0")]
    found.sort(key=lambda f: (KIND_PRIORITY.index(f[2]), f[0]))
    kept: list[tuple[int, int, str]] = []
    for f in found:
        if all(f[1] <= k[0] or f[0] >= k[1] for k in kept):
            kept.append(f)
    return sorted(kept)


def encode(sentence: str, first_id: int) -> tuple[str, list[Slot]]:
    """The sentence as a template with one character per slot, and its slots numbered from first_id."""
    parts, slots, pos = [], [], 0
    for start, end, kind in find_slots(sentence):
        if first_id + len(slots) >= MAX_SLOTS:
            break
        slot = Slot(first_id + len(slots), kind, sentence[start:end])
        parts += [sentence[pos:start], chr(SLOT_BASE + slot.id)]
        slots.append(slot)
        pos = end
    parts.append(sentence[pos:])
    return "".join(parts), slots


def render(template: str, values: dict[int, str], offset: int = 0) -> tuple[str, dict[int, tuple[int, int]]]:
    """Text of a template with each slot's value filled in, and each slot's span (shifted by offset)."""
    out, spans, pos = [], {}, offset
    for ch in template:
        code = ord(ch) - SLOT_BASE
        piece = values[code] if 0 <= code < MAX_SLOTS else ch
        if 0 <= code < MAX_SLOTS:
            spans[code] = (pos, pos + len(piece))
        out.append(piece)
        pos += len(piece)
    return "".join(out), spans


def slot_ids(template: str) -> list[int]:
    """The slot ids a template carries, in order."""
    return [ord(c) - SLOT_BASE for c in template if 0 <= ord(c) - SLOT_BASE < MAX_SLOTS]

"""Injected changes: the new text of one fact slot, for each conflict kind and for the two non-conflict controls."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from bench.compare.corpus import load_lexicon
from bench.compare.slots import Slot

CONFLICT_KINDS = ("number", "date", "place", "speaker", "qualifier", "negation")
CONTROL_KINDS = ("rounding", "unit")
NUMBER_RE = re.compile(r"^(\$?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(.*)$")
ROUNDING_MAX_SHIFT = 0.06  # a rounded figure within 6 % reads as the same figure ("1,503" → "about 1,500", "57" → "about 60")
ROUNDING_MIN = 50  # below it, rounding to two digits is no rounding at all
CONFLICT_MIN_SHIFT = 0.15  # a changed figure moves at least 15 %, far beyond any rounding


@dataclass(frozen=True, slots=True)
class Pools:
    """Replacement values drawn from the whole corpus: place names and speaker names."""

    places: tuple[str, ...]
    speakers: tuple[str, ...]


def _format(value: float, template: str) -> str:
    """Write value like the template number: thousands commas if it had them, same decimals."""
    decimals = len(template.split(".")[1]) if "." in template else 0
    text = f"{value:,.{decimals}f}" if "," in template or value >= 10000 else f"{value:.{decimals}f}"
    return text


def change_number(text: str, rng: random.Random) -> str | None:
    """A different quantity in the same format: small counts move by 2–4, larger ones by 15–60 %."""
    words = load_lexicon()["number_words"]
    if text in words:
        return words[(words.index(text) + rng.choice([2, 3])) % len(words)]
    m = NUMBER_RE.match(text)
    if not m:
        return None
    value = float((m.group(2) + (m.group(3) or "")).replace(",", ""))
    if value < 10:
        new = value + rng.choice([2, 3, 4])
    else:
        new = value * rng.choice([1 + CONFLICT_MIN_SHIFT, 1.3, 1.6, 1 - CONFLICT_MIN_SHIFT, 0.7, 0.5])
        new = round(new) if not m.group(3) else new
    return f"{m.group(1)}{_format(new, m.group(2) + (m.group(3) or ''))}{m.group(4)}"


def round_number(text: str) -> str | None:
    """Control: "1,503 people" → "about 1,500 people" (two significant digits), only if it really rounds."""
    m = NUMBER_RE.match(text)
    if not m or m.group(3):
        return None
    value = int(m.group(2).replace(",", ""))
    step = 10 ** max(len(str(value)) - 2, 1)
    rounded = round(value / step) * step
    if value < ROUNDING_MIN or rounded == value or abs(rounded - value) > ROUNDING_MAX_SHIFT * value:
        return None
    return f"about {m.group(1)}{_format(rounded, m.group(2))}{m.group(4)}"


def convert_unit(text: str) -> str | None:
    """Control: "8,000 km²" → "3,100 square miles" (two significant digits), the same quantity in another unit."""
    m = NUMBER_RE.match(text)
    units = {u[0]: (u[1], u[2]) for u in load_lexicon()["units"]}
    if not m or m.group(1) or m.group(4).strip() not in units:
        return None
    target, factor = units[m.group(4).strip()]
    value = float((m.group(2) + (m.group(3) or "")).replace(",", "")) * factor
    digits = max(len(str(int(value))) - 2, 0)
    converted = round(value, -digits) if digits else round(value, 1 if value < 10 else 0)
    number = f"{converted:,.0f}" if converted >= 10 else f"{converted:g}"
    return f"{number} {target}"


def change_date(text: str, rng: random.Random) -> str | None:
    """Another weekday, or the same month with the day moved by 2–5."""
    weekdays = load_lexicon()["weekdays"]
    if text in weekdays:
        return weekdays[(weekdays.index(text) + rng.choice([2, 3, 4])) % 7]
    m = re.search(r"\d+", text)
    if not m:
        return None
    day = int(m.group())
    new = day + rng.choice([2, 3, 5]) if day <= 20 else day - rng.choice([2, 3, 5])
    return text[: m.start()] + str(new) + text[m.end() :]


def change_place(text: str, rng: random.Random, pools: Pools, avoid: set[str]) -> str | None:
    """Another place name seen in the corpus that the story does not mention."""
    candidates = [p for p in pools.places if p != text and p not in avoid]
    return rng.choice(candidates) if candidates else None


def change_speaker(text: str, rng: random.Random, pools: Pools, avoid: set[str]) -> str | None:
    """Another speaker name from the corpus sharing no word with this one (so it is not the same person)."""
    words = set(text.replace(".", " ").split())
    candidates = [p for p in pools.speakers if not words & set(p.replace(".", " ").split()) and p not in avoid]
    return rng.choice(candidates) if candidates else None


def drop_qualifier(text: str) -> str | None:
    """The slot without its qualifier: "at least 1,500" → "1,500", "alleged gunman" → "gunman", "plans as of today" → "plans"."""
    lex = load_lexicon()
    for q in sorted(lex["qualifiers_after_word"], key=len, reverse=True):
        if text.endswith(" " + q):
            return text[: -len(q) - 1].rstrip(",")
    for q in sorted(lex["qualifiers_before_number"] + lex["qualifiers_before_word"], key=len, reverse=True):
        m = re.match(rf"^(?:(a|an) )?{re.escape(q)} (.+)$", text, flags=re.IGNORECASE)
        if m:
            article = ("an" if m.group(2)[0] in "aeiou" else "a") if m.group(1) else ""
            head = f"{article} {m.group(2)}".strip()
            return head[0].upper() + head[1:] if text[0].isupper() else head
    return None


def flip_negation(text: str) -> str:
    """Negate an auxiliary or remove its negation: "was" ↔ "was not", "didn't" → "did", "has no" → "has"."""
    irregular = {"cannot": "can", "can't": "can", "won't": "will", "can": "cannot"}
    if text in irregular:
        return irregular[text]
    if text.endswith(" no"):
        return text[:-3]
    if text.endswith(" not") or text.endswith("n't"):
        return text[:-4] if text.endswith(" not") else text[:-3]
    return f"{text} not"


def conflict_value(slot: Slot, rng: random.Random, pools: Pools, avoid: set[str]) -> str | None:
    """The changed text of a slot for a conflict of the slot's own kind, or None when it cannot change."""
    match slot.kind:
        case "number":
            return change_number(slot.text, rng)
        case "date":
            return change_date(slot.text, rng)
        case "place":
            return change_place(slot.text, rng, pools, avoid)
        case "speaker":
            return change_speaker(slot.text, rng, pools, avoid)
        case "qualifier":
            return drop_qualifier(slot.text)
        case "negation":
            return flip_negation(slot.text)
    return None


def control_value(slot: Slot, kind: str) -> str | None:
    """The text of a number slot under a non-conflict control (rounding or unit conversion), or None."""
    if slot.kind != "number":
        return None
    return round_number(slot.text) if kind == "rounding" else convert_unit(slot.text)

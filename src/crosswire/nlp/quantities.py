"""Quantities as claimed: "over 200", "8,000 square kilometers (3,000 square miles)", "$5.2bn", "10-12 people".

Pure and total: ``find_quantities(text)`` never raises; every quantity carries its span in ``text``.
Units and conversions come from ``resources/units.toml``; the comparison stage uses ``same_amount``
to tell a unit conversion or a rounding from a real difference.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from crosswire.model import Quantity

WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a dozen": 12, "dozen": 12,
    "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
}
ROUNDING_TOLERANCE = 0.05  # "about 1,500" covers 1,503; 5% is what newsroom rounding does to a figure
CONVERSION_TOLERANCE = 0.06  # 8,000 km² is 3,089 mi²; outlets print "3,000" or "3,100"


@dataclass(frozen=True, slots=True)
class Units:
    aliases: dict[str, str]  # written form (lower) → canonical unit
    conversions: dict[tuple[str, str], float]
    approximations: dict[str, str]  # phrase → about | over | at least | up to | under
    scales: dict[str, float]
    vague: dict[str, tuple[float, float]]
    pattern: re.Pattern[str]


@cache
def load_units() -> Units:
    data = tomllib.loads(resources.files("crosswire.resources").joinpath("units.toml").read_text(encoding="utf-8"))
    aliases = {w: unit for unit, words in data["units"].items() for w in words}
    conversions: dict[tuple[str, str], float] = {}
    for key, factor in data["conversions"].items():
        a, b = key.split(">")
        conversions[(a, b)] = factor
        conversions[(b, a)] = 1 / factor
    approx = {p: kind.replace("_", " ") for kind, phrases in data["approximations"].items() for p in phrases}
    scales = {k: float(v) for k, v in data["scales"].items()}
    vague = {k: (float(v[0]), float(v[1])) for k, v in data["vague"].items()}
    return Units(aliases, conversions, approx, scales, vague, _build_pattern(aliases, approx, scales, vague))


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _build_pattern(aliases: dict[str, str], approx: dict[str, str], scales: dict[str, float],
                   vague: dict[str, tuple[float, float]]) -> re.Pattern[str]:
    num = r"(?:\d{1,3}(?:[,.\u202f ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?|" + _alt(WORD_NUMBERS) + ")"
    scale = r"(?:\s*(?:" + _alt(scales) + r")\b)?"
    unit_words = [u for u in aliases if u not in ("$", "€", "£", "us$")]
    return re.compile(
        r"(?P<vague>\b(?:" + _alt(vague) + r")\b)|"
        r"(?<![\w.])"
        r"(?P<approx>(?:" + _alt(approx) + r")\s+)?"
        r"(?:between\s+(?P<lo_b>" + num + r")\s+and\s+|from\s+(?P<lo_f>" + num + r")\s+to\s+)?"
        r"(?P<cur>us\$|\$|€|£)?\s?"
        r"(?:(?P<lo>" + num + r")\s?(?:-|–|to)\s?(?:us\$|\$|€|£)?)?"
        r"(?P<num>" + num + r")(?P<scale>" + scale + r")"
        r"(?P<unit>\s?(?:" + _alt(unit_words) + r")(?![\w]))?",
        re.IGNORECASE,
    )


def parse_number(text: str) -> float | None:
    """``8,000`` → 8000; ``1.5`` → 1.5; ``1.500`` (German thousands) → 1500; ``twelve`` → 12."""
    t = text.strip().lower().replace("\u202f", "").replace(" ", "")
    if t in WORD_NUMBERS:
        return float(WORD_NUMBERS[t])
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", t):
        return float(t.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", t):
        return float(t.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d+,\d{1,2}", t):
        return float(t.replace(",", "."))
    try:
        return float(t)
    except ValueError:
        return None


def find_quantities(text: str, offset: int = 0) -> list[Quantity]:
    """Every quantity in ``text``; a parenthesised conversion right after one joins it as an alternative."""
    units = load_units()
    out: list[Quantity] = []
    for m in units.pattern.finditer(text):
        q = _quantity(m, units, offset)
        if q is None:
            continue
        if out and _is_alternative(text, out[-1], q, offset):
            prev = out[-1]
            out[-1] = Quantity(prev.span, prev.text, prev.value, prev.unit, prev.approx, prev.low, prev.high,
                               prev.alternatives + ((q.value, q.unit or ""),))
            continue
        out.append(q)
    return out


def _quantity(m: re.Match[str], units: Units, offset: int) -> Quantity | None:
    span = (m.start() + offset, m.end() + offset)
    if m.group("vague"):
        vague_lo, vague_hi = units.vague[m.group("vague").lower()]
        return Quantity(span, m.group(0), vague_lo, None, "about", vague_lo, vague_hi)
    value = parse_number(m.group("num"))
    if value is None:
        return None
    scale = (m.group("scale") or "").strip().lower()
    factor = units.scales.get(scale, 1.0)
    unit_text = (m.group("unit") or "").strip().lower()
    cur = (m.group("cur") or "").lower()
    unit = units.aliases.get(unit_text) or units.aliases.get(cur)
    if _is_year_or_time(m, value, unit) or _is_one_of(m):
        return None
    lo_text = m.group("lo") or m.group("lo_b") or m.group("lo_f")
    lo = parse_number(lo_text) if lo_text else None
    approx = units.approximations.get(" ".join((m.group("approx") or "").lower().split()))
    low = lo * factor if lo is not None else None
    high = value * factor if lo is not None else None
    return Quantity(span, m.group(0).strip(), value * factor, unit, approx, low, high)


def _is_year_or_time(m: re.Match[str], value: float, unit: str | None) -> bool:
    """1990, 2024 without a unit are years, not amounts; so are clock times like 10.30."""
    raw = m.group("num")
    if unit is None and not m.group("scale") and re.fullmatch(r"(1[89]|20)\d\d", raw):
        return True
    return False


def _is_one_of(m: re.Match[str]) -> bool:
    """"one of the goals", "one of them": a pick from a set, not an amount (seed 003 counted it as 1)."""
    after = m.string[m.end() : m.end() + 4].lower()
    return m.group("num").lower() == "one" and not m.group("unit") and after.startswith(" of ")


def _is_alternative(text: str, prev: Quantity, q: Quantity, offset: int) -> bool:
    """``8,000 square kilometers (3,000 square miles)``: a bracketed amount in another unit right after."""
    between = text[prev.span[1] - offset : q.span[0] - offset]
    return between.strip() in ("(", "[", "/", "or", "(about", "(roughly") and bool(prev.unit and q.unit and prev.unit != q.unit)


def convert(value: float, unit: str, to: str) -> float | None:
    """``convert(8000, "km2", "mi2")`` → 3088.8; None when no conversion is known."""
    if unit == to:
        return value
    factor = load_units().conversions.get((unit, to))
    return value * factor if factor is not None else None


def same_amount(a: Quantity, b: Quantity) -> bool:
    """Do two quantities state the same amount, allowing unit conversion, rounding and approximation?"""
    for va, ua in ((a.value, a.unit), *a.alternatives):
        for vb, ub in ((b.value, b.unit), *b.alternatives):
            if ua and ub and ua != ub:
                conv = convert(va, ua, ub)
                if conv is not None and _close(conv, vb, CONVERSION_TOLERANCE):
                    return True
                continue
            if _close(va, vb, ROUNDING_TOLERANCE if (a.approx or b.approx) else 0.0):
                return True
            if _in_range(va, b) or _in_range(vb, a):
                return True
    return False


def _close(a: float, b: float, tolerance: float) -> bool:
    return abs(a - b) <= tolerance * max(abs(a), abs(b)) + 1e-9


def _in_range(v: float, q: Quantity) -> bool:
    return q.low is not None and q.high is not None and q.low <= v <= q.high

"""Name normalisation: titles stripped for identity, spelling and transliteration variants folded.

``Syrskyi / Sirsky / Syrskyj`` → ``sirski``; ``Zelensky / Zelenskyy`` → ``zelenski``; exonyms with no
regular spelling relation (``Kiev`` → ``Kyiv``) come from ``resources/aliases.toml``.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache, lru_cache
from importlib import resources

TITLES = frozenset(
    """mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir dame lord lady president vice prime minister
    secretary sen sen. senator rep rep. representative gov gov. governor mayor gen gen. general lt lt. col
    col. colonel maj maj. major capt capt. captain adm adm. admiral sgt sgt. chancellor king queen prince
    princess pope rev rev. father sheikh judge justice chief commander ambassador speaker leader chairman
    chairwoman chair ceo spokesman spokeswoman spokesperson former candidate nominee deputy acting first lady
    defense defence foreign interior finance state health premier director head minister's presidential
    democratic republican
    """.split()
)
POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_FOLD_STEPS = (
    (re.compile(r"kh"), "h"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"[yj]"), "i"),
    (re.compile(r"ie\b"), "i"),
    (re.compile(r"(.)\1+"), r"\1"),
    (re.compile(r"w"), "v"),
)


def strip_titles(name: str) -> tuple[str, str]:
    """``Russian President Vladimir Putin`` → (``Vladimir Putin``, ``Russian President``)."""
    words = POSSESSIVE.sub("", name.strip()).split()
    i = 0
    while i < len(words) - 1 and (words[i].lower().strip(",") in TITLES or _is_adjectival_title(words, i)):
        i += 1
    return " ".join(words[i:]).strip(" ,"), " ".join(words[:i]).strip(" ,")


def _is_adjectival_title(words: list[str], i: int) -> bool:
    """``Russian`` in ``Russian President Putin``: a nationality before a title."""
    return words[i].endswith(("ian", "ese", "ish", "an")) and i + 1 < len(words) - 1 and words[i + 1].lower() in TITLES


def ascii_fold(text: str) -> str:
    """Lowercase, accents removed: ``Zelenskyy`` → ``zelenskyy``, ``Gdańsk`` → ``gdansk``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """The identity form of a name: folded, transliteration variants merged, aliases applied."""
    base = " ".join(re.findall(r"[^\W_]+", ascii_fold(name)))
    alias = load_aliases().get(base)
    if alias:
        base = alias
    words = []
    for w in base.split():
        for pattern, repl in _FOLD_STEPS:
            w = pattern.sub(repl, w)
        words.append(w)
    return " ".join(words)


@cache
def load_aliases() -> dict[str, str]:
    """Exonym and old-spelling aliases (folded form → preferred form)."""
    data = tomllib.loads(resources.files("crosswire.resources").joinpath("aliases.toml").read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for preferred, variants in data["aliases"].items():
        for v in variants:
            out[" ".join(re.findall(r"[^\W_]+", ascii_fold(v)))] = ascii_fold(preferred)
    return out

"""One language's word lists (``resources/cues_<lang>.toml``) as a typed, cached profile."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import simplemma


@dataclass(frozen=True, slots=True)
class Profile:
    language: str
    speech: frozenset[str]  # cue lemmas of speech ("sagen", "заявить")
    stance: frozenset[str]  # cue lemmas of beliefs and findings ("glauben", "считать")
    separable: dict[str, tuple[str, ...]]  # German: verb → the particles that make it a cue ("teilte … mit")
    not_cues: frozenset[str]
    labelling: frozenset[str]  # verbs attributing a quoted label ("bezeichnen … als", "назвать")
    before_source: tuple[str, ...]  # "laut X", "по словам X"
    source_patterns: tuple[str, ...]  # regular expressions of before-source constructions ("nach NASA-Angaben")
    after_source: tuple[str, ...]  # "X zufolge"
    inverted: frozenset[str]  # "…, so Kovel."
    as_clause: frozenset[str]  # "Wie die Polizei mitteilte, …"
    complementizers: frozenset[str]
    stance_constructions: frozenset[str]
    masculine: frozenset[str]
    feminine: frozenset[str]
    first_person: frozenset[str]
    role_suffixes: tuple[str, ...]
    titles: frozenset[str]
    place_prepositions: frozenset[str]
    function_words: frozenset[str]
    number_words: dict[str, float]
    scales: dict[str, float]
    approx: dict[str, str]
    units: dict[str, str]  # word as written (lower case) → canonical unit
    months: dict[str, int]  # genitive / locative month name → month number
    weekdays: tuple[str, ...]
    relative: dict[str, int]
    thousands: str
    subjunctive: frozenset[str]  # German Konjunktiv forms: reported speech going on
    continuers: frozenset[str]  # "Demnach …"  # the thousands separator: "." in German, a space in Russian and Ukrainian

    def lemma(self, word: str) -> str:
        return lemma(word.lower(), self.language)

    def cue_class(self, word: str) -> str | None:
        """``speech`` / ``stance`` for a cue verb form, else None."""
        low = word.lower()
        if low in self.not_cues or low in self.separable:
            return None  # "gab", "teilte": cues only with their particle (Finder._cue_at)
        for form in (low, self.lemma(low)):
            if form in self.speech:
                return "speech"
            if form in self.stance:
                return "stance"
        return None


@cache
def lemma(word: str, language: str) -> str:
    return simplemma.lemmatize(word, lang=language).lower()


@cache
def profile(language: str) -> Profile:
    raw = tomllib.loads(resources.files("crosswire.resources").joinpath(f"cues_{language}.toml").read_text(encoding="utf-8"))
    v, c, p, r, n, d = raw["verbs"], raw["constructions"], raw["pronouns"], raw["roles"], raw["numbers"], raw["dates"]
    months = {m: i + 1 for i, m in enumerate(d["months"])} | {k: int(x) for k, x in d["month_abbrev"].items()}
    units = {w: unit for unit, words in raw["units"].items() for w in words}
    return Profile(
        language, frozenset(v["speech"]), frozenset(v["stance"]), {k: tuple(x) for k, x in v.get("separable", {}).items()}, frozenset(v["not_cues"]), frozenset(v.get("labelling", ())),
        tuple(c["before_source"]), tuple(c["source_patterns"]), tuple(c["after_source"]), frozenset(c["inverted"]), frozenset(c["as_clause"]),
        frozenset(c["complementizers"]), frozenset(c["stance_constructions"]), frozenset(p["masculine"]),
        frozenset(p["feminine"]), frozenset(p["first_person"]), tuple(r["suffixes"]), frozenset(r["titles"]),
        frozenset(r["place_prepositions"]), frozenset(r["function_words"]), {k: float(x) for k, x in n["words"].items()},
        {k: float(x) for k, x in n["scales"].items()}, dict(n["approx"]), units, months, tuple(d["weekdays"]),
        {k: int(x) for k, x in d["relative"].items()}, n["thousands"],
        frozenset(raw.get("subjunctive", {}).get("forms", ())), frozenset(raw.get("subjunctive", {}).get("continuers", ())),
    )

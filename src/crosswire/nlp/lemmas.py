"""Lemmas for the words our rules look up, without spaCy's lemmatizer (a third of the parse time).

Cue verbs: every inflection of the lexicon's lemmas (regular rules plus the irregular forms listed in
``cues.toml``) maps back to its lemma. Nouns: regular English plurals are singularised ("drones" →
"drone"), enough to name what a number counts.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from crosswire.nlp.cues import load_cues

if TYPE_CHECKING:  # spaCy is loaded only by the verbs that parse (stories, articles and reads start without it)
    from spacy.tokens import Token

VOWELS = "aeiou"


def _inflections(verb: str) -> set[str]:
    forms = {verb}
    stem_e = verb[:-1] if verb.endswith("e") else verb
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        forms.add(verb + "es")
    elif verb.endswith("y") and len(verb) > 1 and verb[-2] not in VOWELS:
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied"}
    else:
        forms.add(verb + "s")
    forms |= {stem_e + "ed", stem_e + "ing", verb + "ing", verb + "ed"}
    if len(verb) > 2 and verb[-1] not in VOWELS + "wxy" and verb[-2] in VOWELS:
        forms |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}  # admit → admitted, plan → planning
    return forms


@cache
def verb_forms() -> dict[str, str]:
    """Every known inflected form of a cue verb → its lemma."""
    cues = load_cues()
    data = tomllib.loads(resources.files("crosswire.resources").joinpath("cues.toml").read_text(encoding="utf-8"))
    table: dict[str, str] = {}
    for lemma in sorted(cues.verbs | {"be", "have", "do"} | set(data["acts"]["omissions"])):  # "failed to mention"
        for form in _inflections(lemma):
            table.setdefault(form, lemma)
    for lemma, forms in data["irregular"].items():
        for form in forms:
            table[form] = lemma
    return table


def lemma(tok: Token) -> str:
    """The lemma our rules need: cue verbs and venue nouns by table, other nouns singularised."""
    low = tok.lower_
    if tok.pos_ in ("VERB", "AUX"):
        return verb_forms().get(low, low)
    if tok.pos_ in ("NOUN", "PROPN"):
        return singular(low)
    return low


def singular(noun: str) -> str:
    """``drones`` → ``drone``, ``casualties`` → ``casualty``, ``buses`` → ``bus``; irregular plurals stay."""
    if len(noun) <= 3 or not noun.endswith("s") or noun.endswith(("ss", "us", "is")):
        return noun
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    if noun.endswith(("ches", "shes", "xes", "sses", "zes")):
        return noun[:-2]
    return noun[:-1]

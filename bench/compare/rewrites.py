"""Deterministic, rule-based rewrites of sentence templates: the paraphrase and reorder distractors and the copy chain.

They only touch plain words; slot characters (see slots.py) pass through unchanged, so every fact keeps its value.
"""

from __future__ import annotations

import random
import re
from functools import cache

from bench.compare.corpus import load_lexicon
from bench.compare.slots import SLOT_BASE

SLOT = "[\ue000-\ue8ff]"  # one slot character (ids below 0x900 are plenty for one story)
SPEECH = r"(?:said|says|added|stated|told reporters)"


@cache
def _synonym_re() -> tuple[re.Pattern[str], dict[str, str]]:
    table = dict(load_lexicon()["synonyms"])
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(table, key=len, reverse=True)) + r")\b"), table


def swap_synonyms(template: str, rng: random.Random, rate: float) -> str:
    """Replace listed words by a fact-neutral synonym, each with probability rate (one pass, no ping-pong)."""
    pattern, table = _synonym_re()
    return pattern.sub(lambda m: table[m.group()] if rng.random() < rate else m.group(), template)


def lower_first(clause: str) -> str:
    """Lower-case the first word when it is a common sentence starter (never a name: "Escalante was" stays)."""
    head = clause.split(" ", 1)[0]
    return clause[0].lower() + clause[1:] if head in load_lexicon()["sentence_starters"] else clause


def drop_adverbs(template: str) -> str:
    """Remove fact-neutral adverbs ("also", "very", "obviously"), as an editor tightening copy would."""
    words = "|".join(re.escape(w) for w in load_lexicon()["droppable_adverbs"])
    return re.sub(rf"(?<=[a-z,]) (?:{words})(?= [a-z])", "", template)


def move_attribution(template: str) -> str:
    """"X, S said." → "According to S, x." (the statement and its speaker slot unchanged)."""
    m = re.match(rf"^([^\"“”]+), ({SLOT}|the [a-z]+|police|officials) {SPEECH}\.$", template)
    if not m or not m.group(1)[:1].isalpha():
        return template
    return f"According to {m.group(2)}, {lower_first(m.group(1))}."


def _simple_clause(text: str) -> bool:
    """One short clause without quotes or a second verb phrase, where moving a time adverbial keeps its meaning."""
    return len(text) < 100 and not re.search(r"[,;\"“”]| and | that | who | which | when | where | after | before | while ", text)


def move_adverbial(template: str) -> str:
    """"On <date>, X did Y." ↔ "X did Y on <date>.", only for a simple clause (else the date could attach elsewhere)."""
    m = re.match(rf"^On ({SLOT}), (.+)\.$", template)
    if m and _simple_clause(m.group(2)):
        rest = m.group(2)
        return f"{rest[0].upper()}{rest[1:]} on {m.group(1)}."
    m = re.match(rf"^(.+) on ({SLOT})\.$", template)
    if m and _simple_clause(m.group(1)):
        return f"On {m.group(2)}, {lower_first(m.group(1))}."
    return template


def reported_speech(template: str) -> str:
    """'"Q," S said.' or '"Q," said S.' → 'S said that q.' (quotation marks gone, as after translation)."""
    m = re.match(rf"^[\"“](.+?)[,.]?[\"”],? (?:({SLOT}|he|she|they) {SPEECH}|{SPEECH} ({SLOT}))(.*)\.$", template)
    if not m:
        return template
    speaker = m.group(2) or m.group(3)
    speaker = speaker[0].upper() + speaker[1:]
    return f"{speaker} said{m.group(4)} that {lower_first(m.group(1))}."


def translation_tweaks(template: str) -> str:
    """Surface effects of a round trip through another language: honorifics dropped, abbreviations spelled out."""
    lex = load_lexicon()
    for title in lex["titles_dropped"]:
        template = template.replace(title, "")
    for short, long in lex["expansions"]:
        template = template.replace(short, long)
    return template


def reorder(sentences: list[str], rng: random.Random, swaps: int) -> list[str]:
    """Swap `swaps` random adjacent pairs after the lead sentence."""
    out = list(sentences)
    for _ in range(swaps):
        if len(out) > 2:
            i = rng.randrange(1, len(out) - 1)
            out[i], out[i + 1] = out[i + 1], out[i]
    return out


def drop(sentences: list[str], rng: random.Random, share: float, keep: set[int] = frozenset()) -> list[str]:
    """Drop about `share` of the sentences after the lead, never those whose slot ids are in `keep`."""
    return [s for i, s in enumerate(sentences) if i == 0 or _carries(s, keep) or rng.random() >= share]


def merge(sentences: list[str], rng: random.Random, share: float) -> list[str]:
    """Merge about `share` of adjacent sentence pairs into one: "A. The b." → "A, and the b." (never three in a row)."""
    out: list[str] = []
    merged_last = False
    for s in sentences:
        head = s.split(" ", 1)[0]
        joinable = out and out[-1].endswith(".") and not re.search(r"[\"”“]", out[-1] + s) and head not in ("But", "And", "However", "Yet", "So")
        if joinable and not merged_last and rng.random() < share:
            s = lower_first(s)
            out[-1] = f"{out[-1][:-1]}, and {s}"
            merged_last = True
        else:
            out.append(s)
            merged_last = False
    return out


def split_long(template: str) -> list[str]:
    """Cut a long sentence at its first ", and " / "; " into two sentences, as translation engines often do."""
    m = re.search(r", and (?=[a-z])|; (?=[a-z])", template)
    if len(template) < 120 or not m or re.search(r"[\"“”]|\b(?:said|says|told|stated|added|declared|indicated)\b", template):
        return [template]
    second = template[m.end() :]
    return [template[: m.start()] + ".", second[0].upper() + second[1:]]


def translation_words(template: str) -> str:
    """Word choices typical of translated news ("arrested" → "taken into custody"), all fact-neutral."""
    for plain, translated in load_lexicon()["translation_words"]:
        template = re.sub(rf"\b{re.escape(plain)}\b", translated, template)
    return template


def _carries(template: str, ids: set[int]) -> bool:
    return any(ord(c) - SLOT_BASE in ids for c in template)


def paragraphs(sentences: list[str], rng: random.Random) -> list[list[str]]:
    """Group sentences into paragraphs of one to three."""
    out: list[list[str]] = []
    i = 0
    while i < len(sentences):
        n = rng.choice([1, 2, 2, 3])
        out.append(sentences[i : i + n])
        i += n
    return out

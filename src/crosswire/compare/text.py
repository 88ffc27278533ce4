"""Text units for comparison: sentences and word tokens with their spans, shingles, the word lists.

Language-independent on purpose: comparison must work for articles the analyser does not cover.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from crosswire.resources.word_lists import word_list

WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’»)]*\s+(?=[\"“‘«(]?[A-ZÀ-ÖØ-Þ0-9])|\n+")
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen lt col sgt capt maj adm gov sen rep st jr sr vs etc inc ltd co corp u.s u.k no jan feb mar "
    "apr jun jul aug sep sept oct nov dec".split()
)
STOP = word_list("compare_stop")


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # lower-cased
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    tokens: tuple[Token, ...]
    words: frozenset[str] = frozenset()  # computed once (alignment asks for them thousands of times)
    content_words: frozenset[str] = frozenset()

    @classmethod
    def of(cls, index: int, start: int, end: int, toks: tuple[Token, ...]) -> Sentence:
        """A sentence with its word sets."""
        words = frozenset(t.text for t in toks)
        return cls(index, start, end, toks, words, words - STOP)


def tokens(text: str, start: int = 0, end: int | None = None) -> tuple[Token, ...]:
    """Word tokens (numbers kept whole: ``8,000``) of ``text[start:end]`` with absolute spans."""
    return tuple(Token(m.group(0).lower(), m.start(), m.end()) for m in WORD.finditer(text, start, len(text) if end is None else end))


def sentences(text: str) -> list[Sentence]:
    """Sentences with spans; paragraph breaks always end one; abbreviations ("Gen.", "U.S.") do not.

    One of two splitters on purpose: the comparison aligns and quotes sentences, so a quotation of several
    sentences is split like any prose and every line is its own unit (a headline, a caption), in any language.
    ``nlp.lang.text.sentences`` serves the statement rules of German, Russian and Ukrainian: it never breaks
    inside a quotation (a quote is one statement) and knows those languages' abbreviations and ordinals. On the
    seeds and the demo corpus they agree on 6 of 19 articles; alignment, fact slots and the stored comparisons are
    calibrated on this one."""
    out: list[Sentence] = []
    start = 0
    for m in SENTENCE_END.finditer(text):
        before = text[max(start, m.start() - 6) : m.start()].lower().split()
        if before and before[-1].rstrip(".") in ABBREVIATIONS and "\n" not in m.group(0):
            continue
        _add(out, text, start, m.start())
        start = m.end()
    _add(out, text, start, len(text))
    return out


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    toks = tokens(text, start, end)
    if toks:
        out.append(Sentence.of(len(out), start, end, toks))


def shingles(toks: tuple[Token, ...] | list[Token], n: int = 3) -> set[tuple[str, ...]]:
    words = [t.text for t in toks]
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def similarity(a: Sentence, b: Sentence) -> float:
    """Dice coefficient of content words: 1.0 for the same sentence, ~0.6 for a light paraphrase."""
    wa, wb = a.content_words, b.content_words
    if not wa or not wb:
        return 0.0
    return 2 * len(wa & wb) / (len(wa) + len(wb))


def containment(a: Sentence, b: Sentence) -> float:
    """Share of ``b``'s content words found in ``a`` (a merged sentence contains both of its parts)."""
    wb = b.content_words
    return len(a.content_words & wb) / len(wb) if wb else 0.0


@dataclass(frozen=True, slots=True)
class Lexicon:
    approx: tuple[str, ...]
    hedge: tuple[str, ...]
    time: tuple[str, ...]
    negation: frozenset[str]
    ladders: dict[str, tuple[str, ...]]
    weekdays: frozenset[str]
    months: frozenset[str]
    modality: dict[str, tuple[str, ...]]  # class → phrases, weakest commitment first
    cues: dict[str, frozenset[str]]  # class → cue words
    concepts: dict[str, str]  # word → the predicate or object it names
    qualifiers_longest_first: tuple[str, ...] = ()  # "at least" is tried before "least"

    @property
    def qualifiers(self) -> tuple[str, ...]:
        return self.approx + self.hedge + self.time

    def qualifier_class(self, phrase: str) -> str:
        """``time``, ``hedge`` or ``approx``: the restriction a qualifier makes, whatever its wording."""
        return "time" if phrase in self.time else "hedge" if phrase in self.hedge else "approx"


@cache
def load_lexicon() -> Lexicon:
    data = tomllib.loads(resources.files("crosswire.resources").joinpath("compare.toml").read_text(encoding="utf-8"))
    q = data["qualifiers"]
    return Lexicon(
        tuple(q["approx"]), tuple(q["hedge"]), tuple(q["time"]), frozenset(data["negation"]["words"]),
        {k: tuple(v) for k, v in data["escalation"].items()},
        frozenset(data["weekdays"]["names"]), frozenset(data["weekdays"]["months"]),
        {k: tuple(v) for k, v in data["modality"].items()},
        {k: frozenset(v) for k, v in data["cues"].items()},
        {w: k for k, words in data["concepts"].items() for w in words},
        tuple(sorted(q["approx"] + q["hedge"] + q["time"], key=lambda p: -len(p.split()))),
    )

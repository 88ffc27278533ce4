"""The article view comparison works on, and sentence alignment between two articles."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from crosswire.compare.text import Sentence, Token, containment, sentences, shingles, similarity, tokens
from crosswire.model import Analysis

ALIGN_SIMILARITY = 0.5  # Dice of content words: a light rewrite of a sentence scores 0.6–0.9, unrelated ones < 0.3
ALIGN_CONTAINMENT = 0.75  # a sentence merged into a longer one keeps ≥ 3/4 of its content words
CROSS_LINGUAL_SIMILARITY = 0.6  # USE-multilingual cosine of a sentence and its translation: 0.7–0.9; related ones ≈ 0.4–0.6
MIN_CONTAINED_WORDS = 5  # … when it has enough of them: "Mr. Kelly said" is contained in many sentences


@dataclass(slots=True)
class Doc:
    """One article of a story, as comparison needs it."""

    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date or datetime; None when unknown
    credited: tuple[str, ...] = ()
    language: str | None = None
    analysis: Analysis | None = None
    sents: list[Sentence] = field(default_factory=list)
    words: tuple[Token, ...] = ()
    grams: set[tuple[str, ...]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.sents = sentences(self.text)
        self.words = tokens(self.text)
        self.grams = shingles(self.words)

    def sentence_at(self, pos: int) -> Sentence | None:
        for s in self.sents:
            if s.start <= pos < s.end:
                return s
        return None


@dataclass(frozen=True, slots=True)
class Pair:
    """Sentence ``a`` of one article answers sentence ``b`` of another."""

    a: Sentence
    b: Sentence
    score: float


def align(a: Doc, b: Doc) -> list[Pair]:
    """For each sentence of ``b``, its best counterpart in ``a`` when they say the same thing
    (by shared words; across languages by multilingual sentence embeddings)."""
    if a.language and b.language and a.language != b.language:
        return _align_across_languages(a, b)
    index: dict[str, list[int]] = defaultdict(list)
    for s in a.sents:
        for w in s.content_words:
            index[w].append(s.index)
    out = []
    for sb in b.sents:
        hits: dict[int, int] = defaultdict(int)
        for w in sb.content_words:
            for i in index.get(w, ()):
                hits[i] += 1
        best: Pair | None = None
        for i, _ in sorted(hits.items(), key=lambda kv: -kv[1])[:8]:
            sa = a.sents[i]
            contained = containment(sa, sb) if len(sb.content_words) >= MIN_CONTAINED_WORDS else 0.0
            score = max(similarity(sa, sb), contained if contained >= ALIGN_CONTAINMENT else 0.0)
            if score >= ALIGN_SIMILARITY and (best is None or score > best.score):
                best = Pair(sa, sb, score)
        if best is not None:
            out.append(best)
    return out


def _align_across_languages(a: Doc, b: Doc) -> list[Pair]:
    from crosswire.stories.signals import embed  # the multilingual encoder, loaded on first use

    if not a.sents or not b.sents:
        return []
    ea = embed([a.text[s.start : s.end] for s in a.sents])
    eb = embed([b.text[s.start : s.end] for s in b.sents])
    sims = eb @ ea.T
    out = []
    for j, sb in enumerate(b.sents):
        i = int(sims[j].argmax())
        if sims[j, i] >= CROSS_LINGUAL_SIMILARITY and _same_numbers(a.sents[i], sb):
            out.append(Pair(a.sents[i], sb, float(sims[j, i])))
    return out


def _same_numbers(a: Sentence, b: Sentence) -> bool:
    """Across languages, digits survive translation: aligned sentences must not disagree on which numbers they hold
    (one may hold none)."""
    na = {t.text for t in a.tokens if t.text[:1].isdigit()}
    nb = {t.text for t in b.tokens if t.text[:1].isdigit()}
    return not na or not nb or bool(na & nb)


def containment_of(target: Doc, source: Doc) -> float:
    """Share of the target's word 3-grams that occur in the source."""
    return len(target.grams & source.grams) / len(target.grams) if target.grams else 0.0

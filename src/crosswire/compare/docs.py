"""The article view comparison works on, and sentence alignment between two articles."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from crosswire.compare.text import Sentence, Token, containment, sentences, shingles, similarity, tokens
from crosswire.model import Analysis

ALIGN_SIMILARITY = 0.5  # Dice of content words: a light rewrite of a sentence scores 0.6–0.9, unrelated ones < 0.3
ALIGN_CONTAINMENT = 0.75  # a sentence merged into a longer one keeps ≥ 3/4 of its content words
CROSS_LINGUAL_SIMILARITY = 0.6  # USE-multilingual cosine of a sentence and its translation: 0.7–0.9; related ones ≈ 0.4–0.6
MIN_CONTAINED_WORDS = 5  # … when it has enough of them: "Mr. Kelly said" is contained in many sentences
CROSS_LINGUAL_CANDIDATES = 3  # an article is aligned across languages with the 3 articles sharing most names and figures
ANCHOR = re.compile(r"\b(?:\d[\d.,]*|[A-ZÀ-ÖØ-Þ][\w-]{3,})")  # figures and capitalised words survive translation


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
    vectors: Any = None  # sentence embeddings (numpy rows), filled by ``Aligner`` only when a translation needs them
    index: dict[str, list[int]] = field(default_factory=dict)  # content word → sentences holding it
    quantities: dict[tuple[int, int], list[Any]] = field(default_factory=dict)  # span → its quantities, found once

    def __post_init__(self) -> None:
        self.sents = sentences(self.text)
        self.words = tokens(self.text)
        self.grams = shingles(self.words)
        for s in self.sents:
            for w in s.content_words:
                self.index.setdefault(w, []).append(s.index)

    def quantities_in(self, start: int, end: int) -> list[Any]:
        """The quantities of ``text[start:end]`` (spans absolute), parsed once per span."""
        if (start, end) not in self.quantities:
            from crosswire.nlp.quantities import find_quantities

            self.quantities[(start, end)] = find_quantities(self.text[start:end], start)
        return self.quantities[(start, end)]

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
    index = a.index
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


class Aligner:
    """Sentence alignment of the articles of one story, each pair computed once; across languages only with the
    few articles sharing most names and figures, their sentences embedded once, in one batch."""

    def __init__(self, docs: Sequence[Doc]) -> None:
        self.docs = list(docs)
        self._pairs: dict[tuple[str, str], list[Pair]] = {}
        self._cross = _cross_lingual_candidates(self.docs)

    def __call__(self, a: Doc, b: Doc) -> list[Pair]:
        key = (a.id, b.id)
        if key not in self._pairs:
            if _cross_lingual(a, b) and frozenset(key) not in self._cross:
                self._pairs[key] = []
            else:
                if _cross_lingual(a, b):
                    embed_sentences([d for d in self.docs if any(d.id in p for p in self._cross)])
                self._pairs[key] = align(a, b)
        return self._pairs[key]


def _cross_lingual(a: Doc, b: Doc) -> bool:
    return bool(a.language and b.language and a.language != b.language)


def _cross_lingual_candidates(docs: list[Doc]) -> set[frozenset[str]]:
    """Pairs of articles in different languages worth aligning: for each article, the few sharing most anchors."""
    if len({d.language for d in docs if d.language}) < 2:
        return set()
    anchors = {d.id: {m.group(0).lower() for m in ANCHOR.finditer(d.text)} for d in docs}
    best: dict[str, set[str]] = {}
    for d in docs:
        others = sorted((o for o in docs if _cross_lingual(d, o)), key=lambda o: (-len(anchors[d.id] & anchors[o.id]), o.id))
        best[d.id] = {o.id for o in others[:CROSS_LINGUAL_CANDIDATES]}
    return {frozenset((a, b)) for a, bs in best.items() for b in bs if a in best[b]}  # mutual: a lone translation
    # is among the candidates of every article of the other language, but only its own few are among its


def embed_sentences(docs: Sequence[Doc]) -> None:
    """Fill ``Doc.vectors`` of the articles that lack them, all their sentences in one batch."""
    todo = [d for d in docs if d.vectors is None]
    if not todo:
        return
    from crosswire.stories.signals import embed  # the multilingual encoder, loaded on first use

    texts = [d.text[s.start : s.end] for d in todo for s in d.sents]
    vectors = embed(texts)
    at = 0
    for d in todo:
        d.vectors = vectors[at : at + len(d.sents)]
        at += len(d.sents)


def _align_across_languages(a: Doc, b: Doc) -> list[Pair]:
    if not a.sents or not b.sents:
        return []
    embed_sentences([a, b])
    sims = b.vectors @ a.vectors.T
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

"""Incremental story grouping: each article joins the most similar story or starts its own.

Similarity to a story blends the multilingual embedding of the article's lead with the story's mean
embedding, and the share of the article's proper names (weighted by rarity) that the story already
has; two dated articles more than a window apart never meet. Candidates come from an inverted index
of names, so the cost per article depends on the stories sharing its names, not on the corpus size.
The result depends only on the articles and their order: one by one or in one batch is the same.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from crosswire.stories.signals import StorySignals

MEMBER_VECTORS = 16  # members compared one by one (beyond them, the story's mean stands for the rest)


@dataclass(frozen=True, slots=True)
class StoryParams:
    """The grouping knobs. Chosen on the seeds and the demo corpus (bench/stories.py --dev), never on ECB+ or NewsWCL50."""

    embedding_weight: float = 0.3  # the rest goes to shared proper names and words
    words_weight: float = 0.5  # share of the non-embedding weight given to shared content words (vs names)
    threshold: float = 0.45  # join a story at or above this blended similarity
    window_days: int = 14  # dated articles further apart than this are different stories
    max_candidates: int = 200  # stories scored per article (most shared-name weight first)


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where an article went, and why."""

    article_id: str
    story_id: str
    score: float  # blended similarity to the story it joined (1.0 for a story's first article)
    embedding: float
    names: float
    shared_names: tuple[str, ...]
    new_story: bool


@dataclass
class _Story:
    id: str
    centroid: np.ndarray
    size: int = 0
    names: Counter[str] = field(default_factory=Counter)
    terms: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    members: list[np.ndarray] = field(default_factory=list)  # the first MEMBER_VECTORS embeddings
    first: date | None = None
    last: date | None = None


class StoryIndex:
    """The running state of incremental grouping (rebuilt by replaying stored signals in order)."""

    def __init__(self, params: StoryParams | None = None) -> None:
        self.params = params or StoryParams()
        self.stories: dict[str, _Story] = {}
        self.by_name: dict[str, set[str]] = defaultdict(set)
        self.name_df: Counter[str] = Counter()
        self.term_df: Counter[str] = Counter()
        self.seen = 0

    def add(self, s: StorySignals) -> Assignment:
        """Place one article: into the most similar story at or above the threshold, else a new one."""
        self._count(s)
        best = self._best(s)
        if best is None or best[0] < self.params.threshold:
            story = _Story(f"s{s.article_id[:12]}", np.zeros_like(s.embedding))
            self.stories[story.id] = story
            assignment = Assignment(s.article_id, story.id, 1.0, 1.0, 1.0, (), True)
        else:
            score, emb, nam, shared, story = best
            assignment = Assignment(s.article_id, story.id, round(score, 4), round(emb, 4), round(nam, 4), shared, False)
        self._join(self.stories[assignment.story_id], s)
        return assignment

    def restore(self, s: StorySignals, story_id: str) -> None:
        """Replay a stored assignment without scoring it (rebuilding the index from the store)."""
        self._count(s)
        if story_id not in self.stories:
            self.stories[story_id] = _Story(story_id, np.zeros_like(s.embedding))
        self._join(self.stories[story_id], s)

    def score(self, s: StorySignals, story_id: str) -> tuple[float, float, float, tuple[str, ...]]:
        """(blended similarity, embedding part, names part, shared names) of an article against a story."""
        story = self.stories[story_id]
        emb, nam, shared = self._similarity(s, story)
        if s.language and story.languages and s.language not in story.languages:
            return emb, emb, nam, shared  # across languages words cannot match: the embedding decides alone
        lexical = (1 - self.params.words_weight) * nam + self.params.words_weight * self._words(s, story)
        return self.params.embedding_weight * emb + (1 - self.params.embedding_weight) * lexical, emb, nam, shared

    def _count(self, s: StorySignals) -> None:
        self.seen += 1
        self.name_df.update(s.names)
        self.term_df.update(t for t, _n in s.terms)

    def _best(self, s: StorySignals) -> tuple[float, float, float, tuple[str, ...], _Story] | None:
        best = None
        for story in self._candidates(s):
            if self._in_window(s, story):
                score = self.score(s, story.id)
                if best is None or score[0] > best[0]:
                    best = (*score, story)
        return best

    def _candidates(self, s: StorySignals) -> list[_Story]:
        weight: Counter[str] = Counter()
        for name in s.names:
            for story_id in self.by_name.get(name, ()):
                weight[story_id] += self._idf(name)
        if not weight:  # no shared names: a translation into another script, or a text without names
            return list(self.stories.values())[-self.params.max_candidates :]
        return [self.stories[sid] for sid, _w in weight.most_common(self.params.max_candidates)]

    def _similarity(self, s: StorySignals, story: _Story) -> tuple[float, float, tuple[str, ...]]:
        norm = float(np.linalg.norm(story.centroid))
        emb = float(s.embedding @ story.centroid) / norm if norm else 0.0
        if story.members:  # a translation or a rewrite is closest to one member, not to the average
            emb = max(emb, float(np.max(np.stack(story.members) @ s.embedding)))
        total = sum(self._idf(n) for n in s.names)
        shared = tuple(sorted((n for n in s.names if n in story.names), key=lambda n: -self._idf(n)))
        names = sum(self._idf(n) for n in shared) / total if total else 0.0
        return emb, names, shared[:8]

    def _words(self, s: StorySignals, story: _Story) -> float:
        """TF-IDF cosine between the article's lead words and the story's (idf over the articles seen so far)."""
        if not s.terms or not story.terms:
            return 0.0
        a = {t: n * self._term_idf(t) for t, n in s.terms}
        dot = sum(w * story.terms[t] * self._term_idf(t) for t, w in a.items() if t in story.terms)
        na = math.sqrt(sum(w * w for w in a.values()))
        nb = math.sqrt(sum((n * self._term_idf(t)) ** 2 for t, n in story.terms.items()))
        return dot / (na * nb) if na and nb else 0.0

    def _term_idf(self, term: str) -> float:
        return math.log((self.seen + 1) / (self.term_df[term] + 1)) + 1.0

    def _in_window(self, s: StorySignals, story: _Story) -> bool:
        day = _day(s.published)
        if day is None or story.first is None or story.last is None:
            return True  # an unknown date never blocks a match
        gap = max((story.first - day).days, (day - story.last).days, 0)
        return gap <= self.params.window_days

    def _join(self, story: _Story, s: StorySignals) -> None:
        story.centroid = story.centroid + s.embedding
        story.size += 1
        if len(story.members) < MEMBER_VECTORS:
            story.members.append(s.embedding)
        story.names.update(s.names)
        story.terms.update(dict(s.terms))
        if s.language:
            story.languages[s.language] += 1
        for name in s.names:
            self.by_name[name].add(story.id)
        day = _day(s.published)
        if day is not None:
            story.first = day if story.first is None else min(story.first, day)
            story.last = day if story.last is None else max(story.last, day)

    def _idf(self, name: str) -> float:
        return math.log((self.seen + 1) / (self.name_df[name] + 1)) + 1.0


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def pair_similarity(a: StorySignals, b: StorySignals, params: StoryParams | None = None) -> float:
    """The blended similarity grouping would give ``b`` against a story made of ``a`` alone."""
    index = StoryIndex(params)
    story_id = index.add(a).story_id
    index._count(b)
    return index.score(b, story_id)[0]

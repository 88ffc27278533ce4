"""Incremental story grouping: each article joins the story it most probably belongs to, or starts its own.

A small pair model (logistic regression over the signals of two articles: embedding and headline similarity,
TF-IDF similarity of words and of proper names, the share of each article's most used names the other never
mentions, shared figures, the language) gives the probability that two articles report the same event; its
weights are trained by ``bench/train_stories.py`` and shipped in ``resources/story_model.json``. An article's
score against a story is the model applied to its *mean* pair signals over all the story's members — average
linkage, computed exactly from running sums kept per story, so the cost per candidate does not grow with the
story. After an article joins, its story is merged with another story whose average link to it (the same model
over the mean signals of every cross pair, again from the running sums) reaches the threshold: an article that
bridges two stories of one event brings them together, as agglomerative average-linkage clustering would.
Stories a person corrected are never merged automatically. Candidates come from an inverted index of names; two
dated articles more than a window apart never meet. The result depends only on the articles and their order: one
by one or in one batch is the same.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from importlib import resources

import numpy as np

from crosswire.stories.signals import StorySignals

FEATURES = ("bias", "same_language", "embedding", "embedding_across", "headline", "words", "names", "names_share", "names_missing",
            "numbers")
TOP_NAMES = 3  # an article's most used names: when the other article never mentions them, it is likely another event
LINK_FLOOR = 0.5  # merge candidates: stories the article scored at least this share of the threshold (the demo's
# German original, ingested after its English translation, scores under the threshold against their story, but its
# own new story's symmetric average link to it reaches it; guarded by tests/test_demo.py)
NUMBER_PRIOR = 2.0  # rarity weight added to an article's figures, so one shared figure alone is weak evidence


@dataclass(frozen=True, slots=True)
class StoryModel:
    """The pair model's weights (one per feature) and the probability at which an article joins a story."""

    weights: dict[str, float]
    threshold: float
    trained_on: str = ""

    def logit(self, features: dict[str, float]) -> float:
        """The model's log-odds that the features describe the same story."""
        return sum(self.weights.get(k, 0.0) * v for k, v in features.items())


@cache
def load_model() -> StoryModel:
    """The shipped pair model (``resources/story_model.json``, written by ``bench/train_stories.py``)."""
    raw = json.loads(resources.files("crosswire.resources").joinpath("story_model.json").read_text("utf-8"))
    return StoryModel({k: float(raw["weights"][k]) for k in FEATURES}, float(raw["threshold"]), raw.get("trained_on", ""))


@dataclass(frozen=True, slots=True)
class StoryParams:
    """The grouping knobs; the pair model and its threshold come from ``story_model.json`` unless given."""

    threshold: float | None = None  # join a story at or above this probability (None: the model's own)
    window_days: int = 14  # dated articles further apart than this are different stories
    max_candidates: int = 40  # stories scored per article (most shared-name weight first)
    model: StoryModel | None = None


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where an article went, and why."""

    article_id: str
    story_id: str
    score: float  # probability that it reports the story's event (1.0 for a story's first article)
    embedding: float  # mean embedding similarity to the story's members
    names: float  # mean TF-IDF similarity of proper names to the story's members
    shared_names: tuple[str, ...]
    new_story: bool
    merged: tuple[str, ...] = ()  # stories merged into this one because the article linked them


@dataclass
class _Story:
    """Running sums over a story's members: the mean of any pair signal is a dot product with one of them."""

    id: str
    order: int = 0  # when it was founded (the older of two merged stories keeps its id)
    size: int = 0
    languages: Counter[str | None] = field(default_factory=Counter)
    embeddings: dict[str | None, np.ndarray] = field(default_factory=dict)  # per language, sum of lead embeddings
    headlines: np.ndarray | None = None  # sum of headline embeddings
    words: dict[str | None, dict[str, float]] = field(default_factory=dict)  # per language, sum of unit TF-IDF vectors
    names: dict[str, float] = field(default_factory=dict)  # sum of unit TF-IDF vectors of names
    has_name: Counter[str] = field(default_factory=Counter)  # members using each name
    top_names: Counter[str] = field(default_factory=Counter)  # Σ over members of 1/len(top) for each of its top names
    has_number: Counter[str] = field(default_factory=Counter)  # members giving each figure
    name_share: dict[str, float] = field(default_factory=dict)  # Σ over members of a name's share of its name weight
    number_share: dict[str, float] = field(default_factory=dict)  # the same for figures
    first: date | None = None
    last: date | None = None


class StoryIndex:
    """The running state of incremental grouping (rebuilt by replaying stored signals in order)."""

    def __init__(self, params: StoryParams | None = None) -> None:
        self.params = params or StoryParams()
        self.model = self.params.model or load_model()
        self.threshold = self.params.threshold if self.params.threshold is not None else self.model.threshold
        self.stories: dict[str, _Story] = {}
        self.by_name: dict[str, set[str]] = defaultdict(set)
        self.name_df: Counter[str] = Counter()
        self.term_df: Counter[str] = Counter()
        self.number_df: Counter[str] = Counter()
        self.seen = 0
        self.locked: set[str] = set()  # stories a person corrected: never merged automatically
        self._also: list[str] = []  # the stories the last article scored at least LINK_FLOOR x the threshold

    def add(self, s: StorySignals) -> Assignment:
        """Place one article: into the most probable story at or above the threshold, else a new one."""
        self._count(s)
        best = self._best(s)
        if best is None or best[0] < self.threshold:
            story = _Story(f"s{s.article_id[:12]}", order=self.seen)
            self.stories[story.id] = story
            assignment = Assignment(s.article_id, story.id, 1.0, 1.0, 1.0, (), True)
        else:
            prob, features, story = best
            shared = self._shared_names(s, story)
            assignment = Assignment(s.article_id, story.id, round(prob, 4), round(features["embedding"] + features["embedding_across"], 4),
                                    round(features["names"], 4), shared, False)  # fmt: skip
        self._join(self.stories[assignment.story_id], s)
        merged = self._merge_linked(assignment.story_id, s)
        if merged is None:
            return assignment
        target, absorbed, link = merged
        if assignment.new_story and assignment.story_id in absorbed:  # its own new story went into an older one
            return replace(assignment, story_id=target, score=round(link, 4), new_story=False, merged=absorbed)
        return replace(assignment, story_id=target, merged=absorbed)

    def _merge_linked(self, story_id: str, s: StorySignals) -> tuple[str, tuple[str, ...], float] | None:
        """Merge the article's story with the stories whose average link to it reaches the threshold, best first;
        the story founded first keeps its id. Returns (final story, absorbed stories, first link) or None."""
        absorbed: list[str] = []
        first_link = 0.0
        while story_id not in self.locked:
            story = self.stories[story_id]
            best = None
            # only a story the article is plausibly about can be linked to its own by it
            for other in (self.stories[sid] for sid in self._also if sid in self.stories):
                if other.id != story_id and other.id not in self.locked and self._windows_meet(story, other):
                    prob = _sigmoid(self.model.logit(self.link(story, other)))
                    if prob >= self.threshold and (best is None or prob > best[0]):
                        best = (prob, other)
            if best is None:
                break
            keep, gone = sorted((story, best[1]), key=lambda st: st.order)
            self._merge(keep, gone)
            first_link = first_link or best[0]
            absorbed.append(gone.id)
            story_id = keep.id
        return (story_id, tuple(absorbed), first_link) if absorbed else None

    def link(self, a: _Story, b: _Story) -> dict[str, float]:
        """The pair signals averaged over every pair of one member of ``a`` and one of ``b`` (average linkage)."""
        pairs = a.size * b.size
        same_langs = [(x, y) for x in a.languages for y in b.languages if _same_language(x, y)]
        emb_all = sum(float(u @ v) for u in a.embeddings.values() for v in b.embeddings.values())
        emb_same = sum(float(a.embeddings[x] @ b.embeddings[y]) for x, y in same_langs)
        top_a = sum(w * (1 - b.has_name[n] / b.size) for n, w in a.top_names.items()) / a.size
        top_b = sum(w * (1 - a.has_name[n] / a.size) for n, w in b.top_names.items()) / b.size
        return {
            "bias": 1.0, "same_language": sum(a.languages[x] * b.languages[y] for x, y in same_langs) / pairs,
            "embedding": emb_same / pairs, "embedding_across": (emb_all - emb_same) / pairs,
            "headline": float(a.headlines @ b.headlines) / pairs if a.headlines is not None and b.headlines is not None else 0.0,
            "words": sum(_dot(a.words[x], b.words[y]) for x, y in same_langs) / pairs,
            "names": _dot(a.names, b.names) / pairs,
            "names_share": (_dot(a.name_share, b.has_name) + _dot(b.name_share, a.has_name)) / (2 * pairs),
            "names_missing": (top_a + top_b) / 2,
            "numbers": (_dot(a.number_share, b.has_number) + _dot(b.number_share, a.has_number)) / (2 * pairs),
        }  # fmt: skip

    def _merge(self, keep: _Story, gone: _Story) -> None:
        """Move every member of ``gone`` into ``keep`` (sums add up) and forget ``gone``."""
        keep.size += gone.size
        keep.languages.update(gone.languages)
        for lang, v in gone.embeddings.items():
            keep.embeddings[lang] = keep.embeddings.get(lang, 0) + v
        if gone.headlines is not None:
            keep.headlines = gone.headlines.copy() if keep.headlines is None else keep.headlines + gone.headlines
        for lang, vec in gone.words.items():
            _accumulate(keep.words.setdefault(lang, {}), vec)
        for mine, theirs in ((keep.names, gone.names), (keep.name_share, gone.name_share), (keep.number_share, gone.number_share)):
            _accumulate(mine, theirs)
        keep.has_name.update(gone.has_name)
        keep.top_names.update(gone.top_names)
        keep.has_number.update(gone.has_number)
        keep.first = min((d for d in (keep.first, gone.first) if d), default=None)
        keep.last = max((d for d in (keep.last, gone.last) if d), default=None)
        for name in gone.has_name:
            self.by_name[name].discard(gone.id)
            self.by_name[name].add(keep.id)
        del self.stories[gone.id]

    def restore(self, s: StorySignals, story_id: str) -> None:
        """Replay a stored assignment without scoring it (rebuilding the index from the store)."""
        self._count(s)
        if story_id not in self.stories:
            self.stories[story_id] = _Story(story_id, order=self.seen)
        self._join(self.stories[story_id], s)

    def probability(self, s: StorySignals, story_id: str) -> float:
        """The model's probability that an article belongs to a story."""
        return _sigmoid(self.model.logit(self.features(s, self.stories[story_id])))

    def features(self, s: StorySignals, story: _Story) -> dict[str, float]:
        """The article's pair signals averaged over the story's members (see FEATURES)."""
        n = story.size
        same = [lang for lang in story.languages if _same_language(s.language, lang)]
        same_share = sum(story.languages[lang] for lang in same) / n
        emb_same = sum(float(s.embedding @ story.embeddings[lang]) for lang in same) / n
        emb_all = sum(float(s.embedding @ v) for v in story.embeddings.values()) / n
        title = s.title_embedding if s.title_embedding is not None else s.embedding
        headline = float(title @ story.headlines) / n if story.headlines is not None else 0.0
        words_vec = self._unit(dict(s.terms), self.term_df)
        words = sum(_dot(words_vec, story.words[lang]) for lang in same) / n
        names_vec = self._unit(dict(s.names), self.name_df)
        return {
            "bias": 1.0, "same_language": same_share, "embedding": emb_same, "embedding_across": emb_all - emb_same,
            "headline": headline, "words": words, "names": _dot(names_vec, story.names) / n,
            "names_share": self._names_share(s, story), "names_missing": self._names_missing(s, story), "numbers": self._numbers(s, story),
        }  # fmt: skip

    def _names_share(self, s: StorySignals, story: _Story) -> float:
        """Mean over members of the share of the article's names (weighted by rarity) the member also uses."""
        total = sum(self._idf(n, self.name_df) for n, _c in s.names)
        found = sum(self._idf(n, self.name_df) * story.has_name[n] for n, _c in s.names if n in story.has_name)
        return found / (total * story.size) if total else 0.0

    def _names_missing(self, s: StorySignals, story: _Story) -> float:
        """Mean over members of: the share of the article's top names the member lacks, and of the member's top
        names the article lacks (averaged)."""
        top = self._top_names(s)
        own = sum(1 - story.has_name[name] / story.size for name in top) / len(top) if top else 0.0
        names = s.name_set
        theirs = sum(w for name, w in story.top_names.items() if name not in names) / story.size
        return (own + theirs) / 2

    def _numbers(self, s: StorySignals, story: _Story) -> float:
        """Mean over members of the share of the article's figures (weighted by rarity) the member also gives."""
        total = sum(self._idf(x, self.number_df) for x in s.numbers) + NUMBER_PRIOR
        found = sum(self._idf(x, self.number_df) * story.has_number[x] for x in s.numbers if x in story.has_number)
        return found / (total * story.size)

    def _top_names(self, s: StorySignals) -> list[str]:
        return sorted((n for n, _c in s.names), key=lambda n: (-dict(s.names)[n] * self._idf(n, self.name_df), n))[:TOP_NAMES]

    def _shared_names(self, s: StorySignals, story: _Story) -> tuple[str, ...]:
        shared = [n for n, _c in s.names if n in story.has_name]
        return tuple(sorted(shared, key=lambda n: (-self._idf(n, self.name_df), n))[:8])

    def _count(self, s: StorySignals) -> None:
        self.seen += 1
        self.name_df.update(n for n, _c in s.names)
        self.term_df.update(t for t, _n in s.terms)
        self.number_df.update(s.numbers)

    def _best(self, s: StorySignals) -> tuple[float, dict[str, float], _Story] | None:
        """The most probable candidate story; the others the article also belongs to are kept as ``_also``."""
        best = None
        self._also: list[str] = []
        for story in self._candidates(s):
            if self._in_window(s, story):
                features = self.features(s, story)
                prob = _sigmoid(self.model.logit(features))
                if prob >= LINK_FLOOR * self.threshold:
                    self._also.append(story.id)
                if best is None or prob > best[0]:
                    best = (prob, features, story)
        return best

    def _candidates(self, s: StorySignals) -> list[_Story]:
        weight: Counter[str] = Counter()
        for name, _c in s.names:
            for story_id in self.by_name.get(name, ()):
                weight[story_id] += self._idf(name, self.name_df)
        if not weight:  # no shared names: a translation into another script, or a text without names
            return list(self.stories.values())[-self.params.max_candidates :]
        ranked = sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))[: self.params.max_candidates]
        return [self.stories[sid] for sid, _w in ranked]

    def _windows_meet(self, a: _Story, b: _Story) -> bool:
        if a.first is None or a.last is None or b.first is None or b.last is None:
            return True
        gap = max((a.first - b.last).days, (b.first - a.last).days, 0)
        return gap <= self.params.window_days

    def _in_window(self, s: StorySignals, story: _Story) -> bool:
        day = _day(s.published)
        if day is None or story.first is None or story.last is None:
            return True  # an unknown date never blocks a match
        gap = max((story.first - day).days, (day - story.last).days, 0)
        return gap <= self.params.window_days

    def _join(self, story: _Story, s: StorySignals) -> None:
        self._absorb(story, s)
        for name, _c in s.names:
            self.by_name[name].add(story.id)

    def _absorb(self, story: _Story, s: StorySignals) -> None:
        """Add a member's signals to a story's running sums."""
        story.size += 1
        story.languages[s.language] += 1
        story.embeddings[s.language] = story.embeddings.get(s.language, 0) + s.embedding
        title = s.title_embedding if s.title_embedding is not None else s.embedding
        story.headlines = title.copy() if story.headlines is None else story.headlines + title
        words = story.words.setdefault(s.language, {})
        _accumulate(words, self._unit(dict(s.terms), self.term_df))
        _accumulate(story.names, self._unit(dict(s.names), self.name_df))
        story.has_name.update(n for n, _c in s.names)
        top = self._top_names(s)
        for name in top:
            story.top_names[name] += 1 / len(top)
        story.has_number.update(s.numbers)
        _accumulate(story.name_share, self._share(dict(s.names), self.name_df))
        _accumulate(story.number_share, self._share(dict.fromkeys(s.numbers, 1), self.number_df, NUMBER_PRIOR))
        day = _day(s.published)
        if day is not None:
            story.first = day if story.first is None else min(story.first, day)
            story.last = day if story.last is None else max(story.last, day)

    def _share(self, counts: dict[str, int], df: Counter[str], prior: float = 0.0) -> dict[str, float]:
        """Each key's share of the total rarity weight (what ``names_share`` and ``numbers`` sum over)."""
        total = sum(self._idf(k, df) for k in counts) + prior
        return {k: self._idf(k, df) / total for k in counts} if total else {}

    def _unit(self, counts: dict[str, int], df: Counter[str]) -> dict[str, float]:
        """Log-scaled counts times rarity, L2-normalised."""
        vec = {k: (1 + math.log(c)) * self._idf(k, df) for k, c in counts.items() if c > 0}
        norm = math.sqrt(sum(v * v for v in vec.values()))
        return {k: v / norm for k, v in vec.items()} if norm else {}

    def _idf(self, key: str, df: Counter[str]) -> float:
        return math.log((self.seen + 1) / (df[key] + 1)) + 1.0


def _accumulate(total: dict[str, float], vec: dict[str, float]) -> None:
    for k, v in vec.items():
        total[k] = total.get(k, 0.0) + v


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[k] for k, v in a.items() if k in b)


def _same_language(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def pair_features(a: StorySignals, b: StorySignals, index: StoryIndex | None = None) -> dict[str, float]:
    """The pair signals of ``b`` against a story made of ``a`` alone (rarities from ``index`` when given, which
    must have counted both)."""
    index = index or StoryIndex(StoryParams(model=StoryModel(dict.fromkeys(FEATURES, 0.0), 0.5)))
    if index.seen == 0:
        index._count(a)
        index._count(b)
    story = _Story("pair")
    index._absorb(story, a)
    return index.features(b, story)


def pair_similarity(a: StorySignals, b: StorySignals, params: StoryParams | None = None) -> float:
    """The probability grouping would give ``b`` against a story made of ``a`` alone."""
    index = StoryIndex(params)
    return _sigmoid(index.model.logit(pair_features(a, b, index)))

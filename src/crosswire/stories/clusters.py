"""Incremental story grouping: each article joins a story, starts one, or regroups the stories it could belong to.

A small pair model (logistic regression over the signals of two articles: embedding and headline similarity,
TF-IDF similarity of words and of proper names, the share of each article's most used names the other never
mentions, shared figures, the language) gives the probability that two articles report the same event; its
weights are trained by ``bench/train_stories.py`` and shipped in ``resources/story_model.json``. An article's
score against a story is the model applied to its *mean* pair signals over all the story's members — average
linkage, computed exactly from running sums kept per story, so the cost per candidate does not grow with the
story. When one story is in reach (scored at least ``LINK_FLOOR`` x the threshold) and the article reaches the
threshold against it and against each of its members, it joins. Otherwise the stories in reach and the article
are grouped again from scratch by agglomerative average linkage down to the threshold, and replace those stories:
an article that bridges two stories of one event merges them, and one that pairs better with a member than the member's story does takes it
along — so a story formed early, on little evidence, is mended as evidence arrives. Each old story's id goes to
the group holding most of its members; every article that changed story is reported with its new reasons.
Stories a person corrected are never regrouped. Candidates come from an inverted index of names; two dated
articles more than a window apart never meet. The result depends only on the articles and their order: one by
one, in one batch, or continued after rebuilding the index from the store is the same.
"""

from __future__ import annotations

import heapq
import json
import math
import operator
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from importlib import resources

import numpy as np

from crosswire.stories.signals import StorySignals

FEATURES = ("bias", "same_language", "embedding", "embedding_across", "headline", "words", "names", "names_share", "names_missing",
            "numbers")
TOP_NAMES = 3  # an article's most used names: when the other article never mentions them, it is likely another event
LINK_FLOOR = 0.5  # stories in reach: the article scored at least this share of the threshold against them (the
# demo's German original, ingested after its English translation, scores under the threshold against their story but
# pairs with the translation above it when regrouped; guarded by tests/test_demo.py)
PAIR_CACHE = 200_000  # pair signals kept between regroups (about 70 MB)
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
    max_pool: int = 80  # articles regrouped around an arrival at most (the most probable stories first)
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
    merged: tuple[str, ...] = ()  # stories that no longer exist: regrouping around this article merged them
    moved: tuple[Assignment, ...] = ()  # earlier articles whose story changed, with their new reasons


@dataclass(frozen=True, slots=True)
class _Member:
    """One article's share of its story's sums, fixed when it arrived (word and name rarities as of then, so
    replaying the store rebuilds exactly the same sums)."""

    article_id: str
    seq: int  # arrival order
    language: str | None
    embedding: np.ndarray
    headline: np.ndarray
    words: dict[str, float]  # unit TF-IDF vector of content words
    names: dict[str, float]  # unit TF-IDF vector of proper names
    top: tuple[str, ...]  # its most used names (TOP_NAMES)
    numbers: frozenset[str]
    name_share: dict[str, float]  # each name's share of the article's name rarity
    number_share: dict[str, float]  # the same for figures (with NUMBER_PRIOR)
    day: date | None


@dataclass
class _Story:
    """Running sums over a story's members: the mean of any pair signal is a dot product with one of them."""

    id: str
    order: int = 0  # its first member's arrival (ties between stories go to the older)
    members: list[_Member] = field(default_factory=list)
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

    @property
    def size(self) -> int:
        return len(self.members)

    @classmethod
    def alone(cls, m: _Member) -> _Story:
        """A one-article story (to score an article against stories with ``StoryIndex.link``)."""
        story = cls("article")
        story.absorb(m)
        return story

    def absorb(self, m: _Member) -> None:
        """Add a member's signals to the sums."""
        self.members.append(m)
        self.languages[m.language] += 1
        self.embeddings[m.language] = self.embeddings.get(m.language, 0) + m.embedding
        self.headlines = m.headline.copy() if self.headlines is None else self.headlines + m.headline
        _accumulate(self.words.setdefault(m.language, {}), m.words)
        _accumulate(self.names, m.names)
        self.has_name.update(m.names.keys())  # members using each name (not its weight)
        for name in m.top:
            self.top_names[name] += 1 / len(m.top)  # type: ignore[assignment]  # a Counter of fractions (typeshed: int only)
        self.has_number.update(m.numbers)
        _accumulate(self.name_share, m.name_share)
        _accumulate(self.number_share, m.number_share)
        if m.day is not None:
            self.first = m.day if self.first is None else min(self.first, m.day)
            self.last = m.day if self.last is None else max(self.last, m.day)


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
        self.locked: set[str] = set()  # stories a person corrected: never regrouped automatically
        self._weight_list = [self.model.weights[k] for k in FEATURES]
        self._weights = np.array(self._weight_list)
        self._cut = math.log(self.threshold / (1 - self.threshold)) if 0 < self.threshold < 1 else (-math.inf if self.threshold <= 0 else math.inf)
        self._pairs: dict[tuple[int, int], tuple[float, ...]] = {}  # pair signals of two members (fixed once both arrived)

    def add(self, s: StorySignals) -> Assignment:
        """Place one article, regrouping the stories it is plausibly about (see the module docstring)."""
        self._count(s)
        m = self._member(s)
        scored = self._scored(m)
        if scored and scored[0][2].id in self.locked and scored[0][0] >= self.threshold:
            return self._joined(m, *scored[0])  # a story a person corrected: joined as it is
        pool, room = [], self.params.max_pool - 1
        for prob, _features, story in scored:
            if prob >= LINK_FLOOR * self.threshold and story.id not in self.locked and story.size <= room:
                pool.append(story)
                room -= story.size
        if len(pool) == 1 and scored[0][2] is pool[0] and scored[0][0] >= self.threshold and self._pairs_all_reach(m, pool[0]):
            return self._joined(m, *scored[0])  # the one story in reach takes it, and so does each member: nothing to regroup
        if not pool:
            story = _Story(self._fresh_id([m], self.stories.__contains__), order=m.seq)
            self.stories[story.id] = story
            self._join(story, m)
            return Assignment(s.article_id, story.id, 1.0, 1.0, 1.0, (), True)
        return self._regroup(m, pool)

    def _pairs_all_reach(self, m: _Member, story: _Story) -> bool:
        """Whether the article pairs with every member of the story at or above the threshold (if one member does not,
        regrouping may show that member belongs elsewhere)."""
        if story.size == 1:  # its one member's pair is the story's score
            return True
        weights, cached = self._weight_list, self._pairs
        return all(sum(map(operator.mul, weights, cached.get((x.seq, m.seq)) or _pair(m, x))) >= self._cut for x in story.members)

    def _joined(self, m: _Member, prob: float, features: dict[str, float], story: _Story) -> Assignment:
        """Add the article to a story as it is."""
        shared = self._shared_names(m, story)
        self._join(story, m)
        return Assignment(m.article_id, story.id, round(prob, 4), round(features["embedding"] + features["embedding_across"], 4),
                          round(features["names"], 4), shared, False)  # fmt: skip

    def _regroup(self, m: _Member, pool: list[_Story]) -> Assignment:
        """Group the pool's members and the new article again from scratch (average linkage over the pair model,
        down to the threshold), replace the pool's stories by the result, and report every article that moved."""
        members = sorted([x for story in pool for x in story.members] + [m], key=lambda x: x.seq)
        new = len(members) - 1  # the article arrived last
        features = self._pair_matrix(members)
        clusters = self._agglomerate(members, features @ self._weights)
        before = {x.article_id: story.id for story in pool for x in story.members}
        ids = self._name_clusters(members, clusters, pool)
        old = {story.id: story for story in pool}
        kept = {sid for cluster, sid in zip(clusters, ids, strict=True)
                if sid in old and {x.article_id for x in old[sid].members} == {members[i].article_id for i in cluster} - {m.article_id}}  # fmt: skip
        for story in pool:
            if story.id not in kept:
                self._drop(story)
        result: dict[str, Assignment] = {}
        for cluster, sid in zip(clusters, ids, strict=True):
            if sid in kept:  # unchanged but for the new article, which arrived last: its sums only grow
                if new in cluster:
                    self._join(old[sid], m)
                    result[m.article_id] = self._why(new, cluster, features, members, old[sid])
                continue
            story = _Story(sid, order=members[cluster[0]].seq)  # as replaying the store would found it
            self.stories[sid] = story
            for i in cluster:
                self._join(story, members[i])
            for i in cluster:
                x = members[i]
                if x is m or before.get(x.article_id) != sid:
                    result[x.article_id] = self._why(i, cluster, features, members, story)
        gone = tuple(sorted(sid for sid in before.values() if sid not in self.stories))
        moved = tuple(a for aid, a in result.items() if aid != m.article_id)
        return replace(result[m.article_id], merged=gone, moved=moved)

    def _why(self, i: int, cluster: list[int], features: np.ndarray, members: list[_Member], story: _Story) -> Assignment:
        """Member ``i``'s assignment: its mean pair signals with the rest of its new story."""
        x = members[i]
        others = [j for j in cluster if j != i]
        if not others:
            return Assignment(x.article_id, story.id, 1.0, 1.0, 1.0, (), True)
        mean = features[i, others].mean(axis=0)
        f = dict(zip(FEATURES, mean, strict=True))
        names = {n for j in others for n in members[j].names}
        shared = tuple(sorted((n for n in x.names if n in names), key=lambda n: (-self._idf(n, self.name_df), n))[:8])
        return Assignment(x.article_id, story.id, round(_sigmoid(float(mean @ self._weights)), 4),
                          round(float(f["embedding"] + f["embedding_across"]), 4), round(float(f["names"]), 4), shared, False)  # fmt: skip

    def _agglomerate(self, members: list[_Member], logits: np.ndarray) -> list[list[int]]:
        """Average-linkage clustering down to the threshold. The model is linear in the pair signals and a merged
        group's mean signals are the size-weighted mean of its parts' (Lance-Williams), so its log-odds against
        any group are the size-weighted mean of its parts' too: each merge costs one row. Groups whose dates lie
        more than the window apart never merge. Ties go to the earliest members."""
        n = len(members)
        live = logits.copy()  # the log-odds of the groups still open, -inf elsewhere
        np.fill_diagonal(live, -np.inf)
        size = np.ones(n)
        alive = np.ones(n, dtype=bool)
        groups = {i: [i] for i in range(n)}
        first = [x.day for x in members]
        last = [x.day for x in members]
        while len(groups) > 1:
            i, j = divmod(int(np.argmax(live)), n)
            if live[i, j] < self._cut:
                break
            i, j = min(i, j), max(i, j)
            if not self._days_meet(first[i], last[i], first[j], last[j]):
                live[i, j] = live[j, i] = -np.inf
                continue
            logits[i] = logits[:, i] = (size[i] * logits[i] + size[j] * logits[j]) / (size[i] + size[j])
            size[i] += size[j]
            alive[j] = False
            row = np.where(alive, logits[i], -np.inf)
            row[i] = -np.inf
            live[i] = live[:, i] = row
            live[j] = live[:, j] = -np.inf
            groups[i] += groups.pop(j)
            first[i] = min((d for d in (first[i], first[j]) if d), default=None)
            last[i] = max((d for d in (last[i], last[j]) if d), default=None)
        return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])

    def _name_clusters(self, members: list[_Member], clusters: list[list[int]], pool: list[_Story]) -> list[str]:
        """Story ids for the regrouped clusters: each old story's id goes to the cluster holding most of its
        members (the older story first), the other clusters get a fresh id from their first article."""
        where = {x.article_id: story for story in pool for x in story.members}
        overlap = []
        for c, cluster in enumerate(clusters):
            counts = Counter(where[members[i].article_id].id for i in cluster if members[i].article_id in where)
            overlap += [(-n, self.stories[sid].order, c, sid) for sid, n in counts.items()]
        ids: list[str | None] = [None] * len(clusters)
        used: set[str] = set()
        for _n, _order, c, sid in sorted(overlap):
            if ids[c] is None and sid not in used:
                ids[c] = sid
                used.add(sid)
        pool_ids = {story.id for story in pool}
        for c, cluster in enumerate(clusters):
            if ids[c] is None:
                ids[c] = self._fresh_id([members[i] for i in cluster],
                                        lambda sid: sid in used or (sid in self.stories and sid not in pool_ids))
                used.add(ids[c] or "")
        return [sid for sid in ids if sid is not None]

    def _fresh_id(self, members: list[_Member], taken: Callable[[str], bool]) -> str:
        """A free story id: "s" + the first member's article id whose id is free, else the first member's with its
        arrival number (and a counter, when regrouping churn took that too: a taken id would overwrite a live story
        and lose its articles)."""
        for x in members:
            if not taken(f"s{x.article_id[:12]}"):
                return f"s{x.article_id[:12]}"
        sid = base = f"s{members[0].article_id[:12]}-{members[0].seq}"
        extra = 1
        while taken(sid):
            sid, extra = f"{base}-{extra}", extra + 1
        return sid

    def _drop(self, story: _Story) -> None:
        """Forget a story (its members are being regrouped)."""
        for name in story.has_name:
            self.by_name[name].discard(story.id)
        del self.stories[story.id]

    def _pair_of(self, a: _Member, b: _Member) -> tuple[float, ...]:
        key = (a.seq, b.seq) if a.seq < b.seq else (b.seq, a.seq)
        vec = self._pairs.get(key)
        if vec is None:
            if len(self._pairs) >= PAIR_CACHE:  # a bound on memory; dropped pairs are recomputed identically
                self._pairs.clear()
            vec = self._pairs[key] = _pair(a, b)
        return vec

    def _pair_matrix(self, members: list[_Member]) -> np.ndarray:
        """The pair signals of every two members (cached: a pair's signals never change once both arrived)."""
        n = len(members)
        out = np.zeros((n, n, len(FEATURES)))
        for i in range(n):
            for j in range(i + 1, n):
                out[i, j] = out[j, i] = self._pair_of(members[i], members[j])
        return out

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

    def restore(self, s: StorySignals, story_id: str) -> None:
        """Replay a stored assignment without scoring it (rebuilding the index from the store)."""
        self._count(s)
        if story_id not in self.stories:
            self.stories[story_id] = _Story(story_id, order=self.seen)
        self._join(self.stories[story_id], self._member(s))

    def features(self, s: StorySignals, story: _Story) -> dict[str, float]:
        """An article's pair signals averaged over a story's members (see FEATURES)."""
        return self.link(_Story.alone(self._member(s)), story)

    def assignments(self) -> dict[str, str]:
        """Every article's story."""
        return {x.article_id: story.id for story in self.stories.values() for x in story.members}

    def _scored(self, m: _Member) -> list[tuple[float, dict[str, float], _Story]]:
        """The candidate stories in the article's time window with its probability for each, most probable first."""
        single = _Story.alone(m)
        scored = []
        for story in self._candidates(m):
            if self._days_meet(m.day, m.day, story.first, story.last):
                features = self.link(single, story)
                scored.append((_sigmoid(self.model.logit(features)), features, story))
        return sorted(scored, key=lambda t: (-t[0], t[2].order))

    def _shared_names(self, m: _Member, story: _Story) -> tuple[str, ...]:
        shared = [n for n in m.names if n in story.has_name]
        return tuple(sorted(shared, key=lambda n: (-self._idf(n, self.name_df), n))[:8])

    def _count(self, s: StorySignals) -> None:
        self.seen += 1
        self.name_df.update(n for n, _c in s.names)
        self.term_df.update(t for t, _n in s.terms)
        self.number_df.update(s.numbers)

    def _member(self, s: StorySignals) -> _Member:
        """The article's contribution, with the rarities counted so far (``_count`` it first)."""
        counts, terms = dict(s.names), dict(s.terms)
        name_idf = {n: self._idf(n, self.name_df) for n in counts}
        top = tuple(sorted(counts, key=lambda n: (-counts[n] * name_idf[n], n))[:TOP_NAMES])
        title = s.title_embedding if s.title_embedding is not None else s.embedding
        return _Member(
            s.article_id, self.seen, s.language, s.embedding, title, _unit(terms, {t: self._idf(t, self.term_df) for t in terms}),
            _unit(counts, name_idf), top, s.numbers, _share(name_idf),
            _share({x: self._idf(x, self.number_df) for x in s.numbers}, NUMBER_PRIOR), _day(s.published),
        )  # fmt: skip

    def _candidates(self, m: _Member) -> list[_Story]:
        weight: Counter[str] = Counter()
        for name in m.names:
            for story_id in self.by_name.get(name, ()):
                weight[story_id] += self._idf(name, self.name_df)  # type: ignore[assignment]  # a Counter of weights
        if not weight:  # no shared names: a translation into another script, or a text without names
            return heapq.nlargest(self.params.max_candidates, self.stories.values(), key=lambda st: st.order)
        ranked = sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))[: self.params.max_candidates]
        return [self.stories[sid] for sid, _w in ranked]

    def _days_meet(self, a_first: date | None, a_last: date | None, b_first: date | None, b_last: date | None) -> bool:
        """Whether two date ranges lie within the window of each other (an unknown date never blocks a match)."""
        if a_first is None or a_last is None or b_first is None or b_last is None:
            return True
        return max((a_first - b_last).days, (b_first - a_last).days, 0) <= self.params.window_days

    def _join(self, story: _Story, m: _Member) -> None:
        story.absorb(m)
        for name in m.names:
            self.by_name[name].add(story.id)

    def _idf(self, key: str, df: Counter[str]) -> float:
        return math.log((self.seen + 1) / (df[key] + 1)) + 1.0


def _pair(a: _Member, b: _Member) -> tuple[float, ...]:
    """The pair signals of two members, in FEATURES order (``StoryIndex.link`` of two one-article stories)."""
    same = _same_language(a.language, b.language)
    emb = float(a.embedding @ b.embedding)
    names = a.names.keys() & b.names.keys()
    figures = a.numbers & b.numbers
    top_a = sum(1 for n in a.top if n not in b.names) / len(a.top) if a.top else 0.0
    top_b = sum(1 for n in b.top if n not in a.names) / len(b.top) if b.top else 0.0
    return (
        1.0, float(same), emb if same else 0.0, 0.0 if same else emb, float(a.headline @ b.headline),
        _dot(a.words, b.words) if same else 0.0, sum(a.names[k] * b.names[k] for k in names),
        sum(a.name_share[k] + b.name_share[k] for k in names) / 2, (top_a + top_b) / 2,
        sum(a.number_share[k] + b.number_share[k] for k in figures) / 2,
    )  # fmt: skip


def _share(idf: dict[str, float], prior: float = 0.0) -> dict[str, float]:
    """Each key's share of the total rarity weight (what ``names_share`` and ``numbers`` sum over)."""
    total = sum(idf.values()) + prior
    return {k: v / total for k, v in idf.items()} if total else {}


def _unit(counts: dict[str, int], idf: dict[str, float]) -> dict[str, float]:
    """Log-scaled counts times rarity, L2-normalised."""
    vec = {k: (1 + math.log(c)) * idf[k] for k, c in counts.items() if c > 0}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / norm for k, v in vec.items()} if norm else {}


def _accumulate(total: dict[str, float], vec: dict[str, float]) -> None:
    for k, v in vec.items():
        total[k] = total.get(k, 0.0) + v


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
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
    """The pair signals of two articles, as grouping computes them (rarities from ``index`` when given, which
    must have counted both)."""
    index = index or StoryIndex(StoryParams(model=StoryModel(dict.fromkeys(FEATURES, 0.0), 0.5)))
    if index.seen == 0:
        index._count(a)
        index._count(b)
    return dict(zip(FEATURES, (float(v) for v in _pair(index._member(a), index._member(b))), strict=True))


def pair_similarity(a: StorySignals, b: StorySignals, params: StoryParams | None = None) -> float:
    """The probability the pair model gives two articles of reporting the same event."""
    index = StoryIndex(params)
    return _sigmoid(index.model.logit(pair_features(a, b, index)))

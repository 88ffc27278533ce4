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
Stories a person corrected are never regrouped. Two dated articles more than a window apart never meet.

Candidates are the stories with a member inside the article's window of days (its date ± ``window_days``; an
undated article takes the previous arrival's date, and before any dated arrival every story is in the window):
those sharing the most rarity-weighted names with it (an inverted index of names) and those of its nearest members
by lead embedding (``stories.neighbours``: exact for small weeks, an HNSW graph for busy ones).

Backed by a store (``StoryArchive``), the index keeps in memory only the weeks its batches need: ``prepare`` loads
every story with a member in the batch's windows (their members as they were when they arrived: each article's
word and name rarities are stored with it) and the counts of the batch's words, ``flush`` hands back what to store
and drops the least recently used weeks past ``max_resident`` members. Memory is bounded by the articles of the
windows, not by the store. The result depends only on the articles and their order: one by one, in one batch, or
continued after a restart from the store is the same.
"""

from __future__ import annotations

import heapq
import json
import math
import operator
from bisect import bisect_left, insort
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from importlib import resources
from typing import Protocol

import numpy as np

from crosswire.stories.neighbours import Bucket, Week, week_of
from crosswire.stories.signals import StorySignals

FEATURES = ("bias", "same_language", "embedding", "embedding_across", "headline", "words", "names", "names_share", "names_missing",
            "numbers")
TOP_NAMES = 3  # an article's most used names: when the other article never mentions them, it is likely another event
LINK_FLOOR = 0.5  # stories in reach: the article scored at least this share of the threshold against them (the
# demo's German original, ingested after its English translation, scores under the threshold against their story but
# pairs with the translation above it when regrouped; guarded by tests/test_demo.py)
PAIR_CACHE = 100_000  # pair signals kept between regroups, per generation (two: at most about 50 MB)
NUMBER_PRIOR = 2.0  # rarity weight added to an article's figures, so one shared figure alone is weak evidence
DF_CACHE = 100_000  # word and name counts kept between batches when backed by a store, per generation and kind
KINDS = ("n:", "t:", "#:")  # the store's count keys: names, terms (content words), figures


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
    neighbours: int = 20  # nearest members by lead embedding looked up per article: their stories are candidates too
    max_resident: int = 100_000  # members kept in memory between batches when backed by a store (whole weeks go)
    model: StoryModel | None = None


@dataclass(frozen=True, slots=True)
class GroupingRow:
    """What the store keeps of an article's arrival, so its share of a story is rebuilt exactly without replaying
    the articles before it."""

    article_id: str
    seq: int  # arrival number
    day: int | None  # its own date (proleptic ordinal), None when undated
    wday: int | None  # its window day: its date, else the previous arrival's (None before any dated arrival)
    rarity: tuple[float, ...]  # idf at arrival of its names, then its terms, then its figures (sorted), in signals order


@dataclass(frozen=True, slots=True)
class GroupingWrite:
    """What a batch changed in the index's stored state."""

    rows: tuple[GroupingRow, ...]
    counts: dict[str, int]  # count key ("n:name", "t:word", "#:figure") → articles added that use it
    seen: int
    clock: int | None


class StoryArchive(Protocol):
    """The stored grouping state the index loads lazily (implemented by the store's transaction)."""

    def grouping_state(self) -> tuple[int, int | None]:
        """Articles grouped so far and the last arrival's window day."""
        ...

    def grouping_counts(self, keys: Sequence[str]) -> dict[str, int]:
        """How many grouped articles use each count key (absent keys: none)."""
        ...

    def week_members(self, weeks: Sequence[Week]) -> list[tuple[str, str, int, int | None]]:
        """(article id, story id, arrival, window day) of every member whose window day falls in one of the weeks."""
        ...

    def stored_members(self, story_ids: Sequence[str]) -> list[tuple[StorySignals, GroupingRow, str]]:
        """Every member of these stories with its signals, arrival row and story, in arrival order."""
        ...

    def story_exists(self, story_id: str) -> bool:
        """Whether any stored article is in this story."""
        ...


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
    wday: int | None = None  # window day (see GroupingRow)


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
    wdays: list[int] = field(default_factory=list)  # members' window days, sorted
    undated_windows: int = 0  # members with no window day (before any dated arrival): in every window

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
        self.has_number.update(sorted(m.numbers))  # sorted: set order depends on the hash seed
        _accumulate(self.name_share, m.name_share)
        _accumulate(self.number_share, m.number_share)
        if m.day is not None:
            self.first = m.day if self.first is None else min(self.first, m.day)
            self.last = m.day if self.last is None else max(self.last, m.day)
        if m.wday is None:
            self.undated_windows += 1
        else:
            insort(self.wdays, m.wday)

    def in_window(self, lo: int | None, hi: int | None) -> bool:
        """Whether a member's window day lies in [lo, hi] (no bounds: always)."""
        if lo is None or hi is None or self.undated_windows:
            return True
        i = bisect_left(self.wdays, lo)
        return i < len(self.wdays) and self.wdays[i] <= hi


class _Counts:
    """How many articles used each key so far: all of them in memory, or a cache over the store's counts.

    Backed by a store, the cache forgets what was not used lately (two generations: a key read from the older one
    moves to the newer; past ``DF_CACHE`` keys at a flush, the older is dropped and the newer becomes it). It forgets
    only at a flush, once the batch's counts went to the store, so a key read again is fetched right."""

    def __init__(self, kind: str, fetch: Callable[[Sequence[str]], dict[str, int]] | None) -> None:
        self.kind, self.fetch = kind, fetch
        self.known: dict[str, int] = {}
        self.older: dict[str, int] = {}
        self.added: Counter[str] = Counter()  # since the last flush (store-backed only)

    def __getitem__(self, key: str) -> int:
        n = self.known.get(key)
        if n is None:
            if self.fetch is None:
                return 0
            self.prefetch([key])
            n = self.known[key]
        return n

    def prefetch(self, keys: Iterable[str]) -> None:
        missing = []
        for k in dict.fromkeys(keys):
            if k in self.known:
                continue
            n = self.older.pop(k, None)
            if n is None:
                missing.append(k)
            else:
                self.known[k] = n
        if missing and self.fetch is not None:
            found = self.fetch([self.kind + k for k in missing])
            for k in missing:
                self.known[k] = found.get(self.kind + k, 0)

    def update(self, keys: Iterable[str]) -> None:
        for k in keys:
            self.known[k] = self[k] + 1
            if self.fetch is not None:
                self.added[k] += 1

    def flushed(self) -> None:
        """The counts added since the last flush are in the store: forget the least recently used keys if too many."""
        self.added.clear()
        if self.fetch is not None and len(self.known) > DF_CACHE:
            self.older, self.known = self.known, {}

    def __len__(self) -> int:
        return len(self.known) + len(self.older)


class StoryIndex:
    """The running state of incremental grouping: every story in memory, or (given a ``StoryArchive``) the stories
    of the weeks the recent batches needed, loaded from the store's arrival rows."""

    def __init__(self, params: StoryParams | None = None, archive: StoryArchive | None = None) -> None:
        self.params = params or StoryParams()
        self.model = self.params.model or load_model()
        self.threshold = self.params.threshold if self.params.threshold is not None else self.model.threshold
        self.archive = archive
        self.stories: dict[str, _Story] = {}
        self.by_name: dict[str, set[str]] = defaultdict(set)
        fetch = archive.grouping_counts if archive is not None else None
        self.name_df, self.term_df, self.number_df = (_Counts(kind, fetch) for kind in KINDS)
        self.seen, self.clock = archive.grouping_state() if archive is not None else (0, None)
        self.locked: set[str] = set()  # stories a person corrected: never regrouped automatically
        self._story_of: dict[str, str] = {}  # article id → story id, for the members in memory
        self._member_of: dict[str, _Member] = {}
        self._buckets: dict[Week, Bucket] = {}  # nearest-member search, per week of window day
        self._loaded: dict[Week, int] = {}  # weeks in memory (store-backed) → the batch that last needed them
        self._batches = 0
        self._rows: list[GroupingRow] = []  # arrivals since the last flush (store-backed only)
        self._weight_list = [self.model.weights[k] for k in FEATURES]
        self._weights = np.array(self._weight_list)
        self._cut = math.log(self.threshold / (1 - self.threshold)) if 0 < self.threshold < 1 else (-math.inf if self.threshold <= 0 else math.inf)
        self._pairs: dict[tuple[int, int], tuple[float, ...]] = {}  # pair signals of two members (fixed once both arrived)
        self._older_pairs: dict[tuple[int, int], tuple[float, ...]] = {}  # the generation before (see _pair_of)

    def add(self, s: StorySignals) -> Assignment:
        """Place one article, regrouping the stories it is plausibly about (see the module docstring). Backed by a
        store, the batch it belongs to must have been ``prepare``d."""
        self._count(s)
        m = self._member(s)
        assignment = self._place(m)
        self._bucket(week_of(m.wday), m.embedding).add(m.seq, m.article_id, m.wday, m.embedding)
        return assignment

    def _place(self, m: _Member) -> Assignment:
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
            story = _Story(self._fresh_id([m], self._exists), order=m.seq)
            self.stories[story.id] = story
            self._join(story, m)
            return Assignment(m.article_id, story.id, 1.0, 1.0, 1.0, (), True)
        return self._regroup(m, pool)

    def _pairs_all_reach(self, m: _Member, story: _Story) -> bool:
        """Whether the article pairs with every member of the story at or above the threshold (if one member does not,
        regrouping may show that member belongs elsewhere)."""
        if story.size == 1:  # its one member's pair is the story's score
            return True
        weights, cached, older = self._weight_list, self._pairs, self._older_pairs
        return all(sum(map(operator.mul, weights, cached.get((x.seq, m.seq)) or older.get((x.seq, m.seq)) or _pair(m, x))) >= self._cut
                   for x in story.members)  # fmt: skip

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
                                        lambda sid: sid in used or (sid not in pool_ids and self._exists(sid)))
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
            holders = self.by_name[name]
            holders.discard(story.id)
            if not holders:  # a name no story in memory uses any more: its entry goes too (memory)
                del self.by_name[name]
        del self.stories[story.id]

    def _pair_of(self, a: _Member, b: _Member) -> tuple[float, ...]:
        key = (a.seq, b.seq) if a.seq < b.seq else (b.seq, a.seq)
        vec = self._pairs.get(key)
        if vec is None:
            vec = self._older_pairs.pop(key, None) or _pair(a, b)
            if len(self._pairs) >= PAIR_CACHE:  # a bound on memory: pairs not used lately go (recomputed identically)
                self._older_pairs, self._pairs = self._pairs, {}
            self._pairs[key] = vec
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

    def bind(self, archive: StoryArchive) -> None:
        """Read the store through this archive from now on (a new transaction for each batch)."""
        self.archive = archive
        for df in (self.name_df, self.term_df, self.number_df):
            df.fetch = archive.grouping_counts

    def account(self, s: StorySignals) -> GroupingRow:
        """Count an article and give its arrival row without placing it (filling the stored state of a store
        grouped before rarities were kept: replaying its articles in order gives each one's row)."""
        self._count(s)
        return self._arrival(s)

    def prepare(self, batch: Sequence[StorySignals]) -> None:
        """Load what placing these articles, in order, reads: every story with a member in one of their windows,
        and the counts of their names, words and figures (store-backed only)."""
        if self.archive is None:
            return
        self._batches += 1
        weeks: set[Week] = {None}
        clock = self.clock
        for s in batch:
            day = _day(s.published)
            clock = day.toordinal() if day is not None else clock
            if clock is not None:
                w = self.params.window_days
                weeks.update(range((clock - w) // 7, (clock + w) // 7 + 1))
        self._load(weeks)
        self.name_df.prefetch(n for s in batch for n, _c in s.names)
        self.term_df.prefetch(t for s in batch for t, _c in s.terms)
        self.number_df.prefetch(x for s in batch for x in s.numbers)

    def flush(self) -> GroupingWrite:
        """What the batches since the last flush changed (to store with their assignments), then drop the least
        recently used weeks while more than ``max_resident`` members are in memory."""
        counts = {kind + k: n for kind, df in zip(KINDS, (self.name_df, self.term_df, self.number_df), strict=True)
                  for k, n in df.added.items()}  # fmt: skip
        out = GroupingWrite(tuple(self._rows), counts, self.seen, self.clock)
        self._rows = []
        for df in (self.name_df, self.term_df, self.number_df):
            df.flushed()
        if self.archive is not None:
            self._evict()
        return out

    def _load(self, weeks: set[Week]) -> None:
        assert self.archive is not None
        new = sorted((w for w in weeks if w not in self._loaded), key=lambda w: (w is not None, w or 0))
        for w in weeks:
            self._loaded[w] = self._batches
        if not new:
            return
        rows = self.archive.week_members(new)
        missing = sorted({sid for _aid, sid, _seq, _wday in rows if sid not in self.stories})
        for signals, row, sid in self.archive.stored_members(missing):
            story = self.stories.get(sid)
            if story is None:
                story = self.stories[sid] = _Story(sid, order=row.seq)  # members come in arrival order
            self._join(story, self._build(signals, row))
        by_week: dict[Week, list[tuple[int, str]]] = defaultdict(list)
        for aid, _sid, seq, wday in rows:
            by_week[week_of(wday)].append((seq, aid))
        for w in new:
            for _seq, aid in sorted(by_week.get(w, [])):
                m = self._member_of[aid]
                self._bucket(w, m.embedding).add(m.seq, aid, m.wday, m.embedding)

    def _evict(self) -> None:
        """Drop the least recently needed weeks (never the current batch's nor the undated one) while more than
        ``max_resident`` members are in memory, then every story left with no member in a kept week."""
        if len(self._member_of) <= self.params.max_resident:
            return
        left = len(self._member_of)
        for w in sorted((w for w in self._loaded if w is not None), key=lambda w: (self._loaded[w], w)):
            if self._loaded[w] == self._batches or left <= self.params.max_resident // 2:
                break
            del self._loaded[w]
            gone = self._buckets.pop(w, None)
            left -= len(gone) if gone else 0
        for story in list(self.stories.values()):
            if story.undated_windows or any(week_of(d) in self._loaded for d in story.wdays):
                continue
            self._drop(story)
            for x in story.members:
                self._story_of.pop(x.article_id, None)
                self._member_of.pop(x.article_id, None)

    def _bucket(self, week: Week, vector: np.ndarray) -> Bucket:
        bucket = self._buckets.get(week)
        if bucket is None:
            bucket = self._buckets[week] = Bucket(len(vector))
        return bucket

    def _exists(self, story_id: str) -> bool:
        """Whether a story id is taken (in memory, or in the store)."""
        return story_id in self.stories or (self.archive is not None and self.archive.story_exists(story_id))

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
        self.number_df.update(sorted(s.numbers))

    def _arrival(self, s: StorySignals) -> GroupingRow:
        """The article's arrival row: its rarities counted so far (``_count`` it first) and its window day."""
        day = _day(s.published)
        self.clock = day.toordinal() if day is not None else self.clock
        rarity = (*(self._idf(n, self.name_df) for n, _c in s.names), *(self._idf(t, self.term_df) for t, _c in s.terms),
                  *(self._idf(x, self.number_df) for x in sorted(s.numbers)))  # fmt: skip
        return GroupingRow(s.article_id, self.seen, day.toordinal() if day else None, self.clock, rarity)

    def _member(self, s: StorySignals) -> _Member:
        """The arriving article's contribution (``_count`` it first)."""
        row = self._arrival(s)
        if self.archive is not None:
            self._rows.append(row)
        return self._build(s, row)

    def _build(self, s: StorySignals, row: GroupingRow) -> _Member:
        """An article's contribution from its signals and its arrival row."""
        counts, terms = dict(s.names), dict(s.terms)
        n_names, n_terms = len(counts), len(terms)
        name_idf = dict(zip(counts, row.rarity[:n_names], strict=True))
        term_idf = dict(zip(terms, row.rarity[n_names : n_names + n_terms], strict=True))
        number_idf = dict(zip(sorted(s.numbers), row.rarity[n_names + n_terms :], strict=True))
        top = tuple(sorted(counts, key=lambda n: (-counts[n] * name_idf[n], n))[:TOP_NAMES])
        title = s.title_embedding if s.title_embedding is not None else s.embedding
        return _Member(
            s.article_id, row.seq, s.language, s.embedding, title, _unit(terms, term_idf), _unit(counts, name_idf), top,
            s.numbers, _share(name_idf), _share(number_idf, NUMBER_PRIOR),
            date.fromordinal(row.day) if row.day is not None else None, row.wday,
        )  # fmt: skip

    def _window(self, m: _Member) -> tuple[int | None, int | None]:
        if m.wday is None:
            return None, None
        return m.wday - self.params.window_days, m.wday + self.params.window_days

    def _candidates(self, m: _Member) -> list[_Story]:
        """The stories in the article's window sharing the most rarity-weighted names with it (or the latest, when
        it shares none), and those of its nearest members by lead embedding."""
        lo, hi = self._window(m)
        weight: dict[str, float] = {}
        for name in m.names:
            idf = self._idf(name, self.name_df)
            for story_id in self.by_name.get(name, ()):
                weight[story_id] = weight.get(story_id, 0.0) + idf
        stories, found = self.stories, []
        for sid, _w in sorted(weight.items(), key=lambda kv: (-kv[1], kv[0])):  # the heaviest in the window
            if stories[sid].in_window(lo, hi):
                found.append(stories[sid])
                if len(found) == self.params.max_candidates:
                    break
        if not found:  # no shared names: a translation into another script, or a text without names
            found = heapq.nlargest(self.params.max_candidates, (st for st in stories.values() if st.in_window(lo, hi)),
                                   key=lambda st: st.order)  # fmt: skip
        seen = {st.id for st in found}
        for story_id in self._nearest(m, lo, hi):
            if story_id not in seen:
                seen.add(story_id)
                found.append(stories[story_id])
        return found

    def _nearest(self, m: _Member, lo: int | None, hi: int | None) -> list[str]:
        """The stories of the ``neighbours`` members nearest to the article by lead embedding, inside its window."""
        k = self.params.neighbours
        if k <= 0:
            return []
        if lo is None or hi is None:
            weeks: Iterable[Week] = list(self._buckets)
        else:
            weeks = [None, *range(lo // 7, hi // 7 + 1)]
        hits = [hit for w in weeks if w in self._buckets for hit in self._buckets[w].search(m.embedding, k, lo, hi)]
        hits.sort(key=lambda t: (-t[0], t[1]))
        return list(dict.fromkeys(self._story_of[aid] for _sim, _seq, aid in hits[:k]))

    def _days_meet(self, a_first: date | None, a_last: date | None, b_first: date | None, b_last: date | None) -> bool:
        """Whether two date ranges lie within the window of each other (an unknown date never blocks a match)."""
        if a_first is None or a_last is None or b_first is None or b_last is None:
            return True
        return max((a_first - b_last).days, (b_first - a_last).days, 0) <= self.params.window_days

    def _join(self, story: _Story, m: _Member) -> None:
        story.absorb(m)
        self._story_of[m.article_id] = story.id
        self._member_of[m.article_id] = m
        for name in m.names:
            self.by_name[name].add(story.id)

    def _idf(self, key: str, df: _Counts) -> float:
        return math.log((self.seen + 1) / (df[key] + 1)) + 1.0


def _pair(a: _Member, b: _Member) -> tuple[float, ...]:
    """The pair signals of two members, in FEATURES order (``StoryIndex.link`` of two one-article stories)."""
    same = _same_language(a.language, b.language)
    emb = float(a.embedding @ b.embedding)
    names = sorted(a.names.keys() & b.names.keys())  # sorted: a sum over a set would depend on the hash seed
    figures = sorted(a.numbers & b.numbers)
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
    first, second = index._build(a, index._arrival(a)), index._build(b, index._arrival(b))
    return dict(zip(FEATURES, (float(v) for v in _pair(first, second)), strict=True))


def pair_similarity(a: StorySignals, b: StorySignals, params: StoryParams | None = None) -> float:
    """The probability the pair model gives two articles of reporting the same event."""
    index = StoryIndex(params)
    return _sigmoid(index.model.logit(pair_features(a, b, index)))

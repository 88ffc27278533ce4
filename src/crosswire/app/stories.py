"""Story use-cases: the stories as the shells show them, and the corrections people make to the grouping
(merge, split, move, regroup), each recorded and kept when later articles arrive."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from crosswire.errors import Conflict, NotFound
from crosswire.storage import stories as story_db
from crosswire.storage.store import Reader, Store, Writer, now_iso
from crosswire.stories.clusters import Assignment, StoryIndex, StoryParams


@dataclass(frozen=True, slots=True)
class StoryView:
    """A story as the CLI, the export and (later) the web show it."""

    id: str
    title: str | None  # the most central member headline
    first: str | None
    last: str | None
    outlets: tuple[str, ...]
    languages: tuple[str, ...]
    members: tuple[story_db.Member, ...]  # by time, undated last


def list_stories(store: Store) -> list[StoryView]:
    """Every story, biggest first."""
    with store.reader() as rd:
        by_story: dict[str, list[story_db.Member]] = defaultdict(list)
        for m in rd.members():
            by_story[m.story_id].append(m)
        views = [story_view(rd, sid, ms) for sid, ms in by_story.items()]
    return sorted(views, key=lambda v: (-len(v.members), v.first or "9999", v.id))


def get_story(store: Store, story_id: str) -> StoryView:
    """One story by id (or a unique prefix)."""
    with store.reader() as rd:
        ids = rd.story_ids_like(story_id)
        if len(ids) != 1:
            raise NotFound(f"no story with id {story_id!r}" if not ids else f"story id prefix {story_id!r} is ambiguous")
        return story_view(rd, ids[0], rd.members(ids[0]))


def story_of(store: Store) -> dict[str, str]:
    """article id → story id."""
    with store.reader() as rd:
        return {m.article_id: m.story_id for m in rd.members()}


def story_view(rd: Reader, story_id: str, members: list[story_db.Member]) -> StoryView:
    """A story's view from its members: span, outlets, languages and the most central headline."""
    dated = sorted(m.published for m in members if m.published)
    vectors = rd.embeddings([m.article_id for m in members])
    return StoryView(
        story_id,
        central_title(members, vectors),
        dated[0] if dated else None,
        dated[-1] if dated else None,
        tuple(sorted({m.outlet for m in members if m.outlet})),
        tuple(sorted({m.language for m in members if m.language})),
        tuple(members),
    )


class Titled(Protocol):
    """Anything with an article id and its headline (a story member, a list row)."""

    @property
    def article_id(self) -> str: ...

    @property
    def title(self) -> str | None: ...


def central_title(members: Sequence[Titled], vectors: Mapping[str, np.ndarray]) -> str | None:
    """The headline of the member closest on average to the others (not simply the first one)."""
    titled = [m for m in members if m.title and m.article_id in vectors]
    if not titled:
        return None
    matrix: np.ndarray = np.stack([vectors[m.article_id] for m in titled])
    centrality = (matrix @ matrix.T).mean(axis=1)
    return titled[int(np.argmax(centrality))].title


def merge_stories(store: Store, into: str, other: str, who: str) -> story_db.Correction:
    """Move every article of ``other`` into ``into``; recorded, and kept by later grouping."""
    target, source = _story_id(store, into), _story_id(store, other)
    if target == source:
        raise Conflict("a story cannot be merged into itself")
    with store.transaction() as tx:
        moved = [m.article_id for m in tx.members(source)]
        return _correct(store, tx, story_db.Correction(now_iso(), who, "merge", target, source, tuple(moved)))


def split_story(store: Store, story_id: str, article_ids: Sequence[str], who: str) -> story_db.Correction:
    """Take articles out of a story into a new story of their own."""
    source = _story_id(store, story_id)
    with store.transaction() as tx:
        members = {m.article_id for m in tx.members(source)}
        moved = [_article_in(store, a, members, source) for a in article_ids]
        if set(moved) == members:
            raise Conflict("splitting off every article leaves nothing behind; name only the articles to take out")
        new_id = _new_story_id(tx, moved[0])
        return _correct(store, tx, story_db.Correction(now_iso(), who, "split", new_id, source, tuple(moved)))


def move_article(store: Store, article_id: str, story_id: str, who: str) -> story_db.Correction:
    """Put one article into another story."""
    target = _story_id(store, story_id)
    article = store.resolve_id(article_id)
    source = story_of(store).get(article)
    if source is None or source == target:
        raise Conflict(f"article {article} is {'not in any story' if source is None else 'already in ' + target}")
    with store.transaction() as tx:
        return _correct(store, tx, story_db.Correction(now_iso(), who, "move", target, source, (article,)))


def story_corrections(store: Store, story_id: str) -> list[story_db.Correction]:
    """The corrections touching one story."""
    with store.reader() as rd:
        return rd.corrections(story_id)


def _correct(store: Store, tx: Writer, c: story_db.Correction) -> story_db.Correction:
    tx.move_members(list(c.article_ids), c.story_id)
    tx.record_correction(c)
    for sid in (c.story_id, c.other_story_id):
        if sid:
            infer_dates(tx, sid)
    store.keep_story_index(0, None)  # the index is rebuilt from the corrected memberships
    return c


@dataclass(frozen=True, slots=True)
class RegroupReport:
    articles: int
    stories_before: int
    stories_after: int
    moved_by_grouping: int  # articles whose story changed before corrections were re-applied
    corrections_applied: int


def regroup(store: Store, params: StoryParams | None = None) -> RegroupReport:
    """Group every stored article again from its stored signals, in the original order (after a parameter
    change or a better model), then re-apply every recorded correction: people's decisions survive."""
    with store.transaction() as tx:
        rows = tx.replay_rows()
        before = {signals.article_id: story_id for signals, story_id in rows}
        index = StoryIndex(params or StoryParams())
        assignments: dict[str, Assignment] = {}
        for signals, _ in rows:
            assignment = index.add(signals)
            assignments[signals.article_id] = assignment
            for moved in assignment.moved:  # earlier articles regrouped around this one
                assignments[moved.article_id] = moved
        for assignment in assignments.values():
            tx.rewrite_member(assignment)
        fixes = tx.corrections()
        for c in fixes:
            _reapply(tx, c)
        after = {m.article_id: m.story_id for m in tx.members()}
        changed = sum(1 for a, sid in after.items() if before.get(a) != sid)
        for story_id in sorted(set(after.values()) | set(before.values())):
            infer_dates(tx, story_id)
    store.keep_story_index(0, None)
    return RegroupReport(len(rows), len(set(before.values())), len(set(after.values())), changed, len(fixes))


def _reapply(tx: Writer, c: story_db.Correction) -> None:
    """A correction names the story that received the articles; after regrouping that story is the one
    now holding its founding article (``s`` + the article id's first 12 characters), or, for a split, the
    moved articles keep the split's own id."""
    target = c.story_id
    if c.action != "split":
        founder = target[1:13]
        current = {m.article_id: m.story_id for m in tx.members()}
        holder = next((sid for aid, sid in current.items() if aid.startswith(founder)), None)
        target = holder or target
    tx.move_members(list(c.article_ids), target)


def _story_id(store: Store, prefix: str) -> str:
    return get_story(store, prefix).id


def _article_in(store: Store, prefix: str, members: set[str], story_id: str) -> str:
    article = store.resolve_id(prefix)
    if article not in members:
        raise Conflict(f"article {article} is not in story {story_id}")
    return article


def _new_story_id(tx: Writer, first_article: str) -> str:
    taken = tx.story_ids()
    base = f"s{first_article[:12]}"
    return next(c for c in (base, *(f"{base}-{i}" for i in range(2, 10_000))) if c not in taken)


def infer_dates(tx: Writer, story_id: str) -> None:
    """Undated members of a dated story get the story's first date, marked inferred, with the range as evidence."""
    members = tx.members(story_id)
    dated = sorted(m.published for m in members if m.published and m.published_source in story_db.OWN_DATES)
    if not dated:
        for m in members:
            tx.clear_inferred_date(m.article_id, "no date in the text or its metadata; its story has no dated article")
        return
    evidence = f"inferred from story {story_id}: {len(dated)} dated article(s) published {dated[0]} to {dated[-1]}"
    for m in members:
        if m.published_source not in story_db.OWN_DATES:
            tx.set_inferred_date(m.article_id, dated[0], evidence)

"""Story tables: grouping signals, memberships with their evidence, and reads for the story views."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from crosswire.model import DateSource
from crosswire.storage.schema import (
    articles,
    story_arrivals,
    story_clock,
    story_corrections,
    story_counts,
    story_members,
    story_signals,
)
from crosswire.stories.clusters import Assignment, GroupingRow, GroupingWrite
from crosswire.stories.neighbours import Week
from crosswire.stories.signals import StorySignals

OWN_DATES = (str(DateSource.STATED), str(DateSource.METADATA))  # an inferred date never steers grouping


@dataclass(frozen=True, slots=True)
class Member:
    """One article of a story as the story views show it."""

    article_id: str
    story_id: str
    title: str | None
    outlet: str | None
    language: str | None
    published: str | None
    published_source: str
    score: float
    embedding_sim: float
    names_sim: float
    shared_names: tuple[str, ...]
    new_story: bool
    seq: int


def insert_signals(conn: Connection, signals: Sequence[StorySignals]) -> None:
    """Keep articles' grouping signals so the index can be rebuilt without re-embedding."""
    if signals:
        conn.execute(insert(story_signals), [
            {"article_id": s.article_id, "embedding": np.asarray(s.embedding, dtype=np.float32).tobytes(),
             "names": json.dumps([list(n) for n in s.names]), "terms": json.dumps([list(t) for t in s.terms]),
             "title_embedding": None if s.title_embedding is None else np.asarray(s.title_embedding, dtype=np.float32).tobytes(),
             "numbers": json.dumps(sorted(s.numbers))}
            for s in signals
        ])  # fmt: skip


def insert_members(conn: Connection, placed: Sequence[tuple[Assignment, int]]) -> None:
    """Record where articles went and why, each with its arrival number."""
    if placed:
        conn.execute(insert(story_members), [
            {"article_id": a.article_id, "story_id": a.story_id, "seq": seq, "score": a.score, "embedding_sim": a.embedding,
             "names_sim": a.names, "shared_names": json.dumps(list(a.shared_names)), "new_story": a.new_story}
            for a, seq in placed
        ])  # fmt: skip


def next_seq(conn: Connection) -> int:
    """The sequence number of the next assignment."""
    return int(conn.execute(select(func.coalesce(func.max(story_members.c.seq), 0))).scalar_one()) + 1


def replay_rows(conn: Connection, after: int = 0, limit: int | None = None) -> list[tuple[StorySignals, str]]:
    """Stored articles' signals with their story, in assignment order (those assigned after ``after``; at most
    ``limit`` of them)."""
    query = (
        select(
            story_signals, story_members.c.story_id, articles.c.published, articles.c.published_source,
            articles.c.outlet, articles.c.language,
        )  # fmt: skip
        .join(story_members, story_members.c.article_id == story_signals.c.article_id)
        .join(articles, articles.c.id == story_signals.c.article_id)
        .where(story_members.c.seq > after)
        .order_by(story_members.c.seq)
        .limit(limit)
    )
    return [(_signals(r), r.story_id) for r in conn.execute(query)]


def seq_of(conn: Connection, article_id: str) -> int:
    """An article's assignment number."""
    return int(conn.execute(select(story_members.c.seq).where(story_members.c.article_id == article_id)).scalar_one())


def members(conn: Connection, story_id: str | None = None, story_ids: list[str] | None = None) -> list[Member]:
    """Members of one story (or of the listed ones, or of all), oldest publication first, undated last."""
    query = select(
        story_members, articles.c.title, articles.c.outlet, articles.c.language, articles.c.published,
        articles.c.published_source,
    ).join(articles, articles.c.id == story_members.c.article_id)  # fmt: skip
    if story_id:
        query = query.where(story_members.c.story_id == story_id)
    if story_ids is not None:
        query = query.where(story_members.c.story_id.in_(story_ids))
    query = query.order_by(articles.c.published.is_(None), articles.c.published, story_members.c.seq)
    return [
        Member(
            r.article_id, r.story_id, r.title, r.outlet, r.language, r.published, r.published_source, r.score,
            r.embedding_sim, r.names_sim, tuple(json.loads(r.shared_names)), bool(r.new_story), r.seq,
        )  # fmt: skip
        for r in conn.execute(query)
    ]


def embeddings(conn: Connection, article_ids: list[str]) -> dict[str, np.ndarray]:
    """Stored embeddings of the given articles."""
    query = select(story_signals.c.article_id, story_signals.c.embedding).where(story_signals.c.article_id.in_(article_ids))
    return {r.article_id: np.frombuffer(r.embedding, dtype=np.float32) for r in conn.execute(query)}


def set_inferred_date(conn: Connection, article_id: str, value: str, evidence: str) -> None:
    """Date an undated article from its story; stated and metadata dates are never overwritten."""
    conn.execute(
        update(articles)
        .where(articles.c.id == article_id, articles.c.published_source.in_([str(DateSource.UNKNOWN), str(DateSource.INFERRED)]))
        .values(published=value, published_source=str(DateSource.INFERRED), published_evidence=evidence)
    )


def _signals(r: object) -> StorySignals:
    return _signals_of(r, r.published if r.published_source in OWN_DATES else None)  # type: ignore[attr-defined]


def _signals_of(r: object, published: str | None) -> StorySignals:
    title = r.title_embedding  # type: ignore[attr-defined]
    return StorySignals(
        r.article_id,  # type: ignore[attr-defined]
        np.frombuffer(r.embedding, dtype=np.float32),  # type: ignore[attr-defined]
        tuple((n, 1) if isinstance(n, str) else (n[0], n[1]) for n in json.loads(r.names)),  # type: ignore[attr-defined]
        tuple((t, n) for t, n in json.loads(r.terms)),  # type: ignore[attr-defined]
        published,
        r.outlet,  # type: ignore[attr-defined]
        r.language,  # type: ignore[attr-defined]
        None if title is None else np.frombuffer(title, dtype=np.float32),
        frozenset(json.loads(r.numbers or "[]")),  # type: ignore[attr-defined]
    )


@dataclass(frozen=True, slots=True)
class Correction:
    """A merge, split or move made by a person."""

    at: str
    who: str
    action: str
    story_id: str
    other_story_id: str | None
    article_ids: tuple[str, ...]


def move_members(conn: Connection, article_ids: list[str], story_id: str) -> None:
    """Put articles into a story (the correction path)."""
    conn.execute(update(story_members).where(story_members.c.article_id.in_(article_ids)).values(story_id=story_id))


def story_of(conn: Connection, article_ids: list[str]) -> dict[str, str]:
    """The story each of these articles is in now."""
    query = select(story_members.c.article_id, story_members.c.story_id).where(story_members.c.article_id.in_(article_ids))
    return {r.article_id: r.story_id for r in conn.execute(query)}


def record_correction(conn: Connection, c: Correction) -> None:
    """Append a correction to the audit log."""
    conn.execute(
        insert(story_corrections).values(
            at=c.at, who=c.who, action=c.action, story_id=c.story_id, other_story_id=c.other_story_id,
            article_ids=json.dumps(list(c.article_ids)),
        )  # fmt: skip
    )


def corrections(conn: Connection, story_id: str | None = None) -> list[Correction]:
    """The corrections touching a story (or all), oldest first."""
    query = select(story_corrections).order_by(story_corrections.c.id)
    if story_id:
        query = query.where((story_corrections.c.story_id == story_id) | (story_corrections.c.other_story_id == story_id))
    return [
        Correction(r.at, r.who, r.action, r.story_id, r.other_story_id, tuple(json.loads(r.article_ids)))
        for r in conn.execute(query)
    ]


def story_ids(conn: Connection) -> set[str]:
    """Every story id in use."""
    return set(conn.execute(select(story_members.c.story_id).distinct()).scalars())


def clear_inferred_date(conn: Connection, article_id: str, evidence: str) -> None:
    """An inferred date whose story no longer has dated articles goes back to unknown."""
    conn.execute(
        update(articles)
        .where(articles.c.id == article_id, articles.c.published_source == str(DateSource.INFERRED))
        .values(published=None, published_source=str(DateSource.UNKNOWN), published_evidence=evidence)
    )


def rewrite_member(conn: Connection, a: Assignment) -> None:
    """Replace an article's grouping (regrouping keeps its place in the assignment order)."""
    conn.execute(
        update(story_members).where(story_members.c.article_id == a.article_id).values(
            story_id=a.story_id, score=a.score, embedding_sim=a.embedding, names_sim=a.names,
            shared_names=json.dumps(list(a.shared_names)), new_story=a.new_story,
        )  # fmt: skip
    )


# Grouping's stored state (migration 0013): what the index loads lazily instead of replaying the store.

CHUNK = 500  # keys or ids per IN (...) query


def grouping_state(conn: Connection) -> tuple[int, int | None]:
    """Articles grouped so far and the last arrival's window day."""
    row = conn.execute(select(story_clock.c.seen, story_clock.c.wday).where(story_clock.c.id == 1)).first()
    return (int(row.seen), row.wday) if row else (0, None)


def grouping_complete(conn: Connection) -> bool:
    """Whether every grouped article has its arrival row (false in a store grouped before migration 0013)."""
    arrivals = conn.execute(select(func.count()).select_from(story_arrivals)).scalar_one()
    members = conn.execute(select(func.count()).select_from(story_members)).scalar_one()
    return bool(arrivals == members and grouping_state(conn)[0] == members)


def grouping_counts(conn: Connection, keys: list[str]) -> dict[str, int]:
    """How many grouped articles use each count key (absent: none)."""
    out: dict[str, int] = {}
    for start in range(0, len(keys), CHUNK):
        query = select(story_counts.c.key, story_counts.c.n).where(story_counts.c.key.in_(keys[start : start + CHUNK]))
        out.update({r.key: r.n for r in conn.execute(query)})
    return out


def week_members(conn: Connection, weeks: list[Week]) -> list[tuple[str, str, int, int | None]]:
    """(article id, story id, arrival, window day) of the members whose window day falls in these weeks."""
    out: list[tuple[str, str, int, int | None]] = []
    base = select(story_arrivals.c.article_id, story_members.c.story_id, story_arrivals.c.seq, story_arrivals.c.wday).join(
        story_members, story_members.c.article_id == story_arrivals.c.article_id)  # fmt: skip
    dated = sorted(w for w in weeks if w is not None)
    if None in weeks:
        out += [tuple(r) for r in conn.execute(base.where(story_arrivals.c.wday.is_(None)))]  # type: ignore[misc]
    for lo, hi in _runs(dated):  # consecutive weeks: one range query each
        query = base.where(story_arrivals.c.wday >= lo * 7, story_arrivals.c.wday < (hi + 1) * 7)
        out += [tuple(r) for r in conn.execute(query)]  # type: ignore[misc]
    return out


def _runs(weeks: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for w in weeks:
        if runs and runs[-1][1] == w - 1:
            runs[-1] = (runs[-1][0], w)
        else:
            runs.append((w, w))
    return runs


def stored_members(conn: Connection, story_ids: list[str]) -> list[tuple[StorySignals, GroupingRow, str]]:
    """Every member of these stories with its signals, arrival row and story, in arrival order."""
    out = []
    for start in range(0, len(story_ids), CHUNK):
        query = (
            select(story_signals, story_members.c.story_id, story_arrivals.c.seq, story_arrivals.c.day, story_arrivals.c.wday,
                   story_arrivals.c.rarity, articles.c.outlet, articles.c.language)
            .join(story_members, story_members.c.article_id == story_signals.c.article_id)
            .join(story_arrivals, story_arrivals.c.article_id == story_signals.c.article_id)
            .join(articles, articles.c.id == story_signals.c.article_id)
            .where(story_members.c.story_id.in_(story_ids[start : start + CHUNK]))
        )  # fmt: skip
        for r in conn.execute(query):
            day = r.day
            signals = _signals_of(r, None if day is None else date.fromordinal(day).isoformat())
            rarity = tuple(float(x) for x in np.frombuffer(r.rarity, dtype=np.float64))
            out.append((signals, GroupingRow(r.article_id, r.seq, day, r.wday, rarity), r.story_id))
    return sorted(out, key=lambda t: t[1].seq)


def story_exists(conn: Connection, story_id: str) -> bool:
    """Whether any article is in this story."""
    return conn.execute(select(story_members.c.article_id).where(story_members.c.story_id == story_id).limit(1)).first() is not None


def write_grouping(conn: Connection, w: GroupingWrite) -> None:
    """Store a batch's arrivals, add its counts and move the clock (in the batch's transaction)."""
    if w.rows:
        conn.execute(insert(story_arrivals), [
            {"article_id": r.article_id, "seq": r.seq, "day": r.day, "wday": r.wday,
             "rarity": np.asarray(r.rarity, dtype=np.float64).tobytes()} for r in w.rows
        ])  # fmt: skip
    if w.counts:
        dialect = sqlite_insert if conn.dialect.name == "sqlite" else postgresql_insert
        upsert = dialect(story_counts)
        upsert = upsert.on_conflict_do_update(index_elements=["key"], set_={"n": story_counts.c.n + upsert.excluded.n})
        conn.execute(upsert, [{"key": k, "n": n} for k, n in sorted(w.counts.items())])
    values = {"seen": w.seen, "wday": w.clock}
    if conn.execute(update(story_clock).where(story_clock.c.id == 1).values(**values)).rowcount == 0:
        conn.execute(insert(story_clock).values(id=1, **values))


def reset_grouping(conn: Connection) -> None:
    """Forget the stored grouping state (before it is filled again from a replay)."""
    for table in (story_arrivals, story_counts, story_clock):
        conn.execute(table.delete())

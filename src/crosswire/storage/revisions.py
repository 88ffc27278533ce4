"""Revisions of articles (issue #20): the stored article an input is a new version of, every version's text,
and replacing an article's current content while it keeps its id (its story and links stay valid)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from crosswire.model import Article, DateSource, RawDocument
from crosswire.storage.schema import (
    article_revisions,
    articles,
    flags,
    origins,
    raw_documents,
    removed_lines,
    story_comparisons,
    story_members,
)

# Where an article's URL came from when it names the page itself; a URL from the text ("Original url: …" under a
# syndicated copy) names someone else's page and never makes two articles one.
OWN_URL_SIGNALS = frozenset({"given with the input", "HTML canonical/og:url"})


@dataclass(frozen=True, slots=True)
class StoredRevision:
    """One version of an article as it was fetched; ``changes`` (JSON dicts) are against the version before."""

    article_id: str
    number: int
    fetched_at: str
    title: str | None
    text: str
    content_hash: str
    raw_id: str
    changes: tuple[dict[str, Any], ...]


def same_address(conn: Connection, article: Article) -> list[tuple[str, str, str | None]]:
    """(id, content hash, title) of stored articles at this article's address — the same feed entry of the same
    feed, or the same own canonical URL at the same outlet — newest first."""
    ids: list[str] = []
    o = article.origin
    if o.kind == "feed" and article.external_id:
        q = select(origins.c.article_id).where(origins.c.kind == "feed", origins.c.locator == o.locator, origins.c.item == (o.item or ""))
        ids += conn.execute(q).scalars().all()
    url = article.meta.canonical_url
    if url and any(f == "url" and s in OWN_URL_SIGNALS for f, s in article.meta.signals):
        outlet = (article.meta.outlet or "").lower()
        q = select(articles.c.id).where(articles.c.canonical_url == url, func.lower(func.coalesce(articles.c.outlet, "")) == outlet)
        ids += conn.execute(q).scalars().all()
    if not ids:
        return []
    rows = conn.execute(
        select(articles.c.id, articles.c.content_hash, articles.c.title, articles.c.added_at).where(articles.c.id.in_(set(ids)))
    ).all()
    return [(r.id, r.content_hash, r.title) for r in sorted(rows, key=lambda r: (r.added_at, r.id), reverse=True)]


def latest_number(conn: Connection, article_id: str) -> int:
    """The number of the article's newest stored revision (0: none stored yet)."""
    q = select(func.max(article_revisions.c.number)).where(article_revisions.c.article_id == article_id)
    return int(conn.execute(q).scalar() or 0)


def add_revision(conn: Connection, r: StoredRevision) -> None:
    """Store one version of an article."""
    conn.execute(insert(article_revisions).values(
        article_id=r.article_id, number=r.number, fetched_at=r.fetched_at, raw_id=r.raw_id, content_hash=r.content_hash,
        title=r.title, text=r.text, changes=json.dumps(list(r.changes), ensure_ascii=False),
    ))  # fmt: skip


def revisions(conn: Connection, article_id: str) -> list[StoredRevision]:
    """Every stored version of an article, oldest first (none: it was never revised)."""
    q = select(article_revisions).where(article_revisions.c.article_id == article_id).order_by(article_revisions.c.number)
    return [
        StoredRevision(r.article_id, r.number, r.fetched_at, r.title, r.text, r.content_hash, r.raw_id, tuple(json.loads(r.changes)))
        for r in conn.execute(q)
    ]


def revised_ids(conn: Connection, article_ids: list[str] | None = None) -> dict[str, int]:
    """article id → how many versions are stored, for the revised articles among ``article_ids`` (None: all)."""
    q = select(article_revisions.c.article_id, func.count()).group_by(article_revisions.c.article_id)
    if article_ids is not None:
        q = q.where(article_revisions.c.article_id.in_(article_ids))
    return {r[0]: int(r[1]) for r in conn.execute(q)}


def replace_content(conn: Connection, stored_id: str, article: Article, raw: RawDocument) -> None:
    """Make ``article`` (a newer version) the current content of the stored article ``stored_id``, which keeps its
    id, story membership and first-added time; a date the new version does not give is kept."""
    m = article.meta
    values: dict[str, Any] = {
        "content_hash": article.content_hash, "format": str(article.format), "title": m.title, "outlet": m.outlet,
        "authors": json.dumps(list(m.authors)), "credited": json.dumps(list(m.credited)), "dateline": m.dateline,
        "updated": m.updated, "seen": m.seen, "url": m.url, "canonical_url": m.canonical_url, "language": m.language,
        "encoding": article.encoding, "signals": json.dumps([list(s) for s in m.signals]), "text": article.text,
    }  # fmt: skip
    if m.published.source is not DateSource.UNKNOWN:
        values |= {"published": m.published.value, "published_source": str(m.published.source), "published_evidence": m.published.evidence}
    conn.execute(update(articles).where(articles.c.id == stored_id).values(**values))
    conn.execute(update(raw_documents).where(raw_documents.c.article_id == stored_id).values(format=str(raw.format), content=raw.content))
    conn.execute(delete(removed_lines).where(removed_lines.c.article_id == stored_id))
    if article.removed:
        conn.execute(insert(removed_lines), [
            {"article_id": stored_id, "line_no": r.line_no, "text": r.text, "reason": r.reason, "rule": r.rule} for r in article.removed
        ])  # fmt: skip
    conn.execute(delete(flags).where(flags.c.article_id == stored_id))
    if article.flags:
        conn.execute(insert(flags), [
            {"article_id": stored_id, "kind": f.kind, "start": f.span[0], "end": f.span[1], "detail": f.detail, "score": f.score}
            for f in article.flags
        ])  # fmt: skip


def forget_comparison(conn: Connection, article_id: str) -> str | None:
    """Drop the stored comparison of the article's story (its text changed, so the comparison must be redone);
    returns the story id."""
    story_id = conn.execute(select(story_members.c.story_id).where(story_members.c.article_id == article_id)).scalar()
    if story_id:
        conn.execute(delete(story_comparisons).where(story_comparisons.c.story_id == story_id))
    return story_id

"""Read-side use-cases for the web and the HTTP API: filtered pages of stories, one story or article
with everything its page shows, full-text search. Writes (ingest, corrections) stay in ``workflows``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from crosswire.model import Article, Origin
from crosswire.storage import browse as browse_db
from crosswire.storage import comparisons as comparison_db
from crosswire.storage import stories as story_db
from crosswire.storage.browse import MemberDetail, SearchHit, StoryQuery, StoryRow
from crosswire.storage.store import Store
from crosswire.workflows import COMPARISON_INPUTS, StoryView, central_title, get_story, story_corrections


@dataclass(frozen=True, slots=True)
class StorySummary:
    """One line of the story list."""

    row: StoryRow
    title: str | None
    outlets: tuple[str, ...]
    languages: tuple[str, ...]
    conflicts: int | None = None  # from the stored comparison, when it is current; None: not compared yet


@dataclass(frozen=True, slots=True)
class StoryPage:
    """A page of the story list and how many stories match in all."""

    total: int
    query: StoryQuery
    stories: tuple[StorySummary, ...]


@dataclass(frozen=True, slots=True)
class StoryDetail:
    """Everything the story page shows: members by time with their details, and the corrections."""

    view: StoryView
    details: dict[str, MemberDetail]
    corrections: tuple[story_db.Correction, ...]


@dataclass(frozen=True, slots=True)
class ArticleDetail:
    """An article with its removed lines, every input that produced it, and its story."""

    article: Article
    origins: tuple[Origin, ...]
    story_id: str | None


@dataclass(frozen=True, slots=True)
class SearchPage:
    """A page of search hits and how many articles match in all."""

    total: int
    hits: tuple[SearchHit, ...]


def find_stories(store: Store, query: StoryQuery) -> StoryPage:
    """The stories matching ``query``, one page, with their central headline, outlets and languages."""
    with store.engine.connect() as conn:
        total, rows = browse_db.story_rows(conn, query)
        by_story: dict[str, list[browse_db.Headline]] = defaultdict(list)
        for h in browse_db.headlines(conn, [r.id for r in rows]):
            by_story[h.story_id].append(h)
        vectors = story_db.embeddings(conn, [h.article_id for hs in by_story.values() for h in hs])
        cached = comparison_db.conflict_counts(conn, [r.id for r in rows])
    summaries = tuple(_summary(r, by_story[r.id], vectors, cached.get(r.id)) for r in rows)
    return StoryPage(total, query, summaries)


def _summary(row: StoryRow, members: list[browse_db.Headline], vectors: dict[str, object],
             cached: tuple[str, int] | None) -> StorySummary:
    outlets = tuple(sorted({m.outlet for m in members if m.outlet}))
    languages = tuple(sorted({m.language for m in members if m.language}))
    current = cached is not None and cached[0] == comparison_db.signature((m.article_id for m in members), COMPARISON_INPUTS)
    return StorySummary(row, central_title(members, vectors), outlets, languages, cached[1] if cached and current else None)


@dataclass(frozen=True, slots=True)
class StoryLead:
    """What the story list shows under a headline: the lead sentence (the original report's, as the stored
    comparison quotes it; else the opening of the article whose headline names the story) and the stored
    comparison's summary lines (agree, dispute, original, adds …) — read, never computed."""

    article_id: str
    outlet: str | None
    text: str
    original: bool  # the lead is the original report's, per the stored comparison
    lines: tuple[dict[str, Any], ...]  # summary lines of a current stored comparison; () when pending or absent


def story_leads(store: Store, page: StoryPage) -> dict[str, StoryLead]:
    """Story id → its lead, for one page of the story list: two small reads, no comparison computed."""
    ids = [s.row.id for s in page.stories]
    with store.engine.connect() as conn:
        members: dict[str, list[browse_db.Headline]] = defaultdict(list)
        for h in browse_db.headlines(conn, ids):
            members[h.story_id].append(h)
        stored = comparison_db.summary_lines(conn, ids)
        heads = {s.row.id: next((h for h in members[s.row.id] if h.title == s.title), None) for s in page.stories}
        details = browse_db.member_details(conn, [h.article_id for h in heads.values() if h])
    out = {}
    for s in page.stories:
        signature, lines = stored.get(s.row.id, ("", []))
        current = signature == comparison_db.signature((m.article_id for m in members[s.row.id]), COMPARISON_INPUTS)
        lines = lines if current else []
        first = next((p for x in lines if x.get("kind") == "original" for p in x.get("passages", [])[:1]), None)
        head = heads[s.row.id]
        if first:
            out[s.row.id] = StoryLead(first["article_id"], first.get("outlet"), first["text"], True, tuple(lines))
        elif head and head.article_id in details:
            out[s.row.id] = StoryLead(head.article_id, head.outlet, details[head.article_id].lead, False, tuple(lines))
    return out


def story_detail(store: Store, story_id: str) -> StoryDetail:
    """One story (id or unique prefix) with its members' details and corrections."""
    view = get_story(store, story_id)
    with store.engine.connect() as conn:
        details = browse_db.member_details(conn, [m.article_id for m in view.members])
    return StoryDetail(view, details, tuple(story_corrections(store, view.id)))


def article_detail(store: Store, article_id: str) -> ArticleDetail:
    """One article (id or unique prefix) with removed lines, origins and story."""
    article = store.article(article_id)
    with store.engine.connect() as conn:
        story_id = browse_db.story_of_article(conn, article.id)
    return ArticleDetail(article, tuple(store.origins(article.id)), story_id)


def search_articles(store: Store, words: str, limit: int, offset: int) -> SearchPage:
    """Articles whose title or text contains all ``words``, best first; then articles quoting a speaker whose
    canonical name holds them ("Dana Kovel" finds an article that only writes "Kovel said")."""
    with store.engine.connect() as conn:
        total, hits = browse_db.search(conn, words, limit, offset)
    return SearchPage(total, tuple(hits))


def filter_options(store: Store) -> tuple[list[str], list[str]]:
    """(outlets, languages) present in the store, for filter menus."""
    with store.engine.connect() as conn:
        return browse_db.distinct_values(conn)

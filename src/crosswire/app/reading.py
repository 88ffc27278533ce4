"""Reading use-cases: articles, analyses, statements, entities, timelines, pages of stories for the web,
full-text search, summaries and the export."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import IO

import numpy as np

from crosswire import compare, export
from crosswire.app.comparison import COMPARISON_INPUTS, CompareProgress, compare_stories, stale_stories, stored_comparison
from crosswire.app.stories import StoryView, central_title, get_story, list_stories, story_corrections, story_of
from crosswire.errors import NotFound
from crosswire.model import Analysis, Article, Origin, StatementClass, SummaryLine
from crosswire.storage import analysis as analysis_db
from crosswire.storage import browse as browse_db
from crosswire.storage import comparisons as comparison_db
from crosswire.storage import stories as story_db
from crosswire.storage.browse import MemberDetail, SearchHit, StoryQuery, StoryRow
from crosswire.storage.store import ArticleFilter, Store, now_iso


def article_analysis(store: Store, article_id: str) -> Analysis | None:
    """The stored entities, statements and claims of one article (None: not analysed yet)."""
    with store.reader() as rd:
        return rd.load_analysis(rd.resolve_id(article_id))


SPEECH_ONLY = (StatementClass.SPEECH,)


def statements(store: Store, speaker: str | None = None, article: str | None = None, story: str | None = None,
               limit: int | None = None, classes: Sequence[StatementClass] | None = SPEECH_ONLY,
               ) -> list[analysis_db.StoredStatement]:
    """Statements across the store, by speaker (entity key or part of the name), article, story and class
    (speech unless asked; None: every class); in time order."""
    ids: list[str] | None = None
    if article:
        ids = [store.resolve_id(article)]
    if story:
        members = [m.article_id for m in get_story(store, story).members]
        ids = members if ids is None else [i for i in ids if i in members]
    with store.reader() as rd:
        return rd.find_statements(speaker, ids, limit, classes)


def entities(store: Store, kind: str | None = None, search: str | None = None, limit: int | None = None) -> list[analysis_db.EntityRow]:
    """Canonical entities with how many articles mention them and how often they are quoted."""
    with store.reader() as rd:
        return rd.entity_rows(kind, search, limit)


def entity(store: Store, key: str) -> analysis_db.EntityRow:
    """One entity by its exact key (``person:dana kovel``), with its counts."""
    rows = [r for r in entities(store, search=key) if r.entity.key == key]
    if not rows:
        raise NotFound(f"no entity with key {key!r}; `crosswire entities --search NAME` lists the keys")
    return rows[0]


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One statement of a speaker in time, with what it is about and the statements it may contradict."""

    statement: analysis_db.StoredStatement
    about: tuple[str, ...]  # entity keys named in the statement
    story_id: str | None
    contradicts: tuple[str, ...] = ()  # ids of earlier statements it may contradict


def timeline(store: Store, speaker: str, about: str | None = None,
             classes: Sequence[StatementClass] | None = SPEECH_ONLY) -> list[TimelineEntry]:
    """All statements of one speaker across stories in time order (speech unless asked), possible contradictions flagged."""
    rows = statements(store, speaker=speaker, classes=classes)
    stories = story_of(store)
    entries = []
    analyses: dict[str, Analysis | None] = {}
    with store.reader() as rd:
        for r in rows:
            if r.article_id not in analyses:  # a speaker is often quoted several times in one article
                analyses[r.article_id] = rd.load_analysis(r.article_id)
            analysis = analyses[r.article_id]
            keys = _entities_in(analysis, r.statement.content) if analysis else ()
            if about and not any(about.lower() in k for k in keys):
                continue
            entries.append(TimelineEntry(r, keys, stories.get(r.article_id)))
    return compare.flag_contradictions(entries)


def _entities_in(analysis: Analysis, spans: tuple[tuple[int, int], ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.entity for m in analysis.mentions if any(a <= m.span[0] < b for a, b in spans)))


def demo_corpus_path() -> Path:
    """The bundled, fictional demo corpus."""
    return Path(str(files("crosswire.demo").joinpath("corpus")))


def list_articles(store: Store, flt: ArticleFilter) -> list[Article]:
    """Articles matching a filter."""
    return store.articles(flt)


def export_all(store: Store, fmt: str, out: IO[str], flt: ArticleFilter | None = None, compare_missing: bool = True,
               workers: int = 1, progress: CompareProgress | None = None, generated_at: str | None = None) -> int:
    """Write every article in ``fmt`` (json, jsonl, csv); returns how many were written. The JSON document's
    stories carry their stored comparison; with ``compare_missing`` the missing or stale ones are computed first
    (in ``workers`` processes, ``progress`` told after each story) and stored, else they are null (the HTTP API,
    which must answer in time). ``generated_at`` defaults to now (the HTTP API gives the store's last change, so
    an unchanged store exports the same bytes and answers its ETag with 304)."""
    arts = store.articles(flt or ArticleFilter(), with_removed=True)
    stories = story_of(store)
    with store.reader() as rd:
        records = [export.article_record(a, store.origins(a.id), stories.get(a.id), rd.load_analysis(a.id),
                                         rd.revisions(a.id))  # every version of a revised article (issue #20)
                   for a in arts]
    if fmt == "json":
        if compare_missing:
            compare_stories(store, stale_stories(store, min_size=1), workers, progress)
        stories_out = [export.story_record(v, stored_comparison(store, v.id, [m.article_id for m in v.members]))
                       for v in list_stories(store)]  # fmt: skip
        export.write_json(records, out, generated_at or now_iso(), stories_out)
    elif fmt == "jsonl":
        export.write_jsonl(records, out)
    elif fmt == "csv":
        export.write_csv(records, out)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return len(records)


def summarise(store: Store) -> dict[str, object]:
    """Counts for the demo and status output: articles, outlets, languages, date sources, rejections."""
    arts = store.articles()
    return {
        "articles": len(arts),
        "outlets": store.outlet_counts(),
        "languages": Counter(a.meta.language or "?" for a in arts).most_common(),
        "date_sources": Counter(str(a.meta.published.source) for a in arts).most_common(),
        "copies": sum(1 for a in arts if a.duplicate_of),
        "rejections": len(store.rejections()),
    }


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
    with store.reader() as rd:
        total, rows = rd.story_rows(query)
        by_story: dict[str, list[browse_db.Headline]] = defaultdict(list)
        for h in rd.headlines([r.id for r in rows]):
            by_story[h.story_id].append(h)
        vectors = rd.embeddings([h.article_id for hs in by_story.values() for h in hs])
        cached = rd.conflict_counts([r.id for r in rows])
    summaries = tuple(_summary(r, by_story[r.id], vectors, cached.get(r.id)) for r in rows)
    return StoryPage(total, query, summaries)


def _summary(row: StoryRow, members: list[browse_db.Headline], vectors: Mapping[str, np.ndarray],
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
    outlet: str | None  # the lead article's outlet
    text: str
    original: bool  # the lead is the original report's, per the stored comparison
    lines: tuple[SummaryLine, ...]  # summary lines of a current stored comparison; () when pending or absent


def story_leads(store: Store, page: StoryPage) -> dict[str, StoryLead]:
    """Story id → its lead, for one page of the story list: two small reads, no comparison computed."""
    ids = [s.row.id for s in page.stories]
    with store.reader() as rd:
        members: dict[str, list[browse_db.Headline]] = defaultdict(list)
        for h in rd.headlines(ids):
            members[h.story_id].append(h)
        stored = rd.summary_lines(ids)
        heads = {s.row.id: next((h for h in members[s.row.id] if h.title == s.title), None) for s in page.stories}
        details = rd.member_details([h.article_id for h in heads.values() if h])
    out = {}
    for s in page.stories:
        outlets = {m.article_id: m.outlet for m in members[s.row.id]}
        signature, lines = stored.get(s.row.id, ("", ()))
        lines = lines if signature == comparison_db.signature(outlets, COMPARISON_INPUTS) else ()
        first = next((p for x in lines if x.kind == "original" for p in x.passages[:1]), None)
        head = heads[s.row.id]
        if first:  # a current comparison's members are the story's, so its article's outlet is the one the record names
            out[s.row.id] = StoryLead(first.article_id, outlets.get(first.article_id), first.text, True, lines)
        elif head and head.article_id in details:
            out[s.row.id] = StoryLead(head.article_id, head.outlet, details[head.article_id].lead, False, lines)
    return out


def story_detail(store: Store, story_id: str) -> StoryDetail:
    """One story (id or unique prefix) with its members' details and corrections."""
    view = get_story(store, story_id)
    with store.reader() as rd:
        details = rd.member_details([m.article_id for m in view.members])
    return StoryDetail(view, details, tuple(story_corrections(store, view.id)))


def article_detail(store: Store, article_id: str) -> ArticleDetail:
    """One article (id or unique prefix) with removed lines, origins and story: five small queries on one
    connection (each is a round trip to PostgreSQL, which the article page's time is mostly made of)."""
    with store.reader() as rd:
        article, origins = rd.article(article_id)
        return ArticleDetail(article, origins, rd.story_of_article(article.id))


def search_articles(store: Store, words: str, limit: int, offset: int) -> SearchPage:
    """Articles whose title or text contains all ``words``, best first; then articles quoting a speaker whose
    canonical name holds them ("Dana Kovel" finds an article that only writes "Kovel said")."""
    with store.reader() as rd:
        total, hits = rd.search(words, limit, offset)
    return SearchPage(total, tuple(hits))


def filter_options(store: Store) -> tuple[list[str], list[str]]:
    """(outlets, languages) present in the store, for filter menus."""
    with store.reader() as rd:
        return rd.distinct_values()

"""The HTTP API under /api: articles, stories, story comparisons, statements, entities, speaker timelines, article
analyses, search, export, ingest and story corrections.

Reads are open; every POST needs ``Authorization: Bearer <CROSSWIRE_API_TOKEN>`` (refused when no token
is configured). Lists take ``limit``/``offset`` and filters. Every read carries an ETag and the store's
Last-Modified, and answers 304 to a matching If-None-Match (``caching``). Every route has a tag and a summary.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from crosswire.app import comparison, ingest, reading, stories
from crosswire.errors import Pending
from crosswire.ingest.sources import InputRef
from crosswire.model import StatementClass
from crosswire.storage.browse import StoryQuery
from crosswire.storage.store import ArticleFilter
from crosswire.web import analysis_views as av
from crosswire.web import comparison_views as cv
from crosswire.web import views
from crosswire.web.caching import ConditionalRoute, store_changed
from crosswire.web.deps import check_token, settings_of, store_of, writing

ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
MAX_PAGE = 500  # rows per page: keeps one response well under a megabyte of JSON
ERRORS: dict[int | str, dict[str, Any]] = {status: {"model": views.ErrorOut} for status in (404, 422)}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {status: {"model": views.ErrorOut} for status in (400, 401, 403, 404, 409, 413, 422)}
EXPORT_TYPES = {"json": "application/json", "jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}

router = APIRouter(prefix="/api", route_class=ConditionalRoute)
TAGS = [  # the sections of /openapi.json, in this order
    {"name": "articles", "description": "Stored articles: metadata with the signal behind each value, clean text, analysis."},
    {"name": "stories", "description": "Groups of articles about one event, and why each article is in its story."},
    {"name": "comparisons", "description": "How a story's articles differ: provenance, conflicts, aligned statements, facts."},
    {"name": "statements", "description": "Who said what, with spans; entities across spellings; a speaker's timeline."},
    {"name": "search", "description": "Full-text search over titles and texts."},
    {"name": "export", "description": "Everything in the versioned export schema."},
    {"name": "corrections", "description": "Merge, split and move stories (recorded; needs the token)."},
    {"name": "ingest", "description": "Add articles, files or URLs (the code path of `crosswire add`; needs the token)."},
    {"name": "alerts", "description": "Alerts raised by saved watches (new articles, conflicts, statements, revisions)."},
]
bearer = HTTPBearer(auto_error=False, description="The server's CROSSWIRE_API_TOKEN.")

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Rows per page.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip.")]
Since = Annotated[str | None, Query(pattern=ISO_DATE, description="Published on or after (YYYY-MM-DD).")]
Until = Annotated[str | None, Query(pattern=ISO_DATE, description="Published on or before (YYYY-MM-DD).")]
Outlet = Annotated[str | None, Query(max_length=200, description="Outlet name (case-insensitive).")]
Language = Annotated[str | None, Query(max_length=16, description="Language code, e.g. en.")]


def require_token(request: Request, token: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> None:
    """Writes need the server's token; checked before the body is validated."""
    check_token(settings_of(request), token.credentials if token else None)


Write = [Depends(require_token)]


@router.get("/articles", response_model=views.ArticleListOut, responses=ERRORS,
             tags=["articles"], summary="List articles")
def list_articles(
    request: Request, outlet: Outlet = None, language: Language = None, since: Since = None, until: Until = None,
    search: Annotated[str | None, Query(max_length=200, description="Substring of title or text.")] = None,
    limit: Limit = 50, offset: Offset = 0,
) -> views.ArticleListOut:  # fmt: skip
    """Stored articles, oldest publication first (undated last)."""
    flt = ArticleFilter(outlet, language, since, until, search, limit + 1, offset)
    rows = reading.list_articles(store_of(request), flt)
    items = [views.article_summary(a) for a in rows[:limit]]
    return views.ArticleListOut(limit=limit, offset=offset, next_offset=offset + limit if len(rows) > limit else None, items=items)


@router.get("/articles/{article_id}", response_model=views.ArticleOut, responses=ERRORS,
             tags=["articles"], summary="Get one article")
def get_article(request: Request, article_id: str) -> views.ArticleOut:
    """One article (id or unique prefix): metadata with the signal behind each value, clean text, removed lines, flags."""
    return views.article_out(reading.article_detail(store_of(request), article_id))


@router.get("/stories", response_model=views.StoryListOut, responses=ERRORS,
             tags=["stories"], summary="List stories")
def list_stories(
    request: Request, since: Since = None, until: Until = None, outlet: Outlet = None, language: Language = None,
    q: Annotated[str | None, Query(max_length=200, description="Words every match contains (title or text of a member).")] = None,
    order: Literal["size", "recent"] = "size", limit: Limit = 50, offset: Offset = 0,
    entity: Annotated[str | None, Query(max_length=200, description="Entity key (person:vladimir putin) or part of a name a member mentions.")] = None,
) -> views.StoryListOut:  # fmt: skip
    """Stories with a member matching every filter; biggest first, or most recently updated first."""
    query = StoryQuery(since, until, outlet, language, q, order, limit, offset, entity)
    store = store_of(request)
    found = reading.find_stories(store, query)
    return views.story_list_out(found, reading.story_leads(store, found))  # what the page shows: lead and summary lines


@router.get("/stories/{story_id}", response_model=views.StoryOut, responses=ERRORS,
             tags=["stories"], summary="Get one story")
def get_story(request: Request, story_id: str) -> views.StoryOut:
    """One story (id or unique prefix): its articles by time, why each is there, and the corrections made."""
    return views.story_out(reading.story_detail(store_of(request), story_id))


@router.get("/stories/{story_id}/comparison", response_model=cv.StoryComparisonOut, responses=ERRORS,
             tags=["comparisons"], summary="Get a story's comparison")
def get_comparison(request: Request, story_id: str) -> cv.StoryComparisonOut:
    """How the story's articles differ: summary, provenance, independent sources, conflicts, aligned statements and
    their shifts, fact table. Computed after ingest (``crosswire add`` / ``crosswire compare``), never in a request:
    a story whose comparison is not stored yet (or is out of date) answers 409 ``pending``."""
    store = store_of(request)
    stored = comparison.stored_comparison(store, story_id)
    if stored is None:
        raise Pending(f"the comparison of story {story_id} is not computed yet: run `crosswire add` or `crosswire compare`")
    return cv.story_comparison_out(stored)


@router.get("/articles/{article_id}/analysis", response_model=av.AnalysisOut, responses=ERRORS,
             tags=["articles"], summary="Get an article's analysis")
def get_analysis(request: Request, article_id: str) -> av.AnalysisOut:
    """An article's entities, mentions, statements and claims, with spans into its clean text."""
    store = store_of(request)
    article = store.article(article_id)
    return av.analysis_out(article.id, reading.article_analysis(store, article.id), article.text)


ClassQuery = Annotated[list[Literal["speech", "stance", "no-comment", "all"]] | None, Query(
    alias="class", description="speech (default), stance, no-comment or all; repeat for several.")]


@router.get("/statements", response_model=av.StatementListOut, responses=ERRORS,
             tags=["statements"], summary="List statements")
def list_statements(
    request: Request,
    speaker: Annotated[str | None, Query(max_length=200, description="Entity key (kind:name) or part of the speaker's name.")] = None,
    article: Annotated[str | None, Query(max_length=64, description="Article id or unique prefix.")] = None,
    story: Annotated[str | None, Query(max_length=64, description="Story id or unique prefix.")] = None,
    class_: ClassQuery = None,
    limit: Limit = 50, offset: Offset = 0,
) -> av.StatementListOut:  # fmt: skip
    """Who said what, in time order: each statement with speaker, cue, kind, class, content and spans (speech unless ``class``)."""
    rows = reading.statements(store_of(request), speaker or None, article or None, story or None, offset + limit + 1,
                                _classes(class_))
    items = [av.statement_out(r) for r in rows[offset : offset + limit]]
    return av.StatementListOut(limit=limit, offset=offset, next_offset=_next(rows, offset, limit), items=items)


@router.get("/entities", response_model=av.EntityListOut, responses=ERRORS,
             tags=["statements"], summary="List entities")
def list_entities(
    request: Request, kind: Literal["person", "org", "place", "group"] | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Part of a name or key.")] = None,
    limit: Limit = 50, offset: Offset = 0,
) -> av.EntityListOut:  # fmt: skip
    """People, organisations, places and groups, most mentioned first, with variants and counts."""
    rows = reading.entities(store_of(request), kind, q or None, offset + limit + 1)
    items = [av.entity_row_out(r) for r in rows[offset : offset + limit]]
    return av.EntityListOut(limit=limit, offset=offset, next_offset=_next(rows, offset, limit), items=items)


@router.get("/timeline", response_model=av.TimelineOut, responses=ERRORS,
             tags=["statements"], summary="Get a speaker's timeline")
def get_timeline(
    request: Request,
    speaker: Annotated[str, Query(min_length=1, max_length=200, description="Entity key (kind:name) or part of the name.")],
    about: Annotated[str | None, Query(max_length=200, description="Only statements naming this entity (part of its key).")] = None,
    class_: ClassQuery = None,
) -> av.TimelineOut:  # fmt: skip
    """Everything one speaker said across stories in time order (speech unless ``class``), possible contradictions flagged."""
    store = store_of(request)
    ent = reading.entity(store, speaker) if ":" in speaker else None
    return av.timeline_out(speaker, about, ent, reading.timeline(store, speaker, about or None, _classes(class_)))


def _classes(values: Sequence[str] | None) -> tuple[StatementClass, ...] | None:
    if not values:
        return reading.SPEECH_ONLY
    return None if "all" in values else tuple(StatementClass(v) for v in values)


def _next(rows: Sequence[object], offset: int, limit: int) -> int | None:
    return offset + limit if len(rows) > offset + limit else None


@router.post("/stories/{story_id}/merge", response_model=views.CorrectionOut, responses=WRITE_ERRORS, dependencies=Write,
             tags=["corrections"], summary="Merge a story into this one")
def merge(request: Request, story_id: str, body: views.MergeIn) -> views.CorrectionOut:
    """Move every article of ``other`` into this story (recorded; kept by later grouping)."""
    with writing(request) as store:
        return _correction(stories.merge_stories(store, story_id, body.other, body.by or "api"))


@router.post("/stories/{story_id}/split", response_model=views.CorrectionOut, responses=WRITE_ERRORS, dependencies=Write,
             tags=["corrections"], summary="Split articles out of a story")
def split(request: Request, story_id: str, body: views.SplitIn) -> views.CorrectionOut:
    """Take the named articles out of this story into a new one."""
    with writing(request) as store:
        return _correction(stories.split_story(store, story_id, body.article_ids, body.by or "api"))


@router.post("/stories/{story_id}/move", response_model=views.CorrectionOut, responses=WRITE_ERRORS, dependencies=Write,
             tags=["corrections"], summary="Move an article into a story")
def move(request: Request, story_id: str, body: views.MoveIn) -> views.CorrectionOut:
    """Put one article into this story."""
    with writing(request) as store:
        return _correction(stories.move_article(store, body.article_id, story_id, body.by or "api"))


def _correction(c: object) -> views.CorrectionOut:
    return views.CorrectionOut.model_validate(c, from_attributes=True)


@router.get("/search", response_model=views.SearchOut, responses=ERRORS,
             tags=["search"], summary="Search articles")
def search(
    request: Request, q: Annotated[str, Query(min_length=1, max_length=200, description="Words every match contains.")],
    limit: Limit = 20, offset: Offset = 0,
) -> views.SearchOut:  # fmt: skip
    """Articles whose title or text contains every word (SQLite FTS5), best first, with a marked snippet."""
    return views.search_out(q, reading.search_articles(store_of(request), q, limit, offset), limit, offset)


@router.get(
    "/export", responses={200: {"content": {t: {} for t in EXPORT_TYPES.values()}, "description": "The export."}, **ERRORS},
    tags=["export"], summary="Export articles and stories",
)
def export(
    request: Request, format: Literal["json", "jsonl", "csv"] = "json", outlet: Outlet = None, language: Language = None,
    since: Since = None, until: Until = None,
) -> Response:  # fmt: skip
    """Articles (and, in JSON, stories) in the versioned export schema (docs/export-schema.md)."""
    out = io.StringIO()
    changed = store_changed(request)  # as of the store's last change: the same store, the same bytes (ETag, 304)
    reading.export_all(store_of(request), format, out, ArticleFilter(outlet, language, since, until), compare_missing=False,
                       generated_at=changed.replace(microsecond=0).isoformat() if changed else None)  # fmt: skip
    return Response(out.getvalue(), media_type=EXPORT_TYPES[format])


@router.post("/ingest/articles", response_model=views.IngestOut, responses=WRITE_ERRORS, dependencies=Write,
             tags=["ingest"], summary="Ingest articles as JSON")
def ingest_articles(request: Request, body: views.IngestArticlesIn) -> views.IngestOut:
    """Store articles given as JSON objects (the JSONL input fields); the report has one entry per article."""
    data = json.dumps({"articles": body.articles}, ensure_ascii=False).encode()
    return _ingest(request, [(InputRef("upload", "api-request.json"), data)])


@router.post("/ingest/files", response_model=views.IngestOut, responses=WRITE_ERRORS, dependencies=Write,
             tags=["ingest"], summary="Ingest uploaded files")
def ingest_files(request: Request, files: Annotated[list[UploadFile], File(description="Any input format.")]) -> views.IngestOut:
    """Store uploaded files of any input format (text, HTML, feeds, JSON/JSONL, WARC; .gz too), read by their name and content."""
    return _ingest(request, [(InputRef("upload", f.filename or "upload"), f.file.read()) for f in files])


@router.post("/ingest/urls", response_model=views.IngestOut, responses=WRITE_ERRORS, dependencies=Write,
             tags=["ingest"], summary="Ingest URLs")
def ingest_urls(request: Request, body: views.IngestUrlsIn) -> views.IngestOut:
    """Fetch and store pages or feeds; private and loopback addresses are refused unless the server allows them."""
    return _ingest(request, [(InputRef("url", u), b"") for u in body.urls])


def _ingest(request: Request, inputs: list[tuple[InputRef, bytes]]) -> views.IngestOut:
    """Each input through ``ingest.add_inputs``, the CLI's code path; the reports are joined."""
    # One process: a request body is at most one input's size limit, and forking a pool from a server
    # thread risks inheriting locks held by other threads.
    settings, fetch = replace(settings_of(request), workers=1), request.app.state.fetch
    outcomes: list[ingest.Outcome] = []
    with writing(request) as store:
        for ref, data in inputs:
            outcomes += ingest.add_inputs([ref], settings, store, stdin=io.BytesIO(data), fetch=fetch).outcomes
    return views.ingest_out(ingest.AddReport(tuple(outcomes)))

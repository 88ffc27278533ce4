"""View models: the JSON the API returns and the context the templates render are the same objects,
so a page never shows what the API can't. Built from workflow results; no logic beyond translation.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from pydantic import BaseModel, Field

from crosswire import export
from crosswire.app.ingest import AddReport
from crosswire.app.reading import ArticleDetail, SearchPage, StoryDetail, StoryLead, StoryPage
from crosswire.model import Article
from crosswire.storage.browse import HIT_END, HIT_START


class ErrorBody(BaseModel):
    code: str = Field(description="not_found, invalid, unauthorized, forbidden, too_large, conflict, ...")
    message: str = Field(description="What went wrong, naming the item and the problem.")


class ErrorOut(BaseModel):
    error: ErrorBody


class DateOut(BaseModel):
    value: str | None
    source: str = Field(description="stated, metadata, inferred or unknown")
    evidence: str = Field(description="How the date was found, e.g. the text line or the HTML signal.")


class ArticleSummaryOut(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    language: str | None
    published: DateOut
    url: str | None
    duplicate_of: str | None


class ArticleListOut(BaseModel):
    limit: int
    offset: int
    next_offset: int | None = Field(description="Offset of the next page; null on the last page.")
    items: list[ArticleSummaryOut]


class OriginOut(BaseModel):
    kind: str
    locator: str
    item: str | None


class SignalOut(BaseModel):
    field: str
    signal: str


class RemovedLineOut(BaseModel):
    line_no: int
    text: str
    reason: str
    rule: str


class FlagOut(BaseModel):
    kind: str
    start: int
    end: int
    detail: str
    score: float


class ArticleOut(BaseModel):
    """One article as in the export schema (docs/export-schema.md), without the analysis layers not built yet."""

    id: str
    external_id: str | None
    origins: list[OriginOut]
    format: str
    title: str | None
    outlet: str | None
    authors: list[str]
    credited: list[str]
    dateline: str | None
    published: DateOut
    updated: str | None
    seen: str | None
    url: str | None
    canonical_url: str | None
    language: str | None
    encoding: str
    content_hash: str
    duplicate_of: str | None
    signals: list[SignalOut]
    text: str
    removed_lines: list[RemovedLineOut]
    flags: list[FlagOut]
    story_id: str | None


class LeadLineOut(BaseModel):
    kind: str = Field(description="agree, dispute, original, adds, coverage or independence")
    text: str


class StoryLeadOut(BaseModel):
    article_id: str
    outlet: str | None
    text: str = Field(description="The lead sentence: the original report's (from the stored comparison), else the opening of the headline's article.")
    original: bool = Field(description="True when the stored comparison names this article the original report.")


class StorySummaryOut(BaseModel):
    id: str
    title: str | None = Field(description="The most central member headline.")
    size: int
    first_published: str | None
    last_published: str | None
    created: str = Field(description="When its first article was stored.")
    updated: str = Field(description="When its latest article was stored.")
    outlets: list[str]
    languages: list[str]
    conflicts: int | None = Field(None, description="Conflicts in the stored comparison; null until the story has been compared.")
    lead: StoryLeadOut | None = Field(None, description="The story's lead sentence, when the list was asked for leads.")
    lines: list[LeadLineOut] = Field([], description="The stored comparison's summary lines (what outlets agree on and dispute).")


class StoryListOut(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[StorySummaryOut]


class MemberOut(BaseModel):
    article_id: str
    title: str | None
    outlet: str | None
    language: str | None
    published: DateOut
    duplicate_of: str | None
    url: str | None
    lead: str = Field(description="The first characters of the clean text.")
    score: float = Field(description="Similarity to the story when the article joined it.")
    embedding_similarity: float
    names_similarity: float
    shared_names: list[str]
    started_story: bool


class CorrectionOut(BaseModel):
    at: str
    who: str
    action: str = Field(description="merge, split or move")
    story_id: str = Field(description="The story that received the articles.")
    other_story_id: str | None = Field(description="The story they left.")
    article_ids: list[str]


class StoryOut(BaseModel):
    id: str
    title: str | None
    first_published: str | None
    last_published: str | None
    outlets: list[str]
    languages: list[str]
    articles: list[MemberOut] = Field(description="By publication date, undated last.")
    corrections: list[CorrectionOut]


class SearchHitOut(BaseModel):
    article_id: str
    story_id: str | None
    title: str | None
    outlet: str | None
    published: str | None
    snippet: str = Field(description="Plain text around the matches.")
    highlights: list[tuple[int, int]] = Field(description="(start, end) character offsets of the matches in the snippet.")


class SearchOut(BaseModel):
    q: str
    total: int
    limit: int
    offset: int
    items: list[SearchHitOut]


class IngestItemOut(BaseModel):
    status: str = Field(description="added, duplicate, unchanged or failed")
    input: str
    article_id: str | None
    detail: str


class IngestOut(BaseModel):
    added: int
    duplicate: int
    unchanged: int
    failed: int
    items: list[IngestItemOut]


class IngestArticlesIn(BaseModel):
    articles: list[dict[str, Any]] = Field(
        min_length=1, description="Objects with any of id, url, title, text, html, outlet, author, published, language."
    )


class IngestUrlsIn(BaseModel):
    urls: list[Annotated[str, Field(pattern=r"^[hH][tT][tT][pP][sS]?://\S+$", max_length=2000)]] = Field(min_length=1, max_length=100)


class MergeIn(BaseModel):
    other: str = Field(min_length=1, description="The story whose articles move into this one (id or unique prefix).")
    by: str | None = Field(None, description="Who made the correction; default 'api'.")


class SplitIn(BaseModel):
    article_ids: list[str] = Field(min_length=1, description="Articles that leave this story for a new one.")
    by: str | None = None


class MoveIn(BaseModel):
    article_id: str = Field(min_length=1, description="The article (id or unique prefix) that moves into this story.")
    by: str | None = None


def article_summary(a: Article) -> ArticleSummaryOut:
    """An article as a list row."""
    p = a.meta.published
    return ArticleSummaryOut(
        id=a.id, title=a.meta.title, outlet=a.meta.outlet, language=a.meta.language,
        published=DateOut(value=p.value, source=str(p.source), evidence=p.evidence), url=a.meta.url, duplicate_of=a.duplicate_of,
    )  # fmt: skip


def article_out(d: ArticleDetail) -> ArticleOut:
    """An article with everything the export schema has for it."""
    return ArticleOut.model_validate(export.article_record(d.article, d.origins, d.story_id))


def story_list_out(page: StoryPage, leads: dict[str, StoryLead] | None = None) -> StoryListOut:
    """A page of the story list; with ``leads`` (``reading.story_leads``), each story's lead sentence and summary lines."""
    items = []
    for s in page.stories:
        lead = (leads or {}).get(s.row.id)
        items.append(StorySummaryOut(
            id=s.row.id, title=s.title, size=s.row.size, first_published=s.row.first, last_published=s.row.last,
            created=s.row.created, updated=s.row.updated, outlets=list(s.outlets), languages=list(s.languages),
            conflicts=s.conflicts,
            lead=StoryLeadOut(article_id=lead.article_id, outlet=lead.outlet, text=lead.text, original=lead.original) if lead else None,
            lines=[LeadLineOut(kind=x.kind, text=x.text) for x in (lead.lines if lead else ()) if x.kind and x.text],
        ))  # fmt: skip
    return StoryListOut(total=page.total, limit=page.query.limit, offset=page.query.offset, items=items)


def story_out(d: StoryDetail) -> StoryOut:
    """One story with its members by time, why each is there, and its corrections."""
    v = d.view
    members = [
        MemberOut(
            article_id=m.article_id, title=m.title, outlet=m.outlet, language=m.language,
            published=DateOut(value=m.published, source=m.published_source, evidence=d.details[m.article_id].published_evidence),
            duplicate_of=d.details[m.article_id].duplicate_of, url=d.details[m.article_id].url, lead=d.details[m.article_id].lead,
            score=m.score, embedding_similarity=m.embedding_sim, names_similarity=m.names_sim,
            shared_names=list(m.shared_names), started_story=m.new_story,
        )  # fmt: skip
        for m in v.members
    ]
    corrections = [CorrectionOut(**asdict(c)) for c in d.corrections]
    return StoryOut(
        id=v.id, title=v.title, first_published=v.first, last_published=v.last, outlets=list(v.outlets),
        languages=list(v.languages), articles=members, corrections=corrections,
    )  # fmt: skip


def search_out(q: str, page: SearchPage, limit: int, offset: int) -> SearchOut:
    """Search hits with their snippets split into plain text and match offsets."""
    items = []
    for h in page.hits:
        snippet, spans = split_marks(h.snippet)
        items.append(
            SearchHitOut(
                article_id=h.article_id, story_id=h.story_id, title=h.title, outlet=h.outlet, published=h.published,
                snippet=snippet, highlights=spans,
            )  # fmt: skip
        )
    return SearchOut(q=q, total=page.total, limit=limit, offset=offset, items=items)


def split_marks(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Remove the storage's match markers, returning the plain text and the marked spans."""
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    at, start = 0, 0
    for ch in marked:
        if ch == HIT_START:
            start = at
        elif ch == HIT_END:
            spans.append((start, at))
        else:
            plain.append(ch)
            at += 1
    return "".join(plain), spans


def ingest_out(report: AddReport) -> IngestOut:
    """The per-item outcome of an ingest, as the CLI's ``add --json`` prints it."""
    items = [
        IngestItemOut(status=o.status, input=o.origin.label(), article_id=o.article_id, detail=o.detail) for o in report.outcomes
    ]
    counts = {s: report.count(s) for s in ("added", "duplicate", "unchanged", "failed")}
    return IngestOut(**counts, items=items)


def segments(text: str, spans: list[tuple[int, int]] | list[FlagOut]) -> list[tuple[str, bool]]:
    """``text`` cut into (part, marked) pieces at the given spans, for templates to mark without raw HTML."""
    bounds = sorted((s.start, s.end) if isinstance(s, FlagOut) else (s[0], s[1]) for s in spans)
    parts: list[tuple[str, bool]] = []
    at = 0
    for start, end in bounds:
        start, end = max(start, at), min(end, len(text))
        if start >= end:
            continue
        parts += [(text[at:start], False), (text[start:end], True)]
        at = end
    parts.append((text[at:], False))
    return [p for p in parts if p[0]]


def safe_href(url: str | None) -> str | None:
    """A URL fit for a link: only http(s); anything else (javascript:, data:) is shown as text, never linked."""
    return url if url and url.strip().lower().startswith(("http://", "https://")) and url == url.strip() else None

"""The HTML pages (server-rendered, autoescaped Jinja2) and the Atom feed; they render the API's view models.

Correction forms post the server's token in the form body: without a configured token they are refused
like the API's writes, and a page on another site cannot forge them (it does not know the token).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from crosswire.app import comparison, reading, stories
from crosswire.storage.browse import StoryQuery
from crosswire.web import analysis_views as av
from crosswire.web import comparison_views as cv
from crosswire.web import views
from crosswire.web.caching import conditional
from crosswire.web.comparison_page import fact_table, provenance_graph
from crosswire.web.deps import check_token, html, settings_of, store_of, writing
from crosswire.web.entity_urls import entity_path, entity_slug, find_entity
from crosswire.web.highlight import Layer, layers, mark_toggles, pieces
from crosswire.web.timeline import story_timeline

PAGE_SIZE = 50  # stories per page of the list
SEARCH_PAGE_SIZE = 20
FEED_ENTRIES = 50
PENDING = "Comparison pending: run `crosswire add` (it compares the stories it changed) or `crosswire compare STORY`."
ATOM = "http://www.w3.org/2005/Atom"

router = APIRouter(include_in_schema=False)
DateParam = Annotated[str | None, Query(pattern=r"^(\d{4}-\d{2}-\d{2})?$")]
TextParam = Annotated[str | None, Query(max_length=200)]
MarkKind = Literal["statements", "entities", "claims", "quantities", "dates", "none"]  # MARK_KINDS; "none": the form was sent


@router.get("/", response_class=HTMLResponse, name="story_list")
def story_list(
    request: Request, q: TextParam = None, since: DateParam = None, until: DateParam = None, outlet: TextParam = None,
    language: TextParam = None, entity: TextParam = None, offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:  # fmt: skip
    """The story list with search and filters."""
    query = StoryQuery(since or None, until or None, outlet or None, language or None, q or None, "size", PAGE_SIZE, offset,
                       entity or None)
    store = store_of(request)
    found = reading.find_stories(store, query)
    page = views.story_list_out(found, reading.story_leads(store, found))
    outlets, languages = reading.filter_options(store)
    context = {"page": page, "query": query, "outlets": outlets, "languages": languages}
    return html(request, "stories.html", context)


@router.get("/stories/{story_id}", response_class=HTMLResponse, name="story_page")
def story_page(request: Request, story_id: str) -> HTMLResponse:
    """A story: the comparison's summary, its articles side by side, the time line, its stored comparison (computed
    after ingest, never here: pending until then), the corrections and the correction forms."""
    store = store_of(request)
    story = views.story_out(reading.story_detail(store, story_id))
    stored = comparison.stored_comparison(store, story.id, [m.article_id for m in story.articles])
    context: dict[str, object] = {"story": story, "timeline": story_timeline(story.articles), "comparison": None,
                                  "outlets": {m.article_id: m.outlet for m in story.articles}}  # fmt: skip
    if stored is not None:
        compared = cv.story_comparison_out(stored)
        summary, fallback = cv.page_summary(compared, context["outlets"])  # type: ignore[arg-type]
        context |= {"comparison": compared, "graph": provenance_graph(compared, story.articles),
                    "facts": fact_table(compared, story.articles), "headline": cv.conflict_headline,
                    "summary": summary, "summary_is_fallback": fallback}  # fmt: skip
    return html(request, "story.html", context)


@router.get("/articles/{article_id}", response_class=HTMLResponse, name="article_page")
def article_page(
    request: Request, article_id: str, start: Annotated[int | None, Query(ge=0)] = None,
    end: Annotated[int | None, Query(ge=0)] = None, marks: Annotated[list[MarkKind] | None, Query()] = None,
) -> HTMLResponse:  # fmt: skip
    """An article: metadata with how each value was found, the clean text with statements marked (names, claims,
    numbers and dates when ``marks`` asks; the page's switches toggle them at once), the passage ``start``–``end`` a
    comparison links to, flags, removed lines on demand."""
    store = store_of(request)
    article = views.article_out(reading.article_detail(store, article_id))
    analysis = av.analysis_out(article.id, reading.article_analysis(store, article.id), article.text)
    passage = (start, end) if start is not None and end is not None and start < end else None
    anchors: dict[int, tuple[str, ...]] = {}
    for st in analysis.statements:
        anchors[st.content_spans[0][0]] = (*anchors.get(st.content_spans[0][0], ()), f"st-{st.id}")
    if passage:
        anchors[passage[0]] = (*anchors.get(passage[0], ()), "passage")
    flagged = [Layer((f.start, f.end), "flagged") for f in article.flags]
    spans = layers(analysis, passage) + flagged
    toggles = mark_toggles(spans, list(marks) if marks is not None else None)
    names = {e.key: e.name for e in analysis.entities}
    return html(request, "article.html", {"article": article, "analysis": analysis, "pieces": pieces(article.text, spans, anchors),
                                          "passage": passage, "toggles": toggles, "names": names})  # fmt: skip


@router.get("/entities/{slug:path}", response_class=HTMLResponse, name="entity_page")
def entity_page(request: Request, slug: str, kind: TextParam = None) -> Response:
    """A speaker or entity at its readable address (``/entities/dana-kovel``; ``?kind=place`` for other kinds): its
    spellings and roles, and everything it said across stories in time order, possible contradictions flagged with
    both statements. An internal key in the address (``person:dana kovel``, as older links had it), or a slug made
    from the key or a spelling (``tomas-reik``), redirects to the one made from its name (``tomas-reyk``)."""
    store = store_of(request)
    if ":" in slug:
        row = reading.entity(store, slug)
        return RedirectResponse(entity_path(row.entity.key, row.entity.name), status_code=301)
    row = find_entity(store, slug, kind or None)
    name_slug = entity_slug(row.entity.name)
    if slug != name_slug and find_entity(store, name_slug, kind or None).entity.key == row.entity.key:
        return RedirectResponse(entity_path(row.entity.key, row.entity.name), status_code=301)  # one address per entity
    timeline = av.timeline_out(row.entity.key, None, row, reading.timeline(store, row.entity.key))
    return html(request, "entity.html", {"entity": av.entity_row_out(row), "timeline": timeline,
                                         "by_id": {i.id: i for i in timeline.items}})  # fmt: skip


@router.get("/search", response_class=HTMLResponse, name="search_page")
def search_page(request: Request, q: TextParam = None, offset: Annotated[int, Query(ge=0)] = 0) -> HTMLResponse:
    """Articles matching the words, with the matches marked in their snippets."""
    result = None
    if q and q.strip():
        result = views.search_out(q, reading.search_articles(store_of(request), q, SEARCH_PAGE_SIZE, offset), SEARCH_PAGE_SIZE, offset)
    return html(request, "search.html", {"q": q or "", "result": result})


@router.post("/stories/{story_id}/merge", name="merge_form")
def merge_form(
    request: Request, story_id: str, other: Annotated[str, Form()], token: Annotated[str, Form()] = "", by: Annotated[str, Form()] = ""
) -> Response:
    """Merge another story into this one."""
    check_token(settings_of(request), token)
    with writing(request) as store:
        c = stories.merge_stories(store, story_id, other.strip(), by.strip() or "web")
    return _to_story(request, c.story_id)


@router.post("/stories/{story_id}/split", name="split_form")
def split_form(
    request: Request, story_id: str, article_ids: Annotated[list[str], Form()], token: Annotated[str, Form()] = "",
    by: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    """Split the ticked articles into a new story."""
    check_token(settings_of(request), token)
    with writing(request) as store:
        c = stories.split_story(store, story_id, article_ids, by.strip() or "web")
    return _to_story(request, c.story_id)


@router.post("/stories/{story_id}/move", name="move_form")
def move_form(
    request: Request, story_id: str, article_id: Annotated[str, Form()], token: Annotated[str, Form()] = "", by: Annotated[str, Form()] = ""
) -> Response:
    """Move an article into this story."""
    check_token(settings_of(request), token)
    with writing(request) as store:
        c = stories.move_article(store, article_id.strip(), story_id, by.strip() or "web")
    return _to_story(request, c.story_id)


def _to_story(request: Request, story_id: str) -> Response:
    return RedirectResponse(request.url_for("story_page", story_id=story_id).path, status_code=303)


@router.get("/stories/{story_id}/brief", name="story_brief")
def story_brief(request: Request, story_id: str, format: Literal["html", "md"] = "html") -> Response:  # noqa: A002
    """The story's extractive brief from its stored comparison (every line cited and quoted; disputes with both
    sides), as a page or as Markdown; pending while the comparison is."""
    from crosswire.compare.brief import to_markdown

    store = store_of(request)
    story = views.story_out(reading.story_detail(store, story_id))
    stored = comparison.stored_brief(store, story.id)
    if format == "md":
        if stored is None:
            return Response(f"# {story.title or story.id}\n\n{PENDING}\n", media_type="text/markdown; charset=utf-8")
        return Response(to_markdown(stored.brief), media_type="text/markdown; charset=utf-8")
    outlets = {m.article_id: m.outlet for m in story.articles}
    context: dict[str, object] = {"story": story, "brief": None, "pending": PENDING, "outlets": outlets}
    if stored:
        compared = cv.story_comparison_out(stored.comparison)
        summary, fallback = cv.page_summary(compared, outlets)
        context |= {"brief": cv.brief_out(stored.brief, compared, stored.texts), "summary": summary,
                    "summary_is_fallback": fallback}  # fmt: skip
    return html(request, "brief.html", context)


@router.get("/feed.atom", name="feed")
def feed(request: Request) -> Response:
    """An Atom feed of stories, the most recently updated first (a story is updated when an article joins it)."""
    page = views.story_list_out(reading.find_stories(store_of(request), StoryQuery(order="recent", limit=FEED_ENTRIES)))
    root = ET.Element("feed", xmlns=ATOM)
    ET.SubElement(root, "title").text = "crosswire: new and updated stories"
    ET.SubElement(root, "id").text = "urn:crosswire:stories"
    ET.SubElement(root, "updated").text = max((s.updated for s in page.items), default="1970-01-01T00:00:00+00:00")
    ET.SubElement(root, "link", rel="self", href=str(request.url_for("feed")))
    for story in page.items:
        _feed_entry(root, story, str(request.url_for("story_page", story_id=story.id)))
    body = ET.tostring(root, encoding="unicode", xml_declaration=True)
    newest = max((s.updated for s in page.items), default=None)  # an empty feed has no date to give
    return conditional(request, Response(body, media_type="application/atom+xml; charset=utf-8"),
                       datetime.fromisoformat(newest) if newest else None)


def _feed_entry(root: ET.Element, story: views.StorySummaryOut, href: str) -> None:
    entry = ET.SubElement(root, "entry")
    ET.SubElement(entry, "title").text = story.title or f"story {story.id}"
    ET.SubElement(entry, "id").text = f"urn:crosswire:story:{story.id}"
    ET.SubElement(entry, "published").text = story.created
    ET.SubElement(entry, "updated").text = story.updated
    ET.SubElement(entry, "link", href=href)
    span = " to ".join(dict.fromkeys(filter(None, [story.first_published, story.last_published]))) or "undated"
    outlets = ", ".join(story.outlets) or "unknown outlets"
    ET.SubElement(entry, "summary").text = f"{story.size} article(s), {span}, from {outlets}"

"""Reads for browsing: one page of story summaries under filters, member details, full-text search.

Every read here is a fixed number of queries whatever the page size, so the web's story list and
story page stay fast on large stores (bench/web.py). Search uses the FTS5 index of migration 0006 on
SQLite and the ``tsvector`` column with its GIN index of migration 0011 on PostgreSQL: both match every word
of the query (case and Latin diacritics folded, punctuation separating words) and rank the best first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import Connection, Integer, String, TextClause, TextualSelect, func, select, text
from sqlalchemy.sql.elements import ColumnElement

from crosswire.storage.analysis import code_point_order
from crosswire.storage.schema import articles, story_members

HIT_START, HIT_END = "\x02", "\x03"  # snippet match markers: control characters never found in stored text
SNIPPET_TOKENS = 16  # words of context FTS5 returns around a match (fits one line of a result list)
LEAD_CHARS = 320  # characters of the body shown on a story card: about the first two sentences


FTS_IDS = "SELECT i.article_id FROM article_search s JOIN article_search_ids i ON i.rowid = s.rowid WHERE article_search MATCH :fts"
# PostgreSQL (migration 0011): the user's words go through the same folding as the indexed text
PG_QUERY = "plainto_tsquery('simple', crosswire_fold(:pg_words))"
PG_MATCH = f"search_vector @@ {PG_QUERY}"
WORD = re.compile(r"[^\W_]+")  # a word as both indexes cut them: letters and digits
# articles quoting a speaker whose canonical name contains the words ("Dana Kovel" finds an article that
# only writes "Kovel said"): statements are searched by who said them, their text is in the article text
SPEAKER_IDS = ("SELECT st.article_id FROM statements st JOIN entities en ON en.key = st.speaker_entity "
               "WHERE lower(en.name) LIKE :speaker_like ESCAPE '\\'")


@dataclass(frozen=True, slots=True)
class StoryQuery:
    """Which stories to list: a story matches when one of its articles matches every filter."""

    since: str | None = None  # ISO date, inclusive
    until: str | None = None
    outlet: str | None = None
    language: str | None = None
    q: str | None = None  # full-text search over titles and texts
    order: str = "size"  # size: biggest first · recent: latest added article first
    limit: int = 50
    offset: int = 0
    entity: str | None = None  # an entity key (person:vladimir putin) or words of its name: a member mentions it


@dataclass(frozen=True, slots=True)
class StoryRow:
    """A story's size and dates as the list shows them (titles and outlets are added per page)."""

    id: str
    size: int
    first: str | None
    last: str | None
    created: str  # when its first article was stored
    updated: str  # when its latest article was stored


@dataclass(frozen=True, slots=True)
class MemberDetail:
    """What a story card shows of an article besides its membership."""

    article_id: str
    published_evidence: str
    duplicate_of: str | None
    url: str | None
    lead: str


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One article matching a search, with a snippet whose matches are marked by HIT_START/HIT_END."""

    article_id: str
    story_id: str | None
    title: str | None
    outlet: str | None
    published: str | None
    snippet: str


def story_rows(conn: Connection, q: StoryQuery) -> tuple[int, list[StoryRow]]:
    """(how many stories match, the requested page of them)."""
    sub = _grouped(conn).subquery()
    matching = _matching_stories(conn, q)
    filtered = select(sub) if matching is None else select(sub).where(sub.c.story_id.in_(matching))
    order = (
        [sub.c.updated.desc(), sub.c.story_id]
        if q.order == "recent"
        else [sub.c.size.desc(), func.coalesce(sub.c.first, "9999"), sub.c.story_id]
    )
    page = filtered.add_columns(func.count().over().label("total")).order_by(*order).limit(q.limit).offset(q.offset)
    rows = conn.execute(page).all()
    if not rows:  # nothing matches, or past the last page, where the window count is not there: count on its own
        return (int(conn.execute(select(func.count()).select_from(filtered.subquery())).scalar_one()) if q.offset else 0), []
    return int(rows[0].total), [StoryRow(r.story_id, int(r.size), r.first, r.last, r.created, r.updated) for r in rows]


def _grouped(conn: Connection) -> TextualSelect:
    """Every story's size, dates and storage times.

    On SQLite, CROSS JOIN makes the article side the outer loop, so it scans the covering index of
    migration 0005 instead of reading each article's whole row (text included) by its key: 34 → 14 ms
    at 10,000 articles (bench/web.py).
    """
    join = "CROSS JOIN" if conn.dialect.name == "sqlite" else "JOIN"
    return text(
        "SELECT sm.story_id AS story_id, count(*) AS size, min(a.published) AS first, max(a.published) AS last, "
        "min(a.added_at) AS created, max(a.added_at) AS updated "
        f"FROM articles a {join} story_members sm ON sm.article_id = a.id GROUP BY sm.story_id"
    ).columns(story_id=String, size=Integer, first=String, last=String, created=String, updated=String)


def _matching_stories(conn: Connection, q: StoryQuery) -> TextualSelect | None:
    """Stories with a member matching every filter, as a subquery; None when nothing filters.

    As in ``_grouped``, SQLite walks the covering index (CROSS JOIN; ``+`` keeps the narrower language
    index out): the outlet filter costs 3 ms instead of 28 ms at 10,000 articles.
    """
    sqlite = conn.dialect.name == "sqlite"
    conds, params = [], {}
    if q.outlet:
        conds.append("lower(fa.outlet) = :outlet")
        params["outlet"] = q.outlet.lower()
    if q.language:
        conds.append(("+" if sqlite else "") + "fa.language = :language")
        params["language"] = q.language.lower()
    if q.since:
        conds.append("fa.published >= :since")
        params["since"] = q.since
    if q.until:
        conds.append("fa.published <= :until")
        params["until"] = q.until + "\uffff"
    if q.entity:
        if ":" in q.entity:
            conds.append("fa.id IN (SELECT mn.article_id FROM mentions mn WHERE mn.entity = :entity)")
            params["entity"] = q.entity.lower()
        else:
            conds.append("fa.id IN (SELECT mn.article_id FROM mentions mn JOIN entities en ON en.key = mn.entity "
                         "WHERE lower(en.variants) LIKE :entity_like ESCAPE '\\')")
            params["entity_like"] = f"%{_escape_like(q.entity.lower())}%"
    if q.q and sqlite:  # probed per row of the index walk, not looked up row by row
        conds.append(f"(+fa.id IN ({FTS_IDS}) OR +fa.id IN ({SPEAKER_IDS}))")
        params["fts"] = fts_query(q.q)
        params["speaker_like"] = _speaker_like(q.q)
    elif q.q:
        conds.append(f"(fa.{PG_MATCH} OR fa.id IN ({SPEAKER_IDS}))")
        params["pg_words"] = q.q
        params["speaker_like"] = _speaker_like(q.q)
    if not conds:
        return None
    join = "CROSS JOIN" if sqlite else "JOIN"
    sql = f"SELECT fsm.story_id FROM articles fa {join} story_members fsm ON fsm.article_id = fa.id WHERE {' AND '.join(conds)}"
    return text(sql).bindparams(**params).columns(story_id=String)


def _text_match(conn: Connection, words: str) -> ColumnElement[bool] | TextClause:
    """The articles whose title or text hold every word (a condition on ``articles``)."""
    if conn.dialect.name == "sqlite":
        return articles.c.id.in_(text(FTS_IDS).bindparams(fts=fts_query(words)).columns(article_id=String))
    return text(f"articles.{PG_MATCH}").bindparams(pg_words=words)


def fts_query(words: str) -> str:
    """A user's words as an FTS5 query that matches all of them; FTS syntax in the input is taken literally."""
    tokens = re.findall(r"\w+", words)
    return " ".join('"' + t.replace('"', '""') + '"' for t in tokens) or '""'


@dataclass(frozen=True, slots=True)
class Headline:
    """A member's headline, language and outlet: what the list needs to label a story."""

    story_id: str
    article_id: str
    title: str | None
    outlet: str | None
    language: str | None


def headlines(conn: Connection, story_ids: list[str]) -> list[Headline]:
    """The members of a page of stories, in one query (no texts, no grouping evidence)."""
    query = (
        select(story_members.c.story_id, articles.c.id, articles.c.title, articles.c.outlet, articles.c.language)
        .join(articles, articles.c.id == story_members.c.article_id)
        .where(story_members.c.story_id.in_(story_ids))
        .order_by(story_members.c.seq)
    )
    return [Headline(r.story_id, r.id, r.title, r.outlet, r.language) for r in conn.execute(query)]


def member_details(conn: Connection, article_ids: list[str]) -> dict[str, MemberDetail]:
    """Date evidence, copy link, URL and lead of each article, in one query."""
    query = select(
        articles.c.id, articles.c.published_evidence, articles.c.duplicate_of, articles.c.url,
        func.substr(articles.c.text, 1, LEAD_CHARS).label("lead"),
    ).where(articles.c.id.in_(article_ids))  # fmt: skip
    return {r.id: MemberDetail(r.id, r.published_evidence, r.duplicate_of, r.url, r.lead) for r in conn.execute(query)}


def story_of_article(conn: Connection, article_id: str) -> str | None:
    """The story an article belongs to, if it has been grouped."""
    return conn.execute(select(story_members.c.story_id).where(story_members.c.article_id == article_id)).scalar_one_or_none()


def story_ids_like(conn: Connection, prefix: str) -> list[str]:
    """Up to two story ids starting with ``prefix`` (two mean the prefix is ambiguous); an exact id alone, since one
    id may begin another ("s…" and the "s…-2" a split or a regroup named after the same first article)."""
    exact = select(story_members.c.story_id).where(story_members.c.story_id == prefix).limit(1)
    if conn.execute(exact).scalar_one_or_none() is not None:
        return [prefix]
    query = select(story_members.c.story_id).where(story_members.c.story_id.like(f"{_escape_like(prefix)}%", escape="\\"))
    return list(conn.execute(query.distinct().order_by(story_members.c.story_id).limit(2)).scalars())


def distinct_values(conn: Connection) -> tuple[list[str], list[str]]:
    """Every outlet and language in the store, for filter menus."""
    outlet, language = code_point_order(conn, articles.c.outlet), code_point_order(conn, articles.c.language)
    outlets = conn.execute(select(outlet).where(articles.c.outlet.is_not(None)).distinct().order_by(outlet))
    languages = conn.execute(select(language).where(articles.c.language.is_not(None)).distinct().order_by(language))
    return list(outlets.scalars()), list(languages.scalars())


def _speaker_like(words: str) -> str:
    return f"%{_escape_like(' '.join(words.lower().split()))}%"


def search(conn: Connection, words: str, limit: int, offset: int) -> tuple[int, list[SearchHit]]:
    """(how many articles match, one page of them): all ``words`` in the title or text, best first, then
    articles that quote a speaker whose canonical name holds the words without writing them in full."""
    total, hits = _search_text(conn, words, limit, offset)
    quoted = _speaker_only(conn, words)
    if not quoted:
        return total, hits
    start = max(0, offset - total)
    extra = quoted[start : start + max(0, limit - len(hits))]
    return total + len(quoted), hits + extra


def _speaker_only(conn: Connection, words: str) -> list[SearchHit]:
    """Articles quoting a speaker whose canonical name holds ``words`` that the text search does not find."""
    matched = select(articles.c.id).where(_text_match(conn, words))
    exclude: set[str] = set(conn.execute(matched).scalars())
    rows = conn.execute(
        text("SELECT DISTINCT a.id, m.story_id, a.title, a.outlet, a.published, en.name AS speaker FROM articles a "
             "JOIN statements st ON st.article_id = a.id JOIN entities en ON en.key = st.speaker_entity "
             "LEFT JOIN story_members m ON m.article_id = a.id "
             "WHERE lower(en.name) LIKE :speaker_like ESCAPE '\\' ORDER BY a.id"),
        {"speaker_like": _speaker_like(words)},
    )
    out, seen = [], exclude
    for r in rows:
        if r.id in seen:
            continue
        seen.add(r.id)
        out.append(SearchHit(r.id, r.story_id, r.title, r.outlet, r.published, f"quotes {HIT_START}{r.speaker}{HIT_END}"))
    return out


def _search_text(conn: Connection, words: str, limit: int, offset: int) -> tuple[int, list[SearchHit]]:
    if conn.dialect.name != "sqlite":
        return _search_pg(conn, words, limit, offset)
    params = {"fts": fts_query(words), "limit": limit, "offset": offset}
    total: int = conn.execute(text("SELECT count(*) FROM article_search WHERE article_search MATCH :fts"), params).scalar_one()
    rows = conn.execute(
        text(
            "SELECT i.article_id, m.story_id, a.title, a.outlet, a.published, "
            f"snippet(article_search, -1, '{HIT_START}', '{HIT_END}', '…', {SNIPPET_TOKENS}) AS snippet "
            "FROM article_search s JOIN article_search_ids i ON i.rowid = s.rowid JOIN articles a ON a.id = i.article_id "
            "LEFT JOIN story_members m ON m.article_id = i.article_id "
            "WHERE article_search MATCH :fts ORDER BY rank, i.article_id LIMIT :limit OFFSET :offset"
        ),
        params,
    )
    return int(total), [SearchHit(r.article_id, r.story_id, r.title, r.outlet, r.published, r.snippet) for r in rows]


def _search_pg(conn: Connection, words: str, limit: int, offset: int) -> tuple[int, list[SearchHit]]:
    """PostgreSQL: the GIN-indexed ``tsvector`` of migration 0011, ranked by ``ts_rank`` (title above text)."""
    params = {"pg_words": words, "limit": limit, "offset": offset}
    total: int = conn.execute(text(f"SELECT count(*) FROM articles WHERE {PG_MATCH}"), params).scalar_one()
    rows = conn.execute(
        text(
            "SELECT a.id, m.story_id, a.title, a.outlet, a.published, a.text FROM articles a "
            "LEFT JOIN story_members m ON m.article_id = a.id "
            f"WHERE a.{PG_MATCH} ORDER BY ts_rank(a.search_vector, {PG_QUERY}) DESC, a.id LIMIT :limit OFFSET :offset"
        ),
        params,
    )
    return int(total), [SearchHit(r.id, r.story_id, r.title, r.outlet, r.published, snippet(r.title or "", r.text, words))
                        for r in rows]


def snippet(title: str, body: str, words: str, size: int = SNIPPET_TOKENS) -> str:
    """About ``size`` words of the body around its first match (else of the title), every matching word between
    HIT_START and HIT_END, '…' where text was cut: what FTS5's ``snippet`` gives on SQLite."""
    wanted = {_plain(w) for w in WORD.findall(words)}
    for source in (body, title):
        spans = [m.span() for m in WORD.finditer(source)]
        hits = [i for i, (a, b) in enumerate(spans) if _plain(source[a:b]) in wanted]
        if hits:
            break
    else:
        return body[: LEAD_CHARS // 2]
    first = max(0, min(hits[0] - size // 4, len(spans) - size))
    last = min(len(spans), first + size)
    out, at = [], spans[first][0] if first else 0
    for a, b in spans[first:last]:
        hit = _plain(source[a:b]) in wanted
        out += [source[at:a], HIT_START if hit else "", source[a:b], HIT_END if hit else ""]
        at = b
    return ("…" if first else "") + "".join(out) + ("…" if last < len(spans) else source[at:])


def _plain(word: str) -> str:
    """A word lower-cased without diacritics, as the indexes compare words."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

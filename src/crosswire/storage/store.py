"""The Store: every read and write of crosswire's data goes through here.

Writes happen inside ``Store.transaction()``: a batch is committed whole or not at all, so an
interrupted run never leaves a half-written article. A write transaction takes the store's write lock when it
begins (SQLite ``BEGIN IMMEDIATE``; a PostgreSQL advisory lock), so concurrent writers queue instead of failing
half-way; a busy store is waited on (``Store.on_wait`` is told, so a shell can say so) for up to
``lock_timeout_s``. Readers never wait: SQLite runs in WAL mode (readers see the last commit), with foreign keys on.
Migrations run under the same lock, so two processes opening a new store never both create its tables.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from typing import Any, TypeVar

import numpy as np
from sqlalchemy import Connection, Engine, and_, create_engine, delete, event, func, insert, inspect, or_, select, text, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import OperationalError
from sqlalchemy.sql.elements import ColumnElement

from crosswire.errors import NotFound, StoreBusy
from crosswire.model import (
    Analysis,
    Article,
    DateSource,
    Flag,
    InputFormat,
    Metadata,
    Origin,
    PublishedDate,
    RawDocument,
    Rejected,
    RemovedLine,
    StatementClass,
    SummaryLine,
)
from crosswire.storage import alerts as alert_db
from crosswire.storage import analysis as analysis_db
from crosswire.storage import browse as browse_db
from crosswire.storage import comparisons as comparison_db
from crosswire.storage import revisions as revision_db
from crosswire.storage import stories as story_db
from crosswire.storage import watch as watch_db
from crosswire.storage.schema import (
    analyses,
    articles,
    flags,
    origins,
    outlet_lines,
    raw_documents,
    rejections,
    removed_lines,
    store_generation,
)
from crosswire.stories.clusters import Assignment, GroupingRow, GroupingWrite
from crosswire.stories.neighbours import Week
from crosswire.stories.signals import StorySignals


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Filters for listing articles; None means any."""

    outlet: str | None = None
    language: str | None = None
    since: str | None = None  # ISO date, inclusive
    until: str | None = None
    search: str | None = None  # substring of title or text
    limit: int | None = None
    offset: int = 0


@dataclass(frozen=True, slots=True)
class StoredRejection:
    """A rejected input as stored, with how often it was seen."""

    origin: Origin
    reason: str
    first_seen: str
    last_seen: str
    times: int


_T = TypeVar("_T")


def now_iso() -> str:
    """The current UTC time as ISO 8601, for audit columns."""
    return datetime.now(UTC).isoformat(timespec="seconds")


WRITE_LOCK_KEY = 0x63726F7373  # PostgreSQL advisory lock id of the store's write lock ("cross")
LOCK_POLL_S = 2.0  # how long one attempt waits inside the database before the waiter is told again
POOL_SIZE = 8  # connections kept open; the web's thread pool (40 threads) can open up to POOL_OVERFLOW more
POOL_OVERFLOW = 48  # so a read load of 64 clients queues in the thread pool, never in a full connection pool


def migrate(engine: Engine) -> None:
    """Bring the database schema to the newest migration, under the write lock (two processes opening a new store
    never both run them); a store already at the newest schema is only read (and Alembic not even imported)."""
    if _at_head(engine):
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("crosswire.storage").joinpath("migrations")))
    with engine.connect().execution_options(crosswire_write=True) as connection, connection.begin():
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def head_revision() -> str:
    """The newest migration's id: the migrations are one chain numbered in order (0001_…, 0002_…)."""
    versions = files("crosswire.storage").joinpath("migrations").joinpath("versions")
    return max(p.name[:4] for p in versions.iterdir() if p.name[:4].isdigit() and p.name.endswith(".py"))


def _at_head(engine: Engine) -> bool:
    head = head_revision()
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return False
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [head]


def _sqlite_connect(dbapi_connection: object, _record: object) -> None:
    dbapi_connection.isolation_level = None  # type: ignore[attr-defined]  # transactions begin in _sqlite_begin
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(LOCK_POLL_S * 1000)}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """Writers take SQLite's write lock as they begin (IMMEDIATE): a deferred transaction that reads first and
    writes later cannot wait for the lock (SQLite fails it at once to avoid a deadlock)."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("crosswire_write") else "BEGIN")


def _postgres_begin(conn: Connection) -> None:
    if conn.get_execution_options().get("crosswire_write"):
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(LOCK_POLL_S * 1000)}ms'")
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")


def _is_busy(exc: OperationalError) -> bool:
    message = str(exc.orig).lower()
    return "database is locked" in message or "lock timeout" in message or "locknotavailable" in type(exc.orig).__name__.lower()


class Store:
    """crosswire's database: SQLite file by default, any SQLAlchemy URL (PostgreSQL) otherwise."""

    def __init__(self, url: str, lock_timeout_s: float = 600.0, on_wait: Callable[[float], None] | None = None) -> None:
        self.url = url
        self.lock_timeout_s = lock_timeout_s  # how long a writer waits for a busy store before giving up
        self.on_wait = on_wait  # told the seconds waited so far while another process holds the write lock
        self._story_index: tuple[int, object] | None = None  # (next assignment seq, StoryIndex) between batches
        pool = {} if url.startswith("sqlite") and ":memory:" in url else {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW}
        self.engine = create_engine(url, **pool)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_connect)
            event.listen(self.engine, "begin", _sqlite_begin)
        elif self.engine.dialect.name == "postgresql":
            event.listen(self.engine, "begin", _postgres_begin)
        self._with_lock(lambda: migrate(self.engine))

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    def generation(self) -> int:
        """A number every committed write raises: equal numbers mean an unchanged store (for caches and ETags)."""
        with self.engine.connect() as conn:
            return _generation(conn)

    @contextmanager
    def reader(self) -> Iterator[Reader]:
        """Reads on one connection: one consistent view of the store."""
        with self.engine.connect() as conn:
            yield Reader(conn)

    @contextmanager
    def transaction(self) -> Iterator[Writer]:
        """One atomic batch of writes, holding the store's write lock from its first statement to its commit."""
        conn = self._with_lock(self._begin_write)
        try:
            yield Writer(conn)
            conn.execute(update(store_generation).where(store_generation.c.id == 1).values(value=store_generation.c.value + 1))
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            conn.close()

    def _begin_write(self) -> Connection:
        conn = self.engine.connect().execution_options(crosswire_write=True)
        try:
            conn.begin()
            return conn
        except BaseException:
            conn.close()
            raise

    def _with_lock(self, step: Callable[[], _T]) -> _T:
        """Run ``step``, retrying while another process holds the write lock (telling ``on_wait``), up to
        ``lock_timeout_s``; then ``StoreBusy``."""
        started = time.monotonic()
        while True:
            try:
                return step()
            except OperationalError as exc:
                if not _is_busy(exc):
                    raise
                waited = time.monotonic() - started
                if waited >= self.lock_timeout_s:
                    raise StoreBusy(f"the store {self.safe_url} stayed locked by another writer for {waited:.0f} s; "
                                    "try again when it has finished") from exc
                if self.on_wait:
                    self.on_wait(waited)

    @property
    def safe_url(self) -> str:
        """The store's URL without its password."""
        return self.engine.url.render_as_string(hide_password=True)

    def cached_story_index(self, generation: int) -> object | None:
        """The grouping index kept from this process's last write, if the store is at the generation that write
        left it at: nothing was written since, by this process or another (a correction, a regroup, a batch)."""
        return self._story_index[1] if self._story_index and self._story_index[0] == generation else None

    def keep_story_index(self, generation: int, index: object | None) -> None:
        """Keep the grouping index as it stands after a write, valid while the store is at ``generation`` (the one
        the write's commit leaves); None: forget it, memberships were changed."""
        self._story_index = (generation, index) if index is not None else None

    # --- reads -----------------------------------------------------------------------------

    def resolve_id(self, prefix: str) -> str:
        """The full id of the one article whose id starts with ``prefix``."""
        with self.engine.connect() as conn:
            ids: list[str] = list(conn.execute(select(articles.c.id).where(articles.c.id.like(f"{_escape(prefix)}%", escape="\\")).limit(2)).scalars())
        if len(ids) != 1:
            raise NotFound(f"no article with id {prefix!r}" if not ids else f"id prefix {prefix!r} is ambiguous; give more characters")
        return ids[0]

    def article(self, article_id: str) -> Article:
        """One article with its removed lines."""
        full = self.resolve_id(article_id)
        with self.engine.connect() as conn:
            row = conn.execute(select(articles).where(articles.c.id == full)).one()
            return _article(row, self._first_origin(conn, full), self._removed(conn, full), self._flags(conn, full))

    def articles(self, flt: ArticleFilter = ArticleFilter(), with_removed: bool = False) -> list[Article]:
        """Articles matching ``flt``, oldest publication date first (undated last)."""
        query = select(articles).where(*_conditions(flt))
        query = query.order_by(articles.c.published.is_(None), articles.c.published, articles.c.added_at, articles.c.id)
        if flt.limit:
            query = query.limit(flt.limit)
        query = query.offset(flt.offset)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            return [
                _article(r, self._first_origin(conn, r.id), self._removed(conn, r.id) if with_removed else (), self._flags(conn, r.id))
                for r in rows
            ]

    def known_ids(self, article_ids: Sequence[str]) -> set[str]:
        """Which of these article ids are stored."""
        with self.engine.connect() as conn:
            found: set[str] = set()
            for chunk in _chunks(list(article_ids), 500):
                found |= set(conn.execute(select(articles.c.id).where(articles.c.id.in_(chunk))).scalars())
            return found

    def template_keys(self, outlet: str, candidates: Sequence[str], min_articles: int) -> frozenset[str]:
        """Of ``candidates``, the outlet's known template lines (seen in ``min_articles`` of its articles)."""
        with self.engine.connect() as conn:
            return _template_keys(conn, outlet, candidates, min_articles)

    def unanalysed(self) -> list[Article]:
        """Stored articles with no analysis (their text changed after they were analysed), oldest first."""
        query = select(articles.c.id).where(~articles.c.id.in_(select(analyses.c.article_id))).order_by(articles.c.added_at, articles.c.id)
        with self.engine.connect() as conn:
            ids: list[str] = list(conn.execute(query).scalars())
        return [self.article(i) for i in ids]

    def outdated_analyses(self, version: str) -> list[str]:
        """Ids of stored articles whose analysis an older version of the rules made, oldest first."""
        query = (select(articles.c.id).join(analyses, analyses.c.article_id == articles.c.id)
                 .where(analyses.c.version != version).order_by(articles.c.added_at, articles.c.id))  # fmt: skip
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def count_articles(self) -> int:
        """How many articles the store holds."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(articles)).scalar_one())

    def origins(self, article_id: str) -> list[Origin]:
        """Every input that produced this article, first seen first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(origins).where(origins.c.article_id == article_id).order_by(origins.c.id)).all()
        return [Origin(r.kind, r.locator, r.item or None) for r in rows]

    def raw(self, article_id: str) -> RawDocument:
        """The raw input an article was extracted from (kept so it can be re-extracted)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(raw_documents).where(raw_documents.c.article_id == article_id)).one()
            origin = self._first_origin(conn, article_id)
        hints = json.loads(row.hints)
        hints["authors"] = tuple(hints.get("authors", ()))
        return RawDocument(origin=origin, format=InputFormat(row.format), content=row.content, **hints)

    def rejections(self, limit: int | None = None) -> list[StoredRejection]:
        """Inputs that could not become articles, most recent first."""
        query = select(rejections).order_by(rejections.c.last_seen.desc(), rejections.c.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            StoredRejection(Origin(r.kind, r.locator, r.item or None), r.reason, r.first_seen, r.last_seen, r.times)
            for r in rows
        ]

    def outlet_counts(self) -> list[tuple[str, int]]:
        """(outlet, article count), largest first."""
        query = select(articles.c.outlet, func.count()).group_by(articles.c.outlet).order_by(func.count().desc())
        with self.engine.connect() as conn:
            return [(r[0] or "(unknown)", int(r[1])) for r in conn.execute(query)]

    @staticmethod
    def _first_origin(conn: Connection, article_id: str) -> Origin:
        row = conn.execute(select(origins).where(origins.c.article_id == article_id).order_by(origins.c.id).limit(1)).one()
        return Origin(row.kind, row.locator, row.item or None)

    @staticmethod
    def _flags(conn: Connection, article_id: str) -> tuple[Flag, ...]:
        query = select(flags).where(flags.c.article_id == article_id).order_by(flags.c.start, flags.c.id)
        return tuple(Flag(r.kind, (r.start, r.end), r.detail, r.score) for r in conn.execute(query))

    @staticmethod
    def _removed(conn: Connection, article_id: str) -> tuple[RemovedLine, ...]:
        query = select(removed_lines).where(removed_lines.c.article_id == article_id).order_by(removed_lines.c.id)
        return tuple(RemovedLine(r.line_no, r.text, r.reason, r.rule) for r in conn.execute(query))


def _generation(conn: Connection) -> int:
    return int(conn.execute(select(store_generation.c.value).where(store_generation.c.id == 1)).scalar_one())


class Reader:
    """Reads on one connection (one consistent view of the store); created by ``Store.reader()``. The typed door
    to the storage modules: nothing outside ``storage`` sees a connection or a row."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # articles (the article page: every read on this one connection)
    def resolve_id(self, prefix: str) -> str:
        """The full id of the one article whose id starts with ``prefix``."""
        return str(_one_article(self._conn, select(articles.c.id), prefix).id)

    def article(self, prefix: str) -> tuple[Article, tuple[Origin, ...]]:
        """One article (id or unique prefix) with its removed lines and flags, and every input that produced it."""
        row = _one_article(self._conn, select(articles), prefix)
        rows = self._conn.execute(select(origins).where(origins.c.article_id == row.id).order_by(origins.c.id))
        found = tuple(Origin(r.kind, r.locator, r.item or None) for r in rows)
        return _article(row, found[0], Store._removed(self._conn, row.id), Store._flags(self._conn, row.id)), found

    # stories
    def members(self, story_id: str | None = None, story_ids: list[str] | None = None) -> list[story_db.Member]:
        """Story members (of one story, of several, or all), each with its article's headline, outlet and date."""
        return story_db.members(self._conn, story_id, story_ids)

    def embeddings(self, article_ids: list[str]) -> dict[str, np.ndarray]:
        """The stored lead embeddings of these articles."""
        return story_db.embeddings(self._conn, article_ids)

    def corrections(self, story_id: str | None = None) -> list[story_db.Correction]:
        """Recorded corrections (touching one story, or all), oldest first."""
        return story_db.corrections(self._conn, story_id)

    def generation(self) -> int:
        """The store's generation as this connection sees it (a write transaction's commit raises it by one)."""
        return _generation(self._conn)

    def next_seq(self) -> int:
        """The next story-assignment sequence number."""
        return story_db.next_seq(self._conn)

    def replay_rows(self, after: int = 0, limit: int | None = None) -> list[tuple[StorySignals, str]]:
        """Articles' signals with their story, in assignment order (after assignment ``after``, at most ``limit``)."""
        return story_db.replay_rows(self._conn, after, limit)

    def seq_of(self, article_id: str) -> int:
        """An article's assignment number."""
        return story_db.seq_of(self._conn, article_id)

    def story_of(self, article_ids: list[str]) -> dict[str, str]:
        """article id → story id for these articles."""
        return story_db.story_of(self._conn, article_ids)

    def story_ids(self) -> set[str]:
        """Every story id."""
        return story_db.story_ids(self._conn)

    # analyses
    def load_analysis(self, article_id: str) -> Analysis | None:
        """An article's stored entities, statements and claims (None: not analysed)."""
        return analysis_db.load_analysis(self._conn, article_id)

    def find_statements(self, speaker: str | None = None, article_ids: Sequence[str] | None = None,
                        limit: int | None = None, classes: Sequence[StatementClass] | None = None) -> list[analysis_db.StoredStatement]:
        """Statements by speaker, article and class, in time order."""
        return analysis_db.find_statements(self._conn, speaker, article_ids, limit, classes)

    def entity_rows(self, kind: str | None = None, search: str | None = None, limit: int | None = None) -> list[analysis_db.EntityRow]:
        """Canonical entities with their counts."""
        return analysis_db.entity_rows(self._conn, kind, search, limit)

    # revisions
    def revisions(self, article_id: str) -> list[revision_db.StoredRevision]:
        """Every stored version of an article (none when it was never revised), oldest first."""
        return revision_db.revisions(self._conn, article_id)

    # comparisons
    def cached_comparison(self, story_id: str) -> comparison_db.CachedComparison | None:
        """A story's stored comparison, current or not."""
        return comparison_db.load(self._conn, story_id)

    def summary_lines(self, story_ids: list[str]) -> dict[str, tuple[str, tuple[SummaryLine, ...]]]:
        """story id → (stored comparison's signature, its summary lines), for the story list."""
        return comparison_db.summary_lines(self._conn, story_ids)

    def conflict_counts(self, story_ids: list[str]) -> dict[str, tuple[str, int]]:
        """story id → (stored comparison's signature, its number of conflicts)."""
        return comparison_db.conflict_counts(self._conn, story_ids)

    # browsing
    def story_rows(self, q: browse_db.StoryQuery) -> tuple[int, list[browse_db.StoryRow]]:
        """One page of stories matching the query, with the total."""
        return browse_db.story_rows(self._conn, q)

    def headlines(self, story_ids: list[str]) -> list[browse_db.Headline]:
        """The members' headlines of these stories."""
        return browse_db.headlines(self._conn, story_ids)

    def member_details(self, article_ids: list[str]) -> dict[str, browse_db.MemberDetail]:
        """What a story page shows of each member."""
        return browse_db.member_details(self._conn, article_ids)

    def story_of_article(self, article_id: str) -> str | None:
        """The story of one article."""
        return browse_db.story_of_article(self._conn, article_id)

    def story_ids_like(self, prefix: str) -> list[str]:
        """Up to two story ids starting with ``prefix``."""
        return browse_db.story_ids_like(self._conn, prefix)

    def distinct_values(self) -> tuple[list[str], list[str]]:
        """The outlets and languages present, for filters."""
        return browse_db.distinct_values(self._conn)

    def search(self, words: str, limit: int, offset: int) -> tuple[int, list[browse_db.SearchHit]]:
        """Full-text search over articles, ranked, with the total."""
        return browse_db.search(self._conn, words, limit, offset)

    # watches, revisions and alerts (watch/): the polling loop's queue, an article's versions, saved watches
    def watched_url(self, url: str) -> watch_db.WatchedUrl | None:
        """One watched address (a source or a page found on one)."""
        return watch_db.get(self._conn, url)

    def due_urls(self, now: float, role: str | None = None) -> list[watch_db.WatchedUrl]:
        """Watched addresses due at ``now`` (epoch seconds), the most overdue first."""
        return watch_db.due(self._conn, now, role)

    def watched_urls(self, role: str | None = "source") -> list[watch_db.WatchedUrl]:
        """Every watched address of a role (None: all)."""
        return watch_db.listing(self._conn, role)

    def watched_pages(self, source_url: str) -> list[watch_db.WatchedUrl]:
        """The pages found on one watched source."""
        return watch_db.pages_of(self._conn, source_url)

    def same_address(self, article: Article) -> list[tuple[str, str, str | None]]:
        """(id, content hash, title) of stored articles at the address of ``article`` (its earlier versions), newest first."""
        return revision_db.same_address(self._conn, article)

    def latest_revision(self, article_id: str) -> int:
        """The number of an article's newest stored version (0: none)."""
        return revision_db.latest_number(self._conn, article_id)

    def revised_ids(self, article_ids: list[str] | None = None) -> dict[str, int]:
        """article id → how many versions are stored, for revised articles (of these, or all)."""
        return revision_db.revised_ids(self._conn, article_ids)

    def alert_watches(self) -> list[alert_db.AlertWatch]:
        """Every saved watch, oldest first."""
        return alert_db.watches(self._conn)

    def alert_watch(self, watch_id: int) -> alert_db.AlertWatch | None:
        """One saved watch."""
        return alert_db.get_watch(self._conn, watch_id)

    def alerts(self, watch_id: int | None = None, limit: int | None = 100, delivery: str | None = None) -> list[alert_db.Alert]:
        """Raised alerts (of one watch, in one delivery state), newest first."""
        return alert_db.list_alerts(self._conn, watch_id, limit, delivery)


class Writer(Reader):
    """Writes inside one transaction (reads too: they see its writes); created only by ``Store.transaction()``."""

    # grouping's stored state (migration 0013): a Writer is the grouping index's StoryArchive
    def grouping_state(self) -> tuple[int, int | None]:
        return story_db.grouping_state(self._conn)

    def grouping_complete(self) -> bool:
        return story_db.grouping_complete(self._conn)

    def grouping_counts(self, keys: Sequence[str]) -> dict[str, int]:
        return story_db.grouping_counts(self._conn, list(keys))

    def week_members(self, weeks: Sequence[Week]) -> list[tuple[str, str, int, int | None]]:
        return story_db.week_members(self._conn, list(weeks))

    def stored_members(self, story_ids: Sequence[str]) -> list[tuple[StorySignals, GroupingRow, str]]:
        return story_db.stored_members(self._conn, list(story_ids))

    def story_exists(self, story_id: str) -> bool:
        return story_db.story_exists(self._conn, story_id)

    def write_grouping(self, w: GroupingWrite) -> None:
        story_db.write_grouping(self._conn, w)

    def reset_grouping(self) -> None:
        story_db.reset_grouping(self._conn)

    # stories
    def insert_signals(self, signals: Sequence[StorySignals]) -> None:
        story_db.insert_signals(self._conn, signals)

    def insert_members(self, placed: Sequence[tuple[Assignment, int]]) -> None:
        story_db.insert_members(self._conn, placed)

    def rewrite_member(self, a: Assignment) -> None:
        story_db.rewrite_member(self._conn, a)

    def move_members(self, article_ids: list[str], story_id: str) -> None:
        story_db.move_members(self._conn, article_ids, story_id)

    def record_correction(self, c: story_db.Correction) -> None:
        story_db.record_correction(self._conn, c)

    def set_inferred_date(self, article_id: str, value: str, evidence: str) -> None:
        story_db.set_inferred_date(self._conn, article_id, value, evidence)

    def clear_inferred_date(self, article_id: str, evidence: str) -> None:
        story_db.clear_inferred_date(self._conn, article_id, evidence)

    # analyses and comparisons
    def replace_analysis(self, a: Analysis, version: str) -> None:
        analysis_db.replace_analysis(self._conn, a, version)

    def drop_analysis(self, article_id: str) -> None:
        analysis_db.drop_analysis(self._conn, article_id)

    def save_comparison(self, c: comparison_db.CachedComparison) -> None:
        comparison_db.save(self._conn, c)

    def has_article(self, article_id: str) -> bool:
        """Whether an article with exactly this id is stored."""
        return self._conn.execute(select(articles.c.id).where(articles.c.id == article_id)).first() is not None

    def same_content(self, content_hash: str) -> list[tuple[str, str | None, str | None]]:
        """(id, outlet, title) of stored articles with this content hash, oldest first."""
        query = select(articles.c.id, articles.c.outlet, articles.c.title).where(articles.c.content_hash == content_hash)
        return [(r.id, r.outlet, r.title) for r in self._conn.execute(query.order_by(articles.c.added_at, articles.c.id))]

    def insert_article(self, article: Article, raw: RawDocument, extractor_version: str) -> None:
        """Store a new article, its raw input, origin and removed lines."""
        self._conn.execute(insert(articles).values(**_row(article, extractor_version)))
        hints = {
            "url": raw.url, "title": raw.title, "outlet": raw.outlet, "authors": list(raw.authors),
            "published": raw.published, "language": raw.language, "encoding": raw.encoding,
            "external_id": raw.external_id, "seen": raw.seen,
        }  # fmt: skip
        self._conn.execute(
            insert(raw_documents).values(article_id=article.id, format=str(raw.format), content=raw.content, hints=json.dumps(hints))
        )
        self._insert_removed(article.id, article.removed)
        self._insert_flags(article)
        self.add_origin(article.id, article.origin, article.external_id)

    def add_origin(self, article_id: str, origin: Origin, external_id: str | None) -> bool:
        """Record that ``origin`` produced this article; False if it was already recorded."""
        exists = select(origins.c.id).where(
            origins.c.article_id == article_id, origins.c.kind == origin.kind,
            origins.c.locator == origin.locator, origins.c.item == (origin.item or ""),
        )  # fmt: skip
        if self._conn.execute(exists).first():
            return False
        self._conn.execute(
            insert(origins).values(
                article_id=article_id, kind=origin.kind, locator=origin.locator, item=origin.item or "",
                external_id=external_id, added_at=now_iso(),
            )  # fmt: skip
        )
        return True

    def record_rejection(self, rejected: Rejected) -> None:
        """Store a rejection; the same input and reason seen again only bumps its counter."""
        o = rejected.origin
        key = and_(
            rejections.c.kind == o.kind, rejections.c.locator == o.locator,
            rejections.c.item == (o.item or ""), rejections.c.reason == rejected.reason,
        )  # fmt: skip
        stamp = now_iso()
        if self._conn.execute(select(rejections.c.id).where(key)).first():
            self._conn.execute(update(rejections).where(key).values(last_seen=stamp, times=rejections.c.times + 1))
        else:
            self._conn.execute(
                insert(rejections).values(
                    kind=o.kind, locator=o.locator, item=o.item or "", reason=rejected.reason,
                    first_seen=stamp, last_seen=stamp, times=1,
                )  # fmt: skip
            )

    def add_outlet_lines(self, outlet: str, keys: Sequence[str], article_id: str) -> None:
        """Count each short paragraph key once for this article of this outlet."""
        for key in set(keys):
            self._conn.execute(insert(outlet_lines).values(outlet=outlet, line_key=key, article_id=article_id))

    def template_keys(self, outlet: str, candidates: Sequence[str], min_articles: int) -> frozenset[str]:
        """Of ``candidates``, the keys seen in at least ``min_articles`` distinct articles of ``outlet``."""
        return _template_keys(self._conn, outlet, candidates, min_articles)

    def articles_with_keys(self, outlet: str, keys: Sequence[str]) -> list[str]:
        """Ids of the outlet's articles that contain any of ``keys``."""
        query = select(outlet_lines.c.article_id).where(
            outlet_lines.c.outlet == outlet, outlet_lines.c.line_key.in_(list(keys))
        )
        return sorted(set(self._conn.execute(query).scalars()))

    def load_article(self, article_id: str) -> Article:
        """An article as stored in this transaction, with its removed lines."""
        row = self._conn.execute(select(articles).where(articles.c.id == article_id)).one()
        return _article(
            row, Store._first_origin(self._conn, article_id), Store._removed(self._conn, article_id), Store._flags(self._conn, article_id)
        )

    def replace_text(self, article: Article) -> None:
        """Store a re-cleaned text and its full list of removed lines."""
        self._conn.execute(update(articles).where(articles.c.id == article.id).values(text=article.text))
        self._conn.execute(delete(removed_lines).where(removed_lines.c.article_id == article.id))
        self._insert_removed(article.id, article.removed)
        self._conn.execute(delete(flags).where(flags.c.article_id == article.id))
        self._insert_flags(article)

    def _insert_flags(self, article: Article) -> None:
        if article.flags:
            rows = [
                {"article_id": article.id, "kind": f.kind, "start": f.span[0], "end": f.span[1], "detail": f.detail, "score": f.score}
                for f in article.flags
            ]
            self._conn.execute(insert(flags), rows)

    def _insert_removed(self, article_id: str, removed: Sequence[RemovedLine]) -> None:
        if removed:
            self._conn.execute(
                insert(removed_lines),
                [{"article_id": article_id, "line_no": r.line_no, "text": r.text, "reason": r.reason, "rule": r.rule} for r in removed],
            )

    # watches, revisions and alerts (watch/)
    def upsert_watched_source(self, url: str, kind: str, interval_s: float, fetch_links: bool, language: str | None,
                              at: str, now: float) -> None:  # fmt: skip
        watch_db.upsert_source(self._conn, url, kind, interval_s, fetch_links, language, at, now)

    def add_watched_page(self, url: str, source: watch_db.WatchedUrl, lastmod: str | None, hints: dict[str, Any],
                         at: str, now: float) -> bool:  # fmt: skip
        """Watch a page found on ``source``; True when it is due now."""
        return watch_db.add_page(self._conn, url, source, lastmod, hints, at, now)

    def set_watched_kind(self, url: str, kind: str) -> None:
        watch_db.set_kind(self._conn, url, kind)

    def postpone_url(self, url: str, until: float) -> None:
        watch_db.postpone(self._conn, url, until)

    def record_url_fetch(self, url: str, status: int, etag: str | None, last_modified: str | None, next_due: float,
                         at: str) -> None:  # fmt: skip
        watch_db.record_fetch(self._conn, url, status, etag, last_modified, next_due, at)

    def record_url_error(self, url: str, status: int | None, error: str, next_due: float, at: str) -> None:
        watch_db.record_error(self._conn, url, status, error, next_due, at)

    def record_url_new(self, url: str, count: int, at: str) -> None:
        watch_db.record_new(self._conn, url, count, at)

    def add_revision(self, r: revision_db.StoredRevision) -> None:
        revision_db.add_revision(self._conn, r)

    def replace_content(self, stored_id: str, article: Article, raw: RawDocument) -> None:
        """A revised article's new text and metadata under its first id."""
        revision_db.replace_content(self._conn, stored_id, article, raw)

    def forget_comparison(self, article_id: str) -> str | None:
        """Drop the stored comparison of the article's story (its text changed); that story's id."""
        return revision_db.forget_comparison(self._conn, article_id)

    def add_alert_watch(self, kind: str, target: str, at: str, webhook_url: str | None, webhook_secret: str | None,
                        allow_private: bool, baseline: set[str]) -> int:  # fmt: skip
        """Save a watch; its id."""
        return alert_db.add_watch(self._conn, kind, target, at, webhook_url, webhook_secret, allow_private, baseline)

    def remove_alert_watch(self, watch_id: int) -> bool:
        """Delete a watch and its alerts; False if there was none."""
        return alert_db.remove_watch(self._conn, watch_id)

    def record_alert(self, watch: alert_db.AlertWatch, kind: str, key: str, at: str, article_id: str | None,
                     story_id: str | None, summary: str, detail: dict[str, Any]) -> int | None:  # fmt: skip
        """Store an alert unless the watch raised this one before; its id (None: not new)."""
        return alert_db.record(self._conn, watch, kind, key, at, article_id, story_id, summary, detail)

    def mark_alert_delivery(self, alert_id: int, delivery: str, attempts: int, error: str | None) -> None:
        alert_db.mark_delivery(self._conn, alert_id, delivery, attempts, error)



def _row(a: Article, extractor_version: str) -> dict[str, object]:
    m = a.meta
    return {
        "id": a.id, "content_hash": a.content_hash, "duplicate_of": a.duplicate_of, "format": str(a.format),
        "title": m.title, "outlet": m.outlet, "authors": json.dumps(list(m.authors)),
        "credited": json.dumps(list(m.credited)), "dateline": m.dateline, "published": m.published.value,
        "published_source": str(m.published.source), "published_evidence": m.published.evidence,
        "updated": m.updated, "seen": m.seen, "url": m.url, "canonical_url": m.canonical_url, "language": m.language,
        "encoding": a.encoding, "external_id": a.external_id, "signals": json.dumps([list(s) for s in m.signals]),
        "text": a.text, "extractor_version": extractor_version, "added_at": now_iso(),
    }  # fmt: skip


def _article(row: Row, origin: Origin, removed: tuple[RemovedLine, ...], flags_: tuple[Flag, ...] = ()) -> Article:
    meta = Metadata(
        title=row.title,
        outlet=row.outlet,
        authors=tuple(json.loads(row.authors)),
        credited=tuple(json.loads(row.credited)),
        dateline=row.dateline,
        published=PublishedDate(row.published, DateSource(row.published_source), row.published_evidence),
        updated=row.updated,
        seen=row.seen,
        url=row.url,
        canonical_url=row.canonical_url,
        language=row.language,
        signals=tuple((s[0], s[1]) for s in json.loads(row.signals)),
    )
    return Article(
        id=row.id, origin=origin, format=InputFormat(row.format), text=row.text, meta=meta, removed=removed,
        content_hash=row.content_hash, external_id=row.external_id, encoding=row.encoding, duplicate_of=row.duplicate_of,
        flags=flags_,
    )  # fmt: skip


def _conditions(flt: ArticleFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if flt.outlet:
        conds.append(func.lower(articles.c.outlet) == flt.outlet.lower())
    if flt.language:
        conds.append(articles.c.language == flt.language.lower())
    if flt.since:
        conds.append(articles.c.published >= flt.since)
    if flt.until:
        conds.append(articles.c.published <= flt.until + "\uffff")
    if flt.search:
        pattern = f"%{_escape(flt.search.lower())}%"
        conds.append(or_(func.lower(articles.c.title).like(pattern, escape="\\"), func.lower(articles.c.text).like(pattern, escape="\\")))
    return conds


def _template_keys(conn: Connection, outlet: str, candidates: Sequence[str], min_articles: int) -> frozenset[str]:
    if not candidates:
        return frozenset()
    query = (
        select(outlet_lines.c.line_key)
        .where(outlet_lines.c.outlet == outlet, outlet_lines.c.line_key.in_(list(set(candidates))))
        .group_by(outlet_lines.c.line_key)
        .having(func.count(outlet_lines.c.article_id) >= min_articles)
    )
    return frozenset(conn.execute(query).scalars())


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _one_article(conn: Connection, query: Any, prefix: str) -> Row[Any]:
    """The row of the one article whose id starts with ``prefix``: a whole id (what links carry) is one lookup by
    the primary key; a shorter prefix is matched with LIKE, which no index serves (ids are all of one length, so a
    whole id is the prefix of no other)."""
    rows = conn.execute(query.where(articles.c.id == prefix)).all()
    if not rows:
        rows = conn.execute(query.where(articles.c.id.like(f"{_escape(prefix)}%", escape="\\")).limit(2)).all()
    if len(rows) != 1:
        raise NotFound(f"no article with id {prefix!r}" if not rows else f"id prefix {prefix!r} is ambiguous; give more characters")
    return rows[0]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

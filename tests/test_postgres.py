"""The same store, workflow, web and API tests on PostgreSQL, and what must hold across the two backends.

Runs when ``CROSSWIRE_TEST_POSTGRES`` is a PostgreSQL URL of a role that may create databases, e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres`` (``pip install crosswire[postgres]``; ``make test-postgres``
starts a throwaway server and sets it). Every test gets databases of its own (``cwtest_…``, dropped afterwards),
collated by ICU's English rules where the server has ICU, so an ORDER BY that leans on byte order shows up.

The tests of ``test_workflow_store``, ``test_search`` and the web tests (API, pages, analysis views) that take a
store, settings or demo client are collected here a second time: this module's fixtures of the same names hand
them PostgreSQL databases instead of SQLite files.
"""

from __future__ import annotations

import inspect
import io
import json
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url, text

from crosswire.app import reading, stories
from crosswire.app.ingest import add_inputs
from crosswire.app.reading import demo_corpus_path
from crosswire.ingest.sources import expand_inputs
from crosswire.settings import Settings
from crosswire.storage.browse import search
from crosswire.storage.schema import metadata
from crosswire.storage.store import ArticleFilter, Store
from crosswire.web.app import create_app
from tests import test_search, test_web_analysis, test_web_api, test_web_ui, test_workflow_store
from tests.web_support import demo_db, web_settings

URL = os.environ.get("CROSSWIRE_TEST_POSTGRES")
pytestmark = pytest.mark.skipif(not URL, reason="set CROSSWIRE_TEST_POSTGRES to a PostgreSQL URL to run (make test-postgres)")
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "seeds"


# -- databases ------------------------------------------------------------------------------------


def _admin_sql(statement: str) -> None:
    engine = create_engine(URL or "", isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


def _create(template: str | None = None) -> str:
    """A new database (a copy of ``template`` when given), ICU-collated where the server can; its name."""
    name = f"cwtest_{uuid.uuid4().hex[:12]}"
    if template:
        _admin_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name
    try:
        _admin_sql(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'")
    except Exception:  # no ICU (or PostgreSQL before 15): the server's default collation
        _admin_sql(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
    return name


def _url(name: str) -> str:
    return make_url(URL or "").set(database=name).render_as_string(hide_password=False)


def _drop(name: str) -> None:
    _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def database(template: str | None = None) -> Iterator[str]:
    """The URL of a fresh database, dropped on leaving."""
    name = _create(template)
    try:
        yield _url(name)
    finally:
        _drop(name)


# -- fixtures that the borrowed tests get instead of conftest's and web_support's -----------------


@pytest.fixture
def settings() -> Iterator[Settings]:
    """As conftest's ``settings``, with the store in a fresh PostgreSQL database."""
    with database() as url:
        yield replace(Settings(), db_url=url, max_input_bytes=2 * 1024 * 1024)


@pytest.fixture(scope="session")
def pg_demo() -> Iterator[tuple[str, dict[str, str], dict[str, str]]]:
    """The demo corpus ingested once into a template database: (its name, key → article id, key → story id)."""
    if not URL:
        pytest.skip("no PostgreSQL")
    _sqlite, keys_sqlite, _stories = demo_db()
    name = _create()
    try:
        settings = Settings.from_env(env={}, db_url=_url(name), workers=1)
        store = Store(settings.sqlalchemy_url)
        report = add_inputs(expand_inputs([str(demo_corpus_path())]), settings, store)
        assert not report.failures, report.failures
        story_ids = stories.story_of(store)
        store.close()  # a template database must have no session open
        yield name, keys_sqlite, {k: story_ids[a] for k, a in keys_sqlite.items()}  # ids are content hashes: the same
    finally:
        _drop(name)


@pytest.fixture(scope="module")
def demo(pg_demo) -> Iterator[tuple[TestClient, dict[str, str], dict[str, str]]]:  # noqa: ANN001
    """A client over a copy of the PostgreSQL demo store (the analysis tests store comparisons in it)."""
    template, keys, stories = pg_demo
    with database(template) as url, TestClient(create_app(web_settings(url))) as client:  # type: ignore[arg-type]
        yield client, keys, stories
        client.app.state.store.close()


@pytest.fixture
def writable(pg_demo) -> Iterator[tuple[TestClient, dict[str, str], dict[str, str]]]:  # noqa: ANN001
    template, keys, stories = pg_demo
    with database(template) as url, TestClient(create_app(web_settings(url))) as client:  # type: ignore[arg-type]
        yield client, keys, stories
        client.app.state.store.close()


compared = test_web_analysis.compared  # the analysis tests' fixture, over this module's ``demo``


def _borrow(module: ModuleType, fixtures: set[str], skip: tuple[str, ...] = ()) -> None:
    """Collect ``module``'s tests that take one of ``fixtures`` in this module too, under a prefixed name."""
    short = module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    for name, fn in vars(module).items():
        if name.startswith("test_") and inspect.isfunction(fn) and name not in skip:
            if fixtures & set(inspect.signature(fn).parameters):
                globals()[f"test_pg_{short}__{name.removeprefix('test_')}"] = fn


_borrow(test_workflow_store, {"store", "settings"},
        skip=("test_sqlite_runs_in_wal_mode", "test_migrations_create_exactly_the_declared_schema"))  # both below, for PostgreSQL
_borrow(test_search, {"store"})
_borrow(test_web_api, {"demo", "writable"})
_borrow(test_web_ui, {"demo", "writable"})
_borrow(test_web_analysis, {"demo", "writable"})


# -- PostgreSQL's own tests ----------------------------------------------------------------------


def test_migrations_create_the_declared_schema_plus_the_search_vector(store: Store) -> None:
    """As on SQLite, the migrations build exactly schema.py, and migration 0011 adds the ranked search column."""
    pg_only = {"search_vector", "ix_articles_search_vector"}
    declarable = {"include_name": lambda name, _kind, _parent: name not in pg_only}
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn, opts=declarable), metadata) == []
        kind = conn.execute(text("SELECT data_type FROM information_schema.columns "
                                 "WHERE table_name = 'articles' AND column_name = 'search_vector'")).scalar_one()
        assert kind == "tsvector"


def test_demo_on_postgres_is_idempotent(settings: Settings) -> None:
    store = Store(settings.sqlalchemy_url)
    first = add_inputs(expand_inputs([str(demo_corpus_path())]), settings, store)
    again = add_inputs(expand_inputs([str(demo_corpus_path())]), settings, store)
    assert first.count("added") == 14 and again.count("unchanged") == 14
    assert store.count_articles() == 14
    assert [a.meta.outlet for a in store.articles(ArticleFilter(language="de"))] == ["Der Kontinentbote"]
    assert sum(1 for a in store.articles() if a.duplicate_of) == 1
    store.close()


def _export(store: Store) -> str:
    """The JSON export without its one time stamp."""
    out = io.StringIO()
    reading.export_all(store, "json", out, compare_missing=False)
    document = json.loads(out.getvalue())
    assert document.pop("generated_at")
    return json.dumps(document, ensure_ascii=False, indent=2)


def test_the_demo_exports_byte_identical_on_both_backends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same inputs give the same export, whatever the backend: every list has an explicit order.

    The storage clock is frozen for both ingests: ``Store.articles`` orders by the time each article was stored
    (to the second) before its id, so two ingests of the same inputs a second apart may list articles in another
    order, on one backend as on two — the time of ingest is not part of the inputs."""
    from crosswire.storage import store as store_module

    monkeypatch.setattr(store_module, "now_iso", lambda: "2026-01-01T00:00:00+00:00")
    with database() as url:
        exported = {}
        for backend, db in (("sqlite", f"sqlite:///{tmp_path / 'demo.db'}"), ("postgres", url)):
            settings = Settings.from_env(env={}, db_url=db, workers=1)
            store = Store(settings.sqlalchemy_url)
            try:
                assert not add_inputs(expand_inputs([str(demo_corpus_path())]), settings, store).failures
                exported[backend] = _export(store)
            finally:
                store.close()
    on_sqlite, on_postgres = exported["sqlite"], exported["postgres"]
    if on_postgres != on_sqlite:  # name the first difference (the documents are long)
        at = next(i for i, (x, y) in enumerate(zip(on_postgres, on_sqlite, strict=False)) if x != y)
        pytest.fail(f"exports differ at {at}: SQLite {on_sqlite[at - 300 : at + 100]!r}\nPostgreSQL {on_postgres[at - 300 : at + 100]!r}")
    assert on_postgres.encode() == on_sqlite.encode()
    assert '"entities": [' in on_postgres and '"comparison": {' in on_postgres  # entities and comparisons were compared


@pytest.mark.skipif(not SEEDS.is_dir(), reason="needs ../shared/data/seeds")
def test_search_finds_on_postgres_what_sqlite_finds(settings: Settings, tmp_path: Path) -> None:
    """The seed articles on both backends: every query finds the same articles (the issue's 'Putin Kharkiv': 4)."""
    stores = {"postgres": Store(settings.sqlalchemy_url), "sqlite": Store(f"sqlite:///{tmp_path / 's.db'}")}
    found: dict[str, dict[str, list[str]]] = {}
    queries = ["Putin Kharkiv", "putin kharkiv", "Syrskyj", "Syrskyi", "Kyiv", "Kiev", "Xi Jinping", "Belgorod governor",
               "drones", "Eastern Economic Forum", "war crimes", "Samarkand", "Reuters", "nothing-like-this", "***"]
    for name, store in stores.items():
        add_inputs(expand_inputs([str(SEEDS)]), replace(settings, db_url=store.url, workers=1), store)
        with store.engine.connect() as conn:
            found[name] = {q: sorted(h.article_id for h in search(conn, q, 50, 0)[1]) for q in queries}
        store.close()
    assert found["postgres"] == found["sqlite"]
    assert len(found["postgres"]["Putin Kharkiv"]) == 4 and found["postgres"]["nothing-like-this"] == []


def test_search_ranks_and_marks_on_postgres(store: Store) -> None:
    """A title match ranks above a text match; diacritics and punctuation fold as in SQLite's FTS5."""
    from tests.test_search import _article

    with store.transaction() as tx:
        tx.insert_article(*_article("b1", "Officials met on Monday. The Kövel report came later.", "Budget talks"), "test")
        tx.insert_article(*_article("b2", "Nothing about it here.", "Kovel report published"), "test")
        tx.insert_article(*_article("b3", "Source: www.ntv.de, figures 1.5 and 2", "Other"), "test")
    with store.engine.connect() as conn:
        total, hits = search(conn, "kovel report", 10, 0)
        assert total == 2 and [h.article_id for h in hits] == ["b2", "b1"]  # the title weighs more
        assert "\x02Kövel\x03 \x02report\x03" in hits[1].snippet
        assert [h.article_id for h in search(conn, "ntv", 10, 0)[1]] == ["b3"]
        assert [h.article_id for h in search(conn, "1.5", 10, 0)[1]] == ["b3"]
        assert search(conn, "& | ! :*", 10, 0)[0] == 0  # tsquery syntax in the input is taken literally


def _ingest_in_thread(store: Store, settings: Settings, paths: list[str], errors: list[BaseException],
                      start: threading.Barrier) -> None:
    try:
        start.wait(timeout=60)
        report = add_inputs(expand_inputs(paths), settings, store)
        assert not report.failures, report.failures
    except BaseException as exc:  # noqa: BLE001  (reported by the test)
        errors.append(exc)


def test_two_writers_at_once_store_every_article(settings: Settings) -> None:
    """Two processes' worth of writers (threads with their own engines) add different halves of the demo at the
    same moment: both must succeed and every article must be grouped once."""
    files = sorted(str(p) for p in demo_corpus_path().iterdir() if p.is_file())
    writers = [Store(settings.sqlalchemy_url) for _ in (0, 1)]  # each with its own connection pool, opened (and migrated) in turn
    errors: list[BaseException] = []
    start = threading.Barrier(2)
    one = replace(settings, workers=1)
    threads = [threading.Thread(target=_ingest_in_thread, args=(writers[i], one, files[i::2], errors, start)) for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for w in writers:
        w.close()
    assert errors == []
    store = Store(settings.sqlalchemy_url)
    try:
        assert store.count_articles() == 14
        assert len(stories.story_of(store)) == 14
    finally:
        store.close()


def test_the_demo_on_postgres_never_prints_the_password() -> None:
    """``crosswire demo`` names its store: with the password masked (trust or password authentication alike)."""
    from typer.testing import CliRunner

    from crosswire.cli.app import app

    with database() as url:
        parsed = make_url(url)
        secret = parsed.password or "Not-Checked-Under-Trust-7"  # a server that trusts loopback ignores it
        with_secret = parsed.set(password=secret).render_as_string(hide_password=False)
        result = CliRunner().invoke(app, ["demo", "--db", with_secret], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert secret not in result.output and f"{parsed.username}:***@" in result.output
    assert "14 articles in postgresql+psycopg://" in result.output


def test_text_is_listed_in_code_point_order_as_on_sqlite(store: Store) -> None:
    """Under an ICU (or any linguistic) collation 'beta' sorts before 'Delta'; SQLite puts capitals first: the
    filter menus use code-point order on both."""
    from crosswire.storage.browse import distinct_values
    from tests.test_search import _article

    outlets = ["beta wire", "Delta", "Ärzte Zeitung", "alpha", "Zeta"]
    with store.transaction() as tx:
        for n, outlet in enumerate(outlets):
            article, raw = _article(f"o{n}", f"Text {n}.", f"Title {n}")
            tx.insert_article(replace(article, meta=replace(article.meta, outlet=outlet)), raw, "test")
    with store.engine.connect() as conn:
        assert distinct_values(conn)[0] == sorted(outlets) == ["Delta", "Zeta", "alpha", "beta wire", "Ärzte Zeitung"]

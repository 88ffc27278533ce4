"""The same store code on PostgreSQL. Runs when CROSSWIRE_TEST_POSTGRES names an empty database URL,
e.g. ``postgresql+psycopg://cw:cw@127.0.0.1:5432/cw`` (needs ``pip install psycopg[binary]``)."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest
from sqlalchemy import text

from crosswire.app.ingest import add_inputs
from crosswire.app.reading import demo_corpus_path
from crosswire.ingest.sources import expand_inputs
from crosswire.settings import Settings
from crosswire.storage.schema import metadata
from crosswire.storage.store import ArticleFilter, Store

URL = os.environ.get("CROSSWIRE_TEST_POSTGRES")
pytestmark = pytest.mark.skipif(not URL, reason="set CROSSWIRE_TEST_POSTGRES to a PostgreSQL URL to run")


@pytest.fixture
def pg_store() -> Store:
    store = Store(URL or "")
    if store.count_articles():
        pytest.fail(f"{URL} is not empty; the test drops its tables afterwards, so give it a database of its own")
    yield store
    with store.engine.begin() as conn:  # leave the database empty for the next run
        metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    store.close()


def test_demo_on_postgres_is_idempotent(pg_store: Store) -> None:
    settings = replace(Settings(), db_url=URL or "")
    first = add_inputs(expand_inputs([str(demo_corpus_path())]), settings, pg_store)
    again = add_inputs(expand_inputs([str(demo_corpus_path())]), settings, pg_store)
    assert first.count("added") == 14 and again.count("unchanged") == 14
    assert pg_store.count_articles() == 14
    assert [a.meta.outlet for a in pg_store.articles(ArticleFilter(language="de"))] == ["Der Kontinentbote"]
    assert sum(1 for a in pg_store.articles() if a.duplicate_of) == 1

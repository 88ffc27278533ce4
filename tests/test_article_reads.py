"""The article page's reads (``reading.article_detail`` and ``reading.article_analysis``): what they return, and how
many connections and statements they cost — on PostgreSQL each statement is a round trip, which is most of the
page's time (docs/benchmarks.md, "PostgreSQL")."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from crosswire.app import reading
from crosswire.errors import NotFound
from crosswire.settings import Settings
from crosswire.storage.store import Store
from tests.web_support import demo_db


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    db, _keys, _stories = demo_db()
    s = Store(Settings.from_env(env={}, db_url=str(db)).sqlalchemy_url)
    yield s
    s.close()


@contextmanager
def counted(store: Store) -> Iterator[dict[str, int]]:
    """Connections opened and SQL statements sent (SQLite's explicit BEGIN included) inside the block."""
    seen = {"connections": 0, "statements": 0}

    def connection(*_args: object) -> None:
        seen["connections"] += 1

    def statement(*_args: object) -> None:
        seen["statements"] += 1

    event.listen(store.engine, "engine_connect", connection)
    event.listen(store.engine, "before_cursor_execute", statement)
    try:
        yield seen
    finally:
        event.remove(store.engine, "engine_connect", connection)
        event.remove(store.engine, "before_cursor_execute", statement)


def test_the_article_page_reads_on_two_connections(store: Store) -> None:
    keys = demo_db()[1]
    analysed = store.article(keys[next(iter(keys))])
    with counted(store) as seen:
        detail = reading.article_detail(store, analysed.id)
        analysis = reading.article_analysis(store, detail.article.id)
    # one connection each; detail: the article by its id, origins, removed lines, flags, story; analysis: the id,
    # then the analysis, mentions, entities, statements, claims; plus one BEGIN each
    assert seen == {"connections": 2, "statements": 5 + 6 + 2}
    with counted(store) as seen:
        assert reading.article_detail(store, analysed.id[:10]) == detail
    assert seen == {"connections": 1, "statements": 1 + 6}  # a prefix: the whole id missed, then matched with LIKE
    assert detail.article == store.article(analysed.id)
    assert detail.origins == tuple(store.origins(analysed.id))
    with store.reader() as rd:
        assert detail.story_id == rd.story_of_article(analysed.id) is not None
        assert analysis == rd.load_analysis(analysed.id)


def test_an_unknown_or_ambiguous_prefix_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match="no article with id 'zz'"):
        reading.article_detail(store, "zz")
    with pytest.raises(NotFound, match="no article with id 'zz'"):
        reading.article_analysis(store, "zz")
    ids = sorted(a.id for a in store.articles())
    with pytest.raises(NotFound, match="ambiguous"):
        reading.article_detail(store, "")  # every id starts with ""
    assert reading.article_detail(store, ids[0]).article.id == ids[0]

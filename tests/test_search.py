"""The FTS5 index of migration 0005 follows the articles table: insert, text replacement, delete."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import delete

from crosswire.model import Article, InputFormat, Metadata, Origin, RawDocument
from crosswire.storage.browse import fts_query, search
from crosswire.storage.schema import articles, raw_documents
from crosswire.storage.store import Store


def _article(aid: str, text: str, title: str) -> tuple[Article, RawDocument]:
    article = Article(aid, Origin("file", aid), InputFormat.TEXT, text, Metadata(title=title), content_hash=aid)
    return article, RawDocument(Origin("file", aid), InputFormat.TEXT, text)


def _hits(store: Store, words: str) -> list[str]:
    with store.engine.connect() as conn:
        return [h.article_id for h in search(conn, words, 10, 0)[1]]


def test_index_follows_inserts_replacements_and_deletes(store: Store) -> None:
    with store.transaction() as tx:
        for aid, text, title in (("a1", "The Orva flooded Brask on Tuesday.", "Flood in Brask"), ("a2", "Quiet day in Valdor.", "Valdor")):
            tx.insert_article(*_article(aid, text, title), "test")
    assert _hits(store, "brask") == ["a1"] and _hits(store, "valdor") == ["a2"] and _hits(store, "flood") == ["a1"]
    with store.transaction() as tx:
        tx.replace_text(replace(tx.load_article("a1"), text="The Lenne rose in Ostra."))
    assert _hits(store, "orva") == [] and _hits(store, "lenne ostra") == ["a1"] and _hits(store, "brask") == ["a1"]  # title kept
    with store.transaction() as tx:
        tx._conn.execute(delete(raw_documents).where(raw_documents.c.article_id == "a2"))
        tx._conn.execute(delete(articles).where(articles.c.id == "a2"))
    assert _hits(store, "valdor") == []


def test_user_words_are_never_fts_syntax() -> None:
    assert fts_query('depot" OR "x') == '"depot" "OR" "x"'
    assert fts_query("NEAR(a b)") == '"NEAR" "a" "b"'
    assert fts_query("***") == '""'

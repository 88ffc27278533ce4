"""Full-text search: an FTS5 index over article titles and texts, kept in sync by triggers (SQLite only).

On PostgreSQL nothing is created; ``storage.search`` falls back to ILIKE there.

Revision ID: 0005_search
Revises: 0004
"""

from alembic import op

revision = "0005_search"
down_revision = "0004"
branch_labels = None
depends_on = None

# A table of its own (not external content): an external-content index keys on the implicit rowid of
# ``articles``, which VACUUM may renumber. unicode61 with diacritics removed lets "Kovel" find "Kövel".
STATEMENTS = (
    "CREATE VIRTUAL TABLE article_search USING fts5(article_id UNINDEXED, title, text, "
    "tokenize = 'unicode61 remove_diacritics 2')",
    "INSERT INTO article_search (article_id, title, text) SELECT id, coalesce(title, ''), text FROM articles",
    "CREATE TRIGGER article_search_insert AFTER INSERT ON articles BEGIN "
    "INSERT INTO article_search (article_id, title, text) VALUES (new.id, coalesce(new.title, ''), new.text); END",
    "CREATE TRIGGER article_search_update AFTER UPDATE OF title, text ON articles BEGIN "
    "DELETE FROM article_search WHERE article_id = old.id; "
    "INSERT INTO article_search (article_id, title, text) VALUES (new.id, coalesce(new.title, ''), new.text); END",
    "CREATE TRIGGER article_search_delete AFTER DELETE ON articles BEGIN "
    "DELETE FROM article_search WHERE article_id = old.id; END",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in ("article_search_delete", "article_search_update", "article_search_insert"):
        op.execute(f"DROP TRIGGER {name}")
    op.execute("DROP TABLE article_search")

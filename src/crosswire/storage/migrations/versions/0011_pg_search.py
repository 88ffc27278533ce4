"""Full-text search on PostgreSQL: a ranked ``tsvector`` of each article's title and text, under a GIN index.
Nothing happens on SQLite, whose FTS5 index (migration 0006) does the same there.

``search_vector`` is a stored generated column, so every insert and text update keeps it current with no
trigger. Both sides of a match go through ``crosswire_fold``, so the words a user types and the words of
the text are cut and folded alike, as SQLite's ``unicode61 remove_diacritics 2`` tokenizer does: Latin
letters lose their diacritics ("Kovel" finds "Kövel"), and punctuation separates words ("ntv" finds
"www.ntv.de", "1 5" finds "1.5", curly quotes never glue to a word). The folding is a plain ``translate``
(a fixed character table): it works the same under every database locale, where regular-expression
character classes would not (under the C locale they know only ASCII). The title weighs more than the
text in the ranking (weights A and D of ``ts_rank``).

Revision ID: 0011
Revises: 0010
"""

import unicodedata

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# A tsvector holds at most 1 MB; 200,000 characters stay below it whatever the words (at worst ~4.5 bytes a
# character), and are longer than any news article (a 16 MB input is searchable in its first 200,000).
MAX_CHARS = 200_000
# Latin letters with diacritics (U+00C0–U+024F) that decompose to one ASCII letter, mapped to that letter
ACCENTED = [chr(c) for c in range(0xC0, 0x250)
            if len(b := "".join(x for x in unicodedata.normalize("NFKD", chr(c)) if not unicodedata.combining(x))) == 1
            and b.isascii() and b.isalpha() and b != chr(c)]  # fmt: skip
PLAIN = ["".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x)) for c in ACCENTED]
# every ASCII punctuation mark, and the typographic ones news text uses, become spaces
PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~" + "\u00a0\u00ab\u00b7\u00bb\u2010\u2011\u2012\u2013\u2014\u2015\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2022\u2026\u2032\u2033\u2039\u203a"


def _literal(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


FOLD = (
    "CREATE OR REPLACE FUNCTION crosswire_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS "
    f"$fold$ SELECT translate(t, {_literal(''.join(ACCENTED) + PUNCTUATION)}, {_literal(''.join(PLAIN) + ' ' * len(PUNCTUATION))}) $fold$"
)
VECTOR = (
    "ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, crosswire_fold(coalesce(title, ''))), 'A') || "
    f"setweight(to_tsvector('simple'::regconfig, crosswire_fold(left(text, {MAX_CHARS}))), 'D')) STORED"
)
INDEX = "CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in (FOLD, VECTOR, INDEX):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_articles_search_vector")
    op.execute("ALTER TABLE articles DROP COLUMN search_vector")
    op.execute("DROP FUNCTION crosswire_fold(text)")

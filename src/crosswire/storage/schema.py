"""Tables of the store (SQLAlchemy Core). Migrations in ``migrations/versions`` create them."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("content_hash", String(32), nullable=False, index=True),
    Column("duplicate_of", String(32), nullable=True),
    Column("format", String(16), nullable=False),
    Column("title", Text),
    Column("outlet", Text, index=True),
    Column("authors", Text, nullable=False, default="[]"),  # JSON list
    Column("credited", Text, nullable=False, default="[]"),  # JSON list
    Column("dateline", Text),
    Column("published", String(32), index=True),
    Column("published_source", String(16), nullable=False),
    Column("published_evidence", Text, nullable=False, default=""),
    Column("updated", String(32)),
    Column("seen", String(40)),
    Column("url", Text),
    Column("canonical_url", Text, index=True),
    Column("language", String(16), index=True),
    Column("encoding", String(32), nullable=False, default="utf-8"),
    Column("external_id", Text),
    Column("signals", Text, nullable=False, default="[]"),  # JSON list of [field, signal]
    Column("text", Text, nullable=False),
    Column("extractor_version", String(16), nullable=False),
    Column("added_at", String(32), nullable=False),
)

raw_documents = Table(
    "raw_documents",
    metadata,
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("format", String(16), nullable=False),
    Column("content", Text, nullable=False),
    Column("hints", Text, nullable=False, default="{}"),  # JSON: url, title, outlet, authors, published, language
)

origins = Table(
    "origins",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("locator", Text, nullable=False),
    Column("item", Text, nullable=False, default=""),
    Column("external_id", Text),
    Column("added_at", String(32), nullable=False),
    UniqueConstraint("article_id", "kind", "locator", "item", name="uq_origin"),
)

removed_lines = Table(
    "removed_lines",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("line_no", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("reason", String(32), nullable=False),
    Column("rule", String(64), nullable=False),
)

outlet_lines = Table(
    "outlet_lines",
    metadata,
    Column("outlet", Text, primary_key=True),
    Column("line_key", Text, primary_key=True),
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
)
Index("ix_outlet_lines_article", outlet_lines.c.article_id)

flags = Table(
    "flags",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("detail", Text, nullable=False),
    Column("score", Float, nullable=False),
)

rejections = Table(
    "rejections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("locator", Text, nullable=False),
    Column("item", Text, nullable=False, default=""),
    Column("reason", Text, nullable=False),
    Column("first_seen", String(32), nullable=False),
    Column("last_seen", String(32), nullable=False),
    Column("times", Integer, nullable=False, default=1),
    UniqueConstraint("kind", "locator", "item", "reason", name="uq_rejection"),
)

story_signals = Table(
    "story_signals",
    metadata,
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("embedding", LargeBinary, nullable=False),  # float32 bytes
    Column("names", Text, nullable=False),  # JSON list of [name, count] (before 0008: a list of names)
    Column("terms", Text, nullable=False),  # JSON list of [word, count]
    Column("title_embedding", LargeBinary, nullable=True),  # float32 bytes (0008; NULL before)
    Column("numbers", Text, nullable=True),  # JSON list (0008; NULL before)
)

story_members = Table(
    "story_members",
    metadata,
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("story_id", String(32), nullable=False, index=True),
    Column("seq", Integer, nullable=False, unique=True),  # order of assignment: replaying it rebuilds the index
    Column("score", Float, nullable=False),
    Column("embedding_sim", Float, nullable=False),
    Column("names_sim", Float, nullable=False),
    Column("shared_names", Text, nullable=False),  # JSON list
    Column("new_story", Boolean, nullable=False),
)

# Migration 0013 (issue #17, grouping at scale): each article's arrival as grouping saw it (its rarities and window
# day, so a story is rebuilt exactly without replaying the store), how many grouped articles use each name, word
# and figure, and the running count and clock. Storage code: storage/stories.py.
story_arrivals = Table(
    "story_arrivals",
    metadata,
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", Integer, nullable=False, unique=True),
    Column("day", Integer, nullable=True),  # its own date, proleptic ordinal
    Column("wday", Integer, nullable=True, index=True),  # its window day (its date, else the previous arrival's)
    Column("rarity", LargeBinary, nullable=False),  # float64 idf at arrival: names, terms, figures (signals order)
)

story_counts = Table(
    "story_counts",
    metadata,
    Column("key", Text, primary_key=True),  # "n:" name, "t:" word, "#:" figure
    Column("n", Integer, nullable=False),
)

story_clock = Table(  # one row
    "story_clock",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("seen", Integer, nullable=False),
    Column("wday", Integer, nullable=True),
)

story_corrections = Table(
    "story_corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("who", Text, nullable=False),
    Column("action", String(16), nullable=False),  # merge | split | move
    Column("story_id", String(32), nullable=False, index=True),  # the story that received articles
    Column("other_story_id", String(32)),  # merge: the story emptied; split/move: the story they left
    Column("article_ids", Text, nullable=False),  # JSON list of the articles that moved
)

analyses = Table(
    "analyses",
    metadata,
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("version", String(32), nullable=False),
    Column("language", String(16)),
    Column("analysed", Boolean, nullable=False),
    Column("note", Text, nullable=False, default=""),
)

entities = Table(
    "entities",
    metadata,
    Column("key", String(200), primary_key=True),  # kind:folded name — the same across articles
    Column("kind", String(16), nullable=False, index=True),
    Column("name", Text, nullable=False),  # the fullest name seen
    Column("variants", Text, nullable=False, default="[]"),  # JSON list of spellings seen
    Column("descriptions", Text, nullable=False, default="[]"),  # JSON list of titles/roles seen
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("entity", String(200), nullable=False, index=True),
    Column("via", String(16), nullable=False),
)

statements = Table(
    "statements",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("seq", Integer, nullable=False),  # order in the article
    Column("kind", String(16), nullable=False),
    Column("content", Text, nullable=False),  # JSON list of [start, end]
    Column("speaker", Text),
    Column("speaker_start", Integer),
    Column("speaker_end", Integer),
    Column("speaker_entity", String(200), index=True),
    Column("speaker_role", Text),
    Column("resolved_start", Integer),
    Column("resolved_end", Integer),
    Column("cue", Text),
    Column("cue_start", Integer),
    Column("cue_end", Integer),
    Column("venue", Text),
    Column("addressee", Text),
    Column("how", String(32), nullable=False),
    Column("class", String(16), nullable=False, server_default="speech"),
    Column("negated", Boolean, nullable=False, server_default=false()),
    Column("modality", String(32)),
)

claims = Table(
    "claims",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("statement_id", String(32)),
    Column("source", Text),
    Column("quantities", Text, nullable=False, default="[]"),  # JSON list of Quantity fields
    Column("dates", Text, nullable=False, default="[]"),  # JSON list of DateMention fields
    Column("places", Text, nullable=False, default="[]"),  # JSON list of entity keys
    Column("actors", Text, nullable=False, default="[]"),
)

# Migration 0006: the story list walks this covering index instead of whole article rows (storage/browse.py).
Index("ix_articles_browse", articles.c.id, articles.c.published, articles.c.added_at, articles.c.outlet, articles.c.language)

# Migration 0006 (SQLite only): the integer key of each article in the FTS5 index ``article_search``, which
# (a virtual table) is not declared here; triggers keep both in sync with ``articles``.
article_search_ids = Table(
    "article_search_ids",
    metadata,
    Column("rowid", Integer, primary_key=True),
    Column("article_id", String(32), nullable=False, unique=True),
)

# Migration 0007: each story's comparison record (export.comparison_record as JSON), valid while ``signature``
# (members and analysis version, see storage/comparisons.py) matches; ``conflicts`` lets the list count without parsing.
story_comparisons = Table(
    "story_comparisons",
    metadata,
    Column("story_id", String(32), primary_key=True),
    Column("signature", String(64), nullable=False),
    Column("computed_at", String(32), nullable=False),
    Column("conflicts", Integer, nullable=False),
    Column("record", Text, nullable=False),
)

store_generation = Table(  # one row: raised by every write transaction (readers' caches key on it)
    "store_generation",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("value", BigInteger, nullable=False),
)

# Migration 0010 (issue #20, live monitoring): what `crosswire watch` polls, each article's revisions, saved alert
# watches and the alerts they raised. Storage code: storage/watch.py, storage/revisions.py, storage/alerts.py.
watch_urls = Table(
    "watch_urls",
    metadata,
    Column("url", Text, primary_key=True),
    Column("role", String(8), nullable=False),  # source (listed in SOURCES.toml) | page (linked from a source)
    Column("kind", String(16), nullable=False),  # feed | sitemap | news-sitemap | page
    Column("source_url", Text),  # a page: the source that linked it
    Column("interval_s", Float, nullable=False),
    Column("fetch_links", Boolean, nullable=False, server_default=false()),
    Column("language", String(16)),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("lastmod", Text),  # what the feed entry or sitemap said about the page's last change
    Column("hints", Text, nullable=False, default="{}"),  # JSON: a page's feed entry (id, title, outlet, published)
    Column("first_seen", String(32), nullable=False),
    Column("last_fetch", String(32)),
    Column("last_status", Integer),
    Column("last_new", String(32)),  # when a fetch last brought a new article or revision
    Column("next_due", Float, nullable=False, index=True),  # epoch seconds
    Column("errors", Integer, nullable=False, server_default="0"),  # consecutive failures: the backoff exponent
    Column("last_error", Text),
    Column("fetches", Integer, nullable=False, server_default="0"),
    Column("not_modified", Integer, nullable=False, server_default="0"),  # 304 answers
    Column("new_items", Integer, nullable=False, server_default="0"),
)

article_revisions = Table(
    "article_revisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("number", Integer, nullable=False),  # 1: the text first stored; the highest is the article's current text
    Column("fetched_at", String(32), nullable=False),
    Column("raw_id", String(64), nullable=False),  # the id this input would have had as an article of its own
    Column("content_hash", String(32), nullable=False),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("changes", Text, nullable=False, default="[]"),  # JSON list of watch.revisions.Change against number - 1
    UniqueConstraint("article_id", "number", name="uq_article_revision"),
)

alert_watches = Table(
    "alert_watches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # story | speaker | entity | query
    Column("target", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("webhook_url", Text),
    Column("webhook_secret", Text),
    Column("allow_private", Boolean, nullable=False, server_default=false()),
    Column("baseline", Text, nullable=False, default="[]"),  # JSON: conflict keys already there when the watch was saved
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("watch_id", Integer, ForeignKey("alert_watches.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # article | conflict | statement | revision
    Column("key", Text, nullable=False),  # what makes it the same alert: never raised twice
    Column("at", String(32), nullable=False),
    Column("article_id", String(32)),
    Column("story_id", String(32)),
    Column("summary", Text, nullable=False),
    Column("detail", Text, nullable=False, default="{}"),  # JSON
    Column("delivery", String(16), nullable=False, server_default="none"),  # none | pending | delivered | failed
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
    UniqueConstraint("watch_id", "kind", "key", name="uq_alert"),
)

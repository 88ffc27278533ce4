"""Live monitoring (issue #20): the URLs ``crosswire watch`` polls with their validators and schedule, every
revision of an article fetched again at the same address, saved alert watches and the alerts they raised.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watch_urls",
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("source_url", sa.Text),
        sa.Column("interval_s", sa.Float, nullable=False),
        sa.Column("fetch_links", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("language", sa.String(16)),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("lastmod", sa.Text),
        sa.Column("hints", sa.Text, nullable=False),
        sa.Column("first_seen", sa.String(32), nullable=False),
        sa.Column("last_fetch", sa.String(32)),
        sa.Column("last_status", sa.Integer),
        sa.Column("last_new", sa.String(32)),
        sa.Column("next_due", sa.Float, nullable=False, index=True),
        sa.Column("errors", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.Column("fetches", sa.Integer, nullable=False, server_default="0"),
        sa.Column("not_modified", sa.Integer, nullable=False, server_default="0"),
        sa.Column("new_items", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "article_revisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("fetched_at", sa.String(32), nullable=False),
        sa.Column("raw_id", sa.String(64), nullable=False),
        sa.Column("content_hash", sa.String(32), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("changes", sa.Text, nullable=False),
        sa.UniqueConstraint("article_id", "number", name="uq_article_revision"),
    )
    op.create_table(
        "alert_watches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("webhook_url", sa.Text),
        sa.Column("webhook_secret", sa.Text),
        sa.Column("allow_private", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("baseline", sa.Text, nullable=False),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("watch_id", sa.Integer, sa.ForeignKey("alert_watches.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("article_id", sa.String(32)),
        sa.Column("story_id", sa.String(32)),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("delivery", sa.String(16), nullable=False, server_default="none"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.UniqueConstraint("watch_id", "kind", "key", name="uq_alert"),
    )


def downgrade() -> None:
    op.drop_table("alerts")
    op.drop_table("alert_watches")
    op.drop_table("article_revisions")
    op.drop_table("watch_urls")

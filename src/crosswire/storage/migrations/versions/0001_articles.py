"""Articles, their raw inputs, origins, removed lines, outlet line statistics, rejections.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("content_hash", sa.String(32), nullable=False, index=True),
        sa.Column("duplicate_of", sa.String(32)),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("outlet", sa.Text, index=True),
        sa.Column("authors", sa.Text, nullable=False),
        sa.Column("credited", sa.Text, nullable=False),
        sa.Column("dateline", sa.Text),
        sa.Column("published", sa.String(32), index=True),
        sa.Column("published_source", sa.String(16), nullable=False),
        sa.Column("published_evidence", sa.Text, nullable=False),
        sa.Column("updated", sa.String(32)),
        sa.Column("url", sa.Text),
        sa.Column("canonical_url", sa.Text, index=True),
        sa.Column("language", sa.String(16), index=True),
        sa.Column("encoding", sa.String(32), nullable=False),
        sa.Column("external_id", sa.Text),
        sa.Column("signals", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("extractor_version", sa.String(16), nullable=False),
        sa.Column("added_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "raw_documents",
        sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("hints", sa.Text, nullable=False),
    )
    op.create_table(
        "origins",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("locator", sa.Text, nullable=False),
        sa.Column("item", sa.Text, nullable=False),
        sa.Column("external_id", sa.Text),
        sa.Column("added_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("article_id", "kind", "locator", "item", name="uq_origin"),
    )
    op.create_table(
        "removed_lines",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("line_no", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("rule", sa.String(64), nullable=False),
    )
    op.create_table(
        "outlet_lines",
        sa.Column("outlet", sa.Text, primary_key=True),
        sa.Column("line_key", sa.Text, primary_key=True),
        sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_outlet_lines_article", "outlet_lines", ["article_id"])
    op.create_table(
        "rejections",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("locator", sa.Text, nullable=False),
        sa.Column("item", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("first_seen", sa.String(32), nullable=False),
        sa.Column("last_seen", sa.String(32), nullable=False),
        sa.Column("times", sa.Integer, nullable=False),
        sa.UniqueConstraint("kind", "locator", "item", "reason", name="uq_rejection"),
    )


def downgrade() -> None:
    for table in ("rejections", "outlet_lines", "removed_lines", "origins", "raw_documents", "articles"):
        op.drop_table(table)

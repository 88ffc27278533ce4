"""Grouping at scale: each article's arrival as grouping saw it, the counts behind word and name rarities, and the
running count and clock — so the grouping index loads only the weeks it needs instead of replaying the store.

Stores grouped before this migration get these rows from one replay of their stored signals, the first time
grouping runs (``app/ingest.py``), not here: the replay needs the grouping code.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_arrivals",
        sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False, unique=True),
        sa.Column("day", sa.Integer, nullable=True),
        sa.Column("wday", sa.Integer, nullable=True),
        sa.Column("rarity", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_story_arrivals_wday", "story_arrivals", ["wday"])
    op.create_table("story_counts", sa.Column("key", sa.Text, primary_key=True), sa.Column("n", sa.Integer, nullable=False))
    op.create_table("story_clock", sa.Column("id", sa.Integer, primary_key=True), sa.Column("seen", sa.Integer, nullable=False),
                    sa.Column("wday", sa.Integer, nullable=True))


def downgrade() -> None:
    op.drop_table("story_clock")
    op.drop_table("story_counts")
    op.drop_index("ix_story_arrivals_wday", "story_arrivals")
    op.drop_table("story_arrivals")

"""Stories: each article's grouping signals, its story, and why it joined it.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_signals",
        sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("embedding", sa.LargeBinary, nullable=False),
        sa.Column("names", sa.Text, nullable=False),
        sa.Column("terms", sa.Text, nullable=False),
    )
    op.create_table(
        "story_members",
        sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("story_id", sa.String(32), nullable=False, index=True),
        sa.Column("seq", sa.Integer, nullable=False, unique=True),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("embedding_sim", sa.Float, nullable=False),
        sa.Column("names_sim", sa.Float, nullable=False),
        sa.Column("shared_names", sa.Text, nullable=False),
        sa.Column("new_story", sa.Boolean, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("story_members")
    op.drop_table("story_signals")

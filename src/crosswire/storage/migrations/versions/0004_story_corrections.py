"""Story corrections: merges, splits and moves made by people, kept as an audit log.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_corrections",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("who", sa.Text, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("story_id", sa.String(32), nullable=False, index=True),
        sa.Column("other_story_id", sa.String(32)),
        sa.Column("article_ids", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("story_corrections")

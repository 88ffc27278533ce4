"""Cached story comparisons: the comparison record of a story, keyed by a signature of its members and the
analysis version, so the web shows it without recomputing (``compare_story`` takes seconds).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_comparisons",
        sa.Column("story_id", sa.String(32), primary_key=True),
        sa.Column("signature", sa.String(64), nullable=False),
        sa.Column("computed_at", sa.String(32), nullable=False),
        sa.Column("conflicts", sa.Integer, nullable=False),
        sa.Column("record", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("story_comparisons")

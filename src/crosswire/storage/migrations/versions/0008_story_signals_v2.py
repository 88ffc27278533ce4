"""Story signals for the pair model: the headline's embedding and the figures an article gives; names now keep
their counts (a JSON list of [name, count]; rows written before stay a list of names, read as count 1).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("story_signals") as batch:
        batch.add_column(sa.Column("title_embedding", sa.LargeBinary, nullable=True))
        batch.add_column(sa.Column("numbers", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("story_signals") as batch:
        batch.drop_column("numbers")
        batch.drop_column("title_embedding")

"""A store generation: one counter raised by every write transaction, so readers (the web's page cache, ETags)
know in one indexed read whether anything changed.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table("store_generation", sa.Column("id", sa.Integer, primary_key=True),
                            sa.Column("value", sa.BigInteger, nullable=False))
    op.bulk_insert(table, [{"id": 1, "value": 0}])


def downgrade() -> None:
    op.drop_table("store_generation")

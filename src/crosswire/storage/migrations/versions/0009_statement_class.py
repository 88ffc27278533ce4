"""Statements say what act they report (speech | stance | no-comment) and what governs their truth
(negated, modality). Rows written before are speech, not negated, no modality; the analysis version
bump re-analyses them on the next run.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("statements") as batch:
        batch.add_column(sa.Column("class", sa.String(16), nullable=False, server_default="speech"))
        batch.add_column(sa.Column("negated", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("modality", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("statements") as batch:
        batch.drop_column("modality")
        batch.drop_column("negated")
        batch.drop_column("class")

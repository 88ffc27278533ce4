"""Language analysis: entities (canonical across articles), mentions, statements, claims.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _article_fk() -> sa.Column:
    return sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True)


def upgrade() -> None:
    op.create_table(
        "analyses",
        sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("language", sa.String(16)),
        sa.Column("analysed", sa.Boolean, nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
    )
    op.create_table(
        "entities",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False, index=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("variants", sa.Text, nullable=False, server_default="[]"),
        sa.Column("descriptions", sa.Text, nullable=False, server_default="[]"),
    )
    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _article_fk(),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("entity", sa.String(200), nullable=False, index=True),
        sa.Column("via", sa.String(16), nullable=False),
    )
    op.create_table(
        "statements",
        sa.Column("id", sa.String(32), primary_key=True),
        _article_fk(),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("speaker", sa.Text),
        sa.Column("speaker_start", sa.Integer),
        sa.Column("speaker_end", sa.Integer),
        sa.Column("speaker_entity", sa.String(200), index=True),
        sa.Column("speaker_role", sa.Text),
        sa.Column("resolved_start", sa.Integer),
        sa.Column("resolved_end", sa.Integer),
        sa.Column("cue", sa.Text),
        sa.Column("cue_start", sa.Integer),
        sa.Column("cue_end", sa.Integer),
        sa.Column("venue", sa.Text),
        sa.Column("addressee", sa.Text),
        sa.Column("how", sa.String(32), nullable=False),
    )
    op.create_table(
        "claims",
        sa.Column("id", sa.String(32), primary_key=True),
        _article_fk(),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("statement_id", sa.String(32)),
        sa.Column("source", sa.Text),
        sa.Column("quantities", sa.Text, nullable=False, server_default="[]"),
        sa.Column("dates", sa.Text, nullable=False, server_default="[]"),
        sa.Column("places", sa.Text, nullable=False, server_default="[]"),
        sa.Column("actors", sa.Text, nullable=False, server_default="[]"),
    )


def downgrade() -> None:
    for table in ("claims", "statements", "mentions", "entities", "analyses"):
        op.drop_table(table)

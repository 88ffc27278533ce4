"""The comparison cache: one stored comparison per story, valid while its signature matches. The database keeps
its record (``export.comparison_record``) as JSON; what leaves this module is the typed ``Comparison``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, insert, select

from crosswire.export import comparison_from_record, comparison_record, summary_line_of
from crosswire.model import Comparison, SummaryLine
from crosswire.storage.schema import story_comparisons


@dataclass(frozen=True, slots=True)
class CachedComparison:
    """A stored comparison with the signature it was computed under."""

    story_id: str
    signature: str
    computed_at: str
    conflicts: int
    comparison: Comparison


def signature(article_ids: Iterable[str], analysis_version: str) -> str:
    """Hash of the sorted member ids and the analysis version: changes when either does."""
    key = "\n".join([analysis_version, *sorted(article_ids)])
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def load(conn: Connection, story_id: str) -> CachedComparison | None:
    """The stored comparison of one story, whatever its signature."""
    r = conn.execute(select(story_comparisons).where(story_comparisons.c.story_id == story_id)).mappings().first()
    if r is None:
        return None
    return CachedComparison(r["story_id"], r["signature"], r["computed_at"], r["conflicts"],
                            comparison_from_record(json.loads(r["record"])))


def save(conn: Connection, c: CachedComparison) -> None:
    """Store (or replace) one story's comparison."""
    conn.execute(delete(story_comparisons).where(story_comparisons.c.story_id == c.story_id))
    conn.execute(insert(story_comparisons).values(
        story_id=c.story_id, signature=c.signature, computed_at=c.computed_at, conflicts=c.conflicts,
        record=json.dumps(comparison_record(c.comparison), ensure_ascii=False),
    ))  # fmt: skip


def conflict_counts(conn: Connection, story_ids: list[str]) -> dict[str, tuple[str, int]]:
    """story id → (signature, conflict count) of the stored comparisons of these stories (records not read)."""
    q = select(story_comparisons.c.story_id, story_comparisons.c.signature, story_comparisons.c.conflicts)
    rows = conn.execute(q.where(story_comparisons.c.story_id.in_(story_ids)))
    return {r.story_id: (r.signature, int(r.conflicts)) for r in rows}


def summary_lines(conn: Connection, story_ids: list[str]) -> dict[str, tuple[str, tuple[SummaryLine, ...]]]:
    """story id → (signature, summary lines) of the stored comparisons, for the story list: SQLite pulls the lines
    out of the record in SQL, so a page of big stories never parses their whole records in Python; each line is
    decoded as ``comparison_from_record`` decodes it."""
    sqlite = conn.dialect.name == "sqlite"
    column = func.json_extract(story_comparisons.c.record, "$.summary.lines") if sqlite else story_comparisons.c.record
    q = select(story_comparisons.c.story_id, story_comparisons.c.signature, column.label("lines"))
    out = {}
    for r in conn.execute(q.where(story_comparisons.c.story_id.in_(story_ids))):
        value = json.loads(r.lines) if r.lines else None
        if not sqlite and isinstance(value, dict):
            value = (value.get("summary") or {}).get("lines")
        out[r.story_id] = (r.signature, tuple(summary_line_of(x) for x in value) if isinstance(value, list) else ())
    return out

"""Read side of live monitoring: an article's revision history with word diffs, the saved watches and alerts."""

from __future__ import annotations

from dataclasses import dataclass

from crosswire.storage import alerts as alert_db
from crosswire.storage.store import Store
from crosswire.watch.revisions import DiffOp, word_diff


@dataclass(frozen=True, slots=True)
class RevisionView:
    """One version of an article, with what changed from the version before (none for the first)."""

    number: int
    fetched_at: str
    title: str | None
    text: str
    changes: tuple[dict[str, str], ...]
    diff: tuple[DiffOp, ...]  # word diff of the text against the version before
    title_diff: tuple[DiffOp, ...]


def revision_history(store: Store, article_id: str) -> list[RevisionView]:
    """Every stored version of an article (id or prefix), oldest first; empty when it was never revised."""
    full = store.resolve_id(article_id)
    with store.reader() as rd:
        versions = rd.revisions(full)
    out: list[RevisionView] = []
    for before, after in zip([None, *versions], versions, strict=False):
        diff = tuple(word_diff(before.text, after.text)) if before else ()
        title_diff = tuple(word_diff(before.title or "", after.title or "")) if before else ()
        out.append(RevisionView(after.number, after.fetched_at, after.title, after.text, after.changes, diff, title_diff))
    return out


def revision_counts(store: Store, article_ids: list[str] | None = None) -> dict[str, int]:
    """article id → number of stored versions, for revised articles."""
    with store.reader() as rd:
        return rd.revised_ids(article_ids)


def watches(store: Store) -> list[alert_db.AlertWatch]:
    """Every saved watch."""
    with store.reader() as rd:
        return rd.alert_watches()


def watch(store: Store, watch_id: int) -> alert_db.AlertWatch | None:
    """One saved watch, or None."""
    with store.reader() as rd:
        return rd.alert_watch(watch_id)


def alerts(store: Store, watch_id: int | None = None, limit: int = 100) -> list[alert_db.Alert]:
    """Alerts, newest first (of one watch when asked)."""
    with store.reader() as rd:
        return rd.alerts(watch_id, limit)

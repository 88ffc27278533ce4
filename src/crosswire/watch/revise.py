"""The revision hook of the write step: an input at the address of a stored article (same feed entry, same own
canonical URL at the same outlet) whose text or headline changed becomes a new revision of that article.

The article keeps its stored id — its story, statements' links and alerts stay valid — while its current text,
headline and metadata become the new version's (the caller re-analyses it); every version's text is kept in
``article_revisions`` with the changes classified against the version before.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from crosswire.extract.article import drop_template_lines, paragraph_keys
from crosswire.model import Article, RawDocument
from crosswire.pipeline.runner import annotate_article
from crosswire.settings import Settings
from crosswire.storage import revisions as revision_db
from crosswire.storage.store import Writer
from crosswire.watch.revisions import classify, summary


@dataclass(frozen=True, slots=True)
class Revised:
    """What the hook did with an input at a known address."""

    status: str  # unchanged | revised
    article_id: str  # the stored article it belongs to
    detail: str
    number: int = 0  # the new revision's number (revised)


def revise_stored(tx: Writer, raw: RawDocument, article: Article, settings: Settings) -> Revised | None:
    """None when no article is stored at this input's address (the caller stores it as usual); else the input
    is either the stored article's current version (unchanged) or recorded as its newest revision."""
    stored = tx.same_address(article)
    if not stored:
        return None
    for article_id, content_hash, title in stored:
        if content_hash == article.content_hash and _same(title, article.meta.title):
            tx.add_origin(article_id, article.origin, article.external_id)
            return Revised("unchanged", article_id, "same text and headline as the article stored at this address")
    current = tx.load_article(stored[0][0])
    new = _without_templates(tx, article, current.meta.outlet, settings)
    number = tx.latest_revision(current.id)
    if number == 0:  # the first version is what was stored before any revision
        tx.add_revision(_version(current, current.id, current.meta.seen or _now(), ()))
        number = 1
    changes = classify(current.meta.title, current.text, new.meta.title, new.text)
    records = tuple({"kind": str(c.kind), "before": c.before, "after": c.after, "detail": c.detail} for c in changes)
    tx.add_revision(_version(new, current.id, new.meta.seen or _now(), records, number + 1))
    tx.replace_content(current.id, new, raw)
    tx.add_origin(current.id, article.origin, article.external_id)
    tx.forget_comparison(current.id)
    return Revised("revised", current.id, f"revision {number + 1} of {current.id}: {summary(changes)}", number + 1)


def _version(a: Article, article_id: str, fetched_at: str, changes: tuple[dict[str, str], ...], number: int = 1) -> revision_db.StoredRevision:
    return revision_db.StoredRevision(article_id, number, fetched_at, a.meta.title, a.text, a.content_hash, a.id, changes)


def _without_templates(tx: Writer, article: Article, outlet: str | None, settings: Settings) -> Article:
    """The new version without the outlet template lines already stripped from the stored one (they are not edits)."""
    if not outlet:
        return article
    keys = paragraph_keys(article, settings.template_max_words)
    templates = tx.template_keys(outlet, sorted(keys), settings.template_min_articles)
    stripped = drop_template_lines(article, templates) if templates else article
    return annotate_article(stripped) if stripped is not article else replace(article)


def _same(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()) == " ".join((b or "").split())


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")

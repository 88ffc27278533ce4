"""The export formats (JSON, JSONL, CSV) of the versioned schema in docs/export-schema.md."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, Any

from crosswire import __version__
from crosswire.model import Article, Origin

SCHEMA_NAME = "crosswire-export"
SCHEMA_VERSION = "1.0"
CSV_COLUMNS = (
    "id", "external_id", "title", "outlet", "authors", "credited", "dateline", "published",
    "published_source", "url", "canonical_url", "language", "format", "origin", "duplicate_of",
    "content_hash", "removed_lines", "story_id", "text",
)  # fmt: skip


def origin_record(origin: Origin) -> dict[str, Any]:
    """An input identity as exported."""
    return {"kind": origin.kind, "locator": origin.locator, "item": origin.item}


def article_record(article: Article, origins: Iterable[Origin], story_id: str | None = None) -> dict[str, Any]:
    """One article as exported (schema ``crosswire-export`` 1.0)."""
    m = article.meta
    return {
        "id": article.id,
        "external_id": article.external_id,
        "origins": [origin_record(o) for o in origins],
        "format": str(article.format),
        "title": m.title,
        "outlet": m.outlet,
        "authors": list(m.authors),
        "credited": list(m.credited),
        "dateline": m.dateline,
        "published": {"value": m.published.value, "source": str(m.published.source), "evidence": m.published.evidence},
        "updated": m.updated,
        "seen": m.seen,
        "url": m.url,
        "canonical_url": m.canonical_url,
        "language": m.language,
        "encoding": article.encoding,
        "content_hash": article.content_hash,
        "duplicate_of": article.duplicate_of,
        "signals": [{"field": f, "signal": s} for f, s in m.signals],
        "text": article.text,
        "removed_lines": [{"line_no": r.line_no, "text": r.text, "reason": r.reason, "rule": r.rule} for r in article.removed],
        "flags": [{"kind": f.kind, "start": f.span[0], "end": f.span[1], "detail": f.detail, "score": f.score} for f in article.flags],
        "entities": [],
        "statements": [],
        "claims": [],
        "story_id": story_id,
    }


def story_record(view: Any) -> dict[str, Any]:
    """One story as exported: its members and why each joined."""
    return {
        "id": view.id,
        "title": view.title,
        "first_published": view.first,
        "last_published": view.last,
        "outlets": list(view.outlets),
        "languages": list(view.languages),
        "articles": [
            {
                "article_id": m.article_id, "score": m.score, "embedding_similarity": m.embedding_sim,
                "names_similarity": m.names_sim, "shared_names": list(m.shared_names), "started_story": m.new_story,
            }  # fmt: skip
            for m in view.members
        ],
    }


def write_json(records: Iterable[dict[str, Any]], out: IO[str], generated_at: str, stories: Iterable[dict[str, Any]] = ()) -> None:
    """The whole analysis as one JSON document."""
    document = {
        "schema": SCHEMA_NAME, "schema_version": SCHEMA_VERSION, "generator": f"crosswire {__version__}",
        "generated_at": generated_at, "articles": list(records), "stories": list(stories),
    }  # fmt: skip
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_jsonl(records: Iterable[dict[str, Any]], out: IO[str]) -> None:
    """One article record per line."""
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_csv(records: Iterable[dict[str, Any]], out: IO[str]) -> None:
    """One row per article; lists joined with '; '."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for r in records:
        writer.writerow(_flat(r))


def _flat(r: dict[str, Any]) -> dict[str, Any]:
    first = r["origins"][0] if r["origins"] else {}
    return {
        **r,
        "authors": "; ".join(r["authors"]),
        "credited": "; ".join(r["credited"]),
        "published": r["published"]["value"],
        "published_source": r["published"]["source"],
        "origin": f"{first.get('locator')}#{first['item']}" if first.get("item") else first.get("locator"),
        "removed_lines": len(r["removed_lines"]),
    }

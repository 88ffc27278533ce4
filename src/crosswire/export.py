"""The export formats (JSON, JSONL, CSV) of the versioned schema in docs/export-schema.md."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, Any

from crosswire import __version__
from crosswire.model import (
    AlignedStatement,
    Analysis,
    Article,
    Claim,
    Comparison,
    Conflict,
    ConflictSide,
    Coverage,
    FactSlot,
    FactValue,
    Origin,
    Passage,
    ProvenanceEdge,
    Shift,
    SourceAssessment,
    Statement,
    StatementKind,
    StatementVariant,
    SummaryLine,
)

SCHEMA_NAME = "crosswire-export"
SCHEMA_VERSION = "1.3"  # 1.1: analysis, entities, mentions, statements, claims filled; 1.2: statement class, negated, modality;
# 1.3: each article's revisions (issue #20)
CSV_COLUMNS = (
    "id", "external_id", "title", "outlet", "authors", "credited", "dateline", "published",
    "published_source", "url", "canonical_url", "language", "format", "origin", "duplicate_of",
    "content_hash", "removed_lines", "statements", "claims", "story_id", "text",
)  # fmt: skip


def origin_record(origin: Origin) -> dict[str, Any]:
    """An input identity as exported."""
    return {"kind": origin.kind, "locator": origin.locator, "item": origin.item}


def statement_record(s: Statement, text: str) -> dict[str, Any]:
    """A statement with its spans; ``content_text`` is the content joined from its spans."""
    return {
        "id": s.id, "kind": str(s.kind), "class": str(s.class_), "negated": s.negated, "modality": s.modality,
        "speaker": s.speaker, "speaker_entity": s.speaker_entity, "speaker_role": s.speaker_role,
        "speaker_span": list(s.speaker_span) if s.speaker_span else None,
        "resolved_from": list(s.resolved_from) if s.resolved_from else None,
        "cue": s.cue, "cue_span": list(s.cue_span) if s.cue_span else None,
        "content_spans": [list(c) for c in s.content],
        "content_text": " … ".join(text[a:b] for a, b in s.content),
        "venue": s.venue, "addressee": s.addressee, "rule": s.how,
    }  # fmt: skip


def claim_record(c: Claim) -> dict[str, Any]:
    """A claim: the sentence span with its normalised quantities and dates, places, actors and source."""
    return {
        "id": c.id, "span": list(c.span), "statement_id": c.statement, "source": c.source,
        "quantities": [
            {"span": list(q.span), "text": q.text, "value": q.value, "unit": q.unit, "approx": q.approx,
             "low": q.low, "high": q.high, "alternatives": [{"value": v, "unit": u} for v, u in q.alternatives]}
            for q in c.quantities
        ],
        "dates": [{"span": list(d.span), "text": d.text, "value": d.value, "relative": d.relative} for d in c.dates],
        "places": list(c.places), "actors": list(c.actors),
    }  # fmt: skip


def analysis_fields(analysis: Analysis | None, text: str) -> dict[str, Any]:
    """The language layer of an article record (empty lists and ``analysed: false`` when there is none)."""
    if analysis is None:
        return {"analysis": {"analysed": False, "note": "not analysed yet"}, "entities": [], "mentions": [], "statements": [], "claims": []}
    return {
        "analysis": {"analysed": analysis.analysed, "note": analysis.note},
        "entities": [{"key": e.key, "kind": e.kind, "name": e.name, "variants": list(e.variants),
                      "descriptions": list(e.descriptions)} for e in analysis.entities],
        "mentions": [{"span": list(m.span), "text": m.text, "kind": m.kind, "entity": m.entity, "via": m.via}
                     for m in analysis.mentions],
        "statements": [statement_record(s, text) for s in analysis.statements],
        "claims": [claim_record(c) for c in analysis.claims],
    }  # fmt: skip


def article_record(article: Article, origins: Iterable[Origin], story_id: str | None = None,
                   analysis: Analysis | None = None, revisions: Iterable[Any] = ()) -> dict[str, Any]:
    """One article as exported (schema ``crosswire-export`` 1.3); ``revisions``: its stored versions
    (storage.revisions.StoredRevision), oldest first."""
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
        **analysis_fields(analysis, article.text),
        "story_id": story_id,
        "revisions": [revision_record(r) for r in revisions],
    }


def revision_record(r: Any) -> dict[str, Any]:
    """One stored version of an article: when it was fetched, its headline and text, and what changed from the one before."""
    return {"number": r.number, "fetched_at": r.fetched_at, "title": r.title, "text": r.text, "content_hash": r.content_hash,
            "input_id": r.raw_id, "changes": [dict(c) for c in r.changes]}  # fmt: skip


def story_record(view: Any, comparison: Comparison | None = None) -> dict[str, Any]:
    """One story as exported: its members and why each joined, and how its articles differ
    (``comparison``: its stored comparison, or None when the story was not compared)."""
    return {
        "comparison": comparison_record(comparison) if comparison is not None else None,
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
        "statements": len(r["statements"]),
        "claims": len(r["claims"]),
    }


def _passage(p: Passage, outlets: dict[str, str | None] | None = None) -> dict[str, Any]:
    record: dict[str, Any] = {"article_id": p.article_id, "span": list(p.span), "text": p.text}
    if outlets is not None:
        record["outlet"] = outlets.get(p.article_id)
    return record


def comparison_record(c: Comparison) -> dict[str, Any]:
    """A story's comparison: every item with the article ids and spans it rests on, and its summary
    (``comparison_from_record`` reads it back)."""
    outlets = dict(c.outlets)

    def passage(p: Passage) -> dict[str, Any]:
        return _passage(p, outlets)

    cov = c.coverage
    return {
        "story_id": c.story_id,
        "independent_sources": c.independent_sources,
        "originals": list(c.originals),
        "summary": {
            "lines": [{"kind": line.kind, "text": line.text, "passages": [passage(p) for p in line.passages]} for line in c.summary],
            "compared": {"statements": cov.statements if cov else 0, "figures": cov.figures if cov else 0,
                         "single_outlet": cov.single_outlet if cov else 0},
        },
        "sources": [{"article_id": s.article_id, "outlet": outlets.get(s.article_id), "status": s.status, "source": s.source,
                     "evidence": list(s.evidence)} for s in c.sources],
        "provenance": [
            {"source": e.source, "target": e.target, "relation": e.relation, "confidence": e.confidence,
             "containment": e.containment, "coverage": e.coverage, "reason": e.reason,
             "evidence": [{"source": _passage(a), "target": _passage(b)} for a, b in e.evidence],
             "added": [_passage(p) for p in e.added]}
            for e in c.provenance
        ],
        "conflicts": [conflict_record(k, outlets) for k in c.conflicts],
        "statements": [
            {"id": a.id, "speaker": a.speaker, "speaker_entity": a.speaker_entity,
             "variants": [{"article_id": v.article_id, "outlet": v.outlet, "statement_id": v.statement_id,
                           "speaker": v.speaker, "kind": str(v.kind), "cue": v.cue, "content_spans": [list(x) for x in v.content],
                           "text": v.text, "differences": list(v.differences),
                           "shift": [{"kind": x.kind, "detail": x.detail, "from": passage(x.source), "to": passage(x.target)}
                                     for x in v.shifts],
                           "repeats": [passage(p) for p in v.repeats]} for v in a.variants]}
            for a in c.statements
        ],
        "facts": [
            {"id": f.id, "label": f.label,
             "values": [{"article_id": v.article_id, "outlet": v.outlet, "value": v.value, "number": v.number, "unit": v.unit,
                         "approx": v.approx, "span": list(v.span), "sentence": list(v.sentence)} for v in f.values]}
            for f in c.facts
        ],
    }  # fmt: skip


def conflict_record(k: Conflict, outlets: dict[str, str | None]) -> dict[str, Any]:
    """One conflict of a comparison record (also an alert's detail); ``outlets``: article id → outlet."""
    return {"id": k.id, "kind": k.kind, "label": k.label, "severity": k.severity, "detail": k.detail,
            "conservative": k.conservative,
            "sides": [{"value": s.value, "independent_sources": s.independent_sources,
                       "passages": [_passage(p, outlets) for p in s.passages],
                       "context": [_passage(p, outlets) for p in s.contexts]}
                      for s in k.sides]}  # fmt: skip


def comparison_from_record(r: dict[str, Any]) -> Comparison:
    """The comparison a ``comparison_record`` was written from (storage keeps the record as JSON): its record is
    this record again. The members and their outlets are the record's per-article sources (one per member);
    fields an older engine did not write come back empty."""
    sources = tuple(SourceAssessment(s["article_id"], s["status"], s["source"], tuple(s["evidence"])) for s in r.get("sources", ()))
    outlets = tuple((s["article_id"], s.get("outlet")) for s in r.get("sources", ()))
    summary = r.get("summary") or {}
    cov = summary.get("compared")
    return Comparison(
        story_id=r["story_id"],
        article_ids=tuple(s.article_id for s in sources),
        statements=tuple(_aligned_of(a) for a in r["statements"]),
        facts=tuple(FactSlot(f["id"], f["label"], tuple(_fact_value_of(v) for v in f["values"])) for f in r["facts"]),
        conflicts=tuple(_conflict_of(k) for k in r["conflicts"]),
        provenance=tuple(_edge_of(e) for e in r["provenance"]),
        originals=tuple(r["originals"]),
        independent_sources=r["independent_sources"],
        summary=tuple(summary_line_of(x) for x in summary.get("lines", ())),
        coverage=Coverage(cov["statements"], cov["figures"], cov["single_outlet"]) if cov else None,
        sources=sources,
        outlets=outlets,
    )


def summary_line_of(x: dict[str, Any]) -> SummaryLine:
    """One line of a comparison record's summary (``summary.lines[i]``) as the typed line; storage reads the story
    list's lines alone with it, without the rest of the record."""
    return SummaryLine(x["kind"], x["text"], tuple(_passage_of(p) for p in x["passages"]))


def _passage_of(p: dict[str, Any]) -> Passage:
    return Passage(p["article_id"], (p["span"][0], p["span"][1]), p["text"])


def _span_of(x: list[int]) -> tuple[int, int]:
    return (x[0], x[1])


def _aligned_of(a: dict[str, Any]) -> AlignedStatement:
    variants = tuple(
        StatementVariant(v["article_id"], v["outlet"], v["statement_id"], v["speaker"], StatementKind(v["kind"]), v["cue"],
                         tuple(_span_of(x) for x in v["content_spans"]), v["text"], tuple(v["differences"]),
                         tuple(Shift(x["kind"], x["detail"], _passage_of(x["from"]), _passage_of(x["to"])) for x in v.get("shift", ())),
                         tuple(_passage_of(p) for p in v.get("repeats", ())))
        for v in a["variants"])  # fmt: skip
    return AlignedStatement(a["id"], a["speaker"], a["speaker_entity"], variants)


def _fact_value_of(v: dict[str, Any]) -> FactValue:
    return FactValue(v["article_id"], v["outlet"], v["value"], v["number"], v["unit"], v["approx"], _span_of(v["span"]),
                     _span_of(v["sentence"]))


def _conflict_of(k: dict[str, Any]) -> Conflict:
    sides = tuple(ConflictSide(s["value"], tuple(_passage_of(p) for p in s["passages"]), s["independent_sources"],
                               tuple(_passage_of(p) for p in s.get("context", ()))) for s in k["sides"])
    return Conflict(k["id"], k["kind"], k["severity"], sides, k["detail"], k.get("conservative"), k.get("label", ""))


def _edge_of(e: dict[str, Any]) -> ProvenanceEdge:
    evidence = tuple((_passage_of(x["source"]), _passage_of(x["target"])) for x in e.get("evidence", ()))
    return ProvenanceEdge(e["source"], e["target"], e["relation"], e["confidence"], e["containment"], e["coverage"], evidence,
                          tuple(_passage_of(p) for p in e.get("added", ())), e.get("reason", ""))


def timeline_record(e: Any) -> dict[str, Any]:
    """One statement of a speaker's timeline."""
    r = e.statement
    return {"article_id": r.article_id, "story_id": e.story_id, "outlet": r.outlet, "published": r.published,
            "published_source": r.published_source, "about": list(e.about), "contradicts": list(e.contradicts),
            **statement_record(r.statement, ""), "content_text": r.text}  # fmt: skip


def plain_record(value: Any) -> dict[str, Any]:
    """Any model value as a flat dict of JSON-ready fields (enums as their value, tuples as lists, vectors left out),
    for ``Records.to_rows()`` of the Python API."""
    import dataclasses
    from enum import Enum

    def plain(v: Any) -> Any:
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            return {f.name: plain(getattr(v, f.name)) for f in dataclasses.fields(v) if not _is_vector(getattr(v, f.name))}
        if isinstance(v, Enum):
            return v.value
        if isinstance(v, tuple | list | frozenset | set):
            return [plain(x) for x in (sorted(v) if isinstance(v, frozenset | set) else v)]
        if isinstance(v, dict):
            return {str(k): plain(x) for k, x in v.items()}
        return v

    out = plain(value)
    return out if isinstance(out, dict) else {"value": out}


def _is_vector(v: Any) -> bool:
    return type(v).__module__ == "numpy"


"""The Parquet export: the JSON export document (``export.write_json``) as one table per kind of thing, for
analysts' tools (DuckDB, pandas, Spark, Arrow). Schema: docs/export-schema.md, "Parquet".

The tables are cut from the same records the JSON export writes, so the two never disagree. Every table has a
fixed Arrow schema (an empty table still has its columns), every row its article or story id and character
spans as ``start``/``end`` offsets into the article's ``text``. The directory is written whole or not at all:
into a temporary sibling first, then renamed into place. pyarrow is an optional extra
(``pip install 'crosswire[parquet]'``).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from crosswire.errors import ConfigError

PASSAGE = ("article_id", "start", "end", "text")


def _schemas() -> dict[str, Any]:
    import pyarrow as pa

    s, i, f, b = pa.string(), pa.int64(), pa.float64(), pa.bool_()
    strings = pa.list_(s)
    span = pa.struct([("start", i), ("end", i)])
    return {
        "articles": [
            ("id", s), ("external_id", s), ("format", s), ("title", s), ("outlet", s), ("authors", strings),
            ("credited", strings), ("dateline", s), ("published", s), ("published_source", s), ("published_evidence", s),
            ("updated", s), ("seen", s), ("url", s), ("canonical_url", s), ("language", s), ("encoding", s),
            ("content_hash", s), ("duplicate_of", s), ("story_id", s), ("analysed", b), ("analysis_note", s),
            ("origins", pa.list_(pa.struct([("kind", s), ("locator", s), ("item", s)]))), ("removed_lines", i), ("text", s),
        ],
        "statements": [
            ("article_id", s), ("seq", i), ("id", s), ("kind", s), ("class", s), ("negated", b), ("modality", s),
            ("speaker", s), ("speaker_entity", s), ("speaker_role", s), ("speaker_start", i), ("speaker_end", i),
            ("resolved_start", i), ("resolved_end", i), ("cue", s), ("cue_start", i), ("cue_end", i),
            ("content_spans", pa.list_(span)), ("content_text", s), ("venue", s), ("addressee", s), ("rule", s),
        ],
        "claims": [
            ("article_id", s), ("id", s), ("start", i), ("end", i), ("statement_id", s), ("source", s),
            ("quantities", pa.list_(pa.struct([("start", i), ("end", i), ("text", s), ("value", f), ("unit", s),
                                               ("approx", s), ("low", f), ("high", f)]))),
            ("dates", pa.list_(pa.struct([("start", i), ("end", i), ("text", s), ("value", s), ("relative", b)]))),
            ("places", strings), ("actors", strings),
        ],
        "entities": [("key", s), ("kind", s), ("name", s), ("variants", strings), ("descriptions", strings), ("articles", i)],
        "mentions": [("article_id", s), ("start", i), ("end", i), ("text", s), ("kind", s), ("entity", s), ("via", s)],
        "stories": [
            ("id", s), ("title", s), ("first_published", s), ("last_published", s), ("size", i), ("outlets", strings),
            ("languages", strings), ("compared", b), ("independent_sources", i), ("originals", strings),
        ],
        "story_members": [
            ("story_id", s), ("position", i), ("article_id", s), ("score", f), ("embedding_similarity", f),
            ("names_similarity", f), ("shared_names", strings), ("started_story", b),
        ],
        "conflicts": [
            ("story_id", s), ("id", s), ("kind", s), ("label", s), ("severity", s), ("detail", s), ("conservative", s),
            ("sides", i),
        ],
        "conflict_passages": [
            ("story_id", s), ("conflict_id", s), ("side", i), ("value", s), ("independent_sources", i),
            ("article_id", s), ("start", i), ("end", i), ("text", s),
        ],
        "provenance": [
            ("story_id", s), ("source", s), ("target", s), ("relation", s), ("confidence", f), ("containment", f),
            ("coverage", f), ("reason", s), ("evidence_pairs", i), ("added_passages", i),
        ],
        "aligned_statements": [
            ("story_id", s), ("alignment_id", s), ("speaker", s), ("speaker_entity", s), ("position", i),
            ("article_id", s), ("outlet", s), ("statement_id", s), ("kind", s), ("cue", s), ("content_spans", pa.list_(span)),
            ("text", s), ("differences", strings),
        ],
    }


def tables(document: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The export document's rows, table by table, in the document's order (articles, then stories)."""
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in _TABLES}
    entity_articles: dict[str, int] = {}
    entities: dict[str, dict[str, Any]] = {}
    for a in document["articles"]:
        out["articles"].append(_article(a))
        aid = a["id"]
        for n, st in enumerate(a["statements"]):
            out["statements"].append(_statement(aid, n, st))
        out["claims"] += [_claim(aid, c) for c in a["claims"]]
        out["mentions"] += [{"article_id": aid, "start": m["span"][0], "end": m["span"][1], "text": m["text"], "kind": m["kind"],
                             "entity": m["entity"], "via": m["via"]} for m in a["mentions"]]  # fmt: skip
        for e in a["entities"]:
            entities[e["key"]] = e
            entity_articles[e["key"]] = entity_articles.get(e["key"], 0) + 1
    out["entities"] = [{**{k: entities[key][k] for k in ("key", "kind", "name", "variants", "descriptions")},
                        "articles": entity_articles[key]} for key in sorted(entities)]  # fmt: skip
    for story in document.get("stories", []):
        _story(story, out)
    return out


_TABLES = ("articles", "statements", "claims", "entities", "mentions", "stories", "story_members", "conflicts",
           "conflict_passages", "provenance", "aligned_statements")  # fmt: skip


def _article(a: dict[str, Any]) -> dict[str, Any]:
    keep = ("id", "external_id", "format", "title", "outlet", "authors", "credited", "dateline", "updated", "seen", "url",
            "canonical_url", "language", "encoding", "content_hash", "duplicate_of", "story_id", "origins", "text")  # fmt: skip
    return {
        **{k: a[k] for k in keep}, "published": a["published"]["value"], "published_source": a["published"]["source"],
        "published_evidence": a["published"]["evidence"], "analysed": a["analysis"]["analysed"],
        "analysis_note": a["analysis"]["note"], "removed_lines": len(a["removed_lines"]),
    }  # fmt: skip


def _pair(span: list[int] | None) -> tuple[int | None, int | None]:
    return (span[0], span[1]) if span else (None, None)


def _statement(article_id: str, seq: int, s: dict[str, Any]) -> dict[str, Any]:
    (ss, se), (rs, re_), (cs, ce) = _pair(s["speaker_span"]), _pair(s["resolved_from"]), _pair(s["cue_span"])
    return {
        "article_id": article_id, "seq": seq, **{k: s[k] for k in ("id", "kind", "class", "negated", "modality", "speaker",
        "speaker_entity", "speaker_role", "cue", "content_text", "venue", "addressee", "rule")},
        "speaker_start": ss, "speaker_end": se, "resolved_start": rs, "resolved_end": re_, "cue_start": cs, "cue_end": ce,
        "content_spans": [{"start": a, "end": b} for a, b in s["content_spans"]],
    }  # fmt: skip


def _claim(article_id: str, c: dict[str, Any]) -> dict[str, Any]:
    return {
        "article_id": article_id, "id": c["id"], "start": c["span"][0], "end": c["span"][1], "statement_id": c["statement_id"],
        "source": c["source"], "places": c["places"], "actors": c["actors"],
        "quantities": [{"start": q["span"][0], "end": q["span"][1], **{k: q[k] for k in ("text", "value", "unit", "approx", "low", "high")}}
                       for q in c["quantities"]],
        "dates": [{"start": d["span"][0], "end": d["span"][1], "text": d["text"], "value": d["value"], "relative": d["relative"]}
                  for d in c["dates"]],
    }  # fmt: skip


def _story(story: dict[str, Any], out: dict[str, list[dict[str, Any]]]) -> None:
    sid, c = story["id"], story["comparison"]
    out["stories"].append({
        **{k: story[k] for k in ("id", "title", "first_published", "last_published", "outlets", "languages")},
        "size": len(story["articles"]), "compared": c is not None,
        "independent_sources": c["independent_sources"] if c else None, "originals": c["originals"] if c else [],
    })  # fmt: skip
    out["story_members"] += [{"story_id": sid, "position": n, **m} for n, m in enumerate(story["articles"])]
    if c is None:
        return
    for k in c["conflicts"]:
        out["conflicts"].append({"story_id": sid, **{x: k[x] for x in ("id", "kind", "label", "severity", "detail", "conservative")},
                                 "sides": len(k["sides"])})  # fmt: skip
        out["conflict_passages"] += [
            {"story_id": sid, "conflict_id": k["id"], "side": n, "value": side["value"], "independent_sources": side["independent_sources"],
             "article_id": p["article_id"], "start": p["span"][0], "end": p["span"][1], "text": p["text"]}
            for n, side in enumerate(k["sides"]) for p in side["passages"]
        ]  # fmt: skip
    out["provenance"] += [
        {"story_id": sid, **{x: e[x] for x in ("source", "target", "relation", "confidence", "containment", "coverage", "reason")},
         "evidence_pairs": len(e["evidence"]), "added_passages": len(e["added"])}
        for e in c["provenance"]
    ]  # fmt: skip
    out["aligned_statements"] += [
        {"story_id": sid, "alignment_id": a["id"], "speaker": a["speaker"], "speaker_entity": a["speaker_entity"], "position": n,
         **{x: v[x] for x in ("article_id", "outlet", "statement_id", "kind", "cue", "text", "differences")},
         "content_spans": [{"start": s, "end": e} for s, e in v["content_spans"]]}
        for a in c["statements"] for n, v in enumerate(a["variants"])
    ]  # fmt: skip


def write_parquet(document: dict[str, Any], directory: Path) -> dict[str, int]:
    """Write every table of ``document`` as ``directory/<table>.parquet`` (plus ``_export.json`` naming the schema
    and generator), replacing an earlier export there only once the new one is complete; rows per table."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ConfigError("the Parquet export needs pyarrow: pip install 'crosswire[parquet]'") from exc
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    schemas, rows = _schemas(), tables(document)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".partial", dir=directory.parent))
    try:
        for name, fields in schemas.items():
            table = pa.Table.from_pylist(rows[name], schema=pa.schema(fields))
            pq.write_table(table, tmp / f"{name}.parquet", compression="zstd")
        meta = {k: document[k] for k in ("schema", "schema_version", "generator", "generated_at")}
        (tmp / "_export.json").write_text(json.dumps({**meta, "tables": {n: len(r) for n, r in rows.items()}}, indent=2) + "\n")
        _swap_in(tmp, directory)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return {name: len(r) for name, r in rows.items()}


def _swap_in(new: Path, target: Path) -> None:
    """Rename ``new`` to ``target``; an earlier ``target`` is moved aside first and removed after."""
    old = None
    if target.exists():
        if not target.is_dir():
            raise ConfigError(f"{target} exists and is not a directory; the Parquet export writes a directory of tables")
        old = target.with_name(f".{target.name}.{os.getpid()}.old")
        target.rename(old)
    new.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def table_names() -> Iterable[str]:
    """The tables a Parquet export holds, in the order of docs/export-schema.md."""
    return _TABLES

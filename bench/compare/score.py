"""Score predicted conflicts and provenance edges against a generated manifest.

    .venv/bin/python -m bench.compare.score OUT/manifest.json predictions.json [--json scores.json]

Predictions: a JSON list with one object per story,
    {"story": "s000",
     "conflicts":  [{"kind": "number", "doc_a": "s000-03", "span_a": [10, 15], "doc_b": "s000-07", "span_b": [40, 45]}],
     "provenance": [{"source": "s000-03", "target": "s000-07", "relation": "copy|rewrite|translation|shared-source"}]}
A predicted conflict matches a gold one when the kind is equal, the unordered document pair is equal and its span
overlaps the gold span on at least one of the two documents. Each gold conflict is matched at most once.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

UNSCORED_ROLES = ("independent", "shared-source", "roundup")  # real articles of the event may really disagree: not gold


def prf(tp: int, fp: int, fn: int) -> dict:
    """Precision, recall and F1 with their counts; an empty denominator gives 0."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _overlaps(a: list[int], b: list[int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _matches(pred: dict, gold: dict) -> bool:
    """Same kind, same unordered pair, and overlapping spans on either document."""
    if pred["kind"] != gold["kind"] or {pred["doc_a"], pred["doc_b"]} != {gold["doc_a"], gold["doc_b"]}:
        return False
    spans = {pred["doc_a"]: pred["span_a"], pred["doc_b"]: pred["span_b"]}
    return _overlaps(spans[gold["doc_a"]], gold["span_a"]) or _overlaps(spans[gold["doc_b"]], gold["span_b"])


def _valid(pred: dict, doc_ids: set[str]) -> bool:
    try:
        spans_ok = all(len(pred[k]) == 2 and pred[k][0] <= pred[k][1] for k in ("span_a", "span_b"))
        docs_ok = pred["doc_a"] in doc_ids and pred["doc_b"] in doc_ids and pred["doc_a"] != pred["doc_b"]
        return spans_ok and docs_ok and isinstance(pred["kind"], str)
    except (KeyError, TypeError):
        return False


def _outcome(pred: dict, story: dict, matched: set[int], roles: dict[str, str]) -> tuple[str, int | None]:
    """What one predicted conflict is: tp (with the gold index), duplicate, a false conflict of some sort, fp or unscored."""
    pair = frozenset((pred["doc_a"], pred["doc_b"]))
    golds = story["conflicts"]
    for i, g in enumerate(golds):
        if i not in matched and _matches(pred, g):
            return "tp", i
    if any(_matches(pred, g) for g in golds):
        return "duplicate", None
    if pair in {frozenset(p) for p in story["untouched_pairs"]}:
        return "false_untouched", None
    if any(frozenset((g["doc_a"], g["doc_b"])) == pair for g in golds):
        return "fp", None  # a pair with a gold conflict, but wrong kind or place
    if any(roles[d] in UNSCORED_ROLES for d in pair):
        return "unscored", None
    if any(frozenset((n["doc_a"], n["doc_b"])) == pair for n in story["non_conflicts"]):
        return "false_control", None
    return "false_conflict_free", None  # a changed copy and a document that lacks the changed fact


def score_conflicts(story: dict, predicted: list[dict]) -> tuple[Counter, Counter]:
    """Per (kind, tp|fp|fn) counts and the outcome counts of one story."""
    roles = {d["id"]: d["role"] for d in story["documents"]}
    counts, outcomes, matched = Counter(), Counter(), set()
    for pred in predicted:
        if not _valid(pred, set(roles)):
            outcomes["invalid"] += 1
            continue
        outcome, index = _outcome(pred, story, matched, roles)
        outcomes[outcome] += 1
        if outcome == "tp":
            matched.add(index)
            counts[pred["kind"], "tp"] += 1
        elif outcome not in ("duplicate", "unscored"):
            counts[pred.get("kind", "?"), "fp"] += 1
    for i, g in enumerate(story["conflicts"]):
        if i not in matched:
            counts[g["kind"], "fn"] += 1
    hit = {frozenset((p["doc_a"], p["doc_b"])) for p in predicted if _valid(p, set(roles))}
    outcomes["untouched_pairs_hit"] += sum(frozenset(p) in hit for p in story["untouched_pairs"])
    outcomes["untouched_pairs"] += len(story["untouched_pairs"])
    return counts, outcomes


def _edge_key(edge: dict, directed: bool, shared: set[tuple[str, str]]) -> tuple[str, str]:
    """(source, target), or the sorted pair when scoring undirected or when gold says shared-source (no direction)."""
    unordered = tuple(sorted((edge["source"], edge["target"])))
    return unordered if not directed or unordered in shared else (edge["source"], edge["target"])


def score_provenance(story: dict, predicted: list[dict]) -> Counter:
    """Directed and undirected edge counts, relation agreement on matched edges, recall per gold relation."""
    shared = {tuple(sorted((e["source"], e["target"]))) for e in story["provenance"] if e["relation"] == "shared-source"}
    out = Counter()
    for directed, name in ((True, "directed"), (False, "undirected")):
        gold = {_edge_key(e, directed, shared): e for e in story["provenance"]}
        pred = {_edge_key(e, directed, shared): e for e in predicted}
        out[name, "tp"] += len(gold.keys() & pred.keys())
        out[name, "fp"] += len(pred.keys() - gold.keys())
        out[name, "fn"] += len(gold.keys() - pred.keys())
        for k, e in gold.items():
            out[f"{name}:{e['relation']}", "gold"] += 1
            out[f"{name}:{e['relation']}", "found"] += k in pred
            if not directed and k in pred:
                out["relation", "total"] += 1
                out["relation", "correct"] += e["relation"] == pred[k].get("relation")
    return out


def score(manifest: dict, predictions: list[dict]) -> dict:
    """Conflict P/R/F1 per kind, false conflicts, and provenance P/R/F1 (directed, undirected) over all stories."""
    by_story = {p["story"]: p for p in predictions}
    conflicts, outcomes, edges = Counter(), Counter(), Counter()
    for story in manifest["stories"]:
        pred = by_story.get(story["id"], {})
        c, o = score_conflicts(story, pred.get("conflicts", []))
        conflicts, outcomes, edges = conflicts + c, outcomes + o, edges + score_provenance(story, pred.get("provenance", []))
    kinds = manifest["conflict_kinds"] + sorted({k for k, _ in conflicts} - set(manifest["conflict_kinds"]))
    per_kind = {k: prf(conflicts[k, "tp"], conflicts[k, "fp"], conflicts[k, "fn"]) for k in kinds}
    total = prf(*(sum(conflicts[k, x] for k in kinds) for x in ("tp", "fp", "fn")))
    relations = sorted({k.split(":")[1] for k, _ in edges if k.startswith("directed:")})
    return {
        "stories": len(manifest["stories"]),
        "stories_without_prediction": sorted(s["id"] for s in manifest["stories"] if s["id"] not in by_story),
        "conflicts": {**per_kind, "all": total},
        "false_conflicts": {k: outcomes[k] for k in ("false_untouched", "false_control", "false_conflict_free")},
        "untouched_pairs_with_conflict": outcomes["untouched_pairs_hit"],
        "untouched_pairs": outcomes["untouched_pairs"],
        "other": {k: outcomes[k] for k in ("duplicate", "unscored", "invalid")},
        "provenance": {
            "directed": prf(edges["directed", "tp"], edges["directed", "fp"], edges["directed", "fn"]),
            "undirected": prf(edges["undirected", "tp"], edges["undirected", "fp"], edges["undirected", "fn"]),
            "relation_accuracy": edges["relation", "correct"] / edges["relation", "total"] if edges["relation", "total"] else 0.0,
            "directed_recall_by_relation": {r: edges[f"directed:{r}", "found"] / edges[f"directed:{r}", "gold"] for r in relations},
        },
    }


def format_table(result: dict) -> str:
    """The scores as a plain-text table."""
    lines = [f"{'conflict kind':<16}{'P':>7}{'R':>7}{'F1':>7}{'tp':>7}{'fp':>7}{'fn':>7}"]
    for kind, r in result["conflicts"].items():
        lines.append(f"{kind:<16}{r['precision']:>7.3f}{r['recall']:>7.3f}{r['f1']:>7.3f}{r['tp']:>7}{r['fp']:>7}{r['fn']:>7}")
    f = result["false_conflicts"]
    lines += ["", f"false conflicts: {f['false_untouched']} on untouched pairs ({result['untouched_pairs_with_conflict']} of "
              f"{result['untouched_pairs']} untouched pairs hit), {f['false_control']} on rounding/unit controls, "
              f"{f['false_conflict_free']} on other conflict-free pairs",
              "other predictions: " + ", ".join(f"{k} {v}" for k, v in result["other"].items()), "",
              f"{'provenance':<16}{'P':>7}{'R':>7}{'F1':>7}{'tp':>7}{'fp':>7}{'fn':>7}"]  # fmt: skip
    for name in ("directed", "undirected"):
        r = result["provenance"][name]
        lines.append(f"{name:<16}{r['precision']:>7.3f}{r['recall']:>7.3f}{r['f1']:>7.3f}{r['tp']:>7}{r['fp']:>7}{r['fn']:>7}")
    prov = result["provenance"]
    lines.append(f"relation accuracy on matched edges {prov['relation_accuracy']:.3f}; directed recall by relation: "
                 + ", ".join(f"{k} {v:.2f}" for k, v in prov["directed_recall_by_relation"].items()))  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("manifest", type=Path)
    parser.add_argument("predictions", type=Path)
    parser.add_argument("--json", type=Path, help="also write the scores as JSON here")
    args = parser.parse_args(argv)
    result = score(json.loads(args.manifest.read_text("utf-8")), json.loads(args.predictions.read_text("utf-8")))
    print(format_table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

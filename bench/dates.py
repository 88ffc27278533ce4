"""Publication-date extraction on the htmldate evaluation set, scored with htmldate's day-level metric."""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from crosswire.errors import InputError, MalformedInput
from crosswire.extract.article import extract_article
from crosswire.extract.html import extract_html
from crosswire.ingest.decode import decode_text
from crosswire.model import InputFormat, Origin, RawDocument, Rejected

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "htmldate-eval"
EVAL_FILES = ("eval_default.json", "eval_mediacloud_2020.json")
Outcome = tuple[int, int, int, int]  # tp, fp, tn, fn


def judge(result: str | None, gold: str | None) -> Outcome:
    """Upstream evaluate_result: no output → fn (and tn if gold is missing too); wrong date → fp only."""
    if result is None:
        return (0, 0, 1, 1) if gold is None else (0, 0, 0, 1)
    return (1, 0, 0, 0) if result == gold else (0, 1, 0, 0)


def metrics(outcomes: list[Outcome]) -> dict[str, float]:
    """precision = tp/(tp+fp), recall = tp/(tp+fn), accuracy = (tp+tn)/N, F1 = 2tp/(2tp+fp+fn)."""
    tp, fp, tn, fn = (sum(o[i] for o in outcomes) for i in range(4))
    return {
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "accuracy": (tp + tn) / len(outcomes) if outcomes else 0.0,
        "f1": 2 * tp / (2 * tp + fp + fn) if tp else 0.0,
        "tp": tp, "fp": fp, "tn": tn, "fn": fn, "n": len(outcomes),
    }  # fmt: skip


def via_article(html: str, url: str | None, path: str) -> tuple[str | None, str]:
    """crosswire's extract stage: ``extract_article(...).meta.published.value`` and its source."""
    a = extract_article(RawDocument(Origin("file", path), InputFormat.HTML, html, url=url))
    if isinstance(a, Rejected):
        return None, "rejected"
    return a.meta.published.value, str(a.meta.published.source)


def via_html(html: str, url: str | None, path: str) -> tuple[str | None, str]:
    """trafilatura's metadata via crosswire: ``extract_html(...).date``."""
    try:
        return extract_html(html, url).date, "html"
    except MalformedInput:
        return None, "no article text"


def run(pages: list[tuple[str, str, str, str]], fn: Callable[[str, str | None, str], tuple[str | None, str]], use_url: bool) -> tuple[dict[str, float], Counter[str], float, list[tuple[str, str, str | None]]]:
    """Score one date extractor; returns metrics, a tally of where dates came from, seconds spent, and the misses."""
    outcomes, sources, misses, spent = [], Counter[str](), [], 0.0
    for url, gold, html, path in pages:
        t0 = time.perf_counter()
        value, source = fn(html, url if use_url else None, path)
        spent += time.perf_counter() - t0
        day = value[:10] if value else None
        outcomes.append(judge(day, gold))
        sources[source if value else "none" if source in ("html", "unknown") else f"none ({source})"] += 1
        if day != gold:
            misses.append((url, gold, day))
    return metrics(outcomes), sources, spent, misses


def main() -> None:
    """Score extract_article and extract_html dates on both eval files; print a table."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--limit", type=int, default=0, help="score only the first N entries")
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--no-url", action="store_true", help="do not pass the page URL (as upstream htmldate eval)")
    args = ap.parse_args()

    entries: list[tuple[str, dict[str, object]]] = []
    for name in EVAL_FILES:
        entries += json.loads((args.data / name).read_text(encoding="utf-8")).items()
    entries = entries[: args.limit or None]
    pages, skipped, undecodable = [], 0, 0
    for url, item in entries:
        gold = item.get("date")
        if not isinstance(gold, str):  # NaN in the JSON loads as a float
            skipped += 1
            continue
        path = args.data / "html" / f"{item['file']}.gz"
        try:
            html = decode_text(gzip.decompress(path.read_bytes()))[0]
        except InputError:
            html, undecodable = "", undecodable + 1  # scored as no output
        pages.append((url, gold, html, str(path)))

    for fn in (via_article, via_html):  # warm-up (imports, lexicon, lazy caches), not timed
        fn(pages[0][2], pages[0][0], pages[0][3])
    rows = {
        "extract_article(...).meta.published.value": run(pages, via_article, not args.no_url),
        "extract_html(...).date": run(pages, via_html, not args.no_url),
    }
    print(f"htmldate-eval: {len(entries)} entries, {skipped} skipped (gold date NaN/missing), {len(pages)} scored; "
          f"URL {'not ' if args.no_url else ''}passed; {undecodable} undecodable")  # fmt: skip
    print(f"{'system':<44} {'P':>6} {'R':>6} {'F1':>6} {'acc':>6} {'tp':>4} {'fp':>4} {'fn':>4} {'pages/s':>8}")
    for name, (m, _src, sec, _miss) in rows.items():
        print(f"{name:<44} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} {m['accuracy']:6.3f} "
              f"{m['tp']:4d} {m['fp']:4d} {m['fn']:4d} {len(pages) / sec:8.1f}")  # fmt: skip
    print("tn = 0: the only gold-less entries (NaN) are skipped, so accuracy = tp/N. Upstream would not give tn either:")
    print("  NaN is not None there, so a NaN entry is an fn (no output) or an fp (any date).")
    print("pages/s: wall time in the extraction call only (decoded HTML in memory), single process.")
    for name, (_m, src, _sec, _miss) in rows.items():
        print(f"date sources, {name}: " + ", ".join(f"{k} {v}" for k, v in src.most_common()))
    if args.json:
        out: dict[str, object] = {
            name: {**m, "pages_per_second": len(pages) / sec, "sources": dict(src), "misses": miss}
            for name, (m, src, sec, miss) in rows.items()
        }
        out["_info"] = {"entries": len(entries), "skipped_nan": skipped, "scored": len(pages), "url_passed": not args.no_url}
        args.json.write_text(json.dumps(out, indent=2, sort_keys=True), encoding="utf-8")


if __name__ == "__main__":
    main()

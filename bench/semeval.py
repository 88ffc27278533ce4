"""Article-pair similarity against SemEval-2022 Task 8 gold "Overall" scores (Pearson r), overall and per language pair."""

from __future__ import annotations

import argparse
import csv
import statistics
import time
from collections import defaultdict
from pathlib import Path

from crosswire.model import Article, InputFormat, Metadata, Origin
from crosswire.stories.clusters import pair_similarity
from crosswire.stories.signals import story_signals

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "semeval22-task8-sample" / "raw" / "testing_set.csv"


def unmangle(text: str) -> str:
    """Undo UTF-8 read as cp1252 where that round-trips (some rows of the sample are mojibake); else keep it."""
    try:
        return text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def as_article(pid: str, text: str, language: str) -> Article:
    """A pair text as an article: first line as headline, the rest as body."""
    title, _, body = unmangle(text).strip().partition("\n")
    return Article(pid, Origin("file", pid), InputFormat.TEXT, body or title, Metadata(title=title, language=language))


def pearson(xs: list[float], ys: list[float]) -> float:
    """Pearson correlation coefficient."""
    return statistics.correlation(xs, ys) if len(xs) > 2 else float("nan")


def main() -> None:
    """Score every pair with crosswire's grouping similarity; print Pearson r against −Overall."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    csv.field_size_limit(1 << 30)
    rows = list(csv.DictReader(args.data.open(encoding="utf-8")))[: args.limit or None]
    start = time.perf_counter()
    firsts = story_signals([as_article(f"{r['pair_id']}a", r["text1"], r["lang1"]) for r in rows])
    seconds = story_signals([as_article(f"{r['pair_id']}b", r["text2"], r["lang2"]) for r in rows])
    sims = [pair_similarity(a, b) for a, b in zip(firsts, seconds, strict=True)]
    gold = [-float(r["Overall"]) for r in rows]  # Overall: 1 = same story … 4 = unrelated
    by_pair: dict[str, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for r, s, g in zip(rows, sims, gold, strict=True):
        key = f"{r['lang1']}-{r['lang2']}"
        by_pair[key][0].append(s)
        by_pair[key][1].append(g)
    cross = [(s, g) for r, s, g in zip(rows, sims, gold, strict=True) if r["lang1"] != r["lang2"]]
    print(f"SemEval-2022 Task 8 sample, {len(rows)} pairs, {time.perf_counter() - start:.0f} s; Pearson r of similarity vs −Overall")
    print(f"  all pairs: r = {pearson(sims, gold):.3f}")
    emb_only = [float(a.embedding @ b.embedding) for a, b in zip(firsts, seconds, strict=True)]
    print(f"  all pairs, lead embedding cosine alone (no names or words): r = {pearson(emb_only, gold):.3f}")
    print(f"  cross-lingual pairs ({len(cross)}): r = {pearson([c[0] for c in cross], [c[1] for c in cross]):.3f}")
    for key, (xs, ys) in sorted(by_pair.items(), key=lambda kv: -len(kv[1][0])):
        print(f"  {key:<6} {len(xs):4d} pairs  r = {pearson(xs, ys):.3f}")


if __name__ == "__main__":
    main()

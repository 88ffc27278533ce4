"""Article body extraction on the Zyte article-extraction-benchmark (AEB), scored with the upstream shingle metric."""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from crosswire.errors import MalformedInput
from crosswire.extract.article import extract_article
from crosswire.extract.html import extract_html
from crosswire.ingest.decode import decode_text
from crosswire.model import InputFormat, Origin, RawDocument, Rejected

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "zyte-aeb"
TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)
Counts = tuple[float, float, float]


def tokenize(text: str) -> list[str]:
    """Upstream tokenizer: every run of word characters."""
    return TOKEN_RE.findall(text or "")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of word n-gram shingles; a text shorter than n gives one short shingle (upstream quirk)."""
    tokens = tokenize(text)
    return Counter(s for i in range(max(1, len(tokens) - n + 1)) if (s := tuple(tokens[i : i + n])))


def match(true: str, pred: str) -> Counts:
    """tp/fp/fn over shingle multisets, normalised to sum to 1 so long pages do not weigh more."""
    t, p = shingles(true), shingles(pred)
    tp = float(sum((t & p).values()))
    fp = float(sum((p - t).values()))
    fn = float(sum((t - p).values()))
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s > 0 else (tp, fp, fn)


def _precision(tp: float, fp: float, fn: float) -> float:
    return 1.0 if fp == fn == 0 else 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    return 1.0 if fp == fn == 0 else 0.0 if tp == fn == 0 else tp / (tp + fn)


def metrics(counts: list[Counts], acc: list[float]) -> dict[str, float]:
    """P = mean over pages with tp+fp>0, R = mean over pages with tp+fn>0, F1 = harmonic mean of the means."""
    p = statistics.mean([_precision(*c) for c in counts if c[0] + c[1] > 0] or [0.0])
    r = statistics.mean([_recall(*c) for c in counts if c[0] + c[2] > 0] or [0.0])
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f1, "accuracy": statistics.mean(acc)}


def score(gold: dict[str, str], pred: dict[str, str], n_boot: int, seed: int) -> dict[str, float]:
    """Upstream AEB metrics plus bootstrap standard deviations (``*_std``)."""
    keys = list(gold)
    counts = [match(gold[k], pred.get(k, "")) for k in keys]
    acc = [float(tokenize(gold[k]) == tokenize(pred.get(k, ""))) for k in keys]
    out = metrics(counts, acc)
    rng, boot = random.Random(seed), []
    for _ in range(n_boot):
        idx = [rng.randint(0, len(keys) - 1) for _ in keys]
        boot.append(metrics([counts[i] for i in idx], [acc[i] for i in idx]))
    for name in list(out):
        out[f"{name}_std"] = statistics.stdev(b[name] for b in boot) if n_boot > 1 else 0.0
    out["empty"] = float(sum(1 for k in keys if not pred.get(k, "").strip()))
    return out


def run_html(html: str, url: str | None, path: str) -> tuple[str, str | None]:
    """(a) trafilatura via crosswire: ``extract_html(...).text``."""
    try:
        return extract_html(html, url).text, None
    except MalformedInput as exc:
        return "", str(exc)


def run_article(html: str, url: str | None, path: str) -> tuple[str, str | None]:
    """(b) crosswire's full extract stage: ``extract_article(...).text`` (clean body, no title line)."""
    a = extract_article(RawDocument(Origin("file", path), InputFormat.HTML, html, url=url))
    return ("", a.reason) if isinstance(a, Rejected) else (a.text, None)


def predict(pages: dict[str, tuple[str, str, str]], fn: Callable[[str, str | None, str], tuple[str, str | None]]) -> tuple[dict[str, str], dict[str, str], float]:
    """Run one extractor over the pages; returns texts, failure reasons and wall seconds spent in extraction."""
    texts, reasons, spent = {}, {}, 0.0
    for key, (html, url, path) in pages.items():
        t0 = time.perf_counter()
        text, why = fn(html, url, path)
        spent += time.perf_counter() - t0
        texts[key] = text
        if why:
            reasons[key] = why
    return texts, reasons, spent


def load_output(path: Path) -> dict[str, str]:
    """A stored upstream output file, in either shape ({id: ...} or {"version", "output": {id: ...}})."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data = data["output"] if isinstance(data.get("output"), dict) else data
    return {k: (v or {}).get("articleBody") or "" for k, v in data.items()}


def main() -> None:
    """Score (a) extract_html, (b) extract_article and (c) the stored trafilatura output; print a table."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--limit", type=int, default=0, help="score only the first N pages (sorted by id)")
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--bootstrap", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    truth = json.loads((args.data / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[: args.limit or None]
    gold = {k: truth[k].get("articleBody") or "" for k in keys}
    pages: dict[str, tuple[str, str, str]] = {}
    for k in keys:
        path = args.data / "html" / f"{k}.html.gz"
        pages[k] = (decode_text(gzip.decompress(path.read_bytes()))[0], truth[k].get("url"), str(path))

    first = next(iter(pages.values()))
    run_html(*first), run_article(*first)  # warm-up (imports, lexicon, lazy caches), not timed
    a_text, a_why, a_sec = predict(pages, run_html)
    b_text, b_why, b_sec = predict(pages, run_article)
    rows = {
        "a: trafilatura via crosswire (extract_html)": (score(gold, a_text, args.bootstrap, args.seed), len(keys) / a_sec),
        "b: crosswire full extract stage (extract_article)": (score(gold, b_text, args.bootstrap, args.seed), len(keys) / b_sec),
        "c: stored output/trafilatura.json (published 0.958)": (
            score(gold, load_output(args.data / "output" / "trafilatura.json"), args.bootstrap, args.seed), None),
    }  # fmt: skip

    print(f"AEB, {len(keys)} pages; word-4-gram shingles, ±std over {args.bootstrap} bootstrap samples (seed {args.seed})")
    print(f"{'system':<52} {'P':>6} {'R':>6} {'F1':>14} {'acc':>6} {'empty':>5} {'pages/s':>8}")
    for name, (m, pps) in rows.items():
        rate = f"{pps:8.1f}" if pps else f"{'-':>8}"
        print(f"{name:<52} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} ± {m['f1_std']:.3f} "
              f"{m['accuracy']:6.3f} {int(m['empty']):5d} {rate}")  # fmt: skip
    print("pages/s: wall time in the extraction call only (decoded HTML in memory), single process; b includes a's work.")
    print("note: b's clean body omits the title line; the gold articleBody has no title either.")
    lost = sorted(k for k in b_why if k not in a_why)
    print(f"empty in a: {len(a_why)}; rejected in b: {len(b_why)}; rejected in b although a has text: {len(lost)}")
    for k in lost[:5]:
        print(f"  {k[:12]}… {truth[k].get('url')}: {b_why[k]}")
    if args.json:
        out = {name: {**m, "pages_per_second": pps} for name, (m, pps) in rows.items()}
        out["_info"] = {"pages": len(keys), "bootstrap": args.bootstrap, "seed": args.seed,
                        "rejected_b_with_text_a": {k: b_why[k] for k in lost}}  # fmt: skip
        args.json.write_text(json.dumps(out, indent=2, sort_keys=True), encoding="utf-8")


if __name__ == "__main__":
    main()

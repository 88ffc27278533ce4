"""Story grouping: BCubed and pairwise P/R/F1 and cluster counts on ECB+, NewsWCL50, the seeds and the demo.

The pair model and its threshold come from ``resources/story_model.json`` (``bench/train_stories.py``: ECB+ topics
outside 36-45 and the SemEval training file). Reported: the ECB+ test topics 36-45 alone (never seen in training)
in file order and three shuffled orders, all 982 ECB+ documents (topics 1-35 were trained on: in-sample), NewsWCL50
(never seen), the seeds and the demo corpus.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import defaultdict
from dataclasses import replace
from itertools import combinations
from pathlib import Path

import numpy as np

from crosswire.app.reading import demo_corpus_path
from crosswire.extract.article import extract_article
from crosswire.ingest.sources import expand_inputs, read_input
from crosswire.model import Article, InputFormat, Origin, RawDocument
from crosswire.settings import Settings
from crosswire.stories.clusters import StoryIndex, StoryParams, load_model
from crosswire.stories.signals import story_signals

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
SEED_GOLD = {"000": "kharkiv", "001": "kharkiv", "002": "kharkiv", "003": "kursk", "004": "samarkand"}


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """BCubed precision, recall, F1 over items."""
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for item in gold:
        by_pred[pred[item]].add(item)
        by_gold[gold[item]].add(item)
    p = sum(len(by_pred[pred[i]] & by_gold[gold[i]]) / len(by_pred[pred[i]]) for i in gold) / len(gold)
    r = sum(len(by_pred[pred[i]] & by_gold[gold[i]]) / len(by_gold[gold[i]]) for i in gold) / len(gold)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def pairwise(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """Pairwise precision, recall, F1 over all item pairs."""
    tp = fp = fn = 0
    for a, b in combinations(sorted(gold), 2):
        same_pred, same_gold = pred[a] == pred[b], gold[a] == gold[b]
        tp += same_pred and same_gold
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def cluster(articles: list[Article], params: StoryParams, signals: list | None = None) -> tuple[dict[str, str], float]:
    """Group articles in the given order; returns article id → story id and the seconds spent grouping."""
    signals = signals if signals is not None else story_signals(articles)
    start = time.perf_counter()
    index = StoryIndex(params)
    for s in signals:
        index.add(s)
    return index.assignments(), time.perf_counter() - start


def from_jsonl(path: Path, gold_key: str) -> tuple[list[Article], dict[str, str]]:
    """Articles (title + text through the extract stage) and their gold cluster from a docs.jsonl."""
    articles, gold = [], {}
    for line in path.read_text("utf-8").splitlines():
        doc = json.loads(line)
        text = doc.get("text") or doc.get("title") or ""  # 61 ECB+ docs are a title only
        raw = RawDocument(Origin("file", str(path), doc["id"]), InputFormat.TEXT, text, title=doc.get("title") if doc.get("text") else None,
                          outlet=doc.get("outlet"), language=doc.get("lang") or "en", external_id=doc["id"])  # fmt: skip
        a = extract_article(raw)
        if isinstance(a, Article):
            a = Article(f"{doc['id']}", a.origin, a.format, a.text, a.meta)  # ids unique per doc
            articles.append(a)
            gold[a.id] = str(doc[gold_key])
    return articles, gold


def dev_sets() -> dict[str, tuple[list[Article], dict[str, str]]]:
    """The seeds and the demo corpus with their gold stories (the sets parameters were chosen on)."""
    seeds, seed_gold = [], {}
    for ref in expand_inputs([str(SHARED / "seeds")]):
        for raw in read_input(ref, Settings()):
            a = extract_article(raw)  # type: ignore[arg-type]
            seeds.append(a)
            seed_gold[a.id] = SEED_GOLD[Path(ref.name).name[:3]]
    expected = json.loads((demo_corpus_path().parent / "EXPECTED.json").read_text("utf-8"))
    cases = {(c["file"], c["item"]): c for c in expected["articles"]}
    demo, demo_gold = [], {}
    for ref in expand_inputs([str(demo_corpus_path())]):
        for raw in read_input(ref, Settings()):
            a = extract_article(raw)  # type: ignore[arg-type]
            name = Path(raw.origin.locator).name
            case = cases.get((name, raw.origin.item)) or cases[(name, None)]
            demo.append(a)
            demo_gold[a.id] = case["event"] or case["key"]  # a roundup is a story of its own
    demo.sort(key=lambda a: (a.meta.published.value or "9999", a.id))
    return {"seeds": (seeds, seed_gold), "demo": (demo, demo_gold)}


def report(name: str, pred: dict[str, str], gold: dict[str, str], seconds: float) -> dict[str, float]:
    """Print and return the figures of one set."""
    bp, br, bf = bcubed(pred, gold)
    pp, pr, pf = pairwise(pred, gold)
    n_pred, n_gold = len(set(pred.values())), len(set(gold.values()))
    print(f"{name:<20} {len(gold):5d} docs  B3 P {bp:.3f} R {br:.3f} F1 {bf:.3f} | pairwise P {pp:.3f} R {pr:.3f} "
          f"F1 {pf:.3f} | clusters {n_pred} (gold {n_gold}) | grouping {seconds:.2f} s")  # fmt: skip
    return {"b3_p": bp, "b3_r": br, "b3_f1": bf, "pw_p": pp, "pw_r": pr, "pw_f1": pf, "clusters": n_pred, "gold": n_gold}


def shuffled(items: list, seed: int) -> list:
    """A seeded shuffle (another arrival order)."""
    out = items[:]
    random.Random(seed).shuffle(out)
    return out


def main() -> None:
    """Score the shipped configuration on every set."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--scale", type=int, nargs="*", help="time grouping of synthetic corpora of these sizes, e.g. 1000 10000 100000")
    args = ap.parse_args()
    if args.scale:
        scale(tuple(args.scale))
        return
    params = StoryParams()
    model = load_model()
    print(f"StoryParams: {params}; model threshold {model.threshold}, weights {model.weights}")
    results = {}
    for name, (arts, gold) in dev_sets().items():
        pred, seconds = cluster(arts, params)
        results[name] = report(name, pred, gold, seconds)
    arts, gold = from_jsonl(SHARED / "ecbplus-docs" / "docs.jsonl", "cluster")
    signals = dict(zip((a.id for a in arts), story_signals(arts), strict=True))
    test = [a for a in arts if 36 <= int(gold[a.id].removesuffix("plus").removesuffix("ecb")) <= 45]
    for label, order in (("file", test), *((f"shuffle{k}", shuffled(test, k)) for k in (1, 2, 3))):
        pred, seconds = cluster(order, params, [signals[a.id] for a in order])
        results[f"ECB+ test {label}"] = report(f"ECB+ 36-45 {label}", pred, {a.id: gold[a.id] for a in test}, seconds)
    for label, order in (("file", arts), ("shuffle1", shuffled(arts, 1))):
        pred, seconds = cluster(order, params, [signals[a.id] for a in order])
        results[f"ECB+ all {label}"] = report(f"ECB+ all {label}", pred, gold, seconds)
    arts, gold = from_jsonl(SHARED / "newswcl50" / "docs.jsonl", "cluster")
    signals = dict(zip((a.id for a in arts), story_signals(arts), strict=True))
    for label, order in (("file", arts), *((f"shuffle{k}", shuffled(arts, k)) for k in (1, 2, 3))):
        pred, seconds = cluster(order, params, [signals[a.id] for a in order])
        results[f"NewsWCL50 {label}"] = report(f"NewsWCL50 {label}", pred, gold, seconds)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), "utf-8")


def synthetic(n: int, seed: int = 0) -> list:
    """n articles with precomputed vectors: events of 1-20 articles, each with its own names and dates."""
    from crosswire.stories.signals import StorySignals

    rng = np.random.default_rng(seed)
    out, i, events = [], 0, 0
    while len(out) < n:
        size = int(rng.integers(1, 21))
        center = rng.normal(size=512)
        names = [f"name{int(x)}" for x in rng.integers(0, n, 4)]
        day = 19000 + int(rng.integers(0, 1500))
        for _ in range(size):
            v = center + rng.normal(scale=0.5, size=512)
            v = (v / np.linalg.norm(v)).astype(np.float32)
            extra = [f"name{int(x)}" for x in rng.integers(0, n, 2)]
            published = str(np.datetime64(day + int(rng.integers(0, 3)), "D"))
            terms = tuple(sorted((t, 1) for t in set(names + extra)))
            out.append(StorySignals(f"a{i:08d}", v, terms, terms, published, None, f"e{events}", v, frozenset()))
            i += 1
        events += 1
    return out[:n]


def scale(sizes: tuple[int, ...]) -> None:
    """Grouping time and peak memory for synthetic corpora with precomputed vectors."""
    import resource

    for n in sizes:
        signals = [replace(s, language="en") for s in synthetic(n)]
        gold = {s.article_id: e.language for s, e in zip(signals, synthetic(n), strict=True)}
        start = time.perf_counter()
        index = StoryIndex()
        for s in signals:
            index.add(s)
        pred = index.assignments()
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        f1 = bcubed(pred, gold)[2]
        print(f"{n:7d} articles: grouped in {seconds:6.1f} s ({n / seconds:6.0f} articles/s), {len(index.stories)} stories "
              f"for {len(set(gold.values()))} synthetic events (B3-F1 {f1:.3f}), peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()

"""Grouping at scale (issue #17 item 2): time and memory of story assignment as the store grows to 1M articles.

Synthetic articles built from real vectors: the lead embeddings, names and words of real ECB+ articles (shared
data) seed events; each event's centre is its seed's embedding plus noise (two events of one seed: cosine ≈ 0.3),
its articles the centre plus noise (cosine ≈ 0.8 between two of them), a subset
of its names and words plus a few random ones, published over 0-3 days; ``--days`` spreads the events over a
span, in date order (a newsroom archive back-filled oldest first; ``--shuffle`` adds them in random order).

It runs the product's own write step: a real SQLite store, one ``assign_stories`` transaction per batch of 200
(signals, memberships, arrival rows, counts, dates inferred from stories) — the store-backed index that keeps in
memory only the weeks a batch needs. Articles are inserted as bare rows (no text): extraction and analysis are not
measured here. At each checkpoint it prints the articles so far, seconds of the last stretch and in total, the
rate, the process RSS now and its peak, the members in memory and B³ F1 against the synthetic events so far.

    .venv/bin/python -m bench.grouping_scale --sizes 100000 300000 1000000 --days 730
    .venv/bin/python -m bench.grouping_scale --sizes 100000 --memory   # anchor: the in-memory index, no store

A store of a given size without grouping every article one by one (hours at 1M on 2 cores): ``--build N`` bulk-
loads N articles grouped by their synthetic events and fills the grouping state by the product's replay; then
``--build N --add M --continue`` groups the next M articles of the stream onto it in a fresh process:

    .venv/bin/python -m bench.grouping_scale --build 1000000 --add 10000 --days 3650 --db /tmp/g1m.db
    .venv/bin/python -m bench.grouping_scale --build 1000000 --add 10000 --days 3650 --db /tmp/g1m.db --continue
"""

from __future__ import annotations

import argparse
import heapq
import json
import resource
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import insert

from crosswire.app.ingest import assign_stories
from crosswire.storage.schema import articles
from crosswire.storage.store import Store
from crosswire.stories.clusters import StoryIndex
from crosswire.stories.signals import StorySignals, content_terms, embed, lead, name_counts, numbers

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
START = date(2024, 1, 1)


def real_seeds(limit: int, cache: Path | None = None) -> list[StorySignals]:
    """Lead embeddings, names, words and figures of real ECB+ articles (title + text); kept in ``cache`` (a
    pickle outside the repo: derived from licensed texts) when given."""
    import pickle

    if cache is not None and cache.exists():
        return pickle.loads(cache.read_bytes())[:limit]  # noqa: S301 - our own file
    seeds = _embed_seeds(limit)
    if cache is not None:
        cache.write_bytes(pickle.dumps(seeds))
    return seeds


def _embed_seeds(limit: int) -> list[StorySignals]:
    from bench.stories import from_jsonl

    arts, _gold = from_jsonl(SHARED / "ecbplus-docs" / "docs.jsonl", "cluster")
    arts = [a for a in arts if len(a.text) > 200][:limit]
    vectors = embed([lead(a) for a in arts])
    return [
        StorySignals(a.id, vectors[i], tuple(sorted(name_counts(a.text).items())), content_terms(a.text), None, None, "en",
                     None, numbers(a.text))  # fmt: skip
        for i, a in enumerate(arts)
    ]


def stream(n: int, days: int, seeds: list[StorySignals], seed: int = 0) -> Iterator[tuple[StorySignals, str]]:
    """``n`` synthetic articles in date order with their event, ~n/days a day; events of 1-20 articles."""
    rng = np.random.default_rng(seed)
    vocab_names = sorted({name for s in seeds for name, _c in s.names})
    vocab_terms = sorted({t for s in seeds for t, _c in s.terms})
    per_day = n / days
    pending: list[tuple[int, int, StorySignals, str]] = []  # (day, order, signals, event)
    made, event, order = 0, 0, 0
    day = 0
    while made < n or pending:
        while pending and pending[0][0] <= day:
            _d, _o, s, e = heapq.heappop(pending)
            yield s, e
        budget = rng.poisson(per_day) if made < n else 0
        while budget > 0 and made < n:
            base = seeds[int(rng.integers(0, len(seeds)))]
            center = base.embedding + rng.normal(scale=0.07, size=base.embedding.shape)  # events of one seed differ
            size = min(int(rng.integers(1, 21)), budget, n - made)
            extra_names = [f"{vocab_names[int(i)]}{event}" for i in rng.integers(0, len(vocab_names), 3)]  # the event's own
            for _ in range(size):
                v = center + rng.normal(scale=0.02, size=base.embedding.shape)
                v = (v / np.linalg.norm(v)).astype(np.float32)
                names = [nc for nc in base.names if rng.random() < 0.3] + [(x, 2) for x in extra_names if rng.random() < 0.9]
                names += [(vocab_names[int(i)], 1) for i in rng.integers(0, len(vocab_names), 2)]
                terms = [tc for tc in base.terms if rng.random() < 0.4] + [(vocab_terms[int(i)], 1) for i in rng.integers(0, len(vocab_terms), 10)]
                published = START + timedelta(days=day + int(rng.integers(0, 4)))
                s = StorySignals(f"z{made:09d}", v, tuple(sorted(dict(names).items())), tuple(sorted(dict(terms).items())),
                                 published.isoformat(), None, "en", None, frozenset({f"{event}.{made % 7}"}))  # fmt: skip
                heapq.heappush(pending, (day + int(rng.integers(0, 4)), order, s, f"e{event}"))
                order += 1
                made += 1
            budget -= size
            event += 1
        day += 1


def bcubed_f1(pred: dict[str, str], gold: dict[str, str]) -> float:
    from bench.stories import bcubed

    return bcubed(pred, gold)[2]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(args: argparse.Namespace) -> list[dict[str, float]]:
    seeds = real_seeds(args.seeds, args.seeds_cache)
    total = max(args.sizes)
    items = stream(total, args.days, seeds)
    if args.shuffle:
        materialised = list(items)
        np.random.default_rng(1).shuffle(materialised)  # type: ignore[arg-type]
        items = iter(materialised)
    print(f"{len(seeds)} real ECB+ seeds embedded; peak RSS before grouping {peak_mb():.0f} MB", flush=True)
    results = []
    if args.memory:
        gold: dict[str, str] = {}
        index = StoryIndex()
        start = last = time.perf_counter()
        done = 0
        for s, e in items:
            index.add(s)
            gold[s.article_id] = e
            done += 1
            if done in args.sizes:
                now = time.perf_counter()
                pred = index.assignments()
                results.append(report(done, now - last, now - start, len(index._member_of), rss_mb(), peak_mb(),
                                      len(set(pred.values())), len(set(gold.values())), bcubed_f1(pred, gold)))
                last = now
        return results
    db = Path(args.db)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    store = Store(f"sqlite:///{db}")
    start = last = time.perf_counter()
    done = 0
    batch: list[StorySignals] = []
    for s, _e in items:  # the events are not kept here: a child process scores each checkpoint (below)
        batch.append(s)
        if len(batch) == args.batch or done + len(batch) == total:
            _bare_articles(store, batch)
            with store.transaction() as tx:
                assign_stories(store, tx, batch, args.resident)
            done += len(batch)
            batch = []
            if done in args.sizes:
                now = time.perf_counter()
                index = store.cached_story_index(store.generation())
                resident = len(index._member_of) if isinstance(index, StoryIndex) else -1
                rss, peak = rss_mb(), peak_mb()
                stories, events, f1 = _score_apart(args, done, seeds)
                results.append(report(done, now - last, now - start, resident, rss, peak, stories, events, f1))
                last = time.perf_counter()
    return results


def _score_apart(args: argparse.Namespace, done: int, seeds: list[StorySignals]) -> tuple[int, int, float]:
    """B³ of the store's stories against the events of the first ``done`` articles, in a forked child: it regenerates
    the events (the stream is seeded) and reads every membership, so the grouping process never holds either — its
    memory is grouping's alone (scored in-process, the dicts took 170 MB at 500,000 and the freed memory stayed)."""
    import multiprocessing as mp
    from multiprocessing.connection import Connection

    def child(conn: Connection) -> None:
        store = Store(f"sqlite:///{args.db}")
        with store.reader() as rd:
            pred = {m.article_id: m.story_id for m in rd.members()}
        gold: dict[str, str] = {}
        for s, e in stream(max(args.sizes), args.days, seeds):  # in date order; --shuffle added some of them
            if s.article_id in pred:
                gold[s.article_id] = e
                if len(gold) == len(pred):
                    break
        conn.send((len(set(pred.values())), len(set(gold.values())), bcubed_f1(pred, gold)))

    ctx = mp.get_context("fork")
    parent, kid = ctx.Pipe()
    proc = ctx.Process(target=child, args=(kid,))
    proc.start()
    out = parent.recv()
    proc.join()
    return out


def build(args: argparse.Namespace) -> None:
    """A store of ``--build`` synthetic articles grouped by their events (bulk rows: memberships as the events,
    not as grouping would make them), whose grouping state is then filled by the product's own replay
    (``fill_grouping_state``, the path of a store grouped before migration 0013)."""
    from crosswire.app.ingest import fill_grouping_state
    from crosswire.storage import stories as story_db
    from crosswire.stories.clusters import Assignment

    db = Path(args.db)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    store = Store(f"sqlite:///{db}")
    seeds = real_seeds(args.seeds, args.seeds_cache)
    start = time.perf_counter()
    story_of_event: dict[str, str] = {}
    chunk: list[tuple[StorySignals, str]] = []
    seq = 0
    for item in stream(args.build + args.add, args.days, seeds):
        if seq + len(chunk) == args.build:
            break
        chunk.append(item)
        if len(chunk) == 5000 or seq + len(chunk) == args.build:
            _bare_articles(store, [s for s, _e in chunk])
            placed = []
            for s, e in chunk:
                seq += 1
                first = e not in story_of_event
                sid = story_of_event.setdefault(e, f"s{s.article_id[:12]}")
                placed.append((Assignment(s.article_id, sid, 1.0, 1.0, 1.0, (), first), seq))
            with store.engine.begin() as conn:
                story_db.insert_signals(conn, [s for s, _e in chunk])
                story_db.insert_members(conn, placed)
            chunk = []
    built = time.perf_counter() - start
    with store.transaction() as tx:
        fill_grouping_state(tx)
    print(json.dumps({"built": seq, "bulk_s": round(built, 1), "fill_s": round(time.perf_counter() - start - built, 1),
                      "peak_mb": round(peak_mb())}), flush=True)  # fmt: skip


def add_more(args: argparse.Namespace) -> dict[str, float]:
    """Group ``--add`` more articles of the same stream onto a built store, in a fresh process: time and memory
    of grouping with the store at its size."""
    store = Store(f"sqlite:///{args.db}")
    seeds = real_seeds(args.seeds, args.seeds_cache)
    items = stream(args.build + args.add, args.days, seeds)
    for _ in range(args.build):  # the articles the store already holds
        next(items)
    before = peak_mb()
    start, done, cpu = time.perf_counter(), 0, time.process_time()
    batch: list[StorySignals] = []
    for s, _e in items:
        batch.append(s)
        if len(batch) == args.batch:
            _bare_articles(store, batch)
            with store.transaction() as tx:
                assign_stories(store, tx, batch)
            done += len(batch)
            batch = []
            if args.every and done % args.every == 0 and done < args.add:  # memory along a long run onto the store
                index = store.cached_story_index(store.generation())
                print(json.dumps({"added": done, "seconds": round(time.perf_counter() - start, 1), "rss_mb": round(rss_mb()),
                                  "peak_mb": round(peak_mb()), "resident": len(index._member_of) if isinstance(index, StoryIndex) else -1}),
                      flush=True)  # fmt: skip
    seconds = time.perf_counter() - start
    index = store.cached_story_index(store.generation())
    row = {"store": args.build, "added": done, "seconds": round(seconds, 1), "cpu_s": round(time.process_time() - cpu, 1),
           "rate": round(done / seconds, 1), "peak_before_mb": round(before), "peak_mb": round(peak_mb()), "rss_mb": round(rss_mb()),
           "resident": len(index._member_of) if isinstance(index, StoryIndex) else -1}  # fmt: skip
    print(json.dumps(row), flush=True)
    return row


def _bare_articles(store: Store, batch: list[StorySignals]) -> None:
    """Article rows without text: what grouping joins on (language, dates)."""
    with store.engine.begin() as conn:
        conn.execute(insert(articles), [{
            "id": x.article_id, "content_hash": x.article_id, "format": "text", "published": x.published,
            "published_source": "stated", "language": x.language, "text": "", "extractor_version": "bench",
            "added_at": "2026-12-07", "authors": "[]", "credited": "[]", "published_evidence": "",
            "encoding": "utf-8", "signals": "[]"} for x in batch])  # fmt: skip


def report(done: int, stretch: float, total: float, resident: int, rss: float, peak: float, stories: int, events: int,
           f1: float) -> dict[str, float]:
    """A checkpoint's row (``rss`` and ``peak`` of the grouping process, measured before the scoring)."""
    row = {"articles": done, "stretch_s": round(stretch, 1), "total_s": round(total, 1), "rate": round(done / total, 1),
           "rss_mb": round(rss), "peak_mb": round(peak), "resident": resident, "stories": stories, "events": events,
           "b3_f1": round(f1, 3)}  # fmt: skip
    print(json.dumps(row), flush=True)
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    ap.add_argument("--days", type=int, default=730, help="span of publication dates")
    ap.add_argument("--seeds", type=int, default=1000, help="real ECB+ articles seeding the events")
    ap.add_argument("--seeds-cache", type=Path, help="keep the embedded seeds here between runs (outside the repo)")
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--db", default="/tmp/crosswire-grouping-scale.db")
    ap.add_argument("--memory", action="store_true", help="the in-memory index, no store (the anchor)")
    ap.add_argument("--shuffle", action="store_true", help="add the articles in random order")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--build", type=int, help="build a store of this many articles in bulk (then --add in a new process)")
    ap.add_argument("--add", type=int, default=0, help="with --build: articles grouped onto the built store")
    ap.add_argument("--continue", dest="cont", action="store_true", help="group the --add articles onto the --build store")
    ap.add_argument("--resident", type=int, help="members kept in memory (the grouping_resident setting; default 100,000)")
    ap.add_argument("--caches", type=int, help="bound of the count and pair caches, per generation (a probe: small values "
                    "reach the steady state in few articles)")
    ap.add_argument("--every", type=int, default=0, help="with --continue: a row of time and memory every N articles")
    args = ap.parse_args()
    args.sizes = sorted(args.sizes)
    if args.caches:
        from crosswire.stories import clusters

        clusters.DF_CACHE = clusters.PAIR_CACHE = args.caches
    if args.build and args.cont:
        add_more(args)
        return
    if args.build:
        build(args)
        return
    results = run(args)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), "utf-8")


if __name__ == "__main__":
    main()

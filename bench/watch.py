"""Live monitoring benchmarks (issue #20).

``revisions``: the change classifier on revision pairs built from the demo corpus (bench/data/revisions/edits.json:
each article edited as outlets do — a figure corrected, a quote trimmed, a headline softened, a paragraph removed,
a correction note appended); precision and recall per change kind, and the pairs whose kinds are exactly right.

``cycles``: ``crosswire watch`` cycles over N simulated feeds on a loopback server (fake clock: the politeness
waits cost no wall time). Reports the first cycle (everything new), a cycle where 5% of the feeds changed, an
unchanged cycle, requests and bytes saved by conditional GET, and the RSS over a soak of many unchanged cycles.
Times are also given as a ratio to an anchor measured in the same run: N plain GETs of the same feeds through
``fetch_url`` (no validators, no store).

    PYTHONPATH=src .venv/bin/python bench/watch.py revisions [--json out.json]
    PYTHONPATH=src .venv/bin/python bench/watch.py cycles [--sources 200] [--soak 1000] [--json out.json]
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
from collections import Counter, deque
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.watch_server: the loopback server the tests use

EDITS = ROOT / "bench" / "data" / "revisions" / "edits.json"


# --- revisions --------------------------------------------------------------------------------------


def corpus_articles() -> dict[str, tuple[str, str]]:
    """input label → (headline, clean text) of every demo-corpus article."""
    from crosswire.app.reading import demo_corpus_path
    from crosswire.extract.article import extract_article
    from crosswire.ingest.sources import expand_inputs, iter_input
    from crosswire.model import Article, RawDocument
    from crosswire.settings import Settings

    out = {}
    for ref in expand_inputs([str(demo_corpus_path())]):
        for item in iter_input(ref, Settings()):
            if isinstance(item, RawDocument):
                article = extract_article(item)
                if isinstance(article, Article):
                    out[item.origin.label()] = (article.meta.title or "", article.text)
    return out


def apply_edits(title: str, text: str, edits: list[dict[str, Any]], pair: str) -> tuple[str, str]:
    """The headline and text after the pair's edits; ValueError when an edit does not apply exactly once."""
    paras = text.split("\n\n")
    for edit in edits:
        (op, arg), = edit.items()
        if op == "title":
            title = arg
        elif op == "replace":
            joined = "\n\n".join(paras)
            if joined.count(arg[0]) != 1:
                raise ValueError(f"{pair}: {arg[0]!r} occurs {joined.count(arg[0])} times")
            paras = joined.replace(arg[0], arg[1]).split("\n\n")
        elif op == "drop":
            paras = [p for p in paras if arg not in p] if _one(paras, arg, pair) else paras
        elif op == "append":
            paras.append(arg)
        elif op == "insert_after":
            i = next(i for i, p in enumerate(paras) if arg[0] in p) if _one(paras, arg[0], pair) else 0
            paras.insert(i + 1, arg[1])
        else:
            raise ValueError(f"{pair}: unknown edit {op!r}")
    return title, "\n\n".join(paras)


def _one(paras: list[str], needle: str, pair: str) -> bool:
    if sum(needle in p for p in paras) != 1:
        raise ValueError(f"{pair}: {needle!r} is not in exactly one paragraph")
    return True


def bench_revisions() -> dict[str, Any]:
    """Classify every pair; per kind: expected, predicted, true positives, precision, recall."""
    from crosswire.watch.revisions import ChangeKind, classify

    articles = corpus_articles()
    spec = json.loads(EDITS.read_text("utf-8"))["pairs"]
    tp: Counter[str] = Counter()
    expected: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    exact, rows = 0, []
    started = time.perf_counter()
    for pair in spec:
        (label,) = [k for k in articles if k.endswith(pair["source"])]
        title, text = articles[label]
        new_title, new_text = apply_edits(title, text, pair["edits"], pair["id"])
        got = {str(c.kind) for c in classify(title, text, new_title, new_text)}
        want = set(pair["expect"])
        expected.update(want)
        predicted.update(got)
        tp.update(want & got)
        exact += got == want
        rows.append({"id": pair["id"], "expected": sorted(want), "got": sorted(got), "right": got == want, "probe": bool(pair.get("probe"))})
    seconds = time.perf_counter() - started
    kinds = {}
    for kind in ChangeKind:
        k = str(kind)
        kinds[k] = {"expected": expected[k], "predicted": predicted[k], "correct": tp[k],
                    "precision": round(tp[k] / predicted[k], 3) if predicted[k] else None,
                    "recall": round(tp[k] / expected[k], 3) if expected[k] else None}  # fmt: skip
    probes = [r for r in rows if r["probe"]]
    return {"pairs": len(spec), "exact": exact, "probes": len(probes), "probes_exact": sum(r["right"] for r in probes), "kinds": kinds, "ms_per_pair": round(1000 * seconds / len(spec), 2),
            "misses": [r for r in rows if not r["right"]]}  # fmt: skip


# --- cycles -----------------------------------------------------------------------------------------

TOWNS = ["Arvel", "Brask", "Carro", "Dunmere", "Elst", "Fenwick", "Garrow", "Hollin", "Istra", "Jorvik"]
EVENTS = [("fire at a grain silo", "firefighters"), ("flood on the river road", "rescuers"), ("power cut", "engineers"),
          ("bridge closure", "inspectors"), ("water main burst", "crews")]  # fmt: skip


def entry(source: int, n: int) -> tuple[str, str, list[str]]:
    """A small, distinct news item for feed ``source``, item ``n``."""
    town, (event, who) = TOWNS[(source + n) % len(TOWNS)], EVENTS[(source * 7 + n) % len(EVENTS)]
    figure = 10 + (source * 13 + n * 5) % 90
    return (f"s{source}-{n}", f"{event.capitalize()} in {town} #{source}.{n}", [
        f"A {event} in {town} on Tuesday kept {figure} {who} busy for most of the day, officials said.",
        f"Local councillor Mara Quint{source} said the town would review its plans after the {event}.",
    ])  # fmt: skip


def rss_mb() -> float:
    """Resident memory of this process, MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bench_cycles(sources: int, soak: int, per_feed: int = 2) -> dict[str, Any]:
    from crosswire.ingest.fetch import fetch_url
    from crosswire.settings import Settings
    from crosswire.storage.store import Store
    from crosswire.watch.cycle import Watcher
    from crosswire.watch.sources import Source
    from tests.test_watch_cycle import atom
    from tests.watch_server import FakeClock, serve

    interval = 600.0
    result: dict[str, Any] = {"sources": sources, "entries_per_feed": per_feed}
    with tempfile.TemporaryDirectory() as tmp, serve() as site:
        site.log = deque(maxlen=100)  # the server shares this process: its request log must not be what grows
        feeds = {i: [entry(i, n) for n in range(per_feed)] for i in range(sources)}
        urls = [site.set(f"/feed/{i}.atom", atom(feeds[i], f"Outlet {i}"), "application/atom+xml") for i in range(sources)]
        settings = Settings(db_url=f"sqlite:///{tmp}/watch.db", workers=1, allow_private=True)
        def plain_gets() -> float:  # the anchor: N plain GETs of the same feeds, no validators, no store
            t = time.perf_counter()
            sizes[:] = [len(fetch_url(u, settings).content) for u in urls]
            return time.perf_counter() - t

        sizes: list[int] = []
        anchors = [plain_gets()]
        store = Store(settings.db_url)
        clock = FakeClock()
        clock.sleeps = deque(maxlen=100)  # type: ignore[assignment]  # the test clock's record of sleeps, bounded here
        w = Watcher(store, settings, clock, min_delay_s=2.0)
        w.sync([Source(u, "feed", interval_s=interval) for u in urls])
        t = time.perf_counter()
        first = w.cycle()
        result["first_cycle"] = {"s": round(time.perf_counter() - t, 2), "added": first.added, "requests": first.requests}
        changed_times, unchanged_times, changed_reports = [], [], []
        for c in range(10):  # alternate: 5% of the feeds get one new item, then nothing changes
            for i in range(c * sources // 20 % sources, c * sources // 20 % sources + max(1, sources // 20)):
                feeds[i % sources].append(entry(i % sources, len(feeds[i % sources])))
                site.set(f"/feed/{i % sources}.atom", atom(feeds[i % sources], f"Outlet {i % sources}"), "application/atom+xml")
            clock.advance(interval)
            t = time.perf_counter()
            changed_reports.append(w.cycle())
            changed_times.append(time.perf_counter() - t)
            clock.advance(interval)
            t = time.perf_counter()
            r = w.cycle()
            unchanged_times.append(time.perf_counter() - t)
            anchors.append(plain_gets())  # right after, so both see the same machine load
            assert r.not_modified == sources, r
        result["changed_5pct_cycle"] = {"median_s": round(statistics.median(changed_times), 3),
                                        "added_per_cycle": changed_reports[-1].added,
                                        "not_modified_per_cycle": changed_reports[-1].not_modified}  # fmt: skip
        result["unchanged_cycle"] = {"median_s": round(statistics.median(unchanged_times), 3)}
        result["anchor_s"] = round(statistics.median(anchors[1:]), 3)
        result["ratio_unchanged_to_anchor"] = round(statistics.median(u / a for u, a in zip(unchanged_times, anchors[1:], strict=True)), 2)
        result["ratio_changed_to_anchor"] = round(statistics.median(c / a for c, a in zip(changed_times, anchors[1:], strict=True)), 2)
        requests = sum(r.requests for r in changed_reports) + 10 * sources
        saved = sum(r.not_modified for r in changed_reports) + 10 * sources
        result["conditional_get"] = {"requests": requests, "answered_304": saved, "share_saved": round(saved / requests, 3),
                                     "bytes_not_downloaded": saved * int(statistics.mean(sizes))}  # fmt: skip
        gc.collect()
        marks = {}
        t = time.perf_counter()
        for c in range(1, soak + 1):
            clock.advance(interval)
            w.cycle()
            if c in (1, 10) or c % max(1, soak // 10) == 0:
                gc.collect()
                marks[c] = round(rss_mb(), 1)
        result["soak"] = {"cycles": soak, "requests": soak * sources, "s": round(time.perf_counter() - t, 1),
                          "rss_mb_after_cycle": marks}  # fmt: skip
        store.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=("revisions", "cycles"))
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--soak", type=int, default=1000)
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args()
    result = bench_revisions() if args.what == "revisions" else bench_cycles(args.sources, args.soak)
    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

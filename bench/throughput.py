"""Extraction throughput: HTML pages/second through the document stages, 1 process and N processes; and, with
``--dask 1,2,4``, a whole ``add`` of ECB+ documents on a local Dask cluster of each size (see ``backfill``).

Machines are noisy (other jobs share the cores), so each run also times the anchor — trafilatura alone,
``bare_extraction(html, url=url, with_metadata=True)`` in its default mode, on the same pages with the
same number of processes — and reports crosswire's speed as a ratio to it. Besides wall time it reports
pages per CPU-second (this process and its finished worker processes), which other jobs disturb less.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import trafilatura

from crosswire.ingest.decode import decode_text
from crosswire.model import Article, InputFormat, Origin, RawDocument
from crosswire.pipeline.runner import process_documents

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def load_pages(data: Path) -> list[RawDocument]:
    """Every HTML page of zyte-aeb and htmldate-eval, decoded, with its URL."""
    raws = []
    aeb = json.loads((data / "zyte-aeb" / "ground-truth.json").read_text("utf-8"))
    for key, item in aeb.items():
        html = decode_text(gzip.decompress((data / "zyte-aeb" / "html" / f"{key}.html.gz").read_bytes()))[0]
        raws.append(RawDocument(Origin("file", key), InputFormat.HTML, html, url=item.get("url")))
    for name in ("eval_default.json", "eval_mediacloud_2020.json"):
        for url, item in json.loads((data / "htmldate-eval" / name).read_text("utf-8")).items():
            path = data / "htmldate-eval" / "html" / f"{item['file']}.gz"
            html = decode_text(gzip.decompress(path.read_bytes()))[0]
            raws.append(RawDocument(Origin("file", item["file"]), InputFormat.HTML, html, url=url))
    return raws


def trafilatura_alone(raw: RawDocument) -> bool:
    """The anchor: trafilatura's default extraction with metadata on one page; True when it found text."""
    try:
        doc = trafilatura.bare_extraction(raw.content, url=raw.url, with_metadata=True)
    except (ValueError, TypeError):
        return False
    return doc is not None and bool((doc.text or "").strip())


def run_anchor(raws: list[RawDocument], workers: int) -> list[bool]:
    """trafilatura alone over the pages, in ``workers`` processes as process_documents would use them."""
    if workers <= 1:
        return [trafilatura_alone(raw) for raw in raws]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(trafilatura_alone, raws, chunksize=max(1, len(raws) // (workers * 4))))


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the pool's workers, once it has shut down)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(fn: object, *args: object) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds, result) of one call."""
    start, cpu = time.perf_counter(), cpu_seconds()
    out = fn(*args)  # type: ignore[operator]
    return time.perf_counter() - start, cpu_seconds() - cpu, out


def backfill(data: Path, docs: int, dask: str | None) -> dict[str, float]:
    """One ``add`` of the first ``docs`` ECB+ documents into a fresh SQLite store, on the Dask cluster ``dask``
    (``local:N``) or, with None, serially in this process (the anchor), the comparisons in this process too.

    Besides the wall time it splits what one driver does from what the cluster does, so a reader can project to N
    machines: the driver's seconds in the write step and in the comparisons (they do not scale with workers), and
    the cluster's steady rate — documents analysed per second between the first and the last analysis chunk the
    cluster finished (model loading, paid once per worker before its first chunk, is left out).
    """
    from crosswire.app import comparison, ingest
    from crosswire.ingest.sources import expand_inputs
    from crosswire.pipeline.runner import ChunkEvent
    from crosswire.settings import Settings
    from crosswire.storage.store import Store

    spent = {"write_s": 0.0, "compare_s": 0.0}

    def timing(fn: object, key: str) -> object:
        def run(*a: object, **k: object) -> object:
            start = time.perf_counter()
            try:
                return fn(*a, **k)  # type: ignore[operator]
            finally:
                spent[key] += time.perf_counter() - start
        return run

    ingest.write_batch = timing(ingest.write_batch, "write_s")  # type: ignore[assignment]
    comparison.compare_stories = timing(comparison.compare_stories, "compare_s")  # type: ignore[assignment]
    analysed: list[tuple[float, int]] = []

    def chunk(event: ChunkEvent) -> None:
        if event.stage == "analyse" and event.state == "done":
            analysed.append((time.perf_counter(), event.documents))

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ecb.jsonl"
        lines = (data / "ecbplus-docs" / "docs.jsonl").read_text("utf-8").splitlines()[:docs]
        path.write_text("\n".join(lines) + "\n", "utf-8")
        settings = Settings(db_url=str(Path(tmp) / "store.db"), workers=1)
        store = Store(settings.sqlalchemy_url)
        start = time.perf_counter()
        report = ingest.add_inputs(expand_inputs([str(path)]), settings, store, dask=dask, cluster=chunk)
        wall = time.perf_counter() - start
        store.close()
    out = {"documents": float(len(lines)), "added": float(report.count("added")), "wall_s": wall, **spent}
    if len(analysed) > 1:
        (first, _), (last, _) = analysed[0], analysed[-1]
        out["cluster_docs_per_s"] = sum(n for _t, n in analysed[1:]) / (last - first)
        out["first_chunk_s"] = first - start
    return out


def backfill_main(args: argparse.Namespace) -> None:
    """Each cluster size (and the serial anchor) in a fresh process, alternated ``--repeat`` times; one line each."""
    configs = ["serial"] + [f"local:{n}" for n in args.dask.split(",")]
    print(f"add of the first {args.docs} ECB+ documents, fresh SQLite store, load average {os.getloadavg()[0]:.1f}")
    for rep in range(args.repeat):
        anchor = 0.0
        for config in configs:
            code = ("import json, sys; from pathlib import Path; from bench.throughput import backfill; "
                    "print(json.dumps(backfill(Path(sys.argv[1]), int(sys.argv[2]), None if sys.argv[3] == 'serial' else sys.argv[3])))")
            proc = subprocess.run([sys.executable, "-c", code, str(args.data), str(args.docs), config], capture_output=True,
                                  text=True, check=True)
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            anchor = anchor or r["wall_s"]
            workers = int(config.partition(":")[2] or 1)
            cluster = (f"; cluster steady {r['cluster_docs_per_s']:.2f} docs/s = {r['cluster_docs_per_s'] / workers:.2f} per worker, "
                       f"first chunk after {r['first_chunk_s']:.1f} s") if "cluster_docs_per_s" in r else ""
            print(f"run {rep + 1} {config:8}: wall {r['wall_s']:6.1f} s ({r['added'] / r['wall_s']:.2f} articles/s, "
                  f"{anchor / r['wall_s']:.2f}x serial); driver: write {r['write_s']:.1f} s, compare {r['compare_s']:.1f} s"
                  f"{cluster}; load {os.getloadavg()[0]:.1f}", flush=True)


def main() -> None:
    """Time process_documents and trafilatura alone over ~1,180 real pages with 1 and N worker processes."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=SHARED)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=1, help="alternate crosswire and the anchor this many times")
    ap.add_argument("--dask", help="instead: an add of ECB+ documents on local Dask clusters of these sizes, e.g. 1,2,4")
    ap.add_argument("--docs", type=int, default=200, help="with --dask: how many ECB+ documents")
    args = ap.parse_args()
    if args.dask:
        backfill_main(args)
        return
    raws = load_pages(args.data)[: args.limit or None]
    mb = sum(len(r.content) for r in raws) / 1e6
    process_documents(raws[:2], workers=1)  # warm-up: imports, lexicon, lazy caches
    trafilatura_alone(raws[0])
    print(f"{len(raws)} HTML pages ({mb:.0f} MB decoded), extraction with metadata (extract + annotate stages)")
    results, ratios, cpu_ratios = {}, {}, {}
    for rep in range(args.repeat):
        for workers in sorted({1, args.workers}):
            seconds, cpu, done = timed(process_documents, raws, workers)
            anchor_seconds, anchor_cpu, found = timed(run_anchor, raws, workers)
            articles = sum(isinstance(result, Article) for _raw, result in done)  # type: ignore[union-attr]
            results[workers] = [a for _r, a in done]  # type: ignore[union-attr]
            ratios.setdefault(workers, []).append(anchor_seconds / seconds)
            cpu_ratios.setdefault(workers, []).append(anchor_cpu / cpu)
            print(f"run {rep + 1} workers={workers}: crosswire {len(raws) / seconds:6.1f} pages/s ({seconds:.1f} s, {articles} articles, "
                  f"{len(raws) - articles} rejected); trafilatura alone {len(raws) / anchor_seconds:6.1f} pages/s "
                  f"({sum(found)} with text); ratio {anchor_seconds / seconds:.2f} | per CPU-second: crosswire "
                  f"{len(raws) / cpu:5.1f}, trafilatura alone {len(raws) / anchor_cpu:5.1f}, ratio {anchor_cpu / cpu:.2f}", flush=True)  # type: ignore[arg-type]  # fmt: skip
    for workers, values in ratios.items():
        print(f"workers={workers}: crosswire / trafilatura alone = {statistics.median(values):.2f} wall, "
              f"{statistics.median(cpu_ratios[workers]):.2f} CPU (medians of {len(values)})")  # fmt: skip
    if len(results) == 2:
        first, second = results.values()
        print("parallel result identical to serial:", first == second)


if __name__ == "__main__":
    main()

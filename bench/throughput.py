"""Extraction throughput: HTML pages/second through the document stages, 1 process and N processes.

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


def main() -> None:
    """Time process_documents and trafilatura alone over ~1,180 real pages with 1 and N worker processes."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=SHARED)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=1, help="alternate crosswire and the anchor this many times")
    args = ap.parse_args()
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

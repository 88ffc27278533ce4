"""Extraction throughput: HTML pages/second through the document stages, 1 process and N processes."""

from __future__ import annotations

import argparse
import gzip
import json
import os
import time
from pathlib import Path

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


def main() -> None:
    """Time process_documents over ~1,180 real pages with 1 and N worker processes."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=SHARED)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    raws = load_pages(args.data)[: args.limit or None]
    mb = sum(len(r.content) for r in raws) / 1e6
    process_documents(raws[:2], workers=1)  # warm-up: imports, lexicon, lazy caches
    print(f"{len(raws)} HTML pages ({mb:.0f} MB decoded), extraction with metadata (extract + annotate stages)")
    results = {}
    for workers in sorted({1, args.workers}):
        start = time.perf_counter()
        done = process_documents(raws, workers=workers)
        seconds = time.perf_counter() - start
        articles = sum(isinstance(result, Article) for _raw, result in done)
        results[workers] = [a for _r, a in done]
        print(f"workers={workers}: {len(raws) / seconds:6.1f} pages/s  ({seconds:.1f} s, {articles} articles, {len(raws) - articles} rejected)")
    if len(results) == 2:
        first, second = results.values()
        print("parallel result identical to serial:", first == second)


if __name__ == "__main__":
    main()

"""End to end: `crosswire add` on real articles — articles/s, CPU, peak RSS — and each stage against its anchor.

    python -m bench.e2e                       # 1,000 articles, 200 of them for the per-stage figures
    python -m bench.e2e --articles 4000 --stage-sample 0

The articles are ECB+, NewsWCL50 and PolNeAR texts from ../shared/data, mixed in a seeded order and written
to a temporary JSONL at run time (never into the repository). `crosswire add` runs as a child process on a
fresh store; its wall time, CPU time (itself and every worker process) and peak RSS (the whole process tree,
sampled every 0.1 s) are reported. The machine is shared, so the per-stage figures are CPU seconds, each
beside its anchor timed in the same run on the same texts: spaCy's stock ``nlp.pipe`` for the parse, one USE
embedding per article (its title and lead) for the story signals.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
SEED = 16


def corpus(data: Path, n: int) -> list[dict]:
    """n articles (JSONL records) from ECB+, NewsWCL50 and PolNeAR, in a seeded mixed order."""
    records = []
    for name in ("ecbplus-docs", "newswcl50"):
        for line in (data / name / "docs.jsonl").read_text("utf-8").splitlines():
            d = json.loads(line)
            records.append({"id": f"{name}:{d['id']}", "title": d.get("title"), "text": d["text"], "outlet": d.get("outlet")})
    meta = {}
    for line in (data / "polnear" / "metadata.tsv").read_text("utf-8").splitlines()[1:]:
        cols = line.split("\t")
        meta[cols[1]] = cols
    for split in ("train", "dev"):
        for path in sorted((data / "polnear" / split / "text").glob("*.txt")):
            cols = meta.get(path.stem)
            records.append({"id": f"polnear:{path.stem}", "text": path.read_text("utf-8"),
                            "title": cols[7] if cols else None, "outlet": cols[4] if cols else None,
                            "published": cols[5] if cols else None})  # fmt: skip
    random.Random(SEED).shuffle(records)
    return records[:n]


def cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, bytes (Linux /proc; 0 elsewhere)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    tree, grew = {pid}, True
    while grew:
        found = {p for p, parent in parents.items() if parent in tree} - tree
        tree |= found
        grew = bool(found)
    total = 0
    for p in tree:
        try:
            pages = int(Path(f"/proc/{p}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        total += pages * os.sysconf("SC_PAGE_SIZE")
    return total


def run_add(path: Path, db: Path) -> dict[str, float]:
    """`crosswire add` as a child process: wall seconds, CPU seconds (with its workers), peak tree RSS."""
    cmd = [sys.executable, "-c", "from crosswire.cli.app import main; main()", "add", str(path), "--db", str(db)]
    before = cpu_seconds(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss(proc.pid))
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"crosswire add failed ({proc.returncode}):\n{out[-2000:]}")
    summary = [line for line in out.splitlines() if "added" in line][-1:] or [out.strip()[-200:]]
    return {"wall": wall, "cpu": cpu_seconds(resource.RUSAGE_CHILDREN) - before, "peak_rss_mb": peak[0] / 2**20,
            "summary": summary[0]}  # fmt: skip


def timed_cpu(fn, *args):  # type: ignore[no-untyped-def]
    start = cpu_seconds()
    out = fn(*args)
    return cpu_seconds() - start, out


def stages(records: list[dict]) -> dict[str, float]:
    """CPU seconds per article of each stage, serial in this process, and of the anchors on the same texts."""
    import spacy

    from crosswire.extract.article import extract_article
    from crosswire.extract.lexicon import load_lexicon
    from crosswire.model import Article, InputFormat, Origin, RawDocument
    from crosswire.nlp.analyse import analyse_doc
    from crosswire.nlp.parse import MODEL, load_pipeline, parse
    from crosswire.stories.clusters import StoryIndex
    from crosswire.stories.signals import _encoder, lead, story_signals

    lex = load_lexicon()
    raws = [RawDocument(Origin("file", r["id"]), InputFormat.TEXT, r["text"], title=r.get("title"), outlet=r.get("outlet"),
                        published=r.get("published")) for r in records]  # fmt: skip
    load_pipeline()
    _encoder().encode(["warm-up"])
    stock = spacy.load(MODEL)  # the anchor: en_core_web_sm as shipped, every component
    list(stock.pipe(["warm-up text."]))
    n = len(records)
    out: dict[str, float] = {}
    out["extract"], arts = timed_cpu(lambda: [extract_article(r, lex) for r in raws])
    articles = [a for a in arts if isinstance(a, Article)]
    texts = [a.text for a in articles]
    out["parse"], docs = timed_cpu(lambda: list(parse(texts)))
    out["anchor: spaCy nlp.pipe (stock)"], _ = timed_cpu(lambda: list(stock.pipe(texts, batch_size=16)))
    out["statement rules"], _ = timed_cpu(lambda: [analyse_doc(d, a.id) for d, a in zip(docs, articles, strict=True)])
    out["story signals"], signals = timed_cpu(story_signals, articles)
    out["anchor: USE, one embedding per article"], _ = timed_cpu(lambda: _encoder().encode([lead(a) for a in articles]))
    index = StoryIndex()
    out["grouping"], _ = timed_cpu(lambda: [index.add(s) for s in signals])
    return {k: v / n * 1000 for k, v in out.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=SHARED)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--stage-sample", type=int, default=200, help="articles for the per-stage figures (0: skip)")
    ap.add_argument("--json", type=Path, help="write the figures to this file")
    args = ap.parse_args()
    records = corpus(args.data, args.articles)
    chars = sum(len(r["text"]) for r in records) / len(records)
    load = os.getloadavg()[0]
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, load {load:.1f}; "
          f"{len(records)} articles, mean {chars:.0f} characters")  # fmt: skip
    result: dict[str, object] = {"articles": len(records), "mean_chars": chars, "load": load}
    if args.stage_sample:
        per = stages(records[: args.stage_sample])
        result["stages_cpu_ms"] = per
        print(f"per stage, CPU ms per article (serial, {min(args.stage_sample, len(records))} articles):")
        for k, v in per.items():
            print(f"  {k:<42} {v:8.1f}")
        print(f"  parse / spaCy stock            {per['parse'] / per['anchor: spaCy nlp.pipe (stock)']:.2f}")
        print(f"  story signals / USE alone      {per['story signals'] / per['anchor: USE, one embedding per article']:.2f}")
    with tempfile.TemporaryDirectory(prefix="crosswire-e2e-") as tmp:
        path = Path(tmp) / "articles.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
        add = run_add(path, Path(tmp) / "store.db")
    result["add"] = add
    print(f"crosswire add: {add['summary']}")
    print(f"  {len(records) / add['wall']:.1f} articles/s wall ({add['wall']:.0f} s), "
          f"{len(records) / add['cpu']:.1f} articles per CPU-second ({add['cpu']:.0f} CPU-s), peak RSS {add['peak_rss_mb']:.0f} MB")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), "utf-8")


if __name__ == "__main__":
    main()

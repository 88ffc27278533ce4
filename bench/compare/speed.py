"""How long comparing one story takes, for stories of 2/5/10/20/40 articles built from real ECB+ articles.

    .venv/bin/python -m bench.compare.speed [--sizes 2 5 10 20 40] [--json out.json]

A story is NewsWCL50 articles (long: 32 sentences on average; five per event, events in file order) or the articles
of the largest ECB+ topic (``--source ecbplus``: both its event clusters, 12 sentences on average), one in four
replaced by a light rewrite of an earlier one (a sentence dropped, two swapped) so that copies and rewrites are
aligned as in real coverage. Articles are parsed and analysed first (stored analyses, as ``crosswire
compare`` reads them); the timing covers ``compare_story`` alone, with the sentence encoder already loaded. CPU
seconds of this process (the encoder's BLAS threads included) and wall seconds; the growth exponent is the slope of
log(time) over log(articles) between successive sizes (1 = linear, 2 = quadratic).
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

from bench.compare.corpus import DEFAULT_DATA, SourceArticle, read_articles

REWRITE_EVERY = 4  # one article in four is a rewrite of an earlier one


def story_articles(n: int, data_dir: Path = DEFAULT_DATA, source: str = "newswcl50") -> list[dict]:
    """``n`` articles (NewsWCL50, or the largest ECB+ topic), every fourth a light rewrite of an earlier one."""
    by_topic: dict[str, list[SourceArticle]] = {}
    for a in read_articles(data_dir):
        if a.dataset == source:
            by_topic.setdefault(a.cluster.split(":")[1].rstrip("ecbplus"), []).append(a)
    pool = max(by_topic.values(), key=len) if source == "ecbplus" else [a for t in by_topic.values() for a in t]
    out: list[dict] = []
    for i in range(n):
        if i % REWRITE_EVERY == REWRITE_EVERY - 1:
            base = out[i // 2]["sentences"]
            sentences = base[1:2] + base[0:1] + base[3:]  # first two swapped, the third dropped
        else:
            sentences = list(pool[(i - i // REWRITE_EVERY) % len(pool)].sentences)
        out.append({"id": f"a{i:02d}", "outlet": f"outlet-{i}", "published": f"2024-01-{1 + i // 4:02d}",
                    "sentences": sentences, "text": "\n\n".join(sentences)})
    return out


def analysed_docs(articles: list[dict]) -> list:
    """Comparison docs with their analyses (parsed once, outside the timing)."""
    from crosswire.compare import Doc
    from crosswire.nlp.analyse import analyse_doc
    from crosswire.nlp.parse import parse

    return [Doc(a["id"], a["text"], None, a["outlet"], a["published"], (), "en", analyse_doc(p, a["id"]))
            for a, p in zip(articles, parse(a["text"] for a in articles), strict=True)]


def time_compare(docs: list) -> tuple[float, float, dict]:
    """CPU and wall seconds of one ``compare_story`` and what it found."""
    from crosswire.compare import Doc, compare_story

    fresh = [Doc(d.id, d.text, d.title, d.outlet, d.published, d.credited, d.language, d.analysis) for d in docs]
    cpu, wall = time.process_time(), time.perf_counter()
    c = compare_story("speed", fresh)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    sentences = sum(len(d.sents) for d in fresh)
    return cpu, wall, {"sentences": sentences, "statements": len(c.statements), "conflicts": len(c.conflicts),
                       "edges": len(c.provenance)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2, 5, 10, 20, 40])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--source", choices=("newswcl50", "ecbplus"), default="newswcl50")
    parser.add_argument("--json", type=Path, help="also write the timings as JSON here")
    args = parser.parse_args(argv)
    from crosswire.stories.signals import embed

    embed(["load the encoder before timing"])
    articles = story_articles(max(args.sizes), args.data, args.source)
    docs = analysed_docs(articles)
    rows, prev = [], None
    print(f"{'articles':>8} {'sentences':>9} {'cpu s':>7} {'wall s':>7} {'growth':>6}  found")
    for n in args.sizes:
        cpu, wall, found = time_compare(docs[:n])
        growth = math.log(cpu / prev[1]) / math.log(n / prev[0]) if prev and prev[1] > 0 else None
        prev = (n, cpu)
        rows.append({"articles": n, "cpu_seconds": round(cpu, 3), "wall_seconds": round(wall, 3), "growth": growth, **found})
        print(f"{n:>8} {found['sentences']:>9} {cpu:>7.2f} {wall:>7.2f} {growth if growth is None else round(growth, 2)!s:>6}  "
              f"{found['statements']} aligned statements, {found['conflicts']} conflicts, {found['edges']} edges")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

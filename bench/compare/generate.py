"""Generate the comparison benchmark: seeded stories with recorded conflicts, controls and provenance edges.

    .venv/bin/python -m bench.compare.generate --seed 1 --stories 40 --out bench/compare/out/seed1

Writes OUT/manifest.json and OUT/docs/<story>/<doc>.txt. The texts derive from publishers' articles: keep them out
of git (bench/compare/out/ is ignored). Same seed and data → byte-identical output.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from collections import Counter
from pathlib import Path

from bench.compare.changes import CONFLICT_KINDS, CONTROL_KINDS, Pools
from bench.compare.corpus import DEFAULT_DATA, SourceArticle, load_lexicon, read_articles
from bench.compare.story import build_story, eligible, encode_article

MANIFEST_VERSION = 1
DEFAULT_OUT = Path(__file__).with_name("out") / "default"
MAX_NEIGHBOURS = 3  # one shared-source pair + two independent articles of the same event
PERSON_NAME = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z'’-]+){1,2}")  # replacement speakers: plain two- or three-word names
MAX_NEIGHBOUR_OVERLAP = 0.2  # share of word 5-grams; above it a "different outlet" is really a copy (ECB+ has some)


def build_pools(articles: list[SourceArticle]) -> Pools:
    """Every place and every plain person-like speaker name the detectors find in the corpus, sorted."""
    places, speakers, not_names = set(), set(), set(load_lexicon()["not_names"])
    for article in articles:
        for slot in encode_article(article).slots.values():
            if slot.kind == "place":
                places.add(slot.text)
            elif slot.kind == "speaker" and PERSON_NAME.fullmatch(slot.text) and not set(slot.text.split()) & not_names:
                speakers.add(slot.text)
    return Pools(tuple(sorted(places)), tuple(sorted(speakers)))


def _shingles(article: SourceArticle) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", " ".join(article.sentences).lower())
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}


def neighbours_of(article: SourceArticle, articles: list[SourceArticle], rng: random.Random) -> list[SourceArticle]:
    """Up to MAX_NEIGHBOURS other real articles of the same event that are not copies of it or of each other."""
    pool = [a for a in articles if a.cluster == article.cluster and a.doc_id != article.doc_id and len(a.sentences) >= 3]
    rng.shuffle(pool)
    chosen, seen = [], [_shingles(article)]
    for other in pool:
        grams = _shingles(other)
        if grams and all(len(grams & s) / len(grams) <= MAX_NEIGHBOUR_OVERLAP for s in seen):
            chosen.append(other)
            seen.append(grams)
        if len(chosen) == MAX_NEIGHBOURS:
            break
    return chosen


def choose_sources(articles: list[SourceArticle], pools: Pools, n_stories: int, rng: random.Random) -> list[SourceArticle]:
    """n_stories eligible articles in seeded order, one per event cluster while clusters last."""
    candidates = [a for a in articles if eligible(a, pools)]
    rng.shuffle(candidates)
    first = {}
    for a in candidates:
        first.setdefault(a.cluster, a)
    ordered = list(first.values()) + [a for a in candidates if first[a.cluster] is not a]
    return ordered[:n_stories]


def _count(stories: list[dict], rows: str, key: str) -> dict[str, int]:
    return dict(sorted(Counter(r[key] for s in stories for r in s[rows]).items()))


def summary(stories: list[dict]) -> dict:
    """Counts per role, kind and relation over the whole manifest."""
    roles = Counter(d["role"] for s in stories for d in s["documents"])
    return {"stories": len(stories), "documents": sum(roles.values()), "roles": dict(sorted(roles.items())),
            "conflicts": _count(stories, "conflicts", "kind"), "non_conflicts": _count(stories, "non_conflicts", "kind"),
            "edges": _count(stories, "provenance", "relation"), "untouched_pairs": sum(len(s["untouched_pairs"]) for s in stories)}  # fmt: skip


def generate_from(articles: list[SourceArticle], seed: int, n_stories: int, out_dir: Path) -> dict:
    """Build n_stories stories from the given articles, write their texts and the manifest under out_dir."""
    rng = random.Random(seed)
    pools = build_pools(articles)
    stories = []
    for k, article in enumerate(choose_sources(articles, pools, n_stories, rng)):
        story_rng = random.Random(f"{seed}:{k}:{article.dataset}:{article.doc_id}")
        story = build_story(f"s{k:03d}", article, neighbours_of(article, articles, story_rng), story_rng, pools)
        for doc in story["documents"]:
            path = Path("docs") / story["id"] / f"{doc['id']}.txt"
            (out_dir / path).parent.mkdir(parents=True, exist_ok=True)
            (out_dir / path).write_text(doc.pop("text"), encoding="utf-8", newline="\n")
            doc["path"] = path.as_posix()
        stories.append(story)
    manifest = {"version": MANIFEST_VERSION, "seed": seed, "n_stories": n_stories, "conflict_kinds": list(CONFLICT_KINDS),
                "control_kinds": list(CONTROL_KINDS), "summary": summary(stories), "stories": stories}  # fmt: skip
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def generate(seed: int, n_stories: int, out_dir: Path | str, data_dir: Path = DEFAULT_DATA) -> dict:
    """Generate the benchmark from ECB+ and NewsWCL50 under data_dir into out_dir; returns the manifest."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if (out / "docs").is_dir():
        shutil.rmtree(out / "docs")  # only the generator's own folder: no stale documents of an earlier run
    return generate_from(read_articles(data_dir), seed, n_stories, out)


def load_documents(manifest_dir: Path, story: dict) -> list[dict]:
    """The documents of one story as a predictor sees them: id, text, title, outlet, published, credit (no gold)."""
    keys = ("id", "title", "outlet", "published", "credit")
    return [{**{k: d[k] for k in keys}, "text": (manifest_dir / d["path"]).read_text("utf-8")} for d in story["documents"]]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stories", type=int, default=40)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory (never inside git-tracked paths)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="directory holding ecbplus-docs/ and newswcl50/")
    args = parser.parse_args(argv)
    manifest = generate(args.seed, args.stories, args.out, args.data)
    print(json.dumps(manifest["summary"], indent=1))
    print(f"wrote {args.out / 'manifest.json'}")


if __name__ == "__main__":
    main()

"""Web latency: story list, story page, article page and search, p50/p95, on a store of 10,000+ articles.

The store is the demo corpus ingested for real (which also compares its stories), grown with synthetic variants of its articles (new ids,
numbered titles and texts, 60 outlets, three languages, dates over four years) written straight through
the storage layer, with synthetic story memberships of 1–20 articles and random unit embeddings:
grouping 10,000 articles through the embedding model would take minutes and is not what is measured.
Requests go through the ASGI app in-process (Starlette's TestClient), so the figures include routing,
the SQL, view models and template rendering, but not the network.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from fastapi.testclient import TestClient

from crosswire.app.ingest import add_inputs
from crosswire.app.reading import demo_corpus_path
from crosswire.extract.article import EXTRACTOR_VERSION
from crosswire.ingest.sources import expand_inputs
from crosswire.model import Article, DateSource, Origin, PublishedDate
from crosswire.settings import Settings
from crosswire.storage import stories as story_db
from crosswire.storage.store import Store
from crosswire.stories.clusters import Assignment
from crosswire.stories.signals import StorySignals
from crosswire.web.app import create_app

OUTLETS, LANGUAGES, FIRST_DAY = 60, ("en", "de", "fr"), date(2022, 1, 1)


def build_store(db: Path, total: int, seed: int = 7) -> Store:
    """The demo corpus plus synthetic articles up to ``total``, grouped into synthetic stories."""
    settings = Settings.from_env(env={}, db_url=str(db), workers=1)
    store = Store(settings.sqlalchemy_url)
    add_inputs(expand_inputs([str(demo_corpus_path())]), settings, store)
    templates = [(a, store.raw(a.id)) for a in store.articles(with_removed=True)]
    rng = random.Random(seed)
    dim = len(next(iter(story_db.embeddings(store.engine.connect(), [templates[0][0].id]).values())))
    i = 0
    while i < total - len(templates):
        with store.transaction() as tx:
            seq = tx.next_seq()
            for _ in range(min(1000, total - len(templates) - i)):
                size = rng.randint(1, 20)
                story_id, day = f"sbench{i:08d}", FIRST_DAY + timedelta(days=rng.randrange(4 * 365))
                for k in range(size):
                    article, raw = _variant(templates[(i + k) % len(templates)], i + k, day, rng)
                    tx.insert_article(article, raw, EXTRACTOR_VERSION)
                    tx.insert_signals([StorySignals(article.id, _unit(rng, dim), (), (), None, None, None)])
                    tx.insert_members([(Assignment(article.id, story_id, 0.8, 0.8, 0.5, (), k == 0), seq)])
                    seq += 1
                i += size
    return store


def _variant(template: tuple[Article, object], n: int, day: date, rng: random.Random) -> tuple[Article, object]:
    article, raw = template
    published = PublishedDate((day + timedelta(days=rng.randrange(3))).isoformat(), DateSource.METADATA, "synthetic")
    meta = replace(
        article.meta, title=f"{article.meta.title} #{n}", outlet=f"Outlet {n % OUTLETS}", language=LANGUAGES[n % len(LANGUAGES)],
        published=published,
    )  # fmt: skip
    origin = Origin("file", f"bench/{n}.txt")
    text = f"{article.text}\n\nSynthetic variant {n} for the web benchmark."
    return replace(article, id=f"bench{n:011d}", origin=origin, text=text, meta=meta, content_hash=f"h{n}", duplicate_of=None), raw


def _unit(rng: random.Random, dim: int) -> np.ndarray:
    v = np.array([rng.gauss(0, 1) for _ in range(dim)], dtype=np.float32)
    return v / np.linalg.norm(v)


def _biggest_demo_story(store: Store) -> str:
    """The demo's depot fire: the biggest story grouped for real (not one of the synthetic ``sbench`` stories)."""
    with store.engine.connect() as conn:
        sizes = Counter(m.story_id for m in story_db.members(conn) if not m.story_id.startswith("sbench"))
    return sizes.most_common(1)[0][0]


def timed(client: TestClient, paths: list[str]) -> list[float]:
    """Milliseconds per request, each path once, after one warm-up request."""
    client.get(paths[0])
    out = []
    for path in paths:
        start = time.perf_counter()
        r = client.get(path)
        out.append((time.perf_counter() - start) * 1000)
        assert r.status_code == 200, (path, r.status_code, r.text[:200])
    return out


def main() -> None:
    """Build the store, then time each page kind and print p50/p95 in milliseconds."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=200)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        store = build_store(Path(tmp) / "web.db", args.articles)
        print(f"store: {store.count_articles():,} articles, built in {time.perf_counter() - start:.0f} s")
        with TestClient(create_app(Settings.from_env(env={}, db_url=str(Path(tmp) / "web.db")))) as client:
            listing = client.get("/api/stories", params={"limit": 500}).json()
            stories, pages_of_50 = [s["id"] for s in listing["items"]], range(0, listing["total"], 50)
            articles = [a["id"] for a in client.get("/api/articles", params={"limit": 500, "offset": 3000}).json()["items"]]
            rng, n = random.Random(1), args.requests
            compared = _biggest_demo_story(store)
            assert 'id="provenance"' in client.get(f"/stories/{compared}").text  # stored by the ingest, never computed here
            pages = {
                "story list /": [f"/?offset={rng.choice(pages_of_50)}" for _ in range(n)],
                "story list, filtered /?outlet&language&q": [f"/?outlet=Outlet+{rng.randrange(0, 60, 3)}&language=en&q=fire" for _ in range(n)],
                "story list, dates /?since&until": [f"/?since=2023-0{m}-01&until=2023-0{m + 1}-01" for m in rng.choices(range(1, 9), k=n)],
                "story page /stories/{id}": [f"/stories/{rng.choice(stories)}" for _ in range(n)],
                "story page, stored comparison (demo story)": [f"/stories/{compared}"] * n,
                "brief page /stories/{id}/brief (demo story)": [f"/stories/{compared}/brief"] * n,
                "article page /articles/{id}": [f"/articles/{rng.choice(articles)}" for _ in range(n)],
                "search /search?q": [f"/search?q={rng.choice(['depot fire', 'Veltrana', 'bank rate', 'Kovel', 'harbour'])}" for _ in range(n)],
                "story list, first page /": ["/"] * n,
                "API /api/stories": [f"/api/stories?offset={rng.choice(pages_of_50)}" for _ in range(n)],
            }
            print(f"{'page':44} {'p50 ms':>8} {'p95 ms':>8}")
            for name, paths in pages.items():
                ms = timed(client, paths)
                print(f"{name:44} {statistics.median(ms):8.1f} {statistics.quantiles(ms, n=20)[-1]:8.1f}")
        store.close()


if __name__ == "__main__":
    main()

"""The web bench on PostgreSQL and SQLite in one run: the same 10,000-article store on both, the same requests,
p50/p95 per page kind and the PostgreSQL/SQLite ratio, and whether search finds the same articles on both.

The store is the demo corpus ingested for real (so its stories carry stored comparisons), grown with synthetic
articles written straight through the storage layer as bench/web.py does (synthetic stories of 1–20 articles, random
unit embeddings, 60 outlets, three language codes, dates over four years) — except that each synthetic text is made
of 6–18 sentences drawn (seeded) from the real news texts of ECB+ (../shared/data/ecbplus-docs, 982 documents) and
the five seed articles, and its title is one such sentence, so search runs over real words and real word
frequencies. Both stores get exactly the same rows. Needs a PostgreSQL URL (a role that may create databases):
``--postgres postgresql+psycopg://postgres@127.0.0.1:55432/postgres`` (a database ``cwbench_…`` is created and
dropped). Requests go through the ASGI app in-process (TestClient), alternating backend per page kind. Beside the
times, the SQL statements and connections per request on each backend (on PostgreSQL each statement is a round trip,
and each connection adds two more, its BEGIN and ROLLBACK; SQLite's statements include its explicit BEGIN).

    PYTHONPATH=src .venv/bin/python -m bench.web_backends --postgres URL [--articles 10000] [--requests 200] [--pages article]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, make_url

from bench.web import FIRST_DAY, LANGUAGES, OUTLETS, _biggest_demo_story, _unit, timed
from crosswire.app.ingest import add_inputs
from crosswire.app.reading import demo_corpus_path
from crosswire.extract.article import EXTRACTOR_VERSION
from crosswire.ingest.sources import expand_inputs
from crosswire.model import Article, DateSource, Origin, PublishedDate
from crosswire.settings import Settings
from crosswire.storage import stories as story_db
from crosswire.storage.browse import search
from crosswire.storage.store import Store
from crosswire.stories.clusters import Assignment
from crosswire.stories.signals import StorySignals
from crosswire.web.app import create_app

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SEARCHES = ["Putin Kharkiv", "earthquake", "police shooting", "depot fire", "Oscar", "Kovel", "bank rate", "rehab", "Belgorod"]


def sentence_pool(data: Path) -> list[str]:
    """Sentences of real news texts: ECB+ documents and the seed articles (split at . ! ? before a capital)."""
    texts = [json.loads(line)["text"] for line in (data / "ecbplus-docs" / "docs.jsonl").open(encoding="utf-8")]
    texts += [p.read_text("utf-8") for p in sorted((data / "seeds").glob("*.txt"))]
    out = []
    for t in texts:
        out += [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", " ".join(t.split())) if 40 <= len(s.strip()) <= 400]
    return out


def build(url: str, total: int, pool: list[str], seed: int = 7) -> Store:
    """The demo ingested, then synthetic articles of real sentences up to ``total``, in synthetic stories."""
    settings = Settings.from_env(env={}, db_url=url, workers=1)
    store = Store(settings.sqlalchemy_url)
    add_inputs(expand_inputs([str(demo_corpus_path())]), settings, store)
    template = store.articles(with_removed=True)[0]
    raw = store.raw(template.id)
    rng = random.Random(seed)
    with store.engine.connect() as conn:
        dim = len(next(iter(story_db.embeddings(conn, [template.id]).values())))
    i, base = 0, store.count_articles()
    while i < total - base:
        with store.transaction() as tx:
            seq = tx.next_seq()
            for _ in range(1000):
                if i >= total - base:
                    break
                size, day = rng.randint(1, 20), FIRST_DAY + timedelta(days=rng.randrange(4 * 365))
                story_id = f"sbench{i:08d}"
                for k in range(min(size, total - base - i)):
                    article = _synthetic(template, i + k, day, pool, rng)
                    tx.insert_article(article, raw, EXTRACTOR_VERSION)
                    tx.insert_signals([StorySignals(article.id, _unit(rng, dim), (), (), None, None, None)])
                    tx.insert_members([(Assignment(article.id, story_id, 0.8, 0.8, 0.5, (), k == 0), seq)])
                    seq += 1
                i += size
    return store


def _synthetic(template: Article, n: int, day: date, pool: list[str], rng: random.Random) -> Article:
    sentences = rng.sample(pool, rng.randint(6, 18))
    text = "\n\n".join(" ".join(sentences[j : j + 3]) for j in range(0, len(sentences), 3))
    published = PublishedDate((day + timedelta(days=rng.randrange(3))).isoformat(), DateSource.METADATA, "synthetic")
    meta = replace(template.meta, title=rng.choice(pool)[:120], outlet=f"Outlet {n % OUTLETS}", language=LANGUAGES[n % len(LANGUAGES)],
                   published=published, url=None, canonical_url=None)  # fmt: skip
    return replace(template, id=f"bench{n:011d}", origin=Origin("file", f"bench/{n}.txt"), text=text, meta=meta,
                   content_hash=f"h{n}", duplicate_of=None, removed=(), flags=())  # fmt: skip


def _admin(url: str, sql: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(sql)
    engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--postgres", required=True, help="PostgreSQL URL of a role that may create databases")
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--pages", default="", help="only the page kinds whose name contains this (e.g. article)")
    args = ap.parse_args()
    pool = sentence_pool(args.data)
    name = f"cwbench_{uuid.uuid4().hex[:10]}"
    _admin(args.postgres, f'CREATE DATABASE "{name}"')
    try:
        with tempfile.TemporaryDirectory() as tmp:
            urls = {"sqlite": f"sqlite:///{Path(tmp) / 'web.db'}",
                    "postgres": make_url(args.postgres).set(database=name).render_as_string(hide_password=False)}
            run(urls, args.articles, args.requests, pool, args.pages)
    finally:
        _admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(urls: dict[str, str], total: int, n: int, pool: list[str], only: str = "") -> None:
    clients, stores = {}, {}
    print(f"{len(pool):,} real sentences in the pool")
    for backend, url in urls.items():
        start = time.perf_counter()
        stores[backend] = build(url, total, pool)
        print(f"{backend}: {stores[backend].count_articles():,} articles, built in {time.perf_counter() - start:.0f} s")
        clients[backend] = TestClient(create_app(Settings.from_env(env={}, db_url=url)))
    listing = clients["sqlite"].get("/api/stories", params={"limit": 500}).json()
    stories, pages_of_50 = [s["id"] for s in listing["items"]], range(0, listing["total"], 50)
    articles = [a["id"] for a in clients["sqlite"].get("/api/articles", params={"limit": 500, "offset": 3000}).json()["items"]]
    compared = _biggest_demo_story(stores["sqlite"])
    rng = random.Random(1)
    pages = {
        "story list /": [f"/?offset={rng.choice(pages_of_50)}" for _ in range(n)],
        "story list, filtered /?outlet&language&q": [f"/?outlet=Outlet+{rng.randrange(0, 60, 3)}&language=en&q=fire" for _ in range(n)],
        "story list, dates /?since&until": [f"/?since=2023-0{m}-01&until=2023-0{m + 1}-01" for m in rng.choices(range(1, 9), k=n)],
        "story page /stories/{id}": [f"/stories/{rng.choice(stories)}" for _ in range(n)],
        "story page, stored comparison (demo story)": [f"/stories/{compared}"] * n,
        "article page /articles/{id}": [f"/articles/{rng.choice(articles)}" for _ in range(n)],
        "search /search?q": [f"/search?q={rng.choice(SEARCHES)}" for _ in range(n)],
        "API /api/stories": [f"/api/stories?offset={rng.choice(pages_of_50)}" for _ in range(n)],
    }
    sent = {(b, kind): 0 for b in clients for kind in ("before_cursor_execute", "engine_connect")}
    for (b, kind) in sent:
        event.listen(clients[b].app.state.store.engine, kind, lambda *_a, key=(b, kind): sent.__setitem__(key, sent[key] + 1))  # type: ignore[attr-defined]
    print(f"{'page':44} {'SQLite p50':>10} {'p95':>7} {'PG p50':>8} {'p95':>7} {'PG/SQLite p50':>14}   statements, connections per request: SQLite; PG")
    for page, paths in pages.items():
        if only not in page:
            continue
        ms, per = {}, {}
        for b, c in clients.items():
            before = dict(sent)
            ms[b] = timed(c, paths)
            per[b] = "{:.1f}, {:.1f}".format(*((sent[b, k] - before[b, k]) / (len(paths) + 1)  # timed() sends one warm-up
                                                for k in ("before_cursor_execute", "engine_connect")))
        s50, p50 = statistics.median(ms["sqlite"]), statistics.median(ms["postgres"])
        print(f"{page:44} {s50:10.1f} {statistics.quantiles(ms['sqlite'], n=20)[-1]:7.1f} "
              f"{p50:8.1f} {statistics.quantiles(ms['postgres'], n=20)[-1]:7.1f} {p50 / s50:14.2f}   {per['sqlite']}; {per['postgres']}")
    print("\nsearch parity (every hit, not only the first page): query, articles found on SQLite / PostgreSQL, same set")
    for q in SEARCHES:
        found = {}
        for b, store in stores.items():
            with store.engine.connect() as conn:
                total, hits = search(conn, q, 1_000_000, 0)
            found[b] = {h.article_id for h in hits}
            assert total == len(found[b])
        print(f"  {q!r:20} {len(found['sqlite']):6} {len(found['postgres']):6}  {found['sqlite'] == found['postgres']}")
    for c in clients.values():
        c.close()
    for s in stores.values():
        s.close()


if __name__ == "__main__":
    main()

"""The write path under faults and concurrency (issue #15): random kills, concurrent writers, read load.

    PYTHONPATH=src .venv/bin/python bench/write_path.py kills   [--articles 2000] [--kills 10] [--workers 2]
    PYTHONPATH=src .venv/bin/python bench/write_path.py kills --chain [--articles 2000] [--kills 10] [--max-chars 600]
    PYTHONPATH=src .venv/bin/python bench/write_path.py writers [--articles 240] [--writers 2,4,8]
    PYTHONPATH=src .venv/bin/python bench/write_path.py readload [--seconds 10] [--levels 1,4,16,64]

The corpus is the ECB+ documents (``../shared/data/ecbplus-docs``), each once as published and once more as an
"update" (a numbered line appended: a new article), written to a temporary JSONL at run time (texts are never
committed). ``kills`` adds it once uninterrupted (the reference store), then ``--kills`` times into a fresh store:
``kill -9`` of the ``add`` process (not its workers) after a random number of committed articles, check that no
worker outlived it, count what was committed,
re-run the same ``add`` and compare the store (articles and texts, story memberships, analyses, statements, removed
lines) with the reference. ``kills --chain`` instead kills ONE ``add`` into one fresh store ``--kills`` times at
increasing random points (a random number of committed articles, up to ``--jitter`` seconds later; the last two once
every article is written, after a random number of stored story comparisons), re-running the same
command after each kill; after every kill the store is checked on its own (``integrity_check``, it opens, every
committed article has its raw document, origin, story signals and membership, no worker alive), and the final
store is compared once with the clean run. ``writers`` runs N ``crosswire add`` processes on disjoint parts of the corpus plus a
web server taking ingests over HTTP at the same time, on one store. ``readload`` serves a store (the demo grown
to ``--store-articles`` by bench/web.py's builder) with ``crosswire serve`` and measures the story list and a story
page at each concurrency level, with and without a writer adding articles meanwhile.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
ECB = ROOT.parent / "shared" / "data" / "ecbplus-docs" / "docs.jsonl"
CLI = [sys.executable, "-c", "from crosswire.cli.app import main; main()"]


def corpus(path: Path, n: int, offset: int = 0, max_chars: int | None = None) -> Path:
    """``n`` real articles (ECB+, then their "updates") as JSONL, from item ``offset`` on; ``max_chars`` cuts each
    text at the paragraph or sentence end before that many characters (shorter runs, same kinds of text)."""
    docs = [json.loads(line) for line in ECB.read_text("utf-8").splitlines()]
    items = []
    for i in range(offset, offset + n):
        d, round_ = docs[i % len(docs)], i // len(docs)
        suffix = f"\n\nUpdate {round_}: this report was revised." if round_ else ""
        cut = d["text"].rfind(". ", 0, max_chars) + 1 if max_chars else 0
        body = d["text"][:cut] if cut > 0 else d["text"]  # no sentence end before the limit: the whole text
        items.append(json.dumps({"id": f"{d['id']}-{round_}", "title": d["title"], "text": body + suffix,
                                 "language": d.get("lang", "en")}))
    path.write_text("\n".join(items) + "\n", "utf-8")
    return path


TOKEN = "bench-write-path"


def env(workers: int) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), "CROSSWIRE_WORKERS": str(workers), "CROSSWIRE_API_TOKEN": TOKEN}


def add(db: Path, data: Path, workers: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen([*CLI, "add", str(data), "--db", str(db), "--json"], env=env(workers),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    engine = create_engine(f"sqlite:///{db}")
    queries = {
        "articles": "SELECT id, title, text, published, published_source FROM articles ORDER BY id",
        "members": "SELECT article_id, story_id FROM story_members ORDER BY article_id",
        "analyses": "SELECT article_id, version, analysed FROM analyses ORDER BY article_id",
        "statements": "SELECT article_id, seq, speaker, speaker_entity, content, class FROM statements ORDER BY article_id, seq",
        "removed": "SELECT article_id, text, reason FROM removed_lines ORDER BY article_id, id",
    }
    with engine.connect() as conn:
        snap = {k: [tuple(r) for r in conn.execute(text(q))] for k, q in queries.items()}
    engine.dispose()
    return snap


def count(db: Path, table: str = "articles") -> int:
    if not db.exists():
        return 0
    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
    except Exception:  # noqa: BLE001 — killed before the tables existed
        return 0
    finally:
        engine.dispose()


def survivors(pgid: int, wait_s: float = 5.0) -> int:
    """Live processes of the killed ``add``'s group (worker processes that outlived their parent) after up to
    ``wait_s`` seconds; zombies, already dead, are not counted."""
    deadline = time.monotonic() + wait_s
    while True:
        alive = 0
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":  # fields: state, ppid, pgrp, …
                alive += 1
        if not alive or time.monotonic() >= deadline:
            return alive
        time.sleep(0.2)


def kills(args: argparse.Namespace) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix="cw-kills-"))
    data = corpus(work / "corpus.jsonl", args.articles, max_chars=args.max_chars)
    started = time.monotonic()
    proc = add(work / "clean.db", data, args.workers)
    proc.communicate()
    clean_s = time.monotonic() - started
    reference = snapshot(work / "clean.db")
    print(f"clean run: {len(reference['articles'])} articles in {clean_s:.0f} s", flush=True)
    rng = random.Random(args.seed)
    total = len(reference["articles"])
    rows = []
    for k in range(args.kills):
        db = work / f"kill{k}.db"
        # a random point of the run: after a random share of the articles is committed (the last kill of each
        # three waits for all of them: it lands in the comparison step that follows the writes)
        target = total if k % 3 == 2 else rng.randrange(1, total)
        proc = add(db, data, args.workers)
        t0 = time.monotonic()
        while proc.poll() is None and count(db) < target:
            time.sleep(0.2)
        if k % 3 == 2:
            time.sleep(rng.uniform(0.0, 2.0))
        at = time.monotonic() - t0
        os.kill(proc.pid, signal.SIGKILL)  # the main process only: its workers must follow it on their own
        proc.wait()
        left = survivors(proc.pid)
        if left:
            os.killpg(proc.pid, signal.SIGKILL)
        committed = count(db)
        t0 = time.monotonic()
        again = add(db, data, args.workers)
        again.communicate()
        same = snapshot(db) == reference
        rows.append({"kill_at_s": round(at, 1), "target": target, "committed": committed, "orphans": left, "resume_s": round(time.monotonic() - t0),
                     "resume_exit": again.returncode, "identical": same})
        print(rows[-1], flush=True)
    return {"articles": args.articles, "max_chars": args.max_chars, "workers": args.workers, "clean_s": round(clean_s), "runs": rows,
            "identical": sum(r["identical"] for r in rows), "kills": len(rows)}


def consistency(db: Path) -> tuple[dict[str, bool], dict[str, list[str]]]:
    """The store left by a kill, checked on its own (nothing runs on it): SQLite's ``integrity_check``, the store
    opens (``crosswire stories`` exits 0), and no half-written batch — every committed article has its raw
    document, origin, story signals and story membership, and every membership and signal row its article."""
    engine = create_engine(f"sqlite:///{db}")
    checks = {
        "no_membership": "SELECT a.id FROM articles a LEFT JOIN story_members m ON m.article_id = a.id WHERE m.article_id IS NULL",
        "no_signals": "SELECT a.id FROM articles a LEFT JOIN story_signals s ON s.article_id = a.id WHERE s.article_id IS NULL",
        "no_raw": "SELECT a.id FROM articles a LEFT JOIN raw_documents r ON r.article_id = a.id WHERE r.article_id IS NULL",
        "no_origin": "SELECT a.id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM origins o WHERE o.article_id = a.id)",
        "orphan_members": "SELECT m.article_id FROM story_members m LEFT JOIN articles a ON a.id = m.article_id WHERE a.id IS NULL",
        "orphan_signals": "SELECT s.article_id FROM story_signals s LEFT JOIN articles a ON a.id = s.article_id WHERE a.id IS NULL",
    }
    with engine.connect() as conn:
        integrity = [r[0] for r in conn.execute(text("PRAGMA integrity_check"))]
        found = {k: sorted(r[0] for r in conn.execute(text(q))) for k, q in checks.items()}
        seqs = [r[0] for r in conn.execute(text("SELECT seq FROM story_members ORDER BY seq"))]
    engine.dispose()
    opened = subprocess.run([*CLI, "stories", "--db", str(db), "--json"], env=env(1), capture_output=True)
    gapless = seqs == list(range(seqs[0], seqs[0] + len(seqs))) if seqs else True
    return {"integrity": integrity == ["ok"], "opens": opened.returncode == 0, "seq_gapless": gapless}, found


def comparisons(db: Path) -> list[tuple[object, ...]]:
    """Each story's stored comparison: its members' signature and conflict count (no timestamps)."""
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(text("SELECT story_id, signature, conflicts FROM story_comparisons ORDER BY story_id"))]
    engine.dispose()
    return rows


def chain(args: argparse.Namespace) -> dict[str, object]:
    """One ``add`` of the corpus into one fresh store, killed (SIGKILL, the main process only) at ``--kills``
    increasing random points and each time re-run (the same command) up to the next point, then to completion;
    the store is checked after every kill, and at the end compared with an uninterrupted run of the same input."""
    from crosswire.app.comparison import COMPARE_CHUNK_PER_WORKER

    work = Path(tempfile.mkdtemp(prefix="cw-chain-"))
    data = corpus(work / "corpus.jsonl", args.articles, max_chars=args.max_chars)
    if args.reference:  # a clean run of this same corpus made earlier by this bench (see --reference)
        clean_db = args.reference
        if (args.reference.parent / "corpus.jsonl").read_bytes() != data.read_bytes():
            raise SystemExit(f"{args.reference} was not made from this corpus")
        meta = args.reference.with_suffix(".json")
        clean_s = json.loads(meta.read_text())["seconds"] if meta.exists() else float("nan")
    else:
        clean_db = work / "clean.db"
        t0 = time.monotonic()
        proc = add(clean_db, data, args.workers)
        proc.communicate()
        clean_s = time.monotonic() - t0
    reference, ref_comparisons = snapshot(clean_db), comparisons(clean_db)
    total, stories_compared = len(reference["articles"]), len(ref_comparisons)
    ref_ids = {r[0] for r in reference["articles"]}
    print(f"clean run: {total} articles, {stories_compared} stories compared, {clean_s:.0f} s", flush=True)
    _, ref_missing = consistency(clean_db)  # articles the clean run itself leaves without a story (none expected)
    rng = random.Random(args.seed)
    db = work / "chain.db"
    post_write = max(2, args.kills // 5)  # the last kills land after every article is written
    rows: list[dict[str, object]] = []
    started = time.monotonic()
    proc = add(db, data, args.workers)
    segment_t0 = time.monotonic()
    for k in range(args.kills):
        committed = count(db)
        writing_left = args.kills - post_write - k
        if writing_left > 0 and committed < total - 1:
            gap = (total - committed) // (writing_left + 1)
            target = min(total - 1, committed + 1 + rng.randrange(max(1, 2 * gap - 1)))
            point = f"{target} articles committed"
            while proc.poll() is None and count(db) < target:
                time.sleep(0.1)
            time.sleep(rng.uniform(0.0, args.jitter))  # not always right after a commit: inside the next batch too
        else:  # after the writes: re-analysis, then the comparisons (stored story by story)
            while proc.poll() is None and count(db) < total:
                time.sleep(0.1)
            done = count(db, "story_comparisons")
            # stories are compared and stored a chunk at a time: a target before the last chunk leaves work in
            # flight at the kill (no jitter here: the whole step lasts seconds)
            last = stories_compared - max(1, args.workers) * COMPARE_CHUNK_PER_WORKER
            target = done + 1 + rng.randrange(max(1, last - done - 1))
            point = f"all articles, {target}/{stories_compared} comparisons stored"
            while proc.poll() is None and count(db, "story_comparisons") < target:
                time.sleep(0.05)
        ran_s = time.monotonic() - segment_t0
        finished = proc.poll() is not None
        if not finished:
            os.kill(proc.pid, signal.SIGKILL)  # the main process only: its workers must follow it on their own
        proc.wait()
        left = survivors(proc.pid)
        if left:
            os.killpg(proc.pid, signal.SIGKILL)
        check, missing = consistency(db)
        ids = {r[0] for r in snapshot(db)["articles"]}
        row = {"kill": k + 1, "point": point, "ran_s": round(ran_s, 1), "finished_before_kill": finished,
               "committed": len(ids), "comparisons": count(db, "story_comparisons"), "workers_alive": left,
               "integrity": check["integrity"], "opens": check["opens"], "seq_gapless": check["seq_gapless"],
               **{key: len(found) for key, found in missing.items()},
               "not_in_clean_run": len(ids - ref_ids)}
        row["consistent"] = (all(check.values()) and not row["not_in_clean_run"]
                             and all(set(found) <= set(ref_missing[key]) for key, found in missing.items()))
        proc = add(db, data, args.workers)  # the same command again
        segment_t0 = time.monotonic()
        rows.append(row)
        print(row, flush=True)
    out, err = proc.communicate()
    rows[-1]["rerun_s"] = round(time.monotonic() - segment_t0, 1)
    for r, nxt in zip(rows, rows[1:], strict=False):
        r["rerun_s"] = nxt["ran_s"]  # the re-run after a kill lasts until the next kill
    final = snapshot(db)
    differs = [key for key in reference if final[key] != reference[key]]
    final_comparisons = comparisons(db)
    final_check, _ = consistency(db)
    return {"mode": "kills --chain", "articles": args.articles, "max_chars": args.max_chars, "workers": args.workers,
            "seed": args.seed, "jitter_s": args.jitter, "clean_s": round(clean_s), "clean_articles": total,
            "clean_stories_compared": stories_compared, "chain_wall_s": round(time.monotonic() - started),
            "final_exit": proc.returncode, "final_stderr_tail": err.decode()[-400:],
            "final_workers_alive": survivors(proc.pid, 1.0), "kills": rows,
            "all_consistent": all(r["consistent"] for r in rows), "identical": not differs, "tables_differing": differs,
            "table_rows": {key: len(final[key]) for key in final},
            "comparisons_identical": final_comparisons == ref_comparisons, "final_integrity": final_check["integrity"],
            "store": str(db), "clean_store": str(clean_db)}


def writers(args: argparse.Namespace) -> dict[str, object]:
    results = []
    for n in args.writers:
        work = Path(tempfile.mkdtemp(prefix="cw-writers-"))
        db = work / "shared.db"
        per = args.articles // n
        parts = [corpus(work / f"part{i}.jsonl", per, offset=i * per) for i in range(n)]
        server, port = serve(db)
        web_errors: list[str] = []
        web_items = [json.loads(line) for line in corpus(work / "web.jsonl", 10, offset=5000).read_text().splitlines()]
        t0 = time.monotonic()
        procs = [add(db, p, 1) for p in parts]
        client = threading.Thread(target=web_ingest, args=(port, web_items, web_errors))
        client.start()
        codes = [p.wait() for p in procs]
        client.join()
        seconds = time.monotonic() - t0
        server.terminate()
        server.wait()
        stored, expected = count(db), per * n + len(web_items)
        members = count(db, "story_members")
        results.append({"writers": n, "web_ingests": len(web_items), "stored": stored, "expected": expected,
                        "story_members": members, "failed_writers": sum(c != 0 for c in codes), "web_errors": web_errors,
                        "seconds": round(seconds)})
        print(results[-1], flush=True)
    return {"writers": results}


def web_ingest(port: int, items: list[dict[str, object]], errors: list[str]) -> None:
    """POST each item to the server's ingest API, one request each, recording every non-200 answer."""
    for item in items:
        try:
            r = httpx.post(f"http://127.0.0.1:{port}/api/ingest/articles", json={"articles": [item]}, timeout=600,
                           headers={"Authorization": f"Bearer {TOKEN}"})
            if r.status_code != 200:
                errors.append(f"{r.status_code} {r.text[:80]}")
        except httpx.HTTPError as exc:
            errors.append(type(exc).__name__)


def serve(db: Path) -> tuple[subprocess.Popen[bytes], int]:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([*CLI, "serve", "--db", str(db), "--port", str(port)], env=env(1),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stories", timeout=5).status_code in (200, 404):
                return server, port
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def load(url: str, concurrency: int, seconds: float) -> dict[str, object]:
    latencies: list[float] = []
    errors: list[str] = []
    stop = time.monotonic() + seconds

    def client() -> None:
        with httpx.Client(timeout=30) as c:
            while time.monotonic() < stop:
                t = time.perf_counter()
                try:
                    r = c.get(url)
                    if r.status_code != 200:
                        errors.append(str(r.status_code))
                except httpx.HTTPError as exc:
                    errors.append(type(exc).__name__)
                latencies.append(time.perf_counter() - t)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {"requests": len(latencies), "rps": round(len(latencies) / seconds, 1), "p50_ms": round(q[49] * 1000, 1),
            "p95_ms": round(q[94] * 1000, 1), "p99_ms": round(q[98] * 1000, 1), "errors": len(errors),
            "error_kinds": sorted(set(errors))[:5]}


def readload(args: argparse.Namespace) -> dict[str, object]:
    sys.path.insert(0, str(ROOT / "bench"))
    from web import build_store  # the web bench's store: demo + synthetic variants

    work = Path(tempfile.mkdtemp(prefix="cw-read-"))
    db = work / "read.db"
    build_store(db, args.store_articles).close()
    server, port = serve(db)
    story = httpx.get(f"http://127.0.0.1:{port}/api/stories", params={"limit": 1}).json()["items"][0]["id"]
    pages = {"story list": f"http://127.0.0.1:{port}/", "story page": f"http://127.0.0.1:{port}/stories/{story}"}
    out = []
    data = corpus(work / "writer.jsonl", args.writer_articles, offset=3000)
    for with_writer in (False, True):
        writer = add(db, data, 1) if with_writer else None
        for name, url in pages.items():
            for c in args.levels:
                row = {"page": name, "concurrency": c, "writer": with_writer, **load(url, c, args.seconds)}
                out.append(row)
                print(row, flush=True)
        if writer:
            writer.kill()
            writer.wait()
    server.terminate()
    return {"store_articles": args.store_articles, "rows": out}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["kills", "writers", "readload"])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--max-chars", type=int, default=None, help="cut each text near this length (kills)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--writers", type=lambda s: [int(x) for x in s.split(",")], default=[2, 4, 8])
    parser.add_argument("--levels", type=lambda s: [int(x) for x in s.split(",")], default=[1, 4, 16, 64])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--store-articles", type=int, default=10_000)
    parser.add_argument("--writer-articles", type=int, default=400)
    parser.add_argument("--chain", action="store_true",
                        help="kills: one add killed at --kills increasing points and re-run each time, then compared once")
    parser.add_argument("--jitter", type=float, default=3.0, help="kills --chain: up to this many seconds after a point")
    parser.add_argument("--reference", type=Path,
                        help="kills --chain: a clean store of the same corpus (corpus.jsonl beside it) instead of a new clean run")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    run = chain if args.mode == "kills" and args.chain else {"kills": kills, "writers": writers, "readload": readload}[args.mode]
    result = run(args)
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), "utf-8")


if __name__ == "__main__":
    main()

"""The write path under faults and concurrency: a killed run resumes to the same store as a clean run, concurrent
writers all land, migrations run once, and a writer waits (saying so) for a busy store.

Each scenario runs ``crosswire`` use-cases in subprocesses; kills come from the ``CROSSWIRE_FAILPOINT`` hook (a
SIGKILL at an exact batch), and waiting is observed through the writer's own message, never through timing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from crosswire.settings import Settings
from crosswire.storage.store import Store

ROOT = Path(__file__).resolve().parents[1]
EVENTS = [
    ("Orva floods Brask", "The river Orva burst its banks on Tuesday, flooding the lower town of Brask and forcing {n} "
     "residents to leave their homes, the regional fire service said. \"The water rose faster than anyone expected,\" "
     "fire chief Lena Harth told reporters in Brask."),
    ("Depot fire in Kessel", "A fire at the Kessel fuel depot burned for {n} hours on Friday before crews contained it, "
     "the port authority said. Operations director Marek Volz said nobody was hurt and the cause was not yet known."),
    ("Central bank holds rate", "The Valdian central bank kept its main rate at {n} basis points on Thursday. "
     "Governor Ilse Brandt said inflation was easing but warned that energy prices remained a risk."),
]
OUTLETS = ["Harbour Post", "Valley Courier", "Daily Wire", "Harbour Post"]
TEMPLATE = "Subscribe to the Harbour Post newsletter for more local news."  # an outlet line that becomes template


def corpus(path: Path, n: int, offset: int = 0) -> Path:
    """``n`` short articles about three events from four outlets (one with a template footer), as JSONL."""
    lines = []
    for i in range(offset, offset + n):
        title, body = EVENTS[i % 3]
        outlet = OUTLETS[i % 4]
        text_ = body.format(n=100 + i) + f" Report number {i}."
        if outlet == "Harbour Post":
            text_ += "\n\n" + TEMPLATE
        lines.append(json.dumps({"id": f"item-{i}", "title": f"{title} ({i})", "text": text_, "outlet": outlet,
                                 "published": f"2026-03-{1 + i % 9:02d}"}))
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


RUN = """
import sys
from crosswire.app.ingest import add_inputs
from crosswire.ingest.sources import expand_inputs
from crosswire.settings import Settings
from crosswire.storage.store import Store
db, batch, workers, *paths = sys.argv[1:]
settings = Settings(db_url=db, batch_size=int(batch), workers=int(workers))
def waiting(seconds):
    print(f"waiting {seconds:.1f}", file=sys.stderr, flush=True)
store = Store(settings.sqlalchemy_url, on_wait=waiting)
report = add_inputs(expand_inputs(paths), settings, store)
print(report.count("added"), report.count("failed"))
"""


def run(db: Path, *paths: Path, batch: int = 3, workers: int = 1, failpoint: str | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("CROSSWIRE_FAILPOINT", None)
    if failpoint:
        env["CROSSWIRE_FAILPOINT"] = failpoint
    args = [sys.executable, "-c", RUN, str(db), str(batch), str(workers), *map(str, paths)]
    return subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def snapshot(db: Path) -> dict[str, object]:
    """Everything a reader sees: articles and their texts, story memberships, analyses, statements, dates."""
    store = Store(Settings(db_url=str(db)).sqlalchemy_url)
    with store.engine.connect() as conn:
        def rows(sql: str) -> list[tuple[object, ...]]:
            return [tuple(r) for r in conn.execute(text(sql))]

        snap = {
            "articles": rows("SELECT id, title, outlet, text, published, published_source FROM articles ORDER BY id"),
            "members": rows("SELECT article_id, story_id FROM story_members ORDER BY article_id"),
            "analyses": rows("SELECT article_id, version, analysed FROM analyses ORDER BY article_id"),
            "statements": rows("SELECT article_id, seq, speaker, speaker_entity, content, class FROM statements ORDER BY article_id, seq"),
            "removed": rows("SELECT article_id, text, reason FROM removed_lines ORDER BY article_id, id"),
        }
    store.close()
    return snap


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    tmp = tmp_path_factory.mktemp("clean")
    data = corpus(tmp / "corpus.jsonl", 14)
    proc = run(tmp / "clean.db", data)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert out.split() == ["14", "0"]
    return data, snapshot(tmp / "clean.db")


@pytest.mark.parametrize("failpoint", ["before-commit:2", "after-commit:3"])
def test_a_killed_add_resumes_to_the_same_store_as_a_clean_run(tmp_path: Path, clean_run, failpoint: str) -> None:
    data, clean = clean_run
    db = tmp_path / "killed.db"
    proc = run(db, data, failpoint=failpoint)
    proc.communicate(timeout=600)
    assert proc.returncode == -9  # SIGKILL at the failpoint
    killed = snapshot(db)
    committed = 3 if failpoint == "before-commit:2" else 9  # whole batches of 3, nothing of the batch in flight
    assert len(killed["articles"]) == committed  # type: ignore[arg-type]
    assert len(killed["members"]) == committed  # type: ignore[arg-type]
    resumed = run(db, data)
    out, err = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, err
    assert out.split() == [str(14 - committed), "0"]
    assert snapshot(db) == clean


def test_the_template_footer_is_stripped_and_every_article_analysed(clean_run) -> None:
    _data, clean = clean_run
    texts = {row[0]: row[3] for row in clean["articles"]}  # type: ignore[union-attr]
    assert not any(TEMPLATE in t for t in texts.values())  # type: ignore[operator]
    assert {r[0] for r in clean["removed"] if r[1] == TEMPLATE} and len(clean["analyses"]) == 14  # type: ignore[union-attr, arg-type]
    assert {r[0] for r in clean["analyses"]} == set(texts)  # type: ignore[union-attr]


def test_concurrent_writers_all_land(tmp_path: Path) -> None:
    paths = [corpus(tmp_path / f"part{i}.jsonl", 6, offset=100 * i) for i in range(3)]
    db = tmp_path / "shared.db"
    procs = [run(db, p, batch=2) for p in paths]
    for p in procs:
        out, err = p.communicate(timeout=900)
        assert p.returncode == 0, err
        assert out.split() == ["6", "0"]
    snap = snapshot(db)
    ids = [r[0] for r in snap["articles"]]  # type: ignore[union-attr]
    assert len(ids) == 18 and sorted(r[0] for r in snap["members"]) == ids  # type: ignore[union-attr]
    assert len(snap["analyses"]) == 18  # type: ignore[arg-type]


def test_new_store_opened_by_several_processes_at_once_is_migrated_once(tmp_path: Path) -> None:
    db = tmp_path / "fresh.db"
    code = "import sys; from crosswire.storage.store import Store; Store('sqlite:///' + sys.argv[1]).close()"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    procs = [subprocess.Popen([sys.executable, "-c", code, str(db)], env=env, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    for p in procs:
        _out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    store = Store(f"sqlite:///{db}")
    with store.engine.connect() as conn:
        assert len(conn.execute(text("SELECT version_num FROM alembic_version")).all()) == 1
    store.close()


def test_a_writer_waits_for_a_busy_store_and_says_so(tmp_path: Path) -> None:
    db = tmp_path / "busy.db"
    data = corpus(tmp_path / "c.jsonl", 3)
    holder = Store(f"sqlite:///{db}")
    with holder.transaction():  # another writer holds the write lock
        proc = run(db, data)
        assert proc.stderr is not None
        seen = []
        while not (seen and seen[-1].startswith("waiting")):  # blocks until the writer reports it is waiting
            line = proc.stderr.readline()
            assert line, "".join(seen)  # the writer ended without waiting
            seen.append(line)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert out.split() == ["3", "0"]
    holder.close()


def test_worker_processes_give_the_same_store_as_one_process(tmp_path: Path) -> None:
    data = corpus(tmp_path / "c.jsonl", 48)  # past PARALLEL_MIN_DOCUMENTS: the pool starts mid-stream
    serial, parallel = run(tmp_path / "one.db", data, batch=10, workers=1), run(tmp_path / "two.db", data, batch=10, workers=2)
    for proc in (serial, parallel):
        out, err = proc.communicate(timeout=900)
        assert proc.returncode == 0, err
        assert out.split() == ["48", "0"]
    assert snapshot(tmp_path / "one.db") == snapshot(tmp_path / "two.db")


def test_a_dask_backfill_gives_the_store_a_serial_add_gives(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    ecb = ROOT.parent / "shared" / "data" / "ecbplus-docs" / "docs.jsonl"
    lines = ecb.read_text("utf-8").splitlines()[:24]  # three ECB+ topics' worth of real articles
    data = tmp_path / "ecb.jsonl"
    data.write_text("\n".join(lines) + "\n", "utf-8")
    serial = run(tmp_path / "serial.db", data, batch=10)
    out, err = serial.communicate(timeout=900)
    assert serial.returncode == 0, err
    code = RUN.replace("add_inputs(expand_inputs(paths), settings, store)",
                       "add_inputs(expand_inputs(paths), settings, store, dask='local:2')")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / "dask.db"), "10", "1", str(data)], env=env,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.split() == out.split() == ["24", "0"]
    assert snapshot(tmp_path / "dask.db") == snapshot(tmp_path / "serial.db")


def test_the_newest_migration_is_the_head_alembic_knows() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from crosswire.storage.store import head_revision

    config = Config()
    config.set_main_option("script_location", str(ROOT / "src" / "crosswire" / "storage" / "migrations"))
    assert head_revision() == ScriptDirectory.from_config(config).get_current_head()

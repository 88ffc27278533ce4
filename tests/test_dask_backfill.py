"""``crosswire add --dask``: progress comes from the cluster, and a chunk that fails there is reported and retried,
never silently dropped.

Each scenario runs ``crosswire add`` in a subprocess on a one-worker local cluster (``local:1``) over a few short
invented articles. Faults come from the ``CROSSWIRE_STAGE_FAILPOINT`` hook in the cleaning stage: ``kill-once:PATH``
SIGKILLs the first worker to clean a chunk, halfway through it (PATH makes it happen exactly once, whichever process
gets there), ``raise:TEXT`` fails every attempt at the chunk holding that input. Assertions read counts and stores,
never timings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_write_path import snapshot

pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
PLACES = ["Orva", "Kessel", "Brask", "Lunde", "Varn", "Tessin", "Morrow", "Elda", "Pell", "Quist", "Runa", "Sattel",
          "Tamber", "Ubben", "Vessel", "Wick", "Yarrow", "Zell", "Ardent", "Bree"]
MAIN = "import sys; from crosswire.cli.app import main; sys.argv[0] = 'crosswire'; main()"
CHUNK = 8  # pipeline.runner.CHUNK_DOCUMENTS


def corpus(path: Path, n: int) -> Path:
    """``n`` unrelated short reports, one per town and outlet (no shared lines: no outlet templates, no re-analysis)."""
    lines = []
    for i in range(n):
        town = PLACES[i]
        text = (f"The council of {town} approved a new footbridge over the canal on Monday, mayor Ada {town}son said. "
                f"\"It links the market to the station at last,\" she told the {town} Gazette. Work starts in {i + 3} weeks.")
        lines.append(json.dumps({"id": f"item-{i}", "title": f"{town} approves footbridge", "text": text,
                                 "outlet": f"{town} Gazette", "published": f"2026-04-{1 + i:02d}"}))
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def add(db: Path, data: Path, *options: str, failpoint: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "300"}
    env.pop("CROSSWIRE_STAGE_FAILPOINT", None)
    if failpoint:
        env["CROSSWIRE_STAGE_FAILPOINT"] = failpoint
    return subprocess.run([sys.executable, "-c", MAIN, "add", str(data), "--db", str(db), *options], env=env,
                          capture_output=True, text=True, timeout=900)


def test_progress_counts_the_chunks_the_cluster_finished(tmp_path: Path) -> None:
    data = corpus(tmp_path / "c.jsonl", 12)
    proc = add(tmp_path / "dask.db", data, "--dask", "local:1")
    assert proc.returncode == 0, proc.stderr[-3000:]
    # 12 documents in chunks of 8: two chunks cleaned on the cluster, then the same two analysed there
    assert "cluster: 4 of 4 chunks done (12 documents cleaned, 12 analysed), 0 retried" in proc.stderr
    assert "12 added" in proc.stdout


def test_a_worker_killed_mid_chunk_is_reported_and_its_chunk_retried(tmp_path: Path) -> None:
    data = corpus(tmp_path / "c.jsonl", 12)
    serial = add(tmp_path / "serial.db", data)
    assert serial.returncode == 0, serial.stderr[-3000:]
    marker = tmp_path / "killed-once"
    proc = add(tmp_path / "dask.db", data, "--dask", "local:1", failpoint=f"kill-once:{marker}")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert marker.exists()  # the worker was killed (the marker is created just before the SIGKILL)
    assert "retrying" in proc.stderr and "KilledWorker" in proc.stderr
    assert "cluster: 4 of 4 chunks done (12 documents cleaned, 12 analysed)" in proc.stderr
    assert snapshot(tmp_path / "dask.db") == snapshot(tmp_path / "serial.db")


def test_a_chunk_that_always_fails_stops_the_run_naming_it_after_writing_what_came_before(tmp_path: Path) -> None:
    data = corpus(tmp_path / "c.jsonl", 20)
    proc = add(tmp_path / "dask.db", data, "--dask", "local:1", failpoint="raise:item-13")
    assert proc.returncode == 1, proc.stderr[-3000:]  # EXIT_FAILED_INPUTS
    err = " ".join(proc.stderr.split())
    assert err.count("retrying") == 2 and "attempt 3 of 3" in err  # reported at each retry
    assert f"error: a worker failed on {data}#item-10, {data}#item-11, {data}#item-12 and 5 more" in err
    assert "RuntimeError: failpoint" in err and "re-run the same command" in err
    stored = snapshot(tmp_path / "dask.db")
    titles = sorted(row[1] for row in stored["articles"])  # type: ignore[union-attr]
    assert titles == sorted(f"{PLACES[i]} approves footbridge" for i in range(CHUNK))  # the chunk before it, all of it
    assert len(stored["members"]) == len(stored["analyses"]) == CHUNK  # type: ignore[arg-type]

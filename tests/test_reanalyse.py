"""`crosswire reanalyse`: articles an older version of the analysis rules analysed are analysed again (their
stories' comparisons dropped, to be made again), and `add` says when there are any."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from crosswire.cli.app import app
from crosswire.nlp import ANALYSIS_VERSION
from tests.conftest import SEEDS


def run(*args: str) -> object:
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"}, catch_exceptions=False)


def test_outdated_analyses_are_redone_their_comparisons_dropped_and_add_points_to_it(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    seeds = sorted(str(p) for p in SEEDS.iterdir() if p.name.startswith(("000", "001")))
    assert run("add", *seeds, "--db", str(db)).exit_code == 0  # type: ignore[attr-defined]
    with sqlite3.connect(db) as conn:
        before = conn.execute("SELECT COUNT(*) FROM statements").fetchone()[0]
        (article,) = conn.execute("SELECT article_id FROM analyses ORDER BY article_id LIMIT 1").fetchone()
        conn.execute("UPDATE analyses SET version = 'statements-0' WHERE article_id = ?", (article,))
        compared = conn.execute("SELECT COUNT(*) FROM story_comparisons").fetchone()[0]
    assert before > 0 and compared >= 1

    again = run("add", *seeds, "--db", str(db))  # nothing new, but the store holds an outdated analysis
    assert "1 stored article(s) were analysed by an older version" in again.stderr  # type: ignore[attr-defined]

    done = run("reanalyse", "--db", str(db), "--json")
    assert done.exit_code == 0 and '"reanalysed": 1' in done.stdout  # type: ignore[attr-defined]
    with sqlite3.connect(db) as conn:
        versions = {v for (v,) in conn.execute("SELECT version FROM analyses")}
        after = conn.execute("SELECT COUNT(*) FROM statements").fetchone()[0]
        story = conn.execute("SELECT story_id FROM story_members WHERE article_id = ?", (article,)).fetchone()[0]
        left = conn.execute("SELECT COUNT(*) FROM story_comparisons WHERE story_id = ?", (story,)).fetchone()[0]
    assert versions == {ANALYSIS_VERSION} and after == before  # the same rules give the same statements
    assert left == 0  # its story's comparison goes, to be made again from the new analyses
    assert "every stored article is analysed with the current rules" in run("reanalyse", "--db", str(db)).stdout  # type: ignore[attr-defined]

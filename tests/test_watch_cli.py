"""The live-monitoring verbs: watch --once and --status, alerts add / list / watches / remove."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crosswire.cli.app import app
from tests.test_watch_alerts import A, B
from tests.test_watch_cycle import atom
from tests.watch_server import Site, serve


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as s:
        yield s


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_watch_once_status_and_alerts(site: Site, tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    url = site.set("/feed.atom", atom([("a", "Fire at Harlow fuel depot", A)]), "application/atom+xml")
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[defaults]\ninterval = "5m"\n\n[[source]]\nurl = "{url}"\nkind = "feed"\n', encoding="utf-8")
    code, output = run("watch", str(sources), "--once", "--allow-private", "--min-delay", "0", "--db", db, "--json")
    assert code == 0, output
    assert {k: json.loads(output)[k] for k in ("fetched", "added", "errors")} == {"fetched": 1, "added": 1, "errors": 0}

    code, output = run("watch", "--status", "--db", db, "--json")
    (row,) = json.loads(output)
    assert code == 0 and row["url"] == url and row["last_status"] == 200 and row["new_items"] == 1 and row["errors"] == 0

    code, output = run("alerts", "add", "query", "Harlow depot", "--db", db, "--json")
    watch = json.loads(output)
    assert code == 0 and watch["kind"] == "query" and watch["target"] == "Harlow depot"
    site.set("/feed.atom", atom([("a", "Fire at Harlow fuel depot", A), ("b", "Harlow depot fire destroys tanks", B)]), "application/atom+xml")
    # the source is not due yet: --once does nothing until its interval has passed
    code, output = run("watch", str(sources), "--once", "--allow-private", "--min-delay", "0", "--db", db, "--json")
    assert code == 0 and json.loads(output)["requests"] == 0

    code, output = run("alerts", "watches", "--db", db)
    assert code == 0 and "query Harlow depot" in output
    code, output = run("alerts", "remove", str(watch["id"]), "--db", db)
    assert code == 0 and f"watch {watch['id']} removed" in output
    assert run("alerts", "remove", str(watch["id"]), "--db", db)[0] == 3
    code, output = run("alerts", "--db", db)
    assert code == 0 and "no alerts yet" in output


def test_watch_usage_errors(tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    assert run("watch", "--db", db)[0] == 2
    bad = tmp_path / "bad.toml"
    bad.write_text('[[source]]\nurl = "gopher://x"\n', encoding="utf-8")
    code, output = run("watch", str(bad), "--once", "--db", db)
    assert code == 2 and "http(s) URL" in output
    code, output = run("alerts", "add", "outlet", "x", "--db", db)
    assert code == 2 and "follows one of" in output
    code, output = run("watch", "--status", "--db", db)
    assert code == 0 and "nothing watched yet" in output

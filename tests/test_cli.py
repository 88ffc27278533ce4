"""Every CLI verb, and the bad-input list of the foundation issue, through the real command."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crosswire.cli.app import app
from tests.conftest import write

ARTICLE = (
    "Lighthouse Keeper Retires After Forty Years\n"
    "Coast Gazette\n"
    "April 2, 2025\n"
    "Mara Quist switched off the lamp at Cape Varn for the last time on Sunday, ending forty years as "
    "the keeper of the island's lighthouse, the harbour office said.\n"
    "\"The sea was my clock,\" Quist told the Coast Gazette.\n"
    "Share This Article\n"
)
PAGE = """<!doctype html><html><head><title>Ferry Strike Ends | Port News</title>
<meta property="og:site_name" content="Port News"><meta name="author" content="Ilse Berg">
<meta property="article:published_time" content="2025-04-03T08:00:00Z">
<link rel="canonical" href="https://portnews.example/ferry-strike-ends"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Ferry Strike Ends</h1>
<p>Ferry crews on the Estria line returned to work on Thursday after a four-day strike over pay, the union said.</p>
<p>"We have an agreement that respects the crews," union leader Piet Hol told reporters at the harbour.</p>
<p>The company said timetables would be back to normal by the weekend, with extra crossings on Saturday.</p>
</article><footer>© 2025 Port News. All rights reserved.</footer></body></html>"""


def run(*args: str, env: dict[str, str] | None = None, input: bytes | None = None):
    return CliRunner().invoke(app, list(args), env=env, input=input, catch_exceptions=False)


def warc_bytes(pages: list[tuple[str, str]]) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    for url, html in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()), http_headers=headers))
    return buf.getvalue()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "cli.db")


def test_add_articles_show_export_roundtrip(tmp_path: Path, db: str) -> None:
    txt = write(tmp_path, "in/keeper.txt", ARTICLE)
    html = write(tmp_path, "in/ferry.html", PAGE)
    result = run("add", str(tmp_path / "in"), "--db", db)
    assert result.exit_code == 0, result.output
    assert "2 added, 0 duplicate, 0 unchanged, 0 failed" in result.stdout

    listed = json.loads(run("articles", "--db", db, "--json").stdout)
    by_title = {a["title"]: a for a in listed}
    keeper, ferry = by_title["Lighthouse Keeper Retires After Forty Years"], by_title["Ferry Strike Ends"]
    assert keeper["published"] == {"value": "2025-04-02", "source": "stated", "evidence": "text line 3: 'April 2, 2025'"}
    assert keeper["outlet"] == "Coast Gazette" and keeper["origins"][0]["locator"] == str(txt)
    assert ferry["published"]["value"] == "2025-04-03" and ferry["published"]["source"] == "metadata"
    assert ferry["outlet"] == "Port News" and ferry["authors"] == ["Ilse Berg"]
    assert ferry["canonical_url"] == "https://portnews.example/ferry-strike-ends"
    assert ferry["origins"][0]["locator"] == str(html)

    table = run("articles", "--db", db, "--outlet", "coast gazette").stdout
    assert "Lighthouse" in table and "Ferry" not in table

    shown = run("show", keeper["id"][:8], "--db", db, "--removed")
    assert shown.exit_code == 0
    assert "The sea was my clock" in shown.stdout
    assert "lexicon:share" in shown.stdout and "Share This Article" in shown.stdout
    shown_json = json.loads(run("show", keeper["id"], "--db", db, "--json").stdout)
    assert shown_json["removed_lines"][-1] == {"line_no": 6, "text": "Share This Article", "reason": "boilerplate", "rule": "lexicon:share"}

    exported = json.loads(run("export", "--db", db, "--format", "json").stdout)
    assert exported["schema"] == "crosswire-export" and exported["schema_version"] == "1.3"
    assert {a["id"] for a in exported["articles"]} == {keeper["id"], ferry["id"]}
    assert len(exported["stories"]) == 2  # two unrelated articles: two stories
    assert all(st["comparison"] is None for st in exported["stories"])  # a read-only export computes nothing
    compared = json.loads(run("export", "--db", db, "--format", "json", "--compare").stdout)
    assert all(st["comparison"] is not None for st in compared["stories"])  # --compare computes the missing ones
    assert {a["story_id"] for a in exported["articles"]} == {st["id"] for st in exported["stories"]}
    listed_stories = json.loads(run("stories", "--db", db, "--json").stdout)
    assert sorted(st["id"] for st in listed_stories) == sorted(st["id"] for st in exported["stories"])
    one = run("story", listed_stories[0]["id"][:6], "--db", db)
    assert one.exit_code == 0 and "started the story" in one.stdout
    assert run("story", "nope", "--db", db).exit_code == 3
    jsonl = run("export", "--db", db, "-f", "jsonl").stdout.strip().splitlines()
    assert [json.loads(line)["id"] for line in jsonl] == [a["id"] for a in exported["articles"]]
    out_csv = tmp_path / "out.csv"
    assert run("export", "--db", db, "-f", "csv", "-o", str(out_csv)).exit_code == 0
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8")))
    assert {r["title"] for r in rows} == {"Lighthouse Keeper Retires After Forty Years", "Ferry Strike Ends"}
    assert not (tmp_path / "out.csv.partial").exists()

    again = run("add", str(tmp_path / "in"), "--db", db)
    assert "0 added, 0 duplicate, 2 unchanged, 0 failed" in again.stdout


def test_bad_inputs_each_named_and_the_batch_goes_on(tmp_path: Path, db: str) -> None:
    inputs = tmp_path / "in"
    write(inputs, "good.txt", ARTICLE)
    write(inputs, "empty.txt", "")
    write(inputs, "binary.txt", bytes(range(256)) * 20)
    write(inputs, "latin1.txt", ARTICLE.replace("Quist", "Quíst Müller").encode("cp1252"))
    write(inputs, "truncated.txt.gz", gzip.compress(ARTICLE.encode() * 50)[:-40])
    warc = warc_bytes([("https://portnews.example/a", PAGE), ("https://portnews.example/b", PAGE.replace("Ferry", "Bus"))])
    write(inputs, "truncated.warc", warc[: len(warc) - 300])
    lines = [json.dumps({"id": "j1", "title": "Bus Lanes Open", "text": "New bus lanes opened on the main road of Lindholm on Monday, the city said in a statement."}),
             '{"id": "j2", "title": broken',
             json.dumps({"id": "j3", "title": "Nothing here"})]
    write(inputs, "export.jsonl", "\n".join(lines))
    big = inputs / "huge.txt"
    with big.open("wb") as fh:
        fh.write(b"word " * (10 * 1024 * 1024))  # 50 MB
    write(inputs, "notes.xyz", "just some notes I kept")
    write(inputs, "empty-feed.xml", '<?xml version="1.0"?><rss version="2.0"><channel><title>Empty</title></channel></rss>')

    result = run("add", str(inputs), "http://127.0.0.1:9/closed", "http://10.1.2.3/private", "--db", db)
    assert result.exit_code == 1
    err = result.stderr
    expected = {
        "empty.txt": "empty input",
        "binary.txt": "binary file",
        "truncated.txt.gz": "truncated gzip",
        "truncated.warc": "truncated",
        "export.jsonl#line 2": "malformed JSON on line 2",
        "export.jsonl#j3": "no 'text' or 'html' field",
        "huge.txt": "over the 16.0 MB limit",
        "notes.xyz": "unsupported file type '.xyz'",
        "empty-feed.xml": "feed has no entries",
        "http://127.0.0.1:9/closed": "--allow-private",
        "http://10.1.2.3/private": "private, loopback or link-local",
    }
    failed_lines = [line for line in err.splitlines() if line.startswith("failed ")]
    for name, problem in expected.items():
        assert any(name in line and problem in line for line in failed_lines), (name, problem, err)
    added = json.loads(run("articles", "--db", db, "--json").stdout)
    titles = sorted(a["title"] for a in added)
    assert titles == ["Bus Lanes Open", "Ferry Strike Ends", "Lighthouse Keeper Retires After Forty Years",
                      "Lighthouse Keeper Retires After Forty Years"]
    latin = [a for a in added if a["encoding"] != "utf-8"]
    assert len(latin) == 1 and latin[0]["origins"][0]["locator"].endswith("latin1.txt")
    assert "decoded as" in result.stdout
    shown = run("show", latin[0]["id"], "--db", db).stdout
    assert "Quíst Müller" in shown
    rejected = json.loads(run("rejections", "--db", db, "--json").stdout)
    assert len(rejected) == len(expected)


def test_unreachable_url_when_private_is_allowed(db: str) -> None:
    result = run("add", "http://127.0.0.1:9/closed", "--allow-private", "--db", db)
    assert result.exit_code == 1
    assert "unreachable" in result.stderr and "127.0.0.1:9" in result.stderr


def test_show_unknown_id_exits_3(db: str) -> None:
    assert run("add", "-", "--db", db, input=ARTICLE.encode()).exit_code == 0  # a store, without that id
    result = run("show", "ffffffff", "--db", db)
    assert result.exit_code == 3 and "no article with id 'ffffffff'" in result.stderr


def test_clean_prints_without_storing(tmp_path: Path) -> None:
    path = write(tmp_path, "k.txt", ARTICLE)
    result = run("clean", str(path), env={"CROSSWIRE_DB": str(tmp_path / "never.db")})
    assert result.exit_code == 0
    assert "Lighthouse Keeper Retires" in result.stdout and "lexicon:share" in result.stdout
    assert not (tmp_path / "never.db").exists()
    data = json.loads(run("clean", str(path), "--json").stdout)
    assert data["outlet"] == "Coast Gazette" and data["text"].endswith("told the Coast Gazette.")


def test_stdin_and_env_db(tmp_path: Path) -> None:
    env = {"CROSSWIRE_DB": str(tmp_path / "env.db")}
    result = run("add", "-", env=env, input=ARTICLE.encode())
    assert "1 added" in result.stdout
    assert (tmp_path / "env.db").exists()
    listed = json.loads(run("articles", "--json", env=env).stdout)
    assert listed[0]["origins"][0] == {"kind": "stdin", "locator": "-", "item": None}


def test_settings_version_and_help() -> None:
    assert "max_input_bytes" in run("settings").stdout
    assert run("--version").stdout.startswith("crosswire ")
    helptext = run("--help").stdout
    for verb in ("add", "articles", "show", "export", "demo", "clean", "rejections", "settings", "stories", "story"):
        assert verb in helptext


def test_installed_script_runs(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("crosswire")
    path = write(tmp_path, "k.txt", ARTICLE)
    proc = subprocess.run([str(script), "add", str(path), "--db", str(tmp_path / "s.db"), "--json"],
                          capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["added"] == 1


def test_demo_ingests_the_bundled_corpus_once(db: str) -> None:
    first = json.loads(run("demo", "--db", db, "--json").stdout)
    assert first["report"]["added"] == 14 and first["report"]["failed"] == 0
    assert first["summary"]["articles"] == 14 and first["summary"]["copies"] == 1
    assert dict(first["summary"]["languages"]) == {"en": 13, "de": 1}
    again = json.loads(run("demo", "--db", db, "--json").stdout)
    assert again["report"]["unchanged"] == 14 and again["summary"]["articles"] == 14
    table = run("demo", "--db", db).stdout
    assert "14 articles in" in table and "Der Kontinentbote" in table


def test_big_containers_are_streamed_and_their_items_held_to_the_article_limit(tmp_path: Path, db: str) -> None:
    env = {"CROSSWIRE_MAX_INPUT_BYTES": "4000", "CROSSWIRE_DB": db}
    pages = [(f"https://portnews.example/{i}", PAGE.replace("Ferry", f"Ferry {i}")) for i in range(12)]
    pages.append(("https://portnews.example/huge", PAGE.replace("</article>", "<p>" + "word " * 2000 + "</p></article>")))
    warc = write(tmp_path, "crawl.warc", warc_bytes(pages))  # ~20 KB file, 4 KB limit per article
    lines = [json.dumps({"id": f"j{i}", "title": f"Item {i}", "text": ARTICLE.replace("Forty", f"{40 + i}")}) for i in range(10)]
    lines.append(json.dumps({"id": "big", "text": "word " * 2000}))
    jsonl = write(tmp_path, "export.jsonl.gz", gzip.compress("\n".join(lines).encode()))
    result = run("add", str(warc), str(jsonl), env=env)
    assert result.exit_code == 1
    assert "13 added" not in result.stdout and "22 added" in result.stdout
    assert "crawl.warc#https://portnews.example/huge" in result.stderr and "over the 4000 byte limit" in result.stderr
    assert "export.jsonl.gz#line 11" in result.stderr


def test_truncated_jsonl_gz_keeps_the_complete_lines(tmp_path: Path, db: str) -> None:
    lines = [json.dumps({"id": f"j{i}", "title": f"Item {i}", "text": ARTICLE.replace("Forty", f"{40 + i}")}) for i in range(30)]
    data = gzip.compress("\n".join(lines).encode())
    path = write(tmp_path, "cut.jsonl.gz", data[: len(data) * 2 // 3])
    result = run("add", str(path), "--db", db)
    assert result.exit_code == 1 and "truncated gzip" in result.stderr
    added = int(result.stdout.split(" added")[0].split()[-1])
    assert 5 < added < 30


def test_statement_listing_says_negated_modal_and_unresolved() -> None:
    from rich.console import Console

    from crosswire.cli import render
    from crosswire.model import Statement, StatementClass, StatementKind
    from crosswire.storage.analysis import StoredStatement

    denies = Statement("st1", StatementKind.INDIRECT, ((10, 40),), "Russia", (0, 6), cue="denies", negated=True)
    unsure = Statement("st2", StatementKind.INDIRECT, ((50, 80),), None, (44, 48), cue="claim", modality="may",
                       class_=StatementClass.STANCE)
    rows = [StoredStatement("a" * 16, "t", "Outlet", "2024-05-17", "stated", denies, "that its forces committed war crimes"),
            StoredStatement("a" * 16, "t", "Outlet", "2024-05-17", "stated", unsure, "they may not intend to capture it")]
    console = Console(record=True, width=200)
    console.print(render.statements_table(rows))
    text = console.export_text()
    assert "negated" in text and "unresolved" in text and "may" in text and "stance" in text

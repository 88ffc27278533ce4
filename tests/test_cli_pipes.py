"""The CLI in a pipe: TSV/CSV that parse, tables that never wrap, usage errors that name the value, read verbs that
never create a store, empty results that say why, and settings that say where each value came from."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crosswire.cli.app import app
from crosswire.settings import resolve
from tests.test_cli import ARTICLE, PAGE

LONG_TITLE = "Harbour Board Approves Plan To Rebuild The Old Pier With Timber From The Northern Forests Before Winter"


def run(*args: str, env: dict[str, str] | None = None, input: bytes | None = None):
    return CliRunner().invoke(app, list(args), env=env, input=input, catch_exceptions=False)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("pipes")
    (root / "in").mkdir()
    (root / "in" / "keeper.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "in" / "ferry.html").write_text(PAGE, encoding="utf-8")
    (root / "in" / "pier.txt").write_text(ARTICLE.replace("Lighthouse Keeper Retires After Forty Years", LONG_TITLE), encoding="utf-8")
    db = str(root / "pipes.db")
    result = run("add", str(root / "in"), "--db", db)
    assert result.exit_code == 0, result.output
    return db


def tsv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))


def test_a_piped_listing_is_tsv_with_whole_ids(store: str) -> None:
    ids = {a["title"]: a["id"] for a in json.loads(run("articles", "--db", store, "--json").stdout)}
    rows = tsv(run("articles", "--db", store).stdout)  # CliRunner's stdout is not a terminal
    assert rows[0] == ["id", "published", "how", "outlet", "lang", "title", "copy_of"]
    assert all(len(r) == len(rows[0]) for r in rows)
    assert {r[5]: r[0] for r in rows[1:]} == ids  # whole ids: rows join back to the store
    assert {r[3] for r in rows[1:]} == {"Coast Gazette", "Port News"}


@pytest.mark.parametrize("verb", [["stories"], ["statements"], ["entities"], ["rejections"], ["settings"]])
def test_every_listing_parses_as_tsv_and_csv(store: str, verb: list[str]) -> None:
    args = [*verb, "--db", store] if verb != ["settings"] else verb
    as_tsv = tsv(run(*args, "--format", "tsv").stdout)
    as_csv = list(csv.reader(io.StringIO(run(*args, "--format", "csv").stdout)))
    assert as_tsv == as_csv  # the same cells, whichever separator
    assert len(as_tsv[0]) >= 4 and all(len(r) == len(as_tsv[0]) for r in as_tsv)


def test_statements_and_timeline_rows_carry_ids_and_spans(store: str) -> None:
    rows = tsv(run("statements", "--db", store, "-f", "tsv").stdout)
    head = rows[0]
    quist = [dict(zip(head, r, strict=True)) for r in rows[1:] if "Quist" in r[head.index("speaker")]]
    assert quist and all(len(q["article"]) == 16 and "-" in q["spans"] for q in quist)
    timeline = tsv(run("timeline", "Quist", "--db", store).stdout)
    assert timeline[0][0] == "published" and any("sea was my clock" in "\t".join(r) for r in timeline[1:])


def test_a_piped_table_never_wraps(store: str) -> None:
    table = run("articles", "--db", store, "--format", "table").stdout
    assert len(LONG_TITLE) > 80 and any(LONG_TITLE in line for line in table.splitlines())
    stories = run("stories", "--db", store, "-f", "table").stdout
    assert any(LONG_TITLE in line for line in stories.splitlines())


def test_story_members_as_tsv(store: str) -> None:
    story = json.loads(run("stories", "--db", store, "--json").stdout)[0]
    rows = tsv(run("story", story["id"], "--db", store, "-f", "tsv").stdout)
    assert rows[0] == ["published", "how", "outlet", "article", "title", "why_it_is_here"]
    assert len(rows) == 1 + len(story["articles"]) and rows[1][5] == "started the story"


@pytest.mark.parametrize("bad", ["garbage", "2024-13-01", "2024-02-30", "17.05.2024"])
def test_a_bad_date_is_a_usage_error_naming_it(store: str, bad: str) -> None:
    for flag in ("--since", "--until"):
        result = run("articles", "--db", store, flag, bad)
        assert result.exit_code == 2 and repr(bad) in result.output and "YYYY-MM-DD" in result.output


def test_a_bad_format_is_a_usage_error(store: str) -> None:
    result = run("articles", "--db", store, "--format", "xml")
    assert result.exit_code == 2 and "'xml'" in result.stderr
    assert run("compare", "nope", "--db", store, "--format", "tsv").exit_code == 2  # several sections: table or json


@pytest.mark.parametrize(("var", "value"), [("CROSSWIRE_WORKERS", "abc"), ("CROSSWIRE_WORKERS", "0"),
                                            ("CROSSWIRE_MAX_INPUT_BYTES", "16MB"), ("CROSSWIRE_ALLOW_PRIVATE", "maybe"),
                                            ("CROSSWIRE_FETCH_TIMEOUT_S", "nan")])
def test_a_bad_setting_is_a_usage_error_naming_it(store: str, var: str, value: str) -> None:
    for args in (["stories", "--db", store], ["add", "-", "--db", store], ["settings"]):
        result = run(*args, env={var: value}, input=b"")
        assert result.exit_code == 2, (args, result.output)
        assert var in result.stderr and repr(value) in result.stderr and "cannot open the store" not in result.stderr


READ_VERBS = [["articles"], ["stories"], ["story", "s123"], ["show", "abc"], ["statements"], ["entities"],
              ["timeline", "Quist"], ["rejections"], ["compare", "s123"], ["brief", "s123"], ["export"],
              ["story", "regroup"], ["story", "merge", "a", "b"]]


@pytest.mark.parametrize("verb", READ_VERBS, ids=lambda v: " ".join(v))
def test_a_verb_that_reads_never_creates_a_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, verb: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*verb, env={"CROSSWIRE_DB": ""})
    assert result.exit_code == 4, result.output
    assert "no store at" in result.stderr and "crosswire add" in result.stderr
    assert list(tmp_path.iterdir()) == []  # no ./crosswire.db left behind
    assert run(*verb, "--db", str(tmp_path / "x.db")).exit_code == 4 and not (tmp_path / "x.db").exists()


def test_empty_results_say_why(store: str) -> None:
    nobody = run("timeline", "Nobody", "--db", store)
    assert nobody.exit_code == 0 and tsv(nobody.stdout) == [["published", "how", "outlet", "content", "about",
                                                             "may_contradict", "article", "spans"]]
    assert "no statements by 'Nobody'" in nobody.stderr and "crosswire entities --search 'Nobody'" in nobody.stderr
    assert "no statements by 'Nobody'" in run("statements", "--speaker", "Nobody", "--db", store).stderr
    outlet = run("articles", "--outlet", "Nowhere Times", "--db", store).stderr
    assert "no article matches --outlet 'Nowhere Times'" in outlet
    assert "no entity matches --search 'zzz'" in run("entities", "--search", "zzz", "--db", store).stderr
    assert "no rejected inputs" in run("rejections", "--db", store).stderr


def test_flags_show_no_value_in_help() -> None:
    for verb in ("articles", "add", "rejections", "settings"):
        text = run(verb, "--help", env={"COLUMNS": "200"}).stdout
        assert "--json" in text and "<bool>" not in text


def settings_of(result) -> dict[str, dict[str, str]]:
    assert result.exit_code == 0, result.output
    return {s["name"]: s for s in json.loads(result.stdout)}


def test_settings_say_where_each_value_came_from(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "crosswire.toml").write_text('workers = 3\nbatch_size = 40\nallowed_hosts = ["news.lan"]\n', encoding="utf-8")
    shown = settings_of(run("settings", "--json", env={"CROSSWIRE_BATCH_SIZE": "50", "CROSSWIRE_API_TOKEN": "s3cret"}))
    assert shown["workers"]["value"] == "3" and shown["workers"]["source"] == "file crosswire.toml"
    assert shown["batch_size"]["value"] == "50" and shown["batch_size"]["source"] == "env CROSSWIRE_BATCH_SIZE"
    assert shown["max_input_bytes"]["source"] == "default" and shown["max_input_bytes"]["env"] == "CROSSWIRE_MAX_INPUT_BYTES"
    assert shown["api_token"]["value"] == "(set)" and "s3cret" not in json.dumps(shown)  # never printed
    assert "news.lan" in shown["allowed_hosts"]["value"] and "localhost" in shown["allowed_hosts"]["value"]
    other = tmp_path / "other.toml"
    other.write_text('[crosswire]\nfetch_timeout_s = 5\nallow_private = true\n', encoding="utf-8")
    shown = settings_of(run("--config", str(other), "settings", "-f", "json"))
    assert shown["fetch_timeout_s"]["value"] == "5.0" and shown["fetch_timeout_s"]["source"] == f"file {other}"
    assert shown["allow_private"]["value"] == "True" and shown["workers"]["source"] == "default"  # ./crosswire.toml not read
    table = run("settings", "-f", "table").stdout
    assert "config file: crosswire.toml" in table and "file crosswire.toml" in table


def test_a_flag_beats_the_environment_and_the_file(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(f'db_url = "{tmp_path / "file.db"}"\n', encoding="utf-8")
    r = resolve(env={"CROSSWIRE_DB": str(tmp_path / "env.db")}, config=config, db_url=str(tmp_path / "flag.db"))
    assert r.settings.db_url.endswith("flag.db") and r.sources["db_url"] == "flag"
    r = resolve(env={"CROSSWIRE_DB": str(tmp_path / "env.db")}, config=config)
    assert r.settings.db_url.endswith("env.db") and r.sources["db_url"] == "env CROSSWIRE_DB"
    assert resolve(env={}, config=config).sources["db_url"] == f"file {config}"


@pytest.mark.parametrize(("text", "named"), [("wokers = 2\n", "'wokers'"), ("workers = \"two\"\n", "'two'"),
                                             ("workers = [\n", "cannot be read"), ("allow_private = 3\n", "3")])
def test_a_bad_config_file_is_a_usage_error_naming_it(tmp_path: Path, text: str, named: str) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(text, encoding="utf-8")
    result = run("--config", str(config), "settings")
    assert result.exit_code == 2 and named in result.stderr and str(config) in " ".join(result.stderr.split())
    missing = run("--config", str(tmp_path / "none.toml"), "settings")
    assert missing.exit_code == 2 and "does not exist" in missing.stderr


def test_stdin_records_are_labelled_item_n_whatever_their_shape(tmp_path: Path) -> None:
    good = json.dumps({"title": "Pier reopens", "text": ARTICLE})
    jsonl = f"{good}\n\n{{not json\n".encode()
    listed = f'[{good}, "not an object"]'.encode()
    for data in (jsonl, listed):
        result = run("add", "-", "--db", str(tmp_path / "s.db"), input=data)
        assert result.exit_code == 1 and "-#item 2:" in result.stderr, result.stderr
        assert "#line" not in result.stderr

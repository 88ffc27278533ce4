"""The Parquet export: the JSON export's records as tables, read back with pyarrow and DuckDB; written atomically."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from crosswire.cli.app import app
from crosswire.export_parquet import table_names, write_parquet
from tests.web_support import demo_db


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The demo store exported twice by the CLI: as Parquet tables and as the JSON document."""
    db, _keys, _stories = demo_db()
    out = tmp_path_factory.mktemp("parquet")
    run = CliRunner()
    result = run.invoke(app, ["export", "--db", str(db), "--format", "parquet", "-o", str(out / "tables")])
    assert result.exit_code == 0, result.output
    assert run.invoke(app, ["export", "--db", str(db), "--format", "json", "-o", str(out / "all.json")]).exit_code == 0
    return out / "tables", json.loads((out / "all.json").read_text("utf-8"))


def test_every_table_is_written_and_counts_match_the_json_export(exported) -> None:  # noqa: ANN001
    tables, doc = exported
    assert sorted(p.name for p in tables.iterdir()) == sorted([f"{t}.parquet" for t in table_names()] + ["_export.json"])
    count = {t: pq.read_table(tables / f"{t}.parquet").num_rows for t in table_names()}
    assert count["articles"] == len(doc["articles"]) == 14
    assert count["statements"] == sum(len(a["statements"]) for a in doc["articles"]) > 0
    assert count["claims"] == sum(len(a["claims"]) for a in doc["articles"]) > 0
    assert count["mentions"] == sum(len(a["mentions"]) for a in doc["articles"])
    assert count["entities"] == len({e["key"] for a in doc["articles"] for e in a["entities"]})
    assert count["stories"] == len(doc["stories"]) and count["story_members"] == 14
    compared = [s["comparison"] for s in doc["stories"] if s["comparison"]]
    assert count["conflicts"] == sum(len(c["conflicts"]) for c in compared) > 0
    assert count["provenance"] == sum(len(c["provenance"]) for c in compared) > 0
    assert count["aligned_statements"] == sum(len(a["variants"]) for c in compared for a in c["statements"]) > 0
    meta = json.loads((tables / "_export.json").read_text("utf-8"))
    assert meta["schema"] == doc["schema"] and meta["schema_version"] == doc["schema_version"] and meta["tables"] == count


def test_pyarrow_reads_typed_columns_with_the_json_values(exported) -> None:  # noqa: ANN001
    tables, doc = exported
    articles = pq.read_table(tables / "articles.parquet")
    assert str(articles.schema.field("authors").type) == "list<element: string>"
    first = doc["articles"][0]
    row = articles.slice(0, 1).to_pylist()[0]
    assert (row["id"], row["published"], row["text"], row["story_id"]) == (
        first["id"], first["published"]["value"], first["text"], first["story_id"])
    statements = pq.read_table(tables / "statements.parquet").to_pylist()
    by_id = {s["id"]: s for a in doc["articles"] for s in a["statements"]}
    for s in statements:
        assert [[p["start"], p["end"]] for p in s["content_spans"]] == by_id[s["id"]]["content_spans"]


def test_duckdb_joins_the_tables_and_every_span_points_into_its_text(exported) -> None:  # noqa: ANN001
    tables, doc = exported
    con = duckdb.connect()
    t = {name: f"'{tables / name}.parquet'" for name in table_names()}
    wrong = con.execute(f"SELECT count(*) FROM {t['mentions']} m JOIN {t['articles']} a ON a.id = m.article_id "
                        "WHERE substr(a.text, m.start + 1, m.\"end\" - m.start) <> m.text").fetchone()[0]
    assert wrong == 0
    passages = con.execute(f"SELECT count(*), count(*) FILTER (WHERE substr(a.text, p.start + 1, p.\"end\" - p.start) = p.text) "
                           f"FROM {t['conflict_passages']} p JOIN {t['articles']} a ON a.id = p.article_id").fetchone()
    assert passages[0] > 0 and passages[0] == passages[1]
    # the depot-fire story's number conflict, by its story and its outlets
    rows = con.execute(f"SELECT c.kind, s.size FROM {t['conflicts']} c JOIN {t['stories']} s ON s.id = c.story_id "
                       "WHERE c.kind = 'number'").fetchall()
    assert rows and all(size >= 2 for _kind, size in rows)
    members = con.execute(f"SELECT count(DISTINCT article_id) FROM {t['story_members']} m "
                          f"JOIN {t['articles']} a ON a.id = m.article_id AND a.story_id = m.story_id").fetchone()[0]
    assert members == 14
    speakers = {r[0] for r in con.execute(f"SELECT speaker_entity FROM {t['statements']} WHERE speaker_entity IS NOT NULL").fetchall()}
    assert "person:dana kovel" in speakers


def _document(text: str) -> dict:
    article = {
        "id": "a1", "external_id": None, "origins": [{"kind": "file", "locator": "a.txt", "item": None}], "format": "text",
        "title": "T", "outlet": "O", "authors": [], "credited": [], "dateline": None,
        "published": {"value": None, "source": "unknown", "evidence": ""}, "updated": None, "seen": None, "url": None,
        "canonical_url": None, "language": "en", "encoding": "utf-8", "content_hash": "h", "duplicate_of": None,
        "signals": [], "text": text, "removed_lines": [], "flags": [], "analysis": {"analysed": False, "note": "n"},
        "entities": [], "mentions": [], "statements": [], "claims": [], "story_id": None,
    }  # fmt: skip
    return {"schema": "crosswire-export", "schema_version": "1.2", "generator": "test", "generated_at": "now",
            "articles": [article], "stories": []}


def test_a_failed_export_leaves_the_earlier_one_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out"
    assert write_parquet(_document("first"), target)["articles"] == 1
    assert write_parquet(_document("second"), target)["stories"] == 0  # replaced whole, empty tables keep their columns
    assert pq.read_table(target / "articles.parquet").column("text").to_pylist() == ["second"]
    assert pq.read_table(target / "conflicts.parquet").schema.names[:2] == ["story_id", "id"]

    def broken(table: object, where: object, **_kw: object) -> None:
        if str(where).endswith("claims.parquet"):
            raise OSError("disk full")
        real(table, where, **_kw)

    real = pq.write_table
    monkeypatch.setattr(pq, "write_table", broken)
    with pytest.raises(OSError, match="disk full"):
        write_parquet(_document("third"), target)
    assert pq.read_table(target / "articles.parquet").column("text").to_pylist() == ["second"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no partial directory left behind


def test_parquet_needs_a_directory(tmp_path: Path) -> None:
    db, _k, _s = demo_db()
    result = CliRunner().invoke(app, ["export", "--db", str(db), "--format", "parquet"])
    assert result.exit_code == 2 and "-o DIR" in result.output

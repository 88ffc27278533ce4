"""The docs describe what the code does: export fields, CLI verbs, the two README commands."""

from __future__ import annotations

import re

from crosswire.cli.app import app
from crosswire.export import CSV_COLUMNS, SCHEMA_VERSION, article_record
from crosswire.model import Article, InputFormat, Metadata, Origin
from tests.conftest import ROOT

SCHEMA_DOC = (ROOT / "docs" / "export-schema.md").read_text("utf-8")
README = (ROOT / "README.md").read_text("utf-8")


def test_every_export_field_is_documented() -> None:
    record = article_record(Article("0" * 16, Origin("file", "x"), InputFormat.TEXT, "t", Metadata()), [])
    assert set(record) == _documented("Article record")
    assert f"version {SCHEMA_VERSION}" in SCHEMA_DOC
    assert ", ".join(CSV_COLUMNS) in " ".join(SCHEMA_DOC.split())


def _documented(section: str) -> set[str]:
    body = SCHEMA_DOC.split(f"## {section}")[1].split("\n## ")[0]
    keys = set()
    for cell in re.findall(r"^\| ([^|]+) \|", body, flags=re.M):
        keys |= set(re.findall(r"`(\w+)`", cell))
    return keys


def test_statement_and_claim_fields_are_documented() -> None:
    from crosswire.export import claim_record, statement_record
    from crosswire.model import Claim, DateMention, Quantity, Statement, StatementKind

    st = Statement("st1", StatementKind.DIRECT, ((0, 1),), "A", (2, 3))
    cl = Claim("cl1", (0, 5), (Quantity((0, 1), "1", 1.0),), (DateMention((2, 3), "May 1", None),))
    assert set(statement_record(st, "abcdef")) == _documented("Statement record")
    assert set(claim_record(cl)) == _documented("Claim record")


def test_every_cli_verb_is_in_the_readme() -> None:
    verbs = {c.name or c.callback.__name__ for c in app.registered_commands} | {g.name for g in app.registered_groups}
    assert verbs == {"add", "articles", "show", "export", "demo", "clean", "rejections", "settings", "stories", "story",
                     "statements", "entities", "compare", "timeline", "serve", "brief", "watch", "alerts", "reanalyse"}
    for verb in verbs:
        assert f"`crosswire {verb}" in README, verb


def test_readme_commands_exist_in_the_makefile() -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    for target in ("demo", "test"):
        assert f"make {target}" in README and re.search(rf"^{target}:", makefile, flags=re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")

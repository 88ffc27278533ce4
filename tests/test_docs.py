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
    article_section = SCHEMA_DOC.split("## Article record")[1].split("## Story record")[0]
    documented = set(re.findall(r"^\| `(\w+)` \|", article_section, flags=re.M))
    assert set(record) == documented
    assert f"version {SCHEMA_VERSION}" in SCHEMA_DOC
    assert ", ".join(CSV_COLUMNS) in " ".join(SCHEMA_DOC.split())


def test_every_cli_verb_is_in_the_readme() -> None:
    verbs = {c.name or c.callback.__name__ for c in app.registered_commands} | {g.name for g in app.registered_groups}
    assert verbs == {"add", "articles", "show", "export", "demo", "clean", "rejections", "settings", "stories", "story", "serve"}
    for verb in verbs:
        assert f"`crosswire {verb}" in README, verb


def test_readme_commands_exist_in_the_makefile() -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    for target in ("demo", "test"):
        assert f"make {target}" in README and re.search(rf"^{target}:", makefile, flags=re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")

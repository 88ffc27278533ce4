"""Every read verb of the CLI runs on the seed store and prints real values (a smoke test per verb: the use-case
layer and the shell stay wired together)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from crosswire.app import stories
from crosswire.cli.app import app


def cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def db(seeded) -> str:  # noqa: ANN001
    store, _ = seeded
    return store.url


def test_compare_and_brief_of_the_biggest_seed_story(seeded, db: str) -> None:  # noqa: ANN001
    store, _ = seeded
    story = stories.list_stories(store)[0]
    record = json.loads(cli("compare", story.id, "--db", db, "--json"))
    assert record["story_id"] == story.id and len(record["statements"]) > 0
    assert story.id[:8] in cli("compare", story.id, "--db", db)
    assert "Putin" in cli("brief", story.id, "--db", db)


@pytest.mark.parametrize("verb", [["stories"], ["statements", "--speaker", "Putin"], ["entities", "--search", "Kharkiv"],
                                  ["timeline", "Putin"], ["articles"]])  # fmt: skip
def test_read_verbs_answer_as_json(db: str, verb: list[str]) -> None:
    data = json.loads(cli(*verb, "--db", db, "--json"))
    assert data, verb

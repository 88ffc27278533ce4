"""The demo's German original (A5) is analysed, and its statement aligns with the English translation's (A6)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crosswire.app import comparison, ingest, reading, stories
from crosswire.ingest.sources import expand_inputs
from crosswire.settings import Settings
from crosswire.storage.store import Store

EXPECTED = json.loads((reading.demo_corpus_path().parent / "EXPECTED.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, object, dict[str, str]]:
    db = tmp_path_factory.mktemp("lang") / "demo.db"
    settings = Settings(db_url=f"sqlite:///{db}", workers=1)
    store = Store(settings.db_url)
    ingest.add_inputs(expand_inputs([str(reading.demo_corpus_path())]), settings, store)
    key_of = {}
    for a in store.articles():
        name, item = Path(a.origin.locator).name, a.origin.item
        [case] = [c for c in EXPECTED["articles"] if c["file"] == name and (c["item"] is None or c["item"] == item)]
        key_of[a.id] = case["key"]
    story = stories.story_of(store)[next(i for i, k in key_of.items() if k == "A1")]
    return store, comparison.compare_story(store, story), key_of


def test_the_german_statement_aligns_with_its_english_translation(demo: tuple) -> None:
    _, comparison, key_of = demo
    water = [a for a in comparison.statements
             if {key_of[v.article_id] for v in a.variants} >= {"A5", "A6"}
             and any("Wasserversorgung" in v.text for v in a.variants)]
    assert water, [(a.speaker, [key_of[v.article_id] for v in a.variants]) for a in comparison.statements]
    [group] = water
    assert group.speaker_entity == "person:dana kovel"
    english = next(v for v in group.variants if key_of[v.article_id] == "A6")
    assert "water supply" in english.text


def test_the_german_article_is_analysed_with_speakers_resolved(demo: tuple) -> None:
    store, _, key_of = demo
    a5 = next(i for i, k in key_of.items() if k == "A5")
    stored = reading.statements(store, article=a5)
    speakers = {s.statement.speaker if hasattr(s, "statement") else s.speaker for s in stored}
    assert {"Tomas Reyk", "Dana Kovel", "Marek Holub"} <= speakers
    kovel = reading.statements(store, speaker="person:dana kovel")
    assert {key_of[s.article_id] for s in kovel} >= {"A1", "A5", "A6"}  # the German statement is on her timeline

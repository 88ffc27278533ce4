"""The demo's German original (A5) is analysed, and its statement aligns with the English translation's (A6)."""

from __future__ import annotations

import pytest

from crosswire.app import comparison, reading
from crosswire.storage.store import Store
from tests.web_support import copy_db, demo_db


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, object, dict[str, str]]:
    """The demo store the web tests build once per process (copied: comparing writes), its main story compared."""
    db, keys, story_of_key = demo_db()
    store = Store(f"sqlite:///{copy_db(db, tmp_path_factory.mktemp('lang'))}")
    key_of = {article_id: key for key, article_id in keys.items()}
    return store, comparison.compare_story(store, story_of_key["A1"]), key_of


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

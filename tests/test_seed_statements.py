"""Integration: who said what in the user's five seed articles, from the store after ``add``."""

from __future__ import annotations

import os

import pytest

from crosswire.app import reading
from crosswire.model import Analysis, Article, StatementClass, StatementKind
from crosswire.storage.store import Store
from tests.conftest import SEEDS

pytestmark = pytest.mark.skipif(not SEEDS.is_dir() and not os.environ.get("CI"), reason="../shared/data/seeds not present")


def _content(a: Article, s: object) -> str:
    return " … ".join(a.text[x:y] for x, y in s.content)  # type: ignore[attr-defined]


def test_003_quotes_are_putins(seeded: tuple[Store, dict]) -> None:
    a, an = seeded[1]["003"]
    direct = [s for s in an.statements if s.kind is StatementKind.DIRECT]
    assert len(direct) >= 3
    assert {s.speaker for s in direct} == {"Vladimir Putin"}
    he = [s for s in an.statements if s.speaker_span and a.text[slice(*s.speaker_span)] == "he"]
    assert he and all(s.speaker == "Vladimir Putin" for s in he)


def test_002_according_to_cavoli(seeded: tuple[Store, dict]) -> None:
    a, an = seeded[1]["002"]
    (s,) = [s for s in an.statements if s.cue == "According to"]
    assert s.speaker == "Christopher Cavoli" and s.speaker_role == "General"
    assert _content(a, s) == '"They don\'t have the necessary expertise and abilities."'


def test_000_press_conference_statement_has_venue_and_addressee(seeded: tuple[Store, dict]) -> None:
    a, an = seeded[1]["000"]
    (told,) = [s for s in an.statements if s.cue == "told"]
    assert told.speaker == "Vladimir Putin" and told.addressee == "reporters"
    assert told.venue is not None and told.venue.startswith("at a press conference in the Chinese city of Harbin")
    assert any("no such plans as of today" in _content(a, s) and s.speaker == "Vladimir Putin" for s in an.statements)


def test_004_five_named_speakers(seeded: tuple[Store, dict]) -> None:
    a, an = seeded[1]["004"]
    speakers = {s.speaker for s in an.statements}
    assert {"Vladimir Putin", "Ursula von der Leyen", "John Kirby", "Serhiy Gaidai", "Oleksiy Danilov"} <= speakers
    (leyen,) = [s for s in an.statements if s.speaker == "Ursula von der Leyen"]
    assert a.text[slice(*leyen.speaker_span)] == "she" and leyen.addressee == "him"
    kirby = [s for s in an.statements if s.speaker == "John Kirby"]
    assert {s.speaker_role for s in kirby} == {"White House spokesman"}


def test_claims_normalise_quantities_and_keep_their_source(seeded: tuple[Store, dict]) -> None:
    a, an = seeded[1]["004"]
    area = [q for c in an.claims for q in c.quantities if q.unit == "km2"]
    assert len(area) == 1 and area[0].value == 8000 and area[0].alternatives == ((3000.0, "mi2"),)
    a1, an1 = seeded[1]["001"]
    drones = [(c, q) for c in an1.claims for q in c.quantities if q.value == 51]
    assert drones and drones[0][1].unit == "drone" and "Defense Ministry" in (drones[0][0].source or "")


def test_entities_are_canonical_across_articles(seeded: tuple[Store, dict]) -> None:
    store = seeded[0]
    syrskyi = reading.entities(store, kind="person", search="sirsk") + reading.entities(store, kind="person", search="syrsk")
    keys = {r.entity.key for r in syrskyi}
    assert len(keys) == 1, keys
    assert {"Olexander Syrskyj", "Oleksandr Sirsky"} <= set(syrskyi[0].entity.variants)
    kyiv = {r.entity.key for r in reading.entities(store, search="ki") if {"Kyiv", "Kiev"} & set(r.entity.variants)}
    assert kyiv == {"place:kiv"}
    putin = reading.statements(store, speaker="person:vladimir putin")
    assert {s.article_id for s in putin} == {seeded[1][k][0].id for k in ("000", "001", "002", "003", "004")}


# -- issue #13: the errors a new user saw on the seeds -------------------------------------------------


def _find(an: Analysis, a: Article, words: str) -> list:
    return [s for s in an.statements if words in _content(a, s)]


def test_002_zelenskys_quote_is_not_putins(seeded: tuple[Store, dict]) -> None:
    a, an = seeded[1]["002"]
    (s,) = _find(an, a, "generally manageable")
    assert s.speaker_entity != "person:vladimir putin" and s.speaker is not None and "Zelensky" in s.speaker


def test_002_neither_nor_belief_is_a_negated_stance(seeded: tuple[Store, dict]) -> None:
    a, an = seeded[1]["002"]
    found = _find(an, a, "Russia has the capacity")
    assert all(s.negated and s.class_ is not StatementClass.SPEECH for s in found)


def test_004_yet_to_comment_and_did_not_mention_are_no_comment(seeded: tuple[Store, dict]) -> None:
    a, an = seeded[1]["004"]
    (yet,) = _find(an, a, "the setback his forces suffered")
    assert yet.class_ is StatementClass.NO_COMMENT
    xi = [s for s in an.statements if s.cue and "did not mention" in s.cue]
    assert xi and all(s.class_ is StatementClass.NO_COMMENT for s in xi)


def test_004_gaidais_statement_is_whole(seeded: tuple[Store, dict]) -> None:
    a, an = seeded[1]["004"]
    (s,) = _find(an, a, "will remain a fierce battle")
    assert _content(a, s).startswith("wresting control of his region") and s.speaker == "Serhiy Gaidai"


def test_000_the_russian_leader_is_putin(seeded: tuple[Store, dict]) -> None:
    a, an = seeded[1]["000"]
    (s,) = _find(an, a, "discussed the war in Ukraine")
    assert s.speaker_entity == "person:vladimir putin"


def test_no_speaker_is_a_thing(seeded: tuple[Store, dict]) -> None:
    for a, an in seeded[1].values():
        speakers = {(s.speaker or "").lower() for s in an.statements}
        assert not speakers & {"deadly artillery", "the situation", "their objectives", "kharkiv"}, a.origin.locator


def test_putins_speech_in_the_store_is_only_his(seeded: tuple[Store, dict]) -> None:
    rows = reading.statements(seeded[0], speaker="person:vladimir putin")
    assert rows and all(r.statement.class_ is StatementClass.SPEECH for r in rows)
    assert not [r for r in rows if "generally manageable" in r.text or "has the capacity" in r.text]
    every = reading.statements(seeded[0], speaker="person:vladimir putin", classes=None)
    assert len(every) > len(rows)  # stances ("criticized Ukraine") and no-comments are there when asked for


def test_004_kirilenkos_statement_is_found(seeded: tuple[Store, dict]) -> None:
    a, an = seeded[1]["004"]
    kirilenko = [s for s in an.statements if s.speaker == "Pavlo Kirilenko"]
    assert kirilenko and "rescue operation was underway" in _content(a, kirilenko[0])


def test_003_ready_for_talks_is_not_negated_by_the_rejection_before_it(seeded: tuple[Store, dict]) -> None:
    """'Putin rejected the idea of negotiations …, but later said he was ready for talks': the saying is not rejected."""
    a, an = seeded[1]["003"]
    [ready] = [s for s in an.statements if _content(a, s) == "he was ready for talks with Ukraine"]
    assert ready.speaker == "Vladimir Putin" and not ready.negated

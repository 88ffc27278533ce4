"""Integration: entities, dates and claim credit in the user's five seed articles, from the store after ``add``."""

from __future__ import annotations

import os

import pytest

from crosswire.app import reading
from crosswire.model import Entity
from crosswire.nlp.names import is_honorific
from crosswire.storage.store import Store
from tests.conftest import SEEDS

pytestmark = pytest.mark.skipif(not SEEDS.is_dir() and not os.environ.get("CI"), reason="../shared/data/seeds not present")


def _named(store: Store, name: str) -> list[Entity]:
    return [r.entity for r in reading.entities(store) if name in r.entity.variants]


def test_003_004_xi_is_one_person(seeded: tuple[Store, dict]) -> None:
    store, arts = seeded
    (xi,) = _named(store, "Xi")
    assert xi.kind == "person" and xi.name == "Xi Jinping" and _named(store, "Xi Jinping") == [xi]
    _, an = arts["004"]
    assert {m.entity for m in an.mentions if m.text in ("Xi", "Xi Jinping")} == {xi.key}


@pytest.mark.parametrize("name", ["Gaidai", "Oleksiy Danilov", "Vyacheslav Gladkov", "Oleksandr Sirsky"])
def test_named_officials_are_people(seeded: tuple[Store, dict], name: str) -> None:
    (e,) = _named(seeded[0], name)
    assert e.kind == "person", e


def test_gaidai_is_serhiy_gaidai(seeded: tuple[Store, dict]) -> None:
    (e,) = _named(seeded[0], "Gaidai")
    assert e.name == "Serhiy Gaidai"


@pytest.mark.parametrize("name", ["Belgorod", "Crimea", "Sumy", "Kurakhov", "Tuapse", "Kyiv", "Kharkiv", "Svatov",
                                  "Troitsky", "Pokrovsk", "Donbas"])
def test_towns_regions_and_cities_are_places(seeded: tuple[Store, dict], name: str) -> None:
    found = _named(seeded[0], name)
    assert found and {e.kind for e in found} == {"place"}, found


def test_no_form_of_address_is_kept_as_a_role(seeded: tuple[Store, dict]) -> None:
    for r in reading.entities(seeded[0]):
        assert not any(is_honorific(d) for d in r.entity.descriptions), r.entity
    for _, an in seeded[1].values():
        assert not any(s.speaker_role and is_honorific(s.speaker_role) for s in an.statements)


def test_003_narrator_figure_is_not_putins(seeded: tuple[Store, dict]) -> None:
    a, an = seeded[1]["003"]
    (claim,) = [c for c in an.claims if any(q.unit == "percent" and q.value == 18 for q in c.quantities)]
    assert claim.source is None and claim.statement is None
    years = {d.text: d.value for c in an.claims for d in c.dates if d.text == "2022"}
    assert years == {"2022": "2022"}  # "a full-scale war set to begin in 2022"


def test_003_day_of_a_date_is_no_quantity(seeded: tuple[Store, dict]) -> None:
    a, an = seeded[1]["003"]
    (claim,) = [c for c in an.claims if any(d.text == "August 6" for d in c.dates)]
    assert not claim.quantities
    assert [d.value for d in claim.dates] == [None]  # the article is undated: no year to give it


def test_000_said_friday_in_a_friday_article_is_that_day(seeded: tuple[Store, dict]) -> None:
    a, an = seeded[1]["000"]
    assert a.meta.published.value == "2024-05-17"
    fridays = [d for c in an.claims for d in c.dates if d.text.lower().endswith("friday")]
    assert fridays and {d.value for d in fridays} == {"2024-05-17"}


def test_credited_claims_hold_their_figure_inside_the_statement(seeded: tuple[Store, dict]) -> None:
    for _, an in seeded[1].values():
        by_id = {s.id: s for s in an.statements}
        for c in an.claims:
            if c.statement is None:
                continue
            spans = [q.span for q in c.quantities] + [d.span for d in c.dates]
            content = by_id[c.statement].content
            assert any(a <= s and e <= b for s, e in spans for a, b in content), c

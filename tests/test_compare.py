"""Comparison: each conflict kind and each provenance relation on texts written for these tests; no
conflict for unit conversions and rounding; the demo corpus and seed expectations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crosswire.app import comparison, ingest, reading, stories
from crosswire.compare import Doc, compare_story
from crosswire.compare.conflicts import disagreements
from crosswire.compare.provenance import trace
from crosswire.ingest.sources import expand_inputs
from crosswire.model import Analysis, Mention
from crosswire.settings import Settings
from crosswire.storage.store import Store

BASE = (
    "A fire broke out at the Harlow grain terminal on Tuesday night, the port authority said.\n\n"
    "At least 12 firefighters were injured while fighting the blaze, which destroyed two silos.\n\n"
    "The terminal covers 8,000 square kilometers of reclaimed land and employs 1,503 people.\n\n"
    "Investigators were not able to say what caused the fire, chief inspector Lena Moor said.\n\n"
    "The mayor said the terminal would reopen on 5 March as of today."
)


def doc(text: str, id_: str, published: str = "2024-03-01", **kw: object) -> Doc:
    return Doc(id_, text, published=published, **kw)  # type: ignore[arg-type]


def kinds(a: str, b: str, **kw: object) -> list[tuple[str, str, str]]:
    return [(d.kind, d.value_a, d.value_b) for d in disagreements(doc(a, "a"), doc(b, "b"), **kw)]  # type: ignore[arg-type]


def test_untouched_copy_and_reordered_rewrite_have_no_conflicts() -> None:
    assert kinds(BASE, BASE) == []
    paragraphs = BASE.split("\n\n")
    reordered = "\n\n".join([paragraphs[1], paragraphs[0], *paragraphs[2:]]).replace("fighting", "battling")
    assert kinds(BASE, reordered) == []


def test_changed_number_is_a_strong_conflict() -> None:
    assert ("number", "At least 12", "At least 21") in kinds(BASE, BASE.replace("At least 12", "At least 21"))
    (d,) = disagreements(doc(BASE, "a"), doc(BASE.replace("1,503 people", "2,400 people"), "b"))
    assert (d.kind, d.severity, d.value_a, d.value_b) == ("number", "strong", "1,503", "2,400")


@pytest.mark.parametrize(
    "changed",
    [
        BASE.replace("8,000 square kilometers", "3,100 square miles"),  # unit conversion
        BASE.replace("1,503 people", "about 1,500 people"),  # rounding
    ],
)
def test_unit_conversion_and_rounding_are_not_conflicts(changed: str) -> None:
    assert kinds(BASE, changed) == []


def test_over_versus_under_the_same_figure_is_a_weak_number_conflict() -> None:
    a = "Officials said over 200 homes were damaged by the storm in the valley overnight."
    b = "Officials said under 200 homes were damaged by the storm in the valley overnight."
    found = disagreements(doc(a, "a"), doc(b, "b"))
    assert [(d.kind, d.severity) for d in found] == [("number", "weak")]


def test_dates_weekday_and_day_month() -> None:
    assert ("date", "Tuesday", "Wednesday") in kinds(BASE, BASE.replace("Tuesday", "Wednesday"))
    assert ("date", "5 March", "7 March") in kinds(BASE, BASE.replace("5 March", "7 March"))


def test_dropped_qualifiers() -> None:
    found = kinds(BASE, BASE.replace(" as of today", ""))
    assert [k for k, _, _ in found] == ["qualifier"]
    assert [k for k, _, _ in kinds(BASE, BASE.replace("At least 12", "12"))] == ["qualifier"]


def test_negation() -> None:
    found = kinds(BASE, BASE.replace("were not able", "were able"))
    assert [k for k, _, _ in found] == ["negation"]


def test_speaker_swapped_in_an_attribution() -> None:
    found = kinds(BASE, BASE.replace("chief inspector Lena Moor said", "chief inspector Piet Sanders said"))
    assert ("speaker", "Lena Moor", "Piet Sanders") in found


def test_place_swapped_uses_the_analysis_mentions() -> None:
    a_text = "The storm flooded hundreds of homes in Veltrana on Monday, the regional government said."
    b_text = a_text.replace("Veltrana", "Kestria")
    at = a_text.index("Veltrana")
    a = doc(a_text, "a", analysis=Analysis("a", "en", True, mentions=(Mention((at, at + 8), "Veltrana", "place", "place:veltrana"),)))
    b = doc(b_text, "b", analysis=Analysis("b", "en", True, mentions=(Mention((at, at + 7), "Kestria", "place", "place:kestria"),)))
    found = disagreements(a, b)
    assert [(d.kind, d.value_a, d.value_b) for d in found] == [("place", "Veltrana", "Kestria")]


def test_escalated_event_wording() -> None:
    a = "A fire at the refinery near the harbour forced the evacuation of 300 residents overnight."
    b = "An explosion at the refinery near the harbour forced the evacuation of 300 residents overnight."
    found = disagreements(doc(a, "a"), doc(b, "b"))
    assert [(d.kind, d.value_a, d.value_b) for d in found] == [("escalation", "fire", "explosion")]


def test_provenance_relations_and_direction() -> None:
    original = doc(BASE, "orig", "2024-03-01T08:00", outlet="Wire", credited=("Wire",))
    copy = doc("Advertisement\n\n" + BASE, "copy", "2024-03-01T12:00", outlet="Daily", credited=("Wire",))
    rewrite_text = BASE.replace("broke out", "started").replace("fighting", "battling").replace("employs", "has")
    rewrite = doc(rewrite_text + "\n\nLocal shops stayed closed on Wednesday.", "rewrite", "2024-03-01T10:00", outlet="Courier")
    other = doc("Grain prices rose sharply in Asian markets on Wednesday as traders priced in supply worries.", "other",
                "2024-03-01T09:00", outlet="Markets")
    edges = {(e.source, e.target): e for e in trace([copy, other, rewrite, original])}
    assert edges[("orig", "copy")].relation == "copy"
    assert edges[("orig", "rewrite")].relation == "rewrite"
    assert [p.text for p in edges[("orig", "rewrite")].added] == ["Local shops stayed closed on Wednesday."]
    assert not any("other" in pair for pair in edges)
    comparison = compare_story("s", [copy, other, rewrite, original])
    assert set(comparison.originals) == {"orig", "other"}
    status = {s.article_id: s.status for s in comparison.sources}  # no quotes, dateline or credit: no evidence
    assert status == {"orig": "possibly-common-source", "other": "possibly-common-source", "copy": "derived",
                      "rewrite": "derived"} and comparison.independent_sources == 0


def test_shared_agency_copy_is_shared_source_not_a_copy_of_each_other() -> None:
    a = doc(BASE, "a", "2024-03-01T10:00", outlet="Daily", credited=("Reuters",))
    b = doc(BASE.replace("broke out", "started"), "b", "2024-03-01T11:00", outlet="Courier", credited=("Reuters",))
    (edge,) = trace([a, b])
    assert (edge.relation, edge.reason) == ("shared-source", "both credit Reuters")
    assert compare_story("s", [a, b]).independent_sources == 1


def test_a_credited_web_address_sets_the_direction() -> None:
    original = doc(BASE, "de", None, outlet="Der Kontinentbote")
    derived = doc(BASE, "en", None, outlet="worldwidereport.example", credited=("Source: www.kontinentbote.example",))
    (edge,) = trace([derived, original])
    assert (edge.source, edge.target) == ("de", "en")


def test_translation_is_found_across_languages() -> None:
    de = doc("Ein Feuer im Hafen von Harlow hat am Dienstag zwei Getreidesilos zerstört.\n\n"
             "Zwölf Feuerwehrleute wurden verletzt, sagte die Hafenbehörde.", "de", "2024-03-01T08:00", language="de", outlet="Bote")
    en = doc("A fire in the port of Harlow destroyed two grain silos on Tuesday.\n\n"
             "Twelve firefighters were injured, the port authority said.", "en", "2024-03-01T12:00", language="en", outlet="World")
    (edge,) = trace([en, de])
    assert (edge.source, edge.target, edge.relation) == ("de", "en", "translation")


# -- the demo corpus and the seeds ---------------------------------------------------------------

EXPECTED = json.loads((reading.demo_corpus_path().parent / "EXPECTED.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def demo_comparison(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, dict[str, str]]:
    db = tmp_path_factory.mktemp("cmp") / "demo.db"
    settings = Settings(db_url=f"sqlite:///{db}", workers=1)
    store = Store(settings.db_url)
    ingest.add_inputs(expand_inputs([str(reading.demo_corpus_path())]), settings, store)
    key_of = {}
    for a in store.articles():
        name, item = Path(a.origin.locator).name, a.origin.item
        [case] = [c for c in EXPECTED["articles"] if c["file"] == name and (c["item"] is None or c["item"] == item)]
        key_of[a.id] = case["key"]
    story = stories.story_of(store)[next(i for i, k in key_of.items() if k == "A1")]
    return comparison.compare_story(store, story), key_of


def test_demo_provenance_matches_the_ground_truth(demo_comparison: tuple) -> None:
    comparison, key_of = demo_comparison
    found = {(key_of[e.source], key_of[e.target]) for e in comparison.provenance}
    expected = {(p["from"], p["to"]) for p in EXPECTED["provenance"]}
    assert expected <= found
    kinds_ = {(key_of[e.source], key_of[e.target]): e.relation for e in comparison.provenance}
    assert kinds_[("A1", "A2")] == "copy" and kinds_[("A5", "A6")] == "translation"
    originals = {key_of[o] for o in comparison.originals}
    assert "A1" in originals and "A2" not in originals  # the syndicated copy is not an independent source


def test_demo_content_farm_number_and_qualifier_are_flagged(demo_comparison: tuple) -> None:
    comparison, key_of = demo_comparison
    numbers = [c for c in comparison.conflicts if c.kind == "number"]
    sides = [{s.value: {key_of[p.article_id] for p in s.passages} for s in c.sides} for c in numbers]
    assert any(s.get("14", set()) >= {"A1"} and s.get("41") == {"A4"} for s in sides), sides
    ff = next(c for c in numbers if {s.value for s in c.sides} == {"14", "41"})
    assert ff.conservative == "14" and ff.severity == "strong"
    qualifiers = [c for c in comparison.conflicts if c.kind == "qualifier" and "as of today" in c.detail]
    assert any("A4" in {key_of[p.article_id] for s in c.sides for p in s.passages} for c in qualifiers)
    kovel = [a for a in comparison.statements if a.speaker == "Dana Kovel" and len(a.variants) >= 5]
    a4 = [v for a in kovel for v in a.variants if key_of[v.article_id] == "A4" and "water supply" in v.text]
    assert a4 and "drops the time restriction 'as of today'" in a4[0].differences
    [shift] = [x for x in a4[0].shifts if x.kind == "qualifier"]
    assert shift.source.text == "as of today" and "water supply" in shift.target.text


def test_demo_conflicts_name_the_counted_thing_and_sides_are_values_with_passages(demo_comparison: tuple) -> None:
    comparison, key_of = demo_comparison
    ff = next(c for c in comparison.conflicts if c.kind == "number" and {s.value for s in c.sides} == {"14", "41"})
    assert ff.label == "firefighters injured"
    assert ff.detail.startswith("firefighters injured: 14 (") and "41 (newsflashhub.example)" in ff.detail
    for c in comparison.conflicts:
        for side in c.sides:
            assert side.value not in ("supply", "Kovel") and '"' not in side.value  # a value, never a stray word
            assert len(side.contexts) == len(side.passages)
            for p, ctx in zip(side.passages, side.contexts, strict=True):
                assert ctx.span[0] <= p.span[0] and p.span[1] <= ctx.span[1] and len(ctx.text.split()) >= 5
                assert p.text.lower() == side.value.lower() or side.value.startswith(("no ", "stated", "an exact"))
    qualifier = next(c for c in comparison.conflicts if c.kind == "qualifier")
    assert {s.value for s in qualifier.sides} == {"as of today", "no time restriction"}

"""The comparison benchmark (bench/compare): generator transformations, determinism, scorer, baseline, runner."""

from __future__ import annotations

import random
import sys
from itertools import combinations
from pathlib import Path

import pytest

from bench.compare import baselines
from bench.compare.changes import CONFLICT_KINDS, Pools, convert_unit, drop_qualifier, flip_negation, round_number
from bench.compare.corpus import SourceArticle, split_sentences
from bench.compare.generate import generate_from
from bench.compare.run import load_predictor
from bench.compare.score import score
from bench.compare.slots import encode, find_slots, render
from bench.compare.story import build_story

# A fictional article written for these tests (no publisher's text).
ARTICLE = SourceArticle("test", "flood-1", "test:flood", "Flood forces hundreds from Aldmoor", (
    ("Heavy rain flooded the river town of Aldmoor on Tuesday, and at least 1,503 people left their homes, officials said.",
     "The water covered 8,000 km² of farmland near the town."),
    ('"We have no plans to evacuate the old quarter," said Maria Lindqvist, the mayor of Aldmoor.',
     "Rescue teams from Vienna reportedly arrived on March 5 with 14 boats."),
    ("The main bridge was closed for 12 hours.", "Engineers said the dam did not fail during the night."),
    ("Schools will reopen next week, Tomas Berg said.", "The regional government has promised 237 new pumps."),
))  # fmt: skip
NEIGHBOURS = [
    SourceArticle("test", "flood-2", "test:flood", "Aldmoor under water", (
        ("Farmers near Aldmoor counted their losses on Wednesday as the river slowly fell back.",
         "Many fields will stay flooded for weeks, one grower said.", "Insurers expect claims to rise sharply."),)),
    SourceArticle("test", "flood-3", "test:flood", "Mayor visits shelters", (
        ("The mayor toured two shelters in the school gymnasium and thanked the volunteers there.",
         "Volunteers served hot meals to families through the evening.", "More rain is forecast for Friday."),)),
]  # fmt: skip
POOLS = Pools(places=("Lisbon", "Oslo", "Vienna"), speakers=("Ana Costa", "Maria Lindqvist", "Tomas Berg"))


@pytest.fixture(scope="module")
def story() -> dict:
    return build_story("s000", ARTICLE, NEIGHBOURS, random.Random(1), POOLS)


def test_slots_find_each_kind_of_fact() -> None:
    found = {("Heavy rain flooded Aldmoor on Tuesday, and at least 1,503 people left, officials said.")[a:b]: k
             for a, b, k in find_slots("Heavy rain flooded Aldmoor on Tuesday, and at least 1,503 people left, officials said.")}  # fmt: skip
    assert found == {"Tuesday": "date", "at least 1,503": "qualifier"}
    kinds = {k for a, b, k in find_slots('"We have no plans," said Maria Lindqvist in Vienna, where 14 boats were seen.')}
    assert kinds == {"negation", "speaker", "place", "number"}


def test_templates_render_back_with_spans() -> None:
    sentence = "Rescue teams from Vienna reportedly arrived on March 5 with 14 boats."
    template, slots = encode(sentence, 7)
    text, spans = render(template, {s.id: s.text for s in slots})
    assert text == sentence
    assert all(text[slice(*spans[s.id])] == s.text for s in slots)


def test_change_rules() -> None:
    assert round_number("1,503") == "about 1,500"
    assert round_number("1,500") is None  # already round: no control
    assert convert_unit("8,000 km²") == "3,100 square miles"
    assert drop_qualifier("at least 1,503") == "1,503"
    assert drop_qualifier("an alleged gunman") == "a gunman"
    assert drop_qualifier("plans as of today") == "plans"
    assert (flip_negation("has no"), flip_negation("did not"), flip_negation("was"), flip_negation("didn't")) == ("has", "did", "was not", "did")


def test_sentence_split_keeps_abbreviations_and_quotations() -> None:
    assert split_sentences('Mr. Berg left. "It rose fast. Then it fell," he said. It ended.') == (
        "Mr. Berg left.", '"It rose fast. Then it fell," he said.', "It ended.")  # fmt: skip


def test_every_kind_is_injected_with_exact_spans(story: dict) -> None:
    texts = {d["id"]: d["text"] for d in story["documents"]}
    changes = {d["change"]["kind"]: d["change"] for d in story["documents"] if d["change"]}
    assert set(changes) == set(CONFLICT_KINDS) | {"rounding", "unit"}
    for row in story["conflicts"] + story["non_conflicts"]:
        assert texts[row["doc_a"]][slice(*row["span_a"])] == row["value_a"]
        assert texts[row["doc_b"]][slice(*row["span_b"])] == row["value_b"] == changes[row["kind"]]["value"]
        assert row["value_a"] != row["value_b"]
    assert {c["kind"] for c in story["conflicts"]} == set(CONFLICT_KINDS)
    assert changes["unit"]["value"] == "3,100 square miles" and changes["rounding"] == {**changes["rounding"], "original": "237", "value": "about 240"}


def test_untouched_pairs_and_edges_are_consistent(story: dict) -> None:
    docs = {d["id"]: d for d in story["documents"]}
    conflict_pairs = {frozenset((c["doc_a"], c["doc_b"])) for c in story["conflicts"]}
    assert story["untouched_pairs"] and not conflict_pairs & {frozenset(p) for p in story["untouched_pairs"]}
    for a, b in story["untouched_pairs"]:
        assert not docs[a]["carries"] and not docs[b]["carries"]
    for e in story["provenance"]:
        if e["relation"] != "shared-source":
            assert docs[e["source"]]["published"] < docs[e["target"]]["published"]
    assert {e["relation"] for e in story["provenance"]} == {"copy", "rewrite", "translation", "shared-source"}
    assert [d["role"] for d in story["documents"]].count("independent") == 1


def test_recopy_spreads_its_source_change_and_roundup_has_two_sources(story: dict) -> None:
    docs = {d["id"]: d for d in story["documents"]}
    recopy = next(d for d in story["documents"] if d["role"] == "recopy")
    source = next(e["source"] for e in story["provenance"] if e["target"] == recopy["id"])
    assert docs[source]["role"] == "changed" and recopy["carries"] == docs[source]["carries"]
    pairs = {frozenset((c["doc_a"], c["doc_b"])) for c in story["conflicts"]}
    original = next(d["id"] for d in story["documents"] if d["role"] == "original")
    assert frozenset((recopy["id"], source)) not in pairs and frozenset((recopy["id"], original)) in pairs
    roundup = next(d["id"] for d in story["documents"] if d["role"] == "roundup")
    assert sorted(docs[e["source"]]["role"] for e in story["provenance"] if e["target"] == roundup) == ["independent", "rewrite"]


def test_generation_is_deterministic(tmp_path: Path) -> None:
    articles = [ARTICLE, *NEIGHBOURS]
    generate_from(articles, 5, 1, tmp_path / "a")
    generate_from(articles, 5, 1, tmp_path / "b")
    generate_from(articles, 6, 1, tmp_path / "c")
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert len(files) > 10
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    assert (tmp_path / "a" / "manifest.json").read_bytes() != (tmp_path / "c" / "manifest.json").read_bytes()


# --- scorer on a hand-made manifest -------------------------------------------------------------------------------
def _manifest() -> dict:
    docs = [{"id": i, "role": r} for i, r in (("d0", "original"), ("d1", "changed"), ("d2", "verbatim"), ("d3", "independent"))]
    return {"conflict_kinds": list(CONFLICT_KINDS), "stories": [{
        "id": "s0", "documents": docs,
        "conflicts": [{"kind": "number", "doc_a": "d0", "span_a": [10, 15], "doc_b": "d1", "span_b": [12, 17]},
                      {"kind": "number", "doc_a": "d2", "span_a": [30, 35], "doc_b": "d1", "span_b": [12, 17]}],
        "non_conflicts": [], "untouched_pairs": [["d0", "d2"]],
        "provenance": [{"source": "d0", "target": "d1", "relation": "rewrite"}, {"source": "d0", "target": "d2", "relation": "copy"}]}]}  # fmt: skip


def _pred(conflicts: list[dict], provenance: list[dict] | None = None) -> list[dict]:
    return [{"story": "s0", "conflicts": conflicts, "provenance": provenance if provenance is not None else _manifest()["stories"][0]["provenance"]}]


def test_score_perfect_predictions() -> None:
    gold = _manifest()["stories"][0]["conflicts"]
    result = score(_manifest(), _pred([{k: c[k] for k in ("kind", "doc_a", "span_a", "doc_b", "span_b")} for c in gold]))
    assert result["conflicts"]["number"]["f1"] == result["conflicts"]["all"]["f1"] == 1.0
    assert result["provenance"]["directed"]["f1"] == result["provenance"]["relation_accuracy"] == 1.0


def test_score_tolerates_one_sided_overlap_and_swapped_order() -> None:
    pred = {"kind": "number", "doc_a": "d1", "span_a": [0, 13], "doc_b": "d0", "span_b": [90, 99]}
    result = score(_manifest(), _pred([pred]))
    assert result["conflicts"]["number"]["tp"] == 1 and result["conflicts"]["number"]["fn"] == 1


def test_score_wrong_kind_is_a_miss_and_a_false_alarm() -> None:
    result = score(_manifest(), _pred([{"kind": "date", "doc_a": "d0", "span_a": [10, 15], "doc_b": "d1", "span_b": [12, 17]}]))
    assert result["conflicts"]["number"]["recall"] == 0.0 and result["conflicts"]["date"]["fp"] == 1


def test_score_counts_conflicts_on_untouched_pairs_and_ignores_independent_articles() -> None:
    preds = [{"kind": "number", "doc_a": "d0", "span_a": [1, 2], "doc_b": "d2", "span_b": [1, 2]},
             {"kind": "place", "doc_a": "d0", "span_a": [1, 2], "doc_b": "d3", "span_b": [1, 2]}]  # fmt: skip
    result = score(_manifest(), _pred(preds))
    assert result["false_conflicts"]["false_untouched"] == 1 and result["untouched_pairs_with_conflict"] == 1
    assert result["other"]["unscored"] == 1 and result["conflicts"]["place"]["fp"] == 0


def test_score_provenance_direction() -> None:
    reversed_edges = [{"source": "d1", "target": "d0", "relation": "rewrite"}, {"source": "d0", "target": "d2", "relation": "rewrite"}]
    prov = score(_manifest(), _pred([], reversed_edges))["provenance"]
    assert prov["directed"]["tp"] == 1 and prov["undirected"]["tp"] == 2 and prov["relation_accuracy"] == 0.5


def test_baseline_end_to_end(story: dict) -> None:
    documents = [{k: d[k] for k in ("id", "text", "title", "outlet", "published", "credit")} for d in story["documents"]]
    manifest = {"conflict_kinds": list(CONFLICT_KINDS), "stories": [story]}
    result = score(manifest, [{**baselines.predict(documents), "story": story["id"]}])
    assert result["provenance"]["undirected"]["recall"] > 0.5
    assert result["conflicts"]["all"]["tp"] > 0
    assert len(list(combinations(documents, 2))) >= result["untouched_pairs"]


def test_runner_says_what_to_do_without_crosswire_compare(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "crosswire.compare", None)  # import fails as if the module did not exist
    with pytest.raises(SystemExit, match="--predictor baseline"):
        load_predictor("crosswire")

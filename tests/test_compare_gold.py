"""The real-article comparison gold (bench/data/compare_gold) and its scorer (bench/compare/real.py).

Fast: no spaCy, no comparison run. The gold files must parse and point at real articles and spans of
../shared/data (skipped when the shared data is absent); the scorer's matching is checked on a tiny
hand-made example (fictional text written for this test).
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from bench.compare import real
from bench.compare.real import Item, Predicted, aggregate, clean, read_comparison, score_story

GOLD = sorted(real.GOLD_DIR.glob("*.json"))


def _words(text: str) -> list[str]:
    return text.replace("\\n", " ").replace("…", " ").split()


@pytest.fixture(scope="module")
def articles() -> dict[str, dict]:
    found = real.load_articles()
    if not found:
        pytest.skip(f"shared data not found under {real.DATA_DIR}")
    return found


def test_gold_parses_and_has_enough_stories() -> None:
    stories = [json.loads(p.read_text("utf-8")) for p in GOLD]
    assert len(stories) >= 12
    assert {s["dataset"] for s in stories} == {"newswcl50", "ecbplus"}
    for s, path in zip(stories, GOLD, strict=True):
        assert s["story"] == path.stem
        assert len(s["articles"]) >= 3 and len(set(s["articles"])) == len(s["articles"])
        assert set(s["independent"]) == set(s["articles"]), s["story"]
        assert all(isinstance(v["independent"], bool) and v["why"] for v in s["independent"].values())
        assert isinstance(s["conflicts"], list) and isinstance(s["aligned"], list)
        for g in s["aligned"]:
            assert g["speaker"]
            arts = [m["article"] for m in g["members"]]
            assert len(arts) >= 2 and len(set(arts)) == len(arts), (s["story"], g["speaker"])
            assert set(arts) <= set(s["articles"])
        for c in s["conflicts"]:
            assert c["kind"] in real.KINDS and c["label"]
            assert len({side["value"] for side in c["sides"]}) >= 2, (s["story"], c["label"])
            assert {side["article"] for side in c["sides"]} <= set(s["articles"])
        for p in s.get("not_aligned", []):
            assert p["a"]["article"] != p["b"]["article"] and p["why"]


def test_gold_spans_point_at_real_text(articles: dict[str, dict]) -> None:
    for path in GOLD:
        s = json.loads(path.read_text("utf-8"))
        members = [m for g in s["aligned"] for m in g["members"]]
        members += [side for c in s["conflicts"] for side in c["sides"]]
        members += [p[k] for p in s.get("not_aligned", []) for k in ("a", "b")]
        for aid in s["articles"]:
            assert aid in articles, (s["story"], aid)
            cluster = articles[aid]["cluster"]
            assert str(cluster) == str(s["cluster"]), (s["story"], aid, cluster)
        for m in members:
            text = articles[m["article"]]["text"]
            for start, end in real.member_spans(m):
                assert 0 <= start < end <= len(text), (s["story"], m)
            span_words = _words(text[m["span"][0] : m["span"][1]])
            quote = _words(m["quote"])
            assert 0 < len(quote) <= 12, (s["story"], m["quote"])
            assert quote == span_words[: len(quote)], (s["story"], m["quote"])


def test_cleaning_keeps_offsets() -> None:
    raw = 'Kim Jong - un said " we are ready , " on Tuesday . \\n\nThe U.S. isn \'t .'
    text, where = clean(raw, "newswcl50")
    assert text.startswith('Kim Jong-un said "we are ready," on Tuesday.')
    assert len(where) == len(text) and where == sorted(where)
    start = text.index("ready")
    assert raw[real.to_raw((start, start + 5), where, len(raw))[0] :].startswith("ready")
    ecb, w2 = clean("He said ``We met '' and left .", "ecbplus")
    assert "''" not in ecb and len(w2) == len(ecb)


# A tiny story: articles A, B, C (fictional).
TINY = {
    "story": "tiny", "articles": ["A", "B", "C"],
    "aligned": [
        {"speaker": "Mayor", "members": [{"article": "A", "span": [0, 20], "quote": "x"}, {"article": "B", "span": [10, 30], "quote": "x"},
                                         {"article": "C", "span": [0, 10], "quote": "x"}]},
        {"speaker": "Mayor", "members": [{"article": "A", "span": [50, 70], "quote": "x"}, {"article": "B", "span": [60, 80], "quote": "x"}]},
    ],
    "not_aligned": [{"a": {"article": "A", "span": [100, 120], "quote": "x"}, "b": {"article": "C", "span": [100, 120], "quote": "x"}, "why": "t"}],
    "conflicts": [
        {"kind": "number", "label": "injured", "sides": [{"article": "A", "span": [200, 210], "value": "9"},
                                                         {"article": "B", "span": [200, 210], "value": "12"}]},
        {"kind": "modality", "label": "threat", "sides": [{"article": "A", "span": [300, 320], "value": "if"},
                                                          {"article": "C", "span": [300, 320], "value": "will"}]},
    ],
    "independent": {"A": {"independent": True, "why": "t"}, "B": {"independent": False, "why": "t"},
                    "C": {"independent": True, "why": "t", "confidence": "low"}},
}  # fmt: skip


def test_scorer_matching_on_a_tiny_story() -> None:
    pred = Predicted(
        groups=[
            [Item("A", ((5, 15),)), Item("B", ((12, 18),))],  # right pair of group 0
            [Item("A", ((55, 60),)), Item("C", ((5, 8),))],  # members of gold groups 1 and 0: misaligned, a wrong pair
            [Item("A", ((105, 110),)), Item("C", ((110, 115),))],  # the not_aligned pair: misaligned, wrong pair
            [Item("B", ((400, 410),)), Item("C", ((400, 410),))],  # unjudged: touches no gold span
        ],
        conflicts=[
            {"kind": "number", "sides": [[Item("A", ((203, 204),))], [Item("B", ((204, 206),))]]},  # right
            {"kind": "date", "sides": [[Item("A", ((203, 204),))], [Item("B", ((204, 206),))]]},  # right place, wrong kind
            {"kind": "qualifier", "sides": [[Item("A", ((301, 303),))], [Item("C", ((305, 309),))]]},  # counts for modality
            {"kind": "place", "sides": [[Item("A", ((500, 505),))], [Item("B", ((500, 505),))]]},  # false
        ],
        independent={"A": True, "B": True, "C": True},
    )
    s = score_story(TINY, pred)
    al = s["alignment"]
    assert (al["gold_pairs"], al["gold_pairs_found"]) == (4, 1)
    assert (al["predicted_pairs"], al["judged_pairs"], al["matched_pairs"]) == (4, 3, 1)
    assert al["misaligned_groups"] == 2 and al["split_gold_groups"] == 1
    cf = s["conflicts"]
    assert (cf["gold"], cf["found"], cf["predicted"], cf["correct"]) == (2, 2, 4, 2)
    assert cf["correct_any_kind"] == 3 and cf["by_kind"]["date"]["correct"] == 0
    assert cf["missed"] == []
    ind = s["independence"]
    assert (ind["correct"], ind["sure"], ind["sure_correct"]) == (2, 2, 1)
    total = aggregate([s])
    assert total["alignment"]["precision"] == round(1 / 3, 3) and total["alignment"]["recall"] == 0.25
    assert total["conflicts"]["by_kind"]["modality"]["recall"] == 1.0


def test_reading_a_comparison_picks_up_new_fields() -> None:
    """Works on the model as it is (attributes) and on records (dicts); a modality shift on a variant is a conflict."""
    prepared = {a: real.Prepared(a, "x" * 400, "x" * 400, list(range(400))) for a in "ABC"}
    variant = lambda a, s, **kw: SimpleNamespace(article_id=a, content=(s,), **kw)  # noqa: E731
    comparison = SimpleNamespace(
        statements=(SimpleNamespace(variants=(variant("A", (300, 310)), variant("C", (302, 312), shift="conditional -> intention"))),),
        conflicts=({"kind": "number", "label": "injured", "detail": "9 vs 12",
                    "sides": [{"passages": [{"article_id": "A", "span": [203, 204]}]},
                              {"passages": [{"article_id": "B", "span": [204, 206]}]}]},),
        originals=("A", "B", "C"),
        provenance=(SimpleNamespace(source="A", target="C", relation="shared-source"),),
        summary=["The outlets agree on the mayor's words."],
    )  # fmt: skip
    pred = read_comparison(comparison, prepared)
    assert len(pred.groups) == 1
    assert [c["kind"] for c in pred.conflicts] == ["modality", "number"]
    assert pred.independent == {"A": True, "B": True, "C": False}
    assert pred.summary
    s = score_story(TINY, pred)
    assert s["conflicts"]["found"] == 2
    # a per-article independence field, when the comparison gains one, wins over the provenance tree
    records = (SimpleNamespace(article_id="A", independent=True), {"article_id": "B", "status": "possibly from a common source"})
    assert read_comparison(SimpleNamespace(**{**vars(comparison), "independence": records}), prepared).independent == \
        {"A": True, "B": False, "C": False}
    record = {"statements": [{"variants": [{"article_id": "A", "content_spans": [[0, 5]]}, {"article_id": "B", "content_spans": [[1, 4]]}]}]}
    assert read_comparison(record, prepared).groups == [[Item("A", ((0, 5),)), Item("B", ((1, 4),))]]

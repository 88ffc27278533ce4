"""The precision audit (bench/audit.py): sample and label files are valid; matching and name logic (no model)."""

from __future__ import annotations

import json

from bench import audit

FIELDS = {"n", "corpus", "doc", "content", "speaker", "speaker_span", "class", "negated", "modality", "cue", "rule"}


def test_sample_is_offsets_only() -> None:
    sample = audit.load_sample()
    assert sorted(sample) == list(range(1, 301))
    assert sum(it["corpus"] == "polnear" for it in sample.values()) == audit.N_POLNEAR
    assert sum(it["corpus"] == "ecbplus" for it in sample.values()) == audit.N_ECBPLUS
    for it in sample.values():
        assert set(it) == FIELDS  # no article text beyond the speaker name and the cue
        assert it["class"] in ("speech", "stance", "no-comment")
        assert it["content"] and all(0 <= s < e for s, e in it["content"])


def test_label_files_parse_and_are_valid() -> None:
    sample = audit.load_sample()
    files = sorted(audit.AUDIT.glob("labels_*.jsonl"))
    assert files
    first: set[int] = set()
    for path in files:
        seen: set[int] = set()
        rejudged = path.name.startswith("labels_r")  # re-judgements replace first labels, with what they judged
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            lab = json.loads(line)
            assert audit.label_problems(lab, sample) == [], (path.name, lab.get("n"))
            assert lab["n"] not in seen, f"item {lab['n']} labelled twice in {path.name}"
            assert not rejudged or "judged" in lab, f"{path.name}: item {lab['n']} does not say what it judged"
            assert rejudged or lab["n"] not in first, f"item {lab['n']} labelled twice"
            seen.add(lab["n"])
        first |= seen if not rejudged else set()


def _st(doc: str, content: list[list[int]], cls: str = "speech", speaker: str | None = "Ana Costa") -> dict:
    return {"corpus": "polnear", "doc": doc, "content": content, "speaker": speaker, "speaker_span": None,
            "class": cls, "negated": False, "modality": None, "cue": "said", "rule": "verb:ccomp"}


def test_matching_needs_half_of_the_labelled_content() -> None:
    item = _st("a", [[100, 200]])
    current = [_st("b", [[100, 200]]), _st("a", [[0, 140]]), _st("a", [[120, 260]])]
    assert audit.covered([[100, 200]], [[0, 140]]) == 0.4
    assert audit.match(item, current) == 2  # 80% covered; the other document and the 40% one do not count
    assert audit.match(_st("a", [[100, 110], [300, 310]]), [_st("a", [[300, 320]])]) == 0  # split quote: 50%
    assert audit.match(item, current[:2]) is None


def test_names_compare_leniently() -> None:
    same = audit.same_speaker
    assert same("Trump", "Donald J. Trump") and same("Mr. Obama", "Barack Obama")
    assert same("Laurence Mark", "Laurence Mark and Bill Condon")
    assert same("Rep. Elijah Cummings", "Elijah Cummings")
    assert not same("Chelsea Clinton", "Hillary Clinton")
    assert not same("Hillary Clinton", "Clinton campaign")
    assert not same(None, "Ana Costa") and not same("Ana Costa", "NARRATOR")
    assert same("police officials", "UNNAMED: police officials") and same("sources", "UNNAMED: sources (in the studio)")
    assert not same("Vox", "UNNAMED: other WikiLeaks emails (combed through by Vox)")
    assert not same("Ronald Reagan", "UNNAMED: someone who asked Reagan")
    assert same("their attorneys", "UNNAMED: attorneys for the family") and same("a group of doctors in 2015", "UNNAMED: a group of doctors")
    assert not same("GOP", "UNNAMED: one GOP source in the room") and not same("Scott", "UNNAMED: Scott's family")
    assert not same("Congress", "UNNAMED: a number of other members of Congress")


def test_score_on_a_tiny_example() -> None:
    sample = {1: {"n": 1, **_st("a", [[0, 50]])}, 2: {"n": 2, **_st("a", [[60, 90]], "stance", "Bo Lind")},
              3: {"n": 3, **_st("a", [[100, 120]], "speech", "Ed Wu")}, 4: {"n": 4, **_st("b", [[0, 10]])},
              5: {"n": 5, **_st("a", [[200, 260]])}}
    ok = {"true_class": "speech", "true_speaker": "Ana Costa", "speaker_ok": True, "content_faithful": True,
          "drops_negation_or_condition": False}
    labels = {
        1: {"n": 1, **ok},
        2: {"n": 2, "true_class": "none", "true_speaker": "NARRATOR", "speaker_ok": False, "content_faithful": False,
            "drops_negation_or_condition": False},
        3: {"n": 3, "true_class": "speech", "true_speaker": "Ana Costa", "speaker_ok": False, "content_faithful": False,
            "drops_negation_or_condition": True},
        4: {"n": 4, **ok},
        5: {"n": 5, **ok},
    }
    current = [_st("a", [[0, 50]]), _st("a", [[60, 90]], "stance", "Bo Lind"), _st("a", [[100, 120]], "speech", "Ed Wu"),
               _st("c", [[0, 5]]), _st("a", [[200, 250]])]
    res = audit.score(sample, labels, current)
    assert (res["matched"], res["lost"], res["lost_ids"], res["current_unlabelled"]) == (4, 1, [4], 1)
    assert res["speech_span_changed_ids"] == [5]  # the label judged [200, 260]: not scored until re-judged
    assert res["speech_matched"] == 2 and res["speech_precision"] == 0.5 and res["speech_not_ok_ids"] == [3]
    assert res["speaker_right"] == 0.5 and res["wrong_speaker_ids"] == [3]
    assert res["class_accuracy"] == 0.75
    assert res["drops_negation_or_condition"] == 1 and res["drops_ids"] == [3]
    assert res["confusion"] == {"none->stance": 1, "speech->speech": 3}
    # a re-judged label carries the statement it judged, and replaces the first judgement
    labels[5] = {"n": 5, **ok, "judged": {"content": [[200, 250]]}}
    res = audit.score(sample, labels, current)
    assert res["speech_span_changed_ids"] == [] and res["speech_matched"] == 3
    # a drop whose negated flag is now set is no longer counted as a drop
    current[2] = {**current[2], "negated": True}
    assert audit.score(sample, labels, current)["drops_now_carried_ids"] == [3]

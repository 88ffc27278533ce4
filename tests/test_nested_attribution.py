"""A statement inside another: whose words are whose when one speaker's clause holds another's statement.

Sentences written for these tests. The rule (``nlp/attributions.py``, ``_beside_reports``): a cue *after* its
content ("…, the governor said") that holds another speaker's speech ("Authorities said that X, while Y") gets only
the clause after the joiner (Y), and the other's content ends before it; with no clear joiner it gets nothing —
never the other's words. A cue *before* its content, or one after a belief or finding, keeps the whole clause.
Also: a clause or a speaker the splitter ran over a blank line keeps only the cue's paragraph.
"""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from crosswire.model import Analysis, Statement
from crosswire.nlp.analyse import analyse_doc
from crosswire.nlp.attributions import find_attributions
from crosswire.nlp.parse import load_pipeline, parse
from crosswire.storage.store import Store
from tests.conftest import SEEDS


def analyse(text: str) -> Analysis:
    return analyse_doc(next(parse([text])), "t")


def content(text: str, s: Statement) -> str:
    return " | ".join(text[a:b] for a, b in s.content)


def said(text: str) -> dict[str | None, str]:
    return {s.speaker: content(text, s) for s in analyse(text).statements}


def holds_anothers_speech(text: str, a: Analysis) -> list[tuple[str | None, str | None]]:
    """Pairs (outer, inner) where a trailing cue's content holds another speaker's cue and mention."""
    out = []
    for o in a.statements:
        for i in a.statements:
            if o is i or o.speaker == i.speaker or not (o.cue_span and i.cue_span and i.speaker_span):
                continue
            if o.cue_span[0] > o.content[-1][1] and any(s <= i.speaker_span[0] and i.cue_span[1] <= e for s, e in o.content):
                out.append((o.speaker, i.speaker))
    return out


@pytest.mark.parametrize(("text", "outer", "outer_says", "inner", "inner_says"), [
    ("Officials in the port said the fire was out, while crews were still cooling the tanks, Governor Olek Brandt "
     "said.", "Olek Brandt", "crews were still cooling the tanks", "Officials in the port", "the fire was out"),
    ("The ministry said two soldiers were wounded, and a convoy was hit near the border, the spokesman Ivo Marek said.",
     "Ivo Marek", "a convoy was hit near the border", "The ministry", "two soldiers were wounded"),
    ("Police said that the suspect had fled the city, but the car was found near the river, Chief Ilse Varga said.",
     "Ilse Varga", "the car was found near the river", "Police", "that the suspect had fled the city"),
    ("The army said it had shot down two drones; a power line was cut in the east, regional governor Ivo Marek said.",
     "Ivo Marek", "a power line was cut in the east", "The army", "it had shot down two drones"),
    ("Authorities in the city of Velmar said that rockets hit a gas pipeline, while a rescue operation was underway "
     "in the town of Dorn with five people suspected of being trapped under the rubble, Olek Brandt, the governor of "
     "the Ardenne region, said.", "Olek Brandt",
     "a rescue operation was underway in the town of Dorn with five people suspected of being trapped under the rubble",
     "Authorities in the city of Velmar", "that rockets hit a gas pipeline"),
])
def test_a_trailing_cue_gets_the_clause_after_the_joiner(text: str, outer: str, outer_says: str, inner: str,
                                                          inner_says: str) -> None:
    got = said(text)
    assert got[outer] == outer_says
    assert got[inner] == inner_says


@pytest.mark.parametrize(("text", "inner", "inner_says"), [
    ("Police said the suspect had fled, the mayor said.", "Police", "the suspect had fled"),
    ("Rescuers said the road was closed; the bridge would reopen on Friday, the mayor said.", "Rescuers",
     "the road was closed"),
    ("Residents said the water was rising, while the dam held for now, officials said on Tuesday.", "Residents",
     "the water was rising"),
])
def test_no_clear_joiner_drops_the_trailing_cue_rather_than_give_it_anothers_words(text: str, inner: str,
                                                                                    inner_says: str) -> None:
    a = analyse(text)
    assert {s.speaker: content(text, s) for s in a.statements} == {inner: inner_says}
    assert not holds_anothers_speech(text, a)


def test_a_cue_before_its_content_keeps_the_report_it_tells() -> None:
    text = "The mayor said that the fire chief had warned the dam could break."
    assert said(text)["The mayor"] == "that the fire chief had warned the dam could break"


def test_a_trailing_cue_after_a_belief_keeps_it_in_its_content() -> None:
    text = "Ms. Varga believes that small businesses need relief, her adviser Tomas Dorn said."
    got = said(text)
    assert got["Tomas Dorn"] == "Ms. Varga believes that small businesses need relief"  # he tells of her belief
    assert got["Varga"] == "that small businesses need relief"


def test_a_quotation_opening_a_paragraph_does_not_take_the_paragraph_before() -> None:
    text = ("The mayor called the plan ''a disaster.''\n\n"
            "''The budget is balanced and the schools will stay open,'' said Mr. Dorn, the council's treasurer.")
    s = [s for s in analyse(text).statements if s.speaker == "Dorn"]
    assert [content(text, x) for x in s] == ["The budget is balanced and the schools will stay open"]


def test_a_lead_in_ending_in_a_colon_runs_on_into_the_quotation_below() -> None:
    text = 'Olek Brandt, a retired teacher, said that given the choice:\n\n"There is only one: the river road."'
    s = [s for s in analyse(text).statements if s.speaker == "Olek Brandt"]
    assert s and "the river road" in content(text, s[0])


def test_a_cue_inside_anothers_reported_clause_does_not_take_a_quotation_outside_it() -> None:
    text = 'Brandt told Radio Dorn\'s "Morning Desk" that nobody would question her intelligence or knowledge of the issues.'
    assert said(text) == {"Brandt": "that nobody would question her intelligence or knowledge of the issues"}


def _hand_parsed() -> Doc:
    """"Work went on in Dorn with two people trapped, Olek Brandt, the governor, said." parsed as the model parses
    such sentences at times: "two people trapped" the subject of "said", the name its appositive, "with" dangling."""
    words = ["Work", "went", "on", "in", "Dorn", "with", "two", "people", "trapped", ",", "Olek", "Brandt", ",", "the",
             "governor", ",", "said", "."]
    heads = [1, 16, 1, 1, 3, 1, 7, 16, 7, 7, 11, 7, 11, 14, 11, 11, 16, 16]
    deps = ["nsubj", "ccomp", "prt", "prep", "pobj", "prep", "nummod", "nsubj", "acl", "punct", "compound", "appos",
            "punct", "det", "appos", "punct", "ROOT", "punct"]
    pos = ["NOUN", "VERB", "ADP", "ADP", "PROPN", "ADP", "NUM", "NOUN", "VERB", "PUNCT", "PROPN", "PROPN", "PUNCT",
           "DET", "NOUN", "PUNCT", "VERB", "PUNCT"]
    tags = ["NN", "VBD", "RP", "IN", "NNP", "IN", "CD", "NNS", "VBN", ",", "NNP", "NNP", ",", "DT", "NN", ",", "VBD", "."]
    spaces = [True] * 8 + [False, True, True, False, True, True, False, True, False, False]
    return Doc(load_pipeline().vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos, tags=tags,
               sent_starts=[True] + [False] * 17)


def test_a_name_after_a_dangling_preposition_is_the_speaker_and_the_words_before_it_the_content() -> None:
    doc = _hand_parsed()
    (att,) = find_attributions(doc)
    assert att.source is not None and doc.text[slice(*att.source)] == "Olek Brandt, the governor,"
    assert [doc.text[a:b] for a, b in att.content] == ["Work went on in Dorn with two people trapped"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/data/seeds not present")
def test_seed_0f1ebcdf_kirilenko_says_only_the_bakhmut_clause(seeded: tuple[Store, dict]) -> None:
    a, an = seeded[1]["004"]  # the store's clean text: its offsets
    assert a.id.startswith("0f1ebcdf")
    kirilenko = [s for s in an.statements if s.speaker == "Pavlo Kirilenko"]
    kharkiv = [s for s in an.statements if s.speaker and "Kharkiv" in s.speaker]
    assert len(kirilenko) == 1 and len(kharkiv) == 1
    k, h = kirilenko[0], kharkiv[0]
    assert content(a.text, k).startswith("a rescue operation was underway in the city of Bakhmut")
    assert content(a.text, k).endswith("after the strike")
    assert content(a.text, h).endswith("high-pressure gas pipeline")
    assert h.content[-1][1] < k.content[0][0]  # the authorities' statement ends before the governor's begins
    assert a.text[slice(*k.speaker_span)].startswith("Pavlo Kirilenko")
    assert 3300 < h.content[0][0] < k.content[-1][1] < 3600


def test_the_audit_lists_a_statement_holding_anothers() -> None:
    from bench import audit

    outer = {"content": [[0, 60]], "speaker": "Olek Brandt", "speaker_span": [70, 81], "cue_span": [82, 86]}
    inner = {"content": [[20, 60]], "speaker": None, "speaker_span": [0, 9], "cue_span": [10, 14]}
    apart = {"content": [[90, 120]], "speaker": "Ilse Varga", "speaker_span": [121, 126], "cue_span": [127, 131]}
    assert audit.overlapping([outer, inner, apart]) == [(outer, inner, ["content", "cue", "speaker"])]
    assert audit.overlapping([outer, {**inner, "speaker": "Olek Brandt"}]) == []  # one speaker: a continuation

"""The restated-summary flag on hand-written articles."""

from __future__ import annotations

from crosswire.extract.summary import flag_restated_summary

BODY = [
    "The regional council of Lindholm approved a new tram line on Tuesday, linking the central station "
    "with the university campus and the hospital district in the north of the city.",
    "Construction will start next spring and is expected to cost 140 million crowns, most of it paid by "
    "the national transport fund, council leader Ada Brink told reporters after the vote.",
    "Opposition members argued that buses would serve the hospital district faster and at a fraction of the "
    "price, and asked for an independent review of the passenger forecasts.",
]


def test_a_closing_restatement_is_flagged_with_its_span() -> None:
    close = ("The council of Lindholm approved the tram line linking the station, the university campus and the "
             "hospital district, to be paid by the national transport fund, despite opposition members who argued "
             "buses would serve the hospital district faster.")
    text = "\n\n".join([*BODY, close])
    [flag] = flag_restated_summary(text)
    assert flag.kind == "restated-summary" and text[flag.span[0] : flag.span[1]] == close
    assert flag.score >= 0.68


def test_a_closing_paragraph_with_new_facts_is_not_flagged() -> None:
    close = ("Residents of the western suburbs, who were left out of the plan, have started a petition demanding "
             "a second line along the harbour road before the next municipal election in October.")
    assert flag_restated_summary("\n\n".join([*BODY, close])) == ()


def test_short_closings_and_short_articles_are_left_alone() -> None:
    assert flag_restated_summary("\n\n".join([*BODY, "The tram line was approved."])) == ()
    assert flag_restated_summary(BODY[0]) == ()
    assert flag_restated_summary("") == ()

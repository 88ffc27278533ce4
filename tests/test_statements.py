"""Who said what: one test per hard case of attribution, on sentences written for these tests."""

from __future__ import annotations

import time

import pytest

from crosswire.model import Analysis, Statement, StatementKind
from crosswire.nlp.analyse import analyse_doc
from crosswire.nlp.parse import parse


def analyse(text: str, published: str | None = None) -> Analysis:
    return analyse_doc(next(parse([text])), "t", published)


def content(text: str, s: Statement) -> str:
    return " | ".join(text[a:b] for a, b in s.content)


def only(text: str, published: str | None = None) -> tuple[Statement, str]:
    a = analyse(text, published)
    assert len(a.statements) == 1, [content(text, s) for s in a.statements]
    return a.statements[0], text


def by_speaker(a: Analysis, name: str) -> list[Statement]:
    return [s for s in a.statements if s.speaker == name]


def test_quote_split_around_the_cue_is_one_direct_statement() -> None:
    text = "“We will rebuild the depot,” Mayor Ilse Varga said, “and we will do it this year.”"
    s, _ = only(text)
    assert content(text, s) == "“We will rebuild the depot,” | “and we will do it this year.”"
    assert s.kind is StatementKind.DIRECT and s.speaker == "Ilse Varga" and s.cue == "said"
    assert text[slice(*s.speaker_span)] == "Mayor Ilse Varga"


def test_quote_over_several_paragraphs_with_reopened_marks() -> None:
    text = (
        "Fire chief Tomas Brenn described the night. “The tanks were already burning when we arrived.\n\n"
        "“We pulled back twice before the foam arrived.”\n\nThe depot reopened a week later."
    )
    a = analyse(text)
    st = by_speaker(a, "Tomas Brenn")
    assert len(st) == 1
    joined = content(text, st[0])
    assert "The tanks were already burning" in joined and "We pulled back twice" in joined
    assert st[0].kind is StatementKind.DIRECT


def test_quote_only_paragraph_after_narrative_inherits_the_previous_speaker() -> None:
    text = (
        "“We lost nothing that cannot be replaced,” said Anna Lindqvist, the port director.\n\n"
        "Workers cleared the site on Friday.\n\n"
        "“The harbour will be open to ships again by Monday morning.”"
    )
    a = analyse(text)
    inherited = [s for s in a.statements if s.how == "quote:inherited"]
    assert len(inherited) == 1
    assert inherited[0].speaker == "Anna Lindqvist" and inherited[0].speaker_span is None
    assert content(text, inherited[0]).startswith("“The harbour will be open")


def test_pronoun_and_surname_speakers_resolve_to_the_full_name() -> None:
    text = (
        "Russian President Vladimir Putin visited Harbin on Friday. The trip was short.\n\n"
        "He said that Moscow had no plans to take the city.\n\n"
        "Putin also said the talks had gone well."
    )
    a = analyse(text)
    assert [s.speaker for s in a.statements] == ["Vladimir Putin", "Vladimir Putin"]
    he = a.statements[0]
    assert text[slice(*he.speaker_span)] == "He" and text[slice(*he.resolved_from)] == "Vladimir Putin"
    assert he.speaker_role == "Russian President"
    assert content(text, he) == "that Moscow had no plans to take the city"


def test_descriptive_speaker_resolves_through_the_title_the_article_gave() -> None:
    text = "Defence Minister Karl Ostrava toured the base. Later the minister said the troops were ready."
    a = analyse(text)
    st = [s for s in a.statements if s.cue == "said"]
    assert st and st[0].speaker == "Karl Ostrava"
    assert text[slice(*st[0].speaker_span)] == "the minister"


def test_indirect_speech_content_stops_at_the_clause_boundary() -> None:
    text = "Officials said the fire was under control by midnight, adding that two tanks were lost."
    a = analyse(text)
    contents = [content(text, s) for s in a.statements]
    assert "the fire was under control by midnight" in contents
    assert "that two tanks were lost" in contents
    assert all(s.speaker == "Officials" for s in a.statements)


def test_according_to_attributes_the_rest_of_the_sentence_and_its_claim() -> None:
    text = "According to Russia's Defense Ministry, 51 drones were downed over Crimea on Friday."
    a = analyse(text, published="2024-05-18")
    s = a.statements[0]
    assert s.cue == "According to" and s.how == "according-to"
    assert text[slice(*s.speaker_span)] == "Russia's Defense Ministry"
    assert content(text, s) == "51 drones were downed over Crimea on Friday"
    claim = a.claims[0]
    assert claim.statement == s.id and claim.source == s.speaker
    q = claim.quantities[0]
    assert (q.value, q.unit) == (51.0, "drone")
    assert claim.dates[0].value == "2024-05-17" and claim.dates[0].relative


def test_colon_lead_in_without_a_speech_verb() -> None:
    text = "The general put it bluntly: “They lack the troops for a breakthrough.”"
    a = analyse(text)
    assert len(a.statements) == 1
    s = a.statements[0]
    assert s.cue == ":" and content(text, s) == "“They lack the troops for a breakthrough.”"
    assert text[slice(*s.speaker_span)] == "The general"


def test_parenthetical_aside_attribution() -> None:
    text = "The blaze, the fire brigade said, started in a pump house."
    a = analyse(text)
    assert len(a.statements) == 1
    s = a.statements[0]
    assert s.speaker == "the fire brigade" and s.how == "verb:parenthetical"
    assert "started in a pump house" in content(text, s)


def test_passive_voice_names_the_agent_as_speaker() -> None:
    text = "The evacuation order was criticised by councillor Maren Holt as far too late."
    a = analyse(text)
    assert a.statements and a.statements[0].speaker == "Maren Holt"


def test_unusual_verbs_are_cues() -> None:
    text = "“Nobody told us anything,” quipped Jonas Weller. Later, Weller tweeted that the road was open."
    a = analyse(text)
    assert [s.cue for s in a.statements] == ["quipped", "tweeted"]
    assert {s.speaker for s in a.statements} == {"Jonas Weller"}


def test_venue_and_addressee() -> None:
    text = "Putin told reporters at a press conference in Harbin that there were no plans to take Kharkiv."
    s, _ = only(text)
    assert s.addressee == "reporters" and s.venue == "at a press conference in Harbin"
    assert content(text, s) == "that there were no plans to take Kharkiv"


@pytest.mark.parametrize(
    "text",
    [
        'He said "we are ready" and left.',
        "Sie sagte »wir sind bereit« und ging.",
        "He said «we are ready» and left.",
        "“This quote never closes, he said.",
        "This one only closes,” he said.",
        "“Outer ‘inner’ and “nested” end,” she said.",
        "\"\"\"“”«»„“",
        "",
    ],
)
def test_quote_mark_chaos_never_crashes_and_spans_stay_inside(text: str) -> None:
    a = analyse(text)
    for s in a.statements:
        for x, y in s.content:
            assert 0 <= x < y <= len(text)


def test_nested_quotes_stay_inside_one_statement() -> None:
    text = "“They called it ‘a routine check’ on the radio,” said Ana Ruiz."
    s, _ = only(text)
    assert content(text, s) == "“They called it ‘a routine check’ on the radio,”" and s.speaker == "Ana Ruiz"


def test_a_very_long_paragraph_is_analysed_in_reasonable_time() -> None:
    sentence = "The council said the repairs would cost more than 2 million euros. "
    text = sentence * 800  # one 55,000-character paragraph
    t0 = time.perf_counter()
    a = analyse(text)
    assert time.perf_counter() - t0 < 60
    assert len(a.statements) == 800
    assert all(s.speaker == "The council" for s in a.statements)


def test_non_english_articles_are_marked_not_analysed() -> None:
    from crosswire.model import Article, InputFormat, Metadata, Origin
    from crosswire.pipeline.runner import analyse_articles

    de = Article("d" * 16, Origin("file", "x"), InputFormat.TEXT, "Der Bürgermeister sagte, das Feuer sei gelöscht.",
                 Metadata(language="de"))
    (result,) = analyse_articles([de])
    assert not result.analysed and "de" in result.note and result.statements == ()

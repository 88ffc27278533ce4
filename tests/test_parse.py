"""The parse stage: our attribute ruler gives exactly what spaCy's gives, faster."""

from __future__ import annotations

import spacy

from crosswire.nlp.parse import MODEL, UNUSED, QuickAttributeRuler, load_pipeline, parse

TEXTS = [
    "There is no fire, and there were two explosions, the mayor said on Monday.",
    "I ain't going, she said.  \n\n  He gets it; they got it too.",
    "“We will rebuild the depot,” Mayor Ilse Varga told reporters in Zürich (Switzerland) - a 3.5% rise.",
    "Officials, who declined to be named, said that the U.S.-led coalition's strikes hadn't stopped.",
]


def signature(doc: spacy.tokens.Doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_) for t in doc]


def test_quick_attribute_ruler_is_in_the_pipeline() -> None:
    nlp = load_pipeline()
    assert isinstance(nlp.get_pipe("attribute_ruler"), QuickAttributeRuler)
    assert nlp.pipe_names == ["tok2vec", "tagger", "parser", "attribute_ruler", "ner"]


def test_quick_attribute_ruler_matches_spacy_token_for_token() -> None:
    reference = spacy.load(MODEL, exclude=list(UNUSED))
    assert type(reference.get_pipe("attribute_ruler")) is not QuickAttributeRuler
    ours = list(parse(TEXTS))
    theirs = list(reference.pipe(TEXTS))
    for a, b in zip(ours, theirs, strict=True):
        assert signature(a) == signature(b)
    there = ours[0][0]
    assert (there.pos_, ours[0][1].pos_) == ("PRON", "VERB")  # the two-token rule "expl + is" → VERB
    ai = next(t for t in ours[1] if t.lower_ == "ai")
    assert ai.lemma_ == "be"  # the regular-expression rule ("ai" + "n't")
    assert next(t for t in ours[1] if t.text == "got").lemma_ == "get"
    assert all(t.pos_ == "SPACE" for t in ours[1] if t.is_space)


def test_patterns_added_in_two_calls_keep_their_rule_numbers() -> None:
    nlp = load_pipeline()
    patterns = nlp.get_pipe("attribute_ruler").patterns
    ruler = QuickAttributeRuler(nlp.vocab)
    ruler.add_patterns(patterns[:100])
    ruler.add_patterns(patterns[100:])
    reference = spacy.load(MODEL, exclude=list(UNUSED))
    with reference.select_pipes(disable=["attribute_ruler"]):
        doc = reference(TEXTS[1])
    assert signature(ruler(doc)) == signature(reference(TEXTS[1]))
    assert len(ruler.attrs) == len(patterns)

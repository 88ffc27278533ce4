"""The analysis stage: a parsed article → entities, statements with resolved speakers, claims."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from spacy.tokens import Doc

from crosswire.model import Analysis, Statement, StatementKind
from crosswire.nlp import ANALYSIS_VERSION as VERSION  # noqa: F401  (re-exported)
from crosswire.nlp.acts import can_speak, content_heads, modality, negated, statement_class, with_conditions
from crosswire.nlp.attributions import Attribution, find_attributions, paragraph_quotes
from crosswire.nlp.claims import find_claims
from crosswire.nlp.entities import ArticleEntities, find_entities
from crosswire.nlp.parse import LANGUAGES, parse
from crosswire.nlp.sentences import Sentences
from crosswire.nlp.speakers import Speaker, resolve


def analyse_doc(doc: Doc, article_id: str = "", published: str | None = None, language: str | None = "en") -> Analysis:
    """Entities, statements and claims of one parsed article (``published``: its known date, ISO)."""
    ents = find_entities(doc)
    sents = Sentences(doc)
    atts = find_attributions(doc, sents=sents)
    statements = tuple(_statements(doc, ents, atts, article_id, sents))
    claims = find_claims(sents, ents.mentions, statements, published, article_id)
    return Analysis(article_id, language, True, "", ents.mentions, ents.entities, statements, claims)


def not_analysed(article_id: str, language: str | None) -> Analysis:
    """The honest result for a language we have no analyser for."""
    return Analysis(article_id, language, False, f"no statement analyser for language {language or 'unknown'!r}")


def analyse_texts(texts: Sequence[str], processes: int = 1) -> list[Analysis]:
    """Analyse English texts (benchmarks, tests): parse in ``processes`` processes, then the rules."""
    return [analyse_doc(doc) for doc in parse(texts, processes=processes)]


def is_supported(language: str | None) -> bool:
    """English (spaCy) or a language of ``nlp/lang`` (German, Russian, Ukrainian)."""
    from crosswire.nlp.lang import SUPPORTED

    return language in LANGUAGES or language in SUPPORTED


FIRST_PERSON = frozenset({"i", "me", "my", "we", "us", "our", "you", "your"})  # the narrator or an interviewer
DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})  # "that said …": never a speaker


def _statements(doc: Doc, ents: ArticleEntities, atts: list[Attribution], article_id: str,
                sents: Sentences) -> list[Statement]:
    speakers: dict[int, Speaker | None] = {}
    out: list[Statement] = []
    reported = tuple(c for att in atts for c in att.content)
    starts = {id(att): min(att.content[0][0], att.source[0] if att.source else att.content[0][0]) for att in atts}
    for att in atts:
        if not _can_be_a_speaker(doc, att):
            continue  # "deadly artillery", "the situation", a first-person narrator: not a statement
        speaker = _speaker(doc, ents, att, speakers, sents, reported, starts)
        speakers[id(att)] = speaker
        out.append(_statement(doc, sents.text, att, speaker, article_id))
    return out


def _can_be_a_speaker(doc: Doc, att: Attribution) -> bool:
    if att.source_head is None:
        return True
    head = doc[att.source_head]
    if head.lower_ in DEMONSTRATIVES and head.tag_ != "WDT":
        return False  # a relative "that" (officials that said …) is resolved later; a demonstrative is nobody
    if head.tag_ in ("WDT", "WP") and head.head.dep_ == "relcl":
        return can_speak(head.head.head)  # "rules that promise to …": the noun the clause hangs on must be able to
    return head.lower_ not in FIRST_PERSON and can_speak(head)


def _speaker(doc: Doc, ents: ArticleEntities, att: Attribution, speakers: dict[int, Speaker | None],
             sents: Sentences, reported: tuple[tuple[int, int], ...], starts: dict[int, int]) -> Speaker | None:
    found = next(((k, s) for k, s in reversed(speakers.items()) if s is not None and s.entity), None)
    previous = found[1] if found else None
    previous_at = starts.get(found[0]) if found else None
    if att.inherited_from is not None:
        prior = speakers.get(id(att.inherited_from))  # only the statement it continues, never a guess
        return Speaker(prior.name, prior.entity, prior.role, prior.resolved_from, "inherited") if prior else None
    if att.source is None:
        return None
    return resolve(doc, ents, att.source, att.source_head, previous, sents, reported, previous_at)


def _statement(doc: Doc, text: str, att: Attribution, speaker: Speaker | None, article_id: str) -> Statement:
    cue = text[att.cue[0] : att.cue[1]] if att.cue else None
    content = with_conditions(doc, att.content)
    heads = content_heads(doc, content)  # the content's main predicates, read once for negation and modality
    unresolved = speaker is not None and speaker.via == "unresolved"
    return Statement(
        id=_statement_id(article_id, att.content),
        kind=_kind(text, content),
        content=tuple(content),
        speaker=speaker.name if speaker and not unresolved else None,
        speaker_span=att.source,
        speaker_entity=speaker.entity if speaker else None,
        speaker_role=speaker.role if speaker else None,
        resolved_from=speaker.resolved_from if speaker else None,
        cue=cue,
        cue_span=att.cue,
        venue=att.venue,
        addressee=att.addressee,
        how=att.how,
        class_=statement_class(doc, att.how, att.cue_head, att.source_head, content),
        negated=negated(doc, att.cue_head, heads),
        modality=modality(doc, heads, att.cue_head),
    )


def _kind(text: str, content: list[tuple[int, int]]) -> StatementKind:
    """direct when the content is quotation, mixed when it quotes fragments, else indirect."""
    total = sum(e - s for s, e in content)
    quoted = 0
    for s, e in content:
        for q in paragraph_quotes(text[s:e]):
            quoted += q.end - q.start
    if total and quoted >= 0.9 * total:
        return StatementKind.DIRECT
    return StatementKind.MIXED if quoted else StatementKind.INDIRECT


def _statement_id(article_id: str, content: list[tuple[int, int]]) -> str:
    key = f"{article_id}:{content}".encode()
    return "st" + hashlib.sha1(key).hexdigest()[:10]

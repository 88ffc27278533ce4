"""What act a statement reports — speech, stance or no-comment — and what governs its truth.

A fact-checker reads ``speech`` as someone's words. So ``speech`` is kept for utterances whose content is
a clause or a quotation (``said that …``, ``"…," she said``, ``according to the ministry, …``); beliefs,
wishes, findings and attitudes (``believes``, ``wants``, ``dismissed concerns``, ``a survey showed``) are
``stance``; refusals and silences (``declined to comment``, ``has yet to comment``, ``did not mention``)
are ``no-comment`` — recorded, never shown as a quote.

``negated``: the content's main predicate or the cue is negated (``no plans``, ``did not say``,
``neither … nor … believe``). ``modality``: a modal, a condition or a hedge governing the content.
The word lists live in ``resources/cues.toml`` (``[acts]``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from spacy.tokens import Doc, Token

from crosswire.model import StatementClass
from crosswire.nlp.cues import Cues, load_cues
from crosswire.nlp.lemmas import lemma

Range = tuple[int, int]
NEGATORS = frozenset({"not", "n't", "never", "no", "neither", "nor", "none", "nobody", "nothing", "nowhere", "no one",
                      "cannot", "without"})
MODAL_FORMS = {"'ll": "will", "wo": "will", "'d": "would", "ca": "can"}  # won't, can't, he'll, she'd
# rules whose content is a clause or quotation: what the cue verb reports as said
CLAUSE_RULES = frozenset({"verb:ccomp", "verb:quote", "verb:parenthetical", "colon", "quote:inherited", "according-to"})


@dataclass(frozen=True, slots=True)
class Acts:
    no_comment_objects: frozenset[str]  # "declined to comment", "refused to say"
    no_comment_verbs: frozenset[str]  # "declined", "refused"
    omissions: frozenset[str]  # "failed", "neglected": the cue under them did not happen
    xcomp_speech: frozenset[str]  # "vowed to fight": an infinitive that reports an utterance
    parenthetical_only: frozenset[str]  # "continued", "added" only as "…, he continued"
    speech_nouns: frozenset[str]  # "his claim that …": a noun reporting an utterance
    documents: frozenset[str]  # "a survey", "the data": findings, never speech
    speakers: frozenset[str]  # common nouns that can speak: officials, spokesman, police…
    writings: frozenset[str]  # what people write through: its findings are stance ("the emails suggest")
    quantities: frozenset[str]  # "35 percent said", "half of voters"
    agent_suffixes: tuple[str, ...]
    modals: frozenset[str]
    hedges: frozenset[str]
    conditions: frozenset[str]


@cache
def load_acts() -> Acts:
    """The ``[acts]`` section of the packaged cue lexicon, read once."""
    data = tomllib.loads(resources.files("crosswire.resources").joinpath("cues.toml").read_text(encoding="utf-8"))["acts"]
    return Acts(
        no_comment_objects=frozenset(data["no_comment_objects"]),
        no_comment_verbs=frozenset(data["no_comment_verbs"]),
        omissions=frozenset(data["omissions"]),
        xcomp_speech=frozenset(data["xcomp_speech"]),
        parenthetical_only=frozenset(data["parenthetical_only"]),
        speech_nouns=frozenset(data["speech_nouns"]),
        documents=frozenset(data["documents"]),
        speakers=frozenset(data["speakers"]),
        writings=frozenset(data["writings"]),
        quantities=frozenset(data["quantities"]),
        agent_suffixes=tuple(data["agent_suffixes"]),
        modals=frozenset(data["modals"]),
        hedges=frozenset(data["hedges"]),
        conditions=frozenset(data["conditions"]),
    )


def statement_class(doc: Doc, how: str, cue_head: int | None, source_head: int | None,
                    content: list[Range], cues: Cues | None = None) -> StatementClass:
    """speech, stance or no-comment for an attribution found by rule ``how``."""
    cues = cues or load_cues()
    acts = load_acts()
    source = doc[source_head] if source_head is not None else None
    if cue_head is None:
        return StatementClass.SPEECH  # a colon lead-in or an inherited quotation: quoted words
    cue = doc[cue_head]
    if how == "according-to":
        return StatementClass.STANCE if source is not None and _is_document(source, acts) else StatementClass.SPEECH
    if how == "noun":  # "his claim that …" is speech; "Putin's threat to Eastern countries (…)" is not
        that_clause = any(c.dep_ in ("acl", "ccomp") for c in cue.children)
        return StatementClass.SPEECH if cue.lower_ in acts.speech_nouns and that_clause and _clausal(doc, content) else StatementClass.STANCE
    word = lemma(cue)
    governing = _governing(cue)
    if _is_no_comment(doc, cue, content, acts) or (word in cues.speech and (
            _negated_token(cue) or governing is not None and _negative(lemma(governing)))):
        return StatementClass.NO_COMMENT  # "did not say", "never mentioned", "denied saying"
    if _supposed_saying(cue, acts):
        return StatementClass.STANCE  # "whether Rusu said …", "if Rusu said …": the saying itself is not asserted
    learned_speech = cue.lower_ in cues.learned_forms and how in CLAUSE_RULES  # "shared that …", "pleaded: …"
    if (word not in cues.speech and not learned_speech) or (source is not None and _is_finding_source(source, acts)):
        return StatementClass.STANCE  # believes, wants, a survey showed
    if any(c.dep_ == "aux" and c.lower_ in acts.modals for c in cue.children):
        return StatementClass.STANCE  # "will argue that …", "could say": a forecast or a hypothesis, not words said
    if word in cues.finding and source is not None and source.pos_ == "NOUN" and lemma(source) in acts.writings:
        return StatementClass.STANCE  # "the emails suggest", "the recording shows": a reading of a document
    if word in acts.parenthetical_only and how not in ("verb:parenthetical", "verb:quote"):
        return StatementClass.STANCE  # "the situation continues to evolve"
    if how == "verb:xcomp":
        return StatementClass.SPEECH if word in acts.xcomp_speech else StatementClass.STANCE
    if how == "verb:dobj" and _clausal(doc, content):
        return StatementClass.SPEECH  # "expressed his intention to establish a zone", "emphasized the need to protect"
    return StatementClass.SPEECH if how in CLAUSE_RULES else StatementClass.STANCE


def _supposed_saying(cue: Token, acts: Acts) -> str | None:
    """``question`` / ``conditional`` when the cue's own clause is a ``whether`` / ``if`` clause: "It is not clear
    whether Rusu said …", "If Rusu said …" — nobody asserts that he said it."""
    marks = [c.lower_ for c in cue.children if c.dep_ == "mark" and c.lower_ in acts.conditions]
    if not marks:
        return None
    return "question" if "whether" in marks else "conditional"


def _is_no_comment(doc: Doc, cue: Token, content: list[Range], acts: Acts) -> bool:
    """declined/refused to comment, has yet to comment, did not mention / say / respond."""
    word = lemma(cue)
    if word in acts.no_comment_verbs:
        first = _first_content_word(doc, content)
        if first in acts.no_comment_objects or any(c.dep_ == "xcomp" and c.lower_ in acts.no_comment_objects for c in cue.children):
            return True
    window = doc[max(0, cue.i - 4) : cue.i]
    if any(t.lower_ == "yet" for t in window) and any(t.lower_ == "to" for t in window):
        return True  # "has yet to publicly comment"
    head = _governing(cue)
    if head is not None and lemma(head) in acts.no_comment_verbs:
        return True  # "declined to comment on …", "declined to directly declare …": he did not
    return False


def _governing(cue: Token) -> Token | None:
    """The verb whose infinitive the cue is ("declined to threaten X or even declare Y" → declined). A coordinated
    cue climbs to a negative verb only as a bare infinitive (VB, or the VBP the tagger gives "declare" there) beside
    that verb's own "to …" infinitive: in "rejected the idea …, but later said he was ready" the saying is the
    speaker's own act, not something rejected (a seed statement read as negated before; audit item 215 keeps)."""
    tok = cue
    infinitive = cue.tag_ in ("VB", "VBP")
    while tok.dep_ == "conj" and tok.head is not tok and infinitive:
        tok = tok.head
        if _negative(lemma(tok)) and any(c.dep_ == "xcomp" for c in tok.children):
            return tok  # parsed as "declined … or declare" (conj of declined)
    return tok.head if tok.dep_ == "xcomp" else None


def _first_content_word(doc: Doc, content: list[Range]) -> str:
    if not content:
        return ""
    span = doc.char_span(*content[0], alignment_mode="expand")
    words = [t.lower_ for t in span if not t.is_punct and t.lower_ != "to"] if span is not None else []
    return words[0] if words else ""


def _clausal(doc: Doc, content: list[Range]) -> bool:
    """Content that is a clause (has a verb) or a quotation, not a bare noun phrase ("criticism of the deal")."""
    for s, e in content:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None and any(t.pos_ in ("VERB", "AUX") for t in span):
            return True
    return False


def _is_finding_source(tok: Token, acts: Acts) -> bool:
    """A document, or a share of people ("35 percent said", "half of voters"): what it says is a finding."""
    return _is_document(tok, acts) or tok.pos_ == "NUM" or lemma(tok) in acts.quantities


def _is_document(tok: Token, acts: Acts) -> bool:
    return tok.pos_ == "NOUN" and lemma(tok) in acts.documents


def can_speak(tok: Token) -> bool:
    """A source head that can say something: a name, a pronoun, or a common noun for people or bodies
    (officials, the ministry, police); not "the situation", "deadly artillery", "their objectives"."""
    acts = load_acts()
    if tok.pos_ in ("PROPN", "PRON") or tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or tok.is_title:
        return True
    word = lemma(tok)
    if tok.pos_ == "NUM" or word in acts.quantities:
        of = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
        return can_speak(of[0]) if of else True  # "35 percent said": respondents of a poll
    return word in acts.speakers or tok.lower_ in acts.speakers or _is_document(tok, acts) or word.endswith(acts.agent_suffixes)


# -- what governs the truth of the content -------------------------------------------------------


def _negated_token(tok: Token) -> bool:
    """``did not say``, ``never mentioned``; a subject ``neither … nor …``, ``no one``, ``nobody``."""
    for c in tok.children:
        if c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ == "never"):
            return True
        if c.dep_ in ("nsubj", "nsubjpass"):
            if c.lower_ in ("nobody", "none", "nothing", "noone") or any(
                    g.dep_ in ("det", "preconj") and g.lower_ in ("no", "neither") for g in c.children):
                return True
            if any(g.dep_ == "preconj" and g.lower_ == "neither" for g in c.subtree):
                return True
    return False


def content_heads(doc: Doc, content: list[Range]) -> list[Token]:
    """The main predicates of the content: tokens inside it whose head lies outside it (or roots)."""
    heads = []
    for s, e in content:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            continue
        for t in span:
            if t.is_punct:
                continue
            if t.head.i == t.i or not (s <= t.head.idx < e) or t.dep_ in ("ROOT", "ccomp", "parataxis") and t.head.i < span.start:
                heads.append(t)
    return heads


NEGATIVE_CUES = frozenset({"deny", "refuse", "decline", "reject", "dismiss", "dispute", "rebut", "refute", "rule"})


def _negative(word: str) -> bool:
    """A verb that negates the content under it: ``denied``, ``refused``; ``failed to mention`` (``omissions``)."""
    return word in NEGATIVE_CUES or word in load_acts().omissions


def negated(doc: Doc, cue_head: int | None, heads: list[Token]) -> bool:
    """The cue or the content's main predicate is negated (also ``no plans`` / ``no intention`` as its object,
    and contents a speaker denies, refuses or rejects, or declines to say). ``heads``: ``content_heads`` of the content."""
    if cue_head is not None:
        cue = doc[cue_head]
        governing = _governing(cue)
        if _negated_token(cue) or lemma(cue) in NEGATIVE_CUES or (governing is not None and _negative(lemma(governing))):
            return True
    for head in heads:
        verbs = [head, *(c for c in head.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"))]
        for v in verbs:
            if _negated_token(v):
                return True
            if any(c.dep_ in ("dobj", "attr", "nsubj") and any(g.dep_ == "det" and g.lower_ == "no" for g in c.children)
                   for c in v.children):
                return True  # "Russia has no plans to …", "there is no evidence"
        if head.pos_ in ("NOUN", "PROPN") and any(g.dep_ == "det" and g.lower_ in ("no", "neither") for g in head.children):
            return True
    return False


HEDGING_CUES = frozenset({"seem", "appear", "sound"})  # "seems to think", "appears to have said"
# "X is said / reported / believed to have told …": the passive verb a cue is the infinitive of makes it hearsay
HEARSAY = frozenset({"said", "reported", "believed", "thought", "rumoured", "rumored", "alleged", "understood",
                     "known", "claimed", "supposed", "considered", "purported"})
QUESTIONING = frozenset({"ask", "wonder", "question", "inquire", "enquire"})  # "asked if …" is a question


def modality(doc: Doc, heads: list[Token], cue_head: int | None = None) -> str | None:
    """The modal, condition or hedge governing the content: ``may``, ``would``, ``conditional``, ``hedged``
    (several joined with ``+``: ``conditional+will``); None when the content is asserted plainly. A hedge or
    modal on the cue itself ("Hopefully, …, he said", "it can be argued", "seems to think") counts too. ``heads``:
    ``content_heads`` of the content."""
    acts = load_acts()
    found: list[str] = []
    if cue_head is not None:
        cue = doc[cue_head]
        if lemma(cue) in HEDGING_CUES or any(c.dep_ == "advmod" and c.lower_ in acts.hedges for c in cue.children):
            found.append("hedged")
        if cue.dep_ == "xcomp" and cue.head.lower_ in HEARSAY and any(c.dep_ == "auxpass" for c in cue.head.children):
            found.append("hedged")  # "Rusu is said to have told aides that …": a rumour, not his known words
        if _conditional(cue, acts):
            found.append("conditional")  # "If asked, the ministry will say …": the saying itself is conditional
        if (supposed := _supposed_saying(cue, acts)) is not None:
            found.append(supposed)  # "whether Rusu said …"
        if any(_asks(h, cue) for h in heads):
            found.append("question")  # "asked whether the minister would resign": nothing is asserted
        found.extend(MODAL_FORMS.get(c.lower_, c.lower_) for c in cue.children if c.dep_ == "aux" and c.lower_ in acts.modals
                     and c.lower_ not in ("will", "'ll", "wo"))  # "can be argued", "would say"; not "will announce"
    for head in heads:
        for c in head.children:
            if c.dep_ == "aux" and c.lower_ in acts.modals:
                found.append(MODAL_FORMS.get(c.lower_, c.lower_))
            elif _conditional_clause(c, acts):
                found.append("conditional")
            elif c.dep_ == "advmod" and c.lower_ in acts.hedges:
                found.append("hedged")
    ordered = sorted(set(found), key=lambda m: (m != "conditional", m == "hedged", m))
    return "+".join(ordered) or None


def _conditional_clause(c: Token, acts: Acts) -> bool:
    """An adverbial ``if`` / ``unless`` / ``whether (or not)`` clause."""
    return c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in acts.conditions for g in c.children)


def _conditional(cue: Token, acts: Acts) -> bool:
    """The cue itself is governed by a condition: its own ``if`` clause, or an inverted one ("Had he been asked")."""
    if any(_conditional_clause(c, acts) for c in cue.children):
        return True
    return any(c.dep_ == "advcl" and any(g.dep_ == "aux" and g.i == c.left_edge.i and g.lower_ in ("had", "were", "should")
                                         for g in c.children) for c in cue.children)


def _asks(head: Token, cue: Token) -> bool:
    """The content is an embedded question of the cue: a ``whether`` clause, or ``if`` / a wh-word after a verb of
    asking ("asked if he would run", "wondered why the bridge closed")."""
    if head.head.i != cue.i or head.dep_ not in ("ccomp", "advcl", "xcomp", "dobj", "pcomp"):
        return False
    first = head.doc[head.left_edge.i]
    if any(c.dep_ == "mark" and c.lower_ == "whether" for c in head.children) or first.lower_ == "whether":
        return True
    return lemma(cue) in QUESTIONING and (first.lower_ == "if" or first.tag_ in ("WDT", "WP", "WRB", "WP$"))


def with_conditions(doc: Doc, content: list[Range]) -> list[Range]:
    """A content cut out of a longer clause keeps the condition governing it: an ``if``/``unless`` clause of
    its main predicate that the cut left outside is added (merged with a touching span)."""
    acts = load_acts()
    extra: list[Range] = []
    for head in content_heads(doc, content):
        for c in head.children:
            if c.dep_ != "advcl" or not any(g.dep_ == "mark" and g.lower_ in acts.conditions for g in c.children):
                continue
            rng = (doc[c.left_edge.i].idx, doc[c.right_edge.i].idx + len(doc[c.right_edge.i]))
            if not any(s <= rng[0] and rng[1] <= e for s, e in content):
                extra.append(rng)
    if not extra:
        return content
    spans = sorted([*content, *extra])
    merged = [spans[0]]
    for s, e in spans[1:]:
        ps, pe = merged[-1]
        if s <= pe + 2 or not doc.text[pe:s].strip(" ,"):
            merged[-1] = (ps, max(pe, e))
        else:
            merged.append((s, e))
    return merged

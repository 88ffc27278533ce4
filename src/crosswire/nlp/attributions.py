"""Find attributions in a parsed article: who (source mention), the cue, and the content spans.

Rules over spaCy's dependency parse and the quote marks of each paragraph, in this order:
1. cue verbs (``cues.toml``) outside quotations: source = the verb's subject (inherited through
   ``adding``/``and said`` chains), content = its clausal complement, the quotation(s) next to it,
   the clause it interrupts (``…, he said``) or its object; quotations continuing in the following
   cue-less sentences of the paragraph join the content; a cue after a clause holding another speaker's
   statement gets only the clause after the joiner, or nothing (``_beside_reports``); a clause or speaker
   keeps to the cue's paragraph whatever the sentence splitter joined (a lead-in ending in a colon runs on);
2. ``according to X`` and its siblings: content = the rest of the sentence;
3. colon lead-ins (``Trump said:`` / ``SANDERS:``) followed by a quotation;
4. quotations no rule claimed, long enough to be speech, inherit the speaker of the attribution
   just before them (quote-only paragraphs).
Speakers are resolved to names later (``speakers.py``); this module only finds spans.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from crosswire.nlp.acts import load_acts
from crosswire.nlp.cues import Cues, load_cues
from crosswire.nlp.lemmas import lemma
from crosswire.nlp.quotes import Quote, find_quotes
from crosswire.nlp.sentences import Sentences

Range = tuple[int, int]

SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
CHAINED = frozenset({"advcl", "xcomp", "conj", "pcomp", "acl"})  # "…, adding that", "said X and warned Y"
CONTENT_DEPS = ("ccomp", "xcomp", "dobj", "attr", "oprd")
# verbs whose infinitive complement is what they say or want ("vowed to fight"); "continued to evolve" is not
XCOMP_CUES = frozenset({
    "want", "plan", "hope", "expect", "refuse", "promise", "vow", "pledge", "threaten", "decline", "agree",
    "intend", "seek", "offer", "urge", "prefer", "decide", "claim", "propose", "demand", "ask", "tell", "warn",
    "call", "appear", "seem", "fear", "wish",
})
# verbs whose direct object is the one addressed ("warned Washington against …"), never what was said
ADDRESSING = frozenset({"tell", "ask", "call", "warn", "urge", "remind", "assure", "inform", "advise", "notify"})
# verbs whose passive subject is the one addressed or talked about, never the speaker
ADDRESSED = frozenset({"ask", "tell", "inform", "advise", "urge", "warn", "remind", "notify", "question", "accuse",
                       "criticize", "criticise", "praise", "blame", "call", "describe", "thank",
                       "attack", "dismiss", "deny", "promise", "assure", "reject", "name", "identify"})
WISHES = frozenset({"hope", "wish", "pray", "dream", "imagine"})  # "I hope America says …"
SUPPOSING = frozenset({"say", "suppose", "imagine", "assume", "picture"})  # "Say Mexico demanded …"
ADDRESSEE_DEPS = frozenset({"dobj", "dative", "iobj"})
CUE_MODIFIERS = frozenset({"aux", "auxpass", "neg", "advmod"})
PUNCT_TRIM = frozenset(",.;:-–—()[] \n\t")
CLOSING_MARKS = frozenset("”»«\"’」』“")
# what joins the clause after another speaker's statement ("…, while", "; but"): the words are dropped
JOINER_WORDS = frozenset({"while", "whereas", "and", "but", "as", "although", "though", "yet"})
JOINER = re.compile(r"[\s,;:—–-]*(?:(?:while|whereas|and|but|as|although|though|even as|yet)\b\s*)?")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
TOPIC_PREPS = frozenset({"about", "on", "for", "to", "against", "of", "at", "with", "over"})
MAX_INHERIT_NEWLINES = 4  # a quote-only paragraph inherits across at most one narrative paragraph
MIN_INHERITED_QUOTE_WORDS = 4  # shorter quotations are mostly scare quotes ("a 'long road ahead'")


@dataclass(slots=True, eq=False)
class Attribution:
    content: list[Range]
    source: Range | None
    source_head: int | None  # token index of the source's head word
    cue: Range | None
    how: str
    venue: str | None = None
    addressee: str | None = None
    inherited_from: Attribution | None = None  # the attribution whose speaker this one takes
    cue_head: int | None = None  # token index of the cue word (verb, noun, or the "to" of "according to")


@dataclass(frozen=True, slots=True)
class _Context:
    doc: Doc
    quotes: list[Quote]
    cues: Cues
    sents: Sentences

    @property
    def text(self) -> str:
        return self.sents.text

    def in_quote(self, pos: int) -> Quote | None:
        for q in self.quotes:
            if q.start <= pos < q.end:
                return q
        return None


def paragraph_quotes(text: str) -> list[Quote]:
    """Quotations of every paragraph (blank-line or newline separated), in text offsets."""
    out: list[Quote] = []
    start = 0
    for line in text.split("\n"):
        out.extend(find_quotes(line, start))
        start += len(line) + 1
    return out


def find_attributions(doc: Doc, cues: Cues | None = None, sents: Sentences | None = None) -> list[Attribution]:
    """Every attribution in ``doc``, in text order."""
    sents = sents or Sentences(doc)
    ctx = _Context(doc, paragraph_quotes(sents.text), cues or load_cues(), sents)
    found: list[Attribution] = []
    for sent in ctx.sents.spans:
        found.extend(_according_to(ctx, sent))
        found.extend(_verb_cues(ctx, sent, found))
        found.extend(_colon_lead_in(ctx, sent, found))
        found.extend(_noun_cues(ctx, sent, found))
    found.extend(_inherited_quotes(ctx, found))
    found.sort(key=lambda a: a.content[0][0] if a.content else 0)
    return [a for a in found if a.content]


# -- verb cues ---------------------------------------------------------------------------------


def _is_cue_verb(ctx: _Context, tok: Token) -> bool:
    if tok.pos_ not in ("VERB", "AUX") or (lemma(tok) not in ctx.cues.verbs and tok.lower_ not in ctx.cues.learned_forms):
        return False
    if lemma(tok) == "point" and not any(c.dep_ == "prt" and c.lower_ == "out" for c in tok.children):
        return False
    return ctx.in_quote(tok.idx) is None


def _verb_cues(ctx: _Context, sent: Span, found: list[Attribution]) -> Iterable[Attribution]:
    claimed = _claimed(found)
    for tok in sent:
        if not _is_cue_verb(ctx, tok) or _hypothetical(tok) or _wished(sent, tok) or _addressed_participle(tok):
            continue
        source = _source_in_paragraph(_subject(tok) or _name_in_cue(tok))
        content, how, cue_end = _content(ctx, sent, tok)
        if content and any(_overlaps(c, claimed) for c in content):
            content = _beside_reports(ctx, tok, content, found)
        if not content or how == "verb:quote" and _not_done(tok):
            continue  # "accused of acting “…” by failing to report it": a quotation is never what was not said
        if source is not None:
            source, content = _name_after_content(tok, source, content)
        if source is None and how != "verb:quote":
            continue  # "to say that …" with nobody saying it: not an attribution we can cite
        att = Attribution(content, _range(source) if source is not None else None,
                          source.root.i if source is not None else None, _cue_range(tok, cue_end), how,
                          _venue(ctx, tok), _addressee(tok), cue_head=tok.i)
        if source is not None and _overlaps(att.source, content):
            continue
        if how == "verb:quote" and att.source is not None and _inside_anothers(att, found):
            continue  # "told MSNBC's “Morning Joe” that nobody would question …": "nobody" said nothing
        claimed.extend(content)
        yield att


def _inside_anothers(att: Attribution, found: list[Attribution]) -> bool:
    """The cue and its subject lie inside the content of a statement found before (another speaker's reported
    clause): a quotation outside that clause is not theirs — it is the outer speaker's, or a title."""
    assert att.source is not None and att.cue is not None
    first, last = min(att.source[0], att.cue[0]), max(att.source[1], att.cue[1])
    return any(a.source is not None and any(s <= first and last <= e for s, e in a.content) for a in found)


def _subject(verb: Token) -> Span | None:
    if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "conj"):
        outer = next((a for a in verb.ancestors if lemma(a) in load_cues().speech and a.pos_ == "VERB"), None)
        if outer is not None:
            verb = outer  # "Officials said the fire was out, adding that …": adding is the officials'
    tok: Token | None = verb
    for _ in range(4):  # climb "said X, adding Y" / "said X and warned Y" chains
        if tok is None:
            return None
        at = tok.i
        subjects = sorted((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), key=lambda c: abs(c.i - at))
        if subjects:
            if subjects[0].dep_ == "nsubjpass" and tok is verb and (agent := _agent(tok)) is not None:
                return agent  # "the plan was criticised by Senator Smith"
            if subjects[0].dep_ == "nsubjpass" and (lemma(tok) in ADDRESSED or subjects[0].lower_ == "it"):
                return None  # "Reagan was once asked how …": Reagan is asked; "it can be argued": nobody
            return _after_dateline(_subtree(subjects[0]))
        if tok is verb and (agent := _agent(tok)) is not None:
            return agent
        if tok.dep_ == "relcl" and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return None  # "Trump, who said …": the relative pronoun is the subject and was found above
        tok = tok.head if tok.dep_ in CHAINED and tok.head is not tok else None
    return None


def _source_in_paragraph(source: Span | None) -> Span | None:
    """``”\n\nA lawyer for the outlets, David Schulz,`` → the part after the blank line the splitter ran over."""
    if source is None:
        return None
    breaks = list(PARAGRAPH_BREAK.finditer(source.text))
    if not breaks:
        return source
    rest = source.doc.char_span(source.start_char + breaks[-1].end(), source.end_char, alignment_mode="contract")
    return rest if rest is not None and len(rest) else source


def _beside_reports(ctx: _Context, verb: Token, content: list[Range], found: list[Attribution]) -> list[Range]:
    """The content of a cue whose clause holds another speaker's statement (cue and all), or [] when it has none.

    A cue before its content reports the other's statement in its own words ("The mayor said police had
    told her …"), and one after a belief or finding tells of it ("Clinton believes X, her adviser said"): the
    content stands, nesting the other. A cue after another's speech ("Authorities said that X,
    while Y, the governor said") gives the governor only what the authorities did not say: the clause after
    the joiner (Y), and the authorities' content ends before it. With no clear joiner both readings are
    possible, and the trailing cue gets nothing: another speaker's words are never given to it."""
    doc = verb.doc
    nested = [a for a in found if a.cue_head is not None and a.source is not None and a.how == "verb:ccomp"
              and any(s <= a.source[0] and doc[a.cue_head].idx < e for s, e in content)]
    if not nested:
        return []  # it overlaps a statement without holding it: already claimed
    if verb.idx < content[0][0] or not any(lemma(doc[a.cue_head]) in ctx.cues.speech for a in nested if a.cue_head is not None):
        return content  # a report in the speaker's own words, or a belief or finding they tell of
    if len(content) != 1 or len(nested) != 1:
        return []
    inner = nested[0]
    start, end = content[0]
    inner_start = min(inner.source[0] if inner.source else start, inner.content[0][0])
    if ctx.text[start:inner_start].strip(" ,") or inner.content[-1][1] > end:
        return []  # the other's statement is not where the trailing cue's content starts: no clean split
    joined = _joined_clause(ctx, inner, end)
    if joined is None:
        return []
    cut, rest = joined
    inner.content[-1] = (inner.content[-1][0], cut)
    return [(rest, end)]


def _joined_clause(ctx: _Context, inner: Attribution, end: int) -> tuple[int, int] | None:
    """Where the clause after another speaker's statement starts (``…, while`` / ``; `` / ``, but``) inside a
    trailing cue's content ending at ``end``: (end of the other's content, start of the clause after it)."""
    doc = ctx.doc
    e = inner.content[-1][1]
    if e < end:  # the other's content stops before the trailing cue's does: what follows must be a new clause
        m = JOINER.match(ctx.text, e, end)
        return (e, m.end()) if m and m.group(0).strip() and _is_clause(doc, m.end(), end) else None
    assert inner.cue_head is not None
    head = next((c for c in doc[inner.cue_head].children if c.dep_ in ("ccomp", "xcomp")), None)
    if head is None:
        return None
    for t in sorted(head.children, key=lambda t: t.i):
        if t.i <= head.i or t.dep_ not in ("advcl", "conj", "parataxis") or t.pos_ not in ("VERB", "AUX"):
            continue
        j = t.left_edge.i - 1  # the clause's first word is its joiner ("while") or comes after one ("and", ";")
        if t.left_edge.dep_ not in ("mark", "cc") and j > 0 and doc[j].lower_ in JOINER_WORDS:
            j -= 1
        if j <= head.i or doc[j].text not in (",", ";", "—", "–"):
            continue
        m = JOINER.match(ctx.text, doc[j].idx, end)
        if m is not None and _is_clause(doc, m.end(), end):
            return doc[j].idx, m.end()
    return None


def _is_clause(doc: Doc, start: int, end: int) -> bool:
    """A finite clause of its own: a subject and at least three words."""
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and len([t for t in span if not t.is_punct]) >= 3 and any(t.dep_ in ("nsubj", "nsubjpass", "expl") for t in span)


def _name_after_content(verb: Token, source: Span, content: list[Range]) -> tuple[Span, list[Range]]:
    """"… underway in Dorn with three people trapped, Olek Brandt, the governor, said": the parse made "three
    people trapped" the subject, the name its appositive, and cut the content at "with". When the content
    ended at such a dangling preposition, the words up to the name end the content and the name is the speaker."""
    root = source.root
    doc = verb.doc
    if root.pos_ != "NOUN" or verb.i < source.end or source.start_char < content[-1][1]:
        return source, content
    name = next((c for c in root.children if c.dep_ == "appos" and c.pos_ == "PROPN" and c.i > root.i), None)
    if name is None or name.left_edge.i == 0 or doc[name.left_edge.i - 1].text != ",":
        return source, content
    gap = doc.char_span(content[-1][1], source.start_char, alignment_mode="contract")
    if gap is None or not len(gap) or any(t.dep_ not in ("prep", "agent") for t in gap):
        return source, content  # only a preposition the content was cut at ("… in Bakhmut with")
    tail = _trim(doc, source.start, name.left_edge.i - 1)
    if tail is None:
        return source, content
    return doc[name.left_edge.i : source.end], [*content[:-1], (content[-1][0], tail[1])]


def _not_done(verb: Token) -> bool:
    """The cue is the infinitive of a refusal or an omission ("declined to comment", "failed to report")."""
    acts = load_acts()
    return verb.dep_ == "xcomp" and lemma(verb.head) in acts.no_comment_verbs | acts.omissions


def _addressed_participle(verb: Token) -> bool:
    """``Asked whether he would run, Haddad said …`` / ``Told of the delay, …``: a bare participle of a verb whose
    passive subject is the one addressed. Its implied subject (the main clause's) was asked, not asking — the
    question is the reporter's, and a quotation after it belongs to the main clause's own cue."""
    return (verb.tag_ == "VBN" and verb.dep_ in ("advcl", "ccomp", "dep", "csubj") and lemma(verb) in ADDRESSED
            and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "agent") for c in verb.children))  # "Asked by reporters": they asked


def _hypothetical(verb: Token) -> bool:
    """A cue inside someone's wish or supposition: "I hope America says …", "Say Mexico demanded …"
    (the writer's own clause or an imperative above it) — nobody said it."""
    cues = load_cues()
    tok = verb
    for _ in range(5):
        if _supposed(tok, cues):
            return True
        if tok.dep_ not in ("ccomp", "xcomp", "advcl", "conj") or tok.head is tok:
            return False
        tok = tok.head
        subjects = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
        if any(s.lower_ in ("i", "we", "you") for s in subjects) and lemma(tok) not in cues.speech:
            return True  # "I hope …", "we imagine …"; "I said that …" inside a quotation is handled elsewhere
        if not subjects and tok.tag_ == "VB" and tok.dep_ == "ROOT":
            return True  # an imperative: "Say …", "Imagine …"
    return False


def _wished(sent: Span, verb: Token) -> bool:
    """"I hope (in 2017) America says …" however the parser hung it: a first-person wish earlier in the
    cue's sentence frames everything after it."""
    for t in sent:
        if t.i >= verb.i:
            return False
        if t.lower_ in WISHES and t.pos_ == "VERB" and any(c.dep_ == "nsubj" and c.lower_ in ("i", "we") for c in t.children):
            return True
    return False


def _supposed(tok: Token, cues: Cues) -> bool:
    """The same, misparsed: "I hope" hung under "says", "Say" taken for an auxiliary."""
    for c in tok.children:
        if c.i < tok.i and c.lower_ in SUPPOSING and c.i == c.sent.start:
            return True
        if c.i < tok.i and c.dep_ in ("ccomp", "parataxis") and lemma(c) in cues.cognition and any(
                s.dep_ == "nsubj" and s.lower_ in ("i", "we") for s in c.children):
            return True
    return False


def _name_in_cue(verb: Token) -> Span | None:
    """A name the parser hung on the cue verb as a modifier (``“…,” DeBoer said`` parsed with DeBoer as
    ``advmod``/``npadvmod``): it is the speaker, not part of the cue."""
    for c in verb.lefts:
        if c.dep_ in ("advmod", "npadvmod", "dep", "compound", "intj") and c.pos_ in ("PROPN", "PRON") and c.i >= verb.i - 4:
            return _subtree(c)
    return None


def _mostly_quoted(rng: Range, quotes: list[Range]) -> bool:
    """A complement that is (nearly) all quotation: the split quote around the cue is the content."""
    inside = sum(max(0, min(rng[1], b) - max(rng[0], a)) for a, b in quotes)
    return inside >= 0.8 * (rng[1] - rng[0])


def _content_start(verb: Token, head: Token) -> int:
    """First token of a complement. A clause without a subject (``said wresting control of the region …
    will remain a fierce battle``: the parser hangs the subject on the cue) starts where its subject does."""
    start = head.left_edge.i
    if head.dep_ != "ccomp" or any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in head.children):
        return start
    lost = [c for c in verb.children if verb.i < c.i < head.i and c.dep_ in ("xcomp", "csubj", "nsubj", "advcl")]
    return min([start, *(c.left_edge.i for c in lost)])


def _content_end(ctx: _Context, head: Token) -> int:
    """Last token of a complement, stopping before a chained cue inside it (``…, adding that …``)."""
    end = head.right_edge.i
    for t in head.subtree:
        if t is not head and t.dep_ in ("advcl", "conj") and t.tag_ == "VBG" and _is_cue_verb(ctx, t) and t.i > head.i:
            end = min(end, t.left_edge.i - 1)
    return max(end, head.i)


def _agent(verb: Token) -> Span | None:
    for child in verb.children:
        if child.dep_ == "agent":
            obj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if obj is not None:
                return _subtree(obj)
    return None


def _after_dateline(span: Span) -> Span:
    """``Kyiv (Reuters) – Russian President Vladimir Putin`` → the part after the dateline's dash."""
    doc = span.doc  # a dateline dash stands apart ("Kyiv (Reuters) – "); "Journal-Constitution", "(D-Mass.)" are names
    dashes = [t.i for t in span if t.text in ("–", "—", "-", "--") and t.i > span.start and doc[t.i - 1].whitespace_]
    if not dashes or dashes[-1] + 1 >= span.end:
        return span
    return span.doc[dashes[-1] + 1 : span.end]


def _content(ctx: _Context, sent: Span, verb: Token) -> tuple[list[Range], str, int | None]:
    """The content of a cue verb, how it was found, and where the cue ends when a preposition joins it."""
    verb_lemma = lemma(verb)
    speech = verb_lemma in ctx.cues.speech
    quoted = _adjacent_quotes(ctx, sent, verb) if speech else []
    for dep in CONTENT_DEPS:
        if dep == "xcomp" and verb_lemma not in XCOMP_CUES:
            continue
        if dep in ("dobj", "attr", "oprd") and verb_lemma in ctx.cues.cognition - ctx.cues.stance:
            continue
        for child in verb.children:
            if child.dep_ != dep or (dep == "dobj" and verb_lemma in ADDRESSING):
                continue
            if dep in ("dobj", "attr", "oprd") and (quoted or not _is_content_object(child)):
                continue
            trimmed = _in_paragraph(ctx, verb.idx, _trim(sent.doc, _content_start(verb, child), _content_end(ctx, child) + 1))
            if trimmed and trimmed[1] - trimmed[0] > 1:
                rng = _expand_to_quotes(ctx, trimmed)
                if quoted and _mostly_quoted(rng, quoted):
                    return _with_continuation(ctx, sent, quoted), "verb:quote", None
                return _with_continuation(ctx, sent, [rng]), f"verb:{dep}", None
    if quoted:
        return _with_continuation(ctx, sent, quoted), "verb:quote", None
    passive = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if passive is not None and _agent(verb) is not None:
        trimmed = _trim(sent.doc, passive.left_edge.i, passive.right_edge.i + 1)
        if trimmed:
            return [trimmed], "verb:passive", None
    if speech and _is_parenthetical(sent, verb):
        rest = [r for r in (_in_paragraph(ctx, verb.idx, p) for p in _interrupted_clause(ctx, sent, verb)) if r]
        if rest:
            return rest, "verb:parenthetical", None
    for child in verb.rights:
        if child.dep_ == "prep" and child.lower_ in TOPIC_PREPS:
            obj = next((g for g in child.children if g.dep_ in ("pobj", "pcomp")), None)
            if obj is not None and _is_content_object(obj):
                trimmed = _trim(sent.doc, obj.left_edge.i, obj.right_edge.i + 1)
                if trimmed:
                    return [trimmed], "verb:topic", child.idx + len(child)
    return [], "", None


def _is_parenthetical(sent: Span, verb: Token) -> bool:
    """``…, he said.`` / ``…, officials say, …``: a cue clause set off by a comma, dash or closing quote."""
    if verb.dep_ not in ("parataxis", "ccomp", "ROOT") or verb.i <= sent.start + 2:
        return False
    clause = [t.i for t in verb.subtree if not any(a.dep_ == "ccomp" and a.head == verb for a in t.ancestors)]
    first = min(clause)
    doc = sent.doc
    if doc[first].is_punct and doc[first].text in (",", "—", "–", "-"):
        return True
    return first > sent.start and doc[first - 1].text in (",", "”", '"', "—", "–", "-", "’")


def _is_content_object(tok: Token) -> bool:
    """Objects that can be what was said or meant: not a bare wh-word or pronoun ("said what", "told him")."""
    return tok.pos_ not in ("PRON", "DET", "NUM") and tok.tag_ not in ("WP", "WDT") and tok.lower_ not in ("so", "this", "that")


def _adjacent_quotes(ctx: _Context, sent: Span, verb: Token) -> list[Range]:
    """Quotations in the verb's sentence (a quote split around "he said" gives two)."""
    s, e = sent.start_char, sent.end_char
    text = ctx.text  # only quotations of the verb's paragraph: the splitter may run a sentence over a break
    # not the quotations of a venue ("said on CNN's “State of the Union”": a title) or of a chained cue
    # ("warned …, saying that … would cross a “red line”": the fragments are the saying's, inside its clause)
    elsewhere = [(c.left_edge.idx, c.right_edge.idx + len(c.right_edge)) for c in verb.children if c.i > verb.i
                 and (c.dep_ in ("prep", "npadvmod") or (c.dep_ in CHAINED and _is_cue_verb(ctx, c)))]
    return [(q.start, q.end) for q in ctx.quotes if q.start < e and q.end > s and q.end - q.start > 3
            and not (q.start <= verb.idx < q.end) and "\n" not in text[min(q.end, verb.idx) : max(q.start, verb.idx)]
            and not any(a <= q.start and q.end <= b + 2 for a, b in elsewhere)]


def _with_continuation(ctx: _Context, sent: Span, ranges: list[Range]) -> list[Range]:
    """Quotations right after the sentence, in the same paragraph and with no cue of their own, join the content."""
    if not any(ctx.in_quote(r[1] - 1) for r in ranges):
        return ranges
    out = list(ranges)
    end = max(max(r[1] for r in ranges), sent.end_char)
    text = ctx.text
    for q in ctx.quotes:
        if q.start < end:
            continue
        gap = text[end:q.start]
        if gap.strip() or "\n" in gap or _has_cue_outside(ctx, q):
            break
        out.append((q.start, q.end))
        end = q.end
    return out


def _has_cue_outside(ctx: _Context, q: Quote) -> bool:
    """The quotation has a cue of its own: in its sentence, or right after it (``“…,” Trump said.`` where the
    sentence splitter cut after the closing mark) — then it is somebody's new statement, not a continuation."""
    sents = {id(s): s for s in (ctx.sents.at(q.start), ctx.sents.at(q.end - 1), ctx.sents.at(min(q.end + 2, len(ctx.text) - 1)))
             if s is not None}
    return any(_is_cue_verb(ctx, t) for s in sents.values() for t in s
               if not (q.start <= t.idx < q.end) and not _apart(ctx.text, t.idx, q.start if t.idx < q.start else q.end))


def _apart(text: str, a: int, b: int) -> bool:
    """A blank line lies between the two offsets: they are in different paragraphs, whatever the splitter said."""
    return PARAGRAPH_BREAK.search(text, min(a, b), max(a, b)) is not None


def _interrupted_clause(ctx: _Context, sent: Span, verb: Token) -> list[Range]:
    """``The economy is strong, he said.`` → the sentence minus the cue clause; an aside in the middle
    (``The blaze, the brigade said, started in a pump house``) leaves two parts."""
    cue_clause = {t.i for t in verb.subtree if t.dep_ not in ("ccomp",) or t is verb}
    for child in verb.children:
        if child.dep_ in ("ccomp", "parataxis"):
            cue_clause -= {t.i for t in child.subtree}
    head_side = [t.i for t in sent if t.i not in cue_clause]
    if verb.dep_ in ("parataxis", "ccomp"):
        head_side = [t.i for t in sent if t.i not in {x.i for x in verb.subtree} or t.i in _ccomp_tokens(verb)]
    if not head_side:
        return []
    before = [i for i in head_side if i < verb.i]
    after = [i for i in head_side if i > verb.i]
    if verb.dep_ == "parataxis" and before and after and len(before) + len(after) >= 3:
        parts = [_trim(sent.doc, before[0], before[-1] + 1), _trim(sent.doc, after[0], after[-1] + 1)]
        return [_expand_to_quotes(ctx, p) for p in parts if p]
    side = before if len(before) >= len(after) else after
    if len(side) < 3:
        return []
    rng = _trim(sent.doc, side[0], side[-1] + 1)
    return [_expand_to_quotes(ctx, rng)] if rng else []


def _ccomp_tokens(verb: Token) -> set[int]:
    return {t.i for c in verb.children if c.dep_ == "ccomp" for t in c.subtree}


def _cue_range(verb: Token, end_char: int | None = None) -> Range:
    """The cue verb with its auxiliaries, negation and adverbs just before it ("has also said")."""
    start = verb.i
    lefts = [c for c in verb.lefts if c.dep_ in CUE_MODIFIERS and c.pos_ not in ("PROPN", "PRON", "NOUN")]
    for c in sorted(lefts, key=lambda t: -t.i):
        if c.i == start - 1 or (c.i < start and all(t.dep_ in CUE_MODIFIERS and t.pos_ not in ("PROPN", "PRON", "NOUN")
                                                    for t in verb.doc[c.i:start])):
            start = c.i
    end = verb.i + 1
    for c in verb.rights:
        if c.dep_ == "prt" and c.i == end:
            end += 1
    doc = verb.doc
    return (doc[start].idx, end_char or doc[end - 1].idx + len(doc[end - 1]))


def _addressee(verb: Token) -> str | None:
    if lemma(verb) not in ("tell", "ask", "inform", "assure", "remind", "warn", "advise", "notify"):
        return None
    for c in verb.children:
        if c.dep_ in ADDRESSEE_DEPS and c.pos_ in ("NOUN", "PROPN", "PRON"):
            return verb.doc[c.left_edge.i : c.right_edge.i + 1].text
    return None


def _venue(ctx: _Context, verb: Token) -> str | None:
    """``at a press conference in Harbin``, ``in a statement``, ``on Twitter``: where it was said."""
    for c in verb.children:
        if c.dep_ != "prep" or c.lower_ not in ("at", "in", "on", "during", "to", "via", "after"):
            continue
        obj = next((g for g in c.children if g.dep_ == "pobj"), None)
        if obj is not None and lemma(obj) in ctx.cues.venue_nouns:
            return verb.doc[c.i : c.right_edge.i + 1].text
    return None


# -- "according to" ----------------------------------------------------------------------------


def _according_to(ctx: _Context, sent: Span) -> Iterable[Attribution]:
    low = sent.text.lower()
    for phrase in ctx.cues.according_to:
        pos = low.find(phrase)
        if pos < 0 or ctx.in_quote(sent.start_char + pos):
            continue
        cue_start = sent.start_char + pos
        cue_end = cue_start + len(phrase)
        last = sent.doc.char_span(cue_end - 2, cue_end, alignment_mode="expand")
        if last is None:
            continue
        prep = last[-1]
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if obj is None:
            nxt = prep.i + 1
            obj = sent.doc[nxt] if nxt < sent.end and sent.doc[nxt].pos_ in ("PROPN", "NOUN", "PRON") else None
        if obj is None:
            continue
        src = _subtree(obj)
        phrase_start = sent.doc.char_span(cue_start, cue_end, alignment_mode="expand")
        if phrase_start is None:
            continue
        drop = set(range(phrase_start.start, src.end))
        rest = [t.i for t in sent if t.i not in drop]
        before = [i for i in rest if i < phrase_start.start]
        after = [i for i in rest if i >= src.end]
        side = before if len(before) >= len(after) else after
        if len(side) < 3:
            continue
        rng = _in_paragraph(ctx, cue_start, _trim(sent.doc, side[0], side[-1] + 1))
        if rng:
            yield Attribution([_expand_to_quotes(ctx, rng)], _range(src), src.root.i, (cue_start, cue_end), "according-to",
                              cue_head=prep.i)


# -- noun cues -------------------------------------------------------------------------------


def _noun_cues(ctx: _Context, sent: Span, found: list[Attribution]) -> Iterable[Attribution]:
    """``Trump's criticism of the deal``, ``her claim that …``: a reporting noun with its owner and its object."""
    claimed = _claimed(found)
    for tok in sent:
        if tok.pos_ != "NOUN" or tok.lower_ not in ctx.cues.nouns or ctx.in_quote(tok.idx):
            continue
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        if owner is None:
            continue
        content: Range | None = None
        cue_end = tok.idx + len(tok)
        for c in tok.children:
            if c.dep_ in ("acl", "ccomp") and c.i > tok.i:
                content = _trim(sent.doc, c.left_edge.i, c.right_edge.i + 1)
            elif c.dep_ == "prep" and c.lower_ in TOPIC_PREPS and c.i == tok.i + 1:
                obj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
                if obj is not None:
                    content = _trim(sent.doc, obj.left_edge.i, obj.right_edge.i + 1)
                    cue_end = c.idx + len(c)
            if content:
                break
        if not content or _overlaps(content, claimed):
            continue
        claimed.append(content)
        src = _subtree(owner)
        yield Attribution([content], _range(src), owner.i, (tok.idx, cue_end), "noun", cue_head=tok.i)


# -- colon lead-ins ----------------------------------------------------------------------------


def _colon_lead_in(ctx: _Context, sent: Span, found: list[Attribution]) -> Iterable[Attribution]:
    claimed = _claimed(found)
    for tok in sent:
        if tok.text != ":" or ctx.in_quote(tok.idx):
            continue
        q = next((q for q in ctx.quotes if q.start > tok.idx and not ctx.text[tok.idx + 1 : q.start].strip()), None)
        if q is None or _overlaps((q.start, q.end), claimed):
            continue
        before = sent.doc[sent.start : tok.i]
        speaker = _label_speaker(before)
        if speaker is None:
            continue
        content = _with_continuation(ctx, sent, [(q.start, q.end)])
        yield Attribution(content, _range(speaker), speaker.root.i, (tok.idx, tok.idx + 1), "colon")


def _label_speaker(before: Span) -> Span | None:
    """``SANDERS:`` / ``Donald Trump:`` / ``Cruz called them on it:`` → the speaker phrase."""
    if not len(before):
        return None
    if len(before) <= 4 and all(t.pos_ == "PROPN" or t.is_title or t.is_upper for t in before):
        return before
    subj = next((t for t in before if t.dep_ in SUBJECTS and t.pos_ in ("PROPN", "PRON", "NOUN")), None)
    if subj is not None and subj.head.pos_ == "VERB":
        return _subtree(subj)
    return None


# -- quote-only passages -----------------------------------------------------------------------


def _inherited_quotes(ctx: _Context, found: list[Attribution]) -> Iterable[Attribution]:
    """Quotations nobody claimed: a quote-only paragraph right after an attribution continues it; one in
    the same or the next paragraph is a new statement by the same speaker — only when no other person or
    organisation is named in between (else nobody can tell whose words they are: left unattributed)."""
    claimed = _claimed(found)
    ordered = sorted(found, key=lambda a: a.content[0][0] if a.content else 0)
    text = ctx.text
    new: list[Attribution] = []
    for q in ctx.quotes:
        if _overlaps((q.start, q.end), claimed) or len(text[q.start : q.end].split()) < MIN_INHERITED_QUOTE_WORDS:
            continue
        if not _quote_only(ctx, q):
            continue  # a fragment inside the narrator's sentence ("has “followed a similar pattern” to …")
        owner = _reopened_into(ctx, q, found)
        if owner is not None:
            claimed.append((q.start, q.end))
            if not _reopened_from(ctx, q, found, owner):  # else both speakers fit: nobody's
                owner.content = sorted([*owner.content, (q.start, q.end)])
            continue
        prev = [a for a in ordered + new if a.content and a.content[-1][1] <= q.start]
        if not prev:
            continue
        last = max(prev, key=lambda a: a.content[-1][1])
        gap = text[last.content[-1][1] : q.start]
        claimed.append((q.start, q.end))
        if not gap.strip(" \n\t.,"):
            last.content.append((q.start, q.end))  # the quotation goes on in the next paragraph
        elif gap.count("\n") <= MAX_INHERIT_NEWLINES and not _other_candidate(ctx, last, last.content[-1][1], q.start):
            origin = last.inherited_from or last
            new.append(Attribution([(q.start, q.end)], None, None, None, "quote:inherited", inherited_from=origin))
    return new


def _reopened_into(ctx: _Context, q: Quote, found: list[Attribution]) -> Attribution | None:
    """A quotation left open at its paragraph's end goes on in the next paragraph's quotation (newspapers reopen
    the mark on each paragraph and name the speaker in the last one): the attribution whose content opens with
    that next quotation, following open paragraphs on; None when the chain ends without a cue. Only a quotation
    that opens its paragraph: one left open after its speaker's cue in the same paragraph ("…," Moore said. "If
    indeed …) is hers, an unclosed mark a slip; and only the same mark reopened (a stray straight mark opening a
    narrator's paragraph before a curly quotation is not the quotation's start)."""
    text = ctx.text
    if text[text.rfind("\n", 0, q.start) + 1 : q.start].strip():
        return None
    cur = q
    while not cur.closed:
        nxt = next((p for p in ctx.quotes if p.start >= cur.end), None)
        if nxt is None or text[cur.end : nxt.start].strip() or text[nxt.start] != text[q.start]:
            return None
        owner = next((a for a in found if a.content and a.content[0][0] <= nxt.start + 1 and any(
            s <= nxt.start + 1 < e for s, e in a.content) and a.content[0][0] >= nxt.start - 1), None)
        if owner is not None:
            return owner
        cur = nxt
    return None


def _reopened_from(ctx: _Context, q: Quote, found: list[Attribution], owner: Attribution) -> bool:
    """The paragraph before ``q`` is an open quotation of another attribution: the quotation could go on from
    it as well as into ``owner``'s."""
    before = [p for p in ctx.quotes if p.end <= q.start and not p.closed and not ctx.text[p.end : q.start].strip()]
    return any(a is not owner and any(s <= before[-1].start < e for s, e in a.content) for a in found) if before else False


def _quote_only(ctx: _Context, q: Quote) -> bool:
    """The quotation's sentences hold nothing but quotation (and punctuation): not a fragment quoted inside
    the narrator's sentence."""
    first, last = ctx.sents.at(q.start), ctx.sents.at(q.end - 1)
    if first is None or last is None:
        return True
    start, end = min(first.start_char, q.start), max(last.end_char, q.end)
    start = max([start, *(m.end() for m in PARAGRAPH_BREAK.finditer(ctx.text, start, q.start))])
    after = PARAGRAPH_BREAK.search(ctx.text, q.end, end)
    end = after.start() if after else end  # only the quotation's own paragraph
    chars = list(ctx.text[start:end])
    for p in ctx.quotes:
        if p.start < end and p.end > start:
            a, b = max(p.start, start) - start, min(p.end, end) - start
            chars[a:b] = " " * (b - a)
    return not any(ch.isalpha() for ch in chars)


def _other_candidate(ctx: _Context, last: Attribution, start: int, end: int) -> bool:
    """Someone else is named between the previous statement and the quotation (a person or organisation
    other than its speaker)."""
    origin = last.inherited_from or last
    own = ctx.text[origin.source[0] : origin.source[1]].lower() if origin.source else ""
    for ent in ctx.doc.ents:
        if ent.start_char < start or ent.end_char > end or ent.label_ not in ("PERSON", "ORG"):
            continue
        words = ent.text.lower().split()
        if not own or not any(w in own for w in words):
            return True
    return False


# -- spans -------------------------------------------------------------------------------------


def _subtree(tok: Token) -> Span:
    return tok.doc[tok.left_edge.i : tok.right_edge.i + 1]


def _range(span: Span) -> Range:
    text = span.text
    end = len(text.rstrip())
    return (span.start_char, span.start_char + end)


def _trim(doc: Doc, start: int, end: int) -> Range | None:
    """Token range → character range without leading/trailing punctuation (closing quote marks stay)."""
    while start < end and (doc[start].is_punct and doc[start].text not in "“\"«„") :
        start += 1
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text not in CLOSING_MARKS
                           or doc[end - 1].dep_ in ("prep", "cc", "mark") and all(c.i >= end for c in doc[end - 1].children)):
        end -= 1  # nor a dangling "with" / "and" whose object the parse left outside
    if start >= end:
        return None
    return (doc[start].idx, doc[end - 1].idx + len(doc[end - 1]))


def _in_paragraph(ctx: _Context, cue_at: int, rng: Range | None) -> Range | None:
    """The part of a clause in the cue's paragraph: where the splitter ran a sentence over a blank line (an
    unmarked quotation opening a paragraph, a quotation with its own cue below), the words in the other
    paragraph are the narrator's or another statement's. A lead-in ending in a colon ("said that, given the
    candidates:") runs on into the quotation below it."""
    if rng is None:
        return None
    text = ctx.text
    s = max([rng[0], *(m.end() for m in PARAGRAPH_BREAK.finditer(text, rng[0], min(cue_at, rng[1])))])
    after = PARAGRAPH_BREAK.search(text, max(cue_at, s), rng[1])
    e = after.start() if after and not text[s : after.start()].rstrip().endswith(":") else rng[1]
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if s < e else None


def _expand_to_quotes(ctx: _Context, rng: Range) -> Range:
    """A content span that cuts a quotation is widened to the whole quotation: a quotation the content opens
    is never cut short ("… is “a stretch for the Oscars, but” at this stage, it's worth the risk," — the parse
    ended the clause at "but"), and a mark just outside the span is taken in."""
    s, e = rng
    for q in ctx.quotes:
        if q.start < e and q.end > s and (q.start < s or q.end > e):
            if q.start < s and s - q.start <= 2:
                s = q.start
            if q.end > e and (q.end - e <= 3 or (q.start >= s and q.closed and "\n" not in ctx.text[e : q.end])):
                e = q.end
    return (s, e)


def _claimed(found: list[Attribution]) -> list[Range]:
    return [c for a in found for c in a.content]


def _overlaps(rng: Range | None, others: Iterable[Range]) -> bool:
    if rng is None:
        return False
    return any(rng[0] < o[1] and o[0] < rng[1] for o in others)

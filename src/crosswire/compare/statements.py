"""Aligned statements: one assertion by one speaker across the articles of a story.

Only ``speech`` statements take part (stances and no-comments are not someone's words). Two statements make the
same assertion when their speakers are the same entity (or surname) and their *proposition keys* — content stems
with synonyms folded to one concept ("seize"/"capture"), without the speaker's name, qualifiers and the words
most statements of the story share ("Kharkiv" in a Kharkiv story) — overlap enough, or overlap somewhat and the
multilingual embeddings agree; near-identical contents make one statement whatever the speakers. Groups are
merged best pair first and only when no member pair is clearly about something else, so "the offensive began to
stop attacks" never joins "a buffer zone". An article that makes one assertion twice gives one variant with a
repeat, never a second group. Each variant lists its shifts from the reference variant: modality (conditional →
intention), attribution (another speaker, quote → paraphrase), scope (other figures), context (truncated),
qualifier (a time restriction, hedge or approximation present on one side only — compared as classes).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from crosswire.compare.disjoint import DisjointSets
from crosswire.compare.docs import Doc
from crosswire.compare.text import STOP, Lexicon, Token, load_lexicon, tokens
from crosswire.model import AlignedStatement, Passage, Shift, Statement, StatementClass, StatementKind, StatementVariant
from crosswire.nlp.lemmas import singular
from crosswire.nlp.names import fold

SAME_ASSERTION = 0.4  # Dice of proposition keys: "no plans to capture the city of Kharkiv" pairs score 0.5–1.0
MEANING_FLOOR = 0.2  # below 0.4 keys, a pair needs the embeddings too; below 0.2 it is another assertion
SAME_SPEAKER_MEANING = 0.55  # USE cosine: "no plans to capture Kharkiv" / "no intentions to seize Kharkiv" = 0.60
# USE cosine of the best span pair across languages: the translations of bench/crosslingual.py score 0.42–0.86,
# another statement of the same speaker at most 0.46 (a sibling sentence), unrelated ones at most 0.27
CROSS_LANGUAGE_MEANING = 0.45
CLEARLY_OTHER = 0.12  # a member pair sharing less is about something else: the groups are not merged
ANY_SPEAKER_OVERLAP = 0.75  # near-identical content attributed to different speakers: one statement, speaker disputed
TRUNCATED = 0.7  # a variant with < 70 % of the reference's content words, all of them from it, is truncated
NEGATION_OVERLAP = 0.5  # a negation shift only between close wordings: "need not fear" is no denial of "reassure"
COMMON_SHARE = 0.25  # a stem in a quarter of the story's statements (the event's place, the main actor) is no key
MIN_COMMON = 5  # … when at least 5 statements have it (in a small story every word is "common")


@dataclass(frozen=True, slots=True)
class Item:
    """One speech statement of one article with its proposition keys."""

    doc: Doc
    statement: Statement
    text: str
    stems: frozenset[str]
    keys: frozenset[str]
    toks: tuple[Token, ...]  # the content's tokens (absolute spans)
    surname: str | None  # the speaker's last name, folded


def _content_text(doc: Doc, s: Statement) -> str:
    return " ".join(doc.text[a:b] for a, b in s.content)


def content_stems(text: str) -> frozenset[str]:
    return frozenset(stem(t.text) for t in tokens(text) if t.text not in STOP and len(t.text) > 2)


def stem(word: str) -> str:
    """A crude stem: singular, without -ing, -ed, -es on long words ("capturing" → "captur")."""
    w = singular(word)
    for suffix in ("ing", "ed", "es"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)]
    return w


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def speech_items(docs: Sequence[Doc]) -> list[Item]:
    """The speech statements of a story with their proposition keys."""
    lex = load_lexicon()
    qualifier_words = {w for q in lex.qualifiers for w in q.split()}
    raw = []
    for d in docs:
        for s in d.analysis.statements if d.analysis else ():
            if s.class_ is StatementClass.SPEECH:
                text = _content_text(d, s)
                speaker = {stem(w) for w in fold(s.speaker or "").split()}
                words = [t.text for t in tokens(text) if t.text not in STOP and len(t.text) > 2 and t.text not in qualifier_words]
                keys = frozenset(lex.concepts.get(w, stem(w)) for w in words) - speaker
                raw.append((d, s, text, content_stems(text), keys))
    count: dict[str, int] = defaultdict(int)
    for *_, keys in raw:
        for k in keys:
            count[k] += 1
    common = {k for k, n in count.items() if n >= MIN_COMMON and n >= COMMON_SHARE * len(raw)}
    return [Item(d, s, t, st, (k - common) or k, tuple(x for a, b in s.content for x in tokens(d.text, a, b)),
                 _surname(s.speaker) if s.speaker else None) for d, s, t, st, k in raw]


def _surname(speaker: str) -> str | None:
    """The speaker's last word, folded; None when the name folds to nothing."""
    words = fold(speaker).split()
    return words[-1] if words else None


def assertion_groups(items: list[Item]) -> list[list[Item]]:
    """Items grouped by assertion (singletons included): best pairs first, never across a clearly other member."""
    candidates = _candidates(items)
    sets = DisjointSets(range(len(items)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(items))}
    for _, i, j in sorted(candidates, reverse=True):
        ri, rj = sets.find(i), sets.find(j)
        if ri == rj or any(_clearly_other(items[x], items[y]) for x in members[ri] for y in members[rj]):
            continue
        sets.union(ri, rj)
        members[ri] += members.pop(rj)
    return [[items[i] for i in sorted(m)] for m in members.values()]


def _clearly_other(x: Item, y: Item) -> bool:
    if x.doc.language and y.doc.language and x.doc.language != y.doc.language:
        return False  # keys of two languages never meet; such a pair was joined by its speaker and embeddings only
    if x.doc.id == y.doc.id and _same_who(x, y) and x.doc.language not in (None, "en") and any(
            "inherited" in it.statement.how or "continued" in it.statement.how for it in (x, y)):
        return False  # a quote continuing the one before ("„A“, sagte Reyk. „B“"): one utterance split in two
    return dice(x.keys, y.keys) < CLEARLY_OTHER and dice(x.stems, y.stems) < ANY_SPEAKER_OVERLAP


def _candidates(items: list[Item]) -> list[tuple[float, int, int]]:
    """Pairs that make the same assertion, with their score; found through an index of keys, embeddings only for
    the pairs the keys leave undecided (each distinct text embedded once, in one batch)."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, it in enumerate(items):
        for k in it.keys:
            index[k].append(i)
    out, undecided = [], []
    concepts = set(load_lexicon().concepts.values())
    for i, it in enumerate(items):
        shared: dict[int, int] = defaultdict(int)
        for k in it.keys:
            for j in index[k]:
                if j > i:
                    shared[j] += 1
        for j, n in shared.items():
            other = items[j]
            keys = 2 * n / (len(it.keys) + len(other.keys))
            same_doc, same_speaker = it.doc.id == other.doc.id, _same_who(it, other)
            if not same_doc and keys >= ANY_SPEAKER_OVERLAP / 2 and (overlap := dice(it.stems, other.stems)) >= ANY_SPEAKER_OVERLAP:
                out.append((overlap, i, j))
            elif same_speaker and keys >= SAME_ASSERTION:
                out.append((keys, i, j))
            elif same_speaker and keys >= MEANING_FLOOR and not same_doc and it.keys & other.keys & concepts:
                undecided.append((i, j))  # a shared predicate ("plan", "capture"), not only the topic ("army", "border")
    out += _across_languages(items)
    if undecided:
        texts = sorted({items[k].text for pair in undecided for k in pair})
        from crosswire.stories.signals import embed

        vectors = dict(zip(texts, embed(texts), strict=True))
        out += [(float(m), i, j) for i, j in undecided
                if (m := vectors[items[i].text] @ vectors[items[j].text]) >= SAME_SPEAKER_MEANING]
    return out


def _across_languages(items: list[Item]) -> list[tuple[float, int, int]]:
    """Pairs of one speaker's statements in articles of different languages: their keys cannot meet (``Gefahr`` /
    ``danger``), so the multilingual embeddings decide — the best pair of their spans or wholes (a quote split in
    two in one language is one span of the other) — with the speaker as the gate (entity keys are folded across
    scripts: ``Путин`` = ``Putin``)."""
    pairs = []
    for i, it in enumerate(items):
        for j in range(i + 1, len(items)):
            other = items[j]
            la, lb = it.doc.language, other.doc.language
            if la and lb and la != lb and it.doc.id != other.doc.id and _same_who(it, other):
                pairs.append((i, j))
    if not pairs:
        return []
    from crosswire.stories.signals import embed

    parts = {k: [items[k].doc.text[a:b] for a, b in items[k].statement.content] + [items[k].text] for pair in pairs for k in pair}
    texts = sorted({t for ps in parts.values() for t in ps})
    vectors = dict(zip(texts, embed(texts), strict=True))
    out = []
    for i, j in pairs:
        best = max(float(vectors[x] @ vectors[y]) for x in parts[i] for y in parts[j])
        if best >= CROSS_LANGUAGE_MEANING:
            out.append((best, i, j))
    return out


def _same_who(a: Item, b: Item) -> bool:
    sa, sb = a.statement, b.statement
    if sa.speaker_entity and sb.speaker_entity and sa.speaker_entity == sb.speaker_entity:
        return True
    return a.surname is not None and a.surname == b.surname


def align_statements(docs: Sequence[Doc], rank: dict[str, int] | None = None,
                     groups: list[list[Item]] | None = None) -> list[AlignedStatement]:
    """Assertions reported by at least two articles, one variant per article, with per-variant shifts; ``rank``
    orders the articles for the reference variant (originals with their own reporting first)."""
    if groups is None:
        groups = assertion_groups(speech_items(docs))
    out = [_aligned(g, rank or {}) for g in groups if len({it.doc.id for it in g}) >= 2]
    return sorted(out, key=lambda a: (-len(a.variants), a.id))


def _same_speaker(a: Statement, b: Statement) -> bool:
    """Same entity, or the same surname ("Kovel" in an article that never gives "Dana Kovel")."""
    if a.speaker_entity and b.speaker_entity and a.speaker_entity == b.speaker_entity:
        return True
    if not a.speaker or not b.speaker:
        return False
    fa, fb = fold(a.speaker).split(), fold(b.speaker).split()
    return bool(fa and fb and fa[-1] == fb[-1])


def _aligned(group: list[Item], rank: dict[str, int]) -> AlignedStatement:
    # the reference: the best-ranked article (an original report with its own reporting, the earliest), its fullest
    # rendering; every other article gives the rendering closest to it, its other renderings are repeats
    by_doc: dict[str, list[Item]] = defaultdict(list)
    for it in group:
        by_doc[it.doc.id].append(it)
    # a direct quote is the speaker's own words: the natural reference, whoever carries it first
    order = sorted(by_doc, key=lambda d: (all(it.statement.kind is StatementKind.INDIRECT for it in by_doc[d]),
                                          rank.get(d, len(rank)), by_doc[d][0].doc.published or "9999", d))
    ref = max(by_doc[order[0]], key=lambda it: (len(it.keys), -it.statement.content[0][0]))
    variants = []
    for doc_id in order:
        its = sorted(by_doc[doc_id], key=lambda it: (it is not ref, -dice(it.keys, ref.keys), it.statement.content))
        it, repeats = its[0], tuple(_passage(o.doc, o.statement.content) for o in its[1:])
        shifts = () if it is ref else shifts_between(ref, it)
        diffs = () if it is ref else tuple(x.detail for x in shifts) + _cue_difference(ref.statement, it.statement)
        s = it.statement
        variants.append(StatementVariant(it.doc.id, it.doc.outlet, s.id, s.speaker, s.kind, s.cue, s.content, it.text,
                                         diffs, shifts, repeats))
    speakers = [v.speaker for v in variants if v.speaker]
    entity = next((it.statement.speaker_entity for it in group if it.statement.speaker_entity), None)
    key = "|".join(sorted(it.statement.id for it in group))
    return AlignedStatement("as" + hashlib.sha1(key.encode()).hexdigest()[:10], speakers[0] if speakers else None, entity,
                            tuple(variants))


def _passage(doc: Doc, spans: tuple[tuple[int, int], ...]) -> Passage:
    start, end = spans[0][0], spans[-1][1]
    return Passage(doc.id, (start, end), doc.text[start:end])


def _cue_difference(r: Statement, s: Statement) -> tuple[str, ...]:
    if r.cue and s.cue and r.cue.lower() != s.cue.lower():
        return (f"cue '{s.cue}' for '{r.cue}'",)
    return ()


# -- shifts --------------------------------------------------------------------------------------


def shifts_between(ref: Item, it: Item) -> tuple[Shift, ...]:
    """What the variant ``it`` changes in the assertion of ``ref``, each with both passages."""
    lex = load_lexicon()
    out = list(_qualifier_shifts(ref, it, lex))
    out += _modality_shifts(ref, it, lex)
    out += _attribution_shifts(ref, it)
    out += _scope_shifts(ref, it)
    rw, w = ref.stems, it.stems
    if w and w <= rw and len(w) < TRUNCATED * len(rw):
        out.append(Shift("context", "truncated: drops part of the statement", _whole(ref), _whole(it)))
    return tuple(out)


def _whole(it: Item) -> Passage:
    return _passage(it.doc, it.statement.content)


def _at(it: Item, span: tuple[int, int] | None) -> Passage:
    return Passage(it.doc.id, span, it.doc.text[span[0] : span[1]]) if span else _whole(it)


def _toks(it: Item) -> tuple[Token, ...]:
    return it.toks


def _phrase_span(toks: tuple[Token, ...], phrase: str) -> tuple[int, int] | None:
    words = phrase.split()
    if not any(t.text == words[0] for t in toks):
        return None
    for i in range(len(toks) - len(words) + 1):
        if all(toks[i + k].text == w for k, w in enumerate(words)):
            return (toks[i].start, toks[i + len(words) - 1].end)
    return None


def qualifier_classes(toks: tuple[Token, ...], lex: Lexicon) -> dict[str, tuple[str, tuple[int, int]]]:
    """Restriction class → (the wording, its span): ``{"time": ("as of today", (10, 21))}``."""
    out: dict[str, tuple[str, tuple[int, int]]] = {}
    for phrase in sorted(lex.time + lex.hedge, key=lambda p: -len(p.split())):
        cls = lex.qualifier_class(phrase)
        if cls not in out and (span := _phrase_span(toks, phrase)):
            out[cls] = (phrase, span)
    return out


CLASS_NAMES = {"time": "time restriction", "hedge": "hedge"}


def _qualifier_shifts(ref: Item, it: Item, lex: Lexicon) -> list[Shift]:
    qr, qi = qualifier_classes(_toks(ref), lex), qualifier_classes(_toks(it), lex)
    out = []
    for cls in sorted(set(qr) ^ set(qi)):
        name = CLASS_NAMES[cls]
        kind = "modality" if cls == "hedge" else "qualifier"  # dropping "allegedly" states the claim as established
        if cls in qr:
            detail = f"drops the {name} '{qr[cls][0]}'" + (" (hedged → stated as fact)" if cls == "hedge" else "")
            out.append(Shift(kind, detail, _at(ref, qr[cls][1]), _whole(it)))
        else:
            detail = f"adds a {name} '{qi[cls][0]}'" + (" (stated as fact → hedged)" if cls == "hedge" else "")
            out.append(Shift(kind, detail, _whole(ref), _at(it, qi[cls][1])))
    return out


def modality(it: Item, lex: Lexicon, other: Item | None = None) -> tuple[str, tuple[int, int] | None]:
    """How firmly a statement asserts: the first modality class whose words it holds (else ``fact``), and where;
    against ``other``, only up to the last word the two share (a clause the other lacks is dropped context)."""
    toks = _toks(it)
    if other is not None:
        shared = [i for i, t in enumerate(toks) if load_lexicon().concepts.get(t.text, stem(t.text)) in other.keys]
        toks = toks[: shared[-1] + 1] if shared else toks
    for cls, phrases in lex.modality.items():
        for phrase in phrases:
            if span := _phrase_span(toks, phrase):
                return cls, span
    return "fact", None


def _cue_class(s: Statement, lex: Lexicon) -> str | None:
    words = (s.cue or "").lower().split()
    return next((cls for cls, cues in lex.cues.items() if any(w in cues for w in words)), None)


def _modality_shifts(ref: Item, it: Item, lex: Lexicon) -> list[Shift]:
    out = []
    (mr, sr), (mi, si) = modality(ref, lex, it), modality(it, lex, ref)
    if mr != mi:
        wr = f" ('{ref.doc.text[sr[0]:sr[1]]}')" if sr else ""
        wi = f" ('{it.doc.text[si[0]:si[1]]}')" if si else ""
        out.append(Shift("modality", f"{mr}{wr} → {mi}{wi}", _at(ref, sr), _at(it, si)))
    cr, ci = _cue_class(ref.statement, lex), _cue_class(it.statement, lex)
    if cr != ci and cr and ci:
        out.append(Shift("modality", f"{cr} ('{ref.statement.cue}') → {ci} ('{it.statement.cue}')",
                         _at(ref, ref.statement.cue_span), _at(it, it.statement.cue_span)))
    neg = lex.negation
    nr = any(t.text in neg or t.text.endswith("n't") for t in _toks(ref))
    ni = any(t.text in neg or t.text.endswith("n't") for t in _toks(it))
    if nr != ni and not _negation_reworded(ref, it) and dice(ref.stems, it.stems) >= NEGATION_OVERLAP:
        out.append(Shift("modality", "negation differs: " + ("denied → asserted" if nr else "asserted → denied"),
                         _whole(ref), _whole(it)))
    return out


def _negation_reworded(ref: Item, it: Item) -> bool:
    """"refused to rule out" says "had not ruled out" without a negation word."""
    cues = {(ref.statement.cue or "").lower(), (it.statement.cue or "").lower()}
    return bool(cues & {"refused", "declined", "denied", "denies", "rejected"})


def _attribution_shifts(ref: Item, it: Item) -> list[Shift]:
    r, s = ref.statement, it.statement
    out = []
    if not _same_speaker(r, s):
        out.append(Shift("attribution", f"said by {s.speaker or 'no one'} (reference: said by {r.speaker or 'no one'})",
                         _at(ref, r.speaker_span), _at(it, s.speaker_span)))
    if r.kind is StatementKind.DIRECT and s.kind is StatementKind.INDIRECT:
        out.append(Shift("attribution", "quoted → paraphrased", _whole(ref), _whole(it)))
    elif r.kind is StatementKind.INDIRECT and s.kind is StatementKind.DIRECT:
        out.append(Shift("attribution", "paraphrase → presented as a direct quote", _whole(ref), _whole(it)))
    return out


def _scope_shifts(ref: Item, it: Item) -> list[Shift]:
    nr = {t.text for t in _toks(ref) if t.text[:1].isdigit()}
    ni = {t.text for t in _toks(it) if t.text[:1].isdigit()}
    if nr and ni and nr != ni:
        return [Shift("scope", f"figures {', '.join(sorted(nr))} → {', '.join(sorted(ni))}", _whole(ref), _whole(it))]
    return []

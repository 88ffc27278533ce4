"""Aligned statements: the same statement by the same speaker across the articles of a story.

Two statements are one when their speakers are the same entity (or the same words) and their contents
share enough content words, or when their contents are near-identical whatever the speakers say (then
the speaker differs between variants, which the variants show). Each variant lists how it differs from
the reference variant: qualifiers dropped or added, another cue verb, truncation, direct vs indirect.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from crosswire.compare.docs import Doc
from crosswire.compare.text import STOP, load_lexicon, tokens
from crosswire.model import AlignedStatement, Statement, StatementKind, StatementVariant
from crosswire.nlp.lemmas import singular
from crosswire.nlp.names import fold

SAME_SPEAKER_OVERLAP = 0.45  # Dice of content stems for one speaker's statements ("no plans to capture Kharkiv")
SAME_SPEAKER_MEANING = 0.55  # USE cosine: "no plans to capture Kharkiv" / "no intentions to seize Kharkiv" = 0.60
ANY_SPEAKER_OVERLAP = 0.75  # near-identical content attributed to different speakers: one statement, speaker disputed
TRUNCATED = 0.7  # a variant with < 70 % of the reference's content words, all of them from it, is truncated


def _content_text(doc: Doc, s: Statement) -> str:
    return " ".join(doc.text[a:b] for a, b in s.content)


def content_stems(text: str) -> frozenset[str]:
    return frozenset(_stem(t.text) for t in tokens(text) if t.text not in STOP and len(t.text) > 2)


def _stem(word: str) -> str:
    w = singular(word)
    for suffix in ("ing", "ed", "es"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)]
    return w


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def align_statements(docs: Sequence[Doc], originals: frozenset[str] = frozenset()) -> list[AlignedStatement]:
    """Statements reported by at least two articles, grouped, with per-variant differences."""
    items = [(d, s, content_stems(_content_text(d, s))) for d in docs if d.analysis for s in d.analysis.statements]
    vectors = _embeddings([_content_text(d, s) for d, s, _ in items])
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    docs_of: dict[int, set[str]] = {i: {items[i][0].id} for i in range(len(items))}
    candidates = []
    for i, (di, si, wi) in enumerate(items):
        for j in range(i + 1, len(items)):
            dj, sj, wj = items[j]
            if di.id == dj.id:
                continue
            sim = dice(wi, wj)
            meaning = float(vectors[i] @ vectors[j]) if vectors is not None else 0.0
            if sim >= ANY_SPEAKER_OVERLAP or (_same_speaker(si, sj) and (sim >= SAME_SPEAKER_OVERLAP or meaning >= SAME_SPEAKER_MEANING)):
                candidates.append((max(sim, meaning), i, j))
    for _, i, j in sorted(candidates, reverse=True):  # best matches first; one variant per article
        ri, rj = find(i), find(j)
        if ri != rj and not docs_of[ri] & docs_of[rj]:
            parent[rj] = ri
            docs_of[ri] |= docs_of.pop(rj)
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(find(i), []).append(i)
    out = []
    for members in groups.values():
        if len({items[i][0].id for i in members}) < 2:
            continue
        out.append(_aligned([items[i] for i in members], originals))
    return sorted(out, key=lambda a: (-len(a.variants), a.id))


def _embeddings(texts: list[str]) -> object:
    """Multilingual sentence embeddings of the contents (paraphrases and translations), or None if empty."""
    if not texts:
        return None
    from crosswire.stories.signals import embed

    return embed(texts)


def _same_speaker(a: Statement, b: Statement) -> bool:
    """Same entity, or the same surname ("Kovel" in an article that never gives "Dana Kovel")."""
    if a.speaker_entity and b.speaker_entity and a.speaker_entity == b.speaker_entity:
        return True
    if not a.speaker or not b.speaker:
        return False
    fa, fb = fold(a.speaker).split(), fold(b.speaker).split()
    return bool(fa and fb and fa[-1] == fb[-1])


def _aligned(members: list[tuple[Doc, Statement, frozenset[str]]], originals: frozenset[str]) -> AlignedStatement:
    # the reference: an original report (not a copy, rewrite or translation), the earliest, the fullest
    members.sort(key=lambda m: (m[0].id not in originals, m[0].published or "9999", -len(m[2]), m[0].id))
    ref_doc, ref, ref_words = members[0]
    variants = []
    for doc, s, words in members:
        diffs = () if s is ref else _differences(ref_doc, ref, ref_words, doc, s, words)
        variants.append(StatementVariant(doc.id, doc.outlet, s.id, s.speaker, s.kind, s.cue, s.content,
                                         _content_text(doc, s), diffs))
    speakers = [s.speaker for _, s, _ in members if s.speaker]
    entity = next((s.speaker_entity for _, s, _ in members if s.speaker_entity), None)
    key = "|".join(sorted(s.id for _, s, _ in members))
    return AlignedStatement("as" + hashlib.sha1(key.encode()).hexdigest()[:10], speakers[0] if speakers else None, entity,
                            tuple(variants))


def _differences(rd: Doc, r: Statement, rw: frozenset[str], d: Doc, s: Statement, w: frozenset[str]) -> tuple[str, ...]:
    out = []
    lex = load_lexicon()
    rt, st = _content_text(rd, r).lower(), _content_text(d, s).lower()
    rwords = " " + " ".join(t.text for t in tokens(rt)) + " "
    swords = " " + " ".join(t.text for t in tokens(st)) + " "
    for q in lex.qualifiers:
        if f" {q} " in rwords and f" {q} " not in swords:
            out.append(f"drops qualifier '{q}'")
        elif f" {q} " in swords and f" {q} " not in rwords:
            out.append(f"adds qualifier '{q}'")
    if (r.cue or "").lower() != (s.cue or "").lower() and r.cue and s.cue:
        out.append(f"cue '{s.cue}' for '{r.cue}'")
    if w and w <= rw and len(w) < TRUNCATED * len(rw):
        out.append("truncated")
    if s.kind is StatementKind.DIRECT and r.kind is StatementKind.INDIRECT:
        out.append("quotes as direct speech what the reference reports indirectly")
    elif s.kind is StatementKind.INDIRECT and r.kind is StatementKind.DIRECT:
        out.append("paraphrases a direct quote")
    if not _same_speaker(r, s):
        out.append(f"different speaker: {s.speaker or 'none'} (reference: {r.speaker or 'none'})")
    neg = lex.negation
    if any(t.text in neg or t.text.endswith("n't") for t in tokens(rt)) != any(t.text in neg or t.text.endswith("n't") for t in tokens(st)):
        out.append("negation differs")
    return tuple(out)

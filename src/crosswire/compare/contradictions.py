"""Possible contradictions in a speaker's timeline: the same entity named, similar words, one of the two negated,
and what the negation governs said by the other."""

from __future__ import annotations

from dataclasses import replace

from crosswire.compare.statements import content_stems, dice, stem
from crosswire.compare.text import STOP, load_lexicon, tokens

CONTRADICTION_OVERLAP = 0.3  # content stems two statements about the same thing share (Dice)


def flag_contradictions(entries: list) -> list:
    """Timeline entries (in time order) with earlier statements they may contradict: the same entity named,
    similar words, one of the two negated, and what the negation governs said by the other (``no plans to take
    Kharkiv`` vs ``plans to take Kharkiv``; not ``need not fear for the river`` vs ``reassure residents worried``)."""
    out = []
    for i, e in enumerate(entries):
        hits = []
        for prev in entries[:i]:
            if not set(e.about) & set(prev.about) or e.statement.article_id == prev.statement.article_id:
                continue
            if _contradicts(e.statement.text, prev.statement.text) and \
                    dice(content_stems(e.statement.text), content_stems(prev.statement.text)) >= CONTRADICTION_OVERLAP:
                hits.append(prev.statement.statement.id)
        out.append(replace(e, contradicts=tuple(hits)) if hits else e)
    return out


def _contradicts(a: str, b: str) -> bool:
    """One text is negated and the other asserts what the negation governs."""
    ha, hb = _negated_heads(a), _negated_heads(b)
    if bool(ha) == bool(hb):
        return False
    negated, other = (ha, b) if ha else (hb, a)
    return bool(negated & content_stems(other))


def _negated_heads(text: str) -> frozenset[str]:
    """The content words negations govern: the first content word within three words after each negation."""
    neg = load_lexicon().negation
    toks = tokens(text)
    out = set()
    for i, t in enumerate(toks):
        if t.text in neg or t.text.endswith(("n't", "n’t")):
            head = next((x.text for x in toks[i + 1 : i + 4] if x.text not in STOP and x.text not in neg and len(x.text) > 2), None)
            if head:
                out.add(stem(head))
    return frozenset(out)

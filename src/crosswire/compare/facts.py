"""The fact table: quantities of a story organised into slots (what is counted or measured), one value per article.

Two quantities fill one slot when they count the same thing (unit or counted noun) in sentences that say
the same thing (aligned), and either are the only such quantity in their sentences or follow the same
word ("injured 9" / "injured 12"). A slot's label is the counted thing with the words before it.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from crosswire.compare.disjoint import DisjointSets
from crosswire.compare.docs import Doc, Pair, align
from crosswire.compare.text import STOP, tokens
from crosswire.model import FactSlot, FactValue

LABEL_WORDS = 2  # content words before a quantity that say what it counts ("drones downed")


@dataclass(frozen=True, slots=True)
class _Found:
    doc: str
    sentence: int
    value: FactValue
    before: tuple[str, ...]


def fact_table(docs: Sequence[Doc], aligner: Callable[[Doc, Doc], list[Pair]] = align) -> list[FactSlot]:
    """Slots with a value from at least two articles, the most reported first."""
    found = [f for d in docs for f in _quantities(d)]
    aligned = {(a.id, b.id, p.a.index, p.b.index) for i, a in enumerate(docs) for b in docs[i + 1 :] for p in aligner(a, b)}
    aligned |= {(b, a, j, i) for a, b, i, j in aligned}
    per_sentence = Counter((f.doc, f.sentence, f.value.unit) for f in found)
    sets = DisjointSets(range(len(found)))
    docs_of = {i: {f.doc} for i, f in enumerate(found)}

    for i, x in enumerate(found):
        for j in range(i + 1, len(found)):
            y = found[j]
            if x.doc == y.doc or x.value.unit != y.value.unit or (x.doc, y.doc, x.sentence, y.sentence) not in aligned:
                continue
            alone = per_sentence[(x.doc, x.sentence, x.value.unit)] == 1 and per_sentence[(y.doc, y.sentence, y.value.unit)] == 1
            ri, rj = sets.find(i), sets.find(j)
            if ri != rj and (alone or (x.before[-1:] == y.before[-1:] and x.before)) and not docs_of[ri] & docs_of[rj]:
                sets.union(ri, rj)
                docs_of[ri] |= docs_of.pop(rj)
    groups: dict[int, list[_Found]] = {}
    for i, f in enumerate(found):
        groups.setdefault(sets.find(i), []).append(f)
    slots = []
    for members in groups.values():
        if len({f.doc for f in members}) < 2:
            continue
        words = Counter(w for f in members for w in f.before).most_common(LABEL_WORDS)
        unit = members[0].value.unit or "quantity"
        label = " ".join([w for w, _ in words] + [unit])
        key = "|".join(sorted(f"{f.doc}:{f.value.span}" for f in members))
        slots.append(FactSlot("fs" + hashlib.sha1(key.encode()).hexdigest()[:10], label, tuple(f.value for f in members)))
    return sorted(slots, key=lambda s: (-len(s.values), s.label))


def _quantities(d: Doc) -> list[_Found]:
    out = []
    for s in d.sents:
        for q in d.quantities_in(s.start, s.end):
            before = tuple(t.text for t in tokens(d.text, s.start, q.span[0]) if t.text not in STOP)[-LABEL_WORDS:]
            after = [t.text for t in tokens(d.text, q.span[1], s.end)[:2] if t.text not in STOP]
            unit = q.unit or (after[0] if after else None)
            value = FactValue(d.id, d.outlet, q.text, q.value, unit, q.approx, q.span, (s.start, s.end))
            out.append(_Found(d.id, s.index, value, before))
    return out


def single_figures(docs: Sequence[Doc], slots: Sequence[FactSlot]) -> int:
    """Figures of the story that fill no slot: found in one article only (or reworded past recognition)."""
    placed = {(v.article_id, v.span) for slot in slots for v in slot.values}
    return sum(1 for d in docs for f in _quantities(d) if (d.id, f.value.span) not in placed)

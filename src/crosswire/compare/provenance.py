"""Who copied whom: provenance edges between the articles of a story, originals, independent sources.

For each article, the earlier article that covers most of its sentences is its source: ``copy`` when
nearly all its word 3-grams are there, ``translation`` when the languages differ, else ``rewrite``;
a second source when a large part is covered by another article (roundups). Two articles crediting
the same agency are ``shared-source`` (both derive from the agency copy, neither from the other).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from crosswire.compare.disjoint import DisjointSets
from crosswire.compare.docs import Doc, Pair, align, containment_of
from crosswire.model import Passage, ProvenanceEdge

COPY_CONTAINMENT = 0.9  # ≥ 90 % of 3-grams shared: the same text with other boilerplate or headline
MIN_COVERAGE = 0.5  # half of the target's sentences have a counterpart in the source: derived from it
SECOND_SOURCE_SHARE = 0.25  # a quarter of the target not covered by its first source …
SECOND_SOURCE_COVERAGE = 0.5  # … and half of that covered by another article: a second source
EVIDENCE_PAIRS = 3


def trace(docs: Sequence[Doc], aligner: Callable[[Doc, Doc], list[Pair]] = align) -> list[ProvenanceEdge]:
    """Provenance edges of one story's articles (directed source → target, except shared-source)."""
    order = sorted(docs, key=_order_key)
    rank = {d.id: i for i, d in enumerate(order)}
    edges: list[ProvenanceEdge] = []
    for target in order:
        earlier = [s for s in order if s.id != target.id and _may_precede(s, target, rank)]
        edges.extend(_sources(target, earlier, aligner))
    edges.extend(_shared_source(order, edges))
    return edges


def _order_key(d: Doc) -> tuple[str, int, str]:
    # undated articles go last; among equals the longer text first (a derivative usually drops material)
    return (d.published or "9999", -len(d.words), d.id)


def _may_precede(s: Doc, t: Doc, rank: dict[str, int]) -> bool:
    if credits(t, s):
        return True  # the target names the source as its source ("Source: www.kontinentbote.example")
    if credits(s, t):
        return False
    if s.published and t.published and s.published != t.published:
        return s.published < t.published
    return rank[s.id] < rank[t.id]


def _sources(target: Doc, earlier: list[Doc], aligner: Callable[[Doc, Doc], list[Pair]]) -> list[ProvenanceEdge]:
    scored = []
    for s in earlier:
        if _same_agency(s, target):
            continue  # both run an agency's copy: shared-source, decided below
        pairs = aligner(s, target)
        coverage = len({p.b.index for p in pairs}) / len(target.sents) if target.sents else 0.0
        scored.append((coverage, containment_of(target, s), s, pairs))
    scored.sort(key=lambda x: (-x[0], -x[1], x[2].id))
    if not scored or scored[0][0] < MIN_COVERAGE:
        return []
    coverage, cont, source, pairs = scored[0]
    edges = [_edge(source, target, coverage, cont, pairs)]
    covered = {p.b.index for p in pairs}
    rest = [s for s in target.sents if s.index not in covered]
    if len(rest) >= 2 and len(rest) >= SECOND_SOURCE_SHARE * len(target.sents):
        for cov2, cont2, other, pairs2 in scored[1:]:
            extra = {p.b.index for p in pairs2} - covered
            if len(extra) >= SECOND_SOURCE_COVERAGE * len(rest):
                edges.append(_edge(other, target, cov2, cont2, pairs2))
                break
    return edges


def _edge(source: Doc, target: Doc, coverage: float, cont: float, pairs: list[Pair]) -> ProvenanceEdge:
    if source.language and target.language and source.language != target.language:
        relation, reason = "translation", f"{source.language} → {target.language}, {coverage:.0%} of sentences aligned"
    elif cont >= COPY_CONTAINMENT:
        relation, reason = "copy", f"{cont:.0%} of the target's word 3-grams are in the source"
    else:
        relation, reason = "rewrite", f"{coverage:.0%} of the target's sentences have a counterpart, {cont:.0%} of its 3-grams"
    best = sorted(pairs, key=lambda p: -p.score)[:EVIDENCE_PAIRS]
    evidence = tuple((_passage(source, p.a.start, p.a.end), _passage(target, p.b.start, p.b.end)) for p in best)
    covered = {p.b.index for p in pairs}
    added = tuple(_passage(target, s.start, s.end) for s in target.sents if s.index not in covered)
    confidence = round(max(cont, coverage) if relation != "rewrite" else coverage, 3)
    return ProvenanceEdge(source.id, target.id, relation, confidence, round(cont, 3), round(coverage, 3), evidence, added, reason)


def credits(d: Doc, other: Doc) -> bool:
    """Does ``d`` credit ``other``'s outlet, by name or by web address?"""
    name = _compact(other.outlet or "")
    if not name:
        return False
    for c in d.credited:
        host = re.sub(r"^(https?://)?(www\.)?", "", c.lower()).split("/")[0]
        label = _compact(host.split(".")[0]) if "." in host else _compact(c)
        if label and len(label) >= 4 and (label in name or name in label) and _compact(d.outlet or "") != name:
            return True
    return False


def _compact(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _same_agency(a: Doc, b: Doc) -> bool:
    """Both credit an agency that is neither of them (a Nordwire story crediting Nordwire is the original)."""
    shared = {c.lower() for c in a.credited} & {c.lower() for c in b.credited}
    return bool(shared - {(a.outlet or "").lower(), (b.outlet or "").lower()})


def _shared_source(order: list[Doc], edges: list[ProvenanceEdge]) -> list[ProvenanceEdge]:
    """Pairs crediting the same agency, when the agency's own article is not in the story (else the
    articles derive from it and have their edges already)."""
    linked = {(e.source, e.target) for e in edges} | {(e.target, e.source) for e in edges}
    present = {(d.outlet or "").lower() for d in order}
    out = []
    for i, a in enumerate(order):
        for b in order[i + 1 :]:
            if _same_agency(a, b) and (a.id, b.id) not in linked and not ({c.lower() for c in a.credited} & present):
                agency = sorted({c for c in a.credited if c.lower() in {x.lower() for x in b.credited}
                                 and c.lower() not in {(a.outlet or "").lower(), (b.outlet or "").lower()}})[0]
                cont = containment_of(b, a)
                out.append(ProvenanceEdge(a.id, b.id, "shared-source", 0.9, round(cont, 3), 0.0,
                                          reason=f"both credit {agency}"))
    return out


def originals(docs: Sequence[Doc], edges: Sequence[ProvenanceEdge]) -> list[str]:
    """Articles that derive from no other article of the story."""
    derived = {e.target for e in edges if e.relation != "shared-source"}
    return [d.id for d in docs if d.id not in derived]


def source_groups(docs: Sequence[Doc], edges: Sequence[ProvenanceEdge]) -> dict[str, str]:
    """Article id → the independent source it rests on (copies follow their source; one agency counts once)."""
    sets = DisjointSets(d.id for d in docs)
    for e in edges:  # a derived article rests on its (first) source; shared-source pairs are one source
        if e.source in sets and e.target in sets:
            sets.union(e.source, e.target)
    return {d.id: sets.find(d.id) for d in docs}


def _passage(d: Doc, start: int, end: int) -> Passage:
    return Passage(d.id, (start, end), d.text[start:end])

"""Compare the articles of one story: aligned statements, fact table, conflicts, provenance.

Pure: articles (with their analyses) in, a ``Comparison`` out; every item carries article ids and spans.
``bench_predict`` is the entry point of ``bench/compare``.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence

from crosswire.compare.conflicts import Disagreement, disagreements
from crosswire.compare.contradictions import flag_contradictions
from crosswire.compare.disjoint import DisjointSets
from crosswire.compare.docs import Aligner, Doc
from crosswire.compare.facts import fact_table, single_figures
from crosswire.compare.labels import conflict_label
from crosswire.compare.provenance import originals, source_groups, trace
from crosswire.compare.statements import align_statements, assertion_groups, speech_items
from crosswire.compare.summary import assess_sources, coverage, independent_count, rank_articles, summarise
from crosswire.compare.text import load_lexicon
from crosswire.model import Comparison, Conflict, ConflictSide, Passage

__all__ = ["COMPARE_VERSION", "Doc", "compare_story", "bench_predict", "flag_contradictions"]

# bump when the comparison record changes; a stored comparison computed by another version is stale (the caller
# must fold it into the stored signature next to the analysis version — app/comparison.py does)
COMPARE_VERSION = "compare-3"  # 3: summary, sources, conflict labels and contexts, variant shifts and repeats



def compare_story(story_id: str, docs: Sequence[Doc]) -> Comparison:
    """Everything that differs between the articles of one story, with evidence, and a summary of it."""
    docs = list(docs)
    aligner = Aligner(docs)
    edges = trace(docs, aligner)
    groups = source_groups(docs, [e for e in _first_edges(edges)])
    found = _all_disagreements(docs, edges, aligner)
    roots = originals(docs, edges)
    assertions = assertion_groups(speech_items(docs))
    sources = assess_sources(docs, edges, assertions)
    statements = align_statements(docs, rank_articles(docs, sources), assertions)
    facts = fact_table(docs, aligner)
    conflicts = _conflicts(found, {d.id: d for d in docs}, groups)
    cov = coverage(assertions, facts, single_figures(docs, facts))
    return Comparison(
        story_id=story_id,
        article_ids=tuple(d.id for d in docs),
        statements=tuple(statements),
        facts=tuple(facts),
        conflicts=tuple(conflicts),
        provenance=tuple(edges),
        originals=tuple(roots),
        independent_sources=independent_count(sources),
        summary=tuple(summarise(docs, statements, conflicts, sources, assertions, cov)),
        coverage=cov,
        sources=tuple(sources),
        outlets=tuple((d.id, d.outlet) for d in docs),
    )


def _all_disagreements(docs: list[Doc], edges: Sequence, aligner: Aligner) -> list[Disagreement]:
    """Every pair of articles compared; pairs where one derives from the other also compare reworded counts."""
    related = {(e.source, e.target) for e in edges} | {(e.target, e.source) for e in edges}
    return [d for i, a in enumerate(docs) for b in docs[i + 1 :] for d in disagreements(a, b, (a.id, b.id) in related, aligner)]


def _first_edges(edges: Sequence) -> list:
    """Each derived article counts under its first (main) source; shared-source pairs count once."""
    seen: set[str] = set()
    out = []
    for e in edges:
        if e.relation == "shared-source" or e.target not in seen:
            out.append(e)
            seen.add(e.target)
    return out


def _conflicts(found: list[Disagreement], docs: dict[str, Doc], groups: dict[str, str]) -> list[Conflict]:
    """Pairwise disagreements joined into conflicts: one per fact, its sides grouped by value."""
    sets: DisjointSets[tuple[str, str, tuple[int, int]]] = DisjointSets()
    for d in found:
        sets.union(_node(d, docs, d.doc_a, d.span_a), _node(d, docs, d.doc_b, d.span_b))
    members: dict[tuple, list[Disagreement]] = defaultdict(list)
    for d in found:
        members[sets.find(_node(d, docs, d.doc_a, d.span_a))].append(d)
    out = []
    for ds in members.values():
        kind = ds[0].kind
        by_value: dict[str, dict[tuple[str, tuple[int, int]], str]] = defaultdict(dict)
        for d in ds:
            va, vb = _side_values(d)
            by_value[_norm(va)][(d.doc_a, d.span_a)] = va
            by_value[_norm(vb)][(d.doc_b, d.span_b)] = vb
        sides = []
        for _, places in sorted(by_value.items()):
            value = next(iter(places.values()))
            found_at = {(p.article_id, p.span): (p, _context(docs[doc], span)) for doc, span in sorted(places)
                        for p in (_value_passage(docs[doc], span, kind, value),)}  # one passage per place in the text
            passages = tuple(p for p, _ in found_at.values())
            sides.append(ConflictSide(value, passages, len({groups.get(p.article_id, p.article_id) for p in passages}),
                                      tuple(c for _, c in found_at.values())))
        severity = max((d.severity for d in ds), key=("weak", "medium", "strong").index)
        key = "|".join(sorted(f"{doc}:{span}" for d in ds for doc, span in ((d.doc_a, d.span_a), (d.doc_b, d.span_b))))
        label = conflict_label(docs[ds[0].doc_a], ds[0])
        detail = f"{label}: " + " vs ".join(f"{s.value} ({', '.join(sorted({docs[p.article_id].outlet or p.article_id[:8] for p in s.passages}))})"
                                            for s in sides)
        out.append(Conflict("cf" + hashlib.sha1(f"{kind}|{key}".encode()).hexdigest()[:10], kind, severity, tuple(sides),
                            detail, _conservative(kind, sides), label))
    return sorted(out, key=lambda c: (("strong", "medium", "weak").index(c.severity), c.kind, c.id))


def _node(d: Disagreement, docs: dict[str, Doc], doc: str, span: tuple[int, int]) -> tuple[str, str, tuple[int, int]]:
    """Where a disagreement sits: its span, or for a qualifier its sentence (the side lacking it has no word of its own)."""
    return (d.kind, doc, _context(docs[doc], span).span if d.kind == "qualifier" else span)


def _side_values(d: Disagreement) -> tuple[str, str]:
    """Each side as a value: a qualifier conflict is the qualifier against its absence, not the word after it."""
    if d.kind != "qualifier":
        return d.value_a, d.value_b
    phrase = d.detail.split("'")[1]
    return phrase, ABSENT[load_lexicon().qualifier_class(phrase)]


ABSENT = {"time": "no time restriction", "hedge": "stated as fact", "approx": "an exact figure"}


def _value_passage(doc: Doc, span: tuple[int, int], kind: str, value: str) -> Passage:
    """Where a side's value stands: its span (a qualifier's own words, not the word after it); the sentence for the
    side that lacks a qualifier (there is no word to point at)."""
    if kind == "qualifier":
        at = doc.text.lower().find(value.lower(), span[0], span[1])
        if at < 0:
            return _context(doc, span)
        span = (at, at + len(value))
    return Passage(doc.id, span, doc.text[span[0] : span[1]])


def _context(doc: Doc, span: tuple[int, int]) -> Passage:
    """A side's passage: the sentence holding the value (the value alone is a stray word)."""
    s = doc.sentence_at(span[0])
    start, end = (s.start, s.end) if s else span
    return Passage(doc.id, (start, end), doc.text[start:end])


def _norm(value: str) -> str:
    return " ".join(value.lower().split())


def _conservative(kind: str, sides: list[ConflictSide]) -> str | None:
    """For counts, the lowest figure is the most conservative claim."""
    if kind != "number":
        return None
    from crosswire.nlp.quantities import find_quantities

    valued = [(q[0].value, s.value) for s in sides if (q := find_quantities(s.value))]
    return min(valued)[1] if valued else None


def bench_predict(documents: list[dict]) -> dict:
    """``bench/compare`` entry point: one story's documents → predicted conflicts and provenance edges."""
    from crosswire.nlp.analyse import analyse_doc
    from crosswire.nlp.parse import parse

    docs = []
    for d, parsed in zip(documents, parse(d["text"] for d in documents), strict=True):
        analysis = analyse_doc(parsed, d["id"])
        credit = d.get("credit")
        docs.append(Doc(d["id"], d["text"], d.get("title"), d.get("outlet"), d.get("published"),
                        (credit,) if credit else (), "en", analysis))
    aligner = Aligner(docs)
    edges = trace(docs, aligner)
    found = _all_disagreements(docs, edges, aligner)
    return {
        "conflicts": [{"kind": x.kind, "doc_a": x.doc_a, "span_a": list(x.span_a), "doc_b": x.doc_b, "span_b": list(x.span_b)}
                      for x in found],
        "provenance": [{"source": e.source, "target": e.target, "relation": e.relation} for e in edges],
    }

"""Which articles are independent reporting, and the 3–6 line summary of a comparison.

An article counts as an independent source only with positive evidence of its own reporting: quotes no other
article of the story carries, a dateline, or a credited agency (then the agency is the source, counted once however
many articles run its copy). Copies, rewrites and translations rest on their source; an article with none of that
evidence is "possibly from a common source" — an AI rewrite of another outlet's report looks exactly like that.
Facts the others lack are reported as what an article adds, not as proof of reporting: a rewrite of a fuller
report has them too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from crosswire.compare.docs import Doc
from crosswire.compare.statements import Item
from crosswire.model import (
    AlignedStatement,
    Conflict,
    Coverage,
    FactSlot,
    Passage,
    ProvenanceEdge,
    SourceAssessment,
    StatementKind,
    SummaryLine,
)

DATELINE = re.compile(r"^\s*[A-ZÀ-Þ][A-ZÀ-Þ .'-]{2,40}(?:,\s*[A-Z][\w .]+)?\s*(?:\([^)]{2,40}\))?\s*[–—-]\s")
QUOTE = re.compile(r"[\"„“«»]\s*\w[^\"„“”«»\n]{25,}?[\"“”«»]")  # a quotation of some length, any language
MAX_LINES = 6
MAX_PASSAGES = 4  # per line: enough to check it, few enough to read
QUOTE_CHARS = 90  # statements are quoted in summary lines up to this length


def assess_sources(docs: Sequence[Doc], edges: Sequence[ProvenanceEdge], groups: list[list[Item]]) -> list[SourceAssessment]:
    """Per article: independent (own quotes, dateline), credited (an agency's copy), derived, or possibly common."""
    by_id = {d.id: d for d in docs}
    derived = {}
    for e in edges:
        if e.relation != "shared-source" and e.target not in derived:
            derived[e.target] = e
    own_quotes = _own_quotes(groups, derived)
    out = []
    for d in docs:
        if d.id in derived:
            e = derived[d.id]
            out.append(SourceAssessment(d.id, "derived", e.source, (f"{e.relation} of {_name(by_id[e.source])}",)))
            continue
        evidence = []
        if own_quotes[d.id]:
            evidence.append(f"{own_quotes[d.id]} quote(s) of its own")
        if DATELINE.match(d.text):
            evidence.append("dateline")
        if d.analysis is None or not d.analysis.analysed:
            quotes = len(QUOTE.findall(d.text))
            evidence += [f"{quotes} quotation(s) (language not analysed)"] if quotes else []
        agency = _agency(d)
        if agency:
            out.append(SourceAssessment(d.id, "credited", agency, (f"credits {agency}", *evidence)))
        elif evidence:
            out.append(SourceAssessment(d.id, "independent", d.outlet or d.id, tuple(evidence)))
        else:
            out.append(SourceAssessment(d.id, "possibly-common-source", d.outlet or d.id,
                                        ("no quotes, dateline or credit of its own",)))
    return out


def independent_count(sources: Sequence[SourceAssessment]) -> int:
    """Distinct sources with evidence of their own reporting (an agency counted once)."""
    return len({s.source.lower() for s in sources if s.status in ("independent", "credited")})


def _agency(d: Doc) -> str | None:
    """The credited source when it is not the outlet itself (a Nordwire story crediting Nordwire is its own)."""
    outlet = re.sub(r"[^a-z0-9]", "", (d.outlet or "").lower())
    for c in d.credited:
        label = re.sub(r"^(https?://)?(www\.)?", "", c.lower()).split("/")[0]
        if re.sub(r"[^a-z0-9]", "", label.split(".")[0]) not in (outlet, "") and not outlet.startswith(label.split(".")[0]):
            return label if "." in label else c
    return None


def _own_quotes(groups: list[list[Item]], derived: dict[str, ProvenanceEdge]) -> dict[str, int]:
    """Direct quotes an article carries that no other article (except its own copies) has."""
    out: dict[str, int] = defaultdict(int)
    for g in groups:
        docs = {it.doc.id for it in g}
        roots = {_root(d, derived) for d in docs}
        for it in g:
            if it.statement.kind is not StatementKind.INDIRECT and len(roots) == 1 and it.doc.id not in derived:
                out[it.doc.id] += 1
    return out


def _root(doc_id: str, derived: dict[str, ProvenanceEdge]) -> str:
    seen = set()
    while doc_id in derived and doc_id not in seen:
        seen.add(doc_id)
        doc_id = derived[doc_id].source
    return doc_id


def _name(d: Doc) -> str:
    if d.outlet:
        return d.outlet
    return f"article {d.id[:8]}" + (f" (source: {d.credited[0]})" if d.credited else "")


def rank_articles(docs: Sequence[Doc], sources: Sequence[SourceAssessment]) -> dict[str, int]:
    """Articles in the order a reader should trust them as the reference — the same order that names the
    original in the summary: own reporting (or a credited source) first, the report others derive from most,
    the earliest, the one with most evidence of its own."""
    by_id = {s.article_id: s for s in sources}
    followers: dict[str, int] = defaultdict(int)
    for s in sources:
        if s.status == "derived":
            followers[s.source] += 1

    def key(d: Doc) -> tuple:
        s = by_id.get(d.id)
        group = 0 if s is not None and s.status in ("independent", "credited") else 1 if s is not None and s.status != "derived" else 2
        return (group, -followers[d.id], d.published or "9999", -len(s.evidence) if s else 0, d.id)  # as _original

    return {d.id: i for i, d in enumerate(sorted(docs, key=key))}


def coverage(groups: list[list[Item]], facts: Sequence[FactSlot], single_figures: int) -> Coverage:
    """How many assertions and figures were compared, and how many of them only one outlet has."""
    single = sum(1 for g in groups if len({it.doc.id for it in g}) == 1)
    return Coverage(len(groups), len(facts) + single_figures, single + single_figures)


def summarise(docs: Sequence[Doc], statements: Sequence[AlignedStatement], conflicts: Sequence[Conflict],
              sources: Sequence[SourceAssessment], groups: list[list[Item]], cov: Coverage) -> list[SummaryLine]:
    """3–6 lines: the original, what outlets agree on, what they dispute, what others add, coverage, independence."""
    by_id = {d.id: d for d in docs}
    lines = [_original(by_id, sources)]
    main = lines[0].passages[0].article_id
    agree, disputes, adds = _agree(statements, sources)[:1], _disputes(by_id, statements, conflicts), _adds(by_id, sources, groups, main)
    room = MAX_LINES - 3 - len(agree)  # original, coverage and independence always; one line for what others add
    lines += agree + disputes[: room - min(1, len(adds))]
    lines += adds[: MAX_LINES - 2 - len(lines)]
    lines.append(SummaryLine("coverage", f"{cov.statements} statements and {cov.figures} figures compared; "
                                         f"{cov.single_outlet} appear in one outlet only"))
    lines.append(_independence(by_id, sources))
    return lines[:MAX_LINES]


def _lead(d: Doc) -> Passage:
    s = next((s for s in d.sents if len(s.tokens) >= 8), d.sents[0] if d.sents else None)
    return Passage(d.id, (s.start, s.end), d.text[s.start : s.end]) if s else Passage(d.id, (0, 0), "")


def _original(by_id: dict[str, Doc], sources: Sequence[SourceAssessment]) -> SummaryLine:
    firsts = [s for s in sources if s.status in ("independent", "credited")] or \
             [s for s in sources if s.status != "derived"] or list(sources)
    followers: dict[str, int] = defaultdict(int)
    for s in sources:
        if s.status == "derived":
            followers[s.source] += 1
    # the report others derive from most, then the earliest, then the one with most evidence of its own
    firsts.sort(key=lambda s: (-followers[s.article_id], by_id[s.article_id].published or "9999", -len(s.evidence), s.article_id))
    main = firsts[0]
    credit = f", crediting {main.source}" if main.status == "credited" else ""
    why = "; ".join(e for e in main.evidence if not e.startswith("credits"))
    text = f"The original report is {_name(by_id[main.article_id])}{credit}" + (f" ({why})" if why else "")
    return SummaryLine("original", text, (_lead(by_id[main.article_id]),))


def _quote(text: str) -> str:
    text = " ".join(text.split()).strip("\"“” ,.")
    return f"“{text[:QUOTE_CHARS]}…”" if len(text) > QUOTE_CHARS else f"“{text}”"


def _variant_passage(v: object) -> Passage:
    start, end = v.content[0][0], v.content[-1][1]  # type: ignore[attr-defined]
    return Passage(v.article_id, (start, end), v.text)  # type: ignore[attr-defined]


def _agree(statements: Sequence[AlignedStatement], sources: Sequence[SourceAssessment]) -> list[SummaryLine]:
    source_of = {s.article_id: s.source.lower() if s.status != "derived" else s.article_id for s in sources}
    counted = {s.source.lower() for s in sources if s.status in ("independent", "credited")}
    out = []
    for a in statements:
        clean = [v for v in a.variants if not any(sh.kind != "context" for sh in v.shifts)]
        independent = {source_of.get(v.article_id) for v in clean} & counted
        if len(clean) >= 2 and len(independent) >= 2:
            who = a.speaker or "someone"
            out.append(SummaryLine("agree", f"{len(clean)} articles ({len(independent)} independent sources) agree that "
                                            f"{who} said {_quote(clean[0].text)}",
                                   tuple(_variant_passage(v) for v in clean[:MAX_PASSAGES])))
    return out


def _disputes(by_id: dict[str, Doc], statements: Sequence[AlignedStatement], conflicts: Sequence[Conflict]) -> list[SummaryLine]:
    out = []
    for c in conflicts:
        if c.severity == "weak":
            continue
        sides = " vs ".join(f"{s.value} ({', '.join(sorted({_name(by_id[p.article_id]) for p in s.passages}))})" for s in c.sides)
        out.append(SummaryLine("dispute", f"{c.label or c.kind}: {sides}",
                               tuple(p for s in c.sides for p in (s.contexts or s.passages)[:2])[:MAX_PASSAGES]))
    for a in statements:
        shifted = [(v, sh) for v in a.variants for sh in v.shifts if sh.kind == "modality"]
        if shifted:
            ref = a.variants[0]
            how = "; ".join(f"{_name(by_id[v.article_id])}: {sh.detail}" for v, sh in shifted[:2])
            text = f"How firmly {a.speaker or 'the speaker'} said it differs from {_name(by_id[ref.article_id])}'s " \
                   f"{_quote(ref.text)} — {how}"
            passages = (shifted[0][1].source,) + tuple(sh.target for _, sh in shifted)
            out.append(SummaryLine("dispute", text, passages[:MAX_PASSAGES]))
    return out


def _adds(by_id: dict[str, Doc], sources: Sequence[SourceAssessment], groups: list[list[Item]], main: str) -> list[SummaryLine]:
    """What each article other than the original adds: statements no other article carries."""
    own: dict[str, list[Item]] = defaultdict(list)
    for g in groups:
        if len({it.doc.id for it in g}) == 1:
            own[g[0].doc.id].append(g[0])
    out = []
    for s in sorted(sources, key=lambda s: (-len(own[s.article_id]), s.article_id)):
        if s.article_id == main:
            continue
        d = by_id[s.article_id]
        # named speakers and their own words first: "they said" is a weak example of what an article adds
        items = sorted(own[s.article_id], key=lambda it: (not (it.statement.speaker or " ")[0].isupper(),
                                                          it.statement.kind is StatementKind.INDIRECT, it.statement.content))
        how = f" ({s.evidence[0]})" if s.status == "derived" else ""
        if not items:
            out.append(SummaryLine("adds", f"{_name(d)}{how} adds no statement of its own", (_lead(d),)))
            continue
        first = items[0]
        text = (f"{_name(d)}{how} adds {len(items)} statement(s) no other article carries, e.g. "
                f"{first.statement.speaker or 'someone'}: {_quote(first.text)}")
        spans = [(it.statement.content[0][0], it.statement.content[-1][1]) for it in items[:MAX_PASSAGES]]
        out.append(SummaryLine("adds", text, tuple(Passage(d.id, sp, d.text[sp[0] : sp[1]]) for sp in spans)))
    return out


def _independence(by_id: dict[str, Doc], sources: Sequence[SourceAssessment]) -> SummaryLine:
    n = independent_count(sources)
    parts, passages = [], []
    for s in sources:
        d = by_id[s.article_id]
        if s.status == "credited":
            parts.append(f"{s.source} (credited by {d.outlet or 'article ' + d.id[:8]})")
        elif s.status == "independent":
            parts.append(f"{_name(d)} ({', '.join(s.evidence)})")
        else:
            continue
        passages.append(_lead(d))
    common = [_name(by_id[s.article_id]) for s in sources if s.status == "possibly-common-source"]
    text = f"{n} independent source(s): {'; '.join(dict.fromkeys(parts)) or 'none with evidence of its own reporting'}"
    if common:
        text += f"; possibly from a common source (no quotes, dateline or credit of their own): {', '.join(common)}"
    derived = sum(1 for s in sources if s.status == "derived")
    if derived:
        text += f"; {derived} cop{'y' if derived == 1 else 'ies'}, rewrite(s) or translation(s) not counted"
    return SummaryLine("independence", text, tuple(passages[:MAX_PASSAGES]))

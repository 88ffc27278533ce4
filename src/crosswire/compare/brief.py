"""Extractive briefs of a story: every sentence is copied from an article and cites it; disputed facts are
shown as disputed with each side; copies and rewrites are never counted as confirmation.

Nothing is generated: the brief is sentences from the original reports (the articles no other derives
from), the statements several outlets carry, and the comparison's conflicts, each with its citations
(article, outlet, character span). Rendered as Markdown or as escaped HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from crosswire.model import Comparison

LEAD_SENTENCES = 2  # from each original report: news puts who/what/where/when first
MAX_STATEMENTS = 8
MIN_LEAD_WORDS = 8  # "Good evening." or a bare dateline is not a lead


@dataclass(frozen=True, slots=True)
class Citation:
    article_id: str
    outlet: str | None
    span: tuple[int, int]  # offsets, for links and the export; never printed
    text: str = ""  # the quoted passage


@dataclass(frozen=True, slots=True)
class Line:
    """One sentence of the brief and where it comes from."""

    text: str
    citations: tuple[Citation, ...]
    note: str = ""  # e.g. "reported by 3 independent sources"


@dataclass(frozen=True, slots=True)
class Dispute:
    kind: str
    severity: str
    sides: tuple[tuple[str, int, tuple[Citation, ...]], ...]  # value, independent sources, citations
    conservative: str | None
    label: str = ""  # what is disputed: "firefighters injured"


@dataclass(frozen=True, slots=True)
class Brief:
    story_id: str
    title: str | None
    span: str
    independent_sources: int
    articles: int
    facts: tuple[Line, ...]
    statements: tuple[Line, ...]
    disputes: tuple[Dispute, ...]
    derived: tuple[str, ...]  # "The Meridian Post copies Nordwire" …
    summary: tuple[Line, ...] = ()  # the comparison's summary lines, each with its passages


def make_brief(view: Any, comparison: Comparison, texts: dict[str, str]) -> Brief:
    """A brief from a story view, its comparison and the members' clean texts."""
    from crosswire.compare.text import sentences

    outlet = {m.article_id: m.outlet for m in view.members}

    def cite(aid: str, span: tuple[int, int]) -> Citation:
        return Citation(aid, outlet.get(aid), span, texts[aid][span[0] : span[1]])

    summary = tuple(Line(x.text, tuple(cite(p.article_id, p.span) for p in x.passages), x.kind) for x in comparison.summary)
    # the original reports: no other article derives from them, and they show reporting of their own (or credit an
    # agency that did) — a rewrite nothing derives from is not an original (its source may be another outlet's)
    own = {s.article_id for s in comparison.sources if s.status in ("independent", "credited")}
    originals = [m.article_id for m in view.members if m.article_id in set(comparison.originals)
                 and (not own or m.article_id in own)]
    facts = []
    for aid in originals:
        informative = [s for s in sentences(texts[aid]) if len(s.tokens) >= MIN_LEAD_WORDS]
        for s in informative[:LEAD_SENTENCES]:
            facts.append(Line(texts[aid][s.start : s.end], (cite(aid, (s.start, s.end)),)))
    statements = []
    several = [a for a in comparison.statements if len({v.outlet or v.article_id for v in a.variants}) >= 2]
    for a in several[:MAX_STATEMENTS]:  # aligned groups are one assertion each: no unrelated sentence rides along
        ref = a.variants[0]
        cites = tuple(cite(v.article_id, (v.content[0][0], v.content[-1][1])) for v in a.variants)
        statements.append(Line(f"{a.speaker or 'Someone'}: {ref.text}", cites, f"carried by {len({c.article_id for c in cites})} articles"))
    disputes = tuple(
        Dispute(c.kind, c.severity, tuple((s.value, s.independent_sources, tuple(cite(p.article_id, p.span) for p in s.contexts or s.passages))
                                          for s in c.sides), c.conservative, c.label or c.kind)
        for c in comparison.conflicts
    )
    derived = tuple(f"{outlet.get(e.target) or e.target[:8]} {_verb(e.relation)} {outlet.get(e.source) or e.source[:8]}"
                    for e in comparison.provenance)
    span = "undated" if not view.first else view.first if view.first == view.last else f"{view.first} – {view.last}"
    return Brief(view.id, view.title, span, comparison.independent_sources, len(view.members), tuple(facts),
                 tuple(statements), disputes, derived, summary)


def _verb(relation: str) -> str:
    return {"copy": "copies", "rewrite": "rewrites", "translation": "translates",
            "shared-source": "runs the same agency copy as"}.get(relation, relation)


QUOTE_CHARS = 120  # a cited passage longer than this is shortened in the middle


def _cite(c: Citation) -> str:
    """The outlet and the quoted passage (offsets stay in links and the export)."""
    text = " ".join(c.text.split())
    if len(text) > QUOTE_CHARS:
        text = text[: QUOTE_CHARS // 2] + " … " + text[-QUOTE_CHARS // 2 :]
    return f"{c.outlet or 'article ' + c.article_id[:8]}: “{text}”" if text else (c.outlet or f"article {c.article_id[:8]}")


def to_markdown(b: Brief) -> str:
    """The brief as Markdown; every line ends with its citations in brackets."""
    out = [f"# {b.title or b.story_id}", "",
           f"{b.articles} articles · {b.span} · {b.independent_sources} independent source(s) "
           "(copies, rewrites and translations are not counted as confirmation)", ""]
    if b.summary:
        out += ["## Summary", ""]
        out += [f"- {line.text}" + (f" [{'; '.join(_cite(c) for c in line.citations[:2])}]" if line.citations else "")
                for line in b.summary]
        out.append("")
    out += ["## What the original reports say", ""]
    out += [f"- {line.text} [{_cite(line.citations[0])}]" for line in b.facts]
    if b.statements:
        out += ["", "## Statements carried by several outlets", ""]
        out += [f"- {line.text} [{'; '.join(_cite(c) for c in line.citations)}]" for line in b.statements]
    if b.disputes:
        out += ["", "## Disputed", ""]
        for d in b.disputes:
            sides = " vs ".join(f"\"{v}\" ({n} independent; {'; '.join(_cite(c) for c in cites)})" for v, n, cites in d.sides)
            cons = f" Most conservative: \"{d.conservative}\"." if d.conservative else ""
            out.append(f"- {d.label or d.kind} ({d.severity}): {sides}.{cons}")
    if b.derived:
        out += ["", "## Who copied whom", ""] + [f"- {line}" for line in b.derived]
    return "\n".join(out) + "\n"


def to_html(b: Brief) -> str:
    """The brief as a standalone HTML page; all article text escaped."""
    e = escape

    def cites(cs: tuple[Citation, ...]) -> str:
        return " ".join(f'<a class="cite" href="/articles/{e(c.article_id)}?start={c.span[0]}&amp;end={c.span[1]}#passage">'
                        f"[{e(_cite(c))}]</a>" for c in cs)

    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{e(b.title or b.story_id)}</title></head><body>",
             f"<h1>{e(b.title or b.story_id)}</h1>",
             f"<p>{b.articles} articles · {e(b.span)} · {b.independent_sources} independent source(s) "
             "(copies, rewrites and translations are not counted as confirmation)</p>"]
    if b.summary:
        parts.append("<h2>Summary</h2><ul>")
        parts += [f"<li>{e(line.text)} {cites(line.citations[:2])}</li>" for line in b.summary]
        parts.append("</ul>")
    parts.append("<h2>What the original reports say</h2><ul>")
    parts += [f"<li>{e(line.text)} {cites(line.citations)}</li>" for line in b.facts]
    parts.append("</ul>")
    if b.statements:
        parts.append("<h2>Statements carried by several outlets</h2><ul>")
        parts += [f"<li>{e(line.text)} {cites(line.citations)}</li>" for line in b.statements]
        parts.append("</ul>")
    if b.disputes:
        parts.append("<h2>Disputed</h2><ul>")
        for d in b.disputes:
            sides = " vs ".join(f"“{e(v)}” ({n} independent) {cites(cs)}" for v, n, cs in d.sides)
            cons = f" Most conservative: “{e(d.conservative)}”." if d.conservative else ""
            parts.append(f"<li><strong>{e(d.label or d.kind)}</strong> ({e(d.severity)}): {sides}.{cons}</li>")
        parts.append("</ul>")
    if b.derived:
        parts.append("<h2>Who copied whom</h2><ul>" + "".join(f"<li>{e(x)}</li>" for x in b.derived) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"

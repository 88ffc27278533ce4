"""View models of a story's comparison as the story page and the brief page show it: the comparison as its
record (``export.comparison_record``: the JSON the API answers) with what the engine adds when it has it — the
summary lines and how much was compared, each conflict's label (the counted thing and unit), each variant's shifts
(modality, attribution, scope, context, qualifier) — and the brief with every citation quoting its passage. Absent
fields stay empty, so a comparison without them (an older engine's) renders as before."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from crosswire import export
from crosswire.compare.brief import Brief, Citation
from crosswire.model import Comparison
from crosswire.web.analysis_views import AlignedStatementOut, ComparisonOut, ConflictOut, ConflictSideOut, PassageOut, VariantOut

SUMMARY_CONFLICTS = 3  # conflicts named in a summary counted from the comparison; the table below lists them all


class CitedPassageOut(PassageOut):
    outlet: str | None = None


class SummaryLineOut(BaseModel):
    kind: str = Field(description="agree, dispute, original, adds, coverage or independence")
    text: str
    passages: list[CitedPassageOut] = []


class ComparedOut(BaseModel):
    statements: int
    figures: int
    single_outlet: int = Field(description="How many of them appear in one outlet only.")


class SummaryOut(BaseModel):
    lines: list[SummaryLineOut]
    compared: ComparedOut | None = None


class ShiftOut(BaseModel):
    kind: str = Field(description="modality, attribution, scope, context or qualifier")
    detail: str
    from_: PassageOut | None = Field(None, alias="from")
    to: PassageOut | None = None


class ShiftedVariantOut(VariantOut):
    shift: list[ShiftOut] = []


class ShiftedAlignedOut(AlignedStatementOut):
    variants: list[ShiftedVariantOut]  # type: ignore[assignment]


class LabelledConflictOut(ConflictOut):
    label: str | None = Field(None, description="The counted thing and unit, e.g. 'firefighters injured'.")


class StoryComparisonOut(ComparisonOut):
    """The comparison with the summary, conflict labels and variant shifts when it has them."""

    summary: SummaryOut | None = None
    conflicts: list[LabelledConflictOut]  # type: ignore[assignment]
    statements: list[ShiftedAlignedOut]  # type: ignore[assignment]


def story_comparison_out(comparison: Comparison) -> StoryComparisonOut:
    """A story's comparison as the API answers it and the pages show it."""
    return StoryComparisonOut.model_validate(export.comparison_record(comparison))


def side_outlets(side: ConflictSideOut, outlets: dict[str, str | None]) -> str:
    """The outlets carrying one side of a conflict, named once each in passage order."""
    return ", ".join(dict.fromkeys(outlets.get(p.article_id) or p.article_id[:8] for p in side.passages))


def conflict_headline(c: LabelledConflictOut, outlets: dict[str, str | None]) -> str:
    """'firefighters injured: 14 (Nordwire) vs 41 (newsflashhub.example)'; without a label, the kind leads."""
    sides = " vs ".join(f"{s.value} ({side_outlets(s, outlets)})" for s in c.sides)
    return f"{c.label or c.kind}: {sides}"


class BriefCitationOut(BaseModel):
    article_id: str
    outlet: str | None
    span: tuple[int, int]
    quote: str = Field(description="The cited passage, copied from the article.")


class BriefLineOut(BaseModel):
    text: str
    note: str
    citations: list[BriefCitationOut]


class BriefSideOut(BaseModel):
    value: str
    independent_sources: int
    citations: list[BriefCitationOut]


class BriefDisputeOut(BaseModel):
    kind: str
    severity: str
    label: str | None
    headline: str = Field(description="'firefighters injured: 14 (Nordwire) vs 41 (newsflashhub.example)'")
    sides: list[BriefSideOut]
    conservative: str | None


class BriefOut(BaseModel):
    """The brief page: the summary, the original reports' leads, shared statements, disputes, who copied whom."""

    story_id: str
    title: str | None
    span: str
    articles: int
    independent_sources: int
    summary: SummaryOut | None
    facts: list[BriefLineOut]
    statements: list[BriefLineOut]
    disputes: list[BriefDisputeOut]
    derived: list[str]


def brief_out(b: Brief, compared: StoryComparisonOut, texts: dict[str, str]) -> BriefOut:
    """A brief with every citation quoting its passage (the page links to it; offsets stay in the export);
    ``compared``: the story's comparison (its summary and conflict labels)."""
    labels = [c.label for c in compared.conflicts]

    def cite(c: Citation) -> BriefCitationOut:
        return BriefCitationOut(article_id=c.article_id, outlet=c.outlet, span=c.span, quote=texts.get(c.article_id, "")[c.span[0] : c.span[1]])

    def line(x: Any) -> BriefLineOut:
        return BriefLineOut(text=x.text, note=x.note, citations=[cite(c) for c in x.citations])

    disputes = []
    for i, d in enumerate(b.disputes):
        label = labels[i] if i < len(labels) else None
        named = " vs ".join(f"{v} ({', '.join(dict.fromkeys(c.outlet or 'unknown outlet' for c in cs))})" for v, _, cs in d.sides)
        disputes.append(BriefDisputeOut(
            kind=d.kind, severity=d.severity, label=label, headline=f"{label or d.kind}: {named}", conservative=d.conservative,
            sides=[BriefSideOut(value=v, independent_sources=n, citations=[cite(c) for c in cs]) for v, n, cs in d.sides]))  # fmt: skip
    return BriefOut(story_id=b.story_id, title=b.title, span=b.span, articles=b.articles, independent_sources=b.independent_sources,
                    summary=compared.summary, facts=[line(x) for x in b.facts], statements=[line(x) for x in b.statements],
                    disputes=disputes, derived=list(b.derived))  # fmt: skip


def page_summary(c: StoryComparisonOut, outlets: dict[str, str | None]) -> tuple[SummaryOut, bool]:
    """The comparison's summary, or (flag True) one counted from its parts when it has none (an older engine's): disputes,
    originals, independent sources and how much was compared — never a claim that the outlets agree."""
    if c.summary and c.summary.lines:
        return c.summary, False
    def name(aid: str) -> str:
        return outlets.get(aid) or f"unknown outlet ({aid[:8]})"

    lines = []
    if c.conflicts:
        shown = c.conflicts[:SUMMARY_CONFLICTS]
        text = f"The outlets dispute {len(c.conflicts)} point(s): " + "; ".join(conflict_headline(k, outlets) for k in shown)
        passages = [CitedPassageOut(**p.model_dump(), outlet=name(p.article_id)) for k in shown for s in k.sides for p in s.passages[:1]]
        lines.append(SummaryLineOut(kind="dispute", text=text + ("; …" if len(c.conflicts) > len(shown) else "."), passages=passages))
    if c.originals:
        derived = len(outlets) - len(c.originals)
        lines.append(SummaryLineOut(kind="original", text=f"Original report(s): {', '.join(name(a) for a in c.originals)}"
                                    + (f"; {derived} other article(s) derive from them or were not traced." if derived else ".")))
    lines.append(SummaryLineOut(kind="independence", text=f"{c.independent_sources} independent source(s) among {len(outlets)} "
                                "article(s): copies, rewrites and translations are not confirmation."))
    found = "no conflict found" if not c.conflicts else f"{len(c.conflicts)} conflict(s) found"
    lines.append(SummaryLineOut(kind="coverage", text=f"{len(c.statements)} aligned statement(s) and {len(c.facts)} fact(s) "
                                f"compared; {found}."))
    return SummaryOut(lines=lines), True

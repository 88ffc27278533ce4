"""View models of the language and comparison layers (statements, entities, analyses, timelines, story
comparisons): the JSON of the API and the context of the pages, as in ``views``. Shapes follow
``crosswire.export`` (docs/export-schema.md)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from crosswire import export
from crosswire.app.reading import TimelineEntry
from crosswire.model import Analysis
from crosswire.storage.analysis import EntityRow, StoredStatement

Span = tuple[int, int]


class StatementOut(BaseModel):
    id: str
    kind: str = Field(description="direct, mixed or indirect")
    class_: str = Field(alias="class", description="speech, stance or no-comment")
    negated: bool = Field(description="The content is governed by a negation (or the cue is negated).")
    modality: str | None = Field(description="may, could, would, conditional, hedged…; null when asserted plainly.")
    speaker: str | None
    speaker_entity: str | None = Field(description="Entity key of the resolved speaker.")
    speaker_role: str | None
    speaker_span: Span | None
    resolved_from: Span | None = Field(description="The mention a pronoun or description was resolved to.")
    cue: str | None
    cue_span: Span | None
    content_spans: list[Span]
    content_text: str = Field(description="The content joined from its spans.")
    venue: str | None
    addressee: str | None
    rule: str


class ListedStatementOut(StatementOut):
    article_id: str
    title: str | None
    outlet: str | None
    published: str | None
    published_source: str


class StatementListOut(BaseModel):
    limit: int
    offset: int
    next_offset: int | None
    items: list[ListedStatementOut]


class EntityOut(BaseModel):
    key: str = Field(description="kind:folded name, the same across articles.")
    kind: str
    name: str
    variants: list[str]
    descriptions: list[str]


class EntityRowOut(EntityOut):
    articles: int
    mentions: int
    statements: int = Field(description="How often the entity is quoted.")


class EntityListOut(BaseModel):
    limit: int
    offset: int
    next_offset: int | None
    items: list[EntityRowOut]


class MentionOut(BaseModel):
    span: Span
    text: str
    kind: str
    entity: str
    via: str


class QuantityOut(BaseModel):
    span: Span
    text: str
    value: float
    unit: str | None
    approx: str | None
    low: float | None
    high: float | None
    alternatives: list[dict[str, Any]]


class DateMentionOut(BaseModel):
    span: Span
    text: str
    value: str | None
    relative: bool


class ClaimOut(BaseModel):
    id: str
    span: Span
    statement_id: str | None
    source: str | None
    quantities: list[QuantityOut]
    dates: list[DateMentionOut]
    places: list[str]
    actors: list[str]


class AnalysisStateOut(BaseModel):
    analysed: bool
    note: str


class AnalysisOut(BaseModel):
    article_id: str
    analysis: AnalysisStateOut
    entities: list[EntityOut]
    mentions: list[MentionOut]
    statements: list[StatementOut]
    claims: list[ClaimOut]


class TimelineItemOut(ListedStatementOut):
    story_id: str | None
    about: list[str] = Field(description="Entity keys the statement names.")
    contradicts: list[str] = Field(description="Ids of earlier statements it may contradict.")


class TimelineOut(BaseModel):
    speaker: str
    about: str | None
    entity: EntityOut | None = Field(description="The speaker's entity, when the speaker is an entity key.")
    items: list[TimelineItemOut]


class PassageOut(BaseModel):
    article_id: str
    span: Span
    text: str


class EvidenceOut(BaseModel):
    source: PassageOut
    target: PassageOut


class ProvenanceOut(BaseModel):
    source: str
    target: str
    relation: str = Field(description="copy, rewrite, translation or shared-source")
    confidence: float
    containment: float
    coverage: float
    reason: str
    evidence: list[EvidenceOut]
    added: list[PassageOut] = Field(description="Passages of the target its source lacks.")


class ConflictSideOut(BaseModel):
    value: str
    independent_sources: int
    passages: list[PassageOut]


class ConflictOut(BaseModel):
    id: str
    kind: str = Field(description="number, date, place, speaker, qualifier, negation or escalation")
    severity: str = Field(description="strong, medium or weak")
    detail: str
    conservative: str | None = Field(description="The most conservative value, when the kind has one.")
    sides: list[ConflictSideOut]


class VariantOut(BaseModel):
    article_id: str
    outlet: str | None
    statement_id: str
    speaker: str | None
    kind: str
    cue: str | None
    content_spans: list[Span]
    text: str
    differences: list[str] = Field(description="How it differs from the reference (first) variant.")


class AlignedStatementOut(BaseModel):
    id: str
    speaker: str | None
    speaker_entity: str | None
    variants: list[VariantOut]


class FactValueOut(BaseModel):
    article_id: str
    outlet: str | None
    value: str
    number: float | None
    unit: str | None
    approx: str | None
    span: Span
    sentence: Span


class FactOut(BaseModel):
    id: str
    label: str
    values: list[FactValueOut]


class ComparisonOut(BaseModel):
    story_id: str
    independent_sources: int = Field(description="Originals, articles running the same agency copy counted once.")
    originals: list[str]
    provenance: list[ProvenanceOut]
    conflicts: list[ConflictOut]
    statements: list[AlignedStatementOut]
    facts: list[FactOut]


def statement_out(s: StoredStatement) -> ListedStatementOut:
    """A stored statement with its article."""
    return ListedStatementOut.model_validate({**_listed(s)})


def _listed(s: StoredStatement) -> dict[str, Any]:
    return {**export.statement_record(s.statement, ""), "content_text": s.text, "article_id": s.article_id, "title": s.title,
            "outlet": s.outlet, "published": s.published, "published_source": s.published_source}  # fmt: skip


def entity_row_out(r: EntityRow) -> EntityRowOut:
    """An entity with its counts."""
    e = r.entity
    return EntityRowOut(key=e.key, kind=e.kind, name=e.name, variants=list(e.variants), descriptions=list(e.descriptions),
                        articles=r.articles, mentions=r.mentions, statements=r.statements)  # fmt: skip


def analysis_out(article_id: str, analysis: Analysis | None, text: str) -> AnalysisOut:
    """An article's language layer with spans into its clean text."""
    return AnalysisOut.model_validate({"article_id": article_id, **export.analysis_fields(analysis, text)})


def timeline_out(speaker: str, about: str | None, entity: EntityRow | None, entries: list[TimelineEntry]) -> TimelineOut:
    """A speaker's statements in time order with possible contradictions."""
    items = [TimelineItemOut.model_validate({**_listed(e.statement), "story_id": e.story_id, "about": list(e.about),
                                             "contradicts": list(e.contradicts)}) for e in entries]  # fmt: skip
    ent = EntityOut.model_validate(entity_row_out(entity).model_dump()) if entity else None
    return TimelineOut(speaker=speaker, about=about, entity=ent, items=items)


def comparison_out(record: dict[str, Any]) -> ComparisonOut:
    """A story's comparison record."""
    return ComparisonOut.model_validate(record)

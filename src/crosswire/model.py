"""The domain values that flow between stages, processes, the store and the shells.

Every value is a frozen, slotted dataclass of strings, numbers and tuples. Spans are
``(start, end)`` character offsets into ``Article.text``; ids are content hashes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

Span = tuple[int, int]


class InputFormat(StrEnum):
    """The shape of a raw document as it reached a reader."""

    TEXT = "text"
    HTML = "html"
    JSON = "json"
    FEED = "feed"
    WARC = "warc"


class DateSource(StrEnum):
    """How a publication date was found; never invented."""

    STATED = "stated"  # written in the article text (a date line, a dateline)
    METADATA = "metadata"  # HTML meta tags / JSON-LD, or a date field given with the input
    INFERRED = "inferred"  # from the article's story (later stages)
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an input came from, kept so users can join results back to their data."""

    kind: str  # file | url | stdin | jsonl | json | feed | warc
    locator: str  # file path or URL
    item: str | None = None  # JSONL id or line, feed entry id, WARC target URI

    def label(self) -> str:
        """A short human name for messages: ``path`` or ``path#item``."""
        return f"{self.locator}#{self.item}" if self.item else self.locator


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One article as a reader found it: decoded text or HTML plus hints from its container."""

    origin: Origin
    format: InputFormat
    content: str  # plain text (TEXT) or HTML (HTML); the thing that gets cleaned
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None  # as given by the container (feed, JSONL), unparsed
    language: str | None = None
    encoding: str = "utf-8"
    external_id: str | None = None  # the input's own id (JSONL id, feed entry id, WARC record id)
    seen: str | None = None  # when it was collected (WARC-Date, fetch time), ISO 8601; never a publication date


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input that could not become an article, with a reason the user can act on."""

    origin: Origin
    reason: str


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A line taken out of the body during cleanup, kept for audit."""

    line_no: int  # 1-based line number in the pre-cleanup text; 0: a clean paragraph removed as outlet template
    text: str
    reason: str  # what kind of debris: boilerplate, metadata, related-block, ...
    rule: str  # the rule that fired, e.g. ``lexicon:share``


@dataclass(frozen=True, slots=True)
class PublishedDate:
    """A publication date with how it was determined and the evidence for it."""

    value: str | None  # ISO date (YYYY-MM-DD) or datetime; None when unknown
    source: DateSource = DateSource.UNKNOWN
    evidence: str = ""  # e.g. ``text line 4: 'May 17, 2024'`` or ``meta article:published_time``

    @classmethod
    def unknown(cls, why: str = "no date found") -> PublishedDate:
        return cls(None, DateSource.UNKNOWN, why)


@dataclass(frozen=True, slots=True)
class Metadata:
    """What we know about an article besides its text; ``signals`` says where each value came from."""

    title: str | None = None
    outlet: str | None = None
    authors: tuple[str, ...] = ()
    credited: tuple[str, ...] = ()  # credited sources: agencies, "www.ntv.de"
    dateline: str | None = None  # place of the dateline: ``Kyiv (Reuters) –`` → Kyiv
    published: PublishedDate = field(default_factory=PublishedDate.unknown)
    updated: str | None = None
    seen: str | None = None  # collection time, kept apart from published and updated
    url: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    signals: tuple[tuple[str, str], ...] = ()  # (field, signal) pairs


@dataclass(frozen=True, slots=True)
class Flag:
    """A passage of the clean text marked for the reader, not removed (e.g. a restating summary)."""

    kind: str  # restated-summary
    span: Span
    detail: str  # why, in words
    score: float


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned, described article. ``text`` is the clean body every span points into."""

    id: str  # hash of the normalised raw input: the same input always gets the same id
    origin: Origin
    format: InputFormat
    text: str
    meta: Metadata
    removed: tuple[RemovedLine, ...] = ()
    content_hash: str = ""  # hash of normalised title + body: exact duplicates share it
    external_id: str | None = None
    encoding: str = "utf-8"
    duplicate_of: str | None = None  # set by storage: an earlier article with the same content
    flags: tuple[Flag, ...] = ()


class StatementClass(StrEnum):
    """What kind of act a statement reports: only ``speech`` is someone's words."""

    SPEECH = "speech"  # an utterance: said, told, wrote, announced, according to, asked, denied…
    STANCE = "stance"  # an attributed belief, wish, finding or attitude: believes, wants, a survey showed
    NO_COMMENT = "no-comment"  # declined to comment, has yet to comment, did not mention: never a quote


class StatementKind(StrEnum):
    """How much of a statement is the speaker's own words."""

    DIRECT = "direct"  # all of the content is inside quote marks
    MIXED = "mixed"  # paraphrase with quoted fragments
    INDIRECT = "indirect"  # reported speech, no quote marks


@dataclass(frozen=True, slots=True)
class Mention:
    """One place an entity is named or referred to in an article."""

    span: Span
    text: str
    kind: str  # person | org | place | group
    entity: str  # canonical entity key (see Entity.key)
    via: str = "name"  # name | surname | title | pronoun | relative | description


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organisation or place, canonicalised across spelling and transliteration variants."""

    key: str  # kind + folded name, stable across articles: ``person:vladimir putin``
    kind: str  # person | org | place | group
    name: str  # the fullest name seen
    variants: tuple[str, ...] = ()  # every spelling seen, titles stripped
    descriptions: tuple[str, ...] = ()  # titles and roles seen with it: "Russian President"


@dataclass(frozen=True, slots=True)
class Statement:
    """Who said what: a reported statement with its speaker, cue and content spans."""

    id: str  # article id + content span, hashed
    kind: StatementKind
    content: tuple[Span, ...]  # one span, or several for a quote split around its cue
    speaker: str | None  # the fullest name the article gives (or the mention as written)
    speaker_span: Span | None  # where the speaker is mentioned for this statement (may be a pronoun)
    speaker_entity: str | None = None  # Entity.key when the speaker resolved to an entity
    speaker_role: str | None = None  # "Russian President", "a former candidate"
    resolved_from: Span | None = None  # the mention a pronoun or description was resolved to
    cue: str | None = None  # "said", "told reporters", "according to", ":"
    cue_span: Span | None = None
    venue: str | None = None  # "at a press conference in Harbin", "in a statement"
    addressee: str | None = None  # "reporters"
    how: str = ""  # which rule found it, for audit: ``verb:ccomp``, ``according-to``, ``quote:inherited``
    class_: StatementClass = StatementClass.SPEECH  # speech | stance | no-comment
    negated: bool = False  # the content (or the cue: "did not say") is governed by a negation
    modality: str | None = None  # what qualifies its truth: "may", "could", "would", "conditional", "future"…


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as claimed: value, unit, approximation and range, with its span."""

    span: Span
    text: str
    value: float
    unit: str | None = None  # canonical unit: km2, mi2, usd, percent, people, drones…
    approx: str | None = None  # about | over | at least | up to | under | nearly | more than
    low: float | None = None  # ranges: "between 10 and 20", "10-20"
    high: float | None = None
    alternatives: tuple[tuple[float, str], ...] = ()  # the same quantity in other units: (3000, "mi2")


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date as written, normalised only against the article's known publication date."""

    span: Span
    text: str
    value: str | None  # ISO date when it could be resolved, else None
    relative: bool = False  # "yesterday", "on Friday": resolved against the article date


@dataclass(frozen=True, slots=True)
class Claim:
    """A factual sentence: its quantities, dates, places and actors, and who it is attributed to."""

    id: str
    span: Span  # the sentence
    quantities: tuple[Quantity, ...] = ()
    dates: tuple[DateMention, ...] = ()
    places: tuple[str, ...] = ()  # Entity keys
    actors: tuple[str, ...] = ()  # Entity keys
    statement: str | None = None  # Statement.id when the claim sits inside a statement
    source: str | None = None  # that statement's speaker


@dataclass(frozen=True, slots=True)
class Analysis:
    """The language layer of one article: entities and their mentions, statements, claims."""

    article_id: str
    language: str | None
    analysed: bool  # False when the article's language has no analyser (reason in ``note``)
    note: str = ""
    mentions: tuple[Mention, ...] = ()
    entities: tuple[Entity, ...] = ()
    statements: tuple[Statement, ...] = ()
    claims: tuple[Claim, ...] = ()


@dataclass(frozen=True, slots=True)
class Passage:
    """A span of one article: the unit of evidence in comparisons."""

    article_id: str
    span: Span
    text: str


@dataclass(frozen=True, slots=True)
class Shift:
    """How a variant changes what the reference variant asserts, with both sides' passages."""

    kind: str  # modality | attribution | scope | context | qualifier
    detail: str  # in words: "conditional ('if this continues') → intention ('his intention')"
    source: Passage  # the reference's passage ("from")
    target: Passage  # this variant's passage ("to")


@dataclass(frozen=True, slots=True)
class StatementVariant:
    """One outlet's version of a statement."""

    article_id: str
    outlet: str | None
    statement_id: str
    speaker: str | None
    kind: StatementKind
    cue: str | None
    content: tuple[Span, ...]
    text: str
    differences: tuple[str, ...] = ()  # against the reference variant: "drops a time restriction ('as of today')"…
    shifts: tuple[Shift, ...] = ()  # the differences that change the assertion, with both sides' passages
    repeats: tuple[Passage, ...] = ()  # the same statement made again in the same article (one group, not two)


@dataclass(frozen=True, slots=True)
class AlignedStatement:
    """The same statement by the same speaker as reported by several articles of a story."""

    id: str
    speaker: str | None
    speaker_entity: str | None
    variants: tuple[StatementVariant, ...]  # the first is the reference (the earliest, fullest report)


@dataclass(frozen=True, slots=True)
class FactValue:
    """One article's value for a fact slot."""

    article_id: str
    outlet: str | None
    value: str  # as written
    number: float | None
    unit: str | None
    approx: str | None
    span: Span
    sentence: Span


@dataclass(frozen=True, slots=True)
class FactSlot:
    """Something measured or asserted in a story (drones downed, people injured) with each article's value."""

    id: str
    label: str
    values: tuple[FactValue, ...]


@dataclass(frozen=True, slots=True)
class ConflictSide:
    """One side of a disagreement: the value, the articles that hold it, and how many independent sources."""

    value: str
    passages: tuple[Passage, ...]  # where the value stands (the sentence, for a qualifier a side lacks)
    independent_sources: int
    contexts: tuple[Passage, ...] = ()  # the sentences holding the value, one per passage: what a reader quotes


@dataclass(frozen=True, slots=True)
class Conflict:
    """Articles of one story that disagree, with the evidence on each side."""

    id: str
    kind: str  # number | date | place | speaker | qualifier | negation | escalation
    severity: str  # strong | medium | weak
    sides: tuple[ConflictSide, ...]
    detail: str  # in words: "injured: 9 vs 12"
    conservative: str | None = None  # the most conservative value, when the kind has one (the lowest count)
    label: str = ""  # what is counted or qualified: "firefighters injured", "time restriction of a statement"


@dataclass(frozen=True, slots=True)
class ProvenanceEdge:
    """``target`` derives from ``source``: a copy, rewrite or translation, or both run the same agency copy."""

    source: str
    target: str
    relation: str  # copy | rewrite | translation | shared-source
    confidence: float
    containment: float  # share of the target's word 3-grams found in the source
    coverage: float  # share of the target's sentences with a counterpart in the source
    evidence: tuple[tuple[Passage, Passage], ...] = ()  # a few aligned passages (source, target)
    added: tuple[Passage, ...] = ()  # passages of the target its source lacks
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything crosswire says about how the articles of one story differ."""

    story_id: str
    article_ids: tuple[str, ...]
    statements: tuple[AlignedStatement, ...]
    facts: tuple[FactSlot, ...]
    conflicts: tuple[Conflict, ...]
    provenance: tuple[ProvenanceEdge, ...]
    originals: tuple[str, ...]  # articles that derive from no other article of the story
    independent_sources: int  # sources with evidence of their own reporting (credited agencies counted once)
    summary: tuple[SummaryLine, ...] = ()  # 3–6 lines: agree, dispute, original, adds, coverage, independence
    coverage: Coverage | None = None  # how much was compared
    sources: tuple[SourceAssessment, ...] = ()  # per article: independent, credited, derived or possibly common source
    outlets: tuple[tuple[str, str | None], ...] = ()  # article id → outlet, for passages


@dataclass(frozen=True, slots=True)
class SummaryLine:
    """One line of a comparison's summary, with the passages it rests on."""

    kind: str  # agree | dispute | original | adds | coverage | independence
    text: str
    passages: tuple[Passage, ...] = ()


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much a comparison covered: statements and figures compared, those found in one outlet only."""

    statements: int
    figures: int
    single_outlet: int


@dataclass(frozen=True, slots=True)
class SourceAssessment:
    """Whether one article is evidence of independent reporting, and why."""

    article_id: str
    status: str  # independent | credited | derived | possibly-common-source
    source: str  # who the reporting rests on: the outlet, the credited agency, or the article it derives from
    evidence: tuple[str, ...] = ()  # "own quotes", "dateline", "credits AFP", "copy of Nordwire"

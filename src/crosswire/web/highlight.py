"""An article's clean text cut into pieces at every span boundary (statements, speakers, cues, entity
mentions, claims, a linked passage), so overlapping spans become flat pieces with classes: the template
escapes each piece and wraps it in one element, and no span can break the markup."""

from __future__ import annotations

from dataclasses import dataclass

from crosswire.web.analysis_views import AnalysisOut

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Layer:
    """One highlighted span: a CSS class, and the entity key a mention links to."""

    span: Span
    css: str  # statement | speaker | cue | mention | claim | quantity | date | passage | flagged
    entity: str | None = None


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text under the same set of layers."""

    text: str
    classes: str  # space-separated; "" when plain
    entity: str | None  # the mention's entity key when the piece names one
    first_of: tuple[str, ...] = ()  # anchors that start here: "passage", "st-<statement id>"


def layers(analysis: AnalysisOut | None, passage: Span | None = None) -> list[Layer]:
    """Every span of the analysis (and the linked passage) as a highlight layer."""
    out: list[Layer] = [Layer(passage, "passage")] if passage else []
    if analysis is None:
        return out
    for s in analysis.statements:
        out += [Layer(c, "statement") for c in s.content_spans]
        out += [Layer(sp, css, s.speaker_entity if css == "speaker" else None)
                for sp, css in ((s.speaker_span, "speaker"), (s.cue_span, "cue")) if sp]  # fmt: skip
    out += [Layer(m.span, "mention", m.entity) for m in analysis.mentions]
    out += [Layer(c.span, "claim") for c in analysis.claims]
    out += [Layer(q.span, "quantity") for c in analysis.claims for q in c.quantities]
    out += [Layer(d.span, "date") for c in analysis.claims for d in c.dates]
    return out


# The kinds of marks a reader can switch on, each with the layers it shows. Statements are on by default: who
# said what is the page's question; the rest, all on at once, would underline nearly every word.
MARK_KINDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("statements", "statements (speaker, cue, what was said)", ("statement", "speaker", "cue")),
    ("entities", "names (link to their pages)", ("mention",)),
    ("claims", "factual claims", ("claim",)),
    ("quantities", "numbers", ("quantity",)),
    ("dates", "dates", ("date",)),
)
DEFAULT_MARKS = ("statements",)


@dataclass(frozen=True, slots=True)
class MarkToggle:
    """One switch above the text: its kind, label, how many marks of the kind the text has, and whether it is on."""

    kind: str
    label: str
    count: int
    on: bool


def mark_toggles(spans: list[Layer], chosen: list[str] | None) -> tuple[MarkToggle, ...]:
    """The switches for the kinds present in ``spans``; ``chosen`` (from ``?marks=``) or the default says which are on."""
    on = set(DEFAULT_MARKS if chosen is None else chosen)
    counts = {kind: sum(1 for lay in spans if lay.css == layers[0]) for kind, _, layers in MARK_KINDS}
    return tuple(MarkToggle(kind, label, counts[kind], kind in on) for kind, label, _ in MARK_KINDS)


def pieces(text: str, spans: list[Layer], anchors: dict[int, tuple[str, ...]] | None = None) -> list[Piece]:
    """``text`` cut at every layer boundary; each piece carries the classes of the layers covering it."""
    valid = [lay for lay in spans if 0 <= lay.span[0] < lay.span[1] <= len(text)]
    cuts = sorted({0, len(text), *(b for lay in valid for b in lay.span)})
    out = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        over = [lay for lay in valid if lay.span[0] <= start and end <= lay.span[1]]
        css = " ".join(sorted({lay.css for lay in over}))
        entity = next((lay.entity for lay in over if lay.entity), None)
        out.append(Piece(text[start:end], css, entity, (anchors or {}).get(start, ())))
    return out

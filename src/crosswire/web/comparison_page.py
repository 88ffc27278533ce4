"""What the story page draws from a story's comparison: the provenance graph (server-side SVG geometry, laid out
in layers by graph_layout),
word-level differences of aligned statements (each variant's own text, changed words marked), and the fact
table with conflicting cells marked."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass

from crosswire.web.analysis_views import ComparisonOut, FactValueOut
from crosswire.web.graph_layout import NODE_H_PX, NODE_W_PX, layout
from crosswire.web.views import MemberOut

LABEL_CHARS = 24  # of an outlet name in its box (graph_layout.NODE_W_PX)


@dataclass(frozen=True, slots=True)
class Node:
    """One article of the graph."""

    article_id: str
    x: int  # box centre
    y: int
    label: str  # outlet
    title: str  # tooltip
    original: bool
    layer: int  # 0: the originals, on top


@dataclass(frozen=True, slots=True)
class Edge:
    """``source`` → ``target``, drawn as a path with its relation written in a box where nothing else is."""

    source: str
    target: str
    relation: str
    path: str  # SVG path data
    label_x: int  # centre of the label
    label_y: int
    title: str
    label_box: tuple[int, int, int, int]  # x, y, width, height of the label's background


@dataclass(frozen=True, slots=True)
class Graph:
    """Everything the provenance SVG draws."""

    width: int
    height: int
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    independent_sources: int
    node_w: int = NODE_W_PX
    node_h: int = NODE_H_PX


def provenance_graph(c: ComparisonOut, members: list[MemberOut]) -> Graph:
    """Articles in layers (originals on top, what derives from them below), arrows from each source to what
    derives from it, each relation written where no other label or box is (graph_layout)."""
    ids = [m.article_id for m in sorted(members, key=lambda m: (m.article_id not in c.originals, m.outlet or "", m.article_id))]
    known = [e for e in c.provenance if e.source in ids and e.target in ids]
    placed = layout(ids, [(e.source, e.target) for e in known], [e.relation for e in known])
    by_id = {m.article_id: m for m in members}
    nodes = tuple(Node(aid, x, y, _short(by_id[aid].outlet or "unknown outlet"), by_id[aid].title or aid, aid in c.originals,
                       placed.layers[aid]) for aid, (x, y) in placed.nodes.items())  # fmt: skip
    edges = tuple(
        Edge(e.source, e.target, e.relation, path, round(b.x + b.w / 2), round(b.y + b.h / 2),
             f"{e.relation} ({e.confidence:.2f}): {e.reason}", (round(b.x), round(b.y), round(b.w), round(b.h)))
        for e, path, b in zip(known, placed.paths, placed.labels, strict=True)
    )  # fmt: skip
    return Graph(placed.width, placed.height, nodes, edges, c.independent_sources)


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


EDGE_PUNCTUATION = "\"'“”‘’«».,;:!?()"  # stripped from the ends of a dropped phrase: 'as of today."' reads as 'as of today'
REWORDED_SHARE = 0.6  # more than this share of a variant's words changed: a rewording, not an edit (seed story, demo)
REWORDED_MIN_WORDS = 5  # a short variant with two changed words is still an edit
Piece = tuple[str, str, str]  # (text, op, was): op "same", "ins" (the reference has nothing there) or "chg" (was: the reference's words)


@dataclass(frozen=True, slots=True)
class WordDiff:
    """A variant against the reference: its own text cut into pieces (joined, they give the text back, spacing
    and all), and the reference's phrases it lacks."""

    pieces: tuple[Piece, ...]
    dropped: tuple[str, ...]
    reworded: bool = False  # most words differ: marking them all would hide the few that match, so none is marked


def word_diff(reference: str, variant: str) -> WordDiff:
    """Which words of the variant differ from the reference, word by word (case and punctuation ignored, so a
    comma for a full stop is no difference); the whitespace between words is the variant's own, never marked."""
    ref = [m.group() for m in re.finditer(r"\S+", reference)]
    var = list(re.finditer(r"\S+", variant))
    pieces: list[Piece] = []
    dropped: list[str] = []
    at = 0
    matcher = difflib.SequenceMatcher(None, _keys(ref), _keys([m.group() for m in var]), autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if j2 == j1:  # words only the reference has
            dropped.append(" ".join(ref[i1:i2]).strip(EDGE_PUNCTUATION))
            continue
        start, end = var[j1].start(), var[j2 - 1].end()
        pieces += [(variant[at:start], "same", ""), (variant[start:end], "chg" if i2 > i1 else "ins", " ".join(ref[i1:i2]))]
        at = end
    pieces.append((variant[at:], "same", ""))
    changed = sum(len(t.split()) for t, op, _ in pieces if op != "same")
    if len(var) >= REWORDED_MIN_WORDS and changed > REWORDED_SHARE * len(var):
        return WordDiff(((variant, "same", ""),), (), True)
    return WordDiff(tuple(p for p in pieces if p[0]), tuple(d for d in dropped if d))


def _keys(words: list[str]) -> list[str]:
    return [re.sub(r"\W", "", w.lower()) or w.strip() for w in words]


@dataclass(frozen=True, slots=True)
class FactCell:
    """One article's value for a fact slot."""

    value: FactValueOut
    conflict: bool  # disagrees with the slot's most common value, or is a side of a conflict


@dataclass(frozen=True, slots=True)
class FactRow:
    label: str
    cells: tuple[FactCell | None, ...]  # one per column


@dataclass(frozen=True, slots=True)
class FactTable:
    columns: tuple[tuple[str, str], ...]  # (article id, outlet)
    rows: tuple[FactRow, ...]


def fact_table(c: ComparisonOut, members: list[MemberOut]) -> FactTable:
    """Slot label × article (labelled by outlet), with conflicting cells marked."""
    used = {v.article_id for f in c.facts for v in f.values}
    columns = tuple((m.article_id, m.outlet or "unknown outlet") for m in members if m.article_id in used)
    disputed = {(p.article_id, p.span) for k in c.conflicts for s in k.sides for p in s.passages}
    rows = []
    for f in c.facts:
        common = Counter(v.number if v.number is not None else v.value.lower() for v in f.values).most_common(1)[0][0]
        by_article = {v.article_id: v for v in f.values}
        cells = tuple(_cell(by_article.get(aid), common, disputed) for aid, _ in columns)
        rows.append(FactRow(f.label, cells))
    return FactTable(columns, tuple(rows))


def _cell(v: FactValueOut | None, common: object, disputed: set[tuple[str, tuple[int, int]]]) -> FactCell | None:
    if v is None:
        return None
    differs = (v.number if v.number is not None else v.value.lower()) != common
    overlaps = any(aid == v.article_id and s < v.span[1] and v.span[0] < e for aid, (s, e) in disputed)
    return FactCell(v, differs or overlaps)

"""What the story page draws from a story's comparison: the provenance graph (server-side SVG geometry),
word-level differences of aligned statements (each variant's own text, changed words marked), and the fact
table with conflicting cells marked."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass

from crosswire.web.analysis_views import ComparisonOut, FactValueOut
from crosswire.web.views import MemberOut

COLUMN_PX, ROW_PX, MARGIN_PX = 400, 56, 24  # gap between generations of articles (room for the relation labels); rows
LABEL_AT = 0.7  # a relation is written 70% of the way to the target: edges fanning out of one source part there
NODE_W_PX, NODE_H_PX = 180, 30  # an article's box: room for about 24 characters of outlet name
LABEL_CHARS = 24


@dataclass(frozen=True, slots=True)
class Node:
    """One article of the graph."""

    article_id: str
    x: int  # box centre
    y: int
    label: str  # outlet
    title: str  # tooltip
    original: bool


@dataclass(frozen=True, slots=True)
class Edge:
    """``source`` → ``target``, drawn as a path with its relation written at the middle."""

    source: str
    target: str
    relation: str
    path: str  # SVG path data
    label_x: int
    label_y: int
    title: str


@dataclass(frozen=True, slots=True)
class Graph:
    """Everything the provenance SVG draws."""

    width: int
    height: int
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    independent_sources: int


def provenance_graph(c: ComparisonOut, members: list[MemberOut]) -> Graph:
    """Articles in columns by generation (originals left), arrows from each source to what derives from it."""
    depth = _depths([m.article_id for m in members], [(e.source, e.target) for e in c.provenance])
    rows: Counter[int] = Counter()
    nodes: dict[str, Node] = {}
    for m in sorted(members, key=lambda m: (depth[m.article_id], m.outlet or "", m.article_id)):
        d = depth[m.article_id]
        x, y = MARGIN_PX + NODE_W_PX // 2 + d * COLUMN_PX, MARGIN_PX + NODE_H_PX // 2 + rows[d] * ROW_PX
        rows[d] += 1
        nodes[m.article_id] = Node(m.article_id, x, y, _short(m.outlet or "unknown outlet"), m.title or m.article_id,
                                   m.article_id in c.originals)  # fmt: skip
    edges = tuple(_edge(nodes[e.source], nodes[e.target], e.relation, f"{e.relation} ({e.confidence:.2f}): {e.reason}")
                  for e in c.provenance if e.source in nodes and e.target in nodes)  # fmt: skip
    width = 2 * MARGIN_PX + NODE_W_PX + COLUMN_PX * max(depth.values(), default=0) + 60  # + room for same-column arcs
    height = 2 * MARGIN_PX + NODE_H_PX + ROW_PX * (max(rows.values(), default=1) - 1)
    return Graph(width, height, tuple(nodes.values()), edges, c.independent_sources)


def _depths(ids: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    """Generation of each article: 0 for those deriving from nothing, else one more than its deepest source."""
    depth = dict.fromkeys(ids, 0)
    for _ in ids:  # relax at most len(ids) times; provenance is acyclic, a cycle would just stop here
        changed = False
        for s, t in edges:
            if s in depth and t in depth and s != t and depth[t] < depth[s] + 1 <= len(ids):
                depth[t], changed = depth[s] + 1, True
        if not changed:
            break
    return depth


def _edge(a: Node, b: Node, relation: str, title: str) -> Edge:
    half = NODE_W_PX // 2
    if a.x == b.x:  # same generation (shared agency copy): an arc on the right
        x = a.x + half
        path = f"M {x} {a.y} C {x + 50} {a.y}, {x + 50} {b.y}, {x + 4} {b.y}"
        return Edge(a.article_id, b.article_id, relation, path, x + 40, (a.y + b.y) // 2, title)
    x1, x2 = (a.x + half, b.x - half - 4) if b.x > a.x else (a.x - half, b.x + half + 4)
    lx, ly = x1 + LABEL_AT * (x2 - x1), a.y + LABEL_AT * (b.y - a.y)
    return Edge(a.article_id, b.article_id, relation, f"M {x1} {a.y} L {x2} {b.y}", round(lx), round(ly) - 6, title)


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

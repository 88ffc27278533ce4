"""A layered layout of the provenance graph, computed here into SVG coordinates: originals on the top layer,
each copy, rewrite or translation one layer below its deepest source; within a layer, articles ordered by
where their sources sit (fewer crossings); edge labels placed along their edges where no other label or box is.

Label boxes are estimated from the label's length (the page's 11 px sans-serif averages under 6.6 px a
character); the browser test measures the drawn labels and checks that none overlap.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

NODE_W_PX, NODE_H_PX = 180, 30  # an article's box: room for about 24 characters of outlet name
NODE_GAP_PX = 36  # between boxes of one layer
LAYER_PX = 120  # from one layer's boxes to the next: room for two rows of edge labels between them
MARGIN_PX = 16
LABEL_CHAR_PX, LABEL_H_PX, LABEL_PAD_PX = 6.6, 15, 4  # 11 px text: box per character, height, padding around
LABEL_AT = (0.78, 0.66, 0.88, 0.55, 0.45, 0.35, 0.25)  # where along an edge its label may go, best first: near the
# target, where edges fanning out of one source have parted, so a label is read as its arrow's
NUDGES = 40  # sideways steps tried per position before a label is pushed aside for good


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle: left, top, width, height."""

    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: Box, gap: float = 0) -> bool:
        """Whether the two boxes share any area (or come closer than ``gap``)."""
        return (self.x < other.x + other.w + gap and other.x < self.x + self.w + gap
                and self.y < other.y + other.h + gap and other.y < self.y + self.h + gap)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Placed:
    """Where one article and one edge go: node centres, edge paths and label boxes."""

    nodes: dict[str, tuple[int, int]]  # article id → box centre
    layers: dict[str, int]  # article id → layer (0: originals)
    paths: tuple[str, ...]  # per edge, in input order
    labels: tuple[Box, ...]  # per edge: the label's box (text centred in it)
    width: int
    height: int


def layers_of(ids: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    """Layer of each article: 0 for those deriving from nothing, else one below its deepest source."""
    depth = dict.fromkeys(ids, 0)
    for _ in ids:  # relax at most len(ids) times; provenance is acyclic, a cycle would just stop here
        changed = False
        for s, t in edges:
            if s in depth and t in depth and s != t and depth[t] < depth[s] + 1 <= len(ids):
                depth[t], changed = depth[s] + 1, True
        if not changed:
            break
    return depth


def layout(ids: list[str], edges: list[tuple[str, str]], labels: list[str]) -> Placed:
    """Nodes by layer and order, edges as curves from a source's bottom to a target's top, labels without overlap."""
    depth = layers_of(ids, edges)
    rows = _order(ids, edges, depth)
    nodes = _positions(rows, edges)
    span = max(nodes.values(), default=(0, 0))[0] + NODE_W_PX // 2 - MARGIN_PX
    curves = [_curve(nodes[s], nodes[t]) for s, t in edges]
    boxes = _place_labels(curves, labels, [_node_box(c) for c in nodes.values()])
    width = max([MARGIN_PX * 2 + span, *(round(b.x + b.w) + MARGIN_PX for b in boxes)])
    height = MARGIN_PX * 2 + NODE_H_PX + LAYER_PX * (len(rows) - 1)
    height = max([height, *(round(b.y + b.h) + 4 for b in boxes)])
    return Placed(nodes, depth, tuple(_path(c) for c in curves), tuple(boxes), width, height)


def _order(ids: list[str], edges: list[tuple[str, str]], depth: dict[str, int]) -> list[list[str]]:
    """Articles per layer: the top layer as given, each lower one by the mean position of its sources."""
    sources: dict[str, list[str]] = defaultdict(list)
    for s, t in edges:
        sources[t].append(s)
    rows: list[list[str]] = [[] for _ in range(max(depth.values(), default=0) + 1)]
    for aid in ids:
        rows[depth[aid]].append(aid)
    for d in range(1, len(rows)):
        at = {aid: i for row in rows[:d] for i, aid in enumerate(row)}
        rows[d].sort(key=lambda a: sum(at.get(s, 0) for s in sources[a]) / max(len(sources[a]), 1))
    return rows


STEP_PX = NODE_W_PX + NODE_GAP_PX


def _positions(rows: list[list[str]], edges: list[tuple[str, str]]) -> dict[str, tuple[int, int]]:
    """Box centres: the top layer side by side, then each article as near the mean of its sources as the order
    and the gaps allow; then the sources over the mean of what derives from them, then the others once more."""
    x: dict[str, float] = {aid: MARGIN_PX + NODE_W_PX // 2 + i * STEP_PX for i, aid in enumerate(rows[0])} if rows else {}
    parents: dict[str, list[str]] = defaultdict(list)
    children: dict[str, list[str]] = defaultdict(list)
    for s, t in edges:
        parents[t].append(s)
        children[s].append(t)
    for sweep in (range(1, len(rows)), range(len(rows) - 2, -1, -1), range(1, len(rows))):
        near = parents if sweep.step == 1 else children
        for d in sweep:
            wanted = [sum(x[p] for p in near[a] if p in x) / len(ps) if (ps := [p for p in near[a] if p in x]) else x.get(a, 0)
                      for a in rows[d]]  # fmt: skip
            x |= dict(zip(rows[d], _spread(wanted), strict=True))
    return {aid: (round(x[aid]), MARGIN_PX + NODE_H_PX // 2 + d * LAYER_PX) for d, row in enumerate(rows) for aid in row}


def _spread(wanted: list[float]) -> list[float]:
    """Positions as near ``wanted`` as possible, in the same order, at least STEP_PX apart and inside the left
    margin: neighbours that would collide form a cluster centred on their mean wish (pool adjacent violators)."""
    left = MARGIN_PX + NODE_W_PX / 2
    clusters: list[list[float]] = []  # the wishes of each cluster's members

    def start(c: list[float]) -> float:
        return max(left, sum(c) / len(c) - (len(c) - 1) * STEP_PX / 2)

    for w in wanted:
        clusters.append([w])
        while len(clusters) > 1 and start(clusters[-2]) + len(clusters[-2]) * STEP_PX > start(clusters[-1]):
            last = clusters.pop()
            clusters[-1] += last  # the start that suits a cluster best is its mean wish less half its length
    out: list[float] = []
    for c in clusters:
        out += [start(c) + i * STEP_PX for i in range(len(c))]
    return out


Curve = tuple[tuple[float, float], ...]  # the four points of a cubic Bézier


def _curve(a: tuple[int, int], b: tuple[int, int]) -> Curve:
    if b[1] > a[1]:  # downwards, the usual case: bottom of the source to the top of the target (arrow head room)
        p0, p3 = (a[0], a[1] + NODE_H_PX / 2), (b[0], b[1] - NODE_H_PX / 2 - 4)
        mid = (p3[1] - p0[1]) / 2
        return p0, (p0[0], p0[1] + mid), (p3[0], p3[1] - mid), p3
    x = max(a[0], b[0]) + NODE_W_PX / 2  # same layer (only with a cycle): an arc on the right
    return (x, a[1]), (x + 60, a[1]), (x + 60, b[1]), (x + 4, b[1])


def _point(c: Curve, t: float) -> tuple[float, float]:
    u = 1 - t
    w = (u**3, 3 * u * u * t, 3 * u * t * t, t**3)
    return sum(k * p[0] for k, p in zip(w, c, strict=True)), sum(k * p[1] for k, p in zip(w, c, strict=True))


def _path(c: Curve) -> str:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = ((round(x), round(y)) for x, y in c)
    return f"M {x0} {y0} C {x1} {y1}, {x2} {y2}, {x3} {y3}"


def _node_box(centre: tuple[int, int]) -> Box:
    return Box(centre[0] - NODE_W_PX / 2, centre[1] - NODE_H_PX / 2, NODE_W_PX, NODE_H_PX)


def label_box(text: str, centre: tuple[float, float]) -> Box:
    """The box a label of ``text`` centred at ``centre`` takes, padding included."""
    w = len(text) * LABEL_CHAR_PX + 2 * LABEL_PAD_PX
    return Box(centre[0] - w / 2, centre[1] - LABEL_H_PX / 2, w, LABEL_H_PX)


def _place_labels(curves: list[Curve], labels: list[str], obstacles: list[Box]) -> list[Box]:
    """Each label on its edge at the first free position; failing that, nudged sideways until free."""
    placed: list[Box] = []
    for curve, text in zip(curves, labels, strict=True):
        taken = obstacles + placed
        box = next((b for t in LABEL_AT for b in [label_box(text, _point(curve, t))] if not _hits(b, taken)), None)
        for step in range(1, NUDGES + 1):
            if box is not None:
                break
            for t in LABEL_AT:
                x, y = _point(curve, t)
                for dx in (step * 12, -step * 12):
                    b = label_box(text, (x + dx, y))
                    if b.x >= 0 and not _hits(b, taken):
                        box = b
                        break
                if box is not None:
                    break
        if box is None:  # a free place always exists to the right of everything drawn
            right = max(b.x + b.w for b in taken)
            box = label_box(text, (right + 8 + len(text) * LABEL_CHAR_PX / 2 + LABEL_PAD_PX, _point(curve, 0.5)[1]))
        placed.append(box)
    return placed


def _hits(box: Box, others: list[Box]) -> bool:
    return any(box.overlaps(o, gap=2) for o in others)

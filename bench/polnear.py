"""Reader for PolNeAR (Newell, Margolin & Ruths 2018): brat standoff attributions over raw article text.

``../shared/data/polnear/{train,dev}/text/<article>.txt`` and ``attributions/<article>_<annotator>.ann``:
``T<n>\\t<Role> <start> <end>[;<start> <end>…]\\t<text>`` and ``E<n>\\tAttribution:T.. Content:T.. Cue:T.. Source:T..``.
Several annotators may cover one article: we keep the first file in name order (deterministic).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "polnear"

Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    source: Spans  # empty when the annotator marked no source
    cue: Spans
    content: Spans


@dataclass(frozen=True, slots=True)
class GoldArticle:
    name: str
    text: str
    attributions: tuple[GoldAttribution, ...]
    publisher: str
    date: str


def _spans(field: str) -> Spans:
    out = []
    for part in field.split(";"):
        a, b = part.split()
        out.append((int(a), int(b)))
    return tuple(out)


def parse_ann(text: str) -> tuple[GoldAttribution, ...]:
    spans: dict[str, tuple[str, Spans]] = {}
    events: list[dict[str, str]] = []
    for line in text.splitlines():
        cols = line.split("\t")
        if line.startswith("T") and len(cols) >= 2:
            role, where = cols[1].split(" ", 1)
            spans[cols[0]] = (role, _spans(where))
        elif line.startswith("E") and len(cols) >= 2:
            events.append(dict(x.split(":", 1) for x in cols[1].split()))
    out = []
    for ev in events:
        def get(role: str, ev: dict[str, str] = ev) -> Spans:
            tid = ev.get(role)
            return spans[tid][1] if tid and tid in spans else ()
        out.append(GoldAttribution(get("Source"), get("Cue"), get("Content")))
    return tuple(out)


def load(split: str = "dev", root: Path = SHARED, limit: int | None = None) -> list[GoldArticle]:
    meta: dict[str, tuple[str, str]] = {}
    for line in (root / "metadata.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        meta[cols[1]] = (cols[4], cols[5])
    anns: dict[str, Path] = {}
    for p in sorted((root / split / "attributions").glob("*.ann")):
        anns.setdefault(p.stem.rsplit("_", 1)[0], p)
    out = []
    for name, ann in sorted(anns.items()):
        text = (root / split / "text" / f"{name}.txt").read_text(encoding="utf-8")
        publisher, date = meta.get(name, ("", ""))
        out.append(GoldArticle(name, text, parse_ann(ann.read_text(encoding="utf-8")), publisher, date))
        if limit and len(out) >= limit:
            break
    return out

"""Score crosswire's comparison against the hand-labelled real-article gold (bench/data/compare_gold/).

    .venv/bin/python -m bench.compare.real                     # every gold story, table on stdout
    .venv/bin/python -m bench.compare.real --json scores.json  # also the figures (and per-story details) as JSON
    .venv/bin/python -m bench.compare.real --story ecbplus-20-iran-quake --show   # one story, with what was predicted

Each gold story names dataset articles (NewsWCL50, ECB+ in ../shared/data) and character spans into their ``text``
as stored in docs.jsonl. The texts carry the datasets' tokenisation ("Kim Jong - un", '" high levels, "', a literal
backslash-n between paragraphs); ``clean`` undoes it the way bench/compare/corpus.py does, but keeps a map from every
cleaned character to its raw offset, so crosswire reads normal text and its spans are scored in raw offsets
(``--raw`` feeds the stored text unchanged). Each article becomes a ``crosswire.compare.Doc`` exactly as
``crosswire.compare.bench_predict`` builds it (spaCy parse, ``analyse_doc``), with the credited agencies crosswire's
cleaner finds in the text; the datasets give no publication dates, so ``published`` is None.

What is scored (details in bench/data/compare_gold/README.md):
- alignment: pairs of variants inside one predicted aligned group vs pairs of members inside one gold group; a
  variant matches a member when they are in the same article and their spans overlap. Gold groups are complete over
  the story's articles but the set of groups is not exhaustive, so precision counts only *judged* pairs (at least
  one variant overlaps a gold member or a gold ``not_aligned`` side); ``strict`` precision counts every pair.
- misaligned groups: a predicted group holding both sides of a gold ``not_aligned`` pair, or variants from two
  different gold groups. ``split`` gold groups: one gold group spread over several predicted groups.
- conflicts (gold lists are exhaustive): a predicted conflict matches a gold one when the kinds are compatible
  (KIND_MATCH) and two of its passages on different sides overlap gold sides with different values. Modality
  shifts that crosswire reports on aligned variants (``shift``/``shifts``/``modality_shift`` fields, or a
  difference string naming modality) are scored as predicted ``modality`` conflicts.
- independence: crosswire's per-article decision (an ``independent`` field when the comparison has one, else:
  an original of the provenance tree that is not the second article of a shared-source pair) vs gold.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLD_DIR = ROOT / "bench" / "data" / "compare_gold"
DATA_DIR = Path(__file__).resolve().parents[3] / "shared" / "data"
DATASETS = {"newswcl50": "newswcl50/docs.jsonl", "ecbplus": "ecbplus-docs/docs.jsonl"}
KINDS = ("number", "date", "place", "speaker", "negation", "modality", "qualifier", "escalation")
# gold kind -> predicted kinds that count as finding it (crosswire reports "alleged" dropped as a qualifier,
# and a threat turned into an intention as escalated wording until it has a modality kind)
KIND_MATCH = {
    "number": {"number"},
    "date": {"date"},
    "place": {"place"},
    "speaker": {"speaker"},
    "negation": {"negation"},
    "modality": {"modality", "qualifier", "escalation"},
    "qualifier": {"qualifier", "modality", "escalation"},
    "escalation": {"escalation", "qualifier", "modality"},  # stronger wording for the same fact: manslaughter -> murder
}

Span = tuple[int, int]


# --------------------------------------------------------------------------- data


def load_articles(data_dir: Path = DATA_DIR) -> dict[str, dict]:
    """Every article of both datasets by id, with its dataset name."""
    out = {}
    for dataset, rel in DATASETS.items():
        path = data_dir / rel
        if not path.exists():
            continue
        for line in path.read_text("utf-8").splitlines():
            doc = json.loads(line)
            out[doc["id"]] = {**doc, "dataset": dataset}
    return out


def load_gold(gold_dir: Path = GOLD_DIR, only: Sequence[str] = ()) -> list[dict]:
    stories = [json.loads(p.read_text("utf-8")) for p in sorted(gold_dir.glob("*.json"))]
    return [s for s in stories if not only or s["story"] in only]


# --------------------------------------------------------------------------- offset-keeping cleaning


def _sub(text: str, where: list[int], pattern: str, repl: str) -> tuple[str, list[int]]:
    """re.sub that keeps, for every output character, the raw offset it came from (greedy character match of the
    replacement against the matched text; unmatched characters map to the current position)."""
    out: list[str] = []
    pos: list[int] = []
    last = 0
    for m in re.finditer(pattern, text):
        out.append(text[last : m.start()])
        pos.extend(where[last : m.start()])
        new = m.expand(repl)
        old, k = m.group(0), 0
        for ch in new:
            j = old.find(ch, k)
            if j < 0:
                pos.append(where[m.start() + min(k, len(old) - 1)] if old else where[m.start()])
            else:
                pos.append(where[m.start() + j])
                k = j + 1
        out.append(new)
        last = m.end()
    out.append(text[last:])
    pos.extend(where[last:])
    return "".join(out), pos


def clean(raw: str, dataset: str) -> tuple[str, list[int]]:
    """The text with the dataset's tokenisation undone, and the raw offset of each character."""
    text, where = raw, list(range(len(raw)))
    if dataset == "newswcl50":
        rules = [
            (r" ?\\n\n?", "\n\n"),  # " \n" + newline (literal backslash-n) ends a paragraph
            (r"(?<!\n)\n(?!\n)", " "),  # a bare newline separates CoNLL sentences
            (r"(\w) - (\w)", r"\1-\2"),
            (r" (['’](?:s|re|ve|ll|d|m)\b|n't\b)", r"\1"),
            (r" ([,.;:!?%)])", r"\1"),
            (r"([($]) ", r"\1"),
            (r"[ \t]{2,}", " "),
        ]
    else:
        rules = [
            (r"\s*''|' '", '"'),  # ECB+ closes quotes with two apostrophes
            (r"(\w) ?’ ?(s|t|ll|re|ve|d|m)\b", r"\1’\2"),
            (r"(\w) (n't|'s)\b", r"\1\2"),
            (r"\b(\d{1,2}): (\d\d)\b", r"\1:\2"),
            (r"“ ", "“"),
            (r" ”", "”"),
            (r"\$ (?=\d)", "$"),
            (r"\b(\d{1,3}), (\d{3})\b", r"\1,\2"),
            (r" ([,.;:!?])(?=\s|$)", r"\1"),
        ]
    for pattern, repl in rules:
        text, where = _sub(text, where, pattern, repl)
    return _pair_quotes(text, where)


def _pair_quotes(text: str, where: list[int]) -> tuple[str, list[int]]:
    """'" high levels, "' -> '"high levels,"' per paragraph when its straight quotes pair up."""
    out_t: list[str] = []
    out_w: list[int] = []
    start = 0
    for para in re.split(r"(\n\n)", text):
        w = where[start : start + len(para)]
        start += len(para)
        if para.count('"') % 2 == 0 and '"' in para:
            para, w = _sub(para, w, r'"\s*([^"]*?)\s*"', r'"\1"')
        out_t.append(para)
        out_w.extend(w)
    return "".join(out_t), out_w


def to_raw(span: Span, where: list[int], raw_len: int) -> Span:
    """A span of the cleaned text as a span of the raw text."""
    s, e = span
    if not where:
        return (s, e)
    s = min(max(s, 0), len(where) - 1)
    e = min(max(e, s + 1), len(where))
    return (where[s], min(where[e - 1] + 1, raw_len))


# --------------------------------------------------------------------------- running crosswire


@dataclass
class Prepared:
    """One article as crosswire saw it."""

    id: str
    raw: str
    text: str
    where: list[int]

    def raw_span(self, span: Iterable[int]) -> Span:
        s, e = tuple(span)[:2]
        return to_raw((int(s), int(e)), self.where, len(self.raw))


def _outlet(doc: dict) -> str:
    return f"newswcl50:{doc['outlet']}" if doc.get("outlet") else f"ecbplus:{doc['id']}"


def prepare(story: dict, articles: dict[str, dict], raw: bool = False) -> tuple[list, dict[str, Prepared]]:
    """crosswire Docs for the story's articles (parsed and analysed), and the offset maps."""
    from crosswire.compare import Doc
    from crosswire.extract.text import clean_text
    from crosswire.nlp.analyse import analyse_doc
    from crosswire.nlp.parse import parse

    prepared = {}
    for aid in story["articles"]:
        doc = articles[aid]
        text, where = (doc["text"], list(range(len(doc["text"])))) if raw else clean(doc["text"], doc["dataset"])
        prepared[aid] = Prepared(aid, doc["text"], text, where)
    texts = [prepared[a].text for a in story["articles"]]
    docs = []
    for aid, parsed in zip(story["articles"], parse(texts), strict=True):
        p, doc = prepared[aid], articles[aid]
        try:
            credited = tuple(clean_text(p.text, title=doc.get("title")).credited)
        except Exception:  # metadata is a nicety here; never let it stop the bench
            credited = ()
        docs.append(Doc(id=aid, text=p.text, title=doc.get("title"), outlet=_outlet(doc), published=None, credited=credited,
                        language="en", analysis=analyse_doc(parsed, aid)))
    return docs, prepared


# --------------------------------------------------------------------------- reading the comparison defensively


def _get(obj: object, name: str, default: object = None) -> object:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def member_spans(m: dict) -> list[Sequence[int]]:
    """A gold member's span and the other places the same article repeats the same statement (``also``)."""
    return [m["span"], *m.get("also", ())]


@dataclass(frozen=True)
class Item:
    article: str
    spans: tuple[Span, ...]

    def overlaps(self, article: str, span: Sequence[int]) -> bool:
        return article == self.article and any(s < span[1] and span[0] < e for s, e in self.spans)

    def hits(self, m: dict) -> bool:
        """Overlaps a gold member (any of its spans)."""
        return any(self.overlaps(m["article"], sp) for sp in member_spans(m))


@dataclass
class Predicted:
    groups: list[list[Item]] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)  # {"kind", "sides": [[Item...], ...], "label", "detail"}
    independent: dict[str, bool] = field(default_factory=dict)
    summary: object = None


def _spans(value: object) -> tuple[tuple[int, int], ...]:
    """A span, a list of spans, or None, as a tuple of (start, end)."""
    if not value:
        return ()
    if isinstance(value[0], int):  # type: ignore[index]
        return ((int(value[0]), int(value[1])),)  # type: ignore[index]
    return tuple((int(s[0]), int(s[1])) for s in value if s)  # type: ignore[union-attr]


def _content(variant: object) -> object:
    """A variant's content spans: the model's ``content``, the export record's ``content_spans``."""
    for name in ("content", "content_spans", "spans", "span"):
        v = _get(variant, name)
        if v:
            return v
    return None


def _is_modality_shift(variant: object) -> object:
    """The variant's modality shifts (other shift kinds — attribution, scope, context — are not modality
    conflicts)."""
    for name in ("shift", "shifts", "modality_shift", "modality_shifts"):
        v = _get(variant, name)
        if v:
            hits = [x for x in v if (_get(x, "kind") or "modality") == "modality"] if isinstance(v, list | tuple) else [v]
            return hits or None
    diffs = _get(variant, "differences") or ()
    hits = [d for d in diffs if isinstance(d, str) and re.search(r"modal|conditional|intention|commitment", d, re.I)]
    return hits or None


def read_comparison(comparison: object, prepared: dict[str, Prepared]) -> Predicted:
    """Groups, conflicts and per-article independence from crosswire's Comparison (or its JSON record), in raw
    offsets; fields added later (summary, shifts, labels, an independence field) are picked up when present."""
    out = Predicted(summary=_get(comparison, "summary"))

    def item(article: str, spans: object) -> Item | None:
        if article not in prepared:
            return None
        return Item(article, tuple(prepared[article].raw_span(s) for s in _spans(spans)))

    for group in _get(comparison, "statements") or ():
        variants = list(_get(group, "variants") or ())
        items = [it for v in variants if (it := item(_get(v, "article_id"), _content(v)))]
        if len({i.article for i in items}) >= 2:
            out.groups.append(items)
        if variants:  # modality shifts reported on variants: a predicted modality conflict against the reference
            ref = item(_get(variants[0], "article_id"), _content(variants[0]))
            for v in variants[1:]:
                shift = _is_modality_shift(v)
                other = item(_get(v, "article_id"), _content(v))
                if shift and ref and other:
                    out.conflicts.append({"kind": "modality", "sides": [[ref], [other]], "label": str(shift)[:120],
                                          "detail": "variant shift", "from": "aligned"})
    for c in _get(comparison, "conflicts") or ():
        sides = []
        for side in _get(c, "sides") or ():
            passages = [it for p in _get(side, "passages") or () if (it := item(_get(p, "article_id"), _get(p, "span")))]
            sides.append(passages)
        out.conflicts.append({"kind": _get(c, "kind"), "sides": sides, "label": _get(c, "label"),
                              "detail": _get(c, "detail"), "from": "conflicts"})
    out.independent = _independence(comparison, list(prepared))
    return out


def _is_independent(x: object) -> bool | None:
    """True/False from a bool or a per-article record ("independent": bool, or a status/verdict string)."""
    if isinstance(x, bool):
        return x
    v = _get(x, "independent")
    if isinstance(v, bool):
        return v
    for name in ("status", "verdict", "role", "kind"):
        v = _get(x, name)
        if isinstance(v, str):
            return v.lower() in ("independent", "original", "own reporting")
    return None


def _independence(comparison: object, article_ids: list[str]) -> dict[str, bool]:
    """Per article: crosswire's own per-article field when it has one, else originals minus the second article of
    each shared-source pair (such a pair is counted as one source)."""
    for name in ("independent", "independence", "independent_articles", "articles"):
        v = _get(comparison, name)
        if isinstance(v, dict):  # {article id: bool or a record with "independent"}
            found = {a: _is_independent(x) for a, x in v.items()}
            if any(x is not None for x in found.values()):
                return {a: bool(found.get(a)) for a in article_ids}
        if isinstance(v, (list, tuple, set, frozenset)) and v:
            first = next(iter(v))
            if isinstance(first, str):  # the ids of the independent articles
                return {a: a in v for a in article_ids}
            if _get(first, "article_id") is not None:  # per-article records
                found = {_get(x, "article_id"): _is_independent(x) for x in v}
                if any(x is not None for x in found.values()):
                    return {a: bool(found.get(a)) for a in article_ids}
    originals = set(_get(comparison, "originals") or ())
    for e in _get(comparison, "provenance") or ():
        if _get(e, "relation") == "shared-source" and _get(e, "source") in originals and _get(e, "target") in originals:
            originals.discard(max(_get(e, "source"), _get(e, "target")))
    return {a: a in originals for a in article_ids}


# --------------------------------------------------------------------------- scoring


def _member_groups(it: Item, gold: dict) -> set[int]:
    return {gi for gi, g in enumerate(gold["aligned"]) for m in g["members"] if it.hits(m)}


def score_alignment(gold: dict, pred: Predicted) -> dict:
    gold_pairs = [(gi, a, b) for gi, g in enumerate(gold["aligned"]) for a, b in combinations(g["members"], 2)]
    labelled = [m for g in gold["aligned"] for m in g["members"]]
    labelled += [p[k] for p in gold.get("not_aligned", []) for k in ("a", "b")]
    found = [False] * len(gold_pairs)
    n_pred = judged = matched = 0
    bad_pairs = []
    for items in pred.groups:
        for u, v in combinations(items, 2):
            if u.article == v.article:
                continue
            n_pred += 1
            hit = False
            for k, (_, a, b) in enumerate(gold_pairs):
                if (u.hits(a) and v.hits(b)) or (v.hits(a) and u.hits(b)):
                    found[k] = hit = True
            if hit:
                matched += 1
                judged += 1
            elif any(u.hits(m) or v.hits(m) for m in labelled):
                judged += 1
                bad_pairs.append((u, v))
    misaligned = []
    for gi_pred, items in enumerate(pred.groups):
        why = []
        sets = [_member_groups(it, gold) for it in items]
        for p in gold.get("not_aligned", []):  # both sides present, in variants that share no gold group
            if any(u.hits(p["a"]) and v.hits(p["b"]) and not su & sv
                   for u, su in zip(items, sets, strict=True) for v, sv in zip(items, sets, strict=True) if u is not v):
                why.append(f"not_aligned pair: {p['a']['quote']!r} / {p['b']['quote']!r}")
        for x, y in combinations([s for s in sets if s], 2):
            if not x & y:
                why.append(f"gold groups {sorted(x)} and {sorted(y)}")
                break
        if why:
            misaligned.append({"group": gi_pred, "why": why})
    split = 0
    for gi in range(len(gold["aligned"])):
        holders = {k for k, items in enumerate(pred.groups) if any(gi in _member_groups(it, gold) for it in items)}
        split += len(holders) > 1
    return {"gold_pairs": len(gold_pairs), "gold_pairs_found": sum(found), "predicted_pairs": n_pred,
            "judged_pairs": judged, "matched_pairs": matched, "groups_predicted": len(pred.groups),
            "misaligned_groups": len(misaligned), "misaligned": misaligned, "split_gold_groups": split,
            "wrong_pairs": [[(u.article, u.spans), (v.article, v.spans)] for u, v in bad_pairs]}


def _conflict_hits(pc: dict, gc: dict, any_kind: bool = False) -> bool:
    if not any_kind and (pc["kind"] not in KIND_MATCH.get(gc["kind"], {gc["kind"]})):
        return False
    for i, j in combinations(range(len(pc["sides"])), 2):
        for u in pc["sides"][i]:
            for v in pc["sides"][j]:
                for a, b in combinations(gc["sides"], 2):
                    if a["value"] == b["value"]:
                        continue
                    if (u.hits(a) and v.hits(b)) or (v.hits(a) and u.hits(b)):
                        return True
    return False


def score_conflicts(gold: dict, pred: Predicted) -> dict:
    gold_c = gold["conflicts"]
    by_kind: dict[str, dict[str, int]] = defaultdict(lambda: {"gold": 0, "found": 0, "predicted": 0, "correct": 0})
    for g in gold_c:
        by_kind[g["kind"]]["gold"] += 1
    found = [False] * len(gold_c)
    found_any = [False] * len(gold_c)
    correct_any = 0
    false = []
    for p in pred.conflicts:
        kind = p["kind"] or "?"
        by_kind[kind]["predicted"] += 1
        hits = [k for k, g in enumerate(gold_c) if _conflict_hits(p, g)]
        anyk = [k for k, g in enumerate(gold_c) if _conflict_hits(p, g, any_kind=True)]
        for k in hits:
            found[k] = True
        for k in anyk:
            found_any[k] = True
        correct_any += bool(anyk)
        if hits:
            by_kind[kind]["correct"] += 1
        else:
            false.append({"kind": kind, "label": p.get("label"), "detail": p.get("detail"), "from": p.get("from"),
                          "sides": [[(i.article, i.spans) for i in s] for s in p["sides"]]})
    for k, g in enumerate(gold_c):
        by_kind[g["kind"]]["found"] += found[k]
    return {"gold": len(gold_c), "found": sum(found), "found_any_kind": sum(found_any), "predicted": len(pred.conflicts),
            "correct": sum(v["correct"] for v in by_kind.values()), "correct_any_kind": correct_any,
            "by_kind": dict(by_kind), "false": false,
            "missed": [g["label"] for k, g in enumerate(gold_c) if not found[k]]}


def score_independence(gold: dict, pred: Predicted) -> dict:
    rows = []
    for aid, g in gold["independent"].items():
        p = pred.independent.get(aid)
        rows.append({"article": aid, "gold": g["independent"], "predicted": p, "confidence": g.get("confidence", "high")})
    ok = sum(r["gold"] == r["predicted"] for r in rows)
    sure = [r for r in rows if r["confidence"] != "low"]
    return {"articles": len(rows), "correct": ok, "sure": len(sure), "sure_correct": sum(r["gold"] == r["predicted"] for r in sure),
            "gold_independent": sum(r["gold"] for r in rows), "rows": rows}


def score_story(gold: dict, pred: Predicted) -> dict:
    return {"story": gold["story"], "articles": len(gold["articles"]), "alignment": score_alignment(gold, pred),
            "conflicts": score_conflicts(gold, pred), "independence": score_independence(gold, pred)}


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def aggregate(stories: list[dict]) -> dict:
    al = defaultdict(int)
    for s in stories:
        for k in ("gold_pairs", "gold_pairs_found", "predicted_pairs", "judged_pairs", "matched_pairs",
                  "groups_predicted", "misaligned_groups", "split_gold_groups"):
            al[k] += s["alignment"][k]
    cf = defaultdict(int)
    kinds: dict[str, dict[str, int]] = defaultdict(lambda: {"gold": 0, "found": 0, "predicted": 0, "correct": 0})
    for s in stories:
        for k in ("gold", "found", "found_any_kind", "predicted", "correct", "correct_any_kind"):
            cf[k] += s["conflicts"][k]
        for kind, v in s["conflicts"]["by_kind"].items():
            for k, n in v.items():
                kinds[kind][k] += n
    ind = defaultdict(int)
    for s in stories:
        for k in ("articles", "correct", "sure", "sure_correct", "gold_independent"):
            ind[k] += s["independence"][k]
    return {
        "stories": len(stories),
        "articles": sum(s["articles"] for s in stories),
        "alignment": {**al, "precision": _ratio(al["matched_pairs"], al["judged_pairs"]),
                      "precision_strict": _ratio(al["matched_pairs"], al["predicted_pairs"]),
                      "recall": _ratio(al["gold_pairs_found"], al["gold_pairs"])},
        "conflicts": {**cf, "precision": _ratio(cf["correct"], cf["predicted"]), "recall": _ratio(cf["found"], cf["gold"]),
                      "precision_any_kind": _ratio(cf["correct_any_kind"], cf["predicted"]),
                      "recall_any_kind": _ratio(cf["found_any_kind"], cf["gold"]),
                      "by_kind": {k: {**v, "precision": _ratio(v["correct"], v["predicted"]), "recall": _ratio(v["found"], v["gold"])}
                                  for k, v in sorted(kinds.items())}},
        "independence": {**ind, "accuracy": _ratio(ind["correct"], ind["articles"]),
                         "accuracy_sure": _ratio(ind["sure_correct"], ind["sure"]),
                         "all_independent_baseline": _ratio(ind["gold_independent"], ind["articles"])},
    }


def _f(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def format_table(result: dict) -> str:
    t = result["total"]
    lines = ["story                                   arts  align P / R (pairs)        misal. split  conflicts P / R (found/gold)  indep."]
    for s in result["stories"]:
        a, c, i = s["alignment"], s["conflicts"], s["independence"]
        lines.append(f"{s['story'][:39]:<39} {s['articles']:>4}  {_f(_ratio(a['matched_pairs'], a['judged_pairs']))} / "
                     f"{_f(_ratio(a['gold_pairs_found'], a['gold_pairs']))} ({a['matched_pairs']}/{a['judged_pairs']}j/{a['predicted_pairs']}p, "
                     f"{a['gold_pairs_found']}/{a['gold_pairs']}g) {a['misaligned_groups']:>3} {a['split_gold_groups']:>5}  "
                     f"{_f(_ratio(c['correct'], c['predicted']))} / {_f(_ratio(c['found'], c['gold']))} ({c['found']}/{c['gold']}, {c['predicted']} pred.)"
                     f"  {i['correct']}/{i['articles']}")
    a, c, i = t["alignment"], t["conflicts"], t["independence"]
    lines += ["", f"{t['stories']} stories, {t['articles']} articles",
              f"alignment  P {_f(a['precision'])} (judged {a['matched_pairs']}/{a['judged_pairs']}; strict {_f(a['precision_strict'])} over "
              f"{a['predicted_pairs']} predicted pairs)  R {_f(a['recall'])} ({a['gold_pairs_found']}/{a['gold_pairs']} gold pairs)",
              f"           {a['groups_predicted']} predicted groups, {a['misaligned_groups']} misaligned, {a['split_gold_groups']} gold groups split",
              f"conflicts  P {_f(c['precision'])} ({c['correct']}/{c['predicted']})  R {_f(c['recall'])} ({c['found']}/{c['gold']})"
              f"   any kind: P {_f(c['precision_any_kind'])}  R {_f(c['recall_any_kind'])}",
              "   kind        gold found  pred. correct   P      R"]
    for kind, v in c["by_kind"].items():
        lines.append(f"   {kind:<10} {v['gold']:>5} {v['found']:>5} {v['predicted']:>6} {v['correct']:>7}   {_f(v['precision'])}  {_f(v['recall'])}")
    lines.append(f"independence accuracy {_f(i['accuracy'])} ({i['correct']}/{i['articles']}); "
                 f"on clear cases {_f(i['accuracy_sure'])} ({i['sure_correct']}/{i['sure']}); "
                 f"calling every article independent would score {_f(i['all_independent_baseline'])}")
    return "\n".join(lines)


def show(story: dict, pred: Predicted, prepared: dict[str, Prepared], scored: dict) -> str:
    """What crosswire predicted for one story, in raw-text quotes, for reading."""
    def q(it: Item) -> str:
        raw = prepared[it.article].raw
        text = " … ".join(raw[s:e] for s, e in it.spans).replace("\\n", " ")
        return f"{it.article} {list(it.spans)} {' '.join(text.split())[:110]!r}"

    out = [f"== {story['story']}", "aligned groups:"]
    for k, items in enumerate(pred.groups):
        out.append(f"  [{k}] " + "\n      ".join(q(i) for i in items))
    out.append("conflicts:")
    for c in pred.conflicts:
        out.append(f"  {c['kind']} ({c.get('from')}): {c.get('label') or c.get('detail')}")
        for side in c["sides"]:
            out.append("      " + " | ".join(q(i) for i in side))
    out.append(f"independent: {pred.independent}")
    out.append(f"misaligned: {scored['alignment']['misaligned']}")
    out.append(f"missed conflicts: {scored['conflicts']['missed']}")
    return "\n".join(out)


def run(stories: list[dict], articles: dict[str, dict], raw: bool = False, verbose: bool = False) -> dict:
    from crosswire.compare import compare_story

    scored, timings = [], {}
    for story in stories:
        start = time.perf_counter()
        docs, prepared = prepare(story, articles, raw)
        comparison = compare_story(story["story"], docs)
        timings[story["story"]] = round(time.perf_counter() - start, 2)
        pred = read_comparison(comparison, prepared)
        s = score_story(story, pred)
        s["seconds"] = timings[story["story"]]
        s["summary"] = pred.summary if isinstance(pred.summary, (str, list, dict, type(None))) else str(pred.summary)
        scored.append(s)
        if verbose:
            print(show(story, pred, prepared, s), file=sys.stderr)
    return {"stories": scored, "total": aggregate(scored)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD_DIR)
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="the shared data directory (docs.jsonl of both sets)")
    parser.add_argument("--story", action="append", default=[], help="only this gold story (repeatable)")
    parser.add_argument("--raw", action="store_true", help="feed the stored texts without undoing their tokenisation")
    parser.add_argument("--show", action="store_true", help="print what crosswire predicted for each story (stderr)")
    parser.add_argument("--json", type=Path, help="write the scores (with per-story details) here")
    args = parser.parse_args(argv)
    stories = load_gold(args.gold, args.story)
    if not stories:
        sys.exit(f"no gold stories under {args.gold}")
    articles = load_articles(args.data)
    missing = [a for s in stories for a in s["articles"] if a not in articles]
    if missing:
        sys.exit(f"articles missing from {args.data}: {missing[:5]}")
    start = time.perf_counter()
    result = run(stories, articles, args.raw, args.show)
    result["seconds"] = round(time.perf_counter() - start, 1)
    result["raw"] = args.raw
    print(f"crosswire on {len(stories)} real stories, {result['seconds']} s\n")
    print(format_table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

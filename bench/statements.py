"""Statements on PolNeAR: whole-article attribution extraction (no gold sentences), scored per role.

    python bench/statements.py                 # dev split (for reporting); develop on --split train
    python bench/statements.py --split train --limit 200 --errors 20

For content, source (speaker mention) and cue, three scores:
- exact: the predicted span(s) equal a gold span(s) after stripping whitespace;
- overlap: a prediction is right when it overlaps a gold span of the same role, a gold span is found
  when a prediction overlaps it (the lenient span-level score used by the Gender Gap Tracker);
- token: word tokens of all predicted vs all gold spans of the role (proportional overlap).
Also: speaker right on matched statements (content overlaps, source overlaps), articles/s and peak
memory of the analysis stage, and pronoun-speaker resolution on our hand labels (bench/data).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import polnear  # noqa: E402

from crosswire.nlp.analyse import analyse_texts  # noqa: E402

WORD = re.compile(r"\w+")
Spans = tuple[tuple[int, int], ...]


def _norm(text: str, spans: Spans) -> Spans:
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return tuple(sorted(out))


def _words(text: str, spans: Spans) -> set[int]:
    return {m.start() for s, e in spans for m in WORD.finditer(text, s, e)}


def _overlap(a: Spans, b: Spans) -> bool:
    return any(x0 < y1 and y0 < x1 for x0, x1 in a for y0, y1 in b)


class RoleScore:
    def __init__(self) -> None:
        self.c = Counter()

    def add(self, text: str, gold: list[Spans], pred: list[Spans]) -> None:
        gold = [g for g in (_norm(text, g) for g in gold) if g]
        pred = [p for p in (_norm(text, p) for p in pred) if p]
        c = self.c
        c["gold"] += len(gold)
        c["pred"] += len(pred)
        gold_left = Counter(gold)
        for p in pred:
            if gold_left[p] > 0:
                gold_left[p] -= 1
                c["exact"] += 1
        c["p_overlap"] += sum(1 for p in pred if any(_overlap(p, g) for g in gold))
        c["r_overlap"] += sum(1 for g in gold if any(_overlap(p, g) for p in pred))
        gw = set().union(*(_words(text, g) for g in gold)) if gold else set()
        pw = set().union(*(_words(text, p) for p in pred)) if pred else set()
        c["gw"] += len(gw)
        c["pw"] += len(pw)
        c["tw"] += len(gw & pw)

    def figures(self) -> dict[str, float]:
        c = self.c

        def prf(tp_p: float, n_p: float, tp_r: float, n_r: float) -> tuple[float, float, float]:
            p = tp_p / n_p if n_p else 0.0
            r = tp_r / n_r if n_r else 0.0
            return p, r, (2 * p * r / (p + r) if p + r else 0.0)

        out = {}
        for name, vals in (
            ("exact", prf(c["exact"], c["pred"], c["exact"], c["gold"])),
            ("overlap", prf(c["p_overlap"], c["pred"], c["r_overlap"], c["gold"])),
            ("token", prf(c["tw"], c["pw"], c["tw"], c["gw"])),
        ):
            for k, v in zip("PRF", vals, strict=True):
                out[f"{name}_{k}"] = round(v, 3)
        return out


def evaluate(split: str, limit: int | None, errors: int, processes: int, cache: str | None = None) -> dict[str, object]:
    arts = polnear.load(split, limit=limit)
    t0 = time.perf_counter()
    if cache:  # development only: a DocBin of the same split parsed earlier
        from spacy.tokens import DocBin

        from crosswire.nlp.analyse import analyse_doc
        from crosswire.nlp.parse import load_pipeline

        docs = list(DocBin().from_disk(cache).get_docs(load_pipeline().vocab))[: len(arts)]
        analyses = [analyse_doc(d).statements for d in docs]
    else:
        analyses = [an.statements for an in analyse_texts([a.text for a in arts], processes=processes)]
    elapsed = time.perf_counter() - t0
    roles = {r: RoleScore() for r in ("content", "source", "cue")}
    matched = Counter()
    shown = 0
    for art, statements in zip(arts, analyses, strict=True):
        gold = art.attributions
        for role in roles:
            g = [getattr(a, role) for a in gold if getattr(a, role)]
            p = [_pred_role(s, role) for s in statements]
            roles[role].add(art.text, g, [x for x in p if x])
        for s in statements:
            g = next((a for a in gold if a.content and _overlap(a.content, tuple(s.content))), None)
            if g is None:
                if shown < errors:
                    shown += 1
                    print(f"  FP {art.name}: {s.how} src={_txt(art.text, _pred_role(s, 'source'))!r} "
                          f"content={_txt(art.text, tuple(s.content))[:120]!r}")
                continue
            matched["statements"] += 1
            ps = _pred_role(s, "source")
            named = s.speaker is not None  # crosswire named a speaker (None: it said it could not tell)
            matched["named"] += named
            if not g.source and not ps:
                matched["source_ok"] += 1
            elif g.source and ps and _overlap(g.source, ps):
                matched["source_ok"] += 1
                matched["named_ok"] += named
            elif SPEAKER_ERRORS:
                print(f"  speaker {art.name}: {s.how} ours={_txt(art.text, ps)!r} gold={_txt(art.text, g.source)!r} "
                      f"content={_txt(art.text, tuple(s.content))[:60]!r}")
    pronouns = _pronoun_resolution(arts, analyses)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "split": split,
        "articles": len(arts),
        "gold_attributions": sum(len(a.attributions) for a in arts),
        "predicted": sum(len(s) for s in analyses),
        **{role: score.figures() for role, score in roles.items()},
        "pronoun_resolution": pronouns,
        "speaker_on_matched": round(matched["source_ok"] / matched["statements"], 3) if matched["statements"] else 0.0,
        "speaker_on_named": round(matched["named_ok"] / matched["named"], 3) if matched["named"] else 0.0,
        "unnamed_on_matched": matched["statements"] - matched["named"],
        "articles_per_s": round(len(arts) / elapsed, 2),
        "processes": processes,
        "peak_rss_mb": round(max(rss_mb, children_mb)),
    }


SPEAKER_ERRORS = "--speaker-errors" in sys.argv  # print each matched statement whose speaker mention is wrong
PRONOUN_ERRORS = "--pronoun-errors" in sys.argv  # print each wrongly resolved pronoun
PRONOUN_LABELS = Path(__file__).resolve().parent / "data" / "polnear_dev_pronouns.tsv"


def _pronoun_resolution(arts: list, analyses: list) -> dict[str, object]:
    """Where the gold source is a pronoun and our hand label names the referent (bench/data, dev only):
    is our statement's resolved speaker that person? Matching on the folded surname."""
    from crosswire.nlp.names import fold

    if not PRONOUN_LABELS.exists():
        return {}
    labels: dict[str, list[tuple[int, int, str]]] = {}
    for line in PRONOUN_LABELS.read_text(encoding="utf-8").splitlines()[1:]:
        art, start, end, _pronoun, referent, _kind = line.split("\t")
        if referent not in ("UNNAMED", "UNSURE"):
            labels.setdefault(art, []).append((int(start), int(end), referent))
    c = Counter()
    for art, statements in zip(arts, analyses, strict=True):
        for start, end, referent in labels.get(art.name, []):
            c["labelled"] += 1
            st = next((s for s in statements if s.speaker_span and s.speaker_span[0] < end and start < s.speaker_span[1]), None)
            if st is None:
                continue
            c["found"] += 1
            if st.speaker is None:
                c["unresolved"] += 1  # crosswire said it could not tell: not a wrong speaker
                continue
            ours, gold = fold(st.speaker or "").split(), fold(referent).split()
            if ours and gold and ours[-1] == gold[-1]:
                c["right"] += 1
            elif PRONOUN_ERRORS:
                print(f"  pronoun: {art.name} {start}-{end}: ours {st.speaker!r}, label {referent!r}")
    if not c["labelled"]:
        return {}
    resolved = c["found"] - c["unresolved"]
    return {"labelled": c["labelled"], "statement_found": c["found"], "unresolved": c["unresolved"],
            "accuracy_on_resolved": round(c["right"] / resolved, 3) if resolved else 0.0,
            "accuracy_on_found": round(c["right"] / c["found"], 3) if c["found"] else 0.0,
            "accuracy_overall": round(c["right"] / c["labelled"], 3)}


def _pred_role(s: object, role: str) -> tuple[tuple[int, int], ...]:
    if role == "content":
        return tuple(s.content)  # type: ignore[attr-defined]
    span = s.speaker_span if role == "source" else s.cue_span  # type: ignore[attr-defined]
    return (span,) if span else ()


def _txt(text: str, spans: Spans) -> str:
    return " | ".join(text[s:e] for s, e in spans)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="dev")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--errors", type=int, default=0, help="print this many false positives")
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--pronoun-errors", action="store_true", help="print each wrongly resolved pronoun speaker")
    ap.add_argument("--speaker-errors", action="store_true", help="print matched statements whose speaker mention is wrong")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--cache", help="development: score pre-parsed docs (a spaCy DocBin of the split) instead of parsing")
    args = ap.parse_args()
    res = evaluate(args.split, args.limit, args.errors, args.processes, args.cache)
    if args.json:
        print(json.dumps(res, indent=2))
        return
    print(f"PolNeAR {res['split']}: {res['articles']} articles, {res['gold_attributions']} gold attributions, "
          f"{res['predicted']} predicted")
    print(f"{'role':8} {'exact P/R/F1':>20} {'overlap P/R/F1':>20} {'token P/R/F1':>20}")
    for role in ("content", "source", "cue"):
        f = res[role]
        cols = ["/".join(f"{f[f'{m}_{k}']:.3f}" for k in "PRF") for m in ("exact", "overlap", "token")]
        print(f"{role:8} {cols[0]:>20} {cols[1]:>20} {cols[2]:>20}")
    print(f"speaker right on matched statements: {res['speaker_on_matched']:.3f}; on those crosswire names a speaker for: "
          f"{res['speaker_on_named']:.3f} ({res['unnamed_on_matched']} left without a speaker)")
    if res["pronoun_resolution"]:
        p = res["pronoun_resolution"]
        print(f"pronoun speakers resolved to the right person: {p['accuracy_on_resolved']:.3f} of the "
              f"{p['statement_found'] - p['unresolved']} we resolved; {p['unresolved']} of the {p['statement_found']} found left "
              f"unresolved; {p['accuracy_overall']:.3f} of all {p['labelled']} hand-labelled right (bench/data)")
    print(f"speed: {res['articles_per_s']} articles/s with {res['processes']} processes; peak RSS {res['peak_rss_mb']} MB")


if __name__ == "__main__":
    main()

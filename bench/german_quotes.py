"""German quotation attribution on ../shared/data/german-quotes/dev (WIKINEWS, CC BY-NC-SA; evaluation only).

    python bench/german_quotes.py [--limit N] [--errors N]

Scoring as its SOURCE.md says: unit = one gold quote span; a predicted content span matches a gold span when they
overlap by >= 30 % of the longer of the two, one to one, greedily by overlap; P/R/F1 over spans, and the strict
(exact span) figure. Speaker: on matched spans whose gold quotation has a speaker, right when the last word of the
gold speaker (lower case) is a word of the predicted speaker's name or of the mention it was attributed to.
Speed: articles/s of nlp.lang.analyse_article after a warm-up article (the lexicon loads once, ~6 s).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lang_anchor import english_articles_per_second  # noqa: E402

from crosswire.nlp.lang import analyse_article  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "german-quotes" / "dev"
MATCH = 0.3


def gold(doc: dict) -> list[tuple[tuple[int, int], str]]:
    out = []
    for ann in doc["annotations"]:
        for sp in ann["quote"]["spans"]:
            out.append(((sp["charBegin"], sp["charEnd"]), ann["speaker"]["text"]))
    return out


def words(s: str) -> set[str]:
    return {w.lower() for w in re.findall(r"\w+", s)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--errors", type=int, default=0)
    args = ap.parse_args()
    files = sorted(DATA.glob("*.json"))[: args.limit or None]
    docs = [json.loads(f.read_text("utf-8")) for f in files]
    analyse_article("warm", docs[0]["originalText"], "de", None)
    tp = exact = npred = ngold = sp_total = sp_right = 0
    errors = []
    t0 = time.perf_counter()
    results = [analyse_article(d["documentName"], d["originalText"], "de", None) for d in docs]
    elapsed = time.perf_counter() - t0
    for d, a in zip(docs, results, strict=True):
        text = d["originalText"]
        g = gold(d)
        preds = [(span, s) for s in a.statements for span in s.content]
        npred += len(preds)
        ngold += len(g)
        pairs = []
        for i, ((ga, gb), _) in enumerate(g):
            for j, ((pa, pb), _) in enumerate(preds):
                ov = max(0, min(gb, pb) - max(ga, pa))
                if ov and ov >= MATCH * max(gb - ga, pb - pa):
                    pairs.append((ov, i, j))
        used_g, used_p = set(), set()
        for _, i, j in sorted(pairs, reverse=True):
            if i in used_g or j in used_p:
                continue
            used_g.add(i)
            used_p.add(j)
            tp += 1
            exact += g[i][0] == preds[j][0]
            gspeaker = g[i][1]
            if gspeaker:
                sp_total += 1
                st = preds[j][1]
                mention = text[st.speaker_span[0] : st.speaker_span[1]] if st.speaker_span else ""
                last = re.findall(r"\w+", gspeaker.lower())[-1:] or [""]
                ok = last[0] in words(st.speaker or "") | words(mention)
                sp_right += ok
                if not ok and len(errors) < args.errors:
                    errors.append(f"speaker: gold {gspeaker!r} / ours {st.speaker!r} ({mention!r})")
        if args.errors:
            for i, (span, spk) in enumerate(g):
                if i not in used_g and len(errors) < args.errors:
                    errors.append(f"missed: {text[span[0]:span[1]][:90]!r} — {spk!r}")
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(f"articles {len(docs)}  gold spans {ngold}  predicted {npred}  matched {tp}")
    print(f"quote overlap>=0.3: P {p:.3f}  R {r:.3f}  F1 {f:.3f}   strict exact: {exact / ngold if ngold else 0:.3f} of gold")
    print(f"speaker on matched spans with a gold speaker: {sp_right}/{sp_total} = {sp_right / sp_total if sp_total else 0:.3f}")
    anchor = english_articles_per_second()
    print(f"speed: {len(docs) / elapsed:.1f} articles/s (one process, after warm-up); English anchor "
          f"{anchor:.1f} articles/s in this run; ratio {len(docs) / elapsed / anchor:.2f}")
    for e in errors:
        print(" ", e)


if __name__ == "__main__":
    main()

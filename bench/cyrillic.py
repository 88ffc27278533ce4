"""Russian and Ukrainian statements: quote overlap P/R/F1 and speaker accuracy on hand-labelled texts.

    python bench/cyrillic.py [--errors N]

Russian: 26 Cyrillic articles of ../shared/data/semeval22-task8-sample/raw (texts read from there, never copied),
labelled by hand in bench/data/cyrillic_ru.tsv (spans and speaker head words). Ukrainian: 25 short texts written for
crosswire with their statements marked inline (bench/data/cyrillic_uk.txt). Scoring as bench/german_quotes.py: a
predicted content span matches a gold span overlapping it by >= 30 % of the longer, one to one; speaker right when
the gold speaker's head word (lemmatised or transliteration-folded) is a word of the predicted name or mention.
Speed: articles/s per language after a warm-up (natasha loads once).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # natasha (numpy) on a shared 2-core machine: one thread each
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import csv
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lang_anchor import english_articles_per_second  # noqa: E402

from crosswire.nlp.lang import analyse_article  # noqa: E402
from crosswire.nlp.lang.profile import lemma
from crosswire.nlp.names import fold

HERE = Path(__file__).resolve().parent / "data"
SEMEVAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "semeval22-task8-sample" / "raw"
MATCH = 0.3
MARK = re.compile(r"\[\[(.*?)\|([^\]]*)\]\]", re.S)


def russian() -> list[tuple[str, str, list[tuple[tuple[int, int], str]]]]:
    csv.field_size_limit(10**9)
    texts = {}
    for f in ("training_set.csv", "testing_set.csv"):
        for row in csv.DictReader((SEMEVAL / f).open(encoding="utf-8")):
            for k in ("1", "2"):
                texts[(f, row["pair_id"], k)] = row["text" + k]
    gold: dict[tuple[str, str, str], list] = defaultdict(list)
    for line in (HERE / "cyrillic_ru.tsv").read_text("utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        f, pid, side, s, e, speaker = (line.split("\t") + [""])[:6]
        spans = gold[(f, pid, side)]
        if int(s) >= 0:
            spans.append(((int(s), int(e)), speaker))
    return [(f"{pid}/{side}", texts[(f, pid, side)], spans) for (f, pid, side), spans in gold.items()]


def ukrainian() -> list[tuple[str, str, list[tuple[tuple[int, int], str]]]]:
    out = []
    raw = (HERE / "cyrillic_uk.txt").read_text("utf-8")
    for block in raw.split("### ")[1:]:
        name, body = block.split("\n", 1)
        text, spans, pos = "", [], 0
        for m in MARK.finditer(body):
            text += body[pos : m.start()]
            spans.append(((len(text), len(text) + len(m.group(1))), m.group(2)))
            text += m.group(1)
            pos = m.end()
        text += body[pos:]
        out.append((name.strip(), text.strip("\n"), spans))
    return out


def same_word(gold_word: str, words: set[str], language: str) -> bool:
    g = gold_word.lower()
    return any(w == g or lemma(w, language) == lemma(g, language) or fold(w) == fold(g) for w in words)


def score(language: str, items: list, errors: int, anchor: float) -> None:
    analyse_article("warm", items[0][1], language, None)
    t0 = time.perf_counter()
    results = [analyse_article(name, text, language, None) for name, text, _ in items]
    elapsed = time.perf_counter() - t0
    tp = npred = ngold = sp_total = sp_right = 0
    shown = []
    for (name, text, gold), a in zip(items, results, strict=True):
        preds = [(span, s) for s in a.statements for span in s.content]
        npred += len(preds)
        ngold += len(gold)
        pairs = []
        for i, ((ga, gb), _) in enumerate(gold):
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
            speaker = gold[i][1]
            if speaker:
                sp_total += 1
                st = preds[j][1]
                mention = text[st.speaker_span[0] : st.speaker_span[1]] if st.speaker_span else ""
                words = {w.lower() for w in re.findall(r"[\w'’-]+", f"{st.speaker or ''} {mention}")}
                ok = same_word(re.findall(r"[\w'’-]+", speaker)[-1], words, language)
                sp_right += ok
                if not ok and len(shown) < errors:
                    shown.append(f"{name} speaker: gold {speaker!r} / ours {st.speaker!r} ({mention!r})")
        for i, (span, spk) in enumerate(gold):
            if i not in used_g and len(shown) < errors:
                shown.append(f"{name} missed: {text[span[0]:span[1]][:80]!r} — {spk!r}")
        for j, (span, st) in enumerate(preds):
            if j not in used_p and len(shown) < errors:
                shown.append(f"{name} extra: {text[span[0]:span[1]][:80]!r} — {st.speaker!r}")
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(f"[{language}] articles {len(items)}  gold spans {ngold}  predicted {npred}  matched {tp}")
    print(f"[{language}] quote overlap>=0.3: P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    print(f"[{language}] speaker on matched spans with a gold speaker: {sp_right}/{sp_total} = "
          f"{sp_right / sp_total if sp_total else 0:.3f}")
    print(f"[{language}] speed: {len(items) / elapsed:.1f} articles/s (one process, after warm-up); "
          f"ratio to the English anchor ({anchor:.1f} articles/s in this run): {len(items) / elapsed / anchor:.2f}")
    for e in shown:
        print("  ", e)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--errors", type=int, default=0)
    args = ap.parse_args()
    anchor = english_articles_per_second()
    score("ru", russian(), args.errors, anchor)
    score("uk", ukrainian(), args.errors, anchor)


if __name__ == "__main__":
    main()

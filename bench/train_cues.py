"""Learn cue words from PolNeAR *train*: verb forms that annotators mark as attribution cues most of the times
they head a clause with a subject. Writes ``src/crosswire/resources/cues_learned.toml`` (data, with counts).

    python bench/train_cues.py [--min-count 4] [--min-share 0.5]

Only the train split is read (dev is for reporting, test untouched). Forms already in cues.toml are skipped.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import polnear  # noqa: E402

from crosswire.nlp.cues import load_cues  # noqa: E402
from crosswire.nlp.lemmas import lemma  # noqa: E402
from crosswire.nlp.parse import parse  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "src" / "crosswire" / "resources" / "cues_learned.toml"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--min-count", type=int, default=4)
    ap.add_argument("--min-share", type=float, default=0.5)
    ap.add_argument("--processes", type=int, default=2)
    args = ap.parse_args()
    arts = polnear.load("train")
    known = load_cues().verbs
    seen, cue = Counter(), Counter()
    for art, doc in zip(arts, parse([a.text for a in arts], processes=args.processes), strict=True):
        cue_chars = {i for at in art.attributions for s, e in at.cue for i in range(s, e)}
        for tok in doc:
            if tok.pos_ != "VERB" or not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
                continue
            form = tok.lower_
            if lemma(tok) in known:
                continue
            seen[form] += 1
            if tok.idx in cue_chars:
                cue[form] += 1
    learned = sorted((f for f in seen if seen[f] >= args.min_count and cue[f] / seen[f] >= args.min_share),
                     key=lambda f: (-cue[f], f))
    lines = [
        "# Verb forms learned from PolNeAR train by bench/train_cues.py: forms not in cues.toml that annotators",
        f"# marked as a cue in at least {args.min_share:.0%} of their >= {args.min_count} uses heading a clause with a subject.",
        "# [form] = [times a cue, times seen]. Regenerate with: python bench/train_cues.py",
        "[forms]",
    ]
    lines += [f'"{f}" = [{cue[f]}, {seen[f]}]' for f in learned]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(learned)} forms written to {OUT.name}: {', '.join(learned[:40])}")


if __name__ == "__main__":
    main()

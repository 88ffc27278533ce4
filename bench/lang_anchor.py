"""The speed anchor of the language benchmarks: the English analyser's articles/s on the demo's English wire story,
measured in the same run (the machine is shared, so only ratios to this anchor compare across runs)."""

from __future__ import annotations

import time
from pathlib import Path

from crosswire.demo import __file__ as demo_init

REPEATS = 10


def english_articles_per_second() -> float:
    from crosswire.nlp.analyse import analyse_texts

    text = (Path(demo_init).parent / "corpus" / "a1_nordwire.txt").read_text("utf-8")
    analyse_texts([text])  # load the model first
    t0 = time.perf_counter()
    analyse_texts([text] * REPEATS)
    return REPEATS / (time.perf_counter() - t0)

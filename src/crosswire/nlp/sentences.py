"""Sentence lookup by character offset. spaCy's ``Token.sent`` walks the whole document on every call."""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc, Span


class Sentences:
    """The sentences of a parsed document, found by offset in O(log n)."""

    def __init__(self, doc: Doc) -> None:
        self.text = doc.text  # Doc.text joins every token on each access: read it once
        self.spans: list[Span] = list(doc.sents)
        self.starts = [s.start_char for s in self.spans]

    def at(self, char: int) -> Span | None:
        i = bisect_right(self.starts, char) - 1
        return self.spans[i] if i >= 0 else None

"""Quote spans in a paragraph: curly, straight, low-high („…“), guillemets either way, CJK corner marks.

Pure and total: any string gives a list of non-overlapping spans, never an exception. Spans include
their marks (that is how PolNeAR and readers delimit a quotation). An opening mark left open at the end
of a paragraph runs to the paragraph end (``closed=False``): newspapers reopen a quote on each
paragraph of a multi-paragraph quotation and close it only on the last.
"""

from __future__ import annotations

from dataclasses import dataclass

# opening mark → closing marks it accepts. “ closes „ (German) but opens in English; » opens in German
# when nothing is open and closes a « quote.
PAIRS: dict[str, str] = {
    "“": "”",
    "„": "“”",
    "‟": "”",
    "«": "»",
    "»": "«",
    "‹": "›",
    "「": "」",
    "『": "』",
    '"': '"',
}
OPENERS = frozenset(PAIRS)
CLOSERS = frozenset("”»«›」』“\"")


@dataclass(frozen=True, slots=True)
class Quote:
    start: int  # offset of the opening mark
    end: int  # offset after the closing mark (or the paragraph end when left open)
    closed: bool = True

    @property
    def inner(self) -> tuple[int, int]:
        return (self.start + 1, self.end - 1 if self.closed else self.end)


def _straight_opens(text: str, i: int) -> bool:
    """A straight quote opens after a space, a bracket, a dash or at the start."""
    return i == 0 or text[i - 1].isspace() or text[i - 1] in "([{—–-/:"


def _mixed_close(text: str, i: int, opener: str) -> bool:
    """Scraped text often opens with a curly mark and closes with a straight one (“…"): a straight mark in
    closing position closes a curly quote when no curly closing mark follows in the paragraph."""
    return text[i] == '"' and opener in "“„" and not _straight_opens(text, i) and "”" not in text[i:]


def find_quotes(text: str, offset: int = 0) -> list[Quote]:
    """Top-level quotations of ``text`` (nested ones are inside them); offsets shifted by ``offset``."""
    out: list[Quote] = []
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch == "'" and stack and stack[-1][0] in '"“' and text.startswith("''", i) and not text.startswith("''", i - 1):
            _, start = stack.pop()  # a PTB-style closing mark ('') as in tokenised corpora
            if not stack:
                out.append(Quote(start + offset, i + 2 + offset))
            continue
        if ch not in OPENERS and ch not in CLOSERS:
            continue
        if stack and (ch in PAIRS[stack[-1][0]] or _mixed_close(text, i, stack[-1][0])):
            _, start = stack.pop()
            if not stack:
                out.append(Quote(start + offset, i + 1 + offset))
            continue
        if ch == '"' and not _straight_opens(text, i):
            continue  # a stray closing straight quote
        if ch in OPENERS and (stack or ch != "»" or (i + 1 < len(text) and not text[i + 1].isspace())):
            if ch in "“»" and not stack and i + 1 < len(text) and text[i + 1].isspace():
                continue  # a closing mark with nothing open: unbalanced, ignore
            stack.append((ch, i))
    if stack:
        start = stack[0][1]
        if len(text) - start > 1:
            out.append(Quote(start + offset, len(text) + offset, closed=False))
    return out


def inside(quotes: list[Quote], pos: int) -> Quote | None:
    """The quote containing character ``pos``, if any."""
    for q in quotes:
        if q.start <= pos < q.end:
            return q
    return None

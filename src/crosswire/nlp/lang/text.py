"""Paragraphs, sentences, words and quotations of a text in any of the supported languages, as character spans.

Quotation marks: „…“ „…” (German), »…« ›…‹ (German books and Swiss), «…» (Russian, Ukrainian), "…" and “…”
(everywhere), ‚…‘; a quotation inside another is part of the outer one. A Russian or Ukrainian paragraph
opening with a dash is dialogue: ``— Слова, — сказал он. — Ещё слова.``
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Span = tuple[int, int]

PAIRS = {"„": "“”", "»": "«", "«": "»", "“": "”", "‚": "‘’", "›": "‹"}
WORD = re.compile(r"[^\W\d_]+(?:[-'’ʼ][^\W\d_]+)*|\d+(?:[.,  ]\d+)*", re.UNICODE)
PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")
# a sentence ends at . ! ? … (and a closing quote) before a space and an upper-case letter, a digit, a dash or a quote
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"“”»«\"']?\s+(?=[\"„“«»‚—–-]?\s?[A-ZÄÖÜА-ЯЁІЇЄҐ0-9])")
ABBREVIATIONS = frozenset("""z.b d.h u.a bzw ca dr prof nr st hr fr vgl usw etc jan feb sept okt nov dez mio mrd tsd
    т.е т.д т.п г гг тыс млн млрд ул им проф др тис грн вул ім""".split())
DASHES = "—–"


@dataclass(frozen=True, slots=True)
class Word:
    start: int
    end: int
    text: str


def paragraphs(text: str) -> list[Span]:
    return [(m.start(), m.end()) for m in PARAGRAPH.finditer(text) if m.group().strip()]


def sentences(text: str, start: int, end: int) -> list[Span]:
    """Sentences of ``text[start:end]``; no break inside a quotation or after an abbreviation or ordinal.

    Not ``compare.text.sentences``: a statement's quotation must stay in one sentence, and German, Russian and
    Ukrainian abbreviations and ordinals ("z.B. Merz", "am 13. September", "т.е.") end none; the comparison
    instead splits quotations and lines like prose to align them (see its docstring)."""
    quoted = quotes(text, start, end)
    out, s = [], start
    for m in SENTENCE_END.finditer(text, start, end):
        g = m.group()
        cut = m.start() + len(g) - len(g.lstrip("\"“”»«'"))  # the sentence keeps its closing quote mark
        prev = re.search(r"(\S+)$", text[s : m.start()])
        last = prev.group(1).rstrip(".").lower() if prev else ""
        if last in ABBREVIATIONS or (last.isdigit() and text[m.start() - 1] == "." and len(last) <= 2):
            continue  # "z.B. Merz", "am 13. September"
        if any(q.open < m.start() < q.close for q in quoted):
            continue
        out.append((s, cut))
        s = m.end()
    if s < end:
        out.append((s, end))
    return [_trim(text, a, b) for a, b in out if text[a:b].strip()]


def _trim(text: str, a: int, b: int) -> Span:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def words(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    return [Word(m.start(), m.end(), m.group()) for m in WORD.finditer(text, start, len(text) if end is None else end)]


@dataclass(frozen=True, slots=True)
class Quote:
    open: int  # the opening mark
    close: int  # the closing mark
    dash: bool = False  # dialogue after a dash, no marks

    @property
    def content(self) -> Span:
        return (self.open, self.close) if self.dash else (self.open + 1, self.close)


def quotes(text: str, start: int = 0, end: int | None = None) -> list[Quote]:
    """Outermost quotations in ``text[start:end]`` (one paragraph): a quotation never crosses a paragraph."""
    end = len(text) if end is None else end
    out: list[Quote] = []
    i = start
    while i < end:
        ch = text[i]
        if ch in PAIRS or (ch == '"' and _opens(text, i)):
            close = _closing(text, i, end)
            if close is not None:
                out.append(Quote(i, close))
                i = close + 1
                continue
        i += 1
    return out


def _opens(text: str, i: int) -> bool:
    """A straight double quote opens when it is not after a letter (``"Wir …``)."""
    return i == 0 or not text[i - 1].isalnum()


def _closing(text: str, i: int, end: int) -> int | None:
    ch = text[i]
    closers = PAIRS.get(ch, '"')
    depth = 0
    for j in range(i + 1, end):
        c = text[j]
        if c == "\n" and text[j + 1 : j + 2] == "\n":
            return None
        if c in closers:
            if depth == 0:
                return j if j > i + 1 else None
            depth -= 1
        elif c == ch and ch not in ('"',) and closers != ch:
            depth += 1
    return None


def dash_quotes(text: str, start: int, end: int) -> list[tuple[Quote, Span | None]]:
    """Dialogue in a paragraph opening with a dash: the spoken parts and the author's frame between them.
    ``— Это ложь, — заявил Песков. — Никаких планов нет.`` → two parts with the frame ``заявил Песков``."""
    body = text[start:end]
    stripped = body.lstrip()
    if not stripped or stripped[0] not in DASHES:
        return []
    pos = start + (len(body) - len(stripped)) + 1
    parts: list[tuple[Quote, Span | None]] = []
    pieces = re.split(r"(\s[—–]\s)", text[pos:end])
    offset = pos
    spoken = True
    cur: list[int] = []
    for piece in pieces:
        if re.fullmatch(r"\s[—–]\s", piece):
            offset += len(piece)
            continue
        a, b = _trim(text, offset, offset + len(piece))
        if spoken:
            cur = [a, b]
        else:
            parts.append((Quote(cur[0], _strip_punct(text, cur[0], cur[1]), dash=True), (a, b)))
            cur = []
        spoken = not spoken
        offset += len(piece)
    if cur:
        parts.append((Quote(cur[0], _strip_punct(text, cur[0], cur[1]), dash=True), None))
    return parts


def _strip_punct(text: str, a: int, b: int) -> int:
    while b > a and text[b - 1] in ",:; ":
        b -= 1
    return b

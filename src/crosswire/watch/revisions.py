"""Pure: what changed between two revisions of one article — a word-level diff and the changes classified.

The kinds are the ones a fact-checker asks about when an outlet edits a published article: a figure
corrected, a quote trimmed or removed, the headline changed, a paragraph added or removed, a correction note
appended. Wording edits that are none of these are ``text-edited``. Accuracy per kind: bench/watch.py
(docs/benchmarks.md, "Live monitoring").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum


class ChangeKind(StrEnum):
    """What kind of edit a revision made."""

    HEADLINE = "headline-changed"
    FIGURE = "figure-changed"
    QUOTE_CHANGED = "quote-changed"
    QUOTE_REMOVED = "quote-removed"
    PARAGRAPH_ADDED = "paragraph-added"
    PARAGRAPH_REMOVED = "paragraph-removed"
    CORRECTION = "correction-added"
    TEXT = "text-edited"


# The kinds that make a revision matter to an alert watch (a figure or a quote changed).
SIGNIFICANT = frozenset({ChangeKind.FIGURE, ChangeKind.QUOTE_CHANGED, ChangeKind.QUOTE_REMOVED})


@dataclass(frozen=True, slots=True)
class Change:
    """One classified edit, with the passage before and after (either may be empty)."""

    kind: ChangeKind
    before: str
    after: str
    detail: str = ""


DiffOp = tuple[str, str]  # ("=" | "-" | "+", text)

TOKEN = re.compile(r"\s+|\w+(?:[.,']\w+)*|[^\w\s]")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Number words count as the figure they spell ("fourteen" = "14": spelling a number out is not a correction);
# the rest (hundred, dozens…) as themselves.
NUMBER_VALUES = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty".split())} | {w: str(10 * i) for i, w in enumerate("thirty forty fifty sixty seventy eighty ninety".split(), start=3)}
NUMBER_WORDS = frozenset([*NUMBER_VALUES, *"hundred thousand million billion dozen dozens hundreds thousands millions".split()])
QUOTE = re.compile(r"[\"“„«]([^\"“”„«»]{3,}?)[\"”“»]")
# A paragraph an outlet appends to own up to an edit. Calibrated on the correction notes of
# bench/data/revisions (outlets' house phrasings); guarded by bench/watch.py's correction-added accuracy.
CORRECTION_NOTE = re.compile(
    r"^\W*(?:correction|clarification|editor'?s note|update[d]?|this (?:article|story|report) (?:has been|was) "
    r"(?:updated|corrected|amended|changed)|an earlier version of this (?:article|story|report))\b",
    re.I,
)
# Two paragraphs are one paragraph edited when this share of their words survives (SequenceMatcher ratio over
# words); below it, one was removed and another added. 0.5 keeps a trimmed quote (half its words gone) paired.
SAME_PARAGRAPH_RATIO = 0.5
SPLIT_SAME_RATIO = 0.9  # paragraphs split or merged keep nearly all their words, each part inside the joined other side
IN_PLACE_RATIO = 0.25  # one paragraph replaced by one at the same place: an edit unless they share almost nothing
QUOTE_SAME_RATIO = 0.6  # a quote whose words match this much is the same quote, reworded or trimmed


def word_diff(before: str, after: str) -> list[DiffOp]:
    """The word-level edit script turning ``before`` into ``after`` (runs of equal, removed and added text)."""
    a, b = TOKEN.findall(before), TOKEN.findall(after)
    ops: list[DiffOp] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            _push(ops, "=", "".join(a[i1:i2]))
            continue
        if i2 > i1:
            _push(ops, "-", "".join(a[i1:i2]))
        if j2 > j1:
            _push(ops, "+", "".join(b[j1:j2]))
    return ops


def _push(ops: list[DiffOp], op: str, text: str) -> None:
    if ops and ops[-1][0] == op:
        ops[-1] = (op, ops[-1][1] + text)
    elif text:
        ops.append((op, text))


def classify(old_title: str | None, old_text: str, new_title: str | None, new_text: str) -> tuple[Change, ...]:
    """Every change from one revision to the next, in text order, the headline first."""
    changes: list[Change] = []
    if _norm(old_title or "") != _norm(new_title or ""):
        changes.append(Change(ChangeKind.HEADLINE, old_title or "", new_title or ""))
        gone, came = Counter(figures(old_title or "")), Counter(figures(new_title or ""))
        if gone - came and came - gone:  # a figure replaced ("kills three" → "kills four"), not one dropped from a shorter headline
            changes.append(Change(ChangeKind.FIGURE, " ".join(figures(old_title or "")), " ".join(figures(new_title or "")), "headline"))
    old_paras, new_paras = paragraphs(old_text), paragraphs(new_text)
    matcher = SequenceMatcher(None, [_norm(p) for p in old_paras], [_norm(p) for p in new_paras], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            changes += _block(old_paras[i1:i2], new_paras[j1:j2])
    return tuple(changes)


def paragraphs(text: str) -> list[str]:
    """The non-empty paragraphs (lines) of a clean text."""
    return [p.strip() for p in text.splitlines() if p.strip()]


def _block(old: list[str], new: list[str]) -> list[Change]:
    """Changes inside one differing run of paragraphs: edited pairs, then what is left removed or added. Paragraphs
    split or merged are one edit of their joined text (the same words in new breaks are a wording change)."""
    if old and new and (len(old) == 1 or len(new) == 1) and len(old) != len(new):
        joined_old, joined_new = " ".join(old), " ".join(new)
        if _words(joined_old) == _words(joined_new):
            return [Change(ChangeKind.TEXT, joined_old, joined_new, "paragraphs split or merged")]
        if _similarity(joined_old, joined_new) >= SPLIT_SAME_RATIO and min(_coverage(old, joined_new), _coverage(new, joined_old)) >= SPLIT_SAME_RATIO:
            return edited_paragraph(joined_old, joined_new)
    pairs = _pair(old, new)
    paired_old, paired_new = {i for i, _ in pairs}, {j for _, j in pairs}
    changes: list[Change] = []
    for i, j in pairs:
        changes += edited_paragraph(old[i], new[j])
    for i, para in enumerate(old):
        if i not in paired_old:
            changes.append(Change(ChangeKind.PARAGRAPH_REMOVED, para, ""))
            changes += [Change(ChangeKind.QUOTE_REMOVED, q, "", "in a removed paragraph") for q in quotes(para)]
    for j, para in enumerate(new):
        if j not in paired_new:
            kind = ChangeKind.CORRECTION if CORRECTION_NOTE.match(para) else ChangeKind.PARAGRAPH_ADDED
            changes.append(Change(kind, "", para))
    return changes


def _pair(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    """Old and new paragraphs that are one paragraph edited: most similar first, each used once, in order."""
    scored = sorted(
        ((_similarity(o, n), i, j) for i, o in enumerate(old) for j, n in enumerate(new)), reverse=True
    )
    pairs: list[tuple[int, int]] = []
    floor = IN_PLACE_RATIO if len(old) == len(new) == 1 else SAME_PARAGRAPH_RATIO
    for score, i, j in scored:
        if score < floor:
            break
        if all(i != a and j != b for a, b in pairs) and all((a < i) == (b < j) for a, b in pairs):
            pairs.append((i, j))
    return sorted(pairs)


def _coverage(parts: list[str], whole: str) -> float:
    """The smallest share of any part's words found, in order, in ``whole``."""
    ww = _words(whole)
    shares = []
    for part in parts:
        wp = _words(part)
        matched = sum(b.size for b in SequenceMatcher(None, wp, ww, autojunk=False).get_matching_blocks())
        shares.append(matched / len(wp) if wp else 1.0)
    return min(shares, default=1.0)


def _similarity(a: str, b: str) -> float:
    """Share of words two passages have in common, in order; a passage cut down to part of the other counts as
    the same (a trimmed paragraph or quote keeps most of what it still says)."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    matched = sum(block.size for block in SequenceMatcher(None, wa, wb, autojunk=False).get_matching_blocks())
    return max(2 * matched / (len(wa) + len(wb)), matched / min(len(wa), len(wb)) * 0.8)


def edited_paragraph(old: str, new: str) -> list[Change]:
    """Changes inside one paragraph edited in place: figures, quotes, else the wording."""
    changes: list[Change] = []
    old_figures, new_figures = figures(_outside_quotes(old)), figures(_outside_quotes(new))
    if old_figures != new_figures:
        changes.append(Change(ChangeKind.FIGURE, " ".join(old_figures), " ".join(new_figures), old))
    changes += _quote_changes(old, new)
    if not changes and _norm(old) != _norm(new):
        changes.append(Change(ChangeKind.TEXT, old, new))
    return changes


def _quote_changes(old: str, new: str) -> list[Change]:
    old_quotes, new_quotes = quotes(old), quotes(new)
    changes: list[Change] = []
    unused = list(new_quotes)
    for q in old_quotes:
        if q in unused:
            unused.remove(q)
            continue
        match = max(unused, key=lambda n: _similarity(q, n), default=None)
        if match is not None and _similarity(q, match) >= QUOTE_SAME_RATIO:
            unused.remove(match)
            changes.append(Change(ChangeKind.QUOTE_CHANGED, q, match, _quote_detail(q, match)))
            if figures(q) != figures(match):  # a figure corrected inside a quote is a figure change too
                changes.append(Change(ChangeKind.FIGURE, " ".join(figures(q)), " ".join(figures(match)), q))
        else:
            changes.append(Change(ChangeKind.QUOTE_REMOVED, q, ""))
    return changes


def _quote_detail(old: str, new: str) -> str:
    wo, wn = _words(old), _words(new)
    kept = sum(b.size for b in SequenceMatcher(None, wo, wn, autojunk=False).get_matching_blocks())
    if kept == len(wn) < len(wo):  # every word left was there, in order: words were cut, none changed
        return "trimmed"
    return "figure changed" if figures(old) != figures(new) else "reworded"


def quotes(text: str) -> list[str]:
    """The quoted passages of a paragraph, without their marks."""
    return [m.group(1).strip() for m in QUOTE.finditer(text)]


def figures(text: str) -> list[str]:
    """The figures a passage states (digits and number words), in order."""
    found = [m.group(0).replace(",", "") for m in NUMBER.finditer(text)]
    found += [NUMBER_VALUES.get(w, w) for w in _words(text) if w in NUMBER_WORDS]
    return sorted(found)


def _outside_quotes(text: str) -> str:
    """The paragraph with its quotes taken out: a figure inside a quote is the quote's change."""
    return QUOTE.sub(" ", text)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _norm(text: str) -> str:
    return " ".join(text.split())


def summary(changes: tuple[Change, ...] | list[Change]) -> str:
    """The kinds of a revision's changes in words, most telling first: ``figure-changed, headline-changed``."""
    order = list(ChangeKind)
    kinds = sorted({c.kind for c in changes}, key=order.index)
    return ", ".join(str(k) for k in kinds) or "no visible change"

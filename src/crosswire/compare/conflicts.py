"""Disagreements between two articles, found sentence by sentence over their alignment.

For every pair of aligned sentences the word-level diff says what changed; a change is a conflict only
when it touches a fact: a number that is not the same amount (unit conversions, rounding and ranges are
allowed), a weekday/date/year, a place, the speaker of an attribution, a dropped qualifier, a negation,
or graver/milder event wording. Reordered clauses and synonyms are not conflicts: every test below
looks at what one sentence has and the other lacks, not at positions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from crosswire.compare.docs import ALIGN_CONTAINMENT, Doc, Pair, align
from crosswire.compare.text import STOP, Lexicon, Sentence, Token, containment, load_lexicon, similarity, tokens
from crosswire.model import Quantity
from crosswire.nlp.lemmas import singular
from crosswire.nlp.names import fold
from crosswire.nlp.quantities import same_amount
from crosswire.resources.word_lists import word_list

Span = tuple[int, int]
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
LOOSE_SIMILARITY = 0.25  # reworded sentences of a rewrite still share a quarter of their content words
NEGATION_SIMILARITY = 0.7  # only near-identical sentences: a negation swap keeps every other word
NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty "
                         "hundred hundreds thousand thousands million dozen dozens half".split())
SPEECH = frozenset({"said", "says", "told", "stated", "states", "according", "added", "announced", "wrote", "tweeted",
                    "explained", "informed", "indicated", "declared", "sagte", "erklärte"})


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One fact on which two articles differ: what each says and where."""

    kind: str
    severity: str
    doc_a: str
    span_a: Span
    value_a: str
    doc_b: str
    span_b: Span
    value_b: str
    detail: str


def disagreements(a: Doc, b: Doc, related: bool = False, aligner: Callable[[Doc, Doc], list[Pair]] = align) -> list[Disagreement]:
    """Every factual difference between two articles of one story, over their aligned sentences;
    ``related`` (one derives from the other) also compares the counts of reworded sentences."""
    lex = load_lexicon()
    out: list[Disagreement] = []
    pairs = _best_for_both(aligner(a, b))
    if not (a.language and b.language and a.language != b.language):
        pairs += _merged_parts(pairs, aligner(b, a))
    if a.language and b.language and a.language != b.language:
        # across languages only figures written in digits are compared: word lists and names are per language
        for pair in pairs:
            out.extend(d for d in _numbers(a, b, pair.a, pair.b) if _digits(d.value_a) and _digits(d.value_b))
        return _dedupe(out)
    for pair in pairs:
        out.extend(_pair(a, b, pair, lex))
    if related:
        out.extend(loose_numbers(a, b, {p.b.index for p in pairs}))
    return _dedupe(out)


def _best_for_both(pairs: list[Pair]) -> list[Pair]:
    """Drop a pair whose sentence of ``a`` answers another sentence of ``b`` better, unless it holds all of it (a
    sentence split in two): a rewrite that dropped "servers based on AMD chips" otherwise pairs it with "servers
    based on Intel chips" and flags the names."""
    best: dict[int, float] = {}
    for p in pairs:
        best[p.a.index] = max(best.get(p.a.index, 0.0), p.score)
    return [p for p in pairs if p.score >= best[p.a.index] or containment(p.a, p.b) >= ALIGN_CONTAINMENT]


def _merged_parts(pairs: list[Pair], reverse: list[Pair]) -> list[Pair]:
    """Sentences of ``a`` merged into a longer sentence of ``b`` ("… 54 games, and the Yankees also have not
    expressed interest"): that sentence of ``b`` answers only one of them; the reverse alignment finds the others."""
    seen = {(p.a.index, p.b.index) for p in pairs}
    return [Pair(p.b, p.a, p.score) for p in reverse
            if (p.b.index, p.a.index) not in seen and containment(p.a, p.b) >= ALIGN_CONTAINMENT]


def _digits(text: str) -> bool:
    return any(c.isdigit() for c in text)


def _pair(a: Doc, b: Doc, pair: Pair, lex: Lexicon) -> Iterable[Disagreement]:
    sa, sb = _window(pair.a, pair.b)
    ops = SequenceMatcher(a=[t.text for t in sa.tokens], b=[t.text for t in sb.tokens], autojunk=False).get_opcodes()
    yield from _numbers(a, b, sa, sb)
    yield from _dates(a, b, sa, sb, lex)
    yield from _negation(a, b, sa, sb, ops, lex)
    yield from _qualifiers(a, b, sa, sb, lex)
    yield from _names(a, b, sa, sb, ops)
    yield from _escalation(a, b, sa, sb, lex)


def _window(sa: Sentence, sb: Sentence) -> tuple[Sentence, Sentence]:
    """When one sentence was merged into a longer one (or split from it), compare only the part of the
    longer sentence that corresponds to the shorter: the rest belongs to another sentence."""
    la, lb = len(sa.tokens), len(sb.tokens)
    if max(la, lb) < 1.4 * min(la, lb):
        return sa, sb
    long_, short = (sa, sb) if la > lb else (sb, sa)
    sm = SequenceMatcher(a=[t.text for t in long_.tokens], b=[t.text for t in short.tokens], autojunk=False)
    blocks = [m for m in sm.get_matching_blocks() if m.size]
    if not blocks:
        return sa, sb
    lo = max(0, blocks[0].a - blocks[0].b - 1)
    hi = min(la if la > lb else lb, blocks[-1].a + blocks[-1].size + (len(short.tokens) - blocks[-1].b - blocks[-1].size) + 1)
    toks = long_.tokens[lo:hi]
    part = Sentence.of(long_.index, toks[0].start, toks[-1].end, toks)
    return (part, sb) if la > lb else (sa, part)


# -- numbers -----------------------------------------------------------------------------------


def _numbers(a: Doc, b: Doc, sa: Sentence, sb: Sentence, strict_units: bool = False) -> Iterable[Disagreement]:
    qa = [q for q in a.quantities_in(sa.start, sa.end) if not _day_of_month(a, q)]
    qb = [q for q in b.quantities_in(sb.start, sb.end) if not _day_of_month(b, q)]
    if strict_units:
        qa, qb = [_counted(a.text, q, sa.end) for q in qa], [_counted(b.text, q, sb.end) for q in qb]
    left, right = _unmatched(qa, qb)
    if len(left) == 1 and len(right) == 1 and _comparable(left[0], right[0], strict_units):
        x, y = left[0], right[0]
        yield Disagreement("number", _number_severity(x, y), a.id, x.span, x.text, b.id, y.span, y.text,
                           f"{x.text} vs {y.text}")
    for x in qa:  # the same amount, but "over 200" vs "under 200": a weak disagreement
        for y in qb:
            if same_amount(x, y) and {x.approx, y.approx} in ({"over", "under"}, {"at least", "up to"}, {"over", "up to"}):
                yield Disagreement("number", "weak", a.id, x.span, x.text, b.id, y.span, y.text, f"{x.text} vs {y.text}")


FULL_MONTHS = frozenset("january february march april may june july august september october november december".split())


def _day_of_month(doc: Doc, q: Quantity) -> bool:
    """"20 December", "April 21": a date (compared as a date), not a count."""
    months = FULL_MONTHS  # "Dec. 6" is left to the numbers: the date marks read only full month names
    before = tokens(doc.text, max(0, q.span[0] - 12), q.span[0])[-1:]
    after = tokens(doc.text, q.span[1], q.span[1] + 12)[:1]
    return _day(q.text) is not None and any(t.text in months for t in before + after)


def _counted(text: str, q: Quantity, end: int) -> Quantity:
    """A count's unit is the noun after it: "41 firefighters", "dozens of people"."""
    if q.unit:
        return q
    words = [t.text for t in tokens(text, q.span[1], end)[:3] if t.text not in ("of", "more", "other")]
    return replace(q, unit=singular(words[0])) if words else q


def _unmatched(qa: list[Quantity], qb: list[Quantity]) -> tuple[list[Quantity], list[Quantity]]:
    """Pair quantities one to one (exact values first, then the same amount: rounding, units, ranges);
    what is left on each side has no counterpart. "dozens" can stand for 27 or for 41, not for both."""
    left, right = list(qa), list(qb)
    for test in (lambda x, y: x.value == y.value and x.unit == y.unit and (x.low, x.high) == (y.low, y.high), _same_amount):
        for x in list(left):
            y = next((y for y in right if test(x, y)), None)
            if y is not None:
                left.remove(x)
                right.remove(y)
    return left, right


def _same_amount(x: Quantity, y: Quantity) -> bool:
    """The same amount; two ranges only with the same ends ("2.8 to 3.8" is not "2.8 to 5.8", though they overlap)."""
    if x.low is not None and x.high is not None and y.low is not None and y.high is not None:
        return x.low == y.low and x.high == y.high
    return same_amount(x, y)


def loose_numbers(a: Doc, b: Doc, aligned: set[int]) -> list[Disagreement]:
    """Between an article and its rewrite, heavily reworded sentences still carry the same counts:
    "injured 27 people, among them 14 firefighters" / "dozens of people hurt, among them 41 firefighters".
    Sentences not aligned otherwise are paired when they share content words and the counted noun."""
    out: list[Disagreement] = []
    for sb in b.sents:
        if sb.index in aligned:
            continue
        best = max(a.sents, key=lambda sa: similarity(sa, sb), default=None)
        if best is None or similarity(best, sb) < LOOSE_SIMILARITY:
            continue
        out.extend(d for d in _numbers(a, b, best, sb, strict_units=True))
    return out


def _comparable(x: Quantity, y: Quantity, strict: bool = False) -> bool:
    if strict:  # loosely paired sentences: only the same counted thing
        return x.unit is not None and x.unit == y.unit
    return x.unit == y.unit or x.unit is None or y.unit is None


def _number_severity(x: Quantity, y: Quantity) -> str:
    big, small = max(x.value, y.value), min(x.value, y.value)
    if x.approx or y.approx:
        return "medium" if big > small * 1.25 else "weak"
    return "strong"


# -- dates -------------------------------------------------------------------------------------


def _date_marks(doc: Doc, s: Sentence, lex: Lexicon) -> dict[str, Span]:
    marks: dict[str, Span] = {}
    toks = s.tokens
    for i, t in enumerate(toks):
        word = _bare(t.text)
        if word in lex.weekdays:
            marks[word] = (t.start, t.end)
        elif t.text in FULL_MONTHS and i + 1 < len(toks) and _day(toks[i + 1].text):
            marks[f"{t.text} {_day(toks[i + 1].text)}"] = (t.start, toks[i + 1].end)  # March 5
        elif t.text in FULL_MONTHS and i > 0 and _day(toks[i - 1].text):
            marks[f"{t.text} {_day(toks[i - 1].text)}"] = (toks[i - 1].start, t.end)  # 5 March
    for m in YEAR.finditer(doc.text, s.start, s.end):
        marks[m.group(0)] = (m.start(), m.end())
    return marks


def _bare(word: str) -> str:
    return word.removesuffix("'s").removesuffix("’s")


def _day(word: str) -> str | None:
    digits = word.rstrip(".").removesuffix("st").removesuffix("nd").removesuffix("rd").removesuffix("th")
    return digits if digits.isdigit() and 1 <= int(digits) <= 31 else None


def _dates(a: Doc, b: Doc, sa: Sentence, sb: Sentence, lex: Lexicon) -> Iterable[Disagreement]:
    da, db = _date_marks(a, sa, lex), _date_marks(b, sb, lex)
    for kind_test in (lambda k: k in lex.weekdays, lambda k: " " in k, lambda k: k.isdigit()):
        only_a = [k for k in da if k not in db and kind_test(k)]
        only_b = [k for k in db if k not in da and kind_test(k)]
        if len(only_a) == 1 and len(only_b) == 1:
            ka, kb = only_a[0], only_b[0]
            yield Disagreement("date", "strong", a.id, da[ka], a.text[slice(*da[ka])], b.id, db[kb],
                               b.text[slice(*db[kb])], f"{ka} vs {kb}")


# -- negation ----------------------------------------------------------------------------------


def _is_negation(t: Token, lex: Lexicon) -> bool:
    return t.text in lex.negation or t.text.endswith(("n't", "n’t"))


def _negation(a: Doc, b: Doc, sa: Sentence, sb: Sentence, ops: list, lex: Lexicon) -> Iterable[Disagreement]:
    """A negation added or removed in a small edit flanked by identical words ("was" → "was not",
    "can" → "cannot"); a looser paraphrase ("had not ruled out" / "refused to rule out") says the same."""
    na = [t for t in sa.tokens if _is_negation(t, lex)]
    nb = [t for t in sb.tokens if _is_negation(t, lex)]
    if len(na) == len(nb) or max(similarity(sa, sb), containment(sa, sb), containment(sb, sa)) < NEGATION_SIMILARITY:
        return
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal" or i2 - i1 > 3 or j2 - j1 > 3:
            continue
        ra = [t for t in sa.tokens[i1:i2] if _is_negation(t, lex)]
        rb = [t for t in sb.tokens[j1:j2] if _is_negation(t, lex)]
        if len(ra) == len(rb) or not (_flanked(ops, k, -1) and _flanked(ops, k, 1)):
            continue
        span_a, span_b = _around(sa, i1, i2), _around(sb, j1, j2)
        yield Disagreement("negation", "strong", a.id, span_a, a.text[slice(*span_a)], b.id, span_b,
                           b.text[slice(*span_b)], "one says it, the other denies it")
        return


def _flanked(ops: list, k: int, step: int) -> bool:
    """The edit at ``ops[k]`` has identical words on that side (or is at the sentence edge)."""
    j = k + step
    if j < 0 or j >= len(ops):
        return True
    tag, i1, i2, _, _ = ops[j]
    return tag == "equal" and i2 - i1 >= 2


def _around(s: Sentence, i1: int, i2: int) -> Span:
    """The changed tokens with their left neighbour ("was" + "not"), or the neighbour alone for an insertion."""
    lo = max(0, i1 - 1)
    hi = max(i2, lo + 1)
    toks = s.tokens[lo:hi]
    return (toks[0].start, toks[-1].end)


# -- qualifiers --------------------------------------------------------------------------------


def _phrase_at(tokens: tuple[Token, ...], phrase: str) -> int | None:
    found = _phrase_all(tokens, phrase)
    return found[0] if found else None


def _phrase_all(tokens: tuple[Token, ...], phrase: str) -> list[int]:
    words = phrase.split()
    if not any(t.text == words[0] for t in tokens):
        return []
    return [i for i in range(len(tokens) - len(words) + 1) if all(tokens[i + k].text == w for k, w in enumerate(words))]


def _context(tokens: tuple[Token, ...], i: int, n: int) -> tuple[str, str]:
    before = tokens[i - 1].text if i > 0 else ""
    after = tokens[i + n].text if i + n < len(tokens) else ""
    return before, after


def _qualifiers(a: Doc, b: Doc, sa: Sentence, sb: Sentence, lex: Lexicon) -> Iterable[Disagreement]:
    """A qualifier one sentence has and the other lacks at the same place ("allegedly giving $500" /
    "giving $500"), counted per occurrence: another "allegedly" elsewhere in the sentence does not excuse it."""
    for doc_x, sx, doc_y, sy in ((a, sa, b, sb), (b, sb, a, sa)):
        for phrase in lex.qualifiers_longest_first:
            if phrase.split()[0] not in sx.words:
                continue
            n = len(phrase.split())
            in_y = {_context(sy.tokens, j, n) for j in _phrase_all(sy.tokens, phrase)}
            dropped = [i for i in _phrase_all(sx.tokens, phrase) if _context(sx.tokens, i, n) not in in_y]
            if not dropped or len(_phrase_all(sx.tokens, phrase)) <= len(_phrase_all(sy.tokens, phrase)):
                continue
            i = dropped[0]
            if phrase in lex.approx and not _is_number_at(sx, i + n):
                continue  # "about the shooting": a preposition, not an approximation
            if phrase in lex.approx and not _same_number_after(doc_x, sx, i + n, doc_y, sy):
                continue  # "about 1,500" for "1,503" is rounding, not a dropped qualifier
            if phrase in lex.approx and any(_is_number_at(sy, j + len(p.split())) for p in lex.approx if p != phrase
                                            for j in _phrase_all(sy.tokens, p)):
                continue  # "about 200" vs "around 200": another approximation, not a dropped one
            if phrase in lex.approx and i + n < len(sx.tokens) and _as_much_as(sy, sx.tokens[i + n].text):
                continue  # "as many as two weeks" / "as much as", "as long as": the same approximation reworded
            if phrase in lex.time and any(_phrase_at(sy.tokens, p) is not None for p in lex.time if p != phrase):
                continue
            qualified = sx.tokens[i + n] if i + n < len(sx.tokens) else sx.tokens[max(0, i - 1)]
            span_x = (sx.tokens[i].start, max(sx.tokens[i + n - 1].end, qualified.end))
            hit = next((t for t in sy.tokens if t.text == qualified.text), None)
            span_y = (hit.start, hit.end) if hit else (sy.start, sy.end)
            severity = "weak" if phrase in lex.approx else "medium"
            yield Disagreement("qualifier", severity, doc_x.id, span_x, doc_x.text[slice(*span_x)], doc_y.id, span_y,
                               doc_y.text[slice(*span_y)], f"drops '{phrase}'")  # doc_a holds it, doc_b lacks it
            break


def _as_much_as(s: Sentence, number: str) -> bool:
    """Does the sentence approximate ``number`` as "as <word> as <number>"?"""
    toks = s.tokens
    return any(toks[i].text == "as" and toks[i + 2].text == "as" and toks[i + 3].text == number for i in range(len(toks) - 3))


def _is_number_at(s: Sentence, i: int) -> bool:
    if i >= len(s.tokens):
        return False
    w = s.tokens[i].text
    return any(c.isdigit() for c in w) or w in NUMBER_WORDS


def _same_number_after(dx: Doc, sx: Sentence, i: int, dy: Doc, sy: Sentence) -> bool:
    """Is the number an approximator qualifies stated identically on the other side?"""
    if i >= len(sx.tokens):
        return True
    word = sx.tokens[i].text
    if not any(c.isdigit() for c in word):
        return True
    return any(t.text == word for t in sy.tokens)


# -- places and speakers -----------------------------------------------------------------------


def _mentions(doc: Doc, s: Sentence, kinds: tuple[str, ...]) -> list[tuple[Span, str, str]]:
    if doc.analysis is None:
        return []
    return [(m.span, m.kind, fold(m.text)) for m in doc.analysis.mentions if s.start <= m.span[0] < s.end and m.kind in kinds]


def _names(a: Doc, b: Doc, sa: Sentence, sb: Sentence, ops: list) -> Iterable[Disagreement]:
    """A name replaced by another name: a place when either is a place, the speaker when the sentence
    attributes speech (named entities from the analysis; capitalised words where the NER missed them)."""
    ma = _mentions(a, sa, ("place", "person", "org"))
    mb = _mentions(b, sb, ("place", "person", "org"))
    names_b = {m[2] for m in mb} | {t.text for t in sb.tokens}
    for tag, i1, i2, j1, j2 in ops:
        if tag != "replace":
            continue
        ta, tb = _name_run(a, sa.tokens[i1:i2], sa.start), _name_run(b, sb.tokens[j1:j2], sb.start)
        if not ta or not tb:
            continue
        ra, rb = (ta[0].start, ta[-1].end), (tb[0].start, tb[-1].end)
        xa = [m for m in ma if m[0][0] < ra[1] and ra[0] < m[0][1]]
        xb = [m for m in mb if m[0][0] < rb[1] and rb[0] < m[0][1]]
        if {m[2] for m in xa} & {m[2] for m in xb} or all(t.text in names_b for t in ta):
            continue  # the same name, or a name moved within the sentence
        if fold(a.text[ra[0] : ra[1]]) == fold(b.text[rb[0] : rb[1]]) or _abbreviates(a.text[ra[0] : ra[1]], b.text[rb[0] : rb[1]]):
            continue  # one name written two ways: "U.S." / "United States", "U.N" / "United Nations Security"
        kinds = {m[1] for m in xa} | {m[1] for m in xb}
        if "place" in kinds and not kinds & {"person"}:
            kind = "place"
            if not _two_places(xa, xb, (fold(a.text[ra[0] : ra[1]]), fold(b.text[rb[0] : rb[1]]))):
                continue  # "New Zealand" / "New Zealander", a place on one side only: not two places
        elif (_attributed(a, sa) or _attributed(b, sb)) and _names_speaker(a, ta) and _names_speaker(b, tb):
            kind = "speaker"
            if not _two_people(ma, mb, xa, xb, (fold(a.text[ra[0] : ra[1]]), fold(b.text[rb[0] : rb[1]]))):
                continue  # "Inspector Gaskin" / "Mr Gaskin" / "Dave Gaskin": one person written three ways
        else:
            continue
        yield Disagreement(kind, "strong" if kind == "speaker" else "medium", a.id, ra, a.text[slice(*ra)], b.id, rb,
                           b.text[slice(*rb)], f"{a.text[slice(*ra)]} vs {b.text[slice(*rb)]}")


def _two_places(xa: list[tuple[Span, str, str]], xb: list[tuple[Span, str, str]], runs: tuple[str, str]) -> bool:
    """Both sides name a place (a word the analysis does not call a place is no evidence: seeded place swaps
    lose nothing by it, real stories lose their false ones), and neither name is the other's stem (Zealand /
    Zealander, Ukraine / Ukrainian). ``runs``: the replaced words, folded, for the stem check."""
    pa = [m[2] for m in xa if m[1] == "place"]
    pb = [m[2] for m in xb if m[1] == "place"]
    return bool(pa and pb) and not any(x.startswith(y) or y.startswith(x) for x in [*pa, runs[0]] for y in [*pb, runs[1]])


def _two_people(ma: list, mb: list, xa: list, xb: list, runs: tuple[str, str]) -> bool:
    """Each side names a person or organisation — a mention, or the capitalised run where the analysis has
    none, unless that run is a title or the first name of someone named in its sentence ("Inspector" / "Dave"
    for Inspector Dave Gaskin) — and no family name of one side's speaker is named in the other sentence."""
    def names(x: list, m: list, run: str) -> list[str]:
        found = [n[2] for n in x if n[1] in ("person", "org")]
        if found:
            return found
        firsts = {n[2].split()[0] for n in m if n[1] == "person" and len(n[2].split()) > 1}
        return [] if run in TITLE_WORDS or run in firsts else [run]

    na, nb = names(xa, ma, runs[0]), names(xb, mb, runs[1])
    if not na or not nb:
        return False
    last_b = {w for m in mb if m[1] in ("person", "org") for w in m[2].split()[-1:]}
    last_a = {w for m in ma if m[1] in ("person", "org") for w in m[2].split()[-1:]}
    return not any(n.split()[-1] in last_b for n in na) and not any(n.split()[-1] in last_a for n in nb)


TITLE_WORDS = frozenset("mr mrs ms miss dr sir dame lord lady inspector detective sergeant officer constable captain "
                        "general colonel major president minister governor mayor senator judge professor prof".split())


def _abbreviates(x: str, y: str) -> bool:
    """Is one name the initials of (the start of) the other: "U.N" / "United Nations Security"?"""
    def initials(s: str) -> str:
        return "".join(w[0] for w in s.split() if w[:1].isupper()).lower()

    def letters(s: str) -> str:
        return re.sub(r"[^A-Za-z]", "", s).lower()

    for short, long_ in ((x, y), (y, x)):
        if len(short.split()) == 1 and len(letters(short)) >= 2 and short.upper() == short \
                and initials(long_).startswith(letters(short)):
            return True
    return False


NOT_NAMES = word_list("compare_not_names")  # pronouns and function words that open a sentence


def _is_mention(doc: Doc, t: Token) -> bool:
    return doc.analysis is not None and any(m.span[0] <= t.start < m.span[1] for m in doc.analysis.mentions)


PARTICLES = frozenset({"von", "van", "der", "de", "al", "bin", "la", "le", "da"})


def _name_run(doc: Doc, toks: tuple[Token, ...], sentence_start: int) -> tuple[Token, ...]:
    """The one run of capitalised words (a proper name) in a replaced stretch ("stated Cristina Gallach"),
    or nothing when there is none or several, or it is a weekday or month. A capitalised first word of a
    sentence, a pronoun or a function word ("According", "She", "By") is not a name."""
    lex = load_lexicon()
    runs: list[list[Token]] = [[]]
    for t in toks:
        word = doc.text[t.start : t.end]
        common = t.text in STOP or t.text in NOT_NAMES or \
            (t.start == sentence_start and not _is_mention(doc, t) and not _opens_attribution(doc, t))
        if (word[:1].isupper() and not common) or (runs[-1] and word.lower() in PARTICLES):
            runs[-1].append(t)
        elif runs[-1]:
            runs.append([])
    runs = [r for r in runs if r]
    if len(runs) != 1 or len(runs[0]) > 5 or all(_bare(t.text) in lex.weekdays | lex.months for t in runs[0]):
        return ()
    return tuple(runs[0])


def _names_speaker(doc: Doc, run: tuple[Token, ...]) -> bool:
    """Does this name stand where a speaker stands: a statement's speaker, or next to a speech verb ("Armstead
    said", "said France Telecom", "according to Zeszutek")? "Russian interference" does not."""
    lo, hi = run[0].start, run[-1].end
    if doc.analysis is not None and any(st.speaker_span and st.speaker_span[0] < hi and lo < st.speaker_span[1]
                                        for st in doc.analysis.statements):
        return True
    near = tokens(doc.text, max(0, lo - 25), lo)[-2:] + tokens(doc.text, hi, min(len(doc.text), hi + 25))[:2]
    return any(t.text in SPEECH for t in near)


def _opens_attribution(doc: Doc, t: Token) -> bool:
    """A sentence's capitalised first word that is a name: followed by a speech verb or by another capitalised
    word ("Armstead said she heard …", "Mahnefah Gray said …")."""
    after = tokens(doc.text, t.end, min(len(doc.text), t.end + 40))[:1]
    if not after:
        return False
    word = doc.text[after[0].start : after[0].end]
    return after[0].text in SPEECH or (word[:1].isupper() and after[0].text not in STOP and after[0].text not in NOT_NAMES)


def _attributed(doc: Doc, s: Sentence) -> bool:
    if doc.analysis is not None and any(st.speaker_span and s.start <= st.speaker_span[0] < s.end for st in doc.analysis.statements):
        return True
    return any(t.text in SPEECH for t in s.tokens)


# -- escalation --------------------------------------------------------------------------------


def _escalation(a: Doc, b: Doc, sa: Sentence, sb: Sentence, lex: Lexicon) -> Iterable[Disagreement]:
    wa, wb = {t.text for t in sa.tokens}, {t.text for t in sb.tokens}
    for name, levels in lex.ladders.items():
        la = [(lvl, t) for t in sa.tokens for lvl, words in enumerate(levels) if t.text in words.split("|") and t.text not in wb]
        lb = [(lvl, t) for t in sb.tokens for lvl, words in enumerate(levels) if t.text in words.split("|") and t.text not in wa]
        if len(la) != 1 or len(lb) != 1 or la[0][0] == lb[0][0]:
            continue  # one word on each side replaced by a word of another level: "a fire" vs "the destruction"
        (lvl_a, ta), (lvl_b, tb) = la[0], lb[0]
        graver = ta.text if lvl_a > lvl_b else tb.text
        yield Disagreement("escalation", "medium", a.id, (ta.start, ta.end), ta.text, b.id, (tb.start, tb.end), tb.text,
                           f"{name}: '{ta.text}' vs '{tb.text}' ('{graver}' is graver)")


def _dedupe(ds: list[Disagreement]) -> list[Disagreement]:
    seen: set[tuple[str, Span, Span]] = set()
    out = []
    for d in ds:
        key = (d.kind, d.span_a, d.span_b)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out

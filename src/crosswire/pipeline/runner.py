"""Run the document stages over raw inputs. Serial today; the Dask driver maps the same function."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from crosswire.extract.article import extract_article
from crosswire.extract.lexicon import Lexicon, load_lexicon
from crosswire.model import Article, RawDocument, Rejected

Processed = tuple[RawDocument, Article | Rejected]


def process_document(raw: RawDocument, lexicon: Lexicon) -> Article | Rejected:
    """Every per-document stage, in order. Extraction is the only one so far."""
    return extract_article(raw, lexicon)


def process_documents(raws: Iterable[RawDocument], lexicon: Lexicon | None = None) -> Iterator[Processed]:
    """Process documents one by one, keeping each raw input beside its result."""
    lex = lexicon or load_lexicon()
    for raw in raws:
        yield raw, process_document(raw, lex)

"""The Python API for notebooks and scripts: the same use-cases as the CLI and the web, returning typed values.

    >>> import crosswire
    >>> cw = crosswire.open("news.db")            # a SQLite file (created if missing) or a database URL
    >>> cw.add(["articles/", {"title": "…", "text": "…", "outlet": "…"}])
    >>> cw.stories().to_pandas()                  # one row per story (pandas / pyarrow when installed)
    >>> cw.statements(speaker="Putin")            # Records of StoredStatement, each with spans into its article
    >>> crosswire.analyse("Text of one article …")  # entities, statements and claims, no store

Collections are ``Records``: a list of the model's frozen dataclasses with ``to_rows()``, ``to_pandas()`` and
``to_arrow()``; every row carries the article ids and character spans it came from.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Generic, TypeVar

from crosswire.errors import ConfigError
from crosswire.settings import Settings

T = TypeVar("T")
Input = str | Path | Mapping[str, object]


class Records(list[T], Generic[T]):
    """A list of typed results that also turns into flat rows, a pandas DataFrame or an Arrow table."""

    def to_rows(self) -> list[dict[str, Any]]:
        """One flat dict per value (nested values as JSON-ready lists and dicts), as the export writes them."""
        from crosswire.export import plain_record

        return [plain_record(v) for v in self]

    def to_pandas(self) -> Any:
        """A pandas DataFrame of ``to_rows()`` (needs pandas)."""
        try:
            import pandas as pd
        except ImportError as exc:
            raise ConfigError("to_pandas() needs pandas: pip install pandas") from exc
        return pd.DataFrame(self.to_rows())

    def to_arrow(self) -> Any:
        """A pyarrow Table of ``to_rows()`` (needs pyarrow: pip install 'crosswire[parquet]')."""
        try:
            import pyarrow as pa
        except ImportError as exc:
            raise ConfigError("to_arrow() needs pyarrow: pip install 'crosswire[parquet]'") from exc
        return pa.Table.from_pylist(self.to_rows())


@dataclass(frozen=True, slots=True)
class Analysed:
    """One article analysed without a store: the clean article and its entities, statements and claims."""

    article: Any  # model.Article
    analysis: Any  # model.Analysis


class Crosswire:
    """A crosswire store opened from Python. Use as a context manager, or call ``close()``."""

    def __init__(self, settings: Settings) -> None:
        from crosswire import app

        self.settings = settings
        self.store = app.open_store(settings)

    def __enter__(self) -> Crosswire:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the store."""
        self.store.close()

    def add(self, inputs: Input | Iterable[Input], dask: str | None = None) -> Any:
        """Add files, directories, URLs, or dicts with the JSONL fields (title, text or html, outlet, url,
        published, author, language, id); returns the ``AddReport`` (one ``Outcome`` per item)."""
        from crosswire.app.ingest import AddReport, add_inputs
        from crosswire.ingest.sources import InputRef, expand_inputs

        items = [inputs] if isinstance(inputs, str | Path | Mapping) else list(inputs)
        paths = [str(i) for i in items if isinstance(i, str | Path)]
        records = [dict(i) for i in items if isinstance(i, Mapping)]
        outcomes: list[Any] = []
        if paths:
            outcomes += add_inputs(expand_inputs(paths), self.settings, self.store, dask=dask).outcomes
        if records:
            data = "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode()
            ref = InputRef("upload", "python.jsonl")
            outcomes += add_inputs([ref], self.settings, self.store, stdin=io.BytesIO(data), dask=dask).outcomes
        return AddReport(tuple(outcomes))

    def articles(self, outlet: str | None = None, language: str | None = None, since: str | None = None,
                 until: str | None = None, search: str | None = None) -> Records[Any]:
        """Stored articles (``model.Article``), oldest first, filtered."""
        from crosswire.storage.store import ArticleFilter

        return Records(self.store.articles(ArticleFilter(outlet, language, since, until, search)))

    def article(self, article_id: str) -> Any:
        """One article by id or unique prefix."""
        return self.store.article(article_id)

    def analysis(self, article_id: str) -> Any:
        """An article's entities, statements and claims (``model.Analysis``)."""
        from crosswire.app import reading

        return reading.article_analysis(self.store, article_id)

    def stories(self) -> Records[Any]:
        """Every story (``StoryView``), biggest first."""
        from crosswire.app import stories

        return Records(stories.list_stories(self.store))

    def story(self, story_id: str) -> Any:
        """One story by id or unique prefix."""
        from crosswire.app import stories

        return stories.get_story(self.store, story_id)

    def statements(self, speaker: str | None = None, article: str | None = None, story: str | None = None,
                   classes: Sequence[str] | None = ("speech",)) -> Records[Any]:
        """Who said what (``StoredStatement``): by speaker name or entity key, article, story; ``classes`` among
        speech, stance, no-comment (None: all)."""
        from crosswire.app import reading
        from crosswire.model import StatementClass

        wanted = tuple(StatementClass(c) for c in classes) if classes is not None else None
        return Records(reading.statements(self.store, speaker, article, story, classes=wanted))

    def entities(self, kind: str | None = None, search: str | None = None) -> Records[Any]:
        """Canonical people, organisations, places and groups with their counts (``EntityRow``)."""
        from crosswire.app import reading

        return Records(reading.entities(self.store, kind, search))

    def compare(self, story_id: str) -> Any:
        """A story's comparison (``model.Comparison``): provenance, conflicts, aligned statements, facts."""
        from crosswire.app import comparison

        return comparison.compare_story(self.store, story_id)

    def timeline(self, speaker: str, about: str | None = None) -> Records[Any]:
        """Everything one speaker said across stories, in time order, possible contradictions flagged."""
        from crosswire.app import reading

        return Records(reading.timeline(self.store, speaker, about))


def open(target: str | Path | None = None, **settings: Any) -> Crosswire:  # noqa: A001 — crosswire.open, like io.open
    """Open (or create) a store: a SQLite file path, a database URL, or None for ``$CROSSWIRE_DB`` / ./crosswire.db.
    Other settings by name (``workers=1``)."""
    values = dict(settings)
    if target is not None:
        values["db_url"] = str(target)
    return Crosswire(Settings.from_env(**values))


def analyse(item: str | Mapping[str, object], language: str | None = None) -> Analysed:
    """Clean and analyse one article without a store: a text (first line the headline) or a dict with the JSONL
    fields. Raises ``InputError`` when it cannot become an article."""
    from crosswire.errors import InputError
    from crosswire.ingest.sources import InputRef, iter_input
    from crosswire.model import Article, RawDocument
    from crosswire.pipeline.runner import analyse_documents, extract_documents

    if isinstance(item, Mapping):
        record = {**({"language": language} if language else {}), **dict(item)}
        name, data = "python.jsonl", json.dumps(record, ensure_ascii=False).encode()
    else:  # plain text: the text reader finds the headline, byline and dateline as for a .txt file
        name, data = "python.txt", item.encode()
    [raw] = iter_input(InputRef("upload", name), Settings(), stdin=io.BytesIO(data))
    if isinstance(raw, RawDocument) and language and not isinstance(item, Mapping):
        raw = replace(raw, language=language)
    if not isinstance(raw, RawDocument):
        raise InputError(raw.reason)
    [article] = extract_documents([raw])
    if not isinstance(article, Article):
        raise InputError(article.reason)
    [(analysis, _signals)] = analyse_documents([(article, article)])
    return Analysed(article, analysis)

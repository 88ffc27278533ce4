"""Ingest: read inputs as a stream, run the per-document stages in workers, then write in short ordered steps.

    inputs ─▶ read (one item at a time, limits checked first)
           ─▶ extract ┐ worker processes, no transaction, models loaded once per worker
           ─▶ analyse ┘ (entities, statements, claims, story signals)
           ─▶ write   one short transaction per batch (≤ ``batch_size`` items or ``WRITE_EVERY_S`` of work):
                      dedupe, store, strip outlet templates, assign stories in input order, commit
           ─▶ re-analyse articles whose text the write step changed; compare stories whose members changed

A ``kill -9`` loses at most the batch in flight; re-running completes to the same store (ids, stories) as an
uninterrupted run, because every write is ordered by the input and grouping reads only what was committed.
"""

from __future__ import annotations

import os
import signal
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import BinaryIO

from crosswire.app.stories import infer_dates
from crosswire.extract.article import EXTRACTOR_VERSION, drop_template_lines, paragraph_keys
from crosswire.ingest.fetch import fetch_url
from crosswire.ingest.sources import Fetcher, InputRef, iter_input
from crosswire.model import Article, Origin, RawDocument, Rejected
from crosswire.nlp import ANALYSIS_VERSION
from crosswire.pipeline.runner import ChunkFailed, ChunkProgress, Item, Prepared, Runner, annotate_article, text_hash
from crosswire.settings import Settings
from crosswire.storage.store import Store, Writer
from crosswire.stories.clusters import KINDS, Assignment, GroupingWrite, StoryIndex, StoryParams
from crosswire.stories.signals import StorySignals
from crosswire.watch.revise import revise_stored

Progress = Callable[[InputRef, int], None]  # (input just read, items it held)
CompareProgress = Callable[[int, int], None]  # (stories compared so far, stories to compare)
WRITE_EVERY_S = 5.0  # a batch is written once it is this old even if not full: a slow stream still lands
FAILPOINT_ENV = "CROSSWIRE_FAILPOINT"  # "before-commit:N" / "after-commit:N": SIGKILL this process at batch N (tests)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one input item."""

    status: str  # added | duplicate | unchanged | revised | failed
    origin: Origin
    article_id: str | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class AddReport:
    """The outcome of every item of an ``add`` run."""

    outcomes: tuple[Outcome, ...]

    def count(self, status: str) -> int:
        """How many items ended with ``status``."""
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failures(self) -> list[Outcome]:
        """The failed items, in input order."""
        return [o for o in self.outcomes if o.status == "failed"]


def add_inputs(
    refs: Sequence[InputRef],
    settings: Settings,
    store: Store,
    progress: Progress | None = None,
    stdin: BinaryIO | None = None,
    fetch: Fetcher = fetch_url,
    compared: CompareProgress | None = None,
    dask: str | None = None,
    cluster: ChunkProgress | None = None,
) -> AddReport:
    """Read, clean, analyse and store every input, streaming item by item and writing in short batches; then
    compare every story whose members changed (``compared`` reports that step), so readers never wait. ``dask``
    (``local``, ``local:N``, ``tcp://HOST:PORT``) runs the per-document stages on that Dask cluster, ``cluster``
    hearing of each chunk there; a chunk that still fails after its retries raises ``ChunkFailed`` once everything
    read before it is written."""
    from crosswire.app.comparison import compare_stories, stale_stories

    with _runner(settings, dask, cluster) as runner:
        outcomes = ingest_items(store, _items(refs, settings, stdin, fetch, progress), settings, runner)
    stale = stale_stories(store)  # changed members, a revision, or a run killed before its comparisons
    if stale:
        compare_stories(store, stale, settings.workers, compared)
    return AddReport(tuple(outcomes))


def ingest_items(store: Store, items: Iterable[Item], settings: Settings, runner: Runner | None = None) -> list[Outcome]:
    """Items already read (a watch cycle's pages, an API request's articles) through the stages and the write step,
    in order; one outcome per item. Comparing the stories they changed is the caller's next step."""
    outcomes: list[Outcome] = []
    with runner or Runner(settings.workers) as run:
        _analyse_pending(store, run)  # left by a run killed between a write and its re-analysis
        for batch in _batches(run.prepare(items, _triage(store, settings)), settings.batch_size):
            outcomes += write_batch(store, batch, settings)
        _analyse_pending(store, run)
    return outcomes


def _runner(settings: Settings, dask: str | None, cluster: ChunkProgress | None) -> AbstractContextManager[Runner]:
    if dask:
        from crosswire.pipeline.cluster import dask_runner

        return dask_runner(dask, progress=cluster)
    return Runner(settings.workers)


def _items(refs: Sequence[InputRef], settings: Settings, stdin: BinaryIO | None, fetch: Fetcher,
           progress: Progress | None) -> Iterator[Item]:
    for ref in refs:
        count = 0
        for item in iter_input(ref, settings, stdin, fetch):
            count += 1
            yield item
        if progress:
            progress(ref, count)


def _batches(prepared: Iterable[Prepared], size: int) -> Iterator[list[Prepared]]:
    """Batches of at most ``size`` items, or fewer once the oldest has waited ``WRITE_EVERY_S``; a chunk that
    failed for good ends the stream after the items before it are handed out, so that they are written."""
    batch: list[Prepared] = []
    started = 0.0
    try:
        for p in prepared:
            if not batch:
                started = time.monotonic()
            batch.append(p)
            if len(batch) >= size or time.monotonic() - started >= WRITE_EVERY_S:
                yield batch
                batch = []
    except ChunkFailed:
        if batch:
            yield batch
        raise
    if batch:
        yield batch


def _triage(store: Store, settings: Settings) -> Callable[[list[Article]], list[Article | None]]:
    """Between the stages: skip articles the store holds (nothing to analyse), and take the outlet's known
    template lines out of the rest first, so the analysis reads the text that will be stored."""

    def triage(articles: list[Article]) -> list[Article | None]:
        known = store.known_ids([a.id for a in articles])
        return [None if a.id in known else _without_known_templates(store, a, settings) for a in articles]

    return triage


def _without_known_templates(store: Store, article: Article, settings: Settings) -> Article:
    if not article.meta.outlet:
        return article
    keys = paragraph_keys(article, settings.template_max_words)
    templates = store.template_keys(article.meta.outlet, sorted(keys), settings.template_min_articles)
    stripped = drop_template_lines(article, templates) if templates else article
    return article if stripped is article else annotate_article(stripped)


# --- the write step ------------------------------------------------------------------------------


def write_batch(store: Store, batch: Sequence[Prepared], settings: Settings) -> list[Outcome]:
    """Store one batch in one short transaction: articles, their analyses, outlet templates, story assignment."""
    outcomes: list[Outcome] = []
    added: list[Prepared] = []
    touched: dict[str, set[str]] = defaultdict(set)
    with store.transaction() as tx:
        for p in batch:
            outcome = _reject(tx, p.result) if isinstance(p.result, Rejected) else _store_article(tx, p.raw, p.result, settings)
            outcomes.append(outcome)
            if outcome.status == "added" and isinstance(p.result, Article):
                added.append(p)
                if p.result.meta.outlet:
                    lines = list(paragraph_keys(p.result, settings.template_max_words))
                    tx.add_outlet_lines(p.result.meta.outlet, lines, p.result.id)
                    touched[p.result.meta.outlet] |= set(lines)
        for outlet, outlet_lines in touched.items():
            _strip_templates(tx, outlet, outlet_lines, settings)
        for p in added:
            _store_analysis(tx, p)
        assign_stories(store, tx, [p.signals for p in added if p.signals is not None], settings.grouping_resident)
        _failpoint("before-commit")
    _failpoint("after-commit")
    return outcomes


def _store_analysis(tx: Writer, p: Prepared) -> None:
    """Keep the worker's analysis if it read the text as stored; else the article waits for re-analysis."""
    assert isinstance(p.result, Article)
    if p.analysis is not None and text_hash(tx.load_article(p.result.id).text) == p.analysed_text:
        tx.replace_analysis(p.analysis, ANALYSIS_VERSION)


def _analyse_pending(store: Store, runner: Runner) -> None:
    """Analyse stored articles that have no analysis (their text changed in a write step) and store the results
    whose text is still the one analysed."""
    pending = store.unanalysed()
    for start in range(0, len(pending), 200):
        _store_fresh_analyses(store, runner, pending[start : start + 200])


def _store_fresh_analyses(store: Store, runner: Runner, chunk: Sequence[Article], forget_comparisons: bool = False) -> int:
    """Analyse these stored articles and, in one short transaction, store each result whose article still has the
    text analysed (dropping its story's stored comparison if asked); how many were stored."""
    results = runner.analyse(chunk)
    stored = 0
    with store.transaction() as tx:
        for article, analysis in zip(chunk, results, strict=True):
            if tx.has_article(article.id) and tx.load_article(article.id).text == article.text:
                tx.replace_analysis(analysis, ANALYSIS_VERSION)
                if forget_comparisons:
                    tx.forget_comparison(article.id)
                stored += 1
    return stored


def outdated_count(store: Store) -> int:
    """How many stored articles an older version of the analysis rules analysed (``crosswire reanalyse``)."""
    return len(store.outdated_analyses(ANALYSIS_VERSION))


def reanalyse(store: Store, settings: Settings, runner: Runner | None = None,
              progress: Callable[[int, int], None] | None = None) -> int:
    """Analyse again the stored articles an older version of the rules analysed (``ANALYSIS_VERSION`` changed:
    statements, classes or negations may read differently now), 200 at a time, each chunk one short transaction — a
    kill loses at most the chunk in flight and re-running goes on where it stopped. Their stories' stored comparisons
    are dropped, to be made again from the new analyses. How many articles were analysed again."""
    ids = store.outdated_analyses(ANALYSIS_VERSION)
    done = 0
    with runner or Runner(settings.workers) as run:
        for start in range(0, len(ids), 200):
            chunk = [store.article(i) for i in ids[start : start + 200]]
            done += _store_fresh_analyses(store, run, chunk, forget_comparisons=True)
            if progress is not None:
                progress(start + len(chunk), len(ids))
    return done


def assign_stories(store: Store, tx: Writer, signals: Sequence[StorySignals], resident: int | None = None) -> None:
    """Put each new article into a story, in order, and date undated members from their story; a new grouping
    index keeps about ``resident`` articles in memory between batches (``grouping_resident``)."""
    if not signals:
        return
    generation = tx.generation()  # before anything else is read: a write by another process after it shows
    index = _story_index(store, tx, generation, resident)
    index.prepare(signals)  # loads the stories of the batch's weeks and the counts of its words
    seq = tx.next_seq()
    tx.insert_signals(signals)
    placed: dict[str, tuple[Assignment, int]] = {}  # this batch's articles: where each is now, its arrival number
    touched = set()
    for s in signals:
        assignment = index.add(s)
        placed[s.article_id] = (assignment, seq)
        earlier = [m for m in assignment.moved if m.article_id not in placed]  # stored in an earlier batch
        if earlier:
            touched |= set(tx.story_of([m.article_id for m in earlier]).values())
            for moved in earlier:
                tx.rewrite_member(moved)
        for moved in assignment.moved:
            if moved.article_id in placed:  # placed earlier in this batch: stored below, where it is now
                touched.add(placed[moved.article_id][0].story_id)
                placed[moved.article_id] = (moved, placed[moved.article_id][1])
            touched.add(moved.story_id)
        seq += 1
        touched.add(assignment.story_id)
    tx.insert_members(list(placed.values()))
    tx.write_grouping(index.flush())
    store.keep_story_index(generation + 1, index)  # valid while the store stays as this transaction's commit leaves it
    for story_id in sorted(touched):
        infer_dates(tx, story_id)


def _story_index(store: Store, tx: Writer, generation: int, resident: int | None) -> StoryIndex:
    """The grouping index: kept between batches of one run (reading through the current transaction) while nothing
    else was written, else a new one that loads what each batch needs from the store (so a correction made in
    the web meanwhile is seen, and its stories stay locked)."""
    cached = store.cached_story_index(generation)
    if isinstance(cached, StoryIndex):
        cached.bind(tx)
        return cached
    if not tx.grouping_complete():
        fill_grouping_state(tx)
    index = StoryIndex(StoryParams(max_resident=resident) if resident else None, archive=tx)
    index.locked = {sid for c in tx.corrections() for sid in (c.story_id, c.other_story_id) if sid}
    return index


def fill_grouping_state(tx: Writer, page: int = 5_000) -> None:
    """Give every grouped article its arrival row, and the store its counts, by one replay of the stored signals in
    arrival order (a store grouped before migration 0013, or one whose state is incomplete), a page at a time."""
    tx.reset_grouping()
    counter, after = StoryIndex(), 0
    while rows := tx.replay_rows(after, page):
        tx.write_grouping(GroupingWrite(tuple(counter.account(signals) for signals, _story in rows), {}, counter.seen, counter.clock))
        after = tx.seq_of(rows[-1][0].article_id)
    counts = {kind + key: n for kind, df in zip(KINDS, (counter.name_df, counter.term_df, counter.number_df), strict=True)
              for key, n in df.known.items()}  # fmt: skip
    tx.write_grouping(GroupingWrite((), counts, counter.seen, counter.clock))


def _reject(tx: Writer, rejected: Rejected) -> Outcome:
    tx.record_rejection(rejected)
    return Outcome("failed", rejected.origin, None, rejected.reason)


def _store_article(tx: Writer, raw: RawDocument | None, article: Article, settings: Settings) -> Outcome:
    assert raw is not None  # an article always comes from a raw document
    revised = revise_stored(tx, raw, article, settings)  # an article seen again at its address (issue #20)
    if revised is not None:
        if revised.status == "revised":  # its text changed: analysed again after this write (spans point into it)
            tx.drop_analysis(revised.article_id)
        return Outcome(revised.status, article.origin, revised.article_id, revised.detail)
    if tx.has_article(article.id):
        new_origin = tx.add_origin(article.id, article.origin, article.external_id)
        return Outcome("unchanged", article.origin, article.id, "already stored" + ("; new origin recorded" if new_origin else ""))
    same = tx.same_content(article.content_hash)
    m = article.meta
    exact = [aid for aid, outlet, title in same if (outlet, title) == (m.outlet, m.title)]
    if exact:
        tx.add_origin(exact[0], article.origin, article.external_id)
        return Outcome("duplicate", article.origin, exact[0], f"same outlet, headline and text as {exact[0]}")
    detail = f"decoded as {article.encoding} (not valid UTF-8)" if article.encoding != "utf-8" else ""
    if same:
        article = replace(article, duplicate_of=same[0][0])
        kind = "same text, new headline" if same[0][1] == m.outlet else "verbatim copy"
        detail = "; ".join(filter(None, [detail, f"{kind} of {same[0][0]} ({same[0][1] or 'unknown outlet'})"]))
    tx.insert_article(article, raw, EXTRACTOR_VERSION)
    return Outcome("added", article.origin, article.id, detail)


def _strip_templates(tx: Writer, outlet: str, keys: set[str], settings: Settings) -> None:
    """Lines now seen in enough of the outlet's articles are template: remove them wherever they stand. An
    article whose text changed loses its analysis, to be redone after the commit (spans point into the text)."""
    templates = tx.template_keys(outlet, sorted(keys), settings.template_min_articles)
    if not templates:
        return
    for article_id in tx.articles_with_keys(outlet, sorted(templates)):
        before = tx.load_article(article_id)
        after = drop_template_lines(before, templates)
        if after is not before:
            tx.replace_text(annotate_article(after))
            tx.drop_analysis(article_id)


_batches_written = [0]


def _failpoint(stage: str) -> None:
    """Fault injection for the kill-and-resume tests: ``CROSSWIRE_FAILPOINT=after-commit:3`` kills this process
    with SIGKILL right after the third batch is committed (``before-commit``: inside its transaction)."""
    spec = os.environ.get(FAILPOINT_ENV)
    if not spec:
        return
    if stage == "before-commit":
        _batches_written[0] += 1
    where, _, n = spec.partition(":")
    if where == stage and str(_batches_written[0]) == n:
        os.kill(os.getpid(), signal.SIGKILL)


"""The per-document stages and the runner that maps them over a stream of inputs.

Two pure stages run on each document, outside any transaction: ``extract_documents`` (raw bytes → clean
``Article`` or ``Rejected``) and ``analyse_documents`` (clean article → its ``Analysis`` and ``StorySignals``).
``Runner`` maps them over an unbounded stream in order, in this process or in a pool of worker processes that
load their models once; between the two stages the caller sees each extracted article (to skip the ones the
store already holds, or to apply what the store knows), and at the end it gets ``Prepared`` values, in input
order, for the one short step that writes. On a Dask cluster (``cluster.dask_runner``) the same two functions are
mapped; each chunk's progress is reported as the cluster finishes it, and a chunk that fails (a stage raising, a
worker lost) is reported and sent again, ``retries`` times, before ``ChunkFailed`` stops the run in input order.
"""

from __future__ import annotations

import hashlib
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from crosswire.errors import CrosswireError
from crosswire.extract.article import extract_article
from crosswire.extract.lexicon import Lexicon, load_lexicon
from crosswire.extract.summary import flag_restated_summary
from crosswire.model import Analysis, Article, DateSource, RawDocument, Rejected
from crosswire.stories.signals import StorySignals

Processed = tuple[RawDocument, Article | Rejected]
PARALLEL_MIN_DOCUMENTS = 40  # below this, starting worker processes costs more than it saves
CHUNK_DOCUMENTS = 8  # documents per job sent to a worker: amortises the hand-over, keeps spaCy batches useful
JOBS_PER_WORKER = 3  # jobs in flight per worker: workers never starve, memory stays bounded
# Fault injection for the cluster tests, read by the cleaning stage wherever it runs: "kill-once:PATH" SIGKILLs the
# first worker process to clean a chunk, halfway through it (PATH, created atomically, makes it the only one);
# "raise:TEXT" fails every chunk holding a document whose origin contains TEXT.
STAGE_FAILPOINT_ENV = "CROSSWIRE_STAGE_FAILPOINT"


@dataclass(frozen=True, slots=True)
class Prepared:
    """One input item after the per-document stages, ready for the write step."""

    raw: RawDocument | None  # None: the item was refused before it could be read
    result: Article | Rejected
    analysis: Analysis | None = None  # of ``analysed_text``; None: not analysed (the store holds it already)
    analysed_text: str = ""  # sha256 of the text the analysis read (the write step keeps it only if it still matches)
    signals: StorySignals | None = None  # for story grouping, from the extracted text


def text_hash(text: str) -> str:
    """The key that ties an analysis to the exact text it read."""
    return hashlib.sha256(text.encode()).hexdigest()


# --- the pure stages ---------------------------------------------------------------------------


def process_document(raw: RawDocument, lexicon: Lexicon) -> Article | Rejected:
    """Every per-document cleaning stage, in order: extract (clean + describe), then annotate the clean text."""
    article = extract_article(raw, lexicon)
    return article if isinstance(article, Rejected) else annotate_article(article)


def annotate_article(article: Article) -> Article:
    """The stages that read the final clean text; run again whenever the text changes (spans point into it)."""
    return replace(article, flags=flag_restated_summary(article.text))


def extract_documents(raws: Sequence[RawDocument]) -> list[Article | Rejected]:
    """The cleaning stage over a chunk of raw documents."""
    lexicon = load_lexicon()
    done = []
    for raw in raws:
        done.append(process_document(raw, lexicon))
        if len(done) == 1 and os.environ.get(STAGE_FAILPOINT_ENV):
            _stage_failpoint(os.environ[STAGE_FAILPOINT_ENV], raws)
    return done


def _stage_failpoint(spec: str, raws: Sequence[RawDocument]) -> None:
    where, _, arg = spec.partition(":")
    if where == "kill-once":
        try:
            os.close(os.open(arg, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
        os.kill(os.getpid(), signal.SIGKILL)
    if where == "raise" and any(arg in r.origin.label() for r in raws):
        raise RuntimeError(f"failpoint: a chunk holding {arg!r}")


def analyse_documents(jobs: Sequence[tuple[Article, Article]]) -> list[tuple[Analysis, StorySignals]]:
    """The language stage over a chunk: each job is (the extracted article, the same with the outlet's known
    template lines taken out); the analysis reads the second, the story signals the first (so grouping does not
    depend on what the store knew when the job was sent)."""
    from crosswire.stories.signals import story_signals

    analyses = analyse_articles([clean for _extracted, clean in jobs])
    return list(zip(analyses, story_signals([extracted for extracted, _clean in jobs]), strict=True))


def analyse_articles(articles: Sequence[Article], workers: int = 1) -> list[Analysis]:
    """The language stage over final clean texts: entities, statements, claims; one result per article.

    English articles are parsed by spaCy (in ``workers`` processes when there are enough of them); other
    languages get an explicit "not analysed" result rather than English rules applied wrongly. An article the
    analysers fail on gets a "not analysed" result naming the failure; the rest of the chunk goes on.
    """
    from crosswire.nlp import lang
    from crosswire.nlp.analyse import analyse_doc, is_supported, not_analysed
    from crosswire.nlp.parse import parse

    english = [a for a in articles if is_supported(a.meta.language) and a.meta.language not in lang.SUPPORTED]
    processes = workers if workers > 1 and len(english) >= PARALLEL_MIN_DOCUMENTS else 1
    done: dict[str, Analysis | None] = {}
    docs = parse((a.text for a in english), processes=processes) if english else iter(())
    for a, doc in zip(english, docs, strict=True):
        done[a.id] = _guarded(a, partial(analyse_doc, doc, a.id, _own_date(a), a.meta.language))
    for a in articles:  # German, Russian, Ukrainian: nlp/lang (rules over quotes, cues and names; natasha for Russian)
        if a.meta.language in lang.SUPPORTED:
            done[a.id] = _guarded(a, partial(lang.analyse_article, a.id, a.text, a.meta.language, _own_date(a)))
    return [done.get(a.id) or not_analysed(a.id, a.meta.language) for a in articles]


def _guarded(article: Article, analyse: Callable[[], Analysis | None]) -> Analysis | None:
    """One article's analysis; an analyser failing on an odd text gives a "not analysed" result naming the failure
    (the rest of the chunk goes on)."""
    from crosswire.nlp.analyse import not_analysed

    try:
        return analyse()
    except Exception as exc:  # noqa: BLE001 — reported in the article's analysis note
        return replace(not_analysed(article.id, article.meta.language), note=f"analysis failed: {type(exc).__name__}: {exc}")


def _own_date(article: Article) -> str | None:
    """The article's own date (stated or from metadata): the only base for resolving "yesterday"."""
    p = article.meta.published
    return p.value if p.source in (DateSource.STATED, DateSource.METADATA) else None


# --- the runner ---------------------------------------------------------------------------------

Item = RawDocument | Rejected
Triage = Callable[[list[Article]], list[Article | None]]  # extracted → what to analyse (None: skip, stored already)


@dataclass(frozen=True, slots=True)
class ChunkEvent:
    """What the cluster did with one chunk of documents: sent it, finished it, or saw it fail and sent it again."""

    stage: str  # clean | analyse
    state: str  # sent | done | retried
    documents: int
    detail: str = ""  # retried: the chunk's inputs, the error and the attempt about to run


ChunkProgress = Callable[[ChunkEvent], None]


class _Slot:
    """One chunk of input items on its way through the two stages."""

    __slots__ = ("items", "extracted", "analysed")

    def __init__(self, items: list[Item]) -> None:
        self.items = items
        self.extracted: Future[list[Article | Rejected]] | None = None
        self.analysed: Future[list[tuple[Analysis, StorySignals]]] | None = None


class Runner:
    """Maps the two stages over a stream of items, in order, in ``workers`` processes (1: in this process), or on
    a Dask cluster when given its ``client`` (``workers`` is then the cluster's thread count).

    The pool starts only once the stream has shown ``PARALLEL_MIN_DOCUMENTS`` items, so a single small file costs
    no process start. Workers are forked: models this process already loaded are shared, and a worker that needs a
    model loads it once. ``triage`` (run here, between the stages) decides what each extracted article needs.
    On a cluster, ``progress`` hears of every chunk as it is sent and as the cluster finishes it; a chunk that fails
    there is reported (a "retried" event) and sent again ``retries`` times, then ``ChunkFailed`` names its inputs —
    raised only once every chunk before it has been yielded, so what came before it can be written.
    """

    def __init__(self, workers: int = 1, client: Any = None, retries: int = 2, progress: ChunkProgress | None = None) -> None:
        self.workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None
        self._client = client
        self._retries = retries
        self._progress = progress
        self._events = threading.RLock()  # progress hears one event at a time, from this thread or the client's

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def prepare(self, items: Iterable[Item], triage: Triage) -> Iterator[Prepared]:
        """Every item of ``items`` through both stages, yielded in input order as soon as it and all before it are done."""
        window: deque[_Slot] = deque()
        chunk: list[Item] = []
        seen = 0
        for item in items:
            chunk.append(item)
            seen += 1
            if len(chunk) >= CHUNK_DOCUMENTS:
                window.append(self._start(chunk, seen))
                chunk = []
            yield from self._advance(window, triage, block=len(window) >= self.workers * JOBS_PER_WORKER)
        if chunk:
            window.append(self._start(chunk, seen))
        while window:
            yield from self._advance(window, triage, block=True)

    def analyse(self, articles: Sequence[Article]) -> list[Analysis]:
        """The language stage alone (articles whose text changed after they were stored), chunked over the pool."""
        jobs = [articles[i : i + CHUNK_DOCUMENTS] for i in range(0, len(articles), CHUNK_DOCUMENTS)]
        if self._client is not None:
            futures = [self._submit(analyse_articles, job, "analyse") for job in jobs]
            return [a for job, f in zip(jobs, futures, strict=True) for a in _result(f, job)]
        if self._pool is None and len(articles) >= PARALLEL_MIN_DOCUMENTS and self.workers > 1:
            self._pool = _new_pool(self.workers)
        if self._pool is None:
            return [a for job in jobs for a in analyse_articles(job)]
        return [a for result in self._pool.map(analyse_articles, jobs) for a in result]

    def _start(self, items: list[Item], seen: int) -> _Slot:
        if self._pool is None and self._client is None and self.workers > 1 and seen >= PARALLEL_MIN_DOCUMENTS:
            self._pool = _new_pool(self.workers)
        slot = _Slot(items)
        slot.extracted = self._submit(extract_documents, [i for i in items if isinstance(i, RawDocument)], "clean")
        return slot

    def _submit(self, fn: Callable[[Any], Any], arg: Any, stage: str) -> Any:
        if self._client is not None:  # done(), exception() and result() as a concurrent.futures.Future's
            return _ClusterJob(self._client, fn, arg, stage, self._retries, self._progress, self._events)
        if self._pool is not None:
            return self._pool.submit(fn, arg)
        return _done(fn(arg))

    def _advance(self, window: deque[_Slot], triage: Triage, block: bool) -> Iterator[Prepared]:
        """Send every extracted chunk on to analysis; yield the finished chunks at the head of the window."""
        for slot in window:
            head = slot is window[0]
            # a chunk that failed for good stops the run only at the head, once everything before it is out
            if slot.analysed is None and slot.extracted is not None and (_ready(slot.extracted) or (head and (block or slot.extracted.done()))):
                jobs = _jobs(slot, triage)
                slot.analysed = self._submit(analyse_documents, jobs, "analyse") if jobs else _done([])
        while window and window[0].analysed is not None and (window[0].analysed.done() or block):
            yield from _prepared(window.popleft())
            block = False  # one finished chunk makes room; the rest are collected when they are done


class _ClusterJob:
    """One chunk on a Dask cluster: its future, and what is needed to send it again when it fails there."""

    def __init__(self, client: Any, fn: Callable[[Any], Any], arg: Sequence[object], stage: str, retries: int,
                 progress: ChunkProgress | None, lock: threading.RLock) -> None:
        self._client, self._fn, self._arg, self._stage = client, fn, arg, stage
        self._retries, self._progress, self._lock = retries, progress, lock
        self._attempt = 0
        self._reported: set[object] = set()
        self._send()

    def _send(self) -> None:
        self._attempt += 1
        # retries here, not the scheduler's: each one is reported, and a lost worker counts as a failure like any other
        self._future = self._client.submit(self._fn, self._arg, pure=False, retries=0)
        if self._attempt == 1:
            self._event("sent")
        self._future.add_done_callback(self._finished)  # called in the client's thread as the cluster finishes it

    def _finished(self, future: Any) -> None:
        if future.status == "finished":
            self._done_once(future)

    def _done_once(self, future: Any) -> None:
        with self._lock:  # the callback and result() may race: the chunk is counted once, before result() returns
            if future.key not in self._reported:
                self._reported.add(future.key)
                self._event("done")

    def _event(self, state: str, detail: str = "") -> None:
        if self._progress is not None:
            with self._lock:
                self._progress(ChunkEvent(self._stage, state, len(self._arg), detail))

    def _retry(self, exc: BaseException) -> bool:
        """Send the chunk again if it has retries left (saying so); False when it has none."""
        if isinstance(exc, CrosswireError) or self._attempt > self._retries:
            return False
        self._event("retried", f"{_names(self._arg)}: {type(exc).__name__}: {exc}; attempt {self._attempt + 1} of {self._retries + 1}")
        self._send()
        return True

    def done(self) -> bool:
        if not self._future.done():
            return False
        exc = _error(self._future)
        return exc is None or not self._retry(exc)

    def exception(self) -> BaseException | None:
        return _error(self._future) if self.done() else None

    def result(self) -> Any:
        while True:
            try:
                value = self._future.result()
            except Exception as exc:  # noqa: BLE001 — sent again, or re-raised to the caller
                if self._retry(exc):
                    continue
                raise
            self._done_once(self._future)
            return value


def _error(future: Any) -> BaseException | None:
    """A finished future's exception (None: it succeeded), without blocking."""
    try:
        return future.exception()  # type: ignore[no-any-return]
    except BaseException as exc:  # noqa: BLE001 — a cancelled future raises instead of returning
        return exc


def _ready(future: Any) -> bool:
    """Finished without error: its result can be taken now, in any order."""
    return bool(future.done()) and _error(future) is None


def _done(value: Any) -> Future[Any]:
    done: Future[Any] = Future()
    done.set_result(value)
    return done


def _jobs(slot: _Slot, triage: Triage) -> list[tuple[Article, Article]]:
    assert slot.extracted is not None
    extracted = _result(slot.extracted, slot.items)
    articles = [r for r in extracted if isinstance(r, Article)]
    wanted = triage(articles)
    slot.items = list(_annotated(slot.items, extracted, wanted))  # type: ignore[arg-type]
    return [(a, w) for a, w in zip(articles, wanted, strict=True) if w is not None]


class ChunkFailed(CrosswireError):
    """A chunk of documents failed in a worker (after its retries); nothing of it was written."""


def _result(future: Any, items: Sequence[object]) -> Any:
    """A worker's result, or ``ChunkFailed`` naming the chunk's inputs (a worker lost, a bug in a stage)."""
    try:
        return future.result()
    except CrosswireError:
        raise
    except Exception as exc:  # noqa: BLE001 — re-raised with the inputs it concerns
        raise ChunkFailed(f"a worker failed on {_names(items)}: {type(exc).__name__}: {exc}; what was written before "
                          "stays, re-run the same command to go on") from exc


def _names(items: Sequence[object]) -> str:
    """The inputs of a chunk, for a message: the first three and how many more."""
    names = sorted({_origin_name(i) for i in items})
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _origin_name(item: object) -> str:
    origin = getattr(item, "origin", None) or getattr(getattr(item, "result", None), "origin", None)
    if isinstance(item, tuple):
        origin = getattr(item[1], "origin", None)
    return f"{origin.locator}{'#' + origin.item if origin.item else ''}" if origin else "?"


def _annotated(items: list[Item], extracted: list[Article | Rejected], wanted: list[Article | None]) -> Iterator[object]:
    """Pair each item with its extraction and what triage decided, in input order."""
    results = iter(extracted)
    decisions = iter(wanted)
    for item in items:
        if isinstance(item, Rejected):
            yield (None, item, None)
            continue
        result = next(results)
        yield (item, result, next(decisions) if isinstance(result, Article) else None)


def _prepared(slot: _Slot) -> Iterator[Prepared]:
    assert slot.analysed is not None
    analysed = iter(_result(slot.analysed, slot.items))
    for raw, result, wanted in slot.items:  # type: ignore[misc]
        if wanted is None:
            yield Prepared(raw, result)
            continue
        analysis, signals = next(analysed)
        yield Prepared(raw, result, analysis, text_hash(wanted.text), signals)


def _new_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=load_lexicon)


def process_documents(raws: Sequence[RawDocument], workers: int = 1) -> list[Processed]:
    """The cleaning stage alone over a list (benchmarks, ``crosswire clean``), each raw input beside its result."""
    with Runner(workers) as runner:
        prepared = list(runner.prepare(raws, lambda arts: [None] * len(arts)))
    return [(p.raw, p.result) for p in prepared if p.raw is not None]

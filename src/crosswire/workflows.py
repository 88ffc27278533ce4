"""The use-cases the CLI, the web and Python users call; the only place stages meet storage."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from importlib.resources import files
from itertools import islice
from pathlib import Path
from typing import IO, Any, BinaryIO, Protocol

import numpy as np

from crosswire import brief, compare, export
from crosswire.errors import NotFound
from crosswire.extract.article import EXTRACTOR_VERSION, drop_template_lines, paragraph_keys
from crosswire.ingest.fetch import fetch_url
from crosswire.ingest.sources import Fetcher, InputRef, iter_input
from crosswire.model import Analysis, Article, Comparison, Origin, RawDocument, Rejected, StatementClass
from crosswire.nlp import ANALYSIS_VERSION
from crosswire.pipeline.runner import Processed, analyse_articles, annotate_article, process_documents
from crosswire.settings import Settings
from crosswire.storage import analysis as analysis_db
from crosswire.storage import browse as browse_db
from crosswire.storage import comparisons as comparison_db
from crosswire.storage import revisions as revision_db
from crosswire.storage import stories as story_db
from crosswire.storage.store import ArticleFilter, Store, Writer, now_iso
from crosswire.stories.clusters import Assignment, StoryIndex, StoryParams
from crosswire.stories.signals import story_signals
from crosswire.watch.revise import revise_stored


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one input item."""

    status: str  # added | duplicate | unchanged | failed
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


Progress = Callable[[InputRef, int], None]  # (input just read, items it held)
# a stored comparison is current while its story's members, the analysis and the comparison engine are unchanged
COMPARISON_INPUTS = f"{ANALYSIS_VERSION}+{compare.COMPARE_VERSION}"
CompareProgress = Callable[[int, int], None]  # (stories compared so far, stories to compare)
COMPARE_CHUNK_PER_WORKER = 4  # stories loaded per worker at a time: keeps memory bounded, workers busy


def open_store(settings: Settings) -> Store:
    """The store named by the settings, migrated to the current schema."""
    return Store(settings.sqlalchemy_url)


def add_inputs(
    refs: Sequence[InputRef],
    settings: Settings,
    store: Store,
    progress: Progress | None = None,
    stdin: BinaryIO | None = None,
    fetch: Fetcher = fetch_url,
    compared: CompareProgress | None = None,
) -> AddReport:
    """Read, clean and store every input; items are streamed (a JSONL line, a WARC record at a time) and written
    in transactions of ``batch_size``, also inside one big input, so memory stays bounded and an interrupted run
    loses at most the batch in flight. Then every story whose members changed (or whose stored comparison is
    otherwise stale) is compared and stored, so readers never wait for a comparison (``compared`` reports that
    step's progress)."""
    outcomes: list[Outcome] = []
    pending: list[RawDocument | Rejected] = []
    for ref in refs:
        count = 0
        for item in iter_input(ref, settings, stdin, fetch):
            pending.append(item)
            count += 1
            if len(pending) >= settings.batch_size:
                outcomes += write_batch(store, _process(pending, settings), settings)
                pending = []
        if progress:
            progress(ref, count)
    if pending:
        outcomes += write_batch(store, _process(pending, settings), settings)
    if any(o.status == "added" for o in outcomes):
        compare_stories(store, stale_stories(store), settings.workers, compared)
    return AddReport(tuple(outcomes))


def _process(items: list[RawDocument | Rejected], settings: Settings) -> list[Processed | Rejected]:
    """Run the document stages over a batch (in parallel when it is big enough), keeping input order."""
    raws = [i for i in items if isinstance(i, RawDocument)]
    done = iter(process_documents(raws, settings.workers))
    return [item if isinstance(item, Rejected) else next(done) for item in items]


def write_batch(store: Store, batch: Iterable[Processed | Rejected], settings: Settings) -> list[Outcome]:
    """Store one batch atomically, then strip outlet template lines that the batch revealed."""
    outcomes: list[Outcome] = []
    touched: dict[str, set[str]] = defaultdict(set)
    with store.transaction() as tx:
        for entry in batch:
            if isinstance(entry, Rejected):
                outcomes.append(_reject(tx, entry))
                continue
            raw, result = entry
            if isinstance(result, Rejected):
                outcomes.append(_reject(tx, result))
                continue
            outcome = _store_article(tx, raw, result, settings)
            outcomes.append(outcome)
            if outcome.status == "added" and result.meta.outlet:
                keys = paragraph_keys(result, settings.template_max_words)
                tx.add_outlet_lines(result.meta.outlet, list(keys), result.id)
                touched[result.meta.outlet] |= set(keys)
        changed: set[str] = set()
        for outlet, keys in touched.items():
            changed |= _strip_templates(tx, outlet, keys, settings)
        added_ids = [o.article_id for o in outcomes if o.status == "added" and o.article_id]
        added = [tx.load_article(i) for i in added_ids]
        analyse_and_store(tx, added + [tx.load_article(i) for i in sorted(changed - set(added_ids))], settings.workers)
        assign_stories(store, tx, added)
    return outcomes


def assign_stories(store: Store, tx: Writer, added: list[Article]) -> None:
    """Put each new article into a story, in order, and date undated members from their story."""
    if not added:
        return
    index = _story_index(store, tx)
    seq = story_db.next_seq(tx.conn)
    touched = set()
    for signals in story_signals(added):
        story_db.insert_signals(tx.conn, signals)
        assignment = index.add(signals)
        story_db.insert_member(tx.conn, assignment, seq)
        if assignment.moved:  # regrouping around the article moved earlier ones
            touched |= set(story_db.story_of(tx.conn, [m.article_id for m in assignment.moved]).values())
        for moved in assignment.moved:
            story_db.rewrite_member(tx.conn, moved)
            touched.add(moved.story_id)
        seq += 1
        touched.add(assignment.story_id)
    store.story_cache = (seq, index)
    for story_id in sorted(touched):
        _infer_dates(tx, story_id)


def _story_index(store: Store, tx: Writer) -> StoryIndex:
    """The grouping index: cached between batches of one run, rebuilt from the store otherwise."""
    seq = story_db.next_seq(tx.conn)
    if store.story_cache and store.story_cache[0] == seq:
        return store.story_cache[1]
    index = StoryIndex()
    for signals, story_id in story_db.replay_rows(tx.conn):
        index.restore(signals, story_id)
    index.locked = _corrected_stories(tx)
    return index


def _corrected_stories(tx: Writer) -> set[str]:
    """Stories a person merged, split or moved articles into or out of: grouping never merges them on its own."""
    return {sid for c in story_db.corrections(tx.conn) for sid in (c.story_id, c.other_story_id) if sid}


def _infer_dates(tx: Writer, story_id: str) -> None:
    """Undated members of a dated story get the story's first date, marked inferred, with the range as evidence."""
    members = story_db.members(tx.conn, story_id)
    dated = sorted(m.published for m in members if m.published and m.published_source in story_db.OWN_DATES)
    if not dated:
        for m in members:
            story_db.clear_inferred_date(tx.conn, m.article_id, "no date in the text or its metadata; its story has no dated article")
        return
    evidence = f"inferred from story {story_id}: {len(dated)} dated article(s) published {dated[0]} to {dated[-1]}"
    for m in members:
        if m.published_source not in story_db.OWN_DATES:
            story_db.set_inferred_date(tx.conn, m.article_id, dated[0], evidence)


def _reject(tx: Writer, rejected: Rejected) -> Outcome:
    tx.record_rejection(rejected)
    return Outcome("failed", rejected.origin, None, rejected.reason)


def _store_article(tx: Writer, raw: RawDocument, article: Article, settings: Settings) -> Outcome:
    revised = revise_stored(tx, raw, article, settings)  # issue #20: an article seen again at its address
    if revised is not None:
        if revised.status == "revised":
            analyse_and_store(tx, [tx.load_article(revised.article_id)], 1)
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


def _strip_templates(tx: Writer, outlet: str, keys: set[str], settings: Settings) -> set[str]:
    """Lines now seen in enough of the outlet's articles are template: remove them wherever they stand.
    Returns the ids of articles whose text changed (their analysis must be redone)."""
    templates = tx.template_keys(outlet, sorted(keys), settings.template_min_articles)
    changed: set[str] = set()
    if not templates:
        return changed
    for article_id in tx.articles_with_keys(outlet, sorted(templates)):
        before = tx.load_article(article_id)
        after = drop_template_lines(before, templates)
        if after is not before:
            tx.replace_text(annotate_article(after))
            changed.add(article_id)
    return changed


def analyse_and_store(tx: Writer, articles: list[Article], workers: int) -> None:
    """Run the language stage over final texts and store entities, statements and claims."""
    for analysis in analyse_articles(articles, workers):
        analysis_db.replace_analysis(tx.conn, analysis, ANALYSIS_VERSION)


def article_analysis(store: Store, article_id: str) -> Analysis | None:
    """The stored entities, statements and claims of one article (None: not analysed yet)."""
    with store.engine.connect() as conn:
        return analysis_db.load_analysis(conn, store.resolve_id(article_id))


SPEECH_ONLY = (StatementClass.SPEECH,)


def statements(store: Store, speaker: str | None = None, article: str | None = None, story: str | None = None,
               limit: int | None = None, classes: Sequence[StatementClass] | None = SPEECH_ONLY,
               ) -> list[analysis_db.StoredStatement]:
    """Statements across the store, by speaker (entity key or part of the name), article, story and class
    (speech unless asked; None: every class); in time order."""
    ids: list[str] | None = None
    if article:
        ids = [store.resolve_id(article)]
    if story:
        members = [m.article_id for m in get_story(store, story).members]
        ids = members if ids is None else [i for i in ids if i in members]
    with store.engine.connect() as conn:
        return analysis_db.find_statements(conn, speaker, ids, limit, classes)


def entities(store: Store, kind: str | None = None, search: str | None = None, limit: int | None = None) -> list[analysis_db.EntityRow]:
    """Canonical entities with how many articles mention them and how often they are quoted."""
    with store.engine.connect() as conn:
        return analysis_db.entity_rows(conn, kind, search, limit)


def entity(store: Store, key: str) -> analysis_db.EntityRow:
    """One entity by its exact key (``person:dana kovel``), with its counts."""
    rows = [r for r in entities(store, search=key) if r.entity.key == key]
    if not rows:
        raise NotFound(f"no entity with key {key!r}; `crosswire entities --search NAME` lists the keys")
    return rows[0]


def compare_story(store: Store, story_id: str) -> Comparison:
    """Aligned statements, fact table, conflicts and provenance of one story, computed now from the store and
    stored (as ``crosswire compare`` does), so the web shows it."""
    view = get_story(store, story_id)
    comparison = compare.compare_story(view.id, _story_docs(store, view))
    with store.transaction() as tx:
        _save_comparison(tx, view, export.comparison_record(comparison))
    return comparison


def _story_docs(store: Store, view: StoryView) -> list[compare.Doc]:
    """What the comparison reads of each member: text, headline, outlet, date, credits, language, analysis."""
    docs = []
    with store.engine.connect() as conn:
        for m in view.members:
            a = store.article(m.article_id)
            docs.append(compare.Doc(a.id, a.text, a.meta.title, a.meta.outlet, a.meta.published.value, a.meta.credited,
                                    a.meta.language, analysis_db.load_analysis(conn, a.id)))
    return docs


def story_comparison(store: Store, story_id: str) -> dict[str, object]:
    """A story's comparison record (``export.comparison_record``): the stored one while the story's members and
    the analysis version are unchanged, else computed now (seconds) and stored for the next reader."""
    view = get_story(store, story_id)
    cached = stored_comparison(store, view.id, [m.article_id for m in view.members])
    if cached is not None:
        return cached
    compare_stories(store, [view.id])
    record = stored_comparison(store, view.id, [m.article_id for m in view.members])
    assert record is not None  # just stored
    return record


def stale_stories(store: Store, min_size: int = 2) -> list[str]:
    """Stories of ``min_size`` or more articles whose stored comparison is missing or was computed for other
    members or another analysis version, biggest first."""
    with store.engine.connect() as conn:
        members: dict[str, list[str]] = defaultdict(list)
        for m in story_db.members(conn):
            members[m.story_id].append(m.article_id)
        ids = sorted((sid for sid, aids in members.items() if len(aids) >= min_size), key=lambda sid: (-len(members[sid]), sid))
        stored: dict[str, tuple[str, int]] = {}
        for chunk in _chunks(ids, 500):  # SQL parameter limits
            stored |= comparison_db.conflict_counts(conn, list(chunk))
    return [sid for sid in ids if stored.get(sid, ("", 0))[0] != comparison_db.signature(members[sid], COMPARISON_INPUTS)]


def compare_stories(store: Store, story_ids: Sequence[str], workers: int = 1, progress: CompareProgress | None = None) -> int:
    """Compare each story and store its record, in ``workers`` processes when there are several stories (each
    worker runs only the pure comparison; this process reads the members and writes). Returns how many."""
    done = 0
    chunk_size = max(1, workers) * COMPARE_CHUNK_PER_WORKER
    pool = ProcessPoolExecutor(max_workers=min(workers, len(story_ids))) if workers > 1 and len(story_ids) > 1 else None
    try:
        for chunk in _chunks(story_ids, chunk_size):
            views = [get_story(store, sid) for sid in chunk]
            jobs = [(v.id, _story_docs(store, v)) for v in views]
            records = []
            for record in pool.map(_comparison_record, jobs) if pool else map(_comparison_record, jobs):
                records.append(record)
                done += 1
                if progress:
                    progress(done, len(story_ids))
            with store.transaction() as tx:  # short: the store is never held while comparisons run
                for view, record in zip(views, records, strict=True):
                    _save_comparison(tx, view, record)
    finally:
        if pool:
            pool.shutdown()
    return done


def _save_comparison(tx: Writer, view: StoryView, record: dict[str, Any]) -> None:
    sig = comparison_db.signature([m.article_id for m in view.members], COMPARISON_INPUTS)
    comparison_db.save(tx.conn, comparison_db.CachedComparison(view.id, sig, now_iso(), len(record["conflicts"]), record))


def _chunks(items: Iterable[str], size: int) -> Iterable[list[str]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _comparison_record(job: tuple[str, list[compare.Doc]]) -> dict[str, object]:
    """The pure step a worker runs: one story's docs → its comparison record."""
    story_id, docs = job
    return export.comparison_record(compare.compare_story(story_id, docs))


def story_brief(store: Store, story_id: str) -> brief.Brief:
    """An extractive, cited brief of one story (uses the stored comparison, computing it if needed)."""
    view = get_story(store, story_id)
    record = story_comparison(store, view.id)
    texts = {m.article_id: store.article(m.article_id).text for m in view.members}
    return brief.make_brief(view, record, texts)


@dataclass(frozen=True, slots=True)
class StoredBrief:
    """A story's brief from its stored comparison, with that record (its summary) and the members' texts (to quote)."""

    brief: brief.Brief
    record: dict[str, object]
    texts: dict[str, str]


def stored_brief(store: Store, story_id: str) -> StoredBrief | None:
    """The brief of a story from its stored comparison; None while that comparison is pending (never computes)."""
    view = get_story(store, story_id)
    record = stored_comparison(store, view.id, [m.article_id for m in view.members])
    if record is None:
        return None
    texts = {m.article_id: store.article(m.article_id).text for m in view.members}
    return StoredBrief(brief.make_brief(view, record, texts), record, texts)


def stored_comparison(store: Store, story_id: str, article_ids: Sequence[str] | None = None) -> dict[str, object] | None:
    """The stored comparison record of a story when it is current (same members, same analysis version); never
    computes. ``article_ids`` (the members, when the caller has them; ``story_id`` is then the full id) saves a read."""
    if article_ids is None:
        view = get_story(store, story_id)
        story_id, article_ids = view.id, [m.article_id for m in view.members]
    with store.engine.connect() as conn:
        cached = comparison_db.load(conn, story_id)
    return cached.record if cached is not None and cached.signature == comparison_db.signature(article_ids, COMPARISON_INPUTS) else None


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One statement of a speaker in time, with what it is about and the statements it may contradict."""

    statement: analysis_db.StoredStatement
    about: tuple[str, ...]  # entity keys named in the statement
    story_id: str | None
    contradicts: tuple[str, ...] = ()  # ids of earlier statements it may contradict


def timeline(store: Store, speaker: str, about: str | None = None,
             classes: Sequence[StatementClass] | None = SPEECH_ONLY) -> list[TimelineEntry]:
    """All statements of one speaker across stories in time order (speech unless asked), possible contradictions flagged."""
    rows = statements(store, speaker=speaker, classes=classes)
    stories = story_of(store)
    entries = []
    analyses: dict[str, Analysis | None] = {}
    with store.engine.connect() as conn:
        for r in rows:
            if r.article_id not in analyses:  # a speaker is often quoted several times in one article
                analyses[r.article_id] = analysis_db.load_analysis(conn, r.article_id)
            analysis = analyses[r.article_id]
            keys = _entities_in(analysis, r.statement.content) if analysis else ()
            if about and not any(about.lower() in k for k in keys):
                continue
            entries.append(TimelineEntry(r, keys, stories.get(r.article_id)))
    return compare.flag_contradictions(entries)


def _entities_in(analysis: Analysis, spans: tuple[tuple[int, int], ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.entity for m in analysis.mentions if any(a <= m.span[0] < b for a, b in spans)))


def demo_corpus_path() -> Path:
    """The bundled, fictional demo corpus."""
    return Path(str(files("crosswire.demo").joinpath("corpus")))


def list_articles(store: Store, flt: ArticleFilter) -> list[Article]:
    """Articles matching a filter."""
    return store.articles(flt)


def export_all(store: Store, fmt: str, out: IO[str], flt: ArticleFilter | None = None, compare_missing: bool = True,
               workers: int = 1, progress: CompareProgress | None = None) -> int:
    """Write every article in ``fmt`` (json, jsonl, csv); returns how many were written. The JSON document's
    stories carry their stored comparison; with ``compare_missing`` the missing or stale ones are computed first
    (in ``workers`` processes, ``progress`` told after each story) and stored, else they are null (the HTTP API,
    which must answer in time)."""
    arts = store.articles(flt or ArticleFilter(), with_removed=True)
    stories = story_of(store)
    with store.engine.connect() as conn:
        records = [export.article_record(a, store.origins(a.id), stories.get(a.id), analysis_db.load_analysis(conn, a.id),
                                         revision_db.revisions(conn, a.id))  # issue #20: every version of a revised article
                   for a in arts]
    if fmt == "json":
        if compare_missing:
            compare_stories(store, stale_stories(store, min_size=1), workers, progress)
        stories_out = [export.story_record(v, stored_comparison(store, v.id, [m.article_id for m in v.members]))
                       for v in list_stories(store)]  # fmt: skip
        export.write_json(records, out, now_iso(), stories_out)
    elif fmt == "jsonl":
        export.write_jsonl(records, out)
    elif fmt == "csv":
        export.write_csv(records, out)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return len(records)


def summarise(store: Store) -> dict[str, object]:
    """Counts for the demo and status output: articles, outlets, languages, date sources, rejections."""
    arts = store.articles()
    return {
        "articles": len(arts),
        "outlets": store.outlet_counts(),
        "languages": Counter(a.meta.language or "?" for a in arts).most_common(),
        "date_sources": Counter(str(a.meta.published.source) for a in arts).most_common(),
        "copies": sum(1 for a in arts if a.duplicate_of),
        "rejections": len(store.rejections()),
    }


@dataclass(frozen=True, slots=True)
class StoryView:
    """A story as the CLI, the export and (later) the web show it."""

    id: str
    title: str | None  # the most central member headline
    first: str | None
    last: str | None
    outlets: tuple[str, ...]
    languages: tuple[str, ...]
    members: tuple[story_db.Member, ...]  # by time, undated last


def list_stories(store: Store) -> list[StoryView]:
    """Every story, biggest first."""
    with store.engine.connect() as conn:
        by_story: dict[str, list[story_db.Member]] = defaultdict(list)
        for m in story_db.members(conn):
            by_story[m.story_id].append(m)
        views = [story_view(conn, sid, ms) for sid, ms in by_story.items()]
    return sorted(views, key=lambda v: (-len(v.members), v.first or "9999", v.id))


def get_story(store: Store, story_id: str) -> StoryView:
    """One story by id (or a unique prefix)."""
    with store.engine.connect() as conn:
        ids = browse_db.story_ids_like(conn, story_id)
        if len(ids) != 1:
            raise NotFound(f"no story with id {story_id!r}" if not ids else f"story id prefix {story_id!r} is ambiguous")
        return story_view(conn, ids[0], story_db.members(conn, ids[0]))


def story_of(store: Store) -> dict[str, str]:
    """article id → story id."""
    with store.engine.connect() as conn:
        return {m.article_id: m.story_id for m in story_db.members(conn)}


def story_view(conn: object, story_id: str, members: list[story_db.Member]) -> StoryView:
    """A story's view from its members: span, outlets, languages and the most central headline."""
    dated = sorted(m.published for m in members if m.published)
    vectors = story_db.embeddings(conn, [m.article_id for m in members])  # type: ignore[arg-type]
    return StoryView(
        story_id,
        central_title(members, vectors),
        dated[0] if dated else None,
        dated[-1] if dated else None,
        tuple(sorted({m.outlet for m in members if m.outlet})),
        tuple(sorted({m.language for m in members if m.language})),
        tuple(members),
    )


class Titled(Protocol):
    """Anything with an article id and its headline (a story member, a list row)."""

    @property
    def article_id(self) -> str: ...

    @property
    def title(self) -> str | None: ...


def central_title(members: Sequence[Titled], vectors: dict[str, object]) -> str | None:
    """The headline of the member closest on average to the others (not simply the first one)."""
    titled = [m for m in members if m.title and m.article_id in vectors]
    if not titled:
        return None
    matrix = np.stack([vectors[m.article_id] for m in titled])  # type: ignore[arg-type]
    centrality = (matrix @ matrix.T).mean(axis=1)
    return titled[int(np.argmax(centrality))].title


def merge_stories(store: Store, into: str, other: str, who: str) -> story_db.Correction:
    """Move every article of ``other`` into ``into``; recorded, and kept by later grouping."""
    target, source = _story_id(store, into), _story_id(store, other)
    if target == source:
        raise ValueError("a story cannot be merged into itself")
    with store.transaction() as tx:
        moved = [m.article_id for m in story_db.members(tx.conn, source)]
        return _correct(store, tx, story_db.Correction(now_iso(), who, "merge", target, source, tuple(moved)))


def split_story(store: Store, story_id: str, article_ids: Sequence[str], who: str) -> story_db.Correction:
    """Take articles out of a story into a new story of their own."""
    source = _story_id(store, story_id)
    with store.transaction() as tx:
        members = {m.article_id for m in story_db.members(tx.conn, source)}
        moved = [_article_in(store, a, members, source) for a in article_ids]
        if set(moved) == members:
            raise ValueError("splitting off every article leaves nothing behind; name only the articles to take out")
        new_id = _new_story_id(tx, moved[0])
        return _correct(store, tx, story_db.Correction(now_iso(), who, "split", new_id, source, tuple(moved)))


def move_article(store: Store, article_id: str, story_id: str, who: str) -> story_db.Correction:
    """Put one article into another story."""
    target = _story_id(store, story_id)
    article = store.resolve_id(article_id)
    source = story_of(store).get(article)
    if source is None or source == target:
        raise ValueError(f"article {article} is {'not in any story' if source is None else 'already in ' + target}")
    with store.transaction() as tx:
        return _correct(store, tx, story_db.Correction(now_iso(), who, "move", target, source, (article,)))


def story_corrections(store: Store, story_id: str) -> list[story_db.Correction]:
    """The corrections touching one story."""
    with store.engine.connect() as conn:
        return story_db.corrections(conn, story_id)


def _correct(store: Store, tx: Writer, c: story_db.Correction) -> story_db.Correction:
    story_db.move_members(tx.conn, list(c.article_ids), c.story_id)
    story_db.record_correction(tx.conn, c)
    for sid in (c.story_id, c.other_story_id):
        if sid:
            _infer_dates(tx, sid)
    store.story_cache = None  # the index is rebuilt from the corrected memberships
    return c


@dataclass(frozen=True, slots=True)
class RegroupReport:
    articles: int
    stories_before: int
    stories_after: int
    moved_by_grouping: int  # articles whose story changed before corrections were re-applied
    corrections_applied: int


def regroup(store: Store, params: StoryParams | None = None) -> RegroupReport:
    """Group every stored article again from its stored signals, in the original order (after a parameter
    change or a better model), then re-apply every recorded correction: people's decisions survive."""
    with store.transaction() as tx:
        rows = story_db.replay_rows(tx.conn)
        before = {signals.article_id: story_id for signals, story_id in rows}
        index = StoryIndex(params or StoryParams())
        assignments: dict[str, Assignment] = {}
        for signals, _ in rows:
            assignment = index.add(signals)
            assignments[signals.article_id] = assignment
            for moved in assignment.moved:  # earlier articles regrouped around this one
                assignments[moved.article_id] = moved
        for assignment in assignments.values():
            story_db.rewrite_member(tx.conn, assignment)
        fixes = story_db.corrections(tx.conn)
        for c in fixes:
            _reapply(tx, c)
        after = {m.article_id: m.story_id for m in story_db.members(tx.conn)}
        moved = sum(1 for a, sid in after.items() if before.get(a) != sid)
        for story_id in sorted(set(after.values()) | set(before.values())):
            _infer_dates(tx, story_id)
    store.story_cache = None
    return RegroupReport(len(rows), len(set(before.values())), len(set(after.values())), moved, len(fixes))


def _reapply(tx: Writer, c: story_db.Correction) -> None:
    """A correction names the story that received the articles; after regrouping that story is the one
    now holding its founding article (``s`` + the article id's first 12 characters), or, for a split, the
    moved articles keep the split's own id."""
    target = c.story_id
    if c.action != "split":
        founder = target[1:13]
        current = {m.article_id: m.story_id for m in story_db.members(tx.conn)}
        holder = next((sid for aid, sid in current.items() if aid.startswith(founder)), None)
        target = holder or target
    story_db.move_members(tx.conn, list(c.article_ids), target)


def _story_id(store: Store, prefix: str) -> str:
    return get_story(store, prefix).id


def _article_in(store: Store, prefix: str, members: set[str], story_id: str) -> str:
    article = store.resolve_id(prefix)
    if article not in members:
        raise ValueError(f"article {article} is not in story {story_id}")
    return article


def _new_story_id(tx: Writer, first_article: str) -> str:
    taken = story_db.story_ids(tx.conn)
    base = f"s{first_article[:12]}"
    return next(c for c in (base, *(f"{base}-{i}" for i in range(2, 10_000))) if c not in taken)

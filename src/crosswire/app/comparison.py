"""Comparison use-cases: compare stories (in worker processes, written in short steps), the stored comparison of a
story (current while its members and the analysis are unchanged), and its extractive brief."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice

from crosswire import compare
from crosswire.app.stories import StoryView, get_story
from crosswire.compare import brief
from crosswire.model import Comparison
from crosswire.nlp import ANALYSIS_VERSION
from crosswire.storage import comparisons as comparison_db
from crosswire.storage.store import Store, Writer, now_iso

# a stored comparison is current while its story's members, the analysis and the comparison engine are unchanged
COMPARISON_INPUTS = f"{ANALYSIS_VERSION}+{compare.COMPARE_VERSION}"
CompareProgress = Callable[[int, int], None]  # (stories compared so far, stories to compare)
# what the comparison reads of a text: the part the analysis read (nlp/parse.py MAX_CHARS); a 15 MB article
# compared whole held 1.5 GB (bench/faults.py paragraphs_15mb). Spans stay offsets into the full text (a prefix).
COMPARE_MAX_CHARS = 100_000
COMPARE_CHUNK_PER_WORKER = 4  # stories loaded per worker at a time: keeps memory bounded, workers busy


def compare_story(store: Store, story_id: str) -> Comparison:
    """Aligned statements, fact table, conflicts and provenance of one story, computed now from the store and
    stored (as ``crosswire compare`` does), so the web shows it."""
    view = get_story(store, story_id)
    comparison = compare.compare_story(view.id, _story_docs(store, view))
    with store.transaction() as tx:
        _save_comparison(tx, view, comparison)
    return comparison


def _story_docs(store: Store, view: StoryView) -> list[compare.Doc]:
    """What the comparison reads of each member: text, headline, outlet, date, credits, language, analysis."""
    docs = []
    with store.reader() as rd:
        for m in view.members:
            a = store.article(m.article_id)
            docs.append(compare.Doc(a.id, a.text[:COMPARE_MAX_CHARS], a.meta.title, a.meta.outlet, a.meta.published.value, a.meta.credited,
                                    a.meta.language, rd.load_analysis(a.id)))
    return docs


def story_comparison(store: Store, story_id: str) -> Comparison:
    """A story's comparison: the stored one while the story's members and the analysis version are unchanged,
    else computed now (seconds) and stored for the next reader."""
    view = get_story(store, story_id)
    cached = stored_comparison(store, view.id, [m.article_id for m in view.members])
    if cached is not None:
        return cached
    compare_stories(store, [view.id])
    stored = stored_comparison(store, view.id, [m.article_id for m in view.members])
    assert stored is not None  # just stored
    return stored


def stale_stories(store: Store, min_size: int = 2) -> list[str]:
    """Stories of ``min_size`` or more articles whose stored comparison is missing or was computed for other
    members or another analysis version, biggest first."""
    with store.reader() as rd:
        members: dict[str, list[str]] = defaultdict(list)
        for m in rd.members():
            members[m.story_id].append(m.article_id)
        ids = sorted((sid for sid, aids in members.items() if len(aids) >= min_size), key=lambda sid: (-len(members[sid]), sid))
        stored: dict[str, tuple[str, int]] = {}
        for chunk in _chunks(ids, 500):  # SQL parameter limits
            stored |= rd.conflict_counts(list(chunk))
    return [sid for sid in ids if stored.get(sid, ("", 0))[0] != comparison_db.signature(members[sid], COMPARISON_INPUTS)]


def compare_stories(store: Store, story_ids: Sequence[str], workers: int = 1, progress: CompareProgress | None = None) -> int:
    """Compare each story and store its comparison, in ``workers`` processes when there are several stories (each
    worker runs only the pure comparison; this process reads the members and writes). Returns how many."""
    done = 0
    chunk_size = max(1, workers) * COMPARE_CHUNK_PER_WORKER
    pool = ProcessPoolExecutor(max_workers=min(workers, len(story_ids))) if workers > 1 and len(story_ids) > 1 else None
    try:
        for chunk in _chunks(story_ids, chunk_size):
            views = [get_story(store, sid) for sid in chunk]
            jobs = [(v.id, _story_docs(store, v)) for v in views]
            compared = []
            for comparison in pool.map(_compare_job, jobs) if pool else map(_compare_job, jobs):
                compared.append(comparison)
                done += 1
                if progress:
                    progress(done, len(story_ids))
            with store.transaction() as tx:  # short: the store is never held while comparisons run
                for view, comparison in zip(views, compared, strict=True):
                    _save_comparison(tx, view, comparison)
    finally:
        if pool:
            pool.shutdown()
    return done


def _save_comparison(tx: Writer, view: StoryView, comparison: Comparison) -> None:
    sig = comparison_db.signature([m.article_id for m in view.members], COMPARISON_INPUTS)
    tx.save_comparison(comparison_db.CachedComparison(view.id, sig, now_iso(), len(comparison.conflicts), comparison))


def _chunks(items: Iterable[str], size: int) -> Iterable[list[str]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _compare_job(job: tuple[str, list[compare.Doc]]) -> Comparison:
    """The pure step a worker runs: one story's docs → its comparison."""
    story_id, docs = job
    return compare.compare_story(story_id, docs)


def story_brief(store: Store, story_id: str) -> brief.Brief:
    """An extractive, cited brief of one story (uses the stored comparison, computing it if needed)."""
    view = get_story(store, story_id)
    comparison = story_comparison(store, view.id)
    texts = {m.article_id: store.article(m.article_id).text for m in view.members}
    return brief.make_brief(view, comparison, texts)


@dataclass(frozen=True, slots=True)
class StoredBrief:
    """A story's brief from its stored comparison, with that comparison (its summary) and the members' texts (to quote)."""

    brief: brief.Brief
    comparison: Comparison
    texts: dict[str, str]


def stored_brief(store: Store, story_id: str) -> StoredBrief | None:
    """The brief of a story from its stored comparison; None while that comparison is pending (never computes)."""
    view = get_story(store, story_id)
    comparison = stored_comparison(store, view.id, [m.article_id for m in view.members])
    if comparison is None:
        return None
    texts = {m.article_id: store.article(m.article_id).text for m in view.members}
    return StoredBrief(brief.make_brief(view, comparison, texts), comparison, texts)


def stored_comparison(store: Store, story_id: str, article_ids: Sequence[str] | None = None) -> Comparison | None:
    """The stored comparison of a story when it is current (same members, same analysis version); never
    computes. ``article_ids`` (the members, when the caller has them; ``story_id`` is then the full id) saves a read."""
    if article_ids is None:
        view = get_story(store, story_id)
        story_id, article_ids = view.id, [m.article_id for m in view.members]
    with store.reader() as rd:
        cached = rd.cached_comparison(story_id)
    return cached.comparison if cached is not None and cached.signature == comparison_db.signature(article_ids, COMPARISON_INPUTS) else None

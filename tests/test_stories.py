"""Story grouping on hand-written articles: signals, look-alike events, languages, time, order."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from crosswire.app.ingest import add_inputs
from crosswire.app.stories import list_stories, story_of
from crosswire.ingest.sources import expand_inputs
from crosswire.model import Article, DateSource, InputFormat, Metadata, Origin, PublishedDate
from crosswire.settings import Settings
from crosswire.storage.store import ArticleFilter, Store
from crosswire.stories.clusters import StoryIndex
from crosswire.stories.signals import StorySignals, proper_names, story_signals
from tests.conftest import write

FLOOD_1 = ("The river Orva burst its banks in Brask on Tuesday, flooding the lower town and forcing two hundred "
           "residents from their homes, fire chief Lena Harth said. Mayor Tomas Ekberg opened the Brask sports hall as a shelter.")
FLOOD_2 = ("Two hundred people were evacuated in Brask after the Orva flooded the lower town on Tuesday. Fire chief "
           "Lena Harth said the water rose faster than expected; Mayor Tomas Ekberg opened a shelter in the sports hall.")
FLOOD_DE = ("In Brask ist die Orva am Dienstag über die Ufer getreten und hat die Unterstadt überflutet. Zweihundert "
            "Bewohner mussten ihre Häuser verlassen, sagte Feuerwehrchefin Lena Harth. Bürgermeister Tomas Ekberg öffnete die Sporthalle.")
OTHER_FLOOD = ("The river Lenne burst its banks in Valdor on Friday, flooding the old harbour and forcing ninety residents "
               "from their homes, fire chief Piet Moland said. Mayor Anja Rusk opened the Valdor school as a shelter.")
QUAKE = ("A magnitude 5.8 earthquake shook the hill town of Merrow early on Sunday, cracking the walls of the old cathedral "
         "and cutting power to ten thousand homes, seismologist Ivo Randt said. Governor Pia Sollen sent army engineers to the dam.")
BANK = ("The central bank of Estria cut its main interest rate to 3.5 percent on Thursday, governor Ilka Devik said, "
        "citing slowing inflation and weak exports.")


def headline(text: str) -> str:
    """A headline for a hand-written text: its first clause (identical headlines would make any two texts look alike)."""
    return text.split(",")[0]


def article(aid: str, text: str, language: str = "en", published: str | None = None, title: str = "") -> Article:
    source = DateSource.STATED if published else DateSource.UNKNOWN
    meta = Metadata(title=title or text.split(",")[0], language=language, published=PublishedDate(published, source, ""))
    return Article(aid, Origin("file", aid), InputFormat.TEXT, text, meta)


def added_in_batches(db: Path, batches: list[list[str]]) -> Store:
    """A new store with the inputs added batch by batch (the caller closes it)."""
    settings = replace(Settings(), db_url=str(db))
    store = Store(settings.sqlalchemy_url)
    for batch in batches:
        add_inputs(expand_inputs(batch), settings, store)
    return store


def group(articles: list[Article], index: StoryIndex | None = None) -> list[str]:
    index = index or StoryIndex()
    return [index.add(s).story_id for s in story_signals(articles)]


def test_proper_names_skip_sentence_starts_and_common_words() -> None:
    names = proper_names("Officials said Brask was flooded. The mayor, Tomas Ekberg, met Lena Harth on Tuesday. Water rose.")
    assert names == frozenset({"brask", "tomas", "ekberg", "lena", "harth"})


def test_same_event_joins_and_look_alike_event_stays_apart() -> None:
    ids = group([article("a1", FLOOD_1), article("a2", FLOOD_2), article("b1", OTHER_FLOOD), article("c1", BANK)])
    assert ids[0] == ids[1]
    assert len({ids[0], ids[2], ids[3]}) == 3


def test_a_translation_joins_its_original() -> None:
    ids = group([article("a1", FLOOD_1), article("d1", FLOOD_DE, language="de")])
    assert ids[0] == ids[1]


def test_dated_articles_far_apart_are_different_stories_and_unknown_dates_never_block() -> None:
    ids = group([
        article("a1", FLOOD_1, published="2025-03-04"),
        article("a2", FLOOD_2, published="2025-06-20"),  # same words, three months later: another flood
        article("a3", FLOOD_2.replace("Two hundred", "About two hundred")),  # undated
    ])
    assert ids[0] != ids[1]
    assert ids[2] in (ids[0], ids[1])


class DictArchive:
    """The store's side of grouping, in memory: what a store-backed index flushed and where its articles are."""

    def __init__(self) -> None:
        from collections import Counter

        from crosswire.stories.clusters import GroupingRow

        self.rows: dict[str, GroupingRow] = {}
        self.signals: dict[str, StorySignals] = {}
        self.counts: Counter[str] = Counter()
        self.state: tuple[int, int | None] = (0, None)
        self.story: dict[str, str] = {}
        self.loads = 0

    def batch(self, index: StoryIndex, batch: list[StorySignals]) -> None:
        """Place a batch as ``assign_stories`` does and keep what it flushed."""
        index.prepare(batch)
        for s in batch:
            a = index.add(s)
            self.story[a.article_id] = a.story_id
            for moved in a.moved:
                self.story[moved.article_id] = moved.story_id
        w = index.flush()
        self.rows.update({r.article_id: r for r in w.rows})
        self.counts.update(w.counts)
        self.state = (w.seen, w.clock)
        self.signals.update({s.article_id: s for s in batch})

    def grouping_state(self) -> tuple[int, int | None]:
        return self.state

    def grouping_counts(self, keys: object) -> dict[str, int]:
        return {k: self.counts[k] for k in keys if k in self.counts}  # type: ignore[attr-defined]

    def week_members(self, weeks: object) -> list[tuple[str, str, int, int | None]]:
        from crosswire.stories.neighbours import week_of

        return [(a, self.story[a], r.seq, r.wday) for a, r in self.rows.items() if week_of(r.wday) in weeks]  # type: ignore[operator]

    def stored_members(self, story_ids: object) -> list:
        self.loads += 1
        found = [(self.signals[a], r, self.story[a]) for a, r in self.rows.items() if self.story[a] in story_ids]  # type: ignore[operator]
        return sorted(found, key=lambda t: t[1].seq)

    def story_exists(self, story_id: str) -> bool:
        return story_id in self.story.values()


def test_replaying_stored_assignments_continues_identically() -> None:
    arts = [article("a1", FLOOD_1), article("b1", OTHER_FLOOD), article("a2", FLOOD_2), article("c1", BANK)]
    signals = story_signals(arts)
    memory = StoryIndex()
    for s in signals:
        memory.add(s)
    archive = DictArchive()
    live = StoryIndex(archive=archive)
    archive.batch(live, signals[:3])
    rebuilt = StoryIndex(archive=archive)  # a new process: nothing in memory, the stored state only
    rebuilt.prepare(signals[3:])
    live.prepare(signals[3:])
    assert live.add(signals[3]) == rebuilt.add(signals[3])
    assert live.assignments() == rebuilt.assignments() == memory.assignments()


def synthetic_stream(n: int, days: int, seed: int = 3) -> list[StorySignals]:
    """Dated articles over some weeks: events of 1-6 articles sharing a direction in embedding space, names and
    figures, some undated."""
    from datetime import date, timedelta

    rng = np.random.default_rng(seed)
    out: list[StorySignals] = []
    event = 0
    while len(out) < n:
        center, day = rng.normal(size=16), date(2026, 1, 1) + timedelta(days=int(rng.integers(0, days)))
        names = [f"name{int(x)}" for x in rng.integers(0, 40, 3)]
        for _ in range(int(rng.integers(1, 7))):
            v = center + rng.normal(scale=0.6, size=16)
            own = sorted({*names[: int(rng.integers(1, 4))], f"name{int(rng.integers(0, 40))}"})
            published = None if rng.random() < 0.15 else (day + timedelta(days=int(rng.integers(0, 4)))).isoformat()
            out.append(StorySignals(f"x{len(out):05d}", (v / np.linalg.norm(v)).astype(np.float32),
                                    tuple((name, 1) for name in own), tuple((f"w{int(t)}", 1) for t in sorted(set(rng.integers(0, 60, 5)))),
                                    published, None, "en", None, frozenset({f"{event}.5"})))  # fmt: skip
        event += 1
    return out[:n]


@pytest.mark.parametrize("tiny_caches", [False, True])
def test_a_store_backed_index_that_forgets_old_weeks_groups_as_one_that_keeps_everything(tiny_caches: bool, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Memory bounded by the weeks a batch needs: stories of weeks no longer needed are dropped and loaded again
    from the stored state when an article of their window arrives (out of date order here), with the same result.
    With tiny caches, the word counts and pair signals not used lately are forgotten and read or computed again."""
    from crosswire.stories import clusters
    from crosswire.stories.clusters import StoryParams

    stream = synthetic_stream(400, days=140)
    stream = stream[:100] + sorted(stream[100:], key=lambda s: s.published or "")  # a back-fill, then a date-ordered feed
    memory = StoryIndex(StoryParams(neighbours=5))
    expected = [memory.add(s) for s in stream]
    if tiny_caches:
        monkeypatch.setattr(clusters, "DF_CACHE", 8)
        monkeypatch.setattr(clusters, "PAIR_CACHE", 4)
    archive = DictArchive()
    small = StoryIndex(StoryParams(neighbours=5, max_resident=30), archive=archive)
    got, resident = [], []
    for start in range(0, len(stream), 20):
        batch = stream[start : start + 20]
        small.prepare(batch)
        for s in batch:
            a = small.add(s)
            got.append(a)
            archive.story[a.article_id] = a.story_id
            archive.story.update({m.article_id: m.story_id for m in a.moved})
        w = small.flush()
        archive.rows.update({r.article_id: r for r in w.rows})
        archive.counts.update(w.counts)
        archive.state = (w.seen, w.clock)
        archive.signals.update({s.article_id: s for s in batch})
        resident.append(len(small._member_of))
    assert got == expected
    assert archive.story == memory.assignments()
    assert archive.loads > 3 and max(resident[8:]) < 200  # weeks were dropped (of 400 articles) and loaded again
    if tiny_caches:  # at a flush past 8 words, only the words the last batch used are kept (as the older generation)
        assert small.term_df.known == {} and set(small.term_df.older) == {t for s in stream[-20:] for t, _n in s.terms}
        assert len(small._pairs) <= 4 and len(small._older_pairs) <= 4
    else:
        assert len(small.term_df) == len(memory.term_df.known) == 60  # all 60 words of the stream
    assert len(set(archive.story.values())) < len(stream) / 2  # events were grouped, not left alone


def test_signals_are_deterministic() -> None:
    a, b = story_signals([article("a1", FLOOD_1)])[0], story_signals([article("a1", FLOOD_1)])[0]
    assert np.array_equal(a.embedding, b.embedding) and a.names == b.names and a.terms == b.terms
    assert isinstance(a, StorySignals) and abs(float(np.linalg.norm(a.embedding)) - 1.0) < 1e-3


def test_one_by_one_equals_one_batch(tmp_path: Path) -> None:
    texts = {"1.txt": FLOOD_1, "2.txt": OTHER_FLOOD, "3.txt": FLOOD_2, "4.txt": BANK}
    paths = [str(write(tmp_path / "in", name, f"{headline(text)}\n{text}\n")) for name, text in texts.items()]

    def run(db: str, batches: list[list[str]]) -> dict[str, str]:
        store = added_in_batches(tmp_path / db, batches)
        of = story_of(store)
        by_path = {a.origin.locator: of[a.id] for a in store.articles()}
        assert len(list_stories(store)) == len(set(by_path.values()))
        store.close()
        return by_path

    batch = run("batch.db", [paths])
    assert batch == run("single.db", [[p] for p in paths])
    assert batch[paths[0]] == batch[paths[2]] != batch[paths[3]]  # the two reports of one flood together, the bank apart


def test_a_restarted_store_and_one_grouped_before_arrivals_were_kept_continue_as_one_run(tmp_path: Path) -> None:
    """Grouping state comes from the store's arrival rows and counts, not from a replay: a new process after every
    article groups as one run does, and a store whose state is missing (grouped before migration 0013) gets it
    from one replay of its signals and continues the same — stored state included."""
    import sqlite3

    texts = {"1.txt": FLOOD_1, "2.txt": OTHER_FLOOD, "3.txt": FLOOD_2, "4.txt": BANK, "5.txt": FLOOD_DE}
    paths = [str(write(tmp_path / "in", name, f"{headline(text)}\n{text}\n")) for name, text in texts.items()]

    def state(db: Path) -> tuple[dict[str, str], list[tuple], list[tuple], list[tuple]]:
        with sqlite3.connect(db) as conn:
            stories = dict(conn.execute("SELECT a.url || a.title, m.story_id FROM story_members m JOIN articles a ON a.id = m.article_id"))
            arrivals = conn.execute("SELECT article_id, seq, day, wday, rarity FROM story_arrivals ORDER BY seq").fetchall()
            counts = conn.execute("SELECT key, n FROM story_counts ORDER BY key").fetchall()
            clock = conn.execute("SELECT seen, wday FROM story_clock").fetchall()
        return stories, arrivals, counts, clock

    added_in_batches(tmp_path / "one.db", [paths]).close()
    for p in paths:  # a new process for each article
        added_in_batches(tmp_path / "restarts.db", [[p]]).close()
    added_in_batches(tmp_path / "old.db", [paths[:3]]).close()
    with sqlite3.connect(tmp_path / "old.db") as conn:
        for table in ("story_arrivals", "story_counts", "story_clock"):
            conn.execute(f"DELETE FROM {table}")
    added_in_batches(tmp_path / "old.db", [paths[3:]]).close()
    one = state(tmp_path / "one.db")
    assert len(one[1]) == 5 and one[3] == [(5, None)] and ("n:brask", 3) in one[2]
    assert state(tmp_path / "restarts.db") == one
    assert state(tmp_path / "old.db") == one
    from crosswire.app.ingest import fill_grouping_state

    store = Store(replace(Settings(), db_url=str(tmp_path / "one.db")).sqlalchemy_url)
    with store.transaction() as tx:
        fill_grouping_state(tx, page=2)  # the replay, a page of two at a time, gives what grouping stored as it went
    store.close()
    assert state(tmp_path / "one.db") == one


def test_corrections_are_recorded_and_kept_by_later_additions(tmp_path: Path) -> None:
    from crosswire.app.stories import merge_stories, move_article, split_story, story_corrections

    settings = replace(Settings(), db_url=str(tmp_path / "fix.db"))
    store = Store(settings.sqlalchemy_url)
    paths = {k: str(write(tmp_path / "in", f"{k}.txt", f"{headline(t)}\n{t}\n")) for k, t in
             {"flood1": FLOOD_1, "other": QUAKE, "bank": BANK}.items()}
    add_inputs(expand_inputs(list(paths.values())), settings, store)
    ids = {a.origin.locator: a.id for a in store.articles()}
    of = story_of(store)
    flood, other, bank = (of[ids[paths[k]]] for k in ("flood1", "other", "bank"))
    assert len({flood, other, bank}) == 3

    merge_stories(store, flood, other, who="editor")  # an editor decides the two are one story
    assert story_of(store)[ids[paths["other"]]] == flood
    later = str(write(tmp_path / "in", "quake2.txt", f"{headline(QUAKE)}\n{QUAKE.replace('ten thousand', 'about ten thousand')}\n"))
    add_inputs(expand_inputs([later]), settings, store)  # a later article about the merged-in event
    [later_article] = store.articles(ArticleFilter(search="about ten thousand"))
    assert story_of(store)[later_article.id] == flood

    split = split_story(store, flood[:6], [ids[paths["other"]][:8]], who="editor")
    assert story_of(store)[ids[paths["other"]]] == split.story_id != flood
    move_article(store, ids[paths["bank"]], split.story_id, who="intern")
    assert story_of(store)[ids[paths["bank"]]] == split.story_id
    log = story_corrections(store, split.story_id)  # the split-off article got its old story id back
    assert split.story_id == other
    assert [(c.action, c.who) for c in log] == [("merge", "editor"), ("split", "editor"), ("move", "intern")]
    assert [(c.action, c.who) for c in story_corrections(store, flood)] == [("merge", "editor"), ("split", "editor")]
    store.close()


def test_regrouping_from_scratch_is_stable_and_keeps_corrections(tmp_path: Path) -> None:
    from crosswire.app.stories import merge_stories, move_article, regroup
    from crosswire.stories.clusters import StoryParams

    settings = replace(Settings(), db_url=str(tmp_path / "re.db"))
    store = Store(settings.sqlalchemy_url)
    paths = {k: str(write(tmp_path / "in", f"{k}.txt", f"{headline(t)}\n{t}\n")) for k, t in
             {"flood1": FLOOD_1, "other": QUAKE, "bank": BANK}.items()}
    add_inputs(expand_inputs(list(paths.values())), settings, store)
    ids = {k: next(a.id for a in store.articles() if a.origin.locator == p) for k, p in paths.items()}
    grouped = story_of(store)

    report = regroup(store)  # nothing changed: the same grouping comes back
    assert story_of(store) == grouped and report.moved_by_grouping == 0 and report.corrections_applied == 0

    merge_stories(store, grouped[ids["flood1"]], grouped[ids["other"]], who="editor")
    move_article(store, ids["bank"], grouped[ids["flood1"]], who="intern")
    corrected = story_of(store)
    assert len(set(corrected.values())) == 1

    # a regroup with another threshold would split everything apart; the people's corrections are re-applied
    report = regroup(store, StoryParams(threshold=0.99))
    assert report.corrections_applied == 2
    assert story_of(store) == corrected
    store.close()


def test_bad_corrections_are_refused(tmp_path: Path) -> None:
    import pytest

    from crosswire.app.stories import merge_stories, split_story
    from crosswire.errors import Conflict, NotFound

    settings = replace(Settings(), db_url=str(tmp_path / "bad.db"))
    store = Store(settings.sqlalchemy_url)
    add_inputs(expand_inputs([str(write(tmp_path, "a.txt", f"Headline\n{FLOOD_1}\n"))]), settings, store)
    [view] = list_stories(store)
    with pytest.raises(Conflict, match="itself"):
        merge_stories(store, view.id, view.id, who="x")
    with pytest.raises(Conflict, match="nothing behind"):
        split_story(store, view.id, [view.members[0].article_id], who="x")
    with pytest.raises(NotFound):
        merge_stories(store, view.id, "snope", who="x")
    store.close()


def test_signals_keep_name_counts_figures_and_the_headline() -> None:
    [s] = story_signals([article("a1", FLOOD_1 + " The score, said Harth, was 31-24.", title="Orva floods Brask")])
    assert dict(s.names)["harth"] == 2 and dict(s.names)["brask"] == 2
    assert {"31-24"} <= s.numbers and "two" not in s.numbers
    assert s.title_embedding is not None and s.title_embedding.shape == s.embedding.shape


def test_the_shipped_pair_model_separates_a_look_alike_event() -> None:
    from crosswire.stories.clusters import FEATURES, load_model, pair_similarity

    model = load_model()
    assert set(model.weights) == set(FEATURES) and 0 < model.threshold < 1 and "ECB+" in model.trained_on
    a1, a2, b1, c1 = story_signals([article("a1", FLOOD_1), article("a2", FLOOD_2), article("b1", OTHER_FLOOD), article("c1", BANK)])
    same, look_alike, unrelated = pair_similarity(a1, a2), pair_similarity(a1, b1), pair_similarity(a1, c1)
    assert same >= model.threshold > look_alike > unrelated


def test_a_story_score_is_the_mean_of_its_members_pair_signals() -> None:
    from crosswire.stories.clusters import _Story

    x, a, b = story_signals([article("a2", FLOOD_2), article("a1", FLOOD_1), article("b1", OTHER_FLOOD)])
    index = StoryIndex()
    for s in (x, a, b):
        index._count(s)
    both, only_a, only_b = _Story("ab"), _Story("a"), _Story("b")
    for story, members in ((both, (a, b)), (only_a, (a,)), (only_b, (b,))):
        for m in members:
            story.absorb(index._member(m))
    mean = index.features(x, both)
    fa, fb = index.features(x, only_a), index.features(x, only_b)
    for key, value in mean.items():
        assert abs(value - (fa[key] + fb[key]) / 2) < 1e-6, key
    link = index.link(only_a, only_b)
    assert all(abs(v - index.link(only_b, only_a)[k]) < 1e-6 for k, v in link.items())  # symmetric


def test_an_article_linking_two_stories_merges_them_unless_a_person_corrected_one() -> None:
    from crosswire.stories.clusters import FEATURES, StoryModel, StoryParams

    # a model that only looks at shared names, so the texts below decide the outcome without embeddings
    model = StoryModel({**dict.fromkeys(FEATURES, 0.0), "bias": -2.0, "names_share": 8.0}, 0.5)
    first = StorySignals("a" * 16, np.ones(4, np.float32) / 2, (("orva", 1), ("brask", 1)), (), None, None, "en")
    second = StorySignals("b" * 16, np.ones(4, np.float32) / 2, (("harth", 1), ("ekberg", 1)), (), None, None, "en")
    bridge = StorySignals("c" * 16, np.ones(4, np.float32) / 2, (("orva", 1), ("brask", 1), ("harth", 1), ("ekberg", 1)),
                          (), None, None, "en")  # fmt: skip
    for locked, expected in ((False, 1), (True, 2)):
        index = StoryIndex(StoryParams(model=model))
        a, b = index.add(first), index.add(second)
        assert a.new_story and b.new_story
        if locked:
            index.locked = {b.story_id}
        c = index.add(bridge)
        assert len(index.stories) == expected
        if not locked:
            assert c.story_id == a.story_id and c.merged == (b.story_id,)  # the older story keeps its id


def test_an_article_that_ties_an_earlier_one_closer_to_itself_moves_it() -> None:
    from crosswire.stories.clusters import FEATURES, StoryModel, StoryParams

    # names only (a pair joins at a rarity-weighted share of shared names of 0.25): p2 shares "orva" with p1, then
    # p3 shares "harth" with p2 a little more strongly, and p1 is too far from p3 to hold the three together
    model = StoryModel({**dict.fromkeys(FEATURES, 0.0), "bias": -2.0, "names_share": 8.0}, 0.5)

    def signals(aid: str, names: str) -> StorySignals:
        return StorySignals(aid * 16, np.ones(4, np.float32) / 2, tuple((n, 1) for n in names.split()), (), None, None, "en")

    index = StoryIndex(StoryParams(model=model))
    p1, p2 = index.add(signals("a", "orva brask")), index.add(signals("b", "orva harth ekberg"))
    assert p2.story_id == p1.story_id and not p2.new_story
    p3 = index.add(signals("c", "harth tolle"))
    assert [m.article_id for m in p3.moved] == ["b" * 16] and p3.moved[0].story_id == p3.story_id != p1.story_id
    assert p3.moved[0].shared_names == ("harth",) and p3.shared_names == ("harth",) and not p3.new_story
    assert index.assignments() == {"a" * 16: p1.story_id, "b" * 16: p3.story_id, "c" * 16: p3.story_id}
    assert p3.story_id == "s" + "b" * 12  # p1's story keeps its id; the new one takes its first article's


def test_the_reasons_name_only_what_the_story_already_had() -> None:
    index = StoryIndex()
    a, b = story_signals([article("a1", FLOOD_1), article("a2", FLOOD_2)])
    first, second = index.add(a), index.add(b)
    assert second.story_id == first.story_id and second.shared_names
    assert set(second.shared_names) <= a.name_set & b.name_set


def test_a_move_by_regrouping_is_stored_and_the_same_one_by_one_or_in_one_batch(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from crosswire.app.stories import get_story
    from crosswire.stories import clusters

    # the names-only model of the unit test above, through the whole add workflow and the store
    names_only = clusters.StoryModel({**dict.fromkeys(clusters.FEATURES, 0.0), "bias": -2.0, "names_share": 8.0}, 0.5)
    monkeypatch.setattr(clusters, "load_model", lambda: names_only)
    texts = {"1.txt": "Rain fell on Orva and on Brask all week.", "2.txt": "The road from Orva to Harth and Ekberg was shut.",
             "3.txt": "Crews from Harth and from Tolle cleared it."}  # fmt: skip
    paths = [str(write(tmp_path / "in", name, f"Report {name[0]}\n{text}\n")) for name, text in texts.items()]

    def run(db: str, batches: list[list[str]]) -> dict[str, str]:
        store = added_in_batches(tmp_path / db, batches)
        of = story_of(store)
        by_path = {Path(a.origin.locator).name: of[a.id] for a in store.articles()}
        moved = next(a.id for a in store.articles() if a.origin.locator == paths[1])
        member = next(m for m in get_story(store, by_path["2.txt"]).members if m.article_id == moved)
        assert member.shared_names == ("harth",) and not member.new_story  # its reasons follow it
        store.close()
        return by_path

    batch = run("batch.db", [paths])
    assert batch == run("single.db", [[p] for p in paths])
    assert batch["1.txt"] != batch["2.txt"] == batch["3.txt"]


def test_dropping_the_pair_cache_changes_nothing(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from crosswire.stories import clusters

    signals = story_signals([article("a1", FLOOD_1), article("b1", OTHER_FLOOD), article("a2", FLOOD_2), article("q1", QUAKE),
                             article("d1", FLOOD_DE, language="de"), article("c1", BANK)])  # fmt: skip
    full = StoryIndex()
    for s in signals:
        full.add(s)
    monkeypatch.setattr(clusters, "PAIR_CACHE", 1)
    small = StoryIndex()
    for s in signals:
        small.add(s)
    assert full.assignments() == small.assignments() and len(small._pairs) <= 1
    assert len(set(full.assignments().values())) == 4  # the flood in two languages, the other flood, the quake, the bank


def test_a_fresh_story_id_never_takes_a_live_one() -> None:
    """Regrouping churn can leave both an article's id and its id-with-arrival taken by live stories; the new story
    must get another id, or it would overwrite a live story and lose its articles (seen on ECB+ with a retrained
    model: an article missing from the final assignments)."""
    index = StoryIndex()
    s = StorySignals("a1", np.ones(4, dtype=np.float32) / 2, (("kharkiv", 2),), (("drone", 1),), None, None, "en")
    index._count(s)
    member = index._member(s)
    live = {"sa1", f"sa1-{member.seq}", f"sa1-{member.seq}-1"}
    sid = index._fresh_id([member], live.__contains__)
    assert sid == f"sa1-{member.seq}-2"
    assert index._fresh_id([member], set().__contains__) == "sa1"


def test_a_full_story_id_is_never_ambiguous_with_a_longer_one() -> None:
    """'sX' and 'sX-491' both exist (a regrouped story named by its first article's arrival): 'sX' is that story, not an
    ambiguous prefix — `crosswire add` of 1,000 real articles stopped on this when comparing its stories."""
    from sqlalchemy import create_engine

    from crosswire.storage.browse import story_ids_like
    from crosswire.storage.schema import story_members

    engine = create_engine("sqlite://")
    story_members.create(engine)
    with engine.begin() as conn:
        for seq, (article, story) in enumerate((("a1", "sc7ff295ffb6d"), ("a2", "sc7ff295ffb6d-491"))):
            conn.execute(story_members.insert().values(article_id=article, story_id=story, seq=seq, score=1.0,
                                                       embedding_sim=1.0, names_sim=1.0, shared_names="[]", new_story=True))
        assert story_ids_like(conn, "sc7ff295ffb6d") == ["sc7ff295ffb6d"]
        assert story_ids_like(conn, "sc7ff295ffb6d-491") == ["sc7ff295ffb6d-491"]
        assert story_ids_like(conn, "sc7ff") == ["sc7ff295ffb6d", "sc7ff295ffb6d-491"]  # a real prefix: still ambiguous


def test_a_correction_made_by_another_process_during_a_long_add_is_kept(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A long ``add`` keeps its grouping index between batches. A person splitting a story in the web (another
    process, another Store) between two batches must be seen by the next batch: the index kept from before the
    correction would regroup the article they moved back where it was, undoing their decision."""
    from crosswire.app.stories import split_story
    from crosswire.stories import clusters

    names_only = clusters.StoryModel({**dict.fromkeys(clusters.FEATURES, 0.0), "bias": -2.0, "names_share": 8.0}, 0.5)
    monkeypatch.setattr(clusters, "load_model", lambda: names_only)
    texts = {"1.txt": "Rain fell on Orva and on Brask all week.", "2.txt": "The road from Orva to Harth and Ekberg was shut.",
             "3.txt": "Crews from Harth and from Tolle cleared it."}  # fmt: skip
    paths = [str(write(tmp_path / "in", name, f"Report {name[0]}\n{text}\n")) for name, text in texts.items()]
    settings = replace(Settings(), db_url=str(tmp_path / "s.db"))
    adding, web = Store(settings.sqlalchemy_url), Store(settings.sqlalchemy_url)
    add_inputs(expand_inputs(paths[:2]), settings, adding)
    ids = {Path(a.origin.locator).name: a.id for a in adding.articles()}
    first = story_of(adding)
    assert first[ids["1.txt"]] == first[ids["2.txt"]]  # "Orva" joins them
    correction = split_story(web, first[ids["1.txt"]], [ids["2.txt"]], who="editor")  # the person: 2 is another event
    add_inputs(expand_inputs(paths[2:]), settings, adding)  # the same process goes on
    after = story_of(adding)
    assert after[ids["2.txt"]] == correction.story_id != after[ids["1.txt"]] == first[ids["1.txt"]]
    third = next(a.id for a in adding.articles() if a.origin.locator == paths[2])
    assert after[third] == correction.story_id  # "Harth" takes it to the corrected story, which is not regrouped
    adding.close()
    web.close()


def test_the_grouping_resident_setting_bounds_the_kept_index(tmp_path: Path) -> None:
    paths = [str(write(tmp_path / "in", f"{i}.txt", f"Report {i}\n{text}\n")) for i, text in enumerate((FLOOD_1, QUAKE))]
    settings = replace(Settings(), db_url=str(tmp_path / "s.db"), grouping_resident=2_500)
    store = Store(settings.sqlalchemy_url)
    add_inputs(expand_inputs(paths), settings, store)
    index = store.cached_story_index(store.generation())
    assert isinstance(index, StoryIndex) and index.params.max_resident == 2_500 and len(index._member_of) == 2
    store.close()

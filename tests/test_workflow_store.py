"""The add workflow and the store: identity, duplicates, outlet templates, transactions, migrations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from crosswire.app.ingest import add_inputs
from crosswire.ingest.sources import expand_inputs
from crosswire.settings import Settings
from crosswire.storage import store as store_module
from crosswire.storage.schema import metadata
from crosswire.storage.store import ArticleFilter, Store
from tests.conftest import write

BODY = (
    "The river Orva burst its banks on Tuesday, flooding the lower town of Brask and forcing "
    "two hundred residents to leave their homes, the regional fire service said.\n\n"
    "\"The water rose faster than anyone expected,\" fire chief Lena Harth told reporters.\n"
)


def article(title: str, outlet: str, body: str = BODY, footer: str = "") -> str:
    return f"{title}\n{outlet}\n{body}{footer}"


def add(paths: list[str], settings: Settings, store: Store):
    return add_inputs(expand_inputs(paths), settings, store)


def test_same_input_twice_changes_nothing_and_records_new_origin(tmp_path: Path, settings: Settings, store: Store) -> None:
    a = write(tmp_path, "a.txt", article("Orva Floods Brask", "Valley Courier"))
    b = write(tmp_path, "copy/a-again.txt", article("Orva Floods Brask", "Valley Courier"))
    first = add([str(a)], settings, store)
    second = add([str(a), str(b)], settings, store)
    assert [o.status for o in first.outcomes] == ["added"]
    assert [o.status for o in second.outcomes] == ["unchanged", "unchanged"]
    assert store.count_articles() == 1
    aid = first.outcomes[0].article_id
    assert [o.locator for o in store.origins(aid)] == [str(a), str(b)]


def test_same_content_same_outlet_is_a_duplicate_other_outlet_a_flagged_copy(tmp_path: Path, settings: Settings, store: Store) -> None:
    original = write(tmp_path, "1.txt", article("Orva Floods Brask", "Valley Courier"))
    reformatted = write(tmp_path, "2.md", "# Orva Floods Brask\n\nValley Courier\n\n" + BODY.replace("\n\n", "\n\n\n"))
    syndicated = write(tmp_path, "3.txt", article("Orva Floods Brask", "Coast Gazette"))
    report = add([str(original), str(reformatted), str(syndicated)], settings, store)
    statuses = [o.status for o in report.outcomes]
    assert statuses == ["added", "duplicate", "added"]
    first_id = report.outcomes[0].article_id
    assert report.outcomes[1].article_id == first_id
    assert "verbatim copy of " + first_id in report.outcomes[2].detail
    copy = store.article(report.outcomes[2].article_id)
    assert copy.duplicate_of == first_id and copy.meta.outlet == "Coast Gazette"


def test_lines_repeated_in_three_articles_of_an_outlet_become_template(tmp_path: Path, settings: Settings, store: Store) -> None:
    footer = "\nThe Valley Courier is an independent paper serving Brask since 1920\n"
    bodies = [
        BODY,
        "A new bridge over the Orva opened on Monday after three years of work, the mayor of Brask said at the ceremony.\n",
        "The Brask town council approved a budget for a new school on the east bank of the river Orva on Friday.\n",
    ]
    paths = [write(tmp_path, f"{i}.txt", article(f"Story {i} Here", "Valley Courier", body, footer)) for i, body in enumerate(bodies)]
    add([str(paths[0]), str(paths[1])], settings, store)
    assert all("independent paper" in a.text for a in store.articles())  # seen twice: not yet template
    add([str(paths[2])], settings, store)
    arts = store.articles(with_removed=True)
    assert len(arts) == 3
    for a in arts:
        assert "independent paper" not in a.text
        assert any(r.reason == "template" and "independent paper" in r.text for r in a.removed)
    other = write(tmp_path, "other.txt", article("Other Outlet Story", "Coast Gazette", BODY, footer))
    add([str(other)], settings, store)
    assert "independent paper" in store.articles(ArticleFilter(outlet="coast gazette"))[0].text


def test_a_failing_batch_writes_nothing(tmp_path: Path, settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    good = write(tmp_path, "good.txt", article("Orva Floods Brask", "Valley Courier"))
    original = store_module.Writer.add_outlet_lines

    def boom(self, *args, **kwargs):  # the crash happens after the article row was inserted
        original(self, *args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(store_module.Writer, "add_outlet_lines", boom)
    with pytest.raises(KeyboardInterrupt):
        add([str(good)], settings, store)
    assert store.count_articles() == 0
    monkeypatch.undo()
    assert [o.status for o in add([str(good)], settings, store).outcomes] == ["added"]


def test_rejections_are_stored_once_with_a_counter(tmp_path: Path, settings: Settings, store: Store) -> None:
    empty = write(tmp_path, "empty.txt", "")
    add([str(empty)], settings, store)
    add([str(empty)], settings, store)
    [rej] = store.rejections()
    assert rej.origin.locator == str(empty) and "empty" in rej.reason and rej.times == 2


def test_filters_and_id_prefix(tmp_path: Path, settings: Settings, store: Store) -> None:
    lines = [
        {"id": "x1", "title": "Flood in Brask", "text": BODY, "outlet": "Valley Courier", "published": "2025-03-02", "language": "en"},
        {"id": "x2", "title": "Bridge opens", "text": "A new bridge over the Orva opened on Monday, the mayor said at the opening ceremony.", "outlet": "Coast Gazette", "published": "2025-03-09"},
    ]
    src = write(tmp_path, "in.jsonl", "\n".join(json.dumps(x) for x in lines))
    add([str(src)], settings, store)
    assert [a.external_id for a in store.articles(ArticleFilter(since="2025-03-05"))] == ["x2"]
    assert [a.external_id for a in store.articles(ArticleFilter(until="2025-03-05"))] == ["x1"]
    assert [a.external_id for a in store.articles(ArticleFilter(search="BRIDGE"))] == ["x2"]
    assert [a.external_id for a in store.articles(ArticleFilter(outlet="valley courier"))] == ["x1"]
    x2 = store.articles(ArticleFilter(search="bridge"))[0]
    assert store.article(x2.id[:6]).id == x2.id
    assert x2.meta.published.source == "metadata"


FTS_TABLES = ("article_search", "article_search_data", "article_search_idx", "article_search_content",
              "article_search_docsize", "article_search_config")  # fmt: skip  (FTS5 and its shadow tables: SQLite-only, not declarable)


def test_migrations_create_exactly_the_declared_schema(store: Store) -> None:
    declarable = {"include_name": lambda name, kind, _parent: not (kind == "table" and name in FTS_TABLES)}
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts=declarable), metadata)
    assert diff == []


def test_sqlite_runs_in_wal_mode(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_same_outlet_new_headline_is_kept_as_its_own_article(tmp_path: Path, settings: Settings, store: Store) -> None:
    first = write(tmp_path, "1.txt", article("Orva Floods Brask", "Valley Courier"))
    retitled = write(tmp_path, "2.txt", article("Brask Evacuated as Orva Floods", "Valley Courier"))
    report = add([str(first), str(retitled)], settings, store)
    assert [o.status for o in report.outcomes] == ["added", "added"]
    assert "same text, new headline of " + report.outcomes[0].article_id in report.outcomes[1].detail


def test_parallel_processing_gives_the_serial_result(tmp_path: Path) -> None:
    from crosswire.model import InputFormat, Origin, RawDocument
    from crosswire.pipeline.runner import PARALLEL_MIN_DOCUMENTS, process_documents

    raws = [
        RawDocument(Origin("file", f"{i}.txt"), InputFormat.TEXT, article(f"Story Number {i}", "Valley Courier", BODY.replace("two hundred", f"{i} hundred")))
        for i in range(PARALLEL_MIN_DOCUMENTS + 5)
    ]
    raws.append(RawDocument(Origin("file", "empty.txt"), InputFormat.TEXT, "Share This Article"))
    serial = process_documents(raws, workers=1)
    parallel = process_documents(raws, workers=2)
    assert parallel == serial
    assert [r.origin.locator for r, _ in parallel] == [r.origin.locator for r in raws]
    assert type(parallel[-1][1]).__name__ == "Rejected"


def test_one_big_input_is_written_in_batches_as_it_is_read(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """A JSONL of 5 articles with batches of 2: three transactions, the first before the file is read to its end."""
    import json as _json

    from crosswire.app import ingest
    from crosswire.ingest.sources import expand_inputs
    from crosswire.settings import Settings
    from crosswire.storage.store import Store

    lines = [_json.dumps({"id": f"n{i}", "title": f"Harbour note {i}", "text": f"Ferry {i} sailed at {i} o'clock "
                          f"from pier {i} with {i * 7} passengers aboard, the port office said on day {i}."}) for i in range(5)]
    path = tmp_path / "notes.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    settings = Settings(db_url=f"sqlite:///{tmp_path / 's.db'}", workers=1, batch_size=2)
    store = Store(settings.db_url)
    sizes: list[int] = []
    real = ingest.write_batch

    def spy(store_, batch, settings_):  # noqa: ANN001, ANN202
        batch = list(batch)
        sizes.append(len(batch))
        return real(store_, batch, settings_)

    monkeypatch.setattr(ingest, "write_batch", spy)
    report = ingest.add_inputs(expand_inputs([str(path)]), settings, store)
    assert sizes == [2, 2, 1] and report.count("added") == 5

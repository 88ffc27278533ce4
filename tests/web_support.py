"""Shared by the web tests: the demo corpus (and the seed story) ingested once per session, copied per test;
key → article id. Ingest compares every story it changed, so these stores hold their comparisons."""

from __future__ import annotations

import json
import shutil
import tempfile
from functools import cache
from pathlib import Path

from crosswire.app.ingest import add_inputs
from crosswire.app.reading import demo_corpus_path
from crosswire.app.stories import story_of
from crosswire.ingest.sources import expand_inputs
from crosswire.settings import Settings
from crosswire.storage.store import Store

EXPECTED = json.loads((demo_corpus_path().parent / "EXPECTED.json").read_text("utf-8"))
TOKEN = "test-token-7f3a"


@cache
def demo_db() -> tuple[Path, dict[str, str], dict[str, str]]:
    """(demo store file, demo key → article id, demo key → story id), built once per test process."""
    db = Path(tempfile.mkdtemp(prefix="crosswire-web-")) / "demo.db"
    settings = Settings.from_env(env={}, db_url=str(db))
    store = Store(settings.sqlalchemy_url)
    report = add_inputs(expand_inputs([str(demo_corpus_path())]), settings, store)
    assert not report.failures, report.failures
    keys: dict[str, str] = {}
    for article in store.articles():
        origin = store.origins(article.id)[0]
        name, item = Path(origin.locator).name, origin.item
        [case] = [c for c in EXPECTED["articles"] if c["file"] == name and (c["item"] is None or c["item"] == item)]
        keys[case["key"]] = article.id
    stories = story_of(store)
    store.close()
    return db, keys, {k: stories[a] for k, a in keys.items()}


SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "seeds"


@cache
def seed_db() -> tuple[Path, dict[str, str], str]:
    """(store of the five seed files, file prefix "000".."004" → article id, story id of 000's story)."""
    db = Path(tempfile.mkdtemp(prefix="crosswire-seeds-")) / "seeds.db"
    settings = Settings.from_env(env={}, db_url=str(db))
    store = Store(settings.sqlalchemy_url)
    report = add_inputs(expand_inputs([str(p) for p in sorted(SEEDS.glob("*.txt"))]), settings, store)
    assert not report.failures, report.failures
    ids = {Path(store.origins(a.id)[0].locator).name[:3]: a.id for a in store.articles()}
    story = story_of(store)[ids["000"]]
    store.close()
    return db, ids, story


def copy_db(source: Path, target_dir: Path) -> Path:
    """A private copy of a closed store file, so a test may write to it."""
    target = target_dir / "copy.db"
    shutil.copyfile(source, target)
    return target


def web_settings(db: Path, token: str | None = TOKEN, **overrides: object) -> Settings:
    """Settings for an app over ``db`` (no environment), with the test token unless told otherwise."""
    return Settings.from_env(env={}, db_url=str(db), api_token=token, workers=1, **overrides)

"""Shared fixtures: settings and a store in a temporary directory, paths to the shared data."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from crosswire.settings import Settings
from crosswire.storage.store import Store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
SEEDS = SHARED / "seeds"


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, dict]:
    """The user's five seed articles added once to a store: the store, and each seed's (Article, Analysis) by its
    file-name prefix ("000" … "004")."""
    from crosswire.app import ingest, reading
    from crosswire.ingest.sources import expand_inputs

    db = tmp_path_factory.mktemp("seeds") / "s.db"
    settings = Settings(db_url=f"sqlite:///{db}", workers=1)
    store = Store(settings.db_url)
    report = ingest.add_inputs(expand_inputs([str(SEEDS)]), settings, store)
    assert report.count("added") == 5
    out = {}
    for a in store.articles():
        analysis = reading.article_analysis(store, a.id)
        assert analysis is not None and analysis.analysed
        out[a.origin.locator.rsplit("/", 1)[-1][:3]] = (a, analysis)
    return store, out


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Defaults with the store in tmp_path and a small input limit, so size tests stay fast."""
    return replace(Settings(), db_url=str(tmp_path / "test.db"), max_input_bytes=2 * 1024 * 1024)


@pytest.fixture
def store(settings: Settings) -> Store:
    """A migrated, empty store."""
    s = Store(settings.sqlalchemy_url)
    yield s
    s.close()


def write(directory: Path, name: str, content: str | bytes) -> Path:
    """Write a test input file and return its path."""
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path

"""The use-cases the CLI, the web and Python users call — the only place stages meet storage.

``ingest`` (add inputs: stream, stages in workers, short ordered writes), ``stories`` (grouping views and
corrections), ``comparison`` (compare stories, stored comparisons, briefs) and ``reading`` (articles,
statements, entities, timelines, search, export). Import the module you need; nothing here loads a model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crosswire.settings import Settings
    from crosswire.storage.store import Store


def open_store(settings: Settings, on_wait: Callable[[float], None] | None = None) -> Store:
    """The store named by the settings, migrated to the current schema (``on_wait``: told while another process
    holds its write lock)."""
    from crosswire.storage.store import Store

    return Store(settings.sqlalchemy_url, on_wait=on_wait)

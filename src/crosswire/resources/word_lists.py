"""The stop-word and not-a-name lists of ``stopwords.toml``, each read once per process."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def _lists() -> dict[str, Any]:
    return tomllib.loads(files("crosswire.resources").joinpath("stopwords.toml").read_text("utf-8"))


@cache
def word_list(name: str) -> frozenset[str]:
    """One named list of ``stopwords.toml`` (``story_terms``, ``compare_stop`` …) as a set of lower-case words."""
    return frozenset(_lists()[name]["words"].split())

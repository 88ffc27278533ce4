"""Word lists and patterns from ``crosswire/resources``, loaded once and compiled."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Compiled boilerplate rules and outlet tables."""

    lines: tuple[tuple[str, re.Pattern[str]], ...]  # (category, pattern)
    blocks: tuple[re.Pattern[str], ...]
    teaser_prefixes: tuple[re.Pattern[str], ...]
    trailing: tuple[str, ...]
    agencies: dict[str, str]  # spelling → canonical name
    domains: dict[str, str]  # host → outlet name
    not_authors: tuple[re.Pattern[str], ...]

    def agency(self, name: str) -> str | None:
        """The canonical agency for ``name`` ("Agence France-Presse" → "AFP"), or None."""
        name = name.strip(" .,;:()[]*")
        if name in self.agencies:
            return self.agencies[name]
        lowered = {k.lower(): v for k, v in self.agencies.items() if len(k) > 4}
        return lowered.get(name.lower())

    def is_person_name(self, name: str) -> bool:
        """False for site names, desks and generic credits that are not people."""
        low = name.lower().strip()
        return bool(low) and not any(p.fullmatch(low) for p in self.not_authors)


def _read(name: str) -> dict:
    return tomllib.loads(files("crosswire.resources").joinpath(name).read_text("utf-8"))


@cache
def load_lexicon() -> Lexicon:
    """The lexicon shipped with crosswire (read once per process)."""
    bp, outlets = _read("boilerplate.toml"), _read("outlets.toml")
    lines = tuple((cat, re.compile(p)) for cat, pats in bp["lines"].items() for p in pats)
    return Lexicon(
        lines=lines,
        blocks=tuple(re.compile(p) for pats in bp["blocks"].values() for p in pats),
        teaser_prefixes=tuple(re.compile(p) for p in bp["inline_teasers"]["prefixes"]),
        trailing=tuple(bp["trailing"]["phrases"]),
        agencies=dict(outlets["agencies"]),
        domains=dict(outlets["domains"]),
        not_authors=tuple(re.compile(p) for p in outlets["not_authors"]["patterns"]),
    )

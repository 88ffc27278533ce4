"""The cue lexicon (``resources/cues.toml``): which words introduce an attribution."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Cues:
    speech: frozenset[str]
    cognition: frozenset[str]
    finding: frozenset[str]
    stance: frozenset[str]
    according_to: tuple[str, ...]
    venue_nouns: frozenset[str]
    nouns: frozenset[str] = frozenset()  # "Trump's criticism of …", "her claim that …"
    learned_forms: frozenset[str] = frozenset()  # verb forms learned from PolNeAR train (cues_learned.toml)

    @property
    def verbs(self) -> frozenset[str]:
        return self.speech | self.cognition | self.finding | self.stance


@cache
def load_cues() -> Cues:
    """The packaged lexicon, read once."""
    data = tomllib.loads(resources.files("crosswire.resources").joinpath("cues.toml").read_text(encoding="utf-8"))
    verbs = data["verbs"]
    return Cues(
        frozenset(verbs["speech"]),
        frozenset(verbs["cognition"]),
        frozenset(verbs["finding"]),
        frozenset(verbs["stance"]),
        tuple(data["phrases"]["according_to"]),
        frozenset(data["venues"]["nouns"]),
        frozenset(data["nouns"]["cue"]),
        frozenset(tomllib.loads(_read("cues_learned.toml"))["forms"]),
    )


def _read(name: str) -> str:
    return resources.files("crosswire.resources").joinpath(name).read_text(encoding="utf-8")

"""Entity pages at readable addresses: ``/entities/vladimir-putin`` rather than the internal key
(``person:vladimir putin``, whose name part is folded for matching and may read ``tomas reik`` for Tomas Reyk).

A slug is the entity's name, case-folded, every run of non-word characters a hyphen (letters of any script
kept). People, the usual reason to open an entity page, get the bare slug; other kinds add ``?kind=`` so a
place and an organisation of the same name stay apart. A key in the address (an old link) redirects.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from crosswire.app import reading
from crosswire.errors import NotFound
from crosswire.storage.analysis import EntityRow
from crosswire.storage.store import Store

DEFAULT_KIND = "person"


def entity_slug(name: str) -> str:
    """'Vladimir Putin' → 'vladimir-putin'; 'Jean-Luc Mélenchon' → 'jean-luc-mélenchon'."""
    return re.sub(r"[\W_]+", "-", name.casefold()).strip("-")


def entity_path(key: str, name: str | None = None) -> str:
    """The entity page's path: the slug of ``name`` (else of the key's name part), with its kind unless a person."""
    kind, _, folded = key.partition(":")
    path = "/entities/" + quote(entity_slug(name or folded) or "-", safe="")
    return path if kind == DEFAULT_KIND or not folded else f"{path}?kind={quote(kind, safe='')}"


def find_entity(store: Store, slug: str, kind: str | None = None) -> EntityRow:
    """The entity a slug names (by its name, a spelling of it, or its key): a person before other kinds, then the
    most mentioned; NotFound when none."""
    words = [w for w in slug.split("-") if w]
    rows = reading.entities(store, kind=kind, search=max(words, key=len)) if words else []
    hits = [r for r in rows if _names(r, slug)]
    if not hits and words:  # a spelling SQL's lower() cannot fold (non-ASCII capitals): look at every entity
        hits = [r for r in reading.entities(store, kind=kind) if _names(r, slug)]
    if not hits:
        raise NotFound(f"no entity named {slug!r}; `crosswire entities --search NAME` lists them")
    return min(hits, key=lambda r: (r.entity.kind != DEFAULT_KIND, -r.articles, -r.mentions, r.entity.key))


def _names(r: EntityRow, slug: str) -> bool:
    e = r.entity
    return slug in {entity_slug(e.name), entity_slug(e.key.partition(":")[2]), *(entity_slug(v) for v in e.variants)}

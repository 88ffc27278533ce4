"""Entities of one article: named mentions linked to the fullest name the article gives.

``Vladimir Putin`` … ``Putin`` … ``Mr. Putin`` → one person, key ``person:vladimir putin``; titles and
roles seen with a name (``Russian President``, ``a former candidate``) are kept as descriptions.
Pronouns and descriptive references are linked by ``speakers.py`` when they introduce a statement.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from crosswire.model import Entity, Mention
from crosswire.nlp.names import POSSESSIVE, TITLES, fold, strip_titles

KINDS = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "place", "NORP": "group"}


@dataclass(slots=True)
class _Cluster:
    kind: str
    names: list[str] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return max(self.names, key=lambda n: (len(n.split()), len(n)))

    @property
    def key(self) -> str:
        return f"{self.kind}:{fold(self.name)}"


@dataclass(frozen=True, slots=True)
class ArticleEntities:
    mentions: tuple[Mention, ...]
    entities: tuple[Entity, ...]

    def at(self, start: int, end: int) -> Mention | None:
        """The first named mention inside ``[start, end)``."""
        for m in self.mentions:
            if start <= m.span[0] and m.span[1] <= end:
                return m
        return None

    def entity(self, key: str) -> Entity | None:
        return next((e for e in self.entities if e.key == key), None)


def find_entities(doc: Doc) -> ArticleEntities:
    """Named people, organisations, places and groups of ``doc``, linked within the article."""
    clusters: list[_Cluster] = []
    raw: list[tuple[Span, str, _Cluster]] = []
    for ent in _repaired(doc):
        kind = KINDS.get(ent.label_)
        if kind is None:
            continue
        name, title = strip_titles(ent.text) if kind == "person" else (_bare(ent.text), "")
        if not name or not any(c.isalpha() for c in name) or name.lower() in TITLES:
            continue
        cluster = _link(clusters, kind, name)
        cluster.names.append(name)
        for d in (title, _description(ent)):
            if d and d not in cluster.descriptions:
                cluster.descriptions.append(d)
        raw.append((ent, name, cluster))
    _unify_kinds(clusters)
    mentions = tuple(
        Mention((e.start_char, e.end_char), e.text, c.kind, c.key, "name" if n == c.name else "surname") for e, n, c in raw
    )
    entities = tuple(_entity(c) for c in _merged(clusters))
    return ArticleEntities(mentions, entities)


NAME_PARTICLES = frozenset({"von", "van", "der", "den", "de", "da", "del", "di", "la", "le", "bin", "al", "ibn"})


def _repaired(doc: Doc) -> list[Span]:
    """spaCy's small model splits some names: ``[Ursula von der]PERSON [Leyen]GPE`` is one person."""
    ents = list(doc.ents)
    out: list[Span] = []
    i = 0
    while i < len(ents):
        ent = ents[i]
        nxt = ents[i + 1] if i + 1 < len(ents) else None
        if (nxt is not None and ent.label_ == "PERSON" and nxt.start == ent.end and ent[-1].lower_ in NAME_PARTICLES
                and all(t.pos_ == "PROPN" for t in nxt)):
            out.append(Span(doc, ent.start, nxt.end, label="PERSON"))
            i += 2
            continue
        out.append(ent)
        i += 1
    return out


def _bare(name: str) -> str:
    """An organisation or place name without a leading article or possessive: ``the Kremlin's`` → ``Kremlin``."""
    words = POSSESSIVE.sub("", name.strip()).split()
    if words and words[0].lower() == "the" and len(words) > 1:
        words = words[1:]
    return " ".join(words)


def _link(clusters: list[_Cluster], kind: str, name: str) -> _Cluster:
    """The cluster this name belongs to: same folded name, or (people) a surname / subset of a fuller name."""
    key = fold(name)
    words = key.split()
    best: _Cluster | None = None
    for c in reversed(clusters):  # the most recent fuller name wins ("Clinton" after "Bill Clinton")
        if c.kind != kind and not (kind in ("person", "org") and c.kind in ("person", "org") and len(words) == 1):
            continue
        ckeys = {fold(n) for n in c.names}
        if key in ckeys:
            return c
        if kind == "person" and c.kind == "person" and any(_is_part_of(words, k.split()) for k in ckeys):
            best = best or c
    if best is not None:
        return best
    cluster = _Cluster(kind)
    clusters.append(cluster)
    return cluster


def _unify_kinds(clusters: list[_Cluster]) -> None:
    """One name, one kind: the NER calls Kyiv a place, a person and an organisation in one article;
    the kind seen most often wins (places first on a tie: names of cities are the usual victims)."""
    by_name: dict[str, list[_Cluster]] = defaultdict(list)
    for c in clusters:
        by_name[fold(c.name)].append(c)
    rank = {"place": 0, "org": 1, "person": 2, "group": 3}
    for group in by_name.values():
        if len({c.kind for c in group}) < 2:
            continue
        best = min(group, key=lambda c: (-len(c.names), rank[c.kind])).kind
        for c in group:
            c.kind = best


def _is_part_of(short: list[str], full: list[str]) -> bool:
    """``putin`` ⊂ ``vladimir putin``; ``hillary clinton`` ⊂ ``hillary rodham clinton``."""
    return len(short) < len(full) and short[-1] == full[-1] and all(w in full for w in short)


def _merged(clusters: list[_Cluster]) -> list[_Cluster]:
    """Clusters whose keys ended up equal (a surname seen before its full name) are merged."""
    by_key: dict[str, _Cluster] = {}
    for c in clusters:
        if c.key in by_key:
            by_key[c.key].names.extend(c.names)
            by_key[c.key].descriptions.extend(d for d in c.descriptions if d not in by_key[c.key].descriptions)
        else:
            by_key[c.key] = c
    return list(by_key.values())


def _entity(c: _Cluster) -> Entity:
    return Entity(c.key, c.kind, c.name, tuple(dict.fromkeys(c.names)), tuple(c.descriptions))


def _description(ent: Span) -> str | None:
    """Role words around a name: compounds before it (``Defense Secretary``) or an appositive."""
    root = ent.root
    if ent.label_ != "PERSON":
        return None
    lefts = [t for t in root.lefts if t.dep_ in ("compound", "amod") and t.i < ent.start and t.ent_type_ != "PERSON"]
    if lefts:
        first = min(t.left_edge.i for t in lefts)
        words = ent.doc[first : ent.start].text.strip()
        if words and words[0].isupper():
            return words
    for child in root.rights:
        if child.dep_ == "appos":
            text = ent.doc[child.left_edge.i : child.right_edge.i + 1].text.strip(" ,")
            if 0 < len(text.split()) <= 12:
                return text
    return None


def entity_index(entities: tuple[Entity, ...]) -> dict[str, list[str]]:
    """Lower-cased description words → entity keys, for resolving "the Russian president"."""
    index: dict[str, list[str]] = defaultdict(list)
    for e in entities:
        for d in e.descriptions:
            for w in d.lower().split():
                index[w.strip(",.")].append(e.key)
    return index

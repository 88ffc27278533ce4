"""Entities of one article: named mentions linked to the fullest name the article gives, typed by evidence.

``Vladimir Putin`` … ``Putin`` … ``Mr. Putin`` → one person, key ``person:vladimir putin``; ``Xi Jinping`` …
``Xi`` (family name first) → one person; titles and roles seen with a name (``Russian President``, ``a former
candidate``) are kept as descriptions, forms of address (``Mr.``) are not. The tagger's label is the default
kind; evidence overrides it: a title of office before a name (``Governor``, ``Defence Minister``) or a role in
apposition makes a person; the gazetteer (``names.place_population``) with a place context (``near X``,
``the X region``, ``settlements of X``) makes a place. Pronouns and descriptive references are linked by
``speakers.py`` when they introduce a statement.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from crosswire.model import Entity, Mention
from crosswire.nlp.cues import load_cues
from crosswire.nlp.lemmas import verb_forms
from crosswire.nlp.names import (
    PERSON_TITLES,
    POSSESSIVE,
    REGION_POPULATION,
    TITLES,
    fold,
    is_honorific,
    load_entity_words,
    place_population,
    strip_titles,
)

KINDS = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "place", "NORP": "group"}
_WORDS = load_entity_words()
REGION_NOUNS = frozenset(_WORDS["place"]["region_nouns"])  # "the Belgorod region"
PLACE_NOUNS = REGION_NOUNS | frozenset(_WORDS["place"]["place_nouns"])  # "the settlements of X", "the capital X"
LOCATIVE_PREPS = frozenset(_WORDS["place"]["locative_prepositions"])  # "near X"; not "over X" (an edge over Clinton)
NOT_NAMES = frozenset(_WORDS["person"]["not_names"])  # "the General Staff" after a title is no name
DEMONYM_ENDINGS = tuple(_WORDS["group"]["demonym_endings"])  # "Ukrainian"
# a lone one-word "person" the article never titles nor gives a first name is a city of at least this size (Kyiv,
# 2.9 million, tagged a person in seed 000; Austin, 974,000, and Victoria, 957,000, are also people's names)
LONE_PERSON_PLACE_MIN_POPULATION = 1_000_000


@dataclass(slots=True)
class _Cluster:
    kind: str
    names: list[str] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    evidence: Counter[str] = field(default_factory=Counter)  # kind → mentions whose context shows that kind
    into: _Cluster | None = None  # set when this cluster was merged into a fuller one

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
        kind, evident = typed(ent)
        if kind is None:
            continue
        name, title = strip_titles(ent.text) if kind == "person" else (_bare(ent.text), "")
        if not name or not any(c.isalpha() for c in name) or name.lower() in TITLES:
            continue
        cluster = _link(clusters, kind, name)
        cluster.names.append(name)
        if evident:
            cluster.evidence[kind] += 1
        for d in (_role(title), _description(ent, kind)):
            if d and d not in cluster.descriptions:
                cluster.descriptions.append(d)
        raw.append((ent, name, cluster))
    _unify_kinds(clusters)
    _join_short_names(clusters)
    _lone_names_of_cities(clusters)
    final = [(e, n, _root(c)) for e, n, c in raw]
    mentions = tuple(
        Mention((e.start_char, e.end_char), e.text, c.kind, c.key, "name" if n == c.name else "surname") for e, n, c in final
    )
    entities = tuple(_entity(c) for c in _merged([c for c in clusters if c.into is None]))
    return ArticleEntities(mentions, entities)


def typed(ent: Span) -> tuple[str | None, bool]:
    """The kind of a named mention and whether its context shows it (else it is the tagger's label, mended)."""
    label = KINDS.get(ent.label_)
    if label is None:
        return None, False
    if _titled(ent) or _role_in_apposition(ent):
        return "person", True
    if _placed(ent, label):
        return "place", True
    demonym = ent.text.lower().endswith(DEMONYM_ENDINGS)
    if label == "group" and not demonym and place_population(_bare(ent.text)) is not None:
        return "place", False  # "Belgorod" tagged as a nationality
    if label == "place" and len(ent) == 1 and demonym and place_population(ent.text) is None:
        return "group", False  # "Ukrainian" tagged as a place is the adjective of one
    return label, False


def _titled(ent: Span) -> bool:
    """``Governor Gladkov``, ``Mr. Gaidai``: a title of office or address right before the name (or opening it)."""
    doc = ent.doc
    before = doc[ent.start - 1] if ent.start > 0 else None
    first = ent[0]
    if any(t.lower_ in NOT_NAMES for t in ent[1:]):
        return False  # "King Solomon Baptist Church", "Justice Department"
    return any(t is not None and t.lower_.strip(".") in PERSON_TITLES and t.text[:1].isupper() and len(ent) > (t is first)
               for t in (before, first))


def _role_in_apposition(ent: Span) -> bool:
    """``Oleksiy Danilov, Secretary of the Council``: a title noun in apposition to the name."""
    return any(c.dep_ == "appos" and c.lower_ in PERSON_TITLES for c in ent.root.children)


def _placed(ent: Span, label: str) -> bool:
    """The context shows a place: ``the Belgorod region``, ``the city of X``, ``near Pokrovsk and Kurakhov``. The
    gazetteer alone is no evidence (Obama is a Japanese city; PolNeAR's tagger calls him a place now and then)."""
    if ent.text.lower().endswith(DEMONYM_ENDINGS):
        return False
    if _noun_after(ent) in REGION_NOUNS or _place_noun_of(ent):  # "the Sumy region", "the settlements of X and Y"
        return True
    population = place_population(_bare(ent.text))
    if population is None:
        return False
    if label == "org" and population == REGION_POPULATION:
        return True  # "over Crimea": the regions list holds no organisation's name
    before = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
    if _noun_after(ent) in PLACE_NOUNS or before in PLACE_NOUNS:  # "the Tuapse area", "the capital Kyiv"
        return True
    return _locative(ent) and (label != "person" or _coordinated_with_place(ent))  # "near Pokrovsk and Kurakhov"


def _noun_after(ent: Span) -> str:
    """The word after a name (past a possessive): ``region`` in ``the Belgorod region``."""
    doc = ent.doc
    i = ent.end + 1 if ent.end < len(doc) and doc[ent.end].lower_ in ("'s", "’s") else ent.end
    return doc[i].lower_ if i < len(doc) else ""


def _coordinated_head(tok: Token) -> Token:
    """``Troitsky`` in ``settlements of Svatov and Troitsky`` stands where ``Svatov`` stands."""
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    return tok


def _coordinated_with_place(ent: Span) -> bool:
    """A conjunct of a name the tagger calls a place: a person's name is seldom listed among towns."""
    head = _coordinated_head(ent.root)
    return head is not ent.root and head.ent_type_ in ("GPE", "LOC")


def _place_noun_of(ent: Span) -> bool:
    head = _coordinated_head(ent.root)
    return head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lower_ in PLACE_NOUNS


def _locative(ent: Span) -> bool:
    head = _coordinated_head(ent.root)
    return head.dep_ == "pobj" and head.head.lower_ in LOCATIVE_PREPS


def _role(title: str) -> str:
    """A title kept as a role, without forms of address: ``Mr.`` → "", ``Dr. Chief Surgeon`` → ``Chief Surgeon``."""
    return " ".join(w for w in title.split() if not is_honorific(w))


NAME_PARTICLES = frozenset({"von", "van", "der", "den", "de", "da", "del", "di", "la", "le", "bin", "al", "ibn"})


def _repaired(doc: Doc) -> list[Span]:
    """The tagger's entities with its commonest slips mended: a name split at a particle (``[Ursula von der]PERSON
    [Leyen]GPE``) is one person; a name after a title it missed or mislabelled (``Defence Minister Rustem Umerov``)
    is a person."""
    ents = [_without_headline_verb(e) for e in _joined_particles(doc)]
    titled = _titled_names(doc)
    if not titled:
        return ents
    taken = {i for span in titled for i in range(span.start, span.end)}
    kept = [e for e in ents if not any(i in taken for i in range(e.start, e.end))]
    return sorted(kept + titled, key=lambda e: e.start)


def _without_headline_verb(ent: Span) -> Span:
    """``[Obama Says]PERSON`` in a title-case headline: the speech verb the tagger took into the name is cut off."""
    last = ent[-1]
    if len(ent) > 1 and last.is_title and verb_forms().get(last.lower_) in load_cues().speech and last.lower_.endswith(("s", "ed")):
        return Span(ent.doc, ent.start, ent.end - 1, label=ent.label_)
    return ent


def _joined_particles(doc: Doc) -> list[Span]:
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


def _titled_names(doc: Doc) -> list[Span]:
    """Names right after a capitalised title of office the tagger did not tag as a person."""
    out: list[Span] = []
    for tok in doc:
        if not (tok.text[:1].isupper() and tok.lower_.strip(".") in PERSON_TITLES) or (out and tok.i < out[-1].end):
            continue
        end = tok.i + 1
        while end < len(doc) and end - tok.i <= 4 and _name_word(doc[end]):
            end += 1
        nxt = doc[end] if end < len(doc) else None
        if end == tok.i + 1 or (nxt is not None and (nxt.lower_ == "of" or (nxt.lower_ in NOT_NAMES and nxt.text[:1].isupper()))):
            continue  # no name, or an institution: "General Staff of the Armed Forces", "King Solomon Baptist Church"
        if any(e.label_ == "PERSON" and e.start <= tok.i + 1 < e.end for e in doc.ents):
            continue  # the tagger has it right
        out.append(Span(doc, tok.i + 1, end, label="PERSON"))
    return out


def _name_word(tok: Token) -> bool:
    return (tok.pos_ == "PROPN" and tok.text[:1].isupper() and tok.is_alpha and tok.lower_ not in NOT_NAMES
            and tok.lower_ not in TITLES)


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
    """One name, one kind: the NER calls Kyiv a place, a person and an organisation in one article. The kind
    the context showed most often wins; without any evidence the label seen most often (places first on a tie:
    names of cities are the usual victims)."""
    by_name: dict[str, list[_Cluster]] = defaultdict(list)
    for c in clusters:
        by_name[fold(c.name)].append(c)
    rank = {"place": 0, "org": 1, "person": 2, "group": 3}
    for group in by_name.values():
        if len({c.kind for c in group}) < 2:
            continue
        evidence = sum((c.evidence for c in group), Counter())
        if evidence:
            best = min(evidence, key=lambda k: (-evidence[k], rank[k]))
        else:
            best = min(group, key=lambda c: (-len(c.names), rank[c.kind])).kind
        for c in group:
            c.kind = best


def _join_short_names(clusters: list[_Cluster]) -> None:
    """A one-word person or organisation joins the one fuller person whose family name it is, written last
    (``Gaidai`` → ``Serhiy Gaidai``) or first (``Xi`` → ``Xi Jinping``), wherever in the article it came."""
    people = [c for c in clusters if c.kind == "person" and len(c.name.split()) > 1]
    for c in clusters:
        if c.kind not in ("person", "org") or len(c.name.split()) != 1 or c.evidence["org"] or c.evidence["place"]:
            continue
        word = fold(c.name)
        last = [p for p in people if p is not c and any(fold(n).split()[-1] == word for n in p.names)]
        first = [p for p in people if p is not c and any(fold(n).split()[0] == word for n in p.names if len(n.split()) > 1)]
        target = last[0] if len(last) == 1 else (first[0] if not last and len(first) == 1 else None)
        if target is not None:
            target.names.extend(c.names)
            target.descriptions.extend(d for d in c.descriptions if d not in target.descriptions)
            c.into = target


def _lone_names_of_cities(clusters: list[_Cluster]) -> None:
    """``slammed Kyiv``: a one-word person with no evidence of being one, named like a big city, is the city."""
    for c in clusters:
        if c.into is None and c.kind == "person" and not c.evidence and len(c.name.split()) == 1 and not c.descriptions:
            if (place_population(c.name) or 0) >= LONE_PERSON_PLACE_MIN_POPULATION:
                c.kind = "place"


def _root(c: _Cluster) -> _Cluster:
    while c.into is not None:
        c = c.into
    return c


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


def _description(ent: Span, kind: str) -> str | None:
    """Role words around a person's name: compounds before it (``Defense Secretary``) or an appositive."""
    root = ent.root
    if kind != "person":
        return None
    lefts = [t for t in root.lefts if t.dep_ in ("compound", "amod") and t.i < ent.start and t.ent_type_ != "PERSON"]
    if lefts:
        first = min(t.left_edge.i for t in lefts)
        words = ent.doc[first : ent.start].text.strip()
        if words and words[0].isupper():
            return _role(words) or None
    for child in root.rights:
        if child.dep_ == "appos":
            text = ent.doc[child.left_edge.i : child.right_edge.i + 1].text.strip(" ,")
            if 0 < len(text.split()) <= 12:
                return text
    return None

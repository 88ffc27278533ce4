"""Speakers: the source mention of an attribution resolved to the fullest name the article gives.

``Putin`` → ``Vladimir Putin`` (entity linking); ``he`` / ``she`` → the most recent person who was the
subject of a sentence nearby, else the previous speaker (checked for gender where the article gives
it through Mr./Mrs./Ms.); ``who`` → the noun the relative clause hangs on; ``the Russian president``
→ the person the article described with those words. Unresolved mentions keep their text.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from crosswire.model import Mention
from crosswire.nlp.entities import ArticleEntities
from crosswire.nlp.names import fold, strip_titles
from crosswire.nlp.sentences import Sentences

PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
PLURAL = frozenset({"they", "we", "them", "their"})
RELATIVES = frozenset({"who", "which", "that", "whom"})
MALE_TITLES = ("mr", "mr.", "sir", "lord", "king", "prince", "father")
FEMALE_TITLES = ("mrs", "mrs.", "ms", "ms.", "miss", "dame", "lady", "queen", "princess")
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame"})
MALE_A_NAMES = frozenset({"nikita", "ilya", "luca", "joshua", "kuba", "sasha", "misha", "andrea", "costa", "jona", "noa",
                          "garcia", "elia", "mustafa", "musa", "isa", "oba", "akira", "dara", "hamza", "yahya", "attila"})
DESCRIPTION_WINDOW_CHARS = 800  # a description refers back about two paragraphs (seed 000: 1 paragraph)
LOOKBACK_CHARS = 1500  # how far back a pronoun looks for its person (about three paragraphs)


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    entity: str | None
    role: str | None
    resolved_from: tuple[int, int] | None  # the mention a pronoun/description was resolved to
    via: str  # name | pronoun | relative | description | mention | inherited


def resolve(doc: Doc, ents: ArticleEntities, source: tuple[int, int], head: int | None,
            previous: Speaker | None, sents: Sentences, reported: tuple[tuple[int, int], ...] = (),
            previous_at: int | None = None) -> Speaker:
    """Resolve the source mention ``doc.text[source]`` (its head token index ``head``); ``reported``: the
    content spans of the article's statements (people named inside reported speech are not antecedents);
    ``previous_at``: where the previous statement with a named speaker starts."""
    text = sents.text[source[0] : source[1]]
    head_tok = doc[head] if head is not None else None
    named = _best_named(ents, source, head_tok)
    if named is not None:
        return _named(ents, named, text)
    low = head_tok.lower_ if head_tok is not None else text.lower()
    if low in RELATIVES and head_tok is not None:
        anchor = head_tok.head.head if head_tok.head.dep_ == "relcl" else head_tok.head
        # the mention holding the noun the clause hangs on ("John Bentel, who …"), never one inside the
        # clause or its modifiers ("the two jurors, who sat at Nichols' trial")
        m = next((m for m in ents.mentions if m.span[0] <= anchor.idx < m.span[1] and m.kind != "place"), None)
        if m is not None:
            return _replace_via(_named(ents, m, text), "relative", m.span)
        return Speaker(doc[anchor.left_edge.i : anchor.i + 1].text, None, None, None, "relative")
    if low in PRONOUNS:
        found = _pronoun(doc, ents, source[0], PRONOUNS[low], previous, sents, reported, previous_at)
        if found is not None:
            return found
    if low in PLURAL and previous is not None and previous.entity and previous.entity.startswith(("org:", "group:")):
        return _replace_via(previous, "pronoun", previous.resolved_from)
    if low in PRONOUNS or low in PLURAL or low in ("it", "its"):
        return Speaker(text, None, None, None, "unresolved")  # a pronoun we cannot tie to one name: say so
    described = _described(doc, ents, source, head_tok, previous)
    if described is not None:
        return described
    span = doc.char_span(*source, alignment_mode="expand")
    if span is not None and head_tok is not None and head_tok.pos_ == "PROPN" and any(t.pos_ in ("VERB", "AUX") for t in span):
        span = _flat_name(head_tok)  # "Rusu, who has denied any wrongdoing," → "Rusu": the clause is not the name
        text = span.text
    if span is not None and all(t.pos_ == "PROPN" or t.is_punct for t in span):
        name, title = strip_titles(text)  # a name the NER missed: "Mayor Ilse Varga", or a surname seen before
        known = _by_surname(ents, name, source[0])
        if known is not None:
            return _replace_via(_named(ents, known, text), "surname", None)
        return Speaker(name, None, title or None, None, "mention")
    return Speaker(text, None, None, None, "mention")


def _flat_name(head: Token) -> Span:
    """The name a proper-noun head ends: it and the proper nouns compounded to its left ("Mayor Ilse Varga")."""
    start = head.i
    while start > 0 and head.doc[start - 1].pos_ == "PROPN" and head.doc[start - 1].dep_ == "compound":
        start -= 1
    return head.doc[start : head.i + 1]


def _by_surname(ents: ArticleEntities, name: str, before: int) -> Mention | None:
    last = fold(name).split()[-1:] if name else []
    found = [m for m in ents.mentions if m.kind == "person" and m.span[0] < before and last and m.entity.split()[-1] == last[0]]
    return found[-1] if found else None


def _best_named(ents: ArticleEntities, source: tuple[int, int], head_tok: object) -> Mention | None:
    """The mention naming the speaker: the one holding the head word, else a person, else an organisation.
    A nationality adjective ("the Russian president") does not name the speaker."""
    inside = [m for m in ents.mentions if source[0] <= m.span[0] and m.span[1] <= source[1] and m.kind != "place"]
    if head_tok is not None:
        at_head = [m for m in inside if m.span[0] <= head_tok.idx < m.span[1] and m.kind != "group"]  # type: ignore[attr-defined]
        if at_head:
            return at_head[0]
        if getattr(head_tok, "pos_", "") == "NOUN":  # "Trump's campaign manager", "a spokesman for Putin"
            return _apposed(ents, inside, head_tok)
    for kind in ("person", "org"):
        found = [m for m in inside if m.kind == kind]
        if found:
            return found[0]
    if head_tok is not None and getattr(head_tok, "pos_", "") in ("PROPN",):
        return next((m for m in inside if m.kind == "group"), None)
    return None


def _apposed(ents: ArticleEntities, inside: list[Mention], head_tok: object) -> Mention | None:
    """A common-noun speaker is named only by an apposition ("the spokesman, John Kirby"); a name that
    merely modifies it (its owner, its organisation) is someone else."""
    for child in head_tok.children:  # type: ignore[attr-defined]
        if child.dep_ == "appos":
            found = [m for m in inside if m.span[0] <= child.idx < m.span[1] and m.kind in ("person", "org")]
            if found:
                return found[0]
    return None


def _named(ents: ArticleEntities, m: Mention, text: str) -> Speaker:
    e = ents.entity(m.entity)
    roles = [d for d in (e.descriptions if e is not None else ()) if d.lower().strip(".") not in HONORIFICS]
    role = roles[0] if roles else None
    name = e.name if e is not None else m.text
    return Speaker(name, m.entity, role, m.span if m.text != text else None, "name")


def _replace_via(s: Speaker, via: str, span: tuple[int, int] | None) -> Speaker:
    return Speaker(s.name, s.entity, s.role, span, via)


def _pronoun(doc: Doc, ents: ArticleEntities, at: int, gender: str, previous: Speaker | None,
             sents: Sentences, reported: tuple[tuple[int, int], ...] = (), previous_at: int | None = None) -> Speaker | None:
    """he/she → a person of that gender named earlier in its sentence; else the previous speaker when no other
    fitting person was the subject of a sentence since; else the latest fitting subject."""
    people = [m for m in ents.mentions if m.kind == "person" and m.span[1] <= at and at - m.span[0] < LOOKBACK_CHARS
              and not any(s <= m.span[0] and m.span[1] <= e for s, e in reported)]  # "Fowler said he expects Clinton to …"
    keys = {m.entity for m in people} | ({previous.entity} if previous is not None and previous.entity else set())
    genders = {k: _gender(ents, k, sents.text) for k in keys}  # each person once, not once per mention
    people = [m for m in people if genders[m.entity] in (gender, None)]
    subjects = [m for m in people if _is_subject(doc, m)]
    sentence = sents.at(at)
    if sentence is not None:
        start = sentence.start_char
        here = [m for m in people if m.span[0] >= start]
        same = ([m for m in here if genders[m.entity] == gender] or [m for m in subjects if m.span[0] >= start]
                or [m for m in here if _is_possessor(doc, m)])  # "During Zelensky's trip …, he described …"
        if same:  # "von der Leyen held talks with Zelensky, where she told him …"
            return _replace_via(_named(ents, same[-1], ""), "pronoun", same[-1].span)
    pick = subjects[-1] if subjects else None
    if previous is not None and previous.entity and previous.entity.startswith("person:"):
        since = [m for m in subjects if previous_at is not None and m.span[0] > previous_at and m.entity != previous.entity]
        if genders[previous.entity] in (gender, None) and (pick is None or _later_or_same(previous, pick) or not since):
            return _replace_via(previous, "pronoun", previous.resolved_from)
    if pick is None and people:
        pick = people[-1]
    if pick is None:
        return None
    return _replace_via(_named(ents, pick, ""), "pronoun", pick.span)


def _later_or_same(previous: Speaker, pick: Mention) -> bool:
    return previous.entity == pick.entity or (previous.resolved_from is not None and previous.resolved_from[0] >= pick.span[0])


def _is_possessor(doc: Doc, m: Mention) -> bool:
    span = doc.char_span(*m.span, alignment_mode="expand")
    return span is not None and span.root.dep_ == "poss"


def _is_subject(doc: Doc, m: Mention) -> bool:
    """The mention is the subject of a clause that is not an inverted condition ("should Clinton attempt …")."""
    span = doc.char_span(*m.span, alignment_mode="expand")
    if span is None or span.root.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = span.root.head
    return not any(c.dep_ == "aux" and c.i < span.root.i and c.lower_ in ("should", "had", "were") for c in verb.children)


def _gender(ents: ArticleEntities, key: str, text: str = "") -> str | None:
    """m / f from the person's titles and roles, the form of address written before a mention ("Mrs. Pine"),
    then the given name; None when nothing tells."""
    e = ents.entity(key)
    if e is None:
        return None
    addressed = [text[max(0, m.span[0] - 6) : m.span[0]] for m in ents.mentions if m.entity == key] if text else []
    titles = (" ".join(e.descriptions) + " " + " ".join(addressed)).lower().split()
    if any(t in MALE_TITLES for t in titles):
        return "m"
    if any(t in FEMALE_TITLES for t in titles):
        return "f"
    return first_name_gender(e.name)


def first_name_gender(name: str) -> str | None:
    """The gender a given name tells (``resources/given_names.toml``); else a weak cue: given names ending
    in -a are mostly women's in the languages our sources cover (Ursula, Anna, Olga), except a listed few
    (Nikita, Ilya, Luca…)."""
    words = name.split()
    if len(words) < 2:
        return None
    first = words[0].lower().strip(".")
    female, male = _given_names()
    if first in female:
        return "f"
    if first in male or first in MALE_A_NAMES:
        return "m"
    return "f" if first.endswith("a") and len(first) > 2 else None


@cache
def _given_names() -> tuple[frozenset[str], frozenset[str]]:
    data = tomllib.loads(resources.files("crosswire.resources").joinpath("given_names.toml").read_text(encoding="utf-8"))
    return frozenset(data["female"]), frozenset(data["male"])


def _described(doc: Doc, ents: ArticleEntities, source: tuple[int, int], head_tok: object,
               previous: Speaker | None) -> Speaker | None:
    """``the Russian leader`` / ``the Kremlin chief`` / ``the governor`` → the one person of the article whose
    roles fit the description (``resources/roles.toml``); two candidates or none: not resolved."""
    if head_tok is None or getattr(head_tok, "pos_", "") != "NOUN" or getattr(head_tok, "tag_", "") == "NNS":
        return None
    families, affiliations = _roles()
    head = head_tok.lower_  # type: ignore[attr-defined]
    if head not in families:
        return None  # "the Clinton campaign", "the website": not a person's role
    family = families[head]
    span = doc.char_span(*source, alignment_mode="expand")
    mods = [t.lower_ for t in span if t.i < head_tok.i and t.pos_ in ("ADJ", "PROPN", "NOUN")  # type: ignore[attr-defined]
            and (t.lower_ in affiliations or t.is_title)] if span is not None else []
    fits = [e for e in ents.entities if e.kind == "person" and _fits(e.descriptions, family, mods, affiliations)]
    if len(fits) > 1 and previous is not None and previous.entity in {e.key for e in fits}:
        fits = [e for e in fits if e.key == previous.entity]  # "the president" right after the president spoke
    if not fits and head in families and _only_previous_nearby(doc, ents, source, previous):
        weak = [e for e in ents.entities if e.kind == "person" and _fits(e.descriptions, family, [], {})]
        prev = [e for e in ents.entities if e.key == previous.entity]  # type: ignore[union-attr]
        if all(e.key == previous.entity for e in weak) and prev and not _other_allegiance(prev[0].descriptions, mods, affiliations):  # type: ignore[union-attr]
            fits = prev
    if len(fits) != 1:
        return None
    key = fits[0].key
    earlier = [m for m in ents.mentions if m.entity == key and m.span[1] <= source[0]]
    later = [m for m in ents.mentions if m.entity == key and m.span[0] >= source[1]]
    if not earlier and not later:
        return None
    m = earlier[-1] if earlier else later[0]  # a lede may name its speaker only afterwards
    return _replace_via(_named(ents, m, ""), "description", m.span)


def _only_previous_nearby(doc: Doc, ents: ArticleEntities, source: tuple[int, int], previous: Speaker | None) -> bool:
    """"The Russian leader also said …" where the article titles him "President" without a country: the
    previous speaker, when he is the only person named in the paragraphs before it, nobody else has a role
    of that family, and none of his roles names another allegiance."""
    if previous is None or not previous.entity or not previous.entity.startswith("person:"):
        return False
    nearby = {m.entity for m in ents.mentions if m.kind == "person" and source[0] - DESCRIPTION_WINDOW_CHARS <= m.span[0] < source[1]
              and (m.entity == previous.entity or _is_subject(doc, m) or _is_possessor(doc, m))}
    return nearby == {previous.entity}


def _other_allegiance(descriptions: tuple[str, ...], mods: list[str], affiliations: dict[str, frozenset[str]]) -> bool:
    words = {w.strip(",.()'’").lower() for d in descriptions for w in d.replace("-", " ").split()}
    known = words & (set(affiliations) | {w for ws in affiliations.values() for w in ws})
    return bool(known) and not all(affiliations.get(m, frozenset({m})) & words for m in mods)


def _fits(descriptions: tuple[str, ...], family: frozenset[str], mods: list[str],
          affiliations: dict[str, frozenset[str]]) -> bool:
    words = {w.strip(",.()'’").lower() for d in descriptions for w in d.replace("-", " ").split()}
    return bool(words & family) and all(affiliations.get(m, frozenset({m})) & words for m in mods)


@cache
def _roles() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Description families and affiliation words (``resources/roles.toml``), read once."""
    data = tomllib.loads(resources.files("crosswire.resources").joinpath("roles.toml").read_text(encoding="utf-8"))
    return ({k: frozenset(v) for k, v in data["families"].items()},
            {k: frozenset(v) for k, v in data["affiliations"].items()})

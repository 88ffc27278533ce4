"""One benchmark story: a real article, its copy chain, its change-injected copies and its independent neighbours.

Every document is a list of paragraphs of sentence templates (see slots.py) plus the value of each slot in that
document; the gold conflicts, non-conflicts and untouched pairs follow from which document changed which slot.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from itertools import combinations, permutations

from bench.compare import rewrites as rw
from bench.compare.changes import CONFLICT_KINDS, CONTROL_KINDS, Pools, conflict_value, control_value
from bench.compare.corpus import SourceArticle, load_lexicon
from bench.compare.slots import Slot, encode, render, slot_ids

FAMILY_ROLES = ("original", "verbatim", "rewrite", "paraphrase", "translation", "changed", "control", "recopy", "roundup")
UNTOUCHABLE_ROLES = ("roundup",)  # carries another outlet's sentences, which may really disagree: never an untouched pair
MIN_SENTENCES = 6  # fewer sentences leave no room for distractors next to the changed one
COPY_BASES = (0, 1, 0, 2)  # changed copies are made in turn from the original, the rewrite, the original, the paraphrase
MIN_KINDS = 4  # an article must offer at least 4 of the 6 conflict kinds to be worth a story


@dataclass(frozen=True)
class Draft:
    """A document under construction: role, paragraphs of templates, slot values that differ from the source."""

    role: str
    body: list[list[str]]
    title: str
    changed: dict[int, str] = field(default_factory=dict)
    change: dict | None = None
    credit: str | None = None
    minutes: int = 0
    source: tuple[int, str] | None = None  # (index of the draft it was made from, relation)
    second_source: tuple[int, str] | None = None  # a roundup's other source


@dataclass(frozen=True, slots=True)
class Encoded:
    """An article as paragraphs of templates and its slots by id."""

    paragraphs: list[list[str]]
    slots: dict[int, Slot]


def encode_article(article: SourceArticle, first_id: int = 0) -> Encoded:
    """Templates of every sentence of the article, slots numbered from first_id."""
    paragraphs, slots = [], {}
    for para in article.paragraphs:
        templates = []
        for sentence in para:
            template, found = encode(sentence, first_id + len(slots))
            slots.update({s.id: s for s in found})
            templates.append(template)
        paragraphs.append(templates)
    return Encoded(paragraphs, slots)


def feasible_kinds(enc: Encoded, pools: Pools) -> dict[str, list[int]]:
    """Slot ids that can carry each conflict and control kind in this article."""
    probe = random.Random(0)
    out: dict[str, list[int]] = {}
    for kind in CONFLICT_KINDS:
        out[kind] = [i for i, s in enc.slots.items() if s.kind == kind and conflict_value(s, probe, pools, set()) is not None]
    for kind in CONTROL_KINDS:
        out[kind] = [i for i, s in enc.slots.items() if control_value(s, kind) is not None]
    return out


def eligible(article: SourceArticle, pools: Pools) -> bool:
    """Enough sentences and enough kinds of facts to change."""
    if len(article.sentences) < MIN_SENTENCES:
        return False
    kinds = feasible_kinds(encode_article(article), pools)
    return sum(bool(kinds[k]) for k in CONFLICT_KINDS) >= MIN_KINDS


def _flat(body: list[list[str]]) -> list[str]:
    return [s for p in body for s in p]


def _chain(enc: Encoded, title: str, rng: random.Random) -> list[Draft]:
    """Light rewrite → heavy paraphrase → translation-like paraphrase, each built on the previous; a verbatim copy.

    Drafts index 0 is the original, so the chain's sources are 0, 1, 2 and the verbatim copy's is 0.
    """
    lex = load_lexicon()
    light = [rw.swap_synonyms(s, rng, 0.5) for s in _flat(enc.paragraphs)]
    light = rw.drop(rw.reorder(light, rng, 2), rng, 0.12)
    heavy = [rw.drop_adverbs(rw.move_adverbial(rw.move_attribution(rw.swap_synonyms(s, rng, 0.9)))) for s in light]
    heavy = rw.merge(rw.drop(rw.reorder(heavy, rng, 4), rng, 0.25), rng, 0.35)
    translated = [rw.translation_words(rw.translation_tweaks(rw.reported_speech(s))) for s in heavy]
    translated = rw.reorder([part for s in translated for part in rw.split_long(s)], rng, 1)
    boiler = [[rng.choice(lex["boilerplate_top"])]] + enc.paragraphs + [[rng.choice(lex["boilerplate_bottom"])]]
    prefix = lambda: rng.choice(lex["title_prefixes"])  # noqa: E731
    return [
        Draft("rewrite", rw.paragraphs(light, rng), prefix() + title, minutes=60, source=(0, "rewrite")),
        Draft("paraphrase", rw.paragraphs(heavy, rng), prefix() + title, minutes=120, source=(1, "rewrite")),
        Draft("translation", rw.paragraphs(translated, rng), prefix() + title, minutes=180, source=(2, "translation")),
        Draft("verbatim", boiler, prefix() + title, minutes=24 * 60, source=(0, "copy")),  # published last: no one copies it
    ]


def _distracted(base: list[str], keep: int, rng: random.Random, lane: tuple[int, int]) -> list[list[str]]:
    """The base document with paraphrase and reorder distractors on sentences that do not carry slot `keep`.

    lane = (i, n): copy i of n only rewrites sentences whose index is i modulo n, so no two independent copies share
    a rewording (which would make one look copied from the other).
    """
    out = []
    for k, s in enumerate(base):
        if keep not in slot_ids(s) and k % lane[1] == lane[0] and rng.random() < 0.8:
            s = rw.drop_adverbs(rw.move_attribution(rw.swap_synonyms(s, rng, 0.8)))
        out.append(s)
    return rw.paragraphs(rw.reorder(out, rng, 1), rng)


def _changed_copies(enc: Encoded, made: list[Draft], rng: random.Random, pools: Pools, avoid: set[str]) -> list[Draft]:
    """One copy per feasible conflict kind and control kind, each with exactly one recorded change.

    Copy i is made from the i-th of COPY_BASES (original, rewrite, original, paraphrase...) among the drafts made so
    far when that base still carries the chosen slot, else from the next base that does (the original carries all).
    """
    bases = [(i, _flat(made[i].body)) for i in COPY_BASES]
    feasible, used, drafts = feasible_kinds(enc, pools), set(), []
    kinds = sorted(CONFLICT_KINDS + CONTROL_KINDS, key=lambda k: len(feasible[k]))  # scarce kinds pick their slot first
    for kind in kinds:
        candidates = [i for i in feasible[kind] if i not in used]
        if not candidates:
            continue
        slot = enc.slots[rng.choice(candidates)]
        value = conflict_value(slot, rng, pools, avoid) if kind in CONFLICT_KINDS else control_value(slot, kind)
        if value is None or value == slot.text:
            continue
        used.add(slot.id)
        turn = bases[len(drafts) % len(bases) :] + bases[: len(drafts) % len(bases)]
        source, base = next((i, b) for i, b in turn if any(slot.id in slot_ids(s) for s in b))
        role = "changed" if kind in CONFLICT_KINDS else "control"
        body = _distracted(base, slot.id, rng, (len(drafts), len(kinds)))
        draft = Draft(role, body, rng.choice(load_lexicon()["title_prefixes"]) + made[0].title, {slot.id: value},
                      {"kind": kind, "slot": slot.id, "original": slot.text, "value": value}, source=(source, "rewrite"))  # fmt: skip
        drafts.append(draft)
    return [replace(d, minutes=240 + 20 * i) for i, d in enumerate(drafts)]


def _recopy(drafts: list[Draft], rng: random.Random) -> list[Draft]:
    """A copy of one changed copy: it inherits the changed fact (an error that spreads) and rewords a little more."""
    changed = [i for i, d in enumerate(drafts) if d.role == "changed"]
    if not changed:
        return []
    i = rng.choice(changed)
    body = [part for s in _flat(drafts[i].body) for part in rw.split_long(rw.drop_adverbs(s))]
    return [Draft("recopy", rw.paragraphs(rw.reorder(body, rng, 2), rng), drafts[i].title, dict(drafts[i].changed),
                  minutes=drafts[i].minutes + 10, source=(i, "rewrite"))]  # fmt: skip


def _roundup(drafts: list[Draft], other: Encoded, other_index: int, rng: random.Random) -> Draft:
    """A roundup stitching the lead of the rewrite and a few sentences of an independent article of the same event."""
    own, theirs = _flat(drafts[1].body), _flat(other.paragraphs)
    body = own[: max(3, len(own) // 3)] + theirs[: max(2, len(theirs) // 3)]
    minutes = max(drafts[1].minutes, drafts[other_index].minutes) + 60
    return Draft("roundup", rw.paragraphs(body, rng), "Roundup: " + drafts[0].title, minutes=minutes,
                 source=(1, "rewrite"), second_source=(other_index, "rewrite"))  # fmt: skip


def _shared_source(enc: Encoded, title: str, rng: random.Random) -> list[Draft]:
    """Two outlets running the same agency copy (absent from the set): one verbatim, one lightly rewritten."""
    agency = rng.choice(load_lexicon()["agencies"])
    light = rw.reorder([rw.swap_synonyms(s, rng, 0.5) for s in _flat(enc.paragraphs)], rng, 1)
    credit_line = [f"({agency})"]
    return [
        Draft("shared-source", enc.paragraphs + [credit_line], title, credit=agency, minutes=30),
        Draft("shared-source", rw.paragraphs(light, rng) + [credit_line], "Report: " + title, credit=agency, minutes=90),
    ]


def drafts_for(article: SourceArticle, neighbours: list[SourceArticle], rng: random.Random, pools: Pools) -> tuple[list[Draft], dict[int, Slot]]:
    """All drafts of one story and the slots of every encoded article (ids unique within the story)."""
    enc = encode_article(article)
    mentioned = {s.text for s in enc.slots.values() if s.kind in ("place", "speaker")}
    drafts = [Draft("original", enc.paragraphs, article.title)]
    drafts += _chain(enc, article.title, rng)
    drafts += _changed_copies(enc, drafts, rng, pools, mentioned)
    drafts += _recopy(drafts, rng)
    slots = dict(enc.slots)
    if neighbours:
        shared = encode_article(neighbours[0], first_id=len(slots))
        slots.update(shared.slots)
        drafts += _shared_source(shared, neighbours[0].title, rng)
    for k, other in enumerate(neighbours[1:]):
        independent = encode_article(other, first_id=len(slots))
        slots.update(independent.slots)
        drafts.append(Draft("independent", independent.paragraphs, other.title, minutes=rng.randrange(-600, 600) + k))
        if k == 0:
            drafts.append(_roundup(drafts, independent, len(drafts) - 1, rng))
    return drafts, slots


def render_draft(draft: Draft, slots: dict[int, Slot]) -> tuple[str, dict[int, tuple[int, int]]]:
    """Document text (paragraphs separated by a blank line) and the span of each slot it carries."""
    values = {i: draft.changed.get(i, s.text) for i, s in slots.items()}
    text, spans = render("\n\n".join(" ".join(p) for p in draft.body), values)
    return text, spans


def gold(docs: list[dict], drafts: list[Draft], spans: list[dict[int, tuple[int, int]]], texts: list[str]) -> dict:
    """Gold conflicts and non-conflicts: every pair of family documents holding a changed slot with different values.

    A slot is changed by one copy only, but a recopy inherits the change, so doc_b is whichever document holds the
    changed value. Untouched pairs: family documents (roundups excepted) that hold no changed value at all.
    """
    conflicts, controls = [], []
    family = [i for i, d in enumerate(drafts) if d.role in FAMILY_ROLES]
    for d in drafts:
        if d.change is None:
            continue
        slot, kind = d.change["slot"], d.change["kind"]
        for a, b in permutations([i for i in family if slot in spans[i]], 2):
            if slot in drafts[a].changed or slot not in drafts[b].changed:
                continue
            (sa, ea), (sb, eb) = spans[a][slot], spans[b][slot]
            if texts[b][sb:eb] != d.change["value"]:
                raise AssertionError(f"slot {slot} of {docs[b]['id']} does not carry its change {d.change}")
            row = {"kind": kind, "doc_a": docs[a]["id"], "span_a": [sa, ea], "value_a": texts[a][sa:ea],
                   "doc_b": docs[b]["id"], "span_b": [sb, eb], "value_b": texts[b][sb:eb]}  # fmt: skip
            (conflicts if kind in CONFLICT_KINDS else controls).append(row)
    clean = [i for i in family if not drafts[i].changed and drafts[i].role not in UNTOUCHABLE_ROLES]
    pairs = [sorted((docs[a]["id"], docs[b]["id"])) for a, b in combinations(clean, 2)]
    shared = [docs[i]["id"] for i, d in enumerate(drafts) if d.role == "shared-source"]
    if len(shared) == 2:
        pairs.append(sorted(shared))
    return {"conflicts": sorted(conflicts, key=_row_key), "non_conflicts": sorted(controls, key=_row_key), "untouched_pairs": sorted(pairs)}


def _row_key(row: dict) -> tuple:
    return row["doc_b"], row["doc_a"], row["span_b"]


def provenance(docs: list[dict], drafts: list[Draft]) -> list[dict]:
    """Gold edges, source → derived (each draft's recorded sources), plus the shared-source pair (no direction)."""
    out = [{"source": docs[src[0]]["id"], "target": docs[i]["id"], "relation": src[1]}
           for i, d in enumerate(drafts) for src in (d.source, d.second_source) if src]  # fmt: skip
    shared = [docs[i]["id"] for i, d in enumerate(drafts) if d.role == "shared-source"]
    if len(shared) == 2:
        out.append({"source": shared[0], "target": shared[1], "relation": "shared-source"})
    return sorted(out, key=lambda e: (e["source"], e["target"]))


def build_story(story_id: str, article: SourceArticle, neighbours: list[SourceArticle], rng: random.Random, pools: Pools) -> dict:
    """The story's manifest entry with each document's text inline (key "text"); the caller writes the files."""
    drafts, slots = drafts_for(article, neighbours, rng, pools)
    order = list(range(len(drafts)))
    rng.shuffle(order)  # document ids and file order say nothing about roles
    outlets = rng.sample(range(1, 100), len(drafts))
    start = datetime(2024, 1, 1, 8, 0) + timedelta(days=rng.randrange(0, 700))
    docs: list[dict] = [{} for _ in drafts]
    for rank, i in enumerate(order):
        d = drafts[i]
        docs[i] = {"id": f"{story_id}-{rank:02d}", "title": d.title, "outlet": f"outlet-{outlets[i]:02d}", "role": d.role,
                   "published": (start + timedelta(minutes=d.minutes)).isoformat(timespec="minutes"), "credit": d.credit}  # fmt: skip
    rendered = [render_draft(d, slots) for d in drafts]
    texts, spans = [r[0] for r in rendered], [r[1] for r in rendered]
    for doc, text, d in zip(docs, texts, drafts, strict=True):
        doc["text"] = text
        doc["change"] = d.change
        doc["carries"] = sorted(d.changed)  # ids of changed slots it holds (its own change or an inherited one)
    entry = {"id": story_id, "source": {"dataset": article.dataset, "doc": article.doc_id, "cluster": article.cluster},
             "neighbours": [n.doc_id for n in neighbours], "documents": sorted(docs, key=lambda d: d["id"]),
             "provenance": provenance(docs, drafts), **gold(docs, drafts, spans, texts)}  # fmt: skip
    return entry

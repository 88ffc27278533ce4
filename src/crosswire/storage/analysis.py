"""Analysis tables: per-article statements, mentions and claims, and the corpus-wide entity table.

Entities are canonical across articles: the key folds spelling and transliteration variants
(``nlp/names.py``), and a surname-only person (``person:putin``, from an article that never gives the
full name) joins the one full-name person with that surname when there is exactly one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from rapidfuzz import fuzz
from sqlalchemy import ColumnElement, Connection, RowMapping, Select, delete, func, insert, or_, select, update

from crosswire.model import Analysis, Claim, DateMention, Entity, Mention, Quantity, Statement, StatementClass, StatementKind
from crosswire.storage.schema import analyses, articles, claims, entities, mentions, statements

# which kind wins when articles disagree on one name: the small model's place labels are the most reliable
# (it calls Kyiv and Kharkiv a person or an organisation now and then, rarely a person a place)
KIND_RANK = {"place": 0, "org": 1, "group": 2, "person": 3}
FIRST_NAME_SIMILARITY = 80  # rapidfuzz ratio of folded given names; "oleksandr"/"oleksander" = 94, "hillary"/"bill" = 36


@dataclass(frozen=True, slots=True)
class EntityRow:
    """An entity with how often the corpus mentions it and quotes it."""

    entity: Entity
    articles: int
    mentions: int
    statements: int


@dataclass(frozen=True, slots=True)
class StoredStatement:
    """A statement with the article it is in (for listings across articles)."""

    article_id: str
    title: str | None
    outlet: str | None
    published: str | None
    published_source: str
    statement: Statement
    text: str  # the content, joined from its spans


def replace_analysis(conn: Connection, a: Analysis, version: str) -> None:
    """Store an article's analysis, replacing an earlier one (text changed or analyser upgraded)."""
    for table in (claims, statements, mentions, analyses):
        conn.execute(delete(table).where(table.c.article_id == a.article_id))
    conn.execute(insert(analyses).values(article_id=a.article_id, version=version, language=a.language,
                                         analysed=a.analysed, note=a.note))
    remap = _canonical_keys(conn, a.entities)
    for e in a.entities:
        _upsert_entity(conn, e, remap.get(e.key, e.key))
    if a.mentions:
        conn.execute(insert(mentions), [
            {"article_id": a.article_id, "start": m.span[0], "end": m.span[1], "text": m.text, "kind": m.kind,
             "entity": remap.get(m.entity, m.entity), "via": m.via} for m in a.mentions])
    if a.statements:
        conn.execute(insert(statements), [_statement_row(a.article_id, i, s, remap) for i, s in enumerate(a.statements)])
    if a.claims:
        conn.execute(insert(claims), [_claim_row(a.article_id, c, remap) for c in a.claims])


def drop_analysis(conn: Connection, article_id: str) -> None:
    """Forget an article's analysis (its text changed): it is analysed again after the write."""
    for table in (claims, statements, mentions, analyses):
        conn.execute(delete(table).where(table.c.article_id == article_id))


def _canonical_keys(conn: Connection, ents: Sequence[Entity]) -> dict[str, str]:
    """Surname-only people → the single stored full-name person with that surname (and the reverse)."""
    remap: dict[str, str] = {}
    for e in ents:
        folded = e.key.split(":", 1)[1]
        other_kind = _first_key(conn, select(entities.c.key).where(entities.c.key.in_(
            [f"{k}:{folded}" for k in ("place", "org", "person", "group") if k != e.kind])))
        if other_kind is not None:  # the NER's kind for one name varies between articles
            if KIND_RANK[other_kind.split(":", 1)[0]] <= KIND_RANK[e.kind]:
                remap[e.key] = other_kind
            else:
                _merge_entity(conn, other_kind, e.key)
            continue
        if e.kind != "person":
            continue
        folded = e.key.split(":", 1)[1]
        words = folded.split()
        if len(words) == 1:
            full = _full_name_of(conn, folded, e.variants)
            if full is not None:
                remap[e.key] = full
        else:
            for short in _one_word_people(conn, words[-1], e):
                _merge_entity(conn, short, e.key)  # "Putin", or "Xi" written alone in this article too
            same_surname = _keys(conn, select(entities.c.key).where(
                entities.c.kind == "person", entities.c.key.like(f"person:% {words[-1]}"), entities.c.key != e.key))
            for other in same_surname:
                if fuzz.ratio(" ".join(words[:-1]), other.split(":", 1)[1].rsplit(" ", 1)[0]) >= FIRST_NAME_SIMILARITY:
                    remap[e.key] = other  # Oleksandr / Olexander Syrskyi: one person
                    break
    return remap


def _full_name_of(conn: Connection, word: str, variants: Sequence[str]) -> str | None:
    """The one stored full-name person a one-word name stands for: the only one with that surname, else the only
    one an article already wrote with that word alone (``Xi`` for ``Xi Jinping``: family name first)."""
    full = _keys(conn, select(entities.c.key).where(entities.c.kind == "person", entities.c.key.like(f"person:% {word}")))
    if len(full) == 1:
        return full[0]
    if full:
        return None
    rows = conn.execute(select(entities.c.key, entities.c.variants).where(
        entities.c.kind == "person", entities.c.key.like(f"person:{word} %")).order_by(entities.c.key))
    seen_alone = [str(r.key) for r in rows if set(json.loads(r.variants)) & set(variants)]
    return seen_alone[0] if len(seen_alone) == 1 else None


def _one_word_people(conn: Connection, surname: str, e: Entity) -> list[str]:
    """Stored one-word people this full-name person absorbs: its surname, or a one-word form this article wrote."""
    alone = [entities.c.variants.contains(json.dumps(v)) for v in e.variants if len(v.split()) == 1]
    return _keys(conn, select(entities.c.key).where(
        entities.c.kind == "person", entities.c.key != e.key, entities.c.key.not_like("% %"),
        or_(entities.c.key == f"person:{surname}", *alone)))


def _keys(conn: Connection, query: Select) -> list[str]:
    """The entity keys a query selects, in code-point order whatever the database's collation (SQLite compares
    bytes, PostgreSQL the locale's rules), so the first match, and what is merged first, is the same on both."""
    return sorted(conn.execute(query).scalars())


def _first_key(conn: Connection, query: Select) -> str | None:
    keys = _keys(conn, query)
    return keys[0] if keys else None


def _merge_entity(conn: Connection, old: str, new: str) -> None:
    """An earlier surname-only person turns out to be this full-name person: move its mentions."""
    conn.execute(update(mentions).where(mentions.c.entity == old).values(entity=new, kind=new.split(":", 1)[0]))
    conn.execute(update(statements).where(statements.c.speaker_entity == old).values(speaker_entity=new))
    for col in (claims.c.places, claims.c.actors):
        conn.execute(update(claims).where(col.contains(f'"{old}"')).values({col.name: func.replace(col, f'"{old}"', f'"{new}"')}))
    row = conn.execute(select(entities).where(entities.c.key == old)).mappings().first()
    conn.execute(delete(entities).where(entities.c.key == old))
    if row is not None:
        _upsert_entity(conn, Entity(new, new.split(":", 1)[0], row["name"], tuple(json.loads(row["variants"])),
                                    tuple(json.loads(row["descriptions"]))), new)


def _upsert_entity(conn: Connection, e: Entity, key: str) -> None:
    row = conn.execute(select(entities).where(entities.c.key == key)).mappings().first()
    if row is None:
        conn.execute(insert(entities).values(key=key, kind=e.kind, name=e.name, variants=json.dumps(list(e.variants)),
                                             descriptions=json.dumps(list(e.descriptions))))
        return
    variants = list(dict.fromkeys([*json.loads(row["variants"]), *e.variants]))
    descriptions = list(dict.fromkeys([*json.loads(row["descriptions"]), *e.descriptions]))
    name = max([row["name"], e.name], key=lambda n: (len(n.split()), len(n)))
    conn.execute(update(entities).where(entities.c.key == key).values(
        name=name, variants=json.dumps(variants), descriptions=json.dumps(descriptions)))


def _statement_row(article_id: str, seq: int, s: Statement, remap: dict[str, str]) -> dict[str, object]:
    sp, rf, cue = s.speaker_span, s.resolved_from, s.cue_span
    return {
        "id": s.id, "article_id": article_id, "seq": seq, "kind": str(s.kind), "content": json.dumps([list(c) for c in s.content]),
        "speaker": s.speaker, "speaker_start": sp[0] if sp else None, "speaker_end": sp[1] if sp else None,
        "speaker_entity": remap.get(s.speaker_entity, s.speaker_entity) if s.speaker_entity else None,
        "speaker_role": s.speaker_role, "resolved_start": rf[0] if rf else None, "resolved_end": rf[1] if rf else None,
        "cue": s.cue, "cue_start": cue[0] if cue else None, "cue_end": cue[1] if cue else None,
        "venue": s.venue, "addressee": s.addressee, "how": s.how,
        "class": str(s.class_), "negated": s.negated, "modality": s.modality,
    }


def _claim_row(article_id: str, c: Claim, remap: dict[str, str]) -> dict[str, object]:
    return {
        "id": c.id, "article_id": article_id, "start": c.span[0], "end": c.span[1], "statement_id": c.statement,
        "source": c.source, "quantities": json.dumps([asdict(q) for q in c.quantities]),
        "dates": json.dumps([asdict(d) for d in c.dates]),
        "places": json.dumps([remap.get(k, k) for k in c.places]), "actors": json.dumps([remap.get(k, k) for k in c.actors]),
    }


# -- reads -------------------------------------------------------------------------------------


def load_analysis(conn: Connection, article_id: str) -> Analysis | None:
    """The stored analysis of one article, or None when it was never analysed."""
    row = conn.execute(select(analyses).where(analyses.c.article_id == article_id)).mappings().first()
    if row is None:
        return None
    ms = tuple(Mention((r["start"], r["end"]), r["text"], r["kind"], r["entity"], r["via"]) for r in conn.execute(
        select(mentions).where(mentions.c.article_id == article_id).order_by(mentions.c.start, mentions.c.end, mentions.c.id)
    ).mappings())
    keys = sorted({m.entity for m in ms})
    ents = tuple(sorted((_entity(r) for r in conn.execute(select(entities).where(entities.c.key.in_(keys))).mappings()),
                        key=lambda e: e.key))  # code-point order on every backend
    sts = tuple(_statement(r) for r in conn.execute(
        select(statements).where(statements.c.article_id == article_id).order_by(statements.c.seq)).mappings())
    cls = tuple(_claim(r) for r in conn.execute(
        select(claims).where(claims.c.article_id == article_id).order_by(claims.c.start, claims.c.end, claims.c.id)).mappings())
    return Analysis(article_id, row["language"], row["analysed"], row["note"], ms, ents, sts, cls)


def find_statements(conn: Connection, speaker: str | None = None, article_ids: Sequence[str] | None = None,
                    limit: int | None = None, classes: Sequence[StatementClass] | None = None) -> list[StoredStatement]:
    """Statements across articles, filtered by speaker (entity key, or words of the name), articles and class
    (``classes`` None: every class)."""
    q = (select(statements, articles.c.title, articles.c.outlet, articles.c.published, articles.c.published_source,
                articles.c.text.label("article_text"))
         .join(articles, articles.c.id == statements.c.article_id))
    if speaker:
        if ":" in speaker:
            q = q.where(statements.c.speaker_entity == speaker)
        else:
            q = q.where(func.lower(statements.c.speaker).contains(speaker.lower()))
    if article_ids is not None:
        q = q.where(statements.c.article_id.in_(list(article_ids)))
    if classes is not None:
        q = q.where(statements.c["class"].in_([str(c) for c in classes]))
    q = q.order_by(articles.c.published.is_(None), articles.c.published, statements.c.article_id, statements.c.seq)
    if limit:
        q = q.limit(limit)
    out = []
    for r in conn.execute(q).mappings():
        st = _statement(r)
        text = " … ".join(r["article_text"][a:b] for a, b in st.content)
        out.append(StoredStatement(r["article_id"], r["title"], r["outlet"], r["published"], r["published_source"], st, text))
    return out


def entity_rows(conn: Connection, kind: str | None = None, search: str | None = None,
                limit: int | None = None) -> list[EntityRow]:
    """Entities with counts, most mentioned first."""
    counts = (select(mentions.c.entity, func.count().label("n"), func.count(func.distinct(mentions.c.article_id)).label("arts"))
              .group_by(mentions.c.entity).subquery())
    quoted = select(statements.c.speaker_entity, func.count().label("q")).group_by(statements.c.speaker_entity).subquery()
    q = (select(entities, counts.c.n, counts.c.arts, quoted.c.q)
         .join(counts, counts.c.entity == entities.c.key)
         .outerjoin(quoted, quoted.c.speaker_entity == entities.c.key))
    if kind:
        q = q.where(entities.c.kind == kind)
    if search:
        q = q.where(func.lower(entities.c.variants).contains(search.lower()) | func.lower(entities.c.key).contains(search.lower()))
    q = q.order_by(counts.c.arts.desc(), counts.c.n.desc(), code_point_order(conn, entities.c.key))
    if limit:
        q = q.limit(limit)
    return [EntityRow(_entity(r), r["arts"], r["n"], r["q"] or 0) for r in conn.execute(q).mappings()]


def code_point_order(conn: Connection, column: ColumnElement[str]) -> ColumnElement[str]:
    """``column`` to sort by code point, as SQLite always does: PostgreSQL otherwise follows the database's
    locale (where "de" may sort before "Der" or after it), and the two backends would list text in two orders."""
    return column.collate("C") if conn.dialect.name == "postgresql" else column


def analysed_ids(conn: Connection) -> set[str]:
    return set(conn.execute(select(analyses.c.article_id)).scalars())


def _entity(r: RowMapping) -> Entity:
    return Entity(r["key"], r["kind"], r["name"], tuple(json.loads(r["variants"])), tuple(json.loads(r["descriptions"])))


def _pair(a: int | None, b: int | None) -> tuple[int, int] | None:
    return (int(a), int(b)) if a is not None and b is not None else None


def _statement(r: RowMapping) -> Statement:
    g = r.__getitem__
    return Statement(
        id=g("id"), kind=StatementKind(g("kind")), content=tuple(tuple(c) for c in json.loads(g("content"))),
        speaker=g("speaker"), speaker_span=_pair(g("speaker_start"), g("speaker_end")), speaker_entity=g("speaker_entity"),
        speaker_role=g("speaker_role"), resolved_from=_pair(g("resolved_start"), g("resolved_end")), cue=g("cue"),
        cue_span=_pair(g("cue_start"), g("cue_end")), venue=g("venue"), addressee=g("addressee"), how=g("how"),
        class_=StatementClass(g("class")), negated=bool(g("negated")), modality=g("modality"),
    )


def _claim(r: RowMapping) -> Claim:
    g = r.__getitem__
    qs = tuple(Quantity(**{**q, "span": tuple(q["span"]), "alternatives": tuple(tuple(a) for a in q["alternatives"])})
               for q in json.loads(g("quantities")))
    ds = tuple(DateMention(**{**d, "span": tuple(d["span"])}) for d in json.loads(g("dates")))
    return Claim(g("id"), (g("start"), g("end")), qs, ds, tuple(json.loads(g("places"))), tuple(json.loads(g("actors"))),
                 g("statement_id"), g("source"))

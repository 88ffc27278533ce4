"""Rendering of the use-cases' results: Rich tables for the terminal, TSV and CSV for pipes. Article text is escaped: it
is untrusted.

A listing is built once (``Listing``: columns and rows of plain or styled text) and written in the format asked for:
``table`` (Rich; on a terminal it fits the width, piped it never wraps), ``tsv`` (one row per line, tabs and
newlines inside a cell become spaces: ``csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)`` reads it) or ``csv``.
Ids are shown as prefixes in tables and whole in TSV/CSV, so piped rows join back to the store and the export.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from crosswire.model import Article, Origin

if TYPE_CHECKING:  # the use-cases pull in spaCy and trafilatura: `crosswire settings` renders without them
    from crosswire.app.ingest import AddReport


def report_json(report: AddReport) -> dict[str, Any]:
    """An add report as JSON: counts and one entry per item."""
    return {
        "added": report.count("added"),
        "duplicate": report.count("duplicate"),
        "unchanged": report.count("unchanged"),
        "failed": report.count("failed"),
        "items": [
            {"status": o.status, "input": o.origin.label(), "article_id": o.article_id, "detail": o.detail}
            for o in report.outcomes
        ],
    }


def print_report(out: Console, err: Console, report: AddReport) -> None:
    """Summary line plus one line per failure naming the input and the problem."""
    for o in report.failures:
        err.print(f"[red]failed[/] {escape(o.origin.label())}: {escape(o.detail)}")
    for o in report.outcomes:
        if o.status == "added" and o.detail:
            out.print(f"[yellow]note[/] {escape(o.origin.label())}: {escape(o.detail)}", soft_wrap=True, highlight=False)
    out.print(
        f"[green]{report.count('added')} added[/], {report.count('duplicate')} duplicate, "
        f"{report.count('unchanged')} unchanged, [red]{report.count('failed')} failed[/]"
    )


Cell = str | Text  # plain text (never markup: it is escaped for tables) or styled text
FORMATS = ("table", "tsv", "csv")
PIPED_WIDTH = 100_000  # a table written to a pipe or file is as wide as its longest row: never wrapped


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a listing: its heading, its share of a terminal's width, and the id prefix tables show."""

    name: str
    ratio: int | None = None  # share of the spare width on a terminal; None: as wide as its content
    short: int | None = None  # an id: tables show this many characters, TSV/CSV the whole id

    @property
    def key(self) -> str:
        """The heading in TSV/CSV: one word, lower case."""
        return self.name.replace(" ", "_").replace("·", "").strip("_")


@dataclass(frozen=True, slots=True)
class Listing:
    """Rows of one listing with their columns, a title for tables, and what to say when there are none."""

    title: str
    columns: tuple[Column, ...]
    rows: list[tuple[Cell, ...]] = dataclass_field(default_factory=list)

    def table(self, wrap: bool = True) -> Table:
        """The listing as a Rich table; ``wrap=False`` keeps every row on one line (long cells are never folded)."""
        t = Table(title=self.title, box=box.SIMPLE_HEAD, pad_edge=False, expand=wrap and any(c.ratio for c in self.columns))
        for c in self.columns:
            t.add_column(c.name, ratio=c.ratio if wrap else None, overflow="fold" if wrap else "ignore", no_wrap=not wrap)
        for row in self.rows:
            t.add_row(*(_table_cell(v, c, wrap) for v, c in zip(row, self.columns, strict=True)))
        return t


def _table_cell(value: Cell, column: Column, wrap: bool) -> Text:
    text = value.copy() if isinstance(value, Text) else Text(value)
    if column.short:
        text.truncate(column.short)
    if not wrap:
        text = Text(" · ".join(text.plain.splitlines()), style=text.style)
    return text


def plain(value: Cell) -> str:
    """A cell as one line of plain text: its lines joined with ' · ', tabs as spaces."""
    text = value.plain if isinstance(value, Text) else value
    return " · ".join(line.strip() for line in text.splitlines() if line.strip()).replace("\t", " ")


def emit(out: Console, listing: Listing, fmt: str) -> None:
    """Write a listing as a table (fitted on a terminal, unwrapped when piped), TSV or CSV."""
    if fmt == "table":
        if out.is_terminal:
            out.print(listing.table())
        else:
            wide = Console(file=out.file, width=PIPED_WIDTH, color_system=None, highlight=False)
            wide.print(listing.table(wrap=False), crop=False)
        return
    stream = out.file
    if fmt == "tsv":  # IANA TSV: no quoting; plain() leaves no tab or newline inside a cell
        stream.write("\t".join(c.key for c in listing.columns) + "\n")
        stream.writelines("\t".join(plain(v) for v in row) + "\n" for row in listing.rows)
    else:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow([c.key for c in listing.columns])
        writer.writerows([plain(v) for v in row] for row in listing.rows)
    stream.flush()


def articles_listing(rows: Sequence[Article]) -> Listing:
    """Articles: id, date (and how found), outlet, language, title, and the article it copies."""
    cols = (Column("id", short=8), Column("published"), Column("how"), Column("outlet"), Column("lang"),
            Column("title", ratio=1), Column("copy of", short=8))
    listing = Listing(f"{len(rows)} article(s)", cols)
    for a in rows:
        m = a.meta
        listing.rows.append((a.id, m.published.value or "—", str(m.published.source), m.outlet or "—", m.language or "?",
                             m.title or "(untitled)", a.duplicate_of or ""))
    return listing


def print_article(out: Console, a: Article, origins: Sequence[Origin], show_removed: bool) -> None:
    """Metadata with the signal behind each value, the clean text, and (optionally) removed lines."""
    m = a.meta
    meta = Table.grid(padding=(0, 2))
    meta.add_column(style="bold")
    meta.add_column()
    signals: dict[str, list[str]] = {}
    for field, signal in m.signals:
        signals.setdefault(field, []).append(signal)

    def row(name: str, value: object, key: str | None = None) -> None:
        how = "; ".join(signals.get(key or name, []))
        meta.add_row(name, escape(str(value)) + (f"  [dim]({escape(how)})[/]" if how and value not in (None, "", "—") else ""))

    row("id", a.id)
    row("title", m.title or "—")
    row("outlet", m.outlet or "—")
    row("authors", ", ".join(m.authors) or "—")
    row("credited", ", ".join(m.credited) or "—")
    row("dateline", m.dateline or "—")
    meta.add_row("published", f"{m.published.value or 'unknown'} [cyan]{m.published.source}[/] [dim]({escape(m.published.evidence)})[/]")
    row("updated", m.updated or "—")
    row("seen", m.seen or "—")
    row("url", m.url or "—")
    row("language", m.language or "—")
    row("format", f"{a.format} ({a.encoding})")
    if a.duplicate_of:
        row("copy of", a.duplicate_of)
    for o in origins:
        row("input", o.label())
    out.print(Panel(meta, title="article", expand=False))
    out.print(escape(a.text), highlight=False)
    for f in a.flags:
        excerpt = a.text[f.span[0] : f.span[1]]
        excerpt = excerpt if len(excerpt) <= 90 else excerpt[:87] + "…"
        out.print(f"[magenta]flag[/] {f.kind} at {f.span[0]}–{f.span[1]}: {escape(f.detail)} — “{escape(excerpt)}”", soft_wrap=True)
    if show_removed:
        out.print(removed_table(a))
    elif a.removed:
        out.print(f"[dim]{len(a.removed)} line(s) removed; show them with --removed[/]")


def removed_table(a: Article) -> Table:
    """Every removed line with its reason and the rule that fired."""
    table = Table("line", "reason", "rule", "text", title=f"{len(a.removed)} removed line(s)")
    for r in a.removed:
        table.add_row(str(r.line_no) if r.line_no > 0 else "¶", r.reason, r.rule, escape(r.text.strip()))
    return table


def print_summary(out: Console, summary: dict[str, Any], db: str) -> None:
    """What the demo found: outlets, languages, how dates were determined, copies, rejections."""
    def pairs(items: Any) -> str:
        return ", ".join(f"{escape(str(k))} {v}" for k, v in items)

    out.print(f"[bold]{summary['articles']} articles[/] in {escape(db)}")
    out.print(f"outlets: {pairs(summary['outlets'])}")
    out.print(f"languages: {pairs(summary['languages'])}")
    out.print(f"dates: {pairs(summary['date_sources'])}")
    out.print(f"verbatim copies across outlets: {summary['copies']}; rejected inputs on record: {summary['rejections']}")
    out.print("[dim]next: crosswire show ID --removed · crosswire export --format json[/]")


def stories_listing(views: Sequence[Any]) -> Listing:
    """Stories: id, first and last day, size, outlets, languages, central headline."""
    cols = (Column("story", short=10), Column("first"), Column("last"), Column("n"), Column("outlets", ratio=1),
            Column("lang"), Column("title", ratio=2))
    listing = Listing(f"{len(views)} stor{'y' if len(views) == 1 else 'ies'}", cols)
    for v in views:
        listing.rows.append((v.id, v.first or "—", v.last or "—", str(len(v.members)), ", ".join(v.outlets) or "—",
                             ",".join(v.languages), v.title or "—"))
    return listing


def print_story(out: Console, v: Any, fmt: str = "table") -> None:
    """A story's members in time order, each with the signals that put it there (TSV/CSV: the members alone)."""
    if fmt == "table":
        out.print(f"[bold]{escape(v.title or '(untitled)')}[/]  [dim]{v.id}[/]", soft_wrap=True)
        span = "undated" if not v.first else v.first if v.first == v.last else f"{v.first} – {v.last}"
        out.print(f"{len(v.members)} article(s) · {span} · outlets: {escape(', '.join(v.outlets) or '—')} · "
                  f"languages: {', '.join(v.languages)}", soft_wrap=True)
    emit(out, story_members_listing(v), fmt)


def story_members_listing(v: Any) -> Listing:
    """The members of one story with why each is there."""
    cols = (Column("published"), Column("how"), Column("outlet"), Column("article", short=8), Column("title", ratio=2),
            Column("why it is here", ratio=3))
    listing = Listing("", cols)
    for m in v.members:
        if m.new_story:
            why = "started the story"
        else:
            names = ", ".join(m.shared_names[:5])
            why = f"probability {m.score:.2f} (embedding {m.embedding_sim:.2f}, names {m.names_sim:.2f}){'; shared: ' + names if names else ''}"
        listing.rows.append((m.published or "—", m.published_source, m.outlet or "—", m.article_id, (m.title or "")[:90], why))
    return listing


def print_corrections(out: Console, fixes: Sequence[Any]) -> None:
    """The audit log of a story's corrections."""
    for c in fixes:
        out.print(
            f"[yellow]{c.action}[/] {c.at} by {escape(c.who)}: {len(c.article_ids)} article(s) into {c.story_id}"
            + (f" from {c.other_story_id}" if c.other_story_id else ""),
            soft_wrap=True,
        )


def statements_listing(rows: Sequence[Any]) -> Listing:
    """Statements across articles: when, outlet, speaker and role, cue, kind, content, article and spans."""
    cols = (Column("published"), Column("outlet", ratio=2), Column("speaker", ratio=2), Column("role", ratio=1),
            Column("cue"), Column("kind"), Column("content", ratio=6), Column("article", short=10), Column("spans"))
    listing = Listing(f"{len(rows)} statements", cols)
    for r in rows:
        s = r.statement
        spans = ", ".join(f"{a}-{b}" for a, b in s.content)
        listing.rows.append((r.published or "—", r.outlet or "—", _speaker(s), s.speaker_role or "", s.cue or "—",
                             _kind(s), _clip(r.text, 220), r.article_id, spans))
    return listing


def statements_table(rows: Sequence[Any]) -> Table:
    """Statements as a table."""
    return statements_listing(rows).table()


def _speaker(s: Any) -> Cell:
    """The speaker, or why there is none: never a blank a reader could fill with the wrong person."""
    if s.speaker:
        return s.speaker
    return Text("unresolved" if s.speaker_span else "no speaker found", style="yellow")


def _kind(s: Any) -> Text:
    """direct / mixed / indirect, with the class when it is not speech and what governs the content's truth
    (the content span alone may not show it: "denies | that its forces committed war crimes")."""
    parts = [(str(s.kind), "")]
    if str(s.class_) != "speech":
        parts.append((str(s.class_), "cyan"))
    if s.negated:
        parts.append(("negated", "bold red"))
    if s.modality:
        parts.append((s.modality, "magenta"))
    return Text("\n").join(Text(p, style=style) for p, style in parts)


def entities_listing(rows: Sequence[Any]) -> Listing:
    """Canonical entities with their spellings and counts."""
    cols = (Column("name", ratio=2), Column("kind"), Column("articles"), Column("quoted"), Column("variants", ratio=3),
            Column("descriptions", ratio=3), Column("key", ratio=2))
    listing = Listing(f"{len(rows)} entities", cols)
    for r in rows:
        e = r.entity
        listing.rows.append((e.name, e.kind, str(r.articles), str(r.statements), ", ".join(e.variants[:6]),
                             "; ".join(e.descriptions[:3]), e.key))
    return listing


def print_analysis(out: Console, a: Article, analysis: Any) -> None:
    """Statements and claims of one article, each with its spans."""
    if not analysis.analysed:
        out.print(f"[dim]not analysed: {escape(analysis.note)}[/]")
        return
    t = Table(title=f"{len(analysis.statements)} statements")
    for col in ("speaker", "cue", "kind", "content", "spans"):
        t.add_column(col, overflow="fold")
    for s in analysis.statements:
        text = " … ".join(a.text[x:y] for x, y in s.content)
        t.add_row(_speaker(s), escape(s.cue or "—"), _kind(s), escape(_clip(text, 200)),
                  ", ".join(f"{x}-{y}" for x, y in s.content))
    out.print(t)
    facts = [c for c in analysis.claims if c.quantities or c.dates]
    if facts:
        c_t = Table(title=f"{len(facts)} claims with quantities or dates")
        for col in ("quantities", "dates", "source", "span"):
            c_t.add_column(col, overflow="fold")
        for c in facts:
            qs = "; ".join(_quantity(q) for q in c.quantities)
            ds = "; ".join(f"{d.text} → {d.value or 'unresolved'}" for d in c.dates)
            c_t.add_row(escape(qs), escape(ds), escape(c.source or "—"), f"{c.span[0]}-{c.span[1]}")
        out.print(c_t)


def _quantity(q: Any) -> str:
    approx = f"{q.approx} " if q.approx else ""
    rng = f" ({q.low:g}–{q.high:g})" if q.low is not None and q.high is not None else ""
    alts = "".join(f" = {v:g} {u}" for v, u in q.alternatives)
    return f"{approx}{q.value:g} {q.unit or ''}{rng}{alts}".strip()


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def print_comparison(out: Console, view: Any, c: Any) -> None:
    """Provenance tree, conflicts, aligned statements and the fact table of one story."""
    outlet = {m.article_id: m.outlet or m.article_id[:8] for m in view.members}
    out.print(f"[bold]{escape(view.title or '(untitled)')}[/]  [dim]{view.id}[/]")
    out.print(f"{len(c.article_ids)} articles · {c.independent_sources} independent source(s)")
    for line in c.summary:  # what was compared and what it shows, before any table
        out.print(f"  [bold]{escape(line.kind)}[/]  {escape(line.text)}")
    status = {s.article_id: f"{s.status}: {'; '.join(s.evidence)}" for s in c.sources}
    tree = Tree("[bold]provenance[/] (an article without an arrow derives from no other article found here)")
    nodes = {}
    for o in c.originals:
        nodes[o] = tree.add(escape(f"{outlet.get(o, o)} [{o[:8]}]" + (f" — {status[o]}" if o in status else "")))
    for e in c.provenance:
        parent = nodes.get(e.source) or tree.add(escape(f"{outlet.get(e.source, e.source)} [{e.source[:8]}]"))
        nodes[e.source] = parent
        label = f"{e.relation} → {outlet.get(e.target, e.target)} [{e.target[:8]}] ({e.confidence:.2f}; {e.reason}"
        label += f"; adds {len(e.added)} passage(s))" if e.added else ")"
        nodes.setdefault(e.target, parent.add(escape(label)))
    out.print(tree)
    t = Table(title=f"{len(c.conflicts)} conflicts", expand=True)
    for col, ratio in (("kind", 1), ("severity", 1), ("sides: value — outlets (independent sources)", 5), ("most conservative", 1)):
        t.add_column(col, ratio=ratio, overflow="fold")
    for k in c.conflicts:
        sides = "\n".join(f"{s.value!r} — {', '.join(sorted({outlet.get(p.article_id, p.article_id) for p in s.passages}))} "
                          f"({s.independent_sources}) @ {', '.join(f'{p.article_id[:8]}:{p.span[0]}-{p.span[1]}' for p in s.passages[:3])}"
                          for s in k.sides)
        t.add_row(k.kind, k.severity, escape(sides), escape(k.conservative or "—"))
    out.print(t)
    st = Table(title=f"{len(c.statements)} aligned statements", expand=True)
    for col, ratio in (("speaker", 1), ("outlet", 1), ("variant", 4), ("differs by", 2)):
        st.add_column(col, ratio=ratio, overflow="fold")
    for a in c.statements:
        for i, v in enumerate(a.variants):
            st.add_row(escape(a.speaker or "—") if i == 0 else "", escape(outlet.get(v.article_id, v.article_id)),
                       escape(_clip(v.text, 160)), escape("; ".join(v.differences) or ("reference" if i == 0 else "—")))
    out.print(st)
    ft = Table(title=f"{len(c.facts)} facts reported by several articles", expand=True)
    for col, ratio in (("fact", 2), ("values by outlet", 5)):
        ft.add_column(col, ratio=ratio, overflow="fold")
    for f in c.facts:
        ft.add_row(escape(f.label), escape("; ".join(f"{outlet.get(v.article_id, v.article_id)}: {v.value}" for v in f.values)))
    out.print(ft)


def timeline_listing(entries: Sequence[Any], names: Mapping[str, str] | None = None) -> Listing:
    """A speaker's statements in time order; possible contradictions marked; what each is about by name
    (``names``: entity key → name; a key without a name shows as its kind, never as the key)."""
    cols = (Column("published"), Column("how"), Column("outlet", ratio=1), Column("content", ratio=5),
            Column("about", ratio=2), Column("may contradict"), Column("article", short=10), Column("spans"))
    listing = Listing(f"{len(entries)} statements", cols)
    for e in entries:
        r = e.statement
        listing.rows.append((r.published or "—", r.published_source, r.outlet or "—", _clip(r.text, 200),
                             ", ".join(_entity_names(e.about[:4], names or {})), ", ".join(x[:10] for x in e.contradicts),
                             r.article_id, ", ".join(f"{a}-{b}" for a, b in r.statement.content)))
    return listing


def timeline_table(entries: Sequence[Any], names: Mapping[str, str] | None = None) -> Table:
    """A speaker's timeline as a table."""
    return timeline_listing(entries, names).table()


def rejections_listing(rows: Sequence[Any]) -> Listing:
    """Rejected inputs with their reasons and how often they were seen."""
    listing = Listing(f"{len(rows)} rejected input(s)", (Column("input", ratio=2), Column("reason", ratio=3),
                                                         Column("last seen"), Column("times")))
    listing.rows.extend((r.origin.label(), r.reason, r.last_seen, str(r.times)) for r in rows)
    return listing


def _entity_names(keys: Sequence[str], names: Mapping[str, str]) -> list[str]:
    """Entity keys as users read them: the entity's name (a key is an identifier, not a name)."""
    return list(dict.fromkeys(names.get(k) or f"a {k.split(':', 1)[0]}" for k in keys))

"""Rich rendering of workflow results for the terminal. Article text is escaped: it is untrusted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.tree import Tree

from crosswire.app.ingest import AddReport
from crosswire.model import Article, Origin


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


def articles_table(rows: Sequence[Article]) -> Table:
    """Articles as a table: id, date (and how found), outlet, language, title."""
    table = Table(title=f"{len(rows)} article(s)", box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1))
    table.add_column("id", no_wrap=True)
    table.add_column("published", no_wrap=True)
    table.add_column("how", no_wrap=True)
    table.add_column("outlet", max_width=18, overflow="ellipsis", no_wrap=True)
    table.add_column("lang", no_wrap=True)
    table.add_column("title", ratio=1, overflow="fold")
    for a in rows:
        m = a.meta
        table.add_row(
            a.id[:8], m.published.value or "—", str(m.published.source), escape(m.outlet or "—"),
            m.language or "?", escape(m.title or "(untitled)") + (" [dim](copy)[/]" if a.duplicate_of else ""),
        )  # fmt: skip
    return table


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


def stories_table(views: Sequence[Any]) -> Table:
    """Stories: id, span, size, outlets, languages, central headline."""
    table = Table(title=f"{len(views)} stor{'y' if len(views) == 1 else 'ies'}", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("story", no_wrap=True)
    table.add_column("span", no_wrap=True)
    table.add_column("n", justify="right")
    table.add_column("outlets", max_width=28, overflow="fold")
    table.add_column("lang", no_wrap=True)
    table.add_column("title", ratio=1, overflow="fold")
    for v in views:
        span = "—" if not v.first else v.first if v.first == v.last else f"{v.first} – {v.last}"
        outlets = ", ".join(v.outlets[:4]) + (f" +{len(v.outlets) - 4}" if len(v.outlets) > 4 else "")
        table.add_row(v.id[:10], span, str(len(v.members)), escape(outlets or "—"), ",".join(v.languages), escape(v.title or "—"))
    return table


def print_story(out: Console, v: Any) -> None:
    """A story's members in time order, each with the signals that put it there."""
    out.print(f"[bold]{escape(v.title or '(untitled)')}[/]  [dim]{v.id}[/]", soft_wrap=True)
    span = "undated" if not v.first else v.first if v.first == v.last else f"{v.first} – {v.last}"
    out.print(f"{len(v.members)} article(s) · {span} · outlets: {escape(', '.join(v.outlets) or '—')} · languages: {', '.join(v.languages)}")
    table = Table("published", "how", "outlet", "article", "why it is here", box=box.SIMPLE_HEAD, pad_edge=False)
    for m in v.members:
        if m.new_story:
            why = "started the story"
        else:
            names = ", ".join(m.shared_names[:5])
            why = f"probability {m.score:.2f} (embedding {m.embedding_sim:.2f}, names {m.names_sim:.2f}){'; shared: ' + names if names else ''}"
        table.add_row(m.published or "—", m.published_source, escape(m.outlet or "—"), f"{m.article_id[:8]} {escape((m.title or '')[:60])}", escape(why))
    out.print(table)


def print_corrections(out: Console, fixes: Sequence[Any]) -> None:
    """The audit log of a story's corrections."""
    for c in fixes:
        out.print(
            f"[yellow]{c.action}[/] {c.at} by {escape(c.who)}: {len(c.article_ids)} article(s) into {c.story_id}"
            + (f" from {c.other_story_id}" if c.other_story_id else ""),
            soft_wrap=True,
        )


def statements_table(rows: Sequence[Any]) -> Table:
    """Statements across articles: when, outlet, speaker (and the mention it came from), cue, kind, content."""
    t = Table(title=f"{len(rows)} statements", expand=True)
    for col, ratio in (("published", 2), ("outlet", 2), ("speaker", 2), ("cue", 1), ("kind", 1), ("content", 6), ("article · spans", 2)):
        t.add_column(col, overflow="fold", ratio=ratio)
    for r in rows:
        s = r.statement
        who = _speaker(s) + (f"\n[dim]{escape(s.speaker_role)}[/]" if s.speaker_role else "")
        spans = ", ".join(f"{a}-{b}" for a, b in s.content)
        t.add_row(r.published or "—", escape(r.outlet or "—"), who, escape(s.cue or "—"), _kind(s),
                  escape(_clip(r.text, 220)), f"{r.article_id[:10]} · {spans}")
    return t


def _speaker(s: Any) -> str:
    """The speaker, or why there is none: never a blank a reader could fill with the wrong person."""
    if s.speaker:
        return escape(s.speaker)
    return "[yellow]unresolved[/]" if s.speaker_span else "[yellow]no speaker found[/]"


def _kind(s: Any) -> str:
    """direct / mixed / indirect, with the class when it is not speech and what governs the content's truth
    (the content span alone may not show it: "denies | that its forces committed war crimes")."""
    parts = [str(s.kind)]
    if str(s.class_) != "speech":
        parts.append(f"[cyan]{s.class_}[/]")
    if s.negated:
        parts.append("[bold red]negated[/]")
    if s.modality:
        parts.append(f"[magenta]{escape(s.modality)}[/]")
    return "\n".join(parts)


def entities_table(rows: Sequence[Any]) -> Table:
    """Canonical entities with their spellings and counts."""
    t = Table(title=f"{len(rows)} entities")
    for col in ("name", "kind", "articles", "quoted", "variants", "descriptions", "key"):
        t.add_column(col, overflow="fold")
    for r in rows:
        e = r.entity
        t.add_row(escape(e.name), e.kind, str(r.articles), str(r.statements), escape(", ".join(e.variants[:6])),
                  escape("; ".join(e.descriptions[:3])), escape(e.key))
    return t


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


def timeline_table(entries: Sequence[Any], names: Mapping[str, str] | None = None) -> Table:
    """A speaker's statements in time order; possible contradictions marked; what each is about by name
    (``names``: entity key → name; a key without a name shows as its kind, never as the key)."""
    t = Table(title=f"{len(entries)} statements", expand=True)
    for col, ratio in (("published", 1), ("outlet", 1), ("content", 5), ("about", 2), ("may contradict", 1)):
        t.add_column(col, ratio=ratio, overflow="fold")
    for e in entries:
        r = e.statement
        when = f"{r.published or '—'}" + (f" ({r.published_source})" if r.published_source == "inferred" else "")
        t.add_row(when, escape(r.outlet or "—"), escape(_clip(r.text, 200)), escape(", ".join(_entity_names(e.about[:4], names or {}))),
                  escape(", ".join(x[:10] for x in e.contradicts) or ""))
    return t


def _entity_names(keys: Sequence[str], names: Mapping[str, str]) -> list[str]:
    """Entity keys as users read them: the entity's name (a key is an identifier, not a name)."""
    return list(dict.fromkeys(names.get(k) or f"a {k.split(':', 1)[0]}" for k in keys))

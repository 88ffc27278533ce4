"""The ``crosswire`` command: argv in, Rich tables, TSV, CSV or JSON out. All logic lives in the use-cases (``crosswire.app``).

Exit codes: 0 ok · 1 some inputs failed · 2 usage error (a bad flag, date or setting, named) · 3 not found ·
4 the store cannot be opened (or, for a verb that only reads, does not exist).

Listings take ``--format table|tsv|csv|json``: a table on a terminal, TSV when stdout is a pipe or a file (one row
per line, whole ids), as ``gh`` does. Empty results say why on stderr, so pipes stay clean.

Each verb imports what it needs when it runs: the use-cases pull in spaCy, the sentence encoder and
trafilatura, which ``--version``, ``--help`` and ``settings`` never need (startup figures: docs/benchmarks.md).
"""

from __future__ import annotations

import ctypes
import os
import re
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup, TyperOption

from crosswire import __version__
from crosswire.errors import ConfigError, Conflict, NotFound, StoreBusy
from crosswire.settings import LOOPBACK_HOSTS, Resolved, Settings, env_name, redact, resolve

if TYPE_CHECKING:
    from crosswire.app.ingest import Progress as ProgressCallback
    from crosswire.cli.render import Listing
    from crosswire.model import StatementClass
    from crosswire.storage.store import Store

EXIT_FAILED_INPUTS, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_STORE = 1, 2, 3, 4
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_rich_type = TyperOption.display_type_rich


def _flag_type(self: TyperOption, ctx: Any) -> str | None:
    """A flag takes no value: its help shows ``--json``, not ``--json <bool>`` (Typer 0.29's rich help shows the type)."""
    return None if self.is_flag else _rich_type(self, ctx)


TyperOption.display_type_rich = _flag_type  # type: ignore[method-assign]

app = typer.Typer(
    name="crosswire",
    help="Show, fact by fact, how different news outlets report the same event.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
out = Console()
err = Console(stderr=True, soft_wrap=True, highlight=False)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Store: SQLite file or SQLAlchemy URL. Default: $CROSSWIRE_DB or ./crosswire.db."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table (same as --format json).")]
FormatOption = Annotated[str | None, typer.Option(
    "--format", "-f", metavar="table|tsv|csv|json", help="Output format. Default: table on a terminal, tsv when piped.")]


def _iso_date(value: str | None) -> str | None:
    """A --since/--until value: a real calendar day as YYYY-MM-DD, or a usage error naming it."""
    if value is None:
        return None
    try:
        if not ISO_DATE.fullmatch(value):
            raise ValueError
        date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD, e.g. 2024-05-17") from None
    return value


SinceOption = Annotated[str | None, typer.Option(help="Published on or after YYYY-MM-DD.", callback=_iso_date)]
UntilOption = Annotated[str | None, typer.Option(help="Published on or before YYYY-MM-DD.", callback=_iso_date)]


def main() -> None:
    """Entry point of the ``crosswire`` script."""
    if sys.argv[1:] == ["--version"]:  # answered before Typer builds the command line (a third of a second)
        print(f"crosswire {__version__}")
        return
    workers_die_with_parent()
    app()


PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when the thread that forked it ends
_forking_pid = [0]


def workers_die_with_parent() -> None:
    """Every process forked from here on (the pipeline's pool, spaCy's ``n_process``) is killed when its parent dies.

    They wait on queues whose write end they hold themselves, so after a ``kill -9`` of ``crosswire add`` they
    would wait for ever. Linux only (prctl); elsewhere nothing changes.
    """
    if sys.platform.startswith("linux"):
        os.register_at_fork(before=lambda: _forking_pid.__setitem__(0, os.getpid()), after_in_child=_die_with_parent)


def _die_with_parent() -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl (another libc): workers behave as before
        return
    if os.getppid() != _forking_pid[0]:  # the parent died between fork and prctl
        os._exit(1)


_invocation: dict[str, Any] = {}  # the root options of the current command line, set by _root on every run


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
    config: Annotated[Path | None, typer.Option(
        "--config", help="Settings file (TOML). Default: ./crosswire.toml when it exists; see `crosswire settings`.")] = None,
) -> None:
    if version:
        out.print(f"crosswire {__version__}")
        raise typer.Exit()
    _invocation["config"] = config
    out.soft_wrap = not out.is_terminal  # piped text (an article, a summary) is never broken at 80 columns


def _settings(**flags: Any) -> Resolved:
    """Settings from the config file, the environment and these flags; a bad value is a usage error naming it."""
    try:
        return resolve(config=_invocation.get("config"), **flags)
    except ConfigError as exc:
        err.print(f"[red]error:[/] invalid setting: {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from exc


@contextmanager
def _store(db: str | None, create: bool = False, **overrides: Any) -> Iterator[tuple[Store, Settings]]:
    """The store, opened (and migrated); a verb that only reads (``create=False``) never creates one."""
    from sqlalchemy.exc import SQLAlchemyError

    from crosswire import app as cases

    settings = _settings(db_url=db, **overrides).settings
    path = settings.sqlite_path
    if not create and path is not None and not path.exists():
        err.print(f"[red]error:[/] no store at {escape(str(path))}: nothing has been added there yet. Run "
                  f"`crosswire add PATH…` (or `crosswire demo`) first, or point --db / CROSSWIRE_DB at your store.")
        raise typer.Exit(EXIT_STORE)
    try:
        store = cases.open_store(settings, on_wait=_tell_waiting())
    except (SQLAlchemyError, StoreBusy, ValueError) as exc:  # ValueError: a URL SQLAlchemy cannot read (a bad port)
        err.print(f"[red]error:[/] cannot open the store: {escape(redact(str(exc), settings.db_url))}")
        raise typer.Exit(EXIT_STORE) from exc
    try:
        yield store, settings
    except NotFound as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(EXIT_NOT_FOUND) from exc
    except StoreBusy as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(EXIT_STORE) from exc
    finally:
        store.close()


def _tell_waiting() -> Any:
    """Say once, then every half minute, that another process holds the store's write lock."""
    told = [-1.0]

    def on_wait(waited: float) -> None:
        if told[0] < 0 or waited - told[0] >= 30:
            err.print(f"[yellow]waiting:[/] another crosswire is writing to the store; waiting for it ({waited:.0f} s so far)")
            told[0] = waited

    return on_wait


def _format(fmt: str | None, json_out: bool, allowed: tuple[str, ...] = ("table", "tsv", "csv", "json")) -> str:
    """The output format asked for (--json is --format json); by default a table on a terminal, TSV when piped."""
    if json_out:
        fmt = "json"
    fmt = fmt or ("table" if out.is_terminal else "tsv")
    if fmt not in allowed:
        err.print(f"[red]error:[/] unknown format {fmt!r}; use {', '.join(allowed)}")
        raise typer.Exit(EXIT_USAGE)
    return fmt


def _emit(listing: Listing, fmt: str, empty_hint: str | None = None) -> None:
    """Write a listing; when it has no rows, say why (on stderr, so a pipe gets only the header)."""
    from crosswire.cli import render

    render.emit(out, listing, fmt)
    if not listing.rows and empty_hint:
        err.print(f"[yellow]note:[/] {empty_hint}")


@app.command()
def add(
    inputs: Annotated[list[str], typer.Argument(help=(
        "Files, directories (recursive), globs ('data/*.jsonl', quoted), http(s) URLs, fsspec URLs "
        "(s3://, gs://… with s3fs, gcsfs… installed), or - for stdin."))],
    db: DbOption = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow fetching private/loopback addresses.")] = False,
    fetch: Annotated[bool, typer.Option("--fetch", help="For feeds, fetch each entry's linked page.")] = False,
    json_out: JsonOption = False,
    dask: Annotated[str | None, typer.Option("--dask", metavar="local[:N]|tcp://HOST:PORT",
                                             help="Run cleaning and analysis on a Dask cluster (back-fills); needs crosswire[dask].")] = None,
) -> None:
    """Ingest articles: clean them, recover their metadata and store them. Adding twice changes nothing."""
    from crosswire.app import ingest
    from crosswire.cli import render
    from crosswire.ingest.sources import expand_inputs
    from crosswire.pipeline.runner import ChunkFailed

    with _store(db, create=True, allow_private=allow_private or None, fetch_links=fetch or None) as (store, settings):
        refs = expand_inputs(inputs)
        with (_progress(len(refs), quiet=json_out) as advance, _cluster_progress(quiet=json_out or not dask) as cluster,
              _comparing(quiet=json_out) as compared):
            try:
                report = ingest.add_inputs(refs, settings, store, progress=advance, compared=compared, dask=dask, cluster=cluster)
            except (ChunkFailed, ConfigError) as exc:
                err.print(f"[red]error:[/] {escape(str(exc))}")
                raise typer.Exit(EXIT_FAILED_INPUTS if isinstance(exc, ChunkFailed) else EXIT_USAGE) from exc
        outdated = ingest.outdated_count(store)
    if json_out:
        out.print_json(data=render.report_json(report))
    else:
        render.print_report(out, err, report)
        if outdated:
            err.print(f"note: {outdated} stored article(s) were analysed by an older version of the rules; their "
                      f"statements may read differently now: run `crosswire reanalyse`")
    if report.failures:
        raise typer.Exit(EXIT_FAILED_INPUTS)


@app.command()
def reanalyse(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Analyse again the articles an older version of the rules analysed (after an upgrade); their stories'
    comparisons are made again. Safe to interrupt and re-run."""
    from crosswire.app import ingest

    with _store(db) as (store, settings):
        total = ingest.outdated_count(store)

        def progress(done: int, of: int) -> None:
            if not json_out:
                err.print(f"reanalysed {done:,} of {of:,}")

        done = ingest.reanalyse(store, settings, progress=progress)
    if json_out:
        out.print_json(data={"outdated": total, "reanalysed": done})
    else:
        out.print(f"{done} article(s) analysed again with the current rules" if total else
                  "every stored article is analysed with the current rules")


@app.command()
def articles(
    db: DbOption = None,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet (case-insensitive).")] = None,
    language: Annotated[str | None, typer.Option(help="Only this language code, e.g. en.")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    search: Annotated[str | None, typer.Option(help="Title or text contains this.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows (0: all).")] = 100,
    fmt: FormatOption = None,
    json_out: JsonOption = False,
) -> None:
    """List stored articles with their outlet, date (and how it was found) and language."""
    from crosswire.app import reading
    from crosswire.cli import render
    from crosswire.export import article_record
    from crosswire.storage.store import ArticleFilter

    fmt = _format(fmt, json_out)
    flt = ArticleFilter(outlet, language, since, until, search, limit or None)
    with _store(db) as (store, _):
        rows = reading.list_articles(store, flt)
        if fmt == "json":
            out.print_json(data=[article_record(a, store.origins(a.id)) | {"text": None} for a in rows])
            return
        filters = " ".join(f"--{k} {v!r}" for k, v in (("outlet", outlet), ("language", language), ("since", since),
                                                         ("until", until), ("search", search)) if v)
        hint = (f"no article matches {filters}; `crosswire articles` without filters lists them all" if filters
                else "the store has no articles yet; add some with `crosswire add PATH…`")
    _emit(render.articles_listing(rows), fmt, hint)


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id or a unique prefix of it.")],
    db: DbOption = None,
    removed: Annotated[bool, typer.Option("--removed", help="List every removed line with its reason and rule.")] = False,
    json_out: JsonOption = False,
) -> None:
    """One article: metadata (with where each value came from), clean text, removed lines."""
    from crosswire.app import reading
    from crosswire.cli import render
    from crosswire.export import article_record

    with _store(db) as (store, _):
        article = store.article(article_id)
        origins = store.origins(article.id)
        analysis = reading.article_analysis(store, article.id)
    if json_out:
        out.print_json(data=article_record(article, origins, analysis=analysis))
    else:
        render.print_article(out, article, origins, show_removed=removed)
        if analysis is not None:
            render.print_analysis(out, article, analysis)


ClassOption = Annotated[list[str] | None, typer.Option(
    "--class", help="speech, stance, no-comment or all; repeat for several (default: speech).")]


def _classes(values: list[str] | None) -> tuple[StatementClass, ...] | None:
    """--class values → the classes to list (None: all); a bad value is a usage error naming it."""
    from crosswire.app import reading
    from crosswire.model import StatementClass

    if not values:
        return reading.SPEECH_ONLY
    if "all" in values:
        return None
    try:
        return tuple(StatementClass(v) for v in values)
    except ValueError:
        bad = next(v for v in values if v not in {c.value for c in StatementClass})
        err.print(f"[red]error:[/] unknown statement class {bad!r}; use speech, stance, no-comment or all")
        raise typer.Exit(2) from None


@app.command("statements")
def statements_cmd(
    db: DbOption = None,
    speaker: Annotated[str | None, typer.Option(help="Speaker: an entity key (person:vladimir putin) or part of the name.")] = None,
    article: Annotated[str | None, typer.Option(help="Only this article (id or unique prefix).")] = None,
    story: Annotated[str | None, typer.Option(help="Only the articles of this story (id or unique prefix).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows (0: all).")] = 200,
    classes: ClassOption = None,
    fmt: FormatOption = None,
    json_out: JsonOption = False,
) -> None:
    """Who said what: statements with speaker, cue, kind and the character spans they came from (speech unless --class)."""
    from crosswire.app import reading
    from crosswire.cli import render
    from crosswire.export import statement_record

    fmt = _format(fmt, json_out)
    with _store(db) as (store, _):
        rows = reading.statements(store, speaker, article, story, limit or None, _classes(classes))
    if fmt == "json":
        out.print_json(data=[{"article_id": r.article_id, "outlet": r.outlet, "published": r.published,
                              **statement_record(r.statement, "") , "content_text": r.text} for r in rows])
        return
    _emit(render.statements_listing(rows), fmt, _no_statements(speaker, classes, article=article, story=story))


def _no_statements(speaker: str | None, classes: list[str] | None, about: str | None = None, **scope: str | None) -> str:
    """Why a statement listing is empty, and what to try next."""
    where = "".join(f" in {k} {v!r}" for k, v in scope.items() if v)
    what = f"no statements by {speaker!r}{where}" if speaker else f"no statements{where or ' in the store'}"
    what += f" about {about!r}" if about else ""
    tips = []
    if speaker:
        tips.append(f"try `crosswire entities --search {speaker.split(':')[-1].split()[-1]!r}` for the names on record")
    if not classes:
        tips.append("only speech is listed: `--class all` adds stances and no-comments")
    return what + ("; " + "; ".join(tips) if tips else "")


@app.command("compare")
def compare_cmd(
    story_id: Annotated[str, typer.Argument(metavar="STORY", help="Story id or a unique prefix of it.")],
    db: DbOption = None,
    fmt: Annotated[str | None, typer.Option("--format", "-f", metavar="table|json", help="Output format (several sections: "
                                            "no TSV; --format json for machines).")] = None,
    json_out: JsonOption = False,
) -> None:
    """How the articles of one story differ: aligned statements, fact table, conflicts, provenance tree."""
    from crosswire.app import comparison, stories
    from crosswire.cli import render
    from crosswire.export import comparison_record

    fmt = _format(fmt or "table", json_out, allowed=("table", "json"))
    with _store(db) as (store, _):
        view = stories.get_story(store, story_id)
        compared = comparison.compare_story(store, view.id)
    if fmt == "json":
        out.print_json(data=comparison_record(compared))
    else:
        render.print_comparison(out, view, compared)


@app.command("brief")
def brief_cmd(
    story_id: Annotated[str, typer.Argument(metavar="STORY", help="Story id or a unique prefix of it.")],
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md or html.")] = "md",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
) -> None:
    """An extractive brief: every sentence cites its article and span; disputed facts shown with both sides."""
    if fmt not in ("md", "html"):
        err.print(f"[red]error:[/] unknown format {fmt!r}; use md or html")
        raise typer.Exit(2)
    from crosswire.app import comparison
    from crosswire.compare.brief import to_html, to_markdown

    with _store(db) as (store, _):
        b = comparison.story_brief(store, story_id)
    text = to_markdown(b) if fmt == "md" else to_html(b)
    if output:
        tmp = output.with_name(output.name + ".partial")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(output)
        err.print(f"wrote the brief of {b.story_id} to {output}")
    else:
        sys.stdout.write(text)


@app.command("timeline")
def timeline_cmd(
    speaker: Annotated[str, typer.Argument(metavar="SPEAKER", help="Entity key (person:vladimir putin) or part of the name.")],
    about: Annotated[str | None, typer.Option(help="Only statements naming this entity (key or part of it).")] = None,
    db: DbOption = None,
    classes: ClassOption = None,
    fmt: FormatOption = None,
    json_out: JsonOption = False,
) -> None:
    """Everything one speaker said across stories, in time order, with possible contradictions flagged (speech unless --class)."""
    from crosswire.app import reading
    from crosswire.cli import render
    from crosswire.export import timeline_record

    fmt = _format(fmt, json_out)
    with _store(db) as (store, _):
        entries = reading.timeline(store, speaker, about, _classes(classes))
        about_keys = {k for e in entries for k in e.about}
        names = {r.entity.key: r.entity.name for r in reading.entities(store) if r.entity.key in about_keys}
    if fmt == "json":
        out.print_json(data=[timeline_record(e) for e in entries])
        return
    _emit(render.timeline_listing(entries, names), fmt, _no_statements(speaker, classes, about))


@app.command("entities")
def entities_cmd(
    db: DbOption = None,
    kind: Annotated[str | None, typer.Option(help="person, org, place or group.")] = None,
    search: Annotated[str | None, typer.Option(help="Name or variant contains this.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows (0: all).")] = 100,
    fmt: FormatOption = None,
    json_out: JsonOption = False,
) -> None:
    """People, organisations and places across the store, with every spelling seen and how often quoted."""
    from crosswire.app import reading
    from crosswire.cli import render

    fmt = _format(fmt, json_out)
    with _store(db) as (store, _):
        rows = reading.entities(store, kind, search, limit or None)
    if fmt == "json":
        out.print_json(data=[{"key": r.entity.key, "kind": r.entity.kind, "name": r.entity.name,
                              "variants": list(r.entity.variants), "descriptions": list(r.entity.descriptions),
                              "articles": r.articles, "mentions": r.mentions, "statements": r.statements} for r in rows])
    else:
        wanted = " ".join(f"--{k} {v!r}" for k, v in (("kind", kind), ("search", search)) if v)
        _emit(render.entities_listing(rows), fmt, f"no entity matches {wanted}; try part of a name, or drop --kind" if wanted
              else "no entities yet: they come from the articles `crosswire add` analyses (English only)")


@app.command("export")
def export_cmd(
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="json, jsonl, csv or parquet (a directory of tables; needs -o).")] = "json",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    compare: Annotated[bool, typer.Option(
        "--compare", help="First compute the comparisons that are missing or out of date (in parallel), and store them.")] = False,
) -> None:
    """Export every article following the versioned schema in docs/export-schema.md (stories carry their stored
    comparison; --compare computes missing ones first, else they are null)."""
    from crosswire.app import reading

    if fmt not in ("json", "jsonl", "csv", "parquet"):
        err.print(f"[red]error:[/] unknown format {fmt!r}; use json, jsonl, csv or parquet")
        raise typer.Exit(2)
    if fmt == "parquet" and not output:
        err.print("[red]error:[/] the Parquet export is a directory of tables: give it with -o DIR")
        raise typer.Exit(2)
    with _store(db) as (store, settings), _comparing(quiet=not compare) as progress:
        options = {"compare_missing": compare, "workers": settings.workers, "progress": progress}
        if fmt == "parquet" and output:
            _export_parquet(store, output, options)
        elif output:
            tmp = output.with_name(output.name + ".partial")
            with tmp.open("w", encoding="utf-8", newline="") as fh:
                n = reading.export_all(store, fmt, fh, **options)  # type: ignore[arg-type]
            tmp.replace(output)  # never leave a half-written export under the real name
            err.print(f"wrote {n} articles to {output}")
        else:
            reading.export_all(store, fmt, sys.stdout, **options)  # type: ignore[arg-type]


def _export_parquet(store: Store, output: Path, options: dict[str, Any]) -> None:
    """The JSON document's records as Parquet tables in ``output`` (docs/export-schema.md, "Parquet")."""
    import io
    import json

    from crosswire.app import reading
    from crosswire.export_parquet import write_parquet

    buffer = io.StringIO()
    reading.export_all(store, "json", buffer, **options)  # the same records as the JSON export
    try:
        counts = write_parquet(json.loads(buffer.getvalue()), output)
    except ConfigError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    err.print(f"wrote {len(counts)} tables to {output}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))


@app.command()
def stories(db: DbOption = None, fmt: FormatOption = None, json_out: JsonOption = False) -> None:
    """Stories: groups of articles about one event, with their time span, outlets and size."""
    from crosswire.app import stories
    from crosswire.cli import render
    from crosswire.export import story_record

    fmt = _format(fmt, json_out)
    with _store(db) as (store, _):
        views = stories.list_stories(store)
    if fmt == "json":
        out.print_json(data=[story_record(v) for v in views])
    else:
        _emit(render.stories_listing(views), fmt, "no stories yet: `crosswire add PATH…` groups the articles it adds")


class _StoryGroup(TyperGroup):
    """``crosswire story ID`` shows a story; ``crosswire story merge|split|move …`` corrects one."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


story_app = typer.Typer(
    cls=_StoryGroup, no_args_is_help=True, help="Show a story (crosswire story ID), correct the grouping (merge, split, move), or regroup everything."
)
app.add_typer(story_app, name="story")
WhoOption = Annotated[str, typer.Option("--by", help="Who made the correction (kept in the audit log). Default: $USER.")]


@story_app.command("show")
def story_show(
    story_id: Annotated[str, typer.Argument(metavar="ID", help="Story id or a unique prefix of it.")],
    db: DbOption = None,
    fmt: FormatOption = None,
    json_out: JsonOption = False,
) -> None:
    """One story: its articles in time order, why each is there, and the corrections made to it (TSV/CSV: the articles)."""
    from crosswire.app import stories
    from crosswire.cli import render
    from crosswire.export import story_record

    fmt = _format(fmt, json_out)
    with _store(db) as (store, _):
        view = stories.get_story(store, story_id)
        fixes = stories.story_corrections(store, view.id)
    if fmt == "json":
        out.print_json(data=story_record(view) | {"corrections": [asdict(c) for c in fixes]})
        return
    render.print_story(out, view, fmt)
    if fmt == "table":
        render.print_corrections(out, fixes)


@story_app.command("merge")
def story_merge(
    into: Annotated[str, typer.Argument(metavar="A", help="The story that stays.")],
    other: Annotated[str, typer.Argument(metavar="B", help="The story whose articles move into A.")],
    db: DbOption = None,
    by: WhoOption = "",
) -> None:
    """Merge story B into story A."""
    from crosswire.app import stories

    _correct(db, lambda store: stories.merge_stories(store, into, other, by or _user()))


@story_app.command("split")
def story_split(
    story_id: Annotated[str, typer.Argument(metavar="S", help="The story to split.")],
    articles_: Annotated[list[str], typer.Argument(metavar="ARTICLE...", help="Articles that leave S for a new story.")],
    db: DbOption = None,
    by: WhoOption = "",
) -> None:
    """Split articles out of story S into a new story."""
    from crosswire.app import stories

    _correct(db, lambda store: stories.split_story(store, story_id, articles_, by or _user()))


@story_app.command("move")
def story_move(
    article: Annotated[str, typer.Argument(metavar="ARTICLE", help="Article id or prefix.")],
    story_id: Annotated[str, typer.Argument(metavar="S", help="The story it belongs to.")],
    db: DbOption = None,
    by: WhoOption = "",
) -> None:
    """Move an article into story S."""
    from crosswire.app import stories

    _correct(db, lambda store: stories.move_article(store, article, story_id, by or _user()))


@story_app.command("regroup")
def story_regroup(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Group every article again from its stored signals and re-apply all recorded corrections."""
    from crosswire.app import stories

    with _store(db) as (store, _):
        report = stories.regroup(store)
    if json_out:
        out.print_json(data=asdict(report))
    else:
        out.print(f"regrouped {report.articles} articles: {report.stories_before} → {report.stories_after} stories, "
                  f"{report.moved_by_grouping} changed story, {report.corrections_applied} correction(s) re-applied")


def _correct(db: str | None, action: Any) -> None:
    with _store(db) as (store, _):
        try:
            c = action(store)
        except Conflict as exc:
            err.print(f"[red]error:[/] {escape(str(exc))}")
            raise typer.Exit(2) from exc
    moved = ", ".join(a[:8] for a in c.article_ids)
    out.print(f"{c.action}: {len(c.article_ids)} article(s) ({moved}) now in story {c.story_id}; recorded as made by {escape(c.who)} at {c.at}")


def _user() -> str:
    return os.environ.get("USER") or os.environ.get("USERNAME") or "cli"


@app.command()
def demo(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Ingest the bundled fictional demo corpus and print what crosswire found in it."""
    from crosswire.app import ingest, reading, stories
    from crosswire.cli import render
    from crosswire.ingest.sources import expand_inputs

    with _store(db, create=True) as (store, settings):
        refs = expand_inputs([str(reading.demo_corpus_path())])
        with _progress(len(refs), quiet=json_out) as advance, _comparing(quiet=json_out) as compared:
            report = ingest.add_inputs(refs, settings, store, progress=advance, compared=compared)
        views = stories.list_stories(store)
        summary = reading.summarise(store)
        rows = store.articles()
    if json_out:
        out.print_json(data={"report": render.report_json(report), "summary": summary})
        return
    render.print_report(out, err, report)
    render.emit(out, render.articles_listing(rows), "table")
    render.emit(out, render.stories_listing(views), "table")
    render.print_summary(out, summary, settings.db_display)


@app.command()
def clean(
    path: Annotated[str, typer.Argument(help="A file (any supported format) or - for stdin.")],
    json_out: JsonOption = False,
) -> None:
    """Print the cleaning of one input without storing it: metadata, clean text, removed lines."""
    from crosswire.cli import render
    from crosswire.export import article_record
    from crosswire.extract.article import extract_article
    from crosswire.ingest.sources import expand_inputs, read_input
    from crosswire.model import Rejected

    settings = _settings().settings
    refs = expand_inputs([path])
    results = [i if isinstance(i, Rejected) else extract_article(i) for r in refs for i in read_input(r, settings)]
    failed = False
    for result in results:
        if isinstance(result, Rejected):
            failed = True
            err.print(f"[red]failed[/] {escape(result.origin.label())}: {escape(result.reason)}")
        elif json_out:
            out.print_json(data=article_record(result, [result.origin]))
        else:
            render.print_article(out, result, [result.origin], show_removed=True)
    if failed:
        raise typer.Exit(EXIT_FAILED_INPUTS)


@app.command()
def rejections(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="At most this many rows (0: all).")] = 50,
    fmt: FormatOption = None,
    json_out: JsonOption = False,
) -> None:
    """Inputs that could not become articles, with the reason for each."""
    from crosswire.cli import render

    fmt = _format(fmt, json_out)
    with _store(db) as (store, _):
        rows = store.rejections(limit or None)
    if fmt == "json":
        out.print_json(data=[{"origin": r.origin.label(), "reason": r.reason, "last_seen": r.last_seen, "times": r.times} for r in rows])
        return
    _emit(render.rejections_listing(rows), fmt, "no rejected inputs on record: every input so far became an article")


@app.command()
def settings(fmt: FormatOption = None, json_out: JsonOption = False) -> None:
    """Every setting: its value, where the value came from (default, file, env, flag), its variable and help."""
    from crosswire.cli.render import Cell, Column, Listing

    fmt = _format(fmt, json_out)
    resolved = _settings()
    rows: list[tuple[Cell, ...]] = [(name, _shown(name, getattr(resolved.settings, name)), resolved.sources[name], env_name(name), default, text)
            for name, default, text in Settings.describe()]
    if fmt == "json":
        out.print_json(data=[dict(zip(("name", "value", "source", "env", "default", "help"), r, strict=True)) for r in rows])
        return
    cols = (Column("setting"), Column("value", ratio=1), Column("from"), Column("env"), Column("default", ratio=1),
            Column("help", ratio=4))
    where = f"config file: {resolved.config_file}" if resolved.config_file else "no config file (./crosswire.toml or --config)"
    _emit(Listing(f"settings · {where}", cols, rows), fmt)


def _shown(name: str, value: object) -> str:
    """A setting's value for display; the API token is never printed."""
    if name == "api_token" and value:
        return "(set)"
    return ", ".join(value) if isinstance(value, tuple) else str(value)


@contextmanager
def _progress(total: int, quiet: bool) -> Iterator[ProgressCallback]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    if quiet or total <= 1:
        yield lambda _ref, _n: None
        return
    columns = (TextColumn("[bold]adding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.description}"))
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("", total=total)

        def advance(ref: Any, _n: int) -> None:
            bar.update(task, advance=1, description=escape(Path(ref.name).name))

        yield advance


@contextmanager
def _cluster_progress(quiet: bool) -> Iterator[Any]:
    """``add --dask``: chunks finished on the cluster out of those sent, documents cleaned and analysed there, and
    every retry as it happens; a summary line stays on stderr when it ends (also when a chunk failed for good)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    if quiet:
        yield None
        return
    tally = {"sent": 0, "done": 0, "clean": 0, "analyse": 0, "retried": 0}
    columns = (TextColumn("[bold]cluster"), BarColumn(), MofNCompleteColumn(), TextColumn("chunks"), TimeElapsedColumn(),
               TextColumn("{task.description}"))
    try:
        with Progress(*columns, console=err, transient=True) as bar:
            task = bar.add_task("", total=0)

            def chunk(event: Any) -> None:
                if event.state == "retried":
                    tally["retried"] += 1
                    bar.console.print(f"[yellow]retrying[/] a {event.stage} chunk of {event.documents} documents that failed "
                                      f"on the cluster: {escape(event.detail)}", soft_wrap=True, highlight=False)
                elif event.state == "sent":
                    tally["sent"] += 1
                else:
                    tally["done"] += 1
                    tally[event.stage] += event.documents
                bar.update(task, total=tally["sent"], completed=tally["done"],
                           description=f"{tally['clean']} cleaned · {tally['analyse']} analysed · {tally['retried']} retried")

            yield chunk
    finally:
        err.print(f"cluster: {tally['done']} of {tally['sent']} chunks done ({tally['clean']} documents cleaned, "
                  f"{tally['analyse']} analysed), {tally['retried']} retried", highlight=False, soft_wrap=True)


@contextmanager
def _comparing(quiet: bool, label: str = "comparing") -> Iterator[Any]:
    """A progress bar for comparing stories (after ingest, or before an export): (done, total) callbacks."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    if quiet:
        yield lambda _done, _total: None
        return
    columns = (TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), TextColumn("stories"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on; 127.0.0.1 keeps it on this machine.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    allow_host: Annotated[list[str] | None, typer.Option(
        "--allow-host", help="Also answer to this host name (repeat for several); loopback names are always allowed.")] = None,
    db: DbOption = None,
) -> None:
    """Serve the web UI, the HTTP API (/api, /openapi.json) and the Atom feed (/feed.atom) from the store."""
    import uvicorn  # the server is only needed by this verb

    from crosswire.web.app import create_app

    with _store(db, create=True, extra_hosts=allow_host or None) as (store, settings):
        store.close()  # opened only to check the store; the app opens its own
    if host not in ("127.0.0.1", "localhost", "::1") and set(settings.allowed_hosts) <= set(LOOPBACK_HOSTS):
        err.print(f"[yellow]note:[/] listening on {escape(host)} but answering only to {', '.join(settings.allowed_hosts)}: "
                  "pass --allow-host NAME for the name clients use")
    if not settings.api_token:
        err.print("[yellow]note:[/] CROSSWIRE_API_TOKEN is not set: ingest and corrections over HTTP are refused")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


# Live monitoring (issue #20): `crosswire watch` and `crosswire alerts` live in cli/watch.py.
from crosswire.cli import watch as _watch_cli  # noqa: E402  (kept with its registration)

_watch_cli.register(app)

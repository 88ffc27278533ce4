"""``crosswire watch`` (poll sources, keep revisions, raise alerts) and ``crosswire alerts`` (saved watches and
their alerts): the live-monitoring verbs of issue #20. Registered on the main app by ``register``."""

from __future__ import annotations

import signal
import threading
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from crosswire.errors import ConfigError

# The same options as the other verbs (cli/app.py); repeated here because app.py imports this module.
DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Store: SQLite file or SQLAlchemy URL. Default: $CROSSWIRE_DB or ./crosswire.db."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]

EXIT_USAGE = 2
alerts_app = typer.Typer(no_args_is_help=False, invoke_without_command=True,
                         help="Saved watches on a story, speaker, entity or search, and the alerts they raised.")  # fmt: skip


def _shell() -> Any:
    """cli/app.py: the store opener and the consoles every verb shares (imported when a verb runs)."""
    from crosswire.cli import app as shell

    return shell


def register(app: typer.Typer) -> None:
    """Add ``watch`` and ``alerts`` to the main command."""
    app.command("watch")(watch_cmd)
    app.add_typer(alerts_app, name="alerts")


def watch_cmd(
    sources: Annotated[Path | None, typer.Argument(metavar="SOURCES.toml", help="The sources to watch (see docs/watch.md).")] = None,
    once: Annotated[bool, typer.Option("--once", help="Poll what is due once and exit (for cron).")] = False,
    status: Annotated[bool, typer.Option("--status", help="Show each source's last fetch, last new item and errors.")] = False,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow fetching private/loopback addresses.")] = False,
    min_delay: Annotated[float, typer.Option("--min-delay", help="Seconds between two requests to one host.")] = 2.0,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Watch feeds, sitemaps and pages: new articles are added, changed ones become revisions, alerts are raised.
    Runs until Ctrl-C / SIGTERM (finishing the URL in hand), or one pass with --once."""
    if status:
        return _status(db, json_out)
    if sources is None:
        _shell().err.print("[red]error:[/] name the SOURCES.toml to watch (or pass --status)")
        raise typer.Exit(EXIT_USAGE)
    from crosswire.watch.cycle import Watcher
    from crosswire.watch.sources import load_sources

    try:
        listed = load_sources(sources)
    except ConfigError as exc:
        _shell().err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from exc
    stop = threading.Event()
    with _shell()._store(db, create=True, allow_private=allow_private or None) as (store, settings):
        watcher = Watcher(store, settings, min_delay_s=min_delay, stop=stop)
        watcher.sync(listed)
        if once:
            _print_cycle(watcher.cycle(), json_out)
            return None
        previous = {s: signal.signal(s, lambda *_: stop.set()) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            _shell().err.print(f"watching {len(listed)} source(s); Ctrl-C stops after the URL in hand")
            while not stop.is_set():
                _print_cycle(watcher.cycle(), json_out)
                watcher.clock.sleep(max(1.0, watcher.next_due() - watcher.clock.time()))
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)
        _shell().err.print("stopped")
    return None


def _print_cycle(report: Any, json_out: bool) -> None:
    if json_out:
        _shell().out.print_json(data=asdict(report))
        return
    stamp = datetime.now(UTC).strftime("%H:%M:%S")
    _shell().out.print(f"{stamp} requests {report.requests} · fetched {report.fetched} · not modified {report.not_modified} · "
              f"added {report.added} · revised {report.revised} · alerts {report.alerts} · errors {report.errors}"
              + (f" · disallowed by robots.txt {report.disallowed}" if report.disallowed else ""))  # fmt: skip
    for problem in report.problems:
        _shell().err.print(f"  [yellow]problem:[/] {escape(problem)}")


def _status(db: str | None, json_out: bool) -> None:
    from crosswire.storage import watch as watch_db

    with _shell()._store(db) as (store, _):
        with store.reader() as rd:
            rows = rd.watched_urls(role="source")
            pages = {r.url: len(rd.watched_pages(r.url)) for r in rows}
    if json_out:
        _shell().out.print_json(data=[asdict(r) | {"pages": pages[r.url]} for r in rows])
        return
    if not rows:
        _shell().out.print("nothing watched yet: run `crosswire watch SOURCES.toml`")
        return
    table = Table("source", "kind", "last fetch", "status", "last new item", "next due", "fetches", "304", "new", "pages", "errors")
    for r in rows:
        due = datetime.fromtimestamp(r.next_due, UTC).isoformat(timespec="seconds") if r.next_due < watch_db.NEVER else "—"
        error = f"{r.errors}: {r.last_error}" if r.errors else ""
        table.add_row(escape(r.url), r.kind, r.last_fetch or "never", str(r.last_status or ""), r.last_new or "—", due,
                      str(r.fetches), str(r.not_modified), str(r.new_items), str(pages[r.url]), escape(error))  # fmt: skip
    _shell().out.print(table)


@alerts_app.callback()
def _alerts_root(ctx: typer.Context, db: DbOption = None, json_out: JsonOption = False) -> None:
    """Without a sub-command: the latest alerts."""
    if ctx.invoked_subcommand is None:
        alerts_list(db=db, json_out=json_out)


@alerts_app.command("list")
def alerts_list(
    watch: Annotated[int | None, typer.Option("--watch", help="Only this watch's alerts.")] = None,
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 50,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """The alerts raised, newest first."""
    with _shell()._store(db) as (store, _), store.reader() as rd:
        rows = rd.alerts(watch, limit)
    if json_out:
        _shell().out.print_json(data=[asdict(a) for a in rows])
        return
    if not rows:
        _shell().out.print("no alerts yet")
        return
    table = Table("id", "watch", "at", "kind", "what", "article", "story", "webhook")
    for a in rows:
        table.add_row(str(a.id), str(a.watch_id), a.at, a.kind, escape(a.summary), (a.article_id or "")[:12], a.story_id or "",
                      a.delivery + (f" ({a.last_error})" if a.last_error else ""))  # fmt: skip
    _shell().out.print(table)


@alerts_app.command("watches")
def alerts_watches(db: DbOption = None, json_out: JsonOption = False) -> None:
    """The saved watches."""
    with _shell()._store(db) as (store, _), store.reader() as rd:
        rows = rd.alert_watches()
        counts = {w.id: len(rd.alerts(w.id, None)) for w in rows}
    if json_out:
        _shell().out.print_json(data=[{**asdict(w), "baseline": len(w.baseline), "alerts": counts[w.id]} for w in rows])
        return
    table = Table("id", "follows", "since", "alerts", "webhook", "secret")
    for w in rows:
        table.add_row(str(w.id), escape(w.label()), w.created_at, str(counts[w.id]), escape(w.webhook_url or ""), w.webhook_secret or "")
    _shell().out.print(table)


@alerts_app.command("add")
def alerts_add(
    kind: Annotated[str, typer.Argument(help="story | speaker | entity | query")],
    target: Annotated[str, typer.Argument(help="Story id (or prefix), speaker (entity key or part of the name), entity key, or search words.")],
    webhook: Annotated[str | None, typer.Option("--webhook", help="POST each alert as JSON to this URL.")] = None,
    secret: Annotated[str | None, typer.Option("--secret", help="HMAC-SHA256 key for the webhook signature (default: a random one).")] = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow a webhook on a private/loopback address.")] = False,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Save a watch."""
    from crosswire.watch import alerts

    with _shell()._store(db, create=True) as (store, _):
        try:
            watch = alerts.add_watch(store, kind, target, webhook, secret, allow_private)
        except ConfigError as exc:
            _shell().err.print(f"[red]error:[/] {escape(str(exc))}")
            raise typer.Exit(EXIT_USAGE) from exc
    if json_out:
        _shell().out.print_json(data={**asdict(watch), "baseline": len(watch.baseline)})
        return
    _shell().out.print(f"watch {watch.id}: {escape(watch.label())}" + (f" → {escape(watch.webhook_url)} (secret {watch.webhook_secret})" if watch.webhook_url else ""))


@alerts_app.command("remove")
def alerts_remove(watch_id: Annotated[int, typer.Argument(metavar="ID")], db: DbOption = None) -> None:
    """Delete a watch and its alerts."""
    with _shell()._store(db) as (store, _), store.transaction() as tx:
        removed = tx.remove_alert_watch(watch_id)
    if not removed:
        _shell().err.print(f"[red]error:[/] no watch {watch_id}")
        raise typer.Exit(3)
    _shell().out.print(f"watch {watch_id} removed")

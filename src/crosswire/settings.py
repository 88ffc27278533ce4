"""One typed, documented settings object, read once at the edge and passed down.

Every setting comes, in rising precedence, from its default, the config file (``crosswire.toml`` in the working
directory, or the one ``--config`` names), the environment (``CROSSWIRE_<NAME>``, e.g. ``CROSSWIRE_WORKERS``) and
the command line; ``Resolved.sources`` says which one gave each value (``crosswire settings`` shows it).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import Field, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, cast

from crosswire.errors import ConfigError

DEFAULT_DB_FILE = "crosswire.db"
CONFIG_FILE = "crosswire.toml"
# The names a browser uses for this machine; a page whose DNS name was rebound to 127.0.0.1 sends its own name
# and is refused. "testserver" is the name Starlette's test client sends.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "testserver")
TRUE_WORDS, FALSE_WORDS = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _help(text: str, default: object, env: str | None = None, minimum: float = 0) -> Any:
    """A settings field: its help, its environment variable when it is not CROSSWIRE_<NAME>, the least number it takes."""
    return field(default=default, metadata={"help": text, "env": env, "minimum": minimum})


@dataclass(frozen=True, slots=True)
class Settings:
    """Every knob crosswire has; ``describe()`` lists them with their help."""

    db_url: str = _help(
        "Store location: a SQLite file path or an SQLAlchemy URL (sqlite:///…, postgresql+psycopg://…). CLI: --db.",
        DEFAULT_DB_FILE, env="CROSSWIRE_DB",
    )
    max_input_bytes: int = _help("Largest single input file or document accepted, in bytes (after gzip).", 16 * 1024 * 1024)
    max_file_bytes: int = _help(
        "Largest WARC or JSONL file accepted, in bytes; they are streamed, and every article inside is still held "
        "to max_input_bytes.",
        64 * 1024**3,
    )
    fetch_timeout_s: float = _help("Timeout for one network read or connect, seconds.", 20.0)
    fetch_deadline_s: float = _help(
        "Total time one fetch may take, redirects included, seconds: a server that drips its answer is cut off here.", 30.0
    )
    fetch_max_bytes: int = _help("Largest HTTP response body accepted, bytes.", 8 * 1024 * 1024)
    fetch_max_redirects: int = _help("Redirects followed before giving up.", 5)
    user_agent: str = _help(
        "User-Agent header sent when fetching.",
        "crosswire/0.1 (+https://github.com/crosswire-news/crosswire; news comparison research tool)",
    )
    allow_private: bool = _help("Allow fetching private, loopback and link-local addresses. CLI: --allow-private.", False)
    fetch_links: bool = _help("For feed entries, fetch the linked page instead of using the entry content. CLI: --fetch.", False)
    template_min_articles: int = _help(
        "A line seen in at least this many distinct articles of one outlet is treated as template.", 3, minimum=1
    )
    template_max_words: int = _help(
        "Lines longer than this many words are never treated as template (syndication repeats them).", 30
    )
    batch_size: int = _help("Articles written per transaction.", 200, minimum=1)
    grouping_resident: int = _help(
        "Articles a long add keeps in memory for story grouping, about 14 KB each; past it, the weeks no batch needed "
        "lately are dropped, and read back from the store when an article of their window comes (lower: less memory, "
        "more reads).",
        100_000, minimum=1_000,
    )
    workers: int = _help(
        "Processes that clean and analyse articles in parallel (large batches only).", os.cpu_count() or 1, minimum=1
    )
    allowed_hosts: tuple[str, ...] = _help(
        "Host names the web server answers to (the Host header, port aside); any other gets 400, so a DNS-rebinding page "
        "cannot read the store. The loopback names are always allowed; names from the file (a list), the environment "
        "(comma-separated) and serve --allow-host NAME are added to them.",
        LOOPBACK_HOSTS,
    )
    api_token: str | None = _help(
        "Secret that HTTP ingest and story corrections (API and web forms) must present; unset means they are refused. "
        "There is no default.",
        None,
    )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from defaults, then the environment, then explicit overrides (CLI flags); no config file."""
        return resolve(env=env, config=None, read_cwd_file=False, **overrides).settings

    @property
    def sqlalchemy_url(self) -> str:
        """The store as an SQLAlchemy URL (a bare path means a SQLite file)."""
        if "://" in self.db_url:
            return self.db_url
        return f"sqlite:///{Path(self.db_url).expanduser().resolve()}"

    @property
    def db_display(self) -> str:
        """The store location as it may be printed: a URL's password masked."""
        return redact(self.db_url, self.db_url)

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite file of the store, or None when the store is a server (PostgreSQL) or in memory."""
        url = self.sqlalchemy_url
        if not url.startswith("sqlite") or url.rstrip("/").endswith(":memory:") or "///" not in url:
            return None
        path = url.split("///", 1)[1].split("?", 1)[0]
        return Path(path) if path and path != ":memory:" else None

    @staticmethod
    def describe() -> list[tuple[str, str, str]]:
        """(name, default, help) for every setting, for docs and ``--help``."""
        return [(f.name, repr(f.default), f.metadata["help"]) for f in fields(Settings)]


def redact(message: str, url: str) -> str:
    """``message`` with the password of the SQLAlchemy URL ``url`` (if it has one) masked as ``***`` wherever it
    appears, also inside the URL itself: no output shows a database secret."""
    if "://" not in url:
        return message
    from sqlalchemy.engine import make_url  # only when a URL is shown: the CLI's start-up stays light

    try:
        parsed = make_url(url)
        secrets = [str(parsed.password)] if parsed.password else []
        masked = parsed.render_as_string(hide_password=True) if secrets else url
    except Exception:  # noqa: BLE001  an unparsable URL: mask what stands between 'user:' and the last '@'
        found = re.match(r"[^:]+://[^:/@]*:(.*)@", url)
        secrets, masked = ([found.group(1)], url.replace(found.group(1), "***")) if found and found.group(1) else ([], url)
    message = message.replace(url, masked)
    for secret in secrets:  # a driver's message may quote it apart from the URL; a secret of a few letters would
        if len(secret) >= 4:  # mask ordinary words too, and stands masked inside the URL already
            message = message.replace(secret, "***")
    return message


def env_name(f: Field[Any] | str) -> str:
    """The environment variable of a setting (``CROSSWIRE_<NAME>`` unless the field names another)."""
    f = f if not isinstance(f, str) else next(x for x in fields(Settings) if x.name == f)
    return f.metadata.get("env") or f"CROSSWIRE_{f.name.upper()}"


@dataclass(frozen=True, slots=True)
class Resolved:
    """Settings with where each value came from: ``default``, ``file <path>``, ``env <VAR>`` or ``flag``."""

    settings: Settings
    sources: Mapping[str, str]
    config_file: Path | None = None


def resolve(
    env: Mapping[str, str] | None = None, config: Path | str | None = None, read_cwd_file: bool = True, **flags: object
) -> Resolved:
    """Defaults < config file < environment < flags; a bad value raises ConfigError naming the value and where it was.

    ``config`` names the file (it must exist); otherwise ``./crosswire.toml`` is read when ``read_cwd_file`` and it
    exists. ``extra_hosts`` among the flags adds host names to ``allowed_hosts``."""
    env = os.environ if env is None else env
    path = Path(config) if config else (Path(CONFIG_FILE) if read_cwd_file and Path(CONFIG_FILE).is_file() else None)
    values: dict[str, Any] = {}  # each value has its field's type (coerced, or a caller's flag)
    sources = {f.name: "default" for f in fields(Settings)}
    hosts: list[str] = []
    by_name = {f.name: f for f in fields(Settings)}
    for name, raw in (_read_file(path) if path else {}).items():
        if name not in by_name:
            raise ConfigError(f"{path}: unknown setting {name!r}; `crosswire settings` lists them")
        value = _coerce(by_name[name], raw, f"{name} in {path}")
        hosts += list(cast("tuple[str, ...]", value)) if name == "allowed_hosts" else []
        values[name], sources[name] = value, f"file {path}"
    for f in fields(Settings):
        var = env_name(f)
        if env.get(var, "").strip():
            value = _coerce(f, env[var], var)
            hosts += list(cast("tuple[str, ...]", value)) if f.name == "allowed_hosts" else []
            values[f.name], sources[f.name] = value, f"env {var}"
    extra = [str(h) for h in cast("Iterable[object]", flags.pop("extra_hosts", None) or ())]
    if extra:
        sources["allowed_hosts"] = "flag" if not hosts else f"{sources['allowed_hosts']} + flag"
    if hosts or extra:
        values["allowed_hosts"] = tuple(dict.fromkeys([*LOOPBACK_HOSTS, *(h.lower() for h in hosts + extra)]))
    for name, value in flags.items():
        if value is None:
            continue
        if name not in by_name:
            raise TypeError(f"unknown setting {name!r}")  # a bug in the caller, not bad input
        values[name], sources[name] = value, "flag"
    return Resolved(replace(Settings(), **values), sources, path)


def _read_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"config file {path} does not exist") from exc
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"config file {path} cannot be read: {exc}") from exc
    return data.get("crosswire", data) if isinstance(data.get("crosswire"), dict) else data


def _coerce(f: Field[Any], raw: object, where: str) -> object:
    """``raw`` (a string from the environment, or a TOML value) as the field's type; ConfigError naming it if not."""
    kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    if kind == "bool":
        return _bool(raw, where)
    if kind in ("int", "float"):
        return _number(raw, int if kind == "int" else float, where, f.metadata["minimum"])
    if kind.startswith("tuple"):
        items = raw.split(",") if isinstance(raw, str) else raw
        if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
            raise ConfigError(f"{where} must be a list of names (comma-separated in the environment), got {raw!r}")
        return tuple(i.strip() for i in items if i.strip())
    if not isinstance(raw, str):
        raise ConfigError(f"{where} must be a string, got {raw!r}")
    return raw


def _bool(raw: object, where: str) -> bool:
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().lower()
    if word in TRUE_WORDS + FALSE_WORDS:
        return word in TRUE_WORDS
    raise ConfigError(f"{where} must be true or false (1/0, yes/no, on/off), got {raw!r}")


def _number(raw: object, kind: type[int] | type[float], where: str, minimum: float) -> int | float:
    try:
        if isinstance(raw, bool) or (kind is int and isinstance(raw, float)):
            raise ValueError
        arg: Any = raw.strip() if isinstance(raw, str) else raw  # any TOML value; a wrong kind raises TypeError
        value = kind(arg)
    except (TypeError, ValueError) as exc:
        noun = "a whole number" if kind is int else "a number"
        raise ConfigError(f"{where} must be {noun}, got {raw!r}") from exc
    if not minimum <= value < float("inf"):  # also refuses NaN
        raise ConfigError(f"{where} must be at least {minimum:g} and finite, got {raw!r}")
    return value

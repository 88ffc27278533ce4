"""One typed, documented settings object, read once at the edge and passed down."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import cast

from crosswire.errors import ConfigError

DEFAULT_DB_FILE = "crosswire.db"
# The names a browser uses for this machine; a page whose DNS name was rebound to 127.0.0.1 sends its own name
# and is refused. "testserver" is the name Starlette's test client sends.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "testserver")


def _help(text: str, default: object) -> object:
    return field(default=default, metadata={"help": text})


@dataclass(frozen=True, slots=True)
class Settings:
    """Every knob crosswire has; ``describe()`` lists them with their help."""

    db_url: str = _help(  # type: ignore[assignment]
        "Store location: a SQLite file path or an SQLAlchemy URL (sqlite:///…, postgresql+psycopg://…). "
        "Env: CROSSWIRE_DB; CLI: --db.",
        DEFAULT_DB_FILE,
    )
    max_input_bytes: int = _help(  # type: ignore[assignment]
        "Largest single input file or document accepted, in bytes (after gzip). Env: CROSSWIRE_MAX_INPUT_BYTES.",
        16 * 1024 * 1024,
    )
    max_file_bytes: int = _help(  # type: ignore[assignment]
        "Largest WARC or JSONL file accepted, in bytes; they are streamed, and every article inside is still held "
        "to max_input_bytes. Env: CROSSWIRE_MAX_FILE_BYTES.",
        64 * 1024**3,
    )
    fetch_timeout_s: float = _help("Timeout for one network read or connect, seconds.", 20.0)  # type: ignore[assignment]
    fetch_deadline_s: float = _help(  # type: ignore[assignment]
        "Total time one fetch may take, redirects included, seconds: a server that drips its answer is cut off here.",
        30.0,
    )
    fetch_max_bytes: int = _help("Largest HTTP response body accepted, bytes.", 8 * 1024 * 1024)  # type: ignore[assignment]
    fetch_max_redirects: int = _help("Redirects followed before giving up.", 5)  # type: ignore[assignment]
    user_agent: str = _help(  # type: ignore[assignment]
        "User-Agent header sent when fetching.",
        "crosswire/0.1 (+https://github.com/crosswire-news/crosswire; news comparison research tool)",
    )
    allow_private: bool = _help(  # type: ignore[assignment]
        "Allow fetching private, loopback and link-local addresses. CLI: --allow-private.", False
    )
    fetch_links: bool = _help(  # type: ignore[assignment]
        "For feed entries, fetch the linked page instead of using the entry content. CLI: --fetch.", False
    )
    template_min_articles: int = _help(  # type: ignore[assignment]
        "A line seen in at least this many distinct articles of one outlet is treated as template.", 3
    )
    template_max_words: int = _help(  # type: ignore[assignment]
        "Lines longer than this many words are never treated as template (syndication repeats them).", 30
    )
    batch_size: int = _help("Articles written per transaction.", 200)  # type: ignore[assignment]
    workers: int = _help(  # type: ignore[assignment]
        "Processes that clean and analyse articles in parallel (large batches only). Env: CROSSWIRE_WORKERS.",
        os.cpu_count() or 1,
    )

    allowed_hosts: tuple[str, ...] = _help(  # type: ignore[assignment]
        "Host names the web server answers to (the Host header, port aside); any other gets 400, so a DNS-rebinding page "
        "cannot read the store. Env: CROSSWIRE_ALLOWED_HOSTS (comma-separated, added to the loopback names); "
        "CLI: serve --allow-host NAME.",
        LOOPBACK_HOSTS,
    )
    api_token: str | None = _help(  # type: ignore[assignment]
        "Secret that HTTP ingest and story corrections (API and web forms) must present; unset means they are refused. "
        "There is no default. Env: CROSSWIRE_API_TOKEN.",
        None,
    )

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from defaults, then the environment, then explicit overrides (CLI flags)."""
        env = dict(os.environ) if env is None else env
        values: dict[str, object] = {}
        if env.get("CROSSWIRE_DB"):
            values["db_url"] = env["CROSSWIRE_DB"]
        if env.get("CROSSWIRE_MAX_INPUT_BYTES"):
            values["max_input_bytes"] = _int(env["CROSSWIRE_MAX_INPUT_BYTES"], "CROSSWIRE_MAX_INPUT_BYTES")
        if env.get("CROSSWIRE_WORKERS"):
            values["workers"] = _int(env["CROSSWIRE_WORKERS"], "CROSSWIRE_WORKERS")
        if env.get("CROSSWIRE_MAX_FILE_BYTES"):
            values["max_file_bytes"] = _int(env["CROSSWIRE_MAX_FILE_BYTES"], "CROSSWIRE_MAX_FILE_BYTES")
        if env.get("CROSSWIRE_API_TOKEN"):
            values["api_token"] = env["CROSSWIRE_API_TOKEN"]
        extra_hosts = [h.strip().lower() for h in env.get("CROSSWIRE_ALLOWED_HOSTS", "").split(",") if h.strip()]
        extra_hosts += [str(h).lower() for h in cast(Sequence[str], overrides.pop("extra_hosts", None) or ())]
        if extra_hosts:
            values["allowed_hosts"] = tuple(dict.fromkeys([*LOOPBACK_HOSTS, *extra_hosts]))
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)

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


def _int(text: str, name: str) -> int:
    try:
        return int(text)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {text!r}") from exc

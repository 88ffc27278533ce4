"""SOURCES.toml: what ``crosswire watch`` polls.

    [defaults]                 # optional; every key below may be set here for all sources
    interval = "15m"           # seconds, or a number with s / m / h / d
    fetch_links = false        # feeds: fetch each entry's linked page instead of the entry's content
    follow = "48h"             # how long a linked page is re-fetched (conditional GET) for revisions
    language = "en"            # a hint, used when the page or feed does not say

    [[source]]
    url = "https://example.org/world.atom"
    kind = "feed"              # feed | sitemap | news-sitemap | page | auto (default: read the answer)
    interval = "5m"
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crosswire.errors import ConfigError

KINDS = ("auto", "feed", "sitemap", "news-sitemap", "page")
MIN_INTERVAL_S = 60.0  # politeness floor: no outlet needs a page polled more than once a minute
DEFAULT_INTERVAL_S = 900.0
DEFAULT_FOLLOW_S = 48 * 3600.0  # outlets revise most stories within their first two days
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
KEYS = {"url", "kind", "interval", "fetch_links", "follow", "language", "name"}


@dataclass(frozen=True, slots=True)
class Source:
    """One watched source."""

    url: str
    kind: str = "auto"
    interval_s: float = DEFAULT_INTERVAL_S
    fetch_links: bool = False
    follow_s: float = DEFAULT_FOLLOW_S
    language: str | None = None
    name: str | None = None


def load_sources(path: Path, min_interval_s: float = MIN_INTERVAL_S) -> list[Source]:
    """The sources of a TOML file; ConfigError naming the file, the source and the problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    return parse_sources(data, str(path), min_interval_s)


def parse_sources(data: dict[str, Any], where: str = "SOURCES.toml", min_interval_s: float = MIN_INTERVAL_S) -> list[Source]:
    """Sources from parsed TOML: ``[defaults]`` applied under each ``[[source]]``."""
    defaults = data.get("defaults", {})
    entries = data.get("source", [])
    if not isinstance(defaults, dict) or not isinstance(entries, list) or not entries:
        raise ConfigError(f"{where}: needs at least one [[source]] table with a url")
    sources = [_source({**defaults, **entry}, f"{where} source {n}", min_interval_s) for n, entry in enumerate(entries, start=1)]
    urls = [s.url for s in sources]
    dupes = sorted({u for u in urls if urls.count(u) > 1})
    if dupes:
        raise ConfigError(f"{where}: the same url is listed twice: {', '.join(dupes)}")
    return sources


def _source(entry: dict[str, Any], where: str, min_interval_s: float) -> Source:
    unknown = set(entry) - KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(KEYS))}")
    url = str(entry.get("url", ""))
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise ConfigError(f"{where}: url must be an http(s) URL, got {url!r}")
    kind = str(entry.get("kind", "auto"))
    if kind not in KINDS:
        raise ConfigError(f"{where}: kind must be one of {', '.join(KINDS)}, got {kind!r}")
    interval = duration(entry.get("interval", DEFAULT_INTERVAL_S), f"{where}: interval")
    if interval < min_interval_s:
        raise ConfigError(f"{where}: interval {interval:g} s is below the {min_interval_s:g} s floor")
    language = entry.get("language")
    return Source(url, kind, interval, bool(entry.get("fetch_links", False)),
                  duration(entry.get("follow", DEFAULT_FOLLOW_S), f"{where}: follow"),
                  str(language).lower() if language else None, entry.get("name"))  # fmt: skip


def duration(value: object, what: str) -> float:
    """Seconds from a number or a string like ``90``, ``15m``, ``2h``, ``1d``."""
    if isinstance(value, bool):
        raise ConfigError(f"{what} must be a duration, got {value!r}")
    if isinstance(value, int | float):
        return float(value)
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", str(value))
    if not m:
        raise ConfigError(f"{what} must be seconds or a number with s/m/h/d, got {value!r}")
    return float(m.group(1)) * UNITS[m.group(2) or "s"]

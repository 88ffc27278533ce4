"""Per-host politeness: robots.txt (stdlib ``urllib.robotparser``), a minimum delay between two requests to one
host (longer when robots.txt asks for a Crawl-delay), a host held back after 429/503 for as long as Retry-After
says, and exponential backoff of a failing URL. Time comes from an injectable clock, so tests never wait."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

ROBOTS_TTL_S = 24 * 3600.0  # robots.txt is read again after a day (RFC 9309 suggests caching at most 24 h)
MIN_DELAY_S = 2.0  # between two requests to one host; a Crawl-delay in robots.txt raises it
MAX_BACKOFF_S = 24 * 3600.0  # a URL failing for ever is still tried once a day
AGENT = "crosswire"  # the product token robots.txt rules are matched against

RobotsLoader = Callable[[str], str | None]  # robots.txt URL → its text; None: none there (everything allowed)


class Clock(Protocol):
    """Where the watcher gets time and how it waits (a fake one in tests and benchmarks)."""

    def time(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """Wall time; sleeping ends early when ``stop`` is set (SIGINT/SIGTERM)."""

    def __init__(self, stop: threading.Event | None = None) -> None:
        self.stop = stop or threading.Event()

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        self.stop.wait(max(0.0, seconds))


def backoff_s(interval_s: float, errors: int, retry_after: float | None = None) -> float:
    """How long a URL waits after its ``errors``-th failure in a row: its interval doubled per failure, at most a
    day, and never less than the server's Retry-After."""
    return max(retry_after or 0.0, min(interval_s * 2 ** max(0, errors), MAX_BACKOFF_S))


class HostPolicy:
    """What the watcher may fetch from each host and when. One per watcher; its maps grow with the hosts only."""

    def __init__(self, clock: Clock, robots: RobotsLoader, min_delay_s: float = MIN_DELAY_S) -> None:
        self.clock, self.load_robots, self.min_delay_s = clock, robots, min_delay_s
        self._next: dict[str, float] = {}  # host → earliest time of its next request
        self._rules: dict[str, tuple[float, RobotFileParser | None]] = {}  # host → (read at, rules)
        self.robots_requests = 0

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets crosswire fetch ``url``."""
        rules = self._robots(url)
        return rules is None or rules.can_fetch(AGENT, url)

    def ready_at(self, url: str) -> float:
        """The earliest time the host of ``url`` may be asked again."""
        return self._next.get(_host(url), 0.0)

    def wait_turn(self, url: str) -> float:
        """Sleep until the host may be asked again, then book its next turn; returns the seconds slept."""
        host = _host(url)
        wait = self._next.get(host, 0.0) - self.clock.time()
        if wait > 0:
            self.clock.sleep(wait)
        self._next[host] = self.clock.time() + self._delay(url)
        return max(0.0, wait)

    def hold(self, url: str, seconds: float) -> None:
        """Ask nothing of the host for ``seconds`` (it answered 429 or 503)."""
        host = _host(url)
        self._next[host] = max(self._next.get(host, 0.0), self.clock.time() + seconds)

    def _delay(self, url: str) -> float:
        rules = self._rules.get(_host(url), (0.0, None))[1]
        crawl_delay = rules.crawl_delay(AGENT) if rules is not None else None
        return max(self.min_delay_s, float(crawl_delay or 0))

    def _robots(self, url: str) -> RobotFileParser | None:
        host = _host(url)
        read_at, rules = self._rules.get(host, (None, None))
        if read_at is not None and self.clock.time() - read_at < ROBOTS_TTL_S:
            return rules
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        self.wait_turn(robots_url)
        self.robots_requests += 1
        text = self.load_robots(robots_url)
        rules = None
        if text is not None:
            rules = RobotFileParser(robots_url)
            rules.parse(text.splitlines())
        self._rules[host] = (self.clock.time(), rules)
        return rules


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()

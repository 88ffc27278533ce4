"""URLs: canonical form for identity, and the outlet a host belongs to."""

from __future__ import annotations

from urllib.parse import urlsplit

from courlan import normalize_url

from crosswire.extract.lexicon import Lexicon


def canonical_url(url: str | None) -> str | None:
    """Lower-cased host, no tracking parameters or fragment, sorted query (courlan, strict mode)."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return None
    try:
        return normalize_url(url.strip(), strict=True, trailing_slash=False)
    except ValueError:
        return None


def host_of(url: str | None) -> str | None:
    """The host of ``url`` without a leading ``www.``."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def outlet_for_host(host: str | None, lexicon: Lexicon) -> str | None:
    """The outlet name for a host from the outlet table, else the host itself."""
    if not host:
        return None
    parts = host.split(".")
    for i in range(len(parts) - 1):
        name = lexicon.domains.get(".".join(parts[i:]))
        if name:
            return name
    return host


SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "edu", "or", "ne", "go"}


def site_label(host: str | None) -> str | None:
    """The name part of a host: www.themoscowtimes.com → themoscowtimes; news.bbc.co.uk → bbc."""
    if not host:
        return None
    parts = host.lower().split(".")
    if len(parts) >= 3 and parts[-2] in SECOND_LEVEL:
        return parts[-3]
    return parts[-2] if len(parts) >= 2 else parts[0]

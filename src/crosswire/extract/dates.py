"""Dates written in articles and their containers → ISO dates. Never relative to today."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache

import dateparser  # type: ignore[import-untyped]  # no stubs installed: dateparser is typed as Any

DATE_LANGUAGES = ["en", "de", "fr", "es", "it", "pt", "nl", "pl", "uk", "ru"]
PARSE_SETTINGS = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
    "PREFER_DATES_FROM": "past",
    "STRICT_PARSING": True,
}
UPDATED_WORDS = ("updated", "last updated", "modified", "aktualisiert", "mis à jour", "actualizado")
PREFIX_WORDS = {
    "published", "posted", "updated", "last", "modified", "on", "at", "date", "dated", "first",
    "veröffentlicht", "aktualisiert", "stand", "am", "um", "publié", "le", "mis", "à", "jour",
    "publicado", "actualizado", "el", "pubblicato", "il", "uhr", "h", "broadcast", "aired", "gesendet",
}  # fmt: skip
MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "januar", "februar", "märz", "mai", "juni", "juli", "oktober", "dezember",
    "janvier", "février", "mars", "avril", "juin", "juillet", "août", "septembre", "octobre",
    "novembre", "décembre", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
    "septiembre", "octubre", "noviembre", "diciembre",
}  # fmt: skip
WEEKDAYS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue",
    "wed", "thu", "fri", "sat", "sun", "montag", "dienstag", "mittwoch", "donnerstag", "freitag",
    "samstag", "sonntag", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
}  # fmt: skip
ZONES = {"am", "pm", "gmt", "utc", "cet", "cest", "est", "edt", "bst", "pst", "pdt", "msk", "eet", "eest", "z"}
YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
MAX_DATE_LINE_WORDS = 16
SEGMENTS = re.compile(r"\s*[|·•]\s*|\s+(?=(?:last\s+)?(?:updated|modified|aktualisiert|mis à jour|actualizado)\b)", re.I)
RELATIVE_WORDS = {"ago", "hour", "hours", "minute", "minutes", "mins", "day", "days", "week", "weeks", "vor", "stunden", "minuten", "tagen", "il", "y", "a", "heures", "hace", "horas"}
DOTTED = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")


def parse_date_line(line: str) -> list[tuple[str, str]]:
    """A line made only of dates ("May 17, 2024 2:20 PM UTC Updated 3 hours ago") → [(published|updated, ISO)].

    Relative parts ("3 hours ago") make the line a date line but are never resolved.
    """
    if not YEAR.search(line):
        return []
    tokens = re.findall(r"[^\W_]+", line.lower())
    if not tokens or len(tokens) > MAX_DATE_LINE_WORDS or not all(_dateish(t) for t in tokens):
        return []
    found = []
    for segment in SEGMENTS.split(line):
        kind = "updated" if any(w in segment.lower() for w in UPDATED_WORDS) else "published"
        value = parse_date_value(_strip_prefix(segment))
        if value:
            found.append((kind, value))
    return found


def parse_date_value(text: str | None) -> str | None:
    """An absolute date string (ISO, RFC 822, "17 May 2024") → ``YYYY-MM-DD``; None when not absolute."""
    if not text or not YEAR.search(text):
        return None
    iso = _iso(text.strip()) or _dotted(text) or _common_english(text)
    return iso or _dateparser(text.strip())


@lru_cache(maxsize=4096)
def _dateparser(text: str) -> str | None:
    """dateparser for everything else (all our languages); slow, so only after the fast paths. Pure: memoised."""
    parsed = dateparser.parse(text, languages=DATE_LANGUAGES, settings=PARSE_SETTINGS)
    return parsed.date().isoformat() if parsed else None


def _common_english(text: str) -> str | None:
    """RFC 822 dates and "May 17, 2024" / "17 May 2024" without dateparser's locale search."""
    try:
        return parsedate_to_datetime(text.strip()).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    core = re.sub(r"^(?:[A-Za-z]{3,9},?\s+)?", "", text.strip())  # a leading weekday
    core = re.split(r"\s+(?:at\s+)?\d{1,2}[:.]\d\d|\s*[|·•]", core)[0].strip(" ,")
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%b. %d, %Y"):
        try:
            return datetime.strptime(core, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _iso(text: str) -> str | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10]).isoformat() if re.match(r"\d{4}-\d\d-\d\d", text) else None
    except ValueError:
        return None


def _dotted(text: str) -> str | None:
    """``17.05.2024``: dots mean day-first everywhere they are used (de, ru, pl, …)."""
    m = DOTTED.search(text)
    if not m:
        return None
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
    except ValueError:
        return None


def _dateish(token: str) -> bool:
    return bool(re.fullmatch(r"\d+[tz]?\d*", token)) or token in MONTHS or token in WEEKDAYS or token in PREFIX_WORDS or token in ZONES or token in RELATIVE_WORDS or (
        token[:-2].isdigit() and token[-2:] in ("st", "nd", "rd", "th")
    )


def _strip_prefix(line: str) -> str:
    text = re.sub(r"[*_|]+", " ", line).strip()
    text = re.sub(r"^(?:(?:last\s+)?(?:published|posted|updated|modified|date|broadcast|aired|veröffentlicht|aktualisiert|stand|publié|mis à jour|publicado|actualizado)\s*(?:on|am|le|el)?\s*:?\s*)", "", text, flags=re.I)
    return text.strip(" :-–—")

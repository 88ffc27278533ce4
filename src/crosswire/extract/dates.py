"""Dates written in articles and their containers → ISO dates. Never relative to today."""

from __future__ import annotations

import re
from datetime import date, datetime

import dateparser

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
    "publicado", "actualizado", "el", "pubblicato", "il", "uhr", "h",
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
MAX_DATE_LINE_WORDS = 12


def parse_date_line(line: str) -> tuple[str, str] | None:
    """A line that is only a date ("May 17, 2024", "Updated: 18.05.2024 10:00") → (published|updated, ISO)."""
    if not YEAR.search(line):
        return None
    tokens = re.findall(r"[^\W_]+", line.lower())
    if not tokens or len(tokens) > MAX_DATE_LINE_WORDS or not all(_dateish(t) for t in tokens):
        return None
    kind = "updated" if any(w in line.lower() for w in UPDATED_WORDS) else "published"
    value = parse_date_value(_strip_prefix(line))
    return (kind, value) if value else None


def parse_date_value(text: str | None) -> str | None:
    """An absolute date string (ISO, RFC 822, "17 May 2024") → ``YYYY-MM-DD``; None when not absolute."""
    if not text or not YEAR.search(text):
        return None
    iso = _iso(text.strip())
    if iso:
        return iso
    parsed = dateparser.parse(text, languages=DATE_LANGUAGES, settings=PARSE_SETTINGS)
    return parsed.date().isoformat() if parsed else None


def _iso(text: str) -> str | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10]).isoformat() if re.match(r"\d{4}-\d\d-\d\d", text) else None
    except ValueError:
        return None


def _dateish(token: str) -> bool:
    return bool(re.fullmatch(r"\d+[tz]?\d*", token)) or token in MONTHS or token in WEEKDAYS or token in PREFIX_WORDS or token in ZONES or (
        token[:-2].isdigit() and token[-2:] in ("st", "nd", "rd", "th")
    )


def _strip_prefix(line: str) -> str:
    text = re.sub(r"[*_|]+", " ", line).strip()
    text = re.sub(r"^(?:(?:last\s+)?(?:published|posted|updated|modified|date|veröffentlicht|aktualisiert|stand|publié|mis à jour|publicado|actualizado)\s*(?:on|am|le|el)?\s*:?\s*)", "", text, flags=re.I)
    return text.strip(" :-–—")

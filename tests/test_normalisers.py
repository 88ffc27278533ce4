"""Property tests for the small parsers and normalisers: dates, URLs, line keys."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from crosswire.extract.dates import parse_date_line, parse_date_value
from crosswire.extract.text import line_key
from crosswire.extract.urls import canonical_url, site_label

ISO = re.compile(r"^\d{4}-\d\d-\d\d$")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_date_parsers_return_iso_dates_or_nothing(text: str) -> None:
    for _kind, value in parse_date_line(text):
        assert ISO.match(value)
    value = parse_date_value(text)
    assert value is None or ISO.match(value)


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
def test_written_dates_round_trip(day: date) -> None:
    assert parse_date_line(day.strftime("%B %d, %Y")) == [("published", day.isoformat())]
    assert parse_date_line(day.strftime("%d.%m.%Y")) == [("published", day.isoformat())]
    assert parse_date_value(day.isoformat() + "T10:00:00Z") == day.isoformat()


def test_relative_dates_need_an_anchor_and_get_none() -> None:
    assert parse_date_line("Updated 3 hours ago") == []
    assert parse_date_value("yesterday") is None and parse_date_value("on Friday") is None


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["http", "https", "HTTPS"]),
    st.from_regex(r"[a-z]{1,10}\.(com|org|example)", fullmatch=True),
    st.lists(st.from_regex(r"[a-z0-9-]{1,8}", fullmatch=True), max_size=4),
    st.sampled_from(["", "?utm_source=x", "?id=7&utm_medium=y", "#frag"]),
)
def test_canonical_url_is_idempotent_and_drops_tracking(scheme: str, host: str, path: list[str], tail: str) -> None:
    url = f"{scheme}://{host}/{'/'.join(path)}{tail}"
    once = canonical_url(url)
    assert once is not None and canonical_url(once) == once
    assert "utm_" not in once and "#" not in once and once.startswith(scheme.lower())


def test_site_label() -> None:
    assert site_label("www.themoscowtimes.com") == "themoscowtimes"
    assert site_label("news.bbc.co.uk") == "bbc"
    assert site_label("nordwire.example") == "nordwire"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_line_key_is_a_fixed_point(text: str) -> None:
    key = line_key(text)
    assert line_key(key) == key and not re.search(r"\d", key.replace("0", ""))

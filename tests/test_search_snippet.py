"""The snippet PostgreSQL search shows (SQLite's comes from FTS5): words marked as the index matched them."""

from __future__ import annotations

from crosswire.storage.browse import HIT_END, HIT_START, snippet


def _marked(s: str) -> str:
    return s.replace(HIT_START, "[").replace(HIT_END, "]")


def test_every_matching_word_is_marked_case_and_diacritics_folded() -> None:
    body = "Officials met. Interior minister Dana Kövel said the KOVEL plan stands."
    assert _marked(snippet("Title", body, "kovel")) == "Officials met. Interior minister Dana [Kövel] said the [KOVEL] plan stands."


def test_long_text_is_cut_around_the_first_match() -> None:
    body = " ".join(f"w{i}" for i in range(100)) + " Kharkiv " + " ".join(f"x{i}" for i in range(100))
    out = _marked(snippet("", body, "Kharkiv", size=8))
    assert out == "…w98 w99 [Kharkiv] x0 x1 x2 x3 x4…"


def test_a_title_match_is_shown_when_the_text_has_none() -> None:
    assert _marked(snippet("Putin visits Samarkand", "Nothing here.", "samarkand")) == "Putin visits [Samarkand]"
    assert snippet("T", "No match at all.", "zebra") == "No match at all."

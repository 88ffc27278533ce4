"""Claims: dates resolved as written against the article's date, and credit only for what a speaker said."""

from __future__ import annotations

from datetime import date

import pytest

from crosswire.model import Statement, StatementKind
from crosswire.nlp.analyse import analyse_doc
from crosswire.nlp.claims import resolve_date, statement_of, weekday_date
from crosswire.nlp.parse import parse

FRIDAY = date(2024, 5, 17)


@pytest.mark.parametrize(("text", "expected"), [
    ("Friday", "2024-05-17"),  # "said Friday" in a Friday article is that day
    ("on Friday", "2024-05-17"),
    ("Thursday", "2024-05-16"),
    ("Saturday night", "2024-05-11"),  # the most recent Saturday before
    ("last Friday", "2024-05-10"),  # "last" is never the publication day
    ("next Monday", "2024-05-20"),
])
def test_weekdays_follow_the_news_convention(text: str, expected: str) -> None:
    assert resolve_date(text, FRIDAY) == expected


def test_saturday_page_saturday() -> None:
    assert weekday_date("saturday", "", date(2024, 5, 18)) == date(2024, 5, 18)


@pytest.mark.parametrize(("text", "dated", "undated"), [
    ("2022", "2022", "2022"),
    ("in 2022", "2022", "2022"),
    ("in May", "2024-05", None),
    ("on 12 May", "2024-05-12", None),
    ("August 6", "2024-08-06", None),
    ("May 2022", "2022-05", "2022-05"),
    ("September 3, 2022", "2022-09-03", "2022-09-03"),
    ("the end of 2022", None, None),  # not a calendar date as written: left to the fallback parser
    ("February 30", None, None),
])
def test_calendar_dates_take_the_article_year_only_when_dated(text: str, dated: str | None, undated: str | None) -> None:
    assert resolve_date(text, FRIDAY) == dated
    assert resolve_date(text, None) == undated


def _statement(*content: tuple[int, int]) -> Statement:
    return Statement("st1", StatementKind.INDIRECT, content, "Vladimir Putin", None)


def test_credit_needs_the_figure_inside_the_statement() -> None:
    said = _statement((10, 40))
    assert statement_of((said,), [(12, 15)]) is said
    assert statement_of((said,), [(45, 48)]) is None  # same sentence, outside what was said
    assert statement_of((said,), [(38, 44)]) is None  # straddling the edge is not inside


def test_narrator_figure_after_a_quote_is_not_the_speakers() -> None:
    text = ("“Did it work? No,” Putin said. Russian forces, which control 18% of Ukraine’s territory, "
            "have been advancing since a 2023 counteroffensive failed.")
    a = analyse_doc(next(parse([text])), "t", None)
    (claim,) = [c for c in a.claims if any(q.value == 18 for q in c.quantities)]
    assert claim.source is None and claim.statement is None
    assert [d.value for d in claim.dates] == ["2023"]


def test_day_number_of_a_date_is_not_a_quantity() -> None:
    text = "On August 6, the largest attack on Russian territory since 1945 took place."
    a = analyse_doc(next(parse([text])), "t", "2024-09-06")
    assert [d.value for c in a.claims for d in c.dates][:1] == ["2024-08-06"]
    assert not [q for c in a.claims for q in c.quantities if q.value == 6]


def test_one_of_a_set_is_not_an_amount() -> None:
    from crosswire.nlp.quantities import find_quantities

    assert find_quantities("one of the goals of the offensive") == []
    assert [q.value for q in find_quantities("one soldier and two of the officers")] == [1.0, 2.0]

"""The outlet from a credit when nothing better is known: a credited web address ("Source: www.ntv.de") or a
name of the outlet table fills it, with the signal saying so; an agency credit never does (wire copy is
carried by many outlets); an outlet given with the input, or from the URL, wins."""

from __future__ import annotations

import pytest

from crosswire.extract.article import extract_article
from crosswire.model import Article, InputFormat, Origin, RawDocument
from tests.conftest import SEEDS

BODY = ("Officials in the port city said on Thursday that the fire at the fuel depot had been contained after "
        "burning for most of the night, and that nobody had been hurt.\n\n"
        "Firefighters stayed on site to cool the tanks, the city's fire service said in a statement.\n\n")  # fmt: skip


def _extract(text: str, **hints: str) -> Article:
    a = extract_article(RawDocument(Origin("file", "t.txt"), InputFormat.TEXT, text, **hints))  # type: ignore[arg-type]
    assert isinstance(a, Article), a
    return a


def _signal(a: Article, field: str) -> str:
    return dict(a.meta.signals)[field]


@pytest.mark.parametrize(("credit", "outlet"), [("Source: www.ntv.de", "n-tv"), ("Source: https://www.ntv.de/politik/x.html", "n-tv"),
                                                 ("Source: harbourtimes.example", "harbourtimes.example")])  # fmt: skip
def test_a_credited_web_address_fills_the_outlet_with_its_evidence(credit: str, outlet: str) -> None:
    a = _extract(BODY + credit)
    assert a.meta.outlet == outlet and credit.split(": ")[1] in a.meta.credited
    assert _signal(a, "outlet").startswith("credited source, no other outlet known (line 5 'Source:'")
    assert credit not in a.text


def test_an_outlet_table_name_fills_it_an_unknown_name_does_not() -> None:
    assert _extract(BODY + "Source: The Moscow Times").meta.outlet == "The Moscow Times"
    unknown = _extract(BODY + "Source: Veltrana Fire and Rescue Service")
    assert unknown.meta.outlet is None and unknown.meta.credited == ("Veltrana Fire and Rescue Service",)


@pytest.mark.parametrize("credit", ["Source: Reuters", "Source: AFP", "Source: www.reuters.com"])
def test_an_agency_credit_is_a_credited_source_not_the_outlet(credit: str) -> None:
    a = _extract(BODY + credit)
    assert a.meta.outlet is None and a.meta.credited and "outlet" not in dict(a.meta.signals)


def test_what_the_input_or_its_url_says_wins_over_a_credit() -> None:
    given = _extract(BODY + "Source: www.ntv.de", outlet="Coastal Herald")
    assert (given.meta.outlet, _signal(given, "outlet")) == ("Coastal Herald", "given with the input")
    by_url = _extract(BODY + "Source: www.ntv.de", url="https://www.themoscowtimes.com/2024/05/17/a")
    assert (by_url.meta.outlet, _signal(by_url, "outlet")) == ("The Moscow Times", "URL host")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/data/seeds not present")
def test_the_ntv_seed_names_its_outlet_and_the_reuters_rewrite_does_not() -> None:
    def seed(prefix: str) -> Article:
        [path] = SEEDS.glob(f"{prefix}_*.txt")
        return _extract(path.read_text("utf-8"))

    ntv = seed("002")
    assert (ntv.meta.outlet, ntv.meta.credited) == ("n-tv", ("www.ntv.de",))
    assert _signal(ntv, "outlet") == "credited source, no other outlet known (line 14 'Source:': 'www.ntv.de')"
    reuters = seed("004")
    assert reuters.meta.outlet is None and reuters.meta.credited == ("Reuters",)

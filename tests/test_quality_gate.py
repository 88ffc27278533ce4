"""Quality floors on the shared evaluation data (a gate, not the benchmark: bench/ has the full figures).

The floors sit just under what bench/aeb.py and bench/dates.py measured (docs/benchmarks.md), so a
change that makes extraction worse fails here. Parameters were set on the seeds and the demo corpus,
never tuned on these sets.
"""

from __future__ import annotations

import gzip
import json

import pytest

from bench.aeb import match, tokenize
from bench.aeb import metrics as aeb_metrics
from crosswire.extract.article import extract_article
from crosswire.ingest.decode import decode_text
from crosswire.model import Article, InputFormat, Origin, RawDocument
from tests.conftest import SHARED

AEB = SHARED / "zyte-aeb"
DATES = SHARED / "htmldate-eval"
AEB_F1_FLOOR = 0.96  # measured 0.967 on all 181 pages (2026-11-23)
DATES_ACCURACY_FLOOR = 0.90  # first 300 entries of eval_default.json: measured 0.913 (274/300)


def _article(html: str, url: str | None) -> Article | None:
    result = extract_article(RawDocument(Origin("file", "gate"), InputFormat.HTML, html, url=url))
    return result if isinstance(result, Article) else None


@pytest.mark.skipif(not AEB.is_dir(), reason="zyte-aeb not present")
def test_aeb_body_extraction_f1_floor() -> None:
    gold = json.loads((AEB / "ground-truth.json").read_text("utf-8"))
    counts, acc = [], []
    for key, item in gold.items():
        html = decode_text(gzip.decompress((AEB / "html" / f"{key}.html.gz").read_bytes()))[0]
        article = _article(html, item.get("url"))
        pred = article.text if article else ""
        counts.append(match(item["articleBody"], pred))
        acc.append(float(tokenize(item["articleBody"]) == tokenize(pred)))
    assert aeb_metrics(counts, acc)["f1"] >= AEB_F1_FLOOR


@pytest.mark.skipif(not DATES.is_dir(), reason="htmldate-eval not present")
def test_publication_date_accuracy_floor() -> None:
    entries = list(json.loads((DATES / "eval_default.json").read_text("utf-8")).items())[:300]
    right = total = 0
    for url, item in entries:
        if not isinstance(item.get("date"), str):
            continue
        total += 1
        html = decode_text(gzip.decompress((DATES / "html" / f"{item['file']}.gz").read_bytes()))[0]
        article = _article(html, url)
        right += bool(article and article.meta.published.value == item["date"])
    assert right / total >= DATES_ACCURACY_FLOOR


STATEMENT_FLOORS = {  # first 30 PolNeAR dev articles, bench/statements.py --limit 30 (2026-12-06)
    # Lowered on purpose with issue #13 (precision before recall): quote-only paragraphs no longer inherit a
    # speaker across another named person, and sources that cannot speak ("the situation") are dropped —
    # PolNeAR counted many of those (transcript lines, fragments), so token recall fell (0.794 → 0.724).
    # Quotation marks closed at PTB '' and at mixed curly/straight marks end contents where the quote ends.
    ("content", "token_F"): 0.68,  # measured 0.699
    ("source", "overlap_F"): 0.70,  # measured 0.724
    ("cue", "overlap_F"): 0.67,  # measured 0.693
}


@pytest.mark.skipif(not (SHARED / "polnear").is_dir(), reason="../shared/data/polnear not present")
def test_statement_extraction_floor_on_polnear_dev() -> None:
    from bench.statements import evaluate

    res = evaluate("dev", limit=30, errors=0, processes=1)
    for (role, metric), floor in STATEMENT_FLOORS.items():
        assert res[role][metric] >= floor, (role, metric, res[role][metric])

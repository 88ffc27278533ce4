"""Metadata exact-match rates where gold exists: the demo corpus ground truth (src/crosswire/demo/EXPECTED.json)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from crosswire.app.reading import demo_corpus_path
from crosswire.extract.article import extract_article
from crosswire.ingest.sources import expand_inputs, read_input
from crosswire.model import Article
from crosswire.settings import Settings

FIELDS = ("title", "outlet", "authors", "published", "date_source", "credited", "dateline", "url", "language")


def got(a: Article, field: str) -> object:
    """The extracted value in the ground truth's shape."""
    m = a.meta
    return {
        "title": m.title, "outlet": m.outlet, "authors": list(m.authors), "published": m.published.value,
        "date_source": str(m.published.source), "credited": sorted(m.credited), "dateline": m.dateline,
        "url": m.url, "language": m.language,
    }[field]  # fmt: skip


def main() -> None:
    """Extract every demo article and count exact matches per field."""
    expected = json.loads((demo_corpus_path().parent / "EXPECTED.json").read_text("utf-8"))
    cases = {(c["file"], c["item"]): c for c in expected["articles"]}
    right: Counter[str] = Counter()
    misses: list[str] = []
    n = 0
    for ref in expand_inputs([str(demo_corpus_path())]):
        for raw in read_input(ref, Settings()):
            a = extract_article(raw)  # type: ignore[arg-type]
            name = Path(raw.origin.locator).name
            case = cases.get((name, raw.origin.item)) or cases[(name, None)]
            n += 1
            for field in FIELDS:
                want = sorted(case[field]) if field == "credited" else case[field]
                ok = isinstance(a, Article) and got(a, field) == want
                right[field] += ok
                if not ok:
                    misses.append(f"{case['key']} {field}: got {got(a, field) if isinstance(a, Article) else a!r}, want {want!r}")
    print(f"Metadata exact match on the demo corpus ({n} articles, gold in EXPECTED.json)")
    for field in FIELDS:
        print(f"  {field:<12} {right[field]:3d}/{n}  {right[field] / n:.3f}")
    for miss in misses:
        print("  miss:", miss)


if __name__ == "__main__":
    main()

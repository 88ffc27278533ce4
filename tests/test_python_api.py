"""The Python API: the worked example of docs/python.md runs as written, and the collections turn into tables."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

import crosswire

DOC = Path(__file__).resolve().parents[1] / "docs" / "python.md"


def test_the_documented_example_runs_as_written() -> None:
    result = doctest.testfile(str(DOC), module_relative=False, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 15 and result.failed == 0


def test_import_is_light_and_the_api_is_there() -> None:
    assert callable(crosswire.open) and callable(crosswire.analyse) and crosswire.__version__
    with pytest.raises(AttributeError):
        crosswire.nothing_here  # noqa: B018


def test_records_to_arrow(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    with crosswire.open(tmp_path / "s.db", workers=1) as cw:
        cw.add({"title": "Depot fire", "text": "A fire closed the Port Arvel depot on Tuesday, the fire service said.",
                "outlet": "Harbour Post"})
        table = cw.articles().to_arrow()
    assert isinstance(table, pa.Table) and table.num_rows == 1 and "text" in table.column_names

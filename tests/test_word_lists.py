"""Each stop-word and not-a-name list lives once, in ``resources/stopwords.toml``, and is read once."""

from __future__ import annotations

import ast
import re
import tomllib
from importlib.resources import files
from pathlib import Path

from crosswire.resources.word_lists import word_list

SRC = Path(__file__).resolve().parents[1] / "src" / "crosswire"
LIST_NAME = re.compile(r"STOP|NOT_NAMES")


def _names() -> list[str]:
    return list(tomllib.loads(files("crosswire.resources").joinpath("stopwords.toml").read_text("utf-8")))


def test_every_list_is_lower_case_words_and_used_by_one_module() -> None:
    sources = {p: p.read_text("utf-8") for p in SRC.rglob("*.py")}
    for name in _names():
        words = word_list(name)
        assert words and all(w == w.lower() and " " not in w for w in words), name
        users = [p for p, text in sources.items() if f'word_list("{name}")' in text]
        assert len(users) == 1, (name, users)
    assert word_list("compare_stop") is word_list("compare_stop")  # read once
    assert {"the", "für"} <= word_list("compare_stop") and "kharkiv" not in word_list("compare_stop")
    assert {"monday", "mr"} <= word_list("story_not_names") and "however" in word_list("compare_not_names")


def inline_lists(root: Path = SRC) -> list[str]:
    """Stop-word or not-a-name constants written out in code (a string of several words) instead of read."""
    out = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.parse(path.read_text("utf-8")).body:
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and LIST_NAME.search(t.id) for t in node.targets):
                if any(isinstance(c, ast.Constant) and isinstance(c.value, str) and len(c.value.split()) > 2 for c in ast.walk(node.value)):
                    out.append(f"{path.relative_to(root)}:{node.lineno}")
    return out


def test_no_stop_word_list_is_written_in_code(tmp_path: Path) -> None:
    assert inline_lists() == []
    (tmp_path / "x.py").write_text('STOPWORDS = frozenset("the a an of".split())\n', "utf-8")
    assert inline_lists(tmp_path) == ["x.py:1"]

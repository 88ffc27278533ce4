"""The import layers of the house style hold: shells → use-cases → pipeline/stages/storage → model.

    shells     crosswire.cli, crosswire.web, crosswire.api           may import anything below
    use-cases  crosswire.app, crosswire.watch (the polling loop,     never a shell
               revisions and alerts meet storage there)
    stages     ingest, extract, nlp, stories, compare, pipeline,     never a use-case or a shell
               storage, export, demo, resources
    model      model, errors, settings, crosswire/__init__           nothing of crosswire but each other

Checked on the source with ``ast`` (imports inside functions count too), so a lazy import cannot hide a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "crosswire"
SHELLS = {"cli", "web", "api"}
USE_CASES = {"app", "watch"}
MODEL = {"model", "errors", "settings", "__init__"}


def layer(part: str) -> int:
    """0 model, 1 stages, 2 use-cases, 3 shells."""
    if part in SHELLS:
        return 3
    if part in USE_CASES:
        return 2
    if part in MODEL:
        return 0
    return 1


def top_part(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "crosswire":
        return None
    return parts[1].removesuffix(".py") if len(parts) > 1 else "__init__"


def imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text("utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            if node.module == "crosswire":  # from crosswire import app, export
                found += [(node.lineno, f"crosswire.{a.name}") for a in node.names]
    return found


def violations() -> list[str]:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        own = rel.parts[0].removesuffix(".py") if len(rel.parts) > 1 or rel.name != "__init__.py" else "__init__"
        for lineno, module in imports(path):
            target = top_part(module)
            if target is None or target == own or module == "crosswire":
                continue
            if own == "__init__" and target == "api":  # the package's door: crosswire.open/analyse, imported lazily
                continue
            if layer(target) > layer(own) or (layer(own) == 0 and target not in MODEL):
                out.append(f"{rel}:{lineno} ({own}, layer {layer(own)}) imports {module} (layer {layer(target)})")
    return out


def test_imports_point_down_only() -> None:
    assert violations() == []


def test_the_check_catches_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from crosswire.app import ingest\n", "utf-8")
    assert imports(bad) == [(2, "crosswire.app")] and layer(top_part("crosswire.app") or "") > layer("storage")


def connection_uses(root: Path = SRC) -> list[str]:
    """Places outside ``crosswire.storage`` that touch a database connection or engine (``.conn``, ``.engine``,
    ``Connection``): storage's typed Reader/Writer methods are the only door."""
    out = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if rel.parts[0] == "storage":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("conn", "engine", "_conn"):
                out.append(f"{rel}:{node.lineno} .{node.attr}")
            elif isinstance(node, ast.Name) and node.id == "Connection":
                out.append(f"{rel}:{node.lineno} Connection")
            elif isinstance(node, ast.alias) and node.name.rsplit(".", 1)[-1] == "Connection":
                out.append(f"{rel}:{node.lineno} imports Connection")
    return out


def test_no_connection_leaves_storage() -> None:
    assert connection_uses() == []


def test_the_connection_check_catches_a_raw_connection(tmp_path: Path) -> None:
    (tmp_path / "watch").mkdir()
    (tmp_path / "storage").mkdir()
    (tmp_path / "watch" / "x.py").write_text("from sqlalchemy import Connection\ndef f(tx):\n    tx.conn.execute(1)\n", "utf-8")
    (tmp_path / "storage" / "y.py").write_text("def g(rd):\n    return rd._conn\n", "utf-8")
    assert connection_uses(tmp_path) == ["watch/x.py:1 imports Connection", "watch/x.py:3 .conn"]

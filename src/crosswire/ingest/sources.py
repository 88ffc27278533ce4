"""Inputs as the user names them (paths, directories, globs, ``-``, URLs, fsspec URLs) → readers → items.

A back-fill names its partitions with a glob (``'data/*.jsonl'``, quoted so crosswire, not the shell, expands it)
or an fsspec URL (``s3://bucket/warc/*.warc.gz``, ``gs://…``, ``memory://…``; ``file://`` is a local path). Every
file, local or remote, is opened as a stream: JSONL and WARC shards are read record by record, never held whole.

``iter_input`` (and ``read_input``, its list) never raises for bad input: every problem becomes a
Rejected naming the input, so a batch always goes on.
"""

from __future__ import annotations

import gzip
import os
import re
import stat
import sys
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from glob import glob
from pathlib import Path
from typing import BinaryIO

from crosswire.errors import EmptyInput, InputError, TooLarge, UnsupportedInput
from crosswire.ingest import readers
from crosswire.ingest.decode import (
    GZIP_MAGIC,
    InflatingStream,
    bounded_lines,
    charset_of,
    check_size,
    decode_text,
    decompressed_limit,
    gunzip_partial,
    sniff,
)
from crosswire.ingest.fetch import Fetched, fetch_url
from crosswire.model import InputFormat, Origin, RawDocument, Rejected
from crosswire.settings import Settings

Item = RawDocument | Rejected
Fetcher = Callable[[str, Settings], Fetched]

STREAMED_KINDS = ("warc", "jsonl")  # containers that may be far bigger than one article
EXTENSION_KINDS = {
    ".txt": "text", ".text": "text", ".md": "text", ".markdown": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
    ".warc": "warc", ".arc": "warc",
}  # fmt: skip
SUPPORTED = ", ".join(sorted(EXTENSION_KINDS)) + " (optionally .gz), directories, globs, URLs and -"
GLOB_CHARS = re.compile(r"[*?[]")
URL_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://")


@dataclass(frozen=True, slots=True)
class InputRef:
    """One thing to read: a file, stdin or a URL."""

    kind: str  # file | remote (an fsspec URL) | stdin | url | upload | missing | refused
    name: str
    problem: str = ""  # why a refused input cannot be read (an unreadable directory, a FIFO, a device)


def expand_inputs(specs: Sequence[str]) -> list[InputRef]:
    """Turn CLI arguments into concrete inputs, walking directories recursively and expanding globs, in sorted order.

    Nothing is opened here: a FIFO or a device is named for what it is and refused, a directory that cannot be
    listed is reported, never skipped without a word, and so is a glob that matches nothing.
    """
    refs: list[InputRef] = []
    for spec in specs:
        scheme = URL_SCHEME.match(spec)
        protocol = scheme.group(1).lower() if scheme else ""
        if spec == "-":
            refs.append(InputRef("stdin", "-"))
        elif protocol in ("http", "https"):
            refs.append(InputRef("url", spec))
        elif protocol == "file":
            refs.extend(_local(spec[len("file://"):]))
        elif protocol:
            refs.extend(_remote(spec, protocol))
        else:
            refs.extend(_local(spec))
    return refs


def _local(spec: str) -> list[InputRef]:
    if Path(spec).is_dir():
        return list(_walk(Path(spec)))
    if not GLOB_CHARS.search(spec) or os.path.lexists(spec):  # a file whose name holds a * is that file
        return [_file_ref(spec)]
    matches = sorted(glob(spec, recursive=True))  # hidden files only when the pattern names them
    if not matches:
        return [InputRef("refused", spec, _NO_MATCH)]
    return [ref for m in matches for ref in (_walk(Path(m)) if Path(m).is_dir() else [_file_ref(m)])]


_NO_MATCH = "no file matches this pattern; check the path (quote the pattern so crosswire expands it, not the shell)"


def _remote(spec: str, protocol: str) -> list[InputRef]:
    """An fsspec URL: one file, a directory (walked) or a glob, listed through the protocol's filesystem."""
    try:
        import fsspec
    except ImportError:
        return [InputRef("refused", spec, f"{protocol}:// inputs need fsspec: pip install 'crosswire[remote]'")]
    try:
        fs, path = fsspec.core.url_to_fs(spec)
    except ImportError as exc:  # the protocol's package (s3fs, gcsfs, adlfs…) is not installed
        return [InputRef("refused", spec, f"{protocol}:// inputs need a package that is not installed here: {exc}")]
    except ValueError as exc:
        return [InputRef("refused", spec, f"{protocol}:// is not a protocol fsspec knows ({exc}); crosswire reads {SUPPORTED}")]
    try:
        if GLOB_CHARS.search(path) and not fs.exists(path):
            found = sorted(fs.glob(path))
            if "/." not in "/" + path:  # hidden files only when the pattern names them, as a local glob
                found = _visible(path[: GLOB_CHARS.search(path).start()].rpartition("/")[0], found)  # type: ignore[union-attr]
            if not found:
                return [InputRef("refused", spec, _NO_MATCH)]
        else:
            found = [path]
        files = [f for p in found for f in (_visible(p, fs.find(p)) if fs.isdir(p) else [p])]
    except OSError as exc:
        return [InputRef("refused", spec, f"cannot list: {exc.strerror or exc}")]
    return [InputRef("remote", spec if f == path else fs.unstrip_protocol(f)) for f in files]


def _visible(root: str, paths: list[str]) -> list[str]:
    """A remote directory's files in sorted order, without hidden ones (as a local directory is walked)."""
    return sorted(p for p in paths if not any(part.startswith(".") for part in p[len(root):].split("/")))


def _file_ref(name: str) -> InputRef:
    try:
        mode = os.stat(name).st_mode
    except FileNotFoundError:
        return InputRef("missing", name)
    except OSError as exc:
        return InputRef("refused", name, f"cannot read: {exc.strerror or exc}")
    special = not_a_regular_file(mode)
    return InputRef("refused", name, special) if special else InputRef("file", name)


def not_a_regular_file(mode: int) -> str:
    """Why a file of this mode is not read (a FIFO would block, a device never ends); "" for a regular file."""
    kinds = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory"))  # fmt: skip
    what = next((name for test, name in kinds if test(mode)), None if stat.S_ISREG(mode) else "not a regular file")
    return f"{what}, not a regular file: only regular files are read (save its content to a file first)" if what else ""


def _walk(root: Path) -> Iterator[InputRef]:
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):
        yield from _unreadable(errors)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield _file_ref(str(Path(dirpath) / name))
    yield from _unreadable(errors)


def _unreadable(errors: list[OSError]) -> Iterator[InputRef]:
    while errors:
        exc = errors.pop(0)
        yield InputRef("refused", str(exc.filename), f"directory cannot be read ({exc.strerror or exc}); its files were not added")


def read_input(
    ref: InputRef, settings: Settings, stdin: BinaryIO | None = None, fetch: Fetcher = fetch_url
) -> list[Item]:
    """Read one input into a list of items; any input problem becomes a Rejected naming it.

    Holds every item of the input at once: big containers should go through ``iter_input``.
    """
    return list(iter_input(ref, settings, stdin, fetch))


def iter_input(
    ref: InputRef, settings: Settings, stdin: BinaryIO | None = None, fetch: Fetcher = fetch_url
) -> Iterator[Item]:
    """The items of one input, one at a time as the reader finds them (a JSONL line, a WARC record), each
    checked against its limits; a problem with the input itself ends it with a Rejected naming the input."""
    origin = Origin("file" if ref.kind == "remote" else ref.kind, ref.name)  # a remote file: its URL is its locator
    try:
        for item in _read(ref, origin, settings, stdin, fetch):  # what was read before a failure stays
            yield readers.check_limits(item)
    except InputError as exc:
        yield Rejected(origin, str(exc))
    except OSError as exc:
        yield Rejected(origin, f"cannot read: {exc.strerror or exc}")


def _read(ref: InputRef, origin: Origin, settings: Settings, stdin: BinaryIO | None, fetch: Fetcher) -> Iterator[Item]:
    if ref.kind == "missing":
        raise InputError("no such file or directory (and not an http(s) URL)")
    if ref.kind == "refused":
        raise InputError(ref.problem)
    if ref.kind == "url":
        fetched = fetch(ref.name, settings)
        seen = datetime.now(UTC).isoformat(timespec="seconds")
        for item in _dispatch(fetched.content, None, origin, settings, fetch, url=fetched.final_url, charset=charset_of(fetched.content_type)):
            yield replace(item, seen=seen) if isinstance(item, RawDocument) else item
        return
    if ref.kind in ("stdin", "upload"):  # upload: bytes sent over HTTP, named by the client; the name's extension counts
        data = (stdin or sys.stdin.buffer).read(settings.max_input_bytes + 1)
        ext = (Path(ref.name.lower().removesuffix(".gz")).suffix or None) if ref.kind == "upload" else None
        yield from _dispatch(data, ext, origin, settings, fetch)
        return
    blob = _remote_blob(ref.name) if ref.kind == "remote" else _local_blob(Path(ref.name))
    name = blob.name.lower().removesuffix(".gz")
    ext = Path(name).suffix or None
    streamed = EXTENSION_KINDS.get(ext or "") in STREAMED_KINDS or _starts_like_warc(blob)
    limit, knob = (settings.max_file_bytes, "CROSSWIRE_MAX_FILE_BYTES") if streamed else (settings.max_input_bytes, "CROSSWIRE_MAX_INPUT_BYTES")
    if blob.size > limit:
        raise TooLarge(f"{blob.size / 1_048_576:.1f} MB is over the {limit / 1_048_576:.1f} MB limit for one input; split it or raise {knob}")
    if not blob.size:
        raise EmptyInput("empty input (no content)")
    if streamed:
        yield from _stream_file(blob, ext, origin, settings)
    else:
        with blob.open() as fh:
            data = fh.read(limit + 1)
        yield from _dispatch(data, ext, origin, settings, fetch)


@dataclass(frozen=True, slots=True)
class _Blob:
    """A file to read, local or behind an fsspec URL: its base name, its size, and how to open it as a byte stream."""

    name: str
    size: int
    open: Callable[[], BinaryIO]


def _local_blob(path: Path) -> _Blob:
    special = not_a_regular_file(path.stat().st_mode)  # checked again: a FIFO would block the open below
    if special:
        raise InputError(special)
    return _Blob(path.name, path.stat().st_size, lambda: path.open("rb"))


def _remote_blob(url: str) -> _Blob:
    import fsspec

    fs, path = fsspec.core.url_to_fs(url)
    return _Blob(path.rstrip("/").rpartition("/")[2], int(fs.size(path) or 0), lambda: fs.open(path, "rb"))


def _starts_like_warc(blob: _Blob) -> bool:
    """Whether a file (plain or gzip) begins with a WARC record, whatever its name."""
    with blob.open() as fh:
        head = fh.read(64)
    if head.startswith(GZIP_MAGIC):
        try:
            with blob.open() as fh, gzip.GzipFile(fileobj=fh, mode="rb") as gz:
                head = gz.read(8)
        except (OSError, EOFError, zlib.error):
            return False
    return head.lstrip()[:5] == b"WARC/"


def _stream_file(blob: _Blob, ext: str | None, origin: Origin, settings: Settings) -> Iterator[Item]:
    """Big containers are read as streams, inflated as they go, each document inside held to ``max_input_bytes``."""
    limit = decompressed_limit(blob.size, settings.max_input_bytes, settings.max_file_bytes)
    if EXTENSION_KINDS.get(ext or "") != "jsonl" or _starts_like_warc(blob):
        with blob.open() as fh:
            yield from readers.read_warc_stream(InflatingStream(fh, limit), origin, settings.max_input_bytes)
        return
    with blob.open() as raw:
        head = raw.read(4096)
    if not head.startswith(GZIP_MAGIC) and not head.lstrip().startswith(b"{") and blob.size <= settings.max_input_bytes:
        with blob.open() as fh:  # not one object per line: sniff it
            yield from _dispatch(fh.read(), ext, origin, settings, fetch_url)
        return
    with blob.open() as fh:
        yield from readers.read_jsonl(bounded_lines(InflatingStream(fh, limit), settings.max_input_bytes), origin, settings.max_input_bytes)


def _dispatch(
    data: bytes,
    ext: str | None,
    origin: Origin,
    settings: Settings,
    fetch: Fetcher,
    url: str | None = None,
    charset: str | None = None,
) -> Iterator[Item]:
    if data.startswith(GZIP_MAGIC):
        data, broken = gunzip_partial(data, settings.max_input_bytes)
        if broken and data.lstrip()[:5] == b"WARC/":  # keep the complete records of a cut .warc.gz
            yield from readers.read_warc(data, origin, settings.max_input_bytes)
            raise broken
        if broken:
            raise broken
    check_size(data, settings.max_input_bytes)
    if data.lstrip()[:5] == b"WARC/":
        yield from readers.read_warc(data, origin, settings.max_input_bytes)
        return
    text, encoding = decode_text(data, charset)
    kind = _choose_kind(ext, sniff(text))
    if kind == "warc":
        yield from readers.read_warc(data, origin, settings.max_input_bytes)
    elif kind == "feed":
        yield from _feed(data, origin, settings, fetch)
    elif kind == "html":
        yield from readers.read_html(text, origin, encoding, url=url)
    elif kind == "jsonl":  # stdin has no file to open at a line: its records are labelled as a JSON list's are, item N
        yield from readers.read_jsonl(text, origin, by_item=origin.kind == "stdin")
    elif kind == "json":
        yield from readers.read_json(text, origin)
    else:
        yield from (replace(d, url=url) if url else d for d in readers.read_text(text, origin, encoding))


def _choose_kind(ext: str | None, sniffed: str | None) -> str:
    """Pick a reader from the extension and the content; content wins where it is unambiguous."""
    by_ext = EXTENSION_KINDS.get(ext) if ext else None
    if ext and by_ext is None:
        if sniffed:
            return sniffed
        raise UnsupportedInput(f"unsupported file type '{ext}'; crosswire reads {SUPPORTED}")
    if by_ext in ("json", "jsonl"):
        return sniffed if sniffed in ("json", "jsonl") else by_ext
    if by_ext == "feed":
        return "html" if sniffed == "html" else "feed"
    return sniffed or by_ext or "text"


def _feed(data: bytes, origin: Origin, settings: Settings, fetch: Fetcher) -> Iterator[Item]:
    for item in readers.read_feed(data, origin):
        if settings.fetch_links and isinstance(item, RawDocument) and item.url:
            yield _fetch_entry_page(item, settings, fetch)
        else:
            yield item


def _fetch_entry_page(entry: RawDocument, settings: Settings, fetch: Fetcher) -> Item:
    """Replace a feed entry's content with its linked page, keeping the entry's metadata."""
    try:
        fetched = fetch(entry.url or "", settings)
        data = fetched.content
        if data.startswith(GZIP_MAGIC):
            data, broken = gunzip_partial(data, settings.max_input_bytes)
            if broken:
                raise broken
        check_size(data, settings.max_input_bytes)
        text, encoding = decode_text(data, charset_of(fetched.content_type))
    except InputError as exc:
        return Rejected(entry.origin, f"linked page {entry.url}: {exc}")
    kind = InputFormat.TEXT if sniff(text) is None and "html" not in fetched.content_type.lower() else InputFormat.HTML
    seen = datetime.now(UTC).isoformat(timespec="seconds")
    return replace(entry, format=kind, content=text, encoding=encoding, url=fetched.final_url, seen=seen)

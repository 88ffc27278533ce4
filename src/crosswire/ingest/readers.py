"""Readers: decoded input → RawDocument values (or Rejected ones for bad items inside a container).

Each reader takes bytes, text or a stream already opened on a file, stdin or a URL, plus its Origin,
and yields one value per article as it goes: a container (JSONL, WARC) is never held whole, and every
item is checked against its limits before it is built. A bad item inside a container (one malformed
or oversized JSONL line, a truncated WARC record) becomes a Rejected and the rest of the container still loads.
"""

from __future__ import annotations

import io
import json
import zlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import feedparser
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.exceptions import ArchiveLoadFailed

from crosswire.errors import EmptyInput, InputError, MalformedInput
from crosswire.ingest.decode import InflatingStream, charset_of, decode_text
from crosswire.model import InputFormat, Origin, RawDocument, Rejected

JSON_FIELDS = ("id", "url", "title", "text", "html", "outlet", "author", "published", "language")
HTML_TYPES = ("text/html", "application/xhtml+xml")
# WARC and HTTP header lines are a few hundred bytes (cookies and CSPs a few kB); a "line" of a megabyte is
# not a header but a bomb or a file that is no WARC, refused before warcio buffers it whole.
MAX_HEADER_LINE_BYTES = 1 << 20
MAX_HEADER_BLOCK_BYTES = 4 << 20  # all header lines read between two payloads
# One article's fields, checked before any stage sees them. Each limit is far above real values (headlines run
# under 300 characters, bylines under 200, URLs under 2,000) and far below what stalls the stages: a 10 MB title
# held the story signals for over five minutes at 1.4 GB (bench/faults.py title_10mb).
FIELD_MAX_CHARS = {"title": 2_000, "url": 8_192, "outlet": 500, "published": 200, "language": 64, "external_id": 2_048}
AUTHOR_MAX_CHARS, MAX_AUTHORS = 500, 100
# One line (paragraph) of a plain-text article. A whole 15,000-word article on one line is about 100,000
# characters; a 15 MB line took 106 s and 1 GB in the cleanup, language and story stages (bench/faults.py oneline_15mb).
MAX_LINE_CHARS = 100_000

Item = RawDocument | Rejected


def check_limits(item: Item) -> Item:
    """The item itself, or a Rejected naming the first field or line over its limit (nothing is truncated)."""
    if isinstance(item, Rejected):
        return item
    for name, limit in FIELD_MAX_CHARS.items():
        value = getattr(item, name)
        if value and len(value) > limit:
            return Rejected(item.origin, f"{name.replace('external_', '')} is {len(value):,} characters, over the {limit:,} limit for it")
    if len(item.authors) > MAX_AUTHORS or any(len(a) > AUTHOR_MAX_CHARS for a in item.authors):
        return Rejected(item.origin, f"author field over its limits ({MAX_AUTHORS} names of {AUTHOR_MAX_CHARS} characters)")
    if item.format is InputFormat.TEXT:
        longest = max(item.content.splitlines(), key=len, default="")
        if len(longest) > MAX_LINE_CHARS:
            return Rejected(item.origin, f"a line of {len(longest):,} characters, over the {MAX_LINE_CHARS:,} limit for one "
                                         "paragraph of a text article; break it into paragraphs")
    return item


def read_text(text: str, origin: Origin, encoding: str = "utf-8") -> Iterator[RawDocument]:
    """A scraped plain-text or Markdown article: one document."""
    yield RawDocument(origin, InputFormat.TEXT, text, encoding=encoding)


def read_html(text: str, origin: Origin, encoding: str = "utf-8", url: str | None = None) -> Iterator[Item]:
    """A saved HTML page: one document (extraction happens later, in ``extract``)."""
    yield RawDocument(origin, InputFormat.HTML, text, url=url, encoding=encoding)


def read_jsonl(lines: str | Iterable[str | bytes | int], origin: Origin, max_line_bytes: int | None = None,
               by_item: bool = False) -> Iterator[Item]:
    """One article per line; a malformed, oversized or undecodable line is rejected on its own.

    Each is labelled by its line (``line 3``: a file can be opened there), or with ``by_item`` by its rank among the
    records (``item 2``, blank lines not counted), the label a JSON list's items get: stdin has no lines to open."""
    seen = 0
    for n, line in enumerate(lines.splitlines() if isinstance(lines, str) else lines, start=1):
        if isinstance(line, int):  # bounded_lines skipped an over-long line without holding it
            seen += 1
            yield Rejected(Origin(origin.kind, origin.locator, f"item {seen}" if by_item else f"line {n}"),
                           f"line {n} is {line} bytes, over the {max_line_bytes or 0} byte limit for one article")
            continue
        if not line.strip():
            continue
        seen += 1
        position = f"item {seen}" if by_item else f"line {n}"
        where = Origin(origin.kind, origin.locator, position)
        if max_line_bytes and len(line) > max_line_bytes:
            yield Rejected(where, f"line {n} is {len(line)} bytes, over the {max_line_bytes} byte limit for one article")
            continue
        try:
            text = line if isinstance(line, str) else decode_text(line)[0]
        except InputError as exc:
            yield Rejected(where, f"line {n}: {exc}")
            continue
        try:
            record = json.loads(text)
        except (ValueError, RecursionError) as exc:
            yield Rejected(where, f"malformed JSON on line {n}: {'nested too deeply' if isinstance(exc, RecursionError) else exc}")
            continue
        yield _from_record(record, origin, position)
    if not seen:
        raise EmptyInput("JSONL file has no lines")


def read_json(text: str, origin: Origin) -> Iterator[Item]:
    """A JSON file: one article object, a list of them, or ``{"articles": [...]}``."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise MalformedInput(f"malformed JSON: {exc}") from exc
    except RecursionError as exc:
        raise MalformedInput("malformed JSON: nested too deeply") from exc
    if isinstance(data, Mapping) and isinstance(data.get("articles"), list):
        data = data["articles"]
    records = data if isinstance(data, list) else [data]
    if not records:
        raise EmptyInput("JSON file holds an empty list")
    for n, record in enumerate(records, start=1):
        yield _from_record(record, origin, f"item {n}")


def _from_record(record: Any, origin: Origin, position: str) -> Item:
    if not isinstance(record, Mapping):
        return Rejected(Origin(origin.kind, origin.locator, position), "not a JSON object")
    ext_id = _str(record.get("id"))
    where = Origin(origin.kind, origin.locator, ext_id or position)
    bad = [k for k in ("text", "html", "title", "url") if record.get(k) is not None and not isinstance(record[k], str)]
    if bad:
        return Rejected(where, f"field(s) {', '.join(bad)} must be strings")
    html, text = _str(record.get("html")), _str(record.get("text"))
    if not (html or text):
        known = ", ".join(JSON_FIELDS)
        return Rejected(where, f"no 'text' or 'html' field with content (fields read: {known})")
    return RawDocument(
        origin=where,
        format=InputFormat.HTML if html and not text else InputFormat.TEXT,
        content=text or html or "",
        url=_str(record.get("url")),
        title=_str(record.get("title")),
        outlet=_str(record.get("outlet")),
        authors=_authors(record.get("author", record.get("authors"))),
        published=_str(record.get("published")),
        language=_str(record.get("language")),
        external_id=ext_id,
    )


def read_feed(data: bytes, origin: Origin) -> Iterator[Item]:
    """An RSS or Atom feed: one document per entry, from the entry's content (or summary)."""
    parsed = feedparser.parse(io.BytesIO(data))  # a stream: feedparser would open a str or bytes that looks like a path
    if not parsed.entries:
        if parsed.get("bozo") and not parsed.get("feed"):
            raise MalformedInput(f"not a readable feed ({parsed.get('bozo_exception')})")
        raise EmptyInput("feed has no entries")
    outlet = _str(parsed.feed.get("title"))
    for n, entry in enumerate(parsed.entries, start=1):
        yield _from_entry(entry, origin, outlet, n)


def _from_entry(entry: Any, origin: Origin, outlet: str | None, n: int) -> Item:
    ext_id = _str(entry.get("id")) or _str(entry.get("link"))
    where = Origin("feed", origin.locator, ext_id or f"entry {n}")
    contents = entry.get("content") or []
    body = _str(contents[0].get("value")) if contents else None
    body = body or _str(entry.get("summary"))
    if not body and not entry.get("link"):
        return Rejected(where, "feed entry has neither content nor a link")
    is_html = bool(body and "<" in body and ">" in body)
    return RawDocument(
        origin=where,
        format=InputFormat.HTML if is_html else InputFormat.TEXT,
        content=body or "",
        url=_str(entry.get("link")),
        title=_str(entry.get("title")),
        outlet=outlet,
        authors=tuple(a["name"] for a in entry.get("authors", []) if a.get("name")),
        published=_str(entry.get("published") or entry.get("updated")),
        language=_str(entry.get("language")),
        external_id=ext_id,
    )


def read_warc(data: bytes, origin: Origin, max_record_bytes: int | None = None) -> Iterator[Item]:
    """A WARC archive in memory (plain or gzip): one document per HTML response or resource record."""
    limit = len(data) * 200 + (max_record_bytes or len(data))
    yield from read_warc_stream(InflatingStream(io.BytesIO(data), limit), origin, max_record_bytes)


def read_warc_stream(stream: InflatingStream, origin: Origin, max_record_bytes: int | None = None) -> Iterator[Item]:
    """A WARC archive read as a stream (inflated as it is read, any size): one document per HTML record.

    The stream holds the archive's inflated size to its limit; header lines are held to
    MAX_HEADER_LINE_BYTES and each record to ``max_record_bytes``, all before anything is kept.
    """
    found = 0
    archive = _BoundedArchive(stream, arc2warc=True)
    try:
        for record in archive:
            item = _from_warc_record(record, origin, max_record_bytes)
            if item is not None:
                found += 1
                yield item
    except InputError as exc:  # too large, a bomb, a cut gzip stream: say how far it got
        raise type(exc)(f"{exc} ({found} HTML record(s) read before it)") from exc
    except (ArchiveLoadFailed, EOFError, ValueError, OSError, AttributeError, KeyError, zlib.error) as exc:  # cut headers
        raise MalformedInput(f"truncated or corrupt WARC after {found} HTML record(s): {str(exc)[:300]}") from exc
    size = _content_end(stream)
    if archive.offset < size:  # warcio stops quietly at a record it cannot parse
        raise MalformedInput(f"truncated or corrupt WARC: unreadable data after byte {archive.offset} ({found} HTML record(s) read)")
    if not found:
        raise EmptyInput("WARC holds no HTML response records")


def _content_end(stream: InflatingStream) -> int:
    """Where the archive's last non-blank byte is: read to the end (bounded by the stream's limit)."""
    while stream.read(1 << 20):
        pass
    return stream.content_end


class _HeaderBoundedReader(DecompressingBufferedReader):  # type: ignore[misc]
    """warcio's reader with its header lines bounded: warcio reads each line whole, however long."""

    header_bytes = 0

    def readline(self, length: int | None = None) -> bytes:
        cap = MAX_HEADER_LINE_BYTES if length is None or length > MAX_HEADER_LINE_BYTES else length
        parts: list[bytes] = []
        got = 0
        while got < cap:  # warcio's own readline may stop short of its length: ask again for the rest
            part: bytes = super().readline(cap - got)
            if not part:
                break
            parts.append(part)
            got += len(part)
            if part.endswith(b"\n"):
                break
        line = b"".join(parts)
        self.header_bytes += got
        if cap == MAX_HEADER_LINE_BYTES and got >= cap and not line.endswith(b"\n"):
            raise MalformedInput(f"not a WARC: a header line runs past {MAX_HEADER_LINE_BYTES:,} bytes at byte {self.num_read:,}")
        if self.header_bytes > MAX_HEADER_BLOCK_BYTES:
            raise MalformedInput(f"not a WARC: over {MAX_HEADER_BLOCK_BYTES:,} bytes of header lines in a row")
        return line

    def read(self, length: int | None = None) -> bytes:
        self.header_bytes = 0  # a payload: the next header block starts afresh
        data: bytes = super().read(length)
        return data


class _BoundedArchive(ArchiveIterator):  # type: ignore[misc]
    """warcio's iterator over a stream already inflated, reading through _HeaderBoundedReader."""

    reader: DecompressingBufferedReader  # warcio's own until __init__ swaps in a _HeaderBoundedReader

    def __init__(self, stream: InflatingStream, **kwargs: Any) -> None:
        super().__init__(stream, **kwargs)
        self.reader = _HeaderBoundedReader(self.fh, block_size=self.reader.block_size)


def _from_warc_record(record: Any, origin: Origin, max_record_bytes: int | None) -> Item | None:
    if record.rec_type not in ("response", "resource"):
        return None
    content_type = (record.http_headers.get_header("Content-Type") if record.http_headers else None) or (
        record.rec_headers.get_header("Content-Type") or ""
    )
    uri = record.rec_headers.get_header("WARC-Target-URI")
    where = Origin("warc", origin.locator, uri or record.rec_headers.get_header("WARC-Record-ID"))
    is_html = any(t in content_type.lower() for t in HTML_TYPES)
    if is_html and max_record_bytes and (record.length or 0) > max_record_bytes:
        return Rejected(where, f"WARC record of {record.length} bytes is over the {max_record_bytes} byte limit for one article")
    payload = _payload(record, max_record_bytes) if is_html else _skip(record)
    if getattr(record.raw_stream, "limit", 0) > 0:  # fewer bytes than its Content-Length declares
        return Rejected(where, "truncated WARC record (the file ends inside it)")
    if not is_html:
        return None
    if max_record_bytes and len(payload) > max_record_bytes:
        return Rejected(where, f"WARC record's body inflates to over the {max_record_bytes} byte limit for one article")
    if record.http_headers and not record.http_headers.get_statuscode().startswith("2"):
        return None
    try:
        text, encoding = decode_text(payload, charset_of(content_type))
    except InputError as exc:
        return Rejected(where, str(exc))
    return RawDocument(
        origin=where,
        format=InputFormat.HTML,
        content=text,
        url=uri,
        encoding=encoding,
        external_id=record.rec_headers.get_header("WARC-Record-ID"),
        seen=record.rec_headers.get_header("WARC-Date"),
    )


def _payload(record: Any, max_bytes: int | None) -> bytes:
    """An HTML record's body, read to one byte past the limit at most (a gzip-encoded body inflates here)."""
    stream = record.content_stream()
    data: bytes = stream.read(max_bytes + 1) if max_bytes else stream.read()
    return data


def _skip(record: Any) -> bytes:
    """Read past a record that is not an article (images, video), holding none of it."""
    while record.raw_stream.read(1 << 20):
        pass
    return b""


def _str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _authors(value: Any) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        return tuple(a for a in (_str(v) for v in value) if a)
    one = _str(value)
    return (one,) if one else ()

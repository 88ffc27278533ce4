"""Bytes → text: gzip, binary detection, charset decoding and format sniffing."""

from __future__ import annotations

import io
import json
import zlib
from collections.abc import Iterator
from typing import BinaryIO, Protocol

from charset_normalizer import from_bytes

from crosswire.errors import EmptyInput, InputError, MalformedInput, TooLarge, UnsupportedInput

GZIP_MAGIC = b"\x1f\x8b"
SNIFF_BYTES = 4096
READ_CHUNK_BYTES = 1 << 20  # what a stream reads at a time: memory stays at a few of these whatever the input
COMPRESSED_CHUNK_BYTES = 64 * 1024  # compressed input read at a time (its unread rest is copied on every inflate call)
# News text compresses 3-10x with gzip and a WARC of pages up to ~20x; a stream that inflates past 200x its
# compressed size is a decompression bomb, refused as soon as its output crosses that line (bench/faults.py).
MAX_GZIP_RATIO = 200

# Signatures of binary formats people drop into a folder of articles by mistake.
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"RIFF", "RIFF media file"),
    (b"\x7fELF", "executable"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ", "xz archive"),
    (b"7z\xbc\xaf", "7-Zip archive"),
    (b"SQLite format 3", "SQLite database"),
)


def gunzip(data: bytes, max_bytes: int) -> bytes:
    """Decompress (multi-member) gzip data, refusing output over ``max_bytes``."""
    out, broken = gunzip_partial(data, max_bytes)
    if broken:
        raise broken
    return out


def gunzip_partial(data: bytes, max_bytes: int) -> tuple[bytes, InputError | None]:
    """Decompress what can be decompressed; the error (truncated, corrupt, too large) comes back beside it."""
    out = bytearray()
    rest = data
    while rest:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out += inflater.decompress(rest, max_bytes + 1 - len(out))
        except zlib.error as exc:
            return bytes(out), MalformedInput(f"corrupt gzip data ({exc})")
        if len(out) > max_bytes:
            return b"", TooLarge(f"decompresses to more than {_mb(max_bytes)}; raise CROSSWIRE_MAX_INPUT_BYTES to allow it")
        if not inflater.eof:
            return bytes(out), MalformedInput("truncated gzip data (the file ends before the compressed stream does)")
        rest = inflater.unused_data.lstrip(b"\x00")
    return bytes(out), None


def decompressed_limit(compressed_bytes: int, max_input_bytes: int, max_file_bytes: int) -> int:
    """How many bytes a compressed file may inflate to: one article always, a bomb never."""
    return min(max_file_bytes, max(max_input_bytes, compressed_bytes * MAX_GZIP_RATIO))


class ByteStream(Protocol):
    """What the streaming readers need of a binary stream: a file opened "rb", a BytesIO or an InflatingStream."""

    def read(self, size: int = -1, /) -> bytes: ...


class InflatingStream(io.RawIOBase):
    """A binary stream that inflates gzip (multi-member) on the fly, or passes plain bytes through.

    Its output is held to ``limit`` bytes (TooLarge beyond), a cut or corrupt gzip stream raises MalformedInput
    when reached, and ``content_end`` is the offset just after the last non-blank byte seen.
    """

    def __init__(self, raw: BinaryIO, limit: int) -> None:
        self.raw, self.limit = raw, limit
        head = raw.read(2)
        self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS) if head == GZIP_MAGIC else None
        self._pending = head if self._inflater else b""
        self._first = head if not self._inflater else b""
        self.produced = self.content_end = 0
        self._out, self._offset = b"", 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        chunk = self._next(len(buffer))
        buffer[: len(chunk)] = chunk
        self.produced += len(chunk)
        if chunk.strip():
            self.content_end = self.produced - (len(chunk) - len(chunk.rstrip()))
        if self.produced > self.limit:
            raise TooLarge(f"decompresses to more than {_mb(self.limit)}: a decompression bomb or an input to split; "
                           "raise CROSSWIRE_MAX_FILE_BYTES / CROSSWIRE_MAX_INPUT_BYTES to allow it")
        return len(chunk)

    def tell(self) -> int:
        return self.produced

    def _next(self, size: int) -> bytes:
        if self._first:
            chunk, self._first = self._first[:size], self._first[size:]
            return chunk
        if self._inflater is None:
            return self.raw.read(size)
        if self._offset >= len(self._out):
            self._out, self._offset = self._inflate(), 0
        chunk = self._out[self._offset : self._offset + size]
        self._offset += len(chunk)
        return chunk

    def _inflate(self) -> bytes:
        """The next block of output, at most READ_CHUNK_BYTES: a bomb inflates block by block, never at once."""
        assert self._inflater is not None
        while True:
            if not self._pending:
                self._pending = self.raw.read(COMPRESSED_CHUNK_BYTES)
                if not self._pending:
                    if not self._inflater.eof:
                        raise MalformedInput("truncated gzip data (the file ends before the compressed stream does)")
                    return b""
            if self._inflater.eof:  # the next gzip member, after any NUL padding
                self._pending = self._pending.lstrip(b"\x00")
                if not self._pending:
                    continue
                self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            try:
                out = self._inflater.decompress(self._pending, READ_CHUNK_BYTES)
            except zlib.error as exc:
                raise MalformedInput(f"corrupt gzip data ({exc})") from exc
            self._pending = self._inflater.unconsumed_tail or self._inflater.unused_data
            if out:
                return out


def bounded_lines(stream: ByteStream, max_bytes: int) -> Iterator[bytes | int]:
    """The lines of a binary stream, each read in chunks: a line over ``max_bytes`` is skipped, not held,
    and comes back as its length (an int) so the caller can say which line was refused and why."""
    held, skipping = bytearray(), 0
    while chunk := stream.read(READ_CHUNK_BYTES):
        start = 0
        while (end := chunk.find(b"\n", start)) >= 0:
            if skipping:
                yield skipping + end - start
                skipping = 0
            else:
                held += chunk[start:end]
                yield bytes(held)
                held.clear()
            start = end + 1
        if skipping:
            skipping += len(chunk) - start
        else:
            held += chunk[start:]
            if len(held) > max_bytes:
                skipping, held = len(held), bytearray()
    if skipping:
        yield skipping
    elif held:
        yield bytes(held)


def check_size(data: bytes, max_bytes: int) -> None:
    """Refuse empty and oversized inputs with a message that says what to do."""
    if not data.strip():
        raise EmptyInput("empty input (no content)")
    if len(data) > max_bytes:
        raise TooLarge(
            f"{_mb(len(data))} is over the {_mb(max_bytes)} limit for one input; "
            "split it or raise CROSSWIRE_MAX_INPUT_BYTES"
        )


def binary_kind(data: bytes) -> str | None:
    """Name the binary format of ``data``, or None when it looks like text."""
    for magic, name in BINARY_SIGNATURES:
        if data.startswith(magic):
            return name
    head = data[:SNIFF_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 with a BOM: text, charset-normalizer decodes it
    if b"\x00" in head:
        return "binary data"
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    # Text has almost no C0 control bytes; 1% is far above what any encoding of prose produces.
    return "binary data" if head and controls / len(head) > 0.01 else None


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes to text: UTF-8 first, then a declared charset, then charset-normalizer's guess."""
    kind = binary_kind(data)
    if kind:
        raise UnsupportedInput(f"binary file ({kind}), not an article")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared), declared.lower()
        except (LookupError, UnicodeError):  # unknown or bogus charset names ("undefined")
            pass
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise MalformedInput("not valid UTF-8 and no other text encoding fits")
    # charset-normalizer scores the Windows code pages of Latin scripts as a tie on short Western
    # text; cp1252 is by far the most common of them in news archives, so it wins a tie.
    tied = [m for m in matches if m.chaos == best.chaos and m.coherence == best.coherence]
    chosen = next((m for m in tied if m.encoding == "cp1252"), best)
    return str(chosen), chosen.encoding


def charset_of(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, if any."""
    for part in (content_type or "").split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


def sniff(text: str) -> str | None:
    """Guess a structured format from the start of decoded text: warc, feed, html, jsonl, json; None for prose."""
    head = text[:SNIFF_BYTES].lstrip("\ufeff \t\r\n")
    low = head.lower()
    if head.startswith("WARC/"):
        return "warc"
    if low.startswith("<?xml") or low.startswith(("<rss", "<feed", "<rdf:rdf")):
        if any(tag in low for tag in ("<rss", "<feed", "<rdf:rdf")):
            return "feed"
        return "html" if "<html" in low else None
    if low.startswith(("<!doctype html", "<html")) or ("<body" in low and low.startswith("<")):
        return "html"
    if head.startswith("{") or head.startswith("["):
        return _json_kind(text)
    return None


def _json_kind(text: str) -> str | None:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if len(lines) > 1 and all(line.lstrip().startswith("{") for line in lines):
        return "jsonl"  # one object per line, even when some lines are malformed
    return "json" if _parses(text) else None


def _parses(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _mb(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB"

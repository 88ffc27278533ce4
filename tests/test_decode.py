"""Tests for crosswire.ingest.decode: gzip, size checks, binary detection, charset decoding, sniffing."""

from __future__ import annotations

import gzip
import random
import struct

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from crosswire.errors import EmptyInput, InputError, MalformedInput, TooLarge, UnsupportedInput
from crosswire.ingest.decode import binary_kind, check_size, decode_text, gunzip, sniff

MB = 1 << 20
SNIFF_VALUES = {None, "warc", "feed", "html", "jsonl", "json"}

STORY = b"The harbour council approved a new ferry timetable on Tuesday evening.\n"


def _noise(n: int, seed: int = 7) -> bytes:
    """Incompressible bytes, so a cut in the gzip stream lands inside the deflate data."""
    return random.Random(seed).randbytes(n)


# --------------------------------------------------------------------------- gunzip


def test_gunzip_single_member():
    body = STORY * 20
    assert gunzip(gzip.compress(body), MB) == body


def test_gunzip_multi_member_concatenates_all_members():
    first, second, third = STORY, b"Second member: the ferry runs hourly.\n", b"third"
    data = gzip.compress(first) + gzip.compress(second) + gzip.compress(third)
    assert gunzip(data, MB) == first + second + third


def test_gunzip_multi_member_with_nul_padding_between_members():
    data = gzip.compress(b"alpha ") + b"\x00" * 16 + gzip.compress(b"beta") + b"\x00" * 8
    assert gunzip(data, MB) == b"alpha beta"


def test_gunzip_exactly_at_limit_is_accepted():
    body = b"x" * 1000
    assert gunzip(gzip.compress(body), 1000) == body


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_gunzip_truncated_stream_is_malformed_and_says_truncated(cut):
    data = gzip.compress(_noise(8000))
    with pytest.raises(MalformedInput, match="truncated"):
        gunzip(data[: int(len(data) * cut)], MB)


def test_gunzip_truncated_inside_header():
    data = gzip.compress(STORY)
    with pytest.raises(MalformedInput, match="truncated"):
        gunzip(data[:6], MB)


def test_gunzip_truncated_second_member():
    second = gzip.compress(_noise(4000, seed=3))
    data = gzip.compress(STORY) + second[: len(second) // 2]
    with pytest.raises(MalformedInput, match="truncated"):
        gunzip(data, MB)


def test_gunzip_bad_crc_is_corrupt():
    data = bytearray(gzip.compress(STORY * 5))
    crc = struct.unpack("<I", data[-8:-4])[0]
    data[-8:-4] = struct.pack("<I", crc ^ 0xFFFFFFFF)
    with pytest.raises(MalformedInput, match="corrupt gzip"):
        gunzip(bytes(data), MB)


def test_gunzip_garbage_after_magic_is_corrupt():
    # Valid magic, then an unknown compression method (0x09 instead of 0x08 deflate).
    with pytest.raises(MalformedInput, match="corrupt gzip"):
        gunzip(b"\x1f\x8b\x09\x00" + b"\x00" * 6 + b"not deflate data at all", MB)


def test_gunzip_trailing_non_gzip_junk_is_corrupt():
    with pytest.raises(MalformedInput, match="corrupt gzip"):
        gunzip(gzip.compress(STORY) + b"trailing junk that is not a gzip member", MB)


def test_gunzip_decompression_bomb_is_too_large():
    bomb = gzip.compress(b"\x00" * (8 * MB), compresslevel=9)
    assert len(bomb) < 64 * 1024  # a small file ...
    with pytest.raises(TooLarge, match="CROSSWIRE_MAX_INPUT_BYTES") as info:
        gunzip(bomb, MB)  # ... refused once output passes max_bytes
    assert "1.0 MB" in str(info.value)


def test_gunzip_one_byte_over_limit_is_too_large():
    with pytest.raises(TooLarge):
        gunzip(gzip.compress(b"y" * 1001), 1000)


def test_gunzip_limit_applies_across_members():
    data = gzip.compress(b"a" * 600) + gzip.compress(b"b" * 600)
    with pytest.raises(TooLarge):
        gunzip(data, 1000)
    assert gunzip(data, 1200) == b"a" * 600 + b"b" * 600


# --------------------------------------------------------------------------- check_size


@pytest.mark.parametrize("data", [b"", b"   ", b" \n\t\r\n  \x0b\x0c"])
def test_check_size_empty_or_whitespace_is_empty_input(data):
    with pytest.raises(EmptyInput, match="empty"):
        check_size(data, MB)


def test_check_size_over_limit_is_too_large():
    with pytest.raises(TooLarge, match="limit") as info:
        check_size(b"z" * (2 * MB + 1), 2 * MB)
    assert "2.0 MB limit" in str(info.value)
    assert "CROSSWIRE_MAX_INPUT_BYTES" in str(info.value)


def test_check_size_at_limit_passes():
    assert check_size(b"z" * 100, 100) is None
    assert check_size(b"  short article  ", 100) is None


# --------------------------------------------------------------------------- binary_kind


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "ZIP archive (or DOCX/XLSX/EPUB)"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        (b"SQLite format 3\x00\x10\x00", "SQLite database"),
        (b"plain looking start\x00then a NUL byte", "binary data"),
        (b"\x01\x02\x03\x04\x05\x06" * 5 + b" some text after lots of control bytes", "binary data"),
    ],
)
def test_binary_kind_names_binary_formats(data, kind):
    assert binary_kind(data) == kind


@pytest.mark.parametrize(
    "data",
    [
        b"",
        STORY,
        "Stadtrat beschlie\u00dft neuen Fahrplan f\u00fcr die F\u00e4hre.\n".encode(),
        b"Line one\r\nLine two\twith a tab\x0cform feed\n",
        b"\xff\xfe" + "UTF-16 little endian with a BOM".encode("utf-16-le"),
        b"\xfe\xff" + "UTF-16 big endian with a BOM".encode("utf-16-be"),
        "UTF-16 via the codec".encode("utf-16"),
    ],
)
def test_binary_kind_text_is_none(data):
    assert binary_kind(data) is None


def test_binary_kind_utf16_without_bom_is_binary():
    # Documented consequence of the NUL check: BOM-less UTF-16 is not recognised as text.
    assert binary_kind("no byte order mark".encode("utf-16-le")) == "binary data"


# --------------------------------------------------------------------------- decode_text


def test_decode_text_utf8():
    text = "Stadtrat beschlie\u00dft: F\u00e4hre f\u00e4hrt \u2013 \u201ej\u00e4hrlich\u201c \u20ac 5\n"
    assert decode_text(text.encode("utf-8")) == (text, "utf-8")


def test_decode_text_utf8_bom_is_stripped():
    text = "Caf\u00e9 opens on the quay"
    decoded, encoding = decode_text(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert decoded == text
    assert not decoded.startswith("\ufeff")
    assert encoding == "utf-8"


def test_decode_text_utf16_with_bom():
    text = "Caf\u00e9 Z\u00fcrich reopens after renovation works finished."
    decoded, encoding = decode_text(text.encode("utf-16"))
    assert decoded == text
    assert encoding.replace("-", "_").startswith("utf_16")


CP1252_TEXT = "Caf\u00e9 Z\u00fcrich \u2013 na\u00efve"
LATIN1_TEXT = "Caf\u00e9 Z\u00fcrich, na\u00efve fa\u00e7ade"


@pytest.mark.parametrize(("text", "codec"), [(CP1252_TEXT, "cp1252"), (LATIN1_TEXT, "latin-1")])
def test_decode_text_legacy_single_byte_is_not_utf8_and_keeps_common_letters(text, codec):
    decoded, encoding = decode_text(text.encode(codec))
    assert encoding != "utf-8"
    assert decoded.startswith("Caf\u00e9 Z\u00fcrich")  # letters shared by every cp125x guess
    assert len(decoded) == len(text)


@pytest.mark.parametrize(("text", "codec"), [(CP1252_TEXT, "cp1252"), (LATIN1_TEXT, "latin-1")])
def test_decode_text_legacy_single_byte_exact(text, codec):
    decoded, encoding = decode_text(text.encode(codec))
    assert decoded == text
    assert encoding != "utf-8"


def test_decode_text_declared_charset_is_used_when_not_utf8():
    assert decode_text(CP1252_TEXT.encode("cp1252"), "Windows-1252") == (CP1252_TEXT, "windows-1252")


def test_decode_text_declared_charset_ignored_for_valid_utf8():
    assert decode_text("na\u00efve".encode(), "cp1252") == ("na\u00efve", "utf-8")


def test_decode_text_unknown_declared_charset_falls_back_to_guess():
    decoded, encoding = decode_text(CP1252_TEXT.encode("cp1252"), "x-no-such-charset")
    assert encoding != "utf-8"
    assert decoded.startswith("Caf\u00e9 Z\u00fcrich \u2013")


def test_decode_text_pathological_declared_charset_falls_back():
    decoded, encoding = decode_text(CP1252_TEXT.encode("cp1252"), "undefined")
    assert decoded.startswith("Caf\u00e9")


@pytest.mark.parametrize(
    ("data", "kind"),
    [(b"%PDF-1.4\nstuff", "PDF document"), (b"\x89PNG\r\n\x1a\n", "PNG image"), (b"ab\x00cd", "binary data")],
)
def test_decode_text_binary_is_unsupported(data, kind):
    with pytest.raises(UnsupportedInput, match="binary file") as info:
        decode_text(data)
    assert kind in str(info.value)


# --------------------------------------------------------------------------- sniff


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("WARC/1.0\r\nWARC-Type: warcinfo\r\n\r\n", "warc"),
        ('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>T</title></channel></rss>', "feed"),
        ('<rss version="2.0"><channel></channel></rss>', "feed"),
        ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"></feed>', "feed"),
        ('<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title></feed>', "feed"),
        ('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>', "feed"),
        ("<!DOCTYPE html>\n<html><head><title>T</title></head><body>x</body></html>", "html"),
        ("\ufeff  \n<!doctype HTML><html></html>", "html"),
        ('<html lang="en"><body><p>hello</p></body></html>', "html"),
        ("<div>fragment</div><body>late body</body>", "html"),
        ('<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', "html"),
        ('{"title": "A", "text": "one"}\n{"title": "B", "text": "two"}\n', "jsonl"),
        ('{"title": "A", "text": "one"}\r\n{"title": "B", "text": "two"}\r\n', "jsonl"),
        ('{"title": "A", "text": "one"}', "json"),
        ('{"title": "A", "text": "one"}\n\n', "json"),
        ('[{"text": "one"}, {"text": "two"}]', "json"),
        ('{\n  "articles": [\n    {"title": "A",\n     "text": "one"}\n  ]\n}\n', "json"),
        ('[\n  {"text": "one"},\n  {"text": "two"}\n]', "json"),
    ],
)
def test_sniff_recognises_formats(text, kind):
    assert sniff(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n",
        "The ferry timetable changes next week, the council said.\n\nMore text follows.",
        "[Updated] The ferry timetable changes next week.",
        "{not json} but braces in prose",
        '<?xml version="1.0"?><catalog><book/></catalog>',
        "warc/1.0 lowercase is not a WARC header",
    ],
)
def test_sniff_prose_and_unknown_is_none(text):
    assert sniff(text) is None


def test_sniff_looks_only_at_the_start():
    assert sniff("Prose first. " * 400 + "<!DOCTYPE html><html>") is None


def test_sniff_deeply_nested_json_does_not_raise():
    assert sniff("[" * 100_000) in SNIFF_VALUES


# --------------------------------------------------------------------------- properties

_text_bytes = st.builds(
    lambda s, codec: s.encode(codec, errors="ignore"),
    st.text(max_size=300),
    st.sampled_from(["utf-8", "cp1252", "latin-1", "utf-16", "shift_jis", "koi8-r", "gb18030"]),
)


@hsettings(max_examples=150, deadline=None)
@given(
    data=st.one_of(st.binary(max_size=1024), _text_bytes),
    declared=st.sampled_from([None, "utf-8", "cp1252", "iso-8859-1", "shift_jis", "x-bogus", "utf-16"]),
)
def test_property_decode_text_returns_str_or_input_error(data, declared):
    try:
        result = decode_text(data, declared)
    except InputError:
        return
    text, encoding = result
    assert isinstance(text, str)
    assert isinstance(encoding, str) and encoding


_prefixes = st.sampled_from(["", "{", "[", "<", "<?xml", "<html", "<!doctype html>", "WARC/", "<rss", "<feed", " \n"])


@hsettings(max_examples=300, deadline=None)
@given(st.builds(lambda p, t: p + t, _prefixes, st.text(max_size=500)))
def test_property_sniff_never_raises_and_returns_allowed_value(text):
    assert sniff(text) in SNIFF_VALUES


@hsettings(max_examples=150, deadline=None)
@given(st.binary(max_size=4096))
def test_property_gunzip_roundtrip(data):
    assert gunzip(gzip.compress(data), max(len(data), 1)) == data


@hsettings(max_examples=75, deadline=None)
@given(st.lists(st.binary(max_size=512), min_size=1, max_size=5))
def test_property_gunzip_multi_member_roundtrip(parts):
    joined = b"".join(parts)
    assert gunzip(b"".join(gzip.compress(p) for p in parts), max(len(joined), 1)) == joined

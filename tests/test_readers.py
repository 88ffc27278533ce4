"""Tests for crosswire.ingest.readers and crosswire.ingest.sources (files, stdin, directories).

All article texts below are invented for these tests.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crosswire.errors import EmptyInput, MalformedInput
from crosswire.ingest import readers
from crosswire.ingest.sources import InputRef, expand_inputs, read_input
from crosswire.model import InputFormat, Origin, RawDocument, Rejected
from crosswire.settings import Settings

SETTINGS = Settings()

PARK_HTML = "<html><head><title>Park plan</title></head><body><p>The council voted seven to two for the park plan.</p></body></html>"
FERRY_TEXT = "Ferry timetable changes\n\nThe harbour board said on Tuesday that the night ferry will run hourly.\n"


def _read_file(path: Path, settings: Settings = SETTINGS) -> list:
    return read_input(InputRef("file", str(path)), settings)


def _docs(items: list) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


def _rejects(items: list) -> list[Rejected]:
    return [i for i in items if isinstance(i, Rejected)]


# --------------------------------------------------------------------------- JSONL / JSON


def test_read_jsonl_bad_line_in_the_middle_is_rejected_alone(tmp_path):
    lines = [
        json.dumps(
            {
                "id": "gz-101",
                "url": "https://gazette.example/gz-101",
                "title": "Bridge reopens",
                "text": "The old stone bridge reopened to traffic on Monday.",
                "outlet": "Example Gazette",
                "author": ["Ana Ruiz", "  ", "Ben Okafor"],
                "published": "2024-05-02",
                "language": "en",
            }
        ),
        '{"id": "gz-102", "text": "this line is cut off',
        "",
        json.dumps({"id": "gz-103", "html": "<p>The library extends its opening hours.</p>", "author": "Chris Lee"}),
        json.dumps({"text": "A record without an id keeps its line number."}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    items = _read_file(path)

    assert [type(i) for i in items] == [RawDocument, Rejected, RawDocument, RawDocument]
    first, bad, html_doc, no_id = items
    assert first.origin == Origin("file", str(path), "gz-101")
    assert first.format is InputFormat.TEXT
    assert first.content == "The old stone bridge reopened to traffic on Monday."
    assert first.url == "https://gazette.example/gz-101"
    assert first.title == "Bridge reopens"
    assert first.outlet == "Example Gazette"
    assert first.authors == ("Ana Ruiz", "Ben Okafor")
    assert first.published == "2024-05-02"
    assert first.language == "en"
    assert first.external_id == "gz-101"

    assert bad.origin == Origin("file", str(path), "line 2")
    assert bad.reason.startswith("malformed JSON on line 2")

    assert html_doc.format is InputFormat.HTML
    assert html_doc.content == "<p>The library extends its opening hours.</p>"
    assert html_doc.authors == ("Chris Lee",)
    assert html_doc.origin.item == "gz-103"

    assert no_id.origin.item == "line 5"  # the blank line 3 still counts
    assert no_id.external_id is None


def test_read_jsonl_line_without_text_or_html_is_rejected():
    text = "\n".join(
        [
            json.dumps({"id": "n1", "title": "Headline only", "text": "   "}),
            json.dumps({"title": "Another headline", "html": ""}),
            json.dumps({"id": "n3", "text": "Body present."}),
        ]
    )
    items = list(readers.read_jsonl(text, Origin("stdin", "-")))
    assert isinstance(items[0], Rejected)
    assert items[0].origin == Origin("stdin", "-", "n1")
    assert "no 'text' or 'html' field" in items[0].reason
    assert isinstance(items[1], Rejected)
    assert items[1].origin.item == "line 2"
    assert isinstance(items[2], RawDocument) and items[2].content == "Body present."


def test_read_jsonl_text_wins_over_html_and_authors_key():
    record = {"text": "Plain body.", "html": "<p>Html body.</p>", "authors": ["Dee Park"]}
    (doc,) = readers.read_jsonl(json.dumps(record), Origin("file", "x.jsonl"))
    assert doc.format is InputFormat.TEXT
    assert doc.content == "Plain body."
    assert doc.authors == ("Dee Park",)


def test_read_jsonl_only_blank_lines_is_empty():
    with pytest.raises(EmptyInput, match="no lines"):
        list(readers.read_jsonl("\n  \n\n", Origin("file", "e.jsonl")))


def test_read_jsonl_non_object_line_is_rejected():
    items = list(readers.read_jsonl('["a", "list"]\n{"text": "ok"}', Origin("file", "l.jsonl")))
    assert isinstance(items[0], Rejected) and items[0].reason == "not a JSON object"
    assert items[0].origin.item == "line 1"
    assert items[1].content == "ok"


def test_read_json_single_object(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"id": "solo-1", "title": "Solo", "text": FERRY_TEXT}), encoding="utf-8")
    (doc,) = _read_file(path)
    assert doc.content == FERRY_TEXT.strip()  # field values are stripped
    assert doc.title == "Solo"
    assert doc.origin == Origin("file", str(path), "solo-1")


def test_read_json_list(tmp_path):
    path = tmp_path / "many.json"
    path.write_text(json.dumps([{"text": "First body."}, {"html": "<p>Second body.</p>"}, 42]), encoding="utf-8")
    first, second, third = _read_file(path)
    assert (first.content, first.format, first.origin.item) == ("First body.", InputFormat.TEXT, "item 1")
    assert (second.content, second.format, second.origin.item) == ("<p>Second body.</p>", InputFormat.HTML, "item 2")
    assert isinstance(third, Rejected) and third.origin.item == "item 3"


def test_read_json_articles_wrapper_pretty_printed(tmp_path):
    payload = {
        "source": "export tool",
        "articles": [
            {"id": "w-1", "text": "Wrapped body one.", "author": "Eve Stone"},
            {"id": "w-2", "text": "Wrapped body two."},
        ],
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    items = _read_file(path)
    assert [(d.external_id, d.content) for d in items] == [("w-1", "Wrapped body one."), ("w-2", "Wrapped body two.")]
    assert items[0].authors == ("Eve Stone",)


def test_read_json_malformed_and_empty():
    with pytest.raises(MalformedInput, match="malformed JSON"):
        list(readers.read_json('{"text": ', Origin("file", "b.json")))
    with pytest.raises(EmptyInput, match="empty list"):
        list(readers.read_json('{"articles": []}', Origin("file", "b.json")))


def test_read_json_file_with_broken_json_becomes_rejected(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"text": "unterminated', encoding="utf-8")
    (rej,) = _read_file(path)
    assert isinstance(rej, Rejected)
    assert rej.origin == Origin("file", str(path))
    assert rej.reason.startswith("malformed JSON")


# --------------------------------------------------------------------------- feeds

ATOM_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Riverside Gazette</title>
  <id>urn:uuid:7d1c0000-0000-4000-8000-000000000001</id>
  <updated>2024-05-03T10:00:00Z</updated>
  <entry>
    <title>Council votes on park plan</title>
    <id>tag:riverside.example,2024:park-plan</id>
    <link rel="alternate" href="https://riverside.example/news/park-plan"/>
    <published>2024-05-03T09:00:00Z</published>
    <updated>2024-05-03T09:30:00Z</updated>
    <author><name>Dana Whitfield</name></author>
    <author><name>Eli Moreno</name></author>
    <content type="html">&lt;p&gt;The council voted seven to two for the riverside park plan.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Night market returns</title>
    <id>tag:riverside.example,2024:night-market</id>
    <link rel="alternate" href="https://riverside.example/news/night-market"/>
    <updated>2024-05-02T18:00:00Z</updated>
    <summary>Stalls line the quay again from Friday.</summary>
  </entry>
</feed>
"""

RSS_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Hilltop Herald</title>
    <link>https://hilltop.example/</link>
    <description>Local news from the hill.</description>
    <item>
      <title>Farmers market moves to the square</title>
      <link>https://hilltop.example/2024/05/market</link>
      <guid isPermaLink="false">hh-2024-0042</guid>
      <pubDate>Fri, 03 May 2024 08:30:00 GMT</pubDate>
      <dc:creator>Fay Lindqvist</dc:creator>
      <description>&lt;p&gt;The farmers market moves to the town square next month.&lt;/p&gt;</description>
    </item>
  </channel>
</rss>
"""


def test_atom_feed_entries_become_documents(tmp_path):
    path = tmp_path / "riverside.atom"
    path.write_text(ATOM_FEED, encoding="utf-8")
    park, market = _read_file(path)

    assert park.format is InputFormat.HTML
    assert park.content == "<p>The council voted seven to two for the riverside park plan.</p>"
    assert park.title == "Council votes on park plan"
    assert park.url == "https://riverside.example/news/park-plan"
    assert park.published == "2024-05-03T09:00:00Z"
    assert park.authors == ("Dana Whitfield", "Eli Moreno")
    assert park.outlet == "Riverside Gazette"
    assert park.external_id == "tag:riverside.example,2024:park-plan"
    assert park.origin == Origin("feed", str(path), "tag:riverside.example,2024:park-plan")

    # Summary-only entry: plain text, "updated" stands in for "published".
    assert market.format is InputFormat.TEXT
    assert market.content == "Stalls line the quay again from Friday."
    assert market.published == "2024-05-02T18:00:00Z"
    assert market.origin.item == "tag:riverside.example,2024:night-market"


def test_rss_feed_item_becomes_document(tmp_path):
    path = tmp_path / "hilltop.xml"
    path.write_text(RSS_FEED, encoding="utf-8")
    (doc,) = _read_file(path)
    assert doc.format is InputFormat.HTML
    assert doc.content == "<p>The farmers market moves to the town square next month.</p>"
    assert doc.title == "Farmers market moves to the square"
    assert doc.url == "https://hilltop.example/2024/05/market"
    assert doc.published == "Fri, 03 May 2024 08:30:00 GMT"
    assert doc.authors == ("Fay Lindqvist",)
    assert doc.outlet == "Hilltop Herald"
    assert doc.external_id == "hh-2024-0042"
    assert doc.origin == Origin("feed", str(path), "hh-2024-0042")


def test_feed_without_entries_is_rejected(tmp_path):
    path = tmp_path / "quiet.rss"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title>'
        "<link>https://quiet.example/</link><description>nothing</description></channel></rss>",
        encoding="utf-8",
    )
    (rej,) = _read_file(path)
    assert isinstance(rej, Rejected)
    assert rej.origin == Origin("file", str(path))
    assert "no entries" in rej.reason


def test_read_feed_without_entries_raises_empty():
    with pytest.raises(EmptyInput, match="no entries"):
        list(readers.read_feed(b'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title></feed>', Origin("file", "f")))


def test_feed_bytes_are_never_treated_as_a_path(tmp_path):
    other = tmp_path / "other.xml"
    other.write_text(RSS_FEED, encoding="utf-8")
    pointer = tmp_path / "pointer.rss"
    pointer.write_text(str(other), encoding="utf-8")
    items = _read_file(pointer)
    assert not _docs(items), f"content of {other} was read through {pointer}"


# --------------------------------------------------------------------------- WARC


def _warc(gz: bool) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)

    def response(uri: str, status: str, content_type: str, body: bytes) -> None:
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers)
        )

    response("https://riverside.example/news/park-plan", "200 OK", "text/html; charset=utf-8", PARK_HTML.encode())
    response("https://riverside.example/img/park.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    response("https://riverside.example/news/gone", "404 Not Found", "text/html", b"<html><body>Not found</body></html>")
    return buf.getvalue()


@pytest.mark.parametrize(("gz", "name"), [(False, "capture.warc"), (True, "capture.warc.gz")])
def test_warc_yields_only_the_html_200_response(tmp_path, gz, name):
    path = tmp_path / name
    path.write_bytes(_warc(gz))
    items = _read_file(path)
    assert len(items) == 1
    (doc,) = items
    assert isinstance(doc, RawDocument)
    assert doc.format is InputFormat.HTML
    assert doc.content == PARK_HTML
    assert doc.url == "https://riverside.example/news/park-plan"
    assert doc.origin == Origin("warc", str(path), "https://riverside.example/news/park-plan")
    assert doc.external_id and doc.external_id.startswith("<urn:uuid:")
    assert doc.encoding == "utf-8"


def test_read_warc_direct_with_gzip_records():
    (doc,) = readers.read_warc(_warc(True), Origin("file", "c.warc.gz"))
    assert doc.content == PARK_HTML


def test_warc_without_html_is_empty(tmp_path):
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record("https://x.example/a.png", "response", payload=io.BytesIO(b"\x89PNG"), http_headers=headers)
    )
    path = tmp_path / "images.warc"
    path.write_bytes(buf.getvalue())
    (rej,) = _read_file(path)
    assert isinstance(rej, Rejected)
    assert "no HTML response records" in rej.reason


def _two_page_warc() -> tuple[bytes, int]:
    """An uncompressed WARC with two HTML responses; returns (data, offset of the 2nd record)."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    for uri, body in [
        ("https://riverside.example/news/park-plan", PARK_HTML.encode()),
        ("https://riverside.example/news/long", b"<html><body><p>" + b"A long second story. " * 60 + b"</p></body></html>"),
    ]:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers))
    data = buf.getvalue()
    return data, data.index(b"WARC/1.", 10)


def _cut_mid_payload() -> bytes:
    data, second = _two_page_warc()
    payload_start = data.index(b"<html>", second)
    return data[: payload_start + 400]  # well inside the 2nd record's ~1.3 kB body


def test_truncated_warc_keeps_first_record_and_rejects_the_cut_one(tmp_path):
    path = tmp_path / "cut.warc"
    path.write_bytes(_cut_mid_payload())
    items = _read_file(path)
    assert len(items) == 2
    first = items[0]
    assert isinstance(first, RawDocument)
    assert first.url == "https://riverside.example/news/park-plan"
    assert first.content == PARK_HTML
    (rej,) = _rejects(items)
    assert rej.origin == Origin("warc", str(path), "https://riverside.example/news/long")
    assert "truncated" in rej.reason


def test_warc_cut_inside_record_headers_after_uri_keeps_first(tmp_path):
    data, second = _two_page_warc()
    path = tmp_path / "cut-headers2.warc"
    path.write_bytes(data[: data.index(b"WARC-Date", second)])
    items = _read_file(path)
    assert [d.url for d in _docs(items)] == ["https://riverside.example/news/park-plan"]
    assert any("truncated" in r.reason for r in _rejects(items))


def test_warc_cut_inside_record_headers_is_rejected_not_crash(tmp_path):
    data, second = _two_page_warc()
    path = tmp_path / "cut-headers.warc"
    path.write_bytes(data[: data.index(b"WARC-Target-URI", second)])
    items = _read_file(path)
    assert items[0].url == "https://riverside.example/news/park-plan"
    assert any("truncated" in r.reason for r in _rejects(items))


def test_corrupt_warc_tail_keeps_records_before_it(tmp_path):
    data, second = _two_page_warc()
    path = tmp_path / "garbage-tail.warc"
    path.write_bytes(data[:second] + b"this is not a warc record\r\n\r\nmore\r\n")
    items = _read_file(path)
    assert [d.url for d in _docs(items)] == ["https://riverside.example/news/park-plan"]
    assert any("corrupt WARC after 1" in r.reason for r in _rejects(items))


def test_truncated_warc_gz_keeps_complete_records(tmp_path):
    data = _warc(True)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[:-40])  # cut inside the last (404) record's gzip member
    items = _read_file(path)
    assert [d.url for d in _docs(items)] == ["https://riverside.example/news/park-plan"]


# --------------------------------------------------------------------------- files, gzip, content vs extension


def test_txt_gz_is_read_transparently(tmp_path):
    path = tmp_path / "ferry.txt.gz"
    path.write_bytes(gzip.compress(FERRY_TEXT.encode("utf-8")))
    (doc,) = _read_file(path)
    assert doc.format is InputFormat.TEXT
    assert doc.content == FERRY_TEXT
    assert doc.origin == Origin("file", str(path))


def test_html_gz_is_read_transparently(tmp_path):
    path = tmp_path / "park.HTML.GZ"
    path.write_bytes(gzip.compress(PARK_HTML.encode("utf-8")))
    (doc,) = _read_file(path)
    assert doc.format is InputFormat.HTML
    assert doc.content == PARK_HTML


def test_truncated_gzip_file_is_rejected(tmp_path):
    path = tmp_path / "cut.txt.gz"
    path.write_bytes(gzip.compress(bytes(range(256)) * 40)[:200])
    (rej,) = _read_file(path)
    assert isinstance(rej, Rejected)
    assert "truncated gzip" in rej.reason


def test_html_extension_holding_a_warc_is_read_as_warc(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(_warc(False))
    (doc,) = _read_file(path)
    assert doc.origin.kind == "warc"
    assert doc.url == "https://riverside.example/news/park-plan"
    assert doc.content == PARK_HTML


def test_unknown_extension_with_html_content_is_html(tmp_path):
    path = tmp_path / "saved.dat"
    path.write_text("<!DOCTYPE html>\n" + PARK_HTML, encoding="utf-8")
    (doc,) = _read_file(path)
    assert doc.format is InputFormat.HTML
    assert doc.content == "<!DOCTYPE html>\n" + PARK_HTML


def test_txt_extension_with_html_content_is_html(tmp_path):
    path = tmp_path / "saved.txt"
    path.write_text(PARK_HTML, encoding="utf-8")
    (doc,) = _read_file(path)
    assert doc.format is InputFormat.HTML


def test_pdf_is_rejected_as_binary(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n")
    (rej,) = _read_file(path)
    assert isinstance(rej, Rejected)
    assert rej.origin == Origin("file", str(path))
    assert rej.reason == "binary file (PDF document), not an article"


def test_unknown_extension_with_prose_is_unsupported(tmp_path):
    path = tmp_path / "notes.xyz"
    path.write_text(FERRY_TEXT, encoding="utf-8")
    (rej,) = _read_file(path)
    assert isinstance(rej, Rejected)
    assert rej.reason.startswith("unsupported file type '.xyz'")
    assert ".jsonl" in rej.reason  # names what is supported


def test_empty_file_is_rejected(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n")
    (rej,) = _read_file(path)
    assert rej.reason == "empty input (no content)"


def test_file_over_limit_is_rejected(tmp_path):
    from dataclasses import replace

    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 300)
    (rej,) = _read_file(path, replace(SETTINGS, max_input_bytes=1000))
    assert isinstance(rej, Rejected)
    assert "limit" in rej.reason and "CROSSWIRE_MAX_INPUT_BYTES" in rej.reason


def test_cp1252_text_file_records_its_encoding(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes("Caf\u00e9 owners in Z\u00fcrich say rents are rising.".encode("cp1252"))
    (doc,) = _read_file(path)
    assert doc.encoding != "utf-8"
    assert doc.content.startswith("Caf\u00e9 owners in Z\u00fcrich")


# --------------------------------------------------------------------------- expand_inputs, stdin, missing


def test_expand_inputs_walks_directories_sorted_and_skips_hidden(tmp_path):
    root = tmp_path / "corpus"
    for rel in ["b.txt", "a.txt", ".hidden.txt", "sub/c.html", "sub/.secret", "asub/d.json", "asub/deeper/e.txt", ".git/config"]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x", encoding="utf-8")

    refs = expand_inputs([str(root)])

    expected = ["a.txt", "b.txt", "asub/d.json", "asub/deeper/e.txt", "sub/c.html"]
    assert refs == [InputRef("file", str(root / rel)) for rel in expected]


def test_expand_inputs_classifies_each_spec(tmp_path):
    single = tmp_path / "one.txt"
    single.write_text("x", encoding="utf-8")
    missing = tmp_path / "nope.txt"
    refs = expand_inputs(["-", "https://news.example/a", "HTTP://NEWS.example/b", str(single), str(missing)])
    assert refs == [
        InputRef("stdin", "-"),
        InputRef("url", "https://news.example/a"),
        InputRef("url", "HTTP://NEWS.example/b"),
        InputRef("file", str(single)),
        InputRef("missing", str(missing)),
    ]


def test_stdin_jsonl(tmp_path):
    data = (
        json.dumps({"id": "s1", "text": "First stdin story."})
        + "\n"
        + json.dumps({"id": "s2", "text": "Second stdin story."})
        + "\n"
    ).encode()
    items = read_input(InputRef("stdin", "-"), SETTINGS, stdin=io.BytesIO(data))
    assert [(i.origin, i.content) for i in items] == [
        (Origin("stdin", "-", "s1"), "First stdin story."),
        (Origin("stdin", "-", "s2"), "Second stdin story."),
    ]


def test_stdin_gzipped_prose():
    items = read_input(InputRef("stdin", "-"), SETTINGS, stdin=io.BytesIO(gzip.compress(FERRY_TEXT.encode())))
    assert items == [RawDocument(Origin("stdin", "-"), InputFormat.TEXT, FERRY_TEXT)]


def test_stdin_empty_is_rejected():
    (rej,) = read_input(InputRef("stdin", "-"), SETTINGS, stdin=io.BytesIO(b""))
    assert rej == Rejected(Origin("stdin", "-"), "empty input (no content)")


def test_missing_path_is_rejected(tmp_path):
    missing = str(tmp_path / "does-not-exist.txt")
    (ref,) = expand_inputs([missing])
    (rej,) = read_input(ref, SETTINGS)
    assert isinstance(rej, Rejected)
    assert rej.origin == Origin("missing", missing)
    assert "no such file" in rej.reason

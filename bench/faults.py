"""Hostile inputs at full size: time, peak RSS and outcome of ``crosswire add`` on each (issue #15, item 4).

Each case runs ``crosswire add --json BAD GOOD`` in a fresh store, in a subprocess, and samples the RSS of the
whole process tree every 0.1 s. A case passes when it ends within ``--timeout`` seconds (60) and 1 GB, names the bad
input in a failure line, and still stores the good article. ``--src`` picks the code under test (``src`` of this
checkout by default; point it at another checkout's ``src`` to measure the code before a change).

    PYTHONPATH=src .venv/bin/python bench/faults.py [--only bomb_warc,fifo] [--src ../main/src] [--json out.json]
    PYTHONPATH=src .venv/bin/python bench/faults.py --startup      # wall time and peak RSS of each verb's start

``html_title_10mb`` and ``paragraphs_15mb`` are not refused by a reader (the title of an HTML page comes from
extraction; a 15 MB article of normal paragraphs is within every limit): they show what the later stages cost.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOOD_TEXT = "Harbour fire closes depot\n\nBy Dana Kovel\n\nA fire closed the fuel depot at the harbour on Monday, officials said.\n"
RSS_LIMIT_BYTES = 1 << 30
NOBODY = 65534
CLI = "from crosswire.cli.app import main; main()"


@dataclass
class Result:
    """One case: how long, how much memory, how it ended."""

    case: str
    seconds: float
    peak_rss_mb: float
    exit_code: int | None  # None: killed by the bench (over time or memory)
    good_stored: bool
    message: str

    @property
    def ok(self) -> bool:
        if self.case in WITHIN_LIMITS:  # no bad input here: it must simply be stored in bounds
            return self.exit_code == 0 and self.good_stored and self.seconds <= 60 and self.peak_rss_mb <= 1024
        reported = not self.message.startswith(("no failure reported", "killed"))
        return reported and self.good_stored and self.seconds <= 60 and self.peak_rss_mb <= 1024


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and every descendant (from /proc)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


def descendants(pid: int) -> list[int]:
    """Every live descendant of ``pid``."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            kids = [int(c) for t in Path(f"/proc/{p}/task").iterdir() for c in (t / "children").read_text().split()]
        except OSError:
            continue
        found += kids
        todo += kids
    return found


def run_add(args: list[str], work: Path, src: str, timeout: float, user: int | None = None) -> tuple[float, int, int | None, str]:
    """Run ``crosswire add`` with a deadline and a memory cap; (seconds, peak tree RSS, exit code, output)."""
    env = os.environ | {"PYTHONPATH": src, "CROSSWIRE_DB": str(work / "store.db"), "HOME": str(work)}
    cmd = [sys.executable, "-c", CLI, "add", "--json", *args]
    if user is not None:
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *cmd]
    start, peak = time.monotonic(), 0
    with open(work / "out.txt", "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=work, start_new_session=True)
        code: int | None = None
        while code is None:
            peak = max(peak, tree_rss(proc.pid))
            if time.monotonic() - start > timeout or peak > 3 * RSS_LIMIT_BYTES:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                break
            time.sleep(0.1)
            code = proc.poll()
    return time.monotonic() - start, peak, code, (work / "out.txt").read_text("utf-8", "replace")


def outcome(output: str, bad_name: str) -> tuple[bool, str]:
    """(good article stored, the failure line naming the bad input) from ``add --json``'s report."""
    try:
        report = json.loads(output[output.index("{"):])
    except ValueError:
        return False, output.strip().splitlines()[-1][:200] if output.strip() else "(no output)"
    items = report["items"]
    good = any("good.txt" in i["input"] and i["status"] == "added" for i in items)
    bad = [i for i in items if bad_name in i["input"] and i["status"] == "failed"]
    return good, f"{bad[0]['input']}: {bad[0]['detail']}"[:200] if bad else f"no failure reported for {bad_name}"


def make_bomb(path: Path, gib: int) -> None:
    """``gib`` GiB of zero bytes, gzip-compressed (about 1 MB per GiB)."""
    block = bytes(1 << 24)
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    with path.open("wb") as fh:
        for _ in range(gib * 64):
            fh.write(comp.compress(block))
        fh.write(comp.flush())


def case_bomb_warc(work: Path) -> list[str]:
    make_bomb(work / "bomb.warc.gz", 8)
    return [str(work / "bomb.warc.gz")]


def case_bomb_jsonl(work: Path) -> list[str]:
    make_bomb(work / "bomb.jsonl.gz", 8)
    return [str(work / "bomb.jsonl.gz")]


def case_bomb_txt(work: Path) -> list[str]:
    make_bomb(work / "bomb.txt.gz", 8)
    return [str(work / "bomb.txt.gz")]


def case_title_10mb(work: Path) -> list[str]:
    record = {"title": "Depot fire " * 953_000, "text": GOOD_TEXT.replace("depot", "jetty"), "outlet": "Nordwire"}
    (work / "title.jsonl").write_text(json.dumps(record) + "\n", "utf-8")
    return [str(work / "title.jsonl")]


def case_line_1gib(work: Path) -> list[str]:
    with (work / "hugeline.jsonl").open("w", encoding="utf-8") as fh:
        fh.write('{"title": "x", "text": "')
        chunk = "word " * 200_000
        for _ in range((1 << 30) // len(chunk) + 1):
            fh.write(chunk)
        fh.write('"}\n')
    return [str(work / "hugeline.jsonl")]


def case_oneline_15mb(work: Path) -> list[str]:
    words = "the harbour authority said the fire at the depot was under control by nightfall and "
    (work / "oneline.txt").write_text(words * (15_000_000 // len(words)), "utf-8")
    return [str(work / "oneline.txt")]


def case_html_title_10mb(work: Path) -> list[str]:
    page = f"<html><head><title>{'Depot fire ' * 953_000}</title></head><body><p>{GOOD_TEXT}</p></body></html>"
    (work / "title.html").write_text(page, "utf-8")
    return [str(work / "title.html")]


def case_paragraphs_15mb(work: Path) -> list[str]:
    para = "the harbour authority said the fire at the depot was under control by nightfall and the roads reopened. " * 8
    (work / "long.txt").write_text("Depot fire\n\n" + (para + "\n\n") * (15_000_000 // (len(para) + 2)), "utf-8")
    return [str(work / "long.txt")]


def case_fifo(work: Path) -> list[str]:
    os.mkfifo(work / "pipe.txt")
    return [str(work / "pipe.txt")]


def case_dev_zero(work: Path) -> list[str]:
    return ["/dev/zero"]


def case_unreadable_dir(work: Path) -> list[str]:
    (work / "locked").mkdir()
    (work / "locked" / "inside.txt").write_text(GOOD_TEXT, "utf-8")
    (work / "locked").chmod(0)
    return [str(work / "locked")]


class _Drip(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            for _ in range(1000):
                self.wfile.write(b"<p")
                self.wfile.flush()
                time.sleep(5)
        except OSError:
            return

    def log_message(self, *args: object) -> None:
        return


def case_drip(work: Path) -> list[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Drip)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return ["--allow-private", f"http://127.0.0.1:{server.server_address[1]}/drip.html"]


CASES: dict[str, Callable[[Path], list[str]]] = {
    "bomb_warc": case_bomb_warc,
    "bomb_jsonl": case_bomb_jsonl,
    "bomb_txt": case_bomb_txt,
    "title_10mb": case_title_10mb,
    "line_1gib": case_line_1gib,
    "oneline_15mb": case_oneline_15mb,
    "html_title_10mb": case_html_title_10mb,
    "paragraphs_15mb": case_paragraphs_15mb,
    "fifo": case_fifo,
    "dev_zero": case_dev_zero,
    "unreadable_dir": case_unreadable_dir,
    "drip": case_drip,
}
WITHIN_LIMITS = {"paragraphs_15mb"}
BAD_NAMES = {"drip": "drip.html", "dev_zero": "/dev/zero", "unreadable_dir": "locked", "fifo": "pipe.txt"}


def run_case(name: str, src: str, timeout: float) -> Result:
    """Build the bad input and a good article in a fresh folder and add both in one batch."""
    with tempfile.TemporaryDirectory(prefix=f"faults-{name}-") as tmp:
        work = Path(tmp)
        bad = CASES[name](work)
        (work / "good.txt").write_text(GOOD_TEXT, "utf-8")
        user = None
        if name == "unreadable_dir" and os.geteuid() == 0:  # root reads anything: run as nobody
            work.chmod(0o777)
            (work / "good.txt").chmod(0o644)
            user = NOBODY
        seconds, peak, code, output = run_add([*bad, str(work / "good.txt")], work, src, timeout, user)
        good, message = outcome(output, BAD_NAMES.get(name, Path(bad[-1]).name))
        if code is None:
            message = f"killed by the bench after {seconds:.0f} s at {peak / 1e6:.0f} MB"
        return Result(name, round(seconds, 1), round(peak / 1_048_576, 1), code, good, message)


def kill_orphans(src: str, timeout: float) -> Result:
    """``kill -9`` of ``crosswire add`` while its worker processes run: do they die with it?"""
    with tempfile.TemporaryDirectory(prefix="faults-kill-") as tmp:
        work = Path(tmp)
        for n in range(120):
            (work / f"a{n:03}.txt").write_text(GOOD_TEXT.replace("Monday", f"day {n} of the fire {'and more ' * n}"), "utf-8")
        env = os.environ | {"PYTHONPATH": src, "CROSSWIRE_DB": str(work / "store.db"), "CROSSWIRE_WORKERS": "2"}
        cmd = [sys.executable, "-c", CLI, "add", "--json", str(work)]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
        start, kids = time.monotonic(), []
        while not kids and proc.poll() is None and time.monotonic() - start < timeout:
            time.sleep(0.05)
            kids = descendants(proc.pid)
        time.sleep(0.5)
        kids = descendants(proc.pid) or kids
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        time.sleep(5)
        alive = [k for k in kids if _alive(k)]
        for k in alive:
            os.kill(k, signal.SIGKILL)
        message = f"{len(kids)} worker(s) seen, {len(alive)} still alive 5 s after kill -9 of the parent"
        return Result("kill_workers", round(time.monotonic() - start, 1), 0.0, 0 if not alive else 1, not alive and bool(kids), message)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


STARTUP_VERBS = (["--version"], ["--help"], ["settings"], ["stories"], ["articles"], ["rejections"], ["statements"],
                 ["entities"], ["export", "--format", "jsonl"], ["add", "one.txt"])  # fmt: skip


def startup(src: str, runs: int = 3) -> None:
    """Median wall time (with its CPU time: steadier on a busy machine) and peak RSS of each verb, one small article stored."""
    with tempfile.TemporaryDirectory(prefix="faults-startup-") as tmp:
        work = Path(tmp)
        (work / "one.txt").write_text(GOOD_TEXT, "utf-8")
        env = os.environ | {"PYTHONPATH": src, "CROSSWIRE_DB": str(work / "store.db")}
        subprocess.run([sys.executable, "-c", CLI, "add", str(work / "one.txt")], env=env, cwd=work, capture_output=True, check=False)
        for verb in STARTUP_VERBS:
            samples = []
            for _ in range(runs):
                if verb[0] == "add":
                    (work / "one.txt").write_text(GOOD_TEXT + f"Update {len(samples)} {time.time()}.\n", "utf-8")
                start = time.monotonic()
                proc = subprocess.Popen([sys.executable, "-c", CLI, *verb], env=env, cwd=work,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                _, _, usage = os.wait4(proc.pid, 0)
                samples.append((time.monotonic() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024))
            seconds, cpu, rss = sorted(samples)[len(samples) // 2]
            print(f"{' '.join(verb):24} {seconds:6.2f} s wall {cpu:6.2f} s CPU {rss:7.0f} MB", flush=True)


def main() -> None:
    """Run the cases and print one line each."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="", help="comma-separated case names (default: all)")
    ap.add_argument("--src", default=str(ROOT / "src"), help="the crosswire source tree to test")
    ap.add_argument("--timeout", type=float, default=300, help="kill a case after this many seconds")
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("--startup", action="store_true", help="time each verb's startup instead")
    args = ap.parse_args()
    if args.startup:
        startup(args.src)
        return
    names = [n for n in args.only.split(",") if n] or [*CASES, "kill_workers"]
    results = []
    for name in names:
        result = kill_orphans(args.src, args.timeout) if name == "kill_workers" else run_case(name, args.src, args.timeout)
        results.append(result)
        verdict = "ok  " if result.ok else "FAIL"
        print(f"{verdict} {name:15} {result.seconds:7.1f} s {result.peak_rss_mb:8.1f} MB  exit {result.exit_code}  "
              f"good stored: {result.good_stored}  {result.message}", flush=True)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2), "utf-8")


if __name__ == "__main__":
    socket.setdefaulttimeout(30)
    main()

"""`protokol serve` as a real process on a free port: it builds and serves the site, builds again when a protocol
changes, and stops cleanly on SIGTERM and on Ctrl-C (SIGINT)."""

from __future__ import annotations

import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import PROTOCOLS

PROTOKOL = str(Path(sys.executable).parent / "protokol")
WAIT = 90  # seconds a step may take on a busy machine before the test gives up (a limit, never a timing assert)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lines_of(stream) -> queue.Queue:
    found: queue.Queue = queue.Queue()

    def pump() -> None:
        for line in stream:
            found.put(line.rstrip("\n"))
        found.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return found


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.read().decode("utf-8")


def eventually(test, what: str):
    """Poll `test` until it returns something true, for at most WAIT seconds."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = test()
        if found:
            return found
        time.sleep(0.2)
    pytest.fail(f"{what} did not happen within {WAIT} s")


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_serve_serves_rebuilds_after_a_change_and_stops_cleanly(tmp_path, stop):
    shutil.copytree(PROTOCOLS, tmp_path / "protocols")
    port = free_port()
    process = subprocess.Popen([PROTOKOL, "serve", "--root", str(tmp_path), "--port", str(port), "--today",
                                "2024-06-01", "--no-documents", "--lang", "en"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    try:
        out = lines_of(process.stdout)
        first = out.get(timeout=WAIT)
        assert first == f"Serving http://127.0.0.1:{port}/ (Ctrl-C stops it).", process.stderr.read()
        page = f"http://127.0.0.1:{port}/protocols/2024-01-09-1.html"
        assert "детально проанализировать" in fetch(page)
        assert "2024-01-09-1/2.2.1" in fetch(f"http://127.0.0.1:{port}/due.html")

        source = tmp_path / "protocols" / "2024" / "2024-01-09-1.yaml"
        source.write_text(source.read_text(encoding="utf-8").replace("детально проанализировать",
                                                                     "подробно проанализировать"), encoding="utf-8")
        eventually(lambda: "подробно проанализировать" in fetch(page), "the rebuilt page")
        assert (tmp_path / "build" / "site" / "protocols" / "2024-01-09-1.html").is_file()

        process.send_signal(stop)
        assert process.wait(timeout=WAIT) == 0, process.stderr.read()
        assert out.get(timeout=WAIT) == "Stopped."
        assert "Traceback" not in process.stderr.read()
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

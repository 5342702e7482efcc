"""`protokol serve`: the site folder served on 127.0.0.1 and built again when the archive changes.

The server is the standard library's (a thread per request, files only, nothing executed); the watcher is
watchfiles (inotify, FSEvents or ReadDirectoryChangesW under one API), which reports changes in batches after they
settle. Only what a page is made of is watched: protocols/, templates/, protokol.yaml and people.yaml; the site
folder, the cache and .git are not, so that a build does not wake the watcher again.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HOST = "127.0.0.1"  # never another interface: the archive is not published by `serve`
WATCHED_FILES = ("protokol.yaml", "people.yaml")
WATCHED_FOLDERS = ("protocols", "templates")


class _Handler(SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")  # a reload after a rebuild shows the new page
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the standard library's name
        pass  # the command prints builds, not every request


class SiteServer:
    """The folder served over HTTP in a background thread, until `stop`."""

    def __init__(self, folder: Path, port: int):
        handler = functools.partial(_Handler, directory=str(folder))
        self.httpd = ThreadingHTTPServer((HOST, port), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="protokol-serve", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.httpd.server_address[1]}/"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


def relevant(root: Path, out: Path) -> Callable[[object, str], bool]:
    """The watchfiles filter: a change that can change a page."""
    root = root.resolve()
    out = out.resolve()
    folders = [root / name for name in WATCHED_FOLDERS]
    files = {root / name for name in WATCHED_FILES}

    def keep(_change, path: str) -> bool:
        p = Path(path)
        if p == out or out in p.parents:
            return False
        return p in files or any(f == p or f in p.parents for f in folders)

    return keep


def changes(root: Path, out: Path, stop: threading.Event) -> Iterator[set[str]]:
    """The paths changed, a batch at a time, until `stop` is set. The first batch comes at once, empty unless
    something changed already: from then on the watcher is running and no change is missed."""
    from watchfiles import watch

    for batch in watch(root, watch_filter=relevant(root, out), stop_event=stop, debounce=400, step=50,
                       rust_timeout=250, yield_on_timeout=True, raise_interrupt=False):
        yield {path for _change, path in batch}

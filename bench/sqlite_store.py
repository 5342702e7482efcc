"""Today's index store (signed files, cachestore.FileStore) against SQLite (the standard library's sqlite3) for the
warm `due` of every open decision, on the unmarked bench archive: issue 18 asks for the faster to be kept.

    python bench/sqlite_store.py [--repeat 5]

Both sides give the same bytes: the JSON rows of the plain items (no marks, no references: nearly all of them) in
`due`'s order, and both do the rest of what the command does (the rows are compared, the output is not written):
- files: cache.load_index (the fast part), then selection.stream over Resolution.order, the plain items' rows from
  report.due.PlainRows and the others evaluated, as `protokol due --format json` does;
- SQLite: the same cache.load_index and selection.stream for the items that are not plain (recurring, acted on:
  evaluated, as the files side does), and the plain rows from one table of items (file, rank, kind, status, due, the
  prepared JSON parts) with an index on (status, kind, due, rank) and one of files (display name, the protocol's
  part): `SELECT … ORDER BY due, rank`. What SQLite would save of the whole command is the difference.
Also one file changed: the files store makes a new generation (a run of `due` after the change), SQLite replaces
that file's rows in one transaction (DELETE, INSERT, COMMIT; the references would still have to be weighed again,
which the files store's time includes and SQLite's does not). The script prints the medians and which is faster.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from run import OUT, ensure_archive, protokol_exe

TODAY = date(2024, 6, 1)
DB = OUT / "items.sqlite"


def files_store(archive: Path) -> list[bytes]:
    from protokol import cache, selection
    from protokol.report.due import PlainRows

    index = cache.load_index([archive / "protocols"], archive)
    plain = PlainRows(index, TODAY)
    return [plain.json(item) for item in selection.stream(index, selection.Filter(), TODAY) if type(item) is int]


def the_others(archive: Path) -> int:
    """What the SQLite side does besides its query: the fast part read, the items that are not plain evaluated."""
    from protokol import cache, selection

    index = cache.load_index([archive / "protocols"], archive)
    return sum(1 for item in selection.stream(index, selection.Filter(), TODAY) if type(item) is not int)


def build_sqlite(archive: Path) -> None:
    from protokol import cache
    from protokol.report.due import PlainRows

    index = cache.load_index([archive / "protocols"], archive)
    res, plain = index.resolution, PlainRows(index, TODAY)
    DB.unlink(missing_ok=True)
    db = sqlite3.connect(DB)
    db.execute("CREATE TABLE files (id INTEGER PRIMARY KEY, name BLOB, tail BLOB, draft INTEGER)")
    db.execute("CREATE TABLE items (file INTEGER, rank INTEGER, kind INTEGER, status INTEGER, due INTEGER, "
               "plain INTEGER, head BLOB, middle BLOB, end BLOB)")
    db.executemany("INSERT INTO files VALUES (?, ?, ?, ?)",
                   [(i, *plain._file(i)[1:3], index.drafts[i]) for i in range(len(index.pids))])
    rows = []
    for g in range(len(res.pos)):
        at = 3 * res.pos[g]
        head, middle, end = index.file(res.file[g]).prepared(0)[at:at + 3]
        rows.append((res.file[g], res.rank[g], res.kind[g], res.status[g], res.due[g], res.plain[g], head, middle, end))
    db.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.execute("CREATE INDEX listing ON items (status, kind, due, rank)")
    db.commit()
    db.close()


def sqlite_store(archive: Path) -> list[bytes]:
    the_others(archive)
    db = sqlite3.connect(DB)
    now = TODAY.toordinal()
    out = []
    query = ("SELECT i.head, f.name, i.middle, i.due, f.tail, i.end FROM items i JOIN files f ON f.id = i.file "
             "WHERE i.status = 0 AND i.kind IN (0, 5) AND i.plain = 1 AND f.draft = 0 "
             "ORDER BY i.due = 0, i.due, i.rank")
    for head, name, middle, due, tail, end in db.execute(query):
        late = now - due if due and due < now else 0
        out.append(b"".join((head, name, middle, b'true, "days_overdue": %d' % late if late
                             else b'false, "days_overdue": 0', tail, end)))
    db.close()
    return out


def sqlite_update(file_id: int) -> None:
    db = sqlite3.connect(DB)
    with db:
        rows = db.execute("SELECT * FROM items WHERE file = ?", (file_id,)).fetchall()
        db.execute("DELETE FROM items WHERE file = ?", (file_id,))
        db.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.close()


CPU: dict[str, list[float]] = {"files": [], "sqlite": []}  # the CPU seconds of the in-process runs


def timed(fn, *args, side: str = "") -> tuple[float, object]:
    """fn(*args)'s wall seconds and value, its CPU seconds kept in CPU[side]; with the cyclic collector paused,
    as `protokol due` runs."""
    from protokol.cache import collector_off

    start, cpu = time.perf_counter(), time.process_time()
    with collector_off():
        value = fn(*args)
    if side:
        CPU[side].append(time.process_time() - cpu)
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--count", type=int, default=10000)
    args = parser.parse_args()
    archive = ensure_archive(args.count, 20240601, unmarked=True)
    os.chdir(archive)
    files_store(Path("."))  # the cache filled
    build_sqlite(Path("."))
    times: dict[str, list[float]] = {"files": [], "sqlite": []}
    for _ in range(args.repeat):
        seconds, ours = timed(files_store, Path("."), side="files")
        times["files"].append(seconds)
        seconds, theirs = timed(sqlite_store, Path("."), side="sqlite")
        times["sqlite"].append(seconds)
        assert ours == theirs, "the two stores gave different rows"
    changed = archive / "protocols" / "2020" / sorted(os.listdir(archive / "protocols" / "2020"))[0]
    update: dict[str, list[float]] = {"files": [], "sqlite": []}
    exe = protokol_exe()
    for _ in range(args.repeat):
        os.utime(changed, ns=(changed.stat().st_atime_ns, changed.stat().st_mtime_ns + 3_000_000_000))
        changed.write_bytes(changed.read_bytes())  # new stat key, same size: hashed, confirmed, a new generation
        start = time.perf_counter()
        subprocess.run([exe, "due", "--today", TODAY.isoformat(), "--format", "json"], stdout=subprocess.DEVNULL,
                       check=True)
        update["files"].append(time.perf_counter() - start)
        update["sqlite"].append(timed(sqlite_update, 7)[0])
    print(f"{len(ours)} plain rows, {DB.stat().st_size / 1e6:.0f} MB SQLite file; medians of {args.repeat} alternating runs")
    for name, found in (("warm due, every open plain row (in process)", times),
                        ("one file changed (files: a whole `due` run; SQLite: its rows replaced)", update)):
        ours, theirs = statistics.median(found["files"]), statistics.median(found["sqlite"])
        print(f"  {name:70} files {ours:7.3f} s   SQLite {theirs:7.3f} s   "
              f"{'files' if ours <= theirs else 'SQLite'} faster ({max(ours, theirs) / min(ours, theirs):.2f}x)")
    ours, theirs = statistics.median(CPU["files"]), statistics.median(CPU["sqlite"])
    print(f"  {'the same in process, CPU seconds':70} files {ours:7.3f} s   SQLite {theirs:7.3f} s   "
          f"{'files' if ours <= theirs else 'SQLite'} faster ({max(ours, theirs) / min(ours, theirs):.2f}x)")


if __name__ == "__main__":
    sys.exit(main())

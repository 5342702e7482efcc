"""Today's index store (signed files, cachestore.FileStore, with the archive-wide file of prepared rows,
rowblob) against SQLite (the standard library's sqlite3) for the warm `due` of every open decision, on the unmarked
bench archive: issue 18 asks for the faster to be kept.

    python bench/sqlite_store.py [--repeat 5] [--archive COPY]

Both sides give the same bytes, the whole JSON output of `protokol due --format json` (compared, not written), and
both read the index's fast part (cache.load_index: the resolution, which the rows that are not prepared need):
- files: what the command does: the rows of the default list from the file of prepared rows (rowblob.Rows, memory-
  mapped, runs of rows written as one slice each), the few rows left out (selection.unprepared: references of one
  day left unsure) evaluated and put in their places (report.due.prepared_chunks);
- SQLite: the same prepared rows in one table (due, rank, the row before and after its `overdue`) with an index on
  (due, rank): `SELECT … ORDER BY due, rank`, each row's `overdue` added as it comes, the same few rows evaluated
  and merged in. What SQLite would save of the whole command is the difference.
Also one file changed: the files store makes a new generation (a run of `due` after the change), SQLite replaces
that file's rows in one transaction (DELETE, INSERT, COMMIT; the references would still have to be weighed again
and the rows of the others placed, which the files store's time includes and SQLite's does not). The script prints
the medians and which is faster.
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


def _index(archive: Path):
    from protokol import cache

    index = cache.load_index([archive.resolve() / "protocols"], archive.resolve())
    assert index.rows is not None, "no file of prepared rows: run from the archive's folder"
    return index


def _others(index) -> list:
    from protokol import selection

    return selection.unprepared(index, TODAY, not index.rows.layout["recurring"])


def files_store(archive: Path) -> bytes:
    from protokol.report.due import prepared_chunks

    index = _index(archive)
    return b"".join(prepared_chunks(index.rows, _others(index), "json", TODAY))


def build_sqlite(archive: Path) -> None:
    from array import array

    from protokol.rowblob import SHIFT

    rows = _index(archive).rows
    text_at, length, offsets_at, offsets_length = rows.layout["json"]
    offsets = array("q")
    offsets.frombytes(rows.data[offsets_at:offsets_at + offsets_length])
    text = rows.data[text_at:text_at + length]
    DB.parent.mkdir(exist_ok=True)
    DB.unlink(missing_ok=True)
    db = sqlite3.connect(DB)
    db.execute("CREATE TABLE items (file INTEGER, due INTEGER, rank INTEGER, head BLOB, tail BLOB)")
    found = []
    for r, key in enumerate(rows.keys):
        head, _slot, tail = text[offsets[r]:offsets[r + 1] - 2].partition(b"\0")  # less its ",\n"
        rank = key & ((1 << SHIFT) - 1)
        found.append((rank >> 20, key >> SHIFT, rank, head, tail))
    db.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?)", found)
    db.execute("CREATE INDEX listing ON items (due, rank)")
    db.commit()
    db.close()


def sqlite_store(archive: Path) -> bytes:
    import json

    from protokol.report.due import as_dict
    from protokol.rowparts import DUE_SHIFT

    index = _index(archive)
    encode = json.JSONEncoder(ensure_ascii=False).encode
    others = [(key >> DUE_SHIFT, key & ((1 << DUE_SHIFT) - 1), encode(as_dict(d)).encode()) for key, d in _others(index)]
    db = sqlite3.connect(DB)
    now = TODAY.toordinal()
    out = []
    i = 0
    for due, rank, head, tail in db.execute("SELECT due, rank, head, tail FROM items ORDER BY due, rank"):
        while i < len(others) and others[i][:2] < (due, rank):
            out.append(others[i][2])
            i += 1
        out.append(b"".join((head, b'true, "days_overdue": %d' % (now - due) if due < now
                             else b'false, "days_overdue": 0', tail)))
    out += [row for _due, _rank, row in others[i:]]
    db.close()
    return b"[\n" + b",\n".join(out) + b"\n]\n" if out else b"[]\n"


def sqlite_update(file_id: int) -> None:
    db = sqlite3.connect(DB)
    with db:
        rows = db.execute("SELECT * FROM items WHERE file = ?", (file_id,)).fetchall()
        db.execute("DELETE FROM items WHERE file = ?", (file_id,))
        db.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?)", rows)
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
    parser.add_argument("--archive", type=Path, help="a copy of the unmarked archive to use instead of bench/out's")
    args = parser.parse_args()
    archive = args.archive.resolve() if args.archive else ensure_archive(args.count, 20240601, unmarked=True)
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
    count = ours.count(b'"protocol": ')
    print(f"{count} rows, {len(ours) / 1e6:.0f} MB of JSON, {DB.stat().st_size / 1e6:.0f} MB "
          f"SQLite file; medians of {args.repeat} alternating runs")
    for name, found in (("warm due --format json, every open row (in process)", times),
                        ("one file changed (files: a whole `due` run; SQLite: its rows replaced)", update)):
        ours, theirs = statistics.median(found["files"]), statistics.median(found["sqlite"])
        print(f"  {name:70} files {ours:7.3f} s   SQLite {theirs:7.3f} s   "
              f"{'files' if ours <= theirs else 'SQLite'} faster ({max(ours, theirs) / min(ours, theirs):.2f}x)")
    ours, theirs = statistics.median(CPU["files"]), statistics.median(CPU["sqlite"])
    print(f"  {'the same in process, CPU seconds':70} files {ours:7.3f} s   SQLite {theirs:7.3f} s   "
          f"{'files' if ours <= theirs else 'SQLite'} faster ({max(ours, theirs) / min(ours, theirs):.2f}x)")


if __name__ == "__main__":
    sys.exit(main())

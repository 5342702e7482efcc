"""The cache of parsed protocols in `<archive>/.protokol-cache/`: what makes a warm `protokol due` fast.

This module decides what to take from the cache and what to read again; the pieces it uses:
- cachekeys.py: when a file's record may be trusted (stat key of mtime_ns, size, ctime_ns and inode; the "racily
  clean" rule, with a content digest for files changed too close to their reading), the signing key, scanning;
- cachestore.py: the signed store behind the small IndexStore interface (FileStore keeps it in files);
- parallel.py: the process pool that parses the files the cache does not have.

`load_index` (due and the control commands) keeps per protocol a compact index (index.FileIndex); a warm run reads
the fast part at once, and a protocol's entries only when its decisions are listed. With each new generation it
writes the rows of `due`'s default list for the whole archive (rowblob): a warm run from the same folder lists
every open decision from that one file (`index.rows`). `load_protocols` (check and
others) keeps whole parsed protocols. A warm `due` imports neither the YAML reader nor the deadline grammar, and
reads no protocol file unless one changed within a timestamp tick of the last reading.

Nothing here raises for the cache's sake: a damaged, foreign or stale part of the cache is read as absent and its
files are read again (a part found damaged late, while a selection reads it, is parsed from the file on the spot), and a
cache that cannot be written is not written. `--no-cache` does without it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from .cachekeys import (
    MISS,
    TRUSTED,
    collector_off,
    decide,
    digest_of,
    file_digest,
    file_key,
    is_racy,
    read_regular,
    scan,
    source_fingerprint,
)
from .cachekeys import user_key as _user_key
from .cachestore import CACHE_DIR, DamagedCache, FileStore, Pending, read_signed, write_signed
from .parallel import PARALLEL_MIN, deadline_args, parse_many, parse_one, parse_stream, workers
from .paths import Displays as _Displays

__all__ = ["CACHE_DIR", "PARALLEL_MIN", "checked_summaries", "collector_off", "load_checked", "load_index", "iter_protocols", "load_protocols",
           "save_occurrences", "scan", "source_fingerprint"]

SETTINGS_FILE = "protokol.yaml"
FILE_LIMIT = 64 << 20  # hashing a protocol file bigger than this is not worth it: the reader refuses it anyway
DEFAULT_ARGS = ((8, 31), (12, 31), (5, 31), 3), (), ()


def cache_dir(root: Path) -> Path:
    return root / CACHE_DIR


def _remap(problems: list, display: str) -> list:
    return [p if p.file == display else replace(p, file=display) for p in problems]


def _header() -> tuple:
    from .i18n import current_language

    return (source_fingerprint(), current_language())  # problems are kept as messages in the language of then


def _confirmed(path: str, digest: bytes | None) -> bool:
    """Whether the file still has the content whose digest was kept."""
    return digest is not None and file_digest(path, FILE_LIMIT) == digest


# ------------------------------------------------------------------------------------------------- protocols (check)

def load_protocols(files: list[Path], root: Path | None, use_cache: bool = True) -> list[tuple]:
    """(Protocol or None, problems) for each file, in order, from the cache where it is fresh."""
    shown = _Displays()
    if not use_cache or root is None:
        if len(files) < PARALLEL_MIN or workers() < 2:
            from .load import load_protocol

            return [load_protocol(f, shown(f)) for f in files]
        parsed = parse_many([(str(f), shown(f), None) for f in files], None)
        return [_unblob(rec[2], rec[3], shown(f)) for f, rec in zip(files, parsed, strict=True)]
    with collector_off():  # 10,000 protocols are a million objects: unpickling them took ten times longer with it
        return list(iter_protocols(files, root, shown))


def iter_protocols(files: list[Path], root: Path, shown=None) -> Iterator[tuple]:
    """load_protocols with the cache, one protocol at a time: the records are brought up to date first, and each
    protocol is unpickled only when its turn comes (the site holds one protocol, not 10,000, at a time)."""
    shown = shown or _Displays()
    folder, key, header = cache_dir(root), _user_key(), _header()
    _extra, records = read_signed(folder / "protocols.pickle", key, header)
    paths = [os.path.abspath(f) for f in files]
    keys = [file_key(path) for path in paths]
    verdicts = [decide(*(records[path][:3] if path in records else (None, None, False)), current)
                for path, current in zip(paths, keys, strict=True)]
    if any(verdict != TRUSTED for verdict in verdicts):
        _refresh_protocols(folder, key, header, records, paths, keys, verdicts, shown)
    for f, path in zip(files, paths, strict=True):
        yield _unblob(records[path][3], records[path][4], shown(f)) if path in records else (None, [])


def _refresh_protocols(folder: Path, key, header: tuple, records: dict, paths: list[str], keys: list,
                       verdicts: list[str], shown) -> None:
    """Bring `records` up to date for the files not trusted by their stat key (hashed, or parsed again), and write
    them when anything changed. The stamp of the new file is taken before any file is read."""
    pending = Pending.create(folder, "protocols.pickle") if key is not None else None
    stamp = pending.stamp if pending is not None else None
    changed = False
    misses = []
    for path, current, verdict in zip(paths, keys, verdicts, strict=True):
        if verdict == TRUSTED:
            continue
        rec = records.get(path)
        if verdict != MISS and _confirmed(path, rec[1]):
            racy = stamp is None or is_racy(current, stamp)
            changed |= rec[0] != current or rec[2] != racy
            records[path] = (current, rec[1], racy, *rec[3:])
        else:
            misses.append((path, shown(path), current))
    for path, current, blob, problems, _indexed, digest in parse_many(misses, None):
        records[path] = (current, digest, stamp is None or current is None or is_racy(current, stamp), blob, problems)
        changed = True
    if pending is None:
        return
    if not changed:
        pending.abandon()
        return
    current_paths = set(paths)
    kept = {path: rec for path, rec in records.items()  # files gone (renamed, deleted) are dropped
            if rec[0] is not None and (path in current_paths or os.path.exists(path))}
    write_signed(folder, "protocols.pickle", key, header, None, kept, pending)


def _unblob(blob, problems, display):
    import pickle

    protocol = pickle.loads(blob) if blob is not None else None
    if protocol is not None and protocol.path != display:
        protocol = replace(protocol, path=display)
    return protocol, _remap(problems, display)


# ------------------------------------------------------------------------------------------------- checks (check)

def load_checked(files: list[Path] | list[str], root: Path, context: tuple, compute) -> list[tuple]:
    """(problems, summary) of each file, in order: from `checks.pickle` while the file (by its stat key, as
    load_protocols trusts it) and the `context` of its checks (today, the settings and people files, where it is
    shown) are unchanged; `compute(paths)` gives them for the others, a list in the order of `paths`. What `check`
    finds in a file it had found before is so never looked for again (the checks across files, over the summaries,
    always are)."""
    folder, key, header = cache_dir(root), _user_key(), _header()
    _extra, records = read_signed(folder / "checks.pickle", key, header)
    shown = _Displays()
    paths = [os.path.abspath(f) for f in files]
    keys = [file_key(path) for path in paths]
    out: list = [None] * len(files)
    todo = []
    for n, (path, current) in enumerate(zip(paths, keys, strict=True)):
        rec = records.get(path)
        verdict = decide(*rec[:3], current) if rec is not None and rec[3] == (context, shown(path)) else MISS
        if verdict == TRUSTED or (verdict != MISS and _confirmed(path, rec[1])):
            out[n] = rec[4]
        else:
            todo.append(n)
    if not todo:
        return out
    pending = Pending.create(folder, "checks.pickle") if key is not None else None
    stamp = pending.stamp if pending is not None else None  # before the files are read again
    digests = {n: file_digest(paths[n], FILE_LIMIT) for n in todo}
    for n, found in zip(todo, compute([files[n] for n in todo]), strict=True):
        out[n] = found
        if keys[n] is not None and digests[n] is not None and file_digest(paths[n], FILE_LIMIT) == digests[n]:
            records[paths[n]] = (keys[n], digests[n], stamp is None or is_racy(keys[n], stamp),
                                 (context, shown(paths[n])), found)
    if pending is not None:
        current = set(paths)
        kept = {path: rec for path, rec in records.items() if path in current or os.path.exists(path)}
        write_signed(folder, "checks.pickle", key, header, None, kept, pending)
    return out


def checked_summaries(files: list[Path], root: Path) -> dict[Path, object]:
    """The summaries a whole `check` kept (`checks.pickle`) of those of `files` unchanged since (trusted as
    load_checked trusts them; the day and the settings do not matter to a summary): file -> its checks.Summary, or
    None for a file that could not be read. Files with nothing trusted kept are left out."""
    _extra, records = read_signed(cache_dir(root) / "checks.pickle", _user_key(), _header())
    found = {}
    for f in files:
        path = os.path.abspath(f)
        rec = records.get(path)
        verdict = decide(*rec[:3], file_key(path)) if rec is not None else MISS
        if verdict == TRUSTED or (verdict != MISS and _confirmed(path, rec[1])):
            found[f] = rec[4][1]
    return found


# ------------------------------------------------------------------------------------------------- the index (due)

def _settings(root: Path | None, stored: tuple | None, stamp: int | None) -> tuple:
    """(stat key, digest, racy, (school year, extra holidays, extra workdays), problems, recurring_untracked is
    never_overdue) of protokol.yaml: from the cache while the file is the same, so that a warm `due` need not import
    the YAML reader at all."""
    path = root / SETTINGS_FILE if root is not None else None
    current = file_key(path) if path is not None else None
    if current is None:
        return None, None, False, DEFAULT_ARGS, [], False
    if stored is not None:
        verdict = decide(*stored[:3], current)
        if verdict == TRUSTED:
            return stored
        if verdict != MISS and _confirmed(path, stored[1]):
            return (current, stored[1], stamp is None or is_racy(current, stamp), *stored[3:])
    from .settings import load_settings

    before = read_regular(path, FILE_LIMIT)
    settings, problems = load_settings(root)
    sy = settings.school_year()
    holidays, workdays = settings.extra_days()
    args = (sy.end, sy.first_half_end, sy.second_half_end, sy.immediate_days), tuple(sorted(holidays)), tuple(sorted(workdays))
    # load_settings reads the file itself: keep the digest only when the file read the same before and after it
    digest = digest_of(before) if before is not None and before == read_regular(path, FILE_LIMIT) else None
    return (current, digest, True if stamp is None else is_racy(current, stamp), args, problems,
            settings.recurring_untracked == "never_overdue")


def _order(files: list) -> tuple[str, bytes]:
    """The scanned files as two values that compare in C: the paths, and their stat keys as a byte array."""
    from array import array

    keys = array("q")
    for _path, key in files:
        if key is None:
            keys.extend((-1, -1, -1, -1))
        else:  # an inode is unsigned: kept as the signed number of the same 64 bits
            keys.extend((key[0], key[1], key[2], key[3] - (1 << 64) if key[3] >= 1 << 63 else key[3]))
    return "\0".join(path for path, _key in files), keys.tobytes()


def load_index(paths: list[Path], root: Path | None, use_cache: bool = True):
    """A status.Index of the protocol files below `paths` (deadlines read with the settings of the archive at
    `root`); its problems are those of the files that could not be read and of protokol.yaml.

    Warm (no file changed since the last run) only the fast part of the store is read: protocol ids, the resolution
    of references (index.Resolution), and per file where its summary lies; a FileIndex is made only for a file whose
    decisions are listed. Files changed too close to the last run's reading are hashed first (cachekeys)."""
    store = FileStore.open(cache_dir(root), _user_key(), (_header(),)) if use_cache and root is not None else None
    fast = store.fast() if store is not None else None
    # Something to confirm by content: the moment before reading it, to judge whether it is safe from now on.
    pending = None
    if fast is not None and (fast["racy"] or fast["settings"][2]):
        pending = Pending.create(store.folder, "index.pickle")
    stamp = pending.stamp if pending is not None else None
    settings = _settings(root, fast["settings"] if fast else None, stamp)
    files = scan(paths)
    shown = _Displays()
    problems = _remap(list(settings[4]), shown(root / SETTINGS_FILE)) if root is not None else []
    if fast is not None and fast["args"] == settings[3] and fast["order"] == _order(files):
        index = _warm(store, fast, files, settings, shown, problems, pending)
        if index is not None:
            index.never_overdue = settings[5]
            return index
    elif pending is not None:
        pending.abandon()
    with collector_off():  # what follows builds the whole archive's index at once
        index = _Build(store, files, settings, shown, problems).run()
    index.never_overdue = settings[5]
    return index


def _warm(store: FileStore, fast: dict, files: list, settings: tuple, shown, problems: list, pending):
    """The index from the fast part, when every racy file still hashes as it did; None when one does not."""
    from .index import FileIndex, Resolution
    from .status import Index

    rows = _rows(store, fast, settings[5])
    if rows is False:  # not there as it was written (removed, copied, damaged): build the index again
        if pending is not None:
            pending.abandon()
        return None
    still = {}
    for i, digest in fast["racy"].items():
        if not _confirmed(files[i][0], digest):
            if pending is not None:
                pending.abandon()
            return None
        if pending is None or is_racy(files[i][1], pending.stamp):
            still[i] = digest
    if pending is not None:
        if still != fast["racy"] or settings != fast["settings"]:  # safe by their stat from now on: say so
            store.refresh(dict(fast, racy=still, settings=settings), pending)
        else:
            pending.abandon()
    members, coords = fast["members"], fast["coords"]
    index_args = settings[3]

    def loader(i: int):
        path = files[members[i]][0]
        found = store.entries(coords[i])
        if found is not None:
            state, segment, rows = found
            for part in (segment, *rows):
                part.recover = lambda: _reparse(path, shown(path), index_args, fast["pids"][i])
            return FileIndex(state, segment, shown(path), rows)
        store.invalidate()  # damaged: the next run rebuilds the fast part; this one reads the file
        return _reparse(path, shown(path), index_args, fast["pids"][i])

    for i, file_problems in fast["problems"].items():
        problems.extend(_remap(file_problems, shown(files[i][0])))
    index = Index.lazy(fast["pids"], fast["drafts"], loader, problems, len(files), Resolution(fast["resolution"]))
    index.rows = rows
    index.occurrences = store.occurrences()
    index.occurrences_known = len(index.occurrences)
    return index


def _rows(store: FileStore, fast: dict, never_overdue: bool):
    """rowblob.Rows of the fast part's file of prepared rows; None when there is none or it was made in another
    folder (the rows name their files as seen from there) or under another `recurring_untracked`; False when it
    is not as it was written."""
    found = fast.get("rows")
    if found is None or found["cwd"] is None or found["cwd"] != _cwd() or found["layout"]["recurring"] == never_overdue:
        return None
    data = store.rows(found)
    if data is None:
        return False
    from .rowblob import Rows

    return Rows(data, found["layout"])


def _reparse(path: str, display: str, index_args: tuple, pid: str):
    """A file's FileIndex read from the file itself, for a part of the store found damaged after the scan."""
    from .index import FileIndex, Meeting

    _blob, _problems, indexed, _digest = parse_one(path, display, deadline_args(index_args))
    if indexed is not None:
        return indexed.with_file(display)
    # The file stopped being a readable protocol since the scan, a moment ago: it has no decisions now.
    from datetime import date

    return FileIndex.build(Meeting(pid, display, date.min, None, "", True), [])


class _Build:
    """The index made from the files that changed and the records of those that did not, with a new generation of
    the store written as it goes (writing overlaps with the workers still parsing the rest)."""

    def __init__(self, store: FileStore | None, files: list, settings: tuple, shown, problems: list):
        self.store, self.files, self.settings, self.shown, self.problems = store, files, settings, shown, problems
        self.generation = store.begin() if store is not None else None
        self.stamp = self.generation.stamp if self.generation is not None else None  # before any file is read
        self.made: dict[int, object] = {}  # scan position -> FileIndex
        self.by_position: dict[int, list] = {}
        self.where: dict[int, object] = {}
        self.racy: dict[int, bytes] = {}

    def run(self):
        from .status import Index

        records = self.store.records(self.settings[3]) if self.store is not None else {}
        misses = []
        for i, (path, current) in enumerate(self.files):
            rec = records.get(path)
            verdict = decide(*(rec[:3] if rec is not None else (None, None, False)), current)
            if verdict == MISS or not self._reuse(i, path, current, rec, verdict):
                misses.append((i, path, current))
        parsed = parse_stream([(path, self.shown(path), current) for _i, path, current in misses], self.settings[3])
        for (i, path, current), (_path, _key, _blob, file_problems, indexed, digest) in zip(misses, parsed, strict=True):
            indexed = indexed.with_file(self.shown(path)) if indexed is not None else None
            self._take(i, path, (current, digest, self._racy(current)), indexed, file_problems)
        for i in sorted(self.by_position):
            self.problems.extend(_remap(self.by_position[i], self.shown(self.files[i][0])))
        kept, seen = [], set()
        for i in sorted(self.made):
            if self.made[i].meeting.id not in seen:  # a duplicate id: `check` reports it; the first file wins
                seen.add(self.made[i].meeting.id)
                kept.append(i)
        index = Index([self.made[i] for i in kept], self.problems, len(self.files))
        found = self._commit(index, kept)
        if found is not None:  # this run's rows too come from the file just written
            index.rows = _rows(self.store, {"rows": found}, self.settings[5]) or None
        return index

    def _racy(self, current) -> bool:
        return self.stamp is None or current is None or is_racy(current, self.stamp)

    def _reuse(self, i: int, path: str, current, rec: tuple, verdict: str) -> bool:
        """Take a file's record if it holds (confirmed by content where its stat alone cannot tell); False when
        the file must be read again."""
        from .index import FileIndex

        racy = rec[2]
        if verdict != TRUSTED:
            if not _confirmed(path, rec[1]):
                return False
            racy = self._racy(current)  # its content was read after the stamp
        indexed = None
        if rec[3] is not None:
            found = self.store.entries(rec[3])
            if found is None:  # damaged: read the file again
                return False
            indexed = FileIndex(found[0], found[1], self.shown(path), found[2])
            try:  # verified now: a part that does not is read again from the file
                indexed.segment, indexed.rows  # noqa: B018
            except DamagedCache:
                return False
        self._take(i, path, (current, rec[1], racy), indexed, rec[4])
        return True

    def _take(self, i: int, path: str, record: tuple, indexed, file_problems: list) -> None:
        if file_problems:
            self.by_position[i] = file_problems
        if indexed is not None:
            self.made[i] = indexed
        if self.generation is not None and record[0] is not None:
            self.where[i] = self.generation.add(path, record, indexed, file_problems)
            if record[2]:
                self.racy[i] = record[1]

    def _commit(self, index, kept: list[int]) -> dict | None:
        """Put the new generation in place; what it says of the file of prepared rows (fast part's "rows")."""
        if self.generation is None:
            return None
        if any(self.where.get(i) is None for i in kept):
            self.generation.abandon()  # a part could not be written: keep the old generation
            return None
        fast = {"settings": self.settings, "args": self.settings[3], "order": _order(self.files), "members": kept,
                "pids": index.pids, "drafts": index.drafts, "coords": [self.where[i] for i in kept],
                "problems": self.by_position, "resolution": index.resolution.state, "racy": self.racy}
        fast["rows"] = _write_rows(self.generation, index, self.settings[5])
        self.generation.commit(fast)
        return fast["rows"]


def _write_rows(generation, index, never_overdue: bool) -> dict | None:
    """The archive-wide file of the default list's rows (rowblob), for runs from this folder."""
    from .rowblob import write

    found = generation.write_rows(lambda put, spool: write(index, never_overdue, put, spool))
    return dict(found, cwd=_cwd()) if found is not None else None


def _cwd() -> str | None:
    try:
        return os.getcwd()
    except OSError:  # the current folder was removed
        return None


def save_occurrences(index, root: Path | None) -> None:
    """Keep the next occurrences of recurring deadlines that this run worked out (status.evaluate), so that the next
    run need not load the deadline grammar for them. Only a warm index (read from the cache) has them to keep."""
    known = getattr(index, "occurrences_known", None)
    if root is None or known is None or len(index.occurrences) == known:
        return
    occurrences = index.occurrences
    if len(occurrences) > 50_000:  # each day adds its own: start afresh rather than grow for ever
        occurrences = dict(list(occurrences.items())[-10_000:])
    FileStore(cache_dir(root), _user_key(), (_header(),)).save_occurrences(occurrences)

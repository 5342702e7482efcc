"""The cache of parsed protocols in `<archive>/.protokol-cache/`: what makes a warm `protokol due` fast.

Its files (docs/performance.md has the table), each keyed per protocol file on its absolute path, mtime_ns and size:
- `protocols.pickle`: the Protocol (pickled on its own, so that a reader unpickles only what it uses) and the
  loader's problems; `load_collection(..., use_cache=True)` (check and others) reads and updates it;
- `index.pickle`: what a warm `due` needs at once (settings, the file list, protocol ids, query.Resolution, where
  each file's summary lies); `entries-<token>.bin`: per protocol its summary and its decisions (query.FileIndex),
  memory-mapped and read only for the decisions listed; `records.pickle`: each file's record, to rebuild the index
  after a change; `occurrences.pickle`: next occurrences of recurring deadlines worked out before. A warm `due`
  imports neither the YAML reader nor the deadline grammar.
Each cache file carries a header with protokol's version, a fingerprint of its modules, C reader and catalogues and
(for the index) the settings and language that shaped the entries. Anything unexpected (a missing, truncated,
foreign or stale file) means "no cache": it is rebuilt silently, and `--no-cache` does without it.

Pickle and marshal must never see bytes an archive brought along (a clone of a repository that force-added its
cache): every cache file, and every protocol's entries in the store, is signed with a key kept in the user's own
cache folder ($XDG_CACHE_HOME/protokol/key), and what does not match is ignored, never loaded.

When many files miss (a cold start), they are parsed by a pool of processes, one per core (at most 2 by default;
PROTOKOL_WORKERS sets the number), and the new store is written as their results come in.
"""

from __future__ import annotations

import gc
import hmac
import marshal
import os
import pickle
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from hashlib import blake2b as _blake2b
from pathlib import Path

CACHE_DIR = ".protokol-cache"
FORMAT = 2
MAGIC = b"PROTOKOL-CACHE\x00\x02"
PARALLEL_MIN = 48  # below this many files to parse, starting processes costs more than it saves
SETTINGS_FILE = "protokol.yaml"


# ------------------------------------------------------------------------------------------------- files and keys

def _user_key() -> bytes | None:
    """The user's secret for signing caches, created on first use; None when it cannot be had (then no cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "protokol")
    path = os.path.join(folder, "key")
    try:
        with open(path, "rb") as fh:
            key = fh.read()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".key-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(os.urandom(32))
        os.replace(tmp, path)
        with open(path, "rb") as fh:  # another process may have won the race: use what is on disk
            return fh.read()
    except OSError:
        return None


_SOURCE_FINGERPRINT: tuple | None = None


def source_fingerprint() -> tuple:
    """protokol's version and the size and mtime of what shapes a record: its modules (a module edited in an editable
    install, or the C reader rebuilt, may change how files are read) and its message catalogues (problems are kept
    as messages); any of them changed makes old records stale without a version bump."""
    global _SOURCE_FINGERPRINT
    if _SOURCE_FINGERPRINT is None:
        from . import __version__

        here = os.path.dirname(os.path.abspath(__file__))
        parts = []
        try:
            for name in sorted(os.listdir(here)):
                if name.endswith((".py", ".so", ".pyd")):
                    st = os.stat(os.path.join(here, name))
                    parts.append((name, st.st_mtime_ns, st.st_size))
            locale = os.path.join(here, "locale")
            for language in sorted(os.listdir(locale)):
                catalogue = os.path.join(locale, language, "LC_MESSAGES", "protokol.mo")
                if os.path.exists(catalogue):
                    st = os.stat(catalogue)
                    parts.append((catalogue[len(here):], st.st_mtime_ns, st.st_size))
        except OSError:
            pass
        _SOURCE_FINGERPRINT = (FORMAT, __version__, sys.version_info[:2], tuple(parts))
    return _SOURCE_FINGERPRINT


def _read(path: Path | None, header: tuple) -> tuple[object, dict]:
    """(extra, records) of a cache file; (None, {}) when there is none, it cannot be trusted or it is stale."""
    key = _user_key() if path is not None else None
    if key is None:
        return None, {}
    try:
        data = path.read_bytes()
    except OSError:
        return None, {}
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 32:
        return None, {}
    body = memoryview(data)[len(MAGIC) + 32:]
    if not hmac.compare_digest(data[len(MAGIC):len(MAGIC) + 32], hmac.digest(key, body, "sha256")):
        return None, {}
    try:
        with collector_off():
            stored_header, extra, records = pickle.loads(body)
    except Exception:  # a damaged cache is no cache
        return None, {}
    if stored_header != header or not isinstance(records, dict):
        return None, {}
    return extra, records


def _write(path: Path, header: tuple, extra: object, records: dict) -> None:
    """Write atomically (temporary file and rename); a cache that cannot be written is simply not written."""
    key = _user_key()
    if key is None:
        return
    try:
        body = pickle.dumps((header, extra, records), protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(MAGIC)
                fh.write(hmac.digest(key, body, "sha256"))
                fh.write(body)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except (OSError, pickle.PicklingError, RecursionError):
        pass


def cache_dir(root: Path) -> Path:
    return root / CACHE_DIR


@contextmanager
def collector_off():
    """Python's cyclic garbage collector paused: reading or building an archive's worth of small objects that are
    kept (parsed protocols, index entries) makes it walk all of them again and again, for nothing, since nothing
    made here forms a cycle (tests/test_cache.py checks that). With it on, a cold `due` took half again as long."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _stat(path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def scan(paths: list[Path]) -> list[tuple[str, tuple[int, int] | None]]:
    """(path, (mtime_ns, size)) of every protocol file below `paths`, in load.protocol_files' order, read with
    os.scandir: the file type comes with the directory listing, and no Path object is made per file."""
    found: list[tuple[str, tuple[int, int] | None]] = []

    def walk(folder: str) -> None:
        try:
            with os.scandir(folder) as it:
                items = sorted(it, key=lambda e: e.name)
        except OSError:
            return
        subdirs = []
        for e in items:
            try:
                is_dir = e.is_dir()
            except OSError:  # a symlink loop or a vanished entry: listed as a file, whose reading reports it
                is_dir = False
            if is_dir:
                if not e.name.startswith(".") and not e.is_symlink():
                    subdirs.append(e.path)
            elif e.name.endswith((".yaml", ".yml")):
                try:
                    st = e.stat()
                    found.append((e.path, (st.st_mtime_ns, st.st_size)))
                except OSError:
                    found.append((e.path, None))
        for sub in subdirs:
            walk(sub)

    for path in paths:
        text = os.fspath(path)
        if os.path.isdir(text):
            walk(text)
        else:
            found.append((text, _stat(text)))
    walk = None  # noqa: F841  (it refers to itself: let reference counting free it, see query.index_protocol)
    return found


class _Displays:
    """load.display_path for many files of few folders: os.path.relpath costs as much per call as a stat."""

    def __init__(self):
        self.folders: dict[str, str] = {}

    def __call__(self, f) -> str:
        folder, name = os.path.split(os.fspath(f))
        shown = self.folders.get(folder)
        if shown is None:
            try:
                shown = os.path.relpath(folder or ".")
            except ValueError:  # another drive (Windows)
                shown = folder
            self.folders[folder] = shown
        return name if shown == "." else os.path.join(shown, name)


def _remap(problems: list, display: str) -> list:
    return [p if p.file == display else replace(p, file=display) for p in problems]


def _pruned(records: dict, current: set[str]) -> dict:
    """Drop records of files that are gone (renamed, deleted), so that the cache does not grow forever."""
    return {path: rec for path, rec in records.items() if path in current or os.path.exists(path)}


# ------------------------------------------------------------------------------------------------- parsing (workers)

def _parse_one(path: str, display: str, deadline_args: tuple | None):
    """Read one file: (protocol pickled or None, problems, FileIndex or None). With `deadline_args` (the `due` path:
    school year, extra holidays, extra workdays, as index_file takes them) only the index is made: pickling and
    shipping whole protocols would cost `due` a fifth of its cold time."""
    from .load import load_protocol
    from .status import index_file

    protocol, problems = load_protocol(path, display, lean=deadline_args is not None)  # the index reads little
    if deadline_args is None:
        return (pickle.dumps(protocol, protocol=pickle.HIGHEST_PROTOCOL) if protocol is not None else None), problems, None
    if protocol is None:
        return None, problems, None
    return None, problems, index_file(protocol, *deadline_args)


def _parse_chunk(job: tuple) -> list:
    language, index_args, items = job
    from .i18n import current_language, set_language

    if current_language() != language:
        set_language(language)
    deadline_args = None
    if index_args is not None:  # made once here, not per file
        from .deadlines import SchoolYear

        school_year, holidays, workdays = index_args
        deadline_args = (SchoolYear(*school_year), frozenset(holidays), frozenset(workdays))
    with collector_off():
        out = []
        for path, display, key in items:
            blob, problems, indexed = _parse_one(path, display, deadline_args)
            out.append((path, key, blob, problems, indexed))
        return out


def _workers() -> int:
    wanted = os.environ.get("PROTOKOL_WORKERS", "")
    if wanted.isdigit():
        return max(1, int(wanted))
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 2))


def _parse_many(items: list[tuple[str, str, tuple | None]], index_args: tuple | None) -> list:
    """Parse files, in parallel when there are many and more than one core; results in the order of `items`."""
    return list(_parse_stream(items, index_args))


def _parse_stream(items: list[tuple[str, str, tuple | None]], index_args: tuple | None) -> Iterator:
    """_parse_many's results one by one, in the order of `items`, each as soon as it is there."""
    from .i18n import current_language

    language = current_language()
    workers = _workers()
    if len(items) < PARALLEL_MIN or workers < 2:
        yield from _parse_chunk((language, index_args, items))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    size = max(8, min(64, len(items) // (workers * 8) or 1))
    jobs = [(language, index_args, items[i:i + size]) for i in range(0, len(items), size)]
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method)) as pool:
            for part in pool.map(_parse_chunk, jobs):
                yield from part
                done += len(part)
    except (OSError, RuntimeError, ImportError):  # no processes to be had (a sandbox), or a broken pool: do it here
        yield from _parse_chunk((language, index_args, items[done:]))


# ------------------------------------------------------------------------------------------------- protocols (check)

def load_protocols(files: list[Path], root: Path | None, use_cache: bool = True) -> list[tuple]:
    """(Protocol or None, problems) for each file, in order, from the cache where it is fresh."""
    shown = _Displays()
    if not use_cache or root is None:
        if len(files) < PARALLEL_MIN or _workers() < 2:
            from .load import load_protocol

            return [load_protocol(f, shown(f)) for f in files]
        parsed = _parse_many([(str(f), shown(f), None) for f in files], None)
        return [_unblob(rec[2], rec[3], shown(f)) for f, rec in zip(files, parsed, strict=True)]
    from .i18n import current_language

    store = cache_dir(root) / "protocols.pickle"
    header = (source_fingerprint(), current_language())  # problems are kept as messages in the language of then
    _extra, records = _read(store, header)
    results: list = [None] * len(files)
    misses = []
    for i, f in enumerate(files):
        path = os.path.abspath(f)
        key = _stat(f)
        rec = records.get(path)
        if rec is not None and key is not None and rec[0] == key:
            results[i] = (rec[1], rec[2])
        else:
            misses.append((i, path, shown(f), key))
    if misses:
        parsed = _parse_many([(path, display, key) for _, path, display, key in misses], None)
        for (i, *_rest), (path, key, blob, problems, _indexed) in zip(misses, parsed, strict=True):
            results[i] = (blob, problems)
            if key is not None:
                records[path] = (key, blob, problems)
        _write(store, header, None, _pruned(records, {os.path.abspath(f) for f in files}))
    with collector_off():  # 10,000 protocols are a million objects: unpickling them took ten times longer with it
        return [_unblob(blob, problems, shown(f)) for f, (blob, problems) in zip(files, results, strict=True)]


def _unblob(blob, problems, display):
    protocol = pickle.loads(blob) if blob is not None else None
    if protocol is not None and protocol.path != display:
        protocol = replace(protocol, path=display)
    return protocol, _remap(problems, display)


# ------------------------------------------------------------------------------------------------- the index (due)

class CacheCorrupt(Exception):
    """A part of the cache read late (an entries segment) is missing or does not match its signature: the caller
    starts again without the cache (cli/due.py does)."""


class _Store:
    """The entries file, mapped: per protocol its summary (query.FileIndex.state, with where its entries start and a
    signature of its entries) and then its entries. Everything read is checked against a signature first, so that
    nothing unsigned reaches marshal."""

    def __init__(self, path: Path | None, key: bytes | None):
        self.path = path
        self.key = key
        self.data = None

    def _bytes(self):
        if self.data is None:
            import mmap

            try:  # mapped, not read: a warm `due` touches a few pages of it
                with open(self.path, "rb") as fh:
                    self.data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if os.fstat(fh.fileno()).st_size else b""
            except (OSError, TypeError, ValueError) as exc:
                raise CacheCorrupt(str(exc)) from None
        return self.data

    def read(self, offset: int, length: int, digest: bytes) -> bytes:
        data = self._bytes()[offset:offset + length]
        if self.key is None or len(data) != length or not hmac.compare_digest(_sign(self.key, data), digest):
            raise CacheCorrupt(f"{self.path}: {offset}")
        return data

    def summary(self, coords: tuple) -> tuple[tuple, _Entries]:
        """(FileIndex state, reader of its entries) from (offset, length, signature) of the summary."""
        state, base, length, digest = marshal.loads(self.read(*coords))
        return state, _Entries(self, base, length, digest)


class _Entries:
    """One protocol's entries in the store; what FileIndex reads them through. They are signed together, and
    checked together the first time one of them is read (a few kilobytes: signing each entry on its own made a
    cold run sign 130,000 of them)."""

    __slots__ = ("store", "base", "length", "digest", "checked")

    def __init__(self, store: _Store, base: int, length: int, digest: bytes):
        self.store, self.base, self.length, self.digest = store, base, length, digest
        self.checked: bytes | None = None

    def read(self, pos: int, start: int, end: int) -> bytes:
        return self.whole()[start:end]

    def whole(self, offsets=None) -> bytes:
        if self.checked is None:
            self.checked = self.store.read(self.base, self.length, self.digest)
        return self.checked


def _sign(key: bytes, data) -> bytes:
    """A 16-byte keyed signature of a part of the store. BLAKE2b in keyed mode is a MAC by design, and four times
    faster than HMAC-SHA256: a cold run signs every protocol's entries and summary (20,000 for the bench's)."""
    return _blake2b(data, key=key[:64], digest_size=16).digest()


def _settings(root: Path | None, stored) -> tuple:
    """(stat of protokol.yaml, school year, extra holidays, extra workdays, its problems): from the cache while the
    file is the same, so that a warm `due` need not import the YAML reader at all."""
    path = root / SETTINGS_FILE if root is not None else None
    key = _stat(path) if path is not None else None
    if stored is not None and stored[0] == key:
        return stored
    if key is None:
        return key, ((8, 31), (12, 31), (5, 31)), (), (), []
    from .settings import load_settings

    settings, problems = load_settings(root)
    sy = settings.school_year()
    holidays, workdays = settings.extra_days()
    return (key, (sy.end, sy.first_half_end, sy.second_half_end), tuple(sorted(holidays)), tuple(sorted(workdays)),
            problems)


def _order(files: list) -> tuple[str, bytes]:
    """The scanned files as two values that compare in C: the paths, and their (mtime_ns, size) as a byte array."""
    from array import array

    keys = array("q")
    for _path, key in files:
        keys.extend(key if key is not None else (-1, -1))
    return "\0".join(path for path, _key in files), keys.tobytes()


def load_index(paths: list[Path], root: Path | None, use_cache: bool = True):
    """A query.Index of the protocol files below `paths` (deadlines read with the settings of the archive at
    `root`); its problems are those of the files that could not be read and of protokol.yaml.

    Warm (no file changed since the last run) only the `fast` part of index.pickle is unpickled: protocol ids, the
    resolution of references (query.Resolution), and per file its summary as marshal bytes and where its entries
    lie in the entries file; a FileIndex is made only for a file whose decisions are listed."""

    from .i18n import current_language
    from .index import FileIndex, Resolution
    from .status import Index

    use = use_cache and root is not None
    folder = cache_dir(root) if use else None
    header = ((source_fingerprint(), current_language()),)
    fast, _nothing = _read(folder / "index.pickle", header) if use else (None, {})
    if not isinstance(fast, dict):
        fast = None
    settings = _settings(root, fast["settings"] if fast else None)
    index_args = settings[1:4]
    key = _user_key() if use else None
    store = _Store(folder / fast["entries"] if fast and folder is not None else None, key)
    files = scan(paths)
    shown = _Displays()
    problems = _remap(list(settings[4]), shown(root / SETTINGS_FILE)) if root is not None else []

    if fast and fast["args"] == index_args and fast["order"] == _order(files):
        # nothing changed since the last run: the fast path
        members, coords = fast["members"], fast["coords"]

        def loader(i: int):
            state, entries = store.summary(coords[i])
            return FileIndex(state, entries, shown(files[members[i]][0]))

        for i, file_problems in fast["problems"].items():
            problems.extend(_remap(file_problems, shown(files[i][0])))
        index = Index.lazy(fast["pids"], fast["drafts"], loader, problems, len(files), Resolution(fast["resolution"]))
        _extra, index.occurrences = _read(folder / "occurrences.pickle", header)
        index.occurrences_known = len(index.occurrences)
        return index

    with collector_off():  # what follows builds the whole archive's index at once
        records = {}
        if fast and fast["args"] == index_args:  # else the school year or the holidays changed: all is read again
            _nothing, records = _read(folder / "records.pickle", header)
        known, misses = [], []
        for i, (path, stat_key) in enumerate(files):
            rec = records.get(path) if stat_key is not None else None
            (known if rec is not None and rec[0] == stat_key else misses).append((i, path, stat_key, rec))
        # Each file's index goes into the new store as soon as it is there, so that writing the store overlaps with
        # the workers still parsing the rest.
        writer = _StoreWriter.start(folder, key) if use and key is not None else None
        made: dict[int, object] = {}  # scan position -> FileIndex
        by_position: dict[int, list] = {}

        def take(i: int, path: str, stat_key, indexed, file_problems: list) -> None:
            if file_problems:
                by_position[i] = file_problems
            if indexed is not None:
                made[i] = indexed
            if writer is not None:
                writer.add(i, path, stat_key, indexed, file_problems)

        try:
            for i, path, stat_key, rec in known:  # from the cache: (offset, length, signature) of its summary
                indexed = None
                if rec[1] is not None:
                    state, entries = store.summary(rec[1])
                    indexed = FileIndex(state, entries, shown(path))
                    indexed.segment  # noqa: B018  (read now: the store is about to be replaced)
                take(i, path, stat_key, indexed, rec[2])
            parsed = _parse_stream([(path, shown(path), stat_key) for _, path, stat_key, _rec in misses], index_args)
            for (i, path, stat_key, _rec), (_path, _key, _blob, file_problems, indexed) in zip(misses, parsed, strict=True):
                take(i, path, stat_key, indexed.with_file(shown(path)) if indexed is not None else None, file_problems)
        except CacheCorrupt:
            if writer is not None:
                writer.abandon()
            return load_index(paths, root, use_cache=False)
        for i in sorted(by_position):
            problems.extend(_remap(by_position[i], shown(files[i][0])))
        kept, seen = [], set()
        for i in sorted(made):
            if made[i].meeting.id not in seen:  # a duplicate id: `check` reports it; the first file wins
                seen.add(made[i].meeting.id)
                kept.append(i)
        index = Index([made[i] for i in kept], problems, len(files))
        if writer is not None:
            writer.finish(header, settings, index_args, index, kept, files, by_position)
        return index


class _StoreWriter:
    """The new entries store, written protocol by protocol as their indexes come in; then index.pickle with the fast
    part for the next warm run, and records.pickle with each file's record for the next run after a change. The old
    store is removed once the new one is in place. A write that fails leaves the old cache as it was."""

    def __init__(self, folder: Path, key: bytes, name: str, tmp: str, fh):
        self.folder, self.key, self.name, self.tmp, self.fh = folder, key, name, tmp, fh
        self.records: dict = {}
        self.where: dict[int, tuple] = {}
        self.offset = 0

    @classmethod
    def start(cls, folder: Path, key: bytes) -> _StoreWriter | None:
        import secrets

        name = f"entries-{secrets.token_hex(6)}.bin"
        try:
            folder.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}-")
        except OSError:
            return None
        return cls(folder, key, name, tmp, os.fdopen(fd, "wb"))

    def add(self, i: int, path: str, stat_key, f, problems: list) -> None:
        if stat_key is None or self.fh is None:
            return
        if f is None:  # a file that is not a protocol: remember its problems
            self.records[path] = (stat_key, None, problems)
            return
        segment = f.segment
        summary = marshal.dumps((f.state, self.offset, len(segment), _sign(self.key, segment)))  # entries, then summary
        coords = (self.offset + len(segment), len(summary), _sign(self.key, summary))
        try:
            self.fh.write(segment)
            self.fh.write(summary)
        except OSError:
            self.abandon()
            return
        self.where[i] = coords
        self.records[path] = (stat_key, coords, problems)
        self.offset += len(segment) + len(summary)

    def abandon(self) -> None:
        if self.fh is not None:
            try:
                self.fh.close()
                os.unlink(self.tmp)
            except OSError:
                pass
            self.fh = None

    def finish(self, header: tuple, settings: tuple, index_args: tuple, index, kept: list[int], files: list,
               by_position: dict) -> None:
        if self.fh is None:
            return
        try:
            self.fh.close()
            os.replace(self.tmp, self.folder / self.name)
        except OSError:
            self.abandon()
            return
        self.fh = None
        fast = {"settings": settings, "args": index_args, "entries": self.name, "order": _order(files),
                "members": kept, "pids": index.pids, "drafts": index.drafts, "coords": [self.where[i] for i in kept],
                "problems": by_position, "resolution": index.resolution.state}
        _write(self.folder / "records.pickle", header, None, self.records)
        _write(self.folder / "index.pickle", header, fast, {})
        for old in self.folder.glob("entries-*.bin"):
            if old.name != self.name:
                try:
                    old.unlink()
                except OSError:
                    pass


def save_occurrences(index, root: Path | None) -> None:
    """Keep the next occurrences of recurring deadlines that this run worked out (query.evaluate), so that the next
    run need not load the deadline grammar for them. Only a warm index (read from the cache) has them to keep."""
    known = getattr(index, "occurrences_known", None)
    if root is None or known is None or len(index.occurrences) == known:
        return
    from .i18n import current_language

    occurrences = index.occurrences
    if len(occurrences) > 50_000:  # each day adds its own: start afresh rather than grow for ever
        occurrences = dict(list(occurrences.items())[-10_000:])
    _write(cache_dir(root) / "occurrences.pickle", ((source_fingerprint(), current_language()),), None, occurrences)

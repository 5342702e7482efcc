"""Where the cache keeps what it knows: signed files in `<archive>/.protokol-cache/`, behind a small interface.

`IndexStore` is what the index (cache.load_index) needs of a store: the fast part a warm run reads at once, each
file's record, a file's entries, and a new generation written as a whole. `FileStore` keeps them in files:
- `index.pickle`: the fast part (settings, the scanned files with their stat keys, protocol ids, index.Resolution,
  where each file's summary lies, the racy files' digests);
- `entries-<token>.bin`: per protocol its entries (index.FileIndex.segment), the prepared parts of its rows
  (FileIndex.rows) and then its summary, memory-mapped, each signed; a warm `due` reads only the protocols whose
  decisions it lists, and of those only the parts it needs;
- `rows-<token>.bin`: the rows of `due`'s default list for the whole archive (rowblob), output text only, never
  unpickled: trusted by its random name and its stat key (size, mtime, ctime, inode), both in the signed fast part;
- `records.pickle`: per file (stat key, content digest, racy, where its summary lies, its problems), to rebuild the
  fast part after a change; `occurrences.pickle`: next occurrences of recurring deadlines worked out before.
`protocols.pickle` (cache.load_protocols, for `check`) is a signed file of the same kind.

Pickle and marshal must never see bytes an archive brought along (a clone of a repository that force-added its
cache): every file, and every protocol's summary and entries, is signed with the user's key (cachekeys.user_key),
and what does not match is no cache. Only regular files are read, never more than their size and a limit (a cache
file may be a FIFO or a link to /dev/zero). Anything unexpected reads as "nothing cached"; anything that cannot be
written is not written. No error leaves this module.
"""

from __future__ import annotations

import hmac
import marshal
import os
import pickle
import stat
import tempfile
from pathlib import Path
from typing import Protocol

from .cachekeys import collector_off, file_key, read_regular, sign

CACHE_DIR = ".protokol-cache"
MAGIC = b"PROTOKOL-CACHE\x00\x03"
READ_LIMIT = 1 << 31  # a cache file is written by protokol; one larger than this is not one of its own


class Pending:
    """A file being written in the cache folder, renamed into place when complete. Its mtime, taken when it is
    created, is the filesystem's "now": what is read after it may be judged by cachekeys.is_racy against it."""

    def __init__(self, folder: Path, name: str, fd: int, tmp: str):
        self.folder, self.name, self.tmp = folder, name, tmp
        self.stamp = os.fstat(fd).st_mtime_ns
        # a large buffer: a cold build writes 10,000 protocols' entries in five parts each (150 MB on the bench
        # archive); with the default 8 KB nearly every part was a system call of its own (0.19 -> 0.06 s of CPU)
        self.fh = os.fdopen(fd, "wb", buffering=1 << 20)

    @classmethod
    def create(cls, folder: Path, name: str) -> Pending | None:
        try:
            folder.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}-")
        except OSError:  # a read-only folder, a file where the folder should be: no cache is written
            return None
        try:
            return cls(folder, name, fd, tmp)
        except OSError:
            os.close(fd)
            _remove(tmp)
            return None

    def write(self, data) -> bool:
        if self.fh is None:
            return False
        try:
            self.fh.write(data)
            return True
        except OSError:
            self.abandon()
            return False

    def commit(self) -> bool:
        if self.fh is None:
            return False
        try:
            self.fh.close()
            self.fh = None
            os.replace(self.tmp, self.folder / self.name)
            return True
        except OSError:
            self.abandon()
            return False

    def abandon(self) -> None:
        if self.fh is not None:
            try:
                self.fh.close()
            except OSError:
                pass
            self.fh = None
        _remove(self.tmp)


def _remove(path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def read_signed(path: Path, key: bytes | None, header: tuple) -> tuple[object, dict]:
    """(extra, records) of a signed cache file; (None, {}) when there is none, it cannot be trusted or it is stale."""
    data = read_regular(path, READ_LIMIT) if key is not None else None
    if data is None or not data.startswith(MAGIC) or len(data) < len(MAGIC) + 32:
        return None, {}
    body = memoryview(data)[len(MAGIC) + 32:]
    if not hmac.compare_digest(data[len(MAGIC):len(MAGIC) + 32], hmac.digest(key, body, "sha256")):
        return None, {}
    try:
        with collector_off():
            stored_header, extra, records = pickle.loads(body)
    except Exception:  # signed by us and still not loadable (another Python, say): no cache
        return None, {}
    if stored_header != header or not isinstance(records, dict):
        return None, {}
    return extra, records


def write_signed(folder: Path, name: str, key: bytes | None, header: tuple, extra: object, records: dict,
                 pending: Pending | None = None) -> bool:
    """Write atomically (temporary file and rename), into `pending` when one was opened before; a cache that
    cannot be written is simply not written (False)."""
    if key is None:
        if pending is not None:
            pending.abandon()
        return False
    try:
        body = pickle.dumps((header, extra, records), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, RecursionError, TypeError):
        if pending is not None:
            pending.abandon()
        return False
    pending = pending or Pending.create(folder, name)
    return (pending is not None and pending.write(MAGIC) and pending.write(hmac.digest(key, body, "sha256"))
            and pending.write(body) and pending.commit())


class Generation(Protocol):
    """A new generation of an IndexStore being written: protocol by protocol, then the fast part."""

    stamp: int  # the filesystem's time before anything of this generation was read (cachekeys.is_racy)

    def add(self, path: str, record: tuple, indexed, problems: list) -> object:
        """Keep one file: `record` is (stat key, digest, racy), `indexed` its index.FileIndex or None; returns
        where its summary lies (for the fast part's `coords`)."""

    def write_rows(self, fill) -> dict | None:
        """Keep a file of output text (rowblob.write, which `fill` calls with the writer); what the fast part must say
        of it for a run to trust it (`rows`), or None when it could not be written."""

    def commit(self, fast: dict) -> None:
        """Put the generation in place, with `fast` as the part a warm run reads."""

    def abandon(self) -> None:
        """Leave the previous generation as it was."""


class IndexStore(Protocol):
    """What cache.load_index needs of a store. Every read is verified; what does not verify reads as absent."""

    def fast(self) -> dict | None:
        """The fast part of the current generation, or None."""

    def records(self, args: tuple) -> dict:
        """path -> (stat key, digest, racy, where its summary lies or None, problems) of the current generation,
        when it was made with these deadline settings `args`; else {}."""

    def entries(self, where) -> tuple[tuple, object, tuple] | None:
        """(index.FileIndex state, entries, rows) of one protocol: the state verified (None when damaged or
        missing), the entries and each part of the rows verified when first read (FileIndex reads them so)."""

    def begin(self) -> Generation | None:
        """Start a new generation; None when nothing can be written."""

    def refresh(self, fast: dict, pending: Pending) -> None:
        """Replace the fast part alone (the same generation, fewer racy files)."""

    def invalidate(self) -> None:
        """Make the next run rebuild the fast part (a part of the store was found damaged)."""


class FileStore:
    """IndexStore in files (the module docstring lists them)."""

    def __init__(self, folder: Path, key: bytes | None, header: tuple):
        self.folder, self.key, self.header = folder, key, header
        self._fast: dict | None = None
        self._entries_file: str | None = None  # named by the fast part, or by the records when it is gone
        self._data = None

    @classmethod
    def open(cls, folder: Path, key: bytes | None, header: tuple) -> FileStore:
        store = cls(folder, key, header)
        fast, _nothing = read_signed(folder / "index.pickle", key, header)
        if isinstance(fast, dict):
            store._fast, store._entries_file = fast, fast["entries"]
        return store

    def fast(self) -> dict | None:
        return self._fast

    def records(self, args: tuple) -> dict:
        extra, records = read_signed(self.folder / "records.pickle", self.key, self.header)
        if not isinstance(extra, dict) or extra.get("args") != args:  # the school year or the holidays changed
            return {}
        if self._entries_file not in (None, extra["entries"]):  # the fast part and the records disagree
            return {}
        self._entries_file = extra["entries"]
        return records

    def _bytes(self):
        if self._data is None:
            self._data = _map(self.folder / self._entries_file) if self._entries_file else b""
        return self._data

    def _verified(self, offset: int, length: int, digest: bytes) -> bytes | None:
        data = self._bytes()[offset:offset + length]
        if self.key is None or len(data) != length or not hmac.compare_digest(sign(self.key, data), digest):
            return None
        return data

    def entries(self, where) -> tuple[tuple, object, object] | None:
        summary = self._verified(*where)
        if summary is None:
            return None
        state, base, length, digest, rows = marshal.loads(summary)
        return state, _Part(self, base, length, digest), tuple(_Part(self, *where) for where in rows)

    def begin(self) -> EntriesWriter | None:
        if self.key is None:
            return None
        import secrets

        name = f"entries-{secrets.token_hex(6)}.bin"
        pending = Pending.create(self.folder, name)
        return EntriesWriter(self, pending) if pending is not None else None

    def refresh(self, fast: dict, pending: Pending) -> None:
        fast = dict(fast, entries=self._entries_file)
        write_signed(self.folder, "index.pickle", self.key, self.header, fast, {}, pending)

    def invalidate(self) -> None:
        _remove(self.folder / "index.pickle")

    def rows(self, found: dict):
        """The file of prepared rows (rowblob) named in the fast part, mapped; None when it is not there as it
        was written (its stat key: size, mtime, ctime, inode)."""
        path = self.folder / found["name"]
        if file_key(path) != found["key"]:
            return None
        data = _map(path)
        return data if len(data) == found["key"][1] else None

    def occurrences(self) -> dict:
        return read_signed(self.folder / "occurrences.pickle", self.key, self.header)[1]

    def save_occurrences(self, occurrences: dict) -> None:
        write_signed(self.folder, "occurrences.pickle", self.key, self.header, None, occurrences)


class _Part:
    """A signed part of the entries file (a protocol's entries, or its rows), verified when it is first read: a
    query that needs only a protocol's rows never hashes its entries. A part found damaged then raises
    DamagedCache, which the index turns into reading the file itself."""

    __slots__ = ("store", "base", "length", "digest", "data", "recover")

    def __init__(self, store: FileStore, base: int, length: int, digest: bytes):
        self.store, self.base, self.length, self.digest, self.data = store, base, length, digest, None
        self.recover = None  # what makes the protocol's index afresh from its file (cache.py sets it)

    def whole(self, _offsets=None) -> bytes:
        if self.data is None:
            self.data = self.store._verified(self.base, self.length, self.digest)
            if self.data is None:
                self.store.invalidate()  # the next run rebuilds the fast part
                raise DamagedCache(self.recover)
        return self.data

    def read(self, _pos: int, start: int, end: int) -> bytes:
        return self.whole()[start:end]


class DamagedCache(Exception):
    """A part of the store did not verify when it was read (after the scan had trusted the store). `recover`, when
    there is one, gives the protocol's index.FileIndex made from the file itself."""

    def __init__(self, recover):
        super().__init__("damaged cache")
        self.recover = recover


def _map(path: Path):
    """The entries file mapped, not read (a warm `due` touches a few pages of it); b"" when it is not a regular
    file or cannot be opened."""
    import mmap

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return b""
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not st.st_size or st.st_size > READ_LIMIT:
            return b""
        return mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return b""
    finally:
        os.close(fd)


class EntriesWriter:
    """FileStore's Generation: the new entries file, written protocol by protocol as their indexes come in; then
    records.pickle and index.pickle. The old entries file is removed once the new one is in place. A write that
    fails leaves the old cache as it was."""

    def __init__(self, store: FileStore, pending: Pending):
        self.store, self.pending = store, pending
        self.stamp = pending.stamp
        self.records: dict = {}
        self.offset = 0

    def add(self, path: str, record: tuple, indexed, problems: list) -> object:
        if indexed is None:  # a file that is not a protocol: remember its problems
            self.records[path] = (*record, None, problems)
            return None
        key = self.store.key
        segment, rows = indexed.segment, indexed.rows
        at = self.offset + len(segment)
        coords = []
        for part in rows:
            coords.append((at, len(part), sign(key, part)))
            at += len(part)
        summary = marshal.dumps((indexed.state, self.offset, len(segment), sign(key, segment), tuple(coords)))
        where = (at, len(summary), sign(key, summary))  # entries, each part of the rows, then the summary
        if not (self.pending.write(segment) and all(self.pending.write(part) for part in rows)
                and self.pending.write(summary)):
            return None
        self.records[path] = (*record, where, problems)
        self.offset = at + len(summary)
        return where

    def write_rows(self, fill) -> dict | None:
        """A file of output text only (rowblob.write, which `fill` calls with the writer), named by a random token:
        its name and stat key go into the signed fast part, which is how it is trusted (it is never unpickled)."""
        import secrets

        name = f"rows-{secrets.token_hex(8)}.bin"
        pending = Pending.create(self.store.folder, name)
        if pending is None:
            return None
        try:
            layout = fill(pending.write, lambda: tempfile.TemporaryFile(dir=self.store.folder))
        except OSError:  # a temporary file that could not be made or written: no file of rows
            layout = None
        if layout is None or not pending.commit():
            pending.abandon()
            return None
        key = file_key(self.store.folder / name)
        return {"name": name, "key": key, "layout": layout} if key is not None else None

    def commit(self, fast: dict) -> None:
        if not self.pending.commit():
            return
        store = self.store
        extra = {"args": fast["args"], "entries": self.pending.name}
        if not (write_signed(store.folder, "records.pickle", store.key, store.header, extra, self.records)
                and write_signed(store.folder, "index.pickle", store.key, store.header,
                                 dict(fast, entries=self.pending.name), {})):
            return  # the old generation may still be named: keep its entries
        for old in store.folder.glob("entries-*.bin"):
            if old.name != self.pending.name:
                _remove(old)
        for old in store.folder.glob("rows-*.bin"):
            if old.name != (fast.get("rows") or {}).get("name"):
                _remove(old)

    def abandon(self) -> None:
        self.pending.abandon()

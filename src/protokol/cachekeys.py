"""When a cached reading of a file may be trusted: stat keys, the "racily clean" rule, content digests, the user's
signing key and the fingerprint of protokol's own sources; scanning the folders; and `collector_off`, which every
part of the cache uses around building many objects. No I/O beyond stat, bounded reads of regular files and the key
file.

A file's cached reading is trusted by its stat alone when its key (mtime_ns, size, ctime_ns, inode) is unchanged and
its mtime and ctime were safely older than the moment its content was read, as git decides for its index ("racily
clean"). A file changed within one filesystem timestamp tick of being read may keep all four; so for such a file the
cache keeps the BLAKE2b digest of the bytes it parsed, and trusts it only while the file still hashes the same.
A cache may be slow to trust; it is never wrong. The moment of reading is the filesystem's own clock (the mtime of a
file the cache creates just before reading, cachestore.Pending), so a server's clock skew does not fool it.
"""

from __future__ import annotations

import gc
import os
import stat
import sys
import tempfile
from contextlib import contextmanager
from hashlib import blake2b

# Timestamps of FAT are 2 s apart, of ext4 and btrfs a kernel tick (1-10 ms); a file whose mtime or ctime is within
# this much of the reading may still change without its stat key changing.
GRANULARITY_NS = 2_000_000_000
FORMAT = 3  # of every cache file; part of the fingerprint, so that another layout is never read

StatKey = tuple  # (mtime_ns, size, ctime_ns, inode)

TRUSTED, VERIFY, MISS = "trusted", "verify", "miss"


def stat_key(st: os.stat_result) -> StatKey:
    return st.st_mtime_ns, st.st_size, st.st_ctime_ns, st.st_ino


def file_key(path) -> StatKey | None:
    try:
        return stat_key(os.stat(path))
    except OSError:
        return None


def is_racy(key: StatKey, stamp_ns: int) -> bool:
    """Whether a file with this key, read after the filesystem moment `stamp_ns`, could change later and keep its
    key: its mtime or ctime is not safely older than the moment (a later change gets a timestamp of its tick)."""
    limit = stamp_ns - GRANULARITY_NS
    return key[0] >= limit or key[2] >= limit


def decide(recorded: StatKey | None, digest: bytes | None, racy: bool, current: StatKey | None) -> str:
    """How far a record of a file may be trusted: TRUSTED by its stat key alone, VERIFY (trusted only if the file's
    bytes still have `digest`), or MISS (read the file again).

    An unchanged key of a racy record, or a changed key with the same size (a `touch`, a checkout that rewrote the
    same bytes), is worth one hash: hashing a file costs a thirtieth of parsing it."""
    if current is None or recorded is None:
        return MISS
    if current == recorded:
        if not racy:
            return TRUSTED
        return VERIFY if digest is not None else MISS
    if digest is not None and current[1] == recorded[1]:
        return VERIFY
    return MISS


def digest_of(data) -> bytes:
    """BLAKE2b of a file's bytes (16 bytes: the content's identity, not a signature)."""
    return blake2b(data, digest_size=16).digest()


def read_regular(path, limit: int) -> bytes | None:
    """At most `limit` bytes of a regular file; None for anything else (a FIFO, a device, a symlink to /dev/zero: a
    cache folder may hold anything), for a file over the limit, and when it cannot be read. Never blocks on open."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        chunks, total = [], 0
        while total <= limit:  # plain os.read: a third of the cost of a file object, for small files
            chunk = os.read(fd, max(st.st_size + 1 - total, 1 << 16))
            if not chunk:
                return b"".join(chunks) if len(chunks) != 1 else chunks[0]
            chunks.append(chunk)
            total += len(chunk)
        return None
    except OSError:
        return None
    finally:
        os.close(fd)


def file_digest(path, limit: int) -> bytes | None:
    data = read_regular(path, limit)
    return digest_of(data) if data is not None else None


def user_key() -> bytes | None:
    """The user's secret for signing caches, created on first use; None when it cannot be had (then no cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "protokol")
    path = os.path.join(folder, "key")
    key = read_regular(path, 4096)
    if key is not None and len(key) >= 32:
        return key
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".key-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(os.urandom(32))
        os.replace(tmp, path)
    except OSError:
        return None
    key = read_regular(path, 4096)  # another process may have won the race: use what is on disk
    return key if key is not None and len(key) >= 32 else None


def sign(key: bytes, data) -> bytes:
    """A 16-byte keyed signature of a part of the store. BLAKE2b in keyed mode is a MAC by design, and four times
    faster than HMAC-SHA256: a cold run signs every protocol's entries and summary (20,000 for the bench's)."""
    return blake2b(data, key=key[:64], digest_size=16).digest()


_SOURCE_FINGERPRINT: tuple | None = None


def source_fingerprint() -> tuple:
    """protokol's version and the stat keys of what shapes a record: its modules (a module edited in an editable
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
                    parts.append((name, *stat_key(os.stat(os.path.join(here, name)))))
            locale = os.path.join(here, "locale")
            for language in sorted(os.listdir(locale)):
                catalogue = os.path.join(locale, language, "LC_MESSAGES", "protokol.mo")
                if os.path.exists(catalogue):
                    parts.append((catalogue[len(here):], *stat_key(os.stat(catalogue))))
        except OSError:
            pass
        _SOURCE_FINGERPRINT = (FORMAT, __version__, sys.version_info[:2], tuple(parts))
    return _SOURCE_FINGERPRINT


def scan(paths: list) -> list[tuple[str, StatKey | None]]:
    """(path, stat key) of every protocol file below `paths`, in load.protocol_files' order, read with os.scandir:
    the file type comes with the directory listing, and no Path object is made per file."""
    found: list[tuple[str, StatKey | None]] = []
    for path in paths:
        text = os.fspath(path)
        if os.path.isdir(text):
            _walk(text, found)
        else:
            found.append((text, file_key(text)))
    return found


def _walk(folder: str, found: list) -> None:
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
                found.append((e.path, stat_key(e.stat())))
            except OSError:
                found.append((e.path, None))
    for sub in subdirs:
        _walk(sub, found)


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

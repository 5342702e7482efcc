"""Where things are: the archive's folder, its protocol files, and how paths are shown to the user."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .i18n import _

PROTOCOLS_DIR = "protocols"
SETTINGS_FILE = "protokol.yaml"
# What protokol keeps of its own runs that is worth more than a cache (the reminders' sent-log): gitignored by `init`.
STATE_DIR = ".protokol-state"
_SUFFIXES = (".yaml", ".yml")


class ArchiveNotFound(Exception):
    pass


def is_archive(folder: Path) -> bool:
    """Whether `folder` is an archive's: it holds protokol.yaml or protocols/."""
    return (folder / SETTINGS_FILE).is_file() or (folder / PROTOCOLS_DIR).is_dir()


def find_root(start: Path | None = None) -> Path:
    """The archive folder: the nearest folder, from `start` upward, holding protokol.yaml or protocols/."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_archive(folder):
            return folder
    raise ArchiveNotFound(str(here))


def protocol_files(paths: list[Path]) -> list[Path]:
    """Every .yaml/.yml file named, or found below the folders named, in a stable order.

    Whatever has a protocol's name is listed, whether it is a file or not (a folder, a named pipe, a link to a
    device): reading it then reports it with its path (`read_regular`) instead of skipping it silently."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir() and not path.name.endswith(_SUFFIXES):
            for dirpath, names in _walk(path):
                base = Path(dirpath)  # made once per folder: a Path per file costs as much as its stat
                found.extend(base / f for f in names)
        else:
            found.append(path)
    return found


def protocol_paths(folder: Path) -> list[str]:
    """protocol_files of one folder, as strings: a whole archive's listing without a Path object per file."""
    return [os.path.join(dirpath, f) for dirpath, names in _walk(folder) for f in names]


def _walk(folder: Path):
    """(folder, sorted protocol names in it) below `folder`, hidden folders skipped, in a stable order."""
    for dirpath, dirnames, filenames in os.walk(folder):
        names = sorted(filenames + [d for d in dirnames if d.endswith(_SUFFIXES)])
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not d.endswith(_SUFFIXES))
        yield dirpath, [f for f in names if f.endswith(_SUFFIXES)]


class NotAFile(OSError):
    """A path that names a folder, a named pipe (FIFO), a device or a socket where a file's bytes are wanted."""

    def __init__(self, path, mode: int):
        kind = (_("a folder") if stat.S_ISDIR(mode) else _("a named pipe (FIFO)") if stat.S_ISFIFO(mode)
                else _("a device") if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else _("a socket") if stat.S_ISSOCK(mode)
                else _("something other than a file"))
        super().__init__(0, _("it is {kind}, not a regular file").format(kind=kind), str(path))


class TooLarge(OSError):
    """A file over the size limit of what reads it; `size` is at least limit + 1 (what was seen before stopping)."""

    def __init__(self, path, size: int, limit: int):
        super().__init__(0, _("it is larger than {limit}").format(limit=megabytes(limit)), str(path))
        self.size = size
        self.limit = limit


def megabytes(size: int) -> str:
    return _("{n} MB").format(n=f"{size / (1024 * 1024):.3g}")


def read_regular(path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, never more than limit + 1 bytes read.

    Raises OSError: the system's own, NotAFile or TooLarge. The file is opened without blocking, so that a named
    pipe cannot hang the open, and its kind is taken from the open descriptor (no race with a rename); the size
    is not trusted either (a device says 0, a file may grow): reading stops one byte past the limit.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotAFile(path, info.st_mode)
        if info.st_size > limit:
            raise TooLarge(path, info.st_size, limit)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(limit + 1 - total, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise TooLarge(path, total, limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the current folder when below it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


class Displays:
    """display_path for many files of few folders: os.path.relpath costs as much per call as a stat."""

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


def protocol_id(path: Path | str) -> str:
    name = os.path.basename(path)
    for suffix in (".yaml", ".yml"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def files_with_id(folder: Path, pid: str) -> list[Path]:
    """Every protocol file below `folder` whose id is `pid`. More than one makes the id ambiguous: `check` reports it
    (protocol-duplicate-id), and a command given that id acts on none of them."""
    return [p for p in protocol_files([folder]) if protocol_id(p) == pid] if folder.is_dir() else []


def cache_root(path: Path) -> Path | None:
    """The archive a path belongs to (its cache lives there), or None."""
    try:
        return find_root(path if path.is_dir() else path.parent)
    except ArchiveNotFound:
        return None

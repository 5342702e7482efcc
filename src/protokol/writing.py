"""The one writer: every file protokol creates or replaces goes through here.

One way of writing, whatever the file: a temporary file in the target's own folder, written, flushed and fsynced,
then renamed over the target (atomic on one file system), then the folder fsynced where the OS allows it, so a crash
leaves the old file or the new one, never half of either. Modes follow what a person expects of an editor: a new file
gets the user's umask (0644 under umask 022; mkstemp alone would make it 0600, which a shared folder cannot read), a
replaced file keeps its mode; a symlink is followed (the target is edited, the link stays a link); a read-only file is
refused, never replaced behind its owner's back.

Two kinds of output, one rule each:
- files a person keeps (protocols, people.yaml, protokol.yaml, a copied template, a rendered document, an imported
  protocol): `create_new` never overwrites (even when another process creates the name meanwhile: the temporary
  file is hard-linked in, which fails on an existing name); `write_kept` overwrites only with `force`;
- regenerated artifacts (an export file, a site folder, an outbox) are replaced whole by the command that owns
  them: `replace_artifact`, `replace_folder`.

Edits of an existing file (a protocol's control marks, its signing record) go through `edit_file`: an OS advisory
lock serialises protokol's own writers (`locked`), and the bytes read at the start are compared with the file just
before it is replaced, so a change saved meanwhile by something that takes no lock (an editor) is refused, not lost.
Lock files: `<archive>/.protokol-cache/locks/<hash of the resolved path>.lock` (the archive of the resolved file;
`.protokol-cache/` is gitignored, so `git status` stays clean), or a hidden `.<name>.lock` beside a file outside
any archive. The lock belongs to the open file description: it dies with its process (kill -9 leaves no stale lock),
and the empty lock files are left in place (removing one would let two processes lock two different files).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from .i18n import _

LOCKS_DIR = ".protokol-cache/locks"


class WriteRefused(Exception):
    """A write protokol will not do (a kept file exists, a read-only file, a change made meanwhile): the message and
    hint are for the user; the CLI prints them and exits 1."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


# --- modes, folders ---------------------------------------------------------------------------------------------------

def umask() -> int:
    """The process's umask. Linux tells it in /proc without changing it (no window for another thread's files)."""
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_file_mode() -> int:
    return 0o666 & ~umask()


def _sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable. POSIX only: Windows cannot open a folder this way (and its rename is
    journalled by NTFS)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def target_of(path: Path) -> Path:
    """The file a write to `path` changes: a symlink's target (the link is kept), else `path` itself."""
    return Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)


def _temp_beside(target: Path, data: bytes, mode: int) -> Path:
    """A temporary file next to `target` holding `data` on disk (fsynced) with `mode`."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def _as_bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def _refuse_read_only(target: Path, st: os.stat_result) -> None:
    # the owner's write bit, not os.access alone: root may write anything, yet a 0444 file says "leave me as I am"
    if not st.st_mode & stat.S_IWUSR or not os.access(target, os.W_OK):
        raise WriteRefused(_("{file} is read-only; it was not changed.").format(file=_shown(target)),
                           _("Make it writable first (chmod u+w) if it should change."))


# --- writing one file -------------------------------------------------------------------------------------------------

def create_new(path: Path, data: bytes | str) -> None:
    """Create `path` holding `data`, with the umask's mode; FileExistsError when the name exists, also when another
    process takes it meanwhile: the finished temporary file is hard-linked to the name, which never overwrites."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_beside(path, _as_bytes(data), new_file_mode())
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:  # no hard links on this drive (FAT, some network shares): reserve the name, then move in
            with open(path, "xb"):
                pass
            os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    _sync_folder(path.parent)


def replace_file(path: Path, data: bytes | str, expected: bytes | None = None) -> None:
    """Replace the file at `path` (or its symlink's target) with `data`, keeping its mode. With `expected`, the file
    must still hold exactly those bytes (checked just before the rename), else WriteRefused and the file stays as it
    is. A missing file is created with the umask's mode."""
    target = target_of(Path(path))
    try:
        st = os.stat(target)
    except FileNotFoundError:
        if expected is not None:
            raise WriteRefused(_("{file} was removed while protokol was changing it; nothing was written.").format(
                file=_shown(target))) from None
        st = None
    if st is not None:
        _refuse_read_only(target, st)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_beside(target, _as_bytes(data), stat.S_IMODE(st.st_mode) if st is not None else new_file_mode())
    try:
        if expected is not None:
            _require_unchanged(target, expected)
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    _sync_folder(target.parent)


def _require_unchanged(target: Path, expected: bytes) -> None:
    try:
        now = target.read_bytes()
    except FileNotFoundError:
        now = None
    if now != expected:
        raise WriteRefused(
            _("{file} was changed by another program while protokol was editing it; nothing was written, "
              "the file stays as the other program left it.").format(file=_shown(target)),
            _("Save and close the file in your editor, then run the command again."))


def write_kept(path: Path, data: bytes | str, force: bool = False, option: str = "--force") -> None:
    """Write a file a person keeps: a new one, or over an existing one only with `force` (mode kept, symlink
    followed). Without it an existing file is refused with a message naming the file and `option`."""
    if force:
        replace_file(path, data)
        return
    try:
        create_new(path, data)
    except FileExistsError:
        raise WriteRefused(_("{file} exists; it is not overwritten.").format(file=_shown(Path(path))),
                           _("Pass {option} to overwrite it.").format(option=option)) from None


def replace_artifact(path: Path, data: bytes | str) -> None:
    """Replace a regenerated artifact (an export file) whole, or create it: no --force, the command owns it."""
    replace_file(path, data)


def replace_folder(path: Path, build: Callable[[Path], None]) -> None:
    """Replace a regenerated folder (a site, an outbox) whole: `build(folder)` fills a temporary sibling folder,
    which then takes the name. When `build` fails, the old folder stays untouched. The swap is two renames (the old
    folder moved aside, the new one in): readers see the old folder, then the new one, and for an instant none."""
    path = Path(path)
    if path.exists() and not path.is_dir():  # a file of the user's under the folder's name: never swapped away
        raise WriteRefused(_("{file} is a file, not a folder; it is left as it is.").format(file=_shown(path)),
                           _("Name a folder (a new one, or one protokol made before)."))
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".new"))
    old = fresh.with_name(fresh.name[: -len(".new")] + ".old")  # unique as `fresh` is; Windows renames a folder
    moved = False  # only to a name that does not exist
    try:
        os.chmod(fresh, 0o777 & ~umask())  # mkdtemp makes 0700
        build(fresh)
        if path.exists():
            os.replace(path, old)
            moved = True
        os.replace(fresh, path)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        if moved and not path.exists():
            os.replace(old, path)  # the new one could not take the name: the old one gets it back
        raise
    if moved:
        shutil.rmtree(old, ignore_errors=True)
    _sync_folder(path.parent)


def write_unseen(path: Path, data: bytes | str) -> None:
    """A file inside a folder `replace_folder` is building, which nobody reads before the swap: written plainly,
    without the fsync of each file (a site of 20,000 pages would spend most of its time in them); `sync_unseen`
    makes the whole folder durable once, before the swap."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as fh:
        fh.write(_as_bytes(data))  # open() gives a new file the umask's mode


def sync_unseen() -> None:
    """Everything written with `write_unseen` on disk, at once (os.sync where the OS has it)."""
    if hasattr(os, "sync"):
        os.sync()


def remove_artifact(path: Path) -> None:
    """Remove a regenerated file its command no longer makes (a removed protocol's page); a missing one is fine."""
    path = Path(path)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
        _sync_folder(path.parent)


# --- edits under a lock -----------------------------------------------------------------------------------------------

def lock_path(target: Path) -> Path:
    """Where the lock of the (resolved) file `target` lives: see the module's docstring."""
    from .paths import ArchiveNotFound, find_root

    resolved = Path(os.path.realpath(target))
    try:
        root = find_root(resolved.parent)
    except ArchiveNotFound:
        return resolved.parent / f".{resolved.name}.lock"
    key = hashlib.sha256(str(resolved).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return root / LOCKS_DIR / f"{key}.lock"


@contextlib.contextmanager
def locked(path: Path) -> Iterator[Path]:
    """Hold the advisory lock of the file at `path` (waiting for another protokol process to finish its edit);
    yields the file to edit (a symlink's target)."""
    target = target_of(Path(path))
    lock = lock_path(target)
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, new_file_mode())
    try:
        _lock(fd)
        yield target
    finally:
        os.close(fd)  # closing releases the lock; so does the end of the process, however it ends


if sys.platform == "win32":
    def _lock(fd: int) -> None:
        import msvcrt

        while True:  # LK_LOCK gives up after 10 tries of a second each: keep waiting, as flock does
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                return
            except OSError:
                continue
else:
    def _lock(fd: int) -> None:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)


def edit_file(path: Path, change: Callable[[bytes], bytes | None]) -> bytes | None:
    """Edit a file a person keeps, serialised with every other protokol edit of it: under the lock, read it, let
    `change(old bytes)` compute the new bytes (None: leave the file as it is), and replace it only if it still holds
    the bytes read. Returns what was written, or None."""
    with locked(path) as target:
        before = target.read_bytes()
        after = change(before)
        if after is None:
            return None
        replace_file(target, after, expected=before)
        return after

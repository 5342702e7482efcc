"""Finding an archive and loading its protocol files into the model, problems collected as values."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .i18n import _
from .problems import ERROR, Collector, Problem

if TYPE_CHECKING:  # the YAML reader, the schema and the model load only when a file is read: `protokol due` on a
    from . import model as m  # warm cache and find_root() need none of them

PROTOCOLS_DIR = "protocols"
SETTINGS_FILE = "protokol.yaml"


class ArchiveNotFound(Exception):
    pass


def find_root(start: Path | None = None) -> Path:
    """The archive folder: the nearest folder, from `start` upward, holding protokol.yaml or protocols/."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS_FILE).is_file() or (folder / PROTOCOLS_DIR).is_dir():
            return folder
    raise ArchiveNotFound(str(here))


def protocol_files(paths: list[Path]) -> list[Path]:
    """Every .yaml/.yml file named, or found below the folders named, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                found.extend(Path(dirpath) / f for f in sorted(filenames) if f.endswith((".yaml", ".yml")))
        else:
            found.append(path)
    return found


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the current folder when below it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def protocol_id(path: Path | str) -> str:
    name = os.path.basename(path)
    for suffix in (".yaml", ".yml"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def load_protocol(path: Path | str, display: str | None = None, lean: bool = False
                  ) -> tuple[m.Protocol | None, list[Problem]]:
    """One file -> a Protocol (None when it cannot be read or lacks what a protocol needs) and its problems.

    `lean` (for query.index_protocol only): a clean file's participants, speeches, votes, sections and signatures
    are checked but not built (None); a file with any problem is read in full, as without it."""
    from .yamlio import read_bytes

    shown = display or display_path(Path(path))
    out = Collector(shown)
    data = read_bytes(path, out)
    if data is None:
        return None, out.problems
    return _protocol_from_bytes(data, path, out, lean)


def protocol_from_text(data: bytes | str, path: str, display: str | None = None) -> tuple[m.Protocol | None, list[Problem]]:
    """A protocol from content already in memory (a version from git, the staged file), read as strictly as a file.

    `path` gives the id (its file name) and the protocol's path; `display` names it in problems.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return _protocol_from_bytes(raw, Path(path), Collector(display or path))


def _protocol_from_bytes(data: bytes, path: Path | str, out: Collector, lean: bool = False
                         ) -> tuple[m.Protocol | None, list[Problem]]:
    from .schema import INVALID, LEAN_PROTOCOL, PROTOCOL, Unclean, with_identity
    from .yamlio import Mapping, parse_bytes

    tree, _text = parse_bytes(data, out)
    if tree is None:
        return None, out.problems
    if not isinstance(tree, Mapping):
        out.add(tree.pos, "yaml-not-mapping",
                _("A protocol file must be a mapping of keys (date:, title:, …), not a list or a single value."),
                _("Start the file with `date: YYYY-MM-DD` at the left margin; see docs/format.md."))
        return None, out.problems
    if not out.problems:  # nearly every file: built without the bookkeeping that names problems
        try:
            built = (LEAN_PROTOCOL if lean else PROTOCOL).quick(tree)
            return with_identity(built, protocol_id(path), out.file), out.problems
        except Unclean:
            pass
    built = PROTOCOL.convert(tree, out)
    # A file with a reading error (a duplicate key, an unknown key, a value of the wrong type) would be only half
    # read: the model would differ from the file. No command may list, render or edit such a protocol.
    if built is INVALID or any(p.severity == ERROR for p in out.problems):
        return None, out.problems
    return with_identity(built, protocol_id(path), out.file), out.problems


@dataclass
class Archive:
    root: Path | None
    protocols: list[m.Protocol] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def by_id(self, pid: str) -> m.Protocol | None:
        for p in self.protocols:
            if p.id == pid:
                return p
        return None


def load_archive(paths: list[Path], use_cache: bool = False, root: Path | None = None) -> Archive:
    """Load every protocol file below `paths`; problems of all files are gathered, none is raised.

    With `use_cache`, parsed files are kept in `<root>/.protokol-cache/` (cache.py; root found from the first path
    when not given, no cache outside an archive) and a cold load of many files uses a process per core."""
    archive = Archive(root=root)
    archive.files = protocol_files(paths)
    if use_cache or len(archive.files) >= 48:
        from .cache import load_protocols

        if use_cache and root is None and paths:
            root = cache_root(paths[0])
        loaded = load_protocols(archive.files, root, use_cache=use_cache)
    else:
        loaded = (load_protocol(path) for path in archive.files)
    for protocol, problems in loaded:
        archive.problems.extend(problems)
        if protocol is not None:
            archive.protocols.append(protocol)
    return archive


def cache_root(path: Path) -> Path | None:
    """The archive a path belongs to (its cache lives there), or None."""
    try:
        return find_root(path if path.is_dir() else path.parent)
    except ArchiveNotFound:
        return None

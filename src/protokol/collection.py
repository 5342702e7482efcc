"""A collection of protocol files loaded at once (check, list, people): problems of all files gathered, none raised.

Many files, or `use_cache`, go through the cache (cache.py) and a process per core; a few are read one by one."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .load import load_protocol
from .paths import cache_root, protocol_files
from .problems import Problem

if TYPE_CHECKING:
    from . import model as m

@dataclass
class Collection:
    root: Path | None
    protocols: list[m.Protocol] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def by_id(self, pid: str) -> m.Protocol | None:
        for p in self.protocols:
            if p.id == pid:
                return p
        return None


def load_collection(paths: list[Path], use_cache: bool = False, root: Path | None = None) -> Collection:
    """Load every protocol file below `paths`; problems of all files are gathered, none is raised.

    With `use_cache`, parsed files are kept in `<root>/.protokol-cache/` (cache.py; root found from the first path
    when not given, no cache outside an archive) and a cold load of many files uses a process per core."""
    archive = Collection(root=root)
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

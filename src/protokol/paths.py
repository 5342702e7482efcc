"""Where things are: the archive's folder, its protocol files, and how paths are shown to the user."""

from __future__ import annotations

import os
from pathlib import Path

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


def cache_root(path: Path) -> Path | None:
    """The archive a path belongs to (its cache lives there), or None."""
    try:
        return find_root(path if path.is_dir() else path.parent)
    except ArchiveNotFound:
        return None

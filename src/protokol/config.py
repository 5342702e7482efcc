"""An archive's configuration: protokol.yaml and people.yaml, read together with the same strict loader as
protocols."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Config:
    """protokol.yaml and people.yaml of an archive, read with the same strict loader as protocols."""

    settings: object  # settings.Settings
    directory: object  # people.Directory
    problems: list = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # those of the two that exist


def load_config(root: Path | None) -> Config:
    from .people import PEOPLE_FILE, load_people
    from .settings import SETTINGS_FILE, load_settings

    settings, settings_problems = load_settings(root)
    directory, people_problems = load_people(root)
    files = [root / name for name in (SETTINGS_FILE, PEOPLE_FILE) if root is not None and (root / name).is_file()]
    return Config(settings, directory, settings_problems + people_problems, files)


def root_of(path: Path) -> Path | None:
    """The archive a file or folder belongs to, or None."""
    from .paths import ArchiveNotFound, find_root

    try:
        return find_root(path if path.is_dir() else path.parent)
    except ArchiveNotFound:
        return None

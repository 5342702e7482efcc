"""Where templates come from: --templates DIR, then the archive's templates/, then the built-ins inside the package.

As in datasette, a user template may extend the built-in one of the same name through the `default:` prefix:
`{% extends "default:protocol.md.j2" %}` and override only the blocks it wants to change.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "templates"
ARCHIVE_TEMPLATES = "templates"
DEFAULT_PREFIX = "default"

# The templates rendering uses, by output format.
TEMPLATES = {"md": "protocol.md.j2", "docx": "protocol.docx"}

BUILTIN, ARCHIVE, OPTION = "built-in", "archive", "--templates"


@dataclass(frozen=True)
class SearchPath:
    """The folders searched for templates, first match wins: [(origin, folder), …] ending with the built-ins."""

    folders: tuple[tuple[str, Path], ...]

    @property
    def user_folders(self) -> list[Path]:
        return [folder for origin, folder in self.folders if origin != BUILTIN]


def search_path(root: Path | None, option_dir: Path | None = None) -> SearchPath:
    folders: list[tuple[str, Path]] = []
    if option_dir is not None:
        folders.append((OPTION, option_dir))
    if root is not None and (root / ARCHIVE_TEMPLATES).is_dir():
        folders.append((ARCHIVE, root / ARCHIVE_TEMPLATES))
    folders.append((BUILTIN, BUILTIN_DIR))
    return SearchPath(tuple(folders))


@dataclass(frozen=True)
class Resolved:
    name: str
    origin: str
    path: Path
    shadowed: tuple[tuple[str, Path], ...] = ()  # (origin, file) of the same name this one overrides


def resolve(name: str, search: SearchPath) -> Resolved | None:
    """The file a template name resolves to (`default:NAME` always means the built-in one), or None."""
    if name.startswith(DEFAULT_PREFIX + ":"):
        path = BUILTIN_DIR / name.split(":", 1)[1]
        return Resolved(name, BUILTIN, path) if path.is_file() else None
    hits = [(origin, folder / name) for origin, folder in search.folders if (folder / name).is_file()]
    if not hits:
        return None
    origin, path = hits[0]
    return Resolved(name, origin, path, tuple(hits[1:]))


def listing(search: SearchPath) -> list[Resolved]:
    """Every template a user can override, and any extra file in the user folders (partials a template includes)."""
    names = set(TEMPLATES.values())
    names.update(p.name for p in BUILTIN_DIR.iterdir() if p.is_file() and not p.name.startswith((".", "_")))
    for folder in search.user_folders:
        if folder.is_dir():
            # a README beside the templates is their documentation (the example archive's templates/ has one), not one
            names.update(p.name for p in folder.iterdir()
                         if p.is_file() and not p.name.startswith(".") and not p.name.upper().startswith("README"))
    out = []
    for name in sorted(names):
        found = resolve(name, search)
        if found is not None:
            out.append(found)
    return out


def jinja_loader(search: SearchPath):
    """A Jinja loader over the search path that also answers `default:NAME` with the built-in template."""
    from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader

    return ChoiceLoader([
        PrefixLoader({DEFAULT_PREFIX: FileSystemLoader(str(BUILTIN_DIR))}, delimiter=":"),
        FileSystemLoader([str(folder) for _origin, folder in search.folders]),
    ])

"""Reading one protocol file (or its content from git) into the model, problems collected as values."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .i18n import _
from .paths import display_path, protocol_id
from .problems import ERROR, Collector, Problem

if TYPE_CHECKING:  # the YAML reader, the schema and the model load only when a file is read: `protokol due` on a
    from . import model as m  # a warm cache needs none of them

def load_protocol(path: Path | str, display: str | None = None, lean: bool = False
                  ) -> tuple[m.Protocol | None, list[Problem]]:
    """One file -> a Protocol (None when it cannot be read or lacks what a protocol needs) and its problems.

    `lean` (for index.index_protocol only): a clean file's participants, speeches, votes, sections and signatures
    are checked but not built (None); a file with any problem is read in full, as without it."""
    from .yamlio import read_bytes

    shown = display or display_path(Path(path))
    out = Collector(shown)
    data = read_bytes(path, out)
    if data is None:
        return None, out.problems
    return _protocol_from_bytes(data, path, out, lean)


def protocol_from_text(data: bytes | str, path: str, display: str | None = None, lean: bool = False
                       ) -> tuple[m.Protocol | None, list[Problem]]:
    """A protocol from content already in memory (a version from git, the staged file, the bytes the cache hashed),
    read as strictly as a file.

    `path` gives the id (its file name) and the protocol's path; `display` names it in problems; `lean` as for
    load_protocol.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return _protocol_from_bytes(raw, path, Collector(display or path), lean)  # the id is its file name's, str or Path


def _protocol_from_bytes(data: bytes, path: Path | str, out: Collector, lean: bool = False
                         ) -> tuple[m.Protocol | None, list[Problem]]:
    from .schema import LEAN_PROTOCOL, PROTOCOL, with_identity
    from .spec import INVALID, Unclean
    from .yamlio import Mapping, parse_bytes

    tree, _text = parse_bytes(data, out, keep_text=False)
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
            return with_identity(built, protocol_id(path), out.file, fresh=True), out.problems
        except Unclean:
            pass
    built = PROTOCOL.convert(tree, out)
    # A file with a reading error (a duplicate key, an unknown key, a value of the wrong type) would be only half
    # read: the model would differ from the file. No command may list, render or edit such a protocol.
    if built is INVALID or any(p.severity == ERROR for p in out.problems):
        return None, out.problems
    return with_identity(built, protocol_id(path), out.file, fresh=True), out.problems

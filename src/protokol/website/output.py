"""Writing the site folder: whole the first time, then only what changed.

A first build (no folder, or an empty one) fills a new folder and swaps it in (`writing.replace_folder`): readers
see the old site or the new one. Later builds keep the folder and compare each page with what the manifest
(`.protokol-site.json`) says was written: a page whose inputs' key is unchanged is not even made (a protocol page,
its DOCX and PDF: the key is the digest of the file and of everything else it shows), a page made anew is written
only when its bytes differ from the last ones (each write atomic, `writing.replace_artifact`), and a page the
manifest lists that this build does not make (a removed protocol's, a person who owes nothing now) is removed. The
manifest is written last: a build stopped halfway leaves pages the next build recognises by their content.

A folder that exists, is not empty and has no manifest is not a site protokol built (`-o .` by mistake): refused.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import _
from ..writing import WriteRefused, remove_artifact, replace_artifact, replace_folder, sync_unseen, write_unseen

MANIFEST = ".protokol-site.json"
FORMAT = 1


@dataclass(frozen=True)
class Page:
    path: str  # relative to the site folder, with /
    make: Callable[[], bytes]
    key: str | None = None  # digest of the inputs: unchanged (and the file there) means not made again
    # A page made in a batch with others (PDFs: one LibreOffice call for all): `make` gives its source (the DOCX),
    # and `batch` turns the sources of every page of the build that needs making into their pages, in order. A
    # source with the bytes of the last build's (the digest is kept) is not converted again.
    batch: Callable[[list[bytes]], list[bytes]] | None = None


@dataclass
class Outcome:
    fresh: bool = False  # the folder was built whole
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()[:32]


def _read_manifest(folder: Path) -> dict | None:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("pages"), dict):
        return None
    # only names this module writes: a manifest edited to name ../../something must not make a build remove it
    return {path: entry for path, entry in data["pages"].items() if _inside(path) and isinstance(entry, list)
            and len(entry) >= 2}


def _inside(path: str) -> bool:
    parts = path.split("/")
    return bool(path) and not path.startswith("/") and "\\" not in path and all(p not in ("", ".", "..") for p in parts)


def _manifest(pages: dict[str, list]) -> bytes:
    return json.dumps({"format": FORMAT, "pages": pages}, ensure_ascii=False, sort_keys=True, indent=0).encode("utf-8")


def publish(folder: Path, pages: Iterable[Page]) -> Outcome:
    """Make `folder` hold exactly `pages` (and the manifest), writing as little as it can."""
    folder = Path(folder)
    old = _read_manifest(folder)
    if old is None and folder.is_dir() and any(folder.iterdir()):
        raise WriteRefused(_("{folder} is not empty and is not a site protokol built; it is left as it is.").format(
            folder=folder), _("Choose another folder with -o, or empty this one."))
    if old is None or not folder.is_dir():
        return _fresh(folder, pages)
    return _update(folder, pages, old)


def _fresh(folder: Path, pages: Iterable[Page]) -> Outcome:
    outcome = Outcome(fresh=True)
    listed: dict[str, list] = {}

    def build(new: Path) -> None:
        waiting: dict = {}
        for page in pages:
            data = page.make()
            if page.batch is not None:
                waiting.setdefault(page.batch, []).append((page, data))
                continue
            write_unseen(new / page.path, data)
            listed[page.path] = [page.key, digest(data)]
            outcome.written.append(page.path)
        for batch, group in waiting.items():
            for (page, source), data in zip(group, batch([source for _p, source in group]), strict=True):
                write_unseen(new / page.path, data)
                listed[page.path] = [page.key, digest(data), digest(source)]
                outcome.written.append(page.path)
        write_unseen(new / MANIFEST, _manifest(listed))
        sync_unseen()

    replace_folder(folder, build)
    return outcome


def _update(folder: Path, pages: Iterable[Page], old: dict) -> Outcome:
    outcome = Outcome()
    listed: dict[str, list] = {}
    waiting: dict = {}
    for page in pages:
        before = old.get(page.path)
        there = os.path.isfile(folder / page.path)
        if before and page.key is not None and before[0] == page.key and there:
            listed[page.path] = before
            outcome.unchanged += 1
            continue
        data = page.make()
        if page.batch is not None:
            if before and len(before) > 2 and before[2] == digest(data) and there:
                listed[page.path] = [page.key, *before[1:]]  # the same source: its page stands
                outcome.unchanged += 1
            else:
                waiting.setdefault(page.batch, []).append((page, data))
            continue
        listed[page.path] = [page.key, digest(data)]
        _settle(folder, page.path, data, before, there, outcome)
    for batch, group in waiting.items():
        for (page, source), data in zip(group, batch([source for _p, source in group]), strict=True):
            listed[page.path] = [page.key, digest(data), digest(source)]
            _settle(folder, page.path, data, old.get(page.path), os.path.isfile(folder / page.path), outcome)
    for path in sorted(set(old) - set(listed)):
        remove_artifact(folder / path)
        outcome.removed.append(path)
    if listed != old:
        replace_artifact(folder / MANIFEST, _manifest(listed))
    return outcome


def _settle(folder: Path, path: str, data: bytes, before: list | None, there: bool, outcome: Outcome) -> None:
    """Write a page made anew, unless the file holds these bytes already."""
    if before and before[1] == digest(data) and there:
        outcome.unchanged += 1
        return
    replace_artifact(folder / path, data)
    outcome.written.append(path)

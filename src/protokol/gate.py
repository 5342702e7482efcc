"""The gate: whether a set of protocol files is acceptable. `check`, `sign`, `new`, `import`, the pre-commit hook and CI
ask this one function, so that none of them lets through what another refuses.

A verdict covers, for each file judged: YAML, schema and meaning (checks.check_protocol with the archive's
protokol.yaml), names against people.yaml (people.check_names), references between protocols and unique ids
(checks.check_archive, over the whole archive), and signatures (with the fields changed since signing, from git).

Files are judged in the context of their archive. `contents` puts versions that are not on disk into it: a staged
file, a draft `new` is about to write, an imported protocol. A path in `contents` replaces the file of that path in
the working tree (or adds it); `None` takes it out of the set (a staged deletion, a file git does not track). The
pre-commit hook uses this to judge the index, what the commit will hold: every file git tracks under protocols/,
read from the working tree where it equals the index (and so through the cache) and from the index where not;
untracked files are left out. protokol.yaml and people.yaml are always read from the working tree.

Problems are values, sorted; nothing is printed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .checks import Summary, check_summaries, summarize
from .i18n import _
from .paths import PROTOCOLS_DIR, Displays, display_path, protocol_files, protocol_id, protocol_paths
from .problems import ERROR, Problem

if TYPE_CHECKING:
    from . import model as m
    from .collection import Collection


@dataclass(frozen=True)
class Verdict:
    problems: tuple[Problem, ...]  # sorted by file, line, column
    checked: int  # how many files were judged (protokol.yaml and people.yaml count when the whole archive is)
    sources: Mapping[str, bytes] = field(default_factory=dict)  # display path -> the content judged, when not on disk

    def errors(self, strict: bool = False) -> list[Problem]:
        return [p for p in self.problems if strict or p.severity == ERROR]

    def refused(self, strict: bool = False) -> bool:
        return bool(self.errors(strict))

    def of(self, path: Path) -> Verdict:
        """The problems of one file alone. `new`, `import` and `sign` judge by these: adding a file cannot break a
        reference elsewhere that was not broken before, and a reference still waiting for this file is no reason not
        to write it."""
        shown = display_path(path)
        return Verdict(tuple(p for p in self.problems if p.file == shown), 1,
                       {k: v for k, v in self.sources.items() if k == shown})


@dataclass
class _Set:
    """The versions judged together: display path -> protocol (None when it cannot be read) and its reading problems."""

    protocols: dict[str, m.Protocol | None]  # the versions judged in full
    problems: dict[str, list[Problem]]
    removed: set[str]
    inside: set[str]  # those in the archive's protocols/ (all of them when there is no archive)
    others: dict[str, Summary] = field(default_factory=dict)  # the rest of the archive, as the checks across files see it


def judge(root: Path | None, today: date, targets: Iterable[Path] | None = None,
          contents: Mapping[Path, bytes | str | None] | None = None, *, use_cache: bool = True,
          loaded: Collection | None = None, explain: bool = True) -> Verdict:
    """Judge `targets` (files, or folders searched for .yaml/.yml; None: the whole archive, its protokol.yaml and
    people.yaml included) within the archive at `root` (None: the targets alone).

    `loaded`: the archive's protocols/ as the caller has loaded it already, to save a second reading. `explain`:
    name the fields changed since signing, from git history."""
    from .cache import collector_off
    from .checks import check_protocol
    from .config import load_config
    from .people import check_names

    contents = {display_path(Path(k)): v for k, v in (contents or {}).items()}
    whole = targets is None
    target_paths = protocol_files(list(targets)) if targets is not None else []
    config = load_config(root)
    problems: list[Problem] = list(config.problems) if whole else []
    if whole and use_cache and loaded is None and not contents and root is not None:
        return _judge_archive(root, today, config, problems, explain)
    school_year = config.settings.school_year()
    with collector_off():  # an archive's worth of protocols in memory: see cache.collector_off
        versions = _versions(root, target_paths, contents, use_cache, loaded, whole)
        wanted = set(versions.protocols) if whole else {display_path(p) for p in target_paths}
        for shown in wanted:
            problems += versions.problems.get(shown, [])
            protocol = versions.protocols.get(shown)
            if protocol is not None:
                problems += check_protocol(protocol, today, school_year)
                problems += check_names(protocol, config.directory)
        problems += _archive_problems(versions, wanted, config.settings.numbering)
        judged = [p for p in versions.protocols.values() if p is not None]
        del versions  # the archive's summaries let go while the collector is paused: else its first pass walks them
    if explain and any(p.code == "signature-mismatch" for p in problems):
        problems = explain_signature_problems(problems, judged, today)
    checked = len(wanted) + (len(config.files) if whole else 0)
    sources = {k: v.encode("utf-8") if isinstance(v, str) else v for k, v in contents.items() if v is not None}
    return Verdict(tuple(sorted(problems, key=Problem.sort_key)), checked, sources)


def _judge_archive(root: Path, today: date, config, problems: list[Problem], explain: bool) -> Verdict:
    """`judge` of a whole archive on disk, through the cache of each file's problems and summary (cache.load_checked):
    a file unchanged since a check of the same day with the same settings is not read, let alone checked; the checks
    across files run over the summaries. The same verdict as reading everything."""
    from .cache import collector_off, load_checked

    folder = root / PROTOCOLS_DIR
    listing = protocol_paths(folder) if folder.is_dir() else []

    def compute(paths: list[str]) -> list[tuple]:
        from .checks import check_protocol
        from .collection import load_collection
        from .people import check_names

        school_year = config.settings.school_year()  # (the deadline grammar: imported only when a file is checked)
        batch = load_collection([Path(p) for p in paths], use_cache=True, root=root)
        found: dict[str, list[Problem]] = {}
        for problem in batch.problems:
            found.setdefault(problem.file, []).append(problem)
        summaries = {}
        for protocol in batch.protocols:
            found.setdefault(protocol.path, []).extend(check_protocol(protocol, today, school_year)
                                                       + check_names(protocol, config.directory))
            summaries[protocol.path] = summarize(protocol)
        return [(found.get(display_path(p), []), summaries.get(display_path(p))) for p in paths]

    context = (today.toordinal(), *(_digest(root / f.name) for f in config.files), tuple(f.name for f in config.files))
    with collector_off():  # the summaries too: an archive's worth of small objects kept, none in a cycle
        problems += _across(listing, load_checked(listing, root, context, compute), config.settings.numbering)
        # (the cached records are let go here, while the collector is paused: else its first pass walks them all)
    if explain and any(p.code == "signature-mismatch" for p in problems):
        from .collection import load_collection

        mismatched = sorted({p.file for p in problems if p.code == "signature-mismatch"})
        protocols = load_collection([Path(f) for f in mismatched], use_cache=True, root=root).protocols
        problems = explain_signature_problems(problems, protocols, today)
    return Verdict(tuple(sorted(problems, key=Problem.sort_key)), len(listing) + len(config.files), {})


def _across(listing: list[str], checked: list[tuple], numbering: str) -> list[Problem]:
    """Each file's cached problems, under the path shown today, and the checks across files over the summaries."""
    shown_as = Displays()
    problems, summaries = [], []
    for path, (found, summary) in zip(listing, checked, strict=True):
        shown = shown_as(path)
        problems += found if all(p.file == shown for p in found) else [replace(p, file=shown) for p in found]
        if summary is not None:
            summaries.append(summary if summary.path == shown else summary._replace(path=shown))
    return problems + check_summaries(summaries, numbering)


def _digest(path: Path) -> bytes | None:
    from .cachekeys import file_digest

    return file_digest(path, 1 << 24)


def _versions(root: Path | None, targets: list[Path], contents: dict[str, bytes | str | None], use_cache: bool,
              loaded: Collection | None, whole: bool) -> _Set:
    """The targets and `contents` read in full; the rest of the archive read in full too when the whole archive is
    judged, else only as summaries (from what the caller loaded, or from `due`'s index: no other file is parsed)."""
    folder = root / PROTOCOLS_DIR if root is not None else None
    listing = protocol_files([folder]) if folder is not None and folder.is_dir() else []
    shown_as = Displays()
    on_disk = {shown_as(p): p for p in listing}
    inside = set(on_disk)
    for path in targets:
        on_disk.setdefault(display_path(path), path)
    inside |= {shown for shown in (*on_disk, *contents) if shown not in inside and _below(shown, folder)}
    versions = _Set({}, {}, {k for k, v in contents.items() if v is None}, inside)
    from_disk = {shown: path for shown, path in on_disk.items() if shown not in contents}
    judged = {display_path(p) for p in targets}
    full = from_disk if whole else {shown: path for shown, path in from_disk.items() if shown in judged}
    rest = {shown: path for shown, path in from_disk.items() if shown not in full}
    # a part of the archive read through the cache would leave the cache holding that part alone
    _read_full(versions, full, root, use_cache and whole, loaded)
    if rest:
        versions.others = _summaries(rest, root, use_cache, loaded)
    for shown, data in contents.items():
        if data is not None:
            from .load import protocol_from_text

            protocol, found = protocol_from_text(data, shown, shown)
            versions.protocols[shown], versions.problems[shown] = protocol, found
    if rest:
        _previous_in_full(versions, rest)
    return versions


def _previous_in_full(versions: _Set, rest: dict[str, Path]) -> None:
    """The summaries made from `due`'s index know no participants: the previous meeting of each judged protocol's
    series is summarized from its file (one file each), for the check of a secretary left in `present`."""
    from .load import load_protocol
    from .series import series_key

    for protocol in versions.protocols.values():
        if protocol is None or protocol.participants.secretary is None:
            continue
        key = series_key(protocol.title)
        earlier = [s for s in versions.others.values() if s.series == key and s.date < protocol.date]
        last = max(earlier, key=lambda s: (s.date, s.id), default=None)
        if last is not None and last.secretary is None and last.path in rest:
            full, _problems = load_protocol(rest[last.path], display=last.path)
            if full is not None:
                versions.others[last.path] = summarize(full)


def _read_full(versions: _Set, files: dict[str, Path], root: Path | None, use_cache: bool,
               loaded: Collection | None) -> None:
    from .collection import load_collection

    batches = [loaded] if loaded is not None else []
    known = set(loaded.files) if loaded is not None else set()
    missing = [path for path in files.values() if path not in known]  # e.g. written since the caller loaded
    if missing:  # a few files beside what the caller loaded go around the cache, which keeps the whole archive
        batches.append(load_collection(missing, use_cache=use_cache and loaded is None, root=root))
    versions.protocols.update(dict.fromkeys(files))
    for batch in batches:
        for problem in batch.problems:
            if problem.file in files:
                versions.problems.setdefault(problem.file, []).append(problem)
        for protocol in batch.protocols:
            if protocol.path in files:
                versions.protocols[protocol.path] = protocol


def _summaries(files: dict[str, Path], root: Path | None, use_cache: bool, loaded: Collection | None
               ) -> dict[str, Summary]:
    """The files not judged, as summaries: a file that cannot be read has none (as in a whole check)."""
    if loaded is not None:
        found = {p.path: summarize(p) for p in loaded.protocols if p.path in files}
        known = set(loaded.files)  # once: a set made per file would cost the square of the archive's size
        missing = [path for shown, path in files.items() if shown not in found and path not in known]
        if missing:
            from .collection import load_collection

            found.update((p.path, summarize(p)) for p in load_collection(missing, root=root).protocols)
        return found
    from .cache import checked_summaries, load_index
    from .index import day_of
    from .series import series_key

    found, left = {}, dict(files)
    if use_cache and root is not None:  # what a whole `check` kept, when it did: no index of `due` to read then
        kept = checked_summaries(list(files.values()), root)
        for shown, path in files.items():
            if path in kept:
                del left[shown]
                s = kept[path]  # (as much as the index gives: the verdict must not depend on what is cached)
                if s is not None:
                    found[shown] = Summary(s.id, shown, s.date, s.decisions, s.acts, s.series, s.number)
    index = load_index([root / PROTOCOLS_DIR], root, use_cache) if root is not None and left else None
    ids = {protocol_id(shown) for shown in left}  # a file's entries are read only for the files left
    for i in range(len(index.pids) if index is not None else 0):
        if index.pids[i] not in ids:
            continue
        f = index.file(i)
        meeting = f.meeting
        if meeting.file not in left:
            continue
        pid = meeting.id  # the compact parts of the index, not its entries: ten times cheaper on a large archive
        acts = tuple((f"{pid}/{key}", target, action, day_of(to), line, col)
                     for key, _text, target, action, to, line, col in f.acts)
        found[meeting.file] = Summary(pid, meeting.file, meeting.date, tuple(f"{pid}/{k}" for k in f.positions()), acts,
                                      series_key(meeting.title), meeting.number)
    return found


def _archive_problems(versions: _Set, wanted: set[str], numbering: str) -> list[Problem]:
    """Ids and references across the archive, kept for the judged files and for every file that refers to one of them
    or to a file taken out: renumbering a decision, renaming or deleting a protocol breaks references elsewhere.

    A file outside the archive's protocols/ (`import -o review/`, `check other/x.yaml`) refers to the archive's
    decisions but takes no id in it: its id may repeat one of protocols/ (it is a copy under review)."""
    changed = {protocol_id(shown) for shown in wanted | versions.removed}
    readable = [(shown, summarize(p)) for shown, p in versions.protocols.items() if p is not None]
    readable += list(versions.others.items())
    outside = [s for shown, s in readable if shown not in versions.inside]
    inside = [(shown, s) for shown, s in readable if shown in versions.inside]
    # the judged files last, so that an id they share with another file is reported in them
    ordered = [s for shown, s in inside if shown not in wanted] + [s for shown, s in inside if shown in wanted]
    affected = set(wanted) | {s.path for s in ordered if any(act[1].split("/", 1)[0] in changed for act in s.acts)}
    found = [p for p in check_summaries(ordered, numbering) if p.file in affected]
    if outside:
        away = {s.path for s in outside} & affected
        found += [p for p in check_summaries(outside, numbering) if p.file in away and p.code == "protocol-duplicate-id"]
        # first, so that a copy under review stands for the protocol of the same id when its references are read
        found += [p for p in check_summaries(outside + ordered, numbering) if p.file in away
                  and p.code not in ("protocol-duplicate-id", "number-order", "secretary-in-present")]
    return found


def _below(shown: str, folder: Path | None) -> bool:
    if folder is None:
        return True
    base = os.path.abspath(folder)
    return os.path.abspath(shown).startswith(base + os.sep)


def judge_staged(root: Path, today: date, use_cache: bool = True) -> Verdict:
    """The pre-commit hook's verdict: the protocols staged (added, changed, renamed), judged within the index."""
    from . import gitreview

    gitreview.require_repository(root)
    staged = [rel for rel in gitreview.staged_files(root, [PROTOCOLS_DIR]) if _is_protocol(rel)]
    deleted = [rel for rel in gitreview.staged_deletions(root, [PROTOCOLS_DIR]) if _is_protocol(rel)]
    if not staged and not deleted:
        return Verdict((), 0)
    tracked = {rel for rel in gitreview.index_files(root, [PROTOCOLS_DIR]) if _is_protocol(rel)}
    differ = set(gitreview.unstaged_files(root, [PROTOCOLS_DIR])) | set(staged)
    contents: dict[Path, bytes | None] = {}
    folder = root / PROTOCOLS_DIR
    start = len(str(root)) + 1  # the listing as strings, compared with git's paths: no Path per file
    for path in (protocol_paths(folder) if folder.is_dir() else []):
        if path[start:].replace(os.sep, "/") not in tracked:
            contents[Path(path)] = None  # untracked: not part of the commit
    for rel in tracked & differ:
        contents[root / rel] = gitreview.file_at(root, ":", rel)
    for rel in deleted:
        contents[root / rel] = None  # gone from the commit: a reference to it elsewhere breaks
    return judge(root, today, [root / rel for rel in staged if contents.get(root / rel) is not None], contents,
                 use_cache=use_cache)


def _is_protocol(rel: str) -> bool:
    return rel.endswith((".yaml", ".yml")) and not any(part.startswith(".") for part in rel.split("/")[:-1])


# --- signatures ------------------------------------------------------------------------------------------------------

def signed_version(file: Path, signing: m.Signing) -> m.Protocol | None:
    """The version of `file` that `signing` was made for (its hash by the record's rule), searched in the index and
    the file's git history (renames followed); None when git has no such version or the folder is not in a
    repository."""
    from . import gitreview
    from .load import protocol_from_text
    from .signing import HASH_RULES, content_hash

    rules = HASH_RULES if signing.hash == "v1" else (signing.hash,)
    try:
        top = gitreview.repository_root(file.parent)
        if top is None:
            return None
        rel = os.path.relpath(file.resolve(), top.resolve()).replace(os.sep, "/")
        candidates = [(":", rel)] + [(c.sha, c.path) for c in gitreview.path_log(top, rel, limit=200) if c.status != "D"]
        for rev, path in candidates:
            data = gitreview.file_at(top, rev, path)
            if data is None:
                continue
            protocol, _problems = protocol_from_text(data, path)
            # a v1 record may be a v2 one whose `hash: v2` was deleted: its own version then verifies by v2
            if protocol is not None and any(content_hash(protocol, rule) == signing.sha256 for rule in rules):
                return protocol
    except gitreview.GitError:
        return None
    return None


def explain_signature_problems(problems: list[Problem], protocols: list[m.Protocol], today: date) -> list[Problem]:
    """Add to each signature-mismatch the fields changed since signing, read from git when it can."""
    from .semdiff import changed_fields

    by_path = {p.path: p for p in protocols}
    out = []
    for problem in problems:
        protocol = by_path.get(problem.file)
        if problem.code != "signature-mismatch" or protocol is None or protocol.signed is None:
            out.append(problem)
            continue
        signed = signed_version(Path(protocol.path), protocol.signed)
        if signed is None:
            detail = _("The signed version is not in git history, so the changed fields cannot be named.")
        else:
            fields = changed_fields(signed, protocol, today)
            detail = _("Changed since signing: {fields}.").format(fields=", ".join(fields)) if fields else ""
        out.append(replace(problem, message=f"{problem.message} {detail}".strip()))
    return out

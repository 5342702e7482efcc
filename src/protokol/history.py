"""Protocols through git's history, as plain records the CLI prints: the commits that changed a protocol file or one
decision in it, each with its changes in meaning (`protokol history`), and the versions of the protocol files that
changed between two revisions (`protokol diff`)."""

from __future__ import annotations

import os
from pathlib import Path

from . import gitreview
from . import model as m
from .diffreport import describe
from .i18n import _
from .load import protocol_from_text
from .paths import read_regular
from .problems import ERROR
from .semdiff import diff_protocols
from .yamlio import MAX_FILE_BYTES


def file_history(file: Path, key: str | None, ctx, seen: set[str] | None = None, read: list | None = None) -> list[dict]:
    """Each commit that changed the file (or the decision `key` in it), compared with the file in its parent commit,
    so that commits on other branches are told apart; uncommitted changes come last. The decision keys of every
    version read are added to `seen`, and the paths of the versions read to `read`."""
    top = gitreview.require_repository(file.parent)
    rel = os.path.relpath(file.resolve(), top.resolve()).replace(os.sep, "/")

    def load(data, path):
        """(protocol, problem): a version as a protocol, or why it cannot be read; (None, None) when absent."""
        if data is None:
            return None, None
        protocol, problems = protocol_from_text(data, path)
        errors = [p for p in problems if p.severity == ERROR]
        if protocol is None or errors:
            first = errors[0] if errors else None
            return None, (f"{path}:{first.line}: {first.message}" if first else path)
        if seen is not None:
            seen.update(ref.decision.key for ref in m.walk_decisions(protocol))
        if read is not None:
            read.append(path)
        return protocol, None

    def lines_between(before, after, after_problem) -> list[dict]:
        if after_problem:
            return [{"sign": "~", "text": _("cannot be read: {problem}").format(problem=after_problem), "change": None}]
        if after is None:
            return [{"sign": "-", "text": _("protocol removed"), "change": None}] if key is None else []
        if before is None and key is not None:
            before = m.Protocol(id=after.id, date=after.date, title=after.title)  # every decision is new here
        out = []
        for change in diff_protocols(before, after, ctx):
            if key is not None and not (change.kind.startswith("decision") and change.subject == key):
                continue
            sign, text = describe(change, after.id)
            out.append({"sign": sign, "text": text, "change": change.as_dict()})
        return out

    entries = []
    for commit in reversed(gitreview.path_log(top, rel)):
        before, _problem = load(gitreview.file_at(top, f"{commit.sha}^", commit.old_path) if commit.old_path else None,
                                commit.old_path or commit.path)
        after, problem = load(gitreview.file_at(top, commit.sha, commit.path) if commit.status != "D" else None, commit.path)
        lines = lines_between(before, after, problem)
        renamed = commit.old_path if commit.status == "R" else None
        if key is not None and not lines:
            continue
        entries.append({"commit": commit.sha, "date": commit.date, "author": commit.author, "subject": commit.subject,
                        "path": commit.path, "renamed_from": renamed, "lines": lines})
    committed = gitreview.file_at(top, "HEAD", rel)
    try:  # bounded, like every read of a protocol: a link to a device or a pipe is shown as an unreadable version
        current = read_regular(file, MAX_FILE_BYTES)
    except OSError:
        current = b""
    if committed != current:
        before, _problem = load(committed, rel)
        after, problem = load(current, rel)
        lines = lines_between(before, after, problem)
        if lines or key is None:
            entries.append({"commit": None, "date": "", "author": "", "subject": _("(working folder)"), "path": rel,
                            "renamed_from": None, "lines": lines})
    return entries


def changed_versions(folder: Path, old: str, new: str | None, wanted: list[str]) -> list[tuple]:
    """(old path, old content, new path, new content) of every protocol file changed between revisions `old` and `new`
    (None: the working folder) below the `wanted` paths, renames paired; a side is None where the file is absent."""
    pairs = []
    for change in gitreview.changed_files(folder, old, new, wanted):
        if not any(p and p.endswith((".yaml", ".yml")) for p in (change.old_path, change.new_path)):
            continue
        old_text = gitreview.file_at(folder, old, change.old_path) if change.old_path else None
        if change.new_path is None:
            new_text = None
        elif new is None:
            try:
                new_text = read_regular(folder / change.new_path, MAX_FILE_BYTES)  # a link to a device too
            except OSError:
                new_text = b""
        else:
            new_text = gitreview.file_at(folder, new, change.new_path)
        pairs.append((change.old_path, old_text, change.new_path, new_text))
    return pairs


def with_references(entries: list[dict], folder: Path, target: str | None) -> list[dict]:
    """A decision's own history (file_history) with what later protocols decided on it merged in, by date; the
    changes in the working folder last. A protocol's history (`target` None) as it is."""
    if target is None:
        return entries
    return sorted(entries + reference_history(folder, target), key=lambda e: (e["commit"] is None, e["date"]))


def reference_history(folder: Path, target: str) -> list[dict]:
    """Each commit that gave another protocol a reference (`acts_on`) to decision `target`, or to a lead line it is
    an item of, or took one away: an extension, a closing, a reopening decided at a later meeting, which the
    decision's own file never shows. Entries as file_history makes them. A draft's references are left out, as
    `due` leaves them out: the meeting has not decided them yet (its commit making it final shows them)."""
    from .paths import PROTOCOLS_DIR

    top = gitreview.require_repository(folder)
    pid = target.partition("/")[0]
    # the files that name the protocol now, or did in a commit (git log -S: the commits that changed its count)
    log = (gitreview.run(top, "log", "--format=", "--name-only", f"-S{pid}", "--", str(folder / PROTOCOLS_DIR))
           if gitreview.is_revision(top, "HEAD") else b"")  # a new repository has no commit for git log to read
    named = {line for line in log.decode("utf-8", errors="replace").splitlines() if line}
    rels = set(named)
    for path in (folder / PROTOCOLS_DIR).rglob("*"):
        if path.suffix in (".yaml", ".yml") and path.is_file():
            rels.add(os.path.relpath(path.resolve(), top.resolve()).replace(os.sep, "/"))
    entries = []
    for rel in sorted(rels):
        if Path(rel).stem == pid or not rel.endswith((".yaml", ".yml")):
            continue
        try:
            current = read_regular(top / rel, MAX_FILE_BYTES)
        except OSError:
            current = None
        if rel not in named and pid.encode("utf-8") not in (current or b""):
            continue
        entries += _references_in(top, rel, current, target)
    return entries


def _acting(data: bytes | None, path: str, target: str) -> dict[tuple, tuple]:
    """The references of a protocol version to `target` or its lead lines: (acting id, action, to, target) -> (the
    acting meeting's date)."""
    if data is None:
        return {}
    protocol, _problems = protocol_from_text(data, path)
    if protocol is None or protocol.status == "draft":
        return {}
    found = {}
    for ref in m.walk_decisions(protocol):
        for r in ref.decision.acts_on:
            if r.decision == target or target.startswith(r.decision + "."):
                found[(ref.id, r.action, r.to, r.decision)] = protocol.date
    return found


def _references_in(top: Path, rel: str, current: bytes, target: str) -> list[dict]:
    entries = []
    for commit in reversed(gitreview.path_log(top, rel)):
        before = _acting(gitreview.file_at(top, f"{commit.sha}^", commit.old_path) if commit.old_path else None,
                         commit.old_path or commit.path, target)
        after = _acting(gitreview.file_at(top, commit.sha, commit.path) if commit.status != "D" else None, commit.path,
                        target)
        lines = _reference_lines(before, after, target)
        if lines:
            entries.append({"commit": commit.sha, "date": commit.date, "author": commit.author,
                            "subject": commit.subject, "path": commit.path, "renamed_from": None, "lines": lines})
    lines = _reference_lines(_acting(gitreview.file_at(top, "HEAD", rel), rel, target), _acting(current, rel, target),
                             target) if gitreview.file_at(top, "HEAD", rel) != current else []
    if lines:
        entries.append({"commit": None, "date": "", "author": "", "subject": _("(working folder)"), "path": rel,
                        "renamed_from": None, "lines": lines})
    return entries


def _reference_lines(before: dict, after: dict, target: str) -> list[dict]:
    out = []
    for sign, refs, other in (("+", after, before), ("-", before, after)):
        for (by, action, to, on), day in refs.items():
            if (by, action, to, on) in other:
                continue
            text = reference_text(by, action, to, day, on if on != target else None)
            if sign == "-":
                text = _("reference removed: {text}").format(text=text)
            out.append({"sign": sign, "text": _("decision {id}: {what}").format(id=target, what=text),
                        "change": {"kind": "reference", "by": by, "action": action, "to": to.isoformat() if to else None,
                                   "target": on, "removed": sign == "-"}})
    return out


def reference_text(by: str, action: str, to, day, lead: str | None = None) -> str:
    """«deadline extended to 31.05.2024 by decision 2024-03-01-2/1.1 of 01.03.2024»."""
    from .rudates import shown_day

    words = {"extend": _("deadline extended to {to} by decision {by} of {day}"),
             "done": _("done by decision {by} of {day}"),
             "cancel": _("cancelled by decision {by} of {day}"),
             "reopen": _("reopened by decision {by} of {day}")}
    text = words.get(action, action).format(to=shown_day(to), by=by, day=shown_day(day))
    if lead:
        text += _(" (on {lead}, for all its items)").format(lead=lead)
    return text

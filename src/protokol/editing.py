"""Editing a protocol file in place: a decision's `control:` marks (done, extend, cancel, reopen) set by targeted
text edits, everything else kept byte for byte; and the node extents every edit of a protocol's text cuts at
(signedit.py, the `signed:` record, uses them too).

Why text edits and not a YAML round-trip (ruamel.yaml): a round-trip re-emits the whole document, and even with
preserve_quotes and a wide line it rewrites what the user wrote — `chair: null` becomes `chair:` in three of the five
example protocols, line ends become LF, spacing in flow mappings is normalised. Here the file is read by the strict
reader with the extent of every node (yamlio.parse(..., ends=True): libyaml's start and end marks), and only the
characters of the `control:` entry are inserted or replaced, in the file's own indentation and line ends. Nothing
else can change. A decision with an entry the reader leaves out (a second equal key) is not edited: its text would
not all be seen.

Safety: the new text is read back with load.protocol_from_text; the edit is refused unless it adds no error and the
protocol read back equals the old one with only the decision's control marks changed. The file is read, edited and
replaced under its lock by writing.edit_file (atomic, mode and symlink kept, a change saved meanwhile by an editor
refused).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from . import model as m
from .i18n import _
from .problems import ERROR, Collector, Problem
from .schema import agenda_key, decision_key
from .yamlio import Mapping, Node, Scalar, Sequence, parse

_BREAKS = "\r\n\x85\u2028\u2029"  # what libyaml takes for a line break
LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


@dataclass(frozen=True)
class EditResult:
    ok: bool
    reason: str = ""  # why the edit was refused
    hint: str = ""
    before: str = ""  # the text before and after (for tests and --dry-run)
    after: str = ""


def read_tree(text: str) -> tuple[Node | None, list[Problem], str]:
    """The file read by the strict reader with the extent of every node, and what the reader found wrong; or (None,
    problems, why the file cannot be read)."""
    out = Collector("-")
    root = parse(text, out, ends=True)
    if root is None and out.problems:
        return None, out.problems, _("The file cannot be read as YAML: {error}").format(error=out.problems[0].message)
    return root, out.problems, ""


_LEFT_OUT = ("yaml-duplicate-key", "yaml-key")  # entries the reader reports and leaves out of the tree


def _left_out(problems: list[Problem], node: Node) -> Problem | None:
    """An entry of `node` that the tree does not hold (a second equal key, a key that is not text). An edit there
    would not see its text: marks placed by the first of two `status:` keys would leave the second one stale."""
    start, end = node.extent.start, node.extent.end
    for p in problems:
        if p.code in _LEFT_OUT and (start.line, start.col) <= (p.line, p.col) < (end.line, end.col):
            return p
    return None


def is_flow(node: Node) -> bool:
    return node.extent.flow


def start_of(node: Node) -> int:
    return node.extent.start.index


def stop_of(node: Node) -> int:
    """Where the text of a node stops. A block collection's end mark lies at the next token, past the comments and
    blank lines after it: its text stops where its last entry's does."""
    if isinstance(node, Scalar) or node.extent.flow:
        return node.extent.end.index
    if isinstance(node, Mapping):
        return max((max(stop_of(k), stop_of(v)) for k, v in node.items.values()), default=start_of(node))
    return max((stop_of(child) for child in node.items), default=start_of(node))


def _number(node: Mapping) -> str | None:
    number = node.get("number")
    return number.value if isinstance(number, Scalar) else None


def _find_decision(root: Node | None, key: str) -> Mapping | None:
    """The mapping of the decision whose id ends in `key`, numbered as schema.with_identity numbers them."""
    agenda = root.get("agenda") if isinstance(root, Mapping) else None
    if not isinstance(agenda, Sequence):
        return None

    def search(decisions: Node | None, parent: str) -> Mapping | None:
        if not isinstance(decisions, Sequence):
            return None
        for index, d in enumerate(decisions.items, 1):
            if not isinstance(d, Mapping):
                continue
            k = decision_key(parent, _number(d), index)
            found = d if k == key else search(d.get("items"), k)
            if found is not None:
                return found
        return None

    for position, item in enumerate(agenda.items, 1):
        if isinstance(item, Mapping):
            found = search(item.get("decided"), agenda_key(_number(item), position))
            if found is not None:
                return found
    return None


# ------------------------------------------------------------------------------------------------- rendering

_PLAIN = re.compile(r"[A-Za-zА-Яа-яЁё0-9«(№][^:#\"'\\{}\[\]\n\r\t\x00-\x1f\x7f-\x9f\u2028\u2029]*")
_NOT_TEXT = re.compile(r"(?i)[-+.0-9_:]+|y|n|yes|no|true|false|on|off|null|~|\.nan|\.inf")


def scalar(text: str, flow: bool = False) -> str:
    """`text` as a YAML scalar that every YAML reader takes for this exact string."""
    if _PLAIN.fullmatch(text) and text == text.strip() and not _NOT_TEXT.fullmatch(text) and not (flow and "," in text):
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def _entries(control: m.Control) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = [("status", control.status)]
    for key in ("date", "report", "reason", "controller"):
        value = getattr(control, key)
        if value is not None:
            out.append((key, value))
    if control.extensions:
        exts = []
        for e in control.extensions:
            ext = [("to", e.to)] + [(k, getattr(e, k)) for k in ("reason", "on", "by") if getattr(e, k) is not None]
            exts.append(ext)
        out.append(("extensions", exts))
    if control.closed:
        out.append(("closed", list(control.closed)))
    if control.occurrences:
        out.append(("occurrences", [[("occurrence", o.occurrence)] + [(k, getattr(o, k)) for k in ("date", "report")
                                                                      if getattr(o, k) is not None]
                                    for o in control.occurrences]))
    if control.history:
        keys = ("date", "reason", "report", "reopened", "occurrence")
        out.append(("history", [[("status", h.status)] + [(k, getattr(h, k)) for k in keys if getattr(h, k) is not None]
                                for h in control.history]))
    return out


_RECORD_LISTS = ("extensions", "occurrences", "history")  # entries that are lists of records


def _value(value, flow: bool) -> str:
    if isinstance(value, str):
        return scalar(value, flow)
    return value.isoformat()  # a date


def _entry_lines(key: str, value, column: int, seq_offset: int) -> list[str]:
    """One entry of the marks as block lines, its key at `column`."""
    pad = " " * column
    if key in _RECORD_LISTS:
        dash = " " * (column + seq_offset)
        lines = [f"{pad}{key}:"]
        for ext in value:
            for i, (k, v) in enumerate(ext):
                lines.append(f"{dash}- {k}: {_value(v, False)}" if i == 0 else f"{dash}  {k}: {_value(v, False)}")
        return lines
    if key == "closed":
        return [f"{pad}closed: [{', '.join(d.isoformat() for d in value)}]"]
    return [f"{pad}{key}: {_value(value, False)}"]


def render_block(control: m.Control, indent: int, step: int, seq_offset: int, newline: str) -> str:
    """`control:` and its lines; the first line has no indentation (it goes where the key starts)."""
    lines = ["control:"]
    for key, value in _entries(control):
        lines += _entry_lines(key, value, indent + step, seq_offset)
    return newline.join(lines)


def render_flow(control: m.Control) -> str:
    parts = []
    for key, value in _entries(control):
        if key in _RECORD_LISTS:
            exts = ", ".join("{" + ", ".join(f"{k}: {_value(v, True)}" for k, v in ext) + "}" for ext in value)
            parts.append(f"{key}: [{exts}]")
        elif key == "closed":
            parts.append(f"closed: [{', '.join(d.isoformat() for d in value)}]")
        else:
            parts.append(f"{key}: {_value(value, True)}")
    return "control: {" + ", ".join(parts) + "}"


# ------------------------------------------------------------------------------------------------- the edit

def _line_start(text: str, index: int) -> int:
    """Where the line holding `index` starts, with the parser's own idea of a line break."""
    while index > 0 and text[index - 1] not in _BREAKS:
        index -= 1
    return index


def _style(root: Node) -> tuple[int, int]:
    """The file's indentation step for nested mappings and the offset of `-` under a key (2 and 2 when unknown)."""
    step = seq_offset = None

    def walk(n: Node):
        nonlocal step, seq_offset
        if isinstance(n, Mapping) and not is_flow(n):
            for key_node, value in n.items.values():
                if is_flow(value):
                    continue
                if step is None and isinstance(value, Mapping) and value.line > key_node.line:
                    step = value.col - key_node.col
                if seq_offset is None and isinstance(value, Sequence) and value.line > key_node.line:
                    seq_offset = value.col - key_node.col
                walk(value)
        elif isinstance(n, Sequence) and not is_flow(n):
            for child in n.items:
                walk(child)

    walk(root)
    return (step if step and step > 0 else 2), (seq_offset if seq_offset is not None and seq_offset >= 0 else 2)


def edit_text(text: str, key: str, control: m.Control) -> tuple[str | None, str]:
    """The text with decision `key`'s control marks set to `control`, or (None, why not)."""
    root, problems, why = read_tree(text)
    decision = _find_decision(root, key)
    if decision is None:
        return None, why or _("Decision {key} is not in the file.").format(key=key)
    left_out = _left_out(problems, decision)
    if left_out is not None:
        return None, _("Decision {key} cannot be edited safely: line {line}: {message}").format(
            key=key, line=left_out.line, message=left_out.message)
    first_break = LINE_BREAK.search(text)
    newline = first_break.group() if first_break and first_break.group() in ("\r\n", "\n") else "\n"
    existing = decision.items.get("control")
    entries = list(decision.items.values())
    if is_flow(decision):
        rendered = render_flow(control)
        if existing is not None:
            return text[:start_of(existing[0])] + rendered + text[stop_of(existing[1]):], ""
        at = stop_of(entries[-1][1])
        return text[:at] + ", " + rendered + text[at:], ""
    indent = entries[0][0].col - 1
    step, seq_offset = _style(root)
    if existing is not None and isinstance(existing[1], Mapping) and not is_flow(existing[1]) and existing[1].items:
        edited = _edit_entries(text, existing[1], control, seq_offset, newline)
        if edited is not None:
            return edited, ""
    rendered = render_block(control, indent, step, seq_offset, newline)
    if existing is not None:
        start = start_of(existing[0])
        end = content_end(text, start, max(map(stop_of, existing)))
        return text[:start] + rendered + text[end:], ""
    items = decision.items.get("items")
    if items is not None and items[0] is not entries[0][0]:  # `items:` is not the first key: the marks go before it
        at = _line_start(text, start_of(items[0]))
        if text[at:start_of(items[0])].strip() == "":
            return text[:at] + " " * indent + rendered + newline + text[at:], ""
    last = content_end(text, start_of(decision), stop_of(decision))
    found = LINE_BREAK.search(text, last)
    if found is None:  # the decision ends the file without a final line break
        return text + newline + " " * indent + rendered + newline, ""
    at = found.end()
    return text[:at] + " " * indent + rendered + newline + text[at:], ""


def _plain_value(node: Node):
    """What a node says, as text: scalars as written, sequences as tuples, mappings as dicts."""
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Sequence):
        return tuple(_plain_value(c) for c in node.items)
    return {k: _plain_value(v) for k, (_key, v) in node.items.items()}


def _plain_wanted(value):
    """An entry of `_entries` in the terms of `_plain_value`."""
    if isinstance(value, list):
        return tuple({k: _plain_wanted(v) for k, v in x} if isinstance(x, list) else _plain_wanted(x) for x in value)
    return value.isoformat() if hasattr(value, "isoformat") else value


_ORDER = ("status", "date", "report", "reason", "controller", "extensions", "closed", "occurrences", "history")  # as _entries writes them
_UNSET = (None, (), {})  # an entry written with one of these says nothing: the marks are the same without it


def _edit_entries(text: str, marks: Mapping, control: m.Control, seq_offset: int, newline: str) -> str | None:
    """The text with the entries of the block mapping `marks` changed one by one: an entry that stays the same keeps
    its lines byte for byte (comments included), a changed one is replaced in place, a dropped one loses its lines,
    a new one gets lines of its own next to its neighbours in the usual order. None when the layout is not the plain
    one this expects (then the whole entry is written afresh)."""
    unterminated = bool(text) and not LINE_BREAK.match(text[-1])
    if unterminated:  # a file without a final line break: work as if it had one, and take it away at the end
        text += newline
    wanted = dict(_entries(control))
    column = next(iter(marks.items.values()))[0].col
    edits: list[tuple[int, int, str]] = []
    placed: list[tuple[int, int, int]] = []  # (place in _ORDER, start of its first line, end of its last) per entry
    removed = 0
    for key, (key_node, value) in marks.items.items():
        if key not in _ORDER or key_node.col != column:
            return None
        start = start_of(key_node)
        line_start = _line_start(text, start)
        end = content_end(text, start, max(stop_of(value), stop_of(key_node)))
        found = LINE_BREAK.search(text, end)
        line_end = found.end() if found else len(text)
        after = text[end:line_end].strip()
        if text[line_start:start].strip() or (after and not after.startswith("#")):
            return None
        placed.append((_ORDER.index(key), line_start, line_end))
        have = _plain_value(value)
        if key not in wanted:
            if have not in _UNSET:
                edits.append((line_start, line_end, ""))
                removed += 1
        elif have != _plain_wanted(wanted[key]):
            added = _appended(value, have, wanted[key])
            if added is not None:  # an extension or a closing more: the items there keep their lines and comments
                edits.append((line_end, line_end, newline.join(_item_lines(text, value, added)) + newline))
            else:
                edits.append((start, end, newline.join(_entry_lines(key, wanted[key], column - 1, seq_offset)).lstrip(" ")))
    written = set(marks.items)
    inserts: dict[int, list[str]] = {}
    for key, value in wanted.items():
        if key in written or (key == "status" and value == "open"):
            continue
        later = [line_start for place, line_start, _end in placed if place > _ORDER.index(key)]
        inserts.setdefault(later[0] if later else placed[-1][2], []).extend(_entry_lines(key, value, column - 1, seq_offset))
    if not inserts and removed == len(marks.items):
        return None  # nothing would be left, and an empty `control:` reads as no marks at all
    edits += [(at, at, newline.join(lines) + newline) for at, lines in inserts.items()]
    for start, end, new in sorted(edits, reverse=True):  # from the end; a removal before an insertion at its start
        text = text[:start] + new + text[end:]
    return text[:-len(newline)] if unterminated and text.endswith(newline) else text


def _appended(value: Node, have, wanted) -> list | None:
    """The items `wanted` adds at the end of the block sequence `value`, when it only adds some; else None."""
    if not isinstance(value, Sequence) or is_flow(value) or not value.items or not isinstance(wanted, list):
        return None
    plain = _plain_wanted(wanted)
    if len(plain) <= len(have) or plain[:len(have)] != have:
        return None
    return wanted[len(have):]


def _item_lines(text: str, value: Sequence, items: list) -> list[str]:
    """Block lines of `items` (each a list of (key, value)), the dash where the sequence's first item has it."""
    first = start_of(value.items[0])
    line = text[_line_start(text, first):first]
    dash = " " * line.rindex("-") if "-" in line else " " * max(len(line) - 2, 0)
    lines = []
    for item in items:
        for i, (k, v) in enumerate(item):
            lines.append(f"{dash}- {k}: {_value(v, False)}" if i == 0 else f"{dash}  {k}: {_value(v, False)}")
    return lines


def content_end(text: str, start: int, end: int) -> int:
    """The end of the last character that is not white space: a block scalar's end mark lies after its trailing
    line breaks and blank lines, even after the indentation of the next line."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def with_control(protocol: m.Protocol, key: str, control: m.Control | None) -> m.Protocol:
    """The protocol with decision `key`'s control marks replaced (for comparing what a file says after an edit)."""

    def visit(decisions):
        return tuple(replace(d, control=control) if d.key == key else replace(d, items=visit(d.items)) if d.items else d
                     for d in decisions)

    return replace(protocol, agenda=tuple(replace(item, decided=visit(item.decided)) for item in protocol.agenda))


def set_control(path: Path, key: str, control: m.Control, display: str | None = None, dry_run: bool = False,
                still: Callable[[m.Protocol], bool] | None = None) -> EditResult:
    """Write decision `key`'s control marks into the protocol file at `path`, or refuse and say why.

    The whole edit runs under the file's lock (writing.edit_file): read, edit, verify, replace, so concurrent
    commands on one file each keep their mark. `still(protocol as read under the lock)` says whether what the new
    marks were computed from still holds (another command may have marked the same decision meanwhile)."""
    from .paths import display_path
    from .writing import WriteRefused, edit_file

    shown = display or display_path(path)
    outcome: list[EditResult] = []

    def change(raw: bytes) -> bytes | None:
        result, data = _edited(raw, path, shown, key, control, still)
        outcome.append(result)
        return data if result.ok and not dry_run else None

    try:
        edit_file(path, change)
    except WriteRefused as exc:
        return EditResult(False, exc.message, exc.hint)
    except OSError as exc:
        return EditResult(False, _("Cannot change {file}: {reason}.").format(file=shown, reason=exc.strerror or exc))
    return outcome[0]


def _edited(raw: bytes, path: Path, shown: str, key: str, control: m.Control,
            still: Callable[[m.Protocol], bool] | None) -> tuple[EditResult, bytes]:
    """The file's new bytes with the marks written, verified by reading them back, or the reason it is refused."""
    from .load import protocol_from_text

    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    try:
        text = raw[len(bom):].decode("utf-8")
    except UnicodeDecodeError:
        return EditResult(False, _("{file} is not UTF-8.").format(file=shown), _("Run `protokol check` to see why.")), b""
    before, problems = protocol_from_text(raw, str(path), shown)
    if before is None:
        return EditResult(False, _("{file} cannot be read as a protocol.").format(file=shown),
                          _("Run `protokol check {file}` and fix it first.").format(file=shown)), b""
    if still is not None and not still(before):
        return EditResult(False, _("Decision {key} in {file} was changed by another command meanwhile; nothing was "
                                   "written.").format(key=key, file=shown), _("Run the command again.")), b""
    new_text, why = edit_text(text, key, control)
    if new_text is None:
        return EditResult(False, why, _("Run `protokol check {file}`.").format(file=shown)), b""
    data = bom + new_text.encode("utf-8")
    after, new_problems = protocol_from_text(data, str(path), shown)
    old_errors, new_errors = _error_counts(problems), _error_counts(new_problems)
    added = [p for p in new_problems if p.severity == ERROR and new_errors[p.code] > old_errors.get(p.code, 0)]
    if after is None or added:
        first = added[0] if added else None
        reason = (_("The edit would make the file invalid: {message}").format(message=first.message) if first
                  else _("The edit would make the file unreadable."))
        return EditResult(False, reason, _("The file was not changed. Please report this with the file attached."),
                          text, new_text), b""
    if with_control(before, key, control) != after:
        return EditResult(False, _("The edit would change more than the control marks of decision {key}.").format(key=key),
                          _("The file was not changed. Please report this with the file attached."), text, new_text), b""
    return EditResult(True, before=text, after=new_text), data


def _error_counts(problems) -> dict:
    counts: dict = {}
    for p in problems:
        if p.severity == ERROR:
            counts[p.code] = counts.get(p.code, 0) + 1  # by code: messages name lines, and lines move
    return counts

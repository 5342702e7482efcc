"""Editing a protocol file in place: a decision's `control:` marks set by targeted text edits, everything else kept
byte for byte, the result verified before it replaces the file.

Why text edits and not a YAML round-trip (ruamel.yaml): a round-trip re-emits the whole document, and even with
preserve_quotes and a wide line it rewrites what the user wrote — `chair: null` becomes `chair:` in three of the five
example protocols, line ends become LF, spacing in flow mappings is normalised. Here the file is parsed once more
with positions (start and end of every node, from the same C parser yamlio uses), and only the characters of the
`control:` entry are inserted or replaced, in the file's own indentation and line ends. Nothing else can change.

Safety: the new text is written to a temporary file next to the original and read back with load.load_protocol;
the edit is refused unless it adds no error and the protocol read back equals the old one with only the decision's
control marks changed. Then the temporary file replaces the original (os.replace: atomic on one file system).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from . import model as m
from .i18n import _
from .problems import ERROR
from .schema import decision_key
from .yamlio import NULLS

_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


@dataclass(frozen=True)
class EditResult:
    ok: bool
    reason: str = ""  # why the edit was refused
    hint: str = ""
    before: str = ""  # the text before and after (for tests and --dry-run)
    after: str = ""


class _Node:
    __slots__ = ("kind", "start", "end", "flow", "items", "value")

    def __init__(self, kind: str, start: tuple[int, int], flow: bool = False):
        self.kind = kind  # "map", "seq" or "scalar"
        self.start = start  # (line, col), 0-based, as the parser gives them
        self.end = start
        self.flow = flow
        self.items: list = []  # map: (key text, key node, value node); seq: nodes
        self.value: str | None = None

    def get(self, key: str):
        for k, key_node, value in self.items:
            if k == key:
                return key_node, value
        return None


def _tree(text: str) -> _Node | None:
    events = iter(yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))

    def mark(mk) -> tuple[int, int]:
        return mk.line, mk.column

    def node(event) -> _Node:
        if isinstance(event, yaml.ScalarEvent):
            n = _Node("scalar", mark(event.start_mark))
            plain = event.implicit[0] and not event.style
            n.value = None if plain and event.value in NULLS else event.value
            n.end = mark(event.end_mark)
            return n
        if isinstance(event, yaml.SequenceStartEvent):
            n = _Node("seq", mark(event.start_mark), bool(event.flow_style))
            for child in events:
                if isinstance(child, yaml.SequenceEndEvent):
                    if n.flow:
                        n.end = mark(child.end_mark)
                    break
                c = node(child)
                n.items.append(c)
                n.end = max(n.end, c.end)
            return n
        if isinstance(event, yaml.MappingStartEvent):
            n = _Node("map", mark(event.start_mark), bool(event.flow_style))
            for child in events:
                if isinstance(child, yaml.MappingEndEvent):
                    if n.flow:
                        n.end = mark(child.end_mark)
                    break
                k = node(child)
                v = node(next(events))
                n.items.append((k.value if k.kind == "scalar" else None, k, v))
                n.end = max(n.end, k.end, v.end)
            return n
        raise ValueError(f"unexpected {type(event).__name__}")  # aliases: refused by the loader before we get here

    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            return node(next(events))
    return None


def _find_decision(root: _Node, key: str) -> _Node | None:
    """The mapping of the decision whose id ends in `key`, numbered as schema.with_identity numbers them."""
    if root is None or root.kind != "map":
        return None
    agenda = root.get("agenda")
    if agenda is None or agenda[1].kind != "seq":
        return None

    def search(decisions: _Node, parent: str):
        if decisions.kind != "seq":
            return None
        for index, d in enumerate(decisions.items, 1):
            if d.kind != "map":
                continue
            number = d.get("number")
            number_text = number[1].value if number and number[1].kind == "scalar" else None
            k = decision_key(parent, number_text, index)
            if k == key:
                return d
            items = d.get("items")
            if items is not None:
                found = search(items[1], k)
                if found is not None:
                    return found
        return None

    for position, item in enumerate(agenda[1].items, 1):
        if item.kind != "map":
            continue
        number = item.get("number")
        printed = (number[1].value or "").strip().rstrip(".") if number and number[1].kind == "scalar" else ""
        item_key = printed or str(position)
        decided = item.get("decided")
        if decided is not None:
            found = search(decided[1], item_key)
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
    if control.history:
        out.append(("history", [[("status", h.status)] + [(k, getattr(h, k)) for k in ("date", "reason", "report", "reopened")
                                                           if getattr(h, k) is not None] for h in control.history]))
    return out


def _value(value, flow: bool) -> str:
    if isinstance(value, str):
        return scalar(value, flow)
    return value.isoformat()  # a date


def _entry_lines(key: str, value, column: int, seq_offset: int) -> list[str]:
    """One entry of the marks as block lines, its key at `column`."""
    pad = " " * column
    if key in ("extensions", "history"):
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
        if key in ("extensions", "history"):
            exts = ", ".join("{" + ", ".join(f"{k}: {_value(v, True)}" for k, v in ext) + "}" for ext in value)
            parts.append(f"{key}: [{exts}]")
        elif key == "closed":
            parts.append(f"closed: [{', '.join(d.isoformat() for d in value)}]")
        else:
            parts.append(f"{key}: {_value(value, True)}")
    return "control: {" + ", ".join(parts) + "}"


# ------------------------------------------------------------------------------------------------- the edit

class _Text:
    """Offsets of (line, col) marks in the text, with the parser's own idea of a line break."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [mk.end() for mk in _BREAK.finditer(text)]

    def offset(self, pos: tuple[int, int]) -> int:
        line, col = pos
        if line >= len(self.starts):
            return len(self.text)
        return self.starts[line] + col

    def line_start(self, line: int) -> int:
        return self.starts[line] if line < len(self.starts) else len(self.text)


def _style(root: _Node) -> tuple[int, int]:
    """The file's indentation step for nested mappings and the offset of `-` under a key (2 and 2 when unknown)."""
    step = seq_offset = None

    def walk(n: _Node):
        nonlocal step, seq_offset
        if n.kind == "map" and not n.flow:
            for _k, key_node, value in n.items:
                if value.flow:
                    continue
                if step is None and value.kind == "map" and value.start[0] > key_node.start[0]:
                    step = value.start[1] - key_node.start[1]
                if seq_offset is None and value.kind == "seq" and value.start[0] > key_node.start[0]:
                    seq_offset = value.start[1] - key_node.start[1]
                walk(value)
        elif n.kind == "seq" and not n.flow:
            for child in n.items:
                walk(child)

    walk(root)
    return (step if step and step > 0 else 2), (seq_offset if seq_offset is not None and seq_offset >= 0 else 2)


def edit_text(text: str, key: str, control: m.Control) -> tuple[str | None, str]:
    """The text with decision `key`'s control marks set to `control`, or (None, why not)."""
    try:
        root = _tree(text)
    except yaml.YAMLError as exc:
        return None, _("The file cannot be read as YAML: {error}").format(error=str(exc).splitlines()[0])
    decision = _find_decision(root, key) if root is not None else None
    if decision is None:
        return None, _("Decision {key} is not in the file.").format(key=key)
    doc = _Text(text)
    first_break = _BREAK.search(text)
    newline = first_break.group() if first_break and first_break.group() in ("\r\n", "\n") else "\n"
    existing = decision.get("control")
    if decision.flow:
        rendered = render_flow(control)
        if existing is not None:
            start, end = doc.offset(existing[0].start), doc.offset(existing[1].end)
            return text[:start] + rendered + text[end:], ""
        last = decision.items[-1][2]
        at = doc.offset(last.end)
        return text[:at] + ", " + rendered + text[at:], ""
    indent = decision.items[0][1].start[1]
    step, seq_offset = _style(root)
    if existing is not None and existing[1].kind == "map" and not existing[1].flow and existing[1].items:
        edited = _edit_entries(doc, existing[1], control, seq_offset, newline)
        if edited is not None:
            return edited, ""
    rendered = render_block(control, indent, step, seq_offset, newline)
    if existing is not None:
        key_node, value = existing
        start = doc.offset(key_node.start)
        end = _content_end(text, start, doc.offset(max(value.end, key_node.end)))
        return text[:start] + rendered + text[end:], ""
    items = decision.get("items")
    if items is not None and items[0] is not decision.items[0][1]:
        line, col = items[0].start
        at = doc.line_start(line)
        if text[at:doc.offset(items[0].start)].strip() == "":
            return text[:at] + " " * indent + rendered + newline + text[at:], ""
    last = _content_end(text, doc.offset(decision.start), doc.offset(decision.end))
    found = _BREAK.search(text, last)
    if found is None:  # the decision ends the file without a final line break
        return text + newline + " " * indent + rendered + newline, ""
    at = found.end()
    return text[:at] + " " * indent + rendered + newline + text[at:], ""


def _plain_value(node: _Node):
    """What a node says, as text: scalars as written, sequences as tuples, mappings as dicts."""
    if node.kind == "scalar":
        return node.value
    if node.kind == "seq":
        return tuple(_plain_value(c) for c in node.items)
    return {k: _plain_value(v) for k, _key, v in node.items}


def _plain_wanted(value):
    """An entry of `_entries` in the terms of `_plain_value`."""
    if isinstance(value, list):
        return tuple({k: _plain_wanted(v) for k, v in x} if isinstance(x, list) else _plain_wanted(x) for x in value)
    return value.isoformat() if hasattr(value, "isoformat") else value


_ORDER = ("status", "date", "report", "reason", "controller", "extensions", "closed", "history")  # as _entries writes them
_UNSET = (None, (), {})  # an entry written with one of these says nothing: the marks are the same without it


def _edit_entries(doc: _Text, marks: _Node, control: m.Control, seq_offset: int, newline: str) -> str | None:
    """The text with the entries of the block mapping `marks` changed one by one: an entry that stays the same keeps
    its lines byte for byte (comments included), a changed one is replaced in place, a dropped one loses its lines,
    a new one gets lines of its own next to its neighbours in the usual order. None when the layout is not the plain
    one this expects (then the whole entry is written afresh)."""
    text = doc.text
    unterminated = bool(text) and not _BREAK.match(text[-1])
    if unterminated:  # a file without a final line break: work as if it had one, and take it away at the end
        text += newline
    wanted = dict(_entries(control))
    column = marks.items[0][1].start[1]
    edits: list[tuple[int, int, str]] = []
    placed: list[tuple[int, int, int]] = []  # (place in _ORDER, start of its first line, end of its last) per entry
    removed = 0
    for key, key_node, value in marks.items:
        if key not in _ORDER or key_node.start[1] != column:
            return None
        start = doc.offset(key_node.start)
        line_start = doc.line_start(key_node.start[0])
        end = _content_end(text, start, doc.offset(max(value.end, key_node.end)))
        found = _BREAK.search(text, end)
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
            edits.append((start, end, newline.join(_entry_lines(key, wanted[key], column, seq_offset)).lstrip(" ")))
    written = {key for key, _node, _value in marks.items}
    inserts: dict[int, list[str]] = {}
    for key, value in wanted.items():
        if key in written or (key == "status" and value == "open"):
            continue
        later = [line_start for place, line_start, _end in placed if place > _ORDER.index(key)]
        inserts.setdefault(later[0] if later else placed[-1][2], []).extend(_entry_lines(key, value, column, seq_offset))
    if not inserts and removed == len(marks.items):
        return None  # nothing would be left, and an empty `control:` reads as no marks at all
    edits += [(at, at, newline.join(lines) + newline) for at, lines in inserts.items()]
    for start, end, new in sorted(edits, reverse=True):  # from the end; a removal before an insertion at its start
        text = text[:start] + new + text[end:]
    return text[:-len(newline)] if unterminated and text.endswith(newline) else text


def _content_end(text: str, start: int, end: int) -> int:
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


def set_control(path: Path, key: str, control: m.Control, display: str | None = None, dry_run: bool = False) -> EditResult:
    """Write decision `key`'s control marks into the protocol file at `path`, atomically, or refuse and say why."""
    from .load import load_protocol
    from .paths import display_path

    shown = display or display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return EditResult(False, _("Cannot read {file}: {reason}.").format(file=shown, reason=exc.strerror or exc))
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    try:
        text = raw[len(bom):].decode("utf-8")
    except UnicodeDecodeError:
        return EditResult(False, _("{file} is not UTF-8.").format(file=shown), _("Run `protokol check` to see why."))
    before, problems = load_protocol(path, shown)
    if before is None:
        return EditResult(False, _("{file} cannot be read as a protocol.").format(file=shown),
                          _("Run `protokol check {file}` and fix it first.").format(file=shown))
    new_text, why = edit_text(text, key, control)
    if new_text is None:
        return EditResult(False, why, _("Run `protokol check {file}`.").format(file=shown))
    data = bom + new_text.encode("utf-8")
    folder = path.parent
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        return EditResult(False, _("Cannot write in {folder}: {reason}.").format(folder=folder, reason=exc.strerror or exc))
    tmp_path = Path(tmp)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        after, new_problems = load_protocol(tmp_path, shown)
        old_errors, new_errors = _error_counts(problems), _error_counts(new_problems)
        added = [p for p in new_problems if p.severity == ERROR and new_errors[p.code] > old_errors.get(p.code, 0)]
        if after is None or added:
            first = added[0] if added else None
            reason = (_("The edit would make the file invalid: {message}").format(message=first.message) if first
                      else _("The edit would make the file unreadable."))
            return EditResult(False, reason, _("The file was not changed. Please report this with the file attached."),
                              text, new_text)
        # read back from the temporary file, the protocol got that file's name as its id: give it the real one
        if with_control(before, key, control) != replace(after, id=before.id, path=before.path):
            return EditResult(False, _("The edit would change more than the control marks of decision {key}.").format(key=key),
                              _("The file was not changed. Please report this with the file attached."), text, new_text)
        if dry_run:
            return EditResult(True, before=text, after=new_text)
        try:
            os.chmod(tmp_path, os.stat(path).st_mode & 0o7777)
        except OSError:
            pass
        os.replace(tmp_path, path)
        return EditResult(True, before=text, after=new_text)
    finally:
        if tmp_path.exists():
            try:
                tmp_path.unlink()
            except OSError:
                pass


def _error_counts(problems) -> dict:
    counts: dict = {}
    for p in problems:
        if p.severity == ERROR:
            counts[p.code] = counts.get(p.code, 0) + 1  # by code: messages name lines, and lines move
    return counts

"""Signing: the canonical content of a protocol, its SHA-256, and the text edit that writes `signed:` into a file.

What is signed is the meeting record as it stands on paper. Kept out of it, because they change after the meeting
without changing what was signed:
- every decision's `control` (status, report, extensions: the marks of execution);
- every decision's `due` (the date a reader gives a Срок phrase no rule understands: the phrase itself is signed);
- the top-level `signed` and `amendments` (the records of signing themselves).
Layout, comments, quoting and the order of keys do not count either: the content is taken from the model.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

from . import model as m

NOT_SIGNED_TOP = ("signed", "amendments")
NOT_SIGNED_DECISION = ("control", "due")


def canonical_data(p: m.Protocol) -> dict:
    """The signed part of a protocol as plain data (dicts, lists, text, dates)."""
    from .dump import to_data

    data = to_data(p)
    for key in NOT_SIGNED_TOP:
        data.pop(key, None)

    def strip(decisions):
        for d in decisions or ():
            for key in NOT_SIGNED_DECISION:
                d.pop(key, None)
            strip(d.get("items"))

    for item in data.get("agenda") or ():
        strip(item.get("decided"))
    return data


def canonical_json(p: m.Protocol) -> str:
    def iso(value):
        if isinstance(value, date):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    return json.dumps(canonical_data(p), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=iso)


def content_hash(p: m.Protocol) -> str:
    return hashlib.sha256(canonical_json(p).encode("utf-8")).hexdigest()


def signature_matches(p: m.Protocol) -> bool | None:
    """True when a signed protocol still has the content it was signed with; None when it is not signed."""
    if p.signed is None:
        return None
    return content_hash(p) == p.signed.sha256


# --- writing the signing record into the file ----------------------------------------------------------------------

class SigningEditError(ValueError):
    """The file's layout does not allow a safe text edit (the caller reports it; nothing is written)."""


def write_signing(text: str, signing: m.Signing, amendment: m.Amendment | None = None) -> str:
    """`text` with its top-level `signed:` block set to `signing` (replaced in place, or appended at the end) and,
    when given, `amendment` appended to the `amendments:` list. Every other byte of the file is kept."""
    from .dump import dump_data, to_data
    from .problems import Collector
    from .yamlio import Mapping, Scalar, Sequence, parse

    tree = parse(text, Collector("-"))
    if not isinstance(tree, Mapping):
        raise SigningEditError("the file is not a YAML mapping")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    starts = sorted(key.line for key, _value in tree.items.values())

    def block(key: str) -> tuple[int, int] | None:
        """0-based [start, end) lines of a top-level key's block, without the comments and blank lines after it."""
        if key not in tree.items:
            return None
        key_node = tree.items[key][0]
        if key_node.col != 1:
            raise SigningEditError(f"the key {key} does not start at the left margin")
        following = [line for line in starts if line > key_node.line]
        end = (following[0] - 1) if following else len(lines)
        while end > key_node.line and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1
        return key_node.line - 1, end

    def render(data) -> list[str]:
        return [line + newline for line in dump_data(data).splitlines()]

    edits: list[tuple[int, int, list[str]]] = []
    signed_block = block("signed")
    new_signed = render({"signed": to_data(signing)})
    if signed_block is not None:
        edits.append((*signed_block, new_signed))
    if amendment is not None:
        entry = to_data(amendment)
        found = block("amendments")
        value = tree.items["amendments"][1] if found else None
        if found is None:
            extra = render({"amendments": [entry]})
            if signed_block is not None:
                new_signed += extra  # right after `signed:`, where the format puts it
            else:
                edits.append((len(lines), len(lines), extra))
        elif isinstance(value, Sequence) and value.line > tree.items["amendments"][0].line:
            indent = " " * (value.col - 1)  # the column of the existing items' dashes
            edits.append((found[1], found[1], [indent + line if line.strip() else line for line in render([entry])]))
        elif (isinstance(value, Scalar) and value.value is None) or (isinstance(value, Sequence) and not value.items):
            edits.append((*found, render({"amendments": [entry]})))  # `amendments:` or `amendments: []`
        else:
            raise SigningEditError("the amendments list is written in flow style ([…]); write it as a block list")
    if signed_block is None:
        edits.append((len(lines), len(lines), new_signed))
    for start, end, replacement in sorted(edits, key=lambda e: e[0], reverse=True):
        lines[start:end] = replacement
    return "".join(lines)

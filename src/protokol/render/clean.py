"""Text that a document cannot hold: control characters removed from every text of a protocol, each reported as a warning.

YAML refuses raw control characters in a file, but a double-quoted string may still carry them as escapes ("\\x07",
"\\f", "\\v", "\\0"), and text pasted through other tools brings C1 controls. Word's XML cannot hold most of them, and
docxtpl reads "\\a" and "\\f" as "new paragraph" and "page break", so they are removed before any template sees them.
Tab and line feed are kept (they are layout); a carriage return is turned into a line feed.
"""

from __future__ import annotations

import functools
import re
from dataclasses import fields, is_dataclass, replace

from ..i18n import _
from ..problems import WARNING, Pos, Problem

# C0 controls but tab and line feed, DEL, C1 controls, and the two non-characters that XML forbids; lone surrogates.
_BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")

CODE = "render-control-character"


def clean_text(text: str) -> tuple[str, list[str]]:
    """`text` without the characters a document cannot hold, and the codes («U+0007») of what was removed."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = _BAD.findall(text)
    if not found:
        return text, []
    codes = sorted({f"U+{ord(ch):04X}" for ch in found})
    return _BAD.sub("", text), codes


_SKIPPED = ("pos", "field_pos", "path", "id", "key")


@functools.cache
def _names(cls) -> tuple[str, ...] | None:
    """The fields of a model class that may hold text (a protocol has a few hundred objects of a dozen classes);
    None for a class that is not a dataclass (a string, a date, a class itself)."""
    if not is_dataclass(cls) or issubclass(cls, type):
        return None
    return tuple(f.name for f in fields(cls) if f.name not in _SKIPPED)


def clean_protocol(protocol):
    """The protocol with every text cleaned, and a warning (a Problem) per text that had to change."""
    problems: list[Problem] = []

    def visit(obj):
        if isinstance(obj, tuple):
            new = [visit(x) for x in obj]
            return tuple(new) if any(a is not b for a, b in zip(new, obj, strict=True)) else obj
        names = _names(type(obj))
        if names is None:
            return obj
        changes = {}
        for name in names:
            value = getattr(obj, name)
            if isinstance(value, str):
                cleaned, codes = clean_text(value)
                if codes:
                    pos = getattr(obj, "field_pos", {}).get(name) or getattr(obj, "pos", None) or Pos()
                    problems.append(Problem(
                        protocol.path, pos.line or 1, pos.col or 1, WARNING, CODE,
                        _("'{key}' contains characters a document cannot hold ({codes}); they were left out.").format(
                            key=name, codes=", ".join(codes)),
                        _("Remove the escape sequence (such as \\x07 or \\f) from the quoted text in the file."),
                    ))
                    changes[name] = cleaned
            elif isinstance(value, tuple) or _names(type(value)) is not None:
                new = visit(value)
                if new is not value:
                    changes[name] = new
        return replace(obj, **changes) if changes else obj

    return visit(protocol), problems

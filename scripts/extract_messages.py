"""List the messages in the code (literals passed to _() and ngettext()) that a language's catalogue lacks.

Run: python scripts/extract_messages.py [ru]   -> prints .po entries to fill in, exit 1 when any are missing.
The test suite runs the same check, so a message without a Russian translation fails the build.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "protokol"
sys.path.insert(0, str(ROOT / "scripts"))

from compile_messages import LOCALE, parse_po  # noqa: E402


def messages_in_code() -> dict[str, tuple[str, int]]:
    """msgid (for plurals 'singular\\0plural') -> (file, line) of its first use."""
    found: dict[str, tuple[str, int]] = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            args = node.args
            if node.func.id in ("_", "gettext") and args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
                key = args[0].value
            elif node.func.id == "ngettext" and len(args) >= 2 and all(isinstance(a, ast.Constant) for a in args[:2]):
                key = f"{args[0].value}\0{args[1].value}"
            else:
                continue
            found.setdefault(key, (str(path.relative_to(ROOT)), node.lineno))
    return found


def catalogue(lang: str) -> dict[str, str]:
    messages: dict[str, str] = {}
    for po in sorted((LOCALE / lang).glob("*.po")):
        messages.update(parse_po(po))
    return messages


def missing(lang: str = "ru") -> dict[str, tuple[str, int]]:
    have = catalogue(lang)
    return {k: v for k, v in messages_in_code().items() if k not in have}


def _po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main(argv: list[str]) -> int:
    lang = argv[0] if argv else "ru"
    todo = missing(lang)
    for key, (file, line) in todo.items():
        print(f"#: {file}:{line}")
        if "\0" in key:
            singular, plural = key.split("\0")
            print(f"msgid {_po_string(singular)}\nmsgid_plural {_po_string(plural)}\nmsgstr[0] \"\"\nmsgstr[1] \"\"\nmsgstr[2] \"\"\n")
        else:
            print(f"msgid {_po_string(key)}\nmsgstr \"\"\n")
    return 1 if todo else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

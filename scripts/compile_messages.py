"""Compile src/protokol/locale/<lang>/*.po into one gettext catalogue (<lang>/LC_MESSAGES/protokol.mo).

Each feature keeps its own .po file so that parallel work does not collide; they are merged here.
Stdlib only (a msgfmt subset: msgid, msgid_plural, msgstr, msgstr[N], msgctxt is not used).
Run: python scripts/compile_messages.py  (or `make messages`); `--check` exits 1 when a .mo is stale.
"""

from __future__ import annotations

import ast
import struct
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "src" / "protokol" / "locale"


def parse_po(path: Path) -> dict[str, str]:
    """Messages of one .po file; keys of plural entries are 'singular\\0plural', values 'form0\\0form1...'."""
    messages: dict[str, str] = {}
    entry: dict[str, list[str]] = {}
    current: str | None = None
    fuzzy = False

    def flush() -> None:
        nonlocal entry, fuzzy
        if "msgid" in entry and not fuzzy:
            msgid = "".join(entry["msgid"])
            if "msgid_plural" in entry:
                msgid += "\0" + "".join(entry["msgid_plural"])
                forms = sorted(k for k in entry if k.startswith("msgstr["))
                value = "\0".join("".join(entry[k]) for k in forms)
            else:
                value = "".join(entry.get("msgstr", []))
            if value.replace("\0", ""):
                messages[msgid] = value
        entry, fuzzy = {}, False

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            continue
        if line.startswith('"'):
            if current is None:
                raise SystemExit(f"{path}:{lineno}: continuation line outside an entry")
            entry[current].append(ast.literal_eval(line))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "msgid" and "msgid" in entry:
            flush()
        current = keyword
        entry[keyword] = [ast.literal_eval(rest.strip())]
    flush()
    return messages


def write_mo(messages: dict[str, str]) -> bytes:
    keys = sorted(messages)
    ids = b""
    strs = b""
    offsets = []
    for key in keys:
        k, v = key.encode("utf-8"), messages[key].encode("utf-8")
        offsets.append((len(ids), len(k), len(strs), len(v)))
        ids += k + b"\0"
        strs += v + b"\0"
    header = 7 * 4
    keystart = header + 16 * len(keys)
    valuestart = keystart + len(ids)
    table = b""
    for o1, l1, _o2, _l2 in offsets:
        table += struct.pack("<II", l1, keystart + o1)
    for _o1, _l1, o2, l2 in offsets:
        table += struct.pack("<II", l2, valuestart + o2)
    head = struct.pack("<Iiiiiii", 0x950412DE, 0, len(keys), header, header + 8 * len(keys), 0, 0)
    return head + table + ids + strs


def _plural_forms(header: str) -> str | None:
    for line in header.splitlines():
        if line.startswith("Plural-Forms:"):
            return line.split(":", 1)[1].strip()
    return None


def compile_language(lang_dir: Path) -> tuple[Path, bytes]:
    """One catalogue from every .po file of a language. The header (msgid "", which carries the plural rule) is
    the first one that states Plural-Forms; a file stating another rule is an error, and a file stating none
    does not replace it (else Russian plurals would silently become English ones: «6 решения»)."""
    messages: dict[str, str] = {}
    header: str | None = None
    for po in sorted(lang_dir.glob("*.po")):
        found = parse_po(po)
        own = found.pop("", None)
        rule = _plural_forms(own or "")
        if rule is not None:
            if header is not None and rule != _plural_forms(header):
                raise SystemExit(f"{po}: Plural-Forms {rule!r} differs from the other files' {_plural_forms(header)!r}")
            header = header or own
        messages.update(found)
    if header is not None:
        messages[""] = header
    return lang_dir / "LC_MESSAGES" / "protokol.mo", write_mo(messages)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for lang_dir in sorted(p for p in LOCALE.iterdir() if p.is_dir()):
        target, data = compile_language(lang_dir)
        if check:
            if not target.exists() or target.read_bytes() != data:
                stale.append(target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            print(f"wrote {target.relative_to(LOCALE.parent.parent.parent)}")
    for path in stale:
        print(f"stale: {path} (run: make messages)", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

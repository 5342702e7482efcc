"""Strict YAML reading: bytes -> a tree of positioned nodes in which every scalar is the text as written.

Why not yaml.safe_load: it keeps the last of two duplicate keys (a lost decision), expands aliases (an alias bomb eats
memory) and applies YAML 1.1 typing (`10:30` becomes 630, `no` becomes False, `010` becomes 8). Here the C parser's
event stream is turned into nodes by hand, so none of that can happen; the schema decides later what a scalar means.
"""

from __future__ import annotations

import codecs
import os
import re
from typing import NamedTuple

import yaml

from .i18n import _
from .problems import Collector, Pos

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 64
# Unquoted scalars that mean "no value"; everything else stays the text as written.
NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_ALLOWED_TAGS = frozenset({None, "!", "tag:yaml.org,2002:str"})


class Mark(NamedTuple):
    """A place in the text as libyaml marks it: line and column from 1 (as Pos), and the index of the character in
    the text that was parsed (from 0), so that text[start.index:end.index] is what the node was written as."""

    line: int
    col: int
    index: int


class Extent(NamedTuple):
    """Where a node lies, recorded only when asked for (parse(..., ends=True)): the text edits need it, reading does not.

    `end` is libyaml's end mark: after the scalar (a block scalar's takes in its trailing line breaks), after the
    closing bracket of a flow collection, and at the next token of a block collection (past comments after it)."""

    start: Mark
    end: Mark
    flow: bool  # a collection written in flow style ([...], {...}); False for scalars


class Node:
    # `_extent` stays unset (the fast path and the plain builder never store it): nothing compares or copies it
    __slots__ = ("line", "col", "pos", "_extent")

    def __init__(self, line: int, col: int):
        self.line = line
        self.col = col
        self.pos = Pos(line, col)

    @property
    def extent(self) -> Extent | None:
        """Start, end and flow style, when the tree was read with ends=True; None otherwise."""
        try:
            return self._extent
        except AttributeError:
            return None

    @property
    def end(self) -> Mark | None:
        extent = self.extent
        return extent.end if extent is not None else None


class Scalar(Node):
    """`value` is None for an unquoted null (~, null, empty), otherwise the text exactly as written."""

    __slots__ = ("value", "quoted", "style")

    def __init__(self, value: str | None, line: int, col: int, quoted: bool = False, style: str | None = None):
        super().__init__(line, col)
        self.value = value
        self.quoted = quoted
        self.style = style

    def __repr__(self) -> str:
        return f"Scalar({self.value!r}@{self.line}:{self.col})"


class Mapping(Node):
    """`items` maps a key's text to (key node, value node), in file order."""

    __slots__ = ("items",)

    def __init__(self, line: int, col: int):
        super().__init__(line, col)
        self.items: dict[str, tuple[Scalar, Node]] = {}

    def get(self, key: str) -> Node | None:
        pair = self.items.get(key)
        return pair[1] if pair else None

    def __repr__(self) -> str:
        return f"Mapping({list(self.items)}@{self.line}:{self.col})"


class Sequence(Node):
    __slots__ = ("items",)

    def __init__(self, line: int, col: int):
        super().__init__(line, col)
        self.items: list[Node] = []

    def __repr__(self) -> str:
        return f"Sequence({len(self.items)}@{self.line}:{self.col})"


class _Fatal(Exception):
    """Stops reading a file that cannot be read further; the problem is already recorded."""


def decode(data: bytes, out: Collector) -> str | None:
    """UTF-8 with or without BOM. A Windows-1251 file is named as such, with the command that converts it."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        out.add(Pos(1, 1), "yaml-encoding", _("The file is in UTF-16, not UTF-8."),
                _("Save it as UTF-8 (in Notepad: Save as, Encoding: UTF-8)."))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
        if _looks_like_cp1251(data):
            import shlex

            out.add(Pos(line, col), "yaml-encoding",
                    _("The file is in Windows-1251 (cp1251) encoding, not UTF-8."),
                    _("Convert it: iconv -f cp1251 -t utf-8 {file} > {converted} && mv {converted} {file}").format(
                        file=shlex.quote(out.file), converted=shlex.quote(out.file + ".utf8")))
        else:
            out.add(Pos(line, col), "yaml-encoding",
                    _("The file is not valid UTF-8 (byte 0x{byte:02x}).").format(byte=data[exc.start]),
                    _("Save the file as UTF-8."))
        return None


def _looks_like_cp1251(data: bytes) -> bool:
    """Russian text in cp1251: nearly every byte above 0x7F is a Cyrillic letter (random bytes are not)."""
    high = [b for b in data if b >= 0x80]
    letters = sum(1 for b in high if b >= 0xC0 or b in (0xA8, 0xB8))  # А..я, Ё, ё
    return letters >= 3 and letters >= 0.9 * len(high)


def parse(text: str, out: Collector, ends: bool = False) -> Node | None:
    """Parse YAML text into nodes, or record why it cannot be read and return None.

    With `ends`, every node also gets its Extent (start and end marks, flow style), for the text edits of editing.py;
    such a tree is always made by the Python builder (the fast path records no ends and stays as fast as it is)."""
    if _odd_break(text, out):
        return None
    tree = None if ends else fast_read(text)  # None for an empty file too
    if tree is not None:
        return tree
    if not text.strip() or all(line.lstrip().startswith("#") for line in text.splitlines() if line.strip()):
        out.add(Pos(1, 1), "yaml-empty", _("The file is empty."),
                _("A protocol needs at least `date`, `title`, `participants` and `agenda`; see docs/format.md."))
        return None
    try:
        return _Builder(text, out, ends).build()
    except _Fatal:
        return None
    except yaml.MarkedYAMLError as exc:  # told in plain words at the place to fix (yamlsyntax, loaded only here)
        from .yamlsyntax import explain

        found = explain(text, exc)
        out.add(found.pos, found.code, found.message, found.hint)
        return None
    except yaml.reader.ReaderError as exc:  # a control character that YAML does not allow in a file
        # libyaml reports a byte offset into the UTF-8 text, not a character index
        before = text.encode("utf-8")[: exc.position].decode("utf-8", errors="replace")
        line, col = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        out.add(Pos(line, col), "yaml-control-character",
                _("The file contains a control character (code {code}) that YAML does not allow.").format(code=exc.character),
                _("Delete the invisible character at this position; it usually comes from copying text out of Word."))
        return None


_ODD_BREAK = re.compile("[\u0085\u2028\u2029]")


def _odd_break(text: str, out: Collector) -> bool:
    """NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR are line breaks to YAML 1.1 (libyaml) but not to editors: every
    line number after one would be off, and a text holding one silently changes. Reported where an editor sees it."""
    if "\u2028" not in text and "\u2029" not in text and "\x85" not in text:  # str.find is ~50 times a regex's speed
        return False
    found = _ODD_BREAK.search(text)
    before = text[: found.start()]
    line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
    out.add(Pos(before.count("\n") + before.count("\r") - before.count("\r\n") + 1, found.start() - line_start + 1),
            "yaml-control-character",
            _("The file contains the invisible line separator U+{code:04X}, which YAML reads as a line break.").format(
                code=ord(found[0])),
            _("Delete it or replace it with a space; it usually comes from copying text out of Word or a web page."))
    return True


# Set to anything but "" or "0", this switches the C fast path off for one process (and the worker processes it
# starts): every file is then read by the Python builder, with the same results. bench/run.py measures it so.
NO_FASTYAML = "PROTOKOL_NO_FASTYAML"
# Slots of the node classes the fast path leaves empty, if the classes have them: what only the Python builder
# records, read as "not recorded" when empty (a node's extent, its start and end marks, made for text edits). Any other
# slot the fast path does not fill makes its setup refuse the classes.
FAST_PATH_LEAVES_EMPTY = frozenset({"_extent"})


def start_fast_path(scalar=Scalar, mapping=Mapping, sequence=Sequence, pos=Pos):
    """(the C reader set up to build these classes, or None; why it is off, or ""). The C code stores fields straight
    into the classes' slots, so its setup() refuses classes whose layout is not exactly the one it writes: then the
    Python builder reads every file, slower but never into a wrong layout."""
    if os.environ.get(NO_FASTYAML, "") not in ("", "0"):
        return None, f"switched off by {NO_FASTYAML}={os.environ[NO_FASTYAML]}"
    try:
        from . import _fastyaml
    except ImportError as exc:
        return None, f"not built ({exc}); it needs a C compiler and libyaml's headers (Debian: gcc libyaml-dev)"
    try:
        _fastyaml.setup(scalar, mapping, sequence, pos, NULLS, MAX_DEPTH, FAST_PATH_LEAVES_EMPTY)
    except TypeError as exc:
        return None, f"the node classes are not laid out as src/protokol/_fastyaml.c writes them: {exc}"
    return _fastyaml.read, ""


# Decided once, at import: the fast path for well-formed files (_fastyaml.c), or the builder below for every file.
_fast_read, FAST_PATH_OFF = start_fast_path()


def fast_read(text: str) -> Node | None:
    """The tree of a text with nothing unusual in it (one document; no anchors, aliases or tags; plain, unique
    keys), read by the C fast path; None when there is no fast path or the text needs the builder."""
    return _fast_read(text) if _fast_read is not None else None


class _Builder:
    """Builds nodes from the C parser's events, refusing what the format does not allow."""

    def __init__(self, text: str, out: Collector, ends: bool = False):
        self.events = yaml.parse(text, Loader=yaml.CSafeLoader)
        self.out = out
        self.depth = 0
        self.ends = ends
        # libyaml skips a byte order mark without counting it in its indexes; the marks count it, so that they index
        # the text as given (lines and columns stay the editor's: the mark is invisible there)
        self.skipped = 1 if text.startswith("\ufeff") else 0

    def build(self) -> Node | None:
        root: Node | None = None
        documents = 0
        for event in self.events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self._fatal(event, "yaml-multiple-documents", _("The file holds more than one YAML document."),
                                _("Keep one protocol per file; remove the '---' line."))
                root = self._node(next(self.events))
        return root

    def _fatal(self, event, code: str, message: str, hint: str) -> None:
        self.out.add(Pos(event.start_mark.line + 1, event.start_mark.column + 1), code, message, hint)
        raise _Fatal()

    def _check(self, event) -> None:
        if getattr(event, "anchor", None):
            self._fatal(event, "yaml-alias", _("Anchors (&{name}) are not allowed.").format(name=event.anchor),
                        _("Write the text out in full: anchors and aliases make a protocol hard to read and can be abused."))
        tag = getattr(event, "tag", None)
        if tag not in _ALLOWED_TAGS:
            self._fatal(event, "yaml-tag", _("The tag {tag} is not allowed.").format(tag=tag),
                        _("Remove the tag: protocol files hold plain text, lists and mappings only."))

    def _node(self, event) -> Node:
        if isinstance(event, yaml.AliasEvent):
            self._fatal(event, "yaml-alias", _("Aliases (*{name}) are not allowed.").format(name=event.anchor),
                        _("Write the text out in full: anchors and aliases make a protocol hard to read and can be abused."))
        self._check(event)
        line, col = event.start_mark.line + 1, event.start_mark.column + 1
        if isinstance(event, yaml.ScalarEvent):
            plain = event.implicit[0] and not event.style  # the C parser reports plain style as ''
            value = None if plain and event.value in NULLS else event.value
            scalar = Scalar(value, line, col, quoted=not plain, style=event.style)
            if self.ends:
                self._extent(scalar, event, event)
            return scalar
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self._fatal(event, "yaml-too-deep", _("The file is nested more than {n} levels deep.").format(n=MAX_DEPTH),
                        _("A protocol is never this deep; the file is probably damaged or generated by mistake."))
        if isinstance(event, yaml.SequenceStartEvent):
            node: Node = Sequence(line, col)
            for item in self.events:
                if isinstance(item, yaml.SequenceEndEvent):
                    if self.ends:
                        self._extent(node, event, item)
                    break
                node.items.append(self._node(item))
        else:
            node = Mapping(line, col)
            for key_event in self.events:
                if isinstance(key_event, yaml.MappingEndEvent):
                    if self.ends:
                        self._extent(node, event, key_event)
                    break
                key = self._node(key_event)
                value = self._node(next(self.events))
                if not isinstance(key, Scalar) or key.value is None:
                    self.out.add(key.pos, "yaml-key", _("A key must be plain text."), _("Write keys as `name: value`."))
                    continue
                if key.value in node.items:
                    first = node.items[key.value][0]
                    self.out.add(key.pos, "yaml-duplicate-key",
                                 _("Duplicate key '{key}': it is already set on line {line}.").format(key=key.value, line=first.line),
                                 _("YAML keeps only the last of two equal keys and silently loses the other: merge them or rename one."),
                                 related=((first.line, first.col),))
                    continue
                node.items[key.value] = (key, value)
        self.depth -= 1
        return node


    def _extent(self, node: Node, start, end) -> None:
        """Record where `node` lies: from the start mark of its first event to the end mark of its last."""
        first, last = start.start_mark, end.end_mark
        node._extent = Extent(Mark(first.line + 1, first.column + 1, first.index + self.skipped),
                              Mark(last.line + 1, last.column + 1, last.index + self.skipped),
                              bool(getattr(start, "flow_style", False)))


def _too_large(size: int, out: Collector) -> bool:
    if size <= MAX_FILE_BYTES:
        return False
    out.add(Pos(1, 1), "yaml-too-large",
            _("The file is {size} MB; protocol files are limited to {limit} MB.").format(
                size=size // (1024 * 1024), limit=MAX_FILE_BYTES // (1024 * 1024)),
            _("A protocol is a few kilobytes; move attachments out of the YAML file."))
    return True


def read_bytes(path, out: Collector) -> bytes | None:
    """A file's bytes: a regular file of at most MAX_FILE_BYTES, read with that limit (paths.read_regular), so that
    a named pipe, a device (a link to /dev/zero) or a folder is reported with its path instead of hanging or
    eating memory."""
    from .paths import NotAFile, TooLarge, read_regular

    try:
        return read_regular(path, MAX_FILE_BYTES)
    except TooLarge as exc:
        _too_large(exc.size, out)
    except NotAFile as exc:
        out.add(Pos(1, 1), "file-unreadable", _("Cannot read the file: {reason}.").format(reason=exc.strerror),
                _("protokol reads plain files only: remove or rename what stands at this path."))
    except OSError as exc:
        out.add(Pos(1, 1), "file-unreadable", _("Cannot read the file: {reason}.").format(reason=exc.strerror or exc),
                _("Check that the path exists and that you may read it."))
    return None


def parse_bytes(data: bytes, out: Collector, keep_text: bool = True) -> tuple[Node | None, str | None]:
    """Bytes (a file's, or a version from git) -> (tree or None, text or None), problems recorded in `out`.

    Without `keep_text` (the caller needs the tree alone) a clean file is read by the fast path straight from its
    bytes, neither decoded into a str nor encoded back for libyaml (text None); anything else as with it."""
    if _too_large(len(data), out):
        return None, None
    if not keep_text and _fast_read is not None:
        tree = _fast_bytes(data)
        if tree is not None:
            return tree, None
    text = decode(data, out)
    if text is None:
        return None, None
    return parse(text, out), text


_LS, _PS, _NEL = ("\u2028".encode(), "\u2029".encode(), "\x85".encode())  # what _odd_break reports, in UTF-8


def _fast_bytes(data: bytes) -> Node | None:
    """The fast path's tree of UTF-8 bytes, None when they need what parse() does first: the text libyaml reads is
    the same (a valid str encodes back to exactly these bytes, less the BOM decode() drops); libyaml refuses bytes
    that are not UTF-8, and the builder's path then names the problem, as it does a line break _odd_break reports."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if _LS in data or _PS in data or _NEL in data:
        return None
    try:
        return _fast_read(data)
    except UnicodeDecodeError:  # what libyaml lets through and Python's strict decoder does not: the slow path says
        return None


def read_file(path, display: str | None = None) -> tuple[Node | None, list, str | None]:
    """Read and parse one file. Returns (tree or None, problems, text or None)."""
    out = Collector(display or str(path))
    data = read_bytes(path, out)
    if data is None:
        return None, out.problems, None
    tree, text = parse_bytes(data, out)
    return tree, out.problems, text

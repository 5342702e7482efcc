"""Reading existing minutes (.txt, .md, .docx) into numbered lines: encodings, Word artefacts and tables made plain.

The parser never sees bytes, runs or XML: it gets `Line`s, each with the source line number (for .docx: the number of
the paragraph in body order, table cells included) that the report of uncertain spots points at.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import _

SUFFIXES = (".txt", ".md", ".markdown", ".docx")
# Limits against hostile or broken files (docs/security.md, each with its test in tests/test_hostile.py): a file of
# minutes is read only up to MAX_SOURCE_BYTES; a .docx is a zip whose members are checked, from its directory and
# before anything is unpacked, against MAX_DOCX_MEMBER and MAX_DOCX_TOTAL (a 4 MB file can unpack to gigabytes).
MAX_SOURCE_BYTES = 50 * 1024 * 1024
MAX_DOCX_MEMBER = 50 * 1024 * 1024
MAX_DOCX_TOTAL = 200 * 1024 * 1024
MAX_DOCX_MEMBERS = 10_000


@dataclass(frozen=True)
class Line:
    no: int  # 1-based source line (paragraph for .docx)
    text: str  # cleaned: artefacts gone, runs of whitespace collapsed, stripped
    raw: str = ""  # artefacts gone but tabs and runs of spaces kept (they separate columns in signature lines)
    cells: tuple[str, ...] | None = None  # a table row: the text of each cell
    blank_before: bool = False  # an empty line (or paragraph) came before this one


@dataclass
class Source:
    path: str
    lines: list[Line] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, note) about reading itself (encoding…)


class SourceError(Exception):
    """The file cannot be read as minutes at all (missing, not a DOCX, unknown suffix)."""


# Word and pandoc leave these in text exports: bookmarks, anchors, soft hyphens, zero-width characters.
_ARTEFACTS = re.compile(r"\[bookmark:[^\]]*\]|\[\]\{#[^}]*\}|\{#[\w.-]+(?: \.[\w-]+)*\}|[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BOLD = re.compile(r"\*\*|__")
_ANGLE_URL = re.compile(r"<((?:https?|ftp)://[^>\s]+)>")
_MD_LINK = re.compile(r"\[([^\]]+)\]\(((?:https?|ftp)://[^)\s]+)\)")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~\"'])")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$|^\s*\+[-=+]+\+\s*$")


def clean(text: str, markdown: bool = False) -> str:
    """Artefacts removed, markup of emphasis dropped, whitespace kept as it is (see `collapse`)."""
    text = _ARTEFACTS.sub("", text)
    text = _ANGLE_URL.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1 \2", text)
    text = _BOLD.sub("", text)
    if markdown:
        text = _MD_HEADING.sub("", text)
        text = _MD_ESCAPE.sub(r"\1", text)
    return text


def collapse(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def decode(data: bytes) -> tuple[str, str | None]:
    """Text and a note when it was not UTF-8 (utf-8, utf-8 with BOM, utf-16 with BOM, cp1251 are recognised)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), _("read as UTF-16 and converted to UTF-8")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1251", errors="replace")
    letters = sum(1 for ch in text if "\u0410" <= ch <= "\u044f" or ch in "Ёё")
    if letters >= max(3, len(text) // 20):
        return text, _("the file is in Windows-1251 (cp1251); it was converted to UTF-8")
    return data.decode("utf-8", errors="replace"), _("the file is not valid UTF-8; unreadable bytes were replaced by �")


def _table_cells(text: str) -> tuple[str, ...] | None:
    """Cells of a pipe-table row («| a | b |»), or None when the line is not one."""
    stripped = text.strip()
    if stripped.count("|") < 2 or not (stripped.startswith("|") or stripped.endswith("|")):
        return None
    parts = stripped.split("|")
    if parts and not parts[0].strip():
        parts = parts[1:]
    if parts and not parts[-1].strip():
        parts = parts[:-1]
    return tuple(collapse(p) for p in parts)


def text_lines(text: str, markdown: bool = False) -> list[Line]:
    """Lines of a plain-text or Markdown document; pipe tables become rows with cells."""
    out: list[Line] = []
    blank = False
    for no, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        raw = clean(raw, markdown)
        cleaned = collapse(raw)
        if not cleaned or _TABLE_RULE.match(raw):
            blank = blank or not cleaned
            continue
        # A row that starts with a stray «- » is pandoc's rendering of a table's first row: still a row.
        cells = _table_cells(raw[1:] if raw.lstrip().startswith("- |") else raw) if "|" in raw else None
        out.append(Line(no, cleaned, raw.rstrip(), cells, blank))
        blank = False
    return out


def read_source(path: Path, display: str | None = None) -> Source:
    """Read one file of minutes into lines; raises SourceError when it cannot be read at all."""
    shown = display or str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise SourceError(_("{path}: cannot import a '{suffix}' file; give .txt, .md or .docx.").format(path=shown, suffix=suffix or path.name))
    from ..paths import read_regular

    try:  # a named pipe, a device or a folder is refused, never waited on or read without end
        data = read_regular(path, MAX_SOURCE_BYTES)
    except OSError as exc:
        raise SourceError(_("{path}: cannot read the file: {reason}.").format(path=shown, reason=exc.strerror or exc)) from None
    source = Source(shown)
    if suffix == ".docx":
        source.lines = docx_lines(data, shown, source.notes)
        return source
    text, note = decode(data)
    if note:
        source.notes.append((1, note))
    source.lines = text_lines(text, markdown=suffix in (".md", ".markdown"))
    return source


# --------------------------------------------------------------------------------------------------------- DOCX
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ROMAN = (("m", 1000), ("cm", 900), ("d", 500), ("cd", 400), ("c", 100), ("xc", 90), ("l", 50), ("xl", 40), ("x", 10),
          ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))
_RU_LETTERS = "абвгдежзиклмнопрстуфхцчшщэюя"


def _roman(n: int) -> str:
    out = []
    for letters, value in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = chr(ord("a") + (n - 1) % 26)
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("russianLower", "russianUpper"):
        s = _RU_LETTERS[(n - 1) % len(_RU_LETTERS)]
        return s.upper() if fmt == "russianUpper" else s
    if fmt in ("lowerRoman", "upperRoman"):
        s = _roman(n)
        return s.upper() if fmt == "upperRoman" else s
    return str(n)


class _Numbering:
    """Word list numbering: the label («1.», «1.2.», «–») each numbered paragraph shows, counted in body order."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId -> ilvl -> (start, numFmt, lvlText)
        self.counters: dict[str, dict[int, int]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering = None
        if numbering is not None:
            abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
            for an in numbering.iter(_W + "abstractNum"):
                levels = {}
                for lvl in an.iter(_W + "lvl"):
                    start = lvl.find(_W + "start")
                    fmt = lvl.find(_W + "numFmt")
                    text = lvl.find(_W + "lvlText")
                    levels[int(lvl.get(_W + "ilvl", "0"))] = (
                        int(start.get(_W + "val", "1")) if start is not None else 1,
                        fmt.get(_W + "val", "decimal") if fmt is not None else "decimal",
                        text.get(_W + "val", "") if text is not None else "")
                abstract[an.get(_W + "abstractNumId")] = levels
            for num in numbering.iter(_W + "num"):
                ref = num.find(_W + "abstractNumId")
                levels = dict(abstract.get(ref.get(_W + "val") if ref is not None else "", {}))
                for override in num.iter(_W + "lvlOverride"):
                    start = override.find(_W + "startOverride")
                    ilvl = int(override.get(_W + "ilvl", "0"))
                    if start is not None and ilvl in levels:
                        _s, fmt, text = levels[ilvl]
                        levels[ilvl] = (int(start.get(_W + "val", "1")), fmt, text)
                self.levels[num.get(_W + "numId")] = levels
        try:
            for style in document.styles.element.iter(_W + "style"):
                num_pr = style.find(f"{_W}pPr/{_W}numPr")
                if num_pr is not None:
                    num_id = num_pr.find(_W + "numId")
                    ilvl = num_pr.find(_W + "ilvl")
                    if num_id is not None:
                        self.style_num[style.get(_W + "styleId")] = (
                            num_id.get(_W + "val"), int(ilvl.get(_W + "val", "0")) if ilvl is not None else 0)
        except AttributeError:
            pass

    def label(self, p) -> str | None:
        ppr = p.find(_W + "pPr")
        num_id, ilvl = None, 0
        if ppr is not None:
            num_pr = ppr.find(_W + "numPr")
            if num_pr is not None:
                nid = num_pr.find(_W + "numId")
                lvl = num_pr.find(_W + "ilvl")
                num_id = nid.get(_W + "val") if nid is not None else None
                ilvl = int(lvl.get(_W + "val", "0")) if lvl is not None else 0
            if num_id is None:
                style = ppr.find(_W + "pStyle")
                if style is not None and style.get(_W + "val") in self.style_num:
                    num_id, ilvl = self.style_num[style.get(_W + "val")]
        if num_id is None or num_id == "0" or num_id not in self.levels:
            return None
        levels = self.levels[num_id]
        start, fmt, text = levels.get(ilvl, (1, "decimal", f"%{ilvl + 1}."))
        if fmt in ("bullet", "none"):
            return "-" if fmt == "bullet" else None
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def value(m: re.Match) -> str:
            level = int(m.group(1)) - 1
            lstart, lfmt, _t = levels.get(level, (1, "decimal", ""))
            return _format_number(counters.get(level, lstart), lfmt)

        return re.sub(r"%(\d)", value, text).strip() or None


def _paragraph_text(p, entities: list[str] | None = None) -> str:
    """The visible text of a paragraph element: every run (however Word split them), tabs and breaks kept.

    The XML parser leaves entities unresolved (no expansion bombs, no external files): such an entity reference
    stays in place as «&name;», the text after it is kept, and its name goes into `entities` for the report."""
    parts = []
    for el in p.iter(_W + "t", _W + "tab", _W + "br", _W + "cr", _W + "delText", _W + "instrText", _W + "noBreakHyphen"):
        tag = el.tag
        if tag == _W + "t":
            parts.append(el.text or "")
            for child in el:  # an unresolved entity is a child node; the text after it is that node's tail
                if not isinstance(child.tag, str):
                    parts.append(f"&{child.text.strip('&;') if child.text else '?'};")
                    if entities is not None:
                        entities.append(child.text or "")
                parts.append(child.tail or "")
        elif tag == _W + "tab":
            if el.getparent() is not None and el.getparent().tag == _W + "r":
                parts.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            parts.append("\n")
        elif tag == _W + "noBreakHyphen":
            parts.append("-")
    return "".join(parts)


def _check_members(data: bytes, shown: str) -> None:
    """Refuse a .docx whose members would unpack past the limits, from the zip directory, before unpacking any.

    The sizes written in the directory are binding: Python's zipfile stops a member at its stated size and then
    fails its CRC check, so a member that lies about its size cannot unpack to more than it says."""
    import io
    import zipfile

    from ..paths import megabytes

    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise SourceError(_("{path}: not a readable .docx file ({reason}).").format(path=shown, reason=exc)) from None
    if len(members) > MAX_DOCX_MEMBERS:
        raise SourceError(_("{path}: the .docx holds {n} parts; a document has a few dozen, so it is refused.").format(
            path=shown, n=len(members)))
    for member in members:
        if member.file_size > MAX_DOCX_MEMBER:
            raise SourceError(_("{path}: the part {member} of the .docx unpacks to {size}, over the limit of {limit}; "
                                "the file is refused as a possible zip bomb.").format(
                path=shown, member=member.filename[:200], size=megabytes(member.file_size), limit=megabytes(MAX_DOCX_MEMBER)))
    total = sum(m.file_size for m in members)
    if total > MAX_DOCX_TOTAL:
        raise SourceError(_("{path}: the .docx unpacks to {size}, over the limit of {limit}; the file is refused as a "
                            "possible zip bomb.").format(path=shown, size=megabytes(total), limit=megabytes(MAX_DOCX_TOTAL)))


def _open_docx(data: bytes, shown: str):
    """The python-docx Document, or SourceError. python-docx parses every XML part with lxml without resolving
    entities and without the network, with libxml2's limits on (10 MB a text node, 256 levels of nesting): what
    breaks a limit, malformed XML and a broken package are a message about the file, not a crash."""
    import io
    import zipfile

    try:
        import docx  # python-docx: heavy, so imported only here
        from lxml import etree
    except ImportError:  # pragma: no cover - a dependency of the package
        raise SourceError(_("{path}: reading .docx needs python-docx (pip install python-docx).").format(path=shown)) from None
    _check_members(data, shown)
    try:
        return docx.Document(io.BytesIO(data))
    except etree.XMLSyntaxError as exc:
        raise SourceError(_("{path}: the .docx holds malformed XML ({reason}).").format(path=shown, reason=_short(exc))) from None
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, AttributeError, etree.LxmlError, OSError,
            EOFError, NotImplementedError) as exc:
        raise SourceError(_("{path}: not a readable .docx file ({reason}).").format(path=shown, reason=_short(exc))) from None


def _short(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 300 else text[:300] + "…"


def docx_lines(data: bytes, shown: str = "", notes: list[tuple[int, str]] | None = None) -> list[Line]:
    """Paragraphs and table rows of a .docx in body order; list numbers restored from Word's numbering.
    Notes about reading (an entity left unresolved) go into `notes` as (paragraph, note)."""
    document = _open_docx(data, shown)
    try:
        return _document_lines(document, notes if notes is not None else [])
    except (ValueError, TypeError, AttributeError, KeyError, RecursionError) as exc:
        # a numbering.xml or styles.xml that is well-formed XML but not what Word writes (a level «x», a missing id)
        raise SourceError(_("{path}: the .docx is damaged: {reason}.").format(path=shown, reason=_short(exc))) from None


def _document_lines(document, notes: list[tuple[int, str]]) -> list[Line]:
    numbering = _Numbering(document)
    out: list[Line] = []
    counter = 0
    blank = False

    def paragraph(p, in_table: bool = False) -> list[str]:
        nonlocal counter
        counter += 1
        entities: list[str] = []
        text = _paragraph_text(p, entities)
        for name in entities:
            notes.append((counter, _("the entity «{name}» was left as written: protokol does not expand entities of a "
                                     ".docx").format(name=name[:100])))
        label = numbering.label(p)
        if label and collapse(text):
            text = f"{label} {text}"
        return [clean(part) for part in text.split("\n")]

    def body(parent):
        nonlocal blank
        for child in parent.iterchildren():
            tag = child.tag
            if tag == _W + "p":
                no = counter + 1
                for raw in paragraph(child):
                    cleaned = collapse(raw)
                    if not cleaned:
                        blank = True
                        continue
                    out.append(Line(no, cleaned, raw.rstrip(), None, blank))
                    blank = False
            elif tag == _W + "tbl":
                table(child)
            elif tag == _W + "sdt":
                content = child.find(_W + "sdtContent")
                if content is not None:
                    body(content)

    def table(tbl):
        nonlocal blank
        for tr in tbl.iterchildren(_W + "tr"):
            no = counter + 1
            cells = []
            for tc in tr.iterchildren(_W + "tc"):
                texts = []
                for p in tc.iter(_W + "p"):
                    texts.extend(collapse(t) for t in paragraph(p, True))
                cells.append("\n".join(t for t in texts if t))
            if not any(cells):
                continue
            joined = " | ".join(c.replace("\n", " ") for c in cells)
            out.append(Line(no, collapse(joined), joined, tuple(cells), blank))
            blank = False

    body(document.element.body)
    return out

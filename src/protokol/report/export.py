"""`protokol export`: the whole archive as data for analysts and auditors: SQLite (the tables of TABLES), the same
tables as XLSX sheets, or JSONL (one decision per line, the JSON of `due`). Pure: loaded protocols, the evaluated
decisions (exactly what `due --all` lists), the references and the people directory in; rows, then the file's bytes,
out. Dates are ISO text, booleans 0/1, files relative to the archive root (docs/reports.md describes every column)."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from ..index import FLAT_RESPONSIBLE
from ..people import Directory, accountable_by
from ..series import series_key
from ..status import Decision

FORMATS = ("sqlite", "xlsx", "jsonl")

# table -> (column, SQLite declaration); the first column of protocols and decisions is the key others refer to
TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "protocols": (("id", "TEXT PRIMARY KEY"), ("file", "TEXT"), ("date", "TEXT"), ("number", "TEXT"),
                  ("title", "TEXT"), ("series", "TEXT"), ("kind", "TEXT"), ("status", "TEXT"),
                  ("organization", "TEXT"), ("chair", "TEXT"), ("secretary", "TEXT"), ("signed_by", "TEXT"),
                  ("signed_date", "TEXT")),
    "agenda_items": (("protocol", "TEXT REFERENCES protocols(id)"), ("number", "TEXT"), ("title", "TEXT")),
    "decisions": (("id", "TEXT PRIMARY KEY"), ("protocol", "TEXT REFERENCES protocols(id)"), ("number", "TEXT"),
                  ("text", "TEXT"), ("deadline_text", "TEXT"), ("kind", "TEXT"), ("due", "TEXT"),
                  ("original_due", "TEXT"), ("status", "TEXT"), ("status_date", "TEXT"), ("overdue", "INTEGER"),
                  ("days_overdue", "INTEGER"), ("responsible", "TEXT"), ("report", "TEXT"), ("reason", "TEXT")),
    "decision_responsible": (("decision", "TEXT REFERENCES decisions(id)"), ("name", "TEXT"), ("person", "TEXT")),
    "control_events": (("decision", "TEXT REFERENCES decisions(id)"), ("event", "TEXT"), ("date", "TEXT"),
                       ("to_date", "TEXT"), ("reason", "TEXT"), ("report", "TEXT"), ("source", "TEXT")),
    "people": (("name", "TEXT"), ("position", "TEXT"), ("email", "TEXT"), ("is_group", "INTEGER")),
}
INDEXES = (("decisions", "protocol"), ("decision_responsible", "decision"), ("control_events", "decision"),
           ("agenda_items", "protocol"))
_STATUS_EVENT = {"done": "done", "cancelled": "cancel", "open": "reopen"}


@dataclass(frozen=True)
class Archive:
    """What an export is made of."""

    protocols: list[tuple]  # the rows of `protocols` (protocol_rows)
    agenda: list[tuple]  # the rows of `agenda_items` (protocol_rows)
    # the entries of `due --all`: selection.select(index, Filter(all=True), today), or selection.stream's items in the
    # same order, a plain item as its position in the resolution (then `plain` gives its rows)
    decisions: list[Decision | int]
    refs: object  # index.resolution.refs: decision id -> the references acting on it
    directory: Directory
    root: str  # the archive folder, absolute: files are written relative to it
    files: dict[str, str]  # protocol id -> its file as the index shows it (for the source of a reference)
    plain: PlainItems | None = None


class PlainItems:
    """What the tables and the JSONL hold of a plain item (no control marks, no reference reaching it: open, due as
    written), from its stored entry, without evaluating it: what `evaluate` would make of it (the JSONL line is
    report.due.PlainRows', byte for byte that of the Decision; tests/test_reports.py compares the whole export)."""

    def __init__(self, index, today: date):
        from .due import PlainRows

        self.index, self.res, self.now = index, index.resolution, today.toordinal()
        self.json = PlainRows(index, today).json

    def item(self, g: int) -> tuple[str, object, tuple]:
        """(decision id, its index.Meeting, its entry as stored: index._flat)."""
        f = self.index.file(self.res.file[g])
        flat = f.flat(self.res.pos[g])
        return f"{f.meeting.id}/{flat[0]}", f.meeting, flat

    def row(self, g: int) -> tuple:
        """The item's row of `decisions`."""
        ident, mt, (key, _anc, _line, _col, text, deadline, kind, due, _rule, responsible, *_rest) = self.item(g)
        late = self.now - due if due and due < self.now else 0
        day = date.fromordinal(due).isoformat() if due else None
        return (ident, mt.id, key, text, deadline, kind, day, day, "open", None, int(late > 0), late,
                "; ".join(responsible), None, None)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _relative_to(root: str):
    """A file as shown (relative to the current folder) -> relative to the archive root; each file worked out once."""
    known: dict[str, str] = {}

    def relative(shown: str) -> str:
        found = known.get(shown)
        if found is None:
            found = known[shown] = os.path.relpath(os.path.abspath(shown), root).replace(os.sep, "/")
        return found

    return relative


def rows(archive: Archive) -> dict[str, Iterable[tuple]]:
    """Every table's rows, in TABLES' column order (generators: a table is made as it is written)."""
    relative = _relative_to(archive.root)
    return {"protocols": archive.protocols, "agenda_items": archive.agenda,
            "decisions": _decisions(archive), "decision_responsible": _responsible(archive),
            "control_events": _events(archive, relative),
            "people": _people(archive.directory)}


def protocol_rows(meetings: Iterable[tuple], root: str) -> tuple[list[tuple], list[tuple]]:
    """The rows of `protocols` and of `agenda_items` from each protocol's index (status.Index: one file per id, the
    first; `check` reports a second), as (index.Meeting, status.about_protocol's tuple) pairs: a warm export reads no
    protocol file. A protocol without its fields (a file unreadable since it was scanned) has no row."""
    relative = _relative_to(root)
    found, agenda = [], []
    for mt, about in meetings:
        if not about:
            continue
        kind, organization, chair, secretary, signed_by, signed_on, items = about
        found.append((mt.id, relative(mt.file), mt.date.isoformat(), mt.number, mt.title, series_key(mt.title), kind,
                      "draft" if mt.draft else "final", organization, chair, secretary, signed_by,
                      date.fromordinal(signed_on).isoformat() if signed_on else None))
        agenda.extend((mt.id, key, title) for key, title in items)
    return found, agenda


def _decisions(archive: Archive) -> Iterator[tuple]:
    plain = archive.plain
    for d in archive.decisions:
        if type(d) is int:
            yield plain.row(d)
            continue
        e = d.entry
        yield (d.id, e.protocol, e.key, e.text, e.deadline, e.kind, _iso(d.due), _iso(e.due), d.status,
               _iso(d.status_date), int(d.overdue), d.days_overdue, "; ".join(e.responsible), d.report, d.reason)


def _responsible(archive: Archive) -> Iterator[tuple]:
    """One row per executor as written, with the directory's person (or group) it names; a body with two persons in
    brackets gives a row for each."""
    who = accountable_by(archive.directory) if archive.directory else None  # no directory: nobody is known
    for d in archive.decisions:
        if type(d) is int:
            ident, _meeting, flat = archive.plain.item(d)
            responsible = flat[FLAT_RESPONSIBLE]
        else:
            ident, responsible = d.id, d.entry.responsible
        for written in responsible:
            known = [a.name for a in who((written,)) if a.entry is not None] if who is not None else None
            for person in known or [None]:
                yield ident, written, person


def _events(archive: Archive, relative) -> Iterator[tuple]:
    """The control events of each decision: its own marks and those of its lead lines (source: its file), and the
    references of later protocols acting on it (source: the acting protocol's file). A plain item has none."""
    for d in archive.decisions:
        if type(d) is int:
            continue
        e = d.entry
        own = relative(d.meeting.file)
        for marks in (e.marks, *e.inherited):
            if marks is None:
                continue
            if marks.status != "open" or marks.date is not None:
                yield d.id, _STATUS_EVENT[marks.status], _iso(marks.date), None, marks.reason, marks.report, own
            for to, reason, on, _by in marks.extensions:
                yield d.id, "extend", _iso(on), _iso(to), reason, None, own
            for occurrence in marks.closed:  # the older form: which occurrence, not when
                yield d.id, "done_occurrence", None, _iso(occurrence), None, marks.report, own
            for occurrence, day, report in marks.occurrences:
                yield d.id, "done_occurrence", _iso(day), _iso(occurrence), None, report, own
            for closing in marks.history:  # (status, date, reason, report, reopened, occurrence)
                event = _STATUS_EVENT.get(closing[0], closing[0])
                yield d.id, event, _iso(closing[1]), None, closing[2], closing[3], own
        for key in (e.key, *e.ancestors):
            for ref in archive.refs.get(f"{e.protocol}/{key}", ()):
                source = archive.files.get(ref.by.partition("/")[0])
                yield (d.id, ref.action, _iso(ref.day), _iso(ref.to), ref.text, None,
                       relative(source) if source else None)


def _people(directory: Directory) -> Iterator[tuple]:
    for entry in directory.entries:
        yield entry.name, entry.position, entry.email, 0
    for group in directory.groups:
        yield group.name, None, group.email, 1


def to_sqlite(archive: Archive) -> bytes:
    """The SQLite database, built in memory and returned whole (the command replaces the file atomically)."""
    db = sqlite3.connect(":memory:")
    try:
        for table, columns in TABLES.items():
            db.execute(f"CREATE TABLE {table} ({', '.join(f'{name} {kind}' for name, kind in columns)})")
        for table, found in rows(archive).items():
            marks = ", ".join("?" * len(TABLES[table]))
            db.executemany(f"INSERT INTO {table} VALUES ({marks})", found)
        for table, column in INDEXES:
            db.execute(f"CREATE INDEX {table}_{column} ON {table} ({column})")
        db.commit()
        return db.serialize()
    finally:
        db.close()


def to_jsonl(archive: Archive) -> bytes:
    """One decision per line, as `due --format json` gives it (docs/due.md), in the order of `due --all`; UTF-8."""
    from .due import as_dict

    encode = json.JSONEncoder(ensure_ascii=False).encode
    plain = archive.plain.json if archive.plain is not None else None
    return b"".join((plain(d) if type(d) is int else encode(as_dict(d)).encode()) + b"\n" for d in archive.decisions)


def to_xlsx(archive: Archive) -> bytes:
    """The tables as sheets of one workbook, a header row (bold, shaded, frozen) with a filter on each.

    Written here rather than through XlsxWriter: a 10,000-protocol archive is three million cells, which XlsxWriter's
    cell-by-cell calls took 19 s of processor time to write, and these sheets need nothing but rows of plain values.
    Each text is written once, in the table of shared strings (ids, dates and names repeat: a third of the bytes to
    compress), numbers as numbers, nothing for an empty value or text; the parts carry no time, so the same archive
    gives the same bytes."""
    import io
    import zipfile

    out = io.BytesIO()
    last: dict[str, str] = {}  # table -> the cell its filter ends at
    strings: dict[str, int] = {}  # every text once, numbered in order of appearance
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for n, (table, found) in enumerate(rows(archive).items(), start=1):
            with book.open(_member(f"xl/worksheets/sheet{n}.xml"), _NEW_MEMBER) as sheet:
                last[table] = _write_sheet(sheet, [name for name, _kind in TABLES[table]], found, strings)
        with book.open(_member("xl/sharedStrings.xml"), _NEW_MEMBER) as table:
            table.write(f'{_XML}<sst xmlns="{_MAIN}" uniqueCount="{len(strings)}">'.encode())
            chunk = []
            for text in strings:
                chunk.append(f'<si><t xml:space="preserve">{_text(text)}</t></si>')
                if len(chunk) == 20000:
                    table.write("".join(chunk).encode("utf-8"))
                    chunk = []
            table.write(("".join(chunk) + "</sst>").encode("utf-8"))
        for name, text in _package(last).items():
            book.writestr(_member(name), text)
    return out.getvalue()


_NEW_MEMBER = "w"  # ZipFile.open's mode for a new part of the workbook, which is made in memory: no file is written
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_NEEDS_ESCAPE = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_STYLES = (f'{_XML}<styleSheet xmlns="{_MAIN}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
           '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="3"><fill><patternFill '
           'patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill '
           'patternType="solid"><fgColor rgb="FFDDE6F0"/><bgColor indexed="64"/></patternFill></fill></fills>'
           '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs '
           'count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf '
           'numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="2" '
           'borderId="0" xfId="0" applyFont="1" applyFill="1"/></cellXfs><cellStyles count="1"><cellStyle '
           'name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def _member(name: str):
    import zipfile

    info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _column(n: int) -> str:
    """The letters of column n (0: A, 26: AA)."""
    name = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(65 + rest) + name
    return name


def _text(value: str) -> str:
    """Text as XML character data; a control character (which XML cannot hold) as Excel's escape _xHHHH_."""
    if _NEEDS_ESCAPE.search(value) is None:
        return value
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", value)


def _write_sheet(sheet, names: list[str], found: Iterable[tuple], strings: dict[str, int]) -> str:
    """One table's sheet, written as its rows come (UTF-8 in pieces), its texts numbered in `strings`; the cell the
    filter ends at."""
    columns = [_column(i) for i in range(len(names))]
    number = strings.setdefault
    head = "".join(f'<c r="{c}1" s="1" t="s"><v>{number(name, len(strings))}</v></c>'
                   for c, name in zip(columns, names, strict=True))
    parts = [f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheetViews><sheetView workbookViewId="0">'
             '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/>'
             f'</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData><row r="1">{head}</row>']
    n = 1
    for n, row in enumerate(found, start=2):
        parts.append(f'<row r="{n}">')
        for column, value in zip(columns, row, strict=True):
            if value is None or value == "":  # an empty cell, as XlsxWriter leaves it
                continue
            if type(value) is str:
                known = strings.get(value)
                if known is None:
                    known = strings[value] = len(strings)
                parts.append(f'<c r="{column}{n}" t="s"><v>{known}</v></c>')
            else:
                parts.append(f'<c r="{column}{n}"><v>{int(value)}</v></c>')
        parts.append("</row>")
        if len(parts) > 20000:
            sheet.write("".join(parts).encode("utf-8"))
            parts = []
    end = f"{columns[-1]}{max(n, 2)}"
    parts.append(f'</sheetData><autoFilter ref="A1:{end}"/></worksheet>')
    sheet.write("".join(parts).encode("utf-8"))
    return end


def _package(last: dict[str, str]) -> dict[str, str]:
    """The parts around the sheets and the shared strings: content types, relationships, the workbook (with each
    sheet's filter range) and the styles (the header's)."""
    sheets = range(1, len(last) + 1)
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">{table}!$A$1:'
        f'${end.rstrip("0123456789")}${end.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}</definedName>'
        for n, (table, end) in enumerate(last.items()))
    return {
        "[Content_Types].xml": (
            f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default '
            'Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default '
            'Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
            '"/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{sheet_type}"/>' for n in sheets)
            + "</Types>"),
        "_rels/.rels": (f'{_XML}<Relationships xmlns="{_PACKAGE_RELS}"><Relationship Id="rId1" Type="{_RELS}/'
                        'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/_rels/workbook.xml.rels": (
            f'{_XML}<Relationships xmlns="{_PACKAGE_RELS}">'
            + "".join(f'<Relationship Id="rId{n}" Type="{_RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                      for n in sheets)
            + f'<Relationship Id="rId{len(last) + 1}" Type="{_RELS}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{len(last) + 2}" Type="{_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"),
        "xl/workbook.xml": (
            f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><bookViews><workbookView/></bookViews><sheets>'
            + "".join(f'<sheet name="{table}" sheetId="{n}" r:id="rId{n}"/>' for n, table in enumerate(last, 1))
            + f"</sheets><definedNames>{filters}</definedNames></workbook>"),
        "xl/styles.xml": _STYLES,
    }

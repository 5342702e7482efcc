"""`protokol export`: the whole archive as data for analysts and auditors: SQLite (the tables of TABLES), the same
tables as XLSX sheets, or JSONL (one decision per line, the JSON of `due`). Pure: loaded protocols, the evaluated
decisions (exactly what `due --all` lists), the references and the people directory in; rows, then the file's bytes,
out. Dates are ISO text, booleans 0/1, files relative to the archive root (docs/reports.md describes every column)."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

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
    decisions: list[Decision]  # selection.select(index, Filter(all=True), today): the entries of `due --all`
    refs: object  # index.resolution.refs: decision id -> the references acting on it
    directory: Directory
    root: str  # the archive folder, absolute: files are written relative to it
    files: dict[str, str]  # protocol id -> its file as the index shows it (for the source of a reference)


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
    first; `check` reports a second), as (index.Meeting, index.about_protocol's tuple) pairs: a warm export reads no
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
    for d in archive.decisions:
        e = d.entry
        yield (d.id, e.protocol, e.key, e.text, e.deadline, e.kind, _iso(d.due), _iso(e.due), d.status,
               _iso(d.status_date), int(d.overdue), d.days_overdue, "; ".join(e.responsible), d.report, d.reason)


def _responsible(archive: Archive) -> Iterator[tuple]:
    """One row per executor as written, with the directory's person (or group) it names; a body with two persons in
    brackets gives a row for each."""
    who = accountable_by(archive.directory)
    for d in archive.decisions:
        for written in d.entry.responsible:
            known = [a.name for a in who((written,)) if a.entry is not None]
            for person in known or [None]:
                yield d.id, written, person


def _events(archive: Archive, relative) -> Iterator[tuple]:
    """The control events of each decision: its own marks and those of its lead lines (source: its file), and the
    references of later protocols acting on it (source: the acting protocol's file)."""
    for d in archive.decisions:
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


def to_jsonl(archive: Archive) -> str:
    """One decision per line, as `due --format json` gives it (docs/due.md), in the order of `due --all`."""
    from .due import as_dict

    encode = json.JSONEncoder(ensure_ascii=False).encode
    return "".join(encode(as_dict(d)) + "\n" for d in archive.decisions)


def to_xlsx(archive: Archive) -> bytes:
    """The tables as sheets of one workbook, a header row with a filter on each (XlsxWriter, constant memory)."""
    import io

    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_numbers": False,
                                     "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"created": None})
    head = book.add_format({"bold": True, "bg_color": "#DDE6F0"})
    for table, found in rows(archive).items():
        sheet = book.add_worksheet(table)
        names = [name for name, _kind in TABLES[table]]
        sheet.write_row(0, 0, names, head)
        n = 0
        for n, row in enumerate(found, start=1):
            for col, value in enumerate(row):
                if value is not None:
                    sheet.write(n, col, value)
        sheet.autofilter(0, 0, max(n, 1), len(names) - 1)
        sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()

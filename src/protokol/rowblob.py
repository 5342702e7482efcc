"""The rows of `due`'s default list prepared for the whole archive: one file of output text instead of 10,000.

A warm `due` of every open decision (no filter) prints tens of thousands of plain rows (an item without control
marks or a reference reaching it: open, due as written), each the same on every run but for `overdue` and
`days_overdue`. When the index is built (cache.py), the plain rows of the default list (selection.Filter()) are
written here in the list's static order (index.Resolution.order), one section per format: JSON rows each ending in
",\\n", CSV rows each ending in "\\r\\n", a NUL where `overdue` goes. A warm run reads the file memory-mapped and
writes long runs of consecutive rows as one slice each, the NUL replaced by the run's `overdue` (the rows are sorted
by due date: those of one day share it); the rows that are not plain (`others`: evaluated by the rules, today's
occurrence of a recurring item, items later protocols act on) are put in their places by their sort key.

The rows hold each file's name as it was shown when they were made (relative to the current folder then): cache.py
uses them only from the same folder. The file holds output text only, never unpickled or unmarshalled; how it is
trusted: docs/performance.md, "the cache".
"""

from __future__ import annotations

import csv
import io
import json
import mmap
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator
from datetime import date
from itertools import accumulate, islice
from json.encoder import encode_basestring as _encode_string

from .i18n import _
from .index import RECURRING, ROW_PARTS, UNSURE
from .rowparts import DUE_SHIFT, NO_DUE, csv_field
from .rudates import shown_day
from .selection import Filter, Query
from .status import Decision, evaluate

_encode = json.JSONEncoder(ensure_ascii=False).encode

FORMATS = ("json", "csv", "table")  # the sections, in the order of the index's prepared parts (FileIndex.rows)
LATE = {"json": (b'true, "days_overdue": %d', b'false, "days_overdue": 0'), "csv": (b"yes,%d", b"no,0")}
# a row's sort key as selection's (due date << DUE_SHIFT | rank) packed into 64 bits for an array: ranks (file's
# place << 20 | place in the file) stay below 1 << SHIFT up to two million files
SHIFT = 64 - 23
SLOT = b"\0"  # where `overdue` and `days_overdue` go: no JSON or CSV text holds a NUL
CELL, ROW_END = "\0", "\x1e"  # between a table row's cells, after each row: neither is allowed in YAML


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def as_dict(d: Decision) -> dict:
    """One decision in the JSON contract (docs/due.md). The first eleven keys are stable; more may be added."""
    e = d.entry
    return {
        "id": d.id,
        "protocol": e.protocol,
        "file": d.meeting.file,
        "line": e.line,
        "meeting_date": d.meeting.date.isoformat(),
        "number": e.key,
        "text": e.text,
        "deadline": {"text": e.deadline, "kind": e.kind, "due": iso(d.due), "original_due": iso(e.due), "rule": e.rule},
        "responsible": list(e.responsible),
        "status": d.status,
        "overdue": d.overdue,
        "days_overdue": d.days_overdue,
        "status_date": iso(d.status_date),
        "status_by": d.status_by,
        "report": d.report,
        "reason": d.reason,
        "controller": d.controller,
        "extensions": [{"to": iso(t), "reason": r, "on": iso(o), "by": b} for t, r, o, b in d.extensions],
        "closed": [x.isoformat() for x in d.closed],
        "protocol_number": d.meeting.number,
        "protocol_title": d.meeting.title,
        "history": [{"status": st, "date": iso(day), "reason": r, "report": rp, "reopened": iso(ro),
                     "occurrence": iso(oc)} for st, day, r, rp, ro, oc in d.history],
        "paper_position": e.paper,
        "occurrences": [{"occurrence": o.isoformat(), "date": iso(day), "report": r} for o, day, r in d.records],
    }


CSV_COLUMNS = ("id", "protocol", "file", "line", "meeting_date", "number", "text", "deadline", "kind", "due",
               "responsible", "status", "overdue", "days_overdue", "paper_position")


def csv_row(d: Decision) -> list:
    e = d.entry
    return [d.id, e.protocol, d.meeting.file, e.line, d.meeting.date.isoformat(), e.key, e.text, e.deadline or "",
            e.kind, iso(d.due) or "", "; ".join(e.responsible), d.status, "yes" if d.overdue else "no",
            d.days_overdue, e.paper or ""]


def shown_id(d: Decision) -> str:
    """The id, and beside it where the decision stands on the paper of a protocol encoded from one: the id's number
    is printed nowhere on that paper («2024-01-09-1/2.2.1 (п. 2, 1-й подпункт)»)."""
    return f"{d.id} ({d.entry.paper})" if d.entry.paper else d.id


def due_cell(d: Decision) -> str:
    """The due date for people, marked when an extension (a control mark or a later protocol) moved it."""
    shown = shown_day(d.due) or "—"
    if d.due is not None and d.entry.due is not None and d.due != d.entry.due:
        return shown + " " + _("(extended)")
    return shown



def file_parts(meeting) -> tuple[bytes, bytes, str]:
    """What every plain row of one protocol file shares: its name JSON-encoded, the JSON row's part from
    `status_date` to `history`, and its name as a CSV field (report.due.as_dict and _csv_row decide these)."""
    number = _encode_string(meeting.number) if meeting.number is not None else "null"
    return (_encode_string(meeting.file).encode(),
            (', "status_date": null, "status_by": null, "report": null, "reason": null, "controller": null, '
             f'"extensions": [], "closed": [], "protocol_number": {number}, '
             f'"protocol_title": {_encode_string(meeting.title)}, "history": []').encode(),
            csv_field(meeting.file))


def _static(index, never_overdue: bool) -> list[tuple[int, int, Decision | None]]:
    """(sort key, item, its Decision or None for a plain item) of every item of the default list (selection.Filter():
    open, dated or with an unreadable deadline, no drafts) whose row is the same whatever today is but for
    `overdue`: all but the recurring items when `never_overdue` (their occurrence moves with today) and those two
    references of one day leave unsure (selection.unprepared gives those). In the list's order."""
    res = index.resolution
    plain, due, rank = res.plain, res.due, res.rank
    query = Query(index, Filter(), date.min)
    found: list[tuple[int, int, Decision | None]] = []
    evaluated = []
    for g in query.candidates(res.order):
        if plain[g]:
            found.append((((due[g] or NO_DUE) << SHIFT) | rank[g], g, None))
        else:
            evaluated.append(g)
    if not never_overdue:
        evaluated += query.candidates(g for g in res.open[RECURRING] if res.status[g] != UNSURE)
    for g in evaluated:
        f = index.file(res.file[g])
        d = evaluate(f.entry(res.pos[g]), f.meeting, res.refs if res.reached[g] else {}, date.min,
                     index.occurrences, never_overdue)
        if d.status == "open":  # as the resolution says: the status does not depend on today
            found.append(((d.due.toordinal() if d.due else NO_DUE) << SHIFT | rank[g], g, d))
    found.sort(key=lambda item: item[0])
    return found


def _flat(text: str) -> str:
    return " ".join(text.split())


def table_fields(d: Decision) -> list[str]:
    """The table's cells that do not depend on today (id, due, deadline, executors, text), each single-spaced as
    rowparts.table_parts makes a plain item's: report.due.cells and the file's table section both take them here."""
    e = d.entry
    return [_flat(shown_id(d)), _flat(due_cell(d)), _flat(e.deadline or "—"), _flat(", ".join(e.responsible) or "—"),
            _flat(e.text)]


def table_cells(d: Decision) -> str:
    """A row of the table's section: table_fields, CELL between them."""
    return CELL.join(table_fields(d))


def _evaluated(fmt: str, d: Decision) -> bytes:
    """An evaluated item's row in `fmt`, a NUL where `overdue` and `days_overdue` go."""
    if fmt == "table":
        return (table_cells(d) + ROW_END).encode()
    if fmt == "json":
        row = _encode(as_dict(d)).encode().replace(b'"overdue": false, "days_overdue": 0, ', b'"overdue": \0, ', 1)
        return row + b",\n"
    fields = csv_row(d)
    paper = fields.pop()
    del fields[-2:]  # overdue and days_overdue
    out = io.StringIO()
    csv.writer(out).writerow(fields)
    return out.getvalue()[:-2].encode() + b",\0," + csv_field(paper).encode() + b"\r\n"


def _rows(items: list, index) -> Iterator[tuple[bytes, bytes, bytes]]:
    """The rows of `items` (_static), in each format (FORMATS): a plain one joined of the parts its file's index
    prepared (FileIndex.rows, split at their NULs; the table's cells single-spaced already: rowparts.table_parts)
    and what all rows of the file share (file_parts). A file's parts are kept from its first row to its last only: a file's
    decisions fall due close together, so few files' parts are held at a time."""
    res = index.resolution
    files, pos, due = res.file, res.pos, res.due
    last = {files[g]: n for n, (_key, g, d) in enumerate(items) if d is None}
    days: dict[int, bytes] = {}
    shared: dict[int, tuple] = {}
    width_json, width_csv, width_table = ROW_PARTS
    for n, (_key, g, d) in enumerate(items):
        if d is not None:
            yield _evaluated("json", d), _evaluated("csv", d), _evaluated("table", d)
            continue
        fi = files[g]
        known = shared.get(fi)
        if known is None:
            f = index.file(fi)
            name, tail, csv_name = file_parts(f.meeting)
            known = shared[fi] = (*(part.split(b"\0") for part in f.rows), name, tail, csv_name.encode())
        if last[fi] == n:
            del shared[fi]
        js, cs, ts, name, tail, csv_name = known
        day = days.get(due[g])
        if day is None:
            day = days[due[g]] = (shown_day(date.fromordinal(due[g])) if due[g] else "—").encode()
        p, q, t = width_json * pos[g], width_csv * pos[g], width_table * pos[g]
        yield (b"".join((js[p], name, js[p + 1], SLOT, tail, js[p + 2], b",\n")),
               b"".join((cs[q], csv_name, cs[q + 1], SLOT, cs[q + 2], b"\r\n")),
               b"".join((ts[t], b"\0", day, b"\0", ts[t + 1], b"\0", ts[t + 2], b"\0", ts[t + 3], b"\x1e")))


def write(index, never_overdue: bool, put: Callable[[bytes], bool], spool: Callable = io.BytesIO) -> dict | None:
    """Write the file through `put`; its layout (where each section lies), or None when a write failed. The JSON
    rows are written as they are made, the CSV and table rows into two files `spool()` gives (temporary ones: the
    cold build's memory is not made to hold them) and copied after it; each a block of rows at a time (a write and
    an append a row cost the cold run's serial tail 10 %)."""
    if index.resolution.rank and max(index.resolution.rank) >= 1 << SHIFT:  # two million files: no such file
        return None
    items = _static(index, never_overdue)
    keys = array("Q", [key for key, _g, _d in items])
    layout = {"count": len(items), "keys": (0, len(keys) * 8), "recurring": not never_overdue}
    if not put(keys.tobytes()):
        return None
    at = len(keys) * 8
    spools = (None, spool(), spool())
    try:
        lengths = (array("q"), array("q"), array("q"))
        rows = _rows(items, index)
        while block := list(islice(rows, 1024)):  # a block's rows of each format joined and written at once
            for n, made in enumerate(zip(*block, strict=True)):
                lengths[n].extend(map(len, made))
                if n:
                    spools[n].write(b"".join(made))
                elif not put(b"".join(made)):
                    return None
        for n, fmt in enumerate(FORMATS):
            pieces: Iterator[bytes] = iter(())
            if n:
                spools[n].seek(0)
                pieces = iter(lambda n=n: spools[n].read(1 << 20), b"")
            offsets = array("q", accumulate(lengths[n], initial=0))
            if not (all(put(piece) for piece in pieces) and put(offsets.tobytes())):
                return None
            layout[fmt] = (at, offsets[-1], at + offsets[-1], len(offsets) * 8)  # text (start, length), offsets
            at += offsets[-1] + len(offsets) * 8
    finally:
        for file in spools[1:]:
            file.close()
    layout["recurring_due"] = None
    if not never_overdue:  # the due date of each open recurring item, for a filter on dates (Rows.recurring_due)
        dues = array("i", bytes(4 * len(index.resolution.pos)))
        for _key, g, d in items:
            if d is not None and d.entry.kind == "recurring" and d.due is not None:
                dues[g] = d.due.toordinal()
        if not put(dues.tobytes()):
            return None
        layout["recurring_due"] = (at, len(dues) * 4)
    return layout


class Rows:
    """The file of prepared rows, mapped (`data`), with its `layout` (write)."""

    def __init__(self, data, layout: dict):
        self.data, self.layout = data, layout
        start, length = layout["keys"]
        self.keys = array("Q")
        self.keys.frombytes(data[start:start + length])
        self._recurring: array | None = None

    def _release(self, start: int, end: int) -> None:
        """Let the pages of the mapped file from `start` to `end` go, once copied: the output counts in the
        process's memory only once (a whole JSON section is 50 MB on the bench archive)."""
        advise = getattr(self.data, "madvise", None)
        if advise is not None and hasattr(mmap, "MADV_DONTNEED"):
            start -= start % mmap.PAGESIZE
            end -= end % mmap.PAGESIZE
            if end > start:
                advise(mmap.MADV_DONTNEED, start, end - start)

    def recurring_due(self) -> array | None:
        """Per item of the resolution, the due date (an ordinal) of an open recurring one of the default list as the
        rules make it, the same whatever today is (without `recurring_untracked: never_overdue`); 0 for the others.
        None when not known: selection then evaluates recurring items to filter them by date."""
        if self._recurring is None and self.layout["recurring_due"] is not None:
            start, length = self.layout["recurring_due"]
            self._recurring = array("i")
            self._recurring.frombytes(self.data[start:start + length])
        return self._recurring

    def pieces(self, fmt: str, others: list[tuple[int, bytes]], now: int) -> Iterator[bytes]:
        """The rows of format `fmt` in order, each ending as the file's rows do, as of the day `now` (an ordinal),
        with `others` ((sort key, row) in order) in their places: a run of file rows of one due date at a time."""
        text_at, _length, offsets_at, offsets_length = self.layout[fmt]
        offsets = array("q")
        offsets.frombytes(self.data[offsets_at:offsets_at + offsets_length])
        data, keys, (late_form, on_time) = self.data, self.keys, LATE[fmt]
        count, mask = len(keys), (1 << DUE_SHIFT) - 1
        others = [((key >> DUE_SHIFT) << SHIFT | (key & mask), row) for key, row in others]
        late_end = bisect_left(keys, now << SHIFT)  # sorted by due date: the overdue rows come first
        r = i = 0
        while r < count or i < len(others):
            stop = bisect_left(keys, others[i][0], r) if i < len(others) else count
            if r < late_end:
                day = keys[r] >> SHIFT
                stop, late = min(stop, bisect_left(keys, (day + 1) << SHIFT, r, late_end)), late_form % (now - day)
            else:
                late = on_time
            if stop > r:
                yield data[text_at + offsets[r]:text_at + offsets[stop]].replace(SLOT, late)
                self._release(text_at + offsets[r], text_at + offsets[stop])
                r = stop
            if i < len(others) and (r == count or others[i][0] < keys[r]):
                yield others[i][1]
                i += 1

    def table(self, others: list[tuple[int, str]]) -> tuple[list[str], list[int]]:
        """The table's rows (table_cells: CELL between cells) in order with `others` ((sort key, row) in order) in
        their places, and each row's due date (an ordinal; NO_DUE for none)."""
        text_at, length, _offsets_at, _offsets_length = self.layout["table"]
        rows = str(self.data[text_at:text_at + length], "utf-8").split(ROW_END)
        self._release(text_at, text_at + length)
        rows.pop()  # after the last ROW_END
        mask = (1 << DUE_SHIFT) - 1
        days = [key >> SHIFT for key in self.keys]
        if not others:
            return rows, days
        merged_rows, merged_days, r = [], [], 0
        for key, row in others:
            packed = (key >> DUE_SHIFT) << SHIFT | (key & mask)
            stop = bisect_left(self.keys, packed, r)
            merged_rows += rows[r:stop]
            merged_days += days[r:stop]
            merged_rows.append(row)
            merged_days.append(key >> DUE_SHIFT)
            r = stop
        return merged_rows + rows[r:], merged_days + days[r:]

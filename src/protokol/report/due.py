"""The `protokol due` list in its output formats: rich table, JSON (a documented contract), CSV, Markdown, iCalendar.

Pure: status.Decision values in, text (or a rich renderable, or bytes for ICS) out. rich and icalendar are imported
inside the functions that use them.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, time
from itertools import chain, repeat

from ..i18n import _
from ..index import ROW_PARTS
from ..rowblob import CELL, CSV_COLUMNS, as_dict, file_parts, shown_id, table_cells, table_fields
from ..rowblob import csv_row as _csv_row
from ..rowblob import due_cell as _due_cell
from ..rudates import shown_day
from ..status import Decision

FORMATS = ("table", "json", "csv", "md", "ics")
SOON_DAYS = 7  # due within this many days: shown in yellow


def to_json(decisions: list[Decision], groups: list[tuple[str, list[Decision]]] | None = None) -> str:
    """A JSON list of decisions; grouped, each decision of a group carries `group` (and a decision with several
    executors appears once per executor)."""
    if groups is None:
        rows = [as_dict(d) for d in decisions]
    else:
        rows = [{**as_dict(d), "group": name} for name, members in groups for d in members]
    if not rows:
        return "[]\n"
    # one decision per line: readable, diffable, and encoded by json's C encoder (indent= would use the slow one)
    encode = json.JSONEncoder(ensure_ascii=False).encode
    return "[\n" + ",\n".join(encode(row) for row in rows) + "\n]\n"


def to_csv(decisions: list[Decision], groups: list[tuple[str, list[Decision]]] | None = None) -> str:
    """CSV for Excel and Outlook, which read UTF-8 only after a byte order mark; scripts have the JSON contract."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS + (("group",) if groups is not None else ()))
    pairs = [(None, d) for d in decisions] if groups is None else [(name, d) for name, members in groups for d in members]
    for name, d in pairs:
        writer.writerow(_csv_row(d) + ([name] if groups is not None else []))
    return out.getvalue()


def shorten(text: str, width: int) -> str:
    """One line of at most `width` characters, cut at a word boundary with «…»."""
    return _cut(" ".join(text.split()), width)


def _cut(flat: str, width: int) -> str:
    """`shorten` of a text that is one line already, single-spaced."""
    if len(flat) <= width:
        return flat
    if width <= 1:
        return "…"[:width]
    cut = flat[: width - 1]
    space = cut.rfind(" ")
    if space >= width // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.–-") + "…"


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def status_label(d: Decision) -> str:
    return {"open": _("open"), "done": _("done"), "cancelled": _("cancelled")}[d.status]


def _overdue_text(d: Decision) -> str:
    return str(d.days_overdue) if d.overdue else ""


def to_markdown(decisions: list[Decision], today: date, groups: list[tuple[str, list[Decision]]] | None = None,
                show_status: bool = False) -> str:
    """A Markdown table (a section per group when grouped); the whole text of each decision is kept."""
    head = [_("Id"), _("Due"), _("Deadline"), _("Responsible"), _("Decision"), _("Days overdue")]
    if show_status:
        head.insert(5, _("Status"))

    def rows(items: list[Decision]) -> list[str]:
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _h in head) + "|"]
        for d in items:
            cells = [shown_id(d), _due_cell(d), d.entry.deadline or "—", ", ".join(d.entry.responsible) or "—",
                     d.entry.text, _overdue_text(d)]
            if show_status:
                cells.insert(5, status_label(d))
            lines.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
        return lines

    if not decisions:
        return _("No decisions match.") + "\n"
    out: list[str] = []
    if groups is None:
        out += rows(decisions)
    else:
        for name, items in groups:
            if out:
                out.append("")
            out += [f"## {_md_cell(name)}", ""] + rows(items)
    return "\n".join(out) + "\n"


def to_ics(decisions: list[Decision], today: date, version: str, links: dict[str, str] | None = None) -> bytes:
    """An iCalendar file with a VTODO per decision (RFC 5545), for Thunderbird, Outlook and phone calendars.
    `links` (decision id -> absolute URL, the site's protocol page) adds each task's URL."""
    from icalendar import Calendar, Todo

    cal = Calendar()
    cal.add("prodid", f"-//protokol//protokol {version}//RU")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("Decisions under control"))
    stamp = datetime.combine(today, time(0, 0), tzinfo=UTC)
    for d in decisions:
        e = d.entry
        todo = Todo()
        todo.add("uid", f"{d.id}@protokol")
        todo.add("dtstamp", stamp)
        if d.due is not None:
            todo.add("due", d.due)
        todo.add("summary", f"{d.id}: {shorten(e.text, 120)}")
        lines = [e.text.strip(), ""] if not e.paper else [e.text.strip(), "", e.paper]
        if e.deadline:
            lines.append(_("Deadline: {deadline}").format(deadline=e.deadline))
        if e.responsible:
            lines.append(_("Responsible: {names}").format(names=", ".join(e.responsible)))
        number = f"№ {d.meeting.number} " if d.meeting.number else ""
        lines.append(_("Protocol {number}of {date}: {title} ({file})").format(
            number=number, date=d.meeting.date.strftime("%d.%m.%Y"), title=d.meeting.title, file=d.meeting.file))
        lines += [closing_text(h, e.kind == "recurring") for h in d.history]
        todo.add("description", "\n".join(lines))
        todo.add("status", {"open": "NEEDS-ACTION", "done": "COMPLETED", "cancelled": "CANCELLED"}[d.status])
        if d.status == "done" and d.status_date is not None:
            todo.add("completed", datetime.combine(d.status_date, time(0, 0), tzinfo=UTC))
        if e.responsible:
            todo.add("categories", list(e.responsible))
        if links and d.id in links:
            todo.add("url", links[d.id])
        cal.add_component(todo)
    return cal.to_ical()


def closing_text(closing: tuple, recurring: bool = False) -> str:
    """An earlier closing undone by reopening, (status, date, reason, report, reopened, occurrence), as one line:
    «Cancelled 20.05.2024 (утратило актуальность), reopened 01.06.2024». Of a recurring decision, a closing done is
    one of its occurrences: `occurrence` names it (in the older form its date did)."""
    status, day, reason, report, reopened, occurrence = closing
    shown = shown_day(day)
    if status == "done" and occurrence and day:
        text = _("Occurrence due {due} done {day}").format(due=shown_day(occurrence), day=shown)
    elif status == "done" and (occurrence or recurring and day):  # the older form: no day of the report
        text = _("Occurrence due {day} done").format(day=shown_day(occurrence or day))
    elif status == "done":
        text = _("Done {day}").format(day=shown).rstrip()
    else:
        text = _("Cancelled {day}").format(day=shown).rstrip()
    if reason:
        text += f" ({' '.join(reason.split())})"
    if report:
        text += ", " + _("report: {text}").format(text=" ".join(report.split()))
    if reopened:
        text += ", " + _("reopened {day}").format(day=shown_day(reopened))
    return text


def _widths(columns: list[list[str]], heads: list[str], width: int, shrinkable: dict[int, int], text_col: int) -> list[int]:
    """Column widths that fit `width`: the fixed columns at their natural width, the shrinkable ones (index -> cap)
    down to 8 when room is short, the decision's text gets what is left (at least 12)."""
    natural = [max(len(h), max(map(len, col), default=0)) for h, col in zip(heads, columns, strict=True)]
    widths = [min(n, shrinkable.get(i, n)) for i, n in enumerate(natural)]
    gaps = 2 * (len(columns) - 1)
    fixed = sum(w for i, w in enumerate(widths) if i != text_col)
    room = width - gaps - fixed
    wanted = max(12, min(natural[text_col], 24))
    while room < wanted and any(widths[i] > 8 for i in shrinkable):
        i = max(shrinkable, key=lambda k: widths[k])
        widths[i] -= 1
        room += 1
    widths[text_col] = max(12, min(natural[text_col], room))
    return widths


def cells(d: Decision, today: date, show_status: bool = False) -> tuple[list[str], str]:
    """One decision's cells in the table, and its style."""
    row = table_fields(d)
    if show_status:
        row.insert(4, status_label(d))
    row.append(_overdue_text(d))
    return row, _style(d, today)


def table(decisions: list[Decision], today: date, width: int, title: str | None = None,
          show_status: bool = False) -> list[tuple[str, str]]:
    """The list for people as lines with a style each ("red": overdue, "yellow": due within a week, "dim": closed,
    "bold": headings): columns cut to fit `width`, or, on a narrow terminal, each decision on two lines.

    Plain lines rather than a rich Table: a table of 3,000 decisions took rich a second to lay out."""
    return table_of([cells(d, today, show_status) for d in decisions], width, title, show_status)


def table_of(rows: list[tuple[list[str], str]], width: int, title: str | None = None,
             show_status: bool = False) -> list[tuple[str, str]]:
    """`table` from the rows' cells and styles (`cells`, or PlainRows.cells)."""
    columns = [list(column) for column in zip(*(row for row, _style in rows), strict=True)]
    return table_lines(columns, [style for _row, style in rows], width, title, show_status)


def table_lines(columns: list, styles: list[str], width: int, title: str | None = None, show_status: bool = False,
                flat: bool = False) -> list[tuple[str, str]]:
    """`table` from its columns (each a list of every row's cell) and the rows' styles, column by column: a cell
    is cut only when longer than its column (`flat`: every cell is single-spaced already, as rowblob's are; else
    only the deadline's and the text's are)."""
    heads = [_("Id"), _("Due"), _("Deadline"), _("Responsible")] + ([_("Status")] if show_status else []) + [
        _("Decision"), _("Overdue")]
    columns = columns or [[] for _h in heads]
    text_col = len(heads) - 2
    lines: list[tuple[str, str]] = [(title, "bold")] if title else []
    widths = _widths(columns, heads, width, {2: 24, 3: 28}, text_col)
    if widths[text_col] < 30:  # a narrow terminal: each decision on two lines, its text on the second
        return lines + _narrow(columns, styles, width, text_col)
    last = len(heads) - 1
    lines.append(("  ".join(shorten(h, widths[i]).rjust(widths[i]) if i == last else shorten(h, widths[i]).ljust(widths[i])
                            for i, h in enumerate(heads)).rstrip(), "bold"))
    padded = []
    for i, column in enumerate(columns):
        w = widths[i]
        if flat or i in (2, text_col):  # single-spaced already (cells): cut only what is too long
            column = [cell if len(cell) <= w else _cut(cell, w) for cell in column]
        else:
            column = [shorten(cell, w) for cell in column]
        padded.append(map(str.rjust if i == last else str.ljust, column, repeat(w)))
    lines += zip(map(str.rstrip, map("  ".join, zip(*padded, strict=True))), styles, strict=True)
    return lines


def _narrow(columns: list, styles: list[str], width: int, text_col: int) -> list[tuple[str, str]]:
    """table_lines on a narrow terminal: id, due, days overdue, deadline, executors (and status) on one line, cut at
    the terminal's width; the text, cut, on the next."""
    late = _("{days} d overdue")
    marks = ["  " + late.format(days=days) if days else "" for days in columns[-1]]
    firsts = [f"{ident}  {due}{mark}  {rest}" for ident, due, mark, rest in zip(
        columns[0], columns[1], marks, map("  ".join, zip(*columns[2:text_col], strict=True)), strict=True)]
    cut = max(1, width - 1)
    firsts = [first if len(first) <= width else first[:cut] + "…" for first in firsts]
    room = width - 4  # the text's cells are single-spaced (cells, rowblob)
    seconds = ["    " + (text if len(text) <= room else _cut(text, room)) for text in columns[text_col]]
    return list(chain.from_iterable(zip(zip(firsts, styles, strict=True), zip(seconds, styles, strict=True),
                                        strict=True)))


def prepared_table(rows, others: list, today: date) -> tuple[list, list[str]]:
    """The default list's table as columns and styles (for table_lines, flat): its rows from the archive-wide file
    (rowblob.Rows.table), the `others` ((sort key, Decision): selection.unprepared) put in their places; the
    Overdue column and the styles worked out from each row's due date."""
    texts, days = rows.table([(key, table_cells(d)) for key, d in others])
    columns = [list(column) for column in zip(*map(str.split, texts, repeat(CELL)), strict=True)] if texts else []
    now = today.toordinal()
    soon = now + SOON_DAYS
    columns.append([str(now - day) if day < now else "" for day in days])
    return columns, ["red" if day < now else "yellow" if day <= soon else "" for day in days]


def _style(d: Decision, today: date) -> str:
    if d.overdue:
        return "red"
    if d.status == "open" and d.due is not None and (d.due - today).days <= SOON_DAYS:
        return "yellow"
    return "dim" if d.status != "open" else ""


# ------------------------------------------------------------------------------------------------- streamed rows
# `protokol due` without --group-by prints its rows as selection.stream gives them: Decisions, and plain items (no
# control marks, no reference: open, due as written) as their place in the index, whose rows are written here
# without making a Decision, a dict or a list of them. A plain row must be byte for byte what the Decision's row
# would be: tests/test_due_stream.py compares the two on generated archives, in every format.

_NOT_LATE = b'false, "days_overdue": 0'


class PlainRows:
    """Rows of plain items (selection.stream gives them as their position in the index's resolution), from the
    parts the index prepared (rowparts.json_parts) or its stored entries; what is the same for every item of a
    protocol file is made once per file."""

    def __init__(self, index, today: date, show_status: bool = False):
        self.index, self.today, self.show_status = index, today, show_status
        self.res = index.resolution
        self.now = today.toordinal()
        self._files: dict[int, tuple] = {}
        self._days: dict[int, tuple[str, str]] = {}
        self._prepared: tuple[dict[int, tuple], ...] = ({}, {}, {})  # per format: file -> (_file, its prepared strings)

    def _file(self, fi: int) -> tuple:
        found = self._files.get(fi)
        if found is None:
            f = self.index.file(fi)
            name, tail, csv_name = file_parts(f.meeting)
            found = self._files[fi] = (f, name, tail, f.meeting.date.isoformat(), csv_name)
        return found

    def _day(self, due: int) -> tuple[str, str]:
        found = self._days.get(due)
        if found is None:
            day = date.fromordinal(due) if due else None
            found = self._days[due] = (day.isoformat() if day else "", shown_day(day) or "—")
        return found

    def _parts(self, fi: int, which: int) -> tuple:
        """(the file's parts (_file), the prepared strings of its entries in part `which`), kept per file."""
        cache = self._prepared[which]
        found = cache.get(fi)
        if found is None:
            known = self._file(fi)
            found = cache[fi] = (known, known[0].prepared(which))
        return found

    def _at(self, g: int, which: int) -> tuple:
        """(the file's parts, the prepared strings of its entries in part `which`, where item `g`'s begin, its due
        ordinal, days overdue): one call per row of a warm `due`'s inner loop, the lookups spelled out."""
        res = self.res
        fi = res.file[g]
        known, parts = self._prepared[which].get(fi) or self._parts(fi, which)
        due = res.due[g]
        return known, parts, ROW_PARTS[which] * res.pos[g], due, self.now - due if due and due < self.now else 0

    def json(self, g: int) -> bytes:
        """as_dict of the plain item, JSON-encoded as to_json encodes it (UTF-8)."""
        known, parts, at, _due, late = self._at(g, 0)
        return b"".join((parts[at], known[1], parts[at + 1], b'true, "days_overdue": %d' % late if late else _NOT_LATE,
                         known[2], parts[at + 2]))

    def csv(self, g: int) -> str:
        """The plain item's CSV row, as to_csv writes it."""
        known, parts, at, _due, late = self._at(g, 1)
        return f"{parts[at].decode()}{known[4]}{parts[at + 1].decode()}{'yes' if late else 'no'},{late}{parts[at + 2].decode()}\r\n"

    def cells(self, g: int) -> tuple[list[str], str]:
        """The plain item's cells in the table, and its style, as `cells` makes them."""
        _known, parts, at, due, late = self._at(g, 2)
        row = [parts[at].decode(), self._day(due)[1], parts[at + 1].decode(), parts[at + 2].decode()]
        if self.show_status:
            row.append(_("open"))
        row += [parts[at + 3].decode(), str(late) if late else ""]
        return row, "red" if late else "yellow" if due and due - self.now <= SOON_DAYS else ""


def json_chunks(items, plain: PlainRows, size: int = 2000):
    """to_json of the streamed items as UTF-8, in pieces of `size` rows: the same text, never held whole."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    rows: list[bytes] = []
    started = False
    for item in items:
        rows.append(plain.json(item) if type(item) is int else encode(as_dict(item)).encode())
        if len(rows) == size:
            yield (b"[\n" if not started else b",\n") + b",\n".join(rows)
            started, rows = True, []
    if rows:
        yield (b"[\n" if not started else b",\n") + b",\n".join(rows)
        started = True
    yield b"\n]\n" if started else b"[]\n"


def csv_chunks(items, plain: PlainRows, size: int = 2000):
    """to_csv of the streamed items, in pieces of `size` rows."""
    out = io.StringIO()
    writer = csv.writer(out)
    out.write("\ufeff")
    writer.writerow(CSV_COLUMNS)
    for n, item in enumerate(items, 1):
        if type(item) is int:
            out.write(plain.csv(item))
        else:
            writer.writerow(_csv_row(item))
        if n % size == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def prepared_chunks(rows, others: list, fmt: str, today: date, size: int = 1 << 20):
    """json_chunks (as UTF-8) or csv_chunks (encoded) of the default list: its plain rows from the archive-wide
    file (rowblob.Rows), the `others` ((sort key, Decision): selection.unprepared) put in their places; in pieces
    of about `size` bytes. The same bytes as the streamed rows (tests/test_due_stream.py)."""
    if fmt == "json":
        encode = json.JSONEncoder(ensure_ascii=False).encode
        extra = [(key, encode(as_dict(d)).encode() + b",\n") for key, d in others]
        head = b"[\n"
    else:
        out = io.StringIO()
        writer = csv.writer(out)
        extra = []
        for key, d in others:
            writer.writerow(_csv_row(d))
            extra.append((key, out.getvalue().encode()))
            out.seek(0)
            out.truncate()
        out.write("\ufeff")
        writer.writerow(CSV_COLUMNS)
        head = out.getvalue().encode()
    held, length, last = [head], len(head), None
    for piece in rows.pieces(fmt, extra, today.toordinal()):
        if last is not None:
            held.append(last)
            length += len(last)
            if length >= size:
                yield b"".join(held)
                held, length = [], 0
        last = piece
    if fmt == "json" and last is None:  # no rows: the empty list as json_chunks writes it
        held = [b"[]\n"]
    elif fmt == "json":  # rows end in ",\n": the last one ends the list instead
        held.append(last[:-2] + b"\n]\n")
    elif last is not None:
        held.append(last)
    yield b"".join(held)


def table_rows(items, plain: PlainRows) -> list[tuple[list[str], str]]:
    """The cells and style of every streamed item (a table's widths need them all)."""
    today, show = plain.today, plain.show_status
    return [plain.cells(item) if type(item) is int else cells(item, today, show) for item in items]

"""`protokol due`: the open decisions across the archive, by due date, as a table, JSON, CSV, Markdown or iCalendar."""
# No `from __future__ import annotations`: Typer reads these annotations at run time.

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..i18n import _, ngettext
from ..rudates import shown_date
from .common import UserError, archive_root, parse_day, parse_span, root_option, today_option, unknown_protocol

GROUPS = ("responsible", "protocol")


def no_cache_option():
    return Annotated[bool, typer.Option("--no-cache", help=_("Read every file afresh, without the cache in .protokol-cache/."))]


def load_decisions(root: Path, use_cache: bool):
    """The decision index (status.Index) of the archive at `root`, through the cache."""
    from ..cache import load_index

    folder = root / "protocols"
    index = load_index([folder] if folder.is_dir() else [], root, use_cache=use_cache)
    import gc

    gc.freeze()  # the index lives as long as the command: no collection needs to walk it again
    return index


def report_problems(problems) -> int:
    """Problems on stderr, one line each with its hint (the list itself stays clean on stdout); the number of errors."""
    from ..problems import ERROR, Problem
    from .common import _esc, err_console

    problems = sorted(problems, key=Problem.sort_key)
    if not problems:
        return 0
    console = err_console()
    errors = 0
    for p in problems:
        colour = "red" if p.severity == ERROR else "yellow"
        label = _("error") if p.severity == ERROR else _("warning")
        errors += p.severity == ERROR
        console.print(f"[bold]{_esc(p.file)}:{p.line}:{p.col}:[/] [{colour}]{_esc(f'{label}[{p.code}]')}[/]: {_esc(p.message)}")
        if p.hint:
            console.print(f"  [cyan]= {_('hint')}:[/] {_esc(p.hint)}")
    return errors


def _due_command(app: typer.Typer) -> None:
    @app.command(
        "due",
        help=_("List the open decisions across the archive, by due date, then meeting date, then number. "
               "Overdue ones are red, those due within a week yellow.")
        + "\n\n" + _("Example: protokol due --before 2024-07-01 --today 2024-06-01")
        + "\n\n" + _("Example: protokol due --overdue --group-by responsible")
        + "\n\n" + _("Example: protokol due --within 14d --format ics > decisions.ics"),
    )
    def due(
        before: Annotated[str | None, typer.Option("--before", help=_("Due strictly before this day (e.g. 01.07.2024)."),
                                                   show_default=False)] = None,
        after: Annotated[str | None, typer.Option("--after", help=_("Due strictly after this day (e.g. 01.07.2024)."),
                                                  show_default=False)] = None,
        overdue: Annotated[bool, typer.Option("--overdue", help=_("Only overdue decisions."))] = False,
        within: Annotated[str | None, typer.Option("--within", help=_("Due within this span from today, overdue included: 14d, 2w."),
                                                   show_default=False)] = None,
        responsible: Annotated[str | None, typer.Option("--responsible", help=_("Executed by (a part of a name; case and е/ё do not matter)."),
                                                        show_default=False)] = None,
        protocol: Annotated[str | None, typer.Option("--protocol", help=_("Only the decisions of this protocol (its id)."),
                                                     show_default=False)] = None,
        status: Annotated[str, typer.Option("--status", help=_("open, done, cancelled or all."))] = "open",
        ongoing: Annotated[bool, typer.Option("--ongoing", help=_("Add ongoing (постоянно) and as-needed decisions."))] = False,
        every: Annotated[bool, typer.Option("--all", help=_("Every decision item of every kind and status."))] = False,
        group_by: Annotated[str | None, typer.Option("--group-by", help=_("Group by responsible or protocol."),
                                                     show_default=False)] = None,
        fmt: Annotated[str, typer.Option("--format", help=_("Output: table, json, csv, md or ics."))] = "table",
        root: root_option() = None,
        today: today_option() = None,
        no_cache: no_cache_option() = False,
    ) -> None:
        day = parse_day(today)
        flt = _filter(before, after, overdue, within, responsible, protocol, status, ongoing, every, group_by, fmt)
        folder = archive_root(root)
        from ..cache import collector_off

        # the index of 10,000 files and the rows made of it form no cycles (tests/test_cache.py): the collector
        # would walk them again and again, a fifth of a warm `due` of every row
        with collector_off():
            index = load_decisions(folder, not no_cache)
            if protocol is not None and protocol not in index.by_id:
                raise unknown_protocol(protocol, index.by_id, index.problems)
            _print_due(index, flt, day, group_by, fmt, folder if not no_cache else None)


def _filter(before, after, overdue, within, responsible, protocol, status, ongoing, every, group_by, fmt):
    """The options of `due` checked and made a selection.Filter; a wrong one is a usage error."""
    from ..index import STATUSES
    from ..report import due as report
    from ..selection import Filter

    if fmt not in report.FORMATS:
        raise UserError(_("--format takes one of {choices}, not '{value}'.").format(choices=", ".join(report.FORMATS), value=fmt))
    if status not in (*STATUSES, "all"):
        raise UserError(_("--status takes open, done, cancelled or all, not '{value}'.").format(value=status))
    if group_by is not None and group_by not in GROUPS:
        raise UserError(_("--group-by takes responsible or protocol, not '{value}'.").format(value=group_by))
    if group_by is not None and fmt == "ics":
        raise UserError(_("--group-by does not apply to --format ics: a calendar holds each task once."))
    span = None
    if within is not None:
        span = parse_span(within)
        if span is None:
            raise UserError(_("--within takes a number of days or weeks, like 14d or 2w, not '{value}'.").format(value=within))
    return Filter(before=parse_day(before, "--before") if before else None,
                  after=parse_day(after, "--after") if after else None,
                  overdue=overdue, within=span, responsible=responsible, protocol=protocol, status=status,
                  ongoing=ongoing, all=every)


def _print_due(index, flt, day, group_by, fmt, cache_root) -> None:
    """Select, print in the format asked for, and exit 1 after the output when a file could not be read."""
    from ..cache import save_occurrences
    from ..report import due as report
    from ..status import iter_problems

    show_status = flt.all or flt.status != "open"
    if group_by is None and fmt in ("json", "csv", "table"):
        _stream_due(index, flt, day, fmt, show_status)  # rows in order as they come, never one list of Decisions
    else:
        from ..selection import group, select

        decisions = select(index, flt, day)
        groups = group(decisions, group_by) if group_by else None
        if fmt == "json":
            sys.stdout.write(report.to_json(decisions, groups))
        elif fmt == "csv":
            sys.stdout.write(report.to_csv(decisions, groups))
        elif fmt == "md":
            sys.stdout.write(report.to_markdown(decisions, day, groups, show_status))
        elif fmt == "ics":
            from .. import __version__

            typer.echo(report.to_ics(decisions, day, __version__), nl=False)
        else:
            _print_table([report.cells(d, day, show_status) for d in decisions], groups, day, flt, show_status)
    save_occurrences(index, cache_root)
    if report_problems(iter_problems(index)):
        raise typer.Exit(1)


def _stream_due(index, flt, day, fmt, show_status) -> None:
    from ..report import due as report
    from ..selection import Filter, stream, unprepared

    rows = getattr(index, "rows", None)
    if rows is not None and flt == Filter():
        # every open decision: the rows from the archive-wide file the cache prepared (rowblob)
        others = unprepared(index, day, not rows.layout["recurring"])
        if fmt == "table":
            _print_table(None, None, day, flt, show_status, report.prepared_table(rows, others, day))
        else:
            _print_chunks(report.prepared_chunks(rows, others, fmt, day), fmt == "json")
        return
    items = stream(index, flt, day)
    plain = report.PlainRows(index, day, show_status)
    if fmt == "table":
        _print_table(report.table_rows(items, plain), None, day, flt, show_status)
        return
    if fmt == "csv":
        for chunk in report.csv_chunks(items, plain):
            sys.stdout.write(chunk)
        return
    _print_chunks(report.json_chunks(items, plain), True)


def _print_chunks(chunks, always: bool) -> None:
    """UTF-8 `chunks` written as they are where lines end in "\n" (and, unless `always`, stdout writes UTF-8),
    else as text."""
    sys.stdout.flush()
    binary = getattr(sys.stdout, "buffer", None)
    if binary is not None and os.linesep == "\n" and (
            always or (getattr(sys.stdout, "encoding", "") or "").lower().replace("-", "") == "utf8"):
        for chunk in chunks:
            binary.write(chunk)
        binary.flush()
        return
    for chunk in chunks:
        sys.stdout.write(chunk.decode("utf-8"))


_ANSI = {"red": "\x1b[31m", "yellow": "\x1b[33m", "dim": "\x1b[2m", "bold": "\x1b[1m"}


def _colour() -> bool:
    """Colour on a terminal, unless NO_COLOR says otherwise (https://no-color.org); FORCE_COLOR forces it."""
    import os

    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def _width() -> int:
    import os
    import shutil

    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        return int(columns)
    return shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty() else 100


def _print_table(rows, groups, day, flt, show_status, prepared=None) -> None:
    """The table of `rows` (report.cells of each decision listed), in groups when grouped; or of `prepared`, its
    columns and styles (report.prepared_table)."""
    from ..report import due as report

    count = len(prepared[1]) if prepared is not None else len(rows)
    if not count:
        plain = flt.status == "open" and not flt.all and flt == type(flt)(status=flt.status, ongoing=flt.ongoing)
        sys.stdout.write((_("No open decisions.") if plain else _("No decisions match.")) + "\n")
        return
    width = _width()
    colour = _colour()
    lines = []
    if prepared is not None:
        lines += report.table_lines(*prepared, width, show_status=show_status, flat=True)
    elif groups is None:
        lines += report.table_of(rows, width, show_status=show_status)
    for name, members in groups or ():
        lines += report.table(members, day, width, title=name, show_status=show_status)
        lines.append(("", ""))
    late = sum(1 for cell in prepared[0][-1] if cell) if prepared is not None else sum(1 for row, _style in rows if row[-1])
    total = ngettext("{n} decision", "{n} decisions", count).format(n=count)
    if late:
        lines.append((_("{total}, {late} overdue (today is {today}).").format(total=total, late=late, today=shown_date(day)), ""))
    else:
        lines.append((_("{total} (today is {today}).").format(total=total, today=shown_date(day)), ""))
    for start in range(0, len(lines), 2000):  # in pieces: the whole table as one text, and encoded, is 50 MB more
        piece = lines[start:start + 2000]
        if not colour:
            sys.stdout.write("\n".join([text for text, _style in piece]) + "\n")
            continue
        sys.stdout.write("".join(f"{_ANSI[style]}{text}\x1b[0m\n" if style and text else text + "\n"
                                 for text, style in piece))


def register(app: typer.Typer) -> None:
    _due_command(app)

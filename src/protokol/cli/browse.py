"""`protokol list`, `show` and `people`: looking around the archive. The records come from overview.py; this module
prints them."""
# No `from __future__ import annotations`: Typer reads these annotations at run time.

from datetime import date
from typing import Annotated

import typer

from ..i18n import _
from ..rudates import shown_date, shown_day
from .common import UserError, _esc, err_console, out_console, parse_day, root_option, today_option
from .context import ArchiveContext, exit_on_errors


def _help(text: str, example: str) -> str:
    return text + "\n\n" + example


def _list_rows(ctx: ArchiveContext, year: int | None, today: date) -> list:
    from ..overview import protocol_rows

    return protocol_rows(ctx.protocols, ctx.decisions(today), year)


def _signed_text(row) -> str:
    if row.signed:
        return _("yes, {date}").format(date=shown_day(row.signed.date))
    return _("draft") if row.status == "draft" else _("no")


def _title_text(row) -> str:
    return row.title + (" " + _("(extract)") if row.kind == "extract" else "")


def _print_list(rows: list, fmt: str) -> None:
    import json

    if fmt == "json":
        typer.echo(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2))
        return
    headers = [_("Id"), _("Date"), "№", _("Title"), _("Open/total"), _("Signed")]
    cells = [[r.id, shown_day(r.date), r.number or "", _title_text(r), f"{r.open_decisions}/{r.decisions}",
              _signed_text(r)] for r in rows]
    if fmt == "md":
        lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in cells]
        typer.echo("\n".join(lines))
        return
    from rich.table import Table

    table = Table(show_edge=False, header_style="bold")
    for i, header in enumerate(headers):
        if i == 3:
            table.add_column(header, overflow="fold", ratio=1)  # the title takes what the terminal has left
        else:
            table.add_column(header, no_wrap=True, justify="right" if i == 4 else "left")
    for row, r in zip(cells, rows, strict=True):
        style = "dim" if r.status == "draft" else None
        table.add_row(*[_esc(c) for c in row], style=style)
    out_console().print(table)


class _Show:
    """Prints overview.protocol_view for a terminal: wrapped by hand so that continuation lines keep the indent and
    no line ends in padding spaces."""

    def __init__(self, ctx: ArchiveContext):
        from rich.console import Console

        self.console = Console(highlight=False)
        self.ctx = ctx

    def say(self, markup: str, indent: int = 0) -> None:
        from rich.text import Text

        for line in Text.from_markup(markup).wrap(self.console, max(20, self.console.width - indent)):
            line.rstrip()
            self.console.print(Text(" " * indent) + line, soft_wrap=True)

    def person(self, x) -> str:
        x = self.ctx.directory.resolve(x)
        return _esc(x.name) + (f" [dim]— {_esc(x.position)}[/]" if x.position else "")

    def attendees(self, label: str, entries) -> None:
        from ..model import Group

        if not entries:
            return
        self.say(f"[bold]{label}:[/]")
        for entry in entries:
            if isinstance(entry, Group):
                count = f" — {entry.count}" if entry.count is not None else ""
                self.say(f"{_esc(entry.group)}{count}:" if entry.members else f"{_esc(entry.group)}{count}", 2)
                for member in entry.members:
                    self.say(self.person(member), 4)
            else:
                self.say(self.person(entry), 2)

    def section(self, section) -> None:
        self.say(f"[bold]{_esc(section.title)}[/]")
        if section.text:
            self.say(_esc(section.text.rstrip()), 2)

    def header(self, p) -> None:
        from ..rudates import format_date

        say = self.say
        if p.organization:
            say(f"[bold]{_esc(p.organization)}[/]")
        kind = _("EXTRACT FROM PROTOCOL") if p.kind == "extract" else _("PROTOCOL")
        say(f"[bold]{kind}{' № ' + _esc(p.number) if p.number else ''}[/]")
        where = [format_date(p.date, self.ctx.settings.date_style)]
        say(" · ".join(where + [_esc(x) for x in (p.place, p.time, p.venue, p.format) if x]))
        say(f"[italic]{_esc(p.title)}[/]")
        if p.status == "draft":
            say(f"[magenta]{_('draft')}[/]")
        if p.signed is not None:
            say("[green]" + _esc(_("signed by {who} on {date}").format(
                who=p.signed.by, date=shown_day(p.signed.date))) + "[/]")
        say(f"[dim]{_esc(p.path)}[/]")
        self.console.print()
        parts = p.participants
        for label, who in ((_("Chair"), parts.chair), (_("Secretary"), parts.secretary)):
            if who is not None:
                say(f"[bold]{label}:[/] {self.person(who)}")
        self.attendees(_("Present"), parts.present)
        self.attendees(_("Invited"), parts.invited)
        self.attendees(_("Absent"), parts.absent)
        for section in p.sections:
            self.console.print()
            self.section(section)

    def item(self, view) -> None:
        say, item = self.say, view.item
        self.console.print()
        say(f"[bold]{_esc(item.key)}. {_esc(item.title or item.heading or '')}[/]")
        if item.speakers:
            say(f"{_('Speakers')}: " + ", ".join(self.person(x) for x in item.speakers), 3)
        for label, statements in ((_("Heard"), item.heard), (_("Spoke"), item.spoke)):
            for st in statements:
                who = ", ".join(_esc(x.name) for x in st.who) + (f" ({_esc(st.role)})" if st.role else "")
                say(f"[bold]{label}:[/] {who}", 3)
                if st.text:
                    say(f"[dim]{_esc(st.text.rstrip())}[/]", 5)
        if item.discussed:
            say(f"[bold]{_('Discussed')}:[/] {_esc(item.discussed.rstrip())}", 3)
        if view.decisions or item.decided_intro:
            say(f"[bold]{_('Decided')}:[/] {_esc(item.decided_intro or '')}", 3)
        for line in view.decisions:
            self.decision(line)
        if item.votes is not None:
            v = item.votes
            text = v.text or _("for {f}, against {a}, abstained {ab}").format(
                f=v.for_ if v.for_ is not None else "—", a=v.against if v.against is not None else "—",
                ab=v.abstained if v.abstained is not None else "—")
            say(f"[bold]{_('Votes')}:[/] {_esc(text)}", 3)

    _STATES = {"done": "green", "cancelled": "dim", "overdue": "bold red", "open": "yellow"}

    def decision(self, line) -> None:
        ref, indent = line.ref, 1 + 2 * line.depth
        text = f"{_esc(ref.decision.key)}. {_esc(ref.decision.text)}"
        if line.state is None:
            self.say(text, indent)
            return
        colour = self._STATES[line.state]
        mark = {"done": _("done"), "cancelled": _("cancelled"), "overdue": _("overdue"), "open": _("open")}[line.state]
        self.say(f"[{colour}]{text}[/] [{colour}]\\[{mark}][/]", indent)
        details, due = [], line.due
        if ref.deadline or due:
            shown = _esc(ref.deadline or "")
            if due is not None and ref.deadline != due.isoformat():
                shown = f"{shown} → {shown_day(due)}" if shown else shown_day(due)
            details.append(f"{_('deadline')}: {shown}")
        if ref.responsible:
            details.append(f"{_('responsible')}: {_esc(', '.join(ref.responsible))}")
        if details:
            self.say("[dim]" + " · ".join(details) + "[/]", indent + 2)

    def closing(self, view, today: date) -> None:
        p = view.protocol
        if p.signatures or p.certification or p.appendix:
            self.console.print()
        for signature in p.signatures:
            self.say(f"{_esc(signature.role)} — {_esc(signature.name or '')}")
        if p.certification is not None:
            c = p.certification
            self.say(f"{_esc(c.label)}: {_esc(c.name)}" + (f" — {_esc(c.position)}" if c.position else ""))
        for section in p.appendix:
            self.section(section)
        self.console.print()
        self.say(_("Decisions: {open} open, {overdue} overdue, {done} done, {cancelled} cancelled (as of {today}).")
                 .format(today=shown_date(today), **view.counts))


def _show(ctx: ArchiveContext, p, today: date) -> None:
    from ..overview import protocol_view

    view = protocol_view(p, ctx.decisions(today))
    printer = _Show(ctx)
    printer.header(p)
    for item in view.items:
        printer.item(item)
    printer.closing(view, today)


def _print_people(ctx: ArchiveContext, include_unknown: bool, fmt: str, today: date) -> None:
    import json

    from ..overview import group_rows, open_decision_ids
    from ..people import people_usage

    open_ids = open_decision_ids(ctx.decisions(today))
    rows = people_usage(ctx.protocols, ctx.directory, open_ids, include_unknown)
    groups = group_rows(ctx.protocols, ctx.directory, open_ids)
    if fmt == "json":
        typer.echo(json.dumps([{"name": r.name, "position": r.position, "in_directory": r.entry is not None,
                                "email": r.entry.email if r.entry is not None else None, "group": False,
                                "protocols": len(r.protocols), "open_decisions": len(r.open_decisions)}
                               for r in rows]
                              + [{"name": g.name, "group": True, "members": list(g.members), "email": g.email,
                                  "in_directory": True, "open_decisions": len(g.open_decisions)} for g in groups],
                              ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    table = Table(show_edge=False, header_style="bold")
    for header in (_("Name"), _("Position"), _("E-mail")):
        table.add_column(header, overflow="fold")
    for header in (_("Protocols"), _("Open decisions")):
        table.add_column(header, no_wrap=True, justify="right")
    for r in rows:
        position = r.position or ("" if r.entry is not None else f"[dim]{_('not in people.yaml')}[/]")
        table.add_row(_esc(r.name), position if r.entry is None else _esc(position),
                      _esc(r.entry.email or "") if r.entry is not None else "", str(len(r.protocols)),
                      str(len(r.open_decisions)))
    console = out_console()
    if rows:
        console.print(table)
    if groups:
        console.print(_group_table(groups))


def _group_table(groups):
    """The groups of people.yaml: members, address, open decisions."""
    from rich.table import Table

    table = Table(title=_("Groups of executors"), show_edge=False, header_style="bold", title_justify="left")
    for header in (_("Group"), _("Members"), _("E-mail")):
        table.add_column(header, overflow="fold")
    table.add_column(_("Open decisions"), no_wrap=True, justify="right")
    for g in groups:
        table.add_row(_esc(g.name), _esc(", ".join(g.members)) or f"[dim]{_('none listed')}[/]", _esc(g.email or ""),
                      str(len(g.open_decisions)))
    return table


# --- the commands ---------------------------------------------------------------------------------------------------

def _list_command(app: typer.Typer) -> None:
    @app.command("list", help=_help(
        _("List the protocols: date, №, title, decisions open/total, signed or not."),
        _("Example: protokol list --year 2024 --format md")))
    def list_(
        year: Annotated[int | None, typer.Option("--year", help=_("Only protocols of this year."), show_default=False)] = None,
        fmt: Annotated[str, typer.Option("--format", help=_("Output: table, json or md."))] = "table",
        root: root_option() = None,
    ) -> None:
        if fmt not in ("table", "json", "md"):
            raise UserError(_("--format takes table, json or md, not '{value}'.").format(value=fmt))
        ctx = ArchiveContext(root)
        rows = _list_rows(ctx, year, parse_day(None))
        if not rows and fmt == "table":
            if not ctx.has_errors:  # else the files left out were named: "no protocols yet" would mislead
                err_console().print(_esc(_("No protocols yet: write one with `protokol new`.")))
        else:
            _print_list(rows, fmt)
        exit_on_errors(ctx)


def _show_command(app: typer.Typer) -> None:
    @app.command("show", help=_help(
        _("Show a protocol in the terminal, decisions coloured by status and overdue ones marked."),
        _("Example: protokol show 2024-01-09-1")))
    def show(
        protocol: Annotated[str, typer.Argument(help=_("The protocol id (its file name without .yaml), the start of "
                                                       "it, or the file's path."))],
        root: root_option() = None,
        today: today_option() = None,
    ) -> None:
        day = parse_day(today)
        ctx = ArchiveContext(root)
        _show(ctx, ctx.find(protocol), day)
        exit_on_errors(ctx)


def _people_command(app: typer.Typer) -> None:
    @app.command("people", help=_help(
        _("List the persons of people.yaml with their e-mail and how many protocols and open decisions each "
          "appears in, then its groups of executors with their members, e-mail and open decisions."),
        _("Example: protokol people --all")))
    def people(
        include_unknown: Annotated[bool, typer.Option("--all", help=_("Also list names found in protocols but not in "
                                                                     "people.yaml."))] = False,
        fmt: Annotated[str, typer.Option("--format", help=_("Output: table or json."))] = "table",
        root: root_option() = None,
    ) -> None:
        if fmt not in ("table", "json"):
            raise UserError(_("--format takes table or json, not '{value}'.").format(value=fmt))
        ctx = ArchiveContext(root)
        if not ctx.directory and not include_unknown:
            err_console().print(_esc(_("people.yaml lists nobody yet. `protokol people --all` shows the names "
                                       "written in the protocols, to start it from.")))
        else:
            _print_people(ctx, include_unknown, fmt, parse_day(None))
        exit_on_errors(ctx)


def register(app: typer.Typer) -> None:
    _list_command(app)
    _show_command(app)
    _people_command(app)
